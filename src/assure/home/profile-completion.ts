// « N % du profil complété »: the one list of what makes a member's profile complete,
// computed from their real data, with what is missing and the page where each item is done.
import type { MemberRow } from '../member.js';
import { de } from '../../domain/text.js';

interface CompletionItem {
  label: string;
  done: boolean;
  /** Where the member fixes it. */
  href: string;
  /** The link text when missing. */
  action: string;
}

export interface Completion {
  percent: number;
  items: CompletionItem[];
  missing: CompletionItem[];
}

export interface BeneficiaryForCompletion {
  first_name: string;
  teletransmission_status: string;
  /** A request was already made once: an « inactive » status is then the member's choice. */
  has_requests?: boolean;
}

/**
 * Télétransmission is « decided » once the member has chosen for that beneficiary: it is active,
 * a request is pending, or it was turned off on purpose. « inactive » with no request ever made is
 * the default nobody chose; « blocked » needs the member to act with the former insurer.
 */
export function teletransmissionDecided(b: BeneficiaryForCompletion): boolean {
  switch (b.teletransmission_status) {
    case 'active':
    case 'activation_requested':
    case 'deactivation_requested':
      return true;
    case 'inactive':
      return Boolean(b.has_requests);
    default:
      return false;
  }
}

type MemberForCompletion = Pick<MemberRow, 'email' | 'mobile' | 'address_line1' | 'postal_code' | 'city' | 'iban'>;

export function profileCompletion(member: MemberForCompletion, beneficiaries: BeneficiaryForCompletion[]): Completion {
  const items: CompletionItem[] = [
    { label: 'Adresse e-mail', done: Boolean(member.email), href: '/assure/informations-personnelles/email', action: 'Renseigner votre adresse e-mail' },
    { label: 'Téléphone mobile', done: Boolean(member.mobile), href: '/assure/informations-personnelles/mobile', action: 'Renseigner votre téléphone mobile' },
    {
      label: 'Adresse postale',
      done: Boolean(member.address_line1 && member.postal_code && member.city),
      href: '/assure/informations-personnelles/adresse',
      action: 'Compléter votre adresse postale',
    },
    {
      label: 'Coordonnées bancaires (IBAN)',
      done: Boolean(member.iban),
      href: '/assure/informations-personnelles/iban',
      action: 'Renseigner vos coordonnées bancaires (IBAN) pour recevoir vos remboursements',
    },
    ...beneficiaries.map((b) => ({
      label: `Télétransmission NOEMIE ${de(b.first_name)}`,
      done: teletransmissionDecided(b),
      href: '/assure/beneficiaires',
      action:
        b.teletransmission_status === 'blocked'
          ? `Débloquer la télétransmission NOEMIE ${de(b.first_name)}`
          : `Choisir la télétransmission NOEMIE pour ${b.first_name}`,
    })),
  ];
  const done = items.filter((i) => i.done).length;
  return { percent: Math.floor((done / items.length) * 100), items, missing: items.filter((i) => !i.done) };
}

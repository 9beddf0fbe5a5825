// « N % du profil complété » (SPEC §2.1): what the member has filled in, and what is missing,
// each with the page where it can be done.
import type { MemberRow } from '../member.js';

export interface CompletionItem {
  label: string;
  done: boolean;
  href: string;
}

export interface Completion {
  percent: number;
  missing: CompletionItem[];
}

export function profileCompletion(member: MemberRow, beneficiaries: { first_name: string; teletransmission_status: string }[]): Completion {
  const items: CompletionItem[] = [
    { label: 'Adresse e-mail', done: Boolean(member.email), href: '/assure/informations-personnelles' },
    { label: 'Téléphone mobile', done: Boolean(member.mobile), href: '/assure/informations-personnelles' },
    { label: 'Adresse postale', done: Boolean(member.address_line1 && member.postal_code && member.city), href: '/assure/informations-personnelles' },
    { label: 'Coordonnées bancaires (IBAN) pour vos remboursements', done: Boolean(member.iban), href: '/assure/informations-personnelles' },
    ...beneficiaries.map((b) => ({
      label: `Télétransmission NOEMIE active pour ${b.first_name}`,
      done: b.teletransmission_status === 'active',
      href: '/assure/beneficiaires',
    })),
  ];
  const done = items.filter((i) => i.done).length;
  return { percent: Math.round((done / items.length) * 100), missing: items.filter((i) => !i.done) };
}

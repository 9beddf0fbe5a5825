// Knex only (plus the pure card model built from the rows): what the carte de tiers payant shows,
// always scoped by the member id so that another family's beneficiary is simply not found.
import type { Db } from '../../db.js';
import { formatNir, maskNir } from '../../domain/nir.js';

/** Care domains where the member advances nothing, with the codes printed on the card. */
const TIERS_PAYANT_DOMAINS: readonly { code: string; label: string }[] = [
  { code: 'PH', label: 'Pharmacie' },
  { code: 'RX', label: 'Radiologie' },
  { code: 'LA', label: "Laboratoire d'analyses médicales" },
  { code: 'SV', label: 'Soins de ville (médecins, auxiliaires médicaux)' },
  { code: 'HO', label: 'Hospitalisation' },
  { code: 'OP', label: 'Optique' },
  { code: 'DE', label: 'Dentaire' },
  { code: 'AU', label: 'Audioprothèses' },
];

export const CARD_RELATIONSHIPS: Readonly<Record<string, string>> = { assure: 'Assuré(e)', conjoint: 'Conjoint(e)', enfant: 'Enfant' };

export interface CardAffiliationRow {
  id: number;
  start_date: string;
  end_date: string | null;
  reference: string;
  label: string;
  company_name: string;
}

export interface CardBeneficiaryRow {
  id: number;
  relationship: string;
  first_name: string;
  last_name: string;
  birth_date: string;
  nir: string | null;
  attached_nir: string | null;
  fund_code: string;
}

function affiliations(db: Db, memberId: number) {
  return db('affiliations as a')
    .join('contracts as c', 'c.id', 'a.contract_id')
    .join('establishments as e', 'e.id', 'a.establishment_id')
    .join('companies as co', 'co.id', 'e.company_id')
    .where('a.member_id', memberId)
    .select('a.id', 'a.start_date', 'a.end_date', 'c.reference', 'c.label', 'co.name as company_name');
}

/** The affiliation that covers the member today (started, not ended), the most recent first. */
export async function findCoveringAffiliation(db: Db, memberId: number, todayIso: string): Promise<CardAffiliationRow | undefined> {
  return affiliations(db, memberId)
    .where('a.start_date', '<=', todayIso)
    .where((q) => q.whereNull('a.end_date').orWhere('a.end_date', '>=', todayIso))
    .orderBy('a.start_date', 'desc')
    .first();
}

/** The member's latest affiliation, covering or not (to explain why there is no card). */
export async function findLatestAffiliation(db: Db, memberId: number): Promise<CardAffiliationRow | undefined> {
  return affiliations(db, memberId).orderBy('a.start_date', 'desc').first();
}

/** Beneficiaries printed on the family's cards today: on the card and covered; the member, the spouse, then the children from the eldest. */
export async function findCardBeneficiaries(db: Db, memberId: number, todayIso: string): Promise<CardBeneficiaryRow[]> {
  const rows: CardBeneficiaryRow[] = await db('beneficiaries')
    .where({ member_id: memberId, on_card: true })
    .where('start_date', '<=', todayIso)
    .where((q) => q.whereNull('end_date').orWhere('end_date', '>=', todayIso))
    .orderBy([{ column: 'birth_date' }, { column: 'id' }])
    .select('id', 'relationship', 'first_name', 'last_name', 'birth_date', 'nir', 'attached_nir', 'fund_code');
  const rank: Record<string, number> = { assure: 0, conjoint: 1, enfant: 2 };
  return rows.sort((a, b) => (rank[a.relationship] ?? 3) - (rank[b.relationship] ?? 3));
}

// ---------------------------------------------------------------- the card model (no database)

export interface CardPerson {
  id: number;
  name: string;
  relationship: string;
  birthDate: string;
  /**
   * The NIR in full (the beneficiary's own, else the one they are attached to), or null: the PDF
   * and the printed card show it, as on the card sent by post (a pharmacist needs it).
   */
  nir: string | null;
  /** The same, masked: what the screen shows until « Afficher ». */
  maskedNir: string | null;
  fundCode: string;
}

export interface TiersPayantCard {
  /** Whose card it is. */
  holder: CardPerson;
  /** « Carte de Julie Thibault », « Carte d'Emma Thibault ». */
  title: string;
  isMemberCard: boolean;
  member: { name: string; memberNumber: string };
  amcNumber: string;
  insurer: string;
  year: number;
  validFrom: string;
  validTo: string;
  contract: { reference: string; label: string; company: string };
  /** The member's card lists the whole family; a beneficiary's card lists that beneficiary. */
  beneficiaries: CardPerson[];
  domains: readonly { code: string; label: string }[];
  help: { phone: string; hours: string; note: string };
}

export function cardPerson(b: CardBeneficiaryRow): CardPerson {
  const nir = b.nir ?? b.attached_nir;
  return {
    id: b.id,
    name: `${b.first_name} ${b.last_name}`,
    relationship: CARD_RELATIONSHIPS[b.relationship] ?? b.relationship,
    birthDate: b.birth_date,
    nir: nir ? formatNir(nir) : null,
    maskedNir: nir ? maskNir(nir) : null,
    fundCode: b.fund_code,
  };
}

/**
 * The validity period: the current calendar year, starting no earlier than the affiliation and
 * ending no later than its end date.
 */
function cardValidity(todayIso: string, affiliation: { start_date: string; end_date: string | null }): { year: number; from: string; to: string } {
  const year = Number(todayIso.slice(0, 4));
  const from = affiliation.start_date > `${year}-01-01` ? affiliation.start_date : `${year}-01-01`;
  const to = affiliation.end_date && affiliation.end_date < `${year}-12-31` ? affiliation.end_date : `${year}-12-31`;
  return { year, from, to };
}

export function buildCard(options: {
  holder: CardBeneficiaryRow;
  family: CardBeneficiaryRow[];
  member: { first_name: string; last_name: string; member_number: string };
  affiliation: CardAffiliationRow;
  brand: { name: string; amcNumber: string; help: { phone: string; hours: string; note: string } };
  todayIso: string;
}): TiersPayantCard {
  const { holder, family, member, affiliation, brand } = options;
  const validity = cardValidity(options.todayIso, affiliation);
  const isMemberCard = holder.relationship === 'assure';
  return {
    holder: cardPerson(holder),
    title: `Carte ${/^[aeiouyàâäéèêëîïôöùûü]/i.test(holder.first_name) ? "d'" : 'de '}${holder.first_name} ${holder.last_name}`,
    isMemberCard,
    member: { name: `${member.first_name} ${member.last_name}`, memberNumber: member.member_number },
    amcNumber: brand.amcNumber,
    insurer: brand.name,
    year: validity.year,
    validFrom: validity.from,
    validTo: validity.to,
    contract: { reference: affiliation.reference, label: affiliation.label, company: affiliation.company_name },
    beneficiaries: (isMemberCard ? family : [holder]).map(cardPerson),
    domains: TIERS_PAYANT_DOMAINS,
    help: { phone: brand.help.phone, hours: brand.help.hours, note: brand.help.note },
  };
}

// Knex only: the member's affiliations with their company, establishment and contract (the
// guarantee lines are read by src/contracts/queries.ts, shared with the Espace Entreprise).
import type { Db } from '../../db.js';

export interface AffiliationRow {
  id: number;
  start_date: string;
  end_date: string | null;
  entry_date: string;
  professional_status: string;
  contract_id: number;
  reference: string;
  label: string;
  college: 'cadre' | 'non_cadre';
  formula: string;
  options: string | null;
  company_name: string;
  company_address: string;
  company_postal_code: string;
  company_city: string;
  siret: string;
  establishment_name: string;
}

function affiliationQuery(db: Db, memberId: number) {
  return db('affiliations as a')
    .join('contracts as c', 'c.id', 'a.contract_id')
    .join('establishments as e', 'e.id', 'a.establishment_id')
    .join('companies as co', 'co.id', 'e.company_id')
    .where('a.member_id', memberId)
    .select(
      'a.id',
      'a.start_date',
      'a.end_date',
      'a.entry_date',
      'a.professional_status',
      'c.id as contract_id',
      'c.reference',
      'c.label',
      'c.college',
      'c.formula',
      'c.options',
      'co.name as company_name',
      'co.address_line as company_address',
      'co.postal_code as company_postal_code',
      'co.city as company_city',
      'e.siret',
      'e.name as establishment_name',
    );
}

/** An affiliation has ended once its end date is past (the cover runs through the end date). */
export function hasEnded(affiliation: { end_date: string | null }, todayIso: string): affiliation is { end_date: string } {
  return affiliation.end_date !== null && affiliation.end_date < todayIso;
}

/** Current affiliations first, then ended ones, newest first. */
export async function findAffiliations(db: Db, memberId: number, todayIso: string): Promise<AffiliationRow[]> {
  const rows: AffiliationRow[] = await affiliationQuery(db, memberId).orderBy('a.start_date', 'desc');
  return [...rows.filter((r) => !hasEnded(r, todayIso)), ...rows.filter((r) => hasEnded(r, todayIso))];
}

export async function findAffiliation(db: Db, memberId: number, id: number): Promise<AffiliationRow | undefined> {
  return affiliationQuery(db, memberId).where('a.id', id).first();
}

/** The beneficiaries covered on a given day (a past day for an ended affiliation's certificate). */
export async function coveredBeneficiaries(
  db: Db,
  memberId: number,
  onIso: string,
): Promise<{ first_name: string; last_name: string; sex: 'M' | 'F'; relationship: string; birth_date: string; teletransmission_status: string }[]> {
  return db('beneficiaries')
    .where({ member_id: memberId })
    .where('start_date', '<=', onIso)
    .where((q) => q.whereNull('end_date').orWhere('end_date', '>=', onIso))
    .orderBy('id')
    .select('first_name', 'last_name', 'sex', 'relationship', 'birth_date', 'teletransmission_status');
}

// Knex only: the figures of the Espace Entreprise home (« Mes salariés assurés »).
import type { Db } from '../../db.js';
import { visibleEstablishments } from '../queries.js';

export interface InsuredCountRow {
  establishment_id: number;
  establishment_name: string;
  college: 'cadre' | 'non_cadre';
  insured: number;
}

/**
 * Employees covered today (affiliation started, not ended), per visible establishment and collège
 * (the collège of the contract they are affiliated to). Served by affiliations(establishment_id, start_date).
 */
export async function insuredCounts(db: Db, accountId: number, companyId: number | null, todayIso: string): Promise<InsuredCountRow[]> {
  const rows: InsuredCountRow[] = await visibleEstablishments(db, accountId, companyId)
    .join('affiliations as a', 'a.establishment_id', 'e.id')
    .join('contracts as k', 'k.id', 'a.contract_id')
    .where('a.start_date', '<=', todayIso)
    .where((q) => q.whereNull('a.end_date').orWhere('a.end_date', '>=', todayIso))
    .groupBy('e.id', 'e.name', 'k.college')
    .select('e.id as establishment_id', 'e.name as establishment_name', 'k.college', db.raw('count(*) as insured'));
  return rows.map((r) => ({ ...r, insured: Number(r.insured) }));
}

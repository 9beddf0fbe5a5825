// Knex only: the guarantee lines of contracts. Shared, not a space: the member's « Mes contrats »
// (src/assure/contracts/) and the company's « Consulter vos contrats couverts »
// (src/entreprise/contracts/) show the same table; each scopes the contract ids it asks for.
import type { Db } from '../db.js';

export interface GuaranteeRow {
  contract_id: number;
  category: string;
  label: string;
  coverage: string;
}

export async function guaranteesOf(db: Db, contractIds: number[]): Promise<GuaranteeRow[]> {
  if (!contractIds.length) return [];
  return db('guarantee_lines')
    .whereIn('contract_id', contractIds)
    .orderBy(['contract_id', 'position', 'id'])
    .select('contract_id', 'category', 'label', 'coverage');
}

// Knex only: the guarantee lines of contracts. Shared, not a space: the member's « Mes contrats »
// (src/assure/contracts/) and the company's « Consulter vos contrats couverts »
// (src/entreprise/contracts/) show the same table; each scopes the contract ids it asks for.
//
// A contract's table is versioned by date d'effet (db/migrations/20261206100000_guarantee_versions.ts):
// a reader always asks for the version in force on one day. That day is brought within the
// contract's own dates — a contract « À venir » shows the table it will start with, an ended one
// the table of its last day.
import type { Knex } from 'knex';
import type { Db } from '../db.js';

export interface GuaranteeRow {
  contract_id: number;
  category: string;
  label: string;
  coverage: string;
}

/** The day, within the contract's dates, whose version a reader asking for `onIso` gets (SQL, contracts joined as `contracts`). */
function contractDay(db: Db, onIso: string): Knex.Raw {
  return db.raw(
    'CASE WHEN contracts.start_date > ? THEN contracts.start_date WHEN contracts.end_date IS NOT NULL AND contracts.end_date < ? THEN contracts.end_date ELSE ? END',
    [onIso, onIso, onIso],
  );
}

/** Keeps the guarantee lines in force on the contract's day for `onIso` (guarantee_lines joined with contracts). */
export function inForceOn(db: Db, query: Knex.QueryBuilder, onIso: string): Knex.QueryBuilder {
  const day = contractDay(db, onIso);
  return query
    .where((q) => q.whereNull('guarantee_lines.effective_from').orWhere('guarantee_lines.effective_from', '<=', day))
    .where((q) => q.whereNull('guarantee_lines.effective_to').orWhere('guarantee_lines.effective_to', '>=', day));
}

/** The guarantee tables of these contracts, each as in force on `onIso` (YYYY-MM-DD, brought within the contract's dates). */
export async function guaranteesOf(db: Db, contractIds: number[], onIso: string): Promise<GuaranteeRow[]> {
  if (!contractIds.length) return [];
  return inForceOn(
    db,
    db('guarantee_lines').join('contracts', 'contracts.id', 'guarantee_lines.contract_id').whereIn('guarantee_lines.contract_id', contractIds),
    onIso,
  )
    .orderBy(['guarantee_lines.contract_id', 'guarantee_lines.position', 'guarantee_lines.id'])
    .select('guarantee_lines.contract_id', 'guarantee_lines.category', 'guarantee_lines.label', 'guarantee_lines.coverage');
}

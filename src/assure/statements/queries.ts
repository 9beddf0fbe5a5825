// Knex only: the member's décomptes and their lines. Every query is scoped by member_id and uses
// the (member_id, …) indexes of statements and statement_lines. A page costs a fixed number of
// queries whatever its size: the count, the page's décomptes, all their lines (no N+1).
import type { Knex } from 'knex';
import { preparedQuery, type Db } from '../../db.js';

export interface StatementFilters {
  beneficiaryId?: number;
  /** ISO day, care date from (included). */
  from?: string;
  /** ISO day, care date to (included). */
  to?: string;
  careType?: string;
}

export interface StatementRow {
  id: number;
  number: string;
  statement_date: string;
  payment_date: string;
}

export interface LineRow {
  id: number;
  statement_id: number;
  beneficiary_id: number;
  care_date: string;
  care_type: string;
  care_label: string;
  professional_name: string | null;
  quantity: number;
  frais_reels_cents: number;
  base_remboursement_cents: number;
  rate_percent: number;
  ss_amount_cents: number;
  complementary_amount_cents: number;
  deductions_cents: number;
  reste_a_charge_cents: number;
  paid_to: 'assure' | 'tiers';
  payment_date: string;
  first_name: string;
  last_name: string;
}

const LINE_COLUMNS = [
  'l.id',
  'l.statement_id',
  'l.beneficiary_id',
  'l.care_date',
  'l.care_type',
  'l.care_label',
  'l.professional_name',
  'l.quantity',
  'l.frais_reels_cents',
  'l.base_remboursement_cents',
  'l.rate_percent',
  'l.ss_amount_cents',
  'l.complementary_amount_cents',
  'l.deductions_cents',
  'l.reste_a_charge_cents',
  'l.paid_to',
  'l.payment_date',
  'b.first_name',
  'b.last_name',
];

function applyLineFilters(query: Knex.QueryBuilder, memberId: number, filters: StatementFilters): Knex.QueryBuilder {
  query.where('l.member_id', memberId);
  if (filters.beneficiaryId) query.where('l.beneficiary_id', filters.beneficiaryId);
  if (filters.careType) query.where('l.care_type', filters.careType);
  if (filters.from) query.where('l.care_date', '>=', filters.from);
  if (filters.to) query.where('l.care_date', '<=', filters.to);
  return query;
}

/** The same filters as applyLineFilters, for lines already loaded (to mark those the filters show). */
export function lineMatches(line: Pick<LineRow, 'beneficiary_id' | 'care_type' | 'care_date'>, filters: StatementFilters): boolean {
  if (filters.beneficiaryId && line.beneficiary_id !== filters.beneficiaryId) return false;
  if (filters.careType && line.care_type !== filters.careType) return false;
  if (filters.from && line.care_date < filters.from) return false;
  if (filters.to && line.care_date > filters.to) return false;
  return true;
}

function hasFilters(filters: StatementFilters): boolean {
  return Boolean(filters.beneficiaryId || filters.careType || filters.from || filters.to);
}

/** The member's décomptes that have at least one line matching the filters. */
function matchingStatements(db: Db, memberId: number, filters: StatementFilters): Knex.QueryBuilder {
  const query = db('statements as s').where('s.member_id', memberId);
  if (hasFilters(filters)) {
    query.whereIn('s.id', applyLineFilters(db('statement_lines as l').select('l.statement_id'), memberId, filters));
  }
  return query;
}

export async function countStatements(db: Db, memberId: number, filters: StatementFilters): Promise<number> {
  const [{ total }] = await matchingStatements(db, memberId, filters).count({ total: '*' });
  return Number(total);
}

/**
 * One page of décomptes matching the filters, newest first, and how many match in all (a window
 * count, so one query). A page past the end has no row to carry the count: null then.
 */
export async function findStatements(
  db: Db,
  memberId: number,
  filters: StatementFilters,
  page: number,
  pageSize: number,
): Promise<{ statements: StatementRow[]; total: number | null }> {
  const rows: (StatementRow & { total: number | string })[] = await matchingStatements(db, memberId, filters)
    .select('s.id', 's.number', 's.statement_date', 's.payment_date', db.raw('count(*) over () as total'))
    .orderBy([
      { column: 's.statement_date', order: 'desc' },
      { column: 's.id', order: 'desc' },
    ])
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return {
    statements: rows.map(({ total: _total, ...statement }) => statement),
    total: rows.length ? Number(rows[0].total) : null,
  };
}

/** Every line of these décomptes (all of them: a décompte's totals cover its whole content). */
export async function findLines(db: Db, memberId: number, statementIds: number[]): Promise<LineRow[]> {
  if (!statementIds.length) return [];
  return (
    db('statement_lines as l')
      .join('beneficiaries as b', 'b.id', 'l.beneficiary_id')
      .whereIn('l.statement_id', statementIds)
      // The unary plus keeps the member check but stops the planner from walking the member's
      // whole history through (member_id, care_date): statistics say a member has ~20 lines, a
      // long-standing family has hundreds, while a page's décomptes hold a few dozen.
      .whereRaw('+l.member_id = ?', [memberId])
      .orderBy([
        { column: 'l.care_date', order: 'asc' },
        { column: 'l.id', order: 'asc' },
      ])
      .select(LINE_COLUMNS)
  );
}

export interface FamilyMember {
  id: number;
  first_name: string;
  last_name: string;
  relationship: string;
}

/** Every beneficiary the family ever had (past lines may be a former beneficiary's). */
export async function familyOf(db: Db, memberId: number): Promise<FamilyMember[]> {
  return family<FamilyMember>(db, memberId);
}

// The family and the care types are read on every visit of « Remboursements »: built once (preparedQuery, src/db.ts).
const family = preparedQuery((db, memberId: number) =>
  db('beneficiaries').where({ member_id: memberId }).orderBy('id').select('id', 'first_name', 'last_name', 'relationship'),
);

const careTypes = preparedQuery((db, memberId: number) =>
  db('statement_lines').where({ member_id: memberId }).groupBy('care_type').select('care_type').min({ care_label: 'care_label' }),
);

/** The care types present in the family's lines, one label each (index member_id, care_type, …). */
export async function careTypesOf(db: Db, memberId: number): Promise<{ care_type: string; care_label: string }[]> {
  const rows = await careTypes<{ care_type: string; care_label: string }>(db, memberId);
  return rows.sort((a, b) => a.care_label.localeCompare(b.care_label, 'fr'));
}

export async function findStatement(db: Db, memberId: number, id: number): Promise<StatementRow | undefined> {
  return db('statements').where({ id, member_id: memberId }).first('id', 'number', 'statement_date', 'payment_date');
}

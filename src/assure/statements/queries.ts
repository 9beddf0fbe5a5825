// Knex only: the member's décomptes and their lines, filtered. Every query is scoped by member_id
// and uses the (member_id, …) indexes of statement_lines.
import type { Knex } from 'knex';
import type { Db } from '../../db.js';

export interface StatementFilters {
  beneficiaryId?: number;
  from?: string;
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
  care_date: string;
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

function applyLineFilters(query: Knex.QueryBuilder, memberId: number, filters: StatementFilters, alias = 'l'): Knex.QueryBuilder {
  query.where(`${alias}.member_id`, memberId);
  if (filters.beneficiaryId) query.where(`${alias}.beneficiary_id`, filters.beneficiaryId);
  if (filters.careType) query.where(`${alias}.care_type`, filters.careType);
  if (filters.from) query.where(`${alias}.care_date`, '>=', filters.from);
  if (filters.to) query.where(`${alias}.care_date`, '<=', filters.to);
  return query;
}

/** One page of décomptes having at least one line that matches, newest first, and the total count. */
export async function findStatements(db: Db, memberId: number, filters: StatementFilters, page: number, pageSize: number) {
  const matching = applyLineFilters(db('statement_lines as l').distinct('l.statement_id'), memberId, filters);
  const base = db('statements as s').where('s.member_id', memberId).whereIn('s.id', matching);
  const [{ total }] = await base.clone().count({ total: '*' });
  const statements: StatementRow[] = await base
    .clone()
    .select('s.id', 's.number', 's.statement_date', 's.payment_date')
    .orderBy([
      { column: 's.statement_date', order: 'desc' },
      { column: 's.id', order: 'desc' },
    ])
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { statements, total: Number(total) };
}

export async function findLines(db: Db, memberId: number, statementIds: number[], filters: StatementFilters): Promise<LineRow[]> {
  if (!statementIds.length) return [];
  return applyLineFilters(db('statement_lines as l').join('beneficiaries as b', 'b.id', 'l.beneficiary_id'), memberId, filters)
    .whereIn('l.statement_id', statementIds)
    .orderBy([
      { column: 'l.care_date', order: 'asc' },
      { column: 'l.id', order: 'asc' },
    ])
    .select('l.*', 'b.first_name', 'b.last_name');
}

export async function familyOf(db: Db, memberId: number): Promise<{ id: number; first_name: string; last_name: string; relationship: string }[]> {
  return db('beneficiaries').where({ member_id: memberId }).orderBy('id').select('id', 'first_name', 'last_name', 'relationship');
}

export async function careTypesOf(db: Db, memberId: number): Promise<{ care_type: string; care_label: string }[]> {
  return db('statement_lines').where({ member_id: memberId }).distinct('care_type', 'care_label').orderBy('care_label');
}

export async function findStatement(db: Db, memberId: number, id: number): Promise<StatementRow | undefined> {
  return db('statements').where({ id, member_id: memberId }).first('id', 'number', 'statement_date', 'payment_date');
}

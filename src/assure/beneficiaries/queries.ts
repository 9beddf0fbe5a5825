// Knex only: the member's beneficiaries and their télétransmission history, always scoped by
// the member id so that another family's beneficiary is simply not found.
import type { Db } from '../../db.js';

export interface BeneficiaryRow {
  id: number;
  relationship: 'assure' | 'conjoint' | 'enfant';
  sex: 'M' | 'F';
  last_name: string;
  first_name: string;
  birth_date: string;
  nir: string | null;
  attached_nir: string | null;
  email: string | null;
  mobile: string | null;
  address_line1: string | null;
  address_line2: string | null;
  postal_code: string | null;
  city: string | null;
  fund_code: string;
  teletransmission_status: string;
  teletransmission_since: string | null;
  start_date: string;
  end_date: string | null;
}

export interface TeletransmissionEventRow {
  id: number;
  beneficiary_id: number;
  from_status: string;
  to_status: string;
  at: string;
  processed_at: string | null;
  by_member: boolean;
}

const COLUMNS = [
  'id',
  'relationship',
  'sex',
  'last_name',
  'first_name',
  'birth_date',
  'nir',
  'attached_nir',
  'email',
  'mobile',
  'address_line1',
  'address_line2',
  'postal_code',
  'city',
  'fund_code',
  'teletransmission_status',
  'teletransmission_since',
  'start_date',
  'end_date',
];

/** The member first, then the spouse, then the children from the eldest; ended cover last. */
export async function findBeneficiaries(db: Db, memberId: number): Promise<BeneficiaryRow[]> {
  const rows: BeneficiaryRow[] = await db('beneficiaries').where({ member_id: memberId }).select(COLUMNS).orderBy('birth_date').orderBy('id');
  const rank = { assure: 0, conjoint: 1, enfant: 2 } as const;
  return rows.sort((a, b) => Number(a.end_date !== null) - Number(b.end_date !== null) || (rank[a.relationship] ?? 3) - (rank[b.relationship] ?? 3));
}

export async function findBeneficiary(db: Db, memberId: number, id: number): Promise<BeneficiaryRow | undefined> {
  return db('beneficiaries').where({ member_id: memberId, id }).first(COLUMNS);
}

/** The family's télétransmission history, newest first. */
export async function findTeletransmissionEvents(db: Db, memberId: number): Promise<TeletransmissionEventRow[]> {
  const rows = await db('teletransmission_events as t')
    .join('beneficiaries as b', 'b.id', 't.beneficiary_id')
    .leftJoin('accounts as a', 'a.id', 't.account_id')
    .where('b.member_id', memberId)
    .orderBy('t.at', 'desc')
    .orderBy('t.id', 'desc')
    .select('t.id', 't.beneficiary_id', 't.from_status', 't.to_status', 't.at', 't.processed_at', 'a.kind as account_kind');
  return rows.map(({ account_kind, ...row }) => ({ ...row, by_member: account_kind === 'member' }));
}

/** The date of the newest décompte of each beneficiary of the family (the NOEMIE check), by beneficiary id. */
export async function lastStatementDates(db: Db, memberId: number): Promise<Map<number, string>> {
  const rows: { beneficiary_id: number; last: string }[] = await db('statement_lines as l')
    .join('statements as s', 's.id', 'l.statement_id')
    .where('l.member_id', memberId)
    .groupBy('l.beneficiary_id')
    .select('l.beneficiary_id', db.raw('max(s.statement_date) as last'));
  return new Map(rows.map((r) => [Number(r.beneficiary_id), String(r.last)]));
}

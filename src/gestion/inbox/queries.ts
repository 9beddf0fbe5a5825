// Knex only: what the staff inbox and its item pages read beside the correspondence store
// (src/correspondence/queries.ts): the staff accounts (assignment, names in timelines), the member
// an item belongs to, a beneficiary's NOEMIE status.
import type { Db } from '../../db.js';

export interface StaffAccount {
  id: number;
  first_name: string;
  last_name: string;
  active: boolean;
}

/** Every staff account (an inactive one still names what it did), by name. */
export async function findStaffAccounts(db: Db): Promise<StaffAccount[]> {
  const rows: { id: number; first_name: string; last_name: string; status: string }[] = await db('accounts')
    .where({ kind: 'staff' })
    .orderBy([{ column: 'last_name' }, { column: 'first_name' }, { column: 'id' }])
    .select('id', 'first_name', 'last_name', 'status');
  return rows.map((r) => ({ id: r.id, first_name: r.first_name, last_name: r.last_name, active: r.status === 'active' }));
}

/** The names of these accounts (any kind): who acted in a timeline. */
export async function findAccountNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows: { id: number; first_name: string; last_name: string }[] = await db('accounts').whereIn('id', unique).select('id', 'first_name', 'last_name');
  return new Map(rows.map((r) => [r.id, `${r.first_name} ${r.last_name}`]));
}

export interface ItemMember {
  id: number;
  first_name: string;
  last_name: string;
  member_number: string;
}

export async function findMember(db: Db, memberId: number): Promise<ItemMember | undefined> {
  return db('members').where({ id: memberId }).first('id', 'first_name', 'last_name', 'member_number');
}

export async function findCompanyName(db: Db, companyId: number): Promise<string | undefined> {
  return (await db('companies').where({ id: companyId }).first('name'))?.name;
}

/** The NOEMIE status of a beneficiary today (a télétransmission request's page says where it stands). */
export async function findTeletransmissionStatus(db: Db, beneficiaryId: number): Promise<string | undefined> {
  return (await db('beneficiaries').where({ id: beneficiaryId }).first('teletransmission_status'))?.teletransmission_status;
}

// « Assurés » (Espace Gestion): the Knex of the member search and of a member's file. A file is
// read in a fixed number of queries (one per section), whatever the family's size.
import type { Db } from '../../db.js';
import { prefixRange } from '../../domain/name-search.js';

/** One criterion at a time: the start of a name (folded key), a member number, or a NIR (15 characters: the member's or a beneficiary's). */
export type MemberSearch = { nameKey: string } | { memberNumber: string } | { nir: string };

export interface MemberListRow {
  id: number;
  member_number: string;
  last_name: string;
  first_name: string;
  birth_date: string;
  postal_code: string;
  city: string;
}

export function membersMatching(db: Db, search: MemberSearch) {
  const query = db('members as m');
  // The member's own NIR or a beneficiary's (a spouse, a child with their own): two index look-ups.
  if ('nir' in search) query.where((q) => q.where('m.nir', search.nir).orWhereIn('m.id', db('beneficiaries').where('nir', search.nir).select('member_id')));
  else if ('memberNumber' in search) query.where('m.member_number', search.memberNumber);
  else {
    const [from, to] = prefixRange(search.nameKey);
    // Two index ranges (« nom prénom », « prénom nom »), as « Mes salariés » (src/entreprise/employees/queries.ts).
    query.where((q) =>
      q
        .where((r) => r.where('m.name_key', '>=', from).where('m.name_key', '<', to))
        .orWhere((r) => r.where('m.first_name_key', '>=', from).where('m.first_name_key', '<', to)),
    );
  }
  return query;
}

export async function findMembersPage(db: Db, search: MemberSearch, limit: number, offset: number): Promise<MemberListRow[]> {
  return membersMatching(db, search)
    .select('m.id', 'm.member_number', 'm.last_name', 'm.first_name', 'm.birth_date', 'm.postal_code', 'm.city')
    .orderBy([{ column: 'm.name_key' }, { column: 'm.id' }])
    .limit(limit)
    .offset(offset);
}

export async function countMembers(db: Db, search: MemberSearch): Promise<number> {
  const row = await membersMatching(db, search).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

// ------------------------------------------------------------------ the file

export interface MemberFileRow {
  id: number;
  member_number: string;
  nir: string;
  sex: string;
  last_name: string;
  first_name: string;
  birth_name: string | null;
  birth_date: string;
  email: string | null;
  mobile: string | null;
  phone: string | null;
  address_line1: string;
  address_line2: string | null;
  postal_code: string;
  city: string;
}

export async function findMemberFile(db: Db, id: number): Promise<MemberFileRow | undefined> {
  return db('members')
    .where({ id })
    .first(
      'id',
      'member_number',
      'nir',
      'sex',
      'last_name',
      'first_name',
      'birth_name',
      'birth_date',
      'email',
      'mobile',
      'phone',
      'address_line1',
      'address_line2',
      'postal_code',
      'city',
    );
}

export async function beneficiariesOf(db: Db, memberId: number) {
  return db('beneficiaries')
    .where({ member_id: memberId })
    .select('id', 'relationship', 'last_name', 'first_name', 'birth_date', 'start_date', 'end_date', 'teletransmission_status', 'teletransmission_since')
    .orderByRaw("CASE relationship WHEN 'assure' THEN 0 WHEN 'conjoint' THEN 1 ELSE 2 END")
    .orderBy([{ column: 'birth_date' }, { column: 'id' }]);
}

export async function affiliationsOf(db: Db, memberId: number) {
  return db('affiliations as a')
    .join('establishments as e', 'e.id', 'a.establishment_id')
    .join('companies as c', 'c.id', 'e.company_id')
    .join('contracts as k', 'k.id', 'a.contract_id')
    .where('a.member_id', memberId)
    .select(
      'a.id',
      'a.professional_status',
      'a.start_date',
      'a.end_date',
      'c.name as company_name',
      'c.siren',
      'e.name as establishment_name',
      'e.siret',
      'k.label as contract_label',
      'k.reference as contract_reference',
      'k.formula as contract_formula',
    )
    .orderBy([
      { column: 'a.start_date', order: 'desc' },
      { column: 'a.id', order: 'desc' },
    ]);
}

/** The latest requests of the family (at most `limit`), newest first. */
export async function requestsOf(db: Db, memberId: number, limit: number) {
  return db('requests')
    .where({ member_id: memberId })
    .select('id', 'kind', 'object', 'reference', 'status', 'created_at')
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit);
}

/** The member's latest threads (at most `limit`), by last message. */
export async function threadsOf(db: Db, memberId: number, limit: number) {
  return db('message_threads')
    .where({ member_id: memberId, owner_kind: 'member' })
    .select('id', 'category', 'object', 'reference', 'status', 'last_message_at')
    .orderBy([
      { column: 'last_message_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit);
}

export interface StatementSummaryRow {
  id: number;
  number: string;
  statement_date: string;
  payment_date: string;
  complementary_cents: number | string | null;
  lines: number | string;
}

/** The erasure requests (src/personal-data/) of the member's accounts, newest first. */
export async function erasureRequestsOf(db: Db, memberId: number): Promise<{ id: number; status: string; requested_at: string; decided_at: string | null }[]> {
  return db('erasure_requests as e')
    .join('accounts as a', 'a.id', 'e.account_id')
    .where('a.member_id', memberId)
    .select('e.id', 'e.status', 'e.requested_at', 'e.decided_at')
    .orderBy([
      { column: 'e.requested_at', order: 'desc' },
      { column: 'e.id', order: 'desc' },
    ]);
}

/** The latest décomptes (at most `limit`) with what the complementary paid on each. */
export async function latestStatementsOf(db: Db, memberId: number, limit: number): Promise<StatementSummaryRow[]> {
  const rows = await db('statements as s')
    .leftJoin('statement_lines as l', 'l.statement_id', 's.id')
    .where('s.member_id', memberId)
    .groupBy('s.id', 's.number', 's.statement_date', 's.payment_date')
    .select('s.id', 's.number', 's.statement_date', 's.payment_date')
    .sum({ complementary_cents: 'l.complementary_amount_cents' })
    .count({ lines: 'l.id' })
    .orderBy([
      { column: 's.statement_date', order: 'desc' },
      { column: 's.id', order: 'desc' },
    ])
    .limit(limit);
  return rows as unknown as StatementSummaryRow[];
}

export interface MemberAccountRow {
  id: number;
  email: string;
  status: string;
  mobile: string | null;
  activated_at: string | null;
  last_login_at: string | null;
  last_verified_login_at: string | null;
  trusted_devices: number | string;
}

/** The member's account (created at « Activer mon espace »), with its trusted devices counted. */
export async function accountOf(db: Db, memberId: number): Promise<MemberAccountRow | undefined> {
  return db('accounts as a')
    .where({ 'a.kind': 'member', 'a.member_id': memberId })
    .select('a.id', 'a.email', 'a.status', 'a.mobile', 'a.activated_at', 'a.last_login_at', 'a.last_verified_login_at')
    .select(db('trusted_devices as d').whereRaw('d.account_id = a.id').whereNull('d.revoked_at').count('*').as('trusted_devices'))
    .first();
}

/**
 * « Réinitialiser la double authentification »: the number the codes go to is forgotten, every
 * trusted device revoked, the last verified login cleared and the sessions ended, in one
 * transaction — the next login asks for a mobile number (confirmed by a code sent by e-mail),
 * then sends the SMS code to it. Returns false when the account is not the member's.
 */
export async function resetTwoFactor(db: Db, memberId: number, accountId: number, now: Date): Promise<boolean> {
  const iso = now.toISOString();
  return db.transaction(async (trx) => {
    const updated = await trx('accounts')
      .where({ id: accountId, kind: 'member', member_id: memberId })
      .update({ mobile: null, last_verified_login_at: null, last_verified_ip: null, sessions_revoked_at: iso, updated_at: iso });
    if (!updated) return false;
    await trx('trusted_devices').where({ account_id: accountId }).whereNull('revoked_at').update({ revoked_at: iso });
    return true;
  });
}

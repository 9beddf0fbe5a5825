// Knex only: accounts, trusted devices and link tokens. No req/res here.
import { insertedId, isUniqueViolation, preparedQuery, type Db } from '../db.js';
import type { AccountKind } from './doors.js';

export interface AccountRow {
  id: number;
  kind: AccountKind;
  email: string;
  password_hash: string | null;
  status: 'pending' | 'active' | 'suspended' | 'disabled';
  first_name: string;
  last_name: string;
  mobile: string | null;
  member_id: number | null;
  staff_role: string | null;
  last_login_at: string | null;
  last_verified_login_at: string | null;
  last_verified_ip: string | null;
  sessions_revoked_at: string | null;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findAccountByEmail(db: Db, kind: AccountKind, email: string): Promise<AccountRow | undefined> {
  return db('accounts')
    .where({ kind, email: normalizeEmail(email) })
    .first();
}

export async function findAccountById(db: Db, id: number): Promise<AccountRow | undefined> {
  return db('accounts').where({ id }).first();
}

/** What each private request checks of its account (requireAccount): no password hash, no login history. */
const SESSION_ACCOUNT_COLUMNS = [
  'id',
  'kind',
  'email',
  'status',
  'first_name',
  'last_name',
  'mobile',
  'member_id',
  'staff_role',
  'sessions_revoked_at',
] as const;
export type SessionAccountRow = Pick<AccountRow, (typeof SESSION_ACCOUNT_COLUMNS)[number]>;

/** The account of a session, read on every private request: only the columns it needs (a third of them). */
const sessionAccount = preparedQuery((db, id: number) =>
  db('accounts')
    .where({ id })
    .first([...SESSION_ACCOUNT_COLUMNS]),
);

export async function findSessionAccount(db: Db, id: number): Promise<SessionAccountRow | undefined> {
  const [row] = await sessionAccount<SessionAccountRow>(db, id);
  return row;
}

/** The password hash of an account (re-authentication before a sensitive change). */
export async function passwordHashOf(db: Db, accountId: number): Promise<string | null> {
  const row = await db('accounts').where({ id: accountId }).first('password_hash');
  return row?.password_hash ?? null;
}

/** Whether another account of this kind (member or HR) logs in with this email. */
export async function emailUsedByAnotherAccount(db: Db, kind: AccountKind, email: string, exceptAccountId: number): Promise<boolean> {
  return Boolean(await db('accounts').where({ kind, email }).whereNot({ id: exceptAccountId }).first('id'));
}

export async function recordVerifiedLogin(db: Db, accountId: number, ip: string, now: Date): Promise<void> {
  const iso = now.toISOString();
  await db('accounts').where({ id: accountId }).update({ last_login_at: iso, last_verified_login_at: iso, last_verified_ip: ip, updated_at: iso });
}

export async function recordLogin(db: Db, accountId: number, now: Date): Promise<void> {
  await db('accounts').where({ id: accountId }).update({ last_login_at: now.toISOString(), updated_at: now.toISOString() });
}

export async function updateAccountMobile(db: Db, accountId: number, mobile: string, now: Date): Promise<void> {
  await db('accounts').where({ id: accountId }).update({ mobile, updated_at: now.toISOString() });
}

export async function setPasswordHash(db: Db, accountId: number, hash: string, now: Date, options: { revokeSessions: boolean }): Promise<void> {
  const iso = now.toISOString();
  await db('accounts')
    .where({ id: accountId })
    .update({ password_hash: hash, updated_at: iso, ...(options.revokeSessions ? { sessions_revoked_at: iso } : {}) });
}

/** Disabling an account ends all its sessions at once (they are checked on every request). */
export async function disableAccount(db: Db, accountId: number, now: Date): Promise<void> {
  const iso = now.toISOString();
  await db('accounts').where({ id: accountId }).update({ status: 'disabled', disabled_at: iso, sessions_revoked_at: iso, updated_at: iso });
}

/**
 * An invited HR user created their password: the account becomes active (CGU accepted now) —
 * only if an access is still active somewhere, checked by the UPDATE itself so a suspension
 * at the same moment wins.
 */
export async function activateInvitedAccount(db: Db, accountId: number, passwordHash: string, now: Date): Promise<number> {
  const iso = now.toISOString();
  return db('accounts')
    .where({ id: accountId, status: 'pending' })
    .whereExists(db('hr_habilitations').where({ account_id: accountId, status: 'active' }).select(db.raw('1')))
    .update({ password_hash: passwordHash, status: 'active', cgu_accepted_at: iso, activated_at: iso, updated_at: iso });
}

/** A staff account invited (no password until the link is used); null when the address already has one. */
export async function insertPendingStaffAccount(
  db: Db,
  member: { email: string; firstName: string; lastName: string; mobile: string | null; role: string },
  now: Date,
): Promise<number | null> {
  const iso = now.toISOString();
  try {
    const [row] = await db('accounts')
      .insert({
        kind: 'staff',
        email: member.email,
        password_hash: null,
        status: 'pending',
        first_name: member.firstName,
        last_name: member.lastName,
        mobile: member.mobile,
        member_id: null,
        staff_role: member.role,
        created_at: iso,
        updated_at: iso,
      })
      .returning('id');
    return insertedId(row);
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw err;
  }
}

/** An invited staff member created their password: the account becomes active (once: the WHERE says pending). */
export async function activateInvitedStaffAccount(db: Db, accountId: number, passwordHash: string, now: Date): Promise<number> {
  const iso = now.toISOString();
  return db('accounts')
    .where({ id: accountId, kind: 'staff', status: 'pending' })
    .update({ password_hash: passwordHash, status: 'active', activated_at: iso, updated_at: iso });
}

// ------------------------------------------------------------------ trusted devices
export async function findTrustedDevice(db: Db, accountId: number, tokenHash: string) {
  return db('trusted_devices').where({ account_id: accountId, token_hash: tokenHash }).whereNull('revoked_at').first();
}

export async function addTrustedDevice(db: Db, accountId: number, tokenHash: string, userAgent: string | undefined, now: Date): Promise<void> {
  await db('trusted_devices').insert({
    account_id: accountId,
    token_hash: tokenHash,
    user_agent: userAgent?.slice(0, 500) ?? null,
    created_at: now.toISOString(),
    last_used_at: now.toISOString(),
    revoked_at: null,
  });
}

export async function touchTrustedDevice(db: Db, id: number, now: Date): Promise<void> {
  await db('trusted_devices').where({ id }).update({ last_used_at: now.toISOString() });
}

export async function revokeTrustedDevices(db: Db, accountId: number, now: Date): Promise<void> {
  await db('trusted_devices').where({ account_id: accountId }).whereNull('revoked_at').update({ revoked_at: now.toISOString() });
}

// ------------------------------------------------------------------ link tokens
export type LinkPurpose = 'password_reset' | 'password_creation' | 'email_confirmation' | 'access_refusal';

/**
 * A new link kills the previous unused links of the same purpose for the account. The account's
 * row is locked first: on PostgreSQL (READ COMMITTED) two links issued at the same moment (« Renvoyer
 * le lien » clicked twice, two « Mot de passe oublié ») would each revoke what was committed before
 * them and neither would see the other's new link — two live links. Under the lock the second
 * transaction's revoke sees the first one's link. SQLite runs one transaction at a time (src/db.ts).
 */
export async function createLinkToken(db: Db, accountId: number, purpose: LinkPurpose, tokenHash: string, ttlMs: number, now: Date): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('accounts').where({ id: accountId }).forUpdate().first('id');
    await trx('link_tokens').where({ account_id: accountId, purpose }).whereNull('used_at').whereNull('revoked_at').update({ revoked_at: now.toISOString() });
    await trx('link_tokens').insert({
      purpose,
      account_id: accountId,
      token_hash: tokenHash,
      expires_at: new Date(now.getTime() + ttlMs).toISOString(),
      used_at: null,
      revoked_at: null,
      created_at: now.toISOString(),
    });
  });
}

export async function findUsableLinkToken(db: Db, purpose: LinkPurpose, tokenHash: string, now: Date) {
  return db('link_tokens')
    .where({ purpose, token_hash: tokenHash })
    .whereNull('used_at')
    .whereNull('revoked_at')
    .where('expires_at', '>', now.toISOString())
    .first();
}

export async function markLinkTokenUsed(db: Db, id: number, now: Date): Promise<number> {
  // The WHERE makes a double submission use the link once only, and a link revoked (a newer link
  // sent) or expired while the new password was being hashed is not used after all.
  return db('link_tokens')
    .where({ id })
    .whereNull('used_at')
    .whereNull('revoked_at')
    .where('expires_at', '>', now.toISOString())
    .update({ used_at: now.toISOString() });
}

export interface HrCompany {
  id: number;
  name: string;
  siren: string;
  role: 'admin' | 'user';
}

/** The companies an HR account may work on now (active habilitations), by name. */
const activeHrCompanies = preparedQuery((db, accountId: number) =>
  db('hr_habilitations as h')
    .join('companies as c', 'c.id', 'h.company_id')
    .where({ 'h.account_id': accountId, 'h.status': 'active' })
    .orderBy('c.name')
    .select('c.id', 'c.name', 'c.siren', 'h.role'),
);

/** Read on every request of the Espace Entreprise (requireAccount). */
export async function findActiveHrCompanies(db: Db, accountId: number): Promise<HrCompany[]> {
  return activeHrCompanies<HrCompany>(db, accountId);
}

// Knex only: the users an administrator manages and their habilitations.
import type { Knex } from 'knex';
import { insertedId, isUniqueViolation, type Db } from '../../db.js';
import type { HrRole } from '../../domain/habilitations.js';

interface ManagedHabilitation {
  account_id: number;
  company_id: number;
  company_name: string;
  role: HrRole;
  status: 'active' | 'suspended';
}

export interface ManagedUser {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  mobile: string | null;
  status: string;
  habilitations: ManagedHabilitation[];
}

/** Every HR user with a habilitation on one of these companies, with those habilitations. */
export async function findManagedUsers(db: Db, companyIds: number[], accountId?: number): Promise<ManagedUser[]> {
  if (!companyIds.length) return [];
  const query = db('hr_habilitations as h')
    .join('accounts as a', 'a.id', 'h.account_id')
    .join('companies as c', 'c.id', 'h.company_id')
    .whereIn('h.company_id', companyIds)
    .where('a.kind', 'hr')
    .orderBy(['a.last_name', 'a.first_name', 'a.id', 'c.name'])
    .select(
      'a.id',
      'a.email',
      'a.first_name',
      'a.last_name',
      'a.mobile',
      'a.status',
      'h.company_id',
      'c.name as company_name',
      'h.role',
      'h.status as habilitation_status',
    );
  if (accountId) query.where('a.id', accountId);
  const rows: (Omit<ManagedUser, 'habilitations'> & { company_id: number; company_name: string; role: HrRole; habilitation_status: 'active' | 'suspended' })[] =
    await query;
  const users = new Map<number, ManagedUser>();
  for (const r of rows) {
    let user = users.get(r.id);
    if (!user) {
      user = { id: r.id, email: r.email, first_name: r.first_name, last_name: r.last_name, mobile: r.mobile, status: r.status, habilitations: [] };
      users.set(r.id, user);
    }
    user.habilitations.push({ account_id: r.id, company_id: r.company_id, company_name: r.company_name, role: r.role, status: r.habilitation_status });
  }
  return [...users.values()];
}

/** Active administrators (habilitation and account active) per company. */
export async function countActiveAdmins(db: Db | Knex.Transaction, companyIds: number[]): Promise<Map<number, number>> {
  if (!companyIds.length) return new Map();
  const rows: { company_id: number; n: number | string }[] = await db('hr_habilitations as h')
    .join('accounts as a', 'a.id', 'h.account_id')
    .whereIn('h.company_id', companyIds)
    .where({ 'h.role': 'admin', 'h.status': 'active', 'a.status': 'active' })
    .groupBy('h.company_id')
    .select('h.company_id', db.raw('count(*) as n'));
  return new Map(rows.map((r) => [r.company_id, Number(r.n)]));
}

export async function findHrAccountByEmail(db: Db, email: string): Promise<{ id: number; status: string } | undefined> {
  return db('accounts').where({ kind: 'hr', email }).first('id', 'status');
}

export interface NewHrUser {
  email: string;
  firstName: string;
  lastName: string;
  mobile: string | null;
}

export interface GrantResult {
  accountId: number;
  /** True when the account is (again) a fresh invitation: created now, or a closed account reopened. */
  invitation: boolean;
  /** The habilitations created, per company (one granted at the same moment by someone else is absent). */
  habilitationIds: Map<number, number>;
}

/**
 * Locks an HR account's row until the transaction ends, and reads it. Every transaction that
 * gives an account an access, takes one away or changes who the account is takes this lock
 * first: on PostgreSQL (READ COMMITTED) a guard such as updateHrIdentity's « reaches no other
 * company » cannot see a habilitation inserted by a transaction not yet committed, and a row
 * read without a lock may change under the writer. Taken first, the lock makes the statements
 * after it see whatever the other transaction committed. On SQLite the app's one connection runs
 * one transaction at a time (src/db.ts), and FOR UPDATE compiles to nothing.
 */
function lockAccount(trx: Knex.Transaction, where: { id: number } | { email: string }): Promise<{ id: number; status: string; email: string } | undefined> {
  return trx('accounts')
    .where({ kind: 'hr', ...where })
    .forUpdate()
    .first('id', 'status', 'email');
}

/**
 * The account of this email, locked: created pending, without password, when there is none. A
 * closed account (disabled, no access left anywhere) is reopened as a new invitation: the confirm
 * page of « Désactiver définitivement » says that adding the person again is how access comes
 * back, and an invitation must look the same whatever the address had been before. Reopening
 * forgets what belonged to the former account (password, notifications, trusted browsers, links).
 */
async function accountToGrant(trx: Knex.Transaction, user: NewHrUser, iso: string): Promise<{ id: number; invitation: boolean }> {
  let account = await lockAccount(trx, { email: user.email });
  if (!account) {
    // Two administrators inviting the same address at once: the second insert waits for the
    // first, then does nothing, and both go on with the one account.
    const inserted = await trx('accounts')
      .insert({
        kind: 'hr',
        email: user.email,
        password_hash: null,
        status: 'pending',
        first_name: user.firstName,
        last_name: user.lastName,
        mobile: user.mobile,
        created_at: iso,
        updated_at: iso,
      })
      .onConflict(['kind', 'email'])
      .ignore()
      .returning('id');
    if (inserted.length) return { id: insertedId(inserted[0]), invitation: true };
    account = await lockAccount(trx, { email: user.email });
  }
  return { id: account!.id, invitation: await reopenIfClosed(trx, account!, user, iso) };
}

/** Reopens a locked account that is closed with no access left as a new invitation; true if it did. */
async function reopenIfClosed(trx: Knex.Transaction, account: { id: number; status: string }, user: NewHrUser, iso: string): Promise<boolean> {
  if (account.status !== 'disabled') return false;
  const [{ n }] = await trx('hr_habilitations').where({ account_id: account.id }).count({ n: '*' });
  if (Number(n) !== 0) return false;
  await trx('accounts').where({ id: account.id, status: 'disabled' }).update({
    status: 'pending',
    password_hash: null,
    first_name: user.firstName,
    last_name: user.lastName,
    mobile: user.mobile,
    cgu_accepted_at: null,
    activated_at: null,
    disabled_at: null,
    last_login_at: null,
    last_verified_login_at: null,
    last_verified_ip: null,
    sessions_revoked_at: iso,
    updated_at: iso,
  });
  await trx('notifications').where({ account_id: account.id }).delete();
  await trx('trusted_devices').where({ account_id: account.id }).whereNull('revoked_at').update({ revoked_at: iso });
  await trx('link_tokens').where({ account_id: account.id }).whereNull('used_at').whereNull('revoked_at').update({ revoked_at: iso });
  return true;
}

/**
 * Habilitations on the given companies (one already there is kept as it is) and, as « périmètre
 * suivi », the establishments of those companies the granter follows. The ids created, per company.
 */
async function insertHabilitations(
  trx: Knex.Transaction,
  accountId: number,
  grants: { companyId: number; role: HrRole; status?: 'active' | 'suspended' }[],
  granterId: number,
  iso: string,
): Promise<Map<number, number>> {
  const habilitationIds = new Map<number, number>();
  for (const grant of grants) {
    const rows = await trx('hr_habilitations')
      .insert({
        account_id: accountId,
        company_id: grant.companyId,
        role: grant.role,
        status: grant.status ?? 'active',
        granted_by_account_id: granterId,
        created_at: iso,
        updated_at: iso,
      })
      .onConflict(['account_id', 'company_id'])
      .ignore()
      .returning('id');
    if (rows.length) habilitationIds.set(grant.companyId, insertedId(rows[0]));
  }
  const establishments: { id: number }[] = await trx('hr_perimeter as p')
    .join('establishments as e', 'e.id', 'p.establishment_id')
    .where('p.account_id', granterId)
    .whereIn(
      'e.company_id',
      grants.map((g) => g.companyId),
    )
    .whereNotIn('e.id', trx('hr_perimeter').where('account_id', accountId).select('establishment_id'))
    .select('e.id');
  if (establishments.length) {
    await trx('hr_perimeter').insert(establishments.map((e) => ({ account_id: accountId, establishment_id: e.id, added_at: iso })));
  }
  return habilitationIds;
}

/** Removes an account's habilitation on one company and its perimeter there. */
async function deleteHabilitation(trx: Knex.Transaction, accountId: number, companyId: number): Promise<void> {
  await trx('hr_habilitations').where({ account_id: accountId, company_id: companyId }).delete();
  await trx('hr_perimeter')
    .where('account_id', accountId)
    .whereIn('establishment_id', trx('establishments').where('company_id', companyId).select('id'))
    .delete();
}

/**
 * Closes an account left with no access anywhere, in one conditional statement (run in the
 * transaction that removed the access, after lockAccount): sessions end at their next request
 * (sessions_revoked_at). True when it closed the account; the caller audits it then only.
 */
async function closeIfNoAccessLeft(trx: Knex.Transaction, accountId: number, iso: string): Promise<boolean> {
  const closed = await trx('accounts')
    .where({ id: accountId, kind: 'hr' })
    .whereNot('status', 'disabled')
    .whereNotExists(trx('hr_habilitations').where('account_id', accountId).select(trx.raw('1')))
    .update({ status: 'disabled', disabled_at: iso, sessions_revoked_at: iso, updated_at: iso });
  return closed === 1;
}

/**
 * The account of this email (found, created, or reopened: accountToGrant), its habilitations on
 * the given companies and the granter's perimeter there, in one transaction.
 */
export async function grantAccess(db: Db, user: NewHrUser, grants: { companyId: number; role: HrRole }[], granterId: number, now: Date): Promise<GrantResult> {
  const iso = now.toISOString();
  return db.transaction(async (trx) => {
    const { id: accountId, invitation } = await accountToGrant(trx, user, iso);
    const habilitationIds = await insertHabilitations(trx, accountId, grants, granterId, iso);
    return { accountId, invitation, habilitationIds };
  });
}

export interface AccessUpdate {
  companyId: number;
  role: HrRole | 'none';
  status: 'active' | 'suspended' | null;
}

/** Thrown (and the transaction rolled back) when a change would leave a company without an active administrator. */
export class LastAdministratorError extends Error {
  constructor(readonly companyId: number) {
    super(`company ${companyId} would have no active administrator`);
  }
}

export interface AppliedUpdates {
  /** The habilitations created (a company the account had no access to), per company. */
  granted: Map<number, number>;
  /** True when the account had no access left and was closed (closeWhenNoAccessLeft). */
  closed: boolean;
}

/**
 * Applies role / status changes on companies; 'none' removes the habilitation and the perimeter
 * there. The pages check the rules first; the administrator count is checked again here, after
 * the changes and inside the transaction, because two administrators may demote each other at
 * the same moment, each page having seen two administrators. With closeWhenNoAccessLeft, an
 * account left with no access anywhere is closed by the same transaction.
 */
export async function applyAccessUpdates(
  db: Db,
  accountId: number,
  updates: AccessUpdate[],
  granterId: number,
  now: Date,
  options: { closeWhenNoAccessLeft?: boolean } = {},
): Promise<AppliedUpdates> {
  const iso = now.toISOString();
  return db.transaction(async (trx) => {
    // The account first (see lockAccount), then the companies: the order every transaction here takes.
    await lockAccount(trx, { id: accountId });
    // PostgreSQL: one change of administrators per company at a time (SQLite writes one at a time anyway).
    if (trx.client.config.client === 'pg') {
      await trx('companies')
        .whereIn(
          'id',
          updates.map((u) => u.companyId),
        )
        .orderBy('id')
        .forUpdate()
        .select('id');
    }
    const granted = new Map<number, number>();
    for (const u of updates) {
      if (u.role === 'none') {
        await deleteHabilitation(trx, accountId, u.companyId);
        continue;
      }
      const updated = await trx('hr_habilitations')
        .where({ account_id: accountId, company_id: u.companyId })
        .update({ role: u.role, status: u.status ?? 'active', updated_at: iso });
      if (!updated) {
        const ids = await insertHabilitations(trx, accountId, [{ companyId: u.companyId, role: u.role, status: u.status ?? 'active' }], granterId, iso);
        for (const [companyId, id] of ids) granted.set(companyId, id);
      }
    }
    const admins = await countActiveAdmins(
      trx,
      updates.map((u) => u.companyId),
    );
    const orphan = updates.find((u) => !admins.get(u.companyId));
    if (orphan) throw new LastAdministratorError(orphan.companyId);
    const closed = options.closeWhenNoAccessLeft ? await closeIfNoAccessLeft(trx, accountId, iso) : false;
    return { granted, closed };
  });
}

/** Every company an account can reach: its habilitations anywhere, active or suspended. */
export async function findReachableCompanyIds(db: Db, accountId: number): Promise<number[]> {
  const rows: { company_id: number }[] = await db('hr_habilitations').where({ account_id: accountId }).select('company_id');
  return rows.map((r) => r.company_id);
}

export interface IdentityFields {
  first_name: string;
  last_name: string;
  mobile: string | null;
  email?: string;
}

/**
 * The rule of who may change who an account is, inside a transaction that holds the account's
 * lock: it is (still) open — pending when its email changes — and reaches no company outside
 * `adminOf` (an access granted elsewhere in the meantime wins).
 */
async function identityStillEditable(trx: Knex.Transaction, accountId: number, adminOf: number[], statuses: string[]): Promise<boolean> {
  const row = await trx('accounts')
    .where({ id: accountId, kind: 'hr' })
    .whereIn('status', statuses)
    .whereNotExists(trx('hr_habilitations as h').where('h.account_id', accountId).whereNotIn('h.company_id', adminOf).select(trx.raw('1')))
    .first('id');
  return Boolean(row);
}

/**
 * Changes who an account is (names, mobile, the email of a pending invitation), only while it
 * reaches no company outside `adminOf`, checked under the account's lock (lockAccount). A new
 * email revokes every link already sent (password creation, refusal of an access…) in the same
 * transaction. False when the rule refused. An email that may belong to another account goes
 * through changeInvitationEmail.
 */
export async function updateHrIdentity(db: Db, accountId: number, fields: IdentityFields, adminOf: number[], now: Date): Promise<boolean> {
  return db.transaction(async (trx) => {
    await lockAccount(trx, { id: accountId });
    if (!(await identityStillEditable(trx, accountId, adminOf, fields.email ? ['pending'] : ['pending', 'active']))) return false;
    await writeIdentity(trx, accountId, fields, now.toISOString());
    return true;
  });
}

async function writeIdentity(trx: Knex.Transaction, accountId: number, fields: IdentityFields, iso: string): Promise<void> {
  await trx('accounts')
    .where({ id: accountId })
    .update({ ...fields, updated_at: iso });
  if (fields.email) {
    await trx('link_tokens').where({ account_id: accountId }).whereNull('used_at').whereNull('revoked_at').update({ revoked_at: iso });
  }
}

export type EmailChange =
  /** Given access to a company outside the administrator's in the meantime: nothing changed. */
  | { outcome: 'locked' }
  /** The invitation now has the new address (and the typed names and mobile). */
  | { outcome: 'changed' }
  /**
   * The address already had an account: that account got the invitation's accesses (the ones
   * created are listed; `invitation` when it was closed and is reopened as a new invitation),
   * and the invitation was withdrawn (its accesses and links gone, closed when nothing is left).
   */
  | { outcome: 'merged'; accountId: number; invitation: boolean; granted: { companyId: number; habilitationId: number; role: HrRole }[]; closed: boolean };

/** The address changed hands between the first read and the locks: the transaction is played again. */
class EmailOwnerChanged extends Error {}

/**
 * A new email for a pending invitation: when no account has it, the invitation
 * takes it; when one has it, the answer must not tell (an administrator could otherwise test any
 * address), so that account is given the invitation's accesses — as « Ajouter un utilisateur »
 * does for an existing address — and the invitation is withdrawn. One transaction, with both
 * accounts locked in id order; the rule of identityStillEditable is checked under the locks.
 * Two administrators giving the same address at once (two invitations, or an invitation and a
 * new user) meet the unique (kind, email): the transaction is played again and finds the account.
 */
export async function changeInvitationEmail(
  db: Db,
  invitationId: number,
  fields: IdentityFields & { email: string },
  adminOf: number[],
  granterId: number,
  now: Date,
): Promise<EmailChange> {
  const iso = now.toISOString();
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (trx): Promise<EmailChange> => {
        const seen = await trx('accounts').where({ kind: 'hr', email: fields.email }).first('id');
        const ids = [invitationId, ...(seen && seen.id !== invitationId ? [seen.id] : [])].sort((a, b) => a - b);
        await trx('accounts').whereIn('id', ids).orderBy('id').forUpdate().select('id');
        if (!(await identityStillEditable(trx, invitationId, adminOf, ['pending']))) return { outcome: 'locked' };
        const owner = await trx('accounts').where({ kind: 'hr', email: fields.email }).first('id', 'status');
        if ((owner?.id ?? null) !== (seen?.id ?? null)) throw new EmailOwnerChanged();
        if (!owner || owner.id === invitationId) {
          await writeIdentity(trx, invitationId, fields, iso);
          return { outcome: 'changed' };
        }
        const invitation = await reopenIfClosed(
          trx,
          owner,
          { email: fields.email, firstName: fields.first_name, lastName: fields.last_name, mobile: fields.mobile },
          iso,
        );
        const held: { company_id: number; role: HrRole; status: 'active' | 'suspended' }[] = await trx('hr_habilitations')
          .where({ account_id: invitationId })
          .orderBy('company_id')
          .select('company_id', 'role', 'status');
        const created = await insertHabilitations(
          trx,
          owner.id,
          held.map((h) => ({ companyId: h.company_id, role: h.role, status: h.status })),
          granterId,
          iso,
        );
        for (const h of held) await deleteHabilitation(trx, invitationId, h.company_id);
        await trx('link_tokens').where({ account_id: invitationId }).whereNull('used_at').whereNull('revoked_at').update({ revoked_at: iso });
        const closed = await closeIfNoAccessLeft(trx, invitationId, iso);
        const granted = held
          .filter((h) => created.has(h.company_id))
          .map((h) => ({ companyId: h.company_id, habilitationId: created.get(h.company_id)!, role: h.role }));
        return { outcome: 'merged', accountId: owner.id, invitation, granted, closed };
      });
    } catch (err) {
      if (attempt >= 3 || !(isUniqueViolation(err) || err instanceof EmailOwnerChanged)) throw err;
    }
  }
}

// ------------------------------------------------------------------ « Refuser cet accès » links
/** A refusal link for one habilitation (several may be alive at once: one per access granted). */
export async function createRefusalLink(db: Db, accountId: number, habilitationId: number, tokenHash: string, ttlMs: number, now: Date): Promise<void> {
  await db('link_tokens').insert({
    purpose: 'access_refusal',
    account_id: accountId,
    habilitation_id: habilitationId,
    token_hash: tokenHash,
    expires_at: new Date(now.getTime() + ttlMs).toISOString(),
    used_at: null,
    revoked_at: null,
    created_at: now.toISOString(),
  });
}

export interface RefusableAccess {
  linkId: number;
  habilitationId: number;
  accountId: number;
  accountStatus: string;
  firstName: string;
  companyId: number;
  companyName: string;
  grantedBy: number | null;
}

/** The access a refusal link removes, while the link is unused, unrevoked, unexpired and the access still exists. */
export async function findRefusableAccess(db: Db, tokenHash: string, now: Date): Promise<RefusableAccess | undefined> {
  return db('link_tokens as l')
    .join('hr_habilitations as h', 'h.id', 'l.habilitation_id')
    .join('accounts as a', 'a.id', 'h.account_id')
    .join('companies as c', 'c.id', 'h.company_id')
    .where({ 'l.purpose': 'access_refusal', 'l.token_hash': tokenHash })
    .whereRaw('l.account_id = h.account_id')
    .whereNull('l.used_at')
    .whereNull('l.revoked_at')
    .where('l.expires_at', '>', now.toISOString())
    .whereIn('a.status', ['pending', 'active'])
    .first(
      'l.id as linkId',
      'h.id as habilitationId',
      'a.id as accountId',
      'a.status as accountStatus',
      'a.first_name as firstName',
      'c.id as companyId',
      'c.name as companyName',
      'h.granted_by_account_id as grantedBy',
    );
}

/**
 * Uses the link and removes the access it names (habilitation and perimeter on that company),
 * in one transaction; null when the link was used meanwhile (a double submission removes once).
 * The owner's refusal is not subject to the last-administrator rule of applyAccessUpdates: an
 * access someone never wanted is not kept against their will. An account left with no access
 * anywhere is closed by the same transaction (`closed`).
 */
export async function refuseAccess(db: Db, access: RefusableAccess, now: Date): Promise<{ closed: boolean } | null> {
  const iso = now.toISOString();
  return db.transaction(async (trx) => {
    await lockAccount(trx, { id: access.accountId });
    const used = await trx('link_tokens').where({ id: access.linkId }).whereNull('used_at').whereNull('revoked_at').update({ used_at: iso });
    if (used !== 1) return null;
    await trx('hr_habilitations').where({ id: access.habilitationId }).delete();
    await trx('hr_perimeter')
      .where('account_id', access.accountId)
      .whereIn('establishment_id', trx('establishments').where('company_id', access.companyId).select('id'))
      .delete();
    return { closed: await closeIfNoAccessLeft(trx, access.accountId, iso) };
  });
}

// Knex only: the users an administrator manages and their habilitations.
import type { Knex } from 'knex';
import { insertedId, type Db } from '../../db.js';
import type { HrRole } from '../../domain/habilitations.js';

export interface ManagedHabilitation {
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
    .select('a.id', 'a.email', 'a.first_name', 'a.last_name', 'a.mobile', 'a.status', 'h.company_id', 'c.name as company_name', 'h.role', 'h.status as habilitation_status');
  if (accountId) query.where('a.id', accountId);
  const rows: (Omit<ManagedUser, 'habilitations'> & { company_id: number; company_name: string; role: HrRole; habilitation_status: 'active' | 'suspended' })[] = await query;
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
 * The account, its habilitations on the given companies and, as « périmètre suivi », the
 * establishments of those companies the administrator follows — in one transaction. The account
 * is created pending, without password, unless one exists with this email. A closed account
 * (disabled, no access left anywhere) is reopened as a new invitation: the confirm page of
 * « Désactiver définitivement » says that adding the person again is how access comes back, and
 * an invitation must look the same whatever the address had been before. Reopening forgets what
 * belonged to the former account (password, notifications, trusted browsers, links).
 */
export async function grantAccess(
  db: Db,
  user: NewHrUser,
  grants: { companyId: number; role: HrRole }[],
  granterId: number,
  now: Date,
): Promise<GrantResult> {
  const iso = now.toISOString();
  return db.transaction(async (trx) => {
    let invitation = false;
    let account: { id: number; status: string } | undefined = await trx('accounts').where({ kind: 'hr', email: user.email }).first('id', 'status');
    if (!account) {
      // Two administrators inviting the same address at once: the second insert does nothing
      // and both go on with the one account.
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
      invitation = inserted.length > 0;
      account = invitation ? { id: insertedId(inserted[0]), status: 'pending' } : await trx('accounts').where({ kind: 'hr', email: user.email }).first('id', 'status');
    }
    const accountId = account!.id;
    if (account!.status === 'disabled') {
      const [{ n }] = await trx('hr_habilitations').where({ account_id: accountId }).count({ n: '*' });
      if (Number(n) === 0) {
        await trx('accounts').where({ id: accountId, status: 'disabled' }).update({
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
        await trx('notifications').where({ account_id: accountId }).delete();
        await trx('trusted_devices').where({ account_id: accountId }).whereNull('revoked_at').update({ revoked_at: iso });
        await trx('link_tokens').where({ account_id: accountId }).whereNull('used_at').whereNull('revoked_at').update({ revoked_at: iso });
        invitation = true;
      }
    }
    const habilitationIds = new Map<number, number>();
    for (const grant of grants) {
      const rows = await trx('hr_habilitations')
        .insert({
          account_id: accountId,
          company_id: grant.companyId,
          role: grant.role,
          status: 'active',
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

/**
 * Applies role / status changes on companies; 'none' removes the habilitation and the perimeter
 * there. The pages check the rules first; the administrator count is checked again here, after
 * the changes and inside the transaction, because two administrators may demote each other at
 * the same moment, each page having seen two administrators.
 */
export async function applyAccessUpdates(db: Db, accountId: number, updates: AccessUpdate[], granterId: number, now: Date): Promise<void> {
  const iso = now.toISOString();
  await db.transaction(async (trx) => {
    // PostgreSQL: one change of administrators per company at a time (SQLite writes one at a time anyway).
    if (trx.client.config.client === 'pg') {
      await trx('companies').whereIn('id', updates.map((u) => u.companyId)).orderBy('id').forUpdate().select('id');
    }
    for (const u of updates) {
      if (u.role === 'none') {
        await trx('hr_habilitations').where({ account_id: accountId, company_id: u.companyId }).delete();
        await trx('hr_perimeter')
          .where('account_id', accountId)
          .whereIn('establishment_id', trx('establishments').where('company_id', u.companyId).select('id'))
          .delete();
        continue;
      }
      const updated = await trx('hr_habilitations')
        .where({ account_id: accountId, company_id: u.companyId })
        .update({ role: u.role, status: u.status ?? 'active', updated_at: iso });
      if (!updated) {
        await trx('hr_habilitations').insert({ account_id: accountId, company_id: u.companyId, role: u.role, status: u.status ?? 'active', granted_by_account_id: granterId, created_at: iso, updated_at: iso });
        const establishments: { id: number }[] = await trx('hr_perimeter as p')
          .join('establishments as e', 'e.id', 'p.establishment_id')
          .where({ 'p.account_id': granterId, 'e.company_id': u.companyId })
          .select('e.id');
        if (establishments.length) await trx('hr_perimeter').insert(establishments.map((e) => ({ account_id: accountId, establishment_id: e.id, added_at: iso })));
      }
    }
    const admins = await countActiveAdmins(
      trx,
      updates.map((u) => u.companyId),
    );
    const orphan = updates.find((u) => !admins.get(u.companyId));
    if (orphan) throw new LastAdministratorError(orphan.companyId);
  });
}

export async function countHabilitations(db: Db, accountId: number): Promise<number> {
  const [{ n }] = await db('hr_habilitations').where({ account_id: accountId }).count({ n: '*' });
  return Number(n);
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
 * Changes who an account is (names, mobile, the email of a pending invitation), only while it
 * reaches no company outside `adminOf` — checked by the UPDATE itself, so access granted
 * elsewhere in the meantime wins. A new email revokes every link already sent (password
 * creation, refusal of an access…) in the same transaction. False when the rule refused.
 */
export async function updateHrIdentity(db: Db, accountId: number, fields: IdentityFields, adminOf: number[], now: Date): Promise<boolean> {
  const iso = now.toISOString();
  return db.transaction(async (trx) => {
    const updated = await trx('accounts')
      .where({ id: accountId, kind: 'hr' })
      .whereIn('status', fields.email ? ['pending'] : ['pending', 'active'])
      .whereNotExists(trx('hr_habilitations as h').where('h.account_id', accountId).whereNotIn('h.company_id', adminOf).select(trx.raw('1')))
      .update({ ...fields, updated_at: iso });
    if (updated !== 1) return false;
    if (fields.email) {
      await trx('link_tokens').where({ account_id: accountId }).whereNull('used_at').whereNull('revoked_at').update({ revoked_at: iso });
    }
    return true;
  });
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
 * in one transaction; false when the link was used meanwhile (a double submission removes once).
 * The owner's refusal is not subject to the last-administrator rule of applyAccessUpdates: an
 * access someone never wanted is not kept against their will.
 */
export async function refuseAccess(db: Db, access: RefusableAccess, now: Date): Promise<boolean> {
  return db.transaction(async (trx) => {
    const used = await trx('link_tokens').where({ id: access.linkId }).whereNull('used_at').whereNull('revoked_at').update({ used_at: now.toISOString() });
    if (used !== 1) return false;
    await trx('hr_habilitations').where({ id: access.habilitationId }).delete();
    await trx('hr_perimeter')
      .where('account_id', access.accountId)
      .whereIn('establishment_id', trx('establishments').where('company_id', access.companyId).select('id'))
      .delete();
    return true;
  });
}

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

/**
 * The account (created pending, without password, unless it exists), its habilitations on the
 * given companies and, as « périmètre suivi », the establishments of those companies the
 * administrator follows — in one transaction.
 */
export async function grantAccess(
  db: Db,
  user: NewHrUser,
  existingAccountId: number | null,
  grants: { companyId: number; role: HrRole }[],
  granterId: number,
  now: Date,
): Promise<number> {
  const iso = now.toISOString();
  return db.transaction(async (trx) => {
    let accountId = existingAccountId;
    if (!accountId) {
      const [row] = await trx('accounts')
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
        .returning('id');
      accountId = insertedId(row);
    }
    for (const grant of grants) {
      await trx('hr_habilitations').insert({
        account_id: accountId,
        company_id: grant.companyId,
        role: grant.role,
        status: 'active',
        granted_by_account_id: granterId,
        created_at: iso,
        updated_at: iso,
      });
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
    return accountId;
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

export async function updateHrProfile(db: Db, accountId: number, fields: { first_name: string; last_name: string; mobile: string | null; email?: string }, now: Date): Promise<void> {
  await db('accounts').where({ id: accountId, kind: 'hr' }).update({ ...fields, updated_at: now.toISOString() });
}

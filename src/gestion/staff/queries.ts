// Knex only: the staff accounts of « Comptes » and the changes a superviseur makes to them.
import type { Knex } from 'knex';
import { isPostgres, type Db } from '../../db.js';
import { STAFF_MESSAGES, refuseStaffAction, type StaffAction, type StaffRole, type StaffStatus } from '../../domain/staff-accounts.js';

export interface StaffAccountRow {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  mobile: string | null;
  staff_role: StaffRole;
  status: StaffStatus;
  last_login_at: string | null;
}

const COLUMNS = ['id', 'email', 'first_name', 'last_name', 'mobile', 'staff_role', 'status', 'last_login_at'] as const;

/** Every staff account, the deactivated ones last, then by name. A few dozen rows: no paging. */
export async function findStaffAccounts(db: Db): Promise<StaffAccountRow[]> {
  return db('accounts')
    .where({ kind: 'staff' })
    .orderByRaw("CASE WHEN status = 'disabled' THEN 1 ELSE 0 END")
    .orderBy(['last_name', 'first_name', 'id'])
    .select([...COLUMNS]);
}

export async function findStaffAccount(db: Db | Knex.Transaction, id: number): Promise<StaffAccountRow | undefined> {
  return db('accounts')
    .where({ kind: 'staff', id })
    .first([...COLUMNS]);
}

export type StaffChange = { action: 'role'; role: StaffRole } | { action: Exclude<StaffAction, 'role' | 'resend'> };

export type StaffChangeResult = { ok: true; before: StaffAccountRow } | { ok: false; message: string } | { ok: false; missing: true };

const NEXT_STATUS: Record<Exclude<StaffAction, 'role' | 'resend'>, StaffStatus> = {
  suspend: 'suspended',
  reactivate: 'active',
  deactivate: 'disabled',
};

/**
 * Applies a superviseur's change to a staff account, with the rules of
 * src/domain/staff-accounts.ts checked in the same transaction: « never the last active
 * superviseur » counts the active superviseurs there. On PostgreSQL (READ COMMITTED) two
 * superviseurs suspending each other at once would each count two; every change takes the same
 * transaction-scoped advisory lock first, so the second one counts after the first committed.
 * On SQLite the app's one connection runs one transaction at a time (src/db.ts). The actor must
 * still be an active superviseur there, so a removal always leaves one (the actor) besides the target.
 * A suspension or deactivation ends the account's sessions (sessions_revoked_at; the session guard
 * src/auth/session.ts also refuses any account that is not active).
 */
export async function applyStaffChange(db: Db, targetId: number, actorId: number, change: StaffChange, now: Date): Promise<StaffChangeResult> {
  const iso = now.toISOString();
  return db.transaction(async (trx) => {
    if (isPostgres(db)) await trx.raw("SELECT pg_advisory_xact_lock(hashtext('staff_accounts'))");
    // The actor too is read under the lock: a superviseur suspended or demoted a moment ago acts no more.
    const actor = await findStaffAccount(trx, actorId);
    if (actor?.status !== 'active' || actor.staff_role !== 'superviseur') return { ok: false, message: STAFF_MESSAGES.actorNotSupervisor } as const;
    const before = await findStaffAccount(trx, targetId);
    if (!before) return { ok: false, missing: true } as const;
    const [{ n }] = await trx('accounts').where({ kind: 'staff', staff_role: 'superviseur', status: 'active' }).count({ n: '*' });
    const refusal = refuseStaffAction(
      change.action,
      { id: before.id, status: before.status, role: before.staff_role },
      actorId,
      Number(n),
      change.action === 'role' ? change.role : undefined,
    );
    if (refusal) return { ok: false, message: refusal } as const;
    if (change.action === 'role') {
      await trx('accounts').where({ id: targetId }).update({ staff_role: change.role, updated_at: iso });
    } else {
      const status = NEXT_STATUS[change.action];
      await trx('accounts')
        .where({ id: targetId })
        .update({
          status,
          updated_at: iso,
          ...(status === 'active' ? {} : { sessions_revoked_at: iso }),
          ...(status === 'disabled' ? { disabled_at: iso } : {}),
        });
      // A deactivated invitation's link must not work any more (the creation page wants 'pending' anyway).
      if (status === 'disabled')
        await trx('link_tokens').where({ account_id: targetId }).whereNull('used_at').whereNull('revoked_at').update({ revoked_at: iso });
    }
    return { ok: true, before } as const;
  });
}

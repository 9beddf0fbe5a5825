// Knex only: the HR user's own account.
import type { Db } from '../../db.js';

export async function updateHrNames(db: Db, accountId: number, lastName: string, firstName: string, now: Date): Promise<void> {
  await db('accounts').where({ id: accountId, kind: 'hr' }).update({ last_name: lastName, first_name: firstName, updated_at: now.toISOString() });
}

/** The login email of an HR account (unique per kind: throws if another HR account has it). */
export async function updateHrEmail(db: Db, accountId: number, email: string, now: Date): Promise<void> {
  await db('accounts').where({ id: accountId, kind: 'hr' }).update({ email, updated_at: now.toISOString() });
}

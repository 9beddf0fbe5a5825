// Knex only: the HR user's own account.
import type { Db } from '../../db.js';

export async function updateHrNames(db: Db, accountId: number, lastName: string, firstName: string, now: Date): Promise<void> {
  await db('accounts').where({ id: accountId, kind: 'hr' }).update({ last_name: lastName, first_name: firstName, updated_at: now.toISOString() });
}

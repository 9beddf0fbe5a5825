// Knex only: what the readiness probe and the metrics read (src/observability/probes.ts, metrics.ts).
import type { Db } from '../db.js';

/** One round trip to the database. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.raw('SELECT 1');
}

/** The migrations this database has applied (Knex's own table, filled by migrateLatest of src/db.ts). */
export async function appliedMigrationNames(db: Db): Promise<string[]> {
  return db('knex_migrations').pluck('name');
}

/** Messages waiting in the outbox (status « pending », src/stores/outbox.ts). */
export async function pendingOutboxCount(db: Db): Promise<number> {
  const [{ n }] = await db('outbox').where({ status: 'pending' }).count({ n: '*' });
  return Number(n);
}

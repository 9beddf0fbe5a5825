// Knex only: the purges of the periodic housekeeping (src/jobs.ts, which says when and with which
// cut-off). Each one is a single idempotent statement, safe when several instances run it at once.
import type { Db } from './db.js';

/** express-session rows past their expiry. */
export async function purgeExpiredSessions(db: Db, now: Date): Promise<void> {
  await db('sessions').where('expired', '<', now.toISOString()).delete();
}

/** One-time codes that expired before `before`. */
export async function purgeOneTimeCodes(db: Db, before: Date): Promise<void> {
  await db('one_time_codes').where('expires_at', '<', before.toISOString()).delete();
}

/** Throttling counters whose last failure is older than `before`. */
export async function purgeThrottleRows(db: Db, before: Date): Promise<void> {
  await db('throttle').where('last_failure_at', '<', before.toISOString()).delete();
}

/** The lines of the file imports not touched since `before` (previews confirmed, cancelled or left). */
export async function purgeImportLines(db: Db, before: Date): Promise<void> {
  await db('import_job_lines')
    .whereIn('job_id', db('import_jobs').where('updated_at', '<', before.toISOString()).select('id'))
    .delete();
}

// Knex only: the lease each periodic job (src/jobs.ts) takes before it runs, so that with several
// instances on one database exactly one of them runs each job per period. Taking a lease is one
// statement on SQLite and PostgreSQL alike: insert the row, or — on conflict — take it over only
// if its time is over (the same upsert as the analysis slots of src/stores/import-jobs.ts).
import crypto from 'node:crypto';
import os from 'node:os';
import type { Db } from '../db.js';

/** Who holds a lease: the machine, the process and a random part (a restarted process is someone else). */
export function leaseHolderName(): string {
  return `${os.hostname().slice(0, 60)}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
}

/**
 * Takes `name`'s lease for `holder` until `until` if nobody holds it or its time is over at `now`.
 * True when taken: the caller runs the job; false when another holder's lease still runs.
 */
export async function takeJobLease(db: Db, name: string, holder: string, now: Date, until: Date): Promise<boolean> {
  const iso = now.toISOString();
  const taken = await db('job_leases')
    .insert({ name, holder, expires_at: until.toISOString(), started_at: iso })
    .onConflict('name')
    .merge(['holder', 'expires_at', 'started_at'])
    .where('job_leases.expires_at', '<=', iso)
    .returning('name');
  return taken.length > 0;
}

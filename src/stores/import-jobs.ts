// The file import jobs of the portal (today the Espace Entreprise's establishment files) and the
// analysis slots that bound how many run at once: shared by the space that runs an import and by
// src/jobs.ts, which recovers the jobs a stopped process left behind.
import { insertedId, type Db } from '../db.js';

// ------------------------------------------------------------------ import jobs
type ImportJobStatus = 'analyzing' | 'preview' | 'importing' | 'done' | 'cancelled' | 'failed';

export interface ImportJobRow {
  id: number;
  account_id: number;
  status: ImportJobStatus;
  file_name: string;
  total_lines: number;
  valid_count: number;
  existing_count: number;
  error_count: number;
  processed_count: number;
  result: string | null;
  created_at: string;
  finished_at: string | null;
}

async function createImportJob(db: Db, accountId: number, fileName: string, now: Date): Promise<number> {
  const [row] = await db('import_jobs')
    .insert({
      kind: 'establishments',
      account_id: accountId,
      company_id: null,
      status: 'analyzing',
      file_name: fileName,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .returning('id');
  return insertedId(row);
}

// ------------------------------------------------------------------ analyses running at once
// An analysis holds two slots of import_analysis_slots while it runs: one of its account's
// ANALYSES_PER_ACCOUNT and one of the portal's ANALYSIS_SLOTS. Each slot is taken by one upsert that only overwrites a free or
// expired row, so two requests never both get it, on SQLite or PostgreSQL, whatever the number
// of instances. The holder renews the lease while it works and deletes its rows at the end; a
// process that dies leaves rows that expire after ANALYSIS_LEASE_MS.
//
// N = 2 for the portal. An analysis is bounded by the reader's limits (src/domain/import/
// xlsx-rows.ts: 32 MiB of XML; a workbook near them measured +30 to 40 MB of heap and 1 to 2 s),
// but it parses on the event loop between chunks, beside every page of the process: two at once
// keep that worst case under 100 MB and leave the pages most of a two-core host, where eight
// unbounded ones exhausted the heap. One per account: a person sends one file, waits for its
// preview, then sends the next.
export const ANALYSIS_SLOTS = 2;
const ANALYSES_PER_ACCOUNT = 1;
export const ANALYSIS_LEASE_MS = 30_000;
export const ANALYSIS_INTERRUPTED_MESSAGE = "L'analyse du fichier a été interrompue. Envoyez de nouveau le fichier.";

export type AnalysisReservation = { ok: true; jobId: number; holder: string } | { ok: false; reason: 'account' | 'portal' };

/** Takes `slot` for `holder` if it is free or its lease ran out: one statement. */
async function takeSlot(db: Db, slot: string, holder: string, jobId: number, now: Date): Promise<boolean> {
  const iso = now.toISOString();
  const taken = await db('import_analysis_slots')
    .insert({ slot, holder, job_id: jobId, expires_at: new Date(now.getTime() + ANALYSIS_LEASE_MS).toISOString() })
    .onConflict('slot')
    .merge(['holder', 'job_id', 'expires_at'])
    .where('import_analysis_slots.expires_at', '<=', iso)
    .returning('slot');
  return taken.length > 0;
}

/** Tries `prefix`1 … `prefix`count in turn: a slot taken meanwhile only sends it to the next. */
async function takeFirstFreeSlot(db: Db, prefix: string, count: number, holder: string, jobId: number, now: Date): Promise<boolean> {
  for (let n = 1; n <= count; n++) if (await takeSlot(db, `${prefix}${n}`, holder, jobId, now)) return true;
  return false;
}

/** Thrown inside the transaction to undo the job when a slot is not free. */
class SlotRefused extends Error {
  constructor(readonly reason: 'account' | 'portal') {
    super(`no ${reason} analysis slot`);
  }
}

/**
 * Creates the job of an analysis with its slots reserved, all in one transaction: the job exists
 * only if both slots were taken (a refused upload leaves nothing behind).
 */
export async function createImportJobWithSlots(db: Db, accountId: number, fileName: string, holder: string, now: Date): Promise<AnalysisReservation> {
  try {
    return await db.transaction(async (trx) => {
      const jobId = await createImportJob(trx, accountId, fileName, now);
      // The account's slot first, then the portal's in a fixed order: every request locks in
      // the same order, so two of them never wait on each other in a circle on PostgreSQL.
      if (!(await takeFirstFreeSlot(trx, `account:${accountId}:`, ANALYSES_PER_ACCOUNT, holder, jobId, now))) throw new SlotRefused('account');
      if (!(await takeFirstFreeSlot(trx, 'all:', ANALYSIS_SLOTS, holder, jobId, now))) throw new SlotRefused('portal');
      return { ok: true, jobId, holder } as const;
    });
  } catch (err) {
    if (err instanceof SlotRefused) return { ok: false, reason: err.reason };
    throw err;
  }
}

/** Keeps the slots of a running analysis from expiring. */
export async function renewAnalysisSlots(db: Db, holder: string, now: Date): Promise<void> {
  await db('import_analysis_slots')
    .where({ holder })
    .update({ expires_at: new Date(now.getTime() + ANALYSIS_LEASE_MS).toISOString() });
}

export async function releaseAnalysisSlots(db: Db, holder: string): Promise<void> {
  await db('import_analysis_slots').where({ holder }).delete();
}

/**
 * Jobs still « analyse en cours » that no live slot holds: the process that ran them stopped
 * (they are marked failed with a message for the job page), and the expired slots it left.
 */
export async function failOrphanedAnalyses(db: Db, now: Date): Promise<number> {
  const iso = now.toISOString();
  const failed = await db('import_jobs')
    .where({ status: 'analyzing' })
    .whereNotExists(db('import_analysis_slots as s').whereRaw('s.job_id = import_jobs.id').where('s.expires_at', '>', iso).select(db.raw('1')))
    .update({ status: 'failed', result: JSON.stringify({ message: ANALYSIS_INTERRUPTED_MESSAGE }), finished_at: iso, updated_at: iso });
  await db('import_analysis_slots').where('expires_at', '<=', iso).delete();
  return failed;
}

/** Jobs an earlier process left half-way (it stopped during the analysis or the import). */
export async function failInterruptedImports(db: Db, before: Date): Promise<number> {
  return db('import_jobs')
    .whereIn('status', ['analyzing', 'importing'])
    .where('updated_at', '<', before.toISOString())
    .update({ status: 'failed', result: JSON.stringify({ message: ANALYSIS_INTERRUPTED_MESSAGE }), updated_at: before.toISOString() });
}

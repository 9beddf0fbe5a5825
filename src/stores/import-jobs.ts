// The file import jobs of the portal (the Espace Entreprise's establishment files, the Espace
// Gestion's décompte feeds), their analysed lines (import_job_lines: the preview, the error report)
// and the analysis slots that bound how many run at once: shared by the code that runs an import and
// by src/jobs.ts, which recovers the jobs a stopped process left behind.
import { insertedId, type Db } from '../db.js';

// ------------------------------------------------------------------ import jobs
type ImportJobStatus = 'analyzing' | 'preview' | 'importing' | 'done' | 'cancelled' | 'failed';

export type ImportJobKind = 'establishments' | 'statements';

export interface ImportJobRow {
  id: number;
  kind: ImportJobKind;
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
  /** A loaded décompte feed's emails still due: its members above this id (src/statement-feed/feed.ts). */
  notify_after: number | null;
}

async function createImportJob(db: Db, kind: ImportJobKind, accountId: number, fileName: string, now: Date): Promise<number> {
  const [row] = await db('import_jobs')
    .insert({
      kind,
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

// ------------------------------------------------------------------ a job's analysed lines
export async function updateImportJob(db: Db, jobId: number, fields: Partial<Omit<ImportJobRow, 'id' | 'account_id'>>, now: Date): Promise<void> {
  await db('import_jobs')
    .where({ id: jobId })
    .update({ ...fields, updated_at: now.toISOString() });
}

/**
 * The analysis's last update of its job, with its slots released in the same transaction: a job
 * seen finished has its slots free; a job still analysing has them.
 */
export async function finishAnalysis(
  db: Db,
  jobId: number,
  holder: string,
  fields: Partial<Omit<ImportJobRow, 'id' | 'account_id'>>,
  now: Date,
): Promise<void> {
  await db.transaction(async (trx) => {
    await updateImportJob(trx, jobId, fields, now);
    await releaseAnalysisSlots(trx, holder);
  });
}

export interface ImportLineInsert {
  job_id: number;
  line_number: number;
  status: 'valid' | 'existing' | 'error';
  data: string;
  errors: string | null;
  /** What lines of the same job are compared on (a feed's décompte number), when the import needs it. */
  group_key?: string | null;
}

// 6 bound values a row: 3,000 a statement, well under the bound-parameter limits of SQLite
// (32,766) and PostgreSQL (65,535).
const LINES_PER_INSERT = 500;
const insertLinesSql = new Map<number, string>();

/**
 * One statement per 500 lines, whose SQL text is written once per line count (a full batch
 * always has the same): Knex's insert builder cost more than the insert itself on a
 * 20,000-line preview, and the same text lets SQLite reuse its prepared statement (src/db.ts).
 */
export async function insertImportLines(db: Db, lines: ImportLineInsert[]): Promise<void> {
  for (let i = 0; i < lines.length; i += LINES_PER_INSERT) {
    const chunk = lines.slice(i, i + LINES_PER_INSERT);
    let sql = insertLinesSql.get(chunk.length);
    if (sql === undefined) {
      sql = `insert into import_job_lines (job_id, line_number, status, data, errors, group_key) values ${Array(chunk.length).fill('(?, ?, ?, ?, ?, ?)').join(', ')}`;
      insertLinesSql.set(chunk.length, sql);
    }
    const bindings: (string | number | null)[] = [];
    for (const line of chunk) bindings.push(line.job_id, line.line_number, line.status, line.data, line.errors, line.group_key ?? null);
    await db.raw(sql, bindings);
  }
}

/** Drops the lines of a job whose file could not be used. */
export async function deleteImportLines(db: Db, jobId: number): Promise<void> {
  await db('import_job_lines').where({ job_id: jobId }).delete();
}

export async function importErrorLines(
  db: Db,
  jobId: number,
  page: number,
  pageSize: number,
): Promise<{ line_number: number; data: string; errors: string }[]> {
  return db('import_job_lines')
    .where({ job_id: jobId, status: 'error' })
    .orderBy('line_number')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .select('line_number', 'data', 'errors');
}

/** Every error line, read by pages so a 20,000-line report never sits in memory at once. */
export async function* allImportErrorLines(db: Db, jobId: number): AsyncGenerator<{ line_number: number; data: string; errors: string }> {
  let after = 0;
  for (;;) {
    const rows: { line_number: number; data: string; errors: string }[] = await db('import_job_lines')
      .where({ job_id: jobId, status: 'error' })
      .where('line_number', '>', after)
      .orderBy('line_number')
      .limit(1000)
      .select('line_number', 'data', 'errors');
    if (!rows.length) return;
    yield* rows;
    after = rows[rows.length - 1].line_number;
  }
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
export async function createImportJobWithSlots(
  db: Db,
  accountId: number,
  fileName: string,
  holder: string,
  now: Date,
  kind: ImportJobKind = 'establishments',
): Promise<AnalysisReservation> {
  try {
    return await db.transaction(async (trx) => {
      const jobId = await createImportJob(trx, kind, accountId, fileName, now);
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

// Knex only: the « périmètre suivi » of an HR user and the file imports that extend it.
import { insertedId, type Db } from '../../db.js';
import { visibleEstablishments } from '../queries.js';

export interface EstablishmentRecord {
  id: number;
  company_id: number;
  siret: string;
  insurer_code: string;
  name: string;
}

/** The insurer's establishments with these SIRETs (one query per batch of the file). */
export async function findEstablishmentsBySiret(db: Db, sirets: string[]): Promise<Map<string, EstablishmentRecord>> {
  if (!sirets.length) return new Map();
  const rows: EstablishmentRecord[] = await db('establishments').whereIn('siret', sirets).select('id', 'company_id', 'siret', 'insurer_code', 'name');
  return new Map(rows.map((r) => [r.siret, r]));
}

/** Which of these establishments are already in the account's perimeter. */
export async function perimeterContains(db: Db, accountId: number, establishmentIds: number[]): Promise<Set<number>> {
  if (!establishmentIds.length) return new Set();
  const rows: { establishment_id: number }[] = await db('hr_perimeter').where('account_id', accountId).whereIn('establishment_id', establishmentIds).select('establishment_id');
  return new Set(rows.map((r) => r.establishment_id));
}

export async function addToPerimeter(db: Db, accountId: number, establishmentId: number, now: Date): Promise<void> {
  await db('hr_perimeter').insert({ account_id: accountId, establishment_id: establishmentId, added_at: now.toISOString() }).onConflict(['account_id', 'establishment_id']).ignore();
}

export interface PerimeterRow {
  id: number;
  siret: string;
  name: string;
  city: string;
  postal_code: string;
  company_name: string;
}

export async function perimeterPage(db: Db, accountId: number, page: number, pageSize: number): Promise<{ rows: PerimeterRow[]; total: number }> {
  const base = () => visibleEstablishments(db, accountId).join('companies as c', 'c.id', 'e.company_id');
  const [{ n }] = await base().count({ n: '*' });
  const rows: PerimeterRow[] = await base()
    .orderBy(['c.name', 'e.name', 'e.id'])
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .select('e.id', 'e.siret', 'e.name', 'e.city', 'e.postal_code', 'c.name as company_name');
  return { rows, total: Number(n) };
}

// ------------------------------------------------------------------ import jobs
export type ImportJobStatus = 'analyzing' | 'preview' | 'importing' | 'done' | 'cancelled' | 'failed';

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

export async function createImportJob(db: Db, accountId: number, fileName: string, now: Date): Promise<number> {
  const [row] = await db('import_jobs')
    .insert({ kind: 'establishments', account_id: accountId, company_id: null, status: 'analyzing', file_name: fileName, created_at: now.toISOString(), updated_at: now.toISOString() })
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
export const ANALYSES_PER_ACCOUNT = 1;
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
  await db('import_analysis_slots').where({ holder }).update({ expires_at: new Date(now.getTime() + ANALYSIS_LEASE_MS).toISOString() });
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

/** The account's own establishment import, or undefined (another account's job id is not found). */
export async function findImportJob(db: Db, accountId: number, jobId: number): Promise<ImportJobRow | undefined> {
  return db('import_jobs').where({ id: jobId, account_id: accountId, kind: 'establishments' }).first();
}

export async function updateImportJob(db: Db, jobId: number, fields: Partial<Omit<ImportJobRow, 'id' | 'account_id'>>, now: Date): Promise<void> {
  await db('import_jobs').where({ id: jobId }).update({ ...fields, updated_at: now.toISOString() });
}

/**
 * The analysis's last update of its job, with its slots released in the same transaction: a job
 * seen finished has its slots free; a job still analysing has them.
 */
export async function finishAnalysis(db: Db, jobId: number, holder: string, fields: Partial<Omit<ImportJobRow, 'id' | 'account_id'>>, now: Date): Promise<void> {
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
}

export async function insertImportLines(db: Db, lines: ImportLineInsert[]): Promise<void> {
  // 5 columns a row: 150 rows stay well under SQLite's bound-parameter limit.
  for (let i = 0; i < lines.length; i += 150) await db('import_job_lines').insert(lines.slice(i, i + 150));
}

/** Drops the lines of a job whose file could not be used. */
export async function deleteImportLines(db: Db, jobId: number): Promise<void> {
  await db('import_job_lines').where({ job_id: jobId }).delete();
}

export async function importErrorLines(db: Db, jobId: number, page: number, pageSize: number): Promise<{ line_number: number; data: string; errors: string }[]> {
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

/**
 * « Confirmer »: the valid lines of the preview join the perimeter, all in one transaction (all or
 * nothing). Only a job still in preview is imported (a second click does nothing). Returns the
 * number of establishments added, or null when the job was not in preview.
 */
export async function confirmImport(db: Db, jobId: number, accountId: number, now: Date): Promise<number | null> {
  const iso = now.toISOString();
  return db.transaction(async (trx) => {
    const claimed = await trx('import_jobs').where({ id: jobId, account_id: accountId, status: 'preview' }).update({ status: 'importing', updated_at: iso });
    if (!claimed) return null;
    let added = 0;
    let after = 0;
    for (;;) {
      const rows: { line_number: number; data: string }[] = await trx('import_job_lines')
        .where({ job_id: jobId, status: 'valid' })
        .where('line_number', '>', after)
        .orderBy('line_number')
        .limit(500)
        .select('line_number', 'data');
      if (!rows.length) break;
      after = rows[rows.length - 1].line_number;
      const ids = rows.map((r) => (JSON.parse(r.data) as { establishmentId: number }).establishmentId);
      // Still allowed now: the company's habilitation active, not added meanwhile.
      const allowed: { id: number }[] = await trx('establishments as e')
        .join('hr_habilitations as hh', 'hh.company_id', 'e.company_id')
        .where({ 'hh.account_id': accountId, 'hh.status': 'active' })
        .whereIn('e.id', ids)
        .whereNotIn('e.id', trx('hr_perimeter').where('account_id', accountId).select('establishment_id'))
        .select('e.id');
      if (allowed.length) {
        for (let i = 0; i < allowed.length; i += 300) {
          await trx('hr_perimeter').insert(allowed.slice(i, i + 300).map((e) => ({ account_id: accountId, establishment_id: e.id, added_at: iso })));
        }
      }
      added += allowed.length;
    }
    await trx('import_jobs').where({ id: jobId }).update({ status: 'done', processed_count: added, result: JSON.stringify({ added }), finished_at: iso, updated_at: iso });
    return added;
  });
}

export async function cancelImport(db: Db, jobId: number, accountId: number, now: Date): Promise<boolean> {
  const iso = now.toISOString();
  const updated = await db('import_jobs').where({ id: jobId, account_id: accountId, status: 'preview' }).update({ status: 'cancelled', finished_at: iso, updated_at: iso });
  if (updated) await db('import_job_lines').where({ job_id: jobId }).delete();
  return updated > 0;
}

/** Jobs an earlier process left half-way (it stopped during the analysis or the import). */
export async function failInterruptedImports(db: Db, before: Date): Promise<number> {
  return db('import_jobs')
    .whereIn('status', ['analyzing', 'importing'])
    .where('updated_at', '<', before.toISOString())
    .update({ status: 'failed', result: JSON.stringify({ message: ANALYSIS_INTERRUPTED_MESSAGE }), updated_at: before.toISOString() });
}

// « Ajouter plusieurs établissements (fichier) »: the analysis of an uploaded file into a preview.
// The file is read as a stream by the domain parser; lines are checked against the records by
// batches and written to import_job_lines as they come, so memory stays flat whatever the file's
// size. Nothing touches the perimeter until « Confirmer » (see confirmImport). The uploaded file
// is deleted once read.
import fs from 'node:fs';
import type { AppContext } from '../../context.js';
import { ImportFileError, parseEstablishmentFile, type ImportFileKind, type ParsedLine } from '../../domain/establishment-import.js';
import {
  ANALYSIS_LEASE_MS,
  deleteImportLines,
  finishAnalysis,
  insertImportLines,
  releaseAnalysisSlots,
  renewAnalysisSlots,
  updateImportJob,
  type ImportLineInsert,
} from '../../stores/import-jobs.js';
import { matchEstablishments } from './matching.js';

const BATCH = 500;

/**
 * Runs the analysis of a job created with its slots (createImportJobWithSlots): the slots' lease
 * is renewed while it runs; they are released with the job's last update, in one transaction (a
 * job seen finished has its slots free; a job still analysing has them), and again at the end
 * whatever happened.
 */
export function startAnalysis(
  ctx: AppContext,
  slots: { jobId: number; holder: string },
  filePath: string,
  kind: ImportFileKind,
  accountId: number,
  companyIds: number[],
): Promise<void> {
  const renew = setInterval(() => {
    renewAnalysisSlots(ctx.db, slots.holder, ctx.clock()).catch((err) => console.error("Renouvellement d'une analyse en échec :", err));
  }, ANALYSIS_LEASE_MS / 3).unref();
  return analyse(ctx, slots, filePath, kind, accountId, companyIds).finally(async () => {
    clearInterval(renew);
    fs.rmSync(filePath, { force: true });
    await releaseAnalysisSlots(ctx.db, slots.holder);
  });
}

async function analyse(
  ctx: AppContext,
  slots: { jobId: number; holder: string },
  filePath: string,
  kind: ImportFileKind,
  accountId: number,
  companyIds: number[],
): Promise<void> {
  const { jobId } = slots;
  const finish = (fields: Parameters<typeof updateImportJob>[2]) => finishAnalysis(ctx.db, jobId, slots.holder, fields, ctx.clock());
  const counts = { total: 0, valid: 0, existing: 0, error: 0 };
  let batch: ParsedLine[] = [];
  // One transaction a batch: its lookups, its lines and the progress are one commit instead of
  // one per statement, the cost that dominated the preview of a 20,000-line file.
  const flush = async () => {
    const lines = batch;
    batch = [];
    await ctx.db.transaction(async (trx) => {
      const checkable = lines.filter((l) => !l.errors.length);
      const matches = await matchEstablishments(trx, accountId, companyIds, checkable);
      const byLine = new Map(checkable.map((l, i) => [l.lineNumber, matches[i]]));
      const rows: ImportLineInsert[] = lines.map((line) => {
        const match = byLine.get(line.lineNumber);
        const errors = match?.kind === 'error' ? [{ column: null, message: match.message }] : line.errors;
        const status = errors.length ? 'error' : match!.kind === 'existing' ? 'existing' : 'valid';
        counts[status === 'error' ? 'error' : status] += 1;
        const establishment = match && match.kind !== 'error' ? match.establishment : null;
        return {
          job_id: jobId,
          line_number: line.lineNumber,
          status,
          data: JSON.stringify({ siret: line.siret, code: line.code, establishmentId: establishment?.id ?? null, name: establishment?.name ?? null }),
          errors: errors.length ? JSON.stringify(errors) : null,
        };
      });
      await insertImportLines(trx, rows);
      counts.total += lines.length;
      await updateImportJob(trx, jobId, { processed_count: counts.total }, ctx.clock());
    });
  };
  try {
    for await (const line of parseEstablishmentFile(filePath, kind)) {
      batch.push(line);
      if (batch.length >= BATCH) await flush();
    }
    if (batch.length) await flush();
    await finish({
      status: 'preview',
      total_lines: counts.total,
      valid_count: counts.valid,
      existing_count: counts.existing,
      error_count: counts.error,
      processed_count: counts.total,
    });
  } catch (err) {
    // A file that cannot be used: its French reason, and none of its lines kept.
    const message =
      err instanceof ImportFileError ? err.message : "Le fichier n'a pas pu être lu. Vérifiez qu'il est au format du modèle et envoyez-le de nouveau.";
    await deleteImportLines(ctx.db, jobId);
    await finish({ status: 'failed', result: JSON.stringify({ message }), finished_at: ctx.clock().toISOString() });
  }
}

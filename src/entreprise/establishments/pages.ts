// « Mon profil » side of the perimeter (guide « Ajout d'un ou plusieurs nouveaux
// établissements »): « Ajouter un établissement au périmètre suivi » (SIRET + code identifiant)
// and « Ajouter plusieurs établissements (fichier) »: templates, upload, preview with every line
// in error, « Confirmer » (all or nothing) or « Annuler », the result.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requestOrigin } from '../../auth/session.js';
import { recordAudit } from '../../stores/audit.js';
import { ESTABLISHMENT_IMPORT_MAX_LINES, establishmentTemplateCsv, establishmentTemplateXlsx, errorReportStream } from '../../domain/establishment-import.js';
import { formatInteger } from '../../domain/text.js';
import { HttpError } from '../../middleware/errors.js';
import { uploads } from '../../middleware/uploads.js';
import { keptValues, parseForm, positiveId, queryPage, requiredText, siretField, type FieldErrors } from '../../validation.js';
import { startAnalysis } from './import.js';
import { matchEstablishments } from './matching.js';
import { addToPerimeter, cancelImport, confirmImport, findImportJob } from './queries.js';
import { allImportErrorLines, createImportJobWithSlots, importErrorLines, type ImportJobRow } from '../../stores/import-jobs.js';

const PROFILE_BASE = '/entreprise/profil';
const FILE_PATH = `${PROFILE_BASE}/etablissements/fichier`;
const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const ERROR_PAGE_SIZE = 50;
/** How long the upload waits for the analysis before showing the progress page instead. */
const UPLOAD_WAIT_MS = 1500;

export const ESTABLISHMENT_TEXTS = {
  added: (name: string) => `L'établissement « ${name} » fait désormais partie de votre périmètre suivi.`,
  codeRequired: 'Saisissez le code identifiant de l’établissement.',
  noFile: 'Choisissez le fichier à envoyer (.csv ou .xlsx).',
  tooBig: 'Le fichier dépasse 5 Mo : découpez-le en plusieurs fichiers.',
  cancelled: "L'import a été annulé : aucun établissement n'a été ajouté.",
  busyAccount: "Votre fichier précédent est encore en cours d'analyse : réessayez dans un instant.",
  busyPortal: "Beaucoup de fichiers sont en cours d'analyse : réessayez dans un instant.",
  notInPreview: "Cet import n'est plus en attente de confirmation.",
} as const;

function companyIdsOf(req: Request): number[] {
  return (req.hrCompanies ?? []).map((c) => c.id);
}

// ------------------------------------------------------------------ one establishment
const addSchema = z.object({
  siret: siretField(),
  code: requiredText(ESTABLISHMENT_TEXTS.codeRequired, 20),
});

async function renderAdd(res: Response, values: Record<string, string>, errors: FieldErrors, status?: number) {
  await res.renderPage({
    page: 'entreprise/establishment-add',
    layout: 'entreprise',
    title: 'Ajouter un établissement au périmètre suivi',
    status,
    locals: { values, errors },
  });
}

export function showAddForm(_ctx: AppContext) {
  return async (_req: Request, res: Response) => renderAdd(res, {}, {});
}

export function submitAdd(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    // keptValues leaves out anything named like a code; the establishment's code is no secret.
    const values = { ...keptValues(req.body), code: typeof req.body?.code === 'string' ? req.body.code : '' };
    const parsed = parseForm(addSchema, req.body);
    if (!parsed.ok) {
      await renderAdd(res, values, parsed.errors, 422);
      return;
    }
    const [match] = await matchEstablishments(ctx.db, req.account!.id, companyIdsOf(req), [{ siret: parsed.data.siret, code: parsed.data.code }]);
    if (match.kind !== 'ok') {
      await renderAdd(res, values, { _form: match.kind === 'existing' ? 'Cet établissement fait déjà partie de votre périmètre suivi.' : match.message }, 422);
      return;
    }
    const now = ctx.clock();
    await addToPerimeter(ctx.db, req.account!.id, match.establishment.id, now);
    await recordAudit(ctx.db, now, {
      event: 'perimeter_added',
      accountId: req.account!.id,
      accountKind: 'hr',
      ...requestOrigin(req),
      detail: { establishment: match.establishment.id },
    });
    res.redirectWithFlash(PROFILE_BASE, ESTABLISHMENT_TEXTS.added(match.establishment.name));
  };
}

// ------------------------------------------------------------------ templates and upload
export function sendTemplate(format: 'csv' | 'xlsx') {
  return async (_req: Request, res: Response) => {
    const body = format === 'csv' ? establishmentTemplateCsv() : await establishmentTemplateXlsx();
    res
      .set('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .set('Content-Disposition', `attachment; filename="modele-etablissements.${format}"`)
      .send(body);
  };
}

async function renderUpload(res: Response, errors: FieldErrors, status?: number) {
  await res.renderPage({
    page: 'entreprise/establishment-import',
    layout: 'entreprise',
    title: 'Ajouter plusieurs établissements (fichier)',
    status,
    locals: { errors, maxLines: formatInteger(ESTABLISHMENT_IMPORT_MAX_LINES) },
  });
}

export function showUploadForm(_ctx: AppContext) {
  return async (_req: Request, res: Response) => renderUpload(res, {});
}

/** multer to a temporary file (≤ 5 Mo, one file), type checked by content; then the analysis. */
export function uploadFile(ctx: AppContext) {
  return uploads(ctx, {
    folder: 'imports',
    fields: [{ name: 'fichier', maxCount: 1 }],
    maxFileBytes: MAX_IMPORT_BYTES,
    maxFiles: 1,
    allowed: ['csv', 'xlsx'],
  });
}

export function submitUpload(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const file = req.uploads?.[0];
    if (req.uploadError || !file) {
      const message = req.uploadError?.code === 'too-large' ? ESTABLISHMENT_TEXTS.tooBig : (req.uploadError?.message ?? ESTABLISHMENT_TEXTS.noFile);
      await renderUpload(res, { fichier: message }, 422);
      return;
    }
    const reservation = await createImportJobWithSlots(ctx.db, req.account!.id, file.originalName, crypto.randomBytes(16).toString('hex'), ctx.clock());
    if (!reservation.ok) {
      fs.rmSync(file.path!, { force: true });
      await renderUpload(res, { fichier: reservation.reason === 'account' ? ESTABLISHMENT_TEXTS.busyAccount : ESTABLISHMENT_TEXTS.busyPortal }, 422);
      return;
    }
    // Past the wait the analysis goes on alone: a failure there must not become an unhandled rejection.
    const work = startAnalysis(ctx, reservation, file.path!, file.type === 'xlsx' ? 'xlsx' : 'csv', req.account!.id, companyIdsOf(req)).catch((err) => {
      req.log?.error({ err, job: reservation.jobId }, 'establishment import analysis failed');
    });
    await Promise.race([work, new Promise((resolve) => setTimeout(resolve, UPLOAD_WAIT_MS).unref())]);
    res.redirectWithFlash(`${FILE_PATH}/${reservation.jobId}`);
  };
}

// ------------------------------------------------------------------ the job: progress, preview, result
async function loadJob(ctx: AppContext, req: Request): Promise<ImportJobRow> {
  const id = positiveId(req.params.id);
  const job = id ? await findImportJob(ctx.db, req.account!.id, id) : undefined;
  if (!job) throw new HttpError(404);
  return job;
}

export function showJob(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const job = await loadJob(ctx, req);
    // The progress block polls with htmx; once the analysis is over the whole page is reloaded
    // (preview, confirm buttons and title change together).
    if (req.isHtmx && job.status !== 'analyzing') {
      res.set('HX-Refresh', 'true').status(204).end();
      return;
    }
    const pages = Math.max(1, Math.ceil(job.error_count / ERROR_PAGE_SIZE));
    const page = Math.min(queryPage(req.query.page).page, pages);
    const errorLines =
      job.status === 'preview' && job.error_count
        ? (await importErrorLines(ctx.db, job.id, page, ERROR_PAGE_SIZE)).map((l) => {
            const data = JSON.parse(l.data) as { siret: string; code: string };
            return { line: l.line_number, siret: data.siret, code: data.code, errors: JSON.parse(l.errors) as { column: string | null; message: string }[] };
          })
        : [];
    const result = job.result ? (JSON.parse(job.result) as { added?: number; message?: string }) : {};
    await res.renderPage({
      page: 'entreprise/establishment-import-job',
      fragment: 'entreprise/establishment-import-status',
      layout: 'entreprise',
      title: job.status === 'done' ? 'Import terminé' : job.status === 'preview' ? "Aperçu avant l'import" : 'Import de fichier',
      locals: {
        job,
        base: `${FILE_PATH}/${job.id}`,
        result,
        errorLines,
        page,
        pages,
      },
    });
  };
}

export function downloadErrors(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const job = await loadJob(ctx, req);
    if (job.status !== 'preview' || !job.error_count) throw new HttpError(404);
    async function* lines() {
      for await (const l of allImportErrorLines(ctx.db, job.id)) {
        const data = JSON.parse(l.data) as { siret: string; code: string };
        yield { lineNumber: l.line_number, siret: data.siret, code: data.code, errors: JSON.parse(l.errors) as { column: string | null; message: string }[] };
      }
    }
    res.set('Content-Type', 'text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="erreurs-import-${job.id}.csv"`);
    errorReportStream(lines()).pipe(res);
  };
}

export function confirm(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const job = await loadJob(ctx, req);
    const now = ctx.clock();
    const added = await confirmImport(ctx.db, job.id, req.account!.id, now);
    if (added === null) {
      res.redirectWithFlash(`${FILE_PATH}/${job.id}`, ESTABLISHMENT_TEXTS.notInPreview, 'error');
      return;
    }
    await recordAudit(ctx.db, now, {
      event: 'perimeter_imported',
      accountId: req.account!.id,
      accountKind: 'hr',
      ...requestOrigin(req),
      detail: { job: job.id, added },
    });
    res.redirectWithFlash(`${FILE_PATH}/${job.id}`);
  };
}

export function cancel(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const job = await loadJob(ctx, req);
    const done = await cancelImport(ctx.db, job.id, req.account!.id, ctx.clock());
    if (!done) {
      res.redirectWithFlash(`${FILE_PATH}/${job.id}`, ESTABLISHMENT_TEXTS.notInPreview, 'error');
      return;
    }
    res.redirectWithFlash(PROFILE_BASE, ESTABLISHMENT_TEXTS.cancelled, 'info');
  };
}

// « Décomptes » of the Espace Gestion: the claims system's feed (docs/domain.md#the-décompte-feed)
// sent as a file, analysed into a preview with every line in error, then « Charger » (all or
// nothing, src/statement-feed/queries.ts loadFeed) or « Annuler »; the history of the feeds with
// their counts. The analysis and the load run beside the request (a 500,000-line file takes
// minutes): the feed's page follows them, refreshing itself without JavaScript, polling with htmx.
// Every staff member sees every feed: the feeds are the insurer's, not one person's.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { requestOrigin } from '../../auth/session.js';
import { FEED_COLUMNS, feedErrorReportStream } from '../../domain/statement-feed.js';
import { HttpError } from '../../middleware/errors.js';
import { uploads } from '../../middleware/uploads.js';
import { recordAudit } from '../../stores/audit.js';
import { allImportErrorLines, createImportJobWithSlots, importErrorLines, type ImportJobRow } from '../../stores/import-jobs.js';
import { analyseFeed, feedNotifier, notifyFeedMembers } from '../../statement-feed/feed.js';
import { cancelFeed, feedHistoryCount, feedHistoryPage, findFeedJob, loadFeed } from '../../statement-feed/queries.js';
import { positiveId, queryPage, type FieldErrors } from '../../validation.js';

const BASE = '/gestion/decomptes';
/** A feed of 500,000 lines is some 70 Mo; the command line takes larger ones. */
const MAX_FEED_BYTES = 150 * 1024 * 1024;
const ERROR_PAGE_SIZE = 50;
const HISTORY_PAGE_SIZE = 20;
/** How long the upload and « Charger » wait for the work before showing the progress page instead. */
const WAIT_MS = 1500;

const FEED_TEXTS = {
  noFile: 'Choisissez le fichier du flux à envoyer (.csv).',
  tooBig: 'Le fichier dépasse 150 Mo : découpez-le, ou chargez-le avec la commande npm run import:decomptes.',
  busyAccount: "Votre fichier précédent est encore en cours d'analyse : réessayez dans un instant.",
  busyPortal: "Beaucoup de fichiers sont en cours d'analyse : réessayez dans un instant.",
  notInPreview: "Ce flux n'est plus en attente de chargement.",
  cancelled: "Le flux a été annulé : aucun décompte n'a été chargé.",
  nothingNew: 'Aucun nouveau décompte : tous ceux de ce fichier ont déjà été chargés.',
} as const;

export function feedUploads(ctx: AppContext) {
  return uploads(ctx, {
    folder: 'imports',
    fields: [{ name: 'fichier', maxCount: 1 }],
    maxFileBytes: MAX_FEED_BYTES,
    maxFiles: 1,
    allowed: ['csv'],
  });
}

async function renderList(ctx: AppContext, req: Request, res: Response, errors: FieldErrors, status?: number) {
  const total = await feedHistoryCount(ctx.db);
  const pages = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));
  const page = Math.min(queryPage(req.query.page).page, pages);
  const feeds = (await feedHistoryPage(ctx.db, page, HISTORY_PAGE_SIZE)).map((f) => ({
    ...f,
    result: f.result ? (JSON.parse(f.result) as Record<string, unknown>) : {},
  }));
  await res.renderPage({
    page: 'gestion/decomptes',
    layout: 'gestion',
    title: 'Décomptes',
    status,
    locals: { errors, feeds, total, page, pages, columns: FEED_COLUMNS },
  });
}

export function showList(ctx: AppContext) {
  return async (req: Request, res: Response) => renderList(ctx, req, res, {});
}

/** The multipart POST of the file (after feedUploads, which checks the CSRF token once parsed). */
export function submitUpload(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const file = req.uploads?.[0];
    if (req.uploadError || !file) {
      const message = req.uploadError?.code === 'too-large' ? FEED_TEXTS.tooBig : (req.uploadError?.message ?? FEED_TEXTS.noFile);
      await renderList(ctx, req, res, { fichier: message }, 422);
      return;
    }
    const now = ctx.clock();
    const reservation = await createImportJobWithSlots(ctx.db, req.account!.id, file.originalName, crypto.randomBytes(16).toString('hex'), now, 'statements');
    if (!reservation.ok) {
      fs.rmSync(file.path!, { force: true });
      await renderList(ctx, req, res, { fichier: reservation.reason === 'account' ? FEED_TEXTS.busyAccount : FEED_TEXTS.busyPortal }, 422);
      return;
    }
    await recordAudit(ctx.db, now, {
      event: 'statement_feed_sent',
      accountId: req.account!.id,
      accountKind: 'staff',
      ...requestOrigin(req),
      detail: { job: reservation.jobId },
    });
    // Past the wait the analysis goes on alone: a failure there must not become an unhandled rejection.
    // Only the error's code: a failed insert's message holds the SQL, hence the members' care.
    const work = analyseFeed(ctx, reservation, file.path!).catch((err) =>
      req.log?.error({ job: reservation.jobId, code: (err as { code?: string }).code ?? (err as Error).name }, 'statement feed analysis failed'),
    );
    await Promise.race([work, new Promise((resolve) => setTimeout(resolve, WAIT_MS).unref())]);
    res.redirectWithFlash(`${BASE}/${reservation.jobId}`);
  };
}

async function loadJob(ctx: AppContext, req: Request): Promise<ImportJobRow> {
  const id = positiveId(req.params.id);
  const job = id ? await findFeedJob(ctx.db, id) : undefined;
  if (!job) throw new HttpError(404);
  return job;
}

interface ErrorLineView {
  line: number;
  number: string;
  memberNumber: string;
  errors: { column: string | null; message: string }[];
}

function errorLineView(l: { line_number: number; data: string; errors: string }): ErrorLineView {
  const data = JSON.parse(l.data) as { number?: string; memberNumber?: string };
  return { line: l.line_number, number: data.number ?? '', memberNumber: data.memberNumber ?? '', errors: JSON.parse(l.errors) };
}

export function showJob(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const job = await loadJob(ctx, req);
    const working = job.status === 'analyzing' || job.status === 'importing';
    // The progress block polls with htmx; once the work is over the whole page is reloaded.
    if (req.isHtmx && !working) {
      res.set('HX-Refresh', 'true').status(204).end();
      return;
    }
    const pages = Math.max(1, Math.ceil(job.error_count / ERROR_PAGE_SIZE));
    const page = Math.min(queryPage(req.query.page).page, pages);
    const errorLines = job.status === 'preview' && job.error_count ? (await importErrorLines(ctx.db, job.id, page, ERROR_PAGE_SIZE)).map(errorLineView) : [];
    const result = job.result ? (JSON.parse(job.result) as Record<string, number | string | undefined>) : {};
    await res.renderPage({
      page: 'gestion/decompte-feed',
      fragment: 'gestion/decompte-feed-status',
      layout: 'gestion',
      title: job.status === 'done' ? `Flux n° ${job.id} chargé` : job.status === 'preview' ? `Aperçu du flux n° ${job.id}` : `Flux de décomptes n° ${job.id}`,
      locals: { job, base: `${BASE}/${job.id}`, result, errorLines, page, pages },
    });
  };
}

export function downloadErrors(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const job = await loadJob(ctx, req);
    if (job.status !== 'preview' || !job.error_count) throw new HttpError(404);
    async function* lines() {
      for await (const l of allImportErrorLines(ctx.db, job.id)) {
        const view = errorLineView(l);
        yield { lineNumber: view.line, statementNumber: view.number, memberNumber: view.memberNumber, errors: view.errors };
      }
    }
    res.set('Content-Type', 'text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="erreurs-flux-${job.id}.csv"`);
    feedErrorReportStream(lines()).pipe(res);
  };
}

/** « Charger »: the load and the emails run beside the request; the page follows them. */
export function load(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const job = await loadJob(ctx, req);
    if (job.status === 'preview' && job.valid_count === 0) {
      res.redirectWithFlash(`${BASE}/${job.id}`, FEED_TEXTS.nothingNew, 'info');
      return;
    }
    const now = ctx.clock();
    const accountId = req.account!.id;
    const origin = requestOrigin(req);
    const claimed = loadFeed(ctx.db, job.id, now);
    const work = claimed
      .then(async (loaded) => {
        if (!loaded) return false;
        await recordAudit(ctx.db, now, { event: 'statement_feed_loaded', accountId, accountKind: 'staff', ...origin, detail: { job: job.id, ...loaded } });
        await notifyFeedMembers(feedNotifier(ctx.config, ctx.db, ctx.clock), job.id);
        return true;
      })
      .catch((err) => {
        // Not the error itself: a failed insert's message holds the SQL, hence the members' care.
        req.log?.error({ job: job.id, code: (err as { code?: string }).code ?? (err as Error).name }, 'statement feed load failed');
        return true;
      });
    const outcome = await Promise.race([work, new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), WAIT_MS).unref())]);
    if (outcome === false) {
      res.redirectWithFlash(`${BASE}/${job.id}`, FEED_TEXTS.notInPreview, 'error');
      return;
    }
    res.redirectWithFlash(`${BASE}/${job.id}`);
  };
}

export function cancel(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const job = await loadJob(ctx, req);
    const now = ctx.clock();
    if (!(await cancelFeed(ctx.db, job.id, now))) {
      res.redirectWithFlash(`${BASE}/${job.id}`, FEED_TEXTS.notInPreview, 'error');
      return;
    }
    await recordAudit(ctx.db, now, {
      event: 'statement_feed_cancelled',
      accountId: req.account!.id,
      accountKind: 'staff',
      ...requestOrigin(req),
      detail: { job: job.id },
    });
    res.redirectWithFlash(BASE, FEED_TEXTS.cancelled, 'info');
  };
}

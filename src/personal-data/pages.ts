// The member's and the HR user's own data rights, on their profile page (Mes informations
// personnelles, Mon profil): « Télécharger mes données » (the request, its state, the one
// download) and « Demander l'effacement de mes données » (a form with a confirmation). Both spaces
// mount the same handlers with their base path and layout (docs/domain.md#personal-data-rights).
// One partial, two uses (src/middleware/render.ts): without JavaScript the request is a POST → 303
// → the profile with a flash; with htmx, « Télécharger mes données » swaps the block
// (views/partials/personal-data/rights.ejs) with its message in it, and a refused erasure form
// swaps the form (views/partials/personal-data/erasure-form.ejs) with its messages.
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requestOrigin } from '../auth/session.js';
import { HttpError } from '../middleware/errors.js';
import { wantsFragment } from '../middleware/render.js';
import { recordAudit } from '../stores/audit.js';
import { keptValues, optionalText, orderedErrors, parseForm, type FieldErrors } from '../validation.js';
import { sendDataExportOnce } from './exports.js';
import {
  findDataExport,
  insertDataExport,
  insertErasureRequest,
  latestDataExport,
  latestErasureRequest,
  type DataExportRow,
  type ErasureRow,
} from './queries.js';

const DATA_RIGHTS_TEXTS = {
  exportRequested: 'Votre demande est enregistrée : nous préparons le fichier de vos données. Vous recevrez un e-mail dès qu’il sera prêt.',
  exportAlreadyPending: 'Une demande est déjà en préparation : vous recevrez un e-mail dès que le fichier sera prêt.',
  exportGone: 'Ce fichier a déjà été téléchargé ou a expiré : demandez un nouveau fichier si besoin.',
  erasureRequested: 'Votre demande d’effacement est enregistrée. Vous serez informé(e) par e-mail de la suite donnée.',
  erasureAlreadyPending: 'Une demande d’effacement est déjà en cours de traitement.',
  confirmRequired: 'Cochez la case pour confirmer votre demande d’effacement.',
} as const;

/** What the page says of the latest request: « en préparation », « prête jusqu'au … », « téléchargée », « expirée ». */
export type ExportState =
  | { kind: 'preparing' }
  | { kind: 'ready'; id: number; expiresAt: string }
  | { kind: 'downloaded'; at: string }
  | { kind: 'expired' }
  | { kind: 'failed' }
  | null;

function exportState(row: DataExportRow | undefined, now: Date): ExportState {
  if (!row) return null;
  switch (row.status) {
    case 'pending':
    case 'building':
      return { kind: 'preparing' };
    case 'ready':
      return row.expires_at! > now.toISOString() ? { kind: 'ready', id: row.id, expiresAt: row.expires_at! } : { kind: 'expired' };
    case 'downloaded':
      return { kind: 'downloaded', at: row.downloaded_at! };
    case 'expired':
      return { kind: 'expired' };
    default:
      return { kind: 'failed' };
  }
}

/** The locals of the « Mes données personnelles » block of a profile page. */
export async function dataRightsLocals(ctx: AppContext, accountId: number): Promise<{ dataExport: ExportState; erasure: ErasureRow | null }> {
  const [row, erasure] = await Promise.all([latestDataExport(ctx.db, accountId), latestErasureRequest(ctx.db, accountId)]);
  return { dataExport: exportState(row, ctx.clock()), erasure: erasure ?? null };
}

const erasureSchema = z.object({
  confirmation: z.literal('oui', { error: DATA_RIGHTS_TEXTS.confirmRequired }),
  message: optionalText(2000),
});

export function dataRightsPages(options: { base: string; layout: 'assure' | 'entreprise'; kind: 'member' | 'hr'; baseTitle: string }) {
  const { base, layout, kind } = options;

  /** The answer to « Télécharger mes données »: the block again with its message (htmx), else the profile with a flash. */
  async function answerExport(ctx: AppContext, req: Request, res: Response, message: string, notice: 'success' | 'error') {
    if (!wantsFragment(req)) {
      res.redirectWithFlash(`${base}#mes-donnees`, message, notice);
      return;
    }
    await res.renderPage({
      // Only the fragment is rendered here: the page is the profile, which a request without htmx is redirected to.
      page: `${layout}/profile`,
      fragment: 'personal-data/rights',
      layout,
      title: options.baseTitle,
      status: notice === 'error' ? 409 : undefined,
      locals: { base, ...(await dataRightsLocals(ctx, req.account!.id)), notice: { kind: notice, message } },
    });
  }

  function requestExport(ctx: AppContext) {
    return async (req: Request, res: Response) => {
      const now = ctx.clock();
      const account = req.account!;
      const id = await insertDataExport(ctx.db, account.id, now);
      if (id === null) {
        await answerExport(ctx, req, res, DATA_RIGHTS_TEXTS.exportAlreadyPending, 'error');
        return;
      }
      await recordAudit(ctx.db, now, {
        event: 'data_export_requested',
        accountId: account.id,
        accountKind: kind,
        ...requestOrigin(req),
        detail: { export: id },
      });
      await answerExport(ctx, req, res, DATA_RIGHTS_TEXTS.exportRequested, 'success');
    };
  }

  function downloadExport(ctx: AppContext) {
    return async (req: Request, res: Response) => {
      const id = Number(req.params.id);
      const account = req.account!;
      // Another account's request is not found: 404, whatever its state.
      if (!Number.isSafeInteger(id) || id < 1 || !(await findDataExport(ctx.db, account.id, id))) throw new HttpError(404);
      const now = ctx.clock();
      if (await sendDataExportOnce(ctx.db, ctx.files, res, account.id, id, now)) {
        await recordAudit(ctx.db, now, {
          event: 'data_export_downloaded',
          accountId: account.id,
          accountKind: kind,
          ...requestOrigin(req),
          detail: { export: id },
        });
        return;
      }
      res.redirectWithFlash(`${base}#mes-donnees`, DATA_RIGHTS_TEXTS.exportGone, 'error');
    };
  }

  async function renderErasure(
    req: Request,
    res: Response,
    ctx: AppContext,
    form: { status?: number; errors?: FieldErrors; values?: Record<string, string> } = {},
  ) {
    const pending = await latestErasureRequest(ctx.db, req.account!.id);
    await res.renderPage({
      page: 'personal-data/erasure',
      fragment: 'personal-data/erasure-form',
      layout,
      title: 'Demander l’effacement de mes données',
      status: form.status,
      locals: {
        base,
        baseTitle: options.baseTitle,
        errors: form.errors ?? {},
        values: form.values ?? {},
        pending: pending?.status === 'pending' ? pending : null,
      },
    });
  }

  function showErasureForm(ctx: AppContext) {
    return async (req: Request, res: Response) => renderErasure(req, res, ctx);
  }

  function requestErasure(ctx: AppContext) {
    return async (req: Request, res: Response) => {
      const parsed = parseForm(erasureSchema, req.body);
      if (!parsed.ok) {
        await renderErasure(req, res, ctx, { status: 422, errors: orderedErrors(parsed.errors, ['confirmation', 'message']), values: keptValues(req.body) });
        return;
      }
      const now = ctx.clock();
      const account = req.account!;
      const id = await insertErasureRequest(ctx.db, account.id, kind, parsed.data.message || null, now);
      if (id === null) {
        res.redirectWithFlash(`${base}#mes-donnees`, DATA_RIGHTS_TEXTS.erasureAlreadyPending, 'error');
        return;
      }
      await recordAudit(ctx.db, now, { event: 'erasure_requested', accountId: account.id, accountKind: kind, ...requestOrigin(req), detail: { erasure: id } });
      res.redirectWithFlash(`${base}#mes-donnees`, DATA_RIGHTS_TEXTS.erasureRequested);
    };
  }

  return { requestExport, downloadExport, showErasureForm, requestErasure };
}

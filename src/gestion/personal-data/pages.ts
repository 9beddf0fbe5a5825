// « Données personnelles » (superviseur only, src/gestion/roles.ts): the erasure requests of
// members and HR users — the list (pending first), one request with what accepting erases and
// what the law keeps, « Accepter » or « Refuser » with a reason (src/personal-data/erasure.ts).
// Every decision is audited; the requester is told by email.
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requestOrigin } from '../../auth/session.js';
import { HttpError } from '../../middleware/errors.js';
import { recordAudit } from '../../stores/audit.js';
import { acceptErasure, refuseErasure } from '../../personal-data/erasure.js';
import { erasureRequestsPage, findErasureRequest } from '../../personal-data/queries.js';
import { keptValues, parseForm, requiredText, type FieldErrors } from '../../validation.js';

const BASE = '/gestion/donnees-personnelles';
const LIST_SIZE = 200;

export const ERASURE_STATUS_LABELS = { pending: 'À traiter', accepted: 'Acceptée', refused: 'Refusée' } as const;
const ERASURE_SPACE_LABELS = { member: 'Espace Assuré', hr: 'Espace Entreprise' } as const;

const TEXTS = {
  accepted: 'La demande d’effacement est acceptée : le compte est anonymisé et fermé. Le demandeur est informé par e-mail.',
  refused: 'La demande d’effacement est refusée. Le demandeur est informé par e-mail.',
  alreadyDone: 'Cette demande a déjà été traitée.',
  reasonRequired: 'Indiquez le motif du refus.',
} as const;

function idOf(req: Request): number {
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id) || id < 1) throw new HttpError(404);
  return id;
}

export function showList(ctx: AppContext) {
  return async (_req: Request, res: Response) => {
    const rows = await erasureRequestsPage(ctx.db, LIST_SIZE);
    await res.renderPage({
      page: 'gestion/personal-data',
      layout: 'gestion',
      title: 'Données personnelles',
      locals: { rows, statusLabels: ERASURE_STATUS_LABELS, spaceLabels: ERASURE_SPACE_LABELS },
    });
  };
}

async function renderRequest(
  ctx: AppContext,
  req: Request,
  res: Response,
  form: { status?: number; errors?: FieldErrors; values?: Record<string, string> } = {},
) {
  const request = await findErasureRequest(ctx.db, idOf(req));
  if (!request) throw new HttpError(404);
  await res.renderPage({
    page: 'gestion/personal-data-request',
    layout: 'gestion',
    title: `Demande d’effacement n° ${request.id}`,
    status: form.status,
    locals: { request, statusLabels: ERASURE_STATUS_LABELS, spaceLabels: ERASURE_SPACE_LABELS, errors: form.errors ?? {}, values: form.values ?? {} },
  });
}

export function showRequest(ctx: AppContext) {
  return async (req: Request, res: Response) => renderRequest(ctx, req, res);
}

export function accept(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const id = idOf(req);
    if (!(await findErasureRequest(ctx.db, id))) throw new HttpError(404);
    const now = ctx.clock();
    const outcome = await acceptErasure(ctx.db, ctx.config, ctx.files, ctx.outbox, id, req.account!.id, now);
    if (!outcome.ok) {
      res.redirectWithFlash(`${BASE}/${id}`, TEXTS.alreadyDone, 'error');
      return;
    }
    await recordAudit(ctx.db, now, {
      event: 'erasure_accepted',
      accountId: req.account!.id,
      accountKind: 'staff',
      ...requestOrigin(req),
      detail: { erasure: id, target: outcome.targetAccountId, files: outcome.filesDeleted },
    });
    res.redirectWithFlash(BASE, TEXTS.accepted);
  };
}

const refuseSchema = z.object({ reason: requiredText(TEXTS.reasonRequired, 1000) });

export function refuse(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const id = idOf(req);
    if (!(await findErasureRequest(ctx.db, id))) throw new HttpError(404);
    const parsed = parseForm(refuseSchema, req.body);
    if (!parsed.ok) {
      await renderRequest(ctx, req, res, { status: 422, errors: parsed.errors, values: keptValues(req.body) });
      return;
    }
    const now = ctx.clock();
    const outcome = await refuseErasure(ctx.db, ctx.config, ctx.outbox, id, req.account!.id, parsed.data.reason, now);
    if (!outcome.ok) {
      res.redirectWithFlash(`${BASE}/${id}`, TEXTS.alreadyDone, 'error');
      return;
    }
    await recordAudit(ctx.db, now, {
      event: 'erasure_refused',
      accountId: req.account!.id,
      accountKind: 'staff',
      ...requestOrigin(req),
      detail: { erasure: id, target: outcome.targetAccountId },
    });
    res.redirectWithFlash(BASE, TEXTS.refused);
  };
}

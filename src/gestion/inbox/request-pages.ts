// A request of the staff inbox: a demande de remboursement, a
// demande de devis or a télétransmission request, with the member, the documents (downloaded by
// staff only), the whole timeline — internal notes and assignments included, marked as such — and
// the actions the request's status allows (src/domain/correspondence.ts, requestTransition):
// assign, take it, note, ask for a missing document, accept a remboursement with the amount and
// payment date, answer a devis line by line (pre-filled from the member's estimate), confirm a
// télétransmission change, refuse with a reason. Every action goes through staffRequestAction
// (src/correspondence/service.ts: the timeline event, the member's notification, the audit line,
// in one transaction), with the status the page showed: when someone else acted first, the page
// comes back as it now stands with a message, never a 500.
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { requestOrigin } from '../../auth/session.js';
import { sendAttachment } from '../../correspondence/downloads.js';
import { findRequest, findRequestAttachment, type RequestWithTimeline, type TimelineEvent } from '../../correspondence/queries.js';
import { CORRESPONDENCE_MESSAGES, staffRequestAction, type StaffActor, type StaffRequestAction, type Failure } from '../../correspondence/service.js';
import {
  isRequestLate,
  requestActionLabel,
  requestKindLabels,
  requestStatusLabels,
  requestStepLabels,
  requestTransition,
  type RequestAction,
  type RequestStatus,
} from '../../domain/correspondence.js';
import { formatDateFr, isoToday } from '../../domain/dates.js';
import { formatEuros } from '../../domain/money.js';
import { teletransmissionLabels, type TeletransmissionStatus } from '../../domain/teletransmission.js';
import { formatInteger } from '../../domain/text.js';
import { HttpError } from '../../middleware/errors.js';
import { safeOriginalName } from '../../middleware/uploads.js';
import { keptValues, orderedErrors, parseForm, positiveId, type FieldErrors } from '../../validation.js';
import {
  acceptSchema,
  failureOnPage,
  estimateFormLines,
  noteSchema,
  parseAskDocument,
  parseAssignee,
  parseDevisAnswer,
  refuseSchema,
  seenRequestStatus,
  typedDevisLines,
  type DevisFormLine,
} from './forms.js';
import { INBOX_TEXTS, requestObjectLabel } from './labels.js';
import { assigneeChoices, REQUESTS_BASE, staffName } from './pages.js';
import { findAccountNames, findMember, findStaffAccounts, findTeletransmissionStatus } from './queries.js';

/** Blank lines offered under the estimate's in the devis answer form. */
const BLANK_DEVIS_LINES = 2;

const actorOf = (req: Request): StaffActor => ({ side: 'staff', accountId: req.account!.id, origin: requestOrigin(req) });

async function loadRequest(ctx: AppContext, req: Request): Promise<RequestWithTimeline> {
  const id = positiveId(req.params.id);
  if (!id) throw new HttpError(404);
  const request = await findRequest(ctx.db, { side: 'staff', accountId: req.account!.id }, id);
  if (!request) throw new HttpError(404);
  return request;
}

function detailOf(event: TimelineEvent): Record<string, unknown> {
  if (!event.detail) return {};
  try {
    const value: unknown = JSON.parse(event.detail);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A timeline step as staff read it: what happened, said for the request's kind, and its detail. */
function eventText(request: RequestWithTimeline, event: TimelineEvent, names: Map<number, string>): { label: string; detail: string | null } {
  const detail = detailOf(event);
  if (event.action === 'assign') {
    const to = typeof detail.to === 'number' ? (names.get(detail.to) ?? 'un gestionnaire') : null;
    return { label: to ? `Attribuée à ${to}` : 'Attribution retirée', detail: null };
  }
  if (event.action === 'note') return { label: 'Note interne', detail: typeof detail.note === 'string' ? detail.note : null };
  const status = event.status as RequestStatus | null;
  let label = status ? requestStepLabels[status] : event.action;
  if (event.action === 'accept' && request.kind === 'devis') label = 'Réponse au devis envoyée';
  if (event.action === 'accept' && request.kind === 'teletransmission') label = 'Demande de télétransmission confirmée';
  let text: string | null = null;
  if (typeof detail.documents === 'string') text = `Documents demandés : ${detail.documents}`;
  else if (typeof detail.amountCents === 'number' && typeof detail.paymentDay === 'string')
    text = `Montant remboursé : ${formatEuros(detail.amountCents)}, payé le ${formatDateFr(detail.paymentDay)}`;
  else if (typeof detail.estimatedCents === 'number') text = `Remboursement estimé : ${formatEuros(detail.estimatedCents)}`;
  else if (typeof detail.reason === 'string') text = `Motif : ${detail.reason}`;
  else if (typeof detail.message === 'string') text = `Message de l'assuré : ${detail.message}`;
  return { label, detail: text };
}

function whoActed(event: TimelineEvent, names: Map<number, string>): string {
  const name = event.account_id !== null ? names.get(event.account_id) : undefined;
  if (event.side === 'staff') return name ? `${name} (gestion)` : 'Un gestionnaire';
  return name ? `${name} (assuré)` : "L'assuré";
}

function fileSize(bytes: number): string {
  return `${formatInteger(Math.max(1, Math.round(bytes / 1024)))} Ko`;
}
function fileType(mime: string): string {
  return mime === 'application/pdf' ? 'PDF' : mime === 'image/jpeg' ? 'JPEG' : mime === 'image/png' ? 'PNG' : 'fichier';
}

interface PageState {
  /** Which form the errors and values belong to. */
  form?: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
  devisLines?: DevisFormLine[];
  /** The documents ticked in « Demander un document manquant ». */
  checked?: string[];
  status?: number;
}

async function renderRequest(ctx: AppContext, req: Request, res: Response, request: RequestWithTimeline, state: PageState = {}): Promise<void> {
  const me = req.account!.id;
  const lists = ctx.config.brand.correspondence;
  const [staff, member, noemie] = await Promise.all([
    findStaffAccounts(ctx.db),
    findMember(ctx.db, request.member_id),
    request.kind === 'teletransmission' && request.beneficiary_id !== null ? findTeletransmissionStatus(ctx.db, request.beneficiary_id) : undefined,
  ]);
  const detailTo = request.events.map((e) => detailOf(e).to).filter((v): v is number => typeof v === 'number');
  const names = await findAccountNames(ctx.db, [...request.events.map((e) => e.account_id).filter((v): v is number => v !== null), ...detailTo]);
  const today = isoToday(ctx.clock);
  const allowed = (action: RequestAction) => requestTransition(request.status, action, 'staff').ok;
  const objectLabel = requestObjectLabel(lists, request.kind, request.object);
  const required = request.kind === 'remboursement' ? (lists.remboursement.find((o) => o.code === request.object)?.documents ?? []) : [];
  const devisLines =
    state.devisLines ??
    [...estimateFormLines(request.estimate_lines, formatEuros)].concat(
      Array.from({ length: BLANK_DEVIS_LINES }, () => ({ label: '', amount: '', reimbursed: '' })),
    );
  const answerLines = readAnswerLines(request.answer_lines);
  const title = `${requestKindLabels[request.kind]} ${request.reference}`;
  await res.renderPage({
    page: 'gestion/request',
    fragment: 'gestion/request-detail',
    layout: 'gestion',
    title,
    status: state.status,
    locals: {
      base: REQUESTS_BASE,
      heading: title,
      request: {
        id: request.id,
        reference: request.reference,
        kind: request.kind,
        kindLabel: requestKindLabels[request.kind],
        objectLabel,
        status: request.status,
        statusLabel: requestStatusLabels[request.status],
        createdAt: request.created_at,
        expectedDay: request.expected_day,
        late: request.expected_day !== null && isRequestLate({ status: request.status, expectedDay: request.expected_day }, today),
        assignee: request.assigned_account_id === me ? 'Vous' : staffName(staff, request.assigned_account_id),
        message: request.message,
        beneficiary: request.beneficiary_name,
        memberName: member ? `${member.first_name} ${member.last_name}` : '',
        memberNumber: member?.member_number ?? '',
        missingDocuments: request.status === 'missing_document' ? request.missing_documents : null,
        reimbursedCents: request.reimbursed_amount_cents,
        paymentDay: request.payment_day,
        refusalReason: request.refusal_reason,
        estimatedCents: request.estimated_amount_cents,
        answer: request.answer,
        answeredAt: request.answered_at,
        answerLines,
        noemie: noemie ? (teletransmissionLabels[noemie as TeletransmissionStatus] ?? noemie) : null,
      },
      requiredDocuments: required,
      attachments: request.attachments.map((a) => ({
        href: `${REQUESTS_BASE}/${request.id}/documents/${a.id}`,
        name: safeOriginalName(a.original_name),
        type: fileType(a.mime),
        size: fileSize(a.size_bytes),
        at: a.created_at,
        later: a.event_id !== null && request.events.find((e) => e.id === a.event_id)?.action === 'add_document',
      })),
      events: [...request.events].reverse().map((e) => ({ at: e.at, internal: !e.visible, who: whoActed(e, names), ...eventText(request, e, names) })),
      actions: {
        start: allowed('start') ? requestActionLabel(request.kind, 'start') : null,
        askDocument: request.kind === 'remboursement' && allowed('ask_document') ? requestActionLabel(request.kind, 'ask_document') : null,
        accept: allowed('accept') ? requestActionLabel(request.kind, 'accept') : null,
        refuse: allowed('refuse') ? (request.kind === 'teletransmission' ? 'Rejeter la demande' : requestActionLabel(request.kind, 'refuse')) : null,
      },
      assignees: assigneeChoices(staff, me),
      assignedValue: request.assigned_account_id === null ? 'aucun' : request.assigned_account_id === me ? 'moi' : String(request.assigned_account_id),
      devisLines,
      checkedDocuments: state.checked ?? [],
      form: state.form ?? null,
      errors: state.errors && Object.keys(state.errors).length ? state.errors : undefined,
      values: state.values ?? {},
    },
  });
}

function readAnswerLines(json: string | null): { label: string; amountCents: number; reimbursedCents: number }[] {
  if (!json) return [];
  try {
    const lines: unknown = JSON.parse(json);
    return Array.isArray(lines)
      ? lines.filter((l) => l && typeof l.label === 'string' && Number.isSafeInteger(l.amountCents) && Number.isSafeInteger(l.reimbursedCents))
      : [];
  } catch {
    return [];
  }
}

export function showRequest(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    await renderRequest(ctx, req, res, await loadRequest(ctx, req));
  };
}

/** A document of the request, from the upload folder (never the web root), as an attachment; staff only (the space's guard). */
export function downloadRequestDocument(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const requestId = positiveId(req.params.id);
    const id = positiveId(req.params.documentId);
    if (!requestId || !id) throw new HttpError(404);
    const file = await findRequestAttachment(ctx.db, { side: 'staff', accountId: req.account!.id }, id);
    if (!file || file.request_id !== requestId) throw new HttpError(404);
    await sendAttachment(res, ctx.files, 'requests', file);
  };
}

// ------------------------------------------------------------------ actions
/** The French flash of each action done. */
const DONE: Record<StaffRequestAction['type'], (reference: string) => string> = {
  start: (r) => `Vous avez pris en charge la demande ${r}.`,
  ask_document: (r) => `Le document manquant est demandé à l'assuré pour la demande ${r}.`,
  accept: (r) => `La demande ${r} est traitée : l'assuré est informé du remboursement.`,
  answer_devis: (r) => `La réponse au devis ${r} est envoyée à l'assuré.`,
  confirm_teletransmission: (r) => `La demande ${r} est confirmée : la télétransmission de l'assuré est à jour.`,
  refuse: (r) => `La demande ${r} est refusée : l'assuré est informé du motif.`,
  assign: (r) => `L'attribution de la demande ${r} est enregistrée.`,
  note: (r) => `Votre note interne est ajoutée à la demande ${r}.`,
};

/** What a form of the page asks, or the French messages to show beside its fields. */
type Parse = (req: Request, request: RequestWithTimeline) => { ok: true; action: StaffRequestAction } | { ok: false; errors: FieldErrors };

async function act(ctx: AppContext, req: Request, res: Response, form: string, parse: Parse, guarded: boolean): Promise<void> {
  const request = await loadRequest(ctx, req);
  const parsed = parse(req, request);
  const ticked = (req.body as Record<string, unknown> | undefined)?.document;
  const keep: PageState = {
    form,
    values: keptValues(req.body),
    devisLines: form === 'accept' && request.kind === 'devis' ? typedDevisLines(req.body) : undefined,
    checked: (Array.isArray(ticked) ? ticked : [ticked]).filter((v): v is string => typeof v === 'string'),
  };
  // A status move needs the status the page showed: without it (or with one that is none) the
  // action would be applied to a state nobody saw, so it is refused like a stale page.
  const seen = seenRequestStatus(req.body);
  if (guarded && seen === undefined) {
    await renderFailure(ctx, req, res, request.id, { ok: false, code: 'refused', reason: CORRESPONDENCE_MESSAGES.conflict }, keep);
    return;
  }
  if (!parsed.ok) {
    await renderRequest(ctx, req, res, request, { ...keep, errors: parsed.errors, status: 422 });
    return;
  }
  const result = await staffRequestAction(ctx, actorOf(req), request.id, parsed.action, guarded ? { expectedStatus: seen } : {});
  if (result.ok) {
    res.redirectWithFlash(`${REQUESTS_BASE}/${request.id}`, DONE[parsed.action.type](request.reference));
    return;
  }
  await renderFailure(ctx, req, res, request.id, result, keep);
}

/** A refused action: 404 when the request is gone, else the page as it now stands with the message (beside the field, or on top). */
async function renderFailure(ctx: AppContext, req: Request, res: Response, id: number, failure: Failure, keep: PageState): Promise<void> {
  const shown = failureOnPage(failure);
  const now = await findRequest(ctx.db, { side: 'staff', accountId: req.account!.id }, id);
  if (!now) throw new HttpError(404);
  await renderRequest(ctx, req, res, now, { ...keep, ...shown });
}

const ok = (action: StaffRequestAction) => ({ ok: true as const, action });

export const assign = (ctx: AppContext) => async (req: Request, res: Response) =>
  act(
    ctx,
    req,
    res,
    'assign',
    (r) => {
      const to = parseAssignee(r.body, r.account!.id);
      return to === undefined ? { ok: false, errors: { gestionnaire: INBOX_TEXTS.badAssignee } } : ok({ type: 'assign', to });
    },
    false,
  );

export const start = (ctx: AppContext) => async (req: Request, res: Response) => act(ctx, req, res, 'start', () => ok({ type: 'start' }), true);

export const note = (ctx: AppContext) => async (req: Request, res: Response) =>
  act(
    ctx,
    req,
    res,
    'note',
    (r) => {
      const parsed = parseForm(noteSchema, r.body, { multiline: ['note'] });
      return parsed.ok ? ok({ type: 'note', text: parsed.data.note }) : parsed;
    },
    false,
  );

export const askDocument = (ctx: AppContext) => async (req: Request, res: Response) =>
  act(
    ctx,
    req,
    res,
    'ask',
    (r, request) => {
      const required = ctx.config.brand.correspondence.remboursement.find((o) => o.code === request.object)?.documents ?? [];
      const parsed = parseAskDocument(r.body, required);
      return parsed.ok ? ok({ type: 'ask_document', documents: parsed.data.documents }) : parsed;
    },
    true,
  );

export const accept = (ctx: AppContext) => async (req: Request, res: Response) =>
  act(
    ctx,
    req,
    res,
    'accept',
    (r, request) => {
      if (request.kind === 'teletransmission') return ok({ type: 'confirm_teletransmission' });
      if (request.kind === 'devis') {
        const parsed = parseDevisAnswer(r.body);
        return parsed.ok ? ok({ type: 'answer_devis', lines: parsed.data.lines, message: parsed.data.message }) : parsed;
      }
      const parsed = parseForm(acceptSchema, r.body);
      return parsed.ok
        ? ok({ type: 'accept', amountCents: parsed.data.montant, paymentDay: parsed.data.date_paiement })
        : { ok: false, errors: orderedErrors(parsed.errors, ['montant', 'date_paiement']) };
    },
    true,
  );

export const refuse = (ctx: AppContext) => async (req: Request, res: Response) =>
  act(
    ctx,
    req,
    res,
    'refuse',
    (r) => {
      const parsed = parseForm(refuseSchema, r.body, { multiline: ['motif'] });
      return parsed.ok ? ok({ type: 'refuse', reason: parsed.data.motif }) : parsed;
    },
    true,
  );

// Espace Assuré — Démarches: the menu, « Demande de
// remboursement » (the guide's five steps), « Transmettre un devis » with the reste-à-charge
// estimate, and « Mes demandes » with each request's timeline. The requests themselves are
// written by src/correspondence/service.ts (reference, timeline, audit, email notice); this file
// parses the forms and renders the pages.
//
// Files: the forms post multipart through src/middleware/uploads.ts (PDF, JPEG, PNG checked by
// content, 3 Mo each, 4 at most). The file input comes last in each form: at a size or count limit
// the parser stops reading the body (multer aborts), so a field placed after it would be lost. Files
// received with a form that comes back with an error are kept for the next submission
// (./kept-files.ts, src/correspondence/pending-uploads.ts). A sending (startSending,
// src/correspondence/sending.ts) spends the form's one-time
// token first (a double click sends once), then takes the kept files out of the table: only one
// request ever holds a kept file, and only a file this request holds is ever deleted.
import type { Request, Response } from 'express';
import { claimPending, deleteHeld, newSendToken, SEND_TEXTS } from '../../correspondence/pending-uploads.js';
import { formFiles as keptFormFiles, keepAgain, startSending, type FormFiles, type SendAgain, type SendingForm } from '../../correspondence/sending.js';
import type { AppContext } from '../../context.js';
import { requestOrigin } from '../../auth/session.js';
import { CORRESPONDENCE_LINKS } from '../../correspondence/notices.js';
import { sendAttachment } from '../../correspondence/downloads.js';
import { findRequest, findRequestAttachment, listMemberRequests, type RequestWithTimeline, type StoredFile } from '../../correspondence/queries.js';
import { addMissingDocuments, CORRESPONDENCE_MESSAGES, createRequest, MAX_FILES, type Failure, type MemberActor } from '../../correspondence/service.js';
import { CARE_ACTS } from '../../domain/care-acts.js';
import { INSURER_TURN_STATUSES, requestKindLabels, requestStatusLabels, requestStepLabels, type RequestKind } from '../../domain/correspondence.js';
import { formatDateFr, formatParisDayFr, isoToday } from '../../domain/dates.js';
import { formatEuros } from '../../domain/money.js';
import { usedThisYearByGuarantee, type QuoteEstimate } from '../../domain/reste-a-charge.js';
import { readStoredEstimate, toStoredEstimate } from '../../domain/stored-estimate.js';
import { HttpError } from '../../middleware/errors.js';
import { wantsFragment } from '../../middleware/render.js';
import { uploads } from '../../middleware/uploads.js';
import { clampPage, pageInvalidText } from '../../paging.js';
import { orderedErrors, positiveId, queryPage, unsafeTextErrors, type FieldErrors } from '../../validation.js';
import type { Brand } from '../../brand.js';
import { memberIdOf } from '../member.js';
import { discard, type KeptFile } from './kept-files.js';
import { beneficiaryCareOfYear, coveredFamily, currentGuarantees, type FamilyBeneficiary } from './queries.js';
import { actGroups, estimateOf, isQuoteObject, lineField, MAX_QUOTE_LINES, parseQuoteLines, type QuoteRow } from './quote-lines.js';

const BASE = '/assure/demarches';
const DEMARCHES_LINKS = {
  menu: BASE,
  remboursement: `${BASE}/remboursement`,
  devis: `${BASE}/devis`,
  estimation: `${BASE}/devis/estimation`,
  requests: `${BASE}/demandes`,
  request: CORRESPONDENCE_LINKS.memberRequest,
  /** The Messagerie sécurisée (its pages: src/assure/messagerie/). */
  messagerie: '/assure/messagerie',
} as const;

const MAX_FILE_BYTES = 3 * 1024 * 1024;
const MAX_MESSAGE = 5000;
const PAGE_SIZE = 10;

const DEMARCHES_TEXTS = {
  objectRequired: "Choisissez l'objet de votre demande.",
  devisObjectRequired: "Choisissez l'objet de votre demande de devis.",
  beneficiaryRequired: 'Choisissez le bénéficiaire concerné.',
  messageTooLong: CORRESPONDENCE_MESSAGES.messageTooLong,
  sent: (kind: 'remboursement' | 'devis', reference: string, expectedDay: string) =>
    `Votre ${kind === 'remboursement' ? 'demande de remboursement' : 'demande de devis'} est transmise sous la référence ${reference}. Nous vous répondrons au plus tard le ${formatDateFr(expectedDay)} ; un e-mail vous le confirme.`,
  documentsAdded: (reference: string) => `Vos documents sont ajoutés à la demande ${reference}.`,
} as const;

/** PDF, JPEG or PNG checked by content, 3 Mo each, 4 at most, into UPLOAD_DIR/requests. */
export function requestUploads(ctx: AppContext) {
  return uploads(ctx, {
    folder: 'requests',
    fields: [{ name: 'documents', maxCount: MAX_FILES }],
    maxFileBytes: MAX_FILE_BYTES,
    maxFiles: MAX_FILES,
    allowed: ['pdf', 'jpeg', 'png'],
  });
}

const actorOf = (req: Request): MemberActor => ({ side: 'member', accountId: req.account!.id, memberId: memberIdOf(req), origin: requestOrigin(req) });
const field = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

// ------------------------------------------------------------------ object labels
/** The label of a request's object, from the brand's lists (the code itself when the brand no longer lists it). */
function requestObjectLabel(brand: Brand, kind: RequestKind, object: string): string {
  if (kind === 'remboursement') return brand.correspondence.remboursement.find((o) => o.code === object)?.label ?? object;
  if (kind === 'devis') return brand.correspondence.devis.find((o) => o.code === object)?.label ?? object;
  return object === 'activation' ? 'Activation de la télétransmission' : 'Désactivation de la télétransmission';
}

// ------------------------------------------------------------------ menu
export function showMenu(_ctx: AppContext) {
  return async (_req: Request, res: Response) => {
    await res.renderPage({ page: 'assure/demarches', layout: 'assure', title: 'Démarches', locals: { links: DEMARCHES_LINKS } });
  };
}

// ------------------------------------------------------------------ files of a form
/**
 * The files of a form after this submission: its kept files are taken out of the table (this
 * request alone holds them now); those whose « garder » box is no longer ticked are deleted; the
 * ones just received are added when they fit in the limit, the upload's refusal said otherwise.
 */
async function collectFiles(ctx: AppContext, req: Request, form: string): Promise<FormFiles> {
  const ticked = (req.body as Record<string, unknown> | undefined)?.garder;
  const keep = new Set((Array.isArray(ticked) ? ticked : [ticked]).filter((v): v is string => typeof v === 'string'));
  const claimed = await claimPending(ctx.db, ctx.files, req.account!.id, form);
  await deleteHeld(
    ctx.files,
    claimed.filter((f) => !keep.has(f.key)),
  );
  let files: StoredFile[] = claimed.filter((f) => keep.has(f.key));
  const incoming: StoredFile[] = req.uploads ?? [];
  if (files.length < keep.size) return { files: [...files, ...incoming], taken: true };
  let error: string | undefined;
  if (req.uploadError) {
    error = req.uploadError.message;
  } else if (incoming.length) {
    if (files.length + incoming.length > MAX_FILES) {
      await discard(ctx.files, req.uploads);
      error = files.length
        ? `Vous pouvez joindre au plus ${MAX_FILES} documents : ${files.length} sont déjà joints, décochez-en pour en joindre d'autres.`
        : CORRESPONDENCE_MESSAGES.tooManyFiles;
    } else {
      files = [...files, ...incoming];
    }
  }
  return { files, error };
}

/** A Démarches form: its files kept under its name in UPLOAD_DIR/requests, read by collectFiles, at least one required. */
function requestForm(ctx: AppContext, req: Request, key: string): SendingForm {
  return { key, folder: 'requests', collect: () => collectFiles(ctx, req, key), filesRequired: true };
}

const formFiles = (ctx: AppContext, req: Request, key: string) => keptFormFiles(ctx, req, { key, folder: 'requests' });

function failureErrors(failure: Failure, fields: Record<string, string>): FieldErrors {
  const name = failure.field ? (fields[failure.field] ?? failure.field) : '_form';
  return { [name]: failure.reason };
}

/** The service's field names → the form's. */
const SERVICE_FIELDS: Record<string, string> = { objet: 'objet', beneficiaire: 'beneficiaire', documents: 'documents', message: 'message' };

function checkMessage(message: string, errors: FieldErrors): void {
  if (message.trim().length > MAX_MESSAGE) errors.message ??= DEMARCHES_TEXTS.messageTooLong;
}

function checkBeneficiary(raw: string, family: FamilyBeneficiary[], errors: FieldErrors): number | null {
  const id = positiveId(raw);
  if (!raw) errors.beneficiaire ??= DEMARCHES_TEXTS.beneficiaryRequired;
  else if (!id || !family.some((b) => b.id === id)) errors.beneficiaire ??= CORRESPONDENCE_MESSAGES.beneficiary;
  return id && family.some((b) => b.id === id) ? id : null;
}

// ------------------------------------------------------------------ demande de remboursement
interface RemboursementValues {
  objet: string;
  beneficiaire: string;
  message: string;
}

async function renderRemboursement(
  ctx: AppContext,
  req: Request,
  res: Response,
  options: { values?: RemboursementValues; errors?: FieldErrors; files?: KeptFile[]; status?: number } = {},
) {
  const family = await coveredFamily(ctx.db, memberIdOf(req), isoToday(ctx.clock));
  await res.renderPage({
    page: 'assure/demarches-remboursement',
    layout: 'assure',
    title: 'Demande de remboursement',
    status: options.status,
    locals: {
      objects: ctx.config.brand.correspondence.remboursement,
      family,
      values: options.values ?? { objet: '', beneficiaire: '', message: '' },
      errors: options.errors,
      files: options.files ?? (await formFiles(ctx, req, 'remboursement')),
      maxFiles: MAX_FILES,
      sendToken: newSendToken(),
      action: DEMARCHES_LINKS.remboursement,
    },
  });
}

export function showRemboursement(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    await renderRemboursement(ctx, req, res);
  };
}

export function sendRemboursement(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const form = 'remboursement';
    const values: RemboursementValues = {
      objet: field(req.body, 'objet').trim(),
      beneficiaire: field(req.body, 'beneficiaire').trim(),
      message: field(req.body, 'message'),
    };
    const again: SendAgain = (errors, status, files) => renderRemboursement(ctx, req, res, { values, errors, status, ...(files ? { files } : {}) });
    const sending = await startSending(
      ctx,
      req,
      res,
      requestForm(ctx, req, form),
      again,
      async () => {
        const errors: FieldErrors = unsafeTextErrors({ message: values.message }, ['message']);
        const objects = ctx.config.brand.correspondence.remboursement;
        if (!values.objet) errors.objet = DEMARCHES_TEXTS.objectRequired;
        else if (!objects.some((o) => o.code === values.objet)) errors.objet = CORRESPONDENCE_MESSAGES.unknownObject;
        const family = await coveredFamily(ctx.db, memberIdOf(req), isoToday(ctx.clock));
        const value = checkBeneficiary(values.beneficiaire, family, errors);
        checkMessage(values.message, errors);
        return { errors, value };
      },
      ['objet', 'beneficiaire', 'message', 'documents'],
    );
    if (!sending) return;
    const result = await createRequest(ctx, actorOf(req), {
      kind: 'remboursement',
      object: values.objet,
      beneficiaryId: sending.value,
      message: values.message.trim() || null,
      files: sending.files,
    });
    if (!result.ok) {
      await sending.abandon();
      await again(failureErrors(result, SERVICE_FIELDS), result.code === 'invalid' ? 422 : 409);
      return;
    }
    await sending.done(DEMARCHES_LINKS.request(result.id));
    res.redirectWithFlash(DEMARCHES_LINKS.request(result.id), DEMARCHES_TEXTS.sent('remboursement', result.reference, result.expectedDay));
  };
}

// ------------------------------------------------------------------ transmettre un devis
interface DevisValues {
  objet: string;
  beneficiaire: string;
  message: string;
}

/** The guarantees and this year's used amounts of the chosen beneficiary, for the estimate. */
async function estimateContext(ctx: AppContext, req: Request, beneficiaryId: number | null) {
  const memberId = memberIdOf(req);
  const today = isoToday(ctx.clock);
  const guarantees = await currentGuarantees(ctx.db, memberId, today);
  const care = beneficiaryId ? await beneficiaryCareOfYear(ctx.db, memberId, beneficiaryId, Number(today.slice(0, 4))) : [];
  return { guarantees, usedThisYearCents: usedThisYearByGuarantee(care, guarantees, CARE_ACTS) };
}

interface EstimateView {
  estimate: QuoteEstimate | null;
  /** No beneficiary chosen: what their guarantees already paid this year is not counted. */
  withoutBeneficiary: boolean;
  /** No contract in force: nothing for the contract to pay. */
  withoutContract: boolean;
  errors: string[];
}

/** The quote lines typed and their estimate (null when no line is complete). */
async function quoteOf(ctx: AppContext, req: Request, body: unknown, values: DevisValues, family: FamilyBeneficiary[]) {
  const object = isQuoteObject(values.objet) ? values.objet : null;
  const parsed = parseQuoteLines(body, object);
  const beneficiaryId = positiveId(values.beneficiaire);
  const own = beneficiaryId && family.some((b) => b.id === beneficiaryId) ? beneficiaryId : null;
  const context = await estimateContext(ctx, req, own);
  const estimate = estimateOf(parsed.lines, context);
  const view: EstimateView = { estimate, withoutBeneficiary: own === null, withoutContract: !context.guarantees.length, errors: Object.values(parsed.errors) };
  return { parsed, object, view };
}

async function renderDevis(
  ctx: AppContext,
  req: Request,
  res: Response,
  options: {
    values?: DevisValues;
    rows?: QuoteRow[];
    estimate?: EstimateView;
    errors?: FieldErrors;
    files?: KeptFile[];
    status?: number;
    family?: FamilyBeneficiary[];
  } = {},
) {
  const family = options.family ?? (await coveredFamily(ctx.db, memberIdOf(req), isoToday(ctx.clock)));
  const values = options.values ?? { objet: '', beneficiaire: '', message: '' };
  await res.renderPage({
    page: 'assure/demarches-devis',
    fragment: 'assure/demarches-estimate',
    layout: 'assure',
    title: 'Transmettre un devis',
    status: options.status,
    locals: {
      objects: ctx.config.brand.correspondence.devis,
      family,
      values,
      rows: options.rows ?? parseQuoteLines({}, null).rows,
      actGroups: actGroups(isQuoteObject(values.objet) ? values.objet : null),
      lineField,
      maxLines: MAX_QUOTE_LINES,
      estimate: options.estimate ?? null,
      errors: options.errors,
      files: options.files ?? (await formFiles(ctx, req, 'devis')),
      maxFiles: MAX_FILES,
      sendToken: newSendToken(),
      action: DEMARCHES_LINKS.devis,
      estimationAction: DEMARCHES_LINKS.estimation,
    },
  });
}

export function showDevis(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    await renderDevis(ctx, req, res);
  };
}

const devisValues = (body: unknown): DevisValues => ({
  objet: field(body, 'objet').trim(),
  beneficiaire: field(body, 'beneficiaire').trim(),
  message: field(body, 'message'),
});

/**
 * The estimate of the lines in the query string: the estimate alone for htmx (it updates as the
 * member types), the whole devis page with it otherwise. Safe to repeat, so a GET: no file is sent.
 */
export function showEstimate(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const values = devisValues(req.query);
    const family = await coveredFamily(ctx.db, memberIdOf(req), isoToday(ctx.clock));
    const { parsed, view } = await quoteOf(ctx, req, req.query, values, family);
    await renderDevis(ctx, req, res, {
      values,
      rows: parsed.rows,
      estimate: { ...view, errors: wantsFragment(req) ? view.errors : [] },
      errors: wantsFragment(req) ? undefined : parsed.errors,
      family,
    });
  };
}

export function sendDevis(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const form = 'devis';
    const values = devisValues(req.body);
    const family = await coveredFamily(ctx.db, memberIdOf(req), isoToday(ctx.clock));
    const { parsed, view } = await quoteOf(ctx, req, req.body, values, family);
    const order = [
      'objet',
      'beneficiaire',
      ...parsed.rows.flatMap((r) => (['acte', 'montant', 'base', 'jours'] as const).map((p) => lineField(r.n, p))),
      'message',
      'documents',
    ];
    const estimate = { ...view, errors: [] };
    // « Calculer » (without JavaScript): the same form again, with the estimate and the files kept; nothing is sent.
    if (field(req.body, 'action') === 'calculer') {
      const files = await collectFiles(ctx, req, form);
      const errors: FieldErrors = {
        ...parsed.errors,
        ...(files.error ? { documents: files.error } : {}),
        ...(files.taken ? { _form: SEND_TEXTS.filesTaken } : {}),
      };
      const status = files.taken ? 409 : Object.keys(errors).length ? 422 : 200;
      await renderDevis(ctx, req, res, {
        values,
        rows: parsed.rows,
        estimate,
        errors: orderedErrors(errors, order),
        files: await keepAgain(ctx, req, { key: form, folder: 'requests' }, files.files),
        status,
        family,
      });
      return;
    }
    const again: SendAgain = (errors, status, files) =>
      renderDevis(ctx, req, res, { values, rows: parsed.rows, estimate, errors, status, family, ...(files ? { files } : {}) });
    const sending = await startSending(
      ctx,
      req,
      res,
      requestForm(ctx, req, form),
      again,
      async () => {
        const errors: FieldErrors = { ...unsafeTextErrors({ message: values.message }, ['message']), ...parsed.errors };
        if (!values.objet) errors.objet = DEMARCHES_TEXTS.devisObjectRequired;
        else if (!ctx.config.brand.correspondence.devis.some((o) => o.code === values.objet)) errors.objet = CORRESPONDENCE_MESSAGES.unknownObject;
        const value = checkBeneficiary(values.beneficiaire, family, errors);
        checkMessage(values.message, errors);
        return { errors, value };
      },
      order,
    );
    if (!sending) return;
    const result = await createRequest(ctx, actorOf(req), {
      kind: 'devis',
      object: values.objet,
      beneficiaryId: sending.value,
      message: values.message.trim() || null,
      files: sending.files,
      ...(view.estimate ? { estimate: toStoredEstimate(view.estimate) } : {}),
    });
    if (!result.ok) {
      await sending.abandon();
      await again(failureErrors(result, SERVICE_FIELDS), result.code === 'invalid' ? 422 : 409);
      return;
    }
    await sending.done(DEMARCHES_LINKS.request(result.id));
    res.redirectWithFlash(DEMARCHES_LINKS.request(result.id), DEMARCHES_TEXTS.sent('devis', result.reference, result.expectedDay));
  };
}

// ------------------------------------------------------------------ mes demandes
function requestSummary(brand: Brand, r: RequestWithTimeline) {
  return {
    id: r.id,
    reference: r.reference,
    kindLabel: requestKindLabels[r.kind],
    objectLabel: requestObjectLabel(brand, r.kind, r.object),
    beneficiary: r.beneficiary_name ?? '',
    createdDay: formatParisDayFr(r.created_at),
    status: r.status,
    statusLabel: requestStatusLabels[r.status],
    href: DEMARCHES_LINKS.request(r.id),
  };
}

export function showRequests(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const { page: requested, invalid } = queryPage(req.query.page);
    const memberId = memberIdOf(req);
    let found = await listMemberRequests(ctx.db, memberId, requested, PAGE_SIZE);
    const span = clampPage(requested, found.total, PAGE_SIZE);
    if (span.page !== requested) found = await listMemberRequests(ctx.db, memberId, span.page, PAGE_SIZE);
    await res.renderPage({
      page: 'assure/demarches-requests',
      fragment: 'assure/demarches-requests-list',
      layout: 'assure',
      title: 'Mes demandes',
      locals: {
        requests: found.rows.map((r) => requestSummary(ctx.config.brand, r)),
        total: found.total,
        page: span.page,
        pages: span.pages,
        notice: invalid ? pageInvalidText : (span.beyond ?? null),
        links: DEMARCHES_LINKS,
      },
    });
  };
}

async function loadOwnRequest(ctx: AppContext, req: Request): Promise<RequestWithTimeline> {
  const id = positiveId(req.params.id);
  const request = id ? await findRequest(ctx.db, { side: 'member', memberId: memberIdOf(req), accountId: req.account!.id }, id) : undefined;
  if (!request) throw new HttpError(404);
  return request;
}

function parseDetail(detail: string | null): Record<string, unknown> {
  if (!detail) return {};
  try {
    const value = JSON.parse(detail);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** What each step of the timeline says beyond its label (the documents asked for, the amount…). */
function stepDetail(action: string, detail: Record<string, unknown>): string | null {
  if (action === 'ask_document' && typeof detail.documents === 'string') return `Documents demandés : ${detail.documents}`;
  if (action === 'accept' && typeof detail.amountCents === 'number' && typeof detail.paymentDay === 'string')
    return `${formatEuros(detail.amountCents)} remboursés, paiement le ${formatDateFr(detail.paymentDay)}`;
  if (action === 'accept' && typeof detail.estimatedCents === 'number') return `Remboursement estimé : ${formatEuros(detail.estimatedCents)}`;
  if (action === 'refuse' && typeof detail.reason === 'string') return `Motif : ${detail.reason}`;
  if (action === 'add_document' && typeof detail.message === 'string') return `Votre message : ${detail.message}`;
  return null;
}

function devisAnswerLines(json: string | null): { label: string; amountCents: number; reimbursedCents: number }[] {
  if (!json) return [];
  try {
    const lines = JSON.parse(json);
    return Array.isArray(lines)
      ? lines.filter((l) => l && typeof l.label === 'string' && Number.isSafeInteger(l.amountCents) && Number.isSafeInteger(l.reimbursedCents))
      : [];
  } catch {
    return [];
  }
}

/**
 * The dated steps of a request, oldest first. A request written without its timeline (rows seeded
 * straight into the table) still shows the day it was received.
 */
function timelineOf(request: RequestWithTimeline) {
  const steps = request.events
    .filter((e) => e.status !== null)
    .map((e) => ({ label: requestStepLabels[e.status!], at: e.at, detail: stepDetail(e.action, parseDetail(e.detail)) }));
  if (!steps.length) steps.push({ label: requestStepLabels.received, at: request.created_at, detail: null });
  return steps.map((s, i) => ({ ...s, current: i === steps.length - 1 }));
}

async function renderRequest(
  ctx: AppContext,
  req: Request,
  res: Response,
  request: RequestWithTimeline,
  options: { errors?: FieldErrors; message?: string; files?: KeptFile[]; status?: number } = {},
) {
  const form = `demande-${request.id}`;
  await res.renderPage({
    page: 'assure/demarches-request',
    layout: 'assure',
    title: `Demande ${request.reference}`,
    status: options.status,
    locals: {
      request: {
        ...requestSummary(ctx.config.brand, request),
        kind: request.kind,
        message: request.message,
        expectedDay: INSURER_TURN_STATUSES.includes(request.status) ? request.expected_day : null,
        missingDocuments: request.status === 'missing_document' ? request.missing_documents : null,
        reimbursedCents: request.status === 'processed' ? request.reimbursed_amount_cents : null,
        paymentDay: request.status === 'processed' ? request.payment_day : null,
        refusalReason: request.status === 'refused' ? request.refusal_reason : null,
        answerLines: request.status === 'processed' ? devisAnswerLines(request.answer_lines) : [],
        estimatedCents: request.status === 'processed' ? request.estimated_amount_cents : null,
        answer: request.status === 'processed' ? request.answer : null,
        estimate: readStoredEstimate(request.estimate_lines),
      },
      steps: timelineOf(request),
      attachments: request.attachments.map((a) => ({
        name: a.original_name,
        size: a.size_bytes,
        at: a.created_at,
        href: `${DEMARCHES_LINKS.request(request.id)}/documents/${a.id}`,
      })),
      canAddDocuments: request.status === 'missing_document',
      values: { message: options.message ?? '' },
      errors: options.errors,
      files: options.files ?? (await formFiles(ctx, req, form)),
      maxFiles: MAX_FILES,
      sendToken: newSendToken(),
      action: `${DEMARCHES_LINKS.request(request.id)}/documents`,
      links: DEMARCHES_LINKS,
    },
  });
}

export function showRequest(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    await renderRequest(ctx, req, res, await loadOwnRequest(ctx, req));
  };
}

/** « Document manquant »: the member adds the documents asked for to the same request. */
export function addDocuments(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    // Another family's request: nothing received is kept, 404.
    const request = await loadOwnRequest(ctx, req).catch(async (err: unknown) => {
      await discard(ctx.files, req.uploads);
      throw err;
    });
    const form = `demande-${request.id}`;
    const message = field(req.body, 'message');
    // A conflict shows the request as it now stands; other refusals, as it was loaded.
    const again: SendAgain = async (errors, status, files) =>
      renderRequest(ctx, req, res, status === 409 ? await loadOwnRequest(ctx, req) : request, { errors, message, status, ...(files ? { files } : {}) });
    const sending = await startSending(
      ctx,
      req,
      res,
      requestForm(ctx, req, form),
      again,
      async () => {
        const errors: FieldErrors = unsafeTextErrors({ message }, ['message']);
        checkMessage(message, errors);
        return { errors, value: true };
      },
      ['message', 'documents'],
    );
    if (!sending) return;
    const result = await addMissingDocuments(ctx, actorOf(req), request.id, sending.files, message.trim() || null);
    if (!result.ok) {
      await sending.abandon();
      if (result.code === 'not_found') throw new HttpError(404);
      const fresh = await loadOwnRequest(ctx, req);
      await renderRequest(ctx, req, res, fresh, { errors: failureErrors(result, SERVICE_FIELDS), message, status: result.code === 'invalid' ? 422 : 409 });
      return;
    }
    await sending.done(DEMARCHES_LINKS.request(request.id));
    res.redirectWithFlash(DEMARCHES_LINKS.request(request.id), DEMARCHES_TEXTS.documentsAdded(request.reference));
  };
}

/** A document of one of the family's requests, as a download (never inline); another's → 404. */
export function downloadAttachment(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const requestId = positiveId(req.params.id);
    const attachmentId = positiveId(req.params.attachmentId);
    if (!requestId || !attachmentId) throw new HttpError(404);
    const attachment = await findRequestAttachment(ctx.db, { side: 'member', memberId: memberIdOf(req), accountId: req.account!.id }, attachmentId);
    if (!attachment || attachment.request_id !== requestId) throw new HttpError(404);
    await sendAttachment(res, ctx.files, 'requests', attachment);
  };
}

// The operations on requests and message threads, each in one transaction: the rule
// (src/domain/correspondence.ts) decides, ./queries.ts writes, the timeline event and the audit
// line are written with it; the bell notifications too. Emails leave after the commit (the outbox
// is not part of the transaction): a notice never announces what was rolled back.
//
// Files arrive already stored in UPLOAD_DIR/<folder> by the upload middleware
// (src/middleware/uploads.ts), held by this request alone (just received, or claimed from
// ./pending-uploads.ts). They are recorded in the same transaction; when the operation is
// refused or fails, they are deleted — never one a committed row points to — so no request or
// message is left without its files and no file without its row. A crash between the move and
// the commit leaves files no row points to: sweepOrphanFiles deletes them after a day.
//
// Every status move is guarded in SQL (`where status = from`): two staff members acting at once
// cannot both move a request; the second is told it changed.
import type { StoredEstimate } from '../domain/stored-estimate.js';
import type { Knex } from 'knex';
import type { AppContext } from '../context.js';
import { filesOlderThan, removeStored, type FileStore } from '../storage/file-store.js';
import { type Db, isUniqueViolation } from '../db.js';
import type { AuditEvent } from '../domain/audit.js';
import { addBusinessDays } from '../domain/business-days.js';
import {
  expectedAnswerDate,
  formatReference,
  paymentDayError,
  requestTransition,
  threadTransition,
  type RequestAction,
  type RequestKind,
  type RequestStatus,
  type ThreadAction,
  type ThreadStatus,
} from '../domain/correspondence.js';
import { findThreadObject, requestServiceDays } from '../domain/correspondence-inbox.js';
import { isIsoDate, isoToday } from '../domain/dates.js';
import { MAX_AMOUNT_CENTS } from '../domain/money.js';
import type { TeletransmissionStatus } from '../domain/teletransmission.js';
import { addNotification } from '../notifications/store.js';
import { recordAudit } from '../stores/audit.js';
import { forgetOldSendTokens, forgetStalePending, pendingStoredNames } from './pending-uploads.js';
import { applyTeletransmissionChange } from '../stores/teletransmission.js';
import { answerWaitingEmail, CORRESPONDENCE_LINKS, requestNotice, requestReceivedEmail, threadReplyNotice, type RequestNoticeEvent } from './notices.js';
import * as q from './queries.js';
import type { StoredFile } from './queries.js';

// ------------------------------------------------------------------ actors and outcomes
interface Origin {
  ip?: string | null;
  userAgent?: string | null;
}
export type MemberActor = { side: 'member'; accountId: number; memberId: number; origin?: Origin };
type HrActor = { side: 'hr'; accountId: number; origin?: Origin };
export type StaffActor = { side: 'staff'; accountId: number; origin?: Origin };
export type OwnerActor = MemberActor | HrActor;

/** Why an operation did nothing: not found (404 — another's id too), refused by the rule (409), changed meanwhile (409), bad input (422 with the field). */
export type Failure = { ok: false; code: 'not_found' | 'refused' | 'conflict' | 'invalid'; reason: string; field?: string };
export type Outcome<T> = ({ ok: true } & T) | Failure;

export const CORRESPONDENCE_MESSAGES = {
  notFound: "Cette demande ou cette conversation n'existe pas ou ne vous concerne pas.",
  conflict: "Cette demande ou cette conversation vient d'être modifiée par quelqu'un d'autre : rechargez la page.",
  unknownObject: 'Choisissez un objet dans la liste.',
  beneficiary: 'Choisissez un bénéficiaire parmi les membres de votre famille.',
  filesRequired: 'Joignez au moins un document.',
  tooManyFiles: 'Vous pouvez joindre au plus 4 documents.',
  messageRequired: 'Écrivez votre message.',
  messageTooLong: 'Votre message ne peut pas dépasser 5 000 caractères.',
  company: 'Choisissez une entreprise pour laquelle vous êtes habilité.',
  employeeRequired: 'Choisissez le salarié concerné.',
  employeeNotInPerimeter: 'Ce salarié ne fait pas partie des établissements que vous suivez.',
  documentsRequired: 'Précisez les documents attendus.',
  reasonRequired: 'Indiquez le motif du refus.',
  amount: 'Indiquez le montant remboursé, en euros.',
  paymentDay: 'Indiquez la date du paiement (jj/mm/aaaa).',
  devisLines: 'Indiquez le remboursement estimé de chaque ligne du devis.',
  duplicate:
    "Ces documents ou ce message viennent d'être envoyés par un autre envoi du même formulaire : vérifiez vos demandes et votre messagerie avant de recommencer.",
  wrongKind: 'Cette action ne correspond pas à ce type de demande.',
  assignee: 'Choisissez un gestionnaire actif.',
  noteRequired: 'Écrivez la note.',
} as const;

export const MAX_FILES = 4;
const MAX_TEXT = 5000;

class Refusal extends Error {
  constructor(readonly failure: Failure) {
    super(failure.reason);
  }
}
const refuse = (code: Failure['code'], reason: string, field?: string): never => {
  throw new Refusal({ ok: false, code, reason, ...(field ? { field } : {}) });
};

/**
 * Deletes the files of a failed operation, except any a committed row points to: a file is held by
 * one request only (./pending-uploads.ts), but should two ever hold the same, the one whose row
 * committed keeps it.
 */
async function removeUnrecorded(ctx: AppContext, files: readonly StoredFile[]): Promise<void> {
  if (!files.length) return;
  const names = files.map((f) => f.storedName);
  const recorded = new Set([...(await q.referencedStoredNames(ctx.db, 'requests', names)), ...(await q.referencedStoredNames(ctx.db, 'messages', names))]);
  await removeStored(
    ctx.files,
    files.filter((f) => !recorded.has(f.storedName)),
  );
}

/**
 * Runs `work` in one transaction. A Refusal rolls it back and becomes the outcome, and so does a
 * unique violation (409: another sending recorded it first); any failure deletes the files given
 * that no committed row points to (they were stored for this operation only).
 */
async function transact<T>(ctx: AppContext, files: readonly StoredFile[], work: (trx: Knex.Transaction) => Promise<T>): Promise<T | Failure> {
  try {
    return await ctx.db.transaction(work);
  } catch (err) {
    await removeUnrecorded(ctx, files);
    if (err instanceof Refusal) return err.failure;
    if (isUniqueViolation(err)) return { ok: false, code: 'conflict', reason: CORRESPONDENCE_MESSAGES.duplicate };
    throw err;
  }
}

function text(value: string | null | undefined): string {
  return (value ?? '').trim();
}

function checkText(value: string, field: string, required: string): void {
  if (!value) refuse('invalid', required, field);
  if (value.length > MAX_TEXT) refuse('invalid', CORRESPONDENCE_MESSAGES.messageTooLong, field);
}

function checkFiles(files: readonly StoredFile[], required: boolean): void {
  if (required && !files.length) refuse('invalid', CORRESPONDENCE_MESSAGES.filesRequired, 'documents');
  if (files.length > MAX_FILES) refuse('invalid', CORRESPONDENCE_MESSAGES.tooManyFiles, 'documents');
}

async function audit(
  trx: Knex.Transaction,
  now: Date,
  actor: { side: string; accountId: number; origin?: Origin },
  event: AuditEvent,
  detail: Record<string, string | number | boolean | null>,
) {
  await recordAudit(trx, now, {
    event,
    accountId: actor.accountId,
    accountKind: actor.side,
    ip: actor.origin?.ip ?? null,
    userAgent: actor.origin?.userAgent ?? null,
    detail,
  });
}

// ------------------------------------------------------------------ member requests
export interface NewRequestInput {
  kind: 'remboursement' | 'devis';
  object: string;
  beneficiaryId: number;
  message: string | null;
  files: readonly StoredFile[];
  /** Devis: the member's quote lines and their estimate (src/domain/stored-estimate.ts), kept as JSON for staff. */
  estimate?: StoredEstimate;
}

/**
 * « Transmettre ma demande de remboursement / de devis »: the request with its reference, its
 * first timeline step and its files, then the email notice.
 */
export async function createRequest(
  ctx: AppContext,
  actor: MemberActor,
  input: NewRequestInput,
): Promise<Outcome<{ id: number; reference: string; expectedDay: string }>> {
  const now = ctx.clock();
  const at = now.toISOString();
  const today = isoToday(() => now);
  const result = await transact(ctx, input.files, async (trx) => {
    const days = requestServiceDays(ctx.config.brand.correspondence, input.kind, input.object);
    if (days === null) refuse('invalid', CORRESPONDENCE_MESSAGES.unknownObject, 'objet');
    if (!(await q.isFamilyBeneficiary(trx, actor.memberId, input.beneficiaryId))) refuse('invalid', CORRESPONDENCE_MESSAGES.beneficiary, 'beneficiaire');
    checkFiles(input.files, true);
    const message = text(input.message);
    if (message.length > MAX_TEXT) refuse('invalid', CORRESPONDENCE_MESSAGES.messageTooLong, 'message');
    const reference = formatReference(input.kind, Number(today.slice(0, 4)), await q.nextSequence(trx, input.kind, Number(today.slice(0, 4))));
    const expectedDay = expectedAnswerDate({ receivedDay: today }, days!);
    const id = await q.insertRequest(trx, {
      member_id: actor.memberId,
      beneficiary_id: input.beneficiaryId,
      kind: input.kind,
      object: input.object,
      reference,
      message: message || null,
      status: 'received',
      expected_day: expectedDay,
      estimate_lines: input.kind === 'devis' && input.estimate !== undefined ? JSON.stringify(input.estimate) : null,
      created_at: at,
    });
    const eventId = await q.insertRequestEvent(trx, {
      request_id: id,
      at,
      action: 'create',
      status: 'received',
      side: 'member',
      account_id: actor.accountId,
      visible: true,
    });
    await q.insertRequestAttachments(trx, id, eventId, input.files, at);
    await audit(trx, now, actor, 'correspondence_request_created', { kind: input.kind, reference, member: actor.memberId, documents: input.files.length });
    return { ok: true as const, id, reference, expectedDay };
  });
  if (result.ok) {
    const account = await q.memberAccount(ctx.db, actor.memberId);
    if (account) {
      await ctx.outbox.sendEmail(
        requestReceivedEmail(ctx.config.brand, ctx.config.publicUrl, account.email, {
          firstName: account.first_name,
          kind: input.kind,
          reference: result.reference,
          expectedDay: result.expectedDay,
          id: result.id,
        }),
      );
    }
  }
  return result;
}

/** « Document manquant » → « Complétée »: the member adds the documents asked for to the same request. */
export async function addMissingDocuments(
  ctx: AppContext,
  actor: MemberActor,
  requestId: number,
  files: readonly StoredFile[],
  message: string | null = null,
): Promise<Outcome<{ status: RequestStatus; expectedDay: string }>> {
  const now = ctx.clock();
  const at = now.toISOString();
  const today = isoToday(() => now);
  return transact(ctx, files, async (trx) => {
    const request = await q.findRequest(trx, { side: 'member', memberId: actor.memberId, accountId: actor.accountId }, requestId);
    if (!request) return refuse('not_found', CORRESPONDENCE_MESSAGES.notFound);
    const move = requestTransition(request.status, 'add_document', 'member');
    if (!move.ok) return refuse('refused', move.reason);
    checkFiles(files, true);
    const note = text(message);
    if (note.length > MAX_TEXT) refuse('invalid', CORRESPONDENCE_MESSAGES.messageTooLong, 'message');
    const days = requestServiceDays(ctx.config.brand.correspondence, request.kind, request.object);
    const expectedDay =
      days === null ? (request.expected_day ?? today) : expectedAnswerDate({ receivedDay: request.created_at.slice(0, 10), completedDay: today }, days);
    if (!(await q.updateRequestFrom(trx, request.id, move.from, { status: move.to, expected_day: expectedDay, updated_at: at })))
      refuse('conflict', CORRESPONDENCE_MESSAGES.conflict);
    const eventId = await q.insertRequestEvent(trx, {
      request_id: request.id,
      at,
      action: 'add_document',
      status: move.to,
      side: 'member',
      account_id: actor.accountId,
      visible: true,
      detail: note ? JSON.stringify({ message: note }) : null,
    });
    await q.insertRequestAttachments(trx, request.id, eventId, files, at);
    await audit(trx, now, actor, 'correspondence_documents_added', {
      kind: request.kind,
      reference: request.reference,
      member: actor.memberId,
      documents: files.length,
    });
    return { ok: true as const, status: move.to, expectedDay };
  });
}

/** One estimated line of a devis answer, as staff confirm it (pre-filled from the member's estimate). */
export interface DevisAnswerLine {
  label: string;
  amountCents: number;
  /** What the insurer estimates it pays for this line, Sécurité sociale included. */
  reimbursedCents: number;
}

export type StaffRequestAction =
  | { type: 'start' }
  | { type: 'ask_document'; documents: string }
  | { type: 'accept'; amountCents: number; paymentDay: string }
  | { type: 'answer_devis'; lines: DevisAnswerLine[]; message?: string | null }
  | { type: 'confirm_teletransmission' }
  | { type: 'refuse'; reason: string }
  | { type: 'assign'; to: number | null }
  | { type: 'note'; text: string };

const ACTION_OF: Readonly<Record<StaffRequestAction['type'], RequestAction | null>> = {
  start: 'start',
  ask_document: 'ask_document',
  accept: 'accept',
  answer_devis: 'accept',
  confirm_teletransmission: 'accept',
  refuse: 'refuse',
  assign: null,
  note: null,
};
const KIND_OF_ACCEPT: Partial<Record<StaffRequestAction['type'], RequestKind>> = {
  accept: 'remboursement',
  answer_devis: 'devis',
  confirm_teletransmission: 'teletransmission',
};

const AUDIT_OF: Readonly<Record<StaffRequestAction['type'], AuditEvent>> = {
  start: 'correspondence_request_started',
  ask_document: 'correspondence_document_asked',
  accept: 'correspondence_request_accepted',
  answer_devis: 'correspondence_request_accepted',
  confirm_teletransmission: 'correspondence_request_accepted',
  refuse: 'correspondence_request_refused',
  assign: 'correspondence_request_assigned',
  note: 'correspondence_request_noted',
};

/**
 * The status the staff member saw when they chose the action (a hidden field of the page): when
 * the item is no longer in it, someone else acted first and the action is refused as a conflict
 * rather than applied to a state the staff member never saw.
 */
export interface StaleGuard<S> {
  expectedStatus?: S;
}

/**
 * What staff do with a request: take it, ask for a missing document, accept it (a
 * remboursement with its amount and payment day, a devis with an estimate per line, a
 * télétransmission by confirming the change to the fund — NOEMIE statuses move in the same
 * transaction), refuse it with a reason, assign it, or note something only staff see.
 */
export async function staffRequestAction(
  ctx: AppContext,
  actor: StaffActor,
  requestId: number,
  action: StaffRequestAction,
  options: StaleGuard<RequestStatus> = {},
): Promise<Outcome<{ status: RequestStatus }>> {
  const now = ctx.clock();
  const at = now.toISOString();
  let notice: RequestNoticeEvent | null = null;
  let notified: { id: number; reference: string; kind: RequestKind; member_id: number } | null = null;
  const result = await transact(ctx, [], async (trx) => {
    const request = await q.requestRow(trx, requestId);
    if (!request) return refuse('not_found', CORRESPONDENCE_MESSAGES.notFound);
    if (options.expectedStatus !== undefined && request.status !== options.expectedStatus) refuse('conflict', CORRESPONDENCE_MESSAGES.conflict);
    const detail = { kind: request.kind, reference: request.reference, member: request.member_id };
    if (action.type === 'assign') {
      if (action.to !== null && !(await q.isStaffAccount(trx, action.to))) refuse('invalid', CORRESPONDENCE_MESSAGES.assignee, 'gestionnaire');
      await q.assignRequest(trx, request.id, action.to, at);
      await q.insertRequestEvent(trx, {
        request_id: request.id,
        at,
        action: 'assign',
        status: null,
        side: 'staff',
        account_id: actor.accountId,
        visible: false,
        detail: JSON.stringify({ to: action.to }),
      });
      await audit(trx, now, actor, AUDIT_OF.assign, { ...detail, target: action.to });
      return { ok: true as const, status: request.status };
    }
    if (action.type === 'note') {
      const note = text(action.text);
      checkText(note, 'note', CORRESPONDENCE_MESSAGES.noteRequired);
      await q.insertRequestEvent(trx, {
        request_id: request.id,
        at,
        action: 'note',
        status: null,
        side: 'staff',
        account_id: actor.accountId,
        visible: false,
        detail: JSON.stringify({ note }),
      });
      await audit(trx, now, actor, AUDIT_OF.note, detail);
      return { ok: true as const, status: request.status };
    }
    const expectedKind = KIND_OF_ACCEPT[action.type];
    if (expectedKind && expectedKind !== request.kind) refuse('invalid', CORRESPONDENCE_MESSAGES.wrongKind);
    const move = requestTransition(request.status, ACTION_OF[action.type]!, 'staff');
    if (!move.ok) return refuse('refused', move.reason);

    const values: Record<string, unknown> = { status: move.to, updated_at: at };
    let eventDetail: Record<string, unknown> | null = null;
    switch (action.type) {
      case 'ask_document': {
        const documents = text(action.documents);
        checkText(documents, 'documents', CORRESPONDENCE_MESSAGES.documentsRequired);
        values.missing_documents = documents;
        eventDetail = { documents };
        notice = 'missing_document';
        break;
      }
      case 'accept': {
        if (!Number.isSafeInteger(action.amountCents) || action.amountCents < 0 || action.amountCents > MAX_AMOUNT_CENTS)
          refuse('invalid', CORRESPONDENCE_MESSAGES.amount, 'montant');
        if (!isIsoDate(action.paymentDay)) refuse('invalid', CORRESPONDENCE_MESSAGES.paymentDay, 'date_paiement');
        // The request's day as the expected answer date counts it (its UTC day: the range has a margin of days).
        const outOfRange = paymentDayError(
          action.paymentDay,
          request.created_at.slice(0, 10),
          isoToday(() => now),
        );
        if (outOfRange) refuse('invalid', outOfRange, 'date_paiement');
        Object.assign(values, {
          reimbursed_amount_cents: action.amountCents,
          payment_day: action.paymentDay,
          handled_by_account_id: actor.accountId,
          answered_at: at,
        });
        eventDetail = { amountCents: action.amountCents, paymentDay: action.paymentDay };
        notice = 'processed';
        break;
      }
      case 'answer_devis': {
        const lines = action.lines;
        const valid =
          lines.length > 0 &&
          lines.every((l) => text(l.label) && [l.amountCents, l.reimbursedCents].every((n) => Number.isSafeInteger(n) && n >= 0 && n <= MAX_AMOUNT_CENTS));
        if (!valid) refuse('invalid', CORRESPONDENCE_MESSAGES.devisLines, 'lignes');
        const total = lines.reduce((sum, l) => sum + l.reimbursedCents, 0);
        if (total > MAX_AMOUNT_CENTS) refuse('invalid', CORRESPONDENCE_MESSAGES.devisLines, 'lignes');
        const answer = text(action.message);
        if (answer.length > MAX_TEXT) refuse('invalid', CORRESPONDENCE_MESSAGES.messageTooLong, 'message');
        Object.assign(values, {
          answer_lines: JSON.stringify(lines),
          estimated_amount_cents: total,
          answer: answer || null,
          handled_by_account_id: actor.accountId,
          answered_at: at,
        });
        eventDetail = { estimatedCents: total };
        notice = 'processed';
        break;
      }
      case 'confirm_teletransmission':
      case 'refuse': {
        if (action.type === 'refuse') {
          const reason = text(action.reason);
          checkText(reason, 'motif', CORRESPONDENCE_MESSAGES.reasonRequired);
          Object.assign(values, { refusal_reason: reason, handled_by_account_id: actor.accountId, answered_at: at });
          eventDetail = { reason };
          notice = 'refused';
        } else {
          Object.assign(values, { handled_by_account_id: actor.accountId, answered_at: at });
          notice = 'processed';
        }
        // A télétransmission request is decided at the fund: its NOEMIE status moves with it.
        if (request.kind === 'teletransmission' && request.beneficiary_id !== null) {
          const change = await applyTeletransmissionChange(trx, now, {
            beneficiaryId: request.beneficiary_id,
            accountId: actor.accountId,
            action: action.type === 'refuse' ? 'reject' : 'confirm',
            actor: 'staff',
          });
          if (!change.ok) refuse('refused', change.reason === 'not_found' ? CORRESPONDENCE_MESSAGES.notFound : change.reason);
        }
        break;
      }
      case 'start':
        if (request.assigned_account_id === null) values.assigned_account_id = actor.accountId;
        break;
    }
    if (!(await q.updateRequestFrom(trx, request.id, move.from, values))) refuse('conflict', CORRESPONDENCE_MESSAGES.conflict);
    for (const [i, step] of move.steps.entries()) {
      const last = i === move.steps.length - 1;
      await q.insertRequestEvent(trx, {
        request_id: request.id,
        at,
        action: last ? ACTION_OF[action.type]! : 'start',
        status: step,
        side: 'staff',
        account_id: actor.accountId,
        visible: true,
        detail: last && eventDetail ? JSON.stringify(eventDetail) : null,
      });
    }
    await audit(trx, now, actor, AUDIT_OF[action.type], detail);
    if (notice) {
      const account = await q.memberAccount(trx, request.member_id);
      if (account) await addNotification(trx, account.id, requestNotice(notice, request), at);
      notified = request;
    }
    return { ok: true as const, status: move.to };
  });
  const told = notified as { id: number; reference: string; kind: RequestKind; member_id: number } | null;
  if (result.ok && told) {
    const account = await q.memberAccount(ctx.db, told.member_id);
    if (account) {
      await ctx.outbox.sendEmail(
        answerWaitingEmail(ctx.config.brand, ctx.config.publicUrl, account.email, {
          firstName: account.first_name,
          reference: told.reference,
          link: CORRESPONDENCE_LINKS.memberRequest(told.id),
          space: 'assure',
        }),
      );
    }
  }
  return result;
}

// ------------------------------------------------------------------ télétransmission requests
/**
 * The member asks to activate or deactivate télétransmission for a beneficiary, or cancels the
 * pending request: the NOEMIE change (src/domain/teletransmission.ts) and the request in the staff
 * inbox, in one transaction; `to` is the beneficiary's new status. A cancelled request leaves the inbox (it was never decided: the
 * teletransmission_events rows keep its trace).
 */
export async function requestTeletransmissionChange(
  ctx: AppContext,
  actor: MemberActor,
  beneficiaryId: number,
  action: 'request_activation' | 'request_deactivation' | 'cancel_request',
): Promise<Outcome<{ requestId: number | null; reference: string | null; to: TeletransmissionStatus }>> {
  const now = ctx.clock();
  return transact(ctx, [], async (trx) => {
    const change = await applyTeletransmissionChange(trx, now, {
      beneficiaryId,
      memberId: actor.memberId,
      accountId: actor.accountId,
      action,
      actor: 'member',
    });
    if (!change.ok)
      return refuse(change.reason === 'not_found' ? 'not_found' : 'refused', change.reason === 'not_found' ? CORRESPONDENCE_MESSAGES.notFound : change.reason);
    if (action === 'cancel_request') {
      const pending = await q.openTeletransmissionRequest(trx, beneficiaryId);
      if (pending) {
        await trx('requests').where({ id: pending.id }).delete();
        await audit(trx, now, actor, 'correspondence_request_withdrawn', { kind: 'teletransmission', reference: pending.reference, member: actor.memberId });
      }
      return { ok: true as const, requestId: null, reference: null, to: change.to };
    }
    const { id, reference } = await insertTeletransmissionRequest(trx, ctx.config.brand.correspondence.teletransmission.serviceDays, now, {
      memberId: actor.memberId,
      beneficiaryId,
      accountId: actor.accountId,
      object: action === 'request_activation' ? 'activation' : 'deactivation',
    });
    await audit(trx, now, actor, 'correspondence_request_created', { kind: 'teletransmission', reference, member: actor.memberId, documents: 0 });
    return { ok: true as const, requestId: id, reference, to: change.to };
  });
}

/** The DT- request of the NOEMIE change just written (its teletransmission_events row), with its first timeline step. */
async function insertTeletransmissionRequest(
  trx: Knex.Transaction,
  serviceDays: number,
  now: Date,
  input: { memberId: number; beneficiaryId: number; accountId: number | null; object: 'activation' | 'deactivation' },
): Promise<{ id: number; reference: string }> {
  const at = now.toISOString();
  const today = isoToday(() => now);
  const event = await trx('teletransmission_events').where({ beneficiary_id: input.beneficiaryId }).orderBy('id', 'desc').first('id');
  const year = Number(today.slice(0, 4));
  const reference = formatReference('teletransmission', year, await q.nextSequence(trx, 'teletransmission', year));
  const id = await q.insertRequest(trx, {
    member_id: input.memberId,
    beneficiary_id: input.beneficiaryId,
    kind: 'teletransmission',
    object: input.object,
    reference,
    message: null,
    status: 'received',
    expected_day: expectedAnswerDate({ receivedDay: today }, serviceDays),
    teletransmission_event_id: event?.id ?? null,
    created_at: at,
  });
  await q.insertRequestEvent(trx, { request_id: id, at, action: 'create', status: 'received', side: 'member', account_id: input.accountId, visible: true });
  return { id, reference };
}

/**
 * The télétransmission an employee asked for in their affiliation form, when staff validate it:
 * inside the validation's transaction, the NOEMIE change (inactive → activation demandée; nothing
 * for another status) and its DT- request in the staff inbox, like a member's own request. The
 * member has no account yet: the timeline's first step is the member's, without an account; the
 * audit line is the validating staff member's. Returns the reference, or null when nothing changed.
 */
export async function requestTeletransmissionOnEnrolment(
  trx: Knex.Transaction,
  serviceDays: number,
  now: Date,
  actor: StaffActor,
  input: { memberId: number; beneficiaryId: number },
): Promise<string | null> {
  const change = await applyTeletransmissionChange(trx, now, {
    beneficiaryId: input.beneficiaryId,
    memberId: input.memberId,
    accountId: null,
    action: 'request_activation',
  });
  if (!change.ok) return null;
  const { reference } = await insertTeletransmissionRequest(trx, serviceDays, now, { ...input, accountId: null, object: 'activation' });
  await audit(trx, now, actor, 'correspondence_request_created', {
    kind: 'teletransmission',
    reference,
    member: input.memberId,
    documents: 0,
    source: 'affiliation',
  });
  return reference;
}

// ------------------------------------------------------------------ threads
export interface NewThreadInput {
  category: string;
  object: string;
  body: string;
  files: readonly StoredFile[];
  /** HR: the company the message is for (one of theirs). */
  companyId?: number;
  /** HR, « Transmettre des documents pour mon salarié »: the employee, from their perimeter. */
  subjectMemberId?: number | null;
}

function ownerScope(actor: OwnerActor): q.OwnerScope {
  return actor.side === 'member' ? { side: 'member', memberId: actor.memberId, accountId: actor.accountId } : { side: 'hr', accountId: actor.accountId };
}

/** A new message to the insurer (messagerie of a member, « Nous contacter » of a company), with its category and object from the brand. */
export async function createThread(ctx: AppContext, actor: OwnerActor, input: NewThreadInput): Promise<Outcome<{ id: number; reference: string }>> {
  const now = ctx.clock();
  const at = now.toISOString();
  const today = isoToday(() => now);
  return transact(ctx, input.files, async (trx) => {
    const object = findThreadObject(ctx.config.brand.correspondence, actor.side, input.category, input.object);
    if (!object) return refuse('invalid', CORRESPONDENCE_MESSAGES.unknownObject, 'objet');
    let companyId: number | null = null;
    let subjectMemberId: number | null = null;
    if (actor.side === 'hr') {
      if (!input.companyId || !(await q.isActiveHrOn(trx, actor.accountId, input.companyId))) refuse('invalid', CORRESPONDENCE_MESSAGES.company, 'entreprise');
      companyId = input.companyId!;
      if (object.asksEmployee) {
        if (!input.subjectMemberId) refuse('invalid', CORRESPONDENCE_MESSAGES.employeeRequired, 'salarie');
        if (!(await q.isEmployeeInPerimeter(trx, actor.accountId, companyId, input.subjectMemberId!)))
          refuse('invalid', CORRESPONDENCE_MESSAGES.employeeNotInPerimeter, 'salarie');
        subjectMemberId = input.subjectMemberId!;
      }
    }
    const body = text(input.body);
    checkText(body, 'message', CORRESPONDENCE_MESSAGES.messageRequired);
    checkFiles(input.files, false);
    const year = Number(today.slice(0, 4));
    const reference = formatReference('message', year, await q.nextSequence(trx, 'message', year));
    const id = await q.insertThread(trx, {
      owner_kind: actor.side,
      member_id: actor.side === 'member' ? actor.memberId : null,
      company_id: companyId,
      account_id: actor.accountId,
      subject_member_id: subjectMemberId,
      category: input.category,
      object: input.object,
      reference,
      status: 'new',
      expected_day: addBusinessDays(today, object.serviceDays),
      created_at: at,
    });
    const messageId = await q.insertMessage(trx, {
      thread_id: id,
      author_kind: actor.side,
      author_account_id: actor.accountId,
      body,
      internal: false,
      created_at: at,
    });
    await q.insertMessageAttachments(trx, messageId, input.files, at);
    if (actor.side === 'hr') await q.markThreadRead(trx, ownerScope(actor), id, at);
    await audit(trx, now, actor, 'correspondence_thread_created', { reference, ...(actor.side === 'member' ? { member: actor.memberId } : { companyId }) });
    return { ok: true as const, id, reference };
  });
}

/** The member or an HR user of the company writes in one of their threads (not a closed one). */
export async function replyAsOwner(
  ctx: AppContext,
  actor: OwnerActor,
  threadId: number,
  body: string,
  files: readonly StoredFile[],
): Promise<Outcome<{ status: ThreadStatus }>> {
  const now = ctx.clock();
  const at = now.toISOString();
  const today = isoToday(() => now);
  return transact(ctx, files, async (trx) => {
    const scope = ownerScope(actor);
    const thread = await q.findThread(trx, scope, threadId);
    if (!thread) return refuse('not_found', CORRESPONDENCE_MESSAGES.notFound);
    const move = threadTransition(thread.status, 'owner_reply', actor.side);
    if (!move.ok) return refuse('refused', move.reason);
    const text_ = text(body);
    checkText(text_, 'message', CORRESPONDENCE_MESSAGES.messageRequired);
    checkFiles(files, false);
    const values: Record<string, unknown> = { status: move.to, last_message_at: at, last_owner_message_at: at };
    // The insurer's turn starts again when it was not already running.
    if (move.from === 'answered' || move.from === 'awaiting') {
      const object = findThreadObject(ctx.config.brand.correspondence, thread.owner_kind, thread.category, thread.object);
      values.expected_day = addBusinessDays(today, object?.serviceDays ?? 5);
    }
    if (!(await q.updateThreadFrom(trx, thread.id, move.from, values))) refuse('conflict', CORRESPONDENCE_MESSAGES.conflict);
    const messageId = await q.insertMessage(trx, {
      thread_id: thread.id,
      author_kind: actor.side,
      author_account_id: actor.accountId,
      body: text_,
      internal: false,
      created_at: at,
    });
    await q.insertMessageAttachments(trx, messageId, files, at);
    await q.markThreadRead(trx, scope, thread.id, at);
    await audit(trx, now, actor, 'correspondence_owner_replied', {
      reference: thread.reference,
      ...(thread.member_id ? { member: thread.member_id } : { companyId: thread.company_id }),
    });
    return { ok: true as const, status: move.to };
  });
}

export type StaffThreadAction =
  | { type: 'reply'; body: string; files: readonly StoredFile[] /** the answer waits for the owner (a question, a document to send) */; ask?: boolean }
  | { type: 'note'; body: string }
  | { type: 'assign'; to: number | null }
  | { type: 'close' }
  | { type: 'reopen' };

const THREAD_ACTION_OF: Readonly<Record<StaffThreadAction['type'], (a: StaffThreadAction) => ThreadAction>> = {
  reply: (a) => (a.type === 'reply' && a.ask ? 'staff_ask' : 'staff_reply'),
  note: () => 'note',
  assign: () => 'assign',
  close: () => 'close',
  reopen: () => 'reopen',
};
const THREAD_AUDIT_OF: Readonly<Record<StaffThreadAction['type'], AuditEvent>> = {
  reply: 'correspondence_staff_replied',
  note: 'correspondence_thread_noted',
  assign: 'correspondence_thread_assigned',
  close: 'correspondence_thread_closed',
  reopen: 'correspondence_thread_reopened',
};

/**
 * Staff on a thread: reply (with files; notified to the owner, an email without the content),
 * internal note (never shown outside), assign, close, reopen.
 */
export async function staffThreadAction(
  ctx: AppContext,
  actor: StaffActor,
  threadId: number,
  action: StaffThreadAction,
  options: StaleGuard<ThreadStatus> = {},
): Promise<Outcome<{ status: ThreadStatus }>> {
  const now = ctx.clock();
  const at = now.toISOString();
  const today = isoToday(() => now);
  const files = action.type === 'reply' ? action.files : [];
  let answered: q.ThreadRow | null = null;
  const result = await transact(ctx, files, async (trx) => {
    const thread = await q.findThread(trx, { side: 'staff', accountId: actor.accountId }, threadId);
    if (!thread) return refuse('not_found', CORRESPONDENCE_MESSAGES.notFound);
    if (options.expectedStatus !== undefined && thread.status !== options.expectedStatus) refuse('conflict', CORRESPONDENCE_MESSAGES.conflict);
    const move = threadTransition(thread.status, THREAD_ACTION_OF[action.type](action), 'staff');
    if (!move.ok) return refuse('refused', move.reason);
    const values: Record<string, unknown> = { status: move.to };
    const detail: Record<string, string | number | boolean | null> = {
      reference: thread.reference,
      ...(thread.member_id ? { member: thread.member_id } : { companyId: thread.company_id }),
    };
    if (action.type === 'reply' || action.type === 'note') {
      const body = text(action.body);
      checkText(
        body,
        action.type === 'note' ? 'note' : 'message',
        action.type === 'note' ? CORRESPONDENCE_MESSAGES.noteRequired : CORRESPONDENCE_MESSAGES.messageRequired,
      );
      checkFiles(files, false);
      const messageId = await q.insertMessage(trx, {
        thread_id: thread.id,
        author_kind: 'staff',
        author_account_id: actor.accountId,
        body,
        internal: action.type === 'note',
        created_at: at,
      });
      await q.insertMessageAttachments(trx, messageId, files, at);
      if (action.type === 'reply') {
        Object.assign(values, { last_message_at: at, last_staff_message_at: at, staff_read_at: at });
        if (thread.assigned_account_id === null) values.assigned_account_id = actor.accountId;
        detail.ask = Boolean(action.ask);
        answered = thread;
      }
    } else if (action.type === 'assign') {
      if (action.to !== null && !(await q.isStaffAccount(trx, action.to))) refuse('invalid', CORRESPONDENCE_MESSAGES.assignee, 'gestionnaire');
      values.assigned_account_id = action.to;
      detail.target = action.to;
    } else if (action.type === 'reopen') {
      const object = findThreadObject(ctx.config.brand.correspondence, thread.owner_kind, thread.category, thread.object);
      values.expected_day = addBusinessDays(today, object?.serviceDays ?? 5);
    }
    if (!(await q.updateThreadFrom(trx, thread.id, move.from, values))) refuse('conflict', CORRESPONDENCE_MESSAGES.conflict);
    await audit(trx, now, actor, THREAD_AUDIT_OF[action.type], detail);
    if (answered) {
      const notice = threadReplyNotice(thread);
      const accounts =
        thread.owner_kind === 'member' ? [await q.memberAccount(trx, thread.member_id!)].filter((a) => a !== undefined) : await q.threadHrAccounts(trx, thread);
      for (const account of accounts) await addNotification(trx, account.id, notice, at);
    }
    return { ok: true as const, status: move.to };
  });
  const thread = answered as q.ThreadRow | null;
  if (result.ok && thread) {
    // The email goes to the member, or to the HR user who wrote the thread (their colleagues see it in the bell).
    const account =
      thread.owner_kind === 'member'
        ? await q.memberAccount(ctx.db, thread.member_id!)
        : (await q.threadHrAccounts(ctx.db, thread)).find((a) => a.id === thread.account_id);
    if (account) {
      const link = thread.owner_kind === 'member' ? CORRESPONDENCE_LINKS.memberThread(thread.id) : CORRESPONDENCE_LINKS.hrThread(thread.id);
      await ctx.outbox.sendEmail(
        answerWaitingEmail(ctx.config.brand, ctx.config.publicUrl, account.email, {
          firstName: account.first_name,
          reference: thread.reference,
          link,
          space: thread.owner_kind === 'member' ? 'assure' : 'entreprise',
        }),
      );
    }
  }
  return result;
}

// ------------------------------------------------------------------ orphan files
const ORPHAN_FILE_AGE_MS = 24 * 3600 * 1000;

/**
 * Deletes the files of the request and message folders that no row points to and that are older
 * than a day (younger ones may belong to a transaction still running). Returns how many.
 */
export async function sweepOrphanFiles(db: Db, files: FileStore, now: Date): Promise<number> {
  // Kept files of forms abandoned for a day become orphans too; old sending tokens go.
  await forgetStalePending(db, new Date(now.getTime() - ORPHAN_FILE_AGE_MS));
  await forgetOldSendTokens(db, new Date(now.getTime() - ORPHAN_FILE_AGE_MS));
  let removed = 0;
  for (const folder of Object.keys(q.ATTACHMENT_FOLDERS) as (keyof typeof q.ATTACHMENT_FOLDERS)[]) {
    const old = await filesOlderThan(files, q.ATTACHMENT_FOLDERS[folder], now.getTime() - ORPHAN_FILE_AGE_MS);
    const referenced = await q.referencedStoredNames(db, folder, old);
    const kept = await pendingStoredNames(db, old);
    for (const name of old) {
      if (referenced.has(name) || kept.has(name)) continue;
      await files.remove(q.ATTACHMENT_FOLDERS[folder], name);
      removed += 1;
    }
  }
  return removed;
}

// A message thread of the staff inbox: a member's messagerie or a company's
// « Nous contacter », every message with its files (downloaded by staff only) and the internal
// notes, marked as such and never shown outside; the actions: assign, reply with up to 4 files of
// 3 Mo (src/middleware/uploads.ts, which checks the CSRF token after parsing), reply waiting for
// the member's or company's answer, internal note, close, reopen. The reply's files are kept when
// the form comes back (a field to fix, a stale page) like the members' and companies' forms
// (gatherFiles and pending_uploads, src/correspondence/sending.ts): listed with « Retirer », sent
// with the next submission, dropped when the page is opened afresh. Every action goes through
// staffThreadAction (src/correspondence/service.ts: the status move, the owner's notification and
// content-free email, the audit line, in one transaction).
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { requestOrigin } from '../../auth/session.js';
import { sendAttachment } from '../../correspondence/downloads.js';
import { discardStoredFiles, MESSAGERIE_TEXTS, messageUploads, uploadErrors } from '../../correspondence/messagerie.js';
import { dropPending, SEND_TEXTS, type PendingFile } from '../../correspondence/pending-uploads.js';
import { findMessageAttachment, findThread, threadMessages, type ThreadRow } from '../../correspondence/queries.js';
import { gatherFiles, keepAgain, keptList, type FormFiles, type KeptForm } from '../../correspondence/sending.js';
import { CORRESPONDENCE_MESSAGES, staffThreadAction, type Failure, type StaffActor, type StaffThreadAction } from '../../correspondence/service.js';
import { isThreadLate, threadStatusLabel } from '../../domain/correspondence.js';
import { isoToday } from '../../domain/dates.js';
import { formatInteger } from '../../domain/text.js';
import { HttpError } from '../../middleware/errors.js';
import { safeOriginalName } from '../../middleware/uploads.js';
import { keptValues, parseForm, positiveId, type FieldErrors } from '../../validation.js';
import { failureOnPage, noteSchema, parseAssignee, replySchema, seenThreadStatus } from './forms.js';
import { INBOX_TEXTS, threadObjectLabel } from './labels.js';
import { assigneeChoices, staffName, THREADS_BASE } from './pages.js';
import { findCompanyName, findMember, findStaffAccounts } from './queries.js';

/**
 * The upload chain of « Répondre », spread first in the route (it verifies the CSRF token after
 * parsing): the members' limits (4 files of 3 Mo, PDF, JPEG or PNG).
 */
export function replyUploads(ctx: AppContext) {
  return messageUploads(ctx);
}

/** Where a staff member's reply keeps its files between two sendings (per account: a colleague's form keeps its own). */
const replyForm = (threadId: number): KeptForm => ({ key: `${THREADS_BASE}/${threadId}/repondre`, folder: 'messages' });

const actorOf = (req: Request): StaffActor => ({ side: 'staff', accountId: req.account!.id, origin: requestOrigin(req) });
const SIDE_LABELS: Record<string, string> = { member: 'assuré', hr: 'entreprise', staff: 'gestion' };

async function loadThread(ctx: AppContext, req: Request): Promise<ThreadRow> {
  const id = positiveId(req.params.id);
  if (!id) throw new HttpError(404);
  const thread = await findThread(ctx.db, { side: 'staff', accountId: req.account!.id }, id);
  if (!thread) throw new HttpError(404);
  return thread;
}

interface PageState {
  form?: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
  status?: number;
  /** The reply's files kept for its next sending. */
  kept?: readonly PendingFile[];
}

async function renderThread(ctx: AppContext, req: Request, res: Response, thread: ThreadRow, state: PageState = {}): Promise<void> {
  const me = req.account!.id;
  const lists = ctx.config.brand.correspondence;
  const [staff, messages, member, company, subject] = await Promise.all([
    findStaffAccounts(ctx.db),
    threadMessages(ctx.db, thread.id, 'staff'),
    thread.member_id !== null ? findMember(ctx.db, thread.member_id) : undefined,
    thread.company_id !== null ? findCompanyName(ctx.db, thread.company_id) : undefined,
    thread.subject_member_id !== null ? findMember(ctx.db, thread.subject_member_id) : undefined,
  ]);
  const author = messages.find((m) => m.author_account_id === thread.account_id)?.author_name ?? null;
  const owner = thread.owner_kind === 'member' ? "l'assuré" : "l'entreprise";
  const title = `${thread.owner_kind === 'member' ? "Message d'un assuré" : "Message d'une entreprise"} ${thread.reference ?? ''}`.trim();
  await res.renderPage({
    page: 'gestion/thread',
    fragment: 'gestion/thread-detail',
    layout: 'gestion',
    title,
    status: state.status,
    locals: {
      base: THREADS_BASE,
      heading: title,
      thread: {
        id: thread.id,
        reference: thread.reference,
        ownerKind: thread.owner_kind,
        objectLabel: threadObjectLabel(lists, thread.owner_kind, thread.category, thread.object),
        status: thread.status,
        statusLabel: threadStatusLabel(thread.status, thread.owner_kind),
        closed: thread.status === 'closed',
        createdAt: thread.created_at,
        expectedDay: thread.expected_day,
        late: thread.expected_day !== null && isThreadLate({ status: thread.status, expectedDay: thread.expected_day }, isoToday(ctx.clock)),
        assignee: thread.assigned_account_id === me ? 'Vous' : staffName(staff, thread.assigned_account_id),
        memberName: member ? `${member.first_name} ${member.last_name}` : null,
        memberNumber: member?.member_number ?? null,
        companyName: company ?? null,
        author,
        subject: subject ? `${subject.first_name} ${subject.last_name} (adhérent n° ${subject.member_number})` : null,
        owner,
      },
      messages: messages.map((m) => ({
        at: m.created_at,
        internal: m.internal,
        who: `${m.author_name ?? (m.author_kind === 'staff' ? 'Un gestionnaire' : owner)} (${SIDE_LABELS[m.author_kind] ?? m.author_kind})`,
        fromStaff: m.author_kind === 'staff',
        body: m.body,
        files: m.attachments.map((a) => ({
          href: `${THREADS_BASE}/${thread.id}/documents/${a.id}`,
          name: safeOriginalName(a.original_name),
          type: a.mime === 'application/pdf' ? 'PDF' : a.mime === 'image/jpeg' ? 'JPEG' : a.mime === 'image/png' ? 'PNG' : 'fichier',
          size: `${formatInteger(Math.max(1, Math.round(a.size_bytes / 1024)))} Ko`,
        })),
      })),
      assignees: assigneeChoices(staff, me),
      assignedValue: thread.assigned_account_id === null ? 'aucun' : thread.assigned_account_id === me ? 'moi' : String(thread.assigned_account_id),
      form: state.form ?? null,
      errors: state.errors && Object.keys(state.errors).length ? state.errors : undefined,
      values: state.values ?? {},
      kept: keptList(state.kept ?? []),
    },
  });
}

export function showThread(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const thread = await loadThread(ctx, req);
    // The page opened afresh: files kept from an abandoned reply go.
    if (!req.isHtmx) await dropPending(ctx.db, ctx.files, req.account!.id, replyForm(thread.id).key);
    await renderThread(ctx, req, res, thread);
  };
}

/** A message's file (internal notes' included: staff only, by the space's guard), as an attachment. */
export function downloadMessageDocument(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const thread = await loadThread(ctx, req);
    const id = positiveId(req.params.documentId);
    if (!id) throw new HttpError(404);
    const file = await findMessageAttachment(ctx.db, { side: 'staff', accountId: req.account!.id }, id);
    if (!file) throw new HttpError(404);
    const owner = await ctx.db('messages').where({ id: file.message_id }).first('thread_id');
    if (owner?.thread_id !== thread.id) throw new HttpError(404);
    await sendAttachment(res, ctx.files, 'messages', file);
  };
}

// ------------------------------------------------------------------ actions
const DONE: Record<StaffThreadAction['type'], (reference: string) => string> = {
  reply: (r) => `Votre réponse est envoyée dans la conversation ${r}.`,
  note: (r) => `Votre note interne est ajoutée à la conversation ${r}.`,
  assign: (r) => `L'attribution de la conversation ${r} est enregistrée.`,
  close: (r) => `La conversation ${r} est close.`,
  reopen: (r) => `La conversation ${r} est rouverte.`,
};

type Parse = (req: Request, files: FormFiles) => { ok: true; action: StaffThreadAction } | { ok: false; errors: FieldErrors };

const NO_FILES: FormFiles = { files: [] };

/**
 * One staff action on a thread. `withFiles` (the reply): its kept and new files are gathered
 * first, and whenever the page comes back they are kept again for the form's next sending; the
 * service deletes those it was given when it refuses.
 */
async function act(ctx: AppContext, req: Request, res: Response, form: string, parse: Parse, guarded: boolean, withFiles = false): Promise<void> {
  const thread = await loadThread(ctx, req).catch(async (err: unknown) => {
    await discardStoredFiles(ctx.files, req);
    throw err;
  });
  const files = withFiles ? await gatherFiles(ctx, req, replyForm(thread.id).key) : NO_FILES;
  const again = async (): Promise<PageState> => ({
    form,
    values: keptValues(req.body),
    kept: withFiles ? await keepAgain(ctx, req, replyForm(thread.id), files.files) : [],
  });
  if (files.taken) {
    await renderThread(ctx, req, res, thread, { ...(await again()), errors: { _form: SEND_TEXTS.filesTaken }, status: 409 });
    return;
  }
  // A status move needs the status the page showed (see request-pages.ts): without it, refused like a stale page.
  const seen = seenThreadStatus(req.body);
  if (guarded && seen === undefined) {
    await renderFailure(ctx, req, res, thread.id, { ok: false, code: 'refused', reason: CORRESPONDENCE_MESSAGES.conflict }, await again());
    return;
  }
  const parsed = parse(req, files);
  if (!parsed.ok) {
    await renderThread(ctx, req, res, thread, { ...(await again()), errors: parsed.errors, status: 422 });
    return;
  }
  const result = await staffThreadAction(ctx, actorOf(req), thread.id, parsed.action, guarded ? { expectedStatus: seen } : {});
  const reference = thread.reference ?? `n° ${thread.id}`;
  if (result.ok) {
    res.redirectWithFlash(`${THREADS_BASE}/${thread.id}`, DONE[parsed.action.type](reference));
    return;
  }
  await renderFailure(ctx, req, res, thread.id, result, { form, values: keptValues(req.body) }, files.files.length > 0);
}

/** The page as it now stands with the refusal; `filesLost`: the service deleted the files it was given, the form says so. */
async function renderFailure(ctx: AppContext, req: Request, res: Response, id: number, failure: Failure, keep: PageState, filesLost = false): Promise<void> {
  const shown = failureOnPage(failure);
  if (filesLost && !shown.errors.documents) shown.errors.documents = MESSAGERIE_TEXTS.filesNotKept;
  const now = await findThread(ctx.db, { side: 'staff', accountId: req.account!.id }, id);
  if (!now) throw new HttpError(404);
  await renderThread(ctx, req, res, now, { ...keep, ...shown });
}

const ok = (action: StaffThreadAction) => ({ ok: true as const, action });

export const reply = (ctx: AppContext) => async (req: Request, res: Response) =>
  act(
    ctx,
    req,
    res,
    'reply',
    (r, files) => {
      const parsed = parseForm(replySchema, r.body ?? {}, { multiline: ['message'] });
      const errors: FieldErrors = { ...(parsed.ok ? {} : parsed.errors), ...uploadErrors(r), ...(files.error ? { documents: files.error } : {}) };
      if (!parsed.ok || Object.keys(errors).length) return { ok: false, errors };
      return ok({ type: 'reply', body: parsed.data.message, files: files.files, ask: r.body?.attente === '1' });
    },
    true,
    true,
  );

export const note = (ctx: AppContext) => async (req: Request, res: Response) =>
  act(
    ctx,
    req,
    res,
    'note',
    (r) => {
      const parsed = parseForm(noteSchema, r.body, { multiline: ['note'] });
      return parsed.ok ? ok({ type: 'note', body: parsed.data.note }) : parsed;
    },
    false,
  );

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

export const close = (ctx: AppContext) => async (req: Request, res: Response) => act(ctx, req, res, 'close', () => ok({ type: 'close' }), true);
export const reopen = (ctx: AppContext) => async (req: Request, res: Response) => act(ctx, req, res, 'reopen', () => ok({ type: 'reopen' }), true);

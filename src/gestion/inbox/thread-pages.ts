// A message thread of the staff inbox (issue #13 items 8–9): a member's messagerie or a company's
// « Nous contacter », every message with its files (downloaded by staff only) and the internal
// notes, marked as such and never shown outside; the actions: assign, reply with up to 4 files of
// 3 Mo (src/middleware/uploads.ts, which checks the CSRF token after parsing), reply waiting for
// the member's or company's answer, internal note, close, reopen. Every action goes through
// staffThreadAction (src/correspondence/service.ts: the status move, the owner's notification and
// content-free email, the audit line, in one transaction).
import fs from 'node:fs';
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import type { Config } from '../../config.js';
import { requestOrigin } from '../../auth/session.js';
import { sendAttachment } from '../../correspondence/downloads.js';
import { ATTACHMENT_FOLDERS, findMessageAttachment, findThread, threadMessages, type StoredFile, type ThreadRow } from '../../correspondence/queries.js';
import { CORRESPONDENCE_MESSAGES, MAX_FILES, staffThreadAction, type Failure, type StaffActor, type StaffThreadAction } from '../../correspondence/service.js';
import { isThreadLate, threadStatusLabel } from '../../domain/correspondence.js';
import { isoToday } from '../../domain/dates.js';
import { formatInteger } from '../../domain/text.js';
import { HttpError } from '../../middleware/errors.js';
import { safeOriginalName, uploads } from '../../middleware/uploads.js';
import { keptValues, parseForm, positiveId, type FieldErrors } from '../../validation.js';
import { failureOnPage, noteSchema, parseAssignee, replySchema, seenThreadStatus } from './forms.js';
import { INBOX_TEXTS, threadObjectLabel } from './labels.js';
import { assigneeChoices, staffName, THREADS_BASE } from './pages.js';
import { findCompanyName, findMember, findStaffAccounts } from './queries.js';

/** A staff reply's files: the same limits as the members' (issue #13: 4 files of 3 Mo, PDF, JPEG or PNG). */
const REPLY_FILE_BYTES = 3 * 1024 * 1024;

/** The upload chain of « Répondre »: spread first in the route (it verifies the CSRF token after parsing). */
export function replyUploads(config: Config) {
  return uploads(config.uploadDir, {
    folder: ATTACHMENT_FOLDERS.messages,
    fields: [{ name: 'documents', maxCount: MAX_FILES }],
    maxFileBytes: REPLY_FILE_BYTES,
    maxFiles: MAX_FILES,
    allowed: ['pdf', 'jpeg', 'png'],
  });
}

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
    },
  });
}

export function showThread(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    await renderThread(ctx, req, res, await loadThread(ctx, req));
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
    await sendAttachment(res, ctx.config.uploadDir, 'messages', file);
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

type Parse = (req: Request) => { ok: true; action: StaffThreadAction } | { ok: false; errors: FieldErrors };

async function act(ctx: AppContext, req: Request, res: Response, form: string, parse: Parse, guarded: boolean): Promise<void> {
  const files: StoredFile[] = req.uploads ?? [];
  let thread: ThreadRow;
  try {
    thread = await loadThread(ctx, req);
  } catch (err) {
    for (const f of files) fs.rmSync(f.path, { force: true });
    throw err;
  }
  const keep = { form, values: keptValues(req.body) };
  // A status move needs the status the page showed (see request-pages.ts): without it, refused like a stale page.
  const seen = seenThreadStatus(req.body);
  if (guarded && seen === undefined) {
    for (const f of files) fs.rmSync(f.path, { force: true });
    await renderFailure(ctx, req, res, thread.id, { ok: false, code: 'refused', reason: CORRESPONDENCE_MESSAGES.conflict }, keep);
    return;
  }
  const parsed = parse(req);
  if (!parsed.ok) {
    for (const f of files) fs.rmSync(f.path, { force: true });
    await renderThread(ctx, req, res, thread, { ...keep, errors: parsed.errors, status: 422 });
    return;
  }
  const result = await staffThreadAction(ctx, actorOf(req), thread.id, parsed.action, guarded ? { expectedStatus: seen } : {});
  const reference = thread.reference ?? `n° ${thread.id}`;
  if (result.ok) {
    res.redirectWithFlash(`${THREADS_BASE}/${thread.id}`, DONE[parsed.action.type](reference));
    return;
  }
  await renderFailure(ctx, req, res, thread.id, result, keep);
}

async function renderFailure(ctx: AppContext, req: Request, res: Response, id: number, failure: Failure, keep: PageState): Promise<void> {
  const shown = failureOnPage(failure);
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
    (r) => {
      const parsed = parseForm(replySchema, r.body ?? {}, { multiline: ['message'] });
      const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
      if (r.uploadError) errors.documents = r.uploadError.message;
      else if (Object.keys(errors).length && r.uploads?.length)
        errors.documents = 'Choisissez de nouveau vos documents : ils ne sont pas gardés quand le message est à corriger.';
      if (!parsed.ok || Object.keys(errors).length) return { ok: false, errors };
      return ok({ type: 'reply', body: parsed.data.message, files: r.uploads ?? [], ask: r.body?.attente === '1' });
    },
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

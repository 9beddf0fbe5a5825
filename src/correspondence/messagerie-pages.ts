// The pages of a messagerie — the member's « Messagerie sécurisée » and the company's « Nous
// contacter » — written once: the list, « Nouveau message », a thread
// with its reply form, a file's download, the unread count of the header icon. Each space gives
// its adapter (src/assure/messagerie/pages.ts, src/entreprise/messagerie/pages.ts): who writes,
// what scope reads, and for a company the extra fields (the company, the employee concerned).
//
// Every read goes through the scope (src/correspondence/queries.ts): another member's or
// company's thread, or a file of one, is simply not found (404). Writes go through
// ./service.ts, which checks the category and object against the brand, records the files in the
// same transaction and deletes them when the message is refused. A sending spends the form's
// one-time token first (a double click sends one message), and the files kept from the form's
// previous sending are taken out of ./pending-uploads.ts, so one request alone holds each — the
// start every correspondence form shares with the member's Démarches (./sending.ts).
//
// Without JavaScript the object list follows the category when the form comes back: the
// « Afficher les objets » button (in <noscript>) posts the form, which is shown again with the
// category's objects and what was typed (a GET would put the message in the address). With
// htmx the category's change fetches the object fields alone (GET …/nouveau?categorie=…,
// fragment messagerie/object-fields).
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context.js';
import { HttpError } from '../middleware/errors.js';
import type { Layout } from '../middleware/render.js';
import { loadPage } from '../paging.js';
import { keptValues, orderedErrors, parseForm, positiveId, queryPage, queryText, type FieldErrors } from '../validation.js';
import { findThreadObject } from '../domain/correspondence-inbox.js';
import {
  categoryOptions,
  discardStoredFiles,
  MAX_MESSAGE_FILE_BYTES,
  MESSAGERIE_TEXTS,
  messageViews,
  NEW_MESSAGE_FIELDS,
  newMessageSchema,
  objectOptions,
  replySchema,
  threadHeader,
  threadListItem,
  uploadErrors,
} from './messagerie.js';
import {
  findThread,
  findThreadAttachment,
  listOwnerThreads,
  markThreadRead,
  threadMessages,
  unreadThreadCount,
  type OwnerScope,
  type ThreadRow,
} from './queries.js';
import { sendAttachment } from './downloads.js';
import { CORRESPONDENCE_MESSAGES, createThread, MAX_FILES, replyAsOwner, type Failure, type OwnerActor } from './service.js';
import { dropPending, newSendToken, SEND_TEXTS, type PendingFile } from './pending-uploads.js';
import { formFiles, gatherFiles, keepAgain, keptList, startSending, type SendAgain, type SendingForm } from './sending.js';

const THREADS_PAGE_SIZE = 20;
/** The reply form's fields, in page order (the error summary follows it). */
const REPLY_FIELDS = ['message', 'documents'] as const;

/** What a space tells the shared pages. */
export interface MessagerieSpace {
  owner: 'member' | 'hr';
  /** « /assure/messagerie », « /entreprise/messagerie » (the notices' links, src/correspondence/notices.ts). */
  base: string;
  layout: Layout;
  /** The list's title (the header icon's name). */
  listTitle: string;
  actor(req: Request): OwnerActor;
  scope(req: Request): OwnerScope;
  /** HR: the company and employee fields of « Nouveau message » (the choices, the values chosen). */
  newFormLocals?(ctx: AppContext, req: Request, values: Record<string, string>, category: string): Promise<Record<string, unknown>>;
  /** HR: the company and employee the new thread is for, from the form; or the messages by field. */
  newThreadTarget?(
    ctx: AppContext,
    req: Request,
    values: Record<string, string>,
  ): Promise<{ companyId?: number; subjectMemberId?: number | null; errors?: FieldErrors }>;
  /** HR: the company and the employee a thread is about, for its page. */
  threadLocals?(ctx: AppContext, req: Request, thread: ThreadRow): Promise<Record<string, unknown>>;
}

const uploadHint = `Jusqu'à ${MAX_FILES} documents (PDF, JPEG ou PNG) de ${MAX_MESSAGE_FILE_BYTES / 1024 / 1024} Mo maximum chacun.`;

// ------------------------------------------------------------------ header icon
/** The unread count of the « Messagerie » icon, on every full page of the space (per HR account for a company). */
export function unreadMessagesBadge(ctx: AppContext, space: MessagerieSpace) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (req.account && req.method === 'GET' && !req.isHtmx) res.locals.unreadMessages = await unreadThreadCount(ctx.db, space.scope(req));
      next();
    } catch (err) {
      next(err);
    }
  };
}

// ------------------------------------------------------------------ list
export function showList(ctx: AppContext, space: MessagerieSpace) {
  return async (req: Request, res: Response) => {
    const asked = queryPage(req.query.page);
    const paged = await loadPage(asked.page, THREADS_PAGE_SIZE, (p) => listOwnerThreads(ctx.db, space.scope(req), p, THREADS_PAGE_SIZE));
    await res.renderPage({
      page: 'messagerie/list',
      layout: space.layout,
      title: space.listTitle,
      locals: {
        base: space.base,
        threads: paged.rows.map((row) => threadListItem(ctx.config.brand.correspondence, space.base, row)),
        total: paged.total,
        page: paged.page,
        pages: paged.pages,
        pageError: asked.invalid ? 'Ce numéro de page n’est pas valide : la première page est affichée.' : (paged.beyond ?? null),
        showCompany: space.owner === 'hr' && (req.hrCompanies?.length ?? 0) > 1,
      },
    });
  };
}

// ------------------------------------------------------------------ new message
/** The service refused the message: its reason at its field, and the files it was given said lost (it deleted them). */
function refusedErrors(failure: Failure, files: readonly unknown[]): FieldErrors {
  const field = failure.field ?? '_form';
  const errors: FieldErrors = { [field]: failure.reason };
  if (files.length && field !== 'documents') errors.documents = MESSAGERIE_TEXTS.filesNotKept;
  return errors;
}

/** A message form: its files kept under its address in UPLOAD_DIR/messages, read by gatherFiles, none required. */
function messageForm(ctx: AppContext, req: Request, key: string): SendingForm {
  return { key, folder: 'messages', collect: () => gatherFiles(ctx, req, key), filesRequired: false };
}

async function renderNewForm(
  ctx: AppContext,
  space: MessagerieSpace,
  req: Request,
  res: Response,
  options: { values: Record<string, string>; errors?: FieldErrors; status?: number; notice?: string | null; fragment?: string; kept?: readonly PendingFile[] },
) {
  const lists = ctx.config.brand.correspondence;
  const categories = categoryOptions(lists, space.owner);
  const category = categories.some(([code]) => code === options.values.categorie) ? options.values.categorie : '';
  const objects = objectOptions(lists, space.owner, category);
  await res.renderPage({
    page: 'messagerie/new',
    fragment: options.fragment,
    layout: space.layout,
    title: 'Nouveau message',
    status: options.status,
    locals: {
      base: space.base,
      owner: space.owner,
      categories,
      category,
      objects,
      asksEmployee: objects.some((o) => o.asksEmployee),
      values: options.values,
      errors: orderedErrors(options.errors ?? {}, NEW_MESSAGE_FIELDS),
      notice: options.notice ?? null,
      uploadHint,
      kept: keptList(options.kept ?? []),
      sendToken: newSendToken(),
      ...(space.newFormLocals ? await space.newFormLocals(ctx, req, options.values, category) : {}),
    },
  });
}

/** The longest message a link may pre-fill (`?message=`): an assistant's question is at most 300 characters. */
const PREFILLED_MESSAGE_MAX = 1000;

/** « Nouveau message »; `?categorie=` chooses the category (htmx asks for the object fields alone), `?message=` pre-fills the message. */
export function showNewForm(ctx: AppContext, space: MessagerieSpace) {
  return async (req: Request, res: Response) => {
    const values: Record<string, string> = {};
    for (const key of ['categorie', 'objet', 'entreprise', 'salarie']) {
      const value = queryText(req.query[key]);
      if (value) values[key] = value;
    }
    // « Je n'ai pas trouvé ma réponse » of the assistant (src/assistant/pages.ts) opens the form with
    // the question as the message: one line, capped, refused whole if it holds a control character
    // (the textarea shows it escaped, like anything typed).
    const message = queryText(req.query.message, PREFILLED_MESSAGE_MAX);
    if (message) values.message = message;
    // A fresh form (not htmx's object fields): files kept from an abandoned sending go.
    if (!req.isHtmx) await dropPending(ctx.db, ctx.files, req.account!.id, `${space.base}/nouveau`);
    await renderNewForm(ctx, space, req, res, { values, fragment: 'messagerie/object-fields' });
  };
}

export function submitNew(ctx: AppContext, space: MessagerieSpace) {
  return async (req: Request, res: Response) => {
    const key = `${space.base}/nouveau`;
    const values = keptValues(req.body);
    const fragment = 'messagerie/new-form';
    // Without JavaScript: « Afficher les objets » brings the form back with the category's objects; nothing is sent.
    if (req.body?.action === 'objets') {
      const gathered = await gatherFiles(ctx, req, key);
      const errors: FieldErrors = {
        ...uploadErrors(req),
        ...(gathered.error ? { documents: gathered.error } : {}),
        ...(gathered.taken ? { _form: SEND_TEXTS.filesTaken } : {}),
      };
      await renderNewForm(ctx, space, req, res, {
        values: { ...values, objet: '' },
        errors,
        notice: MESSAGERIE_TEXTS.objectsShown,
        fragment,
        kept: await keepAgain(ctx, req, messageForm(ctx, req, key), gathered.files),
      });
      return;
    }
    const form = messageForm(ctx, req, key);
    const again: SendAgain = async (errors, status, kept) =>
      renderNewForm(ctx, space, req, res, { values, errors, status, fragment, kept: kept ?? (await formFiles(ctx, req, form)) });
    const sending = await startSending(
      ctx,
      req,
      res,
      form,
      again,
      async () => {
        const parsed = parseForm(newMessageSchema, req.body, { multiline: ['message'] });
        const target = space.newThreadTarget ? await space.newThreadTarget(ctx, req, values) : {};
        const errors: FieldErrors = { ...(parsed.ok ? {} : parsed.errors), ...(target.errors ?? {}), ...uploadErrors(req) };
        // The brand's lists are checked here too, so that the files stay for the form's next sending
        // (the service deletes the files of a message it refuses).
        const object = parsed.ok ? findThreadObject(ctx.config.brand.correspondence, space.owner, parsed.data.categorie, parsed.data.objet) : null;
        if (parsed.ok && !object) errors.objet = CORRESPONDENCE_MESSAGES.unknownObject;
        if (object?.asksEmployee && !target.subjectMemberId && !errors.salarie) errors.salarie = CORRESPONDENCE_MESSAGES.employeeRequired;
        return { errors, value: parsed.ok ? { ...parsed.data, target } : null };
      },
      NEW_MESSAGE_FIELDS,
    );
    if (!sending) return;
    const { target, ...data } = sending.value;
    const result = await createThread(ctx, space.actor(req), {
      category: data.categorie,
      object: data.objet,
      body: data.message,
      files: sending.files,
      companyId: target.companyId,
      subjectMemberId: target.subjectMemberId ?? null,
    });
    if (!result.ok) {
      await sending.abandon();
      await renderNewForm(ctx, space, req, res, {
        values,
        errors: refusedErrors(result, sending.files),
        status: result.code === 'invalid' ? 422 : 409,
        fragment,
      });
      return;
    }
    await sending.done(`${space.base}/${result.id}`);
    res.redirectWithFlash(`${space.base}/${result.id}`, MESSAGERIE_TEXTS.sent(result.reference));
  };
}

// ------------------------------------------------------------------ one thread
async function loadThread(ctx: AppContext, space: MessagerieSpace, req: Request): Promise<ThreadRow> {
  const id = positiveId(req.params.id);
  const thread = id ? await findThread(ctx.db, space.scope(req), id) : undefined;
  if (!thread) throw new HttpError(404);
  return thread;
}

async function renderThread(
  ctx: AppContext,
  space: MessagerieSpace,
  req: Request,
  res: Response,
  thread: ThreadRow,
  options: { values?: Record<string, string>; errors?: FieldErrors; status?: number; kept?: readonly PendingFile[] } = {},
) {
  const header = threadHeader(ctx.config.brand.correspondence, thread);
  const messages = await threadMessages(ctx.db, thread.id, space.owner);
  await res.renderPage({
    page: 'messagerie/thread',
    fragment: options.status ? 'messagerie/reply-form' : undefined,
    layout: space.layout,
    title: `${header.object} — ${header.reference}`,
    status: options.status,
    locals: {
      base: space.base,
      listTitle: space.listTitle,
      thread: header,
      messages: messageViews(ctx.config.brand, space.base, thread.id, messages, req.account!.id),
      values: options.values ?? {},
      errors: orderedErrors(options.errors ?? {}, REPLY_FIELDS),
      uploadHint,
      kept: keptList(options.kept ?? []),
      sendToken: newSendToken(),
      ...(space.threadLocals ? await space.threadLocals(ctx, req, thread) : {}),
    },
  });
}

/** A thread: opening it marks it read (for this HR account only, on a company's thread). */
export function showThread(ctx: AppContext, space: MessagerieSpace) {
  return async (req: Request, res: Response) => {
    const thread = await loadThread(ctx, space, req);
    if (!req.isHtmx) await dropPending(ctx.db, ctx.files, req.account!.id, `${space.base}/${thread.id}`);
    await markThreadRead(ctx.db, space.scope(req), thread.id, ctx.clock().toISOString());
    // The header's count was read before: this thread is read now.
    if (res.locals.unreadMessages !== undefined) res.locals.unreadMessages = await unreadThreadCount(ctx.db, space.scope(req));
    await renderThread(ctx, space, req, res, thread);
  };
}

export function submitReply(ctx: AppContext, space: MessagerieSpace) {
  return async (req: Request, res: Response) => {
    const thread = await loadThread(ctx, space, req).catch(async (err) => {
      await discardStoredFiles(ctx.files, req);
      throw err;
    });
    const key = `${space.base}/${thread.id}`;
    const values = keptValues(req.body);
    const form = messageForm(ctx, req, key);
    const again: SendAgain = async (errors, status, kept) =>
      renderThread(ctx, space, req, res, thread, { values, errors, status, kept: kept ?? (await formFiles(ctx, req, form)) });
    const sending = await startSending(
      ctx,
      req,
      res,
      form,
      again,
      async () => {
        const parsed = parseForm(replySchema, req.body, { multiline: ['message'] });
        return { errors: { ...(parsed.ok ? {} : parsed.errors), ...uploadErrors(req) }, value: parsed.ok ? parsed.data : null };
      },
      REPLY_FIELDS,
    );
    if (!sending) return;
    const result = await replyAsOwner(ctx, space.actor(req), thread.id, sending.value.message, sending.files);
    if (!result.ok) {
      await sending.abandon();
      if (result.code === 'not_found') throw new HttpError(404);
      const fresh = (await findThread(ctx.db, space.scope(req), thread.id)) ?? thread;
      await renderThread(ctx, space, req, res, fresh, { values, errors: refusedErrors(result, sending.files), status: result.code === 'invalid' ? 422 : 409 });
      return;
    }
    await sending.done(`${space.base}/${thread.id}`);
    res.redirectWithFlash(`${space.base}/${thread.id}`, MESSAGERIE_TEXTS.replied);
  };
}

/** A file of a message of one of the owner's threads (never one of an internal note). */
export function downloadDocument(ctx: AppContext, space: MessagerieSpace) {
  return async (req: Request, res: Response) => {
    const threadId = positiveId(req.params.id);
    const id = positiveId(req.params.documentId);
    const file = threadId && id ? await findThreadAttachment(ctx.db, space.scope(req), threadId, id) : undefined;
    if (!file) throw new HttpError(404);
    await sendAttachment(res, ctx.files, 'messages', file);
  };
}

// What every sending of a correspondence form with files shares. The member's Démarches
// (src/assure/demarches/pages.ts) and the messageries (./messagerie-pages.ts) start a sending the
// same way (startSending): the form's one-time token, its kept and new files, the form's own checks
// with the documents' ones, then the hour's count, in that order (./pending-uploads.ts). The files
// of a message form (gatherFiles: the kept ones listed with a « Retirer » box,
// views/partials/messagerie/kept-files.ejs) are shared by the messageries and the staff's reply
// (src/gestion/inbox/thread-pages.ts), which has no token nor hourly count (staff answer all day).
import type { Request, Response } from 'express';
import type { AppContext } from '../context.js';
import { orderedErrors, type FieldErrors } from '../validation.js';
import { discardStoredFiles, storedFiles } from './messagerie.js';
import {
  claimPending,
  deleteHeld,
  keepPending,
  listPending,
  openSending,
  recordSendResult,
  refundSending,
  releaseSendToken,
  reserveSending,
  SEND_TEXTS,
  type PendingFile,
} from './pending-uploads.js';
import type { ATTACHMENT_FOLDERS, StoredFile } from './queries.js';
import { CORRESPONDENCE_MESSAGES, MAX_FILES } from './service.js';

/** The files of a form after a submission. */
export interface FormFiles {
  /** The files this request holds for the form: the kept ones still wanted, then those just received. */
  files: StoredFile[];
  /** Why the new files were refused (too many, the upload's refusal), said at « documents ». */
  error?: string | null;
  /** A kept file the form showed was no longer kept: another sending of the form took it (sent or removed it) first. */
  taken?: boolean;
}

/** A form whose files are kept between two sendings: its key in pending_uploads and its files' folder. */
export interface KeptForm {
  key: string;
  folder: keyof typeof ATTACHMENT_FOLDERS;
}

/** The form comes back: the files this request holds are kept for its next sending (under new keys). */
export function keepAgain(ctx: AppContext, req: Request, form: KeptForm, files: readonly StoredFile[]): Promise<PendingFile[]> {
  return keepPending(ctx.db, req.account!.id, form.key, form.folder, files, ctx.clock());
}

/** The files a form keeps now (those no other sending took). */
export function formFiles(ctx: AppContext, req: Request, form: KeptForm): Promise<PendingFile[]> {
  return listPending(ctx.db, ctx.files, req.account!.id, form.key);
}

// ------------------------------------------------------------------ a message form's files
/** The files a message form shows as already joined: `id` is their random key, never the stored name. */
export function keptList(files: readonly PendingFile[]): { id: string; name: string }[] {
  return files.map((f) => ({ id: f.key, name: f.originalName }));
}

const list = (body: unknown, name: string) =>
  new Set([(body as Record<string, unknown> | undefined)?.[name] ?? []].flat().filter((v): v is string => typeof v === 'string'));

/**
 * The files of a message form sent again: its kept files are taken out of the table (this request
 * alone holds them now); those the form showed (« garder ») and did not tick « Retirer » stay, the
 * others are deleted; then those just received. Past the limit the new ones are refused (deleted)
 * and the message is at « documents ».
 */
export async function gatherFiles(ctx: AppContext, req: Request, key: string): Promise<FormFiles> {
  const shown = list(req.body, 'garder');
  const removed = list(req.body, 'retirer');
  const claimed = await claimPending(ctx.db, ctx.files, req.account!.id, key);
  const kept = claimed.filter((f) => shown.has(f.key) && !removed.has(f.key));
  await deleteHeld(
    ctx.files,
    claimed.filter((f) => !kept.includes(f)),
  );
  const incoming = storedFiles(req);
  if ([...shown].some((k) => !claimed.some((f) => f.key === k))) return { files: [...kept, ...incoming], error: null, taken: true };
  if (kept.length + incoming.length > MAX_FILES) {
    await discardStoredFiles(ctx.files, req);
    return { files: kept, error: CORRESPONDENCE_MESSAGES.tooManyFiles, taken: false };
  }
  return { files: [...kept, ...incoming], error: null, taken: false };
}

// ------------------------------------------------------------------ the start of a sending
/** A form that sends files: where they are kept, how this submission's files are read, whether one is required. */
export interface SendingForm extends KeptForm {
  collect: () => Promise<FormFiles>;
  filesRequired: boolean;
}

/** Renders a sending's form again with these errors (and the files it holds, kept for the next sending). */
export type SendAgain = (errors: FieldErrors, status: 409 | 422 | 429, files?: PendingFile[]) => Promise<unknown>;

/** A sending that passed its checks and holds its place in the hour's count. */
export interface Sending<T> {
  files: StoredFile[];
  /** What the form's checks gave (the beneficiary, the message…). */
  value: T;
  /** The service refused it: the hour's count given back and the one-time token released. */
  abandon: () => Promise<void>;
  /** Sent: a second sending of the same form goes to `link`. */
  done: (link: string) => Promise<void>;
}

/**
 * The start every sending of a form with files shares: its one-time token, its kept and new
 * files, the form's own checks with the documents' ones, then the hour's count, in that order.
 * When the sending cannot go on, it answers (the form again, what was typed and the files kept)
 * and gives null.
 */
export async function startSending<T>(
  ctx: AppContext,
  req: Request,
  res: Response,
  form: SendingForm,
  again: SendAgain,
  check: () => Promise<{ errors: FieldErrors; value: T | null }>,
  order: readonly string[],
): Promise<Sending<T> | null> {
  const accountId = req.account!.id;
  const token = await openSending(ctx, req, res, async (message) => {
    await again({ _form: message }, 409);
  });
  if (!token) return null;
  const files = await form.collect();
  const refuse = async (errors: FieldErrors, status: 409 | 422 | 429): Promise<null> => {
    await releaseSendToken(ctx.db, accountId, token);
    await again(errors, status, await keepAgain(ctx, req, form, files.files));
    return null;
  };
  if (files.taken) return refuse({ _form: SEND_TEXTS.filesTaken }, 409);
  const { errors, value } = await check();
  if (files.error) errors.documents = files.error;
  else if (form.filesRequired && !files.files.length) errors.documents = CORRESPONDENCE_MESSAGES.filesRequired;
  if (Object.keys(errors).length || value === null) return refuse(orderedErrors(errors, [...order]), 422);
  const counted = await reserveSending(ctx, accountId);
  if (!counted.ok) return refuse({ _form: counted.message }, 429);
  return {
    files: files.files,
    value,
    abandon: async () => {
      await refundSending(ctx, counted.reservation);
      await releaseSendToken(ctx.db, accountId, token);
    },
    done: (link) => recordSendResult(ctx.db, accountId, token, link),
  };
}

// The files of a correspondence form kept between two sendings, and the one-time token of each
// sending (tables of db/migrations/20261203600000_pending_uploads.ts). Shared by the member's
// Démarches (src/assure/demarches/kept-files.ts), the messageries (./messagerie.ts) and the staff's
// « Ajouter un document » (src/gestion/documents/pages.ts).
//
// Why not the session: express-session saves the whole session at the end of each request, so two
// submissions of one form both read the same kept files, and the slower one writes its stale copy
// back. Here a submission takes its form's kept files out of the table in one DELETE … RETURNING:
// each kept file is held by one request only, which alone may record it or delete it. A file whose
// sending fails (the form to fix) goes back to the table under a new key.
//
// The token: each rendering of a form carries a random token (a hidden field); the sending that
// inserts it first goes ahead, a second one with the same token (a double click, a form sent from
// two tabs) is told it was already sent — and where, once the first wrote its result.
import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import type { AppContext } from '../context.js';
import type { Db } from '../db.js';
import { throttleRules, waitMessage, type Reservation } from '../domain/throttle.js';
import type { FileStore } from '../storage/file-store.js';
import { removeStored } from '../storage/file-store.js';
import { refundAttempt, reserveAttempt } from '../stores/throttle.js';
import { ATTACHMENT_FOLDERS, type StoredFile } from './queries.js';

/**
 * The folders whose files a form may keep: the correspondence ones, and the staff's « Ajouter un
 * document » (src/gestion/documents/pages.ts; the folder is DOCUMENTS_FOLDER of
 * src/practical-documents/service.ts, whose orphan sweep leaves kept files alone).
 */
const PENDING_FOLDERS = { ...ATTACHMENT_FOLDERS, documents: 'documents' } as const;
type Folder = keyof typeof PENDING_FOLDERS;

/** A kept file as a form lists it: `key` is what its checkbox sends (never the stored name). */
export interface PendingFile extends StoredFile {
  key: string;
}

interface PendingRow {
  id: number;
  key: string;
  folder: string;
  stored_name: string;
  original_name: string;
  mime: string;
  size_bytes: number;
}

const COLUMNS = ['id', 'key', 'folder', 'stored_name', 'original_name', 'mime', 'size_bytes'];
/** Stored names are random and flat (src/middleware/uploads.ts): nothing else is joined to a folder. */
const STORED_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,90}(?:\.[A-Za-z0-9]{1,8})?$/;

const newKey = () => crypto.randomBytes(12).toString('hex');

function toFile(row: PendingRow): PendingFile | null {
  const folder = PENDING_FOLDERS[row.folder as Folder];
  if (!folder || !STORED_NAME.test(row.stored_name)) return null;
  return {
    key: row.key,
    originalName: row.original_name,
    storedName: row.stored_name,
    folder,
    mime: row.mime,
    size: Number(row.size_bytes),
  };
}

/** Keeps these files (this request holds them: just received, or claimed) for the form's next sending, each under a new key. */
export async function keepPending(
  db: Db | Knex.Transaction,
  accountId: number,
  form: string,
  folder: Folder,
  files: readonly StoredFile[],
  now: Date,
): Promise<PendingFile[]> {
  const kept = files.map((f) => ({ ...f, key: newKey() }));
  if (kept.length) {
    await db('pending_uploads').insert(
      kept.map((f) => ({
        account_id: accountId,
        form,
        key: f.key,
        folder,
        stored_name: f.storedName,
        original_name: f.originalName,
        mime: f.mime,
        size_bytes: f.size,
        created_at: now.toISOString(),
      })),
    );
  }
  return kept;
}

/** Those of these files still in the store (the orphan sweep may have taken one). */
async function stillStored(files: FileStore, found: (PendingFile | null)[]): Promise<PendingFile[]> {
  const present: PendingFile[] = [];
  for (const f of found) if (f && (await files.stat(f.folder, f.storedName))) present.push(f);
  return present;
}

/** The kept files of a form, as it lists them (those still stored; the orphan sweep may have taken one). */
export async function listPending(db: Db, files: FileStore, accountId: number, form: string): Promise<PendingFile[]> {
  const rows: PendingRow[] = await db('pending_uploads').where({ account_id: accountId, form }).orderBy('id').select(COLUMNS);
  return stillStored(files, rows.map(toFile));
}

/**
 * Takes every kept file of the form out of the table, in one statement: from now on this request
 * alone holds them (a submission running at the same moment gets none). Those no longer stored are left out.
 */
export async function claimPending(db: Db, files: FileStore, accountId: number, form: string): Promise<PendingFile[]> {
  // Raw, for one shape on both databases (Knex's delete().returning() answers a count on SQLite).
  const result = await db.raw(`DELETE FROM pending_uploads WHERE account_id = ? AND form = ? RETURNING ${COLUMNS.map((c) => `"${c}"`).join(', ')}`, [
    accountId,
    form,
  ]);
  const rows: PendingRow[] = Array.isArray(result) ? result : result.rows;
  return stillStored(files, rows.sort((a, b) => a.id - b.id).map(toFile));
}

/** Deletes files this request holds (received or claimed, never recorded). */
export async function deleteHeld(files: FileStore, held: readonly StoredFile[]): Promise<void> {
  await removeStored(files, held);
}

/** A form shown afresh: its kept files go (claimed first, so a sending running now keeps those it took). */
export async function dropPending(db: Db, files: FileStore, accountId: number, form: string): Promise<void> {
  await deleteHeld(files, await claimPending(db, files, accountId, form));
}

/** Which of these stored names a form still keeps (a file kept again lately may be older than its row). */
export async function pendingStoredNames(db: Db, names: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < names.length; i += 500) {
    const rows: { stored_name: string }[] = await db('pending_uploads')
      .whereIn('stored_name', names.slice(i, i + 500))
      .select('stored_name');
    for (const row of rows) found.add(row.stored_name);
  }
  return found;
}

/** Kept files older than `before` (forms abandoned): their rows go; the files are then orphans for sweepOrphanFiles. */
export async function forgetStalePending(db: Db, before: Date): Promise<number> {
  return db('pending_uploads').where('created_at', '<', before.toISOString()).delete();
}

// ------------------------------------------------------------------ one-time sending tokens
/** What a form says when its sending is refused because of another one (a double click, two tabs). */
export const SEND_TEXTS = {
  noToken: "Ce formulaire n'est plus valable : rechargez la page, puis envoyez-le de nouveau.",
  alreadySent: 'Ce formulaire a déjà été envoyé : voici le résultat de votre premier envoi.',
  sending: 'Ce formulaire est déjà en cours d’envoi : patientez quelques secondes, puis vérifiez vos demandes ou votre messagerie avant de le renvoyer.',
  filesTaken:
    'Les documents déjà joints viennent d’être envoyés ou retirés depuis une autre page : vérifiez vos demandes ou votre messagerie avant de recommencer.',
} as const;

/** The hidden field « envoi » of a form: a new token at each rendering. */
export function newSendToken(): string {
  return crypto.randomBytes(16).toString('hex');
}

/** The token a form sent, when it is one. */
function sentToken(body: unknown): string | null {
  const value = (body as Record<string, unknown> | undefined)?.envoi;
  return typeof value === 'string' && /^[0-9a-f]{32}$/.test(value) ? value : null;
}

/** Spends the token: true for the one request that inserts it, false when it was already spent. */
async function spendSendToken(db: Db, accountId: number, token: string, now: Date): Promise<boolean> {
  const rows = await db('form_sends')
    .insert({ account_id: accountId, token, spent_at: now.toISOString() })
    .onConflict(['account_id', 'token'])
    .ignore()
    .returning('token');
  return rows.length === 1;
}

/** Where the sending's result is (its page), for a second sending of the same form. */
export async function recordSendResult(db: Db, accountId: number, token: string, location: string): Promise<void> {
  await db('form_sends').where({ account_id: accountId, token }).update({ location });
}

/** The page of the result of a spent token, when the first sending finished. */
async function sendResult(db: Db, accountId: number, token: string): Promise<string | null> {
  const row = await db('form_sends').where({ account_id: accountId, token }).first('location');
  return row?.location ?? null;
}

/**
 * A token whose sending did not happen (the form came back to be fixed) is given back: a second
 * click arriving after the first was refused is then checked on its own, not told « already sent ».
 */
export async function releaseSendToken(db: Db, accountId: number, token: string): Promise<void> {
  await db('form_sends').where({ account_id: accountId, token }).whereNull('location').delete();
}

/** Tokens older than `before`: nobody sends such an old form twice. */
export async function forgetOldSendTokens(db: Db, before: Date): Promise<number> {
  return db('form_sends').where('spent_at', '<', before.toISOString()).delete();
}

/**
 * Before a sending, its one-time token is spent: a second sending of the same form (a double
 * click, a second tab) goes to the first one's result, or is told it is on its way (409); a form
 * without its token is refused (409). Either way the files just received are deleted, the kept
 * ones stay kept. Returns the token, or null when the answer is given.
 */
export async function openSending(ctx: AppContext, req: Request, res: Response, refuseWith: (message: string) => Promise<void>): Promise<string | null> {
  const token = sentToken(req.body);
  if (token && (await spendSendToken(ctx.db, req.account!.id, token, ctx.clock()))) return token;
  await deleteHeld(ctx.files, req.uploads ?? []);
  req.uploads = [];
  const location = token ? await sendResult(ctx.db, req.account!.id, token) : null;
  if (location) res.redirectWithFlash(location, SEND_TEXTS.alreadySent);
  else await refuseWith(token ? SEND_TEXTS.sending : SEND_TEXTS.noToken);
  return null;
}

// ------------------------------------------------------------------ how many sendings
/**
 * Counts one sending of the account (a request, a message, a reply) before it is made, in one
 * statement (src/stores/throttle.ts): past throttleRules.correspondenceSend the answer is the
 * house's wait message, and nothing is sent.
 */
export async function reserveSending(ctx: AppContext, accountId: number): Promise<{ ok: true; reservation: Reservation } | { ok: false; message: string }> {
  const reserved = await reserveAttempt(ctx.db, `correspondence-send:${accountId}`, throttleRules.correspondenceSend, ctx.clock());
  return reserved.allowed ? { ok: true, reservation: reserved.reservation } : { ok: false, message: waitMessage(reserved.retryAfterSeconds) };
}

/** A sending the service refused does not count. */
export async function refundSending(ctx: AppContext, reservation: Reservation): Promise<void> {
  await refundAttempt(ctx.db, reservation);
}

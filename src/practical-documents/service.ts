// The staff operations on the documents pratiques (docs/domain.md#documents-pratiques), each in one
// transaction with its audit line, and the one way a document's file leaves the server.
//
// Files arrive already in the file store's « documents » folder (src/storage/) by the upload middleware
// (src/middleware/uploads.ts: PDF checked by its content, 10 Mo at most, random flat names),
// held by this request alone. They are recorded in the transaction; when the operation is
// refused or fails, the file is deleted — never one a committed row points to. A crash between
// the move and the commit leaves a file no version points to: sweepOrphanDocumentFiles deletes
// it after a day (src/jobs.ts). A replaced file is kept: it is an earlier version.
import type { Response } from 'express';
import type { AppContext } from '../context.js';
import type { Db } from '../db.js';
import type { CheckedDocumentForm } from '../domain/practical-documents.js';
import { HttpError } from '../middleware/errors.js';
import { sendFromStore } from '../middleware/uploads.js';
import { filesOlderThan, type FileStore } from '../storage/file-store.js';
import { recordAudit } from '../stores/audit.js';
import { pendingStoredNames } from '../correspondence/pending-uploads.js';
import * as q from './queries.js';

/** The folder of UPLOAD_DIR that holds the documents' files (the demo seed writes there too). */
export const DOCUMENTS_FOLDER = 'documents';
/** What src/middleware/uploads.ts names a stored file: random hex and its extension. */
const STORED_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,90}(?:\.[A-Za-z0-9]{1,8})?$/;

export interface Origin {
  accountId: number;
  ip: string;
  userAgent: string | undefined;
}

type HeldFile = { folder: string; storedName: string };

/** Runs `work` with the file held: deleted when the work throws, or refuses (returns ok: false) unless the caller keeps it then. */
async function holding<T extends { ok: boolean }>(files: FileStore, file: HeldFile, options: { keepOnRefusal: boolean }, work: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (err) {
    await files.remove(file.folder, file.storedName);
    throw err;
  }
  if (!result.ok && !options.keepOnRefusal) await files.remove(file.folder, file.storedName);
  return result;
}

/**
 * « Ajouter un document »: the company or contract the visibility names must exist (a contract
 * makes its company the document's company too). Errors per field otherwise; the file then stays
 * the caller's (kept for the form's next sending), and is deleted only if the work throws.
 */
export async function addDocument(
  ctx: AppContext,
  origin: Origin,
  form: CheckedDocumentForm,
  file: q.StoredPdf & HeldFile,
): Promise<{ ok: true; id: number } | { ok: false; errors: Record<string, string> }> {
  type Result = { ok: true; id: number } | { ok: false; errors: Record<string, string> };
  return holding(ctx.files, file, { keepOnRefusal: true }, async (): Promise<Result> => {
    const now = ctx.clock();
    let companyId: number | null = null;
    let contractId: number | null = null;
    if (form.visibility.kind === 'company') {
      if (!(await q.companyExists(ctx.db, form.visibility.companyId)))
        return { ok: false, errors: { entreprise: "Cette entreprise n'existe plus : choisissez-en une autre." } };
      companyId = form.visibility.companyId;
    } else if (form.visibility.kind === 'contract') {
      companyId = await q.contractCompany(ctx.db, form.visibility.contractId);
      if (companyId === null) return { ok: false, errors: { contrat: "Ce contrat n'existe plus : choisissez-en un autre." } };
      contractId = form.visibility.contractId;
    }
    const id = await ctx.db.transaction(async (trx) => {
      const id = await q.insertDocument(trx, { category: form.category, title: form.title, companyId, contractId }, file, origin.accountId, now.toISOString());
      await recordAudit(trx, now, {
        event: 'practical_document_added',
        accountId: origin.accountId,
        accountKind: 'staff',
        ip: origin.ip,
        userAgent: origin.userAgent,
        detail: { document: id, title: form.title, visibility: form.visibility.kind, company: companyId, contract: contractId },
      });
      return id;
    });
    return { ok: true, id };
  });
}

/** « Remplacer le document »: the file becomes version n + 1; the earlier ones stay (staff can still download them). */
export async function replaceDocument(
  ctx: AppContext,
  origin: Origin,
  documentId: number,
  file: q.StoredPdf & HeldFile,
): Promise<{ ok: true; version: number; title: string } | { ok: false }> {
  return holding(ctx.files, file, { keepOnRefusal: false }, async () => {
    const now = ctx.clock();
    return ctx.db.transaction(async (trx) => {
      const doc = await q.staffDocument(trx, documentId);
      if (!doc) return { ok: false as const };
      const version = await q.replaceFile(trx, documentId, file, origin.accountId, now.toISOString());
      if (version === null) return { ok: false as const };
      await recordAudit(trx, now, {
        event: 'practical_document_replaced',
        accountId: origin.accountId,
        accountKind: 'staff',
        ip: origin.ip,
        userAgent: origin.userAgent,
        detail: { document: documentId, title: doc.title, version },
      });
      return { ok: true as const, version, title: doc.title };
    });
  });
}

/** « Retirer » or « Remettre en ligne »: false when the document already was in that state. */
export async function setWithdrawn(ctx: AppContext, origin: Origin, documentId: number, withdrawn: boolean): Promise<boolean> {
  const now = ctx.clock();
  return ctx.db.transaction(async (trx) => {
    const doc = await q.staffDocument(trx, documentId);
    if (!doc) return false;
    const changed = withdrawn ? await q.withdrawDocument(trx, documentId, origin.accountId, now.toISOString()) : await q.restoreDocument(trx, documentId);
    if (!changed) return false;
    await recordAudit(trx, now, {
      event: withdrawn ? 'practical_document_withdrawn' : 'practical_document_restored',
      accountId: origin.accountId,
      accountKind: 'staff',
      ip: origin.ip,
      userAgent: origin.userAgent,
      detail: { document: documentId, title: doc.title },
    });
    return true;
  });
}

/**
 * Sends a document's file (a version's) as a download: a PDF, as an attachment, never cached
 * (the page-wide `no-store` stays). 404 when its name is not one the uploads write or the file is gone.
 */
export async function sendDocumentFile(res: Response, files: FileStore, file: { stored_name: string; original_name: string }): Promise<void> {
  if (!STORED_NAME.test(file.stored_name)) throw new HttpError(404);
  if (!(await files.stat(DOCUMENTS_FOLDER, file.stored_name))) throw new HttpError(404);
  res.set('Cache-Control', 'private, no-store');
  if (!(await sendFromStore(res, files, DOCUMENTS_FOLDER, file.stored_name, file.original_name, 'application/pdf'))) {
    res.removeHeader('Cache-Control');
    throw new HttpError(404);
  }
}

const ORPHAN_FILE_AGE_MS = 24 * 3600 * 1000;

/** Deletes the files of the documents folder that no version points to and that are older than a day. Returns how many. */
export async function sweepOrphanDocumentFiles(db: Db, files: FileStore, now: Date): Promise<number> {
  const old = await filesOlderThan(files, DOCUMENTS_FOLDER, now.getTime() - ORPHAN_FILE_AGE_MS);
  const referenced = await q.referencedDocumentFiles(db, old);
  // A file kept for « Ajouter un document »'s next sending (src/gestion/documents/pages.ts) is not an orphan.
  const kept = await pendingStoredNames(db, old);
  let removed = 0;
  for (const name of old) {
    if (referenced.has(name) || kept.has(name)) continue;
    await files.remove(DOCUMENTS_FOLDER, name);
    removed += 1;
  }
  return removed;
}

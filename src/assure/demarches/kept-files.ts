// Files already received for a form that came back with an error: kept in the member's session
// (their stored names under UPLOAD_DIR/requests, never shown nor taken from the form) so the
// member does not send them again. The form lists them, each with a « Retirer » button; the next
// submission adds them to the new ones. A file the member never sends becomes an orphan that
// sweepOrphanFiles (src/correspondence/service.ts) deletes after a day — a kept file that
// disappeared so is simply dropped from the list.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Request } from 'express';
import { ATTACHMENT_FOLDERS, type StoredFile } from '../../correspondence/queries.js';
import type { StoredUpload } from '../../middleware/uploads.js';

export interface KeptFile {
  /** What the « Retirer » button sends: random, so no stored name leaves the server. */
  key: string;
  originalName: string;
  storedName: string;
  mime: string;
  size: number;
}

declare module 'express-session' {
  interface SessionData {
    /** Per form (« remboursement », « devis », « demande-<id> »): the files already received. */
    keptFiles?: Record<string, KeptFile[]>;
  }
}

export function keptFilePath(uploadDir: string, storedName: string): string {
  return path.join(uploadDir, ATTACHMENT_FOLDERS.requests, path.basename(storedName));
}

/** The files kept for `form` that are still on disk. */
export function keptFiles(req: Request, uploadDir: string, form: string): KeptFile[] {
  const files = req.session.keptFiles?.[form] ?? [];
  return files.filter((f) => fs.existsSync(keptFilePath(uploadDir, f.storedName)));
}

export function keepFiles(req: Request, form: string, files: KeptFile[]): void {
  const all = { ...(req.session.keptFiles ?? {}) };
  if (files.length) all[form] = files;
  else delete all[form];
  req.session.keptFiles = all;
}

/** Forgets the files of `form` (sent with a request: their rows now point to them). */
export function forgetFiles(req: Request, form: string): void {
  keepFiles(req, form, []);
}

export function toKept(upload: StoredUpload): KeptFile {
  return { key: crypto.randomBytes(6).toString('hex'), originalName: upload.originalName, storedName: upload.storedName, mime: upload.mime, size: upload.size };
}

/** Removes the kept file whose key is `key` from the list and from the disk. */
export function withoutFile(uploadDir: string, files: KeptFile[], key: unknown): KeptFile[] {
  const removed = files.find((f) => f.key === key);
  if (!removed) return files;
  fs.rmSync(keptFilePath(uploadDir, removed.storedName), { force: true });
  return files.filter((f) => f !== removed);
}

export function asStoredFiles(uploadDir: string, files: KeptFile[]): StoredFile[] {
  return files.map((f) => ({ originalName: f.originalName, storedName: f.storedName, path: keptFilePath(uploadDir, f.storedName), mime: f.mime, size: f.size }));
}

/** Deletes files just received that are not kept (too many, the request refused). */
export function discard(uploads: readonly StoredUpload[] | undefined): void {
  for (const u of uploads ?? []) fs.rmSync(u.path, { force: true });
}

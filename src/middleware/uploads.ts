// File uploads (docs/domain.md#uploads): multer to a temporary folder with size and count limits,
// then the CSRF check (multipart bodies are only readable after parsing), then the type checked
// by content (magic bytes, never the browser's claim), and the files put into the file store
// (src/storage/: UPLOAD_DIR on disk by default, outside the web root) under random names. Any
// refusal deletes what was received.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import type { Readable } from 'node:stream';
import type { AppContext } from '../context.js';
import type { FileStore } from '../storage/file-store.js';
import { verifiesCsrfAfterParsing, verifyCsrf } from './csrf.js';
import { HttpError } from './errors.js';

export type AllowedType = 'pdf' | 'jpeg' | 'png' | 'csv' | 'xlsx';

const MIME: Record<AllowedType, string> = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const LABEL: Record<AllowedType, string> = { pdf: 'PDF', jpeg: 'JPEG', png: 'PNG', csv: 'CSV', xlsx: 'Excel (.xlsx)' };

/**
 * Whether a sample that starts with a UTF-16 byte order mark reads as UTF-16 text: no control
 * character other than tab, CR and LF, no lone surrogate, no U+FFFE/U+FFFF. Binary data behind
 * a BOM fails this (zero bytes pair into U+0000, random bytes soon give a lone surrogate).
 * A pair cut by the end of the sample is not held against it; a BOM alone is an empty text file.
 */
function isUtf16Text(head: Buffer, littleEndian: boolean): boolean {
  const units = (head.length - 2) >> 1;
  for (let i = 0; i < units; i++) {
    const at = 2 + i * 2;
    const unit = littleEndian ? head.readUInt16LE(at) : head.readUInt16BE(at);
    if ((unit < 0x20 && unit !== 0x09 && unit !== 0x0a && unit !== 0x0d) || (unit >= 0x7f && unit <= 0x9f)) return false;
    if (unit === 0xfffe || unit === 0xffff) return false;
    if (unit >= 0xdc00 && unit <= 0xdfff) return false; // a low surrogate without its high one
    if (unit >= 0xd800 && unit <= 0xdbff) {
      if (i + 1 === units) break;
      const next = littleEndian ? head.readUInt16LE(at + 2) : head.readUInt16BE(at + 2);
      if (next < 0xdc00 || next > 0xdfff) return false;
      i++;
    }
  }
  return true;
}

/**
 * The type of a file from its first bytes. CSV is text without NUL bytes, or UTF-16 text with
 * its BOM (Excel's « Texte Unicode », read by src/domain/import/decode-text.ts).
 */
export function sniffType(head: Buffer): AllowedType | null {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  // xlsx is a zip archive (PK\x03\x04); the workbook content is checked by whoever reads it.
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  if (head[0] === 0xff && head[1] === 0xfe) return isUtf16Text(head, true) ? 'csv' : null;
  if (head[0] === 0xfe && head[1] === 0xff) return isUtf16Text(head, false) ? 'csv' : null;
  if (head.length > 0 && !head.includes(0)) return 'csv';
  return null;
}

export interface StoredUpload {
  field: string;
  originalName: string;
  storedName: string;
  /** The file store's folder (options.folder) the file is in. */
  folder: string;
  /** Only for a work folder (WORK_FOLDERS, e.g. 'imports'): the local file the analysis reads. */
  path?: string;
  mime: string;
  size: number;
  type: AllowedType;
}

export interface UploadOptions {
  /**
   * The file store's folder where accepted files are kept (e.g. 'requests'), or a work folder
   * (WORK_FOLDERS: 'imports') under UPLOAD_DIR on this machine, for files analysed then deleted.
   */
  folder: string;
  fields: { name: string; maxCount: number }[];
  maxFileBytes: number;
  maxFiles: number;
  allowed: AllowedType[];
}

/**
 * Why the files were refused: a code for the handler to decide on, and the French message the
 * form shows when the handler has nothing better to say.
 */
interface UploadError {
  code: 'too-large' | 'too-many' | 'empty' | 'bad-type' | 'failed';
  message: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    uploads?: StoredUpload[];
    /** Set when the files were refused (too big, too many, empty, wrong type, cut off). */
    uploadError?: UploadError;
  }
}

function removeAll(files: Express.Multer.File[]): void {
  for (const file of files) fs.rmSync(file.path, { force: true });
}

function filesOf(req: Request): Express.Multer.File[] {
  if (!req.files) return [];
  return Array.isArray(req.files) ? req.files : Object.values(req.files).flat();
}

/**
 * The longest text field a multipart form may send. The longest legitimate one is a message of
 * 5,000 characters (src/correspondence/service.ts, MAX_TEXT): at most 3 bytes of UTF-8 per
 * UTF-16 unit, 15,000 bytes. With 100 fields, a request holds at most 1.6 Mo of text (it was 10 Mo).
 */
const MAX_FIELD_BYTES = 16 * 1024;

function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} Mo`.replace('.', ',');
}

/** Safe display name: no path, no control characters, bounded length. */
/** The messages of busboy's (multer's parser) errors about a malformed body (busboy/lib/types/multipart.js). */
const MALFORMED_MULTIPART = /^(Malformed part header|Unexpected end of (form|file)|Multipart: Boundary not found)$/;

export function safeOriginalName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/'));
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what a display name must lose
  return base.replace(/[\u0000-\u001f\u007f"<>]/g, '').slice(0, 200) || 'fichier';
}

/**
 * The middleware chain for a multipart route: spread it first in the route's handlers
 * (`router.post(path, ...uploads(…), handler)`), or multipart requests to the route are refused
 * by the global CSRF check. After it, `req.body` holds the text fields,
 * `req.uploads` the accepted files, or `req.uploadError` why they were refused (a code and a French message).
 * A missing or wrong CSRF token answers 403 and keeps nothing.
 */
export function uploads(ctx: Pick<AppContext, 'config' | 'files'>, options: UploadOptions): RequestHandler[] {
  const { uploadDir } = ctx.config;
  const tmpDir = path.join(uploadDir, 'tmp');
  // Work files stay on this machine; every other file goes into the store (src/storage/).
  const localDir = (WORK_FOLDERS as readonly string[]).includes(options.folder) ? path.join(uploadDir, options.folder) : null;
  fs.mkdirSync(tmpDir, { recursive: true });
  if (localDir) fs.mkdirSync(localDir, { recursive: true });
  const parser = multer({
    storage: multer.diskStorage({
      destination: tmpDir,
      filename: (_req, _file, cb) => cb(null, crypto.randomBytes(16).toString('hex')),
    }),
    // File names in UTF-8 (accents), not busboy's latin1 default.
    defParamCharset: 'utf8',
    limits: { fileSize: options.maxFileBytes, files: options.maxFiles, fields: 100, fieldSize: MAX_FIELD_BYTES, parts: 200 },
  }).fields(options.fields);

  // The global CSRF check lets a multipart request through only to routes that begin with this
  // parser (middleware/csrf.ts): the parser itself refuses a missing or wrong token as soon as the
  // body is read, so the function the exemption is granted to is the one that verifies.
  const refuseWithoutToken = (req: Request, next: NextFunction): boolean => {
    if (verifyCsrf(req)) return false;
    removeAll(filesOf(req));
    next(Object.assign(new HttpError(403), { code: 'EBADCSRFTOKEN' }));
    return true;
  };
  const parse: RequestHandler = verifiesCsrfAfterParsing((req, res, next) => {
    parser(req, res, (err: unknown) => {
      if (!err) {
        if (!refuseWithoutToken(req, next)) next();
        return;
      }
      removeAll(filesOf(req));
      if (err instanceof multer.MulterError) {
        // The body may be incomplete: without a verified token nothing else is read.
        req.uploadError =
          err.code === 'LIMIT_FILE_SIZE'
            ? { code: 'too-large', message: `Chaque fichier doit peser au plus ${megabytes(options.maxFileBytes)}.` }
            : err.code === 'LIMIT_FILE_COUNT' || err.code === 'LIMIT_UNEXPECTED_FILE'
              ? { code: 'too-many', message: `Vous pouvez joindre au plus ${options.maxFiles} fichier${options.maxFiles > 1 ? 's' : ''}.` }
              : err.code === 'LIMIT_FIELD_VALUE'
                ? { code: 'failed', message: 'Un texte du formulaire est trop long : raccourcissez-le, puis joignez de nouveau vos fichiers.' }
                : { code: 'failed', message: "L'envoi des fichiers n'a pas abouti. Recommencez." };
        req.files = undefined;
        if (!refuseWithoutToken(req, next)) next();
        return;
      }
      // A body busboy cannot read (a control character in a part header, no closing boundary, no
      // boundary at all) is the sender's fault: a bad request, not a server error. Its token is
      // unread, so nothing else runs.
      if (err instanceof Error && MALFORMED_MULTIPART.test(err.message)) return next(new HttpError(400));
      next(err);
    });
  });

  /** Deletes the files already accepted (in the store or the work folder). */
  const removeAccepted = async (accepted: StoredUpload[]) => {
    for (const a of accepted) {
      if (a.path) fs.rmSync(a.path, { force: true });
      else await ctx.files.remove(a.folder, a.storedName);
    }
  };
  const check = async (req: Request, _res: Response, next: NextFunction) => {
    const files = filesOf(req);
    if (refuseWithoutToken(req, next)) return;
    if (req.uploadError) return next();
    const accepted: StoredUpload[] = [];
    for (const file of files) {
      if (file.size === 0) {
        removeAll(files);
        await removeAccepted(accepted);
        req.uploadError = { code: 'empty', message: `« ${safeOriginalName(file.originalname)} » est vide.` };
        return next();
      }
      const fd = fs.openSync(file.path, 'r');
      const head = Buffer.alloc(512);
      const read = fs.readSync(fd, head, 0, 512, 0);
      fs.closeSync(fd);
      const type = sniffType(head.subarray(0, read));
      if (!type || !options.allowed.includes(type)) {
        removeAll(files);
        await removeAccepted(accepted);
        req.uploadError = {
          code: 'bad-type',
          message: `« ${safeOriginalName(file.originalname)} » n'est pas accepté : formats possibles ${options.allowed.map((t) => LABEL[t]).join(', ')}.`,
        };
        return next();
      }
      const storedName = `${crypto.randomBytes(16).toString('hex')}.${type === 'jpeg' ? 'jpg' : type}`;
      const upload: StoredUpload = {
        field: file.fieldname,
        originalName: safeOriginalName(file.originalname),
        storedName,
        folder: options.folder,
        mime: MIME[type],
        size: file.size,
        type,
      };
      try {
        if (localDir) {
          upload.path = path.join(localDir, storedName);
          fs.renameSync(file.path, upload.path);
        } else {
          await ctx.files.put(options.folder, storedName, file.path);
        }
      } catch (err) {
        // The store refused (unreachable): nothing of this request is kept (what cannot be removed
        // now is an orphan the sweep of src/jobs.ts deletes).
        removeAll(files);
        await removeAccepted(accepted).catch(() => undefined);
        return next(storeUnavailable(err));
      }
      accepted.push(upload);
    }
    req.uploads = accepted;
    next();
  };
  return [parse, check];
}

/**
 * The folders of files that live only while a request or an analysis works on them: multer's
 * temporary folder, and the imports analysed then deleted (src/entreprise/establishments/import.ts,
 * src/statement-feed/feed.ts). A process killed meanwhile leaves its file there.
 */
const WORK_FOLDERS = ['tmp', 'imports'] as const;
/** Longer than any upload or analysis: a work file this old belongs to a process that stopped. */
const STALE_WORK_FILE_MS = 3600 * 1000;

/** Deletes the work files not modified for an hour (the periodic sweep of src/jobs.ts). Returns how many. */
export async function sweepStaleWorkFiles(uploadDir: string, now: Date): Promise<number> {
  let removed = 0;
  for (const folder of WORK_FOLDERS) {
    const dir = path.join(uploadDir, folder);
    const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const file = path.join(dir, name);
      const stat = await fs.promises.stat(file).catch(() => null);
      if (!stat?.isFile() || now.getTime() - stat.mtimeMs <= STALE_WORK_FILE_MS) continue;
      await fs.promises.rm(file, { force: true });
      removed += 1;
    }
  }
  return removed;
}

/** Sends a stored file as a download (never inline), with a safe name: a file on disk, or the bytes of the file store (src/storage/). */
function sendStoredFile(res: Response, source: string | { stream: Readable; size: number; modifiedAt: Date }, originalName: string, mime: string): void {
  const ascii = safeOriginalName(originalName).replace(/[^\x20-\x7e]/g, '_');
  res
    .set('Content-Type', mime)
    .set('X-Content-Type-Options', 'nosniff')
    .set('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(safeOriginalName(originalName))}`);
  if (typeof source === 'string') {
    res.sendFile(source);
    return;
  }
  res.set('Content-Length', String(source.size)).set('Last-Modified', source.modifiedAt.toUTCString());
  if (res.req.method === 'HEAD') {
    source.stream.destroy();
    res.end();
    return;
  }
  // A store that fails mid-way cuts the response (its length tells the client it is incomplete).
  source.stream.on('error', () => res.destroy());
  res.on('close', () => source.stream.destroy());
  source.stream.pipe(res);
}

/**
 * Sends folder/name of the file store as a download: from the disk as before (res.sendFile, with
 * its ranges and validators), or streamed from an object store. False when there is no such file.
 */
/** The store did not answer (an object store down, a full disk): a French « service indisponible » page (src/middleware/errors.ts), never a technical error. */
function storeUnavailable(cause: unknown): Error {
  return Object.assign(new Error('file store unavailable', { cause }), { status: 503 });
}

export async function sendFromStore(res: Response, files: FileStore, folder: string, storedName: string, originalName: string, mime: string): Promise<boolean> {
  const local = files.localPath(folder, storedName);
  if (local) {
    const stat = await fs.promises.stat(local).catch(() => null);
    if (!stat?.isFile()) return false;
    sendStoredFile(res, local, originalName, mime);
    return true;
  }
  const opened = await files.open(folder, storedName).catch((err: unknown) => {
    throw storeUnavailable(err);
  });
  if (!opened) return false;
  sendStoredFile(res, opened, originalName, mime);
  return true;
}

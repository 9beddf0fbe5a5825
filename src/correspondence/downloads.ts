// The one way a request's or a message's file leaves the server, for the member, the company and
// staff alike (each page finds the row through its own scope first): the stored name must be one
// the upload middleware writes (random, flat — nothing else is ever joined to the upload folder),
// the file must be in the store (src/storage/), and it goes as an attachment with its type when it is one the uploads
// accept (PDF, JPEG, PNG), as plain bytes otherwise.
import type { Response } from 'express';
import { HttpError } from '../middleware/errors.js';
import { sendFromStore } from '../middleware/uploads.js';
import type { FileStore } from '../storage/file-store.js';
import { ATTACHMENT_FOLDERS } from './queries.js';

const DOWNLOAD_TYPES = new Set(['application/pdf', 'image/jpeg', 'image/png']);
/** What src/middleware/uploads.ts names a stored file: random hex and its extension. */
const STORED_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,90}(?:\.[A-Za-z0-9]{1,8})?$/;

/** Sends the file of an attachment row as a download; 404 when its name or its file is not one. */
export async function sendAttachment(
  res: Response,
  files: FileStore,
  folder: keyof typeof ATTACHMENT_FOLDERS,
  file: { stored_name: string; original_name: string; mime: string },
): Promise<void> {
  if (!STORED_NAME.test(file.stored_name)) throw new HttpError(404);
  const mime = DOWNLOAD_TYPES.has(file.mime) ? file.mime : 'application/octet-stream';
  if (!(await sendFromStore(res, files, ATTACHMENT_FOLDERS[folder], file.stored_name, file.original_name, mime))) throw new HttpError(404);
}

// Files already received for a form that came back with an error: kept for the member's next
// sending (src/correspondence/pending-uploads.ts: in the database, never in the session, so two
// sendings of one form never both take them), their stored names in the file store's « requests » folder never
// shown nor taken from the form. The form lists them, each with a ticked « garder » box keyed by
// a random key; the next submission adds those still ticked to the new ones. A file the member
// never sends becomes an orphan that sweepOrphanFiles (src/correspondence/service.ts) deletes
// after a day.
import type { PendingFile } from '../../correspondence/pending-uploads.js';
import type { StoredUpload } from '../../middleware/uploads.js';
import { removeStored, type FileStore } from '../../storage/file-store.js';

/** A kept file as the form lists it: `key` is what its « garder » box sends. */
export type KeptFile = PendingFile;

/** Deletes files just received that are not kept (too many, the request refused). */
export async function discard(files: FileStore, uploads: readonly StoredUpload[] | undefined): Promise<void> {
  await removeStored(files, uploads ?? []);
}

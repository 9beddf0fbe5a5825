// The documents joined to an affiliation form (RIB, attestation de droits, others),
// wherever the form is typed: by the employee online (src/affiliation/pages.ts) or by the
// insurer's staff from the paper bulletin (src/gestion/affiliations/paper.ts). One set of upload
// rules, one set of limits, one set of messages.
import type { AppContext } from '../context.js';
import { affiliationDocumentLabels, type AffiliationDocumentKind } from '../domain/affiliation-requests.js';
import { uploads, type StoredUpload } from '../middleware/uploads.js';
import type { Db } from '../db.js';
import { removeStored, type FileStore } from '../storage/file-store.js';
import { draftFormData, type FormFields } from '../domain/affiliation-form.js';
import { positiveId, type FieldErrors } from '../validation.js';
import { removeDocument, saveDraft, type RequestDocument } from './queries.js';
import { FORM_TEXTS } from './form-check.js';

/** The folder of the file store that holds the forms' documents. */
export const DOCUMENTS_FOLDER = 'affiliations';

/**
 * « Retirer » a document of the form (its id as the button's value): the row, then the file. An
 * id that is not one of this request's documents removes nothing.
 */
export async function removeFormDocument(db: Db, files: FileStore, requestId: number, rawId: unknown): Promise<void> {
  const id = positiveId(rawId);
  const removed = id ? await removeDocument(db, requestId, id) : undefined;
  if (removed) await files.remove(DOCUMENTS_FOLDER, removed.stored_name);
}

const MAX_DOCUMENTS = 4;
const MAX_DOCUMENT_BYTES = 3 * 1024 * 1024;
/** The file inputs of the form, by field name. */
const UPLOAD_FIELDS: Record<string, AffiliationDocumentKind> = {
  document_rib: 'rib',
  document_attestation: 'attestation_droits',
  document_autre: 'autre',
};
/** One RIB, one attestation, two others: the four places always leave room for the two required ones. */
const KIND_LIMITS: Record<AffiliationDocumentKind, number> = { rib: 1, attestation_droits: 1, autre: 2 };

export const DOCUMENT_TEXTS = {
  removed: 'Le document a été retiré.',
  tooMany: `Vous pouvez joindre au plus ${MAX_DOCUMENTS} documents.`,
  kindFull: (kind: string) => `Vous avez déjà joint ${kind === 'autre' ? 'deux autres documents' : 'ce document'} : retirez-en un pour le remplacer.`,
} as const;

/** PDF, JPEG or PNG checked by content, 3 Mo each, one file per input. */
export function formUploads(ctx: Pick<AppContext, 'config' | 'files'>) {
  return uploads(ctx, {
    folder: DOCUMENTS_FOLDER,
    fields: Object.keys(UPLOAD_FIELDS).map((name) => ({ name, maxCount: 1 })),
    maxFileBytes: MAX_DOCUMENT_BYTES,
    maxFiles: Object.keys(UPLOAD_FIELDS).length,
    allowed: ['pdf', 'jpeg', 'png'],
  });
}

/** Files received but not kept (a refused request, a full slot): removed from the store. */
export async function discardUploads(store: FileStore, files: StoredUpload[]): Promise<void> {
  await removeStored(store, files);
}

/** The rows to store for the files just received. */
function documentRows(files: StoredUpload[]): Omit<RequestDocument, 'id'>[] {
  return files.map((file) => ({
    kind: UPLOAD_FIELDS[file.field],
    original_name: file.originalName,
    stored_name: file.storedName,
    mime: file.mime,
    size_bytes: file.size,
  }));
}

/**
 * Keeps what was typed (as the form's draft) with the files just received, whatever the button:
 * nothing typed or sent is lost — unless the files do not fit beside the stored ones (checked in
 * the same transaction, see saveDraft): then nothing is saved and the files are removed, with the
 * message by field. When saving fails the files are removed too (none stays on disk without its
 * row). Returns the rows stored and the documents there before.
 */
export async function saveTypedWithUploads(
  { db, files: store }: Pick<AppContext, 'db' | 'files'>,
  request: { id: number; form_data: string | null },
  fields: FormFields,
  files: StoredUpload[],
  now: Date,
): Promise<{ ok: true; docs: Omit<RequestDocument, 'id'>[]; existing: RequestDocument[] } | { ok: false; errors: FieldErrors }> {
  const docs = documentRows(files);
  try {
    const saved = await saveDraft(db, request.id, docs, draftFormData(request.form_data, fields), now, (existing) => tooManyDocuments(existing, files));
    if (!saved.ok) {
      await discardUploads(store, files);
      return saved;
    }
    return { ok: true, docs, existing: saved.existing };
  } catch (err) {
    await discardUploads(store, files);
    throw err;
  }
}

/** Whether the files just received fit beside the stored ones; the message by field when not. */
function tooManyDocuments(existing: { kind: string }[], files: StoredUpload[]): FieldErrors | null {
  const full = files.find((file) => existing.filter((d) => d.kind === UPLOAD_FIELDS[file.field]).length >= KIND_LIMITS[UPLOAD_FIELDS[file.field]]);
  if (full) return { [full.field]: DOCUMENT_TEXTS.kindFull(UPLOAD_FIELDS[full.field]) };
  if (existing.length + files.length > MAX_DOCUMENTS) return { documents: DOCUMENT_TEXTS.tooMany };
  return null;
}

/** The two documents a form cannot be finalized without. */
export function missingDocuments(documents: { kind: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  if (!documents.some((d) => d.kind === 'rib')) errors.document_rib = FORM_TEXTS.rib;
  if (!documents.some((d) => d.kind === 'attestation_droits')) errors.document_attestation = FORM_TEXTS.attestation;
  return errors;
}

/** What the form's « Justificatifs » section shows: the stored documents and the inputs still open. */
export function documentsSection(documents: RequestDocument[]) {
  return {
    documents: documents.map((d) => ({ ...d, label: affiliationDocumentLabels[d.kind as AffiliationDocumentKind] ?? d.kind })),
    documentInputs: Object.entries(UPLOAD_FIELDS).map(([field, kind]) => ({
      field,
      label: affiliationDocumentLabels[kind],
      required: kind !== 'autre',
      open: documents.filter((d) => d.kind === kind).length < KIND_LIMITS[kind],
    })),
  };
}

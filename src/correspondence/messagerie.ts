// What the member's « Messagerie sécurisée » and the company's « Nous contacter » share:
// the upload rules of a message, the form's schema, the category and object lists
// of the brand as a form offers them, and each thread and message as a page shows it. The pages
// themselves stay in their space (src/assure/messagerie/, src/entreprise/messagerie/): spaces
// never import each other, both import this.
import type { Request } from 'express';
import { z } from 'zod';
import type { Brand, CorrespondenceLists } from '../brand.js';
import { threadStatusLabel, unreadByOwner, type ThreadOwner } from '../domain/correspondence.js';
import { findThreadObject } from '../domain/correspondence-inbox.js';
import { formatDateFr, formatDateTimeFr } from '../domain/dates.js';
import type { AppContext } from '../context.js';
import { uploads, type StoredUpload } from '../middleware/uploads.js';
import { removeStored, type FileStore } from '../storage/file-store.js';
import { requiredText, type FieldErrors } from '../validation.js';
import { ATTACHMENT_FOLDERS, type MessageRow, type OwnerThreadRow, type StoredFile, type ThreadRow } from './queries.js';
import { MAX_FILES } from './service.js';

/** « jusqu'à 4 documents à votre message (de 3 Mo maximum chacun) » (both guides). */
export const MAX_MESSAGE_FILE_BYTES = 3 * 1024 * 1024;

export const MESSAGERIE_TEXTS = {
  category: 'Choisissez la catégorie de votre demande.',
  object: 'Choisissez l’objet de votre demande.',
  message: 'Écrivez votre message.',
  messageTooLong: 'Votre message ne peut pas dépasser 5 000 caractères.',
  sent: (reference: string) => `Votre message a bien été envoyé (référence ${reference}). Vous serez prévenu par e-mail de notre réponse.`,
  replied: 'Votre réponse a bien été envoyée.',
  /** Without JavaScript the object list follows the category once the form comes back. */
  objectsShown: 'Choisissez maintenant l’objet de votre demande.',
  filesNotKept: 'Les documents choisis n’ont pas été envoyés : joignez-les de nouveau avant d’envoyer votre message.',
  filesKept: 'Les documents déjà joints seront envoyés avec votre message.',
} as const;

/** PDF, JPEG or PNG checked by content, 4 files of 3 Mo at most, in UPLOAD_DIR/messages. */
export function messageUploads(ctx: Pick<AppContext, 'config' | 'files'>) {
  return uploads(ctx, {
    folder: ATTACHMENT_FOLDERS.messages,
    fields: [{ name: 'documents', maxCount: MAX_FILES }],
    maxFileBytes: MAX_MESSAGE_FILE_BYTES,
    maxFiles: MAX_FILES,
    allowed: ['pdf', 'jpeg', 'png'],
  });
}

/** The files the upload middleware accepted, as the service records them. */
export function storedFiles(req: Request): StoredFile[] {
  return (req.uploads ?? []).map((u: StoredUpload) => ({
    originalName: u.originalName,
    storedName: u.storedName,
    folder: u.folder,
    mime: u.mime,
    size: u.size,
  }));
}

/** Files received for a form that is refused before the service ran: none stays in the store. */
export async function discardStoredFiles(files: FileStore, req: Request): Promise<void> {
  await removeStored(files, req.uploads ?? []);
  req.uploads = [];
}

// ------------------------------------------------------------------ forms
export const newMessageSchema = z.object({
  categorie: requiredText(MESSAGERIE_TEXTS.category, 40),
  objet: requiredText(MESSAGERIE_TEXTS.object, 40),
  message: requiredText(MESSAGERIE_TEXTS.message, 5000, { tooLong: MESSAGERIE_TEXTS.messageTooLong }),
});

export const replySchema = z.object({
  message: requiredText(MESSAGERIE_TEXTS.message, 5000, { tooLong: MESSAGERIE_TEXTS.messageTooLong }),
});

/** The fields of the new-message form, in page order (the error summary follows it). */
export const NEW_MESSAGE_FIELDS = ['entreprise', 'categorie', 'objet', 'salarie', 'message', 'documents'] as const;

/** The upload's refusal as the form's message at « documents ». */
export function uploadErrors(req: Request): FieldErrors {
  return req.uploadError ? { documents: req.uploadError.message } : {};
}

// ------------------------------------------------------------------ lists of the brand
export interface ObjectOption {
  code: string;
  label: string;
  asksEmployee: boolean;
}

function categoriesOf(lists: CorrespondenceLists, owner: ThreadOwner) {
  return owner === 'member' ? lists.messagerie : lists.contact;
}

/** The categories a form offers, [code, label]. */
export function categoryOptions(lists: CorrespondenceLists, owner: ThreadOwner): [string, string][] {
  return categoriesOf(lists, owner).map((c) => [c.code, c.label]);
}

/** The objects of one category (none for an unknown category: the form asks for the category first). */
export function objectOptions(lists: CorrespondenceLists, owner: ThreadOwner, category: string): ObjectOption[] {
  const found = categoriesOf(lists, owner).find((c) => c.code === category);
  return (found?.objects ?? []).map((o: { code: string; label: string; asksEmployee?: boolean }) => ({
    code: o.code,
    label: o.label,
    asksEmployee: o.asksEmployee === true,
  }));
}

/**
 * A thread's category and object in words. Threads written before the brand's codes (the demo's,
 * older ones) keep their words as they were stored.
 */
function threadLabels(lists: CorrespondenceLists, owner: ThreadOwner, category: string, object: string): { category: string; object: string } {
  const found = findThreadObject(lists, owner, category, object);
  if (found) return { category: found.categoryLabel, object: found.objectLabel };
  const categoryLabel = categoriesOf(lists, owner).find((c) => c.code === category)?.label;
  return { category: categoryLabel ?? category, object };
}

// ------------------------------------------------------------------ views
export interface ThreadListItem {
  id: number;
  href: string;
  reference: string;
  category: string;
  object: string;
  status: string;
  statusCode: string;
  lastMessage: string;
  unread: boolean;
  companyName: string | null;
}

export function threadListItem(lists: CorrespondenceLists, base: string, row: OwnerThreadRow): ThreadListItem {
  const labels = threadLabels(lists, row.owner_kind, row.category, row.object);
  return {
    id: row.id,
    href: `${base}/${row.id}`,
    reference: row.reference ?? `n° ${row.id}`,
    category: labels.category,
    object: labels.object,
    status: threadStatusLabel(row.status, row.owner_kind),
    statusCode: row.status,
    lastMessage: formatDateTimeFr(row.last_message_at),
    unread: unreadByOwner({ lastStaffMessageAt: row.last_staff_message_at, ownerReadAt: row.read_at }),
    companyName: row.company_name,
  };
}

export interface ThreadHeader {
  id: number;
  reference: string;
  category: string;
  object: string;
  status: string;
  statusCode: string;
  closed: boolean;
  created: string;
  expected: string | null;
}

export function threadHeader(lists: CorrespondenceLists, thread: ThreadRow): ThreadHeader {
  const labels = threadLabels(lists, thread.owner_kind, thread.category, thread.object);
  const waitsForInsurer = thread.status === 'new' || thread.status === 'open';
  return {
    id: thread.id,
    reference: thread.reference ?? `n° ${thread.id}`,
    category: labels.category,
    object: labels.object,
    status: threadStatusLabel(thread.status, thread.owner_kind),
    statusCode: thread.status,
    closed: thread.status === 'closed',
    created: formatDateFr(thread.created_at),
    expected: waitsForInsurer && thread.expected_day ? formatDateFr(thread.expected_day) : null,
  };
}

export interface MessageView {
  id: number;
  fromInsurer: boolean;
  author: string;
  when: string;
  body: string;
  attachments: { href: string; name: string; size: string }[];
}

function kilobytes(bytes: number): string {
  return bytes < 1024 * 1024
    ? `${Math.max(1, Math.round(bytes / 1024))} Ko`
    : `${(Math.round((bytes / 1024 / 1024) * 10) / 10).toString().replace('.', ',')} Mo`;
}

/**
 * The messages as the owner's side reads them: never an internal note (the query leaves them out
 * for this side; checked again here so a caller's mistake cannot show one), the insurer's
 * answers signed by the insurer, the owner's by « Vous » or the colleague who wrote.
 */
export function messageViews(brand: Brand, base: string, threadId: number, messages: MessageRow[], viewerAccountId: number): MessageView[] {
  return messages
    .filter((m) => !m.internal)
    .map((m) => ({
      id: m.id,
      fromInsurer: m.author_kind === 'staff',
      author:
        m.author_kind === 'staff' ? `Votre conseiller ${brand.name}` : m.author_account_id === viewerAccountId ? 'Vous' : (m.author_name ?? 'Un collègue'),
      when: formatDateTimeFr(m.created_at),
      body: m.body,
      attachments: m.attachments.map((a) => ({ href: `${base}/${threadId}/documents/${a.id}`, name: a.original_name, size: kilobytes(a.size_bytes) })),
    }));
}

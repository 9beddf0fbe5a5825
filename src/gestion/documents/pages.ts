// « Documents » (Espace Gestion): the documents pratiques the Espace Entreprise offers.
// Staff list them (filters: category, company, status), « Ajouter un document » (a PDF with its
// title, category and visibility: every company, one company, or one contract of a company),
// replace one (a new version; the earlier ones stay downloadable here), withdraw or restore one.
// The operations and their audit lines: src/practical-documents/service.ts.
//
// A refused « Ajouter un document » comes back with its messages beside the fields, what was typed
// and the chosen PDF kept for the next sending (pending_uploads, src/correspondence/pending-uploads.ts,
// as the member's and HR forms do): listed with « Retirer », replaced by another file chosen.
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { requestOrigin } from '../../auth/session.js';
import {
  DOCUMENT_CATEGORIES,
  DOCUMENT_TEXTS,
  MAX_DOCUMENT_BYTES,
  VISIBILITY_CHOICES,
  categoryLabel,
  checkDocumentForm,
  formatFileSize,
  isDocumentCategory,
  visibilityOf,
} from '../../domain/practical-documents.js';
import { HttpError } from '../../middleware/errors.js';
import { claimPending, deleteHeld, dropPending, keepPending, type PendingFile } from '../../correspondence/pending-uploads.js';
import type { StoredFile } from '../../correspondence/queries.js';
import { keptList } from '../../correspondence/sending.js';
import { uploads, type StoredUpload } from '../../middleware/uploads.js';
import { removeStored } from '../../storage/file-store.js';
import { clampPage, pageInvalidText, pageLinks } from '../../paging.js';
import * as q from '../../practical-documents/queries.js';
import { DOCUMENTS_FOLDER, addDocument, replaceDocument, sendDocumentFile, setWithdrawn } from '../../practical-documents/service.js';
import { keptValues, positiveId, queryPage, queryText, unsafeTextErrors, type FieldErrors } from '../../validation.js';
import { fullName } from '../../domain/text.js';

const BASE = '/gestion/documents';
const PAGE_SIZE = 50;
const STATUS_LABELS = { en_ligne: 'En ligne', retire: 'Retiré' } as const;
/** The pending_uploads form of « Ajouter un document »: its kept PDF, one per staff account. */
const ADD_FORM = `${BASE}/ajouter`;

/** One PDF (checked by its content), 10 Mo at most, in UPLOAD_DIR/documents; the parser checks the CSRF token. */
export function documentUploads(ctx: AppContext) {
  return uploads(ctx, {
    folder: DOCUMENTS_FOLDER,
    fields: [{ name: 'fichier', maxCount: 1 }],
    maxFileBytes: MAX_DOCUMENT_BYTES,
    maxFiles: 1,
    allowed: ['pdf'],
  });
}

function visibilityText(row: q.DocumentRow): string {
  const v = visibilityOf(row);
  if (v.kind === 'all') return 'Toutes les entreprises';
  if (v.kind === 'company') return row.company_name ?? 'Une entreprise';
  return `${row.company_name ?? 'Une entreprise'} — contrat ${row.contract_label ?? ''} (${row.contract_reference ?? ''})`;
}

function origin(req: Request) {
  return { accountId: req.account!.id, ...requestOrigin(req) };
}

/** The file field's message for a refused upload, or for none. */
function fileError(req: Request): string | null {
  const file = (req.uploads ?? []).find((u) => u.field === 'fichier');
  if (req.uploadError) {
    if (req.uploadError.code === 'too-large') return DOCUMENT_TEXTS.fileTooLarge;
    if (req.uploadError.code === 'bad-type') return DOCUMENT_TEXTS.fileNotPdf;
    return req.uploadError.message;
  }
  return file ? null : DOCUMENT_TEXTS.fileMissing;
}

async function discardAll(ctx: AppContext, files: readonly StoredUpload[]): Promise<void> {
  await removeStored(ctx.files, files);
}

// ------------------------------------------------------------------ list
function readFilters(req: Request): { filters: q.StaffFilters; values: Record<string, string> } {
  const category = queryText(req.query.categorie);
  const company = positiveId(queryText(req.query.entreprise, 12));
  const status = queryText(req.query.statut);
  const filters: q.StaffFilters = {
    category: isDocumentCategory(category) ? category : null,
    companyId: company,
    status: status === 'en_ligne' || status === 'retire' ? status : null,
  };
  return {
    filters,
    values: { categorie: filters.category ?? '', entreprise: filters.companyId ? String(filters.companyId) : '', statut: filters.status ?? '' },
  };
}

function listHref(values: Record<string, string>, page = 1): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `${BASE}?${query}` : BASE;
}

export function showList(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const { filters, values } = readFilters(req);
    const total = await q.countStaffDocuments(ctx.db, filters);
    const asked = queryPage(req.query.page);
    const { page, pages, beyond } = clampPage(asked.page, total, PAGE_SIZE);
    const rows = await q.staffDocumentsPage(ctx.db, filters, page, PAGE_SIZE);
    const companies = await q.companyChoices(ctx.db);
    await res.renderPage({
      page: 'gestion/documents',
      fragment: 'gestion/documents-list',
      layout: 'gestion',
      title: 'Documents pratiques',
      locals: {
        values,
        categoryChoices: [['', 'Toutes les catégories'], ...Object.entries(DOCUMENT_CATEGORIES)],
        companyChoices: [['', 'Toutes les entreprises'], ...companies.map((c) => [String(c.id), c.name])],
        statusChoices: [['', 'Tous les statuts'], ...Object.entries(STATUS_LABELS)],
        clearHref: BASE,
        total,
        page,
        pages,
        pageError: beyond ?? (asked.invalid ? pageInvalidText : null),
        ...pageLinks(page, pages, (p) => listHref(values, p)),
        rows: rows.map((r) => ({
          href: `${BASE}/${r.id}`,
          title: r.title,
          category: categoryLabel(r.category),
          visibility: visibilityText(r),
          version: r.version,
          date: r.published_at,
          status: r.withdrawn_at ? STATUS_LABELS.retire : STATUS_LABELS.en_ligne,
          withdrawn: Boolean(r.withdrawn_at),
        })),
      },
    });
  };
}

// ------------------------------------------------------------------ add
async function renderAddForm(
  ctx: AppContext,
  res: Response,
  options: { status?: number; errors?: FieldErrors; values?: Record<string, string>; kept?: readonly PendingFile[] } = {},
) {
  const contracts = await q.contractChoices(ctx.db);
  const companies = await q.companyChoices(ctx.db);
  await res.renderPage({
    page: 'gestion/document-add',
    layout: 'gestion',
    title: 'Ajouter un document',
    status: options.status,
    locals: {
      base: BASE,
      errors: options.errors ?? {},
      values: options.values ?? { visibilite: 'tous' },
      categoryChoices: Object.entries(DOCUMENT_CATEGORIES),
      visibilityChoices: Object.entries(VISIBILITY_CHOICES),
      companyChoices: companies.map((c) => [String(c.id), c.name]),
      contractChoices: contracts.map((c) => [String(c.id), `${c.company_name} — ${c.label} (${c.reference})`]),
      maxSize: formatFileSize(MAX_DOCUMENT_BYTES),
      kept: keptList(options.kept ?? []),
    },
  });
}

export function showAddForm(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    // The form opened afresh: a file kept from an abandoned one goes.
    await dropPending(ctx.db, ctx.files, req.account!.id, ADD_FORM);
    await renderAddForm(ctx, res);
  };
}

const listed = (body: unknown, name: string) =>
  new Set([(body as Record<string, unknown> | undefined)?.[name] ?? []].flat().filter((v): v is string => typeof v === 'string'));

/**
 * The PDF of this sending: a new one chosen, else the one kept from the previous sending (shown
 * with « garder », « Retirer » not ticked). The kept one is taken out of pending_uploads first
 * (this request alone holds it now) and deleted when not used.
 */
async function chosenFile(ctx: AppContext, req: Request): Promise<StoredFile | undefined> {
  const incoming = (req.uploads ?? []).find((u) => u.field === 'fichier');
  const claimed = await claimPending(ctx.db, ctx.files, req.account!.id, ADD_FORM);
  const shown = listed(req.body, 'garder');
  const removed = listed(req.body, 'retirer');
  const kept = incoming ? undefined : claimed.find((f) => shown.has(f.key) && !removed.has(f.key));
  await deleteHeld(
    ctx.files,
    claimed.filter((f) => f !== kept),
  );
  return incoming ?? kept;
}

/** The multipart POST of « Ajouter un document » (after documentUploads). */
export function submitAdd(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const file = await chosenFile(ctx, req);
    const values = keptValues(req.body);
    const checked = checkDocumentForm(req.body ?? {});
    const errors: FieldErrors = { ...(checked.ok ? {} : checked.errors), ...unsafeTextErrors(req.body) };
    const refused = req.uploadError ? fileError(req) : file ? null : DOCUMENT_TEXTS.fileMissing;
    if (refused) errors.fichier = refused;
    const again = async (errors: FieldErrors) => {
      const kept = file ? await keepPending(ctx.db, req.account!.id, ADD_FORM, 'documents', [file], ctx.clock()) : [];
      await renderAddForm(ctx, res, { status: 422, errors, values, kept });
    };
    if (!checked.ok || Object.keys(errors).length || !file) {
      await again(errors);
      return;
    }
    const result = await addDocument(ctx, origin(req), checked.form, file);
    if (!result.ok) {
      await again(result.errors);
      return;
    }
    res.redirectWithFlash(`${BASE}/${result.id}`, DOCUMENT_TEXTS.added(checked.form.title));
  };
}

// ------------------------------------------------------------------ one document
async function loadDocument(ctx: AppContext, req: Request): Promise<q.DocumentRow> {
  const id = positiveId(req.params.id);
  const doc = id ? await q.staffDocument(ctx.db, id) : undefined;
  if (!doc) throw new HttpError(404);
  return doc;
}

async function renderDocument(ctx: AppContext, res: Response, doc: q.DocumentRow, options: { status?: number; errors?: FieldErrors } = {}) {
  const versions = await q.versionsOf(ctx.db, doc.id);
  await res.renderPage({
    page: 'gestion/document',
    layout: 'gestion',
    title: doc.title,
    status: options.status,
    locals: {
      base: BASE,
      href: `${BASE}/${doc.id}`,
      errors: options.errors ?? {},
      doc: {
        title: doc.title,
        category: categoryLabel(doc.category),
        visibility: visibilityText(doc),
        version: doc.version,
        withdrawn: Boolean(doc.withdrawn_at),
        withdrawnAt: doc.withdrawn_at,
        date: doc.published_at,
      },
      versions: versions.map((v) => ({
        number: v.version,
        current: v.version === doc.version,
        name: v.original_name,
        size: formatFileSize(v.size_bytes),
        date: v.uploaded_at,
        by: v.uploader_first_name && v.uploader_last_name ? fullName({ first_name: v.uploader_first_name, last_name: v.uploader_last_name }) : null,
        href: `${BASE}/${doc.id}/versions/${v.version}`,
      })),
      maxSize: formatFileSize(MAX_DOCUMENT_BYTES),
    },
  });
}

export function showDocument(ctx: AppContext) {
  return async (req: Request, res: Response) => renderDocument(ctx, res, await loadDocument(ctx, req));
}

export function downloadVersion(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const doc = await loadDocument(ctx, req);
    const number = positiveId(req.params.version);
    const version = number ? await q.findVersion(ctx.db, doc.id, number) : undefined;
    if (!version) throw new HttpError(404);
    await sendDocumentFile(res, ctx.files, version);
  };
}

/** The multipart POST of « Remplacer le document » (after documentUploads). */
export function submitReplace(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const files = req.uploads ?? [];
    let doc: q.DocumentRow;
    try {
      doc = await loadDocument(ctx, req);
    } catch (err) {
      await discardAll(ctx, files);
      throw err;
    }
    const file = files.find((u) => u.field === 'fichier');
    const error = fileError(req);
    if (error || !file) {
      await discardAll(ctx, files);
      await renderDocument(ctx, res, doc, { status: 422, errors: { fichier: error ?? DOCUMENT_TEXTS.fileMissing } });
      return;
    }
    const result = await replaceDocument(ctx, origin(req), doc.id, file);
    if (!result.ok) throw new HttpError(404);
    res.redirectWithFlash(`${BASE}/${doc.id}`, DOCUMENT_TEXTS.replaced(result.title, result.version));
  };
}

export function submitWithdrawal(ctx: AppContext, withdrawn: boolean) {
  return async (req: Request, res: Response) => {
    const doc = await loadDocument(ctx, req);
    const changed = await setWithdrawn(ctx, origin(req), doc.id, withdrawn);
    if (!changed) {
      res.redirectWithFlash(`${BASE}/${doc.id}`, DOCUMENT_TEXTS.changedMeanwhile, 'info');
      return;
    }
    res.redirectWithFlash(`${BASE}/${doc.id}`, withdrawn ? DOCUMENT_TEXTS.withdrawn(doc.title) : DOCUMENT_TEXTS.restored(doc.title));
  };
}

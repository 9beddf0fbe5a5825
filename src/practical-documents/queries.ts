// Knex only: the documents pratiques (tables of db/migrations/20261122090000_initial_schema.ts and
// 20261205300000_practical_document_versions.ts), as the Espace Entreprise and the Espace Gestion
// read and write them. A document's file columns are those of its current version; every version,
// the current one included, is a row of practical_document_versions.
import type { Knex } from 'knex';
import type { Db } from '../db.js';

type Conn = Db | Knex.Transaction;

/** The audiences of the Espace Entreprise (« assure » documents are for members only). */
const ENTREPRISE_AUDIENCES = ['entreprise', 'tous'];

export interface DocumentRow {
  id: number;
  category: string;
  title: string;
  description: string | null;
  company_id: number | null;
  contract_id: number | null;
  company_name: string | null;
  contract_label: string | null;
  contract_reference: string | null;
  original_name: string;
  stored_name: string;
  mime: string;
  size_bytes: number;
  published_at: string;
  version: number;
  withdrawn_at: string | null;
}

const COLUMNS = [
  'd.id',
  'd.category',
  'd.title',
  'd.description',
  'd.company_id',
  'd.contract_id',
  'c.name as company_name',
  'ct.label as contract_label',
  'ct.reference as contract_reference',
  'd.original_name',
  'd.stored_name',
  'd.mime',
  'd.size_bytes',
  'd.published_at',
  'd.version',
  'd.withdrawn_at',
];

function documents(db: Conn): Knex.QueryBuilder {
  return db('practical_documents as d')
    .leftJoin('companies as c', 'c.id', 'd.company_id')
    .leftJoin('contracts as ct', 'ct.id', 'd.contract_id')
    .whereIn('d.audience', ENTREPRISE_AUDIENCES);
}

function toRow(row: DocumentRow): DocumentRow {
  return { ...row, size_bytes: Number(row.size_bytes), version: Number(row.version) };
}

// ------------------------------------------------------------------ Espace Entreprise
/** The documents online for these companies (those for every company included), by category then title. */
export async function documentsForCompanies(db: Db, companyIds: readonly number[]): Promise<DocumentRow[]> {
  const rows: DocumentRow[] = await documents(db)
    .whereNull('d.withdrawn_at')
    .where((q) => q.whereNull('d.company_id').orWhereIn('d.company_id', companyIds))
    .orderBy([{ column: 'd.category' }, { column: 'd.title' }, { column: 'd.id' }])
    .select(COLUMNS);
  return rows.map(toRow);
}

/** One document online for one of these companies; undefined for any other (withdrawn, another company's, a member's). */
export async function documentForCompanies(db: Db, id: number, companyIds: readonly number[]): Promise<DocumentRow | undefined> {
  const row: DocumentRow | undefined = await documents(db)
    .where('d.id', id)
    .whereNull('d.withdrawn_at')
    .where((q) => q.whereNull('d.company_id').orWhereIn('d.company_id', companyIds))
    .first(COLUMNS);
  return row && toRow(row);
}

// ------------------------------------------------------------------ Espace Gestion
export interface StaffFilters {
  category: string | null;
  companyId: number | null;
  status: 'en_ligne' | 'retire' | null;
}

function filtered(db: Conn, filters: StaffFilters): Knex.QueryBuilder {
  const query = documents(db);
  if (filters.category) query.where('d.category', filters.category);
  if (filters.companyId) query.where('d.company_id', filters.companyId);
  if (filters.status === 'en_ligne') query.whereNull('d.withdrawn_at');
  if (filters.status === 'retire') query.whereNotNull('d.withdrawn_at');
  return query;
}

export async function countStaffDocuments(db: Db, filters: StaffFilters): Promise<number> {
  const row = await filtered(db, filters).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

export async function staffDocumentsPage(db: Db, filters: StaffFilters, page: number, size: number): Promise<DocumentRow[]> {
  const rows: DocumentRow[] = await filtered(db, filters)
    .orderBy([{ column: 'd.category' }, { column: 'd.title' }, { column: 'd.id' }])
    .limit(size)
    .offset((page - 1) * size)
    .select(COLUMNS);
  return rows.map(toRow);
}

export async function staffDocument(db: Conn, id: number): Promise<DocumentRow | undefined> {
  const row: DocumentRow | undefined = await documents(db).where('d.id', id).first(COLUMNS);
  return row && toRow(row);
}

export interface VersionRow {
  version: number;
  original_name: string;
  stored_name: string;
  mime: string;
  size_bytes: number;
  uploaded_at: string;
  uploader_first_name: string | null;
  uploader_last_name: string | null;
}

/** Every version of a document, the newest first. */
export async function versionsOf(db: Db, documentId: number): Promise<VersionRow[]> {
  const rows: VersionRow[] = await db('practical_document_versions as v')
    .leftJoin('accounts as a', 'a.id', 'v.uploaded_by')
    .where('v.document_id', documentId)
    .orderBy('v.version', 'desc')
    .select(
      'v.version',
      'v.original_name',
      'v.stored_name',
      'v.mime',
      'v.size_bytes',
      'v.uploaded_at',
      'a.first_name as uploader_first_name',
      'a.last_name as uploader_last_name',
    );
  return rows.map((r) => ({ ...r, version: Number(r.version), size_bytes: Number(r.size_bytes) }));
}

export async function findVersion(db: Db, documentId: number, version: number): Promise<VersionRow | undefined> {
  return (await versionsOf(db, documentId)).find((v) => v.version === version);
}

/** Every company, by name, for the form's and the filter's lists. */
export async function companyChoices(db: Db): Promise<{ id: number; name: string }[]> {
  return db('companies')
    .orderBy([{ column: 'name' }, { column: 'id' }])
    .select('id', 'name');
}

export interface ContractChoice {
  id: number;
  company_id: number;
  company_name: string;
  label: string;
  reference: string;
}

/** Every contract with its company, by company then reference: the form's « Entreprise — contrat » list. */
export async function contractChoices(db: Db): Promise<ContractChoice[]> {
  return db('contracts as ct')
    .join('companies as c', 'c.id', 'ct.company_id')
    .orderBy([{ column: 'c.name' }, { column: 'ct.reference' }])
    .select('ct.id', 'ct.company_id', 'c.name as company_name', 'ct.label', 'ct.reference');
}

export async function companyExists(db: Conn, id: number): Promise<boolean> {
  return Boolean(await db('companies').where({ id }).first('id'));
}

export async function contractCompany(db: Conn, contractId: number): Promise<number | null> {
  const row = await db('contracts').where({ id: contractId }).first('company_id');
  return row ? Number(row.company_id) : null;
}

// ------------------------------------------------------------------ writes
export interface StoredPdf {
  originalName: string;
  storedName: string;
  mime: string;
  size: number;
}

const fileColumns = (file: StoredPdf) => ({ original_name: file.originalName, stored_name: file.storedName, mime: file.mime, size_bytes: file.size });

export async function insertDocument(
  trx: Knex.Transaction,
  doc: { category: string; title: string; companyId: number | null; contractId: number | null },
  file: StoredPdf,
  accountId: number,
  nowIso: string,
): Promise<number> {
  const [row] = await trx('practical_documents')
    .insert({
      category: doc.category,
      title: doc.title,
      description: null,
      audience: 'entreprise',
      company_id: doc.companyId,
      contract_id: doc.contractId,
      ...fileColumns(file),
      published_at: nowIso,
      version: 1,
    })
    .returning('id');
  const id = Number(typeof row === 'object' ? row.id : row);
  await trx('practical_document_versions').insert({ document_id: id, version: 1, ...fileColumns(file), uploaded_at: nowIso, uploaded_by: accountId });
  return id;
}

/**
 * Makes `file` the document's current version: the version number moves by one in the same
 * UPDATE that swaps the file (two replacements at once get two numbers), then the version row.
 * Null when the document is not there.
 */
export async function replaceFile(trx: Knex.Transaction, documentId: number, file: StoredPdf, accountId: number, nowIso: string): Promise<number | null> {
  const result = await trx.raw(
    'UPDATE practical_documents SET version = version + 1, original_name = ?, stored_name = ?, mime = ?, size_bytes = ?, published_at = ? WHERE id = ? RETURNING version',
    [file.originalName, file.storedName, file.mime, file.size, nowIso, documentId],
  );
  const rows: { version: number }[] = Array.isArray(result) ? result : result.rows;
  if (!rows.length) return null;
  const version = Number(rows[0].version);
  await trx('practical_document_versions').insert({ document_id: documentId, version, ...fileColumns(file), uploaded_at: nowIso, uploaded_by: accountId });
  return version;
}

/** Withdraws an online document; false when it already was (or is not there). */
export async function withdrawDocument(db: Conn, id: number, accountId: number, nowIso: string): Promise<boolean> {
  return (await db('practical_documents').where({ id }).whereNull('withdrawn_at').update({ withdrawn_at: nowIso, withdrawn_by: accountId })) === 1;
}

/** Puts a withdrawn document back online; false when it was not withdrawn. */
export async function restoreDocument(db: Conn, id: number): Promise<boolean> {
  return (await db('practical_documents').where({ id }).whereNotNull('withdrawn_at').update({ withdrawn_at: null, withdrawn_by: null })) === 1;
}

/** Which of these stored names a version points to (the orphan sweep). */
export async function referencedDocumentFiles(db: Db, names: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < names.length; i += 500) {
    const rows: { stored_name: string }[] = await db('practical_document_versions')
      .whereIn('stored_name', names.slice(i, i + 500))
      .select('stored_name');
    for (const row of rows) found.add(row.stored_name);
  }
  return found;
}

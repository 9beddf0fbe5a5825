// Knex only: an affiliation request as its form is typed — by the employee, found by the hash of
// the link's token (with the birth-date check), or by the insurer's staff from the paper bulletin,
// found by id — and the form's draft and documents. Shared by src/affiliation and src/gestion.
import type { Db } from '../db.js';
import type { AffiliationMode, AffiliationStatus } from '../domain/affiliation-requests.js';

/**
 * A request with what its form pages show (company, establishment): the one reading of it for
 * the employee's page (by link) and for staff typing the paper bulletin (by id).
 */
export interface FormRequest {
  id: number;
  company_id: number;
  created_by_account_id: number | null;
  status: AffiliationStatus;
  mode: AffiliationMode;
  decision: string | null;
  professional_status: string;
  last_name: string;
  first_name: string;
  birth_date: string;
  nir: string;
  email: string | null;
  token_expires_at: string | null;
  dob_attempts: number;
  form_data: string | null;
  created_at: string;
  company_name: string;
  establishment_name: string;
  siret: string;
}

async function findFormRequest(db: Db, where: Record<string, string | number>): Promise<FormRequest | undefined> {
  return db('affiliation_requests as r')
    .join('companies as c', 'c.id', 'r.company_id')
    .join('establishments as e', 'e.id', 'r.establishment_id')
    .where(where)
    .first(
      'r.id',
      'r.company_id',
      'r.created_by_account_id',
      'r.status',
      'r.mode',
      'r.decision',
      'r.professional_status',
      'r.last_name',
      'r.first_name',
      'r.birth_date',
      'r.nir',
      'r.email',
      'r.token_expires_at',
      'r.dob_attempts',
      'r.form_data',
      'r.created_at',
      'c.name as company_name',
      'e.name as establishment_name',
      'e.siret',
    );
}

export function findRequestByTokenHash(db: Db, tokenHash: string): Promise<FormRequest | undefined> {
  return findFormRequest(db, { 'r.token_hash': tokenHash });
}

/** Any request by id: the caller decides whether its form may be typed (the paper bulletin). */
export function findRequestById(db: Db, id: number): Promise<FormRequest | undefined> {
  return findFormRequest(db, { 'r.id': id });
}

/**
 * One try of a birth date, counted before the date is compared, in the statement that checks the
 * limit and that the link is still this one (a reminder replaces it and its count): requests sent
 * together get exactly the tries left. Returns the new count, or null when no try is left.
 */
export async function reserveBirthDateTry(db: Db, id: number, tokenHash: string, maxTries: number, now: Date): Promise<number | null> {
  const [row] = await db('affiliation_requests')
    .where({ id, token_hash: tokenHash })
    .where('dob_attempts', '<', maxTries)
    .update({ dob_attempts: db.raw('dob_attempts + 1'), updated_at: now.toISOString() })
    .returning(['dob_attempts']);
  return row ? Number(row.dob_attempts) : null;
}

/** The right date gives its try back: only wrong dates count. */
export async function refundBirthDateTry(db: Db, id: number, tokenHash: string): Promise<void> {
  await db('affiliation_requests')
    .where({ id, token_hash: tokenHash })
    .where('dob_attempts', '>', 0)
    .update({ dob_attempts: db.raw('dob_attempts - 1') });
}

export interface RequestDocument {
  id: number;
  kind: string;
  original_name: string;
  stored_name: string;
  mime: string;
  size_bytes: number;
}

export async function documentsOf(db: Db, requestId: number): Promise<RequestDocument[]> {
  return db('affiliation_request_documents')
    .where({ request_id: requestId })
    .orderBy('id')
    .select('id', 'kind', 'original_name', 'stored_name', 'mime', 'size_bytes');
}

/** The files just received and the draft (the stored form's JSON, see draftFormData), together. */
class DocumentsRefused<E> extends Error {
  constructor(readonly errors: E) {
    super('documents refused');
  }
}

/**
 * Stores the draft and the rows of new documents, if `refuse` finds no reason against them beside
 * the stored ones (then nothing is saved). The request row is written first: on PostgreSQL it
 * stays locked until the end, so two requests adding documents at the same moment are checked one
 * after the other and cannot both fill the last place (SQLite runs one transaction at a time).
 * Returns the documents stored before.
 */
export async function saveDraft<E>(
  db: Db,
  requestId: number,
  docs: Omit<RequestDocument, 'id'>[],
  formData: string,
  now: Date,
  refuse: (existing: RequestDocument[]) => E | null,
): Promise<{ ok: true; existing: RequestDocument[] } | { ok: false; errors: E }> {
  const at = now.toISOString();
  try {
    return await db.transaction(async (trx) => {
      await trx('affiliation_requests').where({ id: requestId }).update({ form_data: formData, updated_at: at });
      const existing = await documentsOf(trx, requestId);
      const errors = refuse(existing);
      if (errors) throw new DocumentsRefused(errors);
      if (docs.length) await trx('affiliation_request_documents').insert(docs.map((doc) => ({ request_id: requestId, ...doc, created_at: at })));
      return { ok: true as const, existing };
    });
  } catch (err) {
    if (err instanceof DocumentsRefused) return { ok: false, errors: err.errors as E };
    throw err;
  }
}

export async function removeDocument(db: Db, requestId: number, documentId: number): Promise<RequestDocument | undefined> {
  const doc = await db('affiliation_request_documents')
    .where({ id: documentId, request_id: requestId })
    .first('id', 'kind', 'original_name', 'stored_name', 'mime', 'size_bytes');
  if (doc) await db('affiliation_request_documents').where({ id: documentId }).delete();
  return doc;
}

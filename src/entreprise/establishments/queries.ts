// Knex only: the « périmètre suivi » of an HR user and the file imports that extend it.
import type { Db } from '../../db.js';
import { visibleEstablishments } from '../queries.js';
import type { ImportJobRow } from '../../stores/import-jobs.js';

export interface EstablishmentRecord {
  id: number;
  company_id: number;
  siret: string;
  insurer_code: string;
  name: string;
}

/** The insurer's establishments with these SIRETs (one query per batch of the file). */
export async function findEstablishmentsBySiret(db: Db, sirets: string[]): Promise<Map<string, EstablishmentRecord>> {
  if (!sirets.length) return new Map();
  const rows: EstablishmentRecord[] = await db('establishments').whereIn('siret', sirets).select('id', 'company_id', 'siret', 'insurer_code', 'name');
  return new Map(rows.map((r) => [r.siret, r]));
}

/** Which of these establishments are already in the account's perimeter. */
export async function perimeterContains(db: Db, accountId: number, establishmentIds: number[]): Promise<Set<number>> {
  if (!establishmentIds.length) return new Set();
  const rows: { establishment_id: number }[] = await db('hr_perimeter')
    .where('account_id', accountId)
    .whereIn('establishment_id', establishmentIds)
    .select('establishment_id');
  return new Set(rows.map((r) => r.establishment_id));
}

export async function addToPerimeter(db: Db, accountId: number, establishmentId: number, now: Date): Promise<void> {
  await db('hr_perimeter')
    .insert({ account_id: accountId, establishment_id: establishmentId, added_at: now.toISOString() })
    .onConflict(['account_id', 'establishment_id'])
    .ignore();
}

export interface PerimeterRow {
  id: number;
  siret: string;
  name: string;
  city: string;
  postal_code: string;
  company_name: string;
}

export async function perimeterPage(db: Db, accountId: number, page: number, pageSize: number): Promise<{ rows: PerimeterRow[]; total: number }> {
  const base = () => visibleEstablishments(db, accountId).join('companies as c', 'c.id', 'e.company_id');
  const [{ n }] = await base().count({ n: '*' });
  const rows: PerimeterRow[] = await base()
    .orderBy(['c.name', 'e.name', 'e.id'])
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .select('e.id', 'e.siret', 'e.name', 'e.city', 'e.postal_code', 'c.name as company_name');
  return { rows, total: Number(n) };
}

/** The account's own establishment import, or undefined (another account's job id is not found). */
export async function findImportJob(db: Db, accountId: number, jobId: number): Promise<ImportJobRow | undefined> {
  return db('import_jobs').where({ id: jobId, account_id: accountId, kind: 'establishments' }).first();
}

/**
 * « Confirmer »: the valid lines of the preview join the perimeter, all in one transaction (all or
 * nothing). Only a job still in preview is imported (a second click does nothing). Returns the
 * number of establishments added, or null when the job was not in preview.
 */
export async function confirmImport(db: Db, jobId: number, accountId: number, now: Date): Promise<number | null> {
  const iso = now.toISOString();
  return db.transaction(async (trx) => {
    const claimed = await trx('import_jobs').where({ id: jobId, account_id: accountId, status: 'preview' }).update({ status: 'importing', updated_at: iso });
    if (!claimed) return null;
    let added = 0;
    let after = 0;
    for (;;) {
      const rows: { line_number: number; data: string }[] = await trx('import_job_lines')
        .where({ job_id: jobId, status: 'valid' })
        .where('line_number', '>', after)
        .orderBy('line_number')
        .limit(500)
        .select('line_number', 'data');
      if (!rows.length) break;
      after = rows[rows.length - 1].line_number;
      const ids = rows.map((r) => (JSON.parse(r.data) as { establishmentId: number }).establishmentId);
      // Still allowed now: the company's habilitation active, not added meanwhile.
      const allowed: { id: number }[] = await trx('establishments as e')
        .join('hr_habilitations as hh', 'hh.company_id', 'e.company_id')
        .where({ 'hh.account_id': accountId, 'hh.status': 'active' })
        .whereIn('e.id', ids)
        .whereNotIn('e.id', trx('hr_perimeter').where('account_id', accountId).select('establishment_id'))
        .select('e.id');
      if (allowed.length) {
        for (let i = 0; i < allowed.length; i += 300) {
          await trx('hr_perimeter').insert(allowed.slice(i, i + 300).map((e) => ({ account_id: accountId, establishment_id: e.id, added_at: iso })));
        }
      }
      added += allowed.length;
    }
    await trx('import_jobs')
      .where({ id: jobId })
      .update({ status: 'done', processed_count: added, result: JSON.stringify({ added }), finished_at: iso, updated_at: iso });
    return added;
  });
}

export async function cancelImport(db: Db, jobId: number, accountId: number, now: Date): Promise<boolean> {
  const iso = now.toISOString();
  const updated = await db('import_jobs')
    .where({ id: jobId, account_id: accountId, status: 'preview' })
    .update({ status: 'cancelled', finished_at: iso, updated_at: iso });
  if (updated) await db('import_job_lines').where({ job_id: jobId }).delete();
  return updated > 0;
}

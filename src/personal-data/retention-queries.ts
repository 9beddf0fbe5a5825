// Knex only: what the retention policy deletes (src/personal-data/retention.ts says when). Each
// rule first lists its rows (the dry run shows them), then deletes exactly those ids.
import type { Db } from '../db.js';

export interface AffiliationToDelete {
  id: number;
  status: string;
  decision: string | null;
  updated_at: string;
}

/** Refused or abandoned affiliation requests last touched before `before`. */
export async function staleAffiliationRequests(db: Db, before: Date): Promise<AffiliationToDelete[]> {
  return db('affiliation_requests')
    .where((q) => q.where('status', 'abandoned').orWhere('decision', 'refused'))
    .andWhere('updated_at', '<', before.toISOString())
    .orderBy('id')
    .select('id', 'status', 'decision', 'updated_at');
}

export async function affiliationDocumentsOf(db: Db, requestIds: number[]): Promise<{ id: number; stored_name: string }[]> {
  const out: { id: number; stored_name: string }[] = [];
  for (let i = 0; i < requestIds.length; i += 500)
    out.push(
      ...(await db('affiliation_request_documents')
        .whereIn('request_id', requestIds.slice(i, i + 500))
        .select('id', 'stored_name')),
    );
  return out;
}

/** Deletes the requests with their documents and events. */
export async function deleteAffiliationRequests(db: Db, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500);
    await db.transaction(async (trx) => {
      await trx('affiliation_request_documents').whereIn('request_id', slice).delete();
      await trx('affiliation_request_events').whereIn('request_id', slice).delete();
      await trx('affiliation_requests').whereIn('id', slice).delete();
    });
  }
}

/** Attachments of conversations closed and silent since before `before`. */
export async function staleThreadAttachments(db: Db, before: Date): Promise<{ id: number; stored_name: string; thread_id: number }[]> {
  return db('message_attachments as ma')
    .join('messages as m', 'm.id', 'ma.message_id')
    .join('message_threads as t', 't.id', 'm.thread_id')
    .where('t.status', 'closed')
    .andWhere('t.last_message_at', '<', before.toISOString())
    .orderBy('ma.id')
    .select('ma.id', 'ma.stored_name', 't.id as thread_id');
}

export async function deleteRows(db: Db, table: 'message_attachments', ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500)
    await db(table)
      .whereIn('id', ids.slice(i, i + 500))
      .delete();
}

export async function countAuditBefore(db: Db, before: Date): Promise<number> {
  const row = await db('audit_log').where('at', '<', before.toISOString()).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

export async function deleteAuditBefore(db: Db, before: Date): Promise<number> {
  return db('audit_log').where('at', '<', before.toISOString()).delete();
}

/** Prepared data exports past their date, still « prête ». */
export async function overdueDataExports(db: Db, now: Date): Promise<{ id: number; expires_at: string }[]> {
  return db('data_exports').where({ status: 'ready' }).andWhere('expires_at', '<=', now.toISOString()).orderBy('id').select('id', 'expires_at');
}

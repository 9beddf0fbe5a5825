// The life of an affiliation request once it exists, whichever side moves it: HR (reminder,
// cancellation), the employee (draft, transmission), the insurer (paper bulletin, decision) and
// the expiry job. The rules (which move is allowed, where it leads) are pure, in
// src/domain/affiliation-requests.ts; this module writes them: the status change with its
// history event in one transaction, the history itself, and HR's notice of a finalized form.
// Shared by the spaces (src/affiliation, src/entreprise, src/gestion) and src/jobs.ts, which
// call it instead of importing each other.
import type { Knex } from 'knex';
import { insertedId, type Db } from '../db.js';
import { AFFILIATION_STATUSES, transition, type AffiliationStatus } from '../domain/affiliation-requests.js';
import { de } from '../domain/text.js';
import { addNotification } from '../notifications/store.js';

export interface RequestEventRow {
  id: number;
  kind: string;
  at: string;
  detail: string | null;
  account_first_name: string | null;
  account_last_name: string | null;
  account_kind: string | null;
}

export async function findRequestEvents(db: Db, requestId: number): Promise<RequestEventRow[]> {
  return db('affiliation_request_events as ev')
    .leftJoin('accounts as a', 'a.id', 'ev.account_id')
    .where('ev.request_id', requestId)
    .orderBy([
      { column: 'ev.at', order: 'asc' },
      { column: 'ev.id', order: 'asc' },
    ])
    .select('ev.id', 'ev.kind', 'ev.at', 'ev.detail', 'a.first_name as account_first_name', 'a.last_name as account_last_name', 'a.kind as account_kind');
}

/** One line of a request's history (HR, the employee, the insurer or the system). */
export async function addRequestEvent(
  db: Db | Knex.Transaction,
  requestId: number,
  kind: string,
  at: string,
  accountId: number | null,
  detail: Record<string, unknown> | null = null,
): Promise<void> {
  await db('affiliation_request_events').insert({ request_id: requestId, kind, at, account_id: accountId, detail: detail ? JSON.stringify(detail) : null });
}

/**
 * A reminder: the new link replaces the old one (hash and expiry), the count goes up, and the
 * event is written — only if no other reminder was recorded since `seenCount` was read, so two
 * clicks at the same moment send one email. Returns the reminder's number, or null if it lost.
 */
export async function recordReminder(
  db: Db,
  request: { id: number; reminder_count: number },
  link: { tokenHash: string; expiresAt: string },
  accountId: number,
  now: Date,
): Promise<number | null> {
  const iso = now.toISOString();
  const number = request.reminder_count + 1;
  return db.transaction(async (trx) => {
    const updated = await trx('affiliation_requests')
      .where({ id: request.id, reminder_count: request.reminder_count })
      .whereIn('status', ['sent', 'started'])
      .update({
        token_hash: link.tokenHash,
        token_expires_at: link.expiresAt,
        dob_attempts: 0,
        last_reminder_at: iso,
        reminder_count: number,
        updated_at: iso,
      });
    if (!updated) return null;
    await addRequestEvent(trx, request.id, 'reminder_sent', iso, accountId, { number });
    return number;
  });
}

/**
 * Moves a request from `from` to `to` (a transition the caller got from `transition`) with its
 * event and any `extra` columns, in one transaction — only if it is still in `from`, so a
 * concurrent change (HR cancelling, the employee sending, the expiry job) wins and this one does
 * nothing: false then. The one way every side (HR, the employee, the insurer) moves a request.
 */
export async function applyStatusChange(
  db: Db,
  requestId: number,
  change: { from: AffiliationStatus; to: AffiliationStatus },
  event: { kind: string; accountId: number | null; detail?: Record<string, unknown> | null },
  now: Date,
  extra: Record<string, unknown> = {},
): Promise<boolean> {
  const iso = now.toISOString();
  return db.transaction(async (trx) => {
    const updated = await trx('affiliation_requests')
      .where({ id: requestId, status: change.from })
      .update({ status: change.to, updated_at: iso, ...extra });
    if (!updated) return false;
    await addRequestEvent(trx, requestId, event.kind, iso, event.accountId, event.detail ?? null);
    return true;
  });
}

/**
 * The expiry job (and the reminder, which must not revive a dead link): every pending request
 * whose link is past its 30 days becomes « Abandonné ». Returns how many. `requestId` limits it
 * to one request.
 */
export async function expireOverdueRequests(db: Db, now: Date, requestId?: number): Promise<number> {
  const expire = transition('sent', 'expire');
  if (!expire.ok) return 0;
  // Both waiting statuses expire alike (the one rule says where): one update, one batch of events.
  const waiting = AFFILIATION_STATUSES.filter((status) => transition(status, 'expire').ok);
  const at = now.toISOString();
  return db.transaction(async (trx) => {
    const query = trx('affiliation_requests').whereIn('status', waiting).whereNotNull('token_expires_at').where('token_expires_at', '<=', at);
    if (requestId) query.where('id', requestId);
    const rows: ({ id: number } | number)[] = await query.update({ status: expire.to, token_hash: null, updated_at: at }).returning('id');
    const ids = rows.map(insertedId);
    for (let i = 0; i < ids.length; i += 500) {
      await trx('affiliation_request_events').insert(
        ids.slice(i, i + 500).map((id) => ({ request_id: id, kind: 'abandoned', at, account_id: null, detail: JSON.stringify({ reason: 'link_expired' }) })),
      );
    }
    return ids.length;
  });
}

/**
 * Tells the HR user who pre-affiliated the employee that the form is finalized: transmitted
 * online by the employee, or received on paper and typed by the insurer.
 */
export async function notifyHrOfFinalizedForm(
  db: Db,
  request: { id: number; created_by_account_id: number | null; establishment_name: string },
  name: string,
  source: 'online' | 'paper',
  now: Date,
): Promise<void> {
  if (!request.created_by_account_id) return;
  const body =
    source === 'online'
      ? `${name} a transmis son formulaire d'affiliation (${request.establishment_name}).`
      : `Le bulletin d'affiliation papier ${de(name)} a été reçu et saisi par l'assureur (${request.establishment_name}).`;
  await addNotification(
    db,
    request.created_by_account_id,
    {
      kind: 'affiliation_finalized',
      title: source === 'online' ? "Formulaire d'affiliation transmis" : "Bulletin d'affiliation papier reçu",
      body,
      link: `/entreprise/suivi-affiliations/${request.id}`,
    },
    now.toISOString(),
  );
}

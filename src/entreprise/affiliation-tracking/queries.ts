// Knex only: the affiliation requests an HR user follows (« Suivi des demandes d'affiliation »),
// their history, and the writes of the HR actions (reminder, cancellation) and of the expiry job.
// A request is visible when its establishment is one of the user's visible establishments
// (périmètre suivi ∩ active habilitations): any other id is simply not found.
import type { Knex } from 'knex';
import { insertedId, type Db } from '../../db.js';
import { AFFILIATION_STATUSES, transition, type AffiliationMode, type AffiliationStatus } from '../../domain/affiliation-requests.js';
import { visibleEstablishments } from '../queries.js';

export const SORT_COLUMNS = ['siren', 'siret', 'etablissement', 'nom', 'mode', 'statut', 'date'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortOrder = 'asc' | 'desc';

export interface RequestFilters {
  status?: AffiliationStatus;
  mode?: AffiliationMode;
  establishmentId?: number;
  /** Part of the first or last name, as typed. */
  name?: string;
}

export interface TrackedRequestRow {
  id: number;
  company_id: number;
  company_name: string;
  siren: string;
  establishment_id: number;
  establishment_name: string;
  siret: string;
  first_name: string;
  last_name: string;
  email: string | null;
  mode: AffiliationMode;
  status: AffiliationStatus;
  created_at: string;
  last_reminder_at: string | null;
  reminder_count: number;
  token_expires_at: string | null;
  decision: 'validated' | 'refused' | null;
}

export interface TrackedRequestDetail extends TrackedRequestRow {
  nir: string;
  birth_date: string;
  entry_date: string;
  affiliation_date: string;
  employment_contract_type: string;
  employment_start_date: string;
  employment_end_date: string | null;
  professional_status: 'cadre' | 'non_cadre';
  company_status: string;
  started_at: string | null;
  submitted_at: string | null;
  decision_reason: string | null;
  decided_at: string | null;
  establishment_address: string;
  establishment_postal_code: string;
  establishment_city: string;
  /** The label of the company's group contract for the employee's collège, when there is one. */
  contract_label: string | null;
  contract_reference: string | null;
}

const LIST_COLUMNS = [
  'r.id',
  'r.company_id',
  'c.name as company_name',
  'c.siren',
  'r.establishment_id',
  'e.name as establishment_name',
  'e.siret',
  'r.first_name',
  'r.last_name',
  'r.email',
  'r.mode',
  'r.status',
  'r.created_at',
  'r.last_reminder_at',
  'r.reminder_count',
  'r.token_expires_at',
  'r.decision',
];

/** The requests of the account's visible establishments, with their company and establishment (aliases r, e, c). */
function trackedRequests(db: Db, accountId: number): Knex.QueryBuilder {
  return visibleEstablishments(db, accountId).join('affiliation_requests as r', 'r.establishment_id', 'e.id').join('companies as c', 'c.id', 'e.company_id');
}

/** `%` and `_` typed by the user are searched as themselves. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function applyFilters(query: Knex.QueryBuilder, filters: RequestFilters): Knex.QueryBuilder {
  if (filters.status) query.where('r.status', filters.status);
  if (filters.mode) query.where('r.mode', filters.mode);
  if (filters.establishmentId) query.where('r.establishment_id', filters.establishmentId);
  if (filters.name) {
    const pattern = likePattern(filters.name);
    // « Prénom Nom » and « Nom Prénom » both match; lower() on both sides for PostgreSQL, whose LIKE is case-sensitive.
    query.where((q) =>
      q
        .whereRaw("lower(r.first_name || ' ' || r.last_name) like ? escape '\\'", [pattern])
        .orWhereRaw("lower(r.last_name || ' ' || r.first_name) like ? escape '\\'", [pattern]),
    );
  }
  return query;
}

const STATUS_RANK = "case r.status when 'sent' then 1 when 'started' then 2 when 'finalized' then 3 when 'abandoned' then 4 else 5 end";

function applySort(query: Knex.QueryBuilder, column: SortColumn, order: SortOrder): Knex.QueryBuilder {
  const dir = order === 'asc' ? 'asc' : 'desc';
  switch (column) {
    case 'siren':
      query.orderBy('c.siren', dir);
      break;
    case 'siret':
      query.orderBy('e.siret', dir);
      break;
    case 'etablissement':
      query.orderBy('e.name', dir);
      break;
    case 'nom':
      query.orderByRaw(`lower(r.first_name) ${dir}, lower(r.last_name) ${dir}`);
      break;
    case 'mode':
      query.orderBy('r.mode', dir);
      break;
    case 'statut':
      // The guide's order of the statuses, not the alphabetical order of their codes.
      query.orderByRaw(`${STATUS_RANK} ${dir}`);
      break;
    case 'date':
      break;
  }
  // Ties (and the date column itself) by creation, newest first unless asked otherwise.
  return query.orderBy([
    { column: 'r.created_at', order: column === 'date' ? dir : 'desc' },
    { column: 'r.id', order: column === 'date' ? dir : 'desc' },
  ]);
}

export async function countTrackedRequests(db: Db, accountId: number, filters: RequestFilters): Promise<number> {
  const [{ n }] = await applyFilters(trackedRequests(db, accountId), filters).count({ n: '*' });
  return Number(n);
}

/**
 * One page of the requests and how many match in all (a window count: one query). A page past
 * the end has no row to carry the count: total null then (see loadPage).
 */
export async function findTrackedRequests(
  db: Db,
  accountId: number,
  filters: RequestFilters,
  sort: { column: SortColumn; order: SortOrder },
  page: number,
  pageSize: number,
): Promise<{ rows: TrackedRequestRow[]; total: number | null }> {
  const query = applySort(applyFilters(trackedRequests(db, accountId), filters), sort.column, sort.order);
  const rows: (TrackedRequestRow & { total: number | string })[] = await query
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .select(LIST_COLUMNS)
    .select(db.raw('count(*) over () as total'));
  return {
    rows: rows.map(({ total: _total, ...r }) => ({ ...r, reminder_count: Number(r.reminder_count) })),
    total: rows.length ? Number(rows[0].total) : null,
  };
}

/** One request, only if the account may see it. */
export async function findTrackedRequest(db: Db, accountId: number, id: number): Promise<TrackedRequestDetail | undefined> {
  const row: TrackedRequestDetail | undefined = await trackedRequests(db, accountId)
    .leftJoin('contracts as k', function () {
      this.on('k.company_id', '=', 'r.company_id').andOn('k.college', '=', 'r.professional_status');
    })
    .where('r.id', id)
    .orderBy('k.id')
    .first(
      ...LIST_COLUMNS,
      'r.nir',
      'r.birth_date',
      'r.entry_date',
      'r.affiliation_date',
      'r.employment_contract_type',
      'r.employment_start_date',
      'r.employment_end_date',
      'r.professional_status',
      'r.company_status',
      'r.started_at',
      'r.submitted_at',
      'r.decision_reason',
      'r.decided_at',
      'e.address_line as establishment_address',
      'e.postal_code as establishment_postal_code',
      'e.city as establishment_city',
      'k.label as contract_label',
      'k.reference as contract_reference',
    );
  return row ? { ...row, reminder_count: Number(row.reminder_count) } : undefined;
}

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
export async function addRequestEvent(db: Db | Knex.Transaction, requestId: number, kind: string, at: string, accountId: number | null, detail: Record<string, unknown> | null = null): Promise<void> {
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
      .update({ token_hash: link.tokenHash, token_expires_at: link.expiresAt, dob_attempts: 0, last_reminder_at: iso, reminder_count: number, updated_at: iso });
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
    const updated = await trx('affiliation_requests').where({ id: requestId, status: change.from }).update({ status: change.to, updated_at: iso, ...extra });
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

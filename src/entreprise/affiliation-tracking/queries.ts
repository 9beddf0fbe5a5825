// Knex only: the affiliation requests an HR user follows (« Suivi des demandes d'affiliation »).
// Their history and every change of their status are in src/affiliation-requests/lifecycle.ts.
// A request is visible when its establishment is one of the user's visible establishments
// (périmètre suivi ∩ active habilitations): any other id is simply not found.
import type { Knex } from 'knex';
import type { Db } from '../../db.js';
import type { AffiliationMode, AffiliationStatus } from '../../domain/affiliation-requests.js';
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

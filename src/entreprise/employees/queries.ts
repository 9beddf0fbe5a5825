// Knex only: « Mes salariés » — the affiliations of the establishments an HR user may see
// (their « périmètre suivi » ∩ the companies of their active habilitations), filtered, sorted and
// paged; the options of the filters; one employee and their affiliation history.
import type { Knex } from 'knex';
import { isPostgres, preparedQuery, type Db } from '../../db.js';
import type { ProfessionalStatus } from '../../domain/affiliation-requests.js';
import type { ContractStatus } from '../../domain/employee-status.js';
import { prefixRange } from '../../domain/name-search.js';
import { visibleEstablishments } from '../queries.js';

export interface EmployeeFilters {
  companyId?: number;
  establishmentIds?: number[];
  status?: ContractStatus;
  professionalStatus?: ProfessionalStatus;
  contractId?: number;
  /** A prefix of nameSearchKey(« nom prénom ») or of nameSearchKey(« prénom nom »). */
  nameKey?: string;
  /** The 15 characters of a NIR, key included. */
  nir?: string;
}

export const EMPLOYEE_SORTS = ['etablissement', 'statut', 'nom', 'contrat', 'effet', 'fin'] as const;
export type EmployeeSort = (typeof EMPLOYEE_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

export interface EmployeeRow {
  affiliation_id: number;
  member_id: number;
  last_name: string;
  first_name: string;
  nir: string;
  establishment_name: string;
  siret: string;
  professional_status: ProfessionalStatus;
  contract_label: string;
  start_date: string;
  end_date: string | null;
}

/** The affiliations of the visible establishments with every filter applied (aliases a, e, m). */
function matchingAffiliations(db: Db, accountId: number, filters: EmployeeFilters, todayIso: string): Knex.QueryBuilder {
  const query = visibleEstablishments(db, accountId, filters.companyId).join('affiliations as a', 'a.establishment_id', 'e.id');
  if (filters.nameKey || filters.nir) query.join('members as m', 'm.id', 'a.member_id');
  return applyFilters(query, filters, todayIso);
}

/** The filters on a query that joins affiliations as `a` (and members as `m` for a name or NIR). */
function applyFilters(query: Knex.QueryBuilder, filters: EmployeeFilters, todayIso: string): Knex.QueryBuilder {
  if (filters.establishmentIds) query.whereIn('a.establishment_id', filters.establishmentIds);
  if (filters.professionalStatus) query.where('a.professional_status', filters.professionalStatus);
  if (filters.contractId) query.where('a.contract_id', filters.contractId);
  if (filters.status === 'a_venir') query.where('a.start_date', '>', todayIso);
  if (filters.status === 'en_cours') query.where('a.start_date', '<=', todayIso).where((q) => q.whereNull('a.end_date').orWhere('a.end_date', '>=', todayIso));
  if (filters.status === 'radie') query.where('a.start_date', '<=', todayIso).where('a.end_date', '<', todayIso);
  if (filters.nir) query.where('m.nir', filters.nir);
  if (filters.nameKey) {
    const [from, to] = prefixRange(filters.nameKey);
    // Two index ranges (« nom prénom », « prénom nom »), so either order of typing finds them.
    query.where((q) =>
      q
        .where((r) => r.where('m.name_key', '>=', from).where('m.name_key', '<', to))
        .orWhere((r) => r.where('m.first_name_key', '>=', from).where('m.first_name_key', '<', to)),
    );
  }
  return query;
}

const SORT_COLUMNS: Record<EmployeeSort, string[]> = {
  etablissement: ['e.name', 'm.name_key'],
  statut: ['a.professional_status', 'm.name_key'],
  // The folded key: « Élodie » between « Eliane » and « Emma », whatever the database's collation.
  nom: ['m.name_key'],
  contrat: ['k.label', 'm.name_key'],
  effet: ['a.start_date', 'm.name_key'],
  fin: ['a.end_date', 'm.name_key'],
};

function sorted(query: Knex.QueryBuilder, sort: EmployeeSort, order: SortOrder): Knex.QueryBuilder {
  // No date de fin means « still covered »: after every date going up, first going down, on both
  // databases (SQLite puts NULL first, PostgreSQL last).
  if (sort === 'fin') query.orderByRaw(`a.end_date is null ${order}`);
  for (const column of SORT_COLUMNS[sort]) query.orderBy(column, order);
  return query.orderBy('a.id', order);
}

const ROW_COLUMNS = [
  'a.id as affiliation_id',
  'a.member_id',
  'm.last_name',
  'm.first_name',
  'm.nir',
  'e.name as establishment_name',
  'e.siret',
  'a.professional_status',
  'k.label as contract_label',
  'a.start_date',
  'a.end_date',
];

function withRowColumns(query: Knex.QueryBuilder, filters: EmployeeFilters): Knex.QueryBuilder {
  if (!filters.nameKey && !filters.nir) query.join('members as m', 'm.id', 'a.member_id');
  return query.join('contracts as k', 'k.id', 'a.contract_id').select(ROW_COLUMNS);
}

export async function countEmployees(db: Db, accountId: number, filters: EmployeeFilters, todayIso: string): Promise<number> {
  const row = await matchingAffiliations(db, accountId, filters, todayIso).count({ count: '*' }).first();
  return Number(row?.count ?? 0);
}

/**
 * SQLite, sorted by name without an establishment, name or NIR filter (the landing page): SQLite
 * would read every visible affiliation and sort them; walking members in the order of their name
 * index instead (CROSS JOIN fixes the join order there) stops once the page is filled.
 */
function walksNameIndex(db: Db, filters: EmployeeFilters, sort: EmployeeSort): boolean {
  return sort === 'nom' && !isPostgres(db) && !filters.establishmentIds && !filters.nameKey && !filters.nir;
}

/**
 * The matching affiliation ids in the list's order. Only what the sort needs is joined: sorting
 * ids is cheap where sorting whole rows of 50,000 affiliations was not (a page's rows are read
 * afterwards by id).
 */
function sortedIds(db: Db, accountId: number, filters: EmployeeFilters, todayIso: string, sort: EmployeeSort, order: SortOrder): Knex.QueryBuilder {
  let query: Knex.QueryBuilder;
  if (walksNameIndex(db, filters, sort)) {
    query = applyFilters(
      db('members as m')
        .joinRaw('cross join affiliations as a on a.member_id = m.id')
        .join('establishments as e', 'e.id', 'a.establishment_id')
        .join('hr_perimeter as p', (j) => j.on('p.establishment_id', '=', 'e.id').andOnVal('p.account_id', '=', accountId))
        .join('hr_habilitations as hh', (j) =>
          j.on('hh.company_id', '=', 'e.company_id').andOnVal('hh.account_id', '=', accountId).andOnVal('hh.status', '=', 'active'),
        ),
      filters,
      todayIso,
    );
    if (filters.companyId) query.where('e.company_id', filters.companyId);
  } else {
    query = matchingAffiliations(db, accountId, filters, todayIso);
    if (!filters.nameKey && !filters.nir) query.join('members as m', 'm.id', 'a.member_id');
  }
  if (sort === 'contrat') query.join('contracts as k', 'k.id', 'a.contract_id');
  return sorted(query, sort, order).select('a.id');
}

/**
 * One page of the list and how many match in all. The sorted ids carry a window count (one pass
 * over the matching rows where a count and then the page made two), except on the landing walk
 * of walksNameIndex, which must stop early: a separate count there. A page past the end has no
 * row to carry the count: total null then.
 */
export async function findEmployeePage(
  db: Db,
  accountId: number,
  filters: EmployeeFilters,
  todayIso: string,
  options: { sort: EmployeeSort; order: SortOrder; limit: number; offset: number },
): Promise<{ rows: EmployeeRow[]; total: number | null }> {
  const query = sortedIds(db, accountId, filters, todayIso, options.sort, options.order).limit(options.limit).offset(options.offset);
  let total: number | null;
  let ids: number[];
  if (walksNameIndex(db, filters, options.sort)) {
    total = await countEmployees(db, accountId, filters, todayIso);
    ids = (await query).map((r: { id: number }) => r.id);
  } else {
    const rows: { id: number; total: number | string }[] = await query.select(db.raw('count(*) over () as total'));
    total = rows.length ? Number(rows[0].total) : null;
    ids = rows.map((r) => r.id);
  }
  const byId = new Map((await findEmployeesByIds(db, accountId, ids)).map((r) => [r.affiliation_id, r]));
  return { rows: ids.flatMap((id) => byId.get(id) ?? []), total };
}

/** Every matching affiliation id in the list's order: what the CSV export then reads by chunks. */
export async function findEmployeeIds(
  db: Db,
  accountId: number,
  filters: EmployeeFilters,
  todayIso: string,
  sort: EmployeeSort,
  order: SortOrder,
): Promise<number[]> {
  const rows: { id: number }[] = await sortedIds(db, accountId, filters, todayIso, sort, order);
  return rows.map((r) => r.id);
}

/** These affiliations' rows (still scoped to the visible establishments), in no particular order. */
export async function findEmployeesByIds(db: Db, accountId: number, ids: number[]): Promise<EmployeeRow[]> {
  if (!ids.length) return [];
  return withRowColumns(visibleEstablishments(db, accountId).join('affiliations as a', 'a.establishment_id', 'e.id').whereIn('a.id', ids), {});
}

export interface ContractOption {
  id: number;
  company_id: number;
  label: string;
  reference: string;
}

// The « Contrat » filter of every « Mes salariés » page: built once (preparedQuery, src/db.ts).
const contractsOf = (query: Knex.QueryBuilder) => query.orderBy(['label', 'reference']).select('id', 'company_id', 'label', 'reference');
const companyContracts = preparedQuery((db, companyId: number) => contractsOf(db('contracts').where('company_id', companyId)));
const accountContracts = preparedQuery((db, accountId: number) =>
  contractsOf(db('contracts').whereIn('company_id', db('hr_habilitations').where({ account_id: accountId, status: 'active' }).select('company_id'))),
);

/** The contracts of one company, or (null) of every company of the account's active habilitations. */
export async function findContracts(db: Db, accountId: number, companyId: number | null): Promise<ContractOption[]> {
  return companyId ? companyContracts<ContractOption>(db, companyId) : accountContracts<ContractOption>(db, accountId);
}

/** Whether the HR user may open this employee's page (an affiliation in one of their visible establishments). */
export async function employeeVisible(db: Db, accountId: number, memberId: number): Promise<boolean> {
  const row = await db('affiliations as a')
    .where('a.member_id', memberId)
    .whereIn('a.establishment_id', visibleEstablishments(db, accountId).select('e.id'))
    .first('a.id');
  return Boolean(row);
}

export interface EmployeeIdentity {
  id: number;
  last_name: string;
  first_name: string;
  birth_date: string;
  nir: string;
}

export interface AffiliationHistoryRow {
  id: number;
  establishment_name: string;
  siret: string;
  company_name: string;
  professional_status: ProfessionalStatus;
  company_status: string;
  employment_contract_type: string;
  contract_label: string;
  contract_reference: string;
  start_date: string;
  end_date: string | null;
}

/** Every affiliation of this member in the visible establishments, newest first (none: not theirs to see). */
export async function findEmployeeHistory(db: Db, accountId: number, memberId: number): Promise<AffiliationHistoryRow[]> {
  return visibleEstablishments(db, accountId)
    .join('affiliations as a', 'a.establishment_id', 'e.id')
    .join('companies as c', 'c.id', 'e.company_id')
    .join('contracts as k', 'k.id', 'a.contract_id')
    .where('a.member_id', memberId)
    .orderBy([
      { column: 'a.start_date', order: 'desc' },
      { column: 'a.id', order: 'desc' },
    ])
    .select(
      'a.id',
      'e.name as establishment_name',
      'e.siret',
      'c.name as company_name',
      'a.professional_status',
      'a.company_status',
      'a.employment_contract_type',
      'k.label as contract_label',
      'k.reference as contract_reference',
      'a.start_date',
      'a.end_date',
    );
}

export async function findMemberIdentity(db: Db, memberId: number): Promise<EmployeeIdentity | undefined> {
  return db('members').where('id', memberId).first('id', 'last_name', 'first_name', 'birth_date', 'nir');
}

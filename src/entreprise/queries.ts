// Knex only: what every Espace Entreprise page is scoped by. An HR user sees the establishments of
// their « périmètre suivi » that belong to a company of one of their active habilitations — never
// more, so another company's employees, users or establishments are simply not found (404).
import type { Knex } from 'knex';
import { preparedQuery, type Db } from '../db.js';

/**
 * The establishments an HR account may see, as a query to join or to select from (aliases
 * `e` for establishments). `companyId` narrows to one company of theirs.
 */
export function visibleEstablishments(db: Db | Knex.Transaction, accountId: number, companyId?: number | null): Knex.QueryBuilder {
  const query = db('hr_perimeter as p')
    .join('establishments as e', 'e.id', 'p.establishment_id')
    .join('hr_habilitations as hh', function () {
      this.on('hh.account_id', '=', 'p.account_id').andOn('hh.company_id', '=', 'e.company_id');
    })
    .where('p.account_id', accountId)
    .where('hh.status', 'active');
  if (companyId) query.where('e.company_id', companyId);
  return query;
}

export interface VisibleEstablishment {
  id: number;
  company_id: number;
  siret: string;
  name: string;
  postal_code: string;
  city: string;
}

const ESTABLISHMENT_COLUMNS = ['e.id', 'e.company_id', 'e.siret', 'e.name', 'e.postal_code', 'e.city'];

/** One establishment with its company, as a page that names it shows it (the wizard's context line). */
export interface VisibleEstablishmentWithCompany extends VisibleEstablishment {
  company_name: string;
  siren: string;
}

// Run by every list with an establishment filter (Mes salariés, Suivi des demandes, the
// pre-affiliation wizard): built once (preparedQuery, src/db.ts), one statement per shape.
const visibleWithCompany = (db: Knex, accountId: number) => visibleEstablishments(db, accountId).join('companies as c', 'c.id', 'e.company_id');
const visibleById = preparedQuery((db, accountId: number, id: number) =>
  visibleWithCompany(db, accountId)
    .where('e.id', id)
    .first(...ESTABLISHMENT_COLUMNS, 'c.name as company_name', 'c.siren'),
);
const visibleBySiret = preparedQuery((db, accountId: number, siret: string) =>
  visibleWithCompany(db, accountId)
    .where('e.siret', siret)
    .first(...ESTABLISHMENT_COLUMNS, 'c.name as company_name', 'c.siren'),
);

/**
 * One visible establishment by id or SIRET, with its company's name and SIREN; undefined for
 * anything the user may not see. The join reads one company row: the lists keep to
 * ESTABLISHMENT_COLUMNS.
 */
export async function findVisibleEstablishment(
  db: Db,
  accountId: number,
  by: { id: number } | { siret: string },
): Promise<VisibleEstablishmentWithCompany | undefined> {
  const [row] = await ('id' in by
    ? visibleById<VisibleEstablishmentWithCompany>(db, accountId, by.id)
    : visibleBySiret<VisibleEstablishmentWithCompany>(db, accountId, by.siret));
  return row;
}

/** How many visible establishments there are, up to ESTABLISHMENT_OPTIONS_MAX + 1: counted on the indexes alone. */
const countUpToCap = (db: Knex, query: Knex.QueryBuilder) =>
  db
    .from(
      query
        .limit(ESTABLISHMENT_OPTIONS_MAX + 1)
        .select(db.raw('1'))
        .as('v'),
    )
    .count({ n: '*' });
const countVisible = preparedQuery((db, accountId: number) => countUpToCap(db, visibleEstablishments(db, accountId)));
const countVisibleOfCompany = preparedQuery((db, accountId: number, companyId: number) => countUpToCap(db, visibleEstablishments(db, accountId, companyId)));
const listVisible = preparedQuery((db, accountId: number) => visibleEstablishments(db, accountId).select(ESTABLISHMENT_COLUMNS));
const listVisibleOfCompany = preparedQuery((db, accountId: number, companyId: number) =>
  visibleEstablishments(db, accountId, companyId).select(ESTABLISHMENT_COLUMNS),
);

/**
 * The visible establishments (of one company when given) sorted by name, or null when there are
 * more than ESTABLISHMENT_OPTIONS_MAX. Counted first, up to one more, on the indexes alone: reading
 * the rows of 200 establishments only to learn there are more cost three times as much.
 */
async function listVisibleEstablishments(db: Db, accountId: number, companyId: number | null): Promise<VisibleEstablishment[] | null> {
  const [{ n }] = companyId
    ? await countVisibleOfCompany<{ n: number | string }>(db, accountId, companyId)
    : await countVisible<{ n: number | string }>(db, accountId);
  if (Number(n) > ESTABLISHMENT_OPTIONS_MAX) return null;
  const rows = companyId ? await listVisibleOfCompany<VisibleEstablishment>(db, accountId, companyId) : await listVisible<VisibleEstablishment>(db, accountId);
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
}

/** Beyond this many establishments a list's filter offers none (a select of thousands helps nobody). */
export const ESTABLISHMENT_OPTIONS_MAX = 200;

/**
 * The establishments an establishment filter offers, sorted by name; null past
 * ESTABLISHMENT_OPTIONS_MAX, when the page says instead how to name one (a SIREN, a SIRET).
 */
export function establishmentOptions(db: Db, accountId: number, companyId: number | null = null): Promise<VisibleEstablishment[] | null> {
  return listVisibleEstablishments(db, accountId, companyId);
}

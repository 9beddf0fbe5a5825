// Knex only: what every Espace Entreprise page is scoped by. An HR user sees the establishments of
// their « périmètre suivi » that belong to a company of one of their active habilitations — never
// more, so another company's employees, users or establishments are simply not found (404).
import type { Knex } from 'knex';
import type { Db } from '../db.js';

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

export async function findVisibleEstablishments(db: Db, accountId: number, companyId?: number | null): Promise<VisibleEstablishment[]> {
  return visibleEstablishments(db, accountId, companyId).orderBy(['e.name', 'e.id']).select('e.id', 'e.company_id', 'e.siret', 'e.name', 'e.postal_code', 'e.city');
}

// Knex only: the contracts of the companies an HR user works on (their active habilitations,
// req.hrCompanies), with the company each belongs to. Any other contract is simply not found.
import type { Db } from '../../db.js';

export interface CompanyContractRow {
  id: number;
  company_id: number;
  company_name: string;
  siren: string;
  company_address: string;
  company_postal_code: string;
  company_city: string;
  reference: string;
  label: string;
  college: 'cadre' | 'non_cadre';
  formula: string;
  options: string | null;
  start_date: string;
  end_date: string | null;
}

function contractQuery(db: Db, companyIds: readonly number[]) {
  return db('contracts as k')
    .join('companies as c', 'c.id', 'k.company_id')
    .whereIn('k.company_id', [...companyIds])
    .select(
      'k.id',
      'k.company_id',
      'c.name as company_name',
      'c.siren',
      'c.address_line as company_address',
      'c.postal_code as company_postal_code',
      'c.city as company_city',
      'k.reference',
      'k.label',
      'k.college',
      'k.formula',
      'k.options',
      'k.start_date',
      'k.end_date',
    );
}

/** The companies' contracts, by company name, then the newest first, then by reference. */
export async function findCompanyContracts(db: Db, companyIds: readonly number[]): Promise<CompanyContractRow[]> {
  if (!companyIds.length) return [];
  return contractQuery(db, companyIds).orderBy([
    { column: 'c.name' },
    { column: 'c.id' },
    { column: 'k.start_date', order: 'desc' },
    { column: 'k.reference' },
  ]);
}

/** One contract, if it belongs to one of the companies. */
export async function findCompanyContract(db: Db, companyIds: readonly number[], id: number): Promise<CompanyContractRow | undefined> {
  if (!companyIds.length) return undefined;
  return contractQuery(db, companyIds).where('k.id', id).first();
}

// Knex only, no req/res: the client companies of the Espace Gestion (/gestion/entreprises), their
// establishments, contracts and the versions of each contract's guarantee table
// (db/migrations/20261206100000_guarantee_versions.ts). Every write takes the transaction it is given.
import { insertedId, type Db } from '../../db.js';

export interface CompanyListRow {
  id: number;
  name: string;
  siren: string;
  insurer_company_number: string;
  city: string;
}

export interface CompanyRow extends CompanyListRow {
  address_line: string;
  postal_code: string;
  created_at: string;
}

export interface EstablishmentRow {
  id: number;
  company_id: number;
  siret: string;
  name: string;
  insurer_code: string;
  address_line: string;
  postal_code: string;
  city: string;
}

export interface ContractRow {
  id: number;
  company_id: number;
  reference: string;
  label: string;
  college: string;
  formula: string;
  options: string | null;
  start_date: string;
  end_date: string | null;
}

export interface GuaranteeLineRow {
  id: number;
  contract_id: number;
  category: string;
  label: string;
  coverage: string;
  br_percent: number | null;
  flat_amount_cents: number | null;
  yearly_cap_cents: number | null;
  position: number;
  effective_from: string | null;
  effective_to: string | null;
}

export interface CompanyFields {
  name: string;
  siren: string;
  address_line: string;
  postal_code: string;
  city: string;
}

export interface EstablishmentFields {
  name: string;
  siret: string;
  address_line: string;
  postal_code: string;
  city: string;
}

export interface ContractFields {
  reference: string;
  label: string;
  college: string;
  formula: string;
  options: string | null;
  start_date: string;
  end_date: string | null;
}

export interface GuaranteeFields {
  category: string;
  label: string;
  coverage: string;
  br_percent: number | null;
  flat_amount_cents: number | null;
  yearly_cap_cents: number | null;
}

/**
 * Every company with what the list shows and searches, by name. The insurer's clients are counted
 * in thousands at most: the list folds and filters them in one pass (src/gestion/companies/pages.ts)
 * rather than keeping folded copies of three columns in step.
 */
export async function allCompanies(db: Db): Promise<CompanyListRow[]> {
  return db('companies').orderBy(['name', 'id']).select('id', 'name', 'siren', 'insurer_company_number', 'city');
}

export async function companyById(db: Db, id: number): Promise<CompanyRow | undefined> {
  return db('companies').where({ id }).first('id', 'name', 'siren', 'insurer_company_number', 'address_line', 'postal_code', 'city', 'created_at');
}

export async function insertCompany(db: Db, fields: CompanyFields, identifier: string, nowIso: string): Promise<number> {
  const [row] = await db('companies')
    .insert({ ...fields, insurer_company_number: identifier, created_at: nowIso })
    .returning('id');
  return insertedId(row);
}

export async function updateCompany(db: Db, id: number, fields: CompanyFields): Promise<void> {
  await db('companies').where({ id }).update(fields);
}

export async function establishmentsOf(db: Db, companyId: number): Promise<EstablishmentRow[]> {
  return db('establishments')
    .where({ company_id: companyId })
    .orderBy(['siret', 'id'])
    .select('id', 'company_id', 'siret', 'name', 'insurer_code', 'address_line', 'postal_code', 'city');
}

export async function establishmentOf(db: Db, companyId: number, id: number): Promise<EstablishmentRow | undefined> {
  return db('establishments')
    .where({ company_id: companyId, id })
    .first('id', 'company_id', 'siret', 'name', 'insurer_code', 'address_line', 'postal_code', 'city');
}

export async function insertEstablishment(db: Db, companyId: number, fields: EstablishmentFields, code: string, nowIso: string): Promise<number> {
  const [row] = await db('establishments')
    .insert({ ...fields, company_id: companyId, insurer_code: code, created_at: nowIso })
    .returning('id');
  return insertedId(row);
}

export async function updateEstablishment(db: Db, companyId: number, id: number, fields: EstablishmentFields): Promise<void> {
  await db('establishments').where({ company_id: companyId, id }).update(fields);
}

/** Whether an establishment already uses this code identifiant (the column has no unique index: the demo's codes are checked here). */
export async function establishmentCodeTaken(db: Db, code: string): Promise<boolean> {
  return Boolean(await db('establishments').where({ insurer_code: code }).first('id'));
}

export async function contractsOf(db: Db, companyId: number): Promise<ContractRow[]> {
  return db('contracts')
    .where({ company_id: companyId })
    .orderBy([{ column: 'start_date', order: 'desc' }, 'reference'])
    .select('id', 'company_id', 'reference', 'label', 'college', 'formula', 'options', 'start_date', 'end_date');
}

export async function contractOf(db: Db, companyId: number, id: number): Promise<ContractRow | undefined> {
  return db('contracts')
    .where({ company_id: companyId, id })
    .first('id', 'company_id', 'reference', 'label', 'college', 'formula', 'options', 'start_date', 'end_date');
}

export async function insertContract(db: Db, companyId: number, fields: ContractFields, nowIso: string): Promise<number> {
  const [row] = await db('contracts')
    .insert({ ...fields, company_id: companyId, created_at: nowIso })
    .returning('id');
  return insertedId(row);
}

export async function updateContract(db: Db, companyId: number, id: number, fields: ContractFields): Promise<void> {
  await db('contracts').where({ company_id: companyId, id }).update(fields);
}

/**
 * The contract's start moved: its first version of the table (lines starting on or before the old
 * start) now starts with it, so no day of the contract is left without guarantees.
 */
export async function moveFirstGuaranteeVersion(trx: Db, contractId: number, oldStartIso: string, newStartIso: string): Promise<void> {
  await trx('guarantee_lines').where({ contract_id: contractId }).where('effective_from', '<=', oldStartIso).update({ effective_from: newStartIso });
}

/** Every line of every version of a contract's table, oldest version first. */
export async function guaranteeLinesOf(db: Db, contractId: number): Promise<GuaranteeLineRow[]> {
  return db('guarantee_lines')
    .where({ contract_id: contractId })
    .orderByRaw('COALESCE(effective_from, ?) , position, id', [''])
    .select(
      'id',
      'contract_id',
      'category',
      'label',
      'coverage',
      'br_percent',
      'flat_amount_cents',
      'yearly_cap_cents',
      'position',
      'effective_from',
      'effective_to',
    );
}

/**
 * A new version of the table from `fromIso` (in one transaction, the caller's): the versions
 * starting on or after that day are replaced, the lines in force the day before end then, and
 * the new lines hold from that day on.
 */
export async function replaceGuaranteesFrom(
  trx: Db,
  contractId: number,
  fromIso: string,
  dayBeforeIso: string,
  lines: readonly GuaranteeFields[],
): Promise<void> {
  await trx('guarantee_lines').where({ contract_id: contractId }).where('effective_from', '>=', fromIso).delete();
  await trx('guarantee_lines')
    .where({ contract_id: contractId })
    .where((q) => q.whereNull('effective_to').orWhere('effective_to', '>=', fromIso))
    .update({ effective_to: dayBeforeIso });
  if (lines.length) {
    await trx('guarantee_lines').insert(
      lines.map((line, i) => ({ ...line, contract_id: contractId, position: i + 1, effective_from: fromIso, effective_to: null })),
    );
  }
}

/** Whether another establishment already has this SIRET (the unique index still decides, on a race). */
export async function siretTaken(db: Db, siret: string, exceptId?: number): Promise<boolean> {
  const row = await db('establishments').where({ siret }).first('id');
  return Boolean(row && row.id !== exceptId);
}

/** Whether another contract already has this reference (the unique index still decides, on a race). */
export async function referenceTaken(db: Db, reference: string, exceptId?: number): Promise<boolean> {
  const row = await db('contracts').where({ reference }).first('id');
  return Boolean(row && row.id !== exceptId);
}

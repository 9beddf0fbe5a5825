// Knex only: what the « Pré-affiliation » wizard reads besides its establishment (that one comes
// from ../queries.js, scoped like every page) — a former employee, the duplicates it must
// refuse — and the one write that creates the affiliation request.
import type { Knex } from 'knex';
import { insertedId, isPostgres, type Db } from '../../db.js';
import type { AffiliationMode, CompanyStatus, EmploymentContractType, ProfessionalStatus } from '../../domain/affiliation-requests.js';

export interface FormerEmployee {
  member_id: number;
  nir: string;
  sex: string;
  last_name: string;
  first_name: string;
  birth_date: string;
  email: string | null;
}

/**
 * A member with this NIR (15 characters: members' NIRs are stored with their key) who was ever
 * affiliated in one of the company's establishments.
 */
export async function findFormerEmployee(db: Db, companyId: number, nir15: string): Promise<FormerEmployee | undefined> {
  return db('members as m')
    .where('m.nir', nir15)
    .whereExists(
      db('affiliations as a')
        .join('establishments as e', 'e.id', 'a.establishment_id')
        .whereRaw('a.member_id = m.id')
        .where('e.company_id', companyId)
        .select(db.raw('1')),
    )
    .orderBy('m.id', 'desc')
    .first('m.id as member_id', 'm.nir', 'm.sex', 'm.last_name', 'm.first_name', 'm.birth_date', 'm.email');
}

/** A member with this NIR who is covered today (or from a future date) in the company. */
export async function findCoveredEmployee(db: Db, companyId: number, nir15: string, today: string): Promise<{ member_id: number } | undefined> {
  return db('members as m')
    .join('affiliations as a', 'a.member_id', 'm.id')
    .join('establishments as e', 'e.id', 'a.establishment_id')
    .where('m.nir', nir15)
    .where('e.company_id', companyId)
    .where((q) => q.whereNull('a.end_date').orWhere('a.end_date', '>=', today))
    .first('m.id as member_id');
}

/** A request for this NIR in the company still waiting for the employee or the insurer. */
export async function findOpenRequest(db: Db | Knex.Transaction, companyId: number, nir15: string): Promise<{ id: number } | undefined> {
  return (
    db('affiliation_requests')
      .where({ company_id: companyId })
      // Stored as typed: the 13 characters the form asks for, or 15 with the key (seeded data).
      .whereIn('nir', [nir15.slice(0, 13), nir15])
      .where((q) => q.whereIn('status', ['sent', 'started']).orWhere((f) => f.where('status', 'finalized').whereNull('decision')))
      .first('id')
  );
}

/** What HR typed about the employee (step 4), checked. */
export interface EmployeeDetails {
  nir13: string;
  lastName: string;
  firstName: string;
  email: string | null;
  birthDate: string;
  entryDate: string;
  affiliationDate: string;
  contractType: EmploymentContractType;
  employmentStart: string;
  employmentEnd: string | null;
  professionalStatus: ProfessionalStatus;
  companyStatus: CompanyStatus;
}

export interface NewAffiliationRequest extends EmployeeDetails {
  companyId: number;
  establishmentId: number;
  createdBy: number;
  mode: AffiliationMode;
  previousMemberId: number | null;
  tokenHash: string | null;
  tokenExpiresAt: string | null;
}

/**
 * The request (status « Envoyé à l'employé ») and its first two events, together — unless a
 * request for this NIR is already open in the company (checked again here, under a lock of the
 * company's row on PostgreSQL, so two clicks at once make one request): then its id.
 */
export async function createAffiliationRequest(db: Db, input: NewAffiliationRequest, nir15: string, now: Date): Promise<{ id: number } | { openId: number }> {
  const at = now.toISOString();
  return db.transaction(async (trx) => {
    if (isPostgres(db)) await trx('companies').where({ id: input.companyId }).forUpdate().first('id');
    const open = await findOpenRequest(trx, input.companyId, nir15);
    if (open) return { openId: open.id };
    const [row] = await trx('affiliation_requests')
      .insert({
        company_id: input.companyId,
        establishment_id: input.establishmentId,
        created_by_account_id: input.createdBy,
        mode: input.mode,
        status: 'sent',
        professional_status: input.professionalStatus,
        previous_member_id: input.previousMemberId,
        nir: input.nir13,
        last_name: input.lastName,
        first_name: input.firstName,
        email: input.email,
        birth_date: input.birthDate,
        entry_date: input.entryDate,
        affiliation_date: input.affiliationDate,
        employment_contract_type: input.contractType,
        employment_start_date: input.employmentStart,
        employment_end_date: input.employmentEnd,
        company_status: input.companyStatus,
        token_hash: input.tokenHash,
        token_expires_at: input.tokenExpiresAt,
        dob_attempts: 0,
        reminder_count: 0,
        created_at: at,
        updated_at: at,
      })
      .returning('id');
    const id = insertedId(row);
    await trx('affiliation_request_events').insert([
      { request_id: id, kind: 'created', at, account_id: input.createdBy, detail: JSON.stringify({ mode: input.mode }) },
      { request_id: id, kind: input.mode === 'email' ? 'email_sent' : 'courrier_ready', at, account_id: input.createdBy, detail: null },
    ]);
    return { id };
  });
}

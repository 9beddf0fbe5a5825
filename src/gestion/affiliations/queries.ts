// Knex only: the finalized affiliation requests the insurer decides on, the Courrier requests whose
// paper bulletin waits, and the rows a decision reads and writes. The decisions themselves (the
// rule checked again, in one transaction) are in src/gestion/affiliations/decisions.ts.
import type { Knex } from 'knex';
import { insertedId, type Db } from '../../db.js';
import type { RequestDocument } from '../../affiliation-requests/queries.js';
import type { AffiliationDecision } from '../../domain/affiliation-requests.js';

export const PAGE_SIZE = 25;

export const DECISION_FILTERS = ['a_traiter', 'validees', 'refusees'] as const;
export type DecisionFilter = (typeof DECISION_FILTERS)[number];

function finalized(db: Db | Knex.Transaction) {
  return db('affiliation_requests as r').where('r.status', 'finalized');
}

function byFilter(query: Knex.QueryBuilder, filter: DecisionFilter) {
  if (filter === 'a_traiter') return query.whereNull('r.decision');
  return query.where('r.decision', filter === 'validees' ? 'validated' : 'refused');
}

/** How many finalized requests wait for a decision, and how many were validated or refused. */
export async function countByDecision(db: Db): Promise<Record<DecisionFilter, number>> {
  const rows: { decision: string | null; total: number | string }[] = await finalized(db).select('r.decision').count({ total: '*' }).groupBy('r.decision');
  const counts: Record<DecisionFilter, number> = { a_traiter: 0, validees: 0, refusees: 0 };
  for (const row of rows) {
    const key: DecisionFilter | null =
      row.decision === null ? 'a_traiter' : row.decision === 'validated' ? 'validees' : row.decision === 'refused' ? 'refusees' : null;
    if (key) counts[key] += Number(row.total);
  }
  return counts;
}

export interface RequestListRow {
  id: number;
  first_name: string;
  last_name: string;
  professional_status: string;
  submitted_at: string | null;
  decided_at: string | null;
  company_name: string;
  establishment_name: string;
  siret: string;
}

/** Waiting requests oldest first (first come, first served); decided ones latest decision first. */
export async function findRequestsPage(db: Db, filter: DecisionFilter, page: number): Promise<RequestListRow[]> {
  const query = byFilter(finalized(db), filter)
    .join('companies as c', 'c.id', 'r.company_id')
    .join('establishments as e', 'e.id', 'r.establishment_id')
    .select(
      'r.id',
      'r.first_name',
      'r.last_name',
      'r.professional_status',
      'r.submitted_at',
      'r.decided_at',
      'c.name as company_name',
      'e.name as establishment_name',
      'e.siret',
    );
  if (filter === 'a_traiter') query.orderByRaw('coalesce(r.submitted_at, r.updated_at) asc, r.id asc');
  else
    query.orderBy([
      { column: 'r.decided_at', order: 'desc' },
      { column: 'r.id', order: 'desc' },
    ]);
  return query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE);
}

export interface StaffRequest {
  id: number;
  company_id: number;
  establishment_id: number;
  created_by_account_id: number | null;
  mode: string;
  status: string;
  professional_status: string;
  previous_member_id: number | null;
  nir: string;
  last_name: string;
  first_name: string;
  email: string | null;
  birth_date: string;
  entry_date: string;
  affiliation_date: string;
  employment_contract_type: string;
  employment_start_date: string;
  employment_end_date: string | null;
  company_status: string;
  form_data: string | null;
  submitted_at: string | null;
  decision: AffiliationDecision | null;
  decision_reason: string | null;
  decided_at: string | null;
  member_id: number | null;
  created_at: string;
  company_name: string;
  siren: string;
  establishment_name: string;
  siret: string;
  creator_first_name: string | null;
  creator_last_name: string | null;
  decider_first_name: string | null;
  decider_last_name: string | null;
  member_number: string | null;
}

/** A finalized request with its company, establishment, creator, decider and member; else undefined. */
export async function findFinalizedRequest(db: Db | Knex.Transaction, id: number): Promise<StaffRequest | undefined> {
  return finalized(db)
    .where('r.id', id)
    .join('companies as c', 'c.id', 'r.company_id')
    .join('establishments as e', 'e.id', 'r.establishment_id')
    .leftJoin('accounts as creator', 'creator.id', 'r.created_by_account_id')
    .leftJoin('accounts as decider', 'decider.id', 'r.decided_by_account_id')
    .leftJoin('members as m', 'm.id', 'r.member_id')
    .first(
      'r.*',
      'c.name as company_name',
      'c.siren',
      'e.name as establishment_name',
      'e.siret',
      'creator.first_name as creator_first_name',
      'creator.last_name as creator_last_name',
      'decider.first_name as decider_first_name',
      'decider.last_name as decider_last_name',
      'm.member_number',
    );
}

/** One document of one finalized request; a document of another request is not found. */
export async function findRequestDocument(db: Db, requestId: number, documentId: number): Promise<RequestDocument | undefined> {
  return db('affiliation_request_documents as d')
    .join('affiliation_requests as r', 'r.id', 'd.request_id')
    .where({ 'd.id': documentId, 'd.request_id': requestId, 'r.status': 'finalized' })
    .first('d.id', 'd.kind', 'd.original_name', 'd.stored_name', 'd.mime', 'd.size_bytes');
}

export interface KnownMember {
  id: number;
  member_number: string;
  first_name: string;
  last_name: string;
  nir: string;
  birth_date: string;
  email: string | null;
  iban: string | null;
}

const KNOWN_MEMBER_COLUMNS = ['id', 'member_number', 'first_name', 'last_name', 'nir', 'birth_date', 'email', 'iban'];

export async function findMemberById(db: Db | Knex.Transaction, id: number): Promise<KnownMember | undefined> {
  return db('members').where({ id }).first(KNOWN_MEMBER_COLUMNS);
}

/** The first member holding this NIR (15 characters). */
export async function findMemberByNir(db: Db | Knex.Transaction, nir15: string): Promise<KnownMember | undefined> {
  return db('members').where({ nir: nir15 }).orderBy('id', 'asc').first(KNOWN_MEMBER_COLUMNS);
}

/** The company's contract for the collège in force on the affiliation date (the latest one). */
export async function findContractForCollege(
  db: Db | Knex.Transaction,
  companyId: number,
  college: string,
  onDay: string,
): Promise<{ id: number; label: string } | undefined> {
  return db('contracts')
    .where({ company_id: companyId, college })
    .where('start_date', '<=', onDay)
    .where((q) => q.whereNull('end_date').orWhere('end_date', '>=', onDay))
    .orderBy([
      { column: 'start_date', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .first('id', 'label');
}

// ------------------------------------------------------------------ the writes of a decision (src/gestion/affiliations/decisions.ts)
/** The status and decision of a finalized request, read inside the deciding transaction. */
export async function findDecisionState(trx: Knex.Transaction, id: number): Promise<{ status: string; decision: string | null } | undefined> {
  return finalized(trx).where('r.id', id).first('r.status', 'r.decision');
}

/** Marks a finalized, undecided request decided; false when it no longer is (another agent decided). */
export async function markDecided(
  trx: Knex.Transaction,
  id: number,
  decision: { decision: AffiliationDecision; reason: string | null; staffId: number; at: string },
): Promise<boolean> {
  const updated = await trx('affiliation_requests').where({ id, status: 'finalized' }).whereNull('decision').update({
    decision: decision.decision,
    decision_reason: decision.reason,
    decided_at: decision.at,
    decided_by_account_id: decision.staffId,
    updated_at: decision.at,
  });
  return updated === 1;
}

/** A new `members` row (see newMemberRow); returns its id. */
export async function insertMember(trx: Knex.Transaction, row: Record<string, unknown>): Promise<number> {
  const [inserted] = await trx('members').insert(row).returning('id');
  return insertedId(inserted);
}

export async function updateMember(trx: Knex.Transaction, memberId: number, columns: Record<string, unknown>): Promise<void> {
  await trx('members').where({ id: memberId }).update(columns);
}

export interface CoveredBeneficiary {
  id: number;
  relationship: string;
  first_name: string;
  birth_date: string;
  teletransmission_status: string;
}

export async function findBeneficiariesOf(trx: Knex.Transaction, memberId: number): Promise<CoveredBeneficiary[]> {
  return trx('beneficiaries').where({ member_id: memberId }).select('id', 'relationship', 'first_name', 'birth_date', 'teletransmission_status');
}

/** A new `beneficiaries` row (see beneficiaryRow); returns its id. */
export async function insertBeneficiary(trx: Knex.Transaction, row: Record<string, unknown>): Promise<number> {
  const [inserted] = await trx('beneficiaries').insert(row).returning('id');
  return insertedId(inserted);
}

/** A beneficiary already on the member's file, covered again: on the card, no end date, the form's fund code. */
export async function coverBeneficiaryAgain(trx: Knex.Transaction, id: number, fundCode: string, at: string): Promise<void> {
  await trx('beneficiaries').where({ id }).update({ end_date: null, on_card: true, fund_code: fundCode, updated_at: at });
}

/** The `affiliations` row (see affiliationRow), and the request pointed at its member. */
export async function insertAffiliation(trx: Knex.Transaction, requestId: number, row: { member_id: number } & Record<string, unknown>): Promise<void> {
  await trx('affiliations').insert(row);
  await trx('affiliation_requests').where({ id: requestId }).update({ member_id: row.member_id });
}

/** Whether the member already has an active account (a returning employee needs no activation). */
export async function hasActiveMemberAccount(trx: Knex.Transaction, memberId: number): Promise<boolean> {
  return (await trx('accounts').where({ kind: 'member', member_id: memberId, status: 'active' }).first('id')) !== undefined;
}

// ------------------------------------------------------------------ paper bulletins (mode Courrier)
/** Courrier requests whose paper bulletin has not been typed yet (the employee's statuses before « Finalisé »). */
function awaitingPaper(db: Db) {
  return db('affiliation_requests as r').where('r.mode', 'courrier').whereIn('r.status', ['sent', 'started']).whereNull('r.decision');
}

export async function countAwaitingPaper(db: Db): Promise<number> {
  const row = await awaitingPaper(db).count({ total: '*' }).first();
  return Number(row?.total ?? 0);
}

export interface PaperListRow {
  id: number;
  first_name: string;
  last_name: string;
  professional_status: string;
  created_at: string;
  company_name: string;
  establishment_name: string;
  siret: string;
}

/** Oldest pre-affiliation first: the bulletin that has waited longest is typed first. */
export async function findAwaitingPaperPage(db: Db, page: number): Promise<PaperListRow[]> {
  return awaitingPaper(db)
    .join('companies as c', 'c.id', 'r.company_id')
    .join('establishments as e', 'e.id', 'r.establishment_id')
    .select('r.id', 'r.first_name', 'r.last_name', 'r.professional_status', 'r.created_at', 'c.name as company_name', 'e.name as establishment_name', 'e.siret')
    .orderBy([
      { column: 'r.created_at', order: 'asc' },
      { column: 'r.id', order: 'asc' },
    ])
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE);
}

// Knex only: the finalized affiliation requests the insurer decides on, and the two decisions,
// each in one transaction that re-checks the rule (a double click or two agents at once decide
// a request once).
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { insertedId, type Db } from '../../db.js';
import type { RequestDocument } from '../../affiliation/queries.js';
import { applyTeletransmissionChange } from '../../stores/teletransmission.js';
import { addRequestEvent } from '../../entreprise/affiliation-tracking/queries.js';
import { addNotification } from '../../entreprise/notifications/queries.js';
import { checkDecision, type AffiliationDecision, type AffiliationStatus } from '../../domain/affiliation-requests.js';
import {
  affiliationRow,
  beneficiaryRow,
  familyOf,
  memberContactColumns,
  memberEmailOf,
  memberNirOf,
  memberNumberFor,
  missingForValidation,
  newMemberRow,
  type BeneficiaryInput,
} from './enrolment.js';
import { readStoredForm } from '../../domain/affiliation-form.js';
import { refusedNotification, validatedNotification, VALIDATION_TEXTS } from './texts.js';

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
    const key: DecisionFilter | null = row.decision === null ? 'a_traiter' : row.decision === 'validated' ? 'validees' : row.decision === 'refused' ? 'refusees' : null;
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
    .select('r.id', 'r.first_name', 'r.last_name', 'r.professional_status', 'r.submitted_at', 'r.decided_at', 'c.name as company_name', 'e.name as establishment_name', 'e.siret');
  if (filter === 'a_traiter') query.orderByRaw('coalesce(r.submitted_at, r.updated_at) asc, r.id asc');
  else query.orderBy([{ column: 'r.decided_at', order: 'desc' }, { column: 'r.id', order: 'desc' }]);
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

/**
 * The member this employee already is: the one HR pointed at, else the one with the same NIR —
 * and only if the identity is the same person's (NIR and birth date), so that a mistaken « Oui »
 * in the wizard or a mistyped NIR never lands someone else's details on a member file.
 * `clash` is a member holding this NIR with another birth date: nothing may be validated then.
 */
export async function findKnownMember(
  db: Db | Knex.Transaction,
  previousMemberId: number | null,
  nir15: string | null,
  birthDate: string | null,
): Promise<{ member?: KnownMember; clash?: KnownMember }> {
  const columns = ['id', 'member_number', 'first_name', 'last_name', 'nir', 'birth_date', 'email', 'iban'];
  const same = (m: KnownMember) => m.nir === nir15 && m.birth_date === birthDate;
  if (previousMemberId !== null) {
    const previous: KnownMember | undefined = await db('members').where({ id: previousMemberId }).first(columns);
    if (previous && same(previous)) return { member: previous };
  }
  if (!nir15) return {};
  const byNir: KnownMember | undefined = await db('members').where({ nir: nir15 }).orderBy('id', 'asc').first(columns);
  if (!byNir) return {};
  return same(byNir) ? { member: byNir } : { clash: byNir };
}

/** The company's contract for the collège in force on the affiliation date (the latest one). */
export async function findContractForCollege(db: Db | Knex.Transaction, companyId: number, college: string, onDay: string): Promise<{ id: number; label: string } | undefined> {
  return db('contracts')
    .where({ company_id: companyId, college })
    .where('start_date', '<=', onDay)
    .where((q) => q.whereNull('end_date').orWhere('end_date', '>=', onDay))
    .orderBy([{ column: 'start_date', order: 'desc' }, { column: 'id', order: 'desc' }])
    .first('id', 'label');
}

// ------------------------------------------------------------------ decisions
export type DecisionRefusal = { ok: false; field: '_form' | 'motif'; message: string };

export interface Validated {
  ok: true;
  memberId: number;
  memberNumber: string;
  reused: boolean;
  /** The member already has an active account (a returning employee): no activation needed. */
  hasAccount: boolean;
  /** For a member already on file: what the validation replaced. */
  changed: { previousEmail: string | null; iban: boolean; email: boolean } | null;
}

/** Thrown inside a transaction to undo it and answer with a French message. */
class DecisionConflict extends Error {
  constructor(readonly refusal: DecisionRefusal) {
    super(refusal.message);
  }
}

/** Runs a decision in one transaction; a DecisionConflict undoes it and becomes the answer. */
async function inDecisionTransaction<T>(db: Db, work: (trx: Knex.Transaction) => Promise<T>): Promise<T | DecisionRefusal> {
  try {
    return await db.transaction(work);
  } catch (err) {
    if (err instanceof DecisionConflict) return err.refusal;
    throw err;
  }
}

/** Marks the request decided, with the rule checked again inside the transaction. Returns the reason kept. */
async function claimDecision(trx: Knex.Transaction, id: number, decision: AffiliationDecision, reason: string | null, staffId: number, at: string): Promise<string | null> {
  const current = await finalized(trx).where('r.id', id).first('r.status', 'r.decision');
  const check = checkDecision(current ?? { status: 'unknown', decision: null }, decision, reason);
  if (!check.ok) throw new DecisionConflict(check);
  const updated = await trx('affiliation_requests')
    .where({ id, status: 'finalized' })
    .whereNull('decision')
    .update({ decision, decision_reason: check.reason, decided_at: at, decided_by_account_id: staffId, updated_at: at });
  // Another agent decided between the read and the write.
  if (updated !== 1) throw new DecisionConflict({ ok: false, field: '_form', message: VALIDATION_TEXTS.decidedMeanwhile });
  return check.reason;
}

type BeneficiaryContext = Parameters<typeof beneficiaryRow>[1];

/** The activation the employee asked for waits for the back office, like a member's own request. */
/** The employee's « télétransmission » choice, through the one rule (inactive → activation demandée; nothing otherwise). */
async function requestTeletransmission(trx: Knex.Transaction, context: BeneficiaryContext, beneficiaryId: number): Promise<void> {
  if (!context.teletransmission) return;
  await applyTeletransmissionChange(trx, new Date(context.at), { beneficiaryId, memberId: context.memberId, accountId: null, action: 'request_activation' });
}

/**
 * The family on the member's card. A returning member keeps their rows: a person already
 * listed (same relationship, first name and birth date) is covered again; anyone else is added.
 */
async function coverFamily(trx: Knex.Transaction, family: BeneficiaryInput[], context: BeneficiaryContext, reused: boolean): Promise<void> {
  const existing: { id: number; relationship: string; first_name: string; birth_date: string; teletransmission_status: string }[] = reused
    ? await trx('beneficiaries').where({ member_id: context.memberId }).select('id', 'relationship', 'first_name', 'birth_date', 'teletransmission_status')
    : [];
  for (const person of family) {
    const same = existing.find(
      (b) => b.relationship === person.relationship && b.birth_date === person.birthDate && (b.relationship === 'assure' || b.first_name.toLowerCase() === person.firstName.toLowerCase()),
    );
    if (!same) {
      const [row] = await trx('beneficiaries').insert(beneficiaryRow(person, context)).returning('id');
      await requestTeletransmission(trx, context, insertedId(row));
      continue;
    }
    await trx('beneficiaries').where({ id: same.id }).update({ end_date: null, on_card: true, fund_code: context.fundCode, updated_at: context.at });
    await requestTeletransmission(trx, context, same.id);
  }
}

/**
 * « Valider »: in one transaction, the member (or the one this employee already is), the
 * beneficiaries, the affiliation on the company's contract for the collège, the decision, the
 * 'validated' event and the HR notification. Any refusal undoes everything.
 */
export async function validateRequest(db: Db, id: number, staffId: number, now: Date, today: string): Promise<Validated | DecisionRefusal> {
  const at = now.toISOString();
  return inDecisionTransaction(db, async (trx) => {
    await claimDecision(trx, id, 'validated', null, staffId, at);
    const request = (await findFinalizedRequest(trx, id))!;
    const form = readStoredForm(request.form_data);
    const missing = missingForValidation(form, request.nir);
    if (missing !== null || form === null) throw new DecisionConflict({ ok: false, field: '_form', message: missing ?? '' });
    const contract = await findContractForCollege(trx, request.company_id, request.professional_status, request.affiliation_date);
    if (!contract) throw new DecisionConflict({ ok: false, field: '_form', message: VALIDATION_TEXTS.noContract(request.professional_status, request.affiliation_date) });

    const memberNir = memberNirOf(form, request.nir)!;
    const found = await findKnownMember(trx, request.previous_member_id, memberNir, form.identity.birthDate);
    if (found.clash) throw new DecisionConflict({ ok: false, field: '_form', message: VALIDATION_TEXTS.nirClash(found.clash.member_number) });
    const known = found.member;
    let memberId: number;
    let memberNumber: string;
    if (known) {
      memberId = known.id;
      memberNumber = known.member_number;
      await trx('members').where({ id: memberId }).update(memberContactColumns(form, request, at));
    } else {
      // The number derives from the id: a unique placeholder until the id is known.
      const [row] = await trx('members').insert(newMemberRow(form, request, memberNir, `pending-${crypto.randomBytes(6).toString('hex')}`, at)).returning('id');
      memberId = insertedId(row);
      memberNumber = memberNumberFor(memberId);
      await trx('members').where({ id: memberId }).update({ member_number: memberNumber });
    }
    const context: BeneficiaryContext = { memberId, memberNir, fundCode: form.fundCode!, teletransmission: form.teletransmission === true, startDate: request.affiliation_date, today, at };
    await coverFamily(trx, familyOf(form, memberNir, request), context, known !== undefined);
    await trx('affiliations').insert(affiliationRow(request, memberId, contract.id, at));
    await trx('affiliation_requests').where({ id }).update({ member_id: memberId });
    await addRequestEvent(trx, id, 'validated', at, staffId, { memberId, reused: known !== undefined });
    if (request.created_by_account_id !== null) {
      const name = `${request.first_name} ${request.last_name}`;
      await addNotification(trx, request.created_by_account_id, { kind: 'affiliation_validated', ...validatedNotification(name, memberNumber) }, at);
    }
    const account = await trx('accounts').where({ kind: 'member', member_id: memberId, status: 'active' }).first('id');
    return {
      ok: true as const,
      memberId,
      memberNumber,
      reused: known !== undefined,
      hasAccount: account !== undefined,
      // A returning member whose bank details or email change is told at the address on file.
      changed: known ? { previousEmail: known.email, iban: known.iban !== null && known.iban !== form.bank?.iban, email: known.email !== null && known.email !== memberEmailOf(form, request) } : null,
    };
  });
}

/** « Refuser »: the decision with its reason, the 'refused' event and the HR notification, together. */
export async function refuseRequest(db: Db, id: number, staffId: number, reason: string, now: Date): Promise<{ ok: true; reason: string } | DecisionRefusal> {
  const at = now.toISOString();
  return inDecisionTransaction(db, async (trx) => {
    const kept = (await claimDecision(trx, id, 'refused', reason, staffId, at))!;
    const request = (await findFinalizedRequest(trx, id))!;
    await addRequestEvent(trx, id, 'refused', at, staffId);
    if (request.created_by_account_id !== null) {
      const name = `${request.first_name} ${request.last_name}`;
      await addNotification(trx, request.created_by_account_id, { kind: 'affiliation_refused', ...refusedNotification(name, kept) }, at);
    }
    return { ok: true as const, reason: kept };
  });
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
    .orderBy([{ column: 'r.created_at', order: 'asc' }, { column: 'r.id', order: 'asc' }])
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE);
}


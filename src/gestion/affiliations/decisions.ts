// The insurer's two decisions on a finalized affiliation request (« Valider », « Refuser »), each
// in one transaction that checks the rule again, so a double click or two agents at once decide a
// request once; any refusal undoes everything. A validation, in order:
//   1. claimDecision: checkDecision (src/domain/affiliation-requests.ts) again, and the request
//      marked decided;
//   2. checkValidation: the form complete, a contract for the collège, no other person holding
//      the NIR — the same check the detail page shows before the button;
//   3. the member: the one this employee already is (contact updated), or a new one;
//   4. the family on the card, the affiliation on the contract;
//   5. the request's history event and HR's notification.
// The rows are built by the pure functions of enrolment.ts; queries.ts reads and writes them.
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../../db.js';
import { addRequestEvent } from '../../affiliation-requests/lifecycle.js';
import { checkDecision, type AffiliationDecision } from '../../domain/affiliation-requests.js';
import { readStoredForm, type EnrolmentForm } from '../../domain/affiliation-form.js';
import type { NotificationKind } from '../../domain/notifications.js';
import { requestTeletransmissionOnEnrolment } from '../../correspondence/service.js';
import { addNotification } from '../../notifications/store.js';
import {
  affiliationRow,
  beneficiaryRow,
  contactChanges,
  familyOf,
  isSamePerson,
  memberContactColumns,
  memberNirOf,
  memberNumberFor,
  missingForValidation,
  newMemberRow,
  sameBeneficiary,
  type BeneficiaryInput,
} from './enrolment.js';
import {
  coverBeneficiaryAgain,
  findBeneficiariesOf,
  findContractForCollege,
  findDecisionState,
  findFinalizedRequest,
  findMemberById,
  findMemberByNir,
  hasActiveMemberAccount,
  insertAffiliation,
  insertBeneficiary,
  insertMember,
  markDecided,
  updateMember,
  type KnownMember,
  type StaffRequest,
} from './queries.js';
import { refusedNotification, validatedNotification, VALIDATION_TEXTS } from './texts.js';

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

// ------------------------------------------------------------------ what a validation would meet
/**
 * The member this employee already is: the one HR pointed at, else the one with the same NIR —
 * only if it is the same person (isSamePerson). `clash` is a member holding this NIR with another
 * birth date.
 */
async function findKnownMember(
  db: Db | Knex.Transaction,
  previousMemberId: number | null,
  nir15: string | null,
  birthDate: string | null,
): Promise<{ member?: KnownMember; clash?: KnownMember }> {
  if (previousMemberId !== null) {
    const previous = await findMemberById(db, previousMemberId);
    if (previous && isSamePerson(previous, nir15, birthDate)) return { member: previous };
  }
  if (!nir15) return {};
  const byNir = await findMemberByNir(db, nir15);
  if (!byNir) return {};
  return isSamePerson(byNir, nir15, birthDate) ? { member: byNir } : { clash: byNir };
}

export type ValidationCheck =
  | { ok: true; form: EnrolmentForm; memberNir: string; contract: { id: number; label: string }; known?: KnownMember }
  | { ok: false; message: string; known?: KnownMember };

/**
 * Whether the request can become a member, in the order a reader expects the reasons: the form
 * incomplete, no contract for the collège, the NIR held by someone else. `known` is the member
 * this employee already is (said on the page, reused by the validation), whatever the answer.
 */
export async function checkValidation(db: Db | Knex.Transaction, request: StaffRequest, form: EnrolmentForm | null): Promise<ValidationCheck> {
  const missing = missingForValidation(form, request.nir);
  const contract = missing === null ? await findContractForCollege(db, request.company_id, request.professional_status, request.affiliation_date) : undefined;
  const memberNir = memberNirOf(form, request.nir);
  const found = await findKnownMember(db, request.previous_member_id, memberNir, form?.identity.birthDate ?? null);
  const known = found.member;
  if (missing !== null || form === null || memberNir === null) return { ok: false, message: missing ?? '', known };
  if (!contract) return { ok: false, message: VALIDATION_TEXTS.noContract(request.professional_status, request.affiliation_date), known };
  if (found.clash) return { ok: false, message: VALIDATION_TEXTS.nirClash(found.clash.member_number), known };
  return { ok: true, form, memberNir, contract, known };
}

// ------------------------------------------------------------------ the transaction
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
async function claimDecision(
  trx: Knex.Transaction,
  id: number,
  decision: AffiliationDecision,
  reason: string | null,
  staffId: number,
  at: string,
): Promise<string | null> {
  const check = checkDecision((await findDecisionState(trx, id)) ?? { status: 'unknown', decision: null }, decision, reason);
  if (!check.ok) throw new DecisionConflict(check);
  // Another agent decided between the read and the write.
  if (!(await markDecided(trx, id, { decision, reason: check.reason, staffId, at }))) {
    throw new DecisionConflict({ ok: false, field: '_form', message: VALIDATION_TEXTS.decidedMeanwhile });
  }
  return check.reason;
}

/** HR who pre-affiliated the employee hears of the decision in their notifications. */
async function notifyHr(
  trx: Knex.Transaction,
  request: StaffRequest,
  kind: NotificationKind,
  notification: { title: string; body: string; link: string },
  at: string,
): Promise<void> {
  if (request.created_by_account_id === null) return;
  await addNotification(trx, request.created_by_account_id, { kind, ...notification }, at);
}

// ------------------------------------------------------------------ the member and their family
/** The member this employee already is, their contact updated from the form; or a new member. */
async function enrolMember(trx: Knex.Transaction, form: EnrolmentForm, request: StaffRequest, memberNir: string, known: KnownMember | undefined, at: string) {
  if (known) {
    await updateMember(trx, known.id, memberContactColumns(form, request, at));
    return { memberId: known.id, memberNumber: known.member_number };
  }
  // The number derives from the id: a unique placeholder until the id is known.
  const memberId = await insertMember(trx, newMemberRow(form, request, memberNir, `pending-${crypto.randomBytes(6).toString('hex')}`, at));
  const memberNumber = memberNumberFor(memberId);
  await updateMember(trx, memberId, { member_number: memberNumber });
  return { memberId, memberNumber };
}

type BeneficiaryContext = Parameters<typeof beneficiaryRow>[1];

/** Who validates, and the service level of a télétransmission request (the brand's), for the requests the family's choice opens. */
export interface EnrolmentActor {
  staffId: number;
  teletransmissionServiceDays: number;
}

/**
 * The employee's « télétransmission » choice, through the one rule (inactive → activation
 * demandée; nothing otherwise), as a DT- request of the staff inbox (src/correspondence/service.ts).
 */
async function requestTeletransmission(trx: Knex.Transaction, context: BeneficiaryContext, actor: EnrolmentActor, beneficiaryId: number): Promise<void> {
  if (!context.teletransmission) return;
  await requestTeletransmissionOnEnrolment(
    trx,
    actor.teletransmissionServiceDays,
    new Date(context.at),
    { side: 'staff', accountId: actor.staffId },
    { memberId: context.memberId, beneficiaryId },
  );
}

/**
 * The family on the member's card. A returning member keeps their rows: a person already
 * listed (sameBeneficiary) is covered again; anyone else is added.
 */
async function coverFamily(
  trx: Knex.Transaction,
  family: BeneficiaryInput[],
  context: BeneficiaryContext,
  actor: EnrolmentActor,
  reused: boolean,
): Promise<void> {
  const existing = reused ? await findBeneficiariesOf(trx, context.memberId) : [];
  for (const person of family) {
    const same = sameBeneficiary(existing, person);
    if (same) await coverBeneficiaryAgain(trx, same.id, context.fundCode, context.at);
    await requestTeletransmission(trx, context, actor, same ? same.id : await insertBeneficiary(trx, beneficiaryRow(person, context)));
  }
}

// ------------------------------------------------------------------ the two decisions
/**
 * « Valider »: in one transaction, the member (or the one this employee already is), the
 * beneficiaries, the affiliation on the company's contract for the collège, the decision, the
 * 'validated' event and the HR notification. Any refusal undoes everything.
 */
export async function validateRequest(db: Db, id: number, actor: EnrolmentActor, now: Date, today: string): Promise<Validated | DecisionRefusal> {
  const staffId = actor.staffId;
  const at = now.toISOString();
  return inDecisionTransaction(db, async (trx) => {
    await claimDecision(trx, id, 'validated', null, staffId, at);
    const request = (await findFinalizedRequest(trx, id))!;
    const check = await checkValidation(trx, request, readStoredForm(request.form_data));
    if (!check.ok) throw new DecisionConflict({ ok: false, field: '_form', message: check.message });
    const { form, memberNir, contract, known } = check;

    const { memberId, memberNumber } = await enrolMember(trx, form, request, memberNir, known, at);
    const context: BeneficiaryContext = {
      memberId,
      memberNir,
      fundCode: form.fundCode!,
      teletransmission: form.teletransmission === true,
      startDate: request.affiliation_date,
      today,
      at,
    };
    await coverFamily(trx, familyOf(form, memberNir, request), context, actor, known !== undefined);
    await insertAffiliation(trx, id, affiliationRow(request, memberId, contract.id, at));

    await addRequestEvent(trx, id, 'validated', at, staffId, { memberId, reused: known !== undefined });
    await notifyHr(trx, request, 'affiliation_validated', validatedNotification(`${request.first_name} ${request.last_name}`, memberNumber), at);
    return {
      ok: true as const,
      memberId,
      memberNumber,
      reused: known !== undefined,
      hasAccount: await hasActiveMemberAccount(trx, memberId),
      // A returning member whose bank details or email change is told at the address on file.
      changed: known ? contactChanges(known, form, request) : null,
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
    await notifyHr(trx, request, 'affiliation_refused', refusedNotification(`${request.first_name} ${request.last_name}`, kept), at);
    return { ok: true as const, reason: kept };
  });
}

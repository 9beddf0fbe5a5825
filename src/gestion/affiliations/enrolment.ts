// The rows a validation writes from the employee's online form (read once, by readStoredForm in
// src/domain/affiliation-form.ts): the member, the beneficiaries (the member as « assure », the
// spouse, the children) and the affiliation — built the way the demo seed builds a covered
// family, so a member created here is like any other one (« Activer mon espace » included).
import { ageOn } from '../../domain/dates.js';
import { normalizeNir, validateNir } from '../../domain/nir.js';
import { parsePhone } from '../../domain/phone.js';
import { isFundCode, type EnrolmentForm, type Sex } from '../../domain/affiliation-form.js';

/** A NIR with its key (15 characters), or null when it is not a valid one. */
export function fullNir(nir: string | null | undefined): string | null {
  if (!nir) return null;
  const result = validateNir(normalizeNir(nir));
  return result.ok ? result.full15 : null;
}

/**
 * The person a validation makes a member: their own NIR as the form gives it, else the one HR
 * typed (both were checked against the birth date when they were entered).
 */
export function memberNirOf(form: EnrolmentForm | null, requestNir: string): string | null {
  return fullNir(form?.identity.nir) ?? fullNir(requestNir);
}

/** What stops a form from becoming a member, as one French sentence (null: nothing). */
export function missingForValidation(form: EnrolmentForm | null, requestNir: string): string | null {
  if (!form) {
    return "Le formulaire d'affiliation du salarié n'a pas été reçu en ligne : l'affiliation ne peut pas être créée depuis cette page. Refusez la demande en indiquant au salarié la marche à suivre.";
  }
  const missing: string[] = [];
  const i = form.identity;
  if (!i.sex || !i.lastName || !i.firstName || !i.birthDate) missing.push("l'identité");
  if (!memberNirOf(form, requestNir)) missing.push('le numéro de Sécurité sociale');
  if (!form.address.line1 || !/^\d{5}$/.test(form.address.postalCode) || !form.address.city) missing.push("l'adresse");
  if (!form.fundCode || !isFundCode(form.fundCode)) missing.push("le code de l'organisme d'assurance maladie");
  if (form.beneficiaries.some((b) => !b.sex || !b.lastName || !b.firstName || !b.birthDate)) missing.push('un bénéficiaire');
  if (!missing.length) return null;
  return `Le formulaire du salarié est incomplet (${missing.join(', ')}) : l'affiliation ne peut pas être validée. Refusez la demande en indiquant au salarié ce qu'il doit compléter.`;
}

/** Member numbers follow the demo seed's rule: 100 000 000 + the member's id, nine digits. */
export function memberNumberFor(memberId: number): string {
  return String(100_000_000 + memberId);
}

/** The request's dates and choices HR typed at the pré-affiliation. */
export interface RequestEmployment {
  establishment_id: number;
  professional_status: string;
  company_status: string;
  employment_contract_type: string;
  employment_start_date: string;
  employment_end_date: string | null;
  entry_date: string;
  affiliation_date: string;
  email: string | null;
}

/** E.164 when it is a French number, null otherwise (never a value the Espace Assuré cannot show). */
function mobileOf(form: EnrolmentForm): string | null {
  return form.contact.mobile ? parsePhone(form.contact.mobile) : null;
}

/** The contact the member will be reached at (and activates their space with). */
export function memberEmailOf(form: EnrolmentForm | null, request: { email: string | null }): string | null {
  return form?.contact.email ?? request.email?.toLowerCase() ?? null;
}

/** The columns of `members` the employee's form fills (a returning member gets them updated). */
export function memberContactColumns(form: EnrolmentForm, request: { email: string | null }, at: string) {
  return {
    last_name: form.identity.lastName,
    birth_name: form.identity.birthName,
    address_line1: form.address.line1,
    address_line2: form.address.line2,
    postal_code: form.address.postalCode,
    city: form.address.city,
    ...(memberEmailOf(form, request) ? { email: memberEmailOf(form, request) } : {}),
    ...(mobileOf(form) ? { mobile: mobileOf(form) } : {}),
    ...(form.bank ? { iban: form.bank.iban, bic: form.bank.bic, iban_holder: form.bank.holder, iban_updated_at: at } : {}),
    updated_at: at,
  };
}

/** A new `members` row; `member_number` is set once the id is known (see memberNumberFor). */
export function newMemberRow(form: EnrolmentForm, request: { email: string | null }, nir15: string, placeholderNumber: string, at: string) {
  return {
    member_number: placeholderNumber,
    nir: nir15,
    sex: form.identity.sex,
    first_name: form.identity.firstName,
    birth_date: form.identity.birthDate,
    email: null,
    mobile: null,
    phone: null,
    iban: null,
    bic: null,
    iban_holder: null,
    iban_updated_at: null,
    created_at: at,
    ...memberContactColumns(form, request, at),
  };
}

export interface BeneficiaryInput {
  relationship: 'assure' | 'conjoint' | 'enfant';
  sex: Sex;
  lastName: string;
  firstName: string;
  birthDate: string;
  nir: string | null;
  email: string | null;
  mobile: string | null;
}

/** The member first (« assure »), then the spouse and children the form lists. */
export function familyOf(form: EnrolmentForm, memberNir: string, request: { email: string | null }): BeneficiaryInput[] {
  return [
    {
      relationship: 'assure',
      sex: form.identity.sex!,
      lastName: form.identity.lastName,
      firstName: form.identity.firstName,
      birthDate: form.identity.birthDate!,
      nir: memberNir,
      email: memberEmailOf(form, request),
      mobile: mobileOf(form),
    },
    ...form.beneficiaries.map((b) => ({
      relationship: b.relationship,
      sex: b.sex!,
      lastName: b.lastName,
      firstName: b.firstName,
      birthDate: b.birthDate!,
      nir: fullNir(b.nir),
      email: null,
      mobile: null,
    })),
  ];
}

/**
 * A `beneficiaries` row, as the seed writes one: same address as the member (null columns), the
 * form's fund code, covered from the affiliation date (or birth), on the card. A child under 16,
 * or without a NIR of their own, is attached to the member's NIR (« ayant droit »). With
 * télétransmission chosen the status is « activation demandée » until the back office confirms.
 */
export function beneficiaryRow(
  person: BeneficiaryInput,
  context: { memberId: number; memberNir: string; fundCode: string; teletransmission: boolean; startDate: string; today: string; at: string },
) {
  const attached = person.relationship === 'enfant' && (person.nir === null || ageOn(person.birthDate, context.today) < 16) ? context.memberNir : null;
  return {
    member_id: context.memberId,
    relationship: person.relationship,
    sex: person.sex,
    last_name: person.lastName,
    first_name: person.firstName,
    birth_date: person.birthDate,
    nir: person.nir,
    attached_nir: attached,
    email: person.email,
    mobile: person.mobile,
    address_line1: null,
    address_line2: null,
    postal_code: null,
    city: null,
    fund_code: context.fundCode,
    // Asked for afterwards through the télétransmission rule (see coverFamily in decisions.ts).
    teletransmission_status: 'inactive',
    teletransmission_since: null,
    on_card: true,
    start_date: person.birthDate > context.startDate ? person.birthDate : context.startDate,
    end_date: null,
    created_at: context.at,
    updated_at: context.at,
  };
}

/** The `affiliations` row: the company's contract for the collège, at the request's establishment. */
export function affiliationRow(request: RequestEmployment, memberId: number, contractId: number, at: string) {
  return {
    member_id: memberId,
    establishment_id: request.establishment_id,
    contract_id: contractId,
    professional_status: request.professional_status,
    company_status: request.company_status,
    employment_contract_type: request.employment_contract_type,
    employment_start_date: request.employment_start_date,
    employment_end_date: request.employment_end_date,
    entry_date: request.entry_date,
    start_date: request.affiliation_date,
    end_date: null,
    end_reason: null,
    portability_end_date: null,
    created_at: at,
  };
}

/**
 * Whether a member on file is this employee: the same NIR and the same birth date, so that a
 * mistaken « Oui » in the wizard or a mistyped NIR never lands someone else's details on a member
 * file. A member holding the NIR with another birth date is a clash: nothing may be validated.
 */
export function isSamePerson(member: { nir: string; birth_date: string }, nir15: string | null, birthDate: string | null): boolean {
  return member.nir === nir15 && member.birth_date === birthDate;
}

/**
 * The beneficiary of a returning member that a person of the form is covered again as: same
 * relationship and birth date, and (except the member themself) the same first name, whatever its case.
 */
export function sameBeneficiary<B extends { relationship: string; first_name: string; birth_date: string }>(
  existing: B[],
  person: BeneficiaryInput,
): B | undefined {
  return existing.find(
    (b) =>
      b.relationship === person.relationship &&
      b.birth_date === person.birthDate &&
      (b.relationship === 'assure' || b.first_name.toLowerCase() === person.firstName.toLowerCase()),
  );
}

/**
 * What the validation replaced on a returning member's file, to tell them at the address on file:
 * the bank details or the email, when one was there and the form brings another.
 */
export function contactChanges(
  known: { email: string | null; iban: string | null },
  form: EnrolmentForm,
  request: { email: string | null },
): { previousEmail: string | null; iban: boolean; email: boolean } {
  return {
    previousEmail: known.email,
    iban: known.iban !== null && known.iban !== form.bank?.iban,
    email: known.email !== null && known.email !== memberEmailOf(form, request),
  };
}

// The employee's online affiliation form as it is stored (`affiliation_requests.form_data`, JSON):
// the one shape both of its readers share — the employee's draft shown again
// (src/affiliation-requests/form-check.ts prefill) and the insurer's validation (src/gestion/affiliations) — and
// the one parser that reads it. A field added to the form is added here, and read the same way
// on both sides.
//
// What is stored:
//   - every save (« Enregistrer le brouillon », « Transmettre », « Retirer ») writes `fields`, the
//     form's inputs exactly as typed (see typedFields);
//   - « Transmettre » also writes the checked, structured values (StructuredForm) the insurer
//     validates from;
//   - the demo seed writes structured values only (identity, address and contact for a draft,
//     all of them for a transmitted form).
// Old rows, partial drafts and damaged JSON exist: readStoredForm never throws and never trusts a
// type it did not check.
import { isIsoDate } from './dates.js';
import { normalizeBic, normalizeIban } from './iban.js';

export type Sex = 'M' | 'F';

/** The one reading of a civility / sex, from the form (« M », « F ») or from the stored JSON. */
export function sexOf(value: unknown): Sex | null {
  return value === 'M' || value === 'F' ? value : null;
}

// ------------------------------------------------------------------ the fields as typed
/** Children the form has room for (a fixed number of rows: it works without JavaScript). */
export const CHILD_ROWS = 4;

export const CHILD_FIELDS = ['nom', 'prenom', 'date_naissance', 'sexe', 'nir'] as const;

export const FORM_FIELDS = [
  'civilite',
  'nom',
  'nom_naissance',
  'prenom',
  'date_naissance',
  'nir',
  'adresse1',
  'adresse2',
  'code_postal',
  'ville',
  'email',
  'mobile',
  'iban',
  'bic',
  'titulaire',
  'code_organisme',
  'conjoint',
  'conjoint_civilite',
  'conjoint_nom',
  'conjoint_prenom',
  'conjoint_date_naissance',
  'conjoint_nir',
  ...Array.from({ length: CHILD_ROWS }, (_, i) => CHILD_FIELDS.map((f) => `enfant${i + 1}_${f}`)).flat(),
  'teletransmission',
] as const;

export type FormFields = Record<string, string>;

/** The code of the member's health insurance fund (« code organisme »): nine digits. */
export function isFundCode(code: string): boolean {
  return /^[0-9]{9}$/.test(code);
}

// The longest free-text values: the columns they end up in once the insurer validates the form
// (members.last_name / first_name / birth_name / city 100, address_line1 / 2 and iban_holder 200,
// beneficiaries' names 100). checkForm refuses longer ones; readStoredForm bounds by the same numbers.
const NAME_MAX = 100;
const ADDRESS_MAX = 200;
const CITY_MAX = 100;
const HOLDER_MAX = 200;

/** Each free-text field of the form and its longest value (the other fields have a checked format). */
export const TEXT_FIELD_MAX: Readonly<Record<string, number>> = {
  nom: NAME_MAX,
  nom_naissance: NAME_MAX,
  prenom: NAME_MAX,
  adresse1: ADDRESS_MAX,
  adresse2: ADDRESS_MAX,
  ville: CITY_MAX,
  titulaire: HOLDER_MAX,
  conjoint_nom: NAME_MAX,
  conjoint_prenom: NAME_MAX,
  ...Object.fromEntries(
    Array.from({ length: CHILD_ROWS }, (_, i) => [
      [`enfant${i + 1}_nom`, NAME_MAX],
      [`enfant${i + 1}_prenom`, NAME_MAX],
    ]).flat(),
  ),
};

/** Only the known fields, trimmed and bounded: what a draft keeps (from a request body or stored JSON). */
export function typedFields(body: unknown): FormFields {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const fields: FormFields = {};
  for (const name of FORM_FIELDS) {
    const value = source[name];
    if (typeof value === 'string' && value.trim()) fields[name] = value.trim().slice(0, 254);
  }
  return fields;
}

// ------------------------------------------------------------------ what « Transmettre » writes
interface StructuredPerson {
  relationship: 'conjoint' | 'enfant';
  sex: Sex;
  lastName: string;
  firstName: string;
  birthDate: string;
  nir: string | null;
}

/** The checked values of a transmitted form (checkForm's result). */
export interface StructuredForm {
  identity: { sex: Sex; lastName: string; firstName: string; birthName: string | null; birthDate: string; nir: string };
  address: { line1: string; line2: string | null; postalCode: string; city: string };
  contact: { email: string | null; mobile: string | null };
  bank: { iban: string; bic: string | null; holder: string };
  fundCode: string;
  teletransmission: boolean;
  beneficiaries: StructuredPerson[];
}

/** The stored JSON: the fields as typed, and the structured values once transmitted (or seeded). */
export interface StoredForm extends Partial<StructuredForm> {
  fields?: FormFields;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function objectOf(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function parsedObject(json: string | null): Record<string, unknown> | null {
  if (!json) return null;
  try {
    return objectOf(JSON.parse(json));
  } catch {
    return null;
  }
}

/**
 * The JSON a draft save writes: the previous stored form kept as it was (structured values a
 * seed or an earlier transmission wrote), its `fields` replaced by what was just typed.
 */
export function draftFormData(previous: string | null, fields: FormFields): string {
  const stored: StoredForm = { ...(parsedObject(previous) ?? {}), fields };
  return JSON.stringify(stored);
}

/**
 * The fields a draft save writes: those typed, except the refused ones (an unsafe character, see
 * domain/unsafe-text.ts), which keep what the draft held — a refused value is never stored, and
 * nothing saved before is lost.
 */
export function fieldsToSave(typed: FormFields, previous: string | null, refused: readonly string[]): FormFields {
  if (!refused.length) return typed;
  const stored = readStoredForm(previous)?.fields ?? {};
  const kept: FormFields = {};
  for (const [name, value] of Object.entries(typed)) if (!refused.includes(name)) kept[name] = value;
  for (const name of refused) if (stored[name] !== undefined) kept[name] = stored[name];
  return kept;
}

/** The JSON « Transmettre » writes: the checked values and the fields as typed. */
export function submittedFormData(form: StructuredForm, fields: FormFields): string {
  const stored: StoredForm = { ...form, fields };
  return JSON.stringify(stored);
}

// ------------------------------------------------------------------ the one reading
interface EnrolmentPerson {
  relationship: 'conjoint' | 'enfant';
  sex: Sex | null;
  lastName: string;
  firstName: string;
  birthDate: string | null;
  nir: string | null;
}

/** The stored form as read: every value of the checked type, trimmed and bounded, or empty / null. */
export interface EnrolmentForm {
  /** The inputs as the employee last typed them (known fields only); null when none were stored. */
  fields: FormFields | null;
  identity: { sex: Sex | null; lastName: string; firstName: string; birthName: string | null; birthDate: string | null; nir: string | null };
  address: { line1: string; line2: string | null; postalCode: string; city: string };
  contact: { email: string | null; mobile: string | null };
  bank: { iban: string; bic: string | null; holder: string | null } | null;
  fundCode: string | null;
  /** The employee's choice; null when the form did not ask or was not answered. */
  teletransmission: boolean | null;
  beneficiaries: EnrolmentPerson[];
}

function text(value: unknown, max = 200): string {
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}
function optional(value: unknown, max = 200): string | null {
  return text(value, max) || null;
}
function dayOf(value: unknown): string | null {
  // A real calendar date, not only its shape: « 2020-02-30 » would break the age computations.
  return typeof value === 'string' && isIsoDate(value) ? value : null;
}

/** The stored form, or null when there is none (mode Courrier, no draft yet) or it is not JSON. */
export function readStoredForm(json: string | null): EnrolmentForm | null {
  const raw = parsedObject(json);
  if (!raw) return null;
  const identity = objectOf(raw.identity);
  const address = objectOf(raw.address);
  const contact = objectOf(raw.contact);
  const bank = objectOf(raw.bank);
  // Normalised before any cut: the spaces people type must not push characters out.
  const iban = normalizeIban(text(bank.iban, 60)).slice(0, 34);
  const bic = normalizeBic(text(bank.bic, 30)).slice(0, 11);
  return {
    fields: isRecord(raw.fields) ? typedFields(raw.fields) : null,
    identity: {
      sex: sexOf(identity.sex),
      lastName: text(identity.lastName, NAME_MAX),
      firstName: text(identity.firstName, NAME_MAX),
      birthName: optional(identity.birthName, NAME_MAX),
      birthDate: dayOf(identity.birthDate),
      nir: optional(identity.nir, 20),
    },
    address: {
      line1: text(address.line1, ADDRESS_MAX),
      line2: optional(address.line2, ADDRESS_MAX),
      postalCode: text(address.postalCode, 5),
      city: text(address.city, CITY_MAX),
    },
    contact: { email: optional(contact.email, 254)?.toLowerCase() ?? null, mobile: optional(contact.mobile, 30) },
    bank: iban ? { iban, bic: bic || null, holder: optional(bank.holder, HOLDER_MAX) } : null,
    fundCode: optional(raw.fundCode, 9),
    teletransmission: typeof raw.teletransmission === 'boolean' ? raw.teletransmission : null,
    beneficiaries: (Array.isArray(raw.beneficiaries) ? raw.beneficiaries : []).map(objectOf).flatMap((b): EnrolmentPerson[] =>
      b.relationship === 'conjoint' || b.relationship === 'enfant'
        ? [
            {
              relationship: b.relationship,
              sex: sexOf(b.sex),
              lastName: text(b.lastName, NAME_MAX),
              firstName: text(b.firstName, NAME_MAX),
              birthDate: dayOf(b.birthDate),
              nir: optional(b.nir, 20),
            },
          ]
        : [],
    ),
  };
}

// One validation path: a zod schema turns a form body into typed values, or a map of French
// messages per field for the same form to come back with the values kept.
import { z } from 'zod';
import { messages } from './messages.js';
import { validateFrenchDate } from './domain/dates.js';
import { IBAN_MESSAGES, validateBic, validateIban } from './domain/iban.js';
import { normalizeNir, validateNir, type NirOptions } from './domain/nir.js';
import { PHONE_MESSAGES, validateMobile } from './domain/phone.js';
import { POSTAL_MESSAGES, validatePostalCode } from './domain/postal.js';
import { SIRET_MESSAGES, validateSiret } from './domain/siret.js';
import { hasUnsafeCharacter, UNSAFE_TEXT_MESSAGE } from './domain/unsafe-text.js';

export { hasUnsafeCharacter } from './domain/unsafe-text.js';

export type FieldErrors = Record<string, string>;

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Fields never checked: passwords are only hashed, never stored nor shown; the CSRF token is checked before. */
const UNCHECKED_FIELD = /password|mot_de_passe|^_csrf$/i;

/**
 * The one rule (domain/unsafe-text.ts) for every text a form sends: each field of `body` (a
 * string, or each string of a repeated field) holding an unsafe character gets the French message
 * at that field. Fields named in `multiline` (textareas) may hold line breaks and tabs. What
 * trim() drops at the ends (a tab or line break pasted from a spreadsheet cell) is not refused:
 * every field is trimmed before use. parseForm applies it to every form; the few handlers that
 * read a body without parseForm call it themselves.
 */
export function unsafeTextErrors(body: unknown, multiline: readonly string[] = []): FieldErrors {
  const errors: FieldErrors = {};
  if (!body || typeof body !== 'object') return errors;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (UNCHECKED_FIELD.test(key)) continue;
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && hasUnsafeCharacter(v.trim(), multiline.includes(key)))) errors[key] = UNSAFE_TEXT_MESSAGE;
  }
  return errors;
}

/**
 * The unsafe-character message of each search or filter among `keys`, for the list to say why
 * queryText left the value out (a filter is never applied with such a value, nor sent to the database).
 */
export function unsafeQueryErrors(query: unknown, keys: readonly string[]): FieldErrors {
  const unsafe = unsafeTextErrors(query);
  return Object.fromEntries(keys.filter((key) => unsafe[key]).map((key) => [key, unsafe[key]]));
}

export interface ParseOptions {
  /** Fields typed in a textarea: line breaks and tabs allowed. */
  multiline?: readonly string[];
}

export function parseForm<S extends z.ZodType>(schema: S, body: unknown, options: ParseOptions = {}): Parsed<z.infer<S>> {
  const unsafe = unsafeTextErrors(body, options.multiline);
  const result = schema.safeParse(body ?? {});
  if (result.success && !Object.keys(unsafe).length) return { ok: true, data: result.data };
  // The unsafe character is said first: another message about the same field would be about
  // text the person cannot see.
  const errors: FieldErrors = { ...unsafe };
  for (const issue of result.success ? [] : result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

export interface TextOptions {
  /** The message past `max` characters; « N caractères au maximum. » unless said. */
  tooLong?: string;
}

const maxMessage = (max: number) => `${max} caractères au maximum.`;

/**
 * Free text as the portal stores it: no character that no field may hold (domain/unsafe-text.ts),
 * said first. Line breaks and tabs are judged by parseForm / parseFields, which know which fields
 * are textareas (their `multiline` option).
 */
function safeText(message: string | undefined, max: number, options: TextOptions) {
  const text = z.string().refine((v) => !hasUnsafeCharacter(v, true), { error: UNSAFE_TEXT_MESSAGE, abort: true });
  return (message === undefined ? text : text.min(1, { error: message })).max(max, { error: options.tooLong ?? maxMessage(max) });
}

/** A trimmed text field; empty means missing. */
export function requiredText(message: string = messages.form.required, max = 200, options: TextOptions = {}) {
  return z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), safeText(message, max, options));
}

export function optionalText(max = 200, options: TextOptions = {}) {
  return z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), safeText(undefined, max, options));
}

export const emailField = (message = 'Saisissez votre adresse e-mail.') =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase() : ''),
    z
      .string()
      .min(1, { error: message })
      .max(254, { error: "L'adresse e-mail est trop longue." })
      .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { error: "L'adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr)." }),
  );

/** The e-mail field of a form where it may be left empty: null then, else as emailField. */
export const optionalEmailField = () =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() ? v : undefined), emailField().optional()).transform((v) => v ?? null);

/** Raw password: never trimmed (spaces count), never sent back to the form. */
export const passwordField = (message = 'Saisissez votre mot de passe.') =>
  z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().min(1, { error: message }).max(1024, { error: 'Le mot de passe est trop long.' }));

// ------------------------------------------------------------------ fields checked by a domain rule
// Each builder puts one rule of src/domain/ into a zod schema: the field gives the rule's
// normalised value (a SIRET's 14 digits, a mobile in E.164, an IBAN without spaces, an ISO date…)
// or the rule's French message, so a schema gives the form's one error map and no handler runs a
// validator beside it. The messages are the domain modules' own, unless a form words one its way.

type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

interface LengthOptions {
  /** Longest text looked at (after trimming); past it, `tooLong`. */
  max?: number;
  tooLong?: string;
}

/**
 * A string field (anything else counts as empty), trimmed, refused with the unsafe-character
 * message first, then past `max` with `tooLong`, then given to `check`.
 */
function domainField<T>(check: (text: string) => Checked<T>, max: number | undefined, tooLong: string) {
  const text = z.string().refine((v) => !hasUnsafeCharacter(v), { error: UNSAFE_TEXT_MESSAGE, abort: true });
  return z
    .preprocess((v) => (typeof v === 'string' ? v.trim() : ''), max === undefined ? text : text.max(max, { error: tooLong }))
    .transform((value, ctx): T => {
      const result = check(value);
      if (result.ok) return result.value;
      ctx.issues.push({ code: 'custom', message: result.error, input: value });
      return z.NEVER;
    });
}

/** `check`, except that an empty field is fine and gives null. */
function orNull<T>(optional: boolean | undefined, check: (text: string) => Checked<T>): (text: string) => Checked<T | null> {
  return (text) => (optional && !text ? { ok: true, value: null } : check(text));
}

/** A SIRET as typed or printed (« 732 829 320 00074 »): its 14 digits, or validateSiret's message. */
export function siretField(options: LengthOptions = {}) {
  return domainField(
    (text) => {
      const siret = validateSiret(text);
      return siret.ok ? { ok: true, value: siret.siret } : siret;
    },
    options.max ?? 40,
    options.tooLong ?? SIRET_MESSAGES.siretLength,
  );
}

export interface NirFieldOptions extends NirOptions {
  /** Wording for an empty field (else validateNir's). */
  required?: string;
  /** Wording for 13 characters typed where the 15 (key included) are asked. */
  thirteen?: string;
}

type CheckedNir = { nir13: string; key: string; full15: string };

function nirCheck(options: NirFieldOptions): (text: string) => Checked<CheckedNir> {
  return (text) => {
    if (!text && options.required) return { ok: false, error: options.required };
    const nir = validateNir(text, options);
    if (nir.ok) return { ok: true, value: { nir13: nir.nir13, key: nir.key, full15: nir.full15 } };
    return { ok: false, error: options.thirteen && normalizeNir(text).length === 13 ? options.thirteen : nir.error };
  };
}

/** A NIR as printed on the carte Vitale (spaces, dots): its 13 characters, key and 15, or validateNir's message. */
export function nirField(options: NirFieldOptions = {}) {
  return domainField(nirCheck(options), undefined, '');
}

/** An optional NIR (a spouse's, a child's): null when empty. */
export function optionalNirField(options: NirFieldOptions = {}) {
  return domainField(orNull(true, nirCheck(options)), undefined, '');
}

export interface MobileFieldOptions extends LengthOptions {
  optional?: boolean;
  /** Wording for a number that is not a French mobile (else validateMobile's). */
  invalid?: string;
}

/** A French mobile number however it is written: E.164 (« +33612345678 »), or validateMobile's message. */
export function mobileField<O extends MobileFieldOptions>(options: O = {} as O) {
  const invalid = options.invalid ?? PHONE_MESSAGES.mobileInvalid;
  const check = orNull(options.optional, (text): Checked<string> => {
    const mobile = validateMobile(text);
    if (mobile.ok) return { ok: true, value: mobile.e164 };
    return { ok: false, error: text ? invalid : mobile.error };
  });
  return domainField(check as (text: string) => Checked<O['optional'] extends true ? string | null : string>, options.max, options.tooLong ?? invalid);
}

/** An IBAN as the bank prints it: without spaces, upper case; or validateIban's message. */
export function ibanField(options: LengthOptions = {}) {
  return domainField(
    (text) => {
      const iban = validateIban(text);
      return iban.ok ? { ok: true, value: iban.iban } : iban;
    },
    options.max,
    options.tooLong ?? IBAN_MESSAGES.ibanInvalid,
  );
}

/** An optional BIC: null when empty, else upper case without spaces, or validateBic's message. */
export function optionalBicField(options: LengthOptions = {}) {
  return domainField(
    orNull(true, (text) => {
      const bic = validateBic(text);
      return bic.ok ? { ok: true, value: bic.bic } : bic;
    }),
    options.max,
    options.tooLong ?? IBAN_MESSAGES.bicInvalid,
  );
}

/** A French postal code (« 75 001 » allowed): its 5 digits, or validatePostalCode's message. */
export function postalCodeField(options: LengthOptions = {}) {
  return domainField(
    (text) => {
      const postal = validatePostalCode(text);
      return postal.ok ? { ok: true, value: postal.postalCode } : postal;
    },
    options.max,
    options.tooLong ?? POSTAL_MESSAGES.invalid,
  );
}

export interface DateFieldOptions {
  optional?: boolean;
  /** Wording for an empty field (else DATE_MESSAGES.required). */
  required?: string;
  /** Wording for a date that cannot be read or does not exist (else DATE_MESSAGES.invalid). */
  invalid?: string;
}

/** A date typed « jj/mm/aaaa » (or what <input type="date"> sends): the ISO date, or a French message. */
export function frenchDateField<O extends DateFieldOptions>(options: O = {} as O) {
  const check = orNull(options.optional, (text): Checked<string> => {
    const date = validateFrenchDate(text);
    if (date.ok) return { ok: true, value: date.iso };
    return { ok: false, error: (text ? options.invalid : options.required) ?? date.error };
  });
  return domainField(check as (text: string) => Checked<O['optional'] extends true ? string | null : string>, undefined, '');
}

/** One field checked alone (a value a form holds only in some cases): its value, or its first message. */
export function checkField<F extends z.ZodType>(field: F, value: unknown): { ok: true; value: z.infer<F> } | { ok: false; error: string } {
  const result = field.safeParse(value);
  return result.success ? { ok: true, value: result.data } : { ok: false, error: result.error.issues[0].message };
}

/**
 * Each field of `schema` parsed on its own, for a form whose rules look across fields (dates
 * that must follow each other, a NIR that must match a birth date): the values that passed, and
 * the same one error map as parseForm — unsafe characters first, then each field's first message.
 * The rules across fields add their messages to that map.
 */
export function parseFields<S extends z.ZodObject>(schema: S, body: unknown, options: ParseOptions = {}): { values: Partial<z.infer<S>>; errors: FieldErrors } {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const errors = unsafeTextErrors(source, options.multiline);
  const values: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    if (errors[name]) continue;
    const result = checkField(field, source[name]);
    if (result.ok) values[name] = result.value;
    else errors[name] = result.error;
  }
  return { values: values as Partial<z.infer<S>>, errors };
}

/**
 * Copy of the submitted values to re-fill a form, without any password field nor a one-time code
 * (always named `code`; a `code_postal` is kept).
 */
export function keptValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (typeof value === 'string' && !/password|mot_de_passe|_csrf|^code$/i.test(key)) values[key] = value;
    }
  }
  return values;
}

/**
 * A query-string value as one trimmed string; arrays and objects (« du[]=x ») count as absent, and
 * so does a value holding an unsafe character (a search or filter is then simply not applied).
 */
export function queryText(value: unknown, max = 40): string {
  const text = typeof value === 'string' ? value.trim() : '';
  return hasUnsafeCharacter(text) ? '' : text.slice(0, max);
}

/**
 * A « retour » address sent back by a form: kept only when it is one of `list`'s own pages (the
 * list, or one of its items by id, with a plain query string), else `fallback` — never an
 * address elsewhere (no open redirect).
 */
export function returnAddress(value: unknown, list: string, fallback: string): string {
  if (typeof value !== 'string' || value.length > 600 || !value.startsWith(list)) return fallback;
  return /^(\/\d{1,10})?(\?[A-Za-z0-9=&%+._~-]*)?$/.test(value.slice(list.length)) ? value : fallback;
}

/** The « page » of a paged list: 1 when absent; `invalid` when it is not a whole number ≥ 1. */
export function queryPage(value: unknown): { page: number; invalid: boolean } {
  const raw = queryText(value);
  if (!raw) return { page: 1, invalid: false };
  return /^\d{1,6}$/.test(raw) && Number(raw) >= 1 ? { page: Number(raw), invalid: false } : { page: 1, invalid: true };
}

/** The same errors with their keys in page order (the form first), so the error summary follows the form. */
export function orderedErrors(errors: FieldErrors, order: readonly string[]): FieldErrors {
  const out: FieldErrors = {};
  if (errors._form) out._form = errors._form;
  for (const key of order) if (errors[key]) out[key] = errors[key];
  for (const [key, value] of Object.entries(errors)) out[key] ??= value;
  return out;
}

/** The largest id a database row can have (32-bit `increments()` on PostgreSQL). */
const MAX_ID = 2_147_483_647;

/**
 * A row id from a URL or a form (digits only, 1 to 2,147,483,647), or null. Anything else — text,
 * an array, a number PostgreSQL's integer ids cannot hold — is simply not found, never a 500.
 */
export function positiveId(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const raw = String(value);
  if (!/^\d{1,10}$/.test(raw)) return null;
  const id = Number(raw);
  return id >= 1 && id <= MAX_ID ? id : null;
}

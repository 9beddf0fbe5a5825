// One validation path: a zod schema turns a form body into typed values, or a map of French
// messages per field for the same form to come back with the values kept.
import { z } from 'zod';
import { messages } from './messages.js';
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

/** A trimmed text field; empty means missing. */
export function requiredText(message: string = messages.form.required, max = 200) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : ''),
    z.string().min(1, { error: message }).max(max, { error: `${max} caractères au maximum.` }),
  );
}

export function optionalText(max = 200) {
  return z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().max(max, { error: `${max} caractères au maximum.` }));
}

export const emailField = (message = "Saisissez votre adresse e-mail.") =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase() : ''),
    z
      .string()
      .min(1, { error: message })
      .max(254, { error: "L'adresse e-mail est trop longue." })
      .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { error: "L'adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr)." }),
  );

/** Raw password: never trimmed (spaces count), never sent back to the form. */
export const passwordField = (message = 'Saisissez votre mot de passe.') =>
  z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().min(1, { error: message }).max(1024, { error: 'Le mot de passe est trop long.' }));

/** Copy of the submitted values to re-fill a form, without any password field. */
export function keptValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (typeof value === 'string' && !/password|mot_de_passe|_csrf|code/i.test(key)) values[key] = value;
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

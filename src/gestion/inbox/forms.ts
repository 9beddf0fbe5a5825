// The staff's forms on a request or a thread, as zod schemas through the one validation path
// (src/validation.ts): typed values, or a French message per field for the same page to come back
// with what was typed. Amounts are typed the French way (« 26,50 ») and read by parseEuros
// (src/domain/money.ts); dates « jj/mm/aaaa » by frenchDateField.
import { readStoredEstimate } from '../../domain/stored-estimate.js';
import { z } from 'zod';
import { MAX_AMOUNT_CENTS, parseEuros } from '../../domain/money.js';
import { REQUEST_STATUSES, THREAD_STATUSES, type RequestStatus, type ThreadStatus } from '../../domain/correspondence.js';
import { CORRESPONDENCE_MESSAGES, type DevisAnswerLine, type Failure } from '../../correspondence/service.js';
import { HttpError } from '../../middleware/errors.js';
import { frenchDateField, optionalText, parseFields, parseForm, positiveId, requiredText, type FieldErrors, type Parsed } from '../../validation.js';
import { INBOX_TEXTS } from './labels.js';

const MAX_TEXT = 5000;

/** An amount in euros typed « 26,50 », « 1 234,56 € »: integer cents up to MAX_AMOUNT_CENTS, or `message` (`tooHigh` past the cap). */
function eurosField(message: string, tooHigh: string) {
  return z
    .preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string())
    .transform((text, ctx): number => {
      const cents = text ? parseEuros(text) : null;
      if (cents !== null && cents <= MAX_AMOUNT_CENTS) return cents;
      ctx.issues.push({ code: 'custom', message: cents === null ? message : tooHigh, input: text });
      return z.NEVER;
    });
}

/** The status the page showed (a hidden field), for the service to refuse a stale action. */
export function seenRequestStatus(body: unknown): RequestStatus | undefined {
  const value = (body as Record<string, unknown> | undefined)?.statut;
  return typeof value === 'string' && (REQUEST_STATUSES as readonly string[]).includes(value) ? (value as RequestStatus) : undefined;
}
export function seenThreadStatus(body: unknown): ThreadStatus | undefined {
  const value = (body as Record<string, unknown> | undefined)?.statut;
  return typeof value === 'string' && (THREAD_STATUSES as readonly string[]).includes(value) ? (value as ThreadStatus) : undefined;
}

// ------------------------------------------------------------------ the forms
export const acceptSchema = z.object({
  montant: eurosField(INBOX_TEXTS.amount, INBOX_TEXTS.amountTooHigh),
  date_paiement: frenchDateField({ required: INBOX_TEXTS.paymentDay, invalid: INBOX_TEXTS.paymentDay }),
});

export const refuseSchema = z.object({ motif: requiredText(CORRESPONDENCE_MESSAGES.reasonRequired, MAX_TEXT) });
export const noteSchema = z.object({ note: requiredText(CORRESPONDENCE_MESSAGES.noteRequired, MAX_TEXT) });
export const replySchema = z.object({ message: requiredText(CORRESPONDENCE_MESSAGES.messageRequired, MAX_TEXT), attente: z.unknown().optional() });

/**
 * « Demander un document manquant »: the documents ticked among those the object requires, and
 * what the staff member adds; one text for the member (the service keeps it as said).
 */
export function parseAskDocument(body: unknown, required: readonly string[]): Parsed<{ documents: string }> {
  const parsed = parseForm(z.object({ precision: optionalText(MAX_TEXT) }), body, { multiline: ['precision'] });
  if (!parsed.ok) return parsed;
  const raw = (body as Record<string, unknown>)?.document;
  const ticked = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string' && required.includes(v));
  const documents = [...ticked, parsed.data.precision].filter(Boolean).join(' ; ');
  if (!documents) return { ok: false, errors: { documents: INBOX_TEXTS.documents } };
  return { ok: true, data: { documents } };
}

/** Who a request or thread is given to: « moi », a staff account's id, or « aucun ». */
export function parseAssignee(body: unknown, me: number): number | null | undefined {
  const value = (body as Record<string, unknown> | undefined)?.gestionnaire;
  if (value === 'moi') return me;
  if (value === 'aucun') return null;
  // positiveId bounds the id to what an integer column holds: a 10-digit number is refused here, not by PostgreSQL.
  return positiveId(value) ?? undefined;
}

// ------------------------------------------------------------------ a devis' answer
/** The most lines the answer form offers (a quote's lines and a few blank ones). */
const MAX_DEVIS_LINES = 12;

export interface DevisFormLine {
  label: string;
  amount: string;
  reimbursed: string;
}

/** The form's lines as typed: `ligne_libelle_N`, `ligne_montant_N`, `ligne_rembourse_N`, for N from 1 to `lignes`. */
export function typedDevisLines(body: unknown): DevisFormLine[] {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const count = Math.min(MAX_DEVIS_LINES, Math.max(1, Number.parseInt(String(source.lignes ?? '1'), 10) || 1));
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return Array.from({ length: count }, (_, i) => ({
    label: text(source[`ligne_libelle_${i + 1}`]),
    amount: text(source[`ligne_montant_${i + 1}`]),
    reimbursed: text(source[`ligne_rembourse_${i + 1}`]),
  }));
}

/**
 * The answer to a devis: each line that has anything typed needs its label, the quote's amount
 * and the estimated reimbursement (not more than the amount); blank lines are left out; at least one line.
 */
export function parseDevisAnswer(body: unknown): Parsed<{ lines: DevisAnswerLine[]; message: string | null }> {
  const lines = typedDevisLines(body);
  const names = lines.flatMap((_, i) => [`ligne_libelle_${i + 1}`, `ligne_montant_${i + 1}`, `ligne_rembourse_${i + 1}`]);
  const { values, errors } = parseFields(z.object({ reponse: optionalText(MAX_TEXT) }), body, { multiline: ['reponse'] });
  const answer: DevisAnswerLine[] = [];
  const lineErrors: FieldErrors = {};
  for (const [i, line] of lines.entries()) {
    const n = i + 1;
    if (errors[`ligne_libelle_${n}`] || errors[`ligne_montant_${n}`] || errors[`ligne_rembourse_${n}`]) continue;
    const label = line.label.trim();
    if (!label && !line.amount.trim() && !line.reimbursed.trim()) continue;
    const amount = parseEuros(line.amount);
    const reimbursed = parseEuros(line.reimbursed);
    if (!label) lineErrors[`ligne_libelle_${n}`] = INBOX_TEXTS.devisLabel(n);
    else if (label.length > 200) lineErrors[`ligne_libelle_${n}`] = '200 caractères au maximum.';
    if (amount === null) lineErrors[`ligne_montant_${n}`] = INBOX_TEXTS.devisAmount(n);
    else if (amount > MAX_AMOUNT_CENTS) lineErrors[`ligne_montant_${n}`] = INBOX_TEXTS.devisAmountTooHigh(n);
    if (reimbursed === null) lineErrors[`ligne_rembourse_${n}`] = INBOX_TEXTS.devisReimbursed(n);
    else if (amount !== null && reimbursed > amount) lineErrors[`ligne_rembourse_${n}`] = INBOX_TEXTS.devisTooMuch(n);
    if (label && amount !== null && amount <= MAX_AMOUNT_CENTS && reimbursed !== null && reimbursed <= amount)
      answer.push({ label, amountCents: amount, reimbursedCents: reimbursed });
  }
  const all: FieldErrors = {};
  for (const name of names) if (errors[name] ?? lineErrors[name]) all[name] = (errors[name] ?? lineErrors[name])!;
  if (errors.reponse) all.reponse = errors.reponse;
  if (!Object.keys(all).length && !answer.length) all.ligne_libelle_1 = INBOX_TEXTS.devisNone;
  // Each line is capped, so the total cannot overflow; it is capped too, said at the first line's estimate.
  if (!Object.keys(all).length && answer.reduce((sum, l) => sum + l.reimbursedCents, 0) > MAX_AMOUNT_CENTS)
    all.ligne_rembourse_1 = INBOX_TEXTS.devisTotalTooHigh;
  if (Object.keys(all).length) return { ok: false, errors: all };
  return { ok: true, data: { lines: answer, message: values.reponse || null } };
}

/**
 * The member's estimate sent with the devis (requests.estimate_lines, written by the Espace
 * Assuré in the shape of src/domain/stored-estimate.ts), as the answer form's first lines: each
 * line's act, the quote's amount and what the estimate says the Sécurité sociale and the contract
 * pay together. A row without a readable estimate gives no line: the staff member types them.
 */
export function estimateFormLines(json: string | null, euros: (cents: number) => string): DevisFormLine[] {
  const estimate = readStoredEstimate(json);
  if (!estimate) return [];
  return estimate.lines.slice(0, MAX_DEVIS_LINES).map((line) => ({
    label: line.label,
    amount: plain(euros(line.amountCents)),
    reimbursed: plain(euros(line.reimbursedCents)),
  }));
}

/** « 1 234,56 € » → « 1234,56 » (what the field expects to read back). */
function plain(formatted: string): string {
  return formatted.replace(/[\s\u00A0\u202F€]/g, '');
}

/**
 * How a refused staff action shows on the item's page: 404 when the item is gone, else the
 * message beside its field (422) or on top of the page (409, e.g. someone else acted first).
 */
export function failureOnPage(failure: Failure): { errors: FieldErrors; status: 409 | 422 } {
  if (failure.code === 'not_found') throw new HttpError(404);
  const message = failure.code === 'conflict' ? INBOX_TEXTS.stale : failure.reason;
  const field = failure.code === 'invalid' && failure.field ? failure.field : '_form';
  return { errors: { [field]: message }, status: failure.code === 'invalid' ? 422 : 409 };
}

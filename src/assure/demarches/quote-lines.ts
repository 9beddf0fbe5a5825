// The quote lines a member types on « Transmettre un devis » to see their reste à charge:
// read from the form (numbered fields ligne_<n>_acte / _montant / _base / _jours, so each
// message sits next to its field), then given to estimateResteACharge (src/domain/reste-a-charge.ts).
// A line left empty is ignored; a line begun must name its act and amount.
import { careActsFor, findCareAct, QUOTE_OBJECTS, quoteObjectLabels, type QuoteObject } from '../../domain/care-acts.js';
import { MAX_AMOUNT_CENTS, parseEuros } from '../../domain/money.js';
import { estimateResteACharge, type GuaranteeLine, type QuoteEstimate, type QuoteLineInput } from '../../domain/reste-a-charge.js';
import { hasUnsafeCharacter } from '../../validation.js';
import type { FieldErrors } from '../../validation.js';

export const MAX_QUOTE_LINES = 8;
/** Rows shown with nothing typed yet; one empty row more than the lines typed afterwards. */
const FIRST_ROWS = 3;
const MAX_DAYS = 365;

const PARTS = ['acte', 'montant', 'base', 'jours'] as const;
export const lineField = (n: number, part: (typeof PARTS)[number]) => `ligne_${n}_${part}`;

const QUOTE_TEXTS = {
  act: (n: number) => `Choisissez l'acte de la ligne ${n}.`,
  actOfObject: (n: number, object: string) => `L'acte de la ligne ${n} ne fait pas partie de l'objet « ${object} » : choisissez-le dans cette liste.`,
  amount: (n: number) => `Indiquez le montant de la ligne ${n}, en euros (par exemple 120,50).`,
  amountInvalid: (n: number) => `Le montant de la ligne ${n} n'est pas un montant en euros (par exemple 120,50).`,
  base: (n: number) => `La base de remboursement de la ligne ${n} n'est pas un montant en euros (par exemple 0,15), ou laissez-la vide.`,
  days: (n: number) => `Le nombre de jours de la ligne ${n} doit être un nombre entier de 1 à ${MAX_DAYS}.`,
} as const;

export interface QuoteRow {
  n: number;
  acte: string;
  montant: string;
  base: string;
  jours: string;
}

export interface ParsedQuote {
  lines: QuoteLineInput[];
  rows: QuoteRow[];
  errors: FieldErrors;
}

function textOf(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === 'string' && !hasUnsafeCharacter(value.trim()) ? value.trim().slice(0, 40) : '';
}

export function isQuoteObject(value: unknown): value is QuoteObject {
  return typeof value === 'string' && (QUOTE_OBJECTS as readonly string[]).includes(value);
}

/** The lines typed (and the rows to show again), with a message per wrong field. `object` narrows the acts when chosen. */
export function parseQuoteLines(body: unknown, object: QuoteObject | null): ParsedQuote {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const lines: QuoteLineInput[] = [];
  const typed: QuoteRow[] = [];
  const errors: FieldErrors = {};
  for (let n = 1; n <= MAX_QUOTE_LINES; n++) {
    const row: QuoteRow = {
      n,
      acte: textOf(source, lineField(n, 'acte')),
      montant: textOf(source, lineField(n, 'montant')),
      base: textOf(source, lineField(n, 'base')),
      jours: textOf(source, lineField(n, 'jours')),
    };
    if (!row.acte && !row.montant && !row.base && !row.jours) continue;
    typed.push(row);
    const act = findCareAct(row.acte);
    if (!act) errors[lineField(n, 'acte')] = QUOTE_TEXTS.act(n);
    else if (object && act.object !== object) errors[lineField(n, 'acte')] = QUOTE_TEXTS.actOfObject(n, quoteObjectLabels[object]);
    const amount = row.montant ? parseEuros(row.montant) : null;
    if (!row.montant) errors[lineField(n, 'montant')] = QUOTE_TEXTS.amount(n);
    else if (amount === null || amount > MAX_AMOUNT_CENTS) errors[lineField(n, 'montant')] = QUOTE_TEXTS.amountInvalid(n);
    const base = row.base ? parseEuros(row.base) : null;
    if (row.base && (base === null || base > MAX_AMOUNT_CENTS)) errors[lineField(n, 'base')] = QUOTE_TEXTS.base(n);
    let days: number | null = null;
    if (row.jours && act?.perDay) {
      days = /^\d{1,3}$/.test(row.jours) ? Number(row.jours) : 0;
      if (days < 1 || days > MAX_DAYS) errors[lineField(n, 'jours')] = QUOTE_TEXTS.days(n);
    }
    if (act && amount !== null && !PARTS.some((p) => errors[lineField(n, p)])) lines.push({ actCode: act.code, amountCents: amount, baseCents: base, days });
  }
  // The rows keep their numbers (each message names its line), with one empty row to add a line.
  const count = Math.min(MAX_QUOTE_LINES, Math.max(FIRST_ROWS, typed.length + 1));
  const rows = Array.from({ length: count }, (_, i) => typed.find((r) => r.n === i + 1) ?? { n: i + 1, acte: '', montant: '', base: '', jours: '' });
  // A row typed beyond the count (line 6 typed alone) is still shown where it was.
  for (const row of typed) if (row.n > count) rows.push(row);
  rows.sort((a, b) => a.n - b.n);
  return { lines, rows, errors };
}

/** The act lists of the form: the chosen object's acts, or every object's in its group. */
export function actGroups(object: QuoteObject | null): { label: string; acts: { code: string; label: string; perDay: boolean }[] }[] {
  const objects = object ? [object] : QUOTE_OBJECTS;
  return objects.map((o) => ({ label: quoteObjectLabels[o], acts: careActsFor(o).map((a) => ({ code: a.code, label: a.label, perDay: a.perDay })) }));
}

export interface EstimateContext {
  guarantees: readonly GuaranteeLine[];
  usedThisYearCents: ReadonlyMap<number, number>;
}

/** The estimate of the lines typed, or null when there is no complete line. */
export function estimateOf(lines: readonly QuoteLineInput[], context: EstimateContext): QuoteEstimate | null {
  if (!lines.length) return null;
  return estimateResteACharge({ lines, guarantees: context.guarantees, usedThisYearCents: context.usedThisYearCents });
}

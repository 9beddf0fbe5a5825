// Amounts are integer cents everywhere; floating euros only exist inside formatEuros.

import { NBSP, normalizeFrenchSpaces } from './text.js';

/**
 * The largest amount a form of the correspondence takes (a quote's line, a reimbursement, a devis
 * answer's total): far above any real one — a typo, not a figure — and well inside an integer column.
 */
export const MAX_AMOUNT_CENTS = 100_000_00;

/** 2650 → « 26,50 € », every space a U+00A0 so the amount never wraps. */
export function formatEuros(cents: number): string {
  // A fractional or string « cents » means an upstream bug (an AVG, a pg bigint string): fail loudly.
  if (!Number.isSafeInteger(cents)) throw new TypeError(`formatEuros expects integer cents, got ${String(cents)}`);
  // What Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }) writes, spaces
  // normalized (the unit test compares both), built from the integer: a page of décomptes
  // formats some 500 amounts and ICU's formatter cost a few microseconds each.
  const negative = cents < 0 || Object.is(cents, -0);
  const abs = negative ? -cents : cents;
  const rest = abs % 100;
  const euros = String((abs - rest) / 100);
  let grouped = euros;
  if (euros.length > 3) {
    const head = euros.length % 3 || 3;
    grouped = euros.slice(0, head);
    for (let i = head; i < euros.length; i += 3) grouped += NBSP + euros.slice(i, i + 3);
  }
  return `${negative ? '-' : ''}${grouped},${rest < 10 ? '0' : ''}${rest}${NBSP}€`;
}

/**
 * Reads an amount typed by a user: « 26,50 », « 26.50 », « 1 234,56 € », « 1.234,56 »,
 * « 12 EUR ». Returns integer cents, or null when the text is not a positive amount with at
 * most two decimals. Digits are combined as integers so 0.1 + 0.2 never shows up.
 */
export function parseEuros(input: string): number | null {
  const compact = input.replace(/[\s\u00A0\u202F]/g, '').replace(/(?:€|EUR)$/i, '');
  let integerPart: string;
  let fractionPart: string;
  const plain = /^([0-9]+)(?:[.,]([0-9]{1,2}))?$/.exec(compact);
  // « 1.234,56 »: dots as thousands separators only when a comma or nothing follows.
  const dottedThousands = /^([0-9]{1,3}(?:\.[0-9]{3})+)(?:,([0-9]{1,2}))?$/.exec(compact);
  if (plain) {
    integerPart = plain[1];
    fractionPart = plain[2] ?? '';
  } else if (dottedThousands) {
    integerPart = dottedThousands[1].replace(/\./g, '');
    fractionPart = dottedThousands[2] ?? '';
  } else {
    return null;
  }
  const cents = Number(integerPart) * 100 + Number(fractionPart.padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : null;
}

/**
 * A rate expressed in percent (70 → « 70 % », 12.5 → « 12,5 % »), the way guarantees read
 * (« 100 % BR »). Formatting the number itself avoids 0.07 × 100 float noise.
 */
const percentFormats = new Map<number, Intl.NumberFormat>();

export function formatPercent(percent: number, maximumFractionDigits = 2): string {
  let format = percentFormats.get(maximumFractionDigits);
  if (!format) {
    // Built once per precision: constructing an Intl.NumberFormat costs far more than formatting.
    format = new Intl.NumberFormat('fr-FR', { maximumFractionDigits });
    percentFormats.set(maximumFractionDigits, format);
  }
  const number = format.format(percent);
  return `${normalizeFrenchSpaces(number)}${NBSP}%`;
}

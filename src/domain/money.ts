// Amounts are integer cents everywhere; floating euros only exist inside formatEuros.

import { NBSP, normalizeFrenchSpaces } from './text.js';

const euroFormat = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

/** 2650 → « 26,50 € », every space a U+00A0 so the amount never wraps. */
export function formatEuros(cents: number): string {
  // A fractional or string « cents » means an upstream bug (an AVG, a pg bigint string): fail loudly.
  if (!Number.isSafeInteger(cents)) throw new TypeError(`formatEuros expects integer cents, got ${String(cents)}`);
  return normalizeFrenchSpaces(euroFormat.format(cents / 100));
}

/**
 * Reads an amount typed by a user: « 26,50 », « 26.50 », « 1 234,56 € », « 1.234,56 »,
 * « 12 EUR ». Returns integer cents, or null when the text is not a positive amount with at
 * most two decimals. Digits are combined as integers so 0.1 + 0.2 never shows up.
 */
export function parseEuros(input: string): number | null {
  const compact = input
    .replace(/[\s\u00A0\u202F]/g, '')
    .replace(/(?:€|EUR)$/i, '');
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
export function formatPercent(percent: number, maximumFractionDigits = 2): string {
  const number = new Intl.NumberFormat('fr-FR', { maximumFractionDigits }).format(percent);
  return `${normalizeFrenchSpaces(number)}${NBSP}%`;
}

// IBAN and BIC for reimbursements and direct debits. Bank details are sensitive: show them
// through maskIban and never log a full IBAN.

export type IbanResult = { ok: true; iban: string } | { ok: false; error: string };
export type BicResult = { ok: true; bic: string } | { ok: false; error: string };

export const IBAN_MESSAGES = {
  ibanRequired: "L'IBAN est obligatoire.",
  ibanInvalid: "L'IBAN est invalide.",
  ibanCountry: "Le pays de l'IBAN n'est pas pris en charge.",
  bicRequired: 'Le code BIC est obligatoire.',
  bicInvalid: 'Le code BIC est invalide.',
} as const;

/**
 * IBAN lengths per country (ISO 13616 registry): the SEPA area our members bank in, plus the
 * French overseas codes that some banks print instead of FR. Countries outside the table are
 * refused, since reimbursements go through SEPA transfers.
 */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AT: 20,
  BE: 16,
  BG: 22,
  CH: 21,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  EE: 20,
  ES: 24,
  FI: 18,
  FR: 27,
  GB: 22,
  GI: 23,
  GR: 27,
  HR: 21,
  HU: 28,
  IE: 22,
  IS: 26,
  IT: 27,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MT: 31,
  NL: 18,
  NO: 15,
  PL: 28,
  PT: 25,
  RO: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  VA: 22,
  // French overseas departments and collectivities use the French BBAN layout.
  GF: 27,
  GP: 27,
  MQ: 27,
  RE: 27,
  YT: 27,
  PM: 27,
  BL: 27,
  MF: 27,
  NC: 27,
  PF: 27,
  WF: 27,
  TF: 27,
};

/** Members paste IBANs with spaces, dashes, or in lowercase from a banking app. */
export function normalizeIban(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}

/**
 * Remainder mod 97 of the number obtained by replacing letters with 10…35. Digit by digit,
 * because the full number (30+ digits) is far beyond what a JS number holds exactly.
 */
export function mod97(alphanumeric: string): number {
  let remainder = 0;
  for (const c of alphanumeric) {
    const code = c.charCodeAt(0);
    if (code >= 48 && code <= 57) {
      remainder = (remainder * 10 + (code - 48)) % 97;
    } else if (code >= 65 && code <= 90) {
      remainder = (remainder * 100 + (code - 55)) % 97;
    } else {
      throw new RangeError('mod97 expects digits and uppercase letters only');
    }
  }
  return remainder;
}

// French account numbers may hold letters; the RIB key maps them with this historical table.
const RIB_LETTER_DIGITS: Readonly<Record<string, string>> = {
  A: '1',
  B: '2',
  C: '3',
  D: '4',
  E: '5',
  F: '6',
  G: '7',
  H: '8',
  I: '9',
  J: '1',
  K: '2',
  L: '3',
  M: '4',
  N: '5',
  O: '6',
  P: '7',
  Q: '8',
  R: '9',
  S: '2',
  T: '3',
  U: '4',
  V: '5',
  W: '6',
  X: '7',
  Y: '8',
  Z: '9',
};

/** Clé RIB = 97 − ((bank·89 + branch·15 + account·3) mod 97), two digits. */
export function ribKey(bank5: string, branch5: string, account11: string): string {
  if (!/^[0-9]{5}$/.test(bank5) || !/^[0-9]{5}$/.test(branch5) || !/^[0-9A-Z]{11}$/.test(account11)) {
    throw new RangeError('ribKey expects a 5-digit bank code, a 5-digit branch code and an 11-character account');
  }
  const account = account11.replace(/[A-Z]/g, (letter) => RIB_LETTER_DIGITS[letter]);
  // 89·99999 + 15·99999 + 3·99999999999 stays far below 2^53.
  const weighted = 89 * Number(bank5) + 15 * Number(branch5) + 3 * Number(account);
  return String(97 - (weighted % 97)).padStart(2, '0');
}

function hasValidIbanChecksum(iban: string): boolean {
  // Check digits 00, 01 and 99 are never issued but can satisfy mod 97 (they alias 97, 98, 02).
  const checkDigits = Number(iban.slice(2, 4));
  if (checkDigits < 2 || checkDigits > 98) return false;
  return mod97(iban.slice(4) + iban.slice(0, 4)) === 1;
}

export function validateIban(input: string): IbanResult {
  const iban = normalizeIban(input);
  if (iban.length === 0) return { ok: false, error: IBAN_MESSAGES.ibanRequired };
  if (!/^[A-Z]{2}[0-9]{2}[0-9A-Z]+$/.test(iban)) return { ok: false, error: IBAN_MESSAGES.ibanInvalid };
  const expectedLength = IBAN_LENGTHS[iban.slice(0, 2)];
  if (expectedLength === undefined) return { ok: false, error: IBAN_MESSAGES.ibanCountry };
  if (iban.length !== expectedLength) {
    return { ok: false, error: `L'IBAN doit comporter ${expectedLength} caractères pour ce pays.` };
  }
  if (!hasValidIbanChecksum(iban)) return { ok: false, error: IBAN_MESSAGES.ibanInvalid };
  if (iban.startsWith('FR')) {
    // An IBAN that a converter built from a mistyped RIB passes mod 97 (its check digits were
    // computed on the typo); the RIB key inside the French BBAN still refuses it.
    const bban = iban.slice(4);
    if (!/^[0-9]{10}[0-9A-Z]{11}[0-9]{2}$/.test(bban)) return { ok: false, error: IBAN_MESSAGES.ibanInvalid };
    if (ribKey(bban.slice(0, 5), bban.slice(5, 10), bban.slice(10, 21)) !== bban.slice(21)) {
      return { ok: false, error: IBAN_MESSAGES.ibanInvalid };
    }
  }
  return { ok: true, iban };
}

/** « FR76 3000 6000 0112 3456 7890 189 », the paper format banks print. */
export function formatIban(iban: string): string {
  return (normalizeIban(iban).match(/.{1,4}/g) ?? []).join(' ');
}

/**
 * « FR76 •••• •••• •••• •••• •••0 189 »: the country and last four characters are enough for
 * a member to recognise their account without exposing it.
 */
export function maskIban(iban: string): string {
  const n = normalizeIban(iban);
  if (n.length <= 8) return formatIban(n);
  const masked = n.slice(0, 4) + '•'.repeat(n.length - 8) + n.slice(-4);
  return (masked.match(/.{1,4}/gu) ?? []).join(' ');
}

export function normalizeBic(input: string): string {
  return input.replace(/\s/g, '').toUpperCase();
}

export function validateBic(input: string): BicResult {
  const bic = normalizeBic(input);
  if (bic.length === 0) return { ok: false, error: IBAN_MESSAGES.bicRequired };
  if (!/^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/.test(bic)) return { ok: false, error: IBAN_MESSAGES.bicInvalid };
  return { ok: true, bic };
}

/** Builds a valid French IBAN from a RIB (bank, branch, account), computing both keys; for seed data. */
export function makeFrenchIban(bank5: string, branch5: string, account11: string): string {
  const bban = bank5 + branch5 + account11 + ribKey(bank5, branch5, account11);
  const checkDigits = String(98 - mod97(bban + 'FR00')).padStart(2, '0');
  return 'FR' + checkDigits + bban;
}

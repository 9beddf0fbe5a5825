// SIREN (company, 9 digits) and SIRET (establishment, SIREN + 5-digit NIC), both Luhn-checked,
// except La Poste whose establishments outnumbered what a Luhn NIC could encode.

export type SirenResult = { ok: true; siren: string } | { ok: false; error: string };
export type SiretResult = { ok: true; siret: string; siren: string; nic: string } | { ok: false; error: string };

export const SIRET_MESSAGES = {
  sirenRequired: 'Le numéro de SIREN est obligatoire.',
  sirenLength: 'Le numéro de SIREN doit comporter 9 chiffres.',
  sirenInvalid: 'Le numéro de SIREN est invalide.',
  siretRequired: 'Le numéro de SIRET est obligatoire.',
  siretLength: 'Le numéro de SIRET doit comporter 14 chiffres.',
  siretInvalid: 'Le numéro de SIRET est invalide.',
} as const;

const LA_POSTE_SIREN = '356000000';

/** INSEE and Kbis print the numbers grouped (« 732 829 320 00074 », « 732.829.320.00074 »); the groups are cosmetic. */
export function normalizeSiret(input: string): string {
  return input.replace(/[\s.]/g, '');
}

/** Sum of the Luhn-weighted digits, the rightmost digit having weight 1. */
function luhnSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum;
}

/** True when a string of digits passes the Luhn check. Non-digit input is never valid. */
export function luhn(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  return luhnSum(digits) % 10 === 0;
}

/** The digit to append to `partial` so that the whole passes Luhn (used to build seed data). */
export function luhnCompleteDigit(partial: string): string {
  if (!/^[0-9]*$/.test(partial)) throw new RangeError('luhnCompleteDigit expects digits only');
  // Appending a 0 shifts every weight by one, exactly as the final check digit will.
  const sum = luhnSum(partial + '0');
  return String((10 - (sum % 10)) % 10);
}

export function validateSiren(input: string): SirenResult {
  const siren = normalizeSiret(input);
  if (siren.length === 0) return { ok: false, error: SIRET_MESSAGES.sirenRequired };
  if (!/^[0-9]{9}$/.test(siren)) return { ok: false, error: SIRET_MESSAGES.sirenLength };
  if (!luhn(siren)) return { ok: false, error: SIRET_MESSAGES.sirenInvalid };
  return { ok: true, siren };
}

function digitSum(digits: string): number {
  let sum = 0;
  for (const c of digits) sum += c.charCodeAt(0) - 48;
  return sum;
}

/**
 * La Poste's SIRETs are valid when their digit sum is a multiple of 5; the head office
 * (35600000000048) still passes Luhn, so either rule accepts a La Poste SIRET.
 */
function isValidSiretChecksum(siret: string): boolean {
  if (!/^[0-9]{14}$/.test(siret)) return false;
  if (luhn(siret)) return true;
  return siret.startsWith(LA_POSTE_SIREN) && digitSum(siret) % 5 === 0;
}

export function validateSiret(input: string): SiretResult {
  const siret = normalizeSiret(input);
  if (siret.length === 0) return { ok: false, error: SIRET_MESSAGES.siretRequired };
  if (!/^[0-9]{14}$/.test(siret)) return { ok: false, error: SIRET_MESSAGES.siretLength };
  const siren = siret.slice(0, 9);
  // A SIRET whose SIREN part is invalid cannot exist, even if the 14 digits happen to pass.
  if (!luhn(siren)) return { ok: false, error: SIRET_MESSAGES.siretInvalid };
  if (!isValidSiretChecksum(siret)) return { ok: false, error: SIRET_MESSAGES.siretInvalid };
  return { ok: true, siret, siren, nic: siret.slice(9) };
}

/** A valid SIREN from 8 digits, for seed data. */
export function generateSiren(prefix8: string): string {
  if (!/^[0-9]{8}$/.test(prefix8)) throw new RangeError('generateSiren expects 8 digits');
  return prefix8 + luhnCompleteDigit(prefix8);
}

/**
 * A valid SIRET for `siren` whose NIC starts with `nicPrefix` (4 digits, default « 0001 »,
 * a usual head-office NIC prefix), for seed data.
 */
export function generateSiret(siren: string, nicPrefix = '0001'): string {
  if (!/^[0-9]{9}$/.test(siren)) throw new RangeError('generateSiret expects a 9-digit SIREN');
  if (!/^[0-9]{4}$/.test(nicPrefix)) throw new RangeError('generateSiret expects a 4-digit NIC prefix');
  const partial = siren + nicPrefix;
  return partial + luhnCompleteDigit(partial);
}

/** « 732 829 320 00074 »: how INSEE prints a SIRET. */
export function formatSiret(siret: string): string {
  return `${siret.slice(0, 3)} ${siret.slice(3, 6)} ${siret.slice(6, 9)} ${siret.slice(9)}`;
}

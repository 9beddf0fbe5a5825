// French postal codes are 5 digits kept as strings: « 01000 » loses its meaning as a number.

export type PostalCodeResult = { ok: true; postalCode: string } | { ok: false; error: string };

export const POSTAL_MESSAGES = {
  required: 'Le code postal est obligatoire.',
  invalid: 'Le code postal est invalide.',
} as const;

/**
 * Metropolitan codes start with the department 01–95 (Corsica kept 20); overseas departments
 * use 971–976; Monaco (980), Wallis-et-Futuna (986), French Polynesia (987) and
 * New Caledonia (988) are in the French postal network too. 00xxx and 96xxx do not exist.
 */
const POSTAL_CODE_PATTERN = /^(?:0[1-9]|[1-8][0-9]|9[0-5])[0-9]{3}$|^97[1-6][0-9]{2}$|^98[0678][0-9]{2}$/;

function normalizePostalCode(input: string): string {
  // « 75 001 » is how some people type it.
  return input.replace(/\s/g, '');
}

function isValidPostalCode(postalCode: string): boolean {
  return POSTAL_CODE_PATTERN.test(postalCode);
}

export function validatePostalCode(input: string): PostalCodeResult {
  const postalCode = normalizePostalCode(input);
  if (postalCode.length === 0) return { ok: false, error: POSTAL_MESSAGES.required };
  if (!isValidPostalCode(postalCode)) return { ok: false, error: POSTAL_MESSAGES.invalid };
  return { ok: true, postalCode };
}

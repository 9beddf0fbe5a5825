// French phone numbers: typed nationally (« 06 12 34 56 78 »), stored in E.164 so that SMS
// one-time codes reach the right network.

export type PhoneResult = { ok: true; e164: string } | { ok: false; error: string };

export const PHONE_MESSAGES = {
  phoneRequired: 'Le numéro de téléphone est obligatoire.',
  phoneInvalid: 'Le numéro de téléphone est invalide.',
  mobileRequired: 'Le numéro de téléphone mobile est obligatoire.',
  mobileInvalid: 'Le numéro de téléphone mobile est invalide.',
} as const;

/**
 * Overseas departments share the national « 0 » numbering plan but have their own country
 * codes: 0690 12 34 56 is +590 690 12 34 56, and +33 690… does not route. Keyed by the first
 * three digits of the 9-digit national number.
 */
const OVERSEAS_CALLING_CODES: Readonly<Record<string, string>> = {
  '590': '590',
  '690': '590',
  '691': '590', // Guadeloupe, Saint-Barthélemy, Saint-Martin
  '594': '594',
  '694': '594', // Guyane
  '596': '596',
  '696': '596',
  '697': '596', // Martinique
  '262': '262',
  '263': '262',
  '692': '262',
  '693': '262', // La Réunion
  '269': '262',
  '639': '262', // Mayotte
};

function callingCodeFor(national9: string): string {
  return OVERSEAS_CALLING_CODES[national9.slice(0, 3)] ?? '33';
}

/**
 * 1–5 geographic, 6 and 73–79 mobile, 9 VoIP. 08 (service numbers) and the unallocated
 * 070–072 are not numbers a person can be reached on.
 */
function isAllocatedNational(national9: string): boolean {
  return /^(?:[1-69][0-9]{8}|7[3-9][0-9]{7})$/.test(national9);
}

/** The 9 digits after the trunk « 0 », or null when the input is not a French number. */
function toNational9(input: string): string | null {
  // Separators people type or paste; « (0) » shows up in « +33 (0)6 … ».
  const compact = input.replace(/[\s.\-/()]/g, '');
  let match = /^0([1-9][0-9]{8})$/.exec(compact);
  if (match) return match[1];
  match = /^(?:\+|00)(33|590|594|596|262)0?([1-9][0-9]{8})$/.exec(compact);
  if (!match) return null;
  const [, callingCode, national] = match;
  // « +33 690 … » is a common way to write an overseas number: accept it and re-route it.
  if (callingCode === '33' || callingCodeFor(national) === callingCode) return national;
  return null;
}

/** E.164 (« +33612345678 ») for any French way of writing a number, or null. */
export function parsePhone(input: string): string | null {
  const national = toNational9(input);
  if (national === null || !isAllocatedNational(national)) return null;
  return '+' + callingCodeFor(national) + national;
}

/** Mobiles are 06 and 07 73–79 only, the ranges an SMS code can be sent to. */
export function isFrenchMobile(input: string): boolean {
  const e164 = parsePhone(input);
  if (e164 === null) return false;
  const national = e164.slice(-9);
  return /^(?:6|7[3-9])/.test(national);
}

export function validatePhone(input: string): PhoneResult {
  if (input.trim().length === 0) return { ok: false, error: PHONE_MESSAGES.phoneRequired };
  const e164 = parsePhone(input);
  return e164 === null ? { ok: false, error: PHONE_MESSAGES.phoneInvalid } : { ok: true, e164 };
}

export function validateMobile(input: string): PhoneResult {
  if (input.trim().length === 0) return { ok: false, error: PHONE_MESSAGES.mobileRequired };
  const e164 = parsePhone(input);
  if (e164 === null || !isFrenchMobile(e164)) return { ok: false, error: PHONE_MESSAGES.mobileInvalid };
  return { ok: true, e164 };
}

function nationalDigits(e164: string): string | null {
  const e = parsePhone(e164);
  return e === null ? null : '0' + e.slice(-9);
}

/** « 06 12 34 56 78 ». Unparseable values are returned as they are rather than hidden. */
export function formatPhone(e164: string): string {
  const national = nationalDigits(e164);
  if (national === null) return e164;
  return (national.match(/.{2}/g) ?? []).join(' ');
}

/** « 06 •• •• •• 78 »: enough for a member to tell which phone will receive the code. */
export function maskPhone(e164: string): string {
  const national = nationalDigits(e164);
  if (national === null) return '•• •• •• •• ••';
  return `${national.slice(0, 2)} •• •• •• ${national.slice(8, 10)}`;
}

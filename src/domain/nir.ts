// NIR (numéro de Sécurité sociale): sex (1) · year (2) · month (2) · department (2, or 2A/2B)
// · commune (3) · order (3) · key (2). A NIR is personal data: callers must never put it in a
// URL or a log line, and should show it through maskNir.

export type NirResult = { ok: true; nir13: string; key: string; full15: string } | { ok: false; error: string };

export interface NirOptions {
  /** Accept the 13 first characters and compute the key (what our forms ask for). */
  allowThirteen?: boolean;
  /** Accept 15 characters and check the key. */
  allowFifteen?: boolean;
}

export const NIR_MESSAGES = {
  required: 'Le numéro de Sécurité sociale est obligatoire.',
  length13: 'Le numéro de Sécurité sociale doit comporter 13 caractères (sans espace).',
  length15: 'Le numéro de Sécurité sociale doit comporter 15 caractères (sans espace).',
  length13or15: 'Le numéro de Sécurité sociale doit comporter 13 ou 15 caractères (sans espace).',
  sex: 'Le numéro de Sécurité sociale doit commencer par 1 ou 2.',
  characters: 'Le numéro de Sécurité sociale ne doit contenir que des chiffres (et 2A ou 2B pour la Corse).',
  month: 'Le mois de naissance du numéro de Sécurité sociale est invalide.',
  department: 'Le département de naissance du numéro de Sécurité sociale est invalide.',
  key: 'La clé du numéro de Sécurité sociale ne correspond pas.',
} as const;

/** Users paste the number as printed on the carte Vitale (« 1 84 12 75 … ») or with dots. */
export function normalizeNir(input: string): string {
  return input.replace(/[\s.]/g, '').toUpperCase();
}

const NIR13_SHAPE = /^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{6}$/;

/**
 * Key = 97 − (13-digit number mod 97). Corsican departments are letters in the NIR, so the
 * key is defined on 2A → 19 and 2B → 18. 13 digits stay below 2^53, so plain numbers are exact.
 */
export function nirKey(nir13: string): number {
  const normalized = normalizeNir(nir13);
  if (!NIR13_SHAPE.test(normalized)) {
    throw new RangeError('nirKey expects the 13 first characters of a NIR');
  }
  const department = normalized.slice(5, 7);
  const numeric =
    department === '2A'
      ? normalized.slice(0, 5) + '19' + normalized.slice(7)
      : department === '2B'
        ? normalized.slice(0, 5) + '18' + normalized.slice(7)
        : normalized;
  return 97 - (Number(numeric) % 97);
}

/** 01–12 is a real month; 20–42 and 50–99 are issued when the civil record lacks the month. */
function isValidNirMonth(month: string): boolean {
  if (!/^[0-9]{2}$/.test(month)) return false;
  const value = Number(month);
  return (value >= 1 && value <= 12) || (value >= 20 && value <= 42) || value >= 50;
}

/**
 * Two digits (metropolitan 01–95, overseas 97x with the third digit taken from the commune
 * field, 98 overseas collectivities, 99 born abroad) or 2A/2B for Corsica. Only « 00 » and
 * letters other than 2A/2B are rejected: refusing a real person's NIR is worse than a lax
 * department rule, and the key still catches typos.
 */
function isValidNirDepartment(department: string): boolean {
  if (department === '2A' || department === '2B') return true;
  return /^[0-9]{2}$/.test(department) && department !== '00';
}

function lengthMessage(allowThirteen: boolean, allowFifteen: boolean): string {
  if (allowThirteen && allowFifteen) return NIR_MESSAGES.length13or15;
  return allowThirteen ? NIR_MESSAGES.length13 : NIR_MESSAGES.length15;
}

export function validateNir(input: string, options: NirOptions = {}): NirResult {
  const allowThirteen = options.allowThirteen ?? true;
  const allowFifteen = options.allowFifteen ?? true;
  const nir = normalizeNir(input);
  if (nir.length === 0) return { ok: false, error: NIR_MESSAGES.required };
  const lengthAllowed = (nir.length === 13 && allowThirteen) || (nir.length === 15 && allowFifteen);
  if (!lengthAllowed) return { ok: false, error: lengthMessage(allowThirteen, allowFifteen) };

  // Checked field by field, left to right, so the message names the part that is wrong.
  if (nir[0] !== '1' && nir[0] !== '2') return { ok: false, error: NIR_MESSAGES.sex };
  if (!/^[0-9]{4}$/.test(nir.slice(1, 5))) return { ok: false, error: NIR_MESSAGES.characters };
  if (!isValidNirMonth(nir.slice(3, 5))) return { ok: false, error: NIR_MESSAGES.month };
  const department = nir.slice(5, 7);
  if (!/^[0-9A-Z]{2}$/.test(department)) return { ok: false, error: NIR_MESSAGES.characters };
  // « 2C » and other letters end here: only 2A and 2B exist.
  if (!isValidNirDepartment(department)) return { ok: false, error: NIR_MESSAGES.department };
  if (!/^[0-9]+$/.test(nir.slice(7))) return { ok: false, error: NIR_MESSAGES.characters };

  const nir13 = nir.slice(0, 13);
  const key = String(nirKey(nir13)).padStart(2, '0');
  if (nir.length === 15 && nir.slice(13) !== key) return { ok: false, error: NIR_MESSAGES.key };
  return { ok: true, nir13, key, full15: nir13 + key };
}

/**
 * Cross-checks the NIR against the declared birth date and sex. The month is only compared
 * when it is a real month (01–12); placeholder months mean the civil record had none.
 */
export function nirMatchesBirth(nir: string, birthDateIso: string, sex?: 'M' | 'F'): boolean {
  const normalized = normalizeNir(nir);
  const birth = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(birthDateIso);
  if (!birth || normalized.length < 13) return false;
  if (normalized.slice(1, 3) !== birth[1].slice(2)) return false;
  const month = Number(normalized.slice(3, 5));
  if (month >= 1 && month <= 12 && normalized.slice(3, 5) !== birth[2]) return false;
  if (sex !== undefined && normalized[0] !== (sex === 'M' ? '1' : '2')) return false;
  return true;
}

const MASK = '•';

/**
 * « 1 84 12 •• ••• ••• 42 »: sex, year, month and key let the member recognise their number;
 * department, commune and order (which locate the birth) stay hidden.
 */
export function maskNir(nir: string): string {
  const n = normalizeNir(nir);
  const groups = [n.slice(0, 1), n.slice(1, 3), n.slice(3, 5), MASK.repeat(2), MASK.repeat(3), MASK.repeat(3)];
  if (n.length === 15) groups.push(n.slice(13, 15));
  return groups.join(' ');
}

/** « 1 84 12 75 123 456 42 », the grouping printed on the carte Vitale. */
export function formatNir(nir: string): string {
  const n = normalizeNir(nir);
  const groups = [n.slice(0, 1), n.slice(1, 3), n.slice(3, 5), n.slice(5, 7), n.slice(7, 10), n.slice(10, 13)];
  if (n.length > 13) groups.push(n.slice(13, 15));
  return groups.filter((g) => g.length > 0).join(' ');
}

/**
 * Whether a compact entry (normalizeNir) has the shape of a NIR — 13 characters, or 15 with the
 * key, Corsica's 2A/2B allowed — before it is validated: tells a NIR typed in a search field from
 * anything else.
 */
export function hasNirShape(compact: string): boolean {
  return /^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{6}(?:[0-9]{2})?$/.test(compact);
}

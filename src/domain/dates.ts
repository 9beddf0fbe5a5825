// Calendar dates travel as ISO strings (« 2024-02-29 ») and are only turned into text at the
// edge. Nothing here parses a date through the server's local timezone: `new Date('2024-02-29')`
// is UTC midnight but `new Date(2024, 1, 29)` is local, and mixing them shifts days.

export type DateResult = { ok: true; iso: string } | { ok: false; error: string };
/** Injected where « today » matters so tests can fix the date. */
export type Clock = () => Date;

export const DATE_MESSAGES = {
  required: 'La date est obligatoire.',
  invalid: 'La date est invalide (format jj/mm/aaaa).',
} as const;

const PARIS_TIME_ZONE = 'Europe/Paris';

// Every date this portal handles (births, care, contracts) falls in this range; a year outside
// it is a typo such as « 0198 » rather than a real date.
const MIN_YEAR = 1900;
const MAX_YEAR = 2100;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function toIso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function isRealDate(year: number, month: number, day: number): boolean {
  return year >= MIN_YEAR && year <= MAX_YEAR && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

interface DateParts {
  year: number;
  month: number;
  day: number;
}

function splitIso(iso: string): DateParts | null {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(iso);
  if (!match) return null;
  const parts = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return isRealDate(parts.year, parts.month, parts.day) ? parts : null;
}

function requireIso(iso: string): DateParts {
  const parts = splitIso(iso);
  if (!parts) throw new RangeError(`Expected an ISO date YYYY-MM-DD, got ${JSON.stringify(iso)}`);
  return parts;
}

export function isIsoDate(value: string): boolean {
  return splitIso(value) !== null;
}

/**
 * Reads « jj/mm/aaaa » (also « j/m/aaaa », « jj.mm.aaaa », « jj-mm-aaaa ») and the ISO
 * « aaaa-mm-jj » that <input type="date"> submits. Returns the ISO date, or null for
 * impossible dates such as 31/02 or 29/02 of a non-leap year. Two-digit years are refused:
 * « 01/02/24 » could be a birth in 1924.
 */
export function parseFrenchDate(input: string): string | null {
  const value = input.trim();
  const iso = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
  const french = /^([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})$/.exec(value);
  let parts: DateParts;
  if (iso) parts = { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
  else if (french) parts = { year: Number(french[4]), month: Number(french[3]), day: Number(french[1]) };
  else return null;
  return isRealDate(parts.year, parts.month, parts.day) ? toIso(parts.year, parts.month, parts.day) : null;
}

export function validateFrenchDate(input: string): DateResult {
  if (input.trim().length === 0) return { ok: false, error: DATE_MESSAGES.required };
  const iso = parseFrenchDate(input);
  return iso === null ? { ok: false, error: DATE_MESSAGES.invalid } : { ok: true, iso };
}

/**
 * « 2024-02-29 » → « 29/02/2024 ». Accepts a datetime and keeps its date part as written.
 * Invalid values come back unchanged so a data problem shows on the page instead of crashing it.
 */
export function formatDateFr(iso: string): string {
  const parts = splitIso(iso.slice(0, 10));
  if (!parts) return iso;
  return `${String(parts.day).padStart(2, '0')}/${String(parts.month).padStart(2, '0')}/${String(parts.year).padStart(4, '0')}`;
}

/**
 * An instant as a string or Date. SQLite's CURRENT_TIMESTAMP (« 2024-03-01 09:30:00 ») is UTC
 * but has no zone designator, and JS would read it as local time: such strings are taken as UTC.
 */
function toInstant(value: string | Date): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  const trimmed = value.trim();
  const withoutZone = /^([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)$/.exec(trimmed);
  const date = new Date(withoutZone ? `${withoutZone[1]}T${withoutZone[2]}Z` : trimmed);
  return Number.isNaN(date.getTime()) ? null : date;
}

const parisDateTimeFormat = new Intl.DateTimeFormat('fr-FR', {
  timeZone: PARIS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The last minute formatted: formatToParts costs ~20 µs, and most calls ask for « now ». */
let lastParts: { minute: number; parts: Readonly<Record<string, string>> } | null = null;

/** The Paris day and time of an instant, to the minute (the format has no seconds). */
function parisParts(instant: Date): Readonly<Record<string, string>> {
  const minute = Math.floor(instant.getTime() / 60_000);
  if (lastParts?.minute === minute) return lastParts.parts;
  const parts: Record<string, string> = {};
  for (const part of parisDateTimeFormat.formatToParts(instant)) parts[part.type] = part.value;
  lastParts = { minute, parts };
  return parts;
}

/** « 01/03/2024 à 10:30 » in Paris time, whatever the server's timezone. */
export function formatDateTimeFr(value: string | Date): string {
  const instant = toInstant(value);
  if (!instant) return typeof value === 'string' ? value : '';
  const p = parisParts(instant);
  return `${p.day}/${p.month}/${p.year} à ${p.hour}:${p.minute}`;
}

/** « 01/03/2024 »: the Paris calendar day of an instant (an expiry at 23:30 UTC is the next day in Paris). */
export function formatParisDayFr(value: string | Date): string {
  const instant = toInstant(value);
  if (!instant) return typeof value === 'string' ? value : '';
  const p = parisParts(instant);
  return `${p.day}/${p.month}/${p.year}`;
}

const systemClock: Clock = () => new Date();

/** Today's date in Paris: at 23:30 UTC it is already tomorrow for our members. */
export function isoToday(clock: Clock = systemClock): string {
  const p = parisParts(clock());
  return `${p.year}-${p.month}-${p.day}`;
}

/**
 * Adds calendar months, clamping to the end of the month: 31/01 + 1 month → 29/02 (leap) or
 * 28/02, as contract anniversaries and the 12-month portabilité are counted.
 */
export function addMonths(iso: string, months: number): string {
  if (!Number.isInteger(months)) throw new RangeError('addMonths expects a whole number of months');
  const { year, month, day } = requireIso(iso);
  const index = year * 12 + (month - 1) + months;
  const newYear = Math.floor(index / 12);
  const newMonth = index - newYear * 12 + 1;
  return toIso(newYear, newMonth, Math.min(day, daysInMonth(newYear, newMonth)));
}

/** Adds calendar days; UTC arithmetic has no daylight-saving jumps. */
export function addDays(iso: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError('addDays expects a whole number of days');
  const { year, month, day } = requireIso(iso);
  const shifted = new Date(Date.UTC(year, month - 1, day + days));
  return toIso(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

/** Age in whole years on a given date; someone born on 29/02 turns a year older on 01/03 in common years. */
export function ageOn(birthIso: string, onIso: string): number {
  const birth = requireIso(birthIso);
  const on = requireIso(onIso);
  let age = on.year - birth.year;
  if (on.month < birth.month || (on.month === birth.month && on.day < birth.day)) age -= 1;
  return age;
}

const parisOffsetFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: PARIS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The UTC instant at which a calendar day starts in Paris (« 2026-07-01 » → 2026-06-30T22:00Z). */
export function parisDayStartUtc(isoDay: string): string {
  const utcMidnight = Date.parse(`${isoDay}T00:00:00.000Z`);
  const p: Record<string, number> = {};
  for (const part of parisOffsetFormat.formatToParts(new Date(utcMidnight))) p[part.type] = Number(part.value);
  // Paris clocks change at 01:00 UTC, never between Paris midnight and UTC midnight, so the
  // offset read at UTC midnight is the one at Paris midnight.
  const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - utcMidnight;
  return new Date(utcMidnight - offset).toISOString();
}

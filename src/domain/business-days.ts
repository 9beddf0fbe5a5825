// Business days (« jours ouvrés ») for the service levels of member and company requests: the
// expected answer date of a request is its start day plus the service level of its object, in
// business days, weekends and French public holidays not counted (« Mes demandes »).
//
// Days are ISO strings « YYYY-MM-DD » as everywhere (src/domain/dates.ts). Inside this module they
// become day numbers (days since 1970-01-01, UTC) so a weekday is a modulo and a holiday a set
// lookup: the staff inbox computes the expected date of every row it lists.
//
// The public holidays (« jours fériés ») are those of the Code du travail, art. L3133-1: 1er janvier,
// lundi de Pâques, 1er mai, 8 mai, Ascension, lundi de Pentecôte, 14 juillet, 15 août, Toussaint,
// 11 novembre, 25 décembre. The lundi de Pentecôte is kept although many employers make it the
// « journée de solidarité »: insurers' offices are closed on it as on any public holiday. Alsace-
// Moselle (Bas-Rhin, Haut-Rhin, Moselle) adds Vendredi saint and 26 décembre (art. L3134-13): an
// option, off by default, for a brand whose back office works under local law.
import { isIsoDate } from './dates.js';

export interface HolidayOptions {
  /** Adds Vendredi saint and the 26 décembre (Saint-Étienne), public holidays in Alsace-Moselle. */
  alsaceMoselle?: boolean;
}

export interface PublicHoliday {
  day: string;
  name: string;
}

const MS_PER_DAY = 86_400_000;

function dayNumber(iso: string): number {
  if (!isIsoDate(iso)) throw new RangeError(`Expected an ISO date YYYY-MM-DD, got ${JSON.stringify(iso)}`);
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / MS_PER_DAY;
}

function isoOf(dayNum: number): string {
  return new Date(dayNum * MS_PER_DAY).toISOString().slice(0, 10);
}

function utcDayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** 0 = Sunday … 6 = Saturday, as Date.getUTCDay; 1970-01-01 was a Thursday. */
function weekday(dayNum: number): number {
  return (((dayNum + 4) % 7) + 7) % 7;
}

/**
 * Easter Sunday of the Gregorian calendar (the anonymous algorithm published by Meeus, « Jones–
 * Butcher »): 2026 → 5 April, 2027 → 28 March.
 */
export function easterSunday(year: number): string {
  if (!Number.isInteger(year) || year < 1583) throw new RangeError(`easterSunday expects a Gregorian year, got ${String(year)}`);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoOf(utcDayNumber(year, month, day));
}

/** The public holidays of a year, in calendar order, with their French names. */
export function frenchPublicHolidays(year: number, options: HolidayOptions = {}): PublicHoliday[] {
  const easter = dayNumber(easterSunday(year));
  const fixed = (month: number, day: number) => utcDayNumber(year, month, day);
  const holidays: [number, string][] = [
    [fixed(1, 1), "Jour de l'an"],
    [easter + 1, 'Lundi de Pâques'],
    [fixed(5, 1), 'Fête du Travail'],
    [fixed(5, 8), 'Victoire 1945'],
    [easter + 39, 'Ascension'],
    [easter + 50, 'Lundi de Pentecôte'],
    [fixed(7, 14), 'Fête nationale'],
    [fixed(8, 15), 'Assomption'],
    [fixed(11, 1), 'Toussaint'],
    [fixed(11, 11), 'Armistice 1918'],
    [fixed(12, 25), 'Noël'],
  ];
  if (options.alsaceMoselle) holidays.push([easter - 2, 'Vendredi saint'], [fixed(12, 26), 'Saint-Étienne']);
  // Ascension and 1er or 8 mai fall on the same day in some years (2008: 1er mai): one entry each
  // is kept, as a calendar would show both names; counting uses the set below, so no double count.
  return holidays.sort((x, y) => x[0] - y[0]).map(([num, name]) => ({ day: isoOf(num), name }));
}

/** Holiday day numbers per year and option, computed once: the inbox asks for the same years again and again. */
const holidaySets = new Map<string, ReadonlySet<number>>();

function holidaySet(year: number, options: HolidayOptions): ReadonlySet<number> {
  const key = `${year}:${options.alsaceMoselle ? 'am' : 'fr'}`;
  let set = holidaySets.get(key);
  if (!set) {
    set = new Set(frenchPublicHolidays(year, options).map((h) => dayNumber(h.day)));
    holidaySets.set(key, set);
  }
  return set;
}

function isBusinessDayNumber(dayNum: number, options: HolidayOptions): boolean {
  const wd = weekday(dayNum);
  if (wd === 0 || wd === 6) return false;
  const year = new Date(dayNum * MS_PER_DAY).getUTCFullYear();
  return !holidaySet(year, options).has(dayNum);
}

export function isPublicHoliday(day: string, options: HolidayOptions = {}): boolean {
  const num = dayNumber(day);
  return holidaySet(Number(day.slice(0, 4)), options).has(num);
}

/** Monday to Friday and not a public holiday. */
export function isBusinessDay(day: string, options: HolidayOptions = {}): boolean {
  return isBusinessDayNumber(dayNumber(day), options);
}

/**
 * The day `n` business days after `day` (before it when n < 0); `day` itself is not counted, so a
 * request received on Friday with a service level of 1 business day is due on Monday — and one
 * received on Saturday is due on Monday too. n = 0 gives `day` back unchanged.
 */
export function addBusinessDays(day: string, n: number, options: HolidayOptions = {}): string {
  if (!Number.isInteger(n)) throw new RangeError('addBusinessDays expects a whole number of days');
  let num = dayNumber(day);
  const step = n < 0 ? -1 : 1;
  for (let left = Math.abs(n); left > 0; ) {
    num += step;
    if (isBusinessDayNumber(num, options)) left -= 1;
  }
  return isoOf(num);
}

/**
 * The business days after `a` up to and including `b` (negative when b is before a), so that
 * businessDaysBetween(a, addBusinessDays(a, n)) === n. From a Friday to the next Monday: 1.
 */
export function businessDaysBetween(a: string, b: string, options: HolidayOptions = {}): number {
  const from = dayNumber(a);
  const to = dayNumber(b);
  if (to < from) return -businessDaysBetween(b, a, options);
  let count = 0;
  for (let num = from + 1; num <= to; num += 1) if (isBusinessDayNumber(num, options)) count += 1;
  return count;
}

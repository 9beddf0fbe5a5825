// Small helpers of the demo seed: padding, slugs, apportioning, addresses, phones, dates.
import crypto from 'node:crypto';
import type { Brand } from '../../../src/brand.js';
import { parsePhone } from '../../../src/domain/phone.js';
import type * as docs from '../documents.js';
import { STREET_NAMES, STREET_TYPES, TOWNS, type Town } from '../french-data.js';
import { isoAt, isoDay, type Random } from '../random.js';
import type { Ctx } from './context.js';

const DAY_SECONDS = 86_400;

export function pad(value: number, length: number): string {
  return String(value).padStart(length, '0');
}

export function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function upperName(name: string): string {
  return name.toLocaleUpperCase('fr-FR');
}

/** Splits `total` into integers proportional to `weights` (largest remainder). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const result = exact.map(Math.floor);
  let missing = total - result.reduce((a, b) => a + b, 0);
  const order = exact.map((v, i) => [v - Math.floor(v), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; missing > 0; k = (k + 1) % order.length, missing--) result[order[k][1]] += 1;
  return result;
}

export function townOf(city: string, postalCode: string): Town {
  const town = TOWNS.find((t) => t.city === city && t.postalCode === postalCode);
  if (!town) throw new Error(`seed: unknown town ${city} ${postalCode}`);
  return town;
}

export const TOWN_CHOICES = TOWNS.map((t) => [t, t.weight] as const);
export const METRO_TOWN_CHOICES = TOWNS.filter((t) => t.department.length === 2).map((t) => [t, t.weight] as const);

export function streetAddress(rng: Random): string {
  const type = rng.weighted(STREET_TYPES);
  const number = rng.chance(0.08) ? `${rng.int(1, 60)} bis` : String(rng.int(1, 180));
  return `${number} ${type} ${rng.pick(STREET_NAMES)}`;
}

/** Landline in the fictional ranges ARCEP keeps for fiction, by region. */
export function landline(rng: Random, department: string): string {
  const idf = ['75', '77', '78', '91', '92', '93', '94', '95'];
  const west = ['14', '18', '22', '27', '28', '29', '35', '36', '37', '41', '44', '45', '49', '50', '53', '56', '61', '72', '76', '85'];
  const east = ['02', '08', '10', '21', '25', '39', '51', '52', '54', '55', '57', '58', '59', '60', '62', '67', '68', '70', '71', '80', '88', '89', '90'];
  const southEast = ['01', '03', '04', '05', '06', '07', '13', '15', '26', '30', '34', '38', '42', '43', '48', '63', '69', '73', '74', '83', '84', '2A', '2B'];
  const prefix = idf.includes(department)
    ? '+33199 00'
    : west.includes(department)
      ? '+33261 91'
      : east.includes(department)
        ? '+33353 01'
        : southEast.includes(department)
          ? '+33465 71'
          : '+33536 49';
  return prefix.replace(' ', '') + rng.digits(4);
}

/**
 * A mobile in the range ARCEP keeps for fiction, 06 39 98 xx xx, stored in E.164 as the phone
 * module writes it (0639 numbers belong to Mayotte's plan, so it is +262 639 98 xx xx).
 */
export function demoMobile(rng: Random): string {
  const e164 = parsePhone(`063998${rng.digits(4)}`);
  if (e164 === null) throw new Error('seed: the fictional mobile range no longer parses');
  return e164;
}

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

export function yearsBetween(birthDay: number, day: number): number {
  const birth = isoDay(birthDay);
  const on = isoDay(day);
  let age = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  if (on.slice(5) < birth.slice(5)) age -= 1;
  return age;
}

export function addMonthsDay(day: number, months: number): number {
  const d = new Date(day * 86_400_000);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return Math.floor(target.getTime() / 86_400_000);
}

/** Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (day + 3) % 7;
}

/**
 * `seconds` into `day` (drawn below `span`), never after the seeding moment: on the seed's own
 * day the span is squeezed into the part of the day already gone, keeping the order of the day's
 * events. The draw is the same whatever the hour, so the rest of the data does not change with it.
 */
export function pastMoment(ctx: Ctx, day: number, seconds: number, span: number): string {
  const elapsed = Math.floor((ctx.nowMs - day * DAY_SECONDS * 1000) / 1000);
  return isoAt(day, elapsed >= span ? seconds : Math.floor((seconds * Math.max(0, elapsed)) / span));
}

/** A moment of `day` between fromHour and toHour (UTC), never after the seeding moment (see pastMoment). */
export function atTime(ctx: Ctx, day: number, fromHour = 7, toHour = 20): string {
  return pastMoment(ctx, day, ctx.rng.int(fromHour * 3600, toHour * 3600 - 1), toHour * 3600);
}

export function brandFromConfig(brand: Brand): docs.DocumentBrand {
  return {
    name: brand.name,
    networkName: brand.networkName,
    amcNumber: brand.amcNumber,
    agreement: brand.agreement,
    helpPhone: brand.help.phone,
    helpHours: brand.help.hours,
    helpHoursEntreprise: brand.help.hoursEntreprise,
    address: brand.legal.address,
  };
}

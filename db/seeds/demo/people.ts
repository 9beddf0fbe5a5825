// People of the demo data set: NIR, birth places, first names, e-mails, télétransmission, funds.
import { nirKey } from '../../../src/domain/nir.js';
import { BIRTH_COUNTRIES, FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, LAST_NAMES, cpamFundFor } from '../french-data.js';
import type { Random } from '../random.js';
import type { Ctx, Sex, TeleStatus } from './context.js';
import { DOMAIN } from './facts.js';
import { TOWN_CHOICES, pad, slug, upperName } from './helpers.js';

export interface PersonInput {
  sex: Sex;
  firstName: string;
  lastName: string;
  birthName?: string | null;
  birthDate: string;
  /** INSEE code of the birth commune, or 99 + country code. */
  birthPlace: string;
  nirOrder?: number;
  email?: string | null;
  mobile?: string | null;
  tele?: TeleStatus;
  /** Children: no NIR of their own known yet. */
  noNir?: boolean;
  /**
   * Télétransmission active for long, but no care — hence no décompte — in the last 160 days while
   * the family has some: the case « Situation NOEMIE » warns about (src/domain/noemie-check.ts).
   */
  noemieSilent?: boolean;
}

export function makeNir(ctx: Ctx, sex: Sex, birthDate: string, place: string, order?: number): string {
  const head = `${sex === 'M' ? '1' : '2'}${birthDate.slice(2, 4)}${birthDate.slice(5, 7)}${place}`;
  let nir13 = '';
  for (let attempt = 0; attempt < 50; attempt++) {
    nir13 = head + pad(order !== undefined && attempt === 0 ? order : ctx.rng.int(1, 999), 3);
    if (!ctx.nirs.has(nir13)) break;
  }
  ctx.nirs.add(nir13);
  return nir13 + pad(nirKey(nir13), 2);
}

export function birthPlace(rng: Random): string {
  if (rng.chance(0.09)) return rng.weighted(BIRTH_COUNTRIES);
  return rng.weighted(TOWN_CHOICES).insee;
}

export function firstNameFor(rng: Random, sex: Sex): string {
  return sex === 'M' ? rng.pick(FIRST_NAMES_MALE) : rng.pick(FIRST_NAMES_FEMALE);
}

export function uniqueEmail(ctx: Ctx, firstName: string, lastName: string): string {
  const base = `${slug(firstName)}.${slug(lastName)}`;
  let email = `${base}@${DOMAIN}`;
  for (let n = 2; ctx.emails.has(email); n++) email = `${base}${n}@${DOMAIN}`;
  ctx.emails.add(email);
  return email;
}

export function teleStatus(rng: Random, relationship: 'assure' | 'conjoint' | 'enfant'): TeleStatus {
  if (relationship === 'conjoint') {
    return rng.weighted([
      ['active', 62],
      ['inactive', 10],
      ['activation_requested', 5],
      ['deactivation_requested', 3],
      ['blocked', 20],
    ] as const);
  }
  return rng.weighted([
    ['active', 78],
    ['inactive', 8],
    ['activation_requested', 5],
    ['deactivation_requested', 2],
    ['blocked', 7],
  ] as const);
}

export function fundCode(rng: Random, department: string): string {
  const scheme = rng.chance(0.05) ? '02' : '01';
  return scheme + cpamFundFor(department) + rng.digits(4);
}

export function doctorName(rng: Random): string {
  const sex: Sex = rng.chance(0.5) ? 'F' : 'M';
  return `Dr ${firstNameFor(rng, sex)} ${upperName(rng.pick(LAST_NAMES))}`;
}

export function personName(rng: Random): string {
  const sex: Sex = rng.chance(0.6) ? 'F' : 'M';
  return `${firstNameFor(rng, sex)} ${upperName(rng.pick(LAST_NAMES))}`;
}

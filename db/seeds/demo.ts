// Deterministic demo data for the fictional insurer of brand/demo.json, with a size knob.
//
// scale 1 ≈ 300 members (families, 24 months of décomptes ≈ 6 000 lines), 4 companies with 13
// establishments, 600 health professionals, documents pratiques as real PDF files, affiliation
// requests in every status and the demo accounts listed in DEMO_FACTS.
// scale 334 ≈ 100 000 members and ≈ 2 000 000 décompte lines, spread over ~85 more companies, with
// `rh.admin@demo.example` administrator of companies totalling more than 50 000 employees and
// `bench.member@demo.example` holding ~500 lines, for the benchmarks.
//
// Rows are generated in memory by chunks of members and written with multi-row INSERTs, one
// transaction per chunk (see bulk.ts). Ids are assigned here, so children rows can point to their
// parents without reading anything back; PostgreSQL sequences are moved past them at the end.
import crypto from 'node:crypto';
import path from 'node:path';
import { loadBrand, type Brand } from '../../src/brand.js';
import { isPostgres, readMeta, refreshPlannerStatistics, writeMeta, type Db } from '../../src/db.js';
import { syncReferenceSequences } from '../../src/correspondence/queries.js';
import type { StoredForm } from '../../src/domain/affiliation-form.js';
import { makeFrenchIban } from '../../src/domain/iban.js';
import { nirKey } from '../../src/domain/nir.js';
import { parsePhone } from '../../src/domain/phone.js';
import { hashPassword } from '../../src/domain/passwords.js';
import { generateSiren, generateSiret } from '../../src/domain/siret.js';
import { BRAND_DIR } from '../../src/paths.js';
import { bulkInsert, resetSequences, type Row } from './bulk.js';
import * as docs from './documents.js';
import {
  ADDRESS_COMPLEMENTS,
  AUDIO_NAMES,
  BANKS,
  BIRTH_COUNTRIES,
  CARE_TYPES,
  CLINIC_NAMES,
  COMPANY_CORES,
  COMPANY_PREFIXES,
  COMPANY_SUFFIXES,
  DENTAL_CENTRE_NAMES,
  END_REASONS,
  FIRST_NAMES_FEMALE,
  FIRST_NAMES_MALE,
  GUARANTEE_TEMPLATES,
  LAB_NAMES,
  LAST_NAMES,
  LEGAL_FORMS,
  LEVEL_NAMES,
  OPTICIAN_NAMES,
  PHARMACY_NAMES,
  PORTABILITY_REASONS,
  RADIOLOGY_NAMES,
  SPECIALTIES,
  STREET_NAMES,
  STREET_TYPES,
  TOWNS,
  coverageAt,
  cpamFundFor,
  type CareType,
  type Level,
  type Town,
} from './french-data.js';
import { Random, dayNumber, isoAt, isoDay } from './random.js';

// ---------------------------------------------------------------------------- public facts

export const DEMO_PASSWORD = 'Tilleul-Demo-2026!';
const DOMAIN = 'demo.example';

const SIREN_VERDIER = generateSiren('81452367');
const SIREN_HORIZON = generateSiren('79231845');
const SIREN_MARCEAU = generateSiren('83367120');
const SIREN_PONANT = generateSiren('80914562');

/**
 * What the README, the tests and the benchmarks may rely on. Every demo password is DEMO_PASSWORD;
 * every demo mobile is in the range ARCEP keeps for fiction (06 39 98 xx xx).
 */
export const DEMO_FACTS = {
  password: DEMO_PASSWORD,
  /** Fictional range (ARCEP); E.164 is +262 639 98 xx xx because 0639 numbers belong to Mayotte's plan. */
  mobileRange: '06 39 98 xx xx',
  /** Member with an active account, a spouse and two children. */
  member: {
    email: 'marie.lefebvre@demo.example',
    memberNumber: '100000001',
    firstName: 'Marie',
    lastName: 'Lefebvre',
    birthDate: '1986-04-17',
    mobile: '+262639980142',
    mobileDisplay: '06 39 98 01 42',
    companyName: 'Cabinet Verdier Immobilier',
  },
  /** Member without an account but with an email and a mobile on file: try « Activer mon espace ». */
  memberWithoutAccount: {
    email: 'julien.moreau@demo.example',
    memberNumber: '100000002',
    firstName: 'Julien',
    lastName: 'Moreau',
    birthDate: '1992-11-05',
    mobile: '+262639980278',
    mobileDisplay: '06 39 98 02 78',
  },
  /** Member with ~500 décompte lines, for the benchmarks. */
  benchMember: { email: 'bench.member@demo.example', memberNumber: '100000003', lines: 500 },
  /** Member created by the validation of an online affiliation (no account yet). */
  affiliatedOnline: { memberNumber: '100000004', firstName: 'Camille', lastName: 'Roux' },
  hrAdmin: { email: 'rh.admin@demo.example', firstName: 'Eugénie', lastName: 'Marchand', companies: ['Cabinet Verdier Immobilier', 'Syndic Horizon Gestion'] },
  hrUser: { email: 'rh.utilisateur@demo.example', firstName: 'Hugo', lastName: 'Lambert', company: 'Cabinet Verdier Immobilier' },
  /** Administrator of another company: rh.admin must never see its employees. */
  otherHrAdmin: { email: 'rh.ponant@demo.example', company: 'Immobilière du Ponant' },
  staff: { email: 'gestion@demo.example', staffRole: 'gestionnaire' },
  /** A company with no HR account yet: try the HR activation with these identifiers. */
  companyWithoutHr: {
    name: 'Administration de Biens Marceau',
    siren: SIREN_MARCEAU,
    siret: generateSiret(SIREN_MARCEAU, '0001'),
    insurerCompanyNumber: '40318426',
    establishmentName: 'Marceau Bordeaux Chartrons',
  },
  /** The four companies present at every scale (head-office SIRET = NIC 0001). */
  companies: {
    verdier: { name: 'Cabinet Verdier Immobilier', siren: SIREN_VERDIER, siret: generateSiret(SIREN_VERDIER, '0001'), insurerCompanyNumber: '40125873', admins: ['rh.admin@demo.example'] },
    horizon: { name: 'Syndic Horizon Gestion', siren: SIREN_HORIZON, siret: generateSiret(SIREN_HORIZON, '0001'), insurerCompanyNumber: '40236915', admins: ['rh.admin@demo.example'] },
    marceau: { name: 'Administration de Biens Marceau', siren: SIREN_MARCEAU, siret: generateSiret(SIREN_MARCEAU, '0001'), insurerCompanyNumber: '40318426', admins: [] },
    ponant: { name: 'Immobilière du Ponant', siren: SIREN_PONANT, siret: generateSiret(SIREN_PONANT, '0001'), insurerCompanyNumber: '40457209', admins: ['rh.ponant@demo.example'] },
  },
  /** An establishment of rh.utilisateur's company that is not in their « périmètre suivi » yet. */
  perimeterAddition: { siret: generateSiret(SIREN_VERDIER, '0003'), insurerCode: 'VER1003', name: 'Cabinet Verdier Immobilier — Annecy' },
  /** Two establishments of Syndic Horizon Gestion that rh.admin does not follow yet: try « Ajouter plusieurs établissements (fichier) ». */
  newEstablishments: [
    { siret: generateSiret(SIREN_HORIZON, '0004'), insurerCode: 'HOR2004', name: 'Syndic Horizon Gestion — Nanterre' },
    { siret: generateSiret(SIREN_HORIZON, '0005'), insurerCode: 'HOR2005', name: 'Syndic Horizon Gestion — Saint-Germain-en-Laye' },
  ],
  /** Online affiliation links (/affiliation/<token>): the identity check asks for the birth date. */
  affiliationSent: { token: 'demo-affiliation-envoye-Tq7Vw2Lx9Pz4Kc8Rm3Hs', firstName: 'Lucas', lastName: 'Bernard', birthDate: '1998-03-14' },
  affiliationStarted: { token: 'demo-affiliation-demarre-Nf5Gy8Qb2Wd6Jt1Xe7Ua', firstName: 'Inès', lastName: 'Haddad', birthDate: '1995-07-22' },
} as const;

// ---------------------------------------------------------------------------- options

export interface SeedOptions {
  /** 1 ≈ 300 members; 334 ≈ 100 000 members and 2 000 000 décompte lines. */
  scale?: number;
  seed?: number;
  now?: Date;
  /** Where files go (documents pratiques, attachments); without it no file nor file row is created. */
  uploadDir?: string;
  brand?: Brand;
  log?: (line: string) => void;
}

export interface SeedSummary {
  counts: Record<string, number>;
  elapsedMs: number;
}

/** Insert order = dependency order of the schema. */
const SEED_ORDER = [
  'companies',
  'establishments',
  'contracts',
  'guarantee_lines',
  'members',
  'affiliations',
  'beneficiaries',
  'accounts',
  'teletransmission_events',
  'hr_habilitations',
  'hr_perimeter',
  'statements',
  'statement_lines',
  'requests',
  'request_attachments',
  'message_threads',
  'messages',
  'message_attachments',
  'practical_documents',
  'health_professionals',
  'affiliation_requests',
  'affiliation_request_events',
  'affiliation_request_documents',
  'notifications',
] as const;
type SeedTable = (typeof SEED_ORDER)[number];

const COUNTED_TABLES: readonly SeedTable[] = [
  'companies',
  'establishments',
  'contracts',
  'guarantee_lines',
  'members',
  'affiliations',
  'beneficiaries',
  'accounts',
  'teletransmission_events',
  'hr_habilitations',
  'hr_perimeter',
  'statements',
  'statement_lines',
  'requests',
  'message_threads',
  'messages',
  'practical_documents',
  'health_professionals',
  'affiliation_requests',
];

// Chunks of members generated then written together (one transaction each).
const MEMBERS_PER_CHUNK = 4000;
// Tuned so that the average family has ≈ 20 décompte lines over 24 months.
const LINES_FACTOR = 1.28;
const DAY_SECONDS = 86_400;

type Sex = 'M' | 'F';
type College = 'cadre' | 'non_cadre';
type TeleStatus = 'inactive' | 'activation_requested' | 'active' | 'deactivation_requested' | 'blocked';

// ---------------------------------------------------------------------------- plan types

interface EstablishmentPlan {
  id: number;
  companyId: number;
  siret: string;
  name: string;
  code: string;
  addressLine: string;
  town: Town;
  quota: number;
}

interface CompanyPlan {
  id: number;
  key: string;
  name: string;
  siren: string;
  number: string;
  addressLine: string;
  town: Town;
  createdDay: number;
  contractStart: string;
  levels: Record<College, Level>;
  contractIds: Record<College, number>;
  establishments: EstablishmentPlan[];
  /** Who administers it among the demo HR accounts. */
  admin: 'rh.admin' | 'rh.ponant' | null;
}

class Chunk {
  private readonly tables = new Map<SeedTable, Row[]>();

  add(table: SeedTable, row: Row) {
    let rows = this.tables.get(table);
    if (!rows) {
      rows = [];
      this.tables.set(table, rows);
    }
    rows.push(row);
  }

  size(table: SeedTable): number {
    return this.tables.get(table)?.length ?? 0;
  }

  rows(table: SeedTable): Row[] | undefined {
    return this.tables.get(table);
  }

  async flush(db: Db): Promise<void> {
    await bulkInsert(
      db,
      SEED_ORDER.filter((t) => this.tables.has(t)).map((t) => [t, this.tables.get(t)!] as const),
    );
    this.tables.clear();
  }
}

interface Ctx {
  db: Db;
  rng: Random;
  today: number;
  nowIso: string;
  /** The seeding moment: no seeded date-time is after it. */
  nowMs: number;
  uploadDir: string | null;
  brand: docs.DocumentBrand;
  demoHash: string;
  ids: Record<SeedTable, number>;
  nirs: Set<string>;
  emails: Set<string>;
  statementSeq: number;
  requestSeq: number;
  staffAccountId: number;
  /** Ended members per company, to prefill « déjà affilié » requests. */
  endedMembers: Map<number, number[]>;
  fileCount: number;
  log: (line: string) => void;
  started: number;
}

function nextId(ctx: Ctx, table: SeedTable): number {
  ctx.ids[table] += 1;
  return ctx.ids[table];
}

// ---------------------------------------------------------------------------- small helpers

function pad(value: number, length: number): string {
  return String(value).padStart(length, '0');
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function upperName(name: string): string {
  return name.toLocaleUpperCase('fr-FR');
}

/** Splits `total` into integers proportional to `weights` (largest remainder). */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const result = exact.map(Math.floor);
  let missing = total - result.reduce((a, b) => a + b, 0);
  const order = exact.map((v, i) => [v - Math.floor(v), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; missing > 0; k = (k + 1) % order.length, missing--) result[order[k][1]] += 1;
  return result;
}

function townOf(city: string, postalCode: string): Town {
  const town = TOWNS.find((t) => t.city === city && t.postalCode === postalCode);
  if (!town) throw new Error(`seed: unknown town ${city} ${postalCode}`);
  return town;
}

const TOWN_CHOICES = TOWNS.map((t) => [t, t.weight] as const);
const METRO_TOWN_CHOICES = TOWNS.filter((t) => t.department.length === 2).map((t) => [t, t.weight] as const);

function streetAddress(rng: Random): string {
  const type = rng.weighted(STREET_TYPES);
  const number = rng.chance(0.08) ? `${rng.int(1, 60)} bis` : String(rng.int(1, 180));
  return `${number} ${type} ${rng.pick(STREET_NAMES)}`;
}

/** Landline in the fictional ranges ARCEP keeps for fiction, by region. */
function landline(rng: Random, department: string): string {
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
function demoMobile(rng: Random): string {
  const e164 = parsePhone(`063998${rng.digits(4)}`);
  if (e164 === null) throw new Error('seed: the fictional mobile range no longer parses');
  return e164;
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

function yearsBetween(birthDay: number, day: number): number {
  const birth = isoDay(birthDay);
  const on = isoDay(day);
  let age = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  if (on.slice(5) < birth.slice(5)) age -= 1;
  return age;
}

function addMonthsDay(day: number, months: number): number {
  const d = new Date(day * 86_400_000);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return Math.floor(target.getTime() / 86_400_000);
}

/** Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday). */
function weekday(day: number): number {
  return (day + 3) % 7;
}

/**
 * `seconds` into `day` (drawn below `span`), never after the seeding moment: on the seed's own
 * day the span is squeezed into the part of the day already gone, keeping the order of the day's
 * events. The draw is the same whatever the hour, so the rest of the data does not change with it.
 */
function pastMoment(ctx: Ctx, day: number, seconds: number, span: number): string {
  const elapsed = Math.floor((ctx.nowMs - day * DAY_SECONDS * 1000) / 1000);
  return isoAt(day, elapsed >= span ? seconds : Math.floor((seconds * Math.max(0, elapsed)) / span));
}

/** A moment of `day` between fromHour and toHour (UTC), never after the seeding moment (see pastMoment). */
function atTime(ctx: Ctx, day: number, fromHour = 7, toHour = 20): string {
  return pastMoment(ctx, day, ctx.rng.int(fromHour * 3600, toHour * 3600 - 1), toHour * 3600);
}

function brandFromConfig(brand: Brand): docs.DocumentBrand {
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

// ---------------------------------------------------------------------------- people

interface PersonInput {
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
}

function makeNir(ctx: Ctx, sex: Sex, birthDate: string, place: string, order?: number): string {
  const head = `${sex === 'M' ? '1' : '2'}${birthDate.slice(2, 4)}${birthDate.slice(5, 7)}${place}`;
  let nir13 = '';
  for (let attempt = 0; attempt < 50; attempt++) {
    nir13 = head + pad(order !== undefined && attempt === 0 ? order : ctx.rng.int(1, 999), 3);
    if (!ctx.nirs.has(nir13)) break;
  }
  ctx.nirs.add(nir13);
  return nir13 + pad(nirKey(nir13), 2);
}

function birthPlace(rng: Random): string {
  if (rng.chance(0.09)) return rng.weighted(BIRTH_COUNTRIES);
  return rng.weighted(TOWN_CHOICES).insee;
}

function firstNameFor(rng: Random, sex: Sex): string {
  return sex === 'M' ? rng.pick(FIRST_NAMES_MALE) : rng.pick(FIRST_NAMES_FEMALE);
}

function uniqueEmail(ctx: Ctx, firstName: string, lastName: string): string {
  const base = `${slug(firstName)}.${slug(lastName)}`;
  let email = `${base}@${DOMAIN}`;
  for (let n = 2; ctx.emails.has(email); n++) email = `${base}${n}@${DOMAIN}`;
  ctx.emails.add(email);
  return email;
}

function teleStatus(rng: Random, relationship: 'assure' | 'conjoint' | 'enfant'): TeleStatus {
  if (relationship === 'conjoint') {
    return rng.weighted([['active', 62], ['inactive', 10], ['activation_requested', 5], ['deactivation_requested', 3], ['blocked', 20]] as const);
  }
  return rng.weighted([['active', 78], ['inactive', 8], ['activation_requested', 5], ['deactivation_requested', 2], ['blocked', 7]] as const);
}

function fundCode(rng: Random, department: string): string {
  const scheme = rng.chance(0.05) ? '02' : '01';
  return scheme + cpamFundFor(department) + rng.digits(4);
}

// ---------------------------------------------------------------------------- care lines

interface Priced {
  quantity: number;
  fraisReels: number;
  br: number;
  rate: number;
  ss: number;
  complementary: number;
  deductions: number;
  resteACharge: number;
}

/** One décompte line's amounts; frais réels = SS + complémentaire + reste à charge by construction. */
export function priceCare(rng: Random, care: CareType, level: Level): Priced {
  const quantity = care.quantity[0] === care.quantity[1] ? care.quantity[0] : rng.int(care.quantity[0], care.quantity[1]);
  const rate = typeof care.rate === 'number' ? care.rate : rng.weighted(care.rate);
  const unitBr = care.br[0] === care.br[1] ? care.br[0] : Math.round(rng.int(care.br[0], care.br[1]) / 10) * 10;
  const br = unitBr * quantity;
  let fraisReels: number;
  if (care.fraisReels) {
    const unit = care.fraisReels[0] === care.fraisReels[1] ? care.fraisReels[0] : Math.round(rng.int(care.fraisReels[0], care.fraisReels[1]) / 100) * 100;
    fraisReels = unit * quantity;
  } else {
    fraisReels = br;
    if (care.overrun.probability > 0 && rng.chance(care.overrun.probability)) {
      fraisReels = Math.max(br, Math.round((br * rng.float(care.overrun.factor[0], care.overrun.factor[1])) / 50) * 50);
    }
  }
  const ssBeforeDeductions = Math.round((br * rate) / 100);
  let deductions = 0;
  if (care.deduction.kind === 'participation') deductions = Math.min(care.deduction.cents, ssBeforeDeductions);
  else if (care.deduction.kind === 'franchise') deductions = Math.min(care.deduction.centsPerUnit * quantity, ssBeforeDeductions);
  const ss = ssBeforeDeductions - deductions;
  // The contract pays on what the SS left, never the withheld deductions (contrat responsable).
  const room = fraisReels - ssBeforeDeductions;
  let complementary: number;
  switch (care.complementary.kind) {
    case 'br_percent':
      complementary = Math.min(room, Math.max(0, Math.round((br * care.complementary.percent[level]) / 100) - ssBeforeDeductions));
      break;
    case 'flat':
      complementary = Math.min(room, care.complementary.cents[level] * quantity);
      break;
    case 'full':
      complementary = room;
      break;
  }
  // Hearing aids: at most 1 700 € per ear, Sécurité sociale included (contrat responsable).
  if (care.category === 'aides_auditives') complementary = Math.min(complementary, 170_000 * quantity - ssBeforeDeductions);
  complementary = Math.max(0, complementary);
  return { quantity, fraisReels, br, rate, ss, complementary, deductions, resteACharge: fraisReels - ss - complementary };
}

const careChoiceCache = new Map<string, (readonly [CareType, number])[]>();

function careChoices(age: number, sex: Sex): (readonly [CareType, number])[] {
  const key = `${age}|${sex}`;
  let choices = careChoiceCache.get(key);
  if (!choices) {
    choices = CARE_TYPES.filter((c) => (!c.ages || (age >= c.ages[0] && age <= c.ages[1])) && (!c.sex || c.sex === sex)).map(
      (c) => [c, c.weight * (age < 16 && c.code === 'consultation_generaliste' ? 1.4 : 1) * (age >= 60 && c.code === 'pharmacie' ? 1.5 : 1)] as const,
    );
    careChoiceCache.set(key, choices);
  }
  return choices;
}

function doctorName(rng: Random): string {
  const sex: Sex = rng.chance(0.5) ? 'F' : 'M';
  return `Dr ${firstNameFor(rng, sex)} ${upperName(rng.pick(LAST_NAMES))}`;
}

function personName(rng: Random): string {
  const sex: Sex = rng.chance(0.6) ? 'F' : 'M';
  return `${firstNameFor(rng, sex)} ${upperName(rng.pick(LAST_NAMES))}`;
}

interface FamilyProfessionals {
  gp: string;
  pharmacy: string;
  city: string;
}

function professionalFor(rng: Random, care: CareType, family: FamilyProfessionals): string {
  switch (care.specialty) {
    case 'medecin_generaliste':
      return rng.chance(0.8) ? family.gp : doctorName(rng);
    case 'pharmacie':
      return rng.chance(0.75) ? family.pharmacy : rng.pick(PHARMACY_NAMES);
    case 'opticien':
      return rng.pick(OPTICIAN_NAMES);
    case 'audioprothesiste':
      return rng.pick(AUDIO_NAMES);
    case 'laboratoire':
      return rng.pick(LAB_NAMES);
    case 'radiologie':
      return `${rng.pick(RADIOLOGY_NAMES)} de ${family.city}`;
    case 'etablissement_hospitalier':
      return rng.pick(CLINIC_NAMES);
    case 'masseur_kinesitherapeute':
    case 'infirmier':
    case 'sage_femme':
    case 'osteopathe':
    case 'psychologue':
      return personName(rng);
    default:
      return doctorName(rng);
  }
}

// ---------------------------------------------------------------------------- families

interface FamilyInput {
  id: number;
  member: PersonInput;
  establishment: EstablishmentPlan;
  company: CompanyPlan;
  college: College;
  companyStatus: string;
  contractType: 'CDI' | 'CDD' | 'apprentissage' | 'professionnalisation';
  entryDay: number;
  employmentEndDay: number | null;
  endDay: number | null;
  endReason: string | null;
  /** A previous affiliation in another establishment of the company, ended by a mutation. */
  mutationTo: EstablishmentPlan | null;
  mutationDay: number | null;
  addressLine1: string;
  addressLine2: string | null;
  town: Town;
  iban: boolean;
  phone: string | null;
  spouse: PersonInput | null;
  children: PersonInput[];
  account: boolean;
  /** Exact line counts per beneficiary (member, spouse, children), or null for random ones. */
  lineCounts: number[] | null;
  randomActivity: boolean;
}

interface FamilyResult {
  memberId: number;
  nir: string;
  accountId: number | null;
  beneficiaryIds: number[];
  beneficiaries: { id: number; firstName: string; relationship: string }[];
}

function randomPerson(ctx: Ctx, sex: Sex, birthDay: number, lastName: string): PersonInput {
  return { sex, firstName: firstNameFor(ctx.rng, sex), lastName, birthDate: isoDay(birthDay), birthPlace: birthPlace(ctx.rng) };
}

/** A random employee with a random family, in the given establishment. */
function randomFamily(ctx: Ctx, id: number, company: CompanyPlan, establishment: EstablishmentPlan): FamilyInput {
  const rng = ctx.rng;
  const today = ctx.today;
  const sex: Sex = rng.chance(0.56) ? 'F' : 'M';
  const age = Math.min(66, Math.max(18, Math.round(40 + rng.gaussian() * 11)));
  const birthDay = today - age * 365 - rng.int(0, 364);
  const ownLastName = rng.pick(LAST_NAMES);
  let member = randomPerson(ctx, sex, birthDay, ownLastName);

  let spouse: PersonInput | null = null;
  if (age >= 24 && rng.chance(0.55)) {
    const spouseSex: Sex = rng.chance(0.96) ? (sex === 'M' ? 'F' : 'M') : sex;
    const spouseBirth = Math.min(today - 20 * 365, birthDay + Math.round(rng.gaussian() * 4 * 365));
    const married = rng.chance(0.6);
    const spouseLast = married ? ownLastName : rng.pick(LAST_NAMES);
    spouse = randomPerson(ctx, spouseSex, spouseBirth, spouseLast);
    if (married && spouseSex !== sex && sex === 'F' && rng.chance(0.7)) {
      // She took her spouse's name: her own becomes the birth name.
      const husbandName = rng.pick(LAST_NAMES);
      member = { ...member, lastName: husbandName, birthName: ownLastName };
      spouse = { ...spouse, lastName: husbandName };
    } else if (married && spouseSex !== sex && sex === 'M') {
      spouse = { ...spouse, birthName: rng.pick(LAST_NAMES) };
    }
    spouse.email = rng.chance(0.3) ? uniqueEmail(ctx, spouse.firstName, spouse.lastName) : null;
    spouse.mobile = rng.chance(0.45) ? demoMobile(rng) : null;
    spouse.tele = teleStatus(rng, 'conjoint');
  }

  const children: PersonInput[] = [];
  if (age >= 22) {
    const count = rng.weighted([[0, 34], [1, 25], [2, 28], [3, 10], [4, 3]] as const);
    const earliest = Math.max(birthDay + 20 * 365, today - 25 * 365);
    const latest = today - 30;
    for (let i = 0; i < count && earliest < latest; i++) {
      const childSex: Sex = rng.chance(0.5) ? 'F' : 'M';
      const childBirth = rng.dayBetween(earliest, latest);
      const child = randomPerson(ctx, childSex, childBirth, member.lastName);
      child.birthPlace = rng.chance(0.85) ? establishment.town.insee : rng.weighted(TOWN_CHOICES).insee;
      child.noNir = rng.chance(0.12);
      child.tele = teleStatus(rng, 'enfant');
      children.push(child);
    }
  }

  member.email = rng.chance(0.88) ? uniqueEmail(ctx, member.firstName, member.lastName) : null;
  member.mobile = rng.chance(0.78) ? demoMobile(rng) : null;
  member.tele = teleStatus(rng, 'assure');

  // Employment: apprentices are young, most contracts are open-ended.
  const contractType =
    age < 26 && rng.chance(0.35)
      ? rng.weighted([['apprentissage', 3], ['professionnalisation', 1]] as const)
      : rng.weighted([['CDI', 86], ['CDD', 14]] as const);
  const companyStatus =
    contractType === 'apprentissage' ? 'apprenti' : rng.weighted([['salarie', 88], ['negociateur_vrp', 9], ['mandataire', 1.5], ['stagiaire', 0.5]] as const);
  const college: College = contractType === 'apprentissage' || contractType === 'professionnalisation' ? 'non_cadre' : rng.chance(age > 35 ? 0.32 : 0.15) ? 'cadre' : 'non_cadre';
  const workStart = birthDay + 18 * 365;
  const recent = rng.chance(0.6);
  let entryDay = recent ? rng.dayBetween(Math.max(workStart, today - 6 * 365), today - 10) : rng.dayBetween(Math.max(workStart, today - 30 * 365), today - 10);
  if (contractType === 'CDD' || contractType === 'apprentissage' || contractType === 'professionnalisation') {
    entryDay = rng.dayBetween(Math.max(workStart, today - 3 * 365), today - 10);
  }
  let employmentEndDay: number | null = null;
  let endDay: number | null = null;
  let endReason: string | null = null;
  if (contractType === 'CDD') {
    employmentEndDay = addMonthsDay(entryDay, rng.int(3, 18)) - 1;
  } else if (contractType === 'apprentissage' || contractType === 'professionnalisation') {
    employmentEndDay = addMonthsDay(entryDay, rng.pick([12, 24, 24, 36])) - 1;
  }
  if (employmentEndDay !== null && employmentEndDay < today) {
    endDay = employmentEndDay;
    endReason = contractType === 'CDD' ? 'fin_cdd' : rng.chance(0.5) ? 'fin_cdd' : 'demission';
  } else if (employmentEndDay === null && entryDay < today - 200 && rng.chance(0.1)) {
    endDay = rng.dayBetween(entryDay + 180, today - 1);
    endReason = rng.weighted(END_REASONS.filter(([reason]) => reason !== 'fin_cdd' && (reason !== 'retraite' || age >= 60)));
    employmentEndDay = endDay;
  }

  let mutationTo: EstablishmentPlan | null = null;
  let mutationDay: number | null = null;
  if (endDay === null && company.establishments.length > 1 && entryDay < today - 400 && rng.chance(0.03)) {
    const others = company.establishments.filter((e) => e.id !== establishment.id);
    mutationTo = rng.pick(others);
    mutationDay = rng.dayBetween(entryDay + 180, today - 30);
  }

  const town = rng.chance(0.7) ? establishment.town : rng.weighted(TOWN_CHOICES);
  return {
    id,
    member,
    establishment,
    company,
    college,
    companyStatus,
    contractType,
    entryDay,
    employmentEndDay,
    endDay,
    endReason,
    mutationTo,
    mutationDay,
    addressLine1: streetAddress(rng),
    addressLine2: rng.chance(0.2) ? rng.pick(ADDRESS_COMPLEMENTS) : null,
    town,
    iban: rng.chance(0.92),
    phone: rng.chance(0.15) ? landline(rng, town.department) : null,
    spouse,
    children,
    account: member.email !== null && rng.chance(0.38),
    lineCounts: null,
    randomActivity: true,
  };
}

/** Writes a family: member, affiliations, beneficiaries, account, télétransmission, décomptes. */
function emitFamily(ctx: Ctx, chunk: Chunk, f: FamilyInput): FamilyResult {
  const rng = ctx.rng;
  const today = ctx.today;
  const memberId = f.id;
  const contractStartDay = dayNumber(f.company.contractStart);
  const startDay = Math.max(f.entryDay, contractStartDay);
  const portabilityEndDay =
    f.endDay !== null && f.endReason !== null && PORTABILITY_REASONS.has(f.endReason)
      ? Math.min(addMonthsDay(f.endDay, Math.min(12, Math.max(1, Math.ceil((f.endDay - f.entryDay) / 30.4)))), addMonthsDay(f.endDay, 12))
      : null;
  const coverEndDay = portabilityEndDay ?? f.endDay;
  const createdAt = atTime(ctx, Math.min(startDay, today));
  const memberNir = makeNir(ctx, f.member.sex, f.member.birthDate, f.member.birthPlace, f.member.nirOrder);
  const level = f.company.levels[f.college];

  // ---- member
  let iban: string | null = null;
  let bic: string | null = null;
  if (f.iban) {
    const [bank, bankBic] = rng.weighted(BANKS.map((b) => [[b[0], b[1]] as const, b[2]] as const));
    iban = makeFrenchIban(bank, rng.digits(5), rng.digits(11));
    bic = bankBic;
  }
  chunk.add('members', {
    id: memberId,
    member_number: String(100_000_000 + memberId),
    nir: memberNir,
    sex: f.member.sex,
    last_name: f.member.lastName,
    first_name: f.member.firstName,
    birth_name: f.member.birthName ?? null,
    birth_date: f.member.birthDate,
    email: f.member.email ?? null,
    mobile: f.member.mobile ?? null,
    phone: f.phone,
    address_line1: f.addressLine1,
    address_line2: f.addressLine2,
    postal_code: f.town.postalCode,
    city: f.town.city,
    iban,
    bic,
    iban_holder: iban ? `${f.member.sex === 'M' ? 'M.' : 'Mme'} ${f.member.firstName} ${upperName(f.member.lastName)}` : null,
    iban_updated_at: iban ? createdAt : null,
    created_at: createdAt,
    updated_at: createdAt,
  });

  // ---- affiliations (one, or two around a mutation)
  const affiliationBase = {
    member_id: memberId,
    contract_id: f.company.contractIds[f.college],
    professional_status: f.college,
    company_status: f.companyStatus,
    employment_contract_type: f.contractType,
    employment_start_date: isoDay(f.entryDay),
    entry_date: isoDay(f.entryDay),
    created_at: createdAt,
  };
  if (f.mutationTo && f.mutationDay !== null) {
    chunk.add('affiliations', {
      id: nextId(ctx, 'affiliations'),
      ...affiliationBase,
      establishment_id: f.establishment.id,
      employment_end_date: null,
      start_date: isoDay(startDay),
      end_date: isoDay(f.mutationDay),
      end_reason: 'mutation',
      portability_end_date: null,
    });
    chunk.add('affiliations', {
      id: nextId(ctx, 'affiliations'),
      ...affiliationBase,
      establishment_id: f.mutationTo.id,
      employment_end_date: null,
      start_date: isoDay(f.mutationDay + 1),
      end_date: null,
      end_reason: null,
      portability_end_date: null,
      created_at: atTime(ctx, f.mutationDay),
    });
  } else {
    chunk.add('affiliations', {
      id: nextId(ctx, 'affiliations'),
      ...affiliationBase,
      establishment_id: f.establishment.id,
      employment_end_date: f.employmentEndDay !== null ? isoDay(f.employmentEndDay) : null,
      start_date: isoDay(startDay),
      end_date: f.endDay !== null ? isoDay(f.endDay) : null,
      end_reason: f.endReason,
      portability_end_date: portabilityEndDay !== null ? isoDay(portabilityEndDay) : null,
    });
  }
  if (f.endDay !== null) {
    const list = ctx.endedMembers.get(f.company.id) ?? [];
    if (list.length < 20) list.push(memberId);
    ctx.endedMembers.set(f.company.id, list);
  }

  // ---- account
  let accountId: number | null = null;
  if (f.account && f.member.email) {
    accountId = nextId(ctx, 'accounts');
    const activated = atTime(ctx, rng.dayBetween(Math.min(startDay + 5, today), today));
    const lastLogin = rng.chance(0.7) ? atTime(ctx, rng.dayBetween(today - 120, today)) : null;
    chunk.add('accounts', {
      id: accountId,
      kind: 'member',
      email: f.member.email,
      password_hash: ctx.demoHash,
      status: 'active',
      first_name: f.member.firstName,
      last_name: f.member.lastName,
      mobile: f.member.mobile ?? null,
      member_id: memberId,
      staff_role: null,
      last_login_at: lastLogin,
      last_verified_login_at: null,
      last_verified_ip: null,
      sessions_revoked_at: null,
      activated_at: activated,
      cgu_accepted_at: activated,
      created_at: activated,
      updated_at: activated,
      disabled_at: null,
    });
  }

  // ---- beneficiaries
  const people: { person: PersonInput; relationship: 'assure' | 'conjoint' | 'enfant' }[] = [
    { person: f.member, relationship: 'assure' },
    ...(f.spouse ? [{ person: f.spouse, relationship: 'conjoint' as const }] : []),
    ...f.children.map((c) => ({ person: c, relationship: 'enfant' as const })),
  ];
  const family: FamilyProfessionals = {
    gp: doctorName(rng),
    pharmacy: rng.pick(PHARMACY_NAMES),
    city: f.town.city,
  };
  const beneficiaryIds: number[] = [];
  const beneficiaryList: FamilyResult['beneficiaries'] = [];
  const lineWork: { beneficiaryId: number; from: number; to: number; age: number; sex: Sex; count: number }[] = [];
  let spouseNirValue: string | null = null;
  people.forEach(({ person, relationship }, index) => {
    const beneficiaryId = nextId(ctx, 'beneficiaries');
    beneficiaryIds.push(beneficiaryId);
    beneficiaryList.push({ id: beneficiaryId, firstName: person.firstName, relationship });
    const birthDay = dayNumber(person.birthDate);
    const benStart = Math.max(startDay, birthDay);
    const age = yearsBetween(birthDay, today);
    let nir: string | null = null;
    let attachedNir: string | null = null;
    if (relationship === 'assure') nir = memberNir;
    else if (relationship === 'conjoint') {
      nir = makeNir(ctx, person.sex, person.birthDate, person.birthPlace);
      spouseNirValue = nir;
    } else {
      if (!person.noNir) nir = makeNir(ctx, person.sex, person.birthDate, person.birthPlace);
      // Under 16 a child is usually attached to a parent's NIR (« ayant droit »).
      if (age < 16 || nir === null) attachedNir = spouseNirValue !== null && rng.chance(0.3) ? spouseNirValue : memberNir;
    }
    const tele = person.tele ?? 'inactive';
    const teleSince = tele === 'inactive' ? null : rng.dayBetween(benStart, Math.max(benStart, today - 1));
    const department = relationship === 'assure' || relationship === 'enfant' ? f.town.department : rng.weighted(TOWN_CHOICES).department;
    const created = atTime(ctx, Math.min(benStart, today));
    chunk.add('beneficiaries', {
      id: beneficiaryId,
      member_id: memberId,
      relationship,
      sex: person.sex,
      last_name: person.lastName,
      first_name: person.firstName,
      birth_date: person.birthDate,
      nir,
      attached_nir: attachedNir,
      email: person.email ?? null,
      mobile: person.mobile ?? null,
      address_line1: null,
      address_line2: null,
      postal_code: null,
      city: null,
      fund_code: fundCode(rng, department),
      teletransmission_status: tele,
      teletransmission_since: teleSince !== null ? isoDay(teleSince) : null,
      on_card: coverEndDay === null || coverEndDay >= today,
      start_date: isoDay(benStart),
      end_date: coverEndDay !== null ? isoDay(coverEndDay) : null,
      created_at: created,
      updated_at: created,
    });
    // Télétransmission history: the requests the back office processed or still has to.
    if (teleSince !== null) {
      const requestedDay = Math.max(benStart, teleSince - rng.int(2, 20));
      if (tele === 'active' || tele === 'blocked') {
        chunk.add('teletransmission_events', {
          id: nextId(ctx, 'teletransmission_events'),
          beneficiary_id: beneficiaryId,
          from_status: 'inactive',
          to_status: tele === 'active' ? 'activation_requested' : 'blocked',
          at: atTime(ctx, requestedDay),
          account_id: tele === 'active' && accountId !== null && rng.chance(0.3) ? accountId : null,
          processed_at: atTime(ctx, teleSince),
          processed_by: ctx.staffAccountId,
        });
      } else if (tele === 'activation_requested') {
        chunk.add('teletransmission_events', {
          id: nextId(ctx, 'teletransmission_events'),
          beneficiary_id: beneficiaryId,
          from_status: 'inactive',
          to_status: 'activation_requested',
          at: atTime(ctx, teleSince),
          account_id: accountId,
          processed_at: null,
          processed_by: null,
        });
      } else if (tele === 'deactivation_requested') {
        chunk.add('teletransmission_events', {
          id: nextId(ctx, 'teletransmission_events'),
          beneficiary_id: beneficiaryId,
          from_status: 'active',
          to_status: 'deactivation_requested',
          at: atTime(ctx, teleSince),
          account_id: accountId,
          processed_at: null,
          processed_by: null,
        });
      }
    }
    // Décompte lines: in the last 24 months of cover, up to two days ago.
    const from = Math.max(benStart, today - 730);
    const to = Math.min(coverEndDay ?? today, today - 2);
    if (to >= from) {
      let count: number;
      if (f.lineCounts) count = f.lineCounts[index] ?? 0;
      else {
        const base = age < 16 ? 6.5 : age < 50 ? 7.5 : 11;
        const personal = rng.chance(0.15) ? rng.float(1.5, 3) : rng.float(0.2, 1.4);
        const expected = base * personal * ((to - from + 1) / 730) * LINES_FACTOR;
        count = Math.floor(expected) + (rng.next() < expected - Math.floor(expected) ? 1 : 0);
      }
      if (count > 0) lineWork.push({ beneficiaryId, from, to, age, sex: person.sex, count });
    }
  });

  // ---- décomptes: lines grouped by payment date into statements
  const lines: Row[] = [];
  for (const work of lineWork) {
    const choices = careChoices(Math.min(work.age, 100), work.sex);
    for (let i = 0; i < work.count; i++) {
      const care = rng.weighted(choices);
      const careDay = rng.dayBetween(work.from, work.to);
      const priced = priceCare(rng, care, level);
      // Payments run every other Tuesday, so lines of a fortnight share one décompte.
      let payDay = careDay + rng.int(2, 6);
      while (weekday(payDay) !== 1 || Math.floor(payDay / 7) % 2 !== 0) payDay += 1;
      if (payDay > today) payDay = today;
      lines.push({
        statement_id: 0,
        member_id: memberId,
        beneficiary_id: work.beneficiaryId,
        care_date: isoDay(careDay),
        care_type: care.code,
        care_label: care.label,
        professional_name: professionalFor(rng, care, family),
        quantity: priced.quantity,
        frais_reels_cents: priced.fraisReels,
        base_remboursement_cents: priced.br,
        rate_percent: priced.rate,
        ss_amount_cents: priced.ss,
        complementary_amount_cents: priced.complementary,
        deductions_cents: priced.deductions,
        reste_a_charge_cents: priced.resteACharge,
        paid_to: rng.chance(care.tiersRate) ? 'tiers' : 'assure',
        payment_date: isoDay(payDay),
      });
    }
  }
  // Plain code-unit comparison: ISO dates sort correctly and it is much faster than localeCompare.
  const byDates = (a: Row, b: Row) => {
    const pa = a.payment_date as string;
    const pb = b.payment_date as string;
    if (pa !== pb) return pa < pb ? -1 : 1;
    const ca = a.care_date as string;
    const cb = b.care_date as string;
    return ca < cb ? -1 : ca > cb ? 1 : 0;
  };
  lines.sort(byDates);
  let currentPay = '';
  let statementId = 0;
  for (const line of lines) {
    if (line.payment_date !== currentPay) {
      currentPay = line.payment_date as string;
      statementId = nextId(ctx, 'statements');
      ctx.statementSeq += 1;
      const payDay = dayNumber(currentPay);
      chunk.add('statements', {
        id: statementId,
        member_id: memberId,
        number: `${currentPay.slice(0, 4)}${pad(ctx.statementSeq, 9)}`,
        statement_date: currentPay,
        payment_date: currentPay,
        import_job_id: null,
        created_at: pastMoment(ctx, payDay, 5 * 3600 + rng.int(0, 7200), 7 * 3600),
      });
    }
    line.statement_id = statementId;
    line.id = nextId(ctx, 'statement_lines');
    chunk.add('statement_lines', line);
  }

  const result: FamilyResult = { memberId, nir: memberNir, accountId, beneficiaryIds, beneficiaries: beneficiaryList };
  if (f.randomActivity && accountId !== null) randomActivity(ctx, chunk, result);
  return result;
}

// ---------------------------------------------------------------------------- requests and messages

const REMBOURSEMENT_OBJECTS = [
  ['medecine_douce', 'Séance d\'ostéopathie', 6000],
  ['optique', 'Lunettes achetées hors réseau', 42000],
  ['dentaire', 'Implant dentaire', 120000],
  ['hospitalisation', 'Chambre particulière', 24000],
  ['pharmacie', 'Médicaments prescrits non remboursés', 3500],
  ['autre', 'Vaccin du voyage', 8000],
] as const;

const DEVIS_OBJECTS = [
  ['optique', 'Devis pour des lunettes progressives', 65000],
  ['audio', 'Devis pour deux aides auditives', 340000],
  ['appareillage', 'Devis pour des semelles orthopédiques', 18000],
  ['hospitalisation', 'Devis pour une opération programmée', 150000],
  ['dentaire', 'Devis pour une couronne céramique', 75000],
  ['maternite', 'Devis pour une chambre particulière en maternité', 45000],
] as const;

const MEMBER_THREADS = [
  ['remboursements', 'Remboursement non reçu', 'Bonjour, j\'ai consulté un spécialiste il y a plus de trois semaines et je ne vois pas encore le remboursement complémentaire. Pouvez-vous vérifier ? Merci.', 'Bonjour, la Sécurité sociale ne nous a pas encore transmis ce décompte. Dès réception par télétransmission, le remboursement sera effectué sous 48 heures. Bien cordialement.'],
  ['tiers_payant', 'Carte de tiers payant refusée', 'Bonjour, ma pharmacie me dit que ma carte de tiers payant n\'est pas reconnue. Que dois-je faire ?', 'Bonjour, votre carte est bien valide. Le pharmacien doit utiliser le numéro AMC indiqué sur la carte. Vous pouvez aussi la télécharger de nouveau depuis votre espace. Bien cordialement.'],
  ['beneficiaires', 'Ajout de mon nouveau-né', 'Bonjour, notre fille est née le mois dernier. Comment l\'ajouter comme bénéficiaire ?', 'Bonjour et félicitations ! Merci de nous transmettre l\'acte de naissance ou une copie du livret de famille ainsi que l\'attestation de droits de la Sécurité sociale sur laquelle figure votre enfant.'],
  ['contrat', 'Question sur les options', 'Bonjour, puis-je souscrire l\'option 2 en cours d\'année ?', 'Bonjour, le changement d\'option prend effet au 1er janvier suivant votre demande, avec un préavis de deux mois. Nous vous adressons le formulaire par retour.'],
  ['remboursements', 'Décompte ostéopathe', 'Bonjour, je vous ai envoyé la facture de mon ostéopathe, pouvez-vous me confirmer sa réception ?', 'Bonjour, nous avons bien reçu votre facture. Le remboursement de 40 € a été effectué sur votre compte.'],
  ['informations', 'Changement de banque', 'Bonjour, j\'ai changé de banque. Le nouvel IBAN saisi dans mon espace est-il bien pris en compte ?', 'Bonjour, votre nouvel IBAN est enregistré : les prochains remboursements y seront versés.'],
] as const;

function addRequest(
  ctx: Ctx,
  chunk: Chunk,
  input: {
    memberId: number;
    beneficiaryId: number | null;
    kind: 'remboursement' | 'devis';
    object: string;
    message: string;
    status: 'received' | 'in_progress' | 'processed';
    answer: string | null;
    estimate: number | null;
    createdDay: number;
    attachment?: { title: string; lines: string[] };
  },
): number {
  const rng = ctx.rng;
  const id = nextId(ctx, 'requests');
  ctx.requestSeq += 1;
  const created = atTime(ctx, input.createdDay, 8, 22);
  const answered = input.status === 'processed' ? atTime(ctx, Math.min(ctx.today, input.createdDay + rng.int(1, 6))) : null;
  const year = isoDay(input.createdDay).slice(0, 4);
  chunk.add('requests', {
    id,
    member_id: input.memberId,
    beneficiary_id: input.beneficiaryId,
    kind: input.kind,
    object: input.object,
    reference: `${input.kind === 'devis' ? 'DV' : 'DR'}-${year}-${pad(ctx.requestSeq, 6)}`,
    message: input.message,
    status: input.status,
    answer: input.answer,
    estimated_amount_cents: input.estimate,
    handled_by_account_id: input.status === 'received' ? null : ctx.staffAccountId,
    expected_day: isoDay(input.createdDay + 14),
    answered_at: answered,
    created_at: created,
    updated_at: answered ?? created,
  });
  if (input.attachment && ctx.uploadDir) {
    const stored = `${ctx.rng.hex(32)}.pdf`;
    chunk.add('request_attachments', {
      id: nextId(ctx, 'request_attachments'),
      request_id: id,
      original_name: `${slug(input.attachment.title)}.pdf`,
      stored_name: stored,
      mime: 'application/pdf',
      size_bytes: 0,
      created_at: created,
      __file: { dir: 'requests', title: input.attachment.title, lines: input.attachment.lines },
    });
  }
  return id;
}

function addThread(
  ctx: Ctx,
  chunk: Chunk,
  input: {
    ownerKind: 'member' | 'hr';
    memberId: number | null;
    companyId: number | null;
    accountId: number;
    category: string;
    object: string;
    messages: { author: 'owner' | 'staff'; body: string }[];
    createdDay: number;
    status: 'open' | 'closed';
    ownerRead: boolean;
  },
): number {
  const rng = ctx.rng;
  const threadId = nextId(ctx, 'message_threads');
  let day = input.createdDay;
  let last = '';
  let lastStaff = '';
  let lastOwner = '';
  const rows: Row[] = [];
  for (const message of input.messages) {
    const at = atTime(ctx, day, 8, 19);
    last = at;
    if (message.author === 'staff') lastStaff = at;
    else lastOwner = at;
    rows.push({
      id: nextId(ctx, 'messages'),
      thread_id: threadId,
      author_kind: message.author === 'staff' ? 'staff' : input.ownerKind,
      author_account_id: message.author === 'staff' ? ctx.staffAccountId : input.accountId,
      body: message.body,
      created_at: at,
    });
    day = Math.min(ctx.today, day + rng.int(0, 3));
  }
  // Whose turn it is (src/domain/correspondence.ts): nobody at the insurer wrote yet, staff wrote last, or the owner did.
  const status = input.status === 'closed' ? 'closed' : !lastStaff ? 'new' : lastStaff >= lastOwner ? 'answered' : 'open';
  chunk.add('message_threads', {
    id: threadId,
    reference: `MS-${String(rows[0].created_at).slice(0, 4)}-${pad(threadId, 6)}`,
    owner_kind: input.ownerKind,
    member_id: input.memberId,
    company_id: input.companyId,
    account_id: input.accountId,
    category: input.category,
    object: input.object,
    status,
    expected_day: isoDay(Math.min(ctx.today, day) + 7),
    created_at: rows[0].created_at,
    last_message_at: last,
    last_staff_message_at: lastStaff || null,
    last_owner_message_at: lastOwner || null,
    owner_read_at: input.ownerRead ? last : lastOwner || null,
    staff_read_at: lastStaff && lastStaff >= lastOwner ? lastStaff : lastOwner && rng.chance(0.5) ? lastOwner : null,
  });
  for (const row of rows) chunk.add('messages', row);
  return threadId;
}

/** Some members with an account have sent a request or a message. */
function randomActivity(ctx: Ctx, chunk: Chunk, r: FamilyResult) {
  const rng = ctx.rng;
  if (rng.chance(0.09)) {
    const devis = rng.chance(0.4);
    const [object, text, amount] = devis ? rng.pick(DEVIS_OBJECTS) : rng.pick(REMBOURSEMENT_OBJECTS);
    // Four weights as before, so that the draws that follow stay the same.
    const status = rng.weighted([['received', 2], ['in_progress', 2], ['processed', 4], ['processed', 2]] as const);
    const answered = status === 'processed';
    addRequest(ctx, chunk, {
      memberId: r.memberId,
      beneficiaryId: rng.pick(r.beneficiaryIds),
      kind: devis ? 'devis' : 'remboursement',
      object,
      message: `${text}. Merci de votre retour.`,
      status,
      answer: answered
        ? devis
          ? `Sur la base de ce devis, votre remboursement est estimé à ${(Math.round(amount * 0.55) / 100).toFixed(2).replace('.', ',')} €, Sécurité sociale incluse.`
          : 'Votre demande a été traitée : le remboursement figurera sur votre prochain décompte.'
        : null,
      estimate: devis && answered ? Math.round(amount * 0.55) : null,
      createdDay: rng.dayBetween(ctx.today - 200, ctx.today - 1),
      attachment: ctx.fileCount < 24 ? { title: devis ? 'Devis' : 'Facture acquittée', lines: [text, `Montant : ${(amount / 100).toFixed(2).replace('.', ',')} €`] } : undefined,
    });
    if (ctx.fileCount < 24) ctx.fileCount += 1;
  }
  if (rng.chance(0.06)) {
    const [category, object, question, reply] = rng.pick(MEMBER_THREADS);
    const answered = rng.chance(0.75);
    addThread(ctx, chunk, {
      ownerKind: 'member',
      memberId: r.memberId,
      companyId: null,
      accountId: r.accountId!,
      category,
      object,
      messages: answered ? [{ author: 'owner', body: question }, { author: 'staff', body: reply }] : [{ author: 'owner', body: question }],
      createdDay: rng.dayBetween(ctx.today - 300, ctx.today - 1),
      status: answered && rng.chance(0.5) ? 'closed' : 'open',
      ownerRead: rng.chance(0.6),
    });
  }
}

// ---------------------------------------------------------------------------- companies

interface BaseCompanyDef {
  key: string;
  name: string;
  siren: string;
  number: string;
  addressLine: string;
  town: Town;
  levels: Record<College, Level>;
  admin: CompanyPlan['admin'];
  share: number;
  establishments: { name: string; nic: string; code: string; addressLine: string; town: Town; weight: number }[];
}

function baseCompanies(): BaseCompanyDef[] {
  return [
    {
      key: 'verdier',
      name: 'Cabinet Verdier Immobilier',
      siren: SIREN_VERDIER,
      number: '40125873',
      addressLine: '18 quai Saint-Antoine',
      town: townOf('Lyon', '69002'),
      levels: { cadre: 2, non_cadre: 0 },
      admin: 'rh.admin',
      share: 0.35,
      establishments: [
        { name: 'Cabinet Verdier Immobilier — Lyon Bellecour', nic: '0001', code: 'VER1001', addressLine: '18 quai Saint-Antoine', town: townOf('Lyon', '69002'), weight: 45 },
        { name: 'Cabinet Verdier Immobilier — Villeurbanne Gratte-Ciel', nic: '0002', code: 'VER1002', addressLine: '7 avenue Henri Barbusse', town: townOf('Villeurbanne', '69100'), weight: 25 },
        { name: 'Cabinet Verdier Immobilier — Annecy', nic: '0003', code: 'VER1003', addressLine: '3 rue Royale', town: townOf('Annecy', '74000'), weight: 20 },
        { name: 'Cabinet Verdier Immobilier — Saint-Denis de La Réunion', nic: '0004', code: 'VER1004', addressLine: '45 rue de Paris', town: townOf('Saint-Denis', '97400'), weight: 10 },
      ],
    },
    {
      key: 'horizon',
      name: 'Syndic Horizon Gestion',
      siren: SIREN_HORIZON,
      number: '40236915',
      addressLine: '112 boulevard Voltaire',
      town: townOf('Paris', '75011'),
      levels: { cadre: 3, non_cadre: 1 },
      admin: 'rh.admin',
      share: 0.3,
      establishments: [
        { name: 'Syndic Horizon Gestion — Paris Voltaire', nic: '0001', code: 'HOR2001', addressLine: '112 boulevard Voltaire', town: townOf('Paris', '75011'), weight: 50 },
        { name: 'Syndic Horizon Gestion — Boulogne-Billancourt', nic: '0002', code: 'HOR2002', addressLine: '25 route de la Reine', town: townOf('Boulogne-Billancourt', '92100'), weight: 30 },
        { name: 'Syndic Horizon Gestion — Versailles', nic: '0003', code: 'HOR2003', addressLine: '8 rue de la Paroisse', town: townOf('Versailles', '78000'), weight: 20 },
        // Just opened (nobody employed there yet) and not followed by rh.admin: DEMO_FACTS.newEstablishments.
        { name: 'Syndic Horizon Gestion — Nanterre', nic: '0004', code: 'HOR2004', addressLine: '21 rue Salvador Allende', town: townOf('Nanterre', '92000'), weight: 0 },
        { name: 'Syndic Horizon Gestion — Saint-Germain-en-Laye', nic: '0005', code: 'HOR2005', addressLine: '4 rue au Pain', town: townOf('Saint-Germain-en-Laye', '78100'), weight: 0 },
      ],
    },
    {
      key: 'marceau',
      name: 'Administration de Biens Marceau',
      siren: SIREN_MARCEAU,
      number: '40318426',
      addressLine: '56 quai des Chartrons',
      town: townOf('Bordeaux', '33000'),
      levels: { cadre: 1, non_cadre: 0 },
      admin: null,
      share: 0.15,
      establishments: [
        { name: 'Marceau Bordeaux Chartrons', nic: '0001', code: 'MAR3001', addressLine: '56 quai des Chartrons', town: townOf('Bordeaux', '33000'), weight: 60 },
        { name: 'Marceau Arcachon', nic: '0002', code: 'MAR3002', addressLine: '14 boulevard de la Plage', town: townOf('Arcachon', '33120'), weight: 25 },
        { name: 'Marceau Ajaccio', nic: '0003', code: 'MAR3003', addressLine: '9 cours Napoléon', town: townOf('Ajaccio', '20000'), weight: 15 },
      ],
    },
    {
      key: 'ponant',
      name: 'Immobilière du Ponant',
      siren: SIREN_PONANT,
      number: '40457209',
      addressLine: '31 rue de Siam',
      town: townOf('Brest', '29200'),
      levels: { cadre: 2, non_cadre: 1 },
      admin: 'rh.ponant',
      share: 0.2,
      establishments: [
        { name: 'Immobilière du Ponant — Brest', nic: '0001', code: 'PON4001', addressLine: '31 rue de Siam', town: townOf('Brest', '29200'), weight: 40 },
        { name: 'Immobilière du Ponant — Rennes', nic: '0002', code: 'PON4002', addressLine: '4 place de la République', town: townOf('Rennes', '35000'), weight: 35 },
        { name: 'Immobilière du Ponant — Nantes', nic: '0003', code: 'PON4003', addressLine: '12 cours des Cinquante Otages', town: townOf('Nantes', '44000'), weight: 25 },
      ],
    },
  ];
}

function contractLabel(college: College): string {
  return `BASE CCN ${college === 'cadre' ? 'C' : 'NC'} RG Oblig/Options 1 2 3 Fac`;
}

/** Companies, establishments and how many generated members each establishment receives. */
function planCompanies(ctx: Ctx, generatedMembers: number): CompanyPlan[] {
  const rng = ctx.rng;
  const baseMembers = Math.min(generatedMembers, 1200);
  const extraMembers = generatedMembers - baseMembers;
  const companies: CompanyPlan[] = [];
  const defs = baseCompanies();
  const baseQuotas = apportion(baseMembers, defs.map((d) => d.share));
  defs.forEach((def, i) => {
    const companyId = nextId(ctx, 'companies');
    const quotas = apportion(baseQuotas[i], def.establishments.map((e) => e.weight));
    companies.push({
      id: companyId,
      key: def.key,
      name: def.name,
      siren: def.siren,
      number: def.number,
      addressLine: def.addressLine,
      town: def.town,
      createdDay: dayNumber('2015-10-01') + i * 17,
      contractStart: '2016-01-01',
      levels: def.levels,
      contractIds: { cadre: 0, non_cadre: 0 },
      admin: def.admin,
      establishments: def.establishments.map((e, j) => ({
        id: nextId(ctx, 'establishments'),
        companyId,
        siret: generateSiret(def.siren, e.nic),
        name: e.name,
        code: e.code,
        addressLine: e.addressLine,
        town: e.town,
        quota: quotas[j],
      })),
    });
  });

  if (extraMembers > 0) {
    // Large scales: more companies; rh.admin administers those of pool A (58 % of the extra
    // members), so one HR administrator reaches more than half of all employees.
    const companyCount = Math.max(2, Math.round(extraMembers / 1200));
    const weights = Array.from({ length: companyCount }, () => rng.float(0.5, 1.5));
    const poolA = weights.map((_, i) => i % 2 === 0);
    const poolATotal = Math.round(extraMembers * 0.58);
    const quotaA = apportion(poolATotal, weights.filter((_, i) => poolA[i]));
    const quotaB = apportion(extraMembers - poolATotal, weights.filter((_, i) => !poolA[i]));
    let ia = 0;
    let ib = 0;
    const sirens = new Set(companies.map((c) => c.siren));
    const names = new Set(companies.map((c) => c.name));
    for (let i = 0; i < companyCount; i++) {
      const quota = poolA[i] ? quotaA[ia++] : quotaB[ib++];
      let siren = '';
      do siren = generateSiren(`${rng.int(3, 9)}${rng.digits(7)}`);
      while (sirens.has(siren) || siren.startsWith('356'));
      sirens.add(siren);
      let name = '';
      do name = `${rng.pick(COMPANY_PREFIXES)} ${rng.pick(COMPANY_CORES)}${rng.pick(COMPANY_SUFFIXES)}`;
      while (names.has(name));
      names.add(name);
      const companyId = nextId(ctx, 'companies');
      const hq = rng.weighted(METRO_TOWN_CHOICES);
      const establishmentCount = Math.max(1, Math.round(quota / 25));
      const estQuotas = apportion(quota, Array.from({ length: establishmentCount }, () => rng.float(0.3, 1.7)));
      const establishments: EstablishmentPlan[] = [];
      for (let j = 0; j < establishmentCount; j++) {
        const town = j === 0 ? hq : rng.chance(0.5) ? hq : rng.weighted(TOWN_CHOICES);
        establishments.push({
          id: nextId(ctx, 'establishments'),
          companyId,
          siret: generateSiret(siren, pad(j + 1, 4)),
          name: `${name} — ${town.city}${j > 0 ? ` ${pad(j + 1, 2)}` : ''}`,
          code: `X${pad(companyId, 3)}${pad(j + 1, 3)}`,
          addressLine: streetAddress(rng),
          town,
          quota: estQuotas[j],
        });
      }
      companies.push({
        id: companyId,
        key: `extra-${i + 1}`,
        name: `${name} ${rng.pick(LEGAL_FORMS)}`,
        siren,
        number: String(41_000_000 + companyId * 37),
        addressLine: establishments[0].addressLine,
        town: hq,
        createdDay: rng.dayBetween(dayNumber('2010-01-01'), dayNumber('2020-12-31')),
        contractStart: isoDay(rng.pick([dayNumber('2016-01-01'), dayNumber('2018-01-01'), dayNumber('2021-01-01')])),
        levels: { cadre: rng.pick([1, 2, 3] as const), non_cadre: rng.pick([0, 0, 1, 2] as const) },
        contractIds: { cadre: 0, non_cadre: 0 },
        admin: poolA[i] ? 'rh.admin' : null,
        establishments,
      });
    }
  }
  return companies;
}

// ---------------------------------------------------------------------------- accounts

interface DemoAccounts {
  staff: number;
  hrAdmin: number;
  hrUser: number;
  hrPonant: number;
  hrPending: number;
  hrSuspended: number;
}

function addStaffAndHrAccounts(ctx: Ctx, chunk: Chunk): DemoAccounts {
  const rng = ctx.rng;
  const created = atTime(ctx, ctx.today - 400);
  const account = (fields: Partial<Row> & { kind: string; email: string; first_name: string; last_name: string }): number => {
    const id = nextId(ctx, 'accounts');
    chunk.add('accounts', {
      id,
      password_hash: ctx.demoHash,
      status: 'active',
      mobile: null,
      member_id: null,
      staff_role: null,
      last_login_at: null,
      last_verified_login_at: null,
      last_verified_ip: null,
      sessions_revoked_at: null,
      activated_at: created,
      cgu_accepted_at: created,
      created_at: created,
      updated_at: created,
      disabled_at: null,
      ...fields,
    });
    return id;
  };
  const staff = account({ kind: 'staff', email: DEMO_FACTS.staff.email, first_name: 'Claire', last_name: 'Dubois', mobile: '+262639980304', staff_role: 'gestionnaire', cgu_accepted_at: null });
  ctx.staffAccountId = staff;
  const hrAdmin = account({ kind: 'hr', email: DEMO_FACTS.hrAdmin.email, first_name: 'Eugénie', last_name: 'Marchand', mobile: '+262639980301' });
  const hrUser = account({ kind: 'hr', email: DEMO_FACTS.hrUser.email, first_name: 'Hugo', last_name: 'Lambert', mobile: '+262639980302' });
  const hrPonant = account({ kind: 'hr', email: DEMO_FACTS.otherHrAdmin.email, first_name: 'Yann', last_name: 'Le Goff', mobile: '+262639980303' });
  // Invited by rh.admin, link not used yet (password still to create).
  const pendingAt = atTime(ctx, ctx.today - 3);
  const hrPending = account({
    kind: 'hr',
    email: `chloe.petit@${DOMAIN}`,
    first_name: 'Chloé',
    last_name: 'Petit',
    mobile: '+262639980305',
    password_hash: null,
    status: 'pending',
    activated_at: null,
    cgu_accepted_at: null,
    created_at: pendingAt,
    updated_at: pendingAt,
  });
  const hrSuspended = account({ kind: 'hr', email: `luc.garnier@${DOMAIN}`, first_name: 'Luc', last_name: 'Garnier', mobile: '+262639980306' });
  return { staff, hrAdmin, hrUser, hrPonant, hrPending, hrSuspended };
}

function addCompanies(ctx: Ctx, chunk: Chunk, companies: CompanyPlan[], accounts: DemoAccounts) {
  const rng = ctx.rng;
  for (const company of companies) {
    const created = atTime(ctx, company.createdDay);
    chunk.add('companies', {
      id: company.id,
      name: company.name,
      siren: company.siren,
      insurer_company_number: company.number,
      address_line: company.addressLine,
      postal_code: company.town.postalCode,
      city: company.town.city,
      created_at: created,
    });
    for (const e of company.establishments) {
      chunk.add('establishments', {
        id: e.id,
        company_id: company.id,
        siret: e.siret,
        name: e.name,
        insurer_code: e.code,
        address_line: e.addressLine,
        postal_code: e.town.postalCode,
        city: e.town.city,
        created_at: created,
      });
    }
    for (const college of ['non_cadre', 'cadre'] as const) {
      const contractId = nextId(ctx, 'contracts');
      company.contractIds[college] = contractId;
      const level = company.levels[college];
      chunk.add('contracts', {
        id: contractId,
        company_id: company.id,
        reference: `CT${pad(company.id, 5)}-${college === 'cadre' ? 'C' : 'NC'}`,
        label: contractLabel(college),
        college,
        formula: LEVEL_NAMES[level],
        options: level < 3 ? `Options ${[1, 2, 3].filter((o) => o > level).join(', ')} facultatives, à la charge du salarié` : 'Toutes options incluses',
        start_date: company.contractStart,
        end_date: null,
        created_at: created,
      });
      GUARANTEE_TEMPLATES.forEach((template, position) => {
        const coverage = coverageAt(template, level);
        chunk.add('guarantee_lines', {
          id: nextId(ctx, 'guarantee_lines'),
          contract_id: contractId,
          category: template.category,
          label: template.label,
          coverage: coverage.coverage,
          br_percent: coverage.brPercent,
          flat_amount_cents: coverage.flatAmountCents,
          yearly_cap_cents: coverage.yearlyCapCents,
          position: position + 1,
        });
      });
    }
  }

  // Habilitations and followed establishments.
  const grant = (accountId: number, company: CompanyPlan, role: 'admin' | 'user', status: 'active' | 'suspended', grantedBy: number | null, skip: string[] = []) => {
    const at = atTime(ctx, ctx.today - rng.int(30, 380));
    chunk.add('hr_habilitations', {
      id: nextId(ctx, 'hr_habilitations'),
      account_id: accountId,
      company_id: company.id,
      role,
      status,
      granted_by_account_id: grantedBy,
      created_at: at,
      updated_at: at,
    });
    for (const e of company.establishments) {
      if (skip.includes(e.siret)) continue;
      chunk.add('hr_perimeter', { id: nextId(ctx, 'hr_perimeter'), account_id: accountId, establishment_id: e.id, added_at: at });
    }
  };
  const byKey = (key: string) => companies.find((c) => c.key === key)!;
  const newSirets = DEMO_FACTS.newEstablishments.map((e) => e.siret);
  for (const company of companies) {
    if (company.admin === 'rh.admin') grant(accounts.hrAdmin, company, 'admin', 'active', null, newSirets);
    if (company.admin === 'rh.ponant') grant(accounts.hrPonant, company, 'admin', 'active', null);
  }
  grant(accounts.hrUser, byKey('verdier'), 'user', 'active', accounts.hrAdmin, [DEMO_FACTS.perimeterAddition.siret]);
  grant(accounts.hrPending, byKey('horizon'), 'user', 'active', accounts.hrAdmin, newSirets);
  grant(accounts.hrSuspended, byKey('horizon'), 'user', 'suspended', accounts.hrAdmin, newSirets);
}

// ---------------------------------------------------------------------------- special families

function specialFamilies(ctx: Ctx, companies: CompanyPlan[]): FamilyInput[] {
  const today = ctx.today;
  const verdier = companies.find((c) => c.key === 'verdier')!;
  const horizon = companies.find((c) => c.key === 'horizon')!;
  const lyon = verdier.establishments[0];
  const villeurbanne = verdier.establishments[1];
  for (const email of [DEMO_FACTS.member.email, DEMO_FACTS.memberWithoutAccount.email, DEMO_FACTS.benchMember.email, `camille.roux@${DOMAIN}`]) {
    ctx.emails.add(email);
  }
  const common = {
    mutationTo: null,
    mutationDay: null,
    employmentEndDay: null,
    endDay: null,
    endReason: null,
    iban: true,
    phone: null,
    randomActivity: false,
  };
  const marie: FamilyInput = {
    ...common,
    id: 1,
    member: {
      sex: 'F',
      firstName: 'Marie',
      lastName: 'Lefebvre',
      birthName: 'Dumont',
      birthDate: DEMO_FACTS.member.birthDate,
      birthPlace: '69383',
      nirOrder: 45,
      email: DEMO_FACTS.member.email,
      mobile: DEMO_FACTS.member.mobile,
      tele: 'active',
    },
    establishment: lyon,
    company: verdier,
    college: 'cadre',
    companyStatus: 'salarie',
    contractType: 'CDI',
    entryDay: dayNumber('2019-09-02'),
    addressLine1: '24 rue Paul Bert',
    addressLine2: 'Bâtiment B',
    town: townOf('Lyon', '69006'),
    phone: '+33465710142',
    spouse: { sex: 'M', firstName: 'Thomas', lastName: 'Lefebvre', birthDate: '1984-09-02', birthPlace: '2B033', nirOrder: 112, mobile: '+262639980143', tele: 'active' },
    children: [
      { sex: 'F', firstName: 'Léa', lastName: 'Lefebvre', birthDate: '2014-06-11', birthPlace: '69383', nirOrder: 231, tele: 'active' },
      { sex: 'M', firstName: 'Hugo', lastName: 'Lefebvre', birthDate: '2017-02-23', birthPlace: '69383', nirOrder: 87, tele: 'activation_requested' },
    ],
    account: true,
    lineCounts: [18, 12, 10, 9],
  };
  const julien: FamilyInput = {
    ...common,
    id: 2,
    member: {
      sex: 'M',
      firstName: 'Julien',
      lastName: 'Moreau',
      birthDate: DEMO_FACTS.memberWithoutAccount.birthDate,
      birthPlace: '44109',
      nirOrder: 318,
      email: DEMO_FACTS.memberWithoutAccount.email,
      mobile: DEMO_FACTS.memberWithoutAccount.mobile,
      tele: 'inactive',
    },
    establishment: horizon.establishments[0],
    company: horizon,
    college: 'non_cadre',
    companyStatus: 'negociateur_vrp',
    contractType: 'CDI',
    entryDay: dayNumber('2023-03-01'),
    addressLine1: '5 rue de la Roquette',
    addressLine2: null,
    town: townOf('Paris', '75011'),
    spouse: null,
    children: [],
    account: false,
    lineCounts: [14],
  };
  const bench: FamilyInput = {
    ...common,
    id: 3,
    member: {
      sex: 'M',
      firstName: 'Alexandre',
      lastName: 'Bernard',
      birthDate: '1979-01-30',
      birthPlace: '97411',
      nirOrder: 64,
      email: DEMO_FACTS.benchMember.email,
      mobile: '+262639980390',
      tele: 'active',
    },
    establishment: lyon,
    company: verdier,
    college: 'cadre',
    companyStatus: 'salarie',
    contractType: 'CDI',
    entryDay: dayNumber('2012-05-14'),
    addressLine1: '9 avenue Jean Jaurès',
    addressLine2: null,
    town: townOf('Villeurbanne', '69100'),
    spouse: { sex: 'F', firstName: 'Sophie', lastName: 'Bernard', birthName: 'Colin', birthDate: '1981-08-09', birthPlace: '2A004', tele: 'active' },
    children: [
      { sex: 'M', firstName: 'Nathan', lastName: 'Bernard', birthDate: '2009-03-03', birthPlace: '69123', tele: 'active' },
      { sex: 'F', firstName: 'Chloé', lastName: 'Bernard', birthDate: '2012-12-19', birthPlace: '69123', tele: 'blocked' },
    ],
    account: true,
    lineCounts: [200, 150, 75, 75],
  };
  const camille: FamilyInput = {
    ...common,
    id: 4,
    member: {
      sex: 'F',
      firstName: 'Camille',
      lastName: 'Roux',
      birthDate: '1997-10-02',
      birthPlace: '38185',
      nirOrder: 509,
      email: `camille.roux@${DOMAIN}`,
      mobile: '+262639980412',
      tele: 'activation_requested',
    },
    establishment: villeurbanne,
    company: verdier,
    college: 'non_cadre',
    companyStatus: 'salarie',
    contractType: 'CDI',
    entryDay: today - 45,
    addressLine1: '17 rue Francis de Pressensé',
    addressLine2: null,
    town: townOf('Villeurbanne', '69100'),
    spouse: null,
    children: [],
    account: false,
    lineCounts: [1],
  };
  return [marie, julien, bench, camille];
}

/** Marie's scripted activity: requests, messages and notifications to show on her pages. */
function marieActivity(ctx: Ctx, chunk: Chunk, r: FamilyResult) {
  const today = ctx.today;
  addRequest(ctx, chunk, {
    memberId: r.memberId,
    beneficiaryId: r.beneficiaryIds[0],
    kind: 'remboursement',
    object: 'medecine_douce',
    message: 'Bonjour, voici la facture de ma séance d\'ostéopathie du mois dernier.',
    status: 'processed',
    answer: 'Votre séance d\'ostéopathie a été remboursée à hauteur de 40,00 € (forfait de votre contrat). Le virement apparaîtra sur votre prochain décompte.',
    estimate: null,
    createdDay: today - 21,
    attachment: { title: 'Facture ostéopathie', lines: ['Séance d\'ostéopathie — Marie Lefebvre', 'Montant acquitté : 60,00 €'] },
  });
  addRequest(ctx, chunk, {
    memberId: r.memberId,
    beneficiaryId: r.beneficiaryIds[2],
    kind: 'devis',
    object: 'optique',
    message: 'Bonjour, pouvez-vous me dire combien sera remboursé cet équipement pour ma fille Léa ?',
    status: 'in_progress',
    answer: null,
    estimate: null,
    createdDay: today - 3,
    attachment: { title: 'Devis optique', lines: ['Monture enfant : 89,00 €', 'Verres unifocaux amincis (x2) : 180,00 €', 'Total : 269,00 €'] },
  });
  addRequest(ctx, chunk, {
    memberId: r.memberId,
    beneficiaryId: r.beneficiaryIds[1],
    kind: 'devis',
    object: 'dentaire',
    message: 'Devis de couronne céramique pour mon mari.',
    status: 'processed',
    answer: 'Pour ce devis de 650,00 €, le remboursement total est estimé à 420,00 € (Sécurité sociale 72,00 € et complémentaire 348,00 €). Il vous resterait 230,00 € à charge.',
    estimate: 42000,
    createdDay: today - 60,
  });
  addThread(ctx, chunk, {
    ownerKind: 'member',
    memberId: r.memberId,
    companyId: null,
    accountId: r.accountId!,
    category: 'beneficiaires',
    object: 'Télétransmission pour mon fils Hugo',
    messages: [
      { author: 'owner', body: 'Bonjour, j\'ai demandé l\'activation de la télétransmission pour Hugo. Combien de temps faut-il compter ?' },
      { author: 'staff', body: 'Bonjour Madame Lefebvre, la demande a bien été transmise à la caisse primaire. L\'activation prend en général une à deux semaines ; son état est visible dans la rubrique Situation. Bien cordialement, Claire.' },
    ],
    createdDay: today - 4,
    status: 'open',
    ownerRead: false,
  });
  addThread(ctx, chunk, {
    ownerKind: 'member',
    memberId: r.memberId,
    companyId: null,
    accountId: r.accountId!,
    category: 'tiers_payant',
    object: 'Nouvelle carte de tiers payant',
    messages: [
      { author: 'owner', body: 'Bonjour, ma carte de tiers payant expire bientôt. Vais-je en recevoir une nouvelle ?' },
      { author: 'staff', body: 'Bonjour, la nouvelle carte est disponible dans votre espace dès le 15 décembre et vous sera aussi envoyée par courrier.' },
      { author: 'owner', body: 'Merci beaucoup !' },
    ],
    createdDay: today - 70,
    status: 'closed',
    ownerRead: true,
  });
  const notify = (kind: string, title: string, body: string, link: string, daysAgo: number, read: boolean) =>
    chunk.add('notifications', {
      id: nextId(ctx, 'notifications'),
      account_id: r.accountId!,
      kind,
      title,
      body,
      link,
      created_at: atTime(ctx, today - daysAgo),
      read_at: read ? atTime(ctx, today - daysAgo + 1) : null,
    });
  notify('message_reply', 'Nouvelle réponse à votre message', 'Un conseiller a répondu à « Télétransmission pour mon fils Hugo ».', '/assure/messages', 3, false);
  notify('request_answered', 'Votre demande de remboursement a été traitée', 'Séance d\'ostéopathie : 40,00 € remboursés.', '/assure/demandes', 18, true);
}

// ---------------------------------------------------------------------------- affiliation requests

interface RequestSpec {
  company: CompanyPlan;
  establishment: EstablishmentPlan;
  createdBy: number;
  mode: 'email' | 'courrier';
  status: 'sent' | 'started' | 'finalized' | 'abandoned' | 'cancelled';
  createdDaysAgo: number;
  decision?: 'validated' | 'refused';
  token?: string;
  person?: { sex: Sex; firstName: string; lastName: string; birthDate: string; birthPlace: string; email: string | null; nir?: string };
  memberId?: number;
  previousMemberId?: number | null;
  contractType?: 'CDI' | 'CDD';
  reminders?: number;
}

function addAffiliationRequests(ctx: Ctx, chunk: Chunk, companies: CompanyPlan[], accounts: DemoAccounts, camilleNir: string) {
  const rng = ctx.rng;
  const today = ctx.today;
  const verdier = companies.find((c) => c.key === 'verdier')!;
  const horizon = companies.find((c) => c.key === 'horizon')!;
  const ponant = companies.find((c) => c.key === 'ponant')!;
  const specs: RequestSpec[] = [
    { company: verdier, establishment: verdier.establishments[0], createdBy: accounts.hrAdmin, mode: 'email', status: 'sent', createdDaysAgo: 2, token: DEMO_FACTS.affiliationSent.token, person: { sex: 'M', firstName: 'Lucas', lastName: 'Bernard', birthDate: DEMO_FACTS.affiliationSent.birthDate, birthPlace: '69383', email: `lucas.bernard.rh@${DOMAIN}` } },
    { company: verdier, establishment: verdier.establishments[1], createdBy: accounts.hrUser, mode: 'courrier', status: 'sent', createdDaysAgo: 6 },
    { company: verdier, establishment: verdier.establishments[0], createdBy: accounts.hrAdmin, mode: 'email', status: 'started', createdDaysAgo: 9, token: DEMO_FACTS.affiliationStarted.token, reminders: 1, person: { sex: 'F', firstName: 'Inès', lastName: 'Haddad', birthDate: DEMO_FACTS.affiliationStarted.birthDate, birthPlace: '99350', email: `ines.haddad@${DOMAIN}` } },
    // Annecy is outside rh.utilisateur's perimeter (DEMO_FACTS.perimeterAddition): rh.admin pre-affiliated there.
    { company: verdier, establishment: verdier.establishments[2], createdBy: accounts.hrAdmin, mode: 'email', status: 'finalized', createdDaysAgo: 15 },
    { company: verdier, establishment: verdier.establishments[1], createdBy: accounts.hrAdmin, mode: 'email', status: 'finalized', createdDaysAgo: 52, decision: 'validated', memberId: 4, person: { sex: 'F', firstName: 'Camille', lastName: 'Roux', birthDate: '1997-10-02', birthPlace: '38185', email: `camille.roux@${DOMAIN}`, nir: camilleNir } },
    { company: verdier, establishment: verdier.establishments[0], createdBy: accounts.hrAdmin, mode: 'email', status: 'abandoned', createdDaysAgo: 75, reminders: 2 },
    { company: verdier, establishment: verdier.establishments[3], createdBy: accounts.hrUser, mode: 'email', status: 'cancelled', createdDaysAgo: 30 },
    { company: horizon, establishment: horizon.establishments[0], createdBy: accounts.hrAdmin, mode: 'email', status: 'sent', createdDaysAgo: 1, contractType: 'CDD', previousMemberId: ctx.endedMembers.get(horizon.id)?.[0] ?? null },
    { company: horizon, establishment: horizon.establishments[1], createdBy: accounts.hrAdmin, mode: 'email', status: 'started', createdDaysAgo: 12 },
    { company: horizon, establishment: horizon.establishments[2], createdBy: accounts.hrAdmin, mode: 'courrier', status: 'finalized', createdDaysAgo: 20, decision: 'refused' },
    { company: horizon, establishment: horizon.establishments[0], createdBy: accounts.hrAdmin, mode: 'email', status: 'finalized', createdDaysAgo: 4 },
    { company: horizon, establishment: horizon.establishments[0], createdBy: accounts.hrAdmin, mode: 'email', status: 'abandoned', createdDaysAgo: 48 },
    { company: horizon, establishment: horizon.establishments[1], createdBy: accounts.hrAdmin, mode: 'courrier', status: 'cancelled', createdDaysAgo: 25 },
    { company: ponant, establishment: ponant.establishments[0], createdBy: accounts.hrPonant, mode: 'email', status: 'sent', createdDaysAgo: 3 },
    { company: ponant, establishment: ponant.establishments[1], createdBy: accounts.hrPonant, mode: 'email', status: 'started', createdDaysAgo: 8 },
    { company: ponant, establishment: ponant.establishments[2], createdBy: accounts.hrPonant, mode: 'email', status: 'finalized', createdDaysAgo: 10 },
    { company: ponant, establishment: ponant.establishments[0], createdBy: accounts.hrPonant, mode: 'email', status: 'abandoned', createdDaysAgo: 60 },
    { company: ponant, establishment: ponant.establishments[1], createdBy: accounts.hrPonant, mode: 'courrier', status: 'cancelled', createdDaysAgo: 18 },
  ];

  for (const spec of specs) {
    const id = nextId(ctx, 'affiliation_requests');
    const createdDay = today - spec.createdDaysAgo;
    const createdAt = atTime(ctx, createdDay, 8, 18);
    const sex: Sex = spec.person?.sex ?? (rng.chance(0.55) ? 'F' : 'M');
    const firstName = spec.person?.firstName ?? firstNameFor(rng, sex);
    const lastName = spec.person?.lastName ?? rng.pick(LAST_NAMES);
    const birthDate = spec.person?.birthDate ?? isoDay(today - rng.int(20, 55) * 365 - rng.int(0, 364));
    const place = spec.person?.birthPlace ?? birthPlace(rng);
    const nir = spec.person?.nir ?? makeNir(ctx, sex, birthDate, place);
    const email = spec.mode === 'courrier' ? null : (spec.person?.email ?? `${slug(firstName)}.${slug(lastName)}.${id}@${DOMAIN}`);
    const entryDay = createdDay + rng.int(-5, 10);
    const contractType = spec.contractType ?? 'CDI';
    const college: College = rng.chance(0.25) ? 'cadre' : 'non_cadre';
    const tokenLive = spec.status === 'sent' || spec.status === 'started' || spec.status === 'abandoned';
    const token = spec.token ?? `tok-${rng.hex(40)}`;
    // Links are valid 30 days; an abandoned request is one whose link expired.
    const tokenExpiresDay = createdDay + 30;
    const startedDay = spec.status === 'sent' ? null : createdDay + rng.int(0, Math.max(0, Math.min(5, spec.createdDaysAgo - 1)));
    const submittedDay = spec.status === 'finalized' && startedDay !== null ? Math.min(today, startedDay + rng.int(0, 3)) : null;
    const town = rng.weighted(TOWN_CHOICES);
    const iban = makeFrenchIban('30004', rng.digits(5), rng.digits(11));
    const formData =
      spec.status === 'sent' || (spec.status === 'cancelled' && rng.chance(0.5)) || spec.mode === 'courrier'
        ? null
        : {
            identity: { sex, lastName, firstName, birthName: null, birthDate, nir },
            address: { line1: streetAddress(rng), line2: null, postalCode: town.postalCode, city: town.city },
            contact: { email, mobile: demoMobile(rng) },
            ...(spec.status === 'started'
              ? {}
              : {
                  bank: { iban, bic: 'BNPAFRPPXXX', holder: `${sex === 'M' ? 'M.' : 'Mme'} ${firstName} ${upperName(lastName)}` },
                  fundCode: fundCode(rng, town.department),
                  teletransmission: true,
                  beneficiaries: rng.chance(0.5)
                    ? [{ relationship: 'enfant', sex: 'F', lastName, firstName: rng.pick(FIRST_NAMES_FEMALE), birthDate: isoDay(today - rng.int(1, 12) * 365), nir: null }]
                    : [],
                }),
          } satisfies StoredForm;
    // « Démarré par le salarié » means a draft saved online (src/domain/affiliation-requests.ts):
    // a request has started_at and its « started » / « draft_saved » events exactly when its form
    // holds the employee's draft, saved before any cancellation.
    const cancelledDay = Math.min(today, createdDay + 3);
    const draftDay =
      spec.mode === 'email' && formData !== null && startedDay !== null ? (spec.status === 'cancelled' ? Math.min(startedDay, cancelledDay) : startedDay) : null;
    const draftAt = draftDay !== null ? atTime(ctx, draftDay) : null;
    const startedAt = draftAt !== null && draftAt < createdAt ? createdAt : draftAt;
    const submittedDraw = submittedDay !== null ? atTime(ctx, submittedDay) : null;
    const submittedAt = submittedDraw !== null && startedAt !== null && submittedDraw < startedAt ? startedAt : submittedDraw;
    let reminders = spec.reminders ?? 0;
    if (spec.status === 'sent' || spec.status === 'started') reminders = Math.min(reminders, Math.max(0, spec.createdDaysAgo - 1));
    const lastReminderDay = reminders > 0 ? Math.min(today - 1, createdDay + 7 * reminders) : null;
    const decidedDay = spec.decision && submittedDay !== null ? Math.min(today, submittedDay + rng.int(1, 4)) : null;
    chunk.add('affiliation_requests', {
      id,
      company_id: spec.company.id,
      establishment_id: spec.establishment.id,
      created_by_account_id: spec.createdBy,
      mode: spec.mode,
      status: spec.status,
      professional_status: college,
      previous_member_id: spec.previousMemberId ?? null,
      nir,
      last_name: lastName,
      first_name: firstName,
      email,
      birth_date: birthDate,
      entry_date: isoDay(entryDay),
      affiliation_date: isoDay(entryDay),
      employment_contract_type: contractType,
      employment_start_date: isoDay(entryDay),
      employment_end_date: contractType === 'CDD' ? isoDay(addMonthsDay(entryDay, 6) - 1) : null,
      company_status: 'salarie',
      token_hash: tokenLive && spec.mode === 'email' ? sha256(token) : null,
      token_expires_at: tokenLive && spec.mode === 'email' ? isoAt(tokenExpiresDay, 23 * 3600 + 3599) : null,
      dob_attempts: 0,
      form_data: formData ? JSON.stringify(formData) : null,
      started_at: startedAt,
      submitted_at: submittedAt,
      last_reminder_at: lastReminderDay !== null ? atTime(ctx, lastReminderDay, 9, 12) : null,
      reminder_count: reminders,
      decision: decidedDay !== null ? spec.decision : null,
      decision_reason: spec.decision === 'refused' ? "Attestation de droits de la Sécurité sociale illisible : merci de transmettre un document lisible." : null,
      decided_at: decidedDay !== null ? atTime(ctx, decidedDay) : null,
      decided_by_account_id: decidedDay !== null ? accounts.staff : null,
      member_id: spec.decision === 'validated' ? (spec.memberId ?? null) : null,
      created_at: createdAt,
      updated_at: createdAt,
    });
    const event = (kind: string, day: number, accountId: number | null, detail: Record<string, unknown> | null = null, at?: string) =>
      chunk.add('affiliation_request_events', {
        id: nextId(ctx, 'affiliation_request_events'),
        request_id: id,
        kind,
        at: at ?? (day === createdDay ? createdAt : atTime(ctx, day, 8, 20)),
        account_id: accountId,
        detail: detail ? JSON.stringify(detail) : null,
      });
    event('created', createdDay, spec.createdBy, { mode: spec.mode });
    event(spec.mode === 'email' ? 'email_sent' : 'courrier_ready', createdDay, spec.createdBy);
    for (let n = 1; n <= reminders; n++) event('reminder_sent', Math.min(today - 1, createdDay + 7 * n), spec.createdBy, { number: n });
    if (draftDay !== null && startedAt !== null) {
      // The first draft moves the request and is recorded at the same instant, as the app does.
      event('started', draftDay, null, null, startedAt);
      event('draft_saved', draftDay, null, null, startedAt);
    }
    if (submittedDay !== null && submittedAt !== null) event('submitted', submittedDay, null, null, submittedAt);
    if (spec.status === 'abandoned') event('abandoned', createdDay + 30, null, { reason: 'link_expired' });
    if (spec.status === 'cancelled') event('cancelled', cancelledDay, spec.createdBy);
    if (decidedDay !== null) event(spec.decision!, decidedDay, accounts.staff);

    if (spec.status === 'finalized' && ctx.uploadDir) {
      for (const [kind, title] of [['rib', 'Relevé d\'identité bancaire'], ['attestation_droits', 'Attestation de droits à l\'assurance maladie']] as const) {
        chunk.add('affiliation_request_documents', {
          id: nextId(ctx, 'affiliation_request_documents'),
          request_id: id,
          kind,
          original_name: `${slug(title)}.pdf`,
          stored_name: `${rng.hex(32)}.pdf`,
          mime: 'application/pdf',
          size_bytes: 0,
          created_at: submittedDay !== null ? atTime(ctx, submittedDay) : createdAt,
          __file: {
            dir: 'affiliations',
            title,
            lines:
              kind === 'rib'
                ? [`Titulaire : ${firstName} ${upperName(lastName)}`, `IBAN : ${iban.replace(/(.{4})/g, '$1 ').trim()}`, 'BIC : BNPAFRPPXXX']
                : [`Assuré : ${firstName} ${upperName(lastName)}`, `Numéro de Sécurité sociale : ${nir.slice(0, 13)} ${nir.slice(13)}`, 'Droits ouverts au régime général.'],
          },
        });
      }
    }
    if (spec.status === 'finalized' && spec.decision === undefined) {
      // What notifyHrOfFinalizedForm (src/affiliation/queries.ts) writes when the employee transmits
      // the form: to the HR user who pre-affiliated them, linking to the request they can open.
      chunk.add('notifications', {
        id: nextId(ctx, 'notifications'),
        account_id: spec.createdBy,
        kind: 'affiliation_finalized',
        title: "Formulaire d'affiliation transmis",
        body: `${firstName} ${lastName} a transmis son formulaire d'affiliation (${spec.establishment.name}).`,
        link: `/entreprise/suivi-affiliations/${id}`,
        created_at: submittedDay !== null ? atTime(ctx, submittedDay) : createdAt,
        read_at: null,
      });
    }
  }
}

function addHrThreads(ctx: Ctx, chunk: Chunk, companies: CompanyPlan[], accounts: DemoAccounts) {
  const today = ctx.today;
  const verdier = companies.find((c) => c.key === 'verdier')!;
  const horizon = companies.find((c) => c.key === 'horizon')!;
  const ponant = companies.find((c) => c.key === 'ponant')!;
  addThread(ctx, chunk, {
    ownerKind: 'hr',
    memberId: null,
    companyId: verdier.id,
    accountId: accounts.hrAdmin,
    category: 'gerer_contrat',
    object: 'Information sur les cotisations collectives',
    messages: [
      { author: 'owner', body: 'Bonjour, pouvez-vous me confirmer le taux de cotisation 2027 pour le collège des non-cadres ?' },
      { author: 'staff', body: 'Bonjour Madame Marchand, le taux 2027 de la base conventionnelle est inchangé. Vous trouverez l\'avenant dans « Mes documents pratiques ». Bien cordialement.' },
    ],
    createdDay: today - 6,
    status: 'open',
    ownerRead: false,
  });
  addThread(ctx, chunk, {
    ownerKind: 'hr',
    memberId: null,
    companyId: verdier.id,
    accountId: accounts.hrUser,
    category: 'mes_salaries',
    object: "Radiation d'un salarié",
    messages: [{ author: 'owner', body: 'Bonjour, notre salarié M. Girard quitte l\'entreprise le 31 du mois (rupture conventionnelle). Merci de procéder à sa radiation avec maintien au titre de la portabilité.' }],
    createdDay: today - 2,
    status: 'open',
    ownerRead: true,
  });
  addThread(ctx, chunk, {
    ownerKind: 'hr',
    memberId: null,
    companyId: horizon.id,
    accountId: accounts.hrAdmin,
    category: 'mes_salaries',
    object: 'Transmettre des documents pour mon salarié',
    messages: [
      { author: 'owner', body: 'Bonjour, vous trouverez ci-joint la demande de dispense signée de notre nouvelle salariée.' },
      { author: 'staff', body: 'Bonjour, nous avons bien reçu la demande de dispense, elle est enregistrée. Bien cordialement.' },
    ],
    createdDay: today - 40,
    status: 'closed',
    ownerRead: true,
  });
  addThread(ctx, chunk, {
    ownerKind: 'hr',
    memberId: null,
    companyId: ponant.id,
    accountId: accounts.hrPonant,
    category: 'gerer_contrat',
    object: 'Autre demande',
    messages: [{ author: 'owner', body: 'Bonjour, pouvons-nous recevoir une attestation de régime frais de santé pour notre appel d\'offres ?' }],
    createdDay: today - 1,
    status: 'open',
    ownerRead: true,
  });
  chunk.add('notifications', {
    id: nextId(ctx, 'notifications'),
    account_id: accounts.hrAdmin,
    kind: 'message_reply',
    title: 'Nouvelle réponse à votre message',
    body: 'Réponse à « Information sur les cotisations collectives ».',
    link: '/entreprise/messages',
    created_at: atTime(ctx, today - 5),
    read_at: null,
  });
  chunk.add('notifications', {
    id: nextId(ctx, 'notifications'),
    account_id: accounts.hrAdmin,
    kind: 'habilitation_activated',
    title: 'Nouvel utilisateur sur votre espace',
    body: 'Hugo Lambert a activé son accès Utilisateur sur Cabinet Verdier Immobilier.',
    link: '/entreprise/habilitations',
    created_at: atTime(ctx, today - 200),
    read_at: atTime(ctx, today - 199),
  });
}

// ---------------------------------------------------------------------------- health professionals

function healthProfessionalRows(ctx: Ctx, count: number): Row[] {
  const rng = ctx.rng;
  const rows: Row[] = [];
  const specialtyChoices = SPECIALTIES.map((s) => [s, s.weight] as const);
  const created = atTime(ctx, ctx.today - 500);
  for (let i = 0; i < count; i++) {
    // Every town first (twice), then by size: the directory covers all of France.
    const town = i < TOWNS.length * 2 ? TOWNS[i % TOWNS.length] : rng.weighted(TOWN_CHOICES);
    const specialty = i < TOWNS.length ? (i % 2 === 0 ? SPECIALTIES[0] : SPECIALTIES[1]) : rng.weighted(specialtyChoices);
    let name: string;
    switch (specialty.naming) {
      case 'doctor':
        name = doctorName(rng);
        break;
      case 'person':
        name = personName(rng);
        break;
      case 'pharmacy':
        name = rng.pick(PHARMACY_NAMES);
        break;
      case 'optician':
        name = rng.pick(OPTICIAN_NAMES);
        break;
      case 'audio':
        name = rng.pick(AUDIO_NAMES);
        break;
      case 'lab':
        name = `${rng.pick(LAB_NAMES)} — ${town.city}`;
        break;
      case 'radiology':
        name = `${rng.pick(RADIOLOGY_NAMES)} de ${town.city}`;
        break;
      case 'clinic':
        name = rng.pick(CLINIC_NAMES) + (rng.chance(0.5) ? ` de ${town.city}` : '');
        break;
      case 'dental_centre':
        name = rng.pick(DENTAL_CENTRE_NAMES);
        break;
    }
    const spread = town.city === 'Paris' ? 0.012 : 0.03;
    rows.push({
      id: nextId(ctx, 'health_professionals'),
      name,
      specialty: specialty.code,
      specialty_label: specialty.label,
      address_line: streetAddress(rng),
      postal_code: town.postalCode,
      city: town.city,
      latitude: Math.round((town.lat + rng.gaussian() * spread) * 1e6) / 1e6,
      longitude: Math.round((town.lon + rng.gaussian() * spread * 1.4) * 1e6) / 1e6,
      phone: landline(rng, town.department),
      tiers_payant: rng.chance(specialty.tiersPayantRate),
      network_member: rng.chance(specialty.networkRate),
      created_at: created,
    });
  }
  return rows;
}

// ---------------------------------------------------------------------------- files

/** Writes the PDF behind each attachment row prepared with a `__file` description. */
async function writeAttachmentFiles(ctx: Ctx, rows: Row[]) {
  if (!ctx.uploadDir) return;
  const created = new Date(ctx.today * 86_400_000);
  for (const row of rows) {
    const file = row.__file as { dir: string; title: string; lines: string[] } | undefined;
    if (!file) continue;
    delete row.__file;
    row.size_bytes = await docs.writeAttachment(path.join(ctx.uploadDir, file.dir, row.stored_name as string), ctx.brand, created, file.title, file.lines);
  }
}

async function flushWithFiles(ctx: Ctx, chunk: Chunk) {
  // Files first, so a row never points to a missing file.
  for (const table of ['request_attachments', 'message_attachments', 'affiliation_request_documents'] as const) {
    const rows = chunk.rows(table);
    if (rows) await writeAttachmentFiles(ctx, rows);
  }
  await chunk.flush(ctx.db);
}

async function addPracticalDocuments(ctx: Ctx, chunk: Chunk, companies: CompanyPlan[]) {
  if (!ctx.uploadDir) return;
  const dir = path.join(ctx.uploadDir, 'documents');
  const published = new Date((ctx.today - 30) * 86_400_000 + 9 * 3600_000);
  const add = async (
    category: string,
    title: string,
    description: string,
    audience: 'entreprise' | 'assure' | 'tous',
    fileName: string,
    write: (file: string) => Promise<number>,
    companyId: number | null = null,
    contractId: number | null = null,
  ) => {
    const stored = `${ctx.rng.hex(32)}.pdf`;
    const size = await write(path.join(dir, stored));
    chunk.add('practical_documents', {
      id: nextId(ctx, 'practical_documents'),
      category,
      title,
      description,
      audience,
      company_id: companyId,
      contract_id: contractId,
      stored_name: stored,
      original_name: fileName,
      mime: 'application/pdf',
      size_bytes: size,
      published_at: published.toISOString(),
    });
  };
  const brand = ctx.brand;
  for (const college of ['cadre', 'non_cadre'] as const) {
    const name = college === 'cadre' ? 'Cadres' : 'Non-cadres';
    await add(
      'resumes_garanties',
      `Résumé des garanties — ${name}`,
      `Tableau des garanties frais de santé du collège des ${name.toLowerCase()}, de la base conventionnelle à l'option 3.`,
      'tous',
      `resume-garanties-${slug(name)}.pdf`,
      (file) => docs.writeGuaranteeSummary(file, brand, published, { college, contractLabel: contractLabel(college) }),
    );
  }
  for (const company of companies.slice(0, 4)) {
    for (const college of ['cadre', 'non_cadre'] as const) {
      const name = college === 'cadre' ? 'Cadres' : 'Non-cadres';
      await add(
        'resumes_garanties',
        `Résumé des garanties ${company.name} — ${name}`,
        `Garanties du contrat CT${pad(company.id, 5)}-${college === 'cadre' ? 'C' : 'NC'}, formule « ${LEVEL_NAMES[company.levels[college]]} ».`,
        'tous',
        `resume-garanties-${slug(company.name)}-${slug(name)}.pdf`,
        (file) =>
          docs.writeGuaranteeSummary(file, brand, published, {
            college,
            contractLabel: contractLabel(college),
            companyName: company.name,
            contractReference: `CT${pad(company.id, 5)}-${college === 'cadre' ? 'C' : 'NC'}`,
            level: company.levels[college],
          }),
        company.id,
        company.contractIds[college],
      );
    }
  }
  await add('formulaires', 'Formulaire de portabilité des droits', 'À remettre au salarié qui quitte l\'entreprise et bénéficie de l\'assurance chômage.', 'entreprise', 'formulaire-portabilite.pdf', (file) => docs.writePortabilityForm(file, brand, published));
  await add('formulaires', "Demande de dispense d'affiliation", 'Formulaire à faire signer au salarié qui demande à être dispensé du régime obligatoire.', 'entreprise', 'demande-dispense-affiliation.pdf', (file) => docs.writeDispensationForm(file, brand, published));
  await add('notices', "Notice d'information du régime frais de santé", 'Garanties, bénéficiaires, cotisations, portabilité, télétransmission, réclamations.', 'tous', 'notice-information.pdf', (file) => docs.writeInformationNotice(file, brand, published));
  await add('guides', "Guide de l'Espace Entreprise", 'Activation, habilitations, pré-affiliation, suivi des demandes : le mode d\'emploi de votre espace.', 'entreprise', 'guide-espace-entreprise.pdf', (file) => docs.writeEntrepriseGuide(file, brand, published));
  await add('guides', "Guide de l'Espace Assuré", 'Carte de tiers payant, remboursements, devis, informations personnelles.', 'assure', 'guide-espace-assure.pdf', (file) => docs.writeAssureGuide(file, brand, published));
}

// ---------------------------------------------------------------------------- entry points

/** Inserts the demo data set into an empty, migrated database. */
export async function seedDemo(db: Db, options: SeedOptions = {}): Promise<SeedSummary> {
  const scale = options.scale ?? 1;
  if (!(scale > 0) || scale > 1000) throw new RangeError('seedDemo: scale must be > 0 and ≤ 1000');
  const started = Date.now();
  const log = options.log ?? (() => {});
  const existing = await db('companies').count({ n: '*' }).first();
  if (Number(existing?.n ?? 0) > 0) throw new Error('seedDemo: the database already holds companies; seed an empty database (npm run seed -- --reset).');

  const now = options.now ?? new Date();
  const brand = options.brand ?? loadBrand(path.join(BRAND_DIR, 'demo.json'));
  const ctx: Ctx = {
    db,
    rng: new Random(options.seed ?? 20261122),
    today: Math.floor(now.getTime() / 86_400_000),
    nowIso: now.toISOString(),
    nowMs: now.getTime(),
    uploadDir: options.uploadDir ?? null,
    brand: brandFromConfig(brand),
    demoHash: await hashPassword(DEMO_PASSWORD),
    ids: Object.fromEntries(SEED_ORDER.map((t) => [t, 0])) as Record<SeedTable, number>,
    nirs: new Set(),
    emails: new Set(),
    statementSeq: 0,
    requestSeq: 0,
    staffAccountId: 0,
    endedMembers: new Map(),
    fileCount: 0,
    log,
    started,
  };
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

  const memberCount = Math.max(20, Math.round(300 * scale));
  const specialsCount = 4;
  const generatedCount = memberCount - specialsCount;

  // 1. Staff and HR accounts, companies, contracts and guarantees, habilitations.
  let chunk = new Chunk();
  const accounts = addStaffAndHrAccounts(ctx, chunk);
  const companies = planCompanies(ctx, generatedCount);
  addCompanies(ctx, chunk, companies, accounts);
  await chunk.flush(db);
  log(`entreprises : ${companies.length}, établissements : ${ctx.ids.establishments} — ${elapsed()}`);

  // 2. Health professionals.
  const professionals = healthProfessionalRows(ctx, scale >= 1 ? 600 + Math.round(30 * (scale - 1)) : Math.max(60, Math.round(600 * scale)));
  for (let i = 0; i < professionals.length; i += 5000) await bulkInsert(db, [['health_professionals', professionals.slice(i, i + 5000)]]);
  log(`professionnels de santé : ${professionals.length} — ${elapsed()}`);

  // 3. Members with their families, by chunks. Each generated member gets an establishment slot.
  const slots = new Int32Array(generatedCount);
  const establishments = new Map<number, { company: CompanyPlan; establishment: EstablishmentPlan }>();
  let k = 0;
  for (const company of companies) {
    for (const e of company.establishments) {
      establishments.set(e.id, { company, establishment: e });
      for (let q = 0; q < e.quota; q++) slots[k++] = e.id;
    }
  }
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(ctx.rng.next() * (i + 1));
    const tmp = slots[i];
    slots[i] = slots[j];
    slots[j] = tmp;
  }
  ctx.ids.members = specialsCount;
  chunk = new Chunk();
  let camilleNir = '';
  for (const family of specialFamilies(ctx, companies)) {
    const result = emitFamily(ctx, chunk, family);
    if (family.id === 1) marieActivity(ctx, chunk, result);
    if (family.id === 4) camilleNir = result.nir;
  }
  for (let i = 0; i < generatedCount; i++) {
    const { company, establishment } = establishments.get(slots[i])!;
    emitFamily(ctx, chunk, randomFamily(ctx, nextId(ctx, 'members'), company, establishment));
    if ((i + 1) % MEMBERS_PER_CHUNK === 0 || i === generatedCount - 1) {
      const lines = chunk.size('statement_lines');
      await flushWithFiles(ctx, chunk);
      log(`adhérents : ${ctx.ids.members} / ${memberCount}, lignes de décompte : ${ctx.ids.statement_lines} (+${lines}) — ${elapsed()}`);
    }
  }
  await flushWithFiles(ctx, chunk);

  // 4. Online affiliations, HR messages, documents pratiques.
  chunk = new Chunk();
  addAffiliationRequests(ctx, chunk, companies, accounts, camilleNir);
  addHrThreads(ctx, chunk, companies, accounts);
  await addPracticalDocuments(ctx, chunk, companies);
  await flushWithFiles(ctx, chunk);
  log(`demandes d'affiliation, messages RH, documents pratiques — ${elapsed()}`);

  // 5. Sequences after explicit ids, planner statistics.
  await resetSequences(db, SEED_ORDER);
  await syncReferenceSequences(db);
  await refreshPlannerStatistics(db);
  log(`statistiques de l'optimiseur (ANALYZE) — ${elapsed()}`);

  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    const row = await db(table).count({ n: '*' }).first();
    counts[table] = Number(row?.n ?? 0);
  }
  return { counts, elapsedMs: Date.now() - started };
}

/**
 * Seeds the demo data the first time the portal starts (npm start with SEED_DEMO), never again:
 * `demo_seeded_at` in app_meta records it. Several instances starting together on one PostgreSQL
 * database agree through a claim row, so only one of them seeds.
 */
export async function seedDemoIfFirstStart(db: Db, options: SeedOptions = {}): Promise<SeedSummary | null> {
  if ((await readMeta(db, 'demo_seeded_at')) !== null) return null;
  const claim = crypto.randomUUID();
  await db('app_meta').insert({ key: 'demo_seed_claim', value: claim }).onConflict('key').ignore();
  if ((await readMeta(db, 'demo_seed_claim')) !== claim) return null;
  let summary: SeedSummary;
  try {
    summary = await seedDemo(db, options);
  } catch (err) {
    // Chunks already written stay: the claim is kept so no start retries on half a data set.
    throw new Error(`Chargement des données de démonstration interrompu (${(err as Error).message}). Recréez-les avec : npm run seed -- --reset`, { cause: err });
  }
  await writeMeta(db, 'demo_seeded_at', new Date().toISOString());
  return summary;
}

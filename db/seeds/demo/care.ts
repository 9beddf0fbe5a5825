// Care lines (décomptes): what a care costs and who pays it, which care a person gets, who gave it.
import {
  AUDIO_NAMES,
  CARE_TYPES,
  CLINIC_NAMES,
  LAB_NAMES,
  OPTICIAN_NAMES,
  PHARMACY_NAMES,
  RADIOLOGY_NAMES,
  type CareType,
  type Level,
} from '../french-data.js';
import type { Row } from '../bulk.js';
import { dayNumber, isoDay, type Random } from '../random.js';
import { nextId, type Chunk, type Ctx, type Sex } from './context.js';
import { pad, pastMoment, weekday } from './helpers.js';
import { doctorName, personName } from './people.js';

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

export interface FamilyProfessionals {
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

// ---------------------------------------------------------------------------- décomptes

/** How many care lines one beneficiary gets, between which days (families.ts decides). */
export interface BeneficiaryLines {
  beneficiaryId: number;
  from: number;
  to: number;
  age: number;
  sex: Sex;
  count: number;
}

/** Writes a family's décomptes: its care lines, grouped by payment date into statements. */
export function addStatements(ctx: Ctx, chunk: Chunk, memberId: number, lineWork: BeneficiaryLines[], level: Level, family: FamilyProfessionals) {
  const lines = drawCareLines(ctx, memberId, lineWork, level, family);
  groupIntoStatements(ctx, chunk, memberId, lines);
}

/** The care lines of each beneficiary, with their amounts and payment date (statement_id still 0). */
function drawCareLines(ctx: Ctx, memberId: number, lineWork: BeneficiaryLines[], level: Level, family: FamilyProfessionals): Row[] {
  const rng = ctx.rng;
  const today = ctx.today;
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
  return lines;
}

/** One statement per payment date; each line gets its statement and its own id. */
function groupIntoStatements(ctx: Ctx, chunk: Chunk, memberId: number, lines: Row[]) {
  const rng = ctx.rng;
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
}

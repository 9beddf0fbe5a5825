// The reste-à-charge estimate of a devis: for each line of a quote the member
// typed (an act of src/domain/care-acts.ts, the amount, optionally the Sécurité sociale base, the
// number of days for per-day acts), what the Sécurité sociale pays, what the member's guarantee
// table pays, and what is left — every figure with the French sentence that explains it. Pure:
// the caller reads the guarantee lines of the member's contract and the décomptes of the year.
//
// How a guarantee line of the table (guarantee_lines, db/migrations/20261122090000_initial_schema.ts)
// is read:
// - br_percent « 200 % BR – RSS »: the Sécurité sociale and the contract together pay up to 200 % of
//   the base (« remboursement Sécurité sociale inclus »), so the contract adds 200 % of the base less
//   what the Sécurité sociale paid. Every percentage is read so, as in contrats responsables.
// - flat_amount_cents: a forfait; « par nuit », « par jour », « par séance » multiply it by the days
//   of the line; « par an » (without a yearly_cap_cents) makes the forfait itself a yearly allowance;
//   otherwise (« par équipement », « par œil », « par oreille ») it is paid per act. Both a
//   percentage and a forfait (aides auditives classe II): the two add up.
// - yearly_cap_cents: what the line pays at most in a year.
// - no figure, « Frais réels … » in the coverage text (100 % Santé, forfait journalier): the contract
//   pays what the Sécurité sociale leaves, within the legal price limits the professional must respect.
// - any other text: not estimated; the sentence says the insurer will answer.
// What the contract pays is never more than what is left after the Sécurité sociale, nor than what
// remains of a yearly allowance or cap: `usedThisYearCents` (per guarantee line id, for this
// beneficiary and this calendar year, see usedThisYearByGuarantee) and the lines of the same quote
// before it. A guarantee line is found from the act's `guarantee` (category, beginning of the
// label); when the table has none, a contrat responsable still pays the ticket modérateur (100 % of
// the base, Sécurité sociale included) of an act the Sécurité sociale reimburses.
// Amounts are integer cents; a share of a base is rounded to the nearest cent.
import { findCareAct, type CareAct } from './care-acts.js';
import { formatEuros, formatPercent } from './money.js';
import { formatCount } from './text.js';

/** A row of guarantee_lines, as the store reads it. */
export interface GuaranteeLine {
  id: number;
  category: string;
  label: string;
  coverage: string;
  br_percent: number | null;
  flat_amount_cents: number | null;
  yearly_cap_cents: number | null;
}

export interface QuoteLineInput {
  actCode: string;
  /** What the quote asks the member to pay for the line. */
  amountCents: number;
  /** The Sécurité sociale base printed on the quote; the act's default base when absent. */
  baseCents?: number | null;
  /** Days (nights) of a per-day act; 1 when absent. */
  days?: number | null;
}

export interface EstimateInput {
  lines: readonly QuoteLineInput[];
  guarantees: readonly GuaranteeLine[];
  /** What each guarantee line (by id) already paid this calendar year for this beneficiary. */
  usedThisYearCents?: ReadonlyMap<number, number>;
  /** A contrat responsable pays at least the ticket modérateur; true for the group contracts of this portal. */
  responsibleContract?: boolean;
}

interface Figure {
  cents: number;
  explanation: string;
}

interface LineEstimate {
  act: CareAct;
  amountCents: number;
  /** The base used: typed, or the act's default (per day × days); null when unknown. */
  baseCents: number | null;
  days: number;
  /** Set when the act is reimbursed by the Sécurité sociale but no base was typed nor known. */
  baseMissing: boolean;
  guarantee: GuaranteeLine | null;
  securiteSociale: Figure;
  complementary: Figure;
  resteACharge: Figure;
}

export interface QuoteEstimate {
  lines: LineEstimate[];
  total: { amountCents: number; securiteSociale: Figure; complementary: Figure; resteACharge: Figure };
}

const euros = formatEuros;

/** The guarantee line that covers an act: same category, label beginning as the act says. */
export function guaranteeLineFor(act: CareAct, guarantees: readonly GuaranteeLine[]): GuaranteeLine | null {
  return guarantees.find((g) => g.category === act.guarantee.category && g.label.startsWith(act.guarantee.labelStartsWith)) ?? null;
}

type FlatPeriod = 'per_day' | 'per_year' | 'per_act';

const PER_DAY = /\bpar (nuit|jour|séance)\b/i;

function flatPeriod(coverage: string): FlatPeriod {
  if (PER_DAY.test(coverage)) return 'per_day';
  if (/\bpar an\b/i.test(coverage)) return 'per_year';
  return 'per_act';
}

/** The yearly ceiling of a line: its cap, or its forfait when the forfait is « par an ». */
function yearlyLimit(g: GuaranteeLine): number | null {
  if (g.yearly_cap_cents !== null) return g.yearly_cap_cents;
  if (g.flat_amount_cents !== null && flatPeriod(g.coverage) === 'per_year') return g.flat_amount_cents;
  return null;
}

function share(baseCents: number, percent: number): number {
  return Math.round((baseCents * percent) / 100);
}

function requireCents(value: number, what: string, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${what} must be an integer ≥ ${min}, got ${String(value)}`);
}

function securiteSociale(act: CareAct, base: number | null, amount: number): Figure {
  const rule = act.ss;
  if (rule.percent === 0) return { cents: 0, explanation: rule.notReimbursed ?? 'La Sécurité sociale ne rembourse pas cet acte.' };
  if (base === null) {
    return {
      cents: 0,
      explanation: "La base de remboursement de la Sécurité sociale n'est pas indiquée : sa part n'est pas estimée. Reportez la base figurant sur votre devis.",
    };
  }
  let cents: number;
  let explanation: string;
  const heavy = rule.heavyAct;
  if (heavy && base >= heavy.thresholdCents) {
    cents = Math.max(0, base - heavy.participationCents);
    explanation = `La base de remboursement de ${euros(base)} atteint ${euros(heavy.thresholdCents)} : la Sécurité sociale la rembourse à 100 %, moins la participation forfaitaire de ${euros(heavy.participationCents)}, soit ${euros(cents)}`;
  } else {
    cents = share(base, rule.percent);
    explanation = `La Sécurité sociale rembourse ${formatPercent(rule.percent)} de la base de remboursement de ${euros(base)}, soit ${euros(cents)}`;
  }
  if (cents > amount) {
    cents = amount;
    explanation += `, dans la limite de la dépense : ${euros(cents)}`;
  }
  return { cents, explanation: `${explanation}.` };
}

interface Used {
  before: number;
  inQuote: number;
}

function complementary(
  act: CareAct,
  g: GuaranteeLine | null,
  line: { base: number | null; days: number; amount: number; ss: number },
  used: Used,
  responsible: boolean,
): Figure {
  const left = line.amount - line.ss;
  const parts: string[] = [];
  let raw: number;
  if (g === null) {
    if (!responsible || act.ss.percent === 0 || line.base === null) {
      return { cents: 0, explanation: 'Votre tableau de garanties ne prévoit pas de prise en charge pour cet acte.' };
    }
    raw = Math.max(0, line.base - line.ss);
    parts.push(
      `Votre tableau de garanties ne cite pas cet acte, mais votre contrat responsable rembourse au moins le ticket modérateur : 100 % de la base, Sécurité sociale comprise, soit ${euros(raw)}`,
    );
  } else if (g.br_percent === null && g.flat_amount_cents === null) {
    if (!/frais réels/i.test(g.coverage)) {
      return {
        cents: 0,
        explanation: `Votre garantie « ${g.label} » (${g.coverage}) ne peut pas être estimée ici : votre conseiller la précisera dans sa réponse.`,
      };
    }
    raw = left;
    parts.push(`Votre garantie « ${g.label} » prend en charge les frais réels laissés par la Sécurité sociale (${g.coverage}), soit ${euros(raw)}`);
  } else {
    raw = 0;
    const pieces: string[] = [];
    if (g.br_percent !== null) {
      if (line.base === null) {
        pieces.push(
          `jusqu'à ${formatPercent(g.br_percent)} de la base, Sécurité sociale comprise (la base n'étant pas indiquée, cette part n'est pas estimée)`,
        );
      } else {
        const ceiling = share(line.base, g.br_percent);
        const brPart = Math.max(0, ceiling - line.ss);
        raw += brPart;
        pieces.push(`jusqu'à ${formatPercent(g.br_percent)} de la base, Sécurité sociale comprise : ${euros(ceiling)} − ${euros(line.ss)} = ${euros(brPart)}`);
      }
    }
    if (g.flat_amount_cents !== null) {
      const flat = g.flat_amount_cents;
      const perDay = PER_DAY.exec(g.coverage);
      if (perDay && act.perDay) {
        const unit = perDay[1].toLowerCase();
        raw += flat * line.days;
        pieces.push(`un forfait de ${euros(flat)} par ${unit} pendant ${formatCount(line.days, unit, `${unit}s`)}, soit ${euros(flat * line.days)}`);
      } else {
        raw += flat;
        pieces.push(`un forfait ${flatPeriod(g.coverage) === 'per_year' ? 'annuel ' : ''}de ${euros(flat)}`);
      }
    }
    parts.push(`Votre garantie « ${g.label} » (${g.coverage}) prévoit ${pieces.join(', plus ')}`);
  }
  let cents = raw;
  if (cents > left) {
    cents = left;
    parts.push(`dans la limite de la dépense laissée par la Sécurité sociale, ${euros(left)}`);
  }
  if (act.totalCeilingCents !== undefined && cents > act.totalCeilingCents - line.ss) {
    cents = Math.max(0, act.totalCeilingCents - line.ss);
    parts.push(`dans la limite de ${euros(act.totalCeilingCents)} par appareil, Sécurité sociale comprise, que fixe la loi pour un contrat responsable`);
  }
  const limit = g === null ? null : yearlyLimit(g);
  if (limit !== null) {
    const remaining = Math.max(0, limit - used.before - used.inQuote);
    let usedText = used.before > 0 ? `, dont ${euros(used.before)} déjà utilisés cette année` : '';
    if (used.inQuote > 0) usedText += `${used.before > 0 ? ' et' : ', dont'} ${euros(used.inQuote)} par les lignes précédentes de ce devis`;
    if (used.before > 0 || used.inQuote > 0 || cents > remaining) {
      parts.push(`dans la limite de votre forfait annuel de ${euros(limit)}${usedText} : il en reste ${euros(remaining)}`);
    }
    cents = Math.min(cents, remaining);
    used.inQuote += cents;
  }
  return { cents, explanation: `${parts.join(', ')}. Votre contrat prend en charge ${euros(cents)}.` };
}

function rest(cents: number, amount: number): Figure {
  return {
    cents,
    explanation: cents === 0 ? `Rien ne reste à votre charge sur ${euros(amount)}.` : `Il vous reste ${euros(cents)} à payer sur ${euros(amount)}.`,
  };
}

/**
 * The estimate of a quote. An unknown act code or an amount that is not integer cents is an
 * upstream bug (the form's schema checks them against the catalogue first): it throws.
 */
export function estimateResteACharge(input: EstimateInput): QuoteEstimate {
  const responsible = input.responsibleContract ?? true;
  const usedInQuote = new Map<number, number>();
  const lines = input.lines.map((line): LineEstimate => {
    const act = findCareAct(line.actCode);
    if (!act) throw new RangeError(`Unknown care act ${JSON.stringify(line.actCode)}`);
    requireCents(line.amountCents, 'amountCents', 0);
    const days = act.perDay ? (line.days ?? 1) : 1;
    requireCents(days, 'days', 1);
    if (line.baseCents !== undefined && line.baseCents !== null) requireCents(line.baseCents, 'baseCents', 0);
    const base = line.baseCents ?? (act.defaultBaseCents === null ? null : act.defaultBaseCents * days);
    const ss = securiteSociale(act, base, line.amountCents);
    const guarantee = guaranteeLineFor(act, input.guarantees);
    const used: Used = {
      before: guarantee ? (input.usedThisYearCents?.get(guarantee.id) ?? 0) : 0,
      inQuote: guarantee ? (usedInQuote.get(guarantee.id) ?? 0) : 0,
    };
    const comp = complementary(act, guarantee, { base, days, amount: line.amountCents, ss: ss.cents }, used, responsible);
    if (guarantee) usedInQuote.set(guarantee.id, used.inQuote);
    return {
      act,
      amountCents: line.amountCents,
      baseCents: base,
      days,
      baseMissing: base === null && act.ss.percent > 0,
      guarantee,
      securiteSociale: ss,
      complementary: comp,
      resteACharge: rest(line.amountCents - ss.cents - comp.cents, line.amountCents),
    };
  });
  const sum = (pick: (l: LineEstimate) => number) => lines.reduce((total, l) => total + pick(l), 0);
  const amount = sum((l) => l.amountCents);
  const ss = sum((l) => l.securiteSociale.cents);
  const comp = sum((l) => l.complementary.cents);
  const left = amount - ss - comp;
  const missing = lines.some((l) => l.baseMissing)
    ? ' La base de remboursement manque sur une ligne au moins : la part de la Sécurité sociale y est comptée à 0 €.'
    : '';
  return {
    lines,
    total: {
      amountCents: amount,
      securiteSociale: { cents: ss, explanation: `Sur un devis de ${euros(amount)}, la Sécurité sociale rembourserait ${euros(ss)}.${missing}` },
      complementary: { cents: comp, explanation: `Votre contrat prendrait en charge ${euros(comp)}.` },
      resteACharge: {
        cents: left,
        explanation: `${left === 0 ? 'Rien ne resterait à votre charge' : `Il vous resterait ${euros(left)} à payer`}. Cette estimation sera confirmée par votre conseiller à réception du devis.`,
      },
    },
  };
}

/**
 * What each guarantee line has already paid, from the décompte lines of the beneficiary in the
 * calendar year (the caller filters them): a line's care_type leads to the act that names it in
 * its careTypes, and the act to its guarantee line.
 */
export function usedThisYearByGuarantee(
  statementLines: readonly { care_type: string; complementary_amount_cents: number }[],
  guarantees: readonly GuaranteeLine[],
  acts: readonly CareAct[],
): Map<number, number> {
  const guaranteeOfCareType = new Map<string, GuaranteeLine | null>();
  const used = new Map<number, number>();
  for (const line of statementLines) {
    let g = guaranteeOfCareType.get(line.care_type);
    if (g === undefined) {
      const act = acts.find((a) => a.careTypes.includes(line.care_type));
      g = act ? guaranteeLineFor(act, guarantees) : null;
      guaranteeOfCareType.set(line.care_type, g);
    }
    if (g) used.set(g.id, (used.get(g.id) ?? 0) + line.complementary_amount_cents);
  }
  return used;
}

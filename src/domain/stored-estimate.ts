// The member's reste-à-charge estimate as it is kept with a devis (requests.estimate_lines, JSON):
// for each quote line the act, the amounts typed and the three shares, so that staff can confirm
// it line by line (a devis answer's line is { label, amountCents, reimbursedCents }, see
// DevisAnswerLine in src/correspondence/service.ts) and the member sees what they sent.
// Explanations are not kept: they are recomputed from the figures when needed.
import type { QuoteEstimate } from './reste-a-charge.js';

interface StoredEstimateLine {
  actCode: string;
  label: string;
  amountCents: number;
  baseCents: number | null;
  days: number;
  securiteSocialeCents: number;
  complementaryCents: number;
  resteAChargeCents: number;
  /** What the insurer would pay for the line, Sécurité sociale included (a devis answer's reimbursedCents). */
  reimbursedCents: number;
}

export interface StoredEstimate {
  lines: StoredEstimateLine[];
  total: { amountCents: number; securiteSocialeCents: number; complementaryCents: number; resteAChargeCents: number };
}

export function toStoredEstimate(estimate: QuoteEstimate): StoredEstimate {
  return {
    lines: estimate.lines.map((l) => ({
      actCode: l.act.code,
      label: l.act.label,
      amountCents: l.amountCents,
      baseCents: l.baseCents,
      days: l.days,
      securiteSocialeCents: l.securiteSociale.cents,
      complementaryCents: l.complementary.cents,
      resteAChargeCents: l.resteACharge.cents,
      reimbursedCents: l.securiteSociale.cents + l.complementary.cents,
    })),
    total: {
      amountCents: estimate.total.amountCents,
      securiteSocialeCents: estimate.total.securiteSociale.cents,
      complementaryCents: estimate.total.complementary.cents,
      resteAChargeCents: estimate.total.resteACharge.cents,
    },
  };
}

const isCents = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The stored estimate read back; null when there is none or it is not of this shape (an older row). */
export function readStoredEstimate(json: string | null): StoredEstimate | null {
  if (!json) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  const v = value as Partial<StoredEstimate> | null;
  if (!v || !Array.isArray(v.lines) || !v.total || typeof v.total !== 'object') return null;
  const linesOk = v.lines.every(
    (l) =>
      l &&
      typeof l.actCode === 'string' &&
      typeof l.label === 'string' &&
      [l.amountCents, l.securiteSocialeCents, l.complementaryCents, l.resteAChargeCents, l.reimbursedCents].every(isCents) &&
      (l.baseCents === null || isCents(l.baseCents)) &&
      isCents(l.days),
  );
  const t = v.total;
  if (!linesOk || ![t.amountCents, t.securiteSocialeCents, t.complementaryCents, t.resteAChargeCents].every(isCents)) return null;
  return v as StoredEstimate;
}

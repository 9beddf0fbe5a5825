// The NOEMIE check of « Situation NOEMIE » (docs/domain.md#noemie-check): a beneficiary whose
// télétransmission is active but who has had no décompte for 4 months, while others of the family
// have had some in that time, is probably no longer linked at their caisse (a new carte Vitale, a
// change of caisse, an attestation de droits not updated). The family's décomptes show that care
// is being reimbursed; this one's silence is then worth a word to the member.
import { addMonths } from './dates.js';

/** How long without a décompte before the page says something. */
export const NOEMIE_SILENCE_MONTHS = 4;

export interface NoemieCheckBeneficiary {
  id: number;
  teletransmissionStatus: string;
  /** The day the current télétransmission status began; null when not known. */
  teletransmissionSince: string | null;
  /** Cover start and end (the end is the last covered day). */
  startDate: string;
  endDate: string | null;
  /** The date of the newest décompte with a line for this beneficiary, null if none. */
  lastStatementDate: string | null;
}

/**
 * The ids of the beneficiaries to warn about, on `todayIso`. The period is the 4 months before
 * today: a décompte dated exactly 4 months ago is outside it. A beneficiary is warned about when
 * their télétransmission is active, they are covered today, both their cover and their active
 * status began on or before the start of the period (someone newly affiliated or newly activated
 * has had no time to get a décompte), they have no décompte in the period, and at least one other
 * beneficiary of the family has one.
 */
export function silentTeletransmissions(beneficiaries: readonly NoemieCheckBeneficiary[], todayIso: string): Set<number> {
  const periodStart = addMonths(todayIso, -NOEMIE_SILENCE_MONTHS);
  const hasRecent = (b: NoemieCheckBeneficiary) => b.lastStatementDate !== null && b.lastStatementDate > periodStart;
  const silent = new Set<number>();
  for (const b of beneficiaries) {
    if (b.teletransmissionStatus !== 'active') continue;
    if (b.endDate !== null && b.endDate < todayIso) continue;
    if (b.startDate > periodStart) continue;
    if (b.teletransmissionSince !== null && b.teletransmissionSince > periodStart) continue;
    if (hasRecent(b)) continue;
    if (beneficiaries.some((other) => other.id !== b.id && hasRecent(other))) silent.add(b.id);
  }
  return silent;
}

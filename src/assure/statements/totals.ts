// The totals of a décompte's lines: the one computation the page and the PDF share.
import type { LineRow } from './queries.js';

export interface StatementTotals {
  frais: number;
  base: number;
  ss: number;
  complementary: number;
  deductions: number;
  rac: number;
  /** Sécurité sociale + complémentaire paid to the member. */
  paidToMember: number;
  /** Sécurité sociale + complémentaire paid to professionals (tiers payant). */
  paidToThirdParties: number;
}

export function statementTotals(lines: LineRow[]): StatementTotals {
  const totals: StatementTotals = { frais: 0, base: 0, ss: 0, complementary: 0, deductions: 0, rac: 0, paidToMember: 0, paidToThirdParties: 0 };
  for (const l of lines) {
    totals.frais += l.frais_reels_cents;
    totals.base += l.base_remboursement_cents;
    totals.ss += l.ss_amount_cents;
    totals.complementary += l.complementary_amount_cents;
    totals.deductions += l.deductions_cents;
    totals.rac += l.reste_a_charge_cents;
    if (l.paid_to === 'assure') totals.paidToMember += l.ss_amount_cents + l.complementary_amount_cents;
    else totals.paidToThirdParties += l.ss_amount_cents + l.complementary_amount_cents;
  }
  return totals;
}

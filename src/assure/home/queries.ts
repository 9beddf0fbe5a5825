// Knex only: what the Espace Assuré home page shows of the member's family.
import type { Db } from '../../db.js';

export interface LatestLine {
  id: number;
  care_date: string;
  care_label: string;
  frais_reels_cents: number;
  complementary_amount_cents: number;
  first_name: string;
  last_name: string;
}

export async function latestLines(db: Db, memberId: number, limit = 5): Promise<LatestLine[]> {
  return db('statement_lines as l')
    .join('beneficiaries as b', 'b.id', 'l.beneficiary_id')
    .where('l.member_id', memberId)
    .orderBy([
      { column: 'l.care_date', order: 'desc' },
      { column: 'l.id', order: 'desc' },
    ])
    .limit(limit)
    .select('l.id', 'l.care_date', 'l.care_label', 'l.frais_reels_cents', 'l.complementary_amount_cents', 'b.first_name', 'b.last_name');
}

/** The insurer's payments (remboursement complémentaire) since a date, by payee. */
export async function paymentsSince(db: Db, memberId: number, sinceIso: string): Promise<{ assure: number; tiers: number }> {
  const rows: { paid_to: string; total: number | null }[] = await db('statement_lines')
    .where('member_id', memberId)
    .where('payment_date', '>=', sinceIso)
    .groupBy('paid_to')
    .select('paid_to')
    .sum({ total: 'complementary_amount_cents' });
  const totals = { assure: 0, tiers: 0 };
  for (const row of rows) {
    if (row.paid_to === 'assure' || row.paid_to === 'tiers') totals[row.paid_to] = Number(row.total ?? 0);
  }
  return totals;
}

export async function beneficiaryStatuses(db: Db, memberId: number): Promise<{ first_name: string; teletransmission_status: string }[]> {
  return db('beneficiaries').where('member_id', memberId).whereNull('end_date').select('first_name', 'teletransmission_status');
}

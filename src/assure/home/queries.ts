// Knex only: what the Espace Assuré home page shows of the member's family. Every query is scoped
// by member_id and served by the (member_id, …) indexes of statement_lines and beneficiaries.
import { preparedQuery, type Db } from '../../db.js';

export interface LatestLine {
  id: number;
  care_date: string;
  care_label: string;
  frais_reels_cents: number;
  complementary_amount_cents: number;
  first_name: string;
  last_name: string;
}

/** The most recent care lines of the family, newest first (index member_id, care_date). */
// The three queries of « Accueil » run on every visit: built once (preparedQuery, src/db.ts).
const LATEST_LINES = 5;
const latest = preparedQuery((db, memberId: number) =>
  db('statement_lines as l')
    .join('beneficiaries as b', 'b.id', 'l.beneficiary_id')
    .where('l.member_id', memberId)
    .orderBy([
      { column: 'l.care_date', order: 'desc' },
      { column: 'l.id', order: 'desc' },
    ])
    .limit(LATEST_LINES)
    .select('l.id', 'l.care_date', 'l.care_label', 'l.frais_reels_cents', 'l.complementary_amount_cents', 'b.first_name', 'b.last_name'),
);

export async function latestLines(db: Db, memberId: number): Promise<LatestLine[]> {
  return latest<LatestLine>(db, memberId);
}

export interface Payments {
  /** Reimbursements (Sécurité sociale + complémentaire) paid to the member, in cents. */
  assure: number;
  /** Reimbursements paid to professionals through tiers payant, in cents. */
  tiers: number;
}

/**
 * Reimbursements (Sécurité sociale + complémentaire) paid between two days included, by payee:
 * « Payé à l'assuré » and « Payé aux tiers ».
 */
const payments = preparedQuery((db, memberId: number, fromIso: string, toIso: string) =>
  db('statement_lines')
    .where('member_id', memberId)
    .whereBetween('payment_date', [fromIso, toIso])
    .groupBy('paid_to')
    .select('paid_to', db.raw('sum(ss_amount_cents + complementary_amount_cents) as total')),
);

export async function paymentsBetween(db: Db, memberId: number, fromIso: string, toIso: string): Promise<Payments> {
  const rows = await payments<{ paid_to: string; total: number | string | null }>(db, memberId, fromIso, toIso);
  const totals: Payments = { assure: 0, tiers: 0 };
  for (const row of rows) {
    if (row.paid_to === 'assure' || row.paid_to === 'tiers') totals[row.paid_to] = Number(row.total ?? 0);
  }
  return totals;
}

export interface BeneficiaryTeletransmission {
  id: number;
  first_name: string;
  teletransmission_status: string;
  /** The member already asked for a change once (e.g. deactivated on purpose). */
  has_requests: boolean;
}

/** The family's current beneficiaries with their télétransmission status and whether it was ever changed. */
const beneficiaries = preparedQuery((db, memberId: number, todayIso: string) =>
  db('beneficiaries as b')
    .where('b.member_id', memberId)
    .where((q) => q.whereNull('b.end_date').orWhere('b.end_date', '>=', todayIso))
    .orderBy('b.id')
    .select(
      'b.id',
      'b.first_name',
      'b.teletransmission_status',
      db.raw('exists (select 1 from teletransmission_events e where e.beneficiary_id = b.id) as has_requests'),
    ),
);

export async function currentBeneficiaries(db: Db, memberId: number, todayIso: string): Promise<BeneficiaryTeletransmission[]> {
  const rows = await beneficiaries<{ id: number; first_name: string; teletransmission_status: string; has_requests: number | boolean }>(db, memberId, todayIso);
  return rows.map((r) => ({ ...r, has_requests: Boolean(r.has_requests) }));
}

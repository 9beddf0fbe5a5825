// Knex only: what the Démarches forms need about the member's family — the beneficiaries a request
// may be for, the guarantee table of their current contract and what it already paid this year
// (the reste-à-charge estimate, src/domain/reste-a-charge.ts). Scoped by the member id.
import type { Db } from '../../db.js';
import type { GuaranteeLine } from '../../domain/reste-a-charge.js';
import { inForceOn } from '../../contracts/queries.js';

export interface FamilyBeneficiary {
  id: number;
  first_name: string;
  last_name: string;
  relationship: 'assure' | 'conjoint' | 'enfant';
}

/** The family's beneficiaries covered today: the member first, then the spouse, then the children from the eldest. */
export async function coveredFamily(db: Db, memberId: number, todayIso: string): Promise<FamilyBeneficiary[]> {
  const rows: (FamilyBeneficiary & { birth_date: string })[] = await db('beneficiaries')
    .where({ member_id: memberId })
    .where((q) => q.whereNull('end_date').orWhere('end_date', '>=', todayIso))
    .orderBy(['birth_date', 'id'])
    .select('id', 'first_name', 'last_name', 'relationship', 'birth_date');
  const rank = { assure: 0, conjoint: 1, enfant: 2 } as const;
  return rows.sort((a, b) => (rank[a.relationship] ?? 3) - (rank[b.relationship] ?? 3));
}

/** The guarantee table of the member's current contract (the latest affiliation not ended); empty when none. */
export async function currentGuarantees(db: Db, memberId: number, todayIso: string): Promise<GuaranteeLine[]> {
  const affiliation = await db('affiliations')
    .where({ member_id: memberId })
    .where('start_date', '<=', todayIso)
    .where((q) => q.whereNull('end_date').orWhere('end_date', '>=', todayIso))
    .orderBy('start_date', 'desc')
    .first('contract_id');
  if (!affiliation) return [];
  // The version of the table in force today (db/migrations/20261206100000_guarantee_versions.ts).
  return inForceOn(
    db,
    db('guarantee_lines').join('contracts', 'contracts.id', 'guarantee_lines.contract_id').where('guarantee_lines.contract_id', affiliation.contract_id),
    todayIso,
  )
    .orderBy(['guarantee_lines.position', 'guarantee_lines.id'])
    .select(
      'guarantee_lines.id',
      'guarantee_lines.category',
      'guarantee_lines.label',
      'guarantee_lines.coverage',
      'guarantee_lines.br_percent',
      'guarantee_lines.flat_amount_cents',
      'guarantee_lines.yearly_cap_cents',
    );
}

/** The décompte lines of one beneficiary of the family for care in a calendar year: what yearly allowances already paid. */
export async function beneficiaryCareOfYear(
  db: Db,
  memberId: number,
  beneficiaryId: number,
  year: number,
): Promise<{ care_type: string; complementary_amount_cents: number }[]> {
  return db('statement_lines')
    .where({ member_id: memberId, beneficiary_id: beneficiaryId })
    .where('care_date', '>=', `${year}-01-01`)
    .where('care_date', '<=', `${year}-12-31`)
    .select('care_type', 'complementary_amount_cents');
}

// A member's whole world for Espace Assuré tests: company, establishment, contract with
// guarantees, the member with a spouse and two children, an affiliation, décomptes, an account.
import type { Db } from '../../src/db.js';
import { createAccount, createCompany, insertId } from './fixtures.js';
import { GUARANTEE_TEMPLATES, coverageAt } from '../../db/seeds/french-data.js';

let counter = 0;
const stamp = '2026-11-01T08:00:00.000Z';

export interface Family {
  memberId: number;
  accountId: number;
  email: string;
  mobile: string;
  companyId: number;
  establishmentId: number;
  contractId: number;
  affiliationId: number;
  beneficiaries: { assure: number; conjoint: number; enfant1: number; enfant2: number };
  statementIds: number[];
  /** Lines created, newest first. */
  lineCount: number;
}

export async function createFamily(db: Db, options: { firstName?: string; lastName?: string; statements?: number; ended?: boolean } = {}): Promise<Family> {
  counter += 1;
  const lastName = options.lastName ?? `Famille${counter}`;
  const firstName = options.firstName ?? 'Nicolas';
  const { companyId, establishmentId } = await createCompany(db, `Agence ${lastName}`);
  const contractId = await insertId(db, 'contracts', {
    company_id: companyId,
    reference: `CT-${counter}-NC`,
    label: 'BASE CCN NC RG Oblig/Options 1 2 3 4 Fac',
    college: 'non_cadre',
    formula: 'Base conventionnelle',
    options: 'Option 1',
    start_date: '2024-01-01',
    end_date: null,
    created_at: stamp,
  });
  const guarantees: [string, string, string][] = [
    ['hospitalisation', 'Frais de séjour', '100 % BR'],
    ['hospitalisation', 'Chambre particulière', 'Forfait 50 € par jour'],
    ['soins_courants', 'Consultation généraliste', '200 % BR – RSS'],
    ['pharmacie', 'Médicaments remboursés', '100 % BR – RSS'],
    ['optique', 'Monture et verres simples', 'Forfait 150 € par an'],
    ['dentaire', 'Prothèses dentaires', '300 % BR – RSS'],
    ['aides_auditives', 'Aides auditives', '100 % BR + 400 € par oreille'],
    ['maternite', 'Naissance', 'Forfait 300 €'],
    ['prevention', 'Vaccins', 'Forfait 50 € par an'],
  ];
  let position = 0;
  for (const [category, label, coverage] of guarantees) {
    await db('guarantee_lines').insert({ contract_id: contractId, category, label, coverage, position: position++ });
  }
  const memberId = await insertId(db, 'members', {
    member_number: `F${String(counter).padStart(8, '0')}`,
    nir: '184127511204802',
    sex: 'M',
    last_name: lastName,
    first_name: firstName,
    birth_date: '1984-12-03',
    email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@exemple.fr`,
    mobile: `+336399806${String(counter % 100).padStart(2, '0')}`,
    address_line1: '8 rue des Lilas',
    postal_code: '44000',
    city: 'Nantes',
    iban: 'FR7630006000011234567890189',
    bic: 'AGRIFRPP',
    iban_holder: `${firstName} ${lastName}`,
    created_at: stamp,
    updated_at: stamp,
  });
  const affiliationId = await insertId(db, 'affiliations', {
    member_id: memberId,
    establishment_id: establishmentId,
    contract_id: contractId,
    professional_status: 'non_cadre',
    company_status: 'salarie',
    employment_contract_type: 'CDI',
    employment_start_date: '2019-09-01',
    entry_date: '2019-09-01',
    start_date: '2019-09-01',
    end_date: options.ended ? '2026-06-30' : null,
    end_reason: options.ended ? 'demission' : null,
    created_at: stamp,
  });
  const beneficiary = (relationship: string, first: string, sex: string, birth: string, nir: string | null) =>
    insertId(db, 'beneficiaries', {
      member_id: memberId,
      relationship,
      sex,
      last_name: lastName,
      first_name: first,
      birth_date: birth,
      nir,
      fund_code: '011751234',
      teletransmission_status: relationship === 'assure' ? 'active' : 'inactive',
      teletransmission_since: relationship === 'assure' ? '2020-01-15' : null,
      on_card: true,
      start_date: '2019-09-01',
      created_at: stamp,
      updated_at: stamp,
    });
  const beneficiaries = {
    assure: await beneficiary('assure', firstName, 'M', '1984-12-03', '184127511204802'),
    conjoint: await beneficiary('conjoint', 'Julie', 'F', '1986-05-20', '286057511300150'),
    enfant1: await beneficiary('enfant', 'Léo', 'M', '2015-03-02', null),
    enfant2: await beneficiary('enfant', 'Emma', 'F', '2018-07-09', null),
  };
  const statementIds: number[] = [];
  let lineCount = 0;
  const months = options.statements ?? 6;
  for (let i = 0; i < months; i++) {
    const month = String(10 - (i % 10)).padStart(2, '0');
    const year = i < 10 ? 2026 : 2025;
    const date = `${year}-${month}-15`;
    const statementId = await insertId(db, 'statements', {
      member_id: memberId,
      number: `D${counter}-${String(i + 1).padStart(4, '0')}`,
      statement_date: date,
      payment_date: date,
      created_at: stamp,
    });
    statementIds.push(statementId);
    const who = [beneficiaries.assure, beneficiaries.conjoint, beneficiaries.enfant1][i % 3];
    // Consultation: 30 € BR at 70 % less 2 € participation forfaitaire; the rest by the complementary.
    await db('statement_lines').insert({
      statement_id: statementId,
      member_id: memberId,
      beneficiary_id: who,
      care_date: `${year}-${month}-0${(i % 8) + 1}`,
      care_type: 'consultation_generaliste',
      care_label: 'Consultation Médecine Générale',
      professional_name: 'Dr Anne Morel',
      quantity: 1,
      frais_reels_cents: 3000,
      base_remboursement_cents: 3000,
      rate_percent: 70,
      ss_amount_cents: 1900,
      complementary_amount_cents: 900,
      deductions_cents: 200,
      reste_a_charge_cents: 200,
      paid_to: 'assure',
      payment_date: date,
    });
    await db('statement_lines').insert({
      statement_id: statementId,
      member_id: memberId,
      beneficiary_id: who,
      care_date: `${year}-${month}-0${(i % 8) + 1}`,
      care_type: 'pharmacie',
      care_label: 'Pharmacie',
      professional_name: 'Pharmacie du Centre',
      quantity: 2,
      frais_reels_cents: 2450,
      base_remboursement_cents: 2450,
      rate_percent: 65,
      ss_amount_cents: 1493,
      complementary_amount_cents: 857,
      deductions_cents: 100,
      reste_a_charge_cents: 100,
      paid_to: 'tiers',
      payment_date: date,
    });
    lineCount += 2;
  }
  const mobile = `+33639980${String(700 + counter).slice(-3)}`;
  const { id: accountId, email } = await createAccount(db, {
    kind: 'member',
    memberId,
    firstName,
    email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@exemple.fr`,
    mobile,
  });
  return { memberId, accountId, email, mobile, companyId, establishmentId, contractId, affiliationId, beneficiaries, statementIds, lineCount };
}

/** The family's contract with the demo table « Base + option 1 » (db/seeds/french-data.ts), instead of its own. */
export async function withDemoGuarantees(db: Db, family: Pick<Family, 'contractId'>): Promise<void> {
  await db('guarantee_lines').where({ contract_id: family.contractId }).delete();
  for (const [position, template] of GUARANTEE_TEMPLATES.entries()) {
    const c = coverageAt(template, 1);
    await db('guarantee_lines').insert({
      contract_id: family.contractId,
      category: template.category,
      label: template.label,
      coverage: c.coverage,
      br_percent: c.brPercent,
      flat_amount_cents: c.flatAmountCents,
      yearly_cap_cents: c.yearlyCapCents,
      position,
    });
  }
}

/**
 * The family's contract with the demo table « Base + option 1 » (db/seeds/french-data.ts), and 40 €
 * of the child's lentilles allowance (« Forfait 150 € par an ») already paid this year: the
 * estimate's cases of a partly used cap.
 */
export async function withDemoGuaranteesAndUsedLensCap(db: Db, family: Family): Promise<void> {
  await withDemoGuarantees(db, family);
  const statementId = await insertId(db, 'statements', {
    member_id: family.memberId,
    number: 'D-LENT-1',
    statement_date: '2026-03-10',
    payment_date: '2026-03-10',
    created_at: '2026-03-10T08:00:00.000Z',
  });
  await db('statement_lines').insert({
    statement_id: statementId,
    member_id: family.memberId,
    beneficiary_id: family.beneficiaries.enfant1,
    care_date: '2026-03-02',
    care_type: 'lentilles',
    care_label: 'Lentilles',
    professional_name: 'Optique Centre',
    quantity: 1,
    frais_reels_cents: 8000,
    base_remboursement_cents: 3948,
    rate_percent: 60,
    ss_amount_cents: 2369,
    complementary_amount_cents: 4000,
    deductions_cents: 0,
    reste_a_charge_cents: 1631,
    paid_to: 'assure',
    payment_date: '2026-03-10',
  });
}

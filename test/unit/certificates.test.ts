// The certificates' wording agrees with the member's known sex (« né » / « née », « affilié » /
// « affiliée », « radié » / « radiée »); the inclusive « né(e) » is left for an unknown sex only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { loadBrand } from '../../src/brand.js';
import { agreeWithSex } from '../../src/domain/text.js';
import { affiliationCertificatePdf, radiationCertificatePdf } from '../../src/assure/contracts/pdf.js';
import type { MemberRow } from '../../src/assure/member.js';
import type { AffiliationRow } from '../../src/assure/contracts/queries.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const brand = loadBrand(path.join(import.meta.dirname, '../../brand/demo.json'));
const now = new Date('2026-11-22T09:00:00.000Z');

function member(sex: 'M' | 'F'): MemberRow {
  return {
    id: 1,
    member_number: 'F00000001',
    nir: sex === 'M' ? '184127511204802' : '286057511300150',
    sex,
    last_name: 'Thibault',
    first_name: sex === 'M' ? 'Nicolas' : 'Julie',
    birth_name: null,
    birth_date: '1984-12-03',
    email: null,
    mobile: null,
    phone: null,
    address_line1: '8 rue des Lilas',
    address_line2: null,
    postal_code: '44000',
    city: 'Nantes',
    iban: null,
    bic: null,
    iban_holder: null,
    iban_updated_at: null,
  };
}

const affiliation: AffiliationRow & { end_date: string } = {
  id: 1,
  start_date: '2019-09-01',
  end_date: '2026-06-30',
  entry_date: '2019-09-01',
  professional_status: 'non_cadre',
  contract_id: 1,
  reference: 'CT-1-NC',
  label: 'BASE CCN NC RG Oblig/Options 1 2 3 4 Fac',
  college: 'non_cadre',
  formula: 'Base conventionnelle',
  options: null,
  company_name: 'Agence Thibault',
  company_address: '1 rue de la Paix',
  company_postal_code: '75002',
  company_city: 'Paris',
  siret: '40007919000015',
  establishment_name: 'Siège',
};

const family = [
  { first_name: 'Julie', last_name: 'Thibault', sex: 'F' as const, relationship: 'assure', birth_date: '1986-05-20' },
  { first_name: 'Marc', last_name: 'Thibault', sex: 'M' as const, relationship: 'conjoint', birth_date: '1985-01-02' },
];

async function textOf(pdf: { toBuffer(): Promise<Buffer> }): Promise<string> {
  const text = execFileSync('pdftotext', ['-', '-'], { input: await pdf.toBuffer(), encoding: 'utf8' });
  return text.replace(/\s+/g, ' ');
}

test('agreeWithSex: the masculine or feminine form when the sex is known, the inclusive one otherwise', () => {
  assert.equal(agreeWithSex('M', 'né', 'née'), 'né');
  assert.equal(agreeWithSex('F', 'né', 'née'), 'née');
  assert.equal(agreeWithSex('F', 'affilié', 'affiliée'), 'affiliée');
  assert.equal(agreeWithSex(null, 'né', 'née'), 'né(e)');
  assert.equal(agreeWithSex(undefined, 'Assuré principal', 'Assurée principale'), 'Assuré principal / Assurée principale');
});

test("certificat d'affiliation: « née », « affiliée », « Assurée », « Conjoint » for a woman insured with her husband", async () => {
  const current = await textOf(affiliationCertificatePdf(brand, member('F'), { ...affiliation, end_date: null }, family, false, now));
  assertIncludes(current, 'Julie Thibault, née le 03/12/1984, est affiliée depuis le 01/09/2019', current);
  assertIncludes(current, 'Assurée : Julie Thibault');
  assert.ok(current.includes('Assurée principale') && current.includes('Conjoint '));
  assertExcludes(current, '(e)', 'no inclusive form left');
  const ended = await textOf(affiliationCertificatePdf(brand, member('F'), affiliation, family, true, now));
  assertIncludes(ended, 'née le 03/12/1984, a été affiliée du 01/09/2019 au 30/06/2026');
  const man = await textOf(affiliationCertificatePdf(brand, member('M'), { ...affiliation, end_date: null }, family, false, now));
  assertIncludes(man, 'Nicolas Thibault, né le 03/12/1984, est affilié depuis le 01/09/2019');
  assertIncludes(man, 'Assuré : Nicolas Thibault');
});

test('certificat de radiation: « née », « affiliée », « radiée » for a woman, the masculine for a man', async () => {
  const woman = await textOf(radiationCertificatePdf(brand, member('F'), affiliation, now));
  assertIncludes(woman, 'née le 03/12/1984, a été affiliée du 01/09/2019 au 30/06/2026');
  assertIncludes(woman, 'et en a été radiée, ainsi que ses bénéficiaires');
  assertExcludes(woman, '(e)');
  const man = await textOf(radiationCertificatePdf(brand, member('M'), affiliation, now));
  assert.ok(man.includes('né le 03/12/1984, a été affilié du') && man.includes('et en a été radié, ainsi'));
});

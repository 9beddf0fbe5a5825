// Espace Entreprise — « Consulter vos contrats couverts »: the contracts of the HR user's companies
// with their guarantee table and its PDF; nobody else's (another company's contract is a 404).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { createFamily } from '../helpers/family.js';
import { decoded, loginAs } from '../helpers/fixtures.js';
import { inspectPdf, pdfBytes, pdfText } from '../helpers/pdf.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

let t: TestContext;
let alpha: TestCompany;
let beta: TestCompany;
let other: TestCompany;
let suspended: TestCompany;
type Agent = Awaited<ReturnType<typeof loginAs>>;
let admin: Agent;
let single: Agent;
let foreign: Agent;
let member: Agent;

async function addGuarantees(contractId: number, lines: [string, string, string][]) {
  let position = 0;
  for (const [category, label, coverage] of lines)
    await t.db('guarantee_lines').insert({ contract_id: contractId, category, label, coverage, position: position++ });
}

before(async () => {
  t = await makeTestApp();
  alpha = await createHrCompany(t.db, 'Alpha Gestion Immobilière', 1);
  beta = await createHrCompany(t.db, 'Bêta Syndic', 1);
  other = await createHrCompany(t.db, 'Oméga Transactions', 1);
  suspended = await createHrCompany(t.db, 'Suspendue Patrimoine', 1);
  await addGuarantees(alpha.contracts.non_cadre, [
    ['hospitalisation', 'Frais de séjour', '100 % BR'],
    ['optique', 'Monture et verres simples', 'Forfait 150 € par an'],
    ['prevention', 'Vaccins', 'Forfait 50 € par an'],
  ]);
  await addGuarantees(alpha.contracts.cadre, [['dentaire', 'Prothèses dentaires', '400 % BR – RSS']]);
  await addGuarantees(beta.contracts.cadre, [['aides_auditives', 'Aides auditives', '100 % BR + 400 € par oreille']]);
  await addGuarantees(other.contracts.cadre, [['maternite', 'Naissance', 'Forfait 999 € secret']]);
  await t.db('contracts').where({ id: alpha.contracts.non_cadre }).update({ formula: 'Niveau 2', options: 'Option 3 facultative', start_date: '2021-01-01' });
  await t.db('contracts').where({ id: beta.contracts.non_cadre }).update({ start_date: '2019-04-01', end_date: '2025-12-31' });
  const adminUser = await createHrUser(
    t.db,
    [
      { company: alpha, role: 'admin' },
      { company: beta, role: 'user' },
      { company: suspended, role: 'admin', status: 'suspended' },
    ],
    { mobile: '+33639987301' },
  );
  const singleUser = await createHrUser(t.db, [{ company: beta, role: 'user' }], { mobile: '+33639987302' });
  const foreignUser = await createHrUser(t.db, [{ company: other, role: 'admin' }], { mobile: '+33639987303' });
  const family = await createFamily(t.db, { firstName: 'Nina', lastName: 'Assurée' });
  admin = await loginAs(t.app, t.db, 'entreprise', adminUser.email);
  single = await loginAs(t.app, t.db, 'entreprise', singleUser.email);
  foreign = await loginAs(t.app, t.db, 'entreprise', foreignUser.email);
  member = await loginAs(t.app, t.db, 'assure', family.email);
});
after(async () => t.close());

const page = async (agent: Agent, query = '') => decoded((await agent.get(`/entreprise/contrats${query}`).expect(200)).text);

describe('Espace Entreprise — Vos contrats couverts', () => {
  test('one section per company, each contract with collège, formula and options, dates and its guarantee table', async () => {
    const html = await page(admin);
    assertIncludes(html, '<h1>Vos contrats couverts</h1>');
    for (const text of [
      'Alpha Gestion Immobilière',
      `SIREN ${alpha.siren}`,
      'Bêta Syndic',
      `CTH-`,
      'BASE CCN NC RG Oblig/Options 1 2 3 4 Fac',
      'BASE CCN C RG Oblig',
      'Non-cadres',
      'Cadres',
      'Niveau 2 — Option 3 facultative',
      '01/01/2021',
      '01/04/2019',
      '31/12/2025',
      'Terminé',
      'En cours',
      'Hospitalisation',
      'Frais de séjour',
      'Forfait 150 € par an',
      'Prothèses dentaires',
      'Aides auditives',
    ]) {
      assertIncludes(html, text, text);
    }
    assert.ok(html.indexOf('Alpha Gestion Immobilière') < html.indexOf('Bêta Syndic'), 'companies by name');
    for (const id of [alpha.contracts.cadre, alpha.contracts.non_cadre, beta.contracts.cadre, beta.contracts.non_cadre]) {
      assertIncludes(html, `href="/entreprise/contrats/${id}/garanties.pdf"`);
      assertIncludes(html, `href="/entreprise/salaries?contrat=${id}"`);
    }
    // Neither another company's contracts, nor those of a company whose habilitation is suspended.
    for (const text of ['Oméga Transactions', 'Forfait 999 € secret', 'Suspendue Patrimoine', `/entreprise/contrats/${other.contracts.cadre}/`])
      assertExcludes(html, text, text);
    assertIncludes(html, 'name="entreprise"', 'the company filter, with several companies');
  });

  test('the « Entreprise » filter shows one company; an unknown one says so and shows them all', async () => {
    const html = await page(admin, `?entreprise=${beta.companyId}`);
    assertIncludes(html, 'Bêta Syndic');
    assertExcludes(html, 'Alpha Gestion Immobilière</h2>');
    assertExcludes(html, 'Frais de séjour');
    assert.match(html, new RegExp(`<option value="${beta.companyId}" selected>`));
    for (const value of [String(other.companyId), String(suspended.companyId), 'abc']) {
      const all = await page(admin, `?entreprise=${value}`);
      assertIncludes(all, 'Cette entreprise ne fait pas partie de celles que vous suivez', value);
      assertIncludes(all, 'Frais de séjour', value);
      assertExcludes(all, 'Oméga Transactions', value);
      assertExcludes(all, 'Suspendue Patrimoine</h2>', value);
    }
  });

  test('htmx gets the list alone, the same one', async () => {
    const res = await admin.get(`/entreprise/contrats?entreprise=${alpha.companyId}`).set('HX-Request', 'true').expect(200);
    const html = decoded(res.text);
    assertExcludes(html, '<html');
    assertExcludes(html, '<h1>');
    assert.match(html, /^\s*<div id="contrats-liste"/);
    assertIncludes(html, 'Frais de séjour');
    assertExcludes(html, 'Bêta Syndic</h2>');
  });

  test('with one company: no filter, its section, its guarantee table open when it is the only contract', async () => {
    const html = await page(single);
    assertIncludes(html, 'Bêta Syndic');
    assertExcludes(html, 'name="entreprise"');
    assertExcludes(html, 'Alpha Gestion Immobilière');
    assertExcludes(html, '<details class="contract-guarantees" open>', 'two contracts: the tables are folded');
    await t.db('contracts').where({ id: beta.contracts.non_cadre }).update({ company_id: other.companyId });
    try {
      assertIncludes(await page(single), '<details class="contract-guarantees" open>');
    } finally {
      await t.db('contracts').where({ id: beta.contracts.non_cadre }).update({ company_id: beta.companyId });
    }
  });

  test('the guarantee table as a PDF: contract details and the tables, tagged with embedded Unicode fonts', async () => {
    const url = `/entreprise/contrats/${alpha.contracts.non_cadre}/garanties.pdf`;
    const { text, headers } = await pdfText(admin, url);
    const { reference } = await t.db('contracts').where({ id: alpha.contracts.non_cadre }).first();
    assert.equal(headers['content-disposition'], `attachment; filename="garanties-${reference}.pdf"`);
    for (const expected of [
      'Tableau des garanties',
      'Alpha Gestion Immobilière',
      `SIREN ${alpha.siren}`,
      reference,
      'Niveau 2 — Option 3 facultative',
      'Non-cadres',
      "Date d'effet",
      '01/01/2021',
      'Hospitalisation',
      'Frais de séjour',
      'Optique',
      'Forfait 150 € par an',
      'Prévention',
      'base de remboursement de la Sécurité sociale',
    ]) {
      assertIncludes(text, expected, expected);
    }
    assertExcludes(text, 'Prothèses dentaires', "the other contract's lines");
    const pdf = inspectPdf(await pdfBytes(admin, url));
    assert.ok(pdf.tagged, 'tagged');
    assert.equal(pdf.title, 'Tableau des garanties');
    assert.ok(pdf.fonts.length > 0 && pdf.fonts.every((f) => f.embedded && f.unicode), JSON.stringify(pdf.fonts));
    assert.deepEqual(pdf.unmarked, []);
    const ended = await pdfText(admin, `/entreprise/contrats/${beta.contracts.non_cadre}/garanties.pdf`);
    assertIncludes(ended.text, 'Date de fin');
    assertIncludes(ended.text, '31/12/2025');
  });

  test("another company's contract, a suspended company's, an unknown or malformed id: 404", async () => {
    for (const id of [other.contracts.cadre, other.contracts.non_cadre, suspended.contracts.cadre, 999999, 'abc', '1.5', '0']) {
      await admin.get(`/entreprise/contrats/${id}/garanties.pdf`).expect(404);
    }
    // A user of one company does not get the other company of a colleague either.
    await single.get(`/entreprise/contrats/${alpha.contracts.cadre}/garanties.pdf`).expect(404);
    // And the other way round: Oméga's HR gets its own, not Alpha's.
    await foreign.get(`/entreprise/contrats/${other.contracts.cadre}/garanties.pdf`).expect(200);
    await foreign.get(`/entreprise/contrats/${alpha.contracts.non_cadre}/garanties.pdf`).expect(404);
    const html = await page(foreign);
    assertIncludes(html, 'Forfait 999 € secret');
    assertExcludes(html, 'Alpha Gestion Immobilière');
  });

  test('a member gets 403, anonymous visitors are sent to the door', async () => {
    await member.get('/entreprise/contrats').expect(403);
    await member.get(`/entreprise/contrats/${alpha.contracts.cadre}/garanties.pdf`).expect(403);
    for (const path of ['/entreprise/contrats', `/entreprise/contrats/${alpha.contracts.cadre}/garanties.pdf`]) {
      const res = await request(t.app).get(path).expect(303);
      assert.equal(res.headers.location, '/entreprise');
    }
  });

  test('reached from the home page (« Vos Affiliations ») and from « Mon profil », one link per company', async () => {
    const home = decoded((await admin.get('/entreprise/accueil').expect(200)).text);
    assert.match(home, /<a href="\/entreprise\/contrats">Consulter vos contrats couverts<\/a>/);
    const filtered = decoded((await admin.get(`/entreprise/accueil?entreprise=${beta.companyId}`).expect(200)).text);
    assertIncludes(filtered, `href="/entreprise/contrats?entreprise=${beta.companyId}">Consulter vos contrats couverts</a>`);
    const profile = decoded((await admin.get('/entreprise/profil').expect(200)).text);
    for (const company of [alpha, beta]) assertIncludes(profile, `href="/entreprise/contrats?entreprise=${company.companyId}">Consulter vos contrats couverts`);
  });
});

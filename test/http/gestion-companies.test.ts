// « Entreprises » of the Espace Gestion: staff create a client company (SIREN checked, identifiant
// entreprise generated), its establishments (SIRET within the SIREN, code identifiant generated),
// its contracts and guarantee tables versioned by date d'effet, print the activation letter; an
// HR user then activates the Espace Entreprise with that SIRET and identifiant. Members and HR get
// 403; every change is audited with a French sentence.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createAccount, decoded, ipBrowser, loginAs, textOf, tokenFrom } from '../helpers/fixtures.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';
import { robotAnswer } from '../helpers/anti-robot.js';
import { inspectPdf, pdfBytes, pdfText } from '../helpers/pdf.js';
import { guaranteesOf } from '../../src/contracts/queries.js';
import { currentGuarantees } from '../../src/assure/demarches/queries.js';
import { isIdentifier } from '../../src/domain/company-identifiers.js';
import { generateSiren, generateSiret, SIRET_MESSAGES } from '../../src/domain/siret.js';
import { auditReferences, auditSentence, parseAuditDetail } from '../../src/domain/audit-sentences.js';
import { findAuditNames } from '../../src/gestion/audit-queries.js';
import type { AuditEvent } from '../../src/domain/audit.js';
import { COMPANY_TEXTS } from '../../src/gestion/companies/forms.js';

type Agent = Awaited<ReturnType<typeof loginAs>>;
let t: TestContext;
let staff: Agent;
let hr: Agent;
let member: Agent;
const SIREN = generateSiren('73282932');

/** The error message printed next to a field. */
function errorAt(html: string, field: string): string | null {
  const match = decoded(html).match(new RegExp(`id="${field}-error"><span class="visually-hidden">Erreur : </span>([^<]*)<`));
  return match ? match[1] : null;
}

async function post(agent: Agent, url: string, body: Record<string, string | string[]>) {
  const token = await tokenFrom(agent, '/gestion/entreprises');
  return agent
    .post(url)
    .type('form')
    .send({ _csrf: token, ...body });
}

/** The newest audit line of an event, as the journal says it. */
async function lastSentence(event: AuditEvent): Promise<string> {
  const row = await t.db('audit_log').where({ event }).orderBy('id', 'desc').first();
  assert.ok(row, `no ${event} line`);
  const detail = parseAuditDetail(row.detail);
  const names = await findAuditNames(t.db, auditReferences([detail]));
  const account = await t.db('accounts').where({ id: row.account_id }).first();
  return auditSentence({ event, account: `${account.first_name} ${account.last_name}`, accountKind: row.account_kind, detail, names });
}

async function createCompany(name: string, siren: string): Promise<number> {
  const res = await post(staff, '/gestion/entreprises/nouvelle', { nom: name, siren, adresse: '3 rue des Lilas', code_postal: '69003', ville: 'Lyon' });
  assert.equal(res.status, 303, textOf(res.text).slice(0, 500));
  const id = Number(/^\/gestion\/entreprises\/(\d+)$/.exec(res.headers.location)?.[1]);
  assert.ok(id);
  return id;
}

before(async () => {
  t = await makeTestApp({ TRUST_PROXY: 'true' });
  const account = await createAccount(t.db, { kind: 'staff', email: 'agent.entreprises@exemple.fr', mobile: '+33639980961', firstName: 'Claire' });
  staff = await loginAs(t.app, t.db, 'gestion', account.email);
  hr = await loginAs(t.app, t.db, 'entreprise', (await createAccount(t.db, { kind: 'hr', mobile: '+33639980962' })).email);
  member = await loginAs(t.app, t.db, 'assure', (await createAccount(t.db, { kind: 'member', mobile: '+33639980963' })).email);
});
after(async () => t.close());

describe('who reaches « Entreprises »', () => {
  test('HR and members get 403 on pages, the letter and the forms; nobody logged in goes to the login page; nothing is written', async () => {
    const company = await t.db('companies').first('id');
    for (const agent of [hr, member]) {
      await agent.get('/gestion/entreprises').expect(403);
      await agent.get(`/gestion/entreprises/${company.id}`).expect(403);
      await agent.get(`/gestion/entreprises/${company.id}/lettre-activation`).expect(403);
      const token = await tokenFrom(agent, agent === hr ? '/entreprise/accueil' : '/assure/accueil');
      await agent
        .post('/gestion/entreprises/nouvelle')
        .type('form')
        .send({ _csrf: token, nom: 'Intruse', siren: generateSiren('55555555'), adresse: '1 rue', code_postal: '75001', ville: 'Paris' })
        .expect(403);
    }
    assert.equal((await request(t.app).get('/gestion/entreprises').expect(303)).headers.location, '/gestion');
    assert.equal(await t.db('companies').where({ name: 'Intruse' }).first(), undefined);
  });

  test('the menu has « Entreprises » and the page is no longer « bientôt disponible »; a POST without CSRF token is refused', async () => {
    const page = decoded((await staff.get('/gestion/entreprises').expect(200)).text);
    assert.match(page, /<a[^>]*href="\/gestion\/entreprises"[^>]*>Entreprises<\/a>/);
    assertExcludes(textOf(page), 'bientôt disponible');
    await staff.post('/gestion/entreprises/nouvelle').type('form').send({ nom: 'Sans jeton', siren: SIREN }).expect(403);
    assert.equal(await t.db('companies').where({ name: 'Sans jeton' }).first(), undefined);
  });

  test('an unknown company, establishment or contract is a 404, and so is one of another company', async () => {
    await staff.get('/gestion/entreprises/999999').expect(404);
    await staff.get('/gestion/entreprises/abc').expect(404);
    const other = await t.db('establishments').first('id', 'company_id');
    const own = await createCompany('Société Témoin', generateSiren('61111111'));
    await staff.get(`/gestion/entreprises/${own}/etablissements/${other.id}/modifier`).expect(404);
    await staff.get(`/gestion/entreprises/${own}/contrats/999999`).expect(404);
  });
});

describe('a company, its establishments and the activation letter', () => {
  let companyId: number;
  let identifier: string;
  const siret = generateSiret(SIREN, '0001');

  test('a wrong SIREN or missing fields: messages beside the fields, values kept, nothing written', async () => {
    const res = await post(staff, '/gestion/entreprises/nouvelle', {
      nom: 'Boulangerie Élysée',
      siren: '732 829 321',
      adresse: '',
      code_postal: '6900',
      ville: 'Lyon',
    });
    assert.equal(res.status, 422);
    assert.equal(errorAt(res.text, 'siren'), SIRET_MESSAGES.sirenInvalid);
    assert.equal(errorAt(res.text, 'adresse'), COMPANY_TEXTS.addressRequired);
    assert.ok(errorAt(res.text, 'code_postal'));
    assertIncludes(decoded(res.text), 'value="Boulangerie Élysée"');
    assertIncludes(decoded(res.text), 'value="732 829 321"');
    assertIncludes(decoded(res.text), 'value="6900"');
    assert.equal(await t.db('companies').where({ name: 'Boulangerie Élysée' }).first(), undefined);
  });

  test('created: an identifiant entreprise of unambiguous characters is generated, shown and audited', async () => {
    companyId = await createCompany('Boulangerie Élysée', SIREN.replace(/(\d{3})(\d{3})(\d{3})/, '$1 $2 $3'));
    const row = await t.db('companies').where({ id: companyId }).first();
    assert.equal(row.siren, SIREN);
    identifier = row.insurer_company_number;
    assert.ok(isIdentifier(identifier), identifier);
    const page = textOf((await staff.get(`/gestion/entreprises/${companyId}`).expect(200)).text);
    assertIncludes(page, `L'entreprise Boulangerie Élysée est créée. Son identifiant entreprise : ${identifier}.`);
    assertIncludes(page, identifier);
    assert.equal(await lastSentence('company_created'), "Claire Martin a créé l'entreprise cliente Boulangerie Élysée.");
  });

  test('the same SIREN twice is refused at its field', async () => {
    const res = await post(staff, '/gestion/entreprises/nouvelle', { nom: 'Doublon', siren: SIREN, adresse: '1 rue', code_postal: '75001', ville: 'Paris' });
    assert.equal(res.status, 422);
    assert.equal(errorAt(res.text, 'siren'), COMPANY_TEXTS.sirenTaken);
  });

  test('edited: the new values are saved and audited; a wrong value comes back with its message', async () => {
    const bad = await post(staff, `/gestion/entreprises/${companyId}/modifier`, {
      nom: '',
      siren: SIREN,
      adresse: '5 place Bellecour',
      code_postal: '69002',
      ville: 'Lyon',
    });
    assert.equal(bad.status, 422);
    assert.equal(errorAt(bad.text, 'nom'), COMPANY_TEXTS.nameRequired);
    assertIncludes(decoded(bad.text), 'value="5 place Bellecour"');
    const res = await post(staff, `/gestion/entreprises/${companyId}/modifier`, {
      nom: 'Boulangerie Élysée',
      siren: SIREN,
      adresse: '5 place Bellecour',
      code_postal: '69002',
      ville: 'Lyon',
    });
    assert.equal(res.status, 303);
    assert.equal((await t.db('companies').where({ id: companyId }).first()).address_line, '5 place Bellecour');
    assert.equal(await lastSentence('company_updated'), "Claire Martin a modifié l'entreprise cliente Boulangerie Élysée.");
  });

  test('an establishment: a SIRET of another SIREN or a wrong one is refused; a right one gets a code identifiant', async () => {
    const url = `/gestion/entreprises/${companyId}/etablissements/nouveau`;
    const fields = { nom: 'Boulangerie Élysée — Lyon', adresse: '5 place Bellecour', code_postal: '69002', ville: 'Lyon' };
    const other = await post(staff, url, { ...fields, siret: generateSiret(generateSiren('12345678')) });
    assert.equal(other.status, 422);
    assert.equal(errorAt(other.text, 'siret'), COMPANY_TEXTS.siretOtherCompany(SIREN));
    const wrong = await post(staff, url, { ...fields, siret: `${siret.slice(0, 13)}${(Number(siret[13]) + 1) % 10}` });
    assert.equal(errorAt(wrong.text, 'siret'), SIRET_MESSAGES.siretInvalid);
    assertIncludes(decoded(wrong.text), 'value="Boulangerie Élysée — Lyon"');
    const res = await post(staff, url, { ...fields, siret });
    assert.equal(res.status, 303);
    const row = await t.db('establishments').where({ siret }).first();
    assert.equal(row.company_id, companyId);
    assert.ok(isIdentifier(row.insurer_code), row.insurer_code);
    assert.equal(await lastSentence('establishment_created'), "Claire Martin a créé l'établissement Boulangerie Élysée — Lyon de Boulangerie Élysée.");
    const again = await post(staff, url, { ...fields, siret });
    assert.equal(errorAt(again.text, 'siret'), COMPANY_TEXTS.siretTaken);
    // The SIREN cannot change once establishments carry it.
    const siren = await post(staff, `/gestion/entreprises/${companyId}/modifier`, {
      nom: 'X',
      siren: generateSiren('44444444'),
      adresse: 'a',
      code_postal: '69002',
      ville: 'Lyon',
    });
    assert.equal(errorAt(siren.text, 'siren'), COMPANY_TEXTS.sirenHasEstablishments);
  });

  test('an establishment edited: saved and audited; its SIRET must still begin with the SIREN; its code identifiant kept', async () => {
    const row = await t.db('establishments').where({ siret }).first();
    const url = `/gestion/entreprises/${companyId}/etablissements/${row.id}/modifier`;
    assertIncludes(decoded((await staff.get(url).expect(200)).text), row.insurer_code);
    const fields = { nom: 'Boulangerie Élysée — Bellecour', siret, adresse: '7 place Bellecour', code_postal: '69002', ville: 'Lyon' };
    const bad = await post(staff, url, { ...fields, siret: generateSiret(generateSiren('12345678')) });
    assert.equal(bad.status, 422);
    assert.equal(errorAt(bad.text, 'siret'), COMPANY_TEXTS.siretOtherCompany(SIREN));
    assertIncludes(decoded(bad.text), 'value="69002"');
    assert.equal((await post(staff, url, fields)).status, 303);
    const saved = await t.db('establishments').where({ id: row.id }).first();
    assert.equal(saved.name, 'Boulangerie Élysée — Bellecour');
    assert.equal(saved.insurer_code, row.insurer_code);
    assert.equal(await lastSentence('establishment_updated'), "Claire Martin a modifié l'établissement Boulangerie Élysée — Bellecour de Boulangerie Élysée.");
  });

  test('the letter: the company, the SIRET, the identifiant and the steps of « Activer mon espace »; printing is audited', async () => {
    const { text } = await pdfText(staff, `/gestion/entreprises/${companyId}/lettre-activation`);
    const flat = text.replace(/\s+/g, ' ');
    assertIncludes(flat, 'Boulangerie Élysée');
    assertIncludes(flat, `Identifiant entreprise : ${identifier}`);
    assertIncludes(flat, `${siret.slice(0, 3)} ${siret.slice(3, 6)} ${siret.slice(6, 9)} ${siret.slice(9)}`);
    assertIncludes(flat, 'cliquez sur « Activer mon espace »');
    assertIncludes(flat, 'Connectez-vous avec deux identifiants : Numéro de SIRET et Identifiant entreprise');
    assertIncludes(flat, 'Choisissez un mot de passe sécurisé puis validez les conditions générales');
    // Tagged, titled, its fonts embedded with their Unicode maps (pdfinfo, pdffonts), every mark tagged or an artifact.
    const pdf = inspectPdf(await pdfBytes(staff, `/gestion/entreprises/${companyId}/lettre-activation`));
    assert.ok(pdf.tagged, 'tagged');
    assert.equal(pdf.title, 'Activation de votre Espace Entreprise');
    assert.ok(pdf.fonts.length > 0 && pdf.fonts.every((f) => f.embedded && f.unicode), JSON.stringify(pdf.fonts));
    assert.deepEqual(pdf.unmarked, []);
    assert.equal(
      await lastSentence('activation_letter_printed'),
      "Claire Martin a imprimé la lettre d'activation de l'Espace Entreprise de Boulangerie Élysée.",
    );
  });

  test('an HR user activates the Espace Entreprise with that SIRET and identifiant', async () => {
    const b = await ipBrowser(t.app, '/entreprise', '198.51.100.77');
    const page = await b.get('/entreprise/activation/identification').expect(200);
    const identified = await b.post('/entreprise/activation/identification', { siret, identifiant: identifier.toLowerCase(), robot: robotAnswer(page.text) });
    assert.equal(identified.status, 303, textOf(identified.text).slice(0, 400));
    assert.equal(identified.headers.location, '/entreprise/activation/compte');
    const who = await b.post('/entreprise/activation/compte', {
      last_name: 'Moreau',
      first_name: 'Sophie',
      email: 'rh@boulangerie-elysee.fr',
      mobile: '06 39 98 00 64',
    });
    assert.equal(who.status, 303);
    const done = await b.post('/entreprise/activation/mot-de-passe', {
      password: 'girafe parapluie tonnerre violon',
      password_confirmation: 'girafe parapluie tonnerre violon',
      cgu: 'oui',
    });
    assert.equal(done.status, 303);
    const account = await t.db('accounts').where({ kind: 'hr', email: 'rh@boulangerie-elysee.fr' }).first();
    assert.ok(account);
    const habilitation = await t.db('hr_habilitations').where({ account_id: account.id }).first();
    assert.equal(habilitation.company_id, companyId);
    assert.equal(habilitation.role, 'admin');
  });

  test('search: the name with accents folded, the SIREN, the identifiant; pagination by 25', async () => {
    for (let i = 0; i < 26; i++)
      await t.db('companies').insert({
        name: `Zeta ${String(i).padStart(2, '0')}`,
        siren: generateSiren(String(80000000 + i)),
        insurer_company_number: `ZT${i}`,
        address_line: 'a',
        postal_code: '75001',
        city: 'Paris',
        created_at: '2026-01-01T00:00:00.000Z',
      });
    for (const search of ['elysee', 'ÉLYSÉE', SIREN.slice(0, 3) + ' ' + SIREN.slice(3, 6), identifier.toLowerCase()]) {
      const text = textOf((await staff.get(`/gestion/entreprises?recherche=${encodeURIComponent(search)}`).expect(200)).text);
      assertIncludes(text, 'Boulangerie Élysée');
      assertExcludes(text, 'Zeta 00');
    }
    const none = textOf((await staff.get('/gestion/entreprises?recherche=introuvable').expect(200)).text);
    assertIncludes(none, 'Aucune entreprise ne correspond à cette recherche.');
    const first = textOf((await staff.get('/gestion/entreprises?recherche=zeta').expect(200)).text);
    assertIncludes(first, '26 entreprises — page 1 sur 2');
    assertExcludes(first, 'Zeta 25');
    const second = textOf((await staff.get('/gestion/entreprises?recherche=zeta&page=2').expect(200)).text);
    assertIncludes(second, 'Zeta 25');
    // htmx gets the list alone.
    const fragment = await staff.get('/gestion/entreprises?recherche=zeta').set('HX-Request', 'true').expect(200);
    assert.ok(fragment.text.trimStart().startsWith('<div id="companies-list"'));
  });
});

describe('contracts and their guarantee tables, versioned by date d’effet', () => {
  let companyId: number;
  let contractId: number;
  const lines = (coverage: string, percent: string) => ({
    categorie: ['soins_courants', 'optique', ''],
    garantie: ['Consultation généraliste', 'Monture et verres', ''],
    remboursement: [coverage, 'Forfait 150 € par an', ''],
    taux: [percent, '', ''],
    forfait: ['', '150', ''],
    plafond: ['', '', ''],
  });

  test('a contract: bad dates and a missing college are said; then created and audited', async () => {
    companyId = await createCompany('Menuiserie Dupré', generateSiren('62222222'));
    const url = `/gestion/entreprises/${companyId}/contrats/nouveau`;
    const bad = await post(staff, url, {
      reference: 'CT-DUPRE-C',
      libelle: 'Frais de santé — Cadres',
      formule: 'Confort',
      options: '',
      date_effet: '01/01/2026',
      date_fin: '31/12/2025',
    });
    assert.equal(bad.status, 422);
    assert.equal(errorAt(bad.text, 'date_fin'), COMPANY_TEXTS.endBeforeStart);
    assert.equal(errorAt(bad.text, 'college'), COMPANY_TEXTS.collegeRequired);
    assertIncludes(decoded(bad.text), 'value="CT-DUPRE-C"');
    const res = await post(staff, url, {
      reference: 'ct-dupre-c',
      libelle: 'Frais de santé — Cadres',
      college: 'cadre',
      formule: 'Confort',
      options: 'Option 2 facultative',
      date_effet: '01/01/2026',
      date_fin: '',
    });
    assert.equal(res.status, 303);
    const row = await t.db('contracts').where({ reference: 'CT-DUPRE-C' }).first();
    contractId = row.id;
    assert.equal(res.headers.location, `/gestion/entreprises/${companyId}/contrats/${contractId}/garanties`);
    assert.equal(row.start_date, '2026-01-01');
    assert.equal(await lastSentence('contract_created'), 'Claire Martin a créé le contrat CT-DUPRE-C de Menuiserie Dupré.');
  });

  test('guarantees: a line without its category or with a wrong amount is said at its field; « Ajouter une ligne » saves nothing', async () => {
    const url = `/gestion/entreprises/${companyId}/contrats/${contractId}/garanties`;
    const form = await staff.get(url).expect(200);
    assertIncludes(decoded(form.text), 'value="01/01/2026"');
    const bad = await post(staff, url, {
      date_effet: '01/01/2026',
      ...lines('100 % BR – RSS', '100'),
      forfait: ['', '15O', ''],
      categorie: ['', 'optique', ''],
    });
    assert.equal(bad.status, 422);
    assert.equal(errorAt(bad.text, 'categorie-0'), COMPANY_TEXTS.categoryRequired);
    assert.equal(errorAt(bad.text, 'forfait-1'), COMPANY_TEXTS.amountInvalid);
    assertIncludes(decoded(bad.text), 'value="Monture et verres"');
    const before = await t.db('guarantee_lines').where({ contract_id: contractId }).count({ n: '*' }).first();
    assert.equal(Number(before?.n), 0);
    const more = await post(staff, url, { date_effet: '01/01/2026', ...lines('100 % BR – RSS', '100'), ajouter_ligne: '1' });
    assert.equal(more.status, 200);
    assert.equal((decoded(more.text).match(/<legend>Ligne \d+<\/legend>/g) ?? []).length, 4);
    const early = await post(staff, url, { date_effet: '01/06/2025', ...lines('100 % BR – RSS', '100') });
    assert.equal(errorAt(early.text, 'date_effet'), COMPANY_TEXTS.versionBeforeStart('2026-01-01'));
  });

  test('a version from next January leaves this year’s table as it is: every reader gets the one in force on its day', async () => {
    const url = `/gestion/entreprises/${companyId}/contrats/${contractId}/garanties`;
    assert.equal((await post(staff, url, { date_effet: '01/01/2026', ...lines('100 % BR – RSS', '100') })).status, 303);
    assert.equal((await post(staff, url, { date_effet: '01/01/2027', ...lines('200 % BR – RSS', '200') })).status, 303);
    assert.equal(
      await lastSentence('guarantees_versioned'),
      'Claire Martin a modifié les garanties du contrat CT-DUPRE-C de Menuiserie Dupré à compter du 01/01/2027.',
    );
    const now = await guaranteesOf(t.db, [contractId], '2026-11-22');
    assert.deepEqual(
      now.map((g) => g.coverage),
      ['100 % BR – RSS', 'Forfait 150 € par an'],
    );
    const next = await guaranteesOf(t.db, [contractId], '2027-02-01');
    assert.deepEqual(
      next.map((g) => g.coverage),
      ['200 % BR – RSS', 'Forfait 150 € par an'],
    );
    // A day before the contract starts reads its first table.
    assert.deepEqual((await guaranteesOf(t.db, [contractId], '2025-03-01')).map((g) => g.coverage)[0], '100 % BR – RSS');
    const page = textOf((await staff.get(`/gestion/entreprises/${companyId}/contrats/${contractId}`).expect(200)).text);
    assertIncludes(page, 'Du 01/01/2026 au 31/12/2026 en vigueur');
    assertIncludes(page, 'À compter du 01/01/2027 à venir');

    // The reste-à-charge estimate reads the same version: a member of the contract, today and next year.
    const member = await t.db('members').first('id');
    const establishment = await t.db('establishments').first('id');
    await t.db('affiliations').insert({
      member_id: member.id,
      contract_id: contractId,
      establishment_id: establishment.id,
      professional_status: 'cadre',
      company_status: 'salarie',
      employment_contract_type: 'CDI',
      employment_start_date: '2026-01-01',
      entry_date: '2026-01-01',
      start_date: '2026-01-01',
      created_at: '2026-01-01T00:00:00.000Z',
    });
    const today = await currentGuarantees(t.db, member.id, '2026-11-22');
    assert.equal(today.find((g) => g.category === 'soins_courants')?.br_percent, 100);
    const later = await currentGuarantees(t.db, member.id, '2027-03-01');
    assert.equal(later.find((g) => g.category === 'soins_courants')?.br_percent, 200);
    assert.equal(later.find((g) => g.category === 'optique')?.flat_amount_cents, 15000);
  });

  test('a new version from a day within the year replaces the later ones from that day', async () => {
    const url = `/gestion/entreprises/${companyId}/contrats/${contractId}/garanties`;
    assert.equal((await post(staff, url, { date_effet: '01/07/2026', ...lines('150 % BR – RSS', '150') })).status, 303);
    assert.deepEqual((await guaranteesOf(t.db, [contractId], '2026-03-01')).map((g) => g.coverage)[0], '100 % BR – RSS');
    assert.deepEqual((await guaranteesOf(t.db, [contractId], '2026-08-01')).map((g) => g.coverage)[0], '150 % BR – RSS');
    assert.deepEqual((await guaranteesOf(t.db, [contractId], '2027-08-01')).map((g) => g.coverage)[0], '150 % BR – RSS');
  });

  test('edited: the contract’s fields saved and audited', async () => {
    const res = await post(staff, `/gestion/entreprises/${companyId}/contrats/${contractId}/modifier`, {
      reference: 'CT-DUPRE-C',
      libelle: 'Frais de santé — Cadres',
      college: 'cadre',
      formule: 'Confort plus',
      options: '',
      date_effet: '01/01/2026',
      date_fin: '31/12/2028',
    });
    assert.equal(res.status, 303);
    const row = await t.db('contracts').where({ id: contractId }).first();
    assert.equal(row.formula, 'Confort plus');
    assert.equal(row.end_date, '2028-12-31');
    assert.equal(await lastSentence('contract_updated'), 'Claire Martin a modifié le contrat CT-DUPRE-C de Menuiserie Dupré.');
  });

  test('moving the contract’s dates moves its first table with them, never past a later version', async () => {
    const url = `/gestion/entreprises/${companyId}/contrats/${contractId}/modifier`;
    const fields = { reference: 'CT-DUPRE-C', libelle: 'Frais de santé — Cadres', college: 'cadre', formule: 'Confort plus', options: '' };
    // Versions now start on 01/01/2026 and 01/07/2026.
    const pastNext = await post(staff, url, { ...fields, date_effet: '01/08/2026', date_fin: '' });
    assert.equal(pastNext.status, 422);
    assert.equal(errorAt(pastNext.text, 'date_effet'), COMPANY_TEXTS.startAfterVersion('2026-07-01'));
    assertIncludes(decoded(pastNext.text), 'value="01/08/2026"');
    const endBefore = await post(staff, url, { ...fields, date_effet: '01/01/2026', date_fin: '30/06/2026' });
    assert.equal(errorAt(endBefore.text, 'date_fin'), COMPANY_TEXTS.endBeforeVersion('2026-07-01'));
    assert.equal((await t.db('contracts').where({ id: contractId }).first()).start_date, '2026-01-01', 'nothing saved on a refusal');

    assert.equal((await post(staff, url, { ...fields, date_effet: '01/10/2025', date_fin: '31/12/2028' })).status, 303);
    assert.deepEqual((await guaranteesOf(t.db, [contractId], '2025-11-01')).map((g) => g.coverage)[0], '100 % BR – RSS');
    const firsts = await t.db('guarantee_lines').where({ contract_id: contractId }).distinct('effective_from').orderBy('effective_from');
    assert.deepEqual(
      firsts.map((r) => r.effective_from),
      ['2025-10-01', '2026-07-01'],
    );
    assert.equal((await post(staff, url, { ...fields, date_effet: '01/03/2026', date_fin: '31/12/2028' })).status, 303);
    const page = textOf((await staff.get(`/gestion/entreprises/${companyId}/contrats/${contractId}`).expect(200)).text);
    assertIncludes(page, 'Du 01/03/2026 au 30/06/2026');
  });
});

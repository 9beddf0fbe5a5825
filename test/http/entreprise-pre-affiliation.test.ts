// « Pré-affiliation »: the four steps kept in the session, every validation rule of the employee
// step, the duplicates, the request it creates (mode Email with its link, or Courrier), and access.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { addEmployee, createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { createAccount, decoded, lastMessageTo, linkIn, loginAs, tokenFrom, textOf } from '../helpers/fixtures.js';
import { nirKey } from '../../src/domain/nir.js';
import { hashToken } from '../../src/domain/secrets.js';
import { PRE_AFFILIATION_TEXTS } from '../../src/entreprise/pre-affiliation/employee.js';
import { createAffiliationRequest } from '../../src/entreprise/pre-affiliation/queries.js';
import { ESTABLISHMENT_OPTIONS_MAX } from '../../src/entreprise/queries.js';
import { ESTABLISHMENTS_PAST_CAP_HINT } from '../../src/entreprise/establishment-filter.js';
import { SIRET_MESSAGES } from '../../src/domain/siret.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const BASE = '/entreprise/pre-affiliation';
type Agent = Awaited<ReturnType<typeof loginAs>>;
let t: TestContext;
let alpha: TestCompany;
let other: TestCompany;
let hr: { id: number; email: string };
let agent: Agent;

/** A valid 13-character NIR for a woman (2) or man (1) born in `yyyy-mm`, in Gironde. */
function nir13(sex: 1 | 2, birth: string, order: number): string {
  return `${sex}${birth.slice(2, 4)}${birth.slice(5, 7)}33063${String(order).padStart(3, '0')}`;
}

async function post(path: string, body: Record<string, string>, status: number, headers: Record<string, string> = {}) {
  const token = await tokenFrom(agent, '/entreprise/accueil');
  const res = await agent
    .post(path)
    .set(headers)
    .type('form')
    .send({ _csrf: token, ...body });
  assert.equal(res.status, status, `${path}: ${res.status} ${res.status !== status ? textOf(res.text).slice(-1200) : ''}`);
  return res;
}

/** Steps 1 to 3 answered (« Non » at step 3). */
async function throughStep3(establishmentId = alpha.establishments[0].id, status = 'non_cadre') {
  await post(`${BASE}/etablissement`, { etablissement: String(establishmentId) }, 303);
  await post(`${BASE}/statut`, { statut_professionnel: status }, 303);
  await post(`${BASE}/deja-affilie`, { deja_affilie: 'non' }, 303);
}

const employee = (overrides: Record<string, string> = {}) => ({
  nir: nir13(2, '1996-04', 101),
  nom: 'Fontaine',
  prenom: 'Léa',
  email: 'Lea.Fontaine@exemple.fr',
  date_naissance: '12/04/1996',
  date_entree: '01/12/2026',
  date_affiliation: '01/12/2026',
  type_contrat: 'CDI',
  date_debut_contrat: '01/12/2026',
  date_fin_contrat: '',
  statut_professionnel: 'non_cadre',
  statut_entreprise: 'salarie',
  ...overrides,
});

before(async () => {
  t = await makeTestApp();
  alpha = await createHrCompany(t.db, 'Alpha Immobilier', 3);
  other = await createHrCompany(t.db, 'Gamma Gestion', 1);
  hr = await createHrUser(t.db, [{ company: alpha, role: 'user' }], { firstName: 'Eugénie', perimeter: alpha.establishments.slice(0, 2) });
  agent = await loginAs(t.app, t.db, 'entreprise', hr.email);
});
after(async () => t.close());
beforeEach(async () => {
  // Each test starts the wizard afresh.
  const token = await tokenFrom(agent, '/entreprise/accueil');
  await agent.post(`${BASE}/annuler`).type('form').send({ _csrf: token }).expect(303);
});

describe('the steps', () => {
  test('a later step is never reached before the earlier ones (GET and POST)', async () => {
    assert.equal((await agent.get(BASE).expect(303)).headers.location, `${BASE}/etablissement`);
    assert.equal((await agent.get(`${BASE}/salarie`).expect(303)).headers.location, `${BASE}/etablissement`);
    const res = await post(`${BASE}/statut`, { statut_professionnel: 'cadre' }, 303);
    assert.equal(res.headers.location, `${BASE}/etablissement`);
    await post(`${BASE}/salarie`, employee(), 303);
    assert.equal(
      await t
        .db('affiliation_requests')
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      0,
    );
  });

  test("step 1 « Etablissement »: only the user's visible establishments; messages beside the field", async () => {
    const page = textOf((await agent.get(`${BASE}/etablissement`).expect(200)).text);
    assertIncludes(page, "1. Choisissez le nom de l'établissement");
    assert.ok(page.includes(alpha.establishments[0].name) && page.includes(alpha.establishments[1].name));
    assertExcludes(page, alpha.establishments[2].name, 'not in the perimeter');
    assertExcludes(page, other.establishments[0].name, 'another company');
    const empty = await post(`${BASE}/etablissement`, { etablissement: '' }, 422);
    assertIncludes(textOf(empty.text), PRE_AFFILIATION_TEXTS.establishmentRequired);
    for (const foreign of [other.establishments[0].id, alpha.establishments[2].id, 'abc']) {
      const res = await post(`${BASE}/etablissement`, { etablissement: String(foreign) }, 422);
      assertIncludes(textOf(res.text), PRE_AFFILIATION_TEXTS.establishmentUnknown);
    }
    assert.equal((await post(`${BASE}/etablissement`, { etablissement: String(alpha.establishments[1].id) }, 303)).headers.location, `${BASE}/statut`);
    // Back: the choice is still selected.
    const back = (await agent.get(`${BASE}/etablissement`).expect(200)).text;
    assertIncludes(back, `value="${alpha.establishments[1].id}" selected`);
  });

  test('step 2 « Statut professionnel » and step 3: an answer is required', async () => {
    await post(`${BASE}/etablissement`, { etablissement: String(alpha.establishments[0].id) }, 303);
    const bad = await post(`${BASE}/statut`, { statut_professionnel: 'directeur' }, 422);
    assertIncludes(textOf(bad.text), PRE_AFFILIATION_TEXTS.professionalRequired);
    await post(`${BASE}/statut`, { statut_professionnel: 'cadre' }, 303);
    const page = textOf((await agent.get(`${BASE}/deja-affilie`).expect(200)).text);
    assertIncludes(page, "Le salarié a-t-il déjà fait l'objet d'une affiliation au sein de votre entreprise ?");
    assertIncludes(page, 'Statut professionnel : Cadre');
    const none = await post(`${BASE}/deja-affilie`, {}, 422);
    assertIncludes(textOf(none.text), PRE_AFFILIATION_TEXTS.alreadyRequired);
    await post(`${BASE}/deja-affilie`, { deja_affilie: 'non' }, 303);
    const step4 = (await agent.get(`${BASE}/salarie`).expect(200)).text;
    assert.ok(/value="cadre"[^>]*checked/.test(step4), 'the professional status of step 2 is pre-selected');
  });

  test('step 3 « Oui »: the former employee is found by NIR and pre-fills step 4; unknown or still covered → messages', async () => {
    const former = await addEmployee(t.db, alpha, alpha.establishments[2], { lastName: 'Garnier', firstName: 'Luc', start: '2020-01-01', end: '2024-06-30' });
    const formerNir = nir13(1, '1985-05', 777);
    await t
      .db('members')
      .where({ id: former.memberId })
      .update({ nir: formerNir + String(nirKey(formerNir)).padStart(2, '0'), email: 'luc.garnier@exemple.fr' });
    const covered = await addEmployee(t.db, alpha, alpha.establishments[0], { lastName: 'Present' });
    const coveredNir = (await t.db('members').where({ id: covered.memberId }).first()).nir.slice(0, 13);
    const stranger = await addEmployee(t.db, other, other.establishments[0], { end: '2023-01-31' });
    const strangerNir = (await t.db('members').where({ id: stranger.memberId }).first()).nir.slice(0, 13);

    await post(`${BASE}/etablissement`, { etablissement: String(alpha.establishments[0].id) }, 303);
    await post(`${BASE}/statut`, { statut_professionnel: 'non_cadre' }, 303);
    const missing = await post(`${BASE}/deja-affilie`, { deja_affilie: 'oui' }, 422);
    assertIncludes(textOf(missing.text), PRE_AFFILIATION_TEXTS.formerNirRequired);
    const malformed = await post(`${BASE}/deja-affilie`, { deja_affilie: 'oui', nir_ancien: '12345' }, 422);
    assertIncludes(textOf(malformed.text), '13 caractères');
    assertIncludes(malformed.text, 'value="12345"', 'value kept');
    // Someone affiliated in another company only is not « within your company ».
    const foreign = await post(`${BASE}/deja-affilie`, { deja_affilie: 'oui', nir_ancien: strangerNir }, 422);
    assertIncludes(textOf(foreign.text), PRE_AFFILIATION_TEXTS.formerNotFound);
    const still = await post(`${BASE}/deja-affilie`, { deja_affilie: 'oui', nir_ancien: coveredNir }, 422);
    assertIncludes(textOf(still.text), PRE_AFFILIATION_TEXTS.stillCovered);
    assertIncludes(still.text, `href="/entreprise/salaries/${covered.memberId}"`);

    await post(`${BASE}/deja-affilie`, { deja_affilie: 'oui', nir_ancien: formerNir }, 303);
    const step4 = (await agent.get(`${BASE}/salarie`).expect(200)).text;
    assertIncludes(textOf(step4), 'Le salarié a été retrouvé');
    for (const value of [formerNir, 'Garnier', 'Luc', 'luc.garnier@exemple.fr', '10/05/1985']) assertIncludes(step4, `value="${value}"`, value);
    await post(`${BASE}/salarie`, employee({ nir: formerNir, nom: 'Garnier', prenom: 'Luc', email: '', date_naissance: '10/05/1985' }), 303);
    const created = await t.db('affiliation_requests').orderBy('id', 'desc').first();
    assert.equal(created.previous_member_id, former.memberId);
    assert.equal(created.mode, 'courrier');
  });

  test('htmx: a valid step answers the next step in place and pushes its URL; an error answers 422 in place', async () => {
    const res = await post(`${BASE}/etablissement`, { etablissement: String(alpha.establishments[0].id) }, 200, { 'HX-Request': 'true' });
    assert.equal(res.headers['hx-push-url'], `${BASE}/statut`);
    assert.ok(!res.text.includes('<html') && textOf(res.text).includes('2. Sélectionnez le statut professionnel du salarié'));
    const bad = await post(`${BASE}/statut`, {}, 422, { 'HX-Request': 'true' });
    assert.ok(!bad.text.includes('<html') && textOf(bad.text).includes(PRE_AFFILIATION_TEXTS.professionalRequired));
  });

  test('« Annuler » forgets everything', async () => {
    await throughStep3();
    const token = await tokenFrom(agent, '/entreprise/accueil');
    const res = await agent.post(`${BASE}/annuler`).type('form').send({ _csrf: token }).expect(303);
    assert.equal(res.headers.location, '/entreprise/accueil');
    assertIncludes(textOf((await agent.get('/entreprise/accueil').expect(200)).text), 'La pré-affiliation a été annulée');
    assert.equal((await agent.get(`${BASE}/salarie`).expect(303)).headers.location, `${BASE}/etablissement`);
  });
});

describe('step 4: every rule, message beside the field, values kept', () => {
  const cases: [string, Record<string, string>, string, string][] = [
    ['NIR too short', { nir: '29604330631' }, 'nir', 'doit comporter 13 caractères'],
    ['NIR with a wrong month', { nir: '2961433063101' }, 'nir', 'Le mois de naissance du numéro de Sécurité sociale est invalide.'],
    ['NIR and birth date apart', { date_naissance: '12/04/1995' }, 'nir', PRE_AFFILIATION_TEXTS.nirBirth],
    ['last name missing', { nom: '' }, 'nom', PRE_AFFILIATION_TEXTS.lastName],
    ['first name missing', { prenom: '  ' }, 'prenom', PRE_AFFILIATION_TEXTS.firstName],
    ['bad email', { email: 'lea@' }, 'email', "L'adresse e-mail n'est pas valide"],
    ['birth date impossible', { date_naissance: '31/02/1996' }, 'date_naissance', 'La date de naissance est invalide (format jj/mm/aaaa).'],
    ['birth date in the future', { nir: nir13(2, '2027-04', 101), date_naissance: '12/04/2027' }, 'date_naissance', PRE_AFFILIATION_TEXTS.birthFuture],
    ['under 14 at entry', { nir: nir13(2, '2015-04', 101), date_naissance: '12/04/2015' }, 'date_naissance', PRE_AFFILIATION_TEXTS.birthAge],
    ['entry date missing', { date_entree: '' }, 'date_entree', "La date d'entrée dans l'entreprise est obligatoire."],
    ['entry more than a year ahead', { date_entree: '01/01/2028', date_affiliation: '01/01/2028' }, 'date_entree', PRE_AFFILIATION_TEXTS.entryTooFar],
    ['affiliation before entry', { date_affiliation: '30/11/2026' }, 'date_affiliation', PRE_AFFILIATION_TEXTS.affiliationBeforeEntry],
    ['contract type missing', { type_contrat: '' }, 'type_contrat', PRE_AFFILIATION_TEXTS.contractRequired],
    ['contract type unknown', { type_contrat: 'interim' }, 'type_contrat', PRE_AFFILIATION_TEXTS.contractRequired],
    ['contract start missing', { date_debut_contrat: '' }, 'date_debut_contrat', 'La date de début du contrat de travail est obligatoire.'],
    ['CDD without an end', { type_contrat: 'CDD' }, 'date_fin_contrat', PRE_AFFILIATION_TEXTS.endRequired],
    ['CDD ending before it starts', { type_contrat: 'CDD', date_fin_contrat: '30/11/2026' }, 'date_fin_contrat', PRE_AFFILIATION_TEXTS.endBeforeStart],
    ['CDI with an end', { date_fin_contrat: '31/05/2027' }, 'date_fin_contrat', PRE_AFFILIATION_TEXTS.endRefused],
    ['professional status unknown', { statut_professionnel: 'x' }, 'statut_professionnel', 'Choisissez le statut professionnel du salarié.'],
    ['company status unknown', { statut_entreprise: 'x' }, 'statut_entreprise', PRE_AFFILIATION_TEXTS.companyStatusRequired],
  ];
  for (const [name, overrides, fieldName, message] of cases) {
    test(name, async () => {
      await throughStep3();
      const before = Number((await t.db('affiliation_requests').count({ n: '*' }).first())?.n);
      const body = employee(overrides);
      const res = await post(`${BASE}/salarie`, body, 422);
      const html = decoded(res.text);
      assertIncludes(html, `id="${fieldName}-error"`, `error beside ${fieldName}`);
      assertIncludes(textOf(html.slice(html.indexOf(`id="${fieldName}-error"`))), message, `${fieldName}: ${message}`);
      for (const kept of ['nom', 'date_entree', 'date_fin_contrat'] as const) {
        if (body[kept]) assertIncludes(html, `value="${body[kept]}"`, `${kept} kept`);
      }
      assert.equal(Number((await t.db('affiliation_requests').count({ n: '*' }).first())?.n), before, 'nothing written');
    });
  }

  test('a CDD with its end, and an apprenticeship without one, are accepted', async () => {
    const before = Number((await t.db('affiliation_requests').count({ n: '*' }).first())?.n);
    await throughStep3();
    await post(`${BASE}/salarie`, employee({ nir: nir13(2, '1996-04', 201), email: '', type_contrat: 'CDD', date_fin_contrat: '31/05/2027' }), 303);
    await throughStep3();
    await post(`${BASE}/salarie`, employee({ nir: nir13(2, '1996-04', 202), email: '', type_contrat: 'apprentissage' }), 303);
    const rows = await t.db('affiliation_requests').orderBy('id', 'desc').limit(2);
    assert.equal(Number((await t.db('affiliation_requests').count({ n: '*' }).first())?.n), before + 2);
    assert.deepEqual(
      rows.map((r: { employment_contract_type: string; employment_end_date: string | null }) => [r.employment_contract_type, r.employment_end_date]),
      [
        ['apprentissage', null],
        ['CDD', '2027-05-31'],
      ],
    );
  });
});

describe('duplicates', () => {
  test('same NIR already covered in this company: refused, with a link to the employee', async () => {
    const covered = await addEmployee(t.db, alpha, alpha.establishments[1]);
    const nir = (await t.db('members').where({ id: covered.memberId }).first()).nir as string;
    await t
      .db('members')
      .where({ id: covered.memberId })
      .update({ birth_date: `19${nir.slice(1, 3)}-${nir.slice(3, 5)}-10` });
    await throughStep3();
    const res = await post(`${BASE}/salarie`, employee({ nir: nir.slice(0, 13), date_naissance: `10/${nir.slice(3, 5)}/19${nir.slice(1, 3)}` }), 422);
    assertIncludes(textOf(res.text), PRE_AFFILIATION_TEXTS.alreadyCovered);
    assertIncludes(res.text, `href="/entreprise/salaries/${covered.memberId}"`);
  });

  test('covered in an establishment outside the perimeter: refused too, without a link the user could not open', async () => {
    const outside = await addEmployee(t.db, alpha, alpha.establishments[2]);
    const nir = (await t.db('members').where({ id: outside.memberId }).first()).nir as string;
    await t
      .db('members')
      .where({ id: outside.memberId })
      .update({ birth_date: `19${nir.slice(1, 3)}-${nir.slice(3, 5)}-10` });
    await throughStep3();
    const res = await post(`${BASE}/salarie`, employee({ nir: nir.slice(0, 13), date_naissance: `10/${nir.slice(3, 5)}/19${nir.slice(1, 3)}` }), 422);
    assertIncludes(textOf(res.text), PRE_AFFILIATION_TEXTS.alreadyCovered);
    assertExcludes(res.text, `/entreprise/salaries/${outside.memberId}`);
  });

  test('a request already open for this NIR: refused, with a link to it', async () => {
    await throughStep3();
    await post(`${BASE}/salarie`, employee({ nir: nir13(2, '1996-04', 301), email: '' }), 303);
    const open = await t.db('affiliation_requests').orderBy('id', 'desc').first();
    await throughStep3();
    const res = await post(`${BASE}/salarie`, employee({ nir: nir13(2, '1996-04', 301) }), 422);
    assertIncludes(textOf(res.text), PRE_AFFILIATION_TEXTS.requestOpen);
    assertIncludes(res.text, `href="/entreprise/suivi-affiliations/${open.id}"`);
    // Once cancelled, a new pre-affiliation is possible.
    await t.db('affiliation_requests').where({ id: open.id }).update({ status: 'cancelled' });
    await post(`${BASE}/salarie`, employee({ nir: nir13(2, '1996-04', 301), email: '' }), 303);
  });
});

describe('the request it creates', () => {
  test('with an email: mode Email, « Envoyé à l’employé », a 30-day link stored hashed and emailed; audited', async () => {
    await throughStep3(alpha.establishments[1].id, 'cadre');
    const res = await post(`${BASE}/salarie`, employee({ nir: nir13(2, '1996-04', 401), statut_professionnel: 'cadre' }), 303);
    const row = await t.db('affiliation_requests').orderBy('id', 'desc').first();
    assert.equal(res.headers.location, `${BASE}/envoi/${row.id}`);
    assert.equal(row.mode, 'email');
    assert.equal(row.status, 'sent');
    assert.equal(row.company_id, alpha.companyId);
    assert.equal(row.establishment_id, alpha.establishments[1].id);
    assert.equal(row.professional_status, 'cadre');
    assert.equal(row.nir, nir13(2, '1996-04', 401));
    assert.equal(row.email, 'lea.fontaine@exemple.fr');
    assert.equal(row.birth_date, '1996-04-12');
    assert.equal(row.affiliation_date, '2026-12-01');
    assert.equal(row.created_by_account_id, hr.id);
    assert.equal(Date.parse(row.token_expires_at) - t.clock().getTime(), 30 * 24 * 3600 * 1000);
    const mail = await lastMessageTo(t.db, 'lea.fontaine@exemple.fr');
    assertIncludes(mail.subject, 'Finalisez votre affiliation');
    assertIncludes(mail.body_text, 'Alpha Immobilier');
    const link = linkIn(mail.body_text);
    assert.match(link, /^\/affiliation\/[A-Za-z0-9_-]{43}$/);
    assert.equal(row.token_hash, hashToken(link.split('/').pop()!));
    assertExcludes(mail.body_text, row.nir, 'never the NIR in an email');
    const events = await t.db('affiliation_request_events').where({ request_id: row.id }).orderBy('id');
    assert.deepEqual(
      events.map((e: { kind: string }) => e.kind),
      ['created', 'email_sent'],
    );
    const audit = await t.db('audit_log').where({ event: 'pre_affiliation_created', account_id: hr.id }).orderBy('id', 'desc').first();
    assert.deepEqual(JSON.parse(audit.detail), { request: row.id, mode: 'email' });
    const page = textOf((await agent.get(res.headers.location).expect(200)).text);
    assertIncludes(page, 'Léa Fontaine est pré-affilié(e)');
    assertIncludes(page, "Le formulaire d'affiliation a été envoyé par email à lea.fontaine@exemple.fr");
    assertIncludes(page, '22/12/2026', 'the end of the link, 30 days on');
    // The wizard starts afresh.
    assert.equal((await agent.get(BASE).expect(303)).headers.location, `${BASE}/etablissement`);
  });

  test('without an email: mode Courrier, no link, the paper form to download', async () => {
    await throughStep3();
    const before = await t.db('outbox').count({ n: '*' }).first();
    const res = await post(`${BASE}/salarie`, employee({ nir: nir13(1, '1990-07', 402), date_naissance: '03/07/1990', email: '' }), 303);
    const row = await t.db('affiliation_requests').orderBy('id', 'desc').first();
    assert.equal(row.mode, 'courrier');
    assert.equal(row.token_hash, null);
    assert.equal(row.email, null);
    assert.deepEqual((await t.db('outbox').count({ n: '*' }).first())?.n, before?.n, 'nothing sent');
    const events = await t.db('affiliation_request_events').where({ request_id: row.id }).orderBy('id');
    assert.deepEqual(
      events.map((e: { kind: string }) => e.kind),
      ['created', 'courrier_ready'],
    );
    const page = textOf((await agent.get(res.headers.location).expect(200)).text);
    assertIncludes(page, "téléchargez le formulaire d'affiliation");
  });
});

describe('integrity', () => {
  test('« Oui » then another NIR at step 4: the new request does not point at the former employee', async () => {
    const former = await addEmployee(t.db, alpha, alpha.establishments[2], { start: '2020-01-01', end: '2024-06-30' });
    const formerNir = nir13(1, '1985-05', 888);
    await t
      .db('members')
      .where({ id: former.memberId })
      .update({ nir: formerNir + String(nirKey(formerNir)).padStart(2, '0') });
    await post(`${BASE}/etablissement`, { etablissement: String(alpha.establishments[0].id) }, 303);
    await post(`${BASE}/statut`, { statut_professionnel: 'non_cadre' }, 303);
    await post(`${BASE}/deja-affilie`, { deja_affilie: 'oui', nir_ancien: formerNir }, 303);
    await post(`${BASE}/salarie`, employee({ nir: nir13(2, '1996-04', 901), email: '' }), 303);
    const row = await t.db('affiliation_requests').orderBy('id', 'desc').first();
    assert.equal(row.nir, nir13(2, '1996-04', 901));
    assert.equal(row.previous_member_id, null);
  });

  test('an establishment that left the scope meanwhile: back to step 1 with a message, no error', async () => {
    await throughStep3(alpha.establishments[1].id);
    await t.db('hr_perimeter').where({ account_id: hr.id, establishment_id: alpha.establishments[1].id }).delete();
    try {
      const res = await post(`${BASE}/salarie`, employee({ nir: nir13(2, '1996-04', 902) }), 303);
      assert.equal(res.headers.location, `${BASE}/etablissement`);
      assertIncludes(textOf((await agent.get(`${BASE}/etablissement`).expect(200)).text), "L'établissement choisi ne fait plus partie de votre périmètre");
    } finally {
      await t.db('hr_perimeter').insert({ account_id: hr.id, establishment_id: alpha.establishments[1].id, added_at: t.clock().toISOString() });
    }
  });

  test('the same on a GET of a later step: back to step 1 with the message, not the step without its establishment', async () => {
    await throughStep3(alpha.establishments[1].id);
    await t.db('hr_perimeter').where({ account_id: hr.id, establishment_id: alpha.establishments[1].id }).delete();
    try {
      assert.equal((await agent.get(`${BASE}/salarie`).expect(303)).headers.location, `${BASE}/etablissement`);
      assertIncludes(textOf((await agent.get(`${BASE}/etablissement`).expect(200)).text), "L'établissement choisi ne fait plus partie de votre périmètre");
      assert.equal((await agent.get(`${BASE}/statut`).expect(303)).headers.location, `${BASE}/etablissement`, 'the wizard started again');
    } finally {
      await t.db('hr_perimeter').insert({ account_id: hr.id, establishment_id: alpha.establishments[1].id, added_at: t.clock().toISOString() });
    }
  });

  test('the request is created once even when the check before it passed twice (two clicks at once)', async () => {
    const input = {
      companyId: alpha.companyId,
      establishmentId: alpha.establishments[0].id,
      createdBy: hr.id,
      mode: 'courrier' as const,
      professionalStatus: 'cadre' as const,
      previousMemberId: null,
      nir13: nir13(2, '1996-04', 903),
      lastName: 'Double',
      firstName: 'Clic',
      email: null,
      birthDate: '1996-04-12',
      entryDate: '2026-12-01',
      affiliationDate: '2026-12-01',
      contractType: 'CDI' as const,
      employmentStart: '2026-12-01',
      employmentEnd: null,
      companyStatus: 'salarie' as const,
      tokenHash: null,
      tokenExpiresAt: null,
    };
    const full15 = input.nir13 + String(nirKey(input.nir13)).padStart(2, '0');
    const [a, b] = await Promise.all([createAffiliationRequest(t.db, input, full15, t.clock()), createAffiliationRequest(t.db, input, full15, t.clock())]);
    const ids = [a, b].map((r) => ('id' in r ? r.id : r.openId));
    assert.equal(ids[0], ids[1]);
    assert.equal((await t.db('affiliation_requests').where({ nir: input.nir13 })).length, 1);
  });
});

describe('access', () => {
  const pages = [BASE, `${BASE}/etablissement`, `${BASE}/statut`, `${BASE}/deja-affilie`, `${BASE}/salarie`, `${BASE}/envoi/1`];
  test('logged out → login; a member → 403; another company’s request → 404', async () => {
    for (const p of pages) assert.equal((await request(t.app).get(p).expect(303)).headers.location, '/entreprise', p);
    const member = await createAccount(t.db, { kind: 'member', mobile: '+33612349913' });
    const memberAgent = await loginAs(t.app, t.db, 'assure', member.email);
    for (const p of pages) await memberAgent.get(p).expect(403);
    const token = await tokenFrom(memberAgent, '/assure/accueil');
    await memberAgent
      .post(`${BASE}/etablissement`)
      .type('form')
      .send({ _csrf: token, etablissement: String(alpha.establishments[0].id) })
      .expect(403);

    const otherHr = await createHrUser(t.db, [{ company: other, role: 'admin' }], { mobile: '+33612349914' });
    const otherAgent = await loginAs(t.app, t.db, 'entreprise', otherHr.email);
    const mine = await t.db('affiliation_requests').where({ company_id: alpha.companyId }).first();
    assert.ok(mine, 'a request of Alpha exists');
    await otherAgent.get(`${BASE}/envoi/${mine.id}`).expect(404);
    await agent.get(`${BASE}/envoi/${mine.id}`).expect(200);
    for (const bad of ['0', 'abc', '999999']) await agent.get(`${BASE}/envoi/${bad}`).expect(404);
  });

  test('an HR user with no establishment in their perimeter gets a clear page', async () => {
    const lonely = await createHrUser(t.db, [{ company: alpha, role: 'user' }], { mobile: '+33612349915', perimeter: [] });
    const lonelyAgent = await loginAs(t.app, t.db, 'entreprise', lonely.email);
    const page = textOf((await lonelyAgent.get(`${BASE}/etablissement`).expect(200)).text);
    assertIncludes(page, 'Aucun établissement ne fait partie de votre périmètre suivi');
  });
});

describe('step 1 and the size of the perimeter', () => {
  test('under the cap: the select of the visible establishments, no SIRET field', async () => {
    const html = (await agent.get(`${BASE}/etablissement`).expect(200)).text;
    assertIncludes(html, '<select id="etablissement" name="etablissement"');
    const options = [...html.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(
      options.sort(),
      alpha.establishments
        .slice(0, 2)
        .map((e) => e.id)
        .sort(),
    );
    assert.ok(!html.includes('name="siret"') && !textOf(html).includes(ESTABLISHMENTS_PAST_CAP_HINT));
  });

  test('past the cap: a SIRET field with the hint; a visible SIRET goes on, another is refused at the field with its value kept', async () => {
    const big = await createHrCompany(t.db, 'Omega Réseau', ESTABLISHMENT_OPTIONS_MAX + 1);
    const bigHr = await createHrUser(t.db, [{ company: big, role: 'user' }], { mobile: '+33612349920' });
    const bigAgent = await loginAs(t.app, t.db, 'entreprise', bigHr.email);
    const bigPost = async (path: string, body: Record<string, string>, status: number, headers: Record<string, string> = {}) => {
      const token = await tokenFrom(bigAgent, '/entreprise/accueil');
      const res = await bigAgent
        .post(path)
        .set(headers)
        .type('form')
        .send({ _csrf: token, ...body });
      assert.equal(res.status, status, `${path}: ${res.status} ${res.status !== status ? textOf(res.text).slice(-1200) : ''}`);
      return res;
    };

    const html = (await bigAgent.get(`${BASE}/etablissement`).expect(200)).text;
    assertIncludes(textOf(html), ESTABLISHMENTS_PAST_CAP_HINT);
    assert.ok(!html.includes('<select id="etablissement"') && !html.includes('<option'), 'no select of 201 establishments');
    assert.match(html, /<input id="siret" name="siret" type="text"[^>]*aria-describedby="siret-hint"/);

    // Refused at the field, the typed value kept: empty, garbage, a valid SIRET outside the perimeter.
    const cases: [string, string][] = [
      ['', PRE_AFFILIATION_TEXTS.siretRequired],
      ['12345', SIRET_MESSAGES.siretLength],
      ['abcdefghijklmn', SIRET_MESSAGES.siretLength],
      [alpha.establishments[0].siret, PRE_AFFILIATION_TEXTS.siretUnknown],
      [other.establishments[0].siret, PRE_AFFILIATION_TEXTS.siretUnknown],
    ];
    for (const [typed, message] of cases) {
      const res = await bigPost(`${BASE}/etablissement`, { siret: typed }, 422);
      assertIncludes(textOf(res.text), message, `${typed}: ${message}`);
      assert.match(res.text, /<p class="error-message" id="siret-error">/, typed);
      assert.match(res.text, new RegExp(`<input id="siret" name="siret" type="text"\\s*value="${typed}"`), typed);
      assertExcludes(res.text, '<select id="etablissement"');
    }
    assert.equal((await bigAgent.get(`${BASE}/statut`).expect(303)).headers.location, `${BASE}/etablissement`, 'nothing chosen');

    // A visible SIRET, typed with spaces: step 2, naming the establishment and its company.
    const target = big.establishments[ESTABLISHMENT_OPTIONS_MAX];
    const spaced = `${target.siret.slice(0, 3)} ${target.siret.slice(3, 6)} ${target.siret.slice(6, 9)} ${target.siret.slice(9)}`;
    assert.equal((await bigPost(`${BASE}/etablissement`, { siret: spaced }, 303)).headers.location, `${BASE}/statut`);
    const step2 = textOf((await bigAgent.get(`${BASE}/statut`).expect(200)).text);
    // The establishment's name already says its company: said once (B7).
    assert.ok(target.name.startsWith('Omega Réseau'));
    assertIncludes(step2, `Etablissement : ${target.name} (SIRET ${target.siret})`, step2.slice(0, 1500));
    // Back at step 1 the chosen establishment is in the field.
    assert.match((await bigAgent.get(`${BASE}/etablissement`).expect(200)).text, new RegExp(`name="siret" type="text"\\s*value="${target.siret}"`));

    // With htmx: the next step in place, its URL pushed.
    const first = big.establishments[0];
    const fragment = await bigPost(`${BASE}/etablissement`, { siret: first.siret }, 200, { 'HX-Request': 'true' });
    assert.equal(fragment.headers['hx-push-url'], `${BASE}/statut`);
    assertIncludes(textOf(fragment.text), `SIRET ${first.siret}`);
    await bigPost(`${BASE}/statut`, { statut_professionnel: 'cadre' }, 303);
    await bigPost(`${BASE}/deja-affilie`, { deja_affilie: 'non' }, 303);
    assertIncludes(textOf((await bigAgent.get(`${BASE}/salarie`).expect(200)).text), `SIRET ${first.siret}`);
  });
});

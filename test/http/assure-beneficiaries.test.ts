import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { staffInbox } from '../../src/correspondence/queries.js';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily, type Family } from '../helpers/family.js';
import { createAccount, decoded, loginAs, tokenFrom } from '../helpers/fixtures.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

let t: TestContext;
let family: Family;
let other: Family;
let agent: Awaited<ReturnType<typeof loginAs>>;

before(async () => {
  t = await makeTestApp();
  family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault', statements: 0 });
  other = await createFamily(t.db, { firstName: 'Agathe', lastName: 'Autre', statements: 0 });
  // The spouse lives elsewhere; a child is blocked by a previous insurer.
  await t.db('beneficiaries').where({ id: family.beneficiaries.conjoint }).update({
    address_line1: '12 avenue Foch',
    postal_code: '75016',
    city: 'Paris',
    email: 'julie.thibault@exemple.fr',
    mobile: '+33612345678',
    fund_code: '021441234',
  });
  await t.db('beneficiaries').where({ id: family.beneficiaries.enfant2 }).update({ teletransmission_status: 'blocked', teletransmission_since: '2026-01-10' });
  agent = await loginAs(t.app, t.db, 'assure', family.email);
});
after(async () => t.close());

const page = async () => decoded((await agent.get('/assure/beneficiaires').expect(200)).text);

describe('Espace Assuré — Mes bénéficiaires', () => {
  test('every beneficiary with relationship, masked NIR, birth date, contact, address, code organisme and télétransmission', async () => {
    const html = await page();
    for (const text of [
      'Mes bénéficiaires',
      'Nicolas Thibault',
      'Assuré(e) principal(e)',
      'Julie Thibault',
      'Conjoint',
      'Léo Thibault',
      'Enfant',
      'Numéro de Sécurité sociale',
      '1 84 12 •• ••• ••• 02',
      '2 86 05 •• ••• ••• 50',
      "Rattaché(e) à l'assuré(e)",
      '03/12/1984',
      '20/05/1986',
      'nicolas.thibault@exemple.fr',
      'julie.thibault@exemple.fr',
      '06 12 34 56 78',
      '8 rue des Lilas, 44000 Nantes',
      '12 avenue Foch, 75016 Paris',
      'Code organisme',
      '011751234',
      'régime général',
      '021441234',
      'régime agricole',
      'Active',
      'depuis le 15/01/2020',
      'Inactive',
      'Bloquée : un autre organisme complémentaire est encore rattaché',
      'Activer la télétransmission',
      'Désactiver la télétransmission',
    ]) {
      assertIncludes(html, text, text);
    }
    assertExcludes(html, '1 84 12 75 112 048 02', 'the full NIR is not shown by default');
    assertExcludes(html, '184127511204802');
    // The blocked child has no button.
    assertExcludes(html, `href="/assure/beneficiaires/${family.beneficiaries.enfant2}/teletransmission"`);
  });

  test('NIR reveal without JS: POST → 303 → the page shows that NIR in full, once; audited without the NIR', async () => {
    const token = await tokenFrom(agent, '/assure/beneficiaires');
    const res = await agent.post(`/assure/beneficiaires/${family.beneficiaries.assure}/nir`).type('form').send({ _csrf: token }).expect(303);
    assert.equal(res.headers.location, `/assure/beneficiaires#beneficiaire-${family.beneficiaries.assure}`);
    const html = await page();
    assertIncludes(html, '1 84 12 75 112 048 02', 'full NIR');
    assertIncludes(html, '2 86 05 •• ••• ••• 50', 'the others stay masked');
    assertExcludes(await page(), '1 84 12 75 112 048 02', 'masked again on the next visit');
    const audit = await t.db('audit_log').where({ event: 'nir_revealed' }).orderBy('id', 'desc').first();
    assert.equal(audit.account_id, family.accountId);
    assert.deepEqual(JSON.parse(audit.detail), { beneficiaryId: family.beneficiaries.assure });
    const all = JSON.stringify(await t.db('audit_log').select());
    assert.ok(!all.includes('184127511204802') && !all.includes('1 84 12 75 112 048 02'), 'never the NIR in the audit log');
  });

  test('NIR reveal with htmx: only the cell comes back', async () => {
    const token = await tokenFrom(agent, '/assure/beneficiaires');
    const res = await agent
      .post(`/assure/beneficiaires/${family.beneficiaries.conjoint}/nir`)
      .set('HX-Request', 'true')
      .set('HX-Request-Type', 'partial')
      .set('X-CSRF-Token', token)
      .expect(200);
    const html = decoded(res.text);
    assertIncludes(html, '2 86 05 75 113 001 50');
    assert.match(html.trim(), new RegExp(`^<div id="nir-${family.beneficiaries.conjoint}"`));
    assertExcludes(html, '<html', 'a fragment');
    const count = await t.db('audit_log').where({ event: 'nir_revealed' }).count({ n: '*' }).first();
    assert.equal(Number(count!.n), 2);
  });

  test('htmx asking for a whole page (HX-Request-Type: full): « Afficher » answers 303, never a 500', async () => {
    const token = await tokenFrom(agent, '/assure/beneficiaires');
    const full = { 'HX-Request': 'true', 'HX-Request-Type': 'full', 'X-CSRF-Token': token };
    const nir = await agent.post(`/assure/beneficiaires/${family.beneficiaries.conjoint}/nir`).set(full).expect(303);
    assert.equal(nir.headers.location, `/assure/beneficiaires#beneficiaire-${family.beneficiaries.conjoint}`);
    const shown = decoded((await agent.get('/assure/beneficiaires').expect(200)).text);
    assertIncludes(shown, '2 86 05 75 113 001 50', 'the number shown once on the page');
  });

  test('a child without a NIR has nothing to reveal', async () => {
    const token = await tokenFrom(agent, '/assure/beneficiaires');
    await agent.post(`/assure/beneficiaires/${family.beneficiaries.enfant1}/nir`).type('form').send({ _csrf: token }).expect(404);
  });

  test('activate télétransmission: confirmation step, then the request is recorded for the back office', async () => {
    const id = family.beneficiaries.conjoint;
    const confirm = decoded((await agent.get(`/assure/beneficiaires/${id}/teletransmission`).expect(200)).text);
    assertIncludes(confirm, 'Activer la télétransmission');
    assertIncludes(confirm, "caisse d'assurance maladie");
    assertIncludes(confirm, 'Confirmer');
    assertIncludes(confirm, 'name="action" value="request_activation"');
    // Nothing changes before « Confirmer ».
    assert.equal((await t.db('beneficiaries').where({ id }).first()).teletransmission_status, 'inactive');
    const token = await tokenFrom(agent, `/assure/beneficiaires/${id}/teletransmission`);
    const res = await agent.post(`/assure/beneficiaires/${id}/teletransmission`).type('form').send({ _csrf: token, action: 'request_activation' }).expect(303);
    assert.equal(res.headers.location, `/assure/beneficiaires#beneficiaire-${id}`);
    const html = await page();
    assertIncludes(html, "Votre demande d'activation de la télétransmission a été enregistrée pour Julie Thibault");
    assertIncludes(html, 'Activation demandée');
    assertIncludes(html, 'Annuler la demande en cours');
    const row = await t.db('beneficiaries').where({ id }).first();
    assert.equal(row.teletransmission_status, 'activation_requested');
    assert.equal(row.teletransmission_since, '2026-11-22');
    const event = await t.db('teletransmission_events').where({ beneficiary_id: id }).orderBy('id', 'desc').first();
    assert.equal(event.from_status, 'inactive');
    assert.equal(event.to_status, 'activation_requested');
    assert.equal(event.account_id, family.accountId);
    assert.equal(event.processed_at, null);
  });

  test('a second click on the same confirmation is refused with a French message, nothing written', async () => {
    const id = family.beneficiaries.conjoint;
    const before = await t.db('teletransmission_events').where({ beneficiary_id: id }).count({ n: '*' }).first();
    const token = await tokenFrom(agent, '/assure/beneficiaires');
    const res = await agent.post(`/assure/beneficiaires/${id}/teletransmission`).type('form').send({ _csrf: token, action: 'request_activation' }).expect(409);
    assertIncludes(decoded(res.text), "Une demande d'activation est déjà en cours pour ce bénéficiaire");
    const afterCount = await t.db('teletransmission_events').where({ beneficiary_id: id }).count({ n: '*' }).first();
    assert.equal(Number(afterCount!.n), Number(before!.n));
  });

  test('cancel the pending request (htmx: the card block comes back in place)', async () => {
    const id = family.beneficiaries.conjoint;
    const token = await tokenFrom(agent, '/assure/beneficiaires');
    const fragment = decoded((await agent.get(`/assure/beneficiaires/${id}/teletransmission`).set('HX-Request', 'true').expect(200)).text);
    assert.ok(fragment.includes('value="cancel_request"') && !fragment.includes('<html'));
    const res = await agent
      .post(`/assure/beneficiaires/${id}/teletransmission`)
      .set('HX-Request', 'true')
      .set('X-CSRF-Token', token)
      .type('form')
      .send({ action: 'cancel_request' })
      .expect(200);
    const html = decoded(res.text);
    assert.match(html.trim(), new RegExp(`^<div id="teletransmission-${id}"`));
    assertIncludes(html, 'Votre demande en cours a été annulée pour Julie Thibault');
    assertIncludes(html, 'Activer la télétransmission');
    assert.equal((await t.db('beneficiaries').where({ id }).first()).teletransmission_status, 'inactive');
  });

  test('deactivate the member’s own télétransmission', async () => {
    const id = family.beneficiaries.assure;
    const confirm = decoded((await agent.get(`/assure/beneficiaires/${id}/teletransmission`).expect(200)).text);
    assert.ok(confirm.includes('Désactiver la télétransmission') && confirm.includes('value="request_deactivation"'));
    const token = await tokenFrom(agent, `/assure/beneficiaires/${id}/teletransmission`);
    await agent.post(`/assure/beneficiaires/${id}/teletransmission`).type('form').send({ _csrf: token, action: 'request_deactivation' }).expect(303);
    assertIncludes(await page(), 'Désactivation demandée');
    const event = await t.db('teletransmission_events').where({ beneficiary_id: id }).orderBy('id', 'desc').first();
    assert.deepEqual([event.from_status, event.to_status, event.processed_at], ['active', 'deactivation_requested', null]);
  });

  test('a blocked beneficiary cannot be activated: French reason, nothing written', async () => {
    const id = family.beneficiaries.enfant2;
    const confirm = decoded((await agent.get(`/assure/beneficiaires/${id}/teletransmission`).expect(200)).text);
    assertIncludes(confirm, 'autre organisme complémentaire');
    assertExcludes(confirm, 'Confirmer');
    const token = await tokenFrom(agent, '/assure/beneficiaires');
    const res = await agent.post(`/assure/beneficiaires/${id}/teletransmission`).type('form').send({ _csrf: token, action: 'request_activation' }).expect(409);
    assertIncludes(decoded(res.text), 'un autre organisme complémentaire est encore rattaché à ce bénéficiaire');
    assert.equal(await t.db('teletransmission_events').where({ beneficiary_id: id }).first(), undefined);
    assert.equal((await t.db('beneficiaries').where({ id }).first()).teletransmission_status, 'blocked');
  });

  test('a made-up action is refused (422), not a 500', async () => {
    const token = await tokenFrom(agent, '/assure/beneficiaires');
    await agent
      .post(`/assure/beneficiaires/${family.beneficiaries.enfant1}/teletransmission`)
      .type('form')
      .send({ _csrf: token, action: 'confirm' })
      .expect(422);
    await agent.post(`/assure/beneficiaires/${family.beneficiaries.enfant1}/teletransmission`).type('form').send({ _csrf: token }).expect(422);
  });

  test("another family's beneficiary → 404 on reveal, confirm and change", async () => {
    const token = await tokenFrom(agent, '/assure/beneficiaires');
    const foreign = other.beneficiaries.assure;
    await agent.post(`/assure/beneficiaires/${foreign}/nir`).type('form').send({ _csrf: token }).expect(404);
    await agent.get(`/assure/beneficiaires/${foreign}/teletransmission`).expect(404);
    await agent.post(`/assure/beneficiaires/${foreign}/teletransmission`).type('form').send({ _csrf: token, action: 'request_deactivation' }).expect(404);
    await agent.get('/assure/beneficiaires/abc/teletransmission').expect(404);
    await agent.get('/assure/beneficiaires/1e3/teletransmission').expect(404);
    assert.equal((await t.db('beneficiaries').where({ id: foreign }).first()).teletransmission_status, 'active');
    assert.equal(await t.db('teletransmission_events').where({ beneficiary_id: foreign }).first(), undefined);
  });

  test('CSRF: each POST without the token → 403, nothing changes', async () => {
    await agent.post(`/assure/beneficiaires/${family.beneficiaries.conjoint}/nir`).type('form').send({}).expect(403);
    await agent.post(`/assure/beneficiaires/${family.beneficiaries.enfant1}/teletransmission`).type('form').send({ action: 'request_activation' }).expect(403);
    await agent
      .post(`/assure/beneficiaires/${family.beneficiaries.enfant1}/teletransmission`)
      .type('form')
      .send({ _csrf: 'faux', action: 'request_activation' })
      .expect(403);
    assert.equal((await t.db('beneficiaries').where({ id: family.beneficiaries.enfant1 }).first()).teletransmission_status, 'inactive');
  });

  test('Situation NOEMIE: explanation, status of each beneficiary with dates, and the history', async () => {
    await t.db('teletransmission_events').insert({
      beneficiary_id: family.beneficiaries.enfant2,
      from_status: 'inactive',
      to_status: 'blocked',
      at: '2026-01-10T10:00:00.000Z',
      account_id: null,
      processed_at: '2026-01-10T10:00:00.000Z',
    });
    const html = decoded((await agent.get('/assure/situation-noemie').expect(200)).text);
    for (const text of [
      'Situation NOEMIE',
      "Qu'est-ce que la télétransmission NOEMIE ?",
      "caisse d'assurance maladie",
      'Statut de chaque bénéficiaire',
      'Nicolas Thibault',
      'Désactivation demandée le 22/11/2026',
      'Bloquée : un autre organisme complémentaire est encore rattaché',
      '10/01/2026',
      'Historique',
      'Inactive → Activation demandée',
      'Activation demandée → Inactive',
      'Active → Désactivation demandée',
      'Inactive → Bloquée',
      'Votre demande',
      'Votre organisme complémentaire',
      'En attente de traitement',
      'Traité le 10/01/2026',
    ]) {
      assertIncludes(html, text, text);
    }
    assertExcludes(html, 'Agathe', "never another family's beneficiaries");
  });

  test('HR and staff sessions → 403; anonymous → back to the login', async () => {
    const hr = await loginAs(t.app, t.db, 'entreprise', (await createAccount(t.db, { kind: 'hr', mobile: '+33639980931' })).email);
    await hr.get('/assure/beneficiaires').expect(403);
    await hr.get('/assure/situation-noemie').expect(403);
    const staff = await loginAs(t.app, t.db, 'gestion', (await createAccount(t.db, { kind: 'staff', mobile: '+33639980932' })).email);
    await staff.get(`/assure/beneficiaires/${family.beneficiaries.assure}/teletransmission`).expect(403);
    const token = await tokenFrom(staff, '/gestion/accueil');
    await staff.post(`/assure/beneficiaires/${family.beneficiaries.assure}/nir`).type('form').send({ _csrf: token }).expect(403);
    const { default: request } = await import('supertest');
    const anonymous = await request(t.app).get('/assure/beneficiaires');
    assert.equal(anonymous.status, 303);
    assert.equal(anonymous.headers.location, '/assure');
  });
});

describe('Espace Assuré — a télétransmission request reaches the staff inbox', () => {
  test('« Confirmer » makes a DT- request of the inbox tied to the NOEMIE event; cancelling withdraws it', async () => {
    const id = family.beneficiaries.enfant1;
    const token = await tokenFrom(agent, `/assure/beneficiaires/${id}/teletransmission`);
    await agent.post(`/assure/beneficiaires/${id}/teletransmission`).type('form').send({ _csrf: token, action: 'request_activation' }).expect(303);
    const request = await t.db('requests').where({ beneficiary_id: id, kind: 'teletransmission' }).first();
    assert.ok(request, 'a request row');
    assert.equal(Number(request.member_id), family.memberId);
    assert.equal(request.object, 'activation');
    assert.equal(request.status, 'received');
    assert.match(request.reference, /^DT-2026-\d{6}$/);
    const event = await t.db('teletransmission_events').where({ beneficiary_id: id }).orderBy('id', 'desc').first();
    assert.equal(Number(request.teletransmission_event_id), Number(event.id));
    const inbox = await staffInbox(t.db, { category: 'teletransmission' }, '2026-11-22', 1, 50);
    assert.ok(
      inbox.rows.some((r) => r.item_type === 'request' && r.reference === request.reference),
      'in the staff inbox',
    );
    await agent.post(`/assure/beneficiaires/${id}/teletransmission`).type('form').send({ _csrf: token, action: 'cancel_request' }).expect(303);
    assert.equal(await t.db('requests').where({ beneficiary_id: id, kind: 'teletransmission' }).first(), undefined);
    assert.equal((await t.db('beneficiaries').where({ id }).first()).teletransmission_status, 'inactive');
  });
});

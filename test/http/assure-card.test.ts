import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily, type Family } from '../helpers/family.js';
import { createAccount, decoded, loginAs, tokenFrom } from '../helpers/fixtures.js';
import { pdfBytes, pdfText } from '../helpers/pdf.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

let t: TestContext;
let family: Family;
let other: Family;
let ended: Family;
let agent: Awaited<ReturnType<typeof loginAs>>;
let endedAgent: Awaited<ReturnType<typeof loginAs>>;
before(async () => {
  t = await makeTestApp();
  family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault' });
  other = await createFamily(t.db, { firstName: 'Paul', lastName: 'Voisin' });
  ended = await createFamily(t.db, { firstName: 'Agathe', lastName: 'Partie', ended: true });
  agent = await loginAs(t.app, t.db, 'assure', family.email);
  endedAgent = await loginAs(t.app, t.db, 'assure', ended.email);
});
after(async () => t.close());

/** Every page's size in points, from pdfinfo (poppler-utils). */
function pageSizes(buffer: Buffer): { width: number; height: number }[] {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'portail-card-')), 'card.pdf');
  fs.writeFileSync(file, buffer);
  try {
    const info = execFileSync('pdfinfo', ['-f', '1', '-l', '99', file], { encoding: 'utf8' });
    return [...info.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/g)].map((m) => ({ width: Number(m[1]), height: Number(m[2]) }));
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/** Every full numéro de Sécurité sociale anywhere in a page, formatted (« 1 84 12 75 112 048 02 ») or not. */
function fullNirs(html: string): string[] {
  return [...html.matchAll(/\b[12] ?\d{2} ?\d{2} ?(?:\d{2}|2A|2B) ?\d{3} ?\d{3} ?\d{2}\b/g)].map((m) => m[0]);
}

const FAMILY_NIRS = ['184127511204802', '286057511300150'];

/** The NIRs displayed on screen in full (not the print-only copies). */
function revealedNirs(html: string): string[] {
  return [...html.matchAll(/<span class="nir nowrap">(\d[\d ]+)<\/span>/g)].map((m) => m[1]);
}

const cardNirAudits = () => t.db('audit_log').where({ event: 'card_nir_revealed' }).orderBy('id');
const auditsOf = (event: string) => t.db('audit_log').where({ event }).orderBy('id');

describe('Espace Assuré — Ma carte de tiers payant', () => {
  test("the member's card: insurer, AMC number, member, validity, the family, the domains, the help phone", async () => {
    const html = decoded((await agent.get('/assure/tiers-payant').expect(200)).text);
    const { member_number: memberNumber } = await t.db('members').where({ id: family.memberId }).first();
    for (const text of [
      memberNumber,
      'Ma carte de tiers payant',
      "Cliquez ici pour afficher la carte de Tiers Payant souhaitée (la vôtre ou celle d'un de vos bénéficiaires)",
      'Tilleul Santé',
      '912345678',
      'Nicolas Thibault',
      'du 01/01/2026 au 31/12/2026',
      'Julie Thibault',
      'Léo Thibault',
      'Emma Thibault',
      '20/05/1986',
      '1 84 12 •• ••• ••• 02',
      '011751234',
      'Pharmacie',
      'Radiologie',
      "Laboratoire d'analyses médicales",
      'Hospitalisation',
      'Optique',
      'Dentaire',
      'Audioprothèses',
      '01 99 00 39 00',
      'href="/assure/tiers-payant/carte.pdf"',
    ]) {
      assertIncludes(html, text, text);
    }
    for (const code of ['PH', 'RX', 'SV', 'HO', 'OP', 'DE', 'AU']) assert.match(html, new RegExp(`class="tp-code"[^>]*>${code}<`), code);
    // On screen the NIR is masked, and the page's HTML holds no full number (see the test below).
    assert.deepEqual(fullNirs(html), []);
    assert.match(html, /<span class="nir nowrap"><span class="visually-hidden">Numéro masqué : <\/span>1 84 12 •• ••• ••• 02<\/span>/);
    assertIncludes(html, 'href="/assure/tiers-payant/impression"', '« Imprimer la carte »');
    assertIncludes(html, `action="/assure/tiers-payant/beneficiaires/${family.beneficiaries.assure}/nir"`, '« Afficher »');
    // The chooser lists the family, the member selected.
    assert.match(html, new RegExp(`<option value="${family.beneficiaries.assure}" selected>Nicolas Thibault \\(vous-même\\)</option>`));
    assertIncludes(html, `<option value="${family.beneficiaries.conjoint}">Julie Thibault (conjoint(e))</option>`);
  });

  test("the card page's HTML never holds a full NIR, for every card of the family, as a page or an htmx fragment", async () => {
    const cards = [undefined, ...Object.values(family.beneficiaries)];
    for (const id of cards) {
      const url = id === undefined ? '/assure/tiers-payant' : `/assure/tiers-payant?beneficiaire=${id}`;
      const page = (await agent.get(url).expect(200)).text;
      const fragment = (await agent.get(url).set('HX-Request', 'true').set('HX-Request-Type', 'partial').expect(200)).text;
      for (const html of [page, decoded(page), fragment, decoded(fragment)]) {
        assert.deepEqual(fullNirs(html), [], url);
        for (const nir of FAMILY_NIRS) assertExcludes(html.replace(/\s+/g, ''), nir, `${url}: ${nir}`);
      }
      // Printing this page prints a line pointing to the print view and the PDF, never a masked card.
      assertIncludes(decoded(page), "Cette page n'est pas votre carte de tiers payant : les numéros de Sécurité sociale y sont masqués.", url);
    }
  });

  test("a beneficiary's card, as a page (no JS) and as an htmx fragment", async () => {
    const url = `/assure/tiers-payant?beneficiaire=${family.beneficiaries.conjoint}`;
    const html = decoded((await agent.get(url).expect(200)).text);
    assertIncludes(html, 'Carte de Julie Thibault');
    assertIncludes(html, '2 86 05 •• ••• ••• 50');
    assertIncludes(html, 'Nicolas Thibault', 'the adhérent is still named');
    assertExcludes(html, 'Léo Thibault (Enfant)', 'only that beneficiary on their card');
    assertIncludes(html, `href="/assure/tiers-payant/carte.pdf?beneficiaire=${family.beneficiaries.conjoint}"`);
    assertIncludes(html, `href="/assure/tiers-payant/impression?beneficiaire=${family.beneficiaries.conjoint}"`);
    assert.match(html, new RegExp(`<option value="${family.beneficiaries.conjoint}" selected>`));

    const fragment = decoded((await agent.get(url).set('HX-Request', 'true').set('HX-Request-Type', 'partial').expect(200)).text);
    assert.ok(fragment.startsWith('') && fragment.includes('id="carte-tiers-payant"'));
    assertIncludes(fragment, 'Carte de Julie Thibault');
    assertExcludes(fragment, '<html', 'the fragment alone');
    assertExcludes(fragment, '<h1', 'no page heading in the fragment');
  });

  test("another family's beneficiary, or a wrong id → 404 with a French message", async () => {
    for (const id of [String(other.beneficiaries.conjoint), 'abc', '-1', '99999999']) {
      const res = await agent.get(`/assure/tiers-payant?beneficiaire=${id}`).expect(404);
      const html = decoded(res.text);
      assertIncludes(html, 'Aucune carte de tiers payant ne correspond à ce bénéficiaire', id);
      assertIncludes(html, 'Choisissez un bénéficiaire dans la liste.', 'next to the field');
      assert.ok(!html.includes('Paul Voisin') && !html.includes('Julie Voisin'), "nothing of the other family's card");
    }
    const pdf = await agent.get(`/assure/tiers-payant/carte.pdf?beneficiaire=${other.beneficiaries.assure}`).expect(404);
    assert.match(pdf.headers['content-type'], /text\/html/);
    assertExcludes(decoded(pdf.text), 'Paul Voisin');
    await agent.get(`/assure/tiers-payant?beneficiaire=${family.beneficiaries.conjoint}&beneficiaire=${family.beneficiaries.enfant1}`).expect(404);
  });

  test('the card as a PDF at card proportions: recto and verso, name and AMC number', async () => {
    const { text, headers } = await pdfText(agent, '/assure/tiers-payant/carte.pdf');
    assert.equal(headers['content-disposition'], 'attachment; filename="carte-tiers-payant-2026.pdf"');
    for (const expected of [
      'Nicolas Thibault',
      '912345678',
      'Tilleul Santé',
      '01/01/2026',
      '31/12/2026',
      'Julie Thibault',
      'Emma Thibault',
      '011751234',
      'Pharmacie',
      'Radiologie',
      '01 99 00 39 00',
    ]) {
      assertIncludes(text, expected, expected);
    }
    // The downloaded card is worth the one sent by post: the NIRs in full, for the pharmacist.
    const flat = text.replace(/\s+/g, ' ');
    assert.ok(flat.includes('1 84 12 75 112 048 02') && flat.includes('2 86 05 75 113 001 50'), 'the full NIRs');
    assertExcludes(text, '•', 'nothing masked');
    const sizes = pageSizes(await pdfBytes(agent, '/assure/tiers-payant/carte.pdf'));
    assert.equal(sizes.length, 2, 'recto and verso');
    for (const size of sizes) assert.ok(Math.abs(size.width / size.height - 85.6 / 54) < 0.005, `ratio ${size.width / size.height}`);
    assert.ok(sizes[0].width > 400, 'scaled up to print legibly');

    const beneficiary = await pdfText(agent, `/assure/tiers-payant/carte.pdf?beneficiaire=${family.beneficiaries.enfant1}`);
    assert.match(beneficiary.headers['content-disposition'], /filename="carte-tiers-payant-2026-leo-thibault\.pdf"/);
    assert.ok(beneficiary.text.includes('Léo Thibault') && beneficiary.text.includes('Nicolas Thibault'));
  });

  test('« Imprimer la carte »: the card alone with every NIR in full, each opening audited as card_printed (never the number)', async () => {
    const before = (await auditsOf('card_printed')).length;
    const html = decoded((await agent.get('/assure/tiers-payant/impression').expect(200)).text);
    assert.match(html, /<title>Imprimer ma carte de tiers payant — Tilleul Santé<\/title>/);
    assert.match(
      html,
      /<meta name="description" content="Imprimer ma carte de tiers payant : votre carte Tilleul Santé prête à imprimer, avec les numéros de Sécurité sociale en entier/,
    );
    assert.ok(html.includes('Carte de Nicolas Thibault') && html.includes('912345678') && html.includes('Pharmacie'));
    assert.deepEqual(fullNirs(html), ['1 84 12 75 112 048 02', '2 86 05 75 113 001 50'], 'the numbers in full, as on the card sent by post');
    assertExcludes(html, '•', 'nothing masked');
    assertExcludes(html, '/nir"', 'no « Afficher »');
    assert.match(html, /<button type="button" class="button" data-print hidden>Imprimer<\/button>/, 'the print button waits for JavaScript');
    assertIncludes(html, 'Utilisez la fonction « Imprimer » de votre navigateur', 'without JavaScript, the browser prints');
    assert.ok(html.includes('href="/assure/tiers-payant"') && html.includes('href="/assure/tiers-payant/carte.pdf"'));
    let audits = await auditsOf('card_printed');
    assert.equal(audits.length, before + 1);
    assert.equal(audits.at(-1).account_id, family.accountId);
    assert.equal(audits.at(-1).account_kind, 'member');
    assert.deepEqual(JSON.parse(audits.at(-1).detail), { beneficiaryId: family.beneficiaries.assure });

    const conjoint = decoded((await agent.get(`/assure/tiers-payant/impression?beneficiaire=${family.beneficiaries.conjoint}`).expect(200)).text);
    assertIncludes(conjoint, 'Imprimer la carte de Julie Thibault');
    assert.deepEqual(fullNirs(conjoint), ['2 86 05 75 113 001 50'], 'only her number on her card');
    assertIncludes(conjoint, `href="/assure/tiers-payant?beneficiaire=${family.beneficiaries.conjoint}"`, 'back to her card');
    await agent.get(`/assure/tiers-payant/impression?beneficiaire=${family.beneficiaries.enfant2}`).expect(200);
    audits = await auditsOf('card_printed');
    assert.equal(audits.length, before + 3, 'each opening');
    assert.deepEqual(
      audits.slice(-2).map((a) => JSON.parse(a.detail)),
      [{ beneficiaryId: family.beneficiaries.conjoint }, { beneficiaryId: family.beneficiaries.enfant2 }],
    );
    const all = JSON.stringify(await t.db('audit_log').select());
    for (const nir of FAMILY_NIRS) assert.ok(!all.includes(nir) && !all.includes(nir.slice(0, 1) + ' ' + nir.slice(1, 3)), 'never the NIR in the audit log');
  });

  test("« Imprimer la carte »: another family's beneficiary, a wrong id, no valid card → a French 404, nothing audited", async () => {
    const before = (await auditsOf('card_printed')).length;
    for (const id of [String(other.beneficiaries.assure), String(other.beneficiaries.conjoint), 'abc', '-1', '99999999']) {
      const res = await agent.get(`/assure/tiers-payant/impression?beneficiaire=${id}`).expect(404);
      const html = decoded(res.text);
      assertIncludes(html, 'Aucune carte de tiers payant ne correspond à ce bénéficiaire', id);
      assert.ok(!html.includes('Voisin') && !html.includes('184127511204802'), id);
      assert.deepEqual(fullNirs(html), [], id);
    }
    await agent.get(`/assure/tiers-payant/impression?beneficiaire=${family.beneficiaries.conjoint}&beneficiaire=${family.beneficiaries.assure}`).expect(404);
    const ended = decoded((await endedAgent.get('/assure/tiers-payant/impression').expect(404)).text);
    assertIncludes(ended, 'votre couverture a pris fin le 30/06/2026');
    assert.equal((await auditsOf('card_printed')).length, before, 'nothing audited');
  });

  test('« Imprimer la carte »: HR and staff sessions → 403; anonymous → the login page', async () => {
    const before = (await auditsOf('card_printed')).length;
    const hr = await loginAs(t.app, t.db, 'entreprise', (await createAccount(t.db, { kind: 'hr', mobile: '+33639980935' })).email);
    await hr.get('/assure/tiers-payant/impression').expect(403);
    const staff = await loginAs(t.app, t.db, 'gestion', (await createAccount(t.db, { kind: 'staff', mobile: '+33639980936' })).email);
    await staff.get(`/assure/tiers-payant/impression?beneficiaire=${family.beneficiaries.conjoint}`).expect(403);
    const anonymous = await (await import('supertest')).default(t.app).get('/assure/tiers-payant/impression');
    assertIncludes([302, 303], anonymous.status);
    assert.match(anonymous.headers.location, /^\/assure/);
    assert.deepEqual(fullNirs(anonymous.text), []);
    assert.equal((await auditsOf('card_printed')).length, before);
  });

  test('the PDF holds the full NIRs too: each download is audited as card_downloaded, a refused one is not', async () => {
    const before = (await auditsOf('card_downloaded')).length;
    await pdfBytes(agent, `/assure/tiers-payant/carte.pdf?beneficiaire=${family.beneficiaries.conjoint}`);
    await agent.get(`/assure/tiers-payant/carte.pdf?beneficiaire=${other.beneficiaries.conjoint}`).expect(404);
    await endedAgent.get('/assure/tiers-payant/carte.pdf').expect(404);
    const audits = await auditsOf('card_downloaded');
    assert.equal(audits.length, before + 1);
    assert.equal(audits.at(-1).account_id, family.accountId);
    assert.deepEqual(JSON.parse(audits.at(-1).detail), { beneficiaryId: family.beneficiaries.conjoint });
  });

  test('the validity ends with the affiliation when its end date is this year', async () => {
    const leaving = await createFamily(t.db, { firstName: 'Marc', lastName: 'Depart' });
    await t.db('affiliations').where({ id: leaving.affiliationId }).update({ end_date: '2026-12-15' });
    const a = await loginAs(t.app, t.db, 'assure', leaving.email);
    const html = decoded((await a.get('/assure/tiers-payant').expect(200)).text);
    assertIncludes(html, 'du 01/01/2026 au 15/12/2026');
  });

  test('a member whose cover has ended has no valid card: the page says so, the PDF is a French 404', async () => {
    const res = await endedAgent.get('/assure/tiers-payant').expect(200);
    const html = decoded(res.text);
    assertIncludes(html, "Vous n'avez pas de carte de tiers payant valide : votre couverture a pris fin le 30/06/2026.");
    assertExcludes(html, 'carte.pdf', 'no download link');
    assertExcludes(html, '<select', 'nothing to choose');
    const pdf = await endedAgent.get('/assure/tiers-payant/carte.pdf').expect(404);
    assert.match(pdf.headers['content-type'], /text\/html/);
    assertIncludes(decoded(pdf.text), 'votre couverture a pris fin le 30/06/2026');
  });

  test('HR and staff sessions → 403; anonymous → the login page', async () => {
    const hr = await loginAs(t.app, t.db, 'entreprise', (await createAccount(t.db, { kind: 'hr', mobile: '+33639980931' })).email);
    await hr.get('/assure/tiers-payant').expect(403);
    const staff = await loginAs(t.app, t.db, 'gestion', (await createAccount(t.db, { kind: 'staff', mobile: '+33639980932' })).email);
    await staff.get('/assure/tiers-payant/carte.pdf').expect(403);
    const anonymous = await (await import('supertest')).default(t.app).get('/assure/tiers-payant');
    assertIncludes([302, 303], anonymous.status);
    assert.match(anonymous.headers.location, /^\/assure/);
  });
  test('« Afficher » without JS: POST → 303 → the card shows that NIR in full, once; audited without the number', async () => {
    const before = (await cardNirAudits()).length;
    const token = await tokenFrom(agent, '/assure/tiers-payant');
    const res = await agent
      .post(`/assure/tiers-payant/beneficiaires/${family.beneficiaries.assure}/nir`)
      .type('form')
      .send({ _csrf: token, carte: String(family.beneficiaries.assure) })
      .expect(303);
    assert.equal(res.headers.location, `/assure/tiers-payant#tp-nir-${family.beneficiaries.assure}`);
    const html = decoded((await agent.get('/assure/tiers-payant').expect(200)).text);
    assert.deepEqual(revealedNirs(html), ['1 84 12 75 112 048 02'], 'this one on screen, the others masked');
    assertIncludes(html, '2 86 05 •• ••• ••• 50');
    assert.match(html, /href="\/assure\/tiers-payant"[^>]*>Masquer<span class="visually-hidden"> le numéro de Nicolas Thibault<\/span>/);
    assert.deepEqual(revealedNirs(decoded((await agent.get('/assure/tiers-payant').expect(200)).text)), [], 'masked again on the next visit');
    const audits = await cardNirAudits();
    assert.equal(audits.length, before + 1);
    const audit = audits.at(-1);
    assert.equal(audit.account_id, family.accountId);
    assert.equal(audit.account_kind, 'member');
    assert.deepEqual(JSON.parse(audit.detail), { beneficiaryId: family.beneficiaries.assure });
    const all = JSON.stringify(await t.db('audit_log').select());
    assert.ok(!all.includes('184127511204802') && !all.includes('1 84 12 75 112 048 02'), 'never the NIR in the audit log');
  });

  test("« Afficher » on a beneficiary's card comes back to that card; with htmx only the cell comes back", async () => {
    const conjoint = family.beneficiaries.conjoint;
    const token = await tokenFrom(agent, `/assure/tiers-payant?beneficiaire=${conjoint}`);
    const res = await agent
      .post(`/assure/tiers-payant/beneficiaires/${conjoint}/nir`)
      .type('form')
      .send({ _csrf: token, carte: String(conjoint) })
      .expect(303);
    assert.equal(res.headers.location, `/assure/tiers-payant?beneficiaire=${conjoint}#tp-nir-${conjoint}`);
    assert.deepEqual(revealedNirs(decoded((await agent.get(`/assure/tiers-payant?beneficiaire=${conjoint}`).expect(200)).text)), ['2 86 05 75 113 001 50']);

    const before = (await cardNirAudits()).length;
    const fragment = decoded(
      (
        await agent
          .post(`/assure/tiers-payant/beneficiaires/${conjoint}/nir`)
          .set('HX-Request', 'true')
          .set('HX-Request-Type', 'partial')
          .set('X-CSRF-Token', token)
          .type('form')
          .send({ carte: String(family.beneficiaries.assure) })
          .expect(200)
      ).text,
    );
    assert.match(fragment.trim(), new RegExp(`^<div id="tp-nir-${conjoint}" class="nir-cell">`));
    assert.deepEqual(revealedNirs(fragment), ['2 86 05 75 113 001 50']);
    assertIncludes(fragment, 'hx-get="/assure/tiers-payant"', '« Masquer » reloads the card being looked at');
    assertExcludes(fragment, '<html', 'a fragment');
    assert.equal((await cardNirAudits()).length, before + 1);
  });

  test('« Afficher » with htmx asking for a whole page (HX-Request-Type: full): POST → 303 → the card, never a 500', async () => {
    const token = await tokenFrom(agent, '/assure/tiers-payant');
    const res = await agent
      .post(`/assure/tiers-payant/beneficiaires/${family.beneficiaries.assure}/nir`)
      .set('HX-Request', 'true')
      .set('HX-Request-Type', 'full')
      .set('X-CSRF-Token', token)
      .type('form')
      .send({ carte: String(family.beneficiaries.assure) });
    assert.equal(res.status, 303, decoded(res.text).slice(0, 300));
    assert.equal(res.headers.location, `/assure/tiers-payant#tp-nir-${family.beneficiaries.assure}`);
    assert.deepEqual(revealedNirs(decoded((await agent.get('/assure/tiers-payant').expect(200)).text)), ['1 84 12 75 112 048 02'], 'the card shows it once');
  });

  test("« Afficher »: another family's beneficiary, a wrong id, a child without a NIR, no valid card → 404, nothing audited", async () => {
    const before = (await cardNirAudits()).length;
    const token = await tokenFrom(agent, '/assure/tiers-payant');
    for (const id of [String(other.beneficiaries.assure), String(other.beneficiaries.conjoint), 'abc', '99999999', String(family.beneficiaries.enfant1)]) {
      const res = await agent.post(`/assure/tiers-payant/beneficiaires/${id}/nir`).type('form').send({ _csrf: token }).expect(404);
      assertExcludes(decoded(res.text), 'Voisin', id);
    }
    const endedToken = await tokenFrom(endedAgent, '/assure/tiers-payant');
    await endedAgent.post(`/assure/tiers-payant/beneficiaires/${ended.beneficiaries.assure}/nir`).type('form').send({ _csrf: endedToken }).expect(404);
    await agent.post(`/assure/tiers-payant/beneficiaires/${family.beneficiaries.assure}/nir`).type('form').send({}).expect(403);
    assert.equal((await cardNirAudits()).length, before, 'nothing audited');
  });

  test('« Afficher »: HR and staff sessions → 403; anonymous → the login page', async () => {
    const url = `/assure/tiers-payant/beneficiaires/${family.beneficiaries.assure}/nir`;
    const hr = await loginAs(t.app, t.db, 'entreprise', (await createAccount(t.db, { kind: 'hr', mobile: '+33639980933' })).email);
    await hr
      .post(url)
      .type('form')
      .send({ _csrf: await tokenFrom(hr, '/entreprise/accueil') })
      .expect(403);
    const staff = await loginAs(t.app, t.db, 'gestion', (await createAccount(t.db, { kind: 'staff', mobile: '+33639980934' })).email);
    await staff
      .post(url)
      .type('form')
      .send({ _csrf: await tokenFrom(staff, '/gestion/accueil') })
      .expect(403);
    const anonymous = await (await import('supertest')).default(t.app).post(url).type('form').send({});
    assertIncludes([302, 303, 403], anonymous.status, String(anonymous.status));
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily, type Family } from '../helpers/family.js';
import { createAccount, decoded, loginAs } from '../helpers/fixtures.js';
import { pdfText } from '../helpers/pdf.js';

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

async function pdfBuffer(a: ReturnType<typeof request.agent>, url: string): Promise<Buffer> {
  const res = await a
    .get(url)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    })
    .expect(200);
  return res.body as Buffer;
}

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
      assert.ok(html.includes(text), text);
    }
    for (const code of ['PH', 'RX', 'SV', 'HO', 'OP', 'DE', 'AU']) assert.match(html, new RegExp(`class="tp-code"[^>]*>${code}<`), code);
    assert.ok(!html.includes('184127511204802'), 'never the full NIR');
    // The chooser lists the family, the member selected.
    assert.match(html, new RegExp(`<option value="${family.beneficiaries.assure}" selected>Nicolas Thibault \\(vous-même\\)</option>`));
    assert.ok(html.includes(`<option value="${family.beneficiaries.conjoint}">Julie Thibault (conjoint(e))</option>`));
  });

  test("a beneficiary's card, as a page (no JS) and as an htmx fragment", async () => {
    const url = `/assure/tiers-payant?beneficiaire=${family.beneficiaries.conjoint}`;
    const html = decoded((await agent.get(url).expect(200)).text);
    assert.ok(html.includes('Carte de Julie Thibault'));
    assert.ok(html.includes('2 86 05 •• ••• ••• 50'));
    assert.ok(html.includes('Nicolas Thibault'), 'the adhérent is still named');
    assert.ok(!html.includes('Léo Thibault (Enfant)'), 'only that beneficiary on their card');
    assert.ok(html.includes(`href="/assure/tiers-payant/carte.pdf?beneficiaire=${family.beneficiaries.conjoint}"`));
    assert.match(html, new RegExp(`<option value="${family.beneficiaries.conjoint}" selected>`));

    const fragment = decoded((await agent.get(url).set('HX-Request', 'true').set('HX-Request-Type', 'partial').expect(200)).text);
    assert.ok(fragment.startsWith('') && fragment.includes('id="carte-tiers-payant"'));
    assert.ok(fragment.includes('Carte de Julie Thibault'));
    assert.ok(!fragment.includes('<html'), 'the fragment alone');
    assert.ok(!fragment.includes('<h1'), 'no page heading in the fragment');
  });

  test("another family's beneficiary, or a wrong id → 404 with a French message", async () => {
    for (const id of [String(other.beneficiaries.conjoint), 'abc', '-1', '99999999']) {
      const res = await agent.get(`/assure/tiers-payant?beneficiaire=${id}`).expect(404);
      const html = decoded(res.text);
      assert.ok(html.includes('Aucune carte de tiers payant ne correspond à ce bénéficiaire'), id);
      assert.ok(html.includes('Choisissez un bénéficiaire dans la liste.'), 'next to the field');
      assert.ok(!html.includes('Paul Voisin') && !html.includes('Julie Voisin'), "nothing of the other family's card");
    }
    const pdf = await agent.get(`/assure/tiers-payant/carte.pdf?beneficiaire=${other.beneficiaries.assure}`).expect(404);
    assert.match(pdf.headers['content-type'], /text\/html/);
    assert.ok(!decoded(pdf.text).includes('Paul Voisin'));
    await agent.get(`/assure/tiers-payant?beneficiaire=${family.beneficiaries.conjoint}&beneficiaire=${family.beneficiaries.enfant1}`).expect(404);
  });

  test('the card as a PDF at card proportions: recto and verso, name and AMC number', async () => {
    const { text, headers } = await pdfText(agent, '/assure/tiers-payant/carte.pdf');
    assert.equal(headers['content-disposition'], 'attachment; filename="carte-tiers-payant-2026.pdf"');
    for (const expected of ['Nicolas Thibault', '912345678', 'Tilleul Santé', '01/01/2026', '31/12/2026', 'Julie Thibault', 'Emma Thibault', '011751234', 'Pharmacie', 'Radiologie', '01 99 00 39 00']) {
      assert.ok(text.includes(expected), expected);
    }
    assert.ok(!text.includes('184127511204802'), 'never the full NIR');
    const sizes = pageSizes(await pdfBuffer(agent, '/assure/tiers-payant/carte.pdf'));
    assert.equal(sizes.length, 2, 'recto and verso');
    for (const size of sizes) assert.ok(Math.abs(size.width / size.height - 85.6 / 54) < 0.005, `ratio ${size.width / size.height}`);
    assert.ok(sizes[0].width > 400, 'scaled up to print legibly');

    const beneficiary = await pdfText(agent, `/assure/tiers-payant/carte.pdf?beneficiaire=${family.beneficiaries.enfant1}`);
    assert.match(beneficiary.headers['content-disposition'], /filename="carte-tiers-payant-2026-leo-thibault\.pdf"/);
    assert.ok(beneficiary.text.includes('Léo Thibault') && beneficiary.text.includes('Nicolas Thibault'));
  });

  test('the validity ends with the affiliation when its end date is this year', async () => {
    const leaving = await createFamily(t.db, { firstName: 'Marc', lastName: 'Depart' });
    await t.db('affiliations').where({ id: leaving.affiliationId }).update({ end_date: '2026-12-15' });
    const a = await loginAs(t.app, t.db, 'assure', leaving.email);
    const html = decoded((await a.get('/assure/tiers-payant').expect(200)).text);
    assert.ok(html.includes('du 01/01/2026 au 15/12/2026'));
  });

  test('a member whose cover has ended has no valid card: the page says so, the PDF is a French 404', async () => {
    const res = await endedAgent.get('/assure/tiers-payant').expect(200);
    const html = decoded(res.text);
    assert.ok(html.includes("Vous n'avez pas de carte de tiers payant valide : votre couverture a pris fin le 30/06/2026."));
    assert.ok(!html.includes('carte.pdf'), 'no download link');
    assert.ok(!html.includes('<select'), 'nothing to choose');
    const pdf = await endedAgent.get('/assure/tiers-payant/carte.pdf').expect(404);
    assert.match(pdf.headers['content-type'], /text\/html/);
    assert.ok(decoded(pdf.text).includes('votre couverture a pris fin le 30/06/2026'));
  });

  test('HR and staff sessions → 403; anonymous → the login page', async () => {
    const hr = await loginAs(t.app, t.db, 'entreprise', (await createAccount(t.db, { kind: 'hr', mobile: '+33639980931' })).email);
    await hr.get('/assure/tiers-payant').expect(403);
    const staff = await loginAs(t.app, t.db, 'gestion', (await createAccount(t.db, { kind: 'staff', mobile: '+33639980932' })).email);
    await staff.get('/assure/tiers-payant/carte.pdf').expect(403);
    const anonymous = await (await import('supertest')).default(t.app).get('/assure/tiers-payant');
    assert.ok([302, 303].includes(anonymous.status));
    assert.match(anonymous.headers.location, /^\/assure/);
  });
});

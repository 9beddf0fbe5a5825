import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily, type Family } from '../helpers/family.js';
import { createAccount, decoded, loginAs } from '../helpers/fixtures.js';
import { formatEuros } from '../../src/domain/money.js';
import { pdfText } from '../helpers/pdf.js';

let t: TestContext;
let family: Family;
let other: Family;
let agent: Awaited<ReturnType<typeof loginAs>>;
before(async () => {
  t = await makeTestApp();
  family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault', statements: 14 });
  other = await createFamily(t.db, { firstName: 'Zoé', lastName: 'Voisin' });
  agent = await loginAs(t.app, t.db, 'assure', family.email);
});
after(async () => t.close());

const count = (html: string) => Number((html.match(/(\d+) décomptes?/) ?? [])[1]);
const titles = (html: string) => [...html.matchAll(/Décompte n° (\S+) du/g)].map((m) => m[1]);

describe('Espace Assuré — Remboursements', () => {
  test('lines grouped by décompte, newest first, 10 décomptes a page, with every amount', async () => {
    const html = decoded((await agent.get('/assure/remboursements').expect(200)).text);
    assert.equal(count(html), 14);
    assert.equal(titles(html).length, 10);
    assert.ok(html.includes('page 1 sur 2'));
    assert.ok(html.includes('Consultation Médecine Générale') && html.includes('Pharmacie du Centre'));
    for (const label of ['Frais réels', 'Base de remboursement', 'Rembours. Sécurité sociale', 'Reste à charge', "Payé à l'assuré", 'Payé aux tiers']) assert.ok(html.includes(label), label);
    assert.ok(html.includes(formatEuros(3000 + 2450)), 'décompte total of frais réels');
    const page2 = decoded((await agent.get('/assure/remboursements?page=2').expect(200)).text);
    assert.equal(titles(page2).length, 4);
    assert.ok(page2.includes('Page précédente'));
    assert.deepEqual(titles(page2).filter((n) => titles(html).includes(n)), [], 'no décompte on both pages');
  });

  test('filters by beneficiary, period and care type', async () => {
    const byChild = decoded((await agent.get(`/assure/remboursements?beneficiaire=${family.beneficiaries.enfant1}`).expect(200)).text);
    assert.ok(count(byChild) > 0 && count(byChild) < 14);
    assert.ok(!byChild.includes('<td>Julie Thibault</td>'));
    assert.ok(byChild.includes('<td>Léo Thibault</td>'));
    const period = decoded((await agent.get('/assure/remboursements?du=01/09/2026&au=2026-10-31').expect(200)).text);
    assert.equal(count(period), 2);
    const pharmacy = decoded((await agent.get('/assure/remboursements?soin=pharmacie').expect(200)).text);
    assert.ok(pharmacy.includes('Pharmacie du Centre'));
    assert.ok(!pharmacy.includes('Dr Anne Morel'));
  });

  test('wrong filter values: the list with a French message, never a 500', async () => {
    for (const [query, message] of [
      ['du=31/02/2026', 'La date est invalide'],
      ['du=2026-10-01&au=2026-01-01', 'postérieure à la date de début'],
      [`beneficiaire=${other.beneficiaries.assure}`, 'ne fait pas partie de votre famille'],
      ['beneficiaire=abc', 'ne fait pas partie de votre famille'],
      ['soin=<script>', "n'est pas connu"],
      ['page=-3&du[]=x', ''],
    ]) {
      const res = await agent.get(`/assure/remboursements?${query}`).expect(200);
      const html = decoded(res.text);
      if (message) assert.ok(html.includes(message), `${query}: ${message}`);
      assert.ok(count(html) > 0, `${query}: the list is still shown`);
      assert.ok(!html.includes('Voisin'), 'never another family');
    }
  });

  test('htmx gets the block alone; a plain request gets the page', async () => {
    const fragment = await agent.get('/assure/remboursements?soin=pharmacie').set('HX-Request', 'true').expect(200);
    assert.ok(fragment.text.startsWith('<div id="statements-block">'));
    assert.ok(!fragment.text.includes('<html'));
    const page = await agent.get('/assure/remboursements?soin=pharmacie').expect(200);
    assert.ok(page.text.includes('<html') && page.text.includes('id="statements-block"'));
  });

  test('each décompte downloads as a real PDF with the member and the right totals; never another family', async () => {
    const { text, headers } = await pdfText(agent, `/assure/remboursements/decomptes/${family.statementIds[0]}/pdf`);
    assert.match(headers['content-disposition'], /filename="decompte-/);
    assert.ok(text.includes('Nicolas Thibault'), 'member name');
    assert.ok(text.includes(formatEuros(3000 + 2450).replace(/\u00a0/g, ' ')), 'total of frais réels');
    assert.ok(text.includes(formatEuros(900 + 857).replace(/\u00a0/g, ' ')), 'total paid by the insurer');
    await agent.get(`/assure/remboursements/decomptes/${other.statementIds[0]}/pdf`).expect(404);
    await agent.get('/assure/remboursements/decomptes/abc/pdf').expect(404);
  });

  test('HR and staff sessions get 403', async () => {
    const hr = await loginAs(t.app, t.db, 'entreprise', (await createAccount(t.db, { kind: 'hr', mobile: '+33639980911' })).email);
    await hr.get('/assure/remboursements').expect(403);
    const staff = await loginAs(t.app, t.db, 'gestion', (await createAccount(t.db, { kind: 'staff', mobile: '+33639980912' })).email);
    await staff.get('/assure/remboursements').expect(403);
  });
});

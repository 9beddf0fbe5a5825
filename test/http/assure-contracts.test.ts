import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily, type Family } from '../helpers/family.js';
import { createAccount, decoded, loginAs } from '../helpers/fixtures.js';
import { pdfText } from '../helpers/pdf.js';

let t: TestContext;
let current: Family;
let ended: Family;
let currentAgent: Awaited<ReturnType<typeof loginAs>>;
let endedAgent: Awaited<ReturnType<typeof loginAs>>;
before(async () => {
  t = await makeTestApp();
  current = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault' });
  ended = await createFamily(t.db, { firstName: 'Agathe', lastName: 'Partie', ended: true });
  currentAgent = await loginAs(t.app, t.db, 'assure', current.email);
  endedAgent = await loginAs(t.app, t.db, 'assure', ended.email);
});
after(async () => t.close());

describe('Espace Assuré — Mes contrats', () => {
  test('company, contract, collège, dates and the guarantees by care category', async () => {
    const html = decoded((await currentAgent.get('/assure/contrats').expect(200)).text);
    for (const text of ['BASE CCN NC RG Oblig/Options 1 2 3 4 Fac', 'Agence Thibault', 'SIRET', `CT-`, 'Non-cadres', "Date d'entrée", '01/09/2019', 'Hospitalisation', 'Soins courants', 'Optique', 'Dentaire', 'Aides auditives', 'Maternité', 'Prévention', '200 % BR – RSS']) {
      assert.ok(html.includes(text), text);
    }
    assert.ok(!html.includes('Certificat de radiation'), 'no radiation certificate while covered');
    assert.ok(!html.includes('Date de fin'));
  });

  test('guarantees and affiliation certificate as real PDFs', async () => {
    const affiliation = current.affiliationId;
    const guarantees = await pdfText(currentAgent, `/assure/contrats/${affiliation}/garanties.pdf`);
    assert.ok(guarantees.text.includes('Nicolas Thibault'));
    assert.ok(guarantees.text.includes('Forfait 150 € par an'));
    const certificate = await pdfText(currentAgent, `/assure/contrats/${affiliation}/certificat-affiliation.pdf`);
    assert.ok(certificate.text.includes("Certificat d'affiliation"));
    assert.ok(certificate.text.includes('Nicolas Thibault'));
    assert.ok(certificate.text.includes('Julie Thibault'), 'the covered beneficiaries');
    assert.match(certificate.text, /CT-\d+-NC/);
    await currentAgent.get(`/assure/contrats/${affiliation}/certificat-radiation.pdf`).expect(404);
  });

  test('the radiation certificate exists only once the cover has ended', async () => {
    const html = decoded((await endedAgent.get('/assure/contrats').expect(200)).text);
    assert.ok(html.includes('Certificat de radiation') && html.includes('Date de fin') && html.includes('30/06/2026'));
    const radiation = await pdfText(endedAgent, `/assure/contrats/${ended.affiliationId}/certificat-radiation.pdf`);
    assert.ok(radiation.text.includes('Agathe Partie'));
    assert.ok(radiation.text.includes('30/06/2026'));
  });

  test('Situation: the current contract, the beneficiaries and the NOEMIE summary, with links', async () => {
    const html = decoded((await currentAgent.get('/assure/situation').expect(200)).text);
    assert.ok(html.includes('BASE CCN NC RG Oblig/Options 1 2 3 4 Fac — Agence Thibault, depuis le 01/09/2019'));
    assert.ok(html.includes('4 personnes couvertes : Nicolas, Julie, Léo, Emma'));
    assert.ok(html.includes('Télétransmission active pour 1 bénéficiaire sur 4'));
    for (const href of ['/assure/contrats', '/assure/beneficiaires', '/assure/situation-noemie']) assert.ok(html.includes(`href="${href}"`));
    const endedHtml = decoded((await endedAgent.get('/assure/situation').expect(200)).text);
    assert.ok(endedHtml.includes('Aucun contrat en cours'));
  });

  test("another family's affiliation id → 404; HR and staff → 403", async () => {
    for (const doc of ['garanties.pdf', 'certificat-affiliation.pdf', 'certificat-radiation.pdf']) {
      await currentAgent.get(`/assure/contrats/${ended.affiliationId}/${doc}`).expect(404);
    }
    await currentAgent.get('/assure/contrats/abc/garanties.pdf').expect(404);
    const hr = await loginAs(t.app, t.db, 'entreprise', (await createAccount(t.db, { kind: 'hr', mobile: '+33639980921' })).email);
    await hr.get('/assure/contrats').expect(403);
    const staff = await loginAs(t.app, t.db, 'gestion', (await createAccount(t.db, { kind: 'staff', mobile: '+33639980922' })).email);
    await staff.get(`/assure/contrats/${current.affiliationId}/garanties.pdf`).expect(403);
  });
});

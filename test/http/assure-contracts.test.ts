import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily, type Family } from '../helpers/family.js';
import { createAccount, decoded, loginAs } from '../helpers/fixtures.js';
import { pdfText } from '../helpers/pdf.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

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
    for (const text of [
      'BASE CCN NC RG Oblig/Options 1 2 3 4 Fac',
      'Agence Thibault',
      'SIRET',
      `CT-`,
      'Non-cadres',
      "Date d'entrée",
      '01/09/2019',
      'Hospitalisation',
      'Soins courants',
      'Optique',
      'Dentaire',
      'Aides auditives',
      'Maternité',
      'Prévention',
      '200 % BR – RSS',
    ]) {
      assertIncludes(html, text, text);
    }
    assertExcludes(html, 'Certificat de radiation', 'no radiation certificate while covered');
    assertExcludes(html, 'Date de fin');
  });

  test('guarantees and affiliation certificate as real PDFs', async () => {
    const affiliation = current.affiliationId;
    const { reference } = await t.db('contracts').where({ id: current.contractId }).first();
    const guarantees = await pdfText(currentAgent, `/assure/contrats/${affiliation}/garanties.pdf`);
    assert.equal(guarantees.headers['content-disposition'], `attachment; filename="garanties-${reference}.pdf"`);
    assertIncludes(guarantees.text, 'Nicolas Thibault');
    assertIncludes(guarantees.text, reference, 'the contract reference');
    assertIncludes(guarantees.text, 'Tilleul Santé', 'the brand');
    for (const heading of ['Hospitalisation', 'Soins courants', 'Pharmacie', 'Optique', 'Dentaire', 'Aides auditives', 'Maternité', 'Prévention']) {
      assertIncludes(guarantees.text, heading, heading);
    }
    assertIncludes(guarantees.text, 'Forfait 150 € par an');
    const certificate = await pdfText(currentAgent, `/assure/contrats/${affiliation}/certificat-affiliation.pdf`);
    assertIncludes(certificate.text, "Certificat d'affiliation");
    assertIncludes(certificate.text, 'Nicolas Thibault');
    assertIncludes(certificate.text, 'Julie Thibault', 'the covered beneficiaries');
    assertIncludes(certificate.text, reference);
    // The member's sex is known (M): no « né(e) / affilié(e) ».
    assertIncludes(certificate.text.replace(/\s+/g, ' '), 'Nicolas Thibault, né le 03/12/1984, est affilié depuis le 01/09/2019');
    assertExcludes(certificate.text, '(e)');
    assertIncludes(certificate.text, 'Agence Thibault', 'the company');
    assertIncludes(certificate.text, 'Fait à Paris, le 22/11/2026', 'date and place');
    await currentAgent.get(`/assure/contrats/${affiliation}/certificat-radiation.pdf`).expect(404);
  });

  test('the radiation certificate exists only once the cover has ended', async () => {
    await t.db('members').where({ id: ended.memberId }).update({ sex: 'F' });
    const html = decoded((await endedAgent.get('/assure/contrats').expect(200)).text);
    assert.ok(html.includes('Certificat de radiation') && html.includes('Date de fin') && html.includes('30/06/2026'));
    const radiation = await pdfText(endedAgent, `/assure/contrats/${ended.affiliationId}/certificat-radiation.pdf`);
    const { reference } = await t.db('contracts').where({ id: ended.contractId }).first();
    assertIncludes(radiation.text, 'Agathe Partie');
    assertIncludes(radiation.text, reference);
    assertIncludes(radiation.text.replace(/\s+/g, ' '), 'la couverture a pris fin le 30/06/2026');
    assertIncludes(radiation.text.replace(/\s+/g, ' '), 'Agathe Partie, née le 03/12/1984, a été affiliée du 01/09/2019 au 30/06/2026', 'agrees with her sex');
    assertIncludes(radiation.text.replace(/\s+/g, ' '), 'et en a été radiée');
    assertIncludes(radiation.text, 'Fait à Paris, le 22/11/2026');
    for (const doc of ['garanties.pdf', 'certificat-affiliation.pdf']) {
      const { text } = await pdfText(endedAgent, `/assure/contrats/${ended.affiliationId}/${doc}`);
      assert.ok(text.includes('Agathe Partie') && text.includes(reference), doc);
    }
    const certificate = await pdfText(endedAgent, `/assure/contrats/${ended.affiliationId}/certificat-affiliation.pdf`);
    assertIncludes(certificate.text.replace(/\s+/g, ' '), 'née le 03/12/1984, a été affiliée du 01/09/2019 au 30/06/2026', 'past tense once ended');
  });

  test('an end date still ahead: not ended yet, so no radiation certificate', async () => {
    const leaving = await createFamily(t.db, { firstName: 'Marc', lastName: 'Depart' });
    await t.db('affiliations').where({ id: leaving.affiliationId }).update({ end_date: '2026-12-31' });
    const agent = await loginAs(t.app, t.db, 'assure', leaving.email);
    const html = decoded((await agent.get('/assure/contrats').expect(200)).text);
    assert.ok(html.includes('Date de fin') && html.includes('31/12/2026'));
    assert.ok(html.includes('En cours') && !html.includes('Certificat de radiation'));
    await agent.get(`/assure/contrats/${leaving.affiliationId}/certificat-radiation.pdf`).expect(404);
  });

  test('Situation: the current contract, the beneficiaries and the NOEMIE summary, with links', async () => {
    const html = decoded((await currentAgent.get('/assure/situation').expect(200)).text);
    assertIncludes(html, 'BASE CCN NC RG Oblig/Options 1 2 3 4 Fac — Agence Thibault, depuis le 01/09/2019');
    assertIncludes(html, '4 personnes couvertes : Nicolas, Julie, Léo, Emma');
    assertIncludes(html, 'Télétransmission active pour 1 bénéficiaire sur 4');
    for (const href of ['/assure/contrats', '/assure/beneficiaires', '/assure/situation-noemie']) assertIncludes(html, `href="${href}"`);
    const endedHtml = decoded((await endedAgent.get('/assure/situation').expect(200)).text);
    assertIncludes(endedHtml, 'Aucun contrat en cours');
    assertIncludes(endedHtml, '4 bénéficiaires rattachés à votre dossier');
  });

  test('an ended affiliation comes after the current one', async () => {
    const moved = await createFamily(t.db, { firstName: 'Inès', lastName: 'Mobile' });
    const old = { ...(await t.db('affiliations').where({ id: moved.affiliationId }).first()) };
    delete old.id;
    await t.db('affiliations').insert({ ...old, start_date: '2015-01-01', entry_date: '2015-01-01', end_date: '2019-08-31', end_reason: 'demission' });
    const agent = await loginAs(t.app, t.db, 'assure', moved.email);
    const html = decoded((await agent.get('/assure/contrats').expect(200)).text);
    assert.ok(html.indexOf('01/09/2019') < html.indexOf('31/08/2019'), 'current first');
    assert.equal((html.match(/Certificat de radiation/g) ?? []).length, 1, 'only for the ended one');
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

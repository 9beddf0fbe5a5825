// Ids in URLs and forms: anything but a row id — text, 0, a number PostgreSQL's 32-bit ids cannot
// hold — is « not found » (404), never a 500, on every route that takes one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createAccount, loginAs, tokenFrom } from '../helpers/fixtures.js';
import { createFamily } from '../helpers/family.js';
import { createHrCompany, createHrUser } from '../helpers/entreprise.js';
import { positiveId } from '../../src/validation.js';

const BAD = ['2147483648', '9999999999', '0', 'abc'];
let t: TestContext;
before(async () => {
  t = await makeTestApp();
});
after(async () => t.close());

describe('ids', () => {
  test('positiveId: digits from 1 to 2,147,483,647 only', () => {
    assert.equal(positiveId('1'), 1);
    assert.equal(positiveId('2147483647'), 2147483647);
    for (const bad of ['2147483648', '0', '-1', '1.5', ' 1', 'abc', '', undefined, ['1'], {}]) assert.equal(positiveId(bad), null, String(bad));
  });

  test('Espace Entreprise: every GET and POST with an id beyond 32 bits answers 404', async () => {
    const company = await createHrCompany(t.db, 'Ids SA', 1);
    const hr = await createHrUser(t.db, [{ company, role: 'admin' }], { mobile: '+33612340301' });
    const agent = await loginAs(t.app, t.db, 'entreprise', hr.email);
    const token = await tokenFrom(agent, '/entreprise/accueil');
    for (const id of BAD) {
      for (const path of [
        `/entreprise/habilitations/${id}/modifier`,
        `/entreprise/salaries/${id}`,
        `/entreprise/suivi-affiliations/${id}`,
        `/entreprise/suivi-affiliations/${id}/formulaire.pdf`,
        `/entreprise/pre-affiliation/envoi/${id}`,
        `/entreprise/profil/etablissements/fichier/${id}`,
      ]) {
        await agent.get(path).expect(404);
      }
      for (const path of [`/entreprise/notifications/${id}/ouvrir`, `/entreprise/suivi-affiliations/${id}/annuler`, `/entreprise/salaries/${id}/nir`]) {
        await agent.post(path).type('form').send({ _csrf: token }).expect(404);
      }
    }
  });

  test('Espace Assuré and Espace Gestion: the same', async () => {
    const family = await createFamily(t.db, { firstName: 'Ids', lastName: 'Famille', statements: 0 });
    const member = await loginAs(t.app, t.db, 'assure', family.email);
    const staff = await loginAs(t.app, t.db, 'gestion', (await createAccount(t.db, { kind: 'staff', mobile: '+33612340302' })).email);
    for (const id of BAD) {
      for (const path of [`/assure/remboursements/decomptes/${id}/pdf`, `/assure/contrats/${id}/garanties.pdf`, `/assure/beneficiaires/${id}/teletransmission`])
        await member.get(path).expect(404);
      const memberToken = await tokenFrom(member, '/assure/accueil');
      await member.post(`/assure/beneficiaires/${id}/nir`).type('form').send({ _csrf: memberToken }).expect(404);
      await staff.get(`/gestion/affiliations/${id}`).expect(404);
      await staff.get(`/gestion/affiliations/${id}/documents/${id}`).expect(404);
      const staffToken = await tokenFrom(staff, '/gestion/accueil');
      await staff.post(`/gestion/affiliations/${id}/valider`).type('form').send({ _csrf: staffToken }).expect(404);
    }
  });
});

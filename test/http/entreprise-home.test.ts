import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import request from 'supertest';
import { createAccount, decoded, loginAs, textOf } from '../helpers/fixtures.js';
import { addEmployee, createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

let t: TestContext;
let alpha: TestCompany;
let beta: TestCompany;
let other: TestCompany;
let agent: Awaited<ReturnType<typeof loginAs>>;

before(async () => {
  t = await makeTestApp();
  alpha = await createHrCompany(t.db, 'Alpha Immobilier', 2);
  beta = await createHrCompany(t.db, 'Beta Syndic', 1);
  other = await createHrCompany(t.db, 'Gamma Gestion', 1);
  // Alpha: 3 non-cadres + 1 cadre on site 1, 2 cadres on site 2, one ended and one not started yet.
  for (let i = 0; i < 3; i++) await addEmployee(t.db, alpha, alpha.establishments[0]);
  await addEmployee(t.db, alpha, alpha.establishments[0], { college: 'cadre' });
  await addEmployee(t.db, alpha, alpha.establishments[1], { college: 'cadre' });
  await addEmployee(t.db, alpha, alpha.establishments[1], { college: 'cadre' });
  await addEmployee(t.db, alpha, alpha.establishments[1], { end: '2025-06-30' });
  await addEmployee(t.db, alpha, alpha.establishments[1], { start: '2099-01-01' });
  await addEmployee(t.db, beta, beta.establishments[0]);
  for (let i = 0; i < 5; i++) await addEmployee(t.db, other, other.establishments[0]);
  const admin = await createHrUser(
    t.db,
    [
      { company: alpha, role: 'admin' },
      { company: beta, role: 'user' },
    ],
    { firstName: 'Eugénie' },
  );
  agent = await loginAs(t.app, t.db, 'entreprise', admin.email);
});
after(async () => t.close());

describe('Espace Entreprise — Accueil', () => {
  test('logged out: the login page; a member: 403', async () => {
    assert.equal((await request(t.app).get('/entreprise/accueil').expect(303)).headers.location, '/entreprise');
    const member = await createAccount(t.db, { kind: 'member', mobile: '+33612340401' });
    await (await loginAs(t.app, t.db, 'assure', member.email)).get('/entreprise/accueil').expect(403);
  });

  test('welcome, the five tiles, the navigation with « Mes habilitations » for an administrator, and the tips', async () => {
    const html = decoded((await agent.get('/entreprise/accueil').expect(200)).text);
    assertIncludes(html, '<h1>Bienvenue Eugénie</h1>');
    for (const [href, label] of [
      ['/entreprise/salaries', 'Mes salariés'],
      ['/entreprise/pre-affiliation', 'Pré-affiliation'],
      ['/entreprise/suivi-affiliations', "Suivi des demandes d'affiliations"],
      ['/entreprise/documents', 'Mes documents pratiques'],
      ['/entreprise/messagerie/nouveau', 'Nous contacter'],
    ]) {
      assertIncludes(html, `<a class="tile" href="${href}">${label}</a>`, label);
    }
    assertIncludes(html, '<a href="/entreprise/habilitations">Mes habilitations</a>');
    assertIncludes(html, 'Conseils et astuces');
    assert.ok(html.includes(t.config.brand.tips[0].title.replace(/'/g, '&#39;')) || html.includes(t.config.brand.tips[0].title));
  });

  test('« Mes salariés assurés »: gauges and the same figures in text, only employees covered today', async () => {
    const text = textOf((await agent.get('/entreprise/accueil').expect(200)).text);
    assertIncludes(text, 'Vos Affiliations');
    assertIncludes(text, 'Mes salariés assurés');
    // 6 in Alpha (2 excluded) + 1 in Beta; never Gamma's 5.
    assert.match(text, /Par établissement .*?Total 7 /);
    assertIncludes(text, 'Alpha Immobilier — site 1 4 (57 %)', text);
    assertIncludes(text, 'Alpha Immobilier — site 2 2 (29 %)');
    assertIncludes(text, 'Beta Syndic — site 1 1 (14 %)');
    assert.match(text, /Par collège .*?Total 7 /);
    assertIncludes(text, 'Non-cadres 4');
    assertIncludes(text, 'Cadres 3');
    assertExcludes(text, 'Gamma');
    const html = (await agent.get('/entreprise/accueil').expect(200)).text;
    assert.equal((html.match(/<svg class="donut"/g) ?? []).length, 2);
    assertIncludes(html, 'aria-hidden="true"');
  });

  test('the « Entreprise » filter: a GET form, and htmx gets the section alone', async () => {
    const text = textOf((await agent.get(`/entreprise/accueil?entreprise=${beta.companyId}`).expect(200)).text);
    assert.match(text, /Par établissement .*?Total 1 /);
    assertExcludes(text, 'Alpha Immobilier — site 1');
    const fragment = (await agent.get(`/entreprise/accueil?entreprise=${alpha.companyId}`).set('HX-Request', 'true').expect(200)).text;
    assert.ok(!fragment.includes('<html') && fragment.includes('id="vos-affiliations"'));
    assertIncludes(fragment, `<option value="${alpha.companyId}" selected>`);
    assert.match(textOf(fragment), /Par établissement .*?Total 6 /);
  });

  test("another company's id or garbage in the filter: every company shown with a French message, never a 500", async () => {
    for (const value of [String(other.companyId), 'abc', '999999']) {
      const res = await agent.get(`/entreprise/accueil?entreprise=${value}`).expect(200);
      const text = textOf(res.text);
      assertIncludes(text, 'Cette entreprise ne fait pas partie de celles que vous suivez', value);
      assert.match(text, /Par établissement .*?Total 7 /);
      assertExcludes(text, 'Gamma');
    }
  });

  test('many establishments: the table under the gauge lists the 20 largest, « Afficher les 21 établissements » all of them', async () => {
    const big = await createHrCompany(t.db, 'Delta Syndic', 21);
    // Site 21 has two employees: first in the table; sites 1 to 20 one each, in name order after it.
    for (const establishment of big.establishments) await addEmployee(t.db, big, establishment);
    await addEmployee(t.db, big, big.establishments[20]);
    const hr = await createHrUser(t.db, [{ company: big, role: 'user' }]);
    const deltaAgent = await loginAs(t.app, t.db, 'entreprise', hr.email);
    const html = (await deltaAgent.get('/entreprise/accueil').expect(200)).text;
    const text = textOf(html);
    assertIncludes(text, 'Voir les 20 premiers des 21 établissements');
    assertIncludes(text, 'Delta Syndic — site 21 2 ');
    assertExcludes(text, 'Delta Syndic — site 9 1 ', 'the 21st row (names sort site 1, 10, …, 19, 2, 20, …, 9)');
    const link = html.match(/href="([^"]*etablissements=tous[^"]*)"/)?.[1];
    assert.equal(link, '/entreprise/accueil?etablissements=tous#jauge-etablissements-titre');
    const all = (await deltaAgent.get('/entreprise/accueil?etablissements=tous').expect(200)).text;
    assertIncludes(textOf(all), 'Voir les 21 établissements');
    assertIncludes(textOf(all), 'Delta Syndic — site 9 1 ');
    assertIncludes(all, '<details class="gauge-details" open>');
    // The filter is kept in the link.
    const filtered = (await deltaAgent.get(`/entreprise/accueil?entreprise=${big.companyId}`).expect(200)).text;
    assertIncludes(filtered, `href="/entreprise/accueil?entreprise=${big.companyId}&amp;etablissements=tous#jauge-etablissements-titre"`);
  });

  test('a user (not administrator) has no « Mes habilitations » entry', async () => {
    const user = await createHrUser(t.db, [{ company: alpha, role: 'user' }], { firstName: 'Hugo', mobile: '+33639980201' });
    const userAgent = await loginAs(t.app, t.db, 'entreprise', user.email);
    const html = decoded((await userAgent.get('/entreprise/accueil').expect(200)).text);
    assertExcludes(html, 'Mes habilitations');
    assert.match(textOf(html), /Par établissement .*?Total 6 /);
  });

  test('an HR user whose every habilitation is suspended is logged out with a clear message', async () => {
    const user = await createHrUser(t.db, [{ company: beta, role: 'user' }], { mobile: '+33639980202' });
    const userAgent = await loginAs(t.app, t.db, 'entreprise', user.email);
    await userAgent.get('/entreprise/accueil').expect(200);
    await t.db('hr_habilitations').where({ account_id: user.id }).update({ status: 'suspended' });
    const res = await userAgent.get('/entreprise/accueil').expect(303);
    assert.equal(res.headers.location, '/entreprise');
    const login = decoded((await userAgent.get('/entreprise').expect(200)).text);
    assertIncludes(login, "Votre accès à l'Espace Entreprise est suspendu");
  });
});

// Espace Entreprise « Notifications » (the bell): the user's own notifications, newest first, the
// unread count on every page, opening one marks it read and leads to its page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createHrCompany, createHrUser } from '../helpers/entreprise.js';
import { createAccount, loginAs, tokenFrom, textOf } from '../helpers/fixtures.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const BASE = '/entreprise/notifications';
let t: TestContext;
let hr: { id: number; email: string };
let other: { id: number; email: string };
let agent: Awaited<ReturnType<typeof loginAs>>;

async function notify(accountId: number, title: string, minutes: number, link: string | null = '/entreprise/suivi-affiliations/7') {
  const [row] = await t
    .db('notifications')
    .insert({
      account_id: accountId,
      kind: 'affiliation_finalized',
      title,
      body: `${title} — détail`,
      link,
      created_at: new Date(Date.UTC(2026, 10, 22, 8, minutes)).toISOString(),
      read_at: null,
    })
    .returning('id');
  return typeof row === 'object' ? row.id : row;
}

before(async () => {
  t = await makeTestApp();
  const alpha = await createHrCompany(t.db, 'Alpha Immobilier', 1);
  hr = await createHrUser(t.db, [{ company: alpha, role: 'user' }], { mobile: '+33612340201' });
  other = await createHrUser(t.db, [{ company: alpha, role: 'admin' }], { mobile: '+33612340202' });
  agent = await loginAs(t.app, t.db, 'entreprise', hr.email);
});
after(async () => t.close());

describe('Notifications', () => {
  test('none yet: a sentence saying what will come, no count on the bell', async () => {
    const html = (await agent.get(BASE).expect(200)).text;
    assertIncludes(textOf(html), "Vous n'avez aucune notification.");
    assertExcludes(html, 'class="icon-count"');
  });

  test("the user's own, newest first, unread counted on the bell of every page", async () => {
    await notify(hr.id, 'Formulaire A transmis', 1);
    await notify(hr.id, 'Formulaire B transmis', 2);
    await notify(other.id, 'Pas pour vous', 3);
    const html = (await agent.get(BASE).expect(200)).text;
    const text = textOf(html);
    assert.ok(text.indexOf('Formulaire B transmis') < text.indexOf('Formulaire A transmis'), 'newest first');
    assertExcludes(text, 'Pas pour vous');
    assertIncludes(text, '(2 non lues)');
    // A page beyond the last one (an old bookmark): the last page, not « aucune notification ».
    for (const page of ['99', 'abc', '-1']) assertIncludes(textOf((await agent.get(`${BASE}?page=${page}`).expect(200)).text), 'Formulaire B transmis', page);
    const home = (await agent.get('/entreprise/accueil').expect(200)).text;
    assertIncludes(home, '<span class="icon-count" aria-hidden="true">2</span><span class="visually-hidden"> (2 non lues)</span>');
  });

  test('opening one marks it read and leads to its page; another user’s → 404; a link outside the space → the list', async () => {
    const mine = await notify(hr.id, 'Formulaire C transmis', 4);
    const theirs = await notify(other.id, 'Autre compte', 5);
    const outside = await notify(hr.id, 'Lien extérieur', 6, 'https://exemple.fr/piege');
    const token = await tokenFrom(agent, BASE);
    const res = await agent.post(`${BASE}/${mine}/ouvrir`).type('form').send({ _csrf: token }).expect(303);
    assert.equal(res.headers.location, '/entreprise/suivi-affiliations/7');
    assert.ok((await t.db('notifications').where({ id: mine }).first()).read_at);
    await agent.post(`${BASE}/${theirs}/ouvrir`).type('form').send({ _csrf: token }).expect(404);
    assert.equal((await t.db('notifications').where({ id: theirs }).first()).read_at, null);
    for (const bad of ['0', 'abc', '99999']) await agent.post(`${BASE}/${bad}/ouvrir`).type('form').send({ _csrf: token }).expect(404);
    assert.equal((await agent.post(`${BASE}/${outside}/ouvrir`).type('form').send({ _csrf: token }).expect(303)).headers.location, BASE);
  });

  test('« Tout marquer comme lu » reads them all (only the user’s)', async () => {
    const token = await tokenFrom(agent, BASE);
    await agent.post(`${BASE}/tout-lire`).type('form').send({ _csrf: token }).expect(303);
    assert.equal(Number((await t.db('notifications').where({ account_id: hr.id }).whereNull('read_at').count({ n: '*' }).first())?.n), 0);
    assert.ok(Number((await t.db('notifications').where({ account_id: other.id }).whereNull('read_at').count({ n: '*' }).first())?.n) > 0);
    const html = (await agent.get(BASE).expect(200)).text;
    assertIncludes(textOf(html), 'Toutes vos notifications sont marquées comme lues.');
    assertExcludes(html, 'class="icon-count"');
  });

  test('more than 20: « Page suivante », and the second page', async () => {
    for (let i = 0; i < 21; i++) await notify(hr.id, `Lot ${String(i).padStart(2, '0')}`, 10 + i);
    const first = (await agent.get(BASE).expect(200)).text;
    assert.ok(first.includes(`href="${BASE}?page=2"`) && textOf(first).includes('Page 1 sur 2'));
    const second = textOf((await agent.get(`${BASE}?page=2`).expect(200)).text);
    assert.ok(second.includes('Page 2 sur 2') && second.includes('Page précédente'));
  });

  test('access: logged out → login; a member → 403; POST without CSRF → 403', async () => {
    assert.equal((await request(t.app).get(BASE).expect(303)).headers.location, '/entreprise');
    const member = await createAccount(t.db, { kind: 'member', mobile: '+33612340203' });
    const memberAgent = await loginAs(t.app, t.db, 'assure', member.email);
    await memberAgent.get(BASE).expect(403);
    const memberToken = await tokenFrom(memberAgent, '/assure/accueil');
    const someone = await notify(hr.id, 'Pour Eugénie', 7);
    for (const path of [`${BASE}/${someone}/ouvrir`, `${BASE}/tout-lire`]) await memberAgent.post(path).type('form').send({ _csrf: memberToken }).expect(403);
    assert.equal((await t.db('notifications').where({ id: someone }).first()).read_at, null);
    await agent.post(`${BASE}/tout-lire`).type('form').send({}).expect(403);
  });
});

// Issue #11 B3: in « Gestion des habilitations » the status shown and the actions offered agree in
// every state (src/domain/habilitations.ts hrUserState, table-tested in test/unit/habilitations.test.ts),
// and the server refuses what the state does not offer. Here through the pages: an invitee
// suspended before creating their password, a user suspended on part of the companies, a closed
// account still listed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { decoded, lastMessageTo, linkIn, loginAs, tokenFrom, textOf } from '../helpers/fixtures.js';
import { createHrCompany, createHrUser, type TestCompany, postHrForm } from '../helpers/entreprise.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

type Agent = Awaited<ReturnType<typeof loginAs>>;
let t: TestContext;
let alpha: TestCompany;
let beta: TestCompany;
let admin: { id: number; email: string };
let agent: Agent;

const BASE = '/entreprise/habilitations';
const post = postHrForm;
/** The list row of one user: its status and the actions of its « … » menu. */
async function rowOf(email: string): Promise<{ text: string; html: string; actions: string[] }> {
  const html = decoded((await agent.get(BASE).expect(200)).text);
  const row = html.split('<tr>').find((r) => r.includes(`>${email}<`));
  assert.ok(row, `${email} is listed`);
  const actions = [...row.matchAll(/<a href="[^"]+\/(modifier|suspendre|desactiver)">|action="[^"]+\/(renvoyer-lien|reactiver)"/g)].map((m) => m[1] ?? m[2]);
  return { text: textOf(row), html: row, actions };
}
const habilitationStatuses = async (accountId: number) =>
  (await t.db('hr_habilitations').where({ account_id: accountId }).orderBy('company_id')).map((h: { status: string }) => h.status);

before(async () => {
  t = await makeTestApp();
  alpha = await createHrCompany(t.db, 'Alpha Immobilier', 1);
  beta = await createHrCompany(t.db, 'Beta Syndic', 1);
  admin = await createHrUser(
    t.db,
    [
      { company: alpha, role: 'admin' },
      { company: beta, role: 'admin' },
    ],
    { firstName: 'Eugénie', mobile: '+33612340501' },
  );
  agent = await loginAs(t.app, t.db, 'entreprise', admin.email);
});
after(async () => t.close());

describe('Gestion des habilitations — statuses and actions agree', () => {
  test('an invitee suspended before creating the password: « Invitation suspendue », « Réactiver l’accès » only; no password, no login until reactivated', async () => {
    const email = 'ines.faure@exemple.fr';
    await post(
      agent,
      `${BASE}/ajouter`,
      { last_name: 'Faure', first_name: 'Inès', email, mobile: '06 12 34 05 02', [`acces_${alpha.companyId}`]: 'user' },
      303,
    );
    const invitee = await t.db('accounts').where({ email }).first();
    const link = linkIn((await lastMessageTo(t.db, email)).body_text);
    assert.deepEqual((await rowOf(email)).actions, ['modifier', 'renvoyer-lien', 'suspendre', 'desactiver']);

    await agent.get(`${BASE}/${invitee.id}/suspendre`).expect(200);
    await post(agent, `${BASE}/${invitee.id}/suspendre`, {}, 303);
    assert.deepEqual(await habilitationStatuses(invitee.id), ['suspended']);
    const row = await rowOf(email);
    assertIncludes(row.text, 'Invitation suspendue', row.text);
    assertExcludes(row.text, 'Invitation envoyée');
    assert.deepEqual(row.actions, ['modifier', 'reactiver', 'desactiver']);

    // What the menu does not offer, the server refuses (and says why).
    const sentBefore = (await t.db('outbox').where({ recipient: email })).length;
    await post(agent, `${BASE}/${invitee.id}/renvoyer-lien`, {}, 303);
    assertIncludes(textOf((await agent.get(BASE)).text), "L'accès de cet utilisateur est suspendu : réactivez-le avant de lui renvoyer un lien");
    assert.equal((await t.db('outbox').where({ recipient: email })).length, sentBefore, 'no new link sent');
    assert.equal((await agent.get(`${BASE}/${invitee.id}/suspendre`).expect(303)).headers.location, BASE);
    await post(agent, `${BASE}/${invitee.id}/suspendre`, {}, 303);
    assertIncludes(textOf((await agent.get(BASE)).text), "Cet utilisateur n'a pas d'accès actif sur vos entreprises.");

    // While suspended, the invitation cannot become an account.
    const password = 'galet brume cerisier lanterne';
    const invited = request.agent(t.app);
    await invited.get(link).expect(410);
    const csrf = await tokenFrom(invited, '/entreprise');
    await invited.post(link).type('form').send({ _csrf: csrf, password, password_confirm: password, cgu: 'oui' }).expect(410);
    assert.equal((await t.db('accounts').where({ id: invitee.id }).first()).status, 'pending');
    await invited.post('/entreprise/connexion').type('form').send({ _csrf: csrf, email, password }).expect(422);

    // Reactivated: the same link works again, the password is created, the login succeeds.
    await post(agent, `${BASE}/${invitee.id}/reactiver`, {}, 303);
    assert.deepEqual(await habilitationStatuses(invitee.id), ['active']);
    const reactivated = await rowOf(email);
    assertIncludes(reactivated.text, 'Invitation envoyée');
    assert.deepEqual(reactivated.actions, ['modifier', 'renvoyer-lien', 'suspendre', 'desactiver']);
    const page = await invited.get(link).expect(200);
    const token = page.text.match(/name="_csrf" value="([^"]+)"/)![1];
    await invited.post(link).type('form').send({ _csrf: token, password, password_confirm: password, cgu: 'oui' }).expect(303);
    const ines = await loginAs(t.app, t.db, 'entreprise', email, password);
    assertIncludes(decoded((await ines.get('/entreprise/accueil').expect(200)).text), 'Bienvenue Inès');
    assertIncludes((await rowOf(email)).text, 'Actif');
  });

  test('suspended on one of two companies: « Actif » offering both « Réactiver l’accès » and « Désactiver provisoirement »', async () => {
    const user = await createHrUser(
      t.db,
      [
        { company: alpha, role: 'user' },
        { company: beta, role: 'user', status: 'suspended' },
      ],
      { email: 'noe.blanc@exemple.fr', mobile: '+33612340503' },
    );
    const row = await rowOf(user.email);
    assertIncludes(row.text, 'Actif');
    assert.deepEqual(row.actions, ['modifier', 'reactiver', 'suspendre', 'desactiver']);
    await post(agent, `${BASE}/${user.id}/reactiver`, {}, 303);
    assert.deepEqual(await habilitationStatuses(user.id), ['active', 'active']);
    assert.deepEqual((await rowOf(user.email)).actions, ['modifier', 'suspendre', 'desactiver']);
    await post(agent, `${BASE}/${user.id}/reactiver`, {}, 303);
    assertIncludes(textOf((await agent.get(BASE)).text), "Cet utilisateur n'a pas d'accès suspendu sur vos entreprises.");
    // Fully suspended: « Suspendu », no second suspension offered.
    await post(agent, `${BASE}/${user.id}/suspendre`, {}, 303);
    const suspended = await rowOf(user.email);
    assertIncludes(suspended.text, 'Suspendu');
    assert.deepEqual(suspended.actions, ['modifier', 'reactiver', 'desactiver']);
  });

  test('a closed account still listed: « Désactivé », only « Désactiver définitivement »; modifying it is refused', async () => {
    const user = await createHrUser(t.db, [{ company: alpha, role: 'user' }], { email: 'leo.garcia@exemple.fr', status: 'disabled', mobile: '+33612340504' });
    const row = await rowOf(user.email);
    assertIncludes(row.text, 'Désactivé');
    assert.deepEqual(row.actions, ['desactiver']);
    assert.equal((await agent.get(`${BASE}/${user.id}/modifier`).expect(303)).headers.location, BASE);
    await post(agent, `${BASE}/${user.id}/modifier`, { last_name: 'Autre', first_name: 'Nom', [`acces_${alpha.companyId}`]: 'admin' }, 303);
    const account = await t.db('accounts').where({ id: user.id }).first();
    assert.equal(account.last_name, 'Martin');
    assert.equal((await t.db('hr_habilitations').where({ account_id: user.id }).first()).role, 'user');
    await post(agent, `${BASE}/${user.id}/reactiver`, {}, 303);
    await post(agent, `${BASE}/${user.id}/desactiver`, {}, 303);
    assert.equal((await t.db('hr_habilitations').where({ account_id: user.id })).length, 0);
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createAccount, decoded, lastMessageTo, linkIn, loginAs, tokenFrom, textOf } from '../helpers/fixtures.js';
import { createHrCompany, createHrUser, type TestCompany, postHrForm } from '../helpers/entreprise.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

type Agent = Awaited<ReturnType<typeof loginAs>>;
let t: TestContext;
let alpha: TestCompany; // administered by the admin
let beta: TestCompany; // the admin is only a user there
let other: TestCompany; // not theirs at all
let admin: { id: number; email: string };
let agent: Agent;
let mobileCounter = 300;
const mobile = () => `+336399${String(80000 + mobileCounter++).slice(-5)}`.replace('+3363998', '+33639980').slice(0, 12);

const BASE = '/entreprise/habilitations';
const post = postHrForm;
const habilitationsOf = (accountId: number) => t.db('hr_habilitations').where({ account_id: accountId }).orderBy('company_id');

before(async () => {
  t = await makeTestApp();
  alpha = await createHrCompany(t.db, 'Alpha Immobilier', 2);
  beta = await createHrCompany(t.db, 'Beta Syndic', 1);
  other = await createHrCompany(t.db, 'Gamma Gestion', 1);
  admin = await createHrUser(
    t.db,
    [
      { company: alpha, role: 'admin' },
      { company: beta, role: 'user' },
    ],
    { firstName: 'Eugénie', mobile: mobile() },
  );
  agent = await loginAs(t.app, t.db, 'entreprise', admin.email);
});
after(async () => t.close());

describe('Gestion des habilitations — access', () => {
  test('an HR user who is not administrator gets the 403 page on every habilitation URL', async () => {
    const user = await createHrUser(t.db, [{ company: alpha, role: 'user' }], { mobile: mobile() });
    const userAgent = await loginAs(t.app, t.db, 'entreprise', user.email);
    for (const path of [BASE, `${BASE}/ajouter`, `${BASE}/${admin.id}/modifier`, `${BASE}/${admin.id}/suspendre`, `${BASE}/${admin.id}/desactiver`]) {
      const res = await userAgent.get(path).expect(403);
      assertIncludes(decoded(res.text), 'Accès refusé', path);
    }
    const token = await tokenFrom(userAgent, '/entreprise/accueil');
    await userAgent
      .post(`${BASE}/ajouter`)
      .type('form')
      .send({ _csrf: token, last_name: 'X', first_name: 'Y', email: 'x@exemple.fr', [`acces_${alpha.companyId}`]: 'admin' })
      .expect(403);
    await userAgent.post(`${BASE}/${admin.id}/suspendre`).type('form').send({ _csrf: token }).expect(403);
    assert.equal((await t.db('accounts').where({ email: 'x@exemple.fr' })).length, 0);
  });

  test('a member or someone logged out never reaches it', async () => {
    for (const path of [BASE, `${BASE}/ajouter`, `${BASE}/${admin.id}/modifier`])
      assert.equal((await request(t.app).get(path).expect(303)).headers.location, '/entreprise', path);
    const member = await createAccount(t.db, { kind: 'member', mobile: mobile() });
    const memberAgent = await loginAs(t.app, t.db, 'assure', member.email);
    for (const path of [BASE, `${BASE}/ajouter`, `${BASE}/${admin.id}/modifier`]) await memberAgent.get(path).expect(403);
    const token = await tokenFrom(memberAgent, '/assure/accueil');
    for (const path of [`${BASE}/ajouter`, `${BASE}/${admin.id}/modifier`, `${BASE}/${admin.id}/suspendre`, `${BASE}/${admin.id}/desactiver`]) {
      await memberAgent.post(path).type('form').send({ _csrf: token, last_name: 'X', first_name: 'Y', email: 'x@exemple.fr' }).expect(403);
    }
    assert.equal((await t.db('accounts').where({ email: 'x@exemple.fr' })).length, 0);
  });

  test("another company's user by id → 404, for every action", async () => {
    const stranger = await createHrUser(t.db, [{ company: other, role: 'admin' }], { mobile: mobile() });
    // Beta: the admin is only a user there, so Beta's own users are not theirs to manage either.
    const betaUser = await createHrUser(t.db, [{ company: beta, role: 'user' }], { mobile: mobile() });
    for (const id of [stranger.id, betaUser.id, 999999, 'abc']) {
      await agent.get(`${BASE}/${id}/modifier`).expect(404);
      await agent.get(`${BASE}/${id}/suspendre`).expect(404);
      await post(agent, `${BASE}/${id}/suspendre`, {}, 404);
      await post(agent, `${BASE}/${id}/desactiver`, {}, 404);
      await post(agent, `${BASE}/${id}/reactiver`, {}, 404);
      await post(agent, `${BASE}/${id}/renvoyer-lien`, {}, 404);
    }
    assert.equal((await habilitationsOf(stranger.id))[0].status, 'active');
    const list = textOf((await agent.get(BASE).expect(200)).text);
    assert.ok(!list.includes(stranger.email) && !list.includes(betaUser.email));
  });
});

describe('Gestion des habilitations — list and invitation', () => {
  test('the list: name, email, company and role per company, status; the « … » menu', async () => {
    const html = (await agent.get(BASE).expect(200)).text;
    const text = textOf(html);
    assertIncludes(text, 'Gestion des habilitations');
    assertIncludes(text, 'Ajouter un utilisateur à mon espace entreprise');
    assertIncludes(text, admin.email);
    assertIncludes(text, 'Alpha Immobilier : Administrateur');
    assertIncludes(text, 'vous');
    assertIncludes(html, '<details class="actions-menu">');
  });

  test('bad input: French messages at each field, values kept, nothing written', async () => {
    const res = await post(agent, `${BASE}/ajouter`, { last_name: '', first_name: 'Léa', email: 'pas-un-email', mobile: '01 23 45 67 89' }, 422);
    const text = textOf(res.text);
    assertIncludes(text, 'Saisissez le nom.');
    assertIncludes(text, "L'adresse e-mail n'est pas valide");
    assertIncludes(text, 'Le numéro de téléphone mobile est invalide');
    assertIncludes(text, 'Choisissez au moins une entreprise et le rôle de cet utilisateur.');
    assert.ok(res.text.includes('value="Léa"') && res.text.includes('value="pas-un-email"'));
    assert.equal((await t.db('accounts').where({ first_name: 'Léa' })).length, 0);
  });

  test('granting on a company one does not administer is refused by the server', async () => {
    const res = await post(
      agent,
      `${BASE}/ajouter`,
      { last_name: 'Roy', first_name: 'Inès', email: 'ines.roy@exemple.fr', [`acces_${beta.companyId}`]: 'admin', [`acces_${other.companyId}`]: 'admin' },
      422,
    );
    assertIncludes(textOf(res.text), 'Choisissez au moins une entreprise');
    assert.equal((await t.db('accounts').where({ email: 'ines.roy@exemple.fr' })).length, 0);
  });

  test('invite → email with the 7-day link → the user creates the password and logs in with the right access', async () => {
    await post(
      agent,
      `${BASE}/ajouter`,
      { last_name: 'Petit', first_name: 'Chloé', email: 'Chloe.Petit@Exemple.fr', mobile: '06 12 34 04 01', [`acces_${alpha.companyId}`]: 'user' },
      303,
    );
    const account = await t.db('accounts').where({ kind: 'hr', email: 'chloe.petit@exemple.fr' }).first();
    assert.equal(account.status, 'pending');
    assert.equal(account.password_hash, null);
    assert.equal(account.mobile, '+33612340401');
    const habs = await habilitationsOf(account.id);
    assert.deepEqual(
      habs.map((h: { company_id: number; role: string; granted_by_account_id: number }) => [h.company_id, h.role, h.granted_by_account_id]),
      [[alpha.companyId, 'user', admin.id]],
    );
    const perimeter = await t.db('hr_perimeter').where({ account_id: account.id });
    assert.equal(perimeter.length, 2, "the administrator's establishments of Alpha");
    assert.ok(await t.db('audit_log').where({ event: 'hr_user_invited', account_id: admin.id }).first());

    const list = textOf((await agent.get(BASE).expect(200)).text);
    assert.ok(list.includes('Chloé a été ajouté(e)') || list.includes('Chloé Petit a été ajouté(e)'));
    assertIncludes(list, 'Invitation envoyée');

    const message = await lastMessageTo(t.db, 'chloe.petit@exemple.fr');
    assertIncludes(message.body_text, 'Eugénie Martin vous a invité(e)');
    const path = linkIn(message.body_text);
    const invited = request.agent(t.app);
    const page = await invited.get(path).expect(200);
    const token = page.text.match(/name="_csrf" value="([^"]+)"/)![1];
    const password = 'lanterne rivière orage pivoine';
    await invited.post(path).type('form').send({ _csrf: token, password, password_confirm: password, cgu: 'oui' }).expect(303);
    const chloe = await loginAs(t.app, t.db, 'entreprise', 'chloe.petit@exemple.fr', password);
    const home = decoded((await chloe.get('/entreprise/accueil').expect(200)).text);
    assertIncludes(home, 'Bienvenue Chloé');
    assertExcludes(home, 'Mes habilitations', 'a user, not an administrator');
    await chloe.get(BASE).expect(403);
  });

  test('resend the link: a new link, the old one dead; refused once the password exists', async () => {
    await post(
      agent,
      `${BASE}/ajouter`,
      { last_name: 'Garnier', first_name: 'Luc', email: 'luc.garnier@exemple.fr', [`acces_${alpha.companyId}`]: 'user' },
      303,
    );
    const account = await t.db('accounts').where({ email: 'luc.garnier@exemple.fr' }).first();
    const first = linkIn((await lastMessageTo(t.db, 'luc.garnier@exemple.fr')).body_text);
    t.clock.advance(1000);
    await post(agent, `${BASE}/${account.id}/renvoyer-lien`, {}, 303);
    const second = linkIn((await lastMessageTo(t.db, 'luc.garnier@exemple.fr')).body_text);
    assert.notEqual(first, second);
    await request(t.app).get(first).expect(410);
    await request(t.app).get(second).expect(200);
    const flash = textOf((await agent.get(BASE).expect(200)).text);
    assertIncludes(flash, 'Un nouveau lien de création de mot de passe a été envoyé à luc.garnier@exemple.fr');
    await post(agent, `${BASE}/${admin.id}/renvoyer-lien`, {}, 303);
    assertIncludes(textOf((await agent.get(BASE).expect(200)).text), 'a déjà créé son mot de passe');
  });

  test('an email already given access on that company is refused at the field', async () => {
    const res = await post(
      agent,
      `${BASE}/ajouter`,
      { last_name: 'Petit', first_name: 'Chloé', email: 'chloe.petit@exemple.fr', [`acces_${alpha.companyId}`]: 'admin' },
      422,
    );
    assertIncludes(textOf(res.text), 'Cet utilisateur a déjà accès à Alpha Immobilier');
  });
});

describe('Gestion des habilitations — roles, suspension, deactivation', () => {
  test('modify the profile and the role; nobody edits their own role (403)', async () => {
    const user = await createHrUser(t.db, [{ company: alpha, role: 'user' }], { mobile: mobile() });
    const form = decoded((await agent.get(`${BASE}/${user.id}/modifier`).expect(200)).text);
    assertIncludes(form, `value="user" checked`);
    await post(agent, `${BASE}/${user.id}/modifier`, { last_name: 'Durand', first_name: 'Élise', mobile: '', [`acces_${alpha.companyId}`]: 'admin' }, 303);
    const account = await t.db('accounts').where({ id: user.id }).first();
    assert.equal(account.last_name, 'Durand');
    assert.equal(account.first_name, 'Élise');
    assert.equal((await habilitationsOf(user.id))[0].role, 'admin');
    assert.ok(await t.db('audit_log').where({ event: 'role_changed', account_id: admin.id }).first());

    await agent.get(`${BASE}/${admin.id}/modifier`).expect(403);
    await post(
      agent,
      `${BASE}/${admin.id}/modifier`,
      { last_name: 'Martin', first_name: 'Eugénie', [`acces_${alpha.companyId}`]: 'user', [`acces_${beta.companyId}`]: 'admin' },
      403,
    );
    assert.deepEqual(
      (await habilitationsOf(admin.id)).map((h: { role: string }) => h.role),
      ['admin', 'user'],
    );
  });

  test('suspend (reversible): the user loses access at once; reactivate gives it back', async () => {
    const user = await createHrUser(t.db, [{ company: alpha, role: 'user' }], { mobile: mobile() });
    const userAgent = await loginAs(t.app, t.db, 'entreprise', user.email);
    await userAgent.get('/entreprise/accueil').expect(200);
    const confirm = textOf((await agent.get(`${BASE}/${user.id}/suspendre`).expect(200)).text);
    assertIncludes(confirm, "Désactiver provisoirement l'accès");
    await post(agent, `${BASE}/${user.id}/suspendre`, {}, 303);
    assert.equal((await habilitationsOf(user.id))[0].status, 'suspended');
    await userAgent.get('/entreprise/accueil').expect(303);
    assertIncludes(textOf((await agent.get(BASE).expect(200)).text), 'Suspendu');
    await post(agent, `${BASE}/${user.id}/reactiver`, {}, 303);
    assert.equal((await habilitationsOf(user.id))[0].status, 'active');
    t.clock.advance(61_000);
    const again = await loginAs(t.app, t.db, 'entreprise', user.email);
    await again.get('/entreprise/accueil').expect(200);
  });

  test('deactivate permanently: habilitation and perimeter removed, account closed, sessions ended', async () => {
    const user = await createHrUser(t.db, [{ company: alpha, role: 'user' }], { mobile: mobile() });
    const userAgent = await loginAs(t.app, t.db, 'entreprise', user.email);
    await post(agent, `${BASE}/${user.id}/desactiver`, {}, 303);
    assert.equal((await habilitationsOf(user.id)).length, 0);
    assert.equal((await t.db('hr_perimeter').where({ account_id: user.id })).length, 0);
    assert.equal((await t.db('accounts').where({ id: user.id }).first()).status, 'disabled');
    await userAgent.get('/entreprise/accueil').expect(303);
    assert.ok(await t.db('audit_log').where({ event: 'session_ended_by_disable', account_id: user.id }).first());
    assertExcludes(textOf((await agent.get(BASE).expect(200)).text), user.email);
  });

  test('an account with access elsewhere keeps it (and stays open) when removed from our company', async () => {
    const user = await createHrUser(
      t.db,
      [
        { company: alpha, role: 'user' },
        { company: other, role: 'admin' },
      ],
      { mobile: mobile() },
    );
    await post(agent, `${BASE}/${user.id}/desactiver`, {}, 303);
    const habs = await habilitationsOf(user.id);
    assert.deepEqual(
      habs.map((h: { company_id: number }) => h.company_id),
      [other.companyId],
    );
    assert.equal((await t.db('accounts').where({ id: user.id }).first()).status, 'active');
  });

  test('a company never loses its last active administrator, even when two administrators demote each other at once', async () => {
    const delta = await createHrCompany(t.db, 'Delta Habitat', 1);
    const first = await createHrUser(t.db, [{ company: delta, role: 'admin' }], { mobile: mobile() });
    const second = await createHrUser(t.db, [{ company: delta, role: 'admin' }], { mobile: mobile() });
    const firstAgent = await loginAs(t.app, t.db, 'entreprise', first.email);
    const secondAgent = await loginAs(t.app, t.db, 'entreprise', second.email);
    // Both forms are open before either is sent: each page saw two administrators.
    const firstToken = await tokenFrom(firstAgent, `${BASE}/${second.id}/modifier`);
    const secondToken = await tokenFrom(secondAgent, `${BASE}/${first.id}/modifier`);
    const body = { last_name: 'Martin', first_name: 'Camille', [`acces_${delta.companyId}`]: 'user' };
    const [a, b] = await Promise.all([
      firstAgent
        .post(`${BASE}/${second.id}/modifier`)
        .type('form')
        .send({ _csrf: firstToken, ...body }),
      secondAgent
        .post(`${BASE}/${first.id}/modifier`)
        .type('form')
        .send({ _csrf: secondToken, ...body }),
    ]);
    // One wins; the other is refused: either its author is no longer an administrator when the
    // request is read (403), or the count inside the transaction finds no administrator left (422).
    const statuses = [a.status, b.status].sort();
    assert.equal(statuses[0], 303);
    assertIncludes([403, 422], statuses[1], String(statuses));
    const refused = a.status === 303 ? b : a;
    if (refused.status === 422) assertIncludes(textOf(refused.text), "Delta Habitat n'aurait plus d'administrateur actif");
    const admins = await t.db('hr_habilitations').where({ company_id: delta.companyId, role: 'admin', status: 'active' });
    assert.equal(admins.length, 1);
  });

  test('the last administrator cannot be suspended or removed (checked again inside the transaction)', async () => {
    const { applyAccessUpdates, LastAdministratorError } = await import('../../src/entreprise/habilitations/queries.js');
    const epsilon = await createHrCompany(t.db, 'Epsilon Gestion', 1);
    const only = await createHrUser(t.db, [{ company: epsilon, role: 'admin' }], { mobile: mobile() });
    for (const update of [
      { companyId: epsilon.companyId, role: 'user' as const, status: 'active' as const },
      { companyId: epsilon.companyId, role: 'admin' as const, status: 'suspended' as const },
      { companyId: epsilon.companyId, role: 'none' as const, status: null },
    ]) {
      await assert.rejects(applyAccessUpdates(t.db, only.id, [update], only.id, t.clock()), LastAdministratorError);
    }
    const [hab] = await habilitationsOf(only.id);
    assert.equal(hab.role, 'admin');
    assert.equal(hab.status, 'active');
  });
});

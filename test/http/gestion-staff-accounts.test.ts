// « Comptes » of the Espace Gestion (src/gestion/staff/): superviseurs only; the invitation of a
// staff member end to end (email link → password → 2FA → home); change of role, suspension,
// reactivation and deactivation with their effect on sessions and logins; never oneself, never the
// last active superviseur, also when two superviseurs act at the same moment. SQLite, and
// PostgreSQL with TEST_PG_URL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { csrfFrom, makeClock, makeTestApp, type TestContext } from '../helpers/app.js';
import { codeIn, createAccount, decoded, lastMessageTo, linkIn, loginAs, PASSWORD, textOf, tokenFrom } from '../helpers/fixtures.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';
import { onlyOnPostgres, until, waitingForLocks } from '../helpers/pg-locks.js';
import { STAFF_MESSAGES } from '../../src/domain/staff-accounts.js';

type Agent = ReturnType<typeof request.agent>;

const clock = makeClock();
let t: TestContext;
let supervisor: { id: number; email: string; agent: Agent };
let gestionnaire: { id: number; email: string; agent: Agent };
let mobileCounter = 0;

const NEW_PASSWORD = 'lanterne vélo prairie 2026 ocre';

function nextMobile(): string {
  mobileCounter += 1;
  return `+336399807${String(mobileCounter).padStart(2, '0')}`;
}

async function staffAccount(role: 'gestionnaire' | 'superviseur', firstName: string) {
  const account = await createAccount(t.db, {
    kind: 'staff',
    staffRole: role,
    mobile: nextMobile(),
    firstName,
    email: `${firstName.toLowerCase()}.${mobileCounter}@assureur.example`,
  });
  return { ...account, agent: await loginAs(t.app, t.db, 'gestion', account.email) };
}

async function post(agent: Agent, path: string, body: Record<string, string> = {}, from = '/gestion/accueil') {
  const token = await tokenFrom(agent, from);
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: token, ...body });
}

async function statusOf(id: number): Promise<{ status: string; staff_role: string }> {
  return t.db('accounts').where({ id }).first('status', 'staff_role');
}

async function lastAuditSentence(agent: Agent, event: string): Promise<string> {
  const html = (await agent.get('/gestion/audit').query({ evenement: event }).expect(200)).text;
  return textOf(html);
}

before(async () => {
  t = await makeTestApp({}, { clock });
  supervisor = await staffAccount('superviseur', 'Sophie');
  gestionnaire = await staffAccount('gestionnaire', 'Claire');
});
after(async () => t.close());

describe('who reaches « Comptes »', () => {
  test('a gestionnaire gets 403 on every page and every POST, and nothing changes; the menu hides « Administration »', async () => {
    const target = await createAccount(t.db, { kind: 'staff', mobile: nextMobile(), email: 'cible.403@assureur.example' });
    for (const path of [
      '/gestion/comptes',
      '/gestion/comptes/ajouter',
      `/gestion/comptes/${target.id}`,
      `/gestion/comptes/${target.id}/desactiver`,
      '/gestion/audit',
    ]) {
      assert.equal((await gestionnaire.agent.get(path)).status, 403, path);
      assert.equal((await gestionnaire.agent.get(path).set('HX-Request', 'true')).status, 403, `${path} (htmx)`);
    }
    const accountsBefore = await t.db('accounts').count({ n: '*' }).first();
    const posts: [string, Record<string, string>][] = [
      ['/gestion/comptes/ajouter', { last_name: 'Intrus', first_name: 'Ian', email: 'intrus@assureur.example', role: 'superviseur' }],
      [`/gestion/comptes/${target.id}/role`, { role: 'superviseur' }],
      [`/gestion/comptes/${target.id}/suspendre`, {}],
      [`/gestion/comptes/${target.id}/reactiver`, {}],
      [`/gestion/comptes/${target.id}/desactiver`, {}],
      [`/gestion/comptes/${target.id}/renvoyer-invitation`, {}],
      // Promoting oneself is refused too.
      [`/gestion/comptes/${gestionnaire.id}/role`, { role: 'superviseur' }],
    ];
    for (const [path, body] of posts) assert.equal((await post(gestionnaire.agent, path, body)).status, 403, path);
    assert.deepEqual(await t.db('accounts').count({ n: '*' }).first(), accountsBefore);
    assert.deepEqual(await statusOf(target.id), { status: 'active', staff_role: 'gestionnaire' });
    assert.deepEqual(await statusOf(gestionnaire.id), { status: 'active', staff_role: 'gestionnaire' });
    assert.equal(await t.db('accounts').where({ email: 'intrus@assureur.example' }).first(), undefined);

    const menu = (await gestionnaire.agent.get('/gestion/accueil').expect(200)).text;
    assertExcludes(menu, 'href="/gestion/administration"');
    assertExcludes(menu, 'href="/gestion/comptes"');
    assertExcludes(menu, 'href="/gestion/audit"');
    const supervisorMenu = (await supervisor.agent.get('/gestion/accueil').expect(200)).text;
    assertIncludes(supervisorMenu, '<a href="/gestion/administration">Administration</a>');
    const administration = (await supervisor.agent.get('/gestion/administration').expect(200)).text;
    assertIncludes(administration, '<a href="/gestion/comptes">Comptes</a>');
    assertIncludes(administration, 'href="/gestion/audit"');
  });

  test('members and HR users get 403, anonymous visitors go to the login; an unknown account is 404', async () => {
    const member = await loginAs(t.app, t.db, 'assure', (await createAccount(t.db, { kind: 'member', mobile: nextMobile() })).email);
    const hr = await loginAs(t.app, t.db, 'entreprise', (await createAccount(t.db, { kind: 'hr', mobile: nextMobile() })).email);
    for (const agent of [member, hr]) {
      assert.equal((await agent.get('/gestion/comptes')).status, 403);
      assert.equal((await agent.get(`/gestion/comptes/${supervisor.id}`)).status, 403);
    }
    const anonymous = await request(t.app).get('/gestion/comptes');
    assert.equal(anonymous.status, 303);
    assert.equal(anonymous.headers.location, '/gestion');
    assert.equal((await supervisor.agent.get('/gestion/comptes/999999')).status, 404);
    assert.equal((await supervisor.agent.get('/gestion/comptes/abc')).status, 404);
    // A member's or HR account id is not a staff account.
    const hrRow = await t.db('accounts').where({ kind: 'hr' }).first('id');
    assert.equal((await supervisor.agent.get(`/gestion/comptes/${hrRow.id}`)).status, 404);
    assert.equal((await post(supervisor.agent, `/gestion/comptes/${hrRow.id}/suspendre`)).status, 404);
  });

  test('the list shows name, email, role, status and last login; the superviseur is marked « vous »', async () => {
    const html = decoded((await supervisor.agent.get('/gestion/comptes').expect(200)).text);
    assertIncludes(html, 'Comptes du personnel');
    assertIncludes(html, 'Ajouter un membre du personnel');
    assertIncludes(html, supervisor.email);
    assertIncludes(html, gestionnaire.email);
    const text = textOf(html);
    assertIncludes(text, 'MARTIN Sophie vous');
    assertIncludes(text, 'Superviseur');
    assertIncludes(text, 'Gestionnaire');
    assertIncludes(text, 'Actif');
    assertIncludes(text, '22/11/2026');
  });
});

describe('« Ajouter un membre du personnel »', () => {
  test('wrong input: French messages beside the fields, what was typed kept, nothing created (page and htmx)', async () => {
    const res = await post(
      supervisor.agent,
      '/gestion/comptes/ajouter',
      { last_name: '', first_name: 'Léa', email: 'pas-une-adresse', mobile: '12', role: 'chef' },
      '/gestion/comptes/ajouter',
    );
    assert.equal(res.status, 422);
    const html = decoded(res.text);
    assertIncludes(html, 'Saisissez le nom.');
    assertIncludes(html, STAFF_MESSAGES.roleRequired);
    assertIncludes(html, 'value="Léa"');
    assertIncludes(html, 'value="pas-une-adresse"');
    assertIncludes(html, '<h1>Ajouter un membre du personnel</h1>');
    const token = await tokenFrom(supervisor.agent, '/gestion/comptes/ajouter');
    const fragment = await supervisor.agent
      .post('/gestion/comptes/ajouter')
      .set('HX-Request', 'true')
      .set('X-CSRF-Token', token)
      .type('form')
      .send({ last_name: 'Roux', first_name: '', email: 'lea.roux@assureur.example', role: 'gestionnaire' });
    assert.equal(fragment.status, 422);
    assertIncludes(fragment.text, 'id="staff-account-form"');
    assertExcludes(fragment.text, '<html');
    assertIncludes(decoded(fragment.text), 'Saisissez le prénom.');
    assert.equal(await t.db('accounts').where({ email: 'lea.roux@assureur.example' }).first(), undefined);
  });

  test('an address that already has a staff account is refused (active or deactivated)', async () => {
    const res = await post(
      supervisor.agent,
      '/gestion/comptes/ajouter',
      { last_name: 'Double', first_name: 'Dan', email: gestionnaire.email.toUpperCase(), role: 'gestionnaire' },
      '/gestion/comptes/ajouter',
    );
    assert.equal(res.status, 422);
    assertIncludes(decoded(res.text), STAFF_MESSAGES.emailTaken);
    assert.equal(
      await t
        .db('accounts')
        .where({ kind: 'staff', email: gestionnaire.email })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      1,
    );
  });

  test('the invitation end to end: email link → password (no default one) → 2FA → home; the link works once, and not after 7 days', async () => {
    const email = 'lea.roux@assureur.example';
    const added = await post(
      supervisor.agent,
      '/gestion/comptes/ajouter',
      { last_name: 'Roux', first_name: 'Léa', email, mobile: '06 12 34 07 99', role: 'gestionnaire' },
      '/gestion/comptes/ajouter',
    );
    assert.equal(added.status, 303);
    assert.equal(added.headers.location, '/gestion/comptes');
    const row = await t.db('accounts').where({ kind: 'staff', email }).first();
    assert.equal(row.status, 'pending');
    assert.equal(row.password_hash, null);
    assert.equal(row.staff_role, 'gestionnaire');
    assert.equal(row.mobile, '+33612340799');
    const list = textOf((await supervisor.agent.get('/gestion/comptes').expect(200)).text);
    assertIncludes(list, 'ROUX Léa');
    assertIncludes(list, 'Invitation envoyée');
    assertIncludes(list, 'Jamais');

    const mail = await lastMessageTo(t.db, email);
    assertIncludes(mail.subject, "Votre accès à l'Espace Gestion");
    assertIncludes(mail.body_text, 'valable 7 jours');
    const link = linkIn(mail.body_text);
    assert.match(link, /^\/gestion\/creer-mot-de-passe\/[A-Za-z0-9_-]{43}$/);

    // The account cannot log in before the password exists.
    const early = request.agent(t.app);
    const earlyToken = await tokenFrom(early, '/gestion');
    assert.equal((await early.post('/gestion/connexion').type('form').send({ _csrf: earlyToken, email, password: PASSWORD })).status, 422);

    const newcomer = request.agent(t.app);
    const page = await newcomer.get(link).expect(200);
    assertIncludes(decoded(page.text), "choisissez le mot de passe de votre accès à l'Espace Gestion");
    assertExcludes(page.text, 'name="cgu"');
    const weak = await newcomer
      .post(link)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), password: 'azerty', password_confirm: 'azerty' });
    assert.equal(weak.status, 422);
    const created = await newcomer
      .post(link)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    assert.equal(created.status, 303);
    assert.equal(created.headers.location, '/gestion');
    assert.equal((await statusOf(row.id)).status, 'active');
    // Once only.
    assert.equal((await newcomer.get(link)).status, 410);

    // First login: the 2FA by SMS, then the home of the Espace Gestion (no « Comptes » for a gestionnaire).
    const token = await tokenFrom(newcomer, '/gestion');
    const login = await newcomer.post('/gestion/connexion').type('form').send({ _csrf: token, email, password: NEW_PASSWORD });
    assert.equal(login.status, 303);
    assert.equal(login.headers.location, '/gestion/securite');
    await newcomer
      .post('/gestion/securite/envoyer')
      .type('form')
      .send({ _csrf: await tokenFrom(newcomer, '/gestion/securite') })
      .expect(303);
    const sms = await lastMessageTo(t.db, '+33612340799');
    const verified = await newcomer
      .post('/gestion/securite/verifier')
      .type('form')
      .send({ _csrf: await tokenFrom(newcomer, '/gestion/securite'), code: codeIn(sms.body_text) });
    assert.equal(verified.status, 303);
    assert.equal(verified.headers.location, '/gestion/accueil');
    const home = await newcomer.get('/gestion/accueil').expect(200);
    assertExcludes(home.text, 'href="/gestion/comptes"');

    // Audited with French sentences.
    const log = await lastAuditSentence(supervisor.agent, 'staff_invited');
    assertIncludes(log, 'Sophie Martin a créé le compte de Léa Roux (gestionnaire) et lui a envoyé une invitation.');
    assertIncludes(await lastAuditSentence(supervisor.agent, 'password_created'), 'Léa Roux a créé son mot de passe (invitation).');

    // A second invitation, never used, expires after 7 days.
    const late = 'tom.leroy@assureur.example';
    await post(
      supervisor.agent,
      '/gestion/comptes/ajouter',
      { last_name: 'Leroy', first_name: 'Tom', email: late, role: 'superviseur' },
      '/gestion/comptes/ajouter',
    ).then((r) => assert.equal(r.status, 303));
    const lateLink = linkIn((await lastMessageTo(t.db, late)).body_text);
    clock.advance(7 * 24 * 3600_000 + 60_000);
    assert.equal((await request(t.app).get(lateLink)).status, 410);
    // Sessions older than 12 hours end: log the superviseur in again.
    supervisor.agent = await loginAs(t.app, t.db, 'gestion', supervisor.email);
    gestionnaire.agent = await loginAs(t.app, t.db, 'gestion', gestionnaire.email);
    // « Renvoyer l'invitation »: a new link that works; the old one does not.
    const lateRow = await t.db('accounts').where({ kind: 'staff', email: late }).first();
    const resent = await post(supervisor.agent, `/gestion/comptes/${lateRow.id}/renvoyer-invitation`, {}, `/gestion/comptes/${lateRow.id}`);
    assert.equal(resent.status, 303);
    const freshLink = linkIn((await lastMessageTo(t.db, late)).body_text);
    assert.notEqual(freshLink, lateLink);
    assert.equal((await request(t.app).get(freshLink)).status, 200);
    // Deactivating the invitation kills its link.
    await post(supervisor.agent, `/gestion/comptes/${lateRow.id}/desactiver`, {}, `/gestion/comptes/${lateRow.id}/desactiver`).then((r) =>
      assert.equal(r.status, 303),
    );
    assert.equal((await request(t.app).get(freshLink)).status, 410);
    assert.equal((await statusOf(lateRow.id)).status, 'disabled');
  });
});

describe('role, suspension, reactivation, deactivation', () => {
  test('a new role applies at the next request: promoted, the gestionnaire opens « Comptes »; demoted, 403 again', async () => {
    const target = await staffAccount('gestionnaire', 'Paul');
    assert.equal((await target.agent.get('/gestion/comptes')).status, 403);
    const promoted = await post(supervisor.agent, `/gestion/comptes/${target.id}/role`, { role: 'superviseur' }, `/gestion/comptes/${target.id}`);
    assert.equal(promoted.status, 303);
    assert.equal(promoted.headers.location, `/gestion/comptes/${target.id}`);
    assert.equal((await target.agent.get('/gestion/comptes')).status, 200);
    assertIncludes(
      await lastAuditSentence(supervisor.agent, 'staff_role_changed'),
      'Sophie Martin a modifié le rôle de Paul Martin : gestionnaire → superviseur.',
    );
    // The same role again: a French refusal on the account's page.
    const same = await post(supervisor.agent, `/gestion/comptes/${target.id}/role`, { role: 'superviseur' }, `/gestion/comptes/${target.id}`);
    assert.equal(same.status, 422);
    assertIncludes(decoded(same.text), STAFF_MESSAGES.sameRole);
    const bad = await post(supervisor.agent, `/gestion/comptes/${target.id}/role`, { role: 'directeur' }, `/gestion/comptes/${target.id}`);
    assert.equal(bad.status, 422);
    assertIncludes(decoded(bad.text), STAFF_MESSAGES.roleRequired);
    await post(supervisor.agent, `/gestion/comptes/${target.id}/role`, { role: 'gestionnaire' }, `/gestion/comptes/${target.id}`).then((r) =>
      assert.equal(r.status, 303),
    );
    assert.equal((await target.agent.get('/gestion/comptes')).status, 403);
  });

  test('suspended: logged out at the next request, cannot log in; reactivated: logs in again', async () => {
    const target = await staffAccount('gestionnaire', 'Nina');
    await target.agent.get('/gestion/accueil').expect(200);
    const suspended = await post(supervisor.agent, `/gestion/comptes/${target.id}/suspendre`, {}, `/gestion/comptes/${target.id}`);
    assert.equal(suspended.status, 303);
    assert.equal((await statusOf(target.id)).status, 'suspended');
    const next = await target.agent.get('/gestion/accueil');
    assert.equal(next.status, 303);
    assert.equal(next.headers.location, '/gestion');
    assert.equal((await target.agent.get('/gestion/accueil')).status, 303, 'the session is gone');
    await assert.rejects(loginAs(t.app, t.db, 'gestion', target.email), /login failed: 422/);
    const page = textOf((await supervisor.agent.get(`/gestion/comptes/${target.id}`).expect(200)).text);
    assertIncludes(page, 'Suspendu');
    assertIncludes(page, 'Réactiver le compte');
    assertExcludes(page, 'Suspendre le compte');
    assertIncludes(
      await lastAuditSentence(supervisor.agent, 'staff_suspended'),
      'Sophie Martin a suspendu le compte de Nina Martin : ses sessions sont fermées.',
    );
    // Suspending twice is refused.
    const twice = await post(supervisor.agent, `/gestion/comptes/${target.id}/suspendre`, {}, `/gestion/comptes/${target.id}`);
    assert.equal(twice.status, 422);
    assertIncludes(decoded(twice.text), STAFF_MESSAGES.notAllowed('Suspendu'));

    await post(supervisor.agent, `/gestion/comptes/${target.id}/reactiver`, {}, `/gestion/comptes/${target.id}`).then((r) => assert.equal(r.status, 303));
    assert.equal((await statusOf(target.id)).status, 'active');
    // The refused login above counts as a failure: its short wait passes first.
    clock.advance(61_000);
    const back = await loginAs(t.app, t.db, 'gestion', target.email);
    await back.get('/gestion/accueil').expect(200);
    assertIncludes(await lastAuditSentence(supervisor.agent, 'staff_reactivated'), 'Sophie Martin a réactivé le compte de Nina Martin.');
  });

  test('deactivated: after a confirmation page, logged out, cannot log in, no action left, the address cannot be reused', async () => {
    const target = await staffAccount('superviseur', 'Marc');
    await target.agent.get('/gestion/comptes').expect(200);
    const confirm = await supervisor.agent.get(`/gestion/comptes/${target.id}/desactiver`).expect(200);
    assertIncludes(decoded(confirm.text), 'Cette action est définitive');
    const done = await supervisor.agent
      .post(`/gestion/comptes/${target.id}/desactiver`)
      .type('form')
      .send({ _csrf: csrfFrom(confirm.text) });
    assert.equal(done.status, 303);
    assert.equal((await statusOf(target.id)).status, 'disabled');
    assert.equal((await target.agent.get('/gestion/comptes')).status, 303);
    await assert.rejects(loginAs(t.app, t.db, 'gestion', target.email), /login failed: 422/);
    for (const action of ['reactiver', 'suspendre', 'desactiver']) {
      const res = await post(supervisor.agent, `/gestion/comptes/${target.id}/${action}`, {}, `/gestion/comptes/${target.id}`);
      assert.equal(res.status, 422, action);
    }
    assert.equal((await statusOf(target.id)).status, 'disabled');
    const page = textOf((await supervisor.agent.get(`/gestion/comptes/${target.id}`).expect(200)).text);
    assertIncludes(page, 'désactivé définitivement');
    assertExcludes(page, 'Réactiver le compte');
    const again = await post(
      supervisor.agent,
      '/gestion/comptes/ajouter',
      { last_name: 'Martin', first_name: 'Marc', email: target.email, role: 'gestionnaire' },
      '/gestion/comptes/ajouter',
    );
    assert.equal(again.status, 422);
    assertIncludes(decoded(again.text), STAFF_MESSAGES.emailTaken);
    assertIncludes(
      await lastAuditSentence(supervisor.agent, 'staff_deactivated'),
      'Sophie Martin a désactivé définitivement le compte de Marc Martin : ses sessions sont fermées.',
    );
  });

  test('a superviseur cannot suspend, deactivate or demote themselves', async () => {
    const own = textOf((await supervisor.agent.get(`/gestion/comptes/${supervisor.id}`).expect(200)).text);
    assertIncludes(own, 'Vous ne pouvez pas modifier votre propre compte');
    assertExcludes(own, 'Suspendre le compte');
    for (const [action, body] of [
      ['suspendre', {}],
      ['desactiver', {}],
      ['role', { role: 'gestionnaire' }],
    ] as const) {
      const res = await post(supervisor.agent, `/gestion/comptes/${supervisor.id}/${action}`, body, `/gestion/comptes/${supervisor.id}`);
      assert.equal(res.status, 422, action);
      assertIncludes(decoded(res.text), STAFF_MESSAGES.self);
    }
    assert.deepEqual(await statusOf(supervisor.id), { status: 'active', staff_role: 'superviseur' });
  });
});

describe('never without an active superviseur, also when two act at once', () => {
  const ROUNDS = 3;
  type Action = 'suspendre' | 'desactiver' | 'role';

  async function activeSupervisors(): Promise<number> {
    const [{ n }] = await t.db('accounts').where({ kind: 'staff', staff_role: 'superviseur', status: 'active' }).count({ n: '*' });
    return Number(n);
  }

  /** The only two active superviseurs: every other one suspended for the round. */
  async function pair() {
    await t.db('accounts').where({ kind: 'staff', staff_role: 'superviseur', status: 'active' }).update({ status: 'suspended' });
    const a = await staffAccount('superviseur', 'Alice');
    const b = await staffAccount('superviseur', 'Bruno');
    assert.equal(await activeSupervisors(), 2);
    return [a, b] as const;
  }

  async function prepared(actor: { agent: Agent }, targetId: number, action: Action) {
    const token = await tokenFrom(actor.agent, `/gestion/comptes/${targetId}`);
    const body = action === 'role' ? { _csrf: token, role: 'gestionnaire' } : { _csrf: token };
    return () => actor.agent.post(`/gestion/comptes/${targetId}/${action}`).type('form').send(body);
  }

  for (const action of ['suspendre', 'desactiver', 'role'] as const) {
    test(`the two superviseurs « ${action} » each other at the same moment: one of them stays`, async () => {
      for (let round = 0; round < ROUNDS; round += 1) {
        const [a, b] = await pair();
        const fromA = await prepared(a, b.id, action);
        const fromB = await prepared(b, a.id, action);
        const answers = await Promise.all([fromA(), fromB()]);
        const succeeded = answers.filter((r) => r.status === 303 && String(r.headers.location).startsWith('/gestion/comptes/')).length;
        assert.equal(succeeded, 1, `round ${round}: ${answers.map((r) => r.status).join(', ')}`);
        assert.equal(await activeSupervisors(), 1, `round ${round}`);
      }
    });
  }

  test('PostgreSQL: both requests wait at the lock, then one is refused', async (ctx) => {
    if (!onlyOnPostgres(ctx, t.db)) return;
    const [a, b] = await pair();
    const fromA = await prepared(a, b.id, 'suspendre');
    const fromB = await prepared(b, a.id, 'suspendre');
    let answers: Awaited<ReturnType<typeof fromA>>[] = [];
    await t.db.transaction(async (trx) => {
      await trx.raw("SELECT pg_advisory_xact_lock(hashtext('staff_accounts'))");
      const racing = Promise.all([fromA(), fromB()]);
      await until(async () => (await waitingForLocks(t.db)) >= 2, 'both requests waiting for the lock');
      // Released at the commit below; the answers are awaited after it.
      void racing.then((r) => {
        answers = r;
      });
    });
    await until(async () => answers.length === 2, 'both answers');
    const statuses = answers.map((r) => r.status).sort();
    assert.deepEqual(statuses, [303, 422]);
    assertIncludes(decoded(answers.find((r) => r.status === 422)!.text), STAFF_MESSAGES.actorNotSupervisor);
    assert.equal(await activeSupervisors(), 1);
  });
});

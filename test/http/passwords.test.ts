import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeClock, makeTestApp, type TestContext } from '../helpers/app.js';
import { PRODUCTION_LOG_N, setPasswordHashLogN } from '../../src/domain/passwords.js';
import { createAccount, createCompany, decoded, grantHr, lastMessageTo, linkIn, loginAs, PASSWORD, tokenFrom } from '../helpers/fixtures.js';
import { createOutbox } from '../../src/stores/outbox.js';
import { issuePasswordCreationLink } from '../../src/auth/password-links.js';
import type { AppContext } from '../../src/context.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';
import { fileStoreFor } from '../../src/storage/from-config.js';

const clock = makeClock();
let t: TestContext;
let ctx: AppContext;
before(async () => {
  t = await makeTestApp({ TRUST_PROXY: 'true' }, { clock });
  ctx = { config: t.config, db: t.db, clock, outbox: createOutbox(t.config, t.db, clock), files: fileStoreFor(t.config) };
});
after(async () => {
  await t.close();
});

type Agent = ReturnType<typeof request.agent>;

const NEW_PASSWORD = 'violon tartine nuage escalier';
const FORGOT_ANSWER =
  'Si un compte correspond à cette adresse, vous allez recevoir un e-mail contenant un lien valable 30 minutes pour choisir un nouveau mot de passe.';
/** Every secret the flows handle, to check none of them reaches the audit log. */
const secrets = new Set<string>([PASSWORD, NEW_PASSWORD]);

// Each test asks from its own address: the per-IP throttle of « Mot de passe oublié » is tested on its own.
let ipCounter = 0;
const freshIp = () => ({ 'X-Forwarded-For': `198.51.100.${++ipCounter}` });

const withoutCsrf = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, '').replace(/"X-CSRF-Token":"[^"]*"/g, '');

async function askReset(agent: Agent, door: string, email: string, headers: Record<string, string> = freshIp()) {
  const token = await tokenFrom(agent, `/${door}/mot-de-passe-oublie`);
  return agent.post(`/${door}/mot-de-passe-oublie`).set(headers).type('form').send({ _csrf: token, email });
}

/** Asks a reset link for the email and returns the link path read from the outbox. */
async function resetLink(door: string, email: string): Promise<string> {
  const res = await askReset(request.agent(t.app), door, email);
  assert.equal(res.status, 303);
  const message = await lastMessageTo(t.db, email);
  const path = linkIn(message.body_text);
  secrets.add(path.split('/').pop()!);
  return path;
}

async function submitPassword(agent: Agent, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const token = await tokenFrom(agent, path);
  return agent
    .post(path)
    .set(headers)
    .type('form')
    .send({ _csrf: token, ...fields });
}

async function postLogin(agent: Agent, door: string, email: string, password: string) {
  const token = await tokenFrom(agent, `/${door}`);
  return agent.post(`/${door}/connexion`).type('form').send({ _csrf: token, email, password });
}

describe('« Mot de passe oublié »', () => {
  test('the page asks for the email address', async () => {
    for (const door of ['assure', 'entreprise', 'gestion']) {
      const res = await request(t.app).get(`/${door}/mot-de-passe-oublie`).expect(200);
      assertIncludes(res.text, 'Adresse e-mail');
      assertIncludes(res.text, 'Recevoir un lien');
      assertIncludes(res.text, 'name="_csrf"');
    }
  });

  test('same answer for a known and an unknown email; only the known one gets a link', async () => {
    const { email } = await createAccount(t.db, { kind: 'member' });
    const knownAgent = request.agent(t.app);
    const unknownAgent = request.agent(t.app);
    const known = await askReset(knownAgent, 'assure', email);
    const unknown = await askReset(unknownAgent, 'assure', 'personne.inconnue@exemple.fr');
    assert.equal(known.status, 303);
    assert.equal(unknown.status, known.status);
    assert.equal(unknown.headers.location, known.headers.location);
    assert.equal(unknown.text, known.text);
    const knownPage = await knownAgent.get(known.headers.location);
    const unknownPage = await unknownAgent.get(unknown.headers.location);
    assert.equal(knownPage.status, unknownPage.status);
    assertIncludes(decoded(knownPage.text), FORGOT_ANSWER);
    assert.equal(withoutCsrf(knownPage.text), withoutCsrf(unknownPage.text));

    const message = await lastMessageTo(t.db, email);
    assert.ok(message, 'an email was sent to the known address');
    assertIncludes(message.body_text, `${t.config.publicUrl}/assure/reinitialiser/`, 'absolute link');
    assert.equal(await lastMessageTo(t.db, 'personne.inconnue@exemple.fr'), undefined);
    secrets.add(linkIn(message.body_text).split('/').pop()!);
  });

  test('same htmx answer for a known and an unknown email, and for an account of another door', async () => {
    const { email } = await createAccount(t.db, { kind: 'hr' });
    const answers = [];
    for (const [door, address] of [
      ['entreprise', email],
      ['entreprise', 'absent@exemple.fr'],
      ['assure', email],
    ]) {
      const agent = request.agent(t.app);
      const token = await tokenFrom(agent, `/${door}/mot-de-passe-oublie`);
      const res = await agent
        .post(`/${door}/mot-de-passe-oublie`)
        .set({ ...freshIp(), 'HX-Request': 'true' })
        .type('form')
        .send({ _csrf: token, email: address });
      answers.push({ status: res.status, redirect: res.headers['hx-redirect'], body: res.text });
    }
    assert.deepEqual(answers[1], { ...answers[0], redirect: '/entreprise' });
    assert.equal(answers[0].status, 204);
    assert.equal(answers[2].status, 204);
    const sent = await t.db('outbox').where({ recipient: email });
    assert.equal(sent.length, 1, 'only the Espace Entreprise request sends a link (the email is no member account)');
  });

  test('no link for an account that is not active', async () => {
    const { email } = await createAccount(t.db, { kind: 'hr', status: 'pending', password: null });
    const res = await askReset(request.agent(t.app), 'entreprise', email);
    assert.equal(res.status, 303);
    assert.equal(await lastMessageTo(t.db, email), undefined);
  });

  test('a wrong email comes back with a French message and the value kept', async () => {
    const res = await askReset(request.agent(t.app), 'assure', 'pas-une-adresse');
    assert.equal(res.status, 422);
    assertIncludes(decoded(res.text), "L'adresse e-mail n'est pas valide");
    assertIncludes(res.text, 'value="pas-une-adresse"');
    assertIncludes(res.text, 'class="error-summary"');
    const empty = await askReset(request.agent(t.app), 'assure', '', { ...freshIp(), 'HX-Request': 'true' });
    assert.equal(empty.status, 422);
    assertExcludes(empty.text, '<html', 'htmx gets the fragment');
    assertIncludes(empty.text, 'id="password-forgot-block"');
  });

  test('requests from one address are throttled so mailboxes cannot be flooded', async () => {
    const { email } = await createAccount(t.db, { kind: 'member' });
    const headers = { 'X-Forwarded-For': '192.0.2.200' };
    const agent = request.agent(t.app);
    for (let i = 0; i < 10; i += 1) assert.equal((await askReset(agent, 'assure', email, headers)).status, 303);
    const sentBefore = (await t.db('outbox').where({ recipient: email })).length;
    const blocked = await askReset(agent, 'assure', email, headers);
    assert.equal(blocked.status, 303, 'the 11th request is still answered (its delay starts now)');
    const again = await askReset(agent, 'assure', email, headers);
    assert.equal(again.status, 429);
    assertIncludes(decoded(again.text), 'Trop de tentatives');
    assert.ok(again.headers['retry-after']);
    // A quieter address is not slowed down, but the mailbox stays protected: no more emails.
    const other = await askReset(agent, 'assure', email);
    assert.equal(other.status, 303);
    const sentAfter = (await t.db('outbox').where({ recipient: email })).length;
    assert.equal(sentBefore, 10);
    // The 11th request was the last one let through; from the 12th on, nothing is sent.
    assert.equal(sentAfter, 11, 'after 11 requests in a row the mailbox gets no more links for a while');
  });

  test('requests sent together from one address: the same limits hold (11 answered and sent, the rest wait)', async () => {
    const { email } = await createAccount(t.db, { kind: 'member' });
    const headers = { 'X-Forwarded-For': '192.0.2.201' };
    const ready = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const agent = request.agent(t.app);
        return { agent, token: await tokenFrom(agent, '/assure/mot-de-passe-oublie') };
      }),
    );
    const responses = await Promise.all(
      ready.map(({ agent, token }) => agent.post('/assure/mot-de-passe-oublie').set(headers).type('form').send({ _csrf: token, email })),
    );
    const statuses = responses.map((res) => res.status);
    assert.deepEqual({ answered: statuses.filter((s) => s === 303).length, waiting: statuses.filter((s) => s === 429).length }, { answered: 11, waiting: 9 });
    assert.equal((await t.db('outbox').where({ recipient: email })).length, 11);
  });
});

describe('the reset link', () => {
  test('works once: new password set, old one refused, new one accepted', async () => {
    const { email } = await createAccount(t.db, { kind: 'member', firstName: 'Lucie' });
    const path = await resetLink('assure', email);
    const agent = request.agent(t.app);
    const page = await agent.get(path).expect(200);
    assertIncludes(page.text, 'Nouveau mot de passe');
    assertIncludes(page.text, 'Confirmez le mot de passe');
    assertIncludes(page.text, email);

    clock.advance(1000);
    const done = await submitPassword(agent, path, { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    assert.equal(done.status, 303);
    assert.equal(done.headers.location, '/assure');
    const login = await agent.get('/assure').expect(200);
    assertIncludes(decoded(login.text), 'Votre mot de passe a été modifié. Connectez-vous avec votre nouveau mot de passe.');
    // Not logged in by the reset.
    const home = await agent.get('/assure/accueil');
    assert.equal(home.status, 303);
    assert.equal(home.headers.location, '/assure');

    const used = await request(t.app).get(path);
    assert.equal(used.status, 410);
    assertIncludes(decoded(used.text), "Ce lien n'est plus valable");
    assertIncludes(used.text, 'href="/assure/mot-de-passe-oublie"');
    const replay = await request(t.app).post(path).type('form').send({ _csrf: 'x' });
    assert.equal(replay.status, 403, 'CSRF first');
    const replayAgent = request.agent(t.app);
    const replayToken = await tokenFrom(replayAgent, '/assure');
    const replayed = await replayAgent
      .post(path)
      .type('form')
      .send({ _csrf: replayToken, password: 'autre phrase secrète très longue', password_confirm: 'autre phrase secrète très longue' });
    assert.equal(replayed.status, 410, 'a used link cannot set a password again');

    assert.equal((await postLogin(request.agent(t.app), 'assure', email, PASSWORD)).status, 422, 'old password refused');
    await loginAs(t.app, t.db, 'assure', email, NEW_PASSWORD);
    const account = await t.db('accounts').where({ email }).first();
    assert.ok(account.password_hash.startsWith('scrypt$'));

    const notice = await lastMessageTo(t.db, email);
    assertIncludes(notice.subject, 'Votre mot de passe a été modifié');
    assertExcludes(notice.body_text, NEW_PASSWORD);
  });

  test('a link revoked while the new password is being hashed is not used after all', async () => {
    const { email } = await createAccount(t.db, { kind: 'member' });
    const first = await resetLink('assure', email);
    const agent = request.agent(t.app);
    const token = await tokenFrom(agent, first);
    // The new password takes a scrypt hash at the production work factor (tens of milliseconds at
    // least, where the tests' own takes a few); a newer link is asked meanwhile.
    setPasswordHashLogN(PRODUCTION_LOG_N);
    let res: request.Response;
    try {
      const submitted = agent.post(first).type('form').send({ _csrf: token, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
      const submittedDone = submitted.then((r) => r);
      await new Promise((resolve) => setTimeout(resolve, 15));
      clock.advance(1000);
      await resetLink('assure', email);
      res = await submittedDone;
    } finally {
      setPasswordHashLogN(t.config.passwordHashLogN);
    }
    assert.notEqual(res.status, 303, 'the revoked link did not change the password');
    assert.equal((await postLogin(request.agent(t.app), 'assure', email, NEW_PASSWORD)).status, 422);
  });

  test('a second request kills the first link', async () => {
    const { email } = await createAccount(t.db, { kind: 'hr' });
    const first = await resetLink('entreprise', email);
    clock.advance(1000);
    const second = await resetLink('entreprise', email);
    assert.notEqual(first, second);
    assert.equal((await request(t.app).get(first)).status, 410);
    assert.equal((await request(t.app).get(second)).status, 200);
  });

  test('expires after 30 minutes; unknown, expired and used links get the same page', async () => {
    const { email } = await createAccount(t.db, { kind: 'staff' });
    const path = await resetLink('gestion', email);
    clock.advance(29 * 60_000);
    assert.equal((await request(t.app).get(path)).status, 200);
    clock.advance(60_000 + 1000);
    const expired = await request(t.app).get(path);
    assert.equal(expired.status, 410);
    const unknown = await request(t.app).get('/gestion/reinitialiser/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const garbage = await request(t.app).get('/gestion/reinitialiser/%27%3Cscript%3E');
    assert.equal(unknown.status, 410);
    assert.equal(garbage.status, 410);
    assert.equal(unknown.text, expired.text);
    assert.equal(garbage.text, expired.text);
    // A link of one door does not work at another.
    const { email: memberEmail } = await createAccount(t.db, { kind: 'member' });
    const memberPath = await resetLink('assure', memberEmail);
    assert.equal((await request(t.app).get(memberPath.replace('/assure/', '/gestion/'))).status, 410);
  });

  test('weak or mismatched passwords get a French reason at the field', async () => {
    const { email } = await createAccount(t.db, { kind: 'member', firstName: 'Bérénice' });
    const path = await resetLink('assure', email);
    const agent = request.agent(t.app);
    const short = await submitPassword(agent, path, { password: 'court', password_confirm: 'court' });
    assert.equal(short.status, 422);
    assertIncludes(decoded(short.text), 'Le mot de passe doit comporter au moins 12 caractères');
    assertIncludes(short.text, 'id="password-error"');
    const common = await submitPassword(agent, path, { password: 'motdepasse123', password_confirm: 'motdepasse123' });
    assert.equal(common.status, 422);
    assertIncludes(decoded(common.text), 'trop facile à deviner');
    assertExcludes(common.text, 'motdepasse123', 'passwords never written back');
    const mismatch = await submitPassword(agent, path, { password: NEW_PASSWORD, password_confirm: `${NEW_PASSWORD}!` }, { 'HX-Request': 'true' });
    assert.equal(mismatch.status, 422);
    assertExcludes(mismatch.text, '<html');
    assertIncludes(mismatch.text, 'id="password-reset-block"');
    assertIncludes(mismatch.text, 'Les deux mots de passe saisis ne sont pas identiques.');
    // The link was not used by the failed attempts.
    assert.equal((await request(t.app).get(path)).status, 200);
  });

  test('an open session of the account is dead after the reset; a new browser still gets the 2FA', async () => {
    const { email } = await createAccount(t.db, { kind: 'member', mobile: '+33639980301' });
    const headers = { 'X-Forwarded-For': '203.0.113.60' };
    const session = await loginAs(t.app, t.db, 'assure', email, PASSWORD, headers);
    await session.get('/assure/mot-de-passe').set(headers).expect(200);
    clock.advance(1000);
    const path = await resetLink('assure', email);
    clock.advance(1000);
    const done = await submitPassword(request.agent(t.app), path, { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    assert.equal(done.status, 303);
    for (const path of ['/assure/mot-de-passe', '/assure/accueil']) {
      const dead = await session.get(path).set(headers);
      assert.equal(dead.status, 303, path);
      assert.equal(dead.headers.location, '/assure');
    }

    const fresh = await postLogin(request.agent(t.app), 'assure', email, NEW_PASSWORD);
    assert.equal(fresh.status, 303);
    assert.equal(fresh.headers.location, '/assure/securite', 'the reset does not bypass the double authentification');
  });
});

describe('« Modifier mon mot de passe »', () => {
  test('each door shows the form in its own layout', async () => {
    for (const [door, kind] of [
      ['assure', 'member'],
      ['entreprise', 'hr'],
      ['gestion', 'staff'],
    ] as const) {
      const { email } = await createAccount(t.db, { kind });
      const agent = await loginAs(t.app, t.db, door, email);
      const page = await agent.get(`/${door}/mot-de-passe`).expect(200);
      assertIncludes(page.text, `space-${door}`, 'private layout');
      for (const label of ['Mot de passe actuel', 'Nouveau mot de passe', 'Confirmez le nouveau mot de passe', 'Modifier mon mot de passe']) {
        assertIncludes(page.text, label, label);
      }
    }
    const anonymous = await request(t.app).get('/assure/mot-de-passe');
    assert.equal(anonymous.status, 303);
    assert.equal(anonymous.headers.location, '/assure');
  });

  test('wrong current password and weak new password refused; success ends the other sessions only', async () => {
    const { email } = await createAccount(t.db, { kind: 'hr', firstName: 'Amandine' });
    const company = await createCompany(t.db);
    const account = await t.db('accounts').where({ email }).first();
    await grantHr(t.db, account.id, company.companyId);
    const other = await loginAs(t.app, t.db, 'entreprise', email);
    clock.advance(61_000); // one SMS code a minute per account
    const agent = await loginAs(t.app, t.db, 'entreprise', email);
    clock.advance(1000);

    const wrong = await submitPassword(agent, '/entreprise/mot-de-passe', {
      current_password: 'pas le bon mot de passe',
      password: NEW_PASSWORD,
      password_confirm: NEW_PASSWORD,
    });
    assert.equal(wrong.status, 422);
    assertIncludes(wrong.text, 'Le mot de passe actuel est incorrect.');
    assertIncludes(wrong.text, 'id="current_password-error"');

    const weak = await submitPassword(agent, '/entreprise/mot-de-passe', {
      current_password: PASSWORD,
      password: 'amandine2024',
      password_confirm: 'amandine2024',
    });
    assert.equal(weak.status, 422);
    assert.ok(decoded(weak.text).includes('Le mot de passe doit comporter au moins 12 caractères') || decoded(weak.text).includes('trop facile à deviner'));
    assertExcludes(weak.text, 'amandine2024');

    const same = await submitPassword(
      agent,
      '/entreprise/mot-de-passe',
      { current_password: PASSWORD, password: PASSWORD, password_confirm: PASSWORD },
      { 'HX-Request': 'true' },
    );
    assert.equal(same.status, 422);
    assertExcludes(same.text, '<html');
    assertIncludes(same.text, 'id="password-change-block"');
    assertIncludes(decoded(same.text), 'différent de votre mot de passe actuel');

    const done = await submitPassword(agent, '/entreprise/mot-de-passe', {
      current_password: PASSWORD,
      password: NEW_PASSWORD,
      password_confirm: NEW_PASSWORD,
    });
    assert.equal(done.status, 303);
    assert.equal(done.headers.location, '/entreprise/accueil');
    assert.ok(
      ([] as string[]).concat(done.headers['set-cookie'] ?? []).some((c) => c.startsWith('portail.sid=')),
      'new session id',
    );
    const home = await agent.get('/entreprise/accueil').expect(200);
    assertIncludes(decoded(home.text), 'Votre mot de passe a été modifié.');
    await agent.get('/entreprise/mot-de-passe').expect(200);

    const ended = await other.get('/entreprise/accueil');
    assert.equal(ended.status, 303);
    assert.equal(ended.headers.location, '/entreprise');

    const notice = await lastMessageTo(t.db, email);
    assertIncludes(notice.subject, 'Votre mot de passe a été modifié');
    assert.ok(!notice.body_text.includes(NEW_PASSWORD) && !notice.body_text.includes(PASSWORD), 'no secret in the email');

    assert.equal((await postLogin(request.agent(t.app), 'entreprise', email, PASSWORD)).status, 422);
    clock.advance(61_000);
    await loginAs(t.app, t.db, 'entreprise', email, NEW_PASSWORD);
  });

  test('current passwords sent together: exactly 6 checked, then even the right one waits', async () => {
    const { email } = await createAccount(t.db, { kind: 'member' });
    const agent = await loginAs(t.app, t.db, 'assure', email);
    const token = await tokenFrom(agent, '/assure/mot-de-passe');
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        agent
          .post('/assure/mot-de-passe')
          .type('form')
          .send({ _csrf: token, current_password: 'essai au hasard', password: NEW_PASSWORD, password_confirm: NEW_PASSWORD }),
      ),
    );
    const statuses = responses.map((res) => res.status);
    assert.deepEqual({ checked: statuses.filter((s) => s === 422).length, waiting: statuses.filter((s) => s === 429).length }, { checked: 6, waiting: 14 });
    const right = await agent
      .post('/assure/mot-de-passe')
      .type('form')
      .send({ _csrf: token, current_password: PASSWORD, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    assert.equal(right.status, 429);
    clock.advance(16_000);
  });

  test('guessing the current password is throttled like the login', async () => {
    const { email } = await createAccount(t.db, { kind: 'member' });
    const agent = await loginAs(t.app, t.db, 'assure', email);
    const attempt = () =>
      submitPassword(agent, '/assure/mot-de-passe', { current_password: 'essai au hasard', password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    for (let i = 0; i < 6; i += 1) assert.equal((await attempt()).status, 422);
    const blocked = await attempt();
    assert.equal(blocked.status, 429);
    assertIncludes(decoded(blocked.text), 'Trop de tentatives');
    // Even the right password waits: the delay is not a hint.
    const right = await submitPassword(agent, '/assure/mot-de-passe', { current_password: PASSWORD, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    assert.equal(right.status, 429);
    clock.advance(16_000);
    const later = await submitPassword(agent, '/assure/mot-de-passe', { current_password: PASSWORD, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    assert.equal(later.status, 303);
  });
});

describe('password creation for invited HR users', () => {
  async function invite(email?: string) {
    const created = await createAccount(t.db, { kind: 'hr', status: 'pending', password: null, email, firstName: 'Hugo' });
    const company = await createCompany(t.db);
    await grantHr(t.db, created.id, company.companyId, 'user');
    return created;
  }

  async function creationLink(accountId: number, email: string) {
    await issuePasswordCreationLink(ctx, accountId, { firstName: 'Sophie', lastName: 'Bernard' });
    const message = await lastMessageTo(t.db, email);
    const path = linkIn(message.body_text);
    secrets.add(path.split('/').pop()!);
    return { message, path };
  }

  test('link → password created with the CGU → account active → can log in', async () => {
    const { id, email } = await invite();
    const { message, path } = await creationLink(id, email);
    assertIncludes(message.body_text, 'Sophie Bernard vous a invité(e)');
    assertIncludes(message.body_text, `${t.config.publicUrl}/entreprise/creer-mot-de-passe/`);
    assertIncludes(message.body_text, '7 jours');

    const agent = request.agent(t.app);
    const page = await agent.get(path).expect(200);
    assertIncludes(decoded(page.text), 'Créer mon mot de passe');
    assertIncludes(decoded(page.text), "J'accepte les conditions générales d'utilisation");
    assertIncludes(page.text, 'href="/cgu"');

    const noCgu = await submitPassword(agent, path, { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    assert.equal(noCgu.status, 422);
    assertIncludes(decoded(noCgu.text), "Vous devez accepter les conditions générales d'utilisation");
    const weak = await submitPassword(agent, path, { password: 'hugo', password_confirm: 'hugo', cgu: 'oui' });
    assert.equal(weak.status, 422);
    assertIncludes(decoded(weak.text), 'au moins 12 caractères');
    assertIncludes(weak.text, 'checked', 'the CGU box stays ticked');

    const done = await submitPassword(agent, path, { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD, cgu: 'oui' });
    assert.equal(done.status, 303);
    assert.equal(done.headers.location, '/entreprise');
    const login = await agent.get('/entreprise').expect(200);
    assertIncludes(decoded(login.text), 'Votre mot de passe est créé. Connectez-vous pour accéder à votre Espace Entreprise.');

    const account = await t.db('accounts').where({ id }).first();
    assert.equal(account.status, 'active');
    assert.ok(account.password_hash.startsWith('scrypt$'));
    assert.ok(account.cgu_accepted_at);
    assert.ok(account.activated_at);

    const again = await request(t.app).get(path);
    assert.equal(again.status, 410);
    assertIncludes(decoded(again.text), "Ce lien n'est plus valable");
    assert.ok(decoded(again.text).includes('demandez à votre administrateur') || decoded(again.text).includes('Demandez à votre administrateur'));

    await loginAs(t.app, t.db, 'entreprise', email, NEW_PASSWORD);
  });

  test('re-sending kills the first link; after 7 days the link is refused', async () => {
    const { id, email } = await invite();
    const first = await creationLink(id, email);
    clock.advance(1000);
    const second = await creationLink(id, email);
    assert.equal((await request(t.app).get(first.path)).status, 410);
    assert.equal((await request(t.app).get(second.path)).status, 200);
    clock.advance(7 * 24 * 3600_000 - 60_000);
    assert.equal((await request(t.app).get(second.path)).status, 200);
    clock.advance(2 * 60_000);
    const expired = await request(t.app).get(second.path);
    assert.equal(expired.status, 410);
    const agent = request.agent(t.app);
    const token = await tokenFrom(agent, '/entreprise');
    const late = await agent.post(second.path).type('form').send({ _csrf: token, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD, cgu: 'oui' });
    assert.equal(late.status, 410);
    assert.equal((await t.db('accounts').where({ id }).first()).status, 'pending');
  });

  test('a creation link is not a reset link, and stops working once the account is no longer pending', async () => {
    const { id, email } = await invite();
    const { path } = await creationLink(id, email);
    assert.equal((await request(t.app).get(path.replace('/creer-mot-de-passe/', '/reinitialiser/'))).status, 410);
    await t.db('accounts').where({ id }).update({ status: 'suspended' });
    assert.equal((await request(t.app).get(path)).status, 410);
  });
});

describe('CSRF and the audit log', () => {
  test('every POST without _csrf is refused with 403', async () => {
    const { email } = await createAccount(t.db, { kind: 'member' });
    const agent = await loginAs(t.app, t.db, 'assure', email);
    const paths = [
      '/assure/mot-de-passe-oublie',
      '/entreprise/mot-de-passe-oublie',
      '/gestion/mot-de-passe-oublie',
      '/assure/reinitialiser/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      '/assure/mot-de-passe',
      '/entreprise/creer-mot-de-passe/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ];
    for (const path of paths) {
      const res = await agent.post(path).type('form').send({ email, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD, current_password: PASSWORD });
      assert.equal(res.status, 403, path);
    }
    const account = await t.db('accounts').where({ email }).first();
    assert.equal(account.sessions_revoked_at, null, 'nothing changed');
  });

  test('the flows were audited, and no password or token appears in audit_log', async () => {
    const events = (await t.db('audit_log').distinct('event')).map((r: { event: string }) => r.event);
    for (const event of ['password_reset_requested', 'password_reset', 'password_changed', 'password_created', 'password_link_sent']) {
      assertIncludes(events, event, event);
    }
    const dump = JSON.stringify(await t.db('audit_log').select());
    assert.ok(secrets.size > 5);
    for (const secret of secrets) assertExcludes(dump, secret, 'a secret reached the audit log');
  });
});

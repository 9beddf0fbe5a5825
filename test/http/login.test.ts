import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeClock, makeTestApp, type TestContext } from '../helpers/app.js';
import { parsePhone } from '../../src/domain/phone.js';
import { throttleRules } from '../../src/domain/throttle.js';
import { recordFailure } from '../../src/stores/throttle.js';
import { codeIn, createAccount, createCompany, decoded, grantHr, lastMessageTo, loginAs, PASSWORD, tokenFrom } from '../helpers/fixtures.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';
import { ADMINISTRATION_PAGES, assureNav, entrepriseIcons, entrepriseNav, gestionNav } from '../../src/navigation.js';

const clock = makeClock();
let t: TestContext;
before(async () => {
  t = await makeTestApp({ TRUST_PROXY: 'true' }, { clock });
});
after(async () => {
  await t.close();
});

type Agent = ReturnType<typeof request.agent>;

function sessionCookie(res: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith('portail.sid='))?.split(';')[0];
}

async function postLogin(agent: Agent, door: string, email: string, password: string, headers: Record<string, string> = {}) {
  const token = await tokenFrom(agent, `/${door}`);
  return agent.post(`/${door}/connexion`).set(headers).type('form').send({ _csrf: token, email, password });
}

async function sendAndVerify(agent: Agent, door: string, mobile: string, headers: Record<string, string> = {}, extra: Record<string, string> = {}) {
  await agent
    .post(`/${door}/securite/envoyer`)
    .set(headers)
    .type('form')
    .send({ _csrf: await tokenFrom(agent, `/${door}/securite`) })
    .expect(303);
  const sms = await lastMessageTo(t.db, mobile);
  return agent
    .post(`/${door}/securite/verifier`)
    .set(headers)
    .type('form')
    .send({ _csrf: await tokenFrom(agent, `/${door}/securite`), code: codeIn(sms.body_text), ...extra });
}

describe('login and double authentification', () => {
  test('a new browser gets the security screen, then the space with the guide header', async () => {
    const { email } = await createAccount(t.db, { kind: 'member', firstName: 'Nicolas', mobile: '+33639980101' });
    const agent = request.agent(t.app);
    const res = await postLogin(agent, 'assure', email, PASSWORD);
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/assure/securite');
    const screen = await agent.get('/assure/securite').expect(200);
    assertIncludes(screen.text, 'Écran de sécurité');
    assertIncludes(screen.text, '06 •• •• •• 01', 'masked mobile to confirm');
    assertIncludes(screen.text, 'Envoyer le code');
    // Not logged in yet.
    await agent.get('/assure/accueil').expect(303);
    const verified = await sendAndVerify(agent, 'assure', '+33639980101');
    assert.equal(verified.status, 303);
    assert.equal(verified.headers.location, '/assure/accueil');
    const home = await agent.get('/assure/accueil').expect(200);
    assertIncludes(home.text, 'Vous êtes actuellement connecté en tant que <strong>NICOLAS</strong>');
    assertIncludes(home.text, 'Se déconnecter');
    assertIncludes(home.text, 'Bienvenue Nicolas');
  });

  test('one generic error for a wrong password and an unknown email, email kept', async () => {
    const { email } = await createAccount(t.db, { kind: 'member' });
    const wrong = await postLogin(request.agent(t.app), 'assure', email, 'mauvais mot de passe');
    const unknown = await postLogin(request.agent(t.app), 'assure', 'personne@exemple.fr', 'mauvais mot de passe');
    assert.equal(wrong.status, 422);
    assert.equal(unknown.status, 422);
    assertIncludes(wrong.text, 'Adresse e-mail ou mot de passe incorrect.');
    assertIncludes(unknown.text, 'Adresse e-mail ou mot de passe incorrect.');
    assertIncludes(wrong.text, `value="${email}"`);
    assertExcludes(wrong.text, 'mauvais mot de passe', 'password never sent back');
    const strip = (html: string) => html.replace(/value="[^"]*"/g, '');
    assert.equal(strip(wrong.text), strip(unknown.text));
  });

  test('htmx login error returns the form fragment with 422', async () => {
    const agent = request.agent(t.app);
    const token = await tokenFrom(agent, '/assure');
    const res = await agent.post('/assure/connexion').set('HX-Request', 'true').type('form').send({ _csrf: token, email: '', password: '' }).expect(422);
    assertExcludes(res.text, '<html');
    assertIncludes(res.text, 'id="login-form-block"');
    assertIncludes(res.text, 'Saisissez votre adresse e-mail.');
  });

  test('trigger 1: a trusted browser skips the 2FA; a new browser does not', async () => {
    const { email } = await createAccount(t.db, { kind: 'hr', mobile: '+33639980102' });
    const headers = { 'X-Forwarded-For': '203.0.113.10' };
    const agent = await loginAs(t.app, t.db, 'entreprise', email, PASSWORD, headers);
    await agent
      .post('/entreprise/deconnexion')
      .type('form')
      .send({ _csrf: await tokenFrom(agent, '/entreprise/accueil') })
      .expect(303);
    const again = await postLogin(agent, 'entreprise', email, PASSWORD, headers);
    assert.equal(again.headers.location, '/entreprise/accueil', 'same browser, same IP, recent login: no 2FA');
    const otherBrowser = await postLogin(request.agent(t.app), 'entreprise', email, PASSWORD, headers);
    assert.equal(otherBrowser.headers.location, '/entreprise/securite');
  });

  test('trusted browsers are revocable: after revocation the 2FA is asked again', async () => {
    const { id, email } = await createAccount(t.db, { kind: 'member', mobile: '+33639980120' });
    const headers = { 'X-Forwarded-For': '203.0.113.40' };
    const agent = await loginAs(t.app, t.db, 'assure', email, PASSWORD, headers);
    const trusted = await postLogin(agent, 'assure', email, PASSWORD, headers);
    assert.equal(trusted.headers.location, '/assure/accueil');
    const device = await t.db('trusted_devices').where({ account_id: id }).first();
    assert.match(device.token_hash, /^[0-9a-f]{64}$/, 'only a hash is stored');
    const { revokeTrustedBrowsers } = await import('../../src/auth/accounts.js');
    await revokeTrustedBrowsers(t.db, clock(), id);
    const again = await postLogin(agent, 'assure', email, PASSWORD, headers);
    assert.equal(again.headers.location, '/assure/securite');
  });

  test('trigger 2: another IP address asks for the 2FA (X-Forwarded-For behind TRUST_PROXY)', async () => {
    const { email } = await createAccount(t.db, { kind: 'member', mobile: '+33639980103' });
    const agent = await loginAs(t.app, t.db, 'assure', email, PASSWORD, { 'X-Forwarded-For': '203.0.113.20' });
    const res = await postLogin(agent, 'assure', email, PASSWORD, { 'X-Forwarded-For': '198.51.100.7' });
    assert.equal(res.headers.location, '/assure/securite');
  });

  test('trigger 3: a last login older than 3 months asks for the 2FA', async () => {
    const { email } = await createAccount(t.db, { kind: 'staff', mobile: '+33639980104' });
    const headers = { 'X-Forwarded-For': '203.0.113.30' };
    const agent = await loginAs(t.app, t.db, 'gestion', email, PASSWORD, headers);
    const soon = await postLogin(agent, 'gestion', email, PASSWORD, headers);
    assert.equal(soon.headers.location, '/gestion/accueil');
    const saved = clock.now;
    clock.advance(93 * 24 * 3600 * 1000);
    try {
      const later = await postLogin(agent, 'gestion', email, PASSWORD, headers);
      assert.equal(later.headers.location, '/gestion/securite');
    } finally {
      clock.set(saved);
    }
  });

  test('2FA code: wrong tries are counted, the 5th kills the code, expiry after 10 minutes', async () => {
    const { email } = await createAccount(t.db, { kind: 'member', mobile: '+33639980105' });
    const agent = request.agent(t.app);
    await postLogin(agent, 'assure', email, PASSWORD);
    await agent
      .post('/assure/securite/envoyer')
      .type('form')
      .send({ _csrf: await tokenFrom(agent, '/assure/securite') })
      .expect(303);
    const good = codeIn((await lastMessageTo(t.db, '+33639980105')).body_text);
    const bad = good === '000000' ? '111111' : '000000';
    const first = await agent
      .post('/assure/securite/verifier')
      .type('form')
      .send({ _csrf: await tokenFrom(agent, '/assure/securite'), code: bad })
      .expect(422);
    assertIncludes(first.text, 'Il vous reste 4 essais');
    for (let i = 0; i < 4; i++) {
      await agent
        .post('/assure/securite/verifier')
        .type('form')
        .send({ _csrf: await tokenFrom(agent, '/assure/securite'), code: bad });
    }
    const dead = await agent
      .post('/assure/securite/verifier')
      .type('form')
      .send({ _csrf: await tokenFrom(agent, '/assure/securite'), code: good })
      .expect(422);
    assertIncludes(decoded(dead.text), "n'est plus valable");

    // A new code (after the one-minute wait) expires after 10 minutes.
    clock.advance(61_000);
    await agent
      .post('/assure/securite/envoyer')
      .type('form')
      .send({ _csrf: await tokenFrom(agent, '/assure/securite') })
      .expect(303);
    const fresh = codeIn((await lastMessageTo(t.db, '+33639980105')).body_text);
    clock.advance(10 * 60_000 + 1000);
    const expired = await agent
      .post('/assure/securite/verifier')
      .type('form')
      .send({ _csrf: await tokenFrom(agent, '/assure/securite'), code: fresh });
    // The pending login itself lasts 15 minutes: still on the screen, with the expiry message.
    assert.equal(expired.status, 422);
    assertIncludes(expired.text, 'a expiré');
  });

  test('a code cannot be re-sent within a minute', async () => {
    const { email } = await createAccount(t.db, { kind: 'member', mobile: '+33639980106' });
    const agent = request.agent(t.app);
    await postLogin(agent, 'assure', email, PASSWORD);
    await agent
      .post('/assure/securite/envoyer')
      .type('form')
      .send({ _csrf: await tokenFrom(agent, '/assure/securite') })
      .expect(303);
    const again = await agent
      .post('/assure/securite/envoyer')
      .type('form')
      .send({ _csrf: await tokenFrom(agent, '/assure/securite') })
      .expect(429);
    assertIncludes(again.text, 'Vous pourrez en demander un nouveau dans');
  });

  test('changing the mobile on the security screen needs a code sent by email first', async () => {
    const { email } = await createAccount(t.db, { kind: 'member', mobile: '+33639980107' });
    const agent = request.agent(t.app);
    await postLogin(agent, 'assure', email, PASSWORD);
    const invalid = await agent
      .post('/assure/securite/numero')
      .type('form')
      .send({ _csrf: await tokenFrom(agent, '/assure/securite/numero'), mobile: '01 23 45 67 89' })
      .expect(422);
    assertIncludes(invalid.text, 'mobile');
    assertIncludes(invalid.text, 'value="01 23 45 67 89"');
    await agent
      .post('/assure/securite/numero')
      .type('form')
      .send({ _csrf: await tokenFrom(agent, '/assure/securite/numero'), mobile: '06 39 98 01 99' })
      .expect(303);
    const mail = await lastMessageTo(t.db, email);
    assertIncludes(mail.subject, 'nouveau numéro');
    assert.equal(await t.db('outbox').where({ channel: 'sms' }).where('recipient', 'like', '%39980199').first(), undefined, 'no SMS before the email code');
    await agent
      .post('/assure/securite/numero/verifier')
      .type('form')
      .send({ _csrf: await tokenFrom(agent, '/assure/securite'), code: codeIn(mail.body_text) })
      .expect(303);
    const newMobile = parsePhone('06 39 98 01 99')!;
    const sms = await lastMessageTo(t.db, newMobile);
    assert.ok(sms, 'SMS code sent to the new number');
    await agent
      .post('/assure/securite/verifier')
      .type('form')
      .send({ _csrf: await tokenFrom(agent, '/assure/securite'), code: codeIn(sms.body_text) })
      .expect(303);
    const account = await t.db('accounts').where({ email }).first();
    assert.equal(account.mobile, newMobile);
    assert.ok(await t.db('audit_log').where({ account_id: account.id, event: 'phone_changed' }).first());
  });
});

describe('throttling', () => {
  test('growing delay per account after 5 failures, never a permanent lock', async () => {
    const { email } = await createAccount(t.db, { kind: 'member', mobile: '+33639980108' });
    for (let i = 0; i < 5; i++) {
      const res = await postLogin(request.agent(t.app), 'assure', email, 'pas le bon mot de passe', { 'X-Forwarded-For': `192.0.2.${i + 1}` });
      assert.equal(res.status, 422);
    }
    const sixth = await postLogin(request.agent(t.app), 'assure', email, 'pas le bon mot de passe', { 'X-Forwarded-For': '192.0.2.50' });
    assert.equal(sixth.status, 422, 'the 6th failure is still checked, then sets the delay');
    const blocked = await postLogin(request.agent(t.app), 'assure', email, PASSWORD, { 'X-Forwarded-For': '192.0.2.51' });
    assert.equal(blocked.status, 429, 'even the right password waits');
    assertIncludes(blocked.text, 'Trop de tentatives');
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    clock.advance(16_000);
    const later = await postLogin(request.agent(t.app), 'assure', email, PASSWORD, { 'X-Forwarded-For': '192.0.2.52' });
    assert.equal(later.status, 303, 'allowed again after the delay');
  });

  test('per-IP throttling across many accounts', async () => {
    const ip = { 'X-Forwarded-For': '192.0.2.200' };
    for (let i = 0; i < 21; i++) {
      await postLogin(request.agent(t.app), 'assure', `inconnu${i}@exemple.fr`, 'nimportequoi', ip);
    }
    const res = await postLogin(request.agent(t.app), 'assure', 'encore@exemple.fr', 'nimportequoi', ip);
    assert.equal(res.status, 429);
    clock.advance(60_000);
  });
});

/** Browsers with their CSRF token, ready to post together. */
async function readyBrowsers(count: number, door: string) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const agent = request.agent(t.app);
      return { agent, token: await tokenFrom(agent, `/${door}`) };
    }),
  );
}

function statusCounts(responses: request.Response[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const res of responses) counts[res.status] = (counts[res.status] ?? 0) + 1;
  return counts;
}

describe('throttling under concurrency', () => {
  test('wrong passwords sent together: exactly the free allowance plus one are checked, then even the right password waits', async () => {
    const { email } = await createAccount(t.db, { kind: 'member', mobile: '+33639980120' });
    const browsers = await readyBrowsers(30, 'assure');
    // Each from its own address: only the per-account counter is at stake.
    const responses = await Promise.all(
      browsers.map(({ agent, token }, i) =>
        agent
          .post('/assure/connexion')
          .set('X-Forwarded-For', `198.18.0.${i + 1}`)
          .type('form')
          .send({ _csrf: token, email, password: 'pas le bon mot de passe' }),
      ),
    );
    assert.deepEqual(statusCounts(responses), { 422: 6, 429: 24 }, '5 free failures, the 6th checked then sets the delay, the rest wait (no 500)');
    assert.equal(
      await t
        .db('audit_log')
        .where({ event: 'login_failed' })
        .whereIn(
          'ip',
          browsers.map((_, i) => `198.18.0.${i + 1}`),
        )
        .count({ n: '*' })
        .first()
        .then((r) => Number(r!.n)),
      6,
    );
    const right = await postLogin(request.agent(t.app), 'assure', email, PASSWORD, { 'X-Forwarded-For': '198.18.1.1' });
    assert.equal(right.status, 429, 'the right password after the limit waits like the others');
    clock.advance(16_000);
    const later = await postLogin(request.agent(t.app), 'assure', email, PASSWORD, { 'X-Forwarded-For': '198.18.1.2' });
    assert.equal(later.status, 303, 'allowed again after the delay');
  });

  test('logins sent together from one address: exactly 21 checked, then the address waits', async () => {
    const browsers = await readyBrowsers(30, 'assure');
    const responses = await Promise.all(
      browsers.map(({ agent, token }, i) =>
        agent
          .post('/assure/connexion')
          .set('X-Forwarded-For', '198.18.2.1')
          .type('form')
          .send({ _csrf: token, email: `foule${i}@exemple.fr`, password: 'nimportequoi' }),
      ),
    );
    assert.deepEqual(statusCounts(responses), { 422: 21, 429: 9 });
    // The accounts of the refused attempts were not counted: each of them may still try.
    const refused = responses.map((res, i) => [res.status, i]).filter(([status]) => status === 429);
    for (const [, i] of refused)
      assert.equal(
        await t
          .db('throttle')
          .where({ key: `login:account:member:foule${i}@exemple.fr` })
          .first(),
        undefined,
      );
    clock.advance(60_000);
  });

  test('failures recorded together on a new key are all counted (no unique violation on the first ones)', async () => {
    const key = 'login:account:member:ensemble@exemple.fr';
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => recordFailure(t.db, key, throttleRules.loginAccount, clock())));
    assert.deepEqual(
      results.filter((r) => r.status === 'rejected'),
      [],
    );
    assert.equal(Number((await t.db('throttle').where({ key }).first()).failures), 20);
  });

  test('a right password gives its per-address attempt back: many members behind one address are not slowed', async () => {
    const ip = { 'X-Forwarded-For': '198.18.4.1' };
    for (let i = 0; i < 25; i++) {
      const { email } = await createAccount(t.db, { kind: 'member', mobile: '+33639980122' });
      const res = await postLogin(request.agent(t.app), 'assure', email, PASSWORD, ip);
      assert.equal(res.status, 303, `login ${i + 1}`);
    }
    assert.equal(Number((await t.db('throttle').where({ key: 'login:ip:198.18.4.1' }).first())?.failures ?? 0), 0);
  });

  test('2FA codes sent together: exactly 5 tries are counted, the right code afterwards is refused', async () => {
    const { email } = await createAccount(t.db, { kind: 'member', mobile: '+33639980123' });
    const agent = request.agent(t.app);
    assert.equal((await postLogin(agent, 'assure', email, PASSWORD)).headers.location, '/assure/securite');
    await agent
      .post('/assure/securite/envoyer')
      .type('form')
      .send({ _csrf: await tokenFrom(agent, '/assure/securite') })
      .expect(303);
    const good = codeIn((await lastMessageTo(t.db, '+33639980123')).body_text);
    const bad = good === '000000' ? '111111' : '000000';
    const token = await tokenFrom(agent, '/assure/securite');
    const responses = await Promise.all(
      Array.from({ length: 40 }, () => agent.post('/assure/securite/verifier').type('form').send({ _csrf: token, code: bad })),
    );
    assert.deepEqual(statusCounts(responses), { 422: 40 });
    const texts = responses.map((res) => decoded(res.text));
    assert.equal(texts.filter((text) => text.includes('Code incorrect')).length, 4, 'tries 1 to 4 say how many are left');
    assert.equal(texts.filter((text) => text.includes('Trop de codes erronés')).length, 36, 'the 5th try and every later one');
    const code = await t.db('one_time_codes').where({ purpose: 'login_2fa', destination: '+33639980123' }).orderBy('id', 'desc').first();
    assert.equal(Number(code.attempts), 5);
    const right = await agent.post('/assure/securite/verifier').type('form').send({ _csrf: token, code: good });
    assert.equal(right.status, 422);
    assertIncludes(decoded(right.text), "n'est plus valable");
    await agent.get('/assure/accueil').expect(303);
  });

  test('« Envoyer le code » clicked many times at once sends one SMS (once a minute)', async () => {
    const { email } = await createAccount(t.db, { kind: 'member', mobile: '+33639980125' });
    const agent = request.agent(t.app);
    await postLogin(agent, 'assure', email, PASSWORD);
    const token = await tokenFrom(agent, '/assure/securite');
    const responses = await Promise.all(Array.from({ length: 10 }, () => agent.post('/assure/securite/envoyer').type('form').send({ _csrf: token })));
    assert.ok(
      responses.every((res) => res.status === 303 || res.status === 429),
      JSON.stringify(statusCounts(responses)),
    );
    const sms = await t.db('outbox').where({ channel: 'sms', recipient: '+33639980125' }).count({ n: '*' }).first();
    assert.equal(Number(sms!.n), 1);
    const live = await t.db('one_time_codes').where({ purpose: 'login_2fa', destination: '+33639980125' }).whereNull('consumed_at').count({ n: '*' }).first();
    assert.equal(Number(live!.n), 1);
    // A minute later, the same again: the new code replaces the live one once.
    clock.advance(61_000);
    const again = await Promise.all(Array.from({ length: 10 }, () => agent.post('/assure/securite/envoyer').type('form').send({ _csrf: token })));
    assert.ok(
      again.every((res) => res.status === 303 || res.status === 429),
      JSON.stringify(statusCounts(again)),
    );
    const smsAfter = await t.db('outbox').where({ channel: 'sms', recipient: '+33639980125' }).count({ n: '*' }).first();
    assert.equal(Number(smsAfter!.n), 2);
  });

  test('the right 2FA code sent twice at once logs in once', async () => {
    const { email, id } = await createAccount(t.db, { kind: 'member', mobile: '+33639980124' });
    const agent = request.agent(t.app);
    await postLogin(agent, 'assure', email, PASSWORD);
    await agent
      .post('/assure/securite/envoyer')
      .type('form')
      .send({ _csrf: await tokenFrom(agent, '/assure/securite') })
      .expect(303);
    const good = codeIn((await lastMessageTo(t.db, '+33639980124')).body_text);
    const token = await tokenFrom(agent, '/assure/securite');
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => agent.post('/assure/securite/verifier').type('form').send({ _csrf: token, code: good })),
    );
    assert.equal(responses.filter((res) => res.status === 303).length, 1, 'one success');
    // The others: the code is used (422), or the session that carried the login is gone (403).
    assert.ok(
      responses.every((res) => [303, 403, 422].includes(res.status)),
      JSON.stringify(statusCounts(responses)),
    );
    assert.equal(
      await t
        .db('audit_log')
        .where({ account_id: id, event: 'two_factor_ok' })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r!.n)),
      1,
    );
  });
});

describe('sessions', () => {
  test('the session id changes at login and again at the 2FA (fixation)', async () => {
    const { email } = await createAccount(t.db, { kind: 'member', mobile: '+33639980109' });
    const agent = request.agent(t.app);
    const page = await agent.get('/assure');
    const before = sessionCookie(page);
    const token = (page.text.match(/name="_csrf" value="([^"]+)"/) ?? [])[1];
    const login = await agent.post('/assure/connexion').type('form').send({ _csrf: token, email, password: PASSWORD });
    const afterLogin = sessionCookie(login);
    assert.ok(before && afterLogin && before !== afterLogin, 'new id after the password');
    const verified = await sendAndVerify(agent, 'assure', '+33639980109');
    const afterTwoFactor = sessionCookie(verified);
    assert.ok(afterTwoFactor && afterTwoFactor !== afterLogin, 'new id after the 2FA');
    // The pre-login session id is worth nothing.
    await request(t.app).get('/assure/accueil').set('Cookie', before!).expect(303);
  });

  test('idle timeout of 30 minutes', async () => {
    const { email } = await createAccount(t.db, { kind: 'member', mobile: '+33639980110' });
    const agent = await loginAs(t.app, t.db, 'assure', email);
    clock.advance(29 * 60_000);
    await agent.get('/assure/accueil').expect(200);
    clock.advance(31 * 60_000);
    const res = await agent.get('/assure/accueil').expect(303);
    assert.equal(res.headers.location, '/assure');
    const login = await agent.get('/assure').expect(200);
    assertIncludes(decoded(login.text), "30 minutes d'inactivité");
  });

  test('an active session is written back at most every 30 seconds, not on every page', async () => {
    const { email } = await createAccount(t.db, { kind: 'member', mobile: '+33639980119' });
    const agent = await loginAs(t.app, t.db, 'assure', email);
    clock.advance(31_000);
    await agent.get('/assure/accueil').expect(200);
    const rows = async () =>
      (await t.db('sessions').select('sid', 'sess')).filter((r: { sess: unknown }) =>
        String(typeof r.sess === 'string' ? r.sess : JSON.stringify(r.sess)).includes('lastSeenAt'),
      );
    const snapshot = async () => new Map((await rows()).map((r: { sid: string; sess: unknown }) => [r.sid, JSON.stringify(r.sess)]));
    const before = await snapshot();
    clock.advance(10_000);
    await agent.get('/assure/accueil').expect(200);
    assert.deepEqual(await snapshot(), before, 'nothing written 10 s later');
    clock.advance(25_000);
    await agent.get('/assure/accueil').expect(200);
    const after = await snapshot();
    const changed = [...after].filter(([sid, sess]) => before.get(sid) !== sess);
    assert.equal(changed.length, 1, 'last seen moved 35 s later');
  });

  test('absolute timeout of 12 hours even when active', async () => {
    const { email } = await createAccount(t.db, { kind: 'member', mobile: '+33639980111' });
    const agent = await loginAs(t.app, t.db, 'assure', email);
    for (let i = 0; i < 24; i++) {
      clock.advance(29 * 60_000);
      await agent.get('/assure/accueil').expect(200);
    }
    clock.advance(29 * 60_000);
    await agent.get('/assure/accueil').expect(303);
  });

  test('logout destroys the session', async () => {
    const { email } = await createAccount(t.db, { kind: 'member', mobile: '+33639980112' });
    const agent = await loginAs(t.app, t.db, 'assure', email);
    const home = await agent.get('/assure/accueil').expect(200);
    const cookie = sessionCookie(home) ?? '';
    await agent
      .post('/assure/deconnexion')
      .type('form')
      .send({ _csrf: (home.text.match(/name="_csrf" value="([^"]+)"/) ?? [])[1] })
      .expect(303);
    await agent.get('/assure/accueil').expect(303);
    if (cookie) await request(t.app).get('/assure/accueil').set('Cookie', cookie).expect(303);
  });

  test('disabling an account ends all its sessions', async () => {
    const { id, email } = await createAccount(t.db, { kind: 'hr', mobile: '+33639980113' });
    const first = await loginAs(t.app, t.db, 'entreprise', email);
    clock.advance(61_000); // one SMS code a minute per account
    const second = await loginAs(t.app, t.db, 'entreprise', email);
    await first.get('/entreprise/accueil').expect(200);
    const { disableAccountAndEndSessions } = await import('../../src/auth/accounts.js');
    clock.advance(1000);
    await disableAccountAndEndSessions(t.db, clock(), id);
    await first.get('/entreprise/accueil').expect(303);
    await second.get('/entreprise/accueil').expect(303);
    const events = (await t.db('audit_log').where({ account_id: id }).select('event')).map((r: { event: string }) => r.event);
    assert.ok(events.includes('account_disabled') && events.includes('session_ended_by_disable'));
  });
});

describe('cross-door isolation', () => {
  test('a member session never opens HR or staff pages, and the reverse', async () => {
    const member = await loginAs(t.app, t.db, 'assure', (await createAccount(t.db, { kind: 'member', mobile: '+33639980114' })).email);
    await member.get('/assure/accueil').expect(200);
    await member.get('/entreprise/accueil').expect(403);
    await member.get('/gestion/accueil').expect(403);
    await member.get('/gestion/audit').expect(403);
    const hr = await loginAs(t.app, t.db, 'entreprise', (await createAccount(t.db, { kind: 'hr', mobile: '+33639980115' })).email);
    await hr.get('/assure/accueil').expect(403);
    await hr.get('/gestion/accueil').expect(403);
    const staff = await loginAs(t.app, t.db, 'gestion', (await createAccount(t.db, { kind: 'staff', mobile: '+33639980116' })).email);
    await staff.get('/assure/accueil').expect(403);
    await staff.get('/entreprise/accueil').expect(403);
  });

  test('an account of one kind cannot log in at another door', async () => {
    const { email } = await createAccount(t.db, { kind: 'member', mobile: '+33639980117' });
    const res = await postLogin(request.agent(t.app), 'gestion', email, PASSWORD);
    assert.equal(res.status, 422);
  });

  test('anonymous visitors are sent to the login page of the door', async () => {
    for (const door of ['assure', 'entreprise', 'gestion']) {
      const res = await request(t.app).get(`/${door}/accueil`).expect(303);
      assert.equal(res.headers.location, `/${door}`);
    }
  });

  test('every entry of every menu opens a page of its own, never « bientôt disponible »', async () => {
    const spaces = [
      { door: 'assure', nav: [...assureNav], account: { kind: 'member', mobile: '+33639980118' } },
      { door: 'entreprise', nav: [...entrepriseNav, ...entrepriseIcons], account: { kind: 'hr', mobile: '+33639980121' } },
      { door: 'gestion', nav: [...gestionNav, ...ADMINISTRATION_PAGES], account: { kind: 'staff', staffRole: 'superviseur', mobile: '+33639980122' } },
    ] as const;
    for (const { door, nav, account } of spaces) {
      const created = await createAccount(t.db, { ...account, hrCompany: false });
      // The HR user administers a company, so that « Mes habilitations » (administrators only) is theirs too.
      if (door === 'entreprise') await grantHr(t.db, created.id, (await createCompany(t.db, 'Société des menus')).companyId, 'admin');
      const agent = await loginAs(t.app, t.db, door, created.email);
      for (const { href } of nav) {
        const res = await agent.get(href);
        assert.equal(res.status, 200, `${href}: ${res.status}`);
        assertExcludes(res.text, 'bientôt disponible', href);
      }
    }
  });
});

describe('CSRF on every authentication POST', () => {
  test('each POST without a token is refused and changes nothing', async () => {
    const { email } = await createAccount(t.db, { kind: 'member', mobile: '+33639980119' });
    const agent = request.agent(t.app);
    await postLogin(agent, 'assure', email, PASSWORD);
    const before = await t.db('outbox').count({ n: '*' }).first();
    for (const path of [
      '/assure/connexion',
      '/assure/securite/envoyer',
      '/assure/securite/verifier',
      '/assure/securite/numero',
      '/assure/securite/numero/verifier',
      '/assure/securite/annuler',
      '/assure/deconnexion',
    ]) {
      await agent.post(path).type('form').send({ email, password: PASSWORD, code: '123456', mobile: '0639980120' }).expect(403);
    }
    const afterCount = await t.db('outbox').count({ n: '*' }).first();
    assert.deepEqual(afterCount, before);
    // Still pending, not logged in.
    await agent.get('/assure/accueil').expect(303);
  });
});

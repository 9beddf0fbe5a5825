import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeClock, makeTestApp, type TestContext } from '../helpers/app.js';
import { codeIn, createAccount, createMember, decoded, ipBrowser, lastMessageTo, loginAs } from '../helpers/fixtures.js';
import { MEMBER_ACTIVATION_SUCCESS } from '../../src/auth/activation-member.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const NEW_PASSWORD = 'girafe parapluie tonnerre violon';
const clock = makeClock();
let t: TestContext;
before(async () => {
  // Behind a proxy, each test speaks from its own IP address: the per-IP throttling of wrong
  // codes would otherwise carry over from one test to the next.
  t = await makeTestApp({ TRUST_PROXY: 'true' }, { clock });
});
after(async () => {
  await t.close();
});

let ipCounter = 10;

function browser() {
  return ipBrowser(t.app, '/assure/activation', `203.0.113.${ipCounter++}`);
}
type Browser = Awaited<ReturnType<typeof browser>>;

async function startWith(b: Browser, email: string) {
  const res = await b.post('/assure/activation', { email });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, '/assure/activation/code');
}

async function sendCode(b: Browser, channel: 'email' | 'sms') {
  const res = await b.post('/assure/activation/envoyer', { channel });
  assert.equal(res.status, 303, res.text);
  assert.equal(res.headers.location, '/assure/activation/code');
}

async function verify(b: Browser, code: string) {
  return b.post('/assure/activation/code', { code });
}

async function countAccounts(where: Record<string, unknown> = {}) {
  const row = await t.db('accounts').where(where).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

describe('member activation (« Activer mon espace »)', () => {
  test('step 1 page: the guide wording, an accessible email field, plain form with CSRF and htmx', async () => {
    const b = await browser();
    const res = await b.get('/assure/activation').expect(200);
    const html = decoded(res.text);
    assertIncludes(html, 'Activer mon espace');
    assertIncludes(html, "Saisissez l'adresse email que vous nous avez communiquée lors de votre affiliation");
    assertIncludes(html, '<label for="email">Adresse e-mail');
    assertIncludes(html, 'autocomplete="email"');
    assertIncludes(html, 'aria-describedby="email-hint"');
    assertIncludes(html, '>Continuer</button>');
    assertIncludes(html, 'method="post" action="/assure/activation"');
    assertIncludes(html, 'hx-post="/assure/activation"');
    assertIncludes(html, 'name="_csrf"');
    assert.match(html, /<ol class="stepper"[^>]*>[\s\S]*aria-current="step"><span class="visually-hidden">Étape en cours : <\/span>Adresse e-mail/);
    assertIncludes(html, 'door-assure', 'public layout of the member door');
  });

  test('full activation by email: account created, success message on the login page, login works', async () => {
    const { memberId, email } = await createMember(t.db, { firstName: 'Léa', lastName: 'Fontaine', mobile: '+33639980042' });
    const b = await browser();
    await startWith(b, email!.toUpperCase());
    const page = await b.get('/assure/activation/code').expect(200);
    const html = decoded(page.text);
    assertIncludes(html, "Obtenez votre code d'activation en choisissant le mode de réception");
    assert.match(html, /<fieldset[^>]*>\s*<legend>Mode de réception du code<\/legend>/);
    assertIncludes(html, '<label for="channel">Par e-mail</label>');
    assertIncludes(html, '<label for="channel-sms">Par SMS au 06 •• •• •• 42</label>');
    assertIncludes(html, '>Envoyer le code</button>');

    await sendCode(b, 'email');
    const sent = decoded((await b.get('/assure/activation/code').expect(200)).text);
    assertIncludes(sent, `Un code d'activation vient d'être envoyé à l'adresse ${email}. Il est valable 10 minutes.`);
    assertIncludes(sent, '<label for="code">Code d\'activation');
    assertIncludes(sent, 'autocomplete="one-time-code"');
    assertIncludes(sent, '>Valider</button>');
    assertIncludes(sent, '>Renvoyer un code</button>');

    const mail = await lastMessageTo(t.db, email!);
    assert.equal(mail.channel, 'email');
    assert.match(mail.subject, /Votre code d'activation/);
    const code = codeIn(mail.body_text);
    const verified = await verify(b, code);
    assert.equal(verified.status, 303);
    assert.equal(verified.headers.location, '/assure/activation/mot-de-passe');

    const pwPage = decoded((await b.get('/assure/activation/mot-de-passe').expect(200)).text);
    assertIncludes(pwPage, 'Choisissez un mot de passe sécurisé');
    assertIncludes(pwPage, '<label for="password">Mot de passe');
    assertIncludes(pwPage, '<label for="password_confirmation">Confirmez le mot de passe');
    assertIncludes(pwPage, 'autocomplete="new-password"');

    const done = await b.post('/assure/activation/mot-de-passe', { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD });
    assert.equal(done.status, 303);
    assert.equal(done.headers.location, '/assure');
    const login = decoded((await b.get('/assure').expect(200)).text);
    assertIncludes(login, MEMBER_ACTIVATION_SUCCESS);
    assert.ok(MEMBER_ACTIVATION_SUCCESS === 'Votre espace est activé. Connectez-vous avec le mot de passe que vous venez de choisir.');

    const account = await t.db('accounts').where({ kind: 'member', email }).first();
    assert.ok(account);
    assert.equal(account.member_id, memberId);
    assert.equal(account.status, 'active');
    assert.equal(account.first_name, 'Léa');
    assert.equal(account.last_name, 'Fontaine');
    assert.equal(account.mobile, '+33639980042');
    assert.equal(account.activated_at, clock.now.toISOString());
    assert.match(account.password_hash, /^scrypt\$/);
    const audit = await t.db('audit_log').where({ event: 'activation', account_id: account.id }).first();
    assert.ok(audit, 'activation audited');

    // The activation state is gone: the password step cannot be replayed.
    await b.get('/assure/activation/mot-de-passe').expect(303);
    const agent = await loginAs(t.app, t.db, 'assure', email!, NEW_PASSWORD);
    // Logged in: the login page now sends to the space.
    const again = await agent.get('/assure');
    assert.equal(again.status, 303);
    assert.equal(again.headers.location, '/assure/accueil');
    assert.ok(await t.db('audit_log').where({ event: 'login_ok', account_id: account.id }).first());
  });

  test('the code by SMS to the mobile on file works too', async () => {
    const { email } = await createMember(t.db, { mobile: '+33745678913' });
    const b = await browser();
    await startWith(b, email!);
    const page = decoded((await b.get('/assure/activation/code').expect(200)).text);
    assertIncludes(page, 'Par SMS au 07 •• •• •• 13');
    await sendCode(b, 'sms');
    const sent = decoded((await b.get('/assure/activation/code').expect(200)).text);
    assertIncludes(sent, "Un code d'activation vient d'être envoyé par SMS au 07 •• •• •• 13. Il est valable 10 minutes.");
    const sms = await lastMessageTo(t.db, '+33745678913');
    assert.equal(sms.channel, 'sms');
    const verified = await verify(b, codeIn(sms.body_text));
    assert.equal(verified.status, 303);
    const done = await b.post('/assure/activation/mot-de-passe', { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD });
    assert.equal(done.headers.location, '/assure');
    assert.equal(await countAccounts({ kind: 'member', email }), 1);
  });

  test('a member without a mobile who picks SMS gets the code by email, the page says the same as for everyone', async () => {
    const { email } = await createMember(t.db, { mobile: null });
    const b = await browser();
    await startWith(b, email!);
    const page = decoded((await b.get('/assure/activation/code').expect(200)).text);
    assert.match(page, /Par SMS au 0[67] •• •• •• \d\d/);
    await sendCode(b, 'sms');
    const mail = await lastMessageTo(t.db, email!);
    assertIncludes(mail.body_text, "Aucun numéro de téléphone mobile n'est enregistré");
    assert.equal((await verify(b, codeIn(mail.body_text))).status, 303);
  });

  test('no account enumeration: unknown email, member with an account and member without one look the same', async () => {
    const unknownEmail = 'personne.inconnue@exemple.fr';
    const withAccount = await createMember(t.db, { mobile: '+33639980077' });
    await createAccount(t.db, { kind: 'member', email: withAccount.email!, memberId: withAccount.memberId });
    const withoutAccount = await createMember(t.db, { mobile: '+33639980088' });
    const cases = [
      { email: unknownEmail, b: await browser() },
      { email: withAccount.email!, b: await browser() },
      { email: withoutAccount.email!, b: await browser() },
    ];
    const normalize = (html: string, email: string) =>
      decoded(html)
        .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""')
        .replace(/0[67] •• •• •• \d\d/g, 'XX •• •• •• XX')
        .replaceAll(email, 'EMAIL');
    const outboxBefore = await t.db('outbox').count({ n: '*' }).first();

    // Step 1 answer and the code page.
    const starts = await Promise.all(cases.map((c) => c.b.post('/assure/activation', { email: c.email })));
    assert.deepEqual(
      starts.map((r) => [r.status, r.headers.location]),
      Array(3).fill([303, '/assure/activation/code']),
    );
    const pages = await Promise.all(cases.map((c) => c.b.get('/assure/activation/code')));
    assert.deepEqual(
      pages.map((r) => r.status),
      [200, 200, 200],
    );
    const [p0, p1, p2] = pages.map((r, i) => normalize(r.text, cases[i].email));
    assert.equal(p0, p1);
    assert.equal(p1, p2);

    // The same masked digits every time for the same unknown email.
    const again = await browser();
    await startWith(again, unknownEmail);
    const masked = (html: string) => decoded(html).match(/Par SMS au (0[67] •• •• •• \d\d)/)![1];
    assert.equal(masked((await again.get('/assure/activation/code')).text), masked(pages[0].text));

    // « Envoyer le code »: same answer, same page.
    const sends = await Promise.all(cases.map((c) => c.b.post('/assure/activation/envoyer', { channel: 'email' })));
    assert.deepEqual(
      sends.map((r) => [r.status, r.headers.location]),
      Array(3).fill([303, '/assure/activation/code']),
    );
    const sentPages = await Promise.all(cases.map((c) => c.b.get('/assure/activation/code')));
    const [s0, s1, s2] = sentPages.map((r, i) => normalize(r.text, cases[i].email));
    assert.equal(s0, s1);
    assert.equal(s1, s2);
    assertIncludes(s0, "Un code d'activation vient d'être envoyé à l'adresse EMAIL.");

    // What left the system: nothing for the unknown email, a reminder without code for the
    // active account, a code for the member who may activate.
    assert.equal(await lastMessageTo(t.db, unknownEmail), undefined);
    const reminder = await lastMessageTo(t.db, withAccount.email!);
    assert.match(reminder.subject, /déjà activé/);
    assertIncludes(reminder.body_text, '« Mot de passe oublié ? »');
    assertExcludes(reminder.body_text, 'Votre code');
    const real = await lastMessageTo(t.db, withoutAccount.email!);
    assert.ok(codeIn(real.body_text));
    const outboxAfter = await t.db('outbox').count({ n: '*' }).first();
    assert.equal(Number(outboxAfter!.n) - Number(outboxBefore!.n), 2);

    // A wrong code: same status, same message, same tries left.
    const wrongCode = codeIn(real.body_text) === '000000' ? '111111' : '000000';
    const wrongs = await Promise.all(cases.map((c) => verify(c.b, wrongCode)));
    assert.deepEqual(
      wrongs.map((r) => r.status),
      [422, 422, 422],
    );
    const [w0, w1, w2] = wrongs.map((r, i) => normalize(r.text, cases[i].email));
    assert.equal(w0, w1);
    assert.equal(w1, w2);
    assertIncludes(w0, 'Code incorrect. Il vous reste 4 essais.');

    // Resending within a minute: refused the same way.
    const resends = await Promise.all(cases.map((c) => c.b.post('/assure/activation/envoyer', { channel: 'sms' })));
    assert.deepEqual(
      resends.map((r) => r.status),
      [429, 429, 429],
    );
    const [r0, r1, r2] = resends.map((r, i) => normalize(r.text, cases[i].email));
    assert.equal(r0, r1);
    assert.equal(r1, r2);

    // Nobody got an account out of it.
    assert.equal(await countAccounts({ email: unknownEmail }), 0);
    assert.equal(await countAccounts({ email: withoutAccount.email }), 0);
    assert.equal(await countAccounts({ email: withAccount.email }), 1);
  });

  test('a wrong code tells the tries left; after 5 the code is dead, even the right one', async () => {
    const { email } = await createMember(t.db);
    const b = await browser();
    await startWith(b, email!);
    await sendCode(b, 'email');
    const code = codeIn((await lastMessageTo(t.db, email!)).body_text);
    const wrong = code === '123456' ? '654321' : '123456';
    for (let left = 4; left >= 1; left--) {
      const res = await verify(b, wrong);
      assert.equal(res.status, 422);
      const html = decoded(res.text);
      assertIncludes(html, `Code incorrect. Il vous reste ${left} essai${left > 1 ? 's' : ''}.`, html);
      assertIncludes(html, 'id="code-error"');
      assertIncludes(html, 'aria-invalid="true"');
    }
    const fifth = await verify(b, wrong);
    assert.equal(fifth.status, 422);
    assertIncludes(decoded(fifth.text), "Trop de codes erronés : ce code n'est plus valable.");
    const right = await verify(b, code);
    assert.equal(right.status, 422);
    assertIncludes(decoded(right.text), "Trop de codes erronés : ce code n'est plus valable.");
    await b.get('/assure/activation/mot-de-passe').expect(303);
    const failures = await t.db('audit_log').where({ event: 'activation_code_failed' }).where('ip', b.ip);
    assert.equal(failures.length, 6);
  });

  test('a code expires after 10 minutes', async () => {
    const { email } = await createMember(t.db);
    const b = await browser();
    await startWith(b, email!);
    await sendCode(b, 'email');
    const code = codeIn((await lastMessageTo(t.db, email!)).body_text);
    clock.advance(11 * 60_000);
    const res = await verify(b, code);
    assert.equal(res.status, 422);
    assertIncludes(decoded(res.text), 'Ce code a expiré (il est valable 10 minutes).');
  });

  test('a new code at most once a minute; the new one replaces the old one', async () => {
    const { email } = await createMember(t.db);
    const b = await browser();
    await startWith(b, email!);
    await sendCode(b, 'email');
    const first = codeIn((await lastMessageTo(t.db, email!)).body_text);
    clock.advance(20_000);
    const tooSoon = await b.post('/assure/activation/envoyer', { channel: 'email' });
    assert.equal(tooSoon.status, 429);
    assertIncludes(decoded(tooSoon.text), "Un code vient d'être envoyé. Vous pourrez en demander un nouveau dans 40 secondes.");
    clock.advance(41_000);
    await sendCode(b, 'email');
    const second = codeIn((await lastMessageTo(t.db, email!)).body_text);
    if (first !== second) {
      const old = await verify(b, first);
      assert.equal(old.status, 422, 'the previous code is dead');
    }
    assert.equal((await verify(b, second)).status, 303);
  });

  test('a code is single use', async () => {
    const { email } = await createMember(t.db);
    const b = await browser();
    await startWith(b, email!);
    await sendCode(b, 'email');
    const code = codeIn((await lastMessageTo(t.db, email!)).body_text);
    assert.equal((await verify(b, code)).status, 303);
    const again = await verify(b, code);
    assert.equal(again.status, 422);
    assertIncludes(decoded(again.text), "Ce code n'est plus valable.");
    // And from another browser that starts over with the same email.
    const other = await browser();
    await startWith(other, email!);
    const reused = await other.post('/assure/activation/code', { code });
    assert.equal(reused.status, 303);
    assert.equal(reused.headers.location, '/assure/activation/code', 'no code asked in this session yet');
  });

  test('steps out of order go back to step 1 with a French message, never a 500', async () => {
    const b = await browser();
    for (const path of ['/assure/activation/code', '/assure/activation/mot-de-passe']) {
      const res = await b.get(path);
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.location, '/assure/activation');
    }
    for (const path of ['/assure/activation/envoyer', '/assure/activation/code', '/assure/activation/mot-de-passe']) {
      const res = await b.post(path, { channel: 'email', code: '123456', password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD });
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.location, '/assure/activation');
    }
    const page = decoded((await b.get('/assure/activation')).text);
    assertIncludes(page, "Pour activer votre espace, saisissez d'abord votre adresse e-mail.");

    // A code sent but not validated does not open the password step either.
    const { email } = await createMember(t.db);
    await startWith(b, email!);
    await sendCode(b, 'email');
    const pw = await b.post('/assure/activation/mot-de-passe', { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD });
    assert.equal(pw.status, 303);
    assert.equal(pw.headers.location, '/assure/activation');
    assertIncludes(decoded((await b.get('/assure/activation')).text), "validez d'abord le code d'activation reçu");
    assert.equal(await countAccounts({ email }), 0);
    // Validating the code before a code was asked for.
    const c = await browser();
    await startWith(c, email!);
    const early = await c.post('/assure/activation/code', { code: '123456' });
    assert.equal(early.status, 303);
    assert.equal(early.headers.location, '/assure/activation/code');
  });

  test('a weak password gets its French reason at the field, and nothing is created', async () => {
    const { email } = await createMember(t.db, { firstName: 'Claire', lastName: 'Durand' });
    const b = await browser();
    await startWith(b, email!);
    await sendCode(b, 'email');
    await verify(b, codeIn((await lastMessageTo(t.db, email!)).body_text));

    const short = await b.post('/assure/activation/mot-de-passe', { password: 'court', password_confirmation: 'court' });
    assert.equal(short.status, 422);
    let html = decoded(short.text);
    assert.match(
      html,
      /id="password-error"><span class="visually-hidden">Erreur : <\/span>Le mot de passe doit comporter au moins 12 caractères \(il en a 5\)\./,
    );
    assertIncludes(html, 'class="error-summary"');
    assertExcludes(html, 'value="court"', 'the password never comes back');

    const personal = await b.post('/assure/activation/mot-de-passe', { password: 'durandclaire', password_confirmation: 'durandclaire' });
    assert.equal(personal.status, 422);
    assertIncludes(decoded(personal.text), 'Ce mot de passe est trop facile à deviner.');
    assertIncludes(decoded(personal.text), 'données personnelles', 'the name and the email count as guessable');
    const common = await b.post('/assure/activation/mot-de-passe', { password: 'azertyuiopqs', password_confirmation: 'azertyuiopqs' });
    assert.equal(common.status, 422);
    assertIncludes(decoded(common.text), 'Ce mot de passe est couramment utilisé.');

    const mismatch = await b.post('/assure/activation/mot-de-passe', { password: NEW_PASSWORD, password_confirmation: `${NEW_PASSWORD}!` });
    assert.equal(mismatch.status, 422);
    html = decoded(mismatch.text);
    assertIncludes(html, 'Les deux mots de passe ne sont pas identiques.');
    assertExcludes(html, NEW_PASSWORD);

    const htmx = await b.post('/assure/activation/mot-de-passe', { password: '', password_confirmation: '' }, { 'HX-Request': 'true' });
    assert.equal(htmx.status, 422);
    assertExcludes(htmx.text, '<html');
    assert.ok(htmx.text.startsWith('<div id="activation-member-block">'));
    assertIncludes(decoded(htmx.text), 'Choisissez un mot de passe.');
    assertIncludes(decoded(htmx.text), 'Confirmez votre mot de passe.');

    assert.equal(await countAccounts({ email }), 0);
    // Still allowed to finish.
    const done = await b.post('/assure/activation/mot-de-passe', { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD });
    assert.equal(done.status, 303);
    assert.equal(await countAccounts({ email }), 1);
  });

  test('bad input never gives a 500: missing fields, wrong types, arrays', async () => {
    const b = await browser();
    const empty = await b.post('/assure/activation', {});
    assert.equal(empty.status, 422);
    assertIncludes(decoded(empty.text), 'Saisissez votre adresse e-mail.');
    const invalid = await b.post('/assure/activation', { email: 'pas-une-adresse' });
    assert.equal(invalid.status, 422);
    const invalidHtml = decoded(invalid.text);
    assertIncludes(invalidHtml, "L'adresse e-mail n'est pas valide");
    assertIncludes(invalidHtml, 'value="pas-une-adresse"', 'value kept');
    for (const body of ['email[]=x%40exemple.fr', 'email=a%40exemple.fr&email=b%40exemple.fr', 'email[a]=1']) {
      const res = await b.postRaw('/assure/activation', body);
      assert.equal(res.status, 422, body);
      assertIncludes(decoded(res.text), 'Saisissez votre adresse e-mail.', body);
    }

    const { email } = await createMember(t.db);
    await startWith(b, email!);
    for (const body of ['channel=fax', 'channel[]=email', 'channel=email&channel=sms', '']) {
      const res = await b.postRaw('/assure/activation/envoyer', body);
      assert.equal(res.status, 422, body);
      assertIncludes(decoded(res.text), 'Choisissez le mode de réception du code', body);
    }
    await sendCode(b, 'email');
    for (const [body, message] of [
      ['code=', "Saisissez le code d'activation reçu."],
      ['code=abc', "Le code d'activation comporte 6 chiffres."],
      ['code[]=123456', "Saisissez le code d'activation reçu."],
      ['code=1&code=2', "Saisissez le code d'activation reçu."],
    ]) {
      const res = await b.postRaw('/assure/activation/code', body);
      assert.equal(res.status, 422, body);
      assertIncludes(decoded(res.text), message, body);
    }
    const row = await t.db('one_time_codes').where({ purpose: 'activation' }).orderBy('id', 'desc').first();
    assert.equal(row.attempts, 0, 'a malformed code is not a try');
    await verify(b, codeIn((await lastMessageTo(t.db, email!)).body_text));
    for (const body of ['password[]=x&password_confirmation[]=x', 'password=a&password=b']) {
      const res = await b.postRaw('/assure/activation/mot-de-passe', body);
      assert.equal(res.status, 422, body);
      assertIncludes(decoded(res.text), 'Choisissez un mot de passe.', body);
    }
  });

  test('htmx: errors come back as the fragment with 422, success as HX-Redirect', async () => {
    const b = await browser();
    const res = await b.post('/assure/activation', { email: '' }, { 'HX-Request': 'true' });
    assert.equal(res.status, 422);
    assertExcludes(res.text, '<html');
    assert.ok(res.text.startsWith('<div id="activation-member-block">'));
    const ok = await b.post('/assure/activation', { email: 'quelquun@exemple.fr' }, { 'HX-Request': 'true' });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers['hx-redirect'], '/assure/activation/code');
  });

  test('too many wrong codes from one IP address slow it down', async () => {
    const b = await browser();
    const { email } = await createMember(t.db);
    await startWith(b, email!);
    await sendCode(b, 'email');
    const code = codeIn((await lastMessageTo(t.db, email!)).body_text);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 11; i++) await verify(b, wrong);
    const blocked = await verify(b, code);
    assert.equal(blocked.status, 429);
    assertIncludes(decoded(blocked.text), 'Trop de tentatives. Pour votre sécurité, patientez');
    assert.ok(blocked.headers['retry-after']);
  });

  test('wrong codes sent together: 5 tries on the code, 11 on the address, the rest wait', async () => {
    const b = await browser();
    const { email } = await createMember(t.db);
    await startWith(b, email!);
    await sendCode(b, 'email');
    const code = codeIn((await lastMessageTo(t.db, email!)).body_text);
    const wrong = code === '000000' ? '111111' : '000000';
    const responses = await Promise.all(Array.from({ length: 20 }, () => verify(b, wrong)));
    const texts = responses.map((res) => decoded(res.text));
    assert.deepEqual(
      { checked: responses.filter((res) => res.status === 422).length, waiting: responses.filter((res) => res.status === 429).length },
      { checked: 11, waiting: 9 },
    );
    assert.equal(texts.filter((text) => text.includes('Code incorrect')).length, 4);
    const row = await t.db('one_time_codes').where({ purpose: 'activation', destination: email }).orderBy('id', 'desc').first();
    assert.equal(Number(row.attempts), 5);
    assert.equal((await verify(b, code)).status, 429, 'the right code afterwards waits');
  });

  test('CSRF: every POST without its token is refused with 403 and changes nothing', async () => {
    const { email } = await createMember(t.db);
    const b = await browser();
    const noToken = (path: string, body: Record<string, string>) => b.agent.post(path).set('X-Forwarded-For', b.ip).type('form').send(body);

    assert.equal((await noToken('/assure/activation', { email: email! })).status, 403);
    await b.get('/assure/activation/code').expect(303); // no activation started

    await startWith(b, email!);
    const outboxBefore = await t.db('outbox').count({ n: '*' }).first();
    assert.equal((await noToken('/assure/activation/envoyer', { channel: 'email' })).status, 403);
    const outboxAfter = await t.db('outbox').count({ n: '*' }).first();
    assert.equal(outboxAfter!.n, outboxBefore!.n, 'no code sent');

    await sendCode(b, 'email');
    const code = codeIn((await lastMessageTo(t.db, email!)).body_text);
    assert.equal((await noToken('/assure/activation/code', { code })).status, 403);
    await b.get('/assure/activation/mot-de-passe').expect(303); // not verified
    const row = await t.db('one_time_codes').where({ purpose: 'activation' }).orderBy('id', 'desc').first();
    assert.equal(row.consumed_at, null);

    assert.equal((await verify(b, code)).status, 303);
    const forged = await noToken('/assure/activation/mot-de-passe', { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD });
    assert.equal(forged.status, 403);
    assertIncludes(decoded(forged.text), 'Formulaire expiré');
    assert.equal(await countAccounts({ email }), 0);
  });

  test('the audit log never holds a code or a password', async () => {
    const codes = (await t.db('outbox').select('body_text')).flatMap((m) => [...String(m.body_text).matchAll(/\b(\d{6})\b/g)].map((x) => x[1]));
    assert.ok(codes.length > 5);
    const rows = await t.db('audit_log').select('event', 'detail');
    const events = new Set(rows.map((r) => r.event));
    for (const event of ['activation', 'activation_code_sent', 'activation_code_failed']) assert.ok(events.has(event), event);
    const text = JSON.stringify(rows);
    for (const code of codes) assertExcludes(text, code, `code ${code} in the audit log`);
    assertExcludes(text, NEW_PASSWORD);
    assertExcludes(text, 'girafe');
  });
});

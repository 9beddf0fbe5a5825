// Espace Entreprise « Mon profil »: the HR user's email and mobile, each confirmed by a code sent
// to the new one after the current password (the names and the perimeter are tested with the
// establishments).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createHrCompany, createHrUser } from '../helpers/entreprise.js';
import { codeIn, createAccount, decoded, lastMessageTo, loginAs, PASSWORD, tokenFrom, textOf } from '../helpers/fixtures.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const BASE = '/entreprise/profil';
let t: TestContext;
let hr: { id: number; email: string };
let agent: Awaited<ReturnType<typeof loginAs>>;

const account = () => t.db('accounts').where({ id: hr.id }).first();

async function post(path: string, body: Record<string, string>, status: number, headers: Record<string, string> = {}) {
  const token = await tokenFrom(agent, BASE);
  const res = await agent
    .post(path)
    .set(headers)
    .type('form')
    .send({ _csrf: token, ...body });
  assert.equal(res.status, status, `${path}: ${res.status} ${res.status !== status ? textOf(res.text).slice(-1500) : ''}`);
  return res;
}

before(async () => {
  t = await makeTestApp();
  const alpha = await createHrCompany(t.db, 'Alpha Immobilier', 2);
  hr = await createHrUser(t.db, [{ company: alpha, role: 'admin' }], { firstName: 'Eugénie', email: 'eugenie.rh@alpha.example', mobile: '+33612340001' });
  agent = await loginAs(t.app, t.db, 'entreprise', hr.email);
});
after(async () => t.close());

describe('Mon profil: adresse e-mail', () => {
  test('the profile links to both changes', async () => {
    const html = decoded((await agent.get(BASE).expect(200)).text);
    assert.ok(html.includes(`href="${BASE}/email"`) && html.includes(`href="${BASE}/mobile"`));
    const form = textOf((await agent.get(`${BASE}/email`).expect(200)).text);
    assert.ok(form.includes('Modifier mon adresse e-mail') && form.includes('Actuellement : eugenie.rh@alpha.example'));
    assertIncludes(form, 'Retour à Mon profil');
  });

  test('bad address and wrong password: both messages at their fields, the address kept; taken by another HR account: refused', async () => {
    const bad = await post(`${BASE}/email`, { email: 'pas-une-adresse', current_password: 'mauvais mot de passe' }, 422);
    const html = decoded(bad.text);
    assertIncludes(html, 'Le mot de passe actuel est incorrect.');
    assertIncludes(html, 'value="pas-une-adresse"');
    assertExcludes(html, 'mauvais mot de passe', 'the password is never sent back');
    const other = await createAccount(t.db, { kind: 'hr', email: 'deja.pris@alpha.example', mobile: '+33612340002' });
    // With a wrong password, nothing says whether the address is taken (no testing addresses
    // from a stolen session); with the password, it is said.
    const guessed = await post(`${BASE}/email`, { email: 'Deja.Pris@alpha.example', current_password: 'mauvais mot de passe' }, 422);
    assertIncludes(textOf(guessed.text), 'Le mot de passe actuel est incorrect.');
    assertExcludes(textOf(guessed.text), 'déjà utilisée', 'not told with a wrong password');
    const taken = await post(`${BASE}/email`, { email: 'Deja.Pris@alpha.example', current_password: PASSWORD }, 422);
    assertIncludes(textOf(taken.text), 'Cette adresse e-mail est déjà utilisée par un autre compte.');
    const same = await post(`${BASE}/email`, { email: hr.email, current_password: PASSWORD }, 422);
    assertIncludes(textOf(same.text), 'Cette adresse e-mail est déjà la vôtre.');
    assert.equal((await account()).email, hr.email);
    assert.ok(other.id);
    await t
      .db('throttle')
      .where({ key: `reauth:account:${hr.id}` })
      .delete();
  });

  test('a code goes to the new address; wrong code refused; changed only with the right code; old address told; the new address logs in', async () => {
    // A member account with that address does not stand in the way: logins are per space.
    await createAccount(t.db, { kind: 'member', email: 'eugenie.nouvelle@alpha.example', mobile: '+33612340003' });
    const res = await post(`${BASE}/email`, { email: 'Eugenie.Nouvelle@alpha.example', current_password: PASSWORD }, 303);
    assert.equal(res.headers.location, `${BASE}/email`);
    const mail = await lastMessageTo(t.db, 'eugenie.nouvelle@alpha.example');
    assertIncludes(mail.subject, 'Confirmez votre nouvelle adresse e-mail');
    assertIncludes(mail.body_text, 'Espace Entreprise');
    const codeRow = await t.db('one_time_codes').where({ purpose: 'email_change', account_id: hr.id }).orderBy('id', 'desc').first();
    assert.equal(codeRow.destination, 'eugenie.nouvelle@alpha.example');
    assert.equal(codeRow.member_id, null);
    const profile = textOf((await agent.get(BASE).expect(200)).text);
    assertIncludes(profile, 'Changement en attente de confirmation vers eugenie.nouvelle@alpha.example');
    assert.equal((await account()).email, hr.email, 'not changed before the code');

    const code = codeIn(mail.body_text);
    const wrong = code === '000000' ? '111111' : '000000';
    await post(`${BASE}/email/confirmer`, { code: wrong }, 422);
    const malformed = await post(`${BASE}/email/confirmer`, { code: '12ab' }, 422);
    assertIncludes(textOf(malformed.text), 'Saisissez les 6 chiffres du code reçu.');
    assert.equal((await account()).email, hr.email);

    const done = await post(`${BASE}/email/confirmer`, { code }, 303);
    assert.equal(done.headers.location, BASE);
    assert.equal((await account()).email, 'eugenie.nouvelle@alpha.example');
    assertIncludes(textOf((await agent.get(BASE).expect(200)).text), 'Votre adresse e-mail a été modifiée.');
    const audit = await t.db('audit_log').where({ event: 'email_changed', account_id: hr.id }).first();
    assert.deepEqual(JSON.parse(audit.detail), { from: 'alpha.example', to: 'alpha.example' });
    const notice = await lastMessageTo(t.db, hr.email);
    assertIncludes(notice.subject, 'Votre adresse e-mail a été modifiée');
    assertIncludes(notice.body_text, 'Espace Entreprise');

    // The code is spent; the new address is the login.
    await post(`${BASE}/email/confirmer`, { code }, 422);
    t.clock.advance(61_000);
    const fresh = await loginAs(t.app, t.db, 'entreprise', 'eugenie.nouvelle@alpha.example');
    await fresh.get('/entreprise/accueil').expect(200);
    hr = { ...hr, email: 'eugenie.nouvelle@alpha.example' };
  });
});

describe('Mon profil: téléphone mobile', () => {
  test('a bad number: message at the field, value kept', async () => {
    t.clock.advance(61_000);
    const res = await post(`${BASE}/mobile`, { mobile: '01 23 45 67 89', current_password: PASSWORD }, 422);
    assertIncludes(textOf(res.text), 'Le numéro de téléphone mobile est invalide.');
    assertIncludes(res.text, 'value="01 23 45 67 89"');
  });

  test('an SMS code to the new number (htmx: code step in place); changed only with the code', async () => {
    const hx = await post(`${BASE}/mobile`, { mobile: '06 12 34 00 09', current_password: PASSWORD }, 200, { 'HX-Request': 'true' });
    const fragment = textOf(hx.text);
    assert.ok(!hx.text.includes('<html') && fragment.includes('Un code de confirmation a été envoyé par SMS au 06 •• •• •• 09.'));
    const sms = await lastMessageTo(t.db, '+33612340009');
    assert.equal(sms.channel, 'sms');
    assert.equal((await account()).mobile, '+33612340001');
    await post(`${BASE}/mobile/confirmer`, { code: codeIn(sms.body_text) }, 303);
    assert.equal((await account()).mobile, '+33612340009');
    assertIncludes(textOf((await agent.get(BASE).expect(200)).text), '06 12 34 00 09');
    assert.ok(await t.db('audit_log').where({ event: 'phone_changed', account_id: hr.id }).first());
  });

  test('confirming without a pending change → French message', async () => {
    const res = await post(`${BASE}/mobile/confirmer`, { code: '123456' }, 422);
    assertIncludes(textOf(res.text), 'Aucune modification en attente de confirmation');
  });
});

describe('access to the email and mobile pages', () => {
  const gets = [`${BASE}/email`, `${BASE}/mobile`];
  const posts = [`${BASE}/email`, `${BASE}/email/confirmer`, `${BASE}/mobile`, `${BASE}/mobile/confirmer`];
  test('logged out: sent to the login page; a member: 403 on every page and every POST', async () => {
    for (const p of gets) assert.equal((await request(t.app).get(p).expect(303)).headers.location, '/entreprise');
    const member = await createAccount(t.db, { kind: 'member', mobile: '+33612349912' });
    const memberAgent = await loginAs(t.app, t.db, 'assure', member.email);
    for (const p of gets) await memberAgent.get(p).expect(403);
    const token = await tokenFrom(memberAgent, '/assure/accueil');
    for (const p of posts)
      await memberAgent.post(p).type('form').send({ _csrf: token, email: 'x@exemple.fr', mobile: '0612345678', code: '123456' }).expect(403);
    assert.equal((await t.db('accounts').where({ id: member.id }).first()).email, member.email);
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeClock, makeTestApp, type TestContext } from '../helpers/app.js';
import { createAccount, createMember, decoded, lastMessageTo, linkIn, loginAs, PASSWORD, textOf, tokenFrom } from '../helpers/fixtures.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const clock = makeClock();
let t: TestContext;
let staff: ReturnType<typeof request.agent>;
let memberEmail: string;
let memberId: number;

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';

before(async () => {
  t = await makeTestApp({ TRUST_PROXY: 'true' }, { clock });
  // The journal is a superviseur's page (a gestionnaire gets 403, tested below).
  const { email: staffEmail } = await createAccount(t.db, { kind: 'staff', email: 'agent.gestion@exemple.fr', staffRole: 'superviseur' });
  staff = await loginAs(t.app, t.db, 'gestion', staffEmail, PASSWORD, { 'X-Forwarded-For': '203.0.113.5', 'User-Agent': FIREFOX });
  const member = await createAccount(t.db, { kind: 'member', email: 'claire.durand@exemple.fr' });
  memberEmail = member.email;
  memberId = member.id;
  // A failed login and a reset request for the member, through the app.
  const agent = request.agent(t.app);
  const token = await tokenFrom(agent, '/assure');
  await agent
    .post('/assure/connexion')
    .set('X-Forwarded-For', '198.51.100.9')
    .type('form')
    .send({ _csrf: token, email: memberEmail, password: 'mauvais mot de passe' })
    .expect(422);
  const forgotToken = await tokenFrom(agent, '/assure/mot-de-passe-oublie');
  await agent.post('/assure/mot-de-passe-oublie').type('form').send({ _csrf: forgotToken, email: memberEmail }).expect(303);

  // Logouts spread over time, for the pagination (130 of them), the oldest first.
  const rows: { at: string; event: string; account_id: number; account_kind: string; ip: string; user_agent: string | null; detail: string | null }[] = [];
  for (let i = 0; i < 130; i += 1) {
    rows.push({
      at: new Date(Date.UTC(2026, 5, 1, 8, 0) + i * 60_000).toISOString(),
      event: 'logout',
      account_id: memberId,
      account_kind: 'member',
      ip: '192.0.2.1',
      user_agent: FIREFOX,
      detail: null,
    });
  }
  // Around midnight in Paris (UTC+1 in March): 15/03 23:30 UTC is 16/03 00:30 in Paris.
  rows.push({
    at: '2026-03-15T22:30:00.000Z',
    event: 'nir_revealed',
    account_id: memberId,
    account_kind: 'member',
    ip: '192.0.2.2',
    user_agent: null,
    detail: JSON.stringify({ beneficiaryId: 1 }),
  });
  rows.push({
    at: '2026-03-15T23:30:00.000Z',
    event: 'nir_revealed',
    account_id: memberId,
    account_kind: 'member',
    ip: '192.0.2.3',
    user_agent: null,
    detail: JSON.stringify({ beneficiaryId: 2 }),
  });
  rows.push({
    at: '2026-03-16T22:59:00.000Z',
    event: 'nir_revealed',
    account_id: memberId,
    account_kind: 'member',
    ip: '192.0.2.4',
    user_agent: null,
    detail: JSON.stringify({ beneficiaryId: 3 }),
  });
  rows.push({
    at: '2026-03-16T23:00:00.000Z',
    event: 'nir_revealed',
    account_id: memberId,
    account_kind: 'member',
    ip: '192.0.2.5',
    user_agent: null,
    detail: JSON.stringify({ beneficiaryId: 4 }),
  });
  await t.db.batchInsert('audit_log', rows, 50);
});
after(async () => {
  await t.close();
});

function rowCount(html: string): number {
  const body = html.split('<tbody>')[1]?.split('</tbody>')[0] ?? '';
  return (body.match(/<tr>/g) ?? []).length;
}

describe('staff audit log', () => {
  test('shows the latest entries, newest first, with the columns and French labels', async () => {
    const res = await staff.get('/gestion/audit').expect(200);
    const html = decoded(res.text);
    assertIncludes(html, "<h1>Journal d'audit</h1>");
    for (const label of ['Événement', 'Adresse e-mail du compte', '>Du<', '>Au<', 'Date', 'Compte', 'Adresse IP', 'Navigateur', 'Détail']) {
      assertIncludes(html, label, label);
    }
    assertIncludes(html, '<option value="login_failed">Connexion refusée</option>');
    assert.equal(rowCount(html), 50, 'pagination: 50 per page');
    // The newest events (the app flows at the clock's time, 22/11/2026 10:00 in Paris) come first.
    const first = html.split('<tbody>')[1];
    assert.ok(first.indexOf('22/11/2026 à 10:00') < first.indexOf('01/06/2026'));
    assertIncludes(html, 'Mot de passe oublié : lien demandé');
    assertIncludes(html, 'Connexion refusée');
    assertIncludes(html, 'agent.gestion@exemple.fr');
    assertIncludes(html, 'Gestion');
    assertIncludes(html, '203.0.113.5');
    assertIncludes(html, 'Firefox 128 · Windows', 'user agent shortened');
    assertIncludes(html, "Connexion de Camille Martin à l'Espace Gestion, après double authentification.", 'the detail as a French sentence');
    assertIncludes(html, 'Page suivante');
    assertExcludes(html, 'Page précédente');
  });

  test('filters by event, by email and by date range (days in Paris time, jj/mm/aaaa or ISO)', async () => {
    const failed = decoded((await staff.get('/gestion/audit').query({ evenement: 'login_failed' }).expect(200)).text);
    assert.equal(rowCount(failed), 1);
    assertIncludes(failed, memberEmail);
    assertIncludes(failed, '198.51.100.9');
    assertIncludes(failed, '<option value="login_failed" selected>');

    const byEmail = decoded((await staff.get('/gestion/audit').query({ email: 'agent.gestion' }).expect(200)).text);
    assert.ok(rowCount(byEmail) >= 3);
    assertExcludes(byEmail, memberEmail);
    assertIncludes(byEmail, 'value="agent.gestion"');
    const wildcard = await staff.get('/gestion/audit').query({ email: '%' }).expect(200);
    assert.equal(rowCount(wildcard.text), 0, '% is a character, not a wildcard');

    const day = decoded((await staff.get('/gestion/audit').query({ evenement: 'nir_revealed', du: '16/03/2026', au: '16/03/2026' }).expect(200)).text);
    assert.equal(rowCount(day), 2);
    assert.ok(day.includes('192.0.2.3') && day.includes('192.0.2.4'));
    assert.ok(!day.includes('192.0.2.2') && !day.includes('192.0.2.5'));
    assertIncludes(day, '16/03/2026 à 00:30');
    const iso = await staff.get('/gestion/audit').query({ evenement: 'nir_revealed', du: '2026-03-16' }).expect(200);
    assert.equal(rowCount(iso.text), 3);
    const until = await staff.get('/gestion/audit').query({ evenement: 'nir_revealed', au: '15/03/2026' }).expect(200);
    assert.equal(rowCount(until.text), 1);
    const combined = await staff.get('/gestion/audit').query({ email: 'claire', du: '01/06/2026', au: '01/06/2026' }).expect(200);
    assertIncludes(decoded(combined.text), '130 événements');
  });

  test('a bad filter gets a French message next to it, the list is still shown, never a 500', async () => {
    const res = await staff.get('/gestion/audit').query({ du: '31/02/2026', au: 'demain', evenement: 'piratage' });
    assert.equal(res.status, 422);
    const html = decoded(res.text);
    assertIncludes(html, 'id="du-error"');
    assertIncludes(html, 'id="au-error"');
    assertIncludes(html, 'La date est invalide (format jj/mm/aaaa).');
    assertIncludes(html, 'Choisissez un événement de la liste.');
    assertIncludes(html, 'value="31/02/2026"', 'value kept');
    assertIncludes(html, 'class="error-summary"');
    assert.equal(rowCount(html), 50, 'the list is still there');

    const reversed = await staff.get('/gestion/audit').query({ du: '10/03/2026', au: '01/03/2026' });
    assert.equal(reversed.status, 422);
    assertIncludes(decoded(reversed.text), 'La date de fin doit être égale ou postérieure à la date de début.');

    for (const query of [
      'page=-4',
      'page=abc',
      'page=99999999999',
      'evenement=a&evenement=b',
      'du[x]=1',
      'email=' + 'x'.repeat(5000),
      'evenement=__proto__',
      'evenement=toString',
    ]) {
      const odd = await staff.get(`/gestion/audit?${query}`);
      assert.ok(odd.status === 200 || odd.status === 422, `${query} → ${odd.status}`);
    }
  });

  test('an htmx request gets the list fragment only', async () => {
    const res = await staff.get('/gestion/audit').query({ evenement: 'login_failed' }).set('HX-Request', 'true').expect(200);
    assertExcludes(res.text, '<html');
    assert.ok(res.text.trimStart().startsWith('<div id="audit-list"'));
    assert.equal(rowCount(res.text), 1);
    const page = await staff.get('/gestion/audit').expect(200);
    assertIncludes(page.text, 'hx-get="/gestion/audit"');
    assertIncludes(page.text, '<div id="audit-list" class="audit-list" hx-target:inherited="#audit-list"');
    assertIncludes(page.text, 'hx-push-url="true"');
    assertIncludes(page.text, 'method="get" action="/gestion/audit"', 'works without JS');
    const bad = await staff.get('/gestion/audit').query({ du: 'hier' }).set('HX-Request', 'true');
    assert.equal(bad.status, 422);
    assertExcludes(bad.text, '<html');
    assertIncludes(decoded(bad.text), 'La date est invalide');
  });

  test('pagination: 50 per page, previous and next links keep the filters', async () => {
    const first = decoded((await staff.get('/gestion/audit').query({ evenement: 'logout' }).expect(200)).text);
    assertIncludes(first, '130 événements — page 1 sur 3');
    assert.equal(rowCount(first), 50);
    assertIncludes(first, 'href="/gestion/audit?evenement=logout&page=2"');
    assertIncludes(first, '01/06/2026 à 12:09', 'newest logout first (10:09 UTC)');
    const second = decoded((await staff.get('/gestion/audit?evenement=logout&page=2').expect(200)).text);
    assert.equal(rowCount(second), 50);
    assert.ok(second.includes('Page précédente') && second.includes('Page suivante'));
    assertIncludes(second, 'href="/gestion/audit?evenement=logout"');
    assertIncludes(second, 'href="/gestion/audit?evenement=logout&page=3"');
    const third = decoded((await staff.get('/gestion/audit?evenement=logout&page=3').expect(200)).text);
    assert.equal(rowCount(third), 30);
    assertIncludes(third, '01/06/2026 à 10:00', 'oldest on the last page');
    assertExcludes(third, 'Page suivante');
    const beyond = decoded((await staff.get('/gestion/audit?evenement=logout&page=42').expect(200)).text);
    assertIncludes(beyond, 'page 3 sur 3', 'a page past the end shows the last one');
  });

  test('only superviseurs: a gestionnaire gets 403 (page and fragment), and no « Administration » in the menu', async () => {
    const { email } = await createAccount(t.db, { kind: 'staff', email: 'agent.simple@exemple.fr', staffRole: 'gestionnaire' });
    const gestionnaire = await loginAs(t.app, t.db, 'gestion', email);
    assert.equal((await gestionnaire.get('/gestion/audit')).status, 403);
    assert.equal((await gestionnaire.get('/gestion/audit?evenement=logout').set('HX-Request', 'true')).status, 403);
    assert.equal((await gestionnaire.get('/gestion/administration')).status, 403);
    const home = await gestionnaire.get('/gestion/accueil').expect(200);
    assertExcludes(home.text, 'href="/gestion/administration"');
    assertIncludes((await staff.get('/gestion/accueil').expect(200)).text, 'href="/gestion/administration"');
    assertIncludes((await staff.get('/gestion/administration').expect(200)).text, 'href="/gestion/audit"');
  });

  test('only staff: members and HR users get 403, anonymous visitors go to the login', async () => {
    const { email: hrEmail } = await createAccount(t.db, { kind: 'hr' });
    const hr = await loginAs(t.app, t.db, 'entreprise', hrEmail);
    assert.equal((await hr.get('/gestion/audit')).status, 403);
    clock.advance(61_000);
    const member = await loginAs(t.app, t.db, 'assure', memberEmail);
    assert.equal((await member.get('/gestion/audit')).status, 403);
    assert.equal((await member.get('/gestion/audit?evenement=logout').set('HX-Request', 'true')).status, 403);
    const anonymous = await request(t.app).get('/gestion/audit');
    assert.equal(anonymous.status, 303);
    assert.equal(anonymous.headers.location, '/gestion');
  });

  test('each line says what happened in French, with the names behind its ids: no raw key, no « null »', async () => {
    const { memberId: anne } = await createMember(t.db, { firstName: 'Anne', lastName: 'Martin' });
    const hr = await createAccount(t.db, { kind: 'hr', firstName: 'Eugénie', email: 'eugenie.rh@exemple.fr' });
    const at = clock().toISOString();
    const base = { at, ip: '192.0.2.50', user_agent: null };
    await t.db('audit_log').insert([
      // The line the issue quotes: « memberId : 301, delivered : oui, Motif : null ».
      {
        ...base,
        event: 'activation_code_sent',
        account_id: null,
        account_kind: 'member',
        detail: JSON.stringify({ memberId: anne, channel: 'sms', delivered: true, reason: null }),
      },
      { ...base, event: 'nir_revealed', account_id: hr.id, account_kind: 'hr', detail: JSON.stringify({ memberId: anne, space: 'entreprise' }) },
      { ...base, event: 'nir_revealed', account_id: hr.id, account_kind: 'hr', detail: JSON.stringify({ memberId: 987654, space: 'entreprise' }) },
    ]);
    const html = decoded((await staff.get('/gestion/audit').query({ du: '22/11/2026' }).expect(200)).text);
    const cells = [...(html.split('<tbody>')[1] ?? '').matchAll(/<td>([^<]*)<\/td>\s*<\/tr>/g)].map((m) => textOf(m[1]));
    assertIncludes(cells, "Code d'activation envoyé par SMS à Anne Martin.", cells.join('\n'));
    assertIncludes(cells, "Eugénie Martin a affiché le numéro de Sécurité sociale d'Anne Martin.", cells.join('\n'));
    assertIncludes(cells, "Eugénie Martin a affiché le numéro de Sécurité sociale d'un assuré.", 'a name that is gone, not its id');
    for (const cell of cells) {
      assert.match(cell, /^[A-ZÀ-Ý].*\.$/, cell);
      for (const raw of ['memberId', 'delivered', 'Motif', 'null', 'twoFactor', ' : oui']) assertExcludes(cell, raw, `${raw} in « ${cell} »`);
    }
  });

  test('no password, code or token value appears anywhere in audit_log', async () => {
    const messages = await t.db('outbox').select('body_text');
    const secrets = new Set<string>([PASSWORD, 'mauvais mot de passe']);
    for (const { body_text: text } of messages) {
      for (const code of text.match(/\b\d{6}\b/g) ?? []) secrets.add(code);
      if (/https?:\/\//.test(text)) secrets.add(linkIn(text).split('/').pop()!);
    }
    assert.ok(
      [...secrets].some((s) => /^\d{6}$/.test(s)),
      'the 2FA codes were collected',
    );
    assert.ok(
      [...secrets].some((s) => s.length > 40),
      'the reset token was collected',
    );
    const reset = await lastMessageTo(t.db, memberEmail);
    assertIncludes(reset.body_text, '/assure/reinitialiser/');
    // The user agent is the client's own text (and Firefox's « 20100101 » looks like a code).
    const dump = JSON.stringify(await t.db('audit_log').select('at', 'event', 'account_id', 'account_kind', 'ip', 'detail'));
    for (const secret of secrets) assertExcludes(dump, secret, 'a secret reached the audit log');
  });
});

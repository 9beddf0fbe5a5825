import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily, type Family } from '../helpers/family.js';
import { codeIn, createAccount, decoded, lastMessageTo, loginAs, PASSWORD, tokenFrom } from '../helpers/fixtures.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const BASE = '/assure/informations-personnelles';
let t: TestContext;
let family: Family;
let agent: Awaited<ReturnType<typeof loginAs>>;

before(async () => {
  t = await makeTestApp();
  family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault', statements: 0 });
  agent = await loginAs(t.app, t.db, 'assure', family.email);
});
after(async () => t.close());

/** POSTs a form with a fresh CSRF token and checks the status. */
async function post(path: string, body: Record<string, string>, status: number, headers: Record<string, string> = {}) {
  const token = await tokenFrom(agent, BASE);
  const res = await agent
    .post(path)
    .set(headers)
    .type('form')
    .send({ _csrf: token, ...body });
  assert.equal(
    res.status,
    status,
    `${path}: ${res.status} ${
      res.status !== status
        ? decoded(res.text)
            .replace(/<[^>]+>/g, ' ')
            .replace(/\s+/g, ' ')
            .slice(-1500)
        : ''
    }`,
  );
  return res;
}

const member = () => t.db('members').where({ id: family.memberId }).first();
const account = () => t.db('accounts').where({ id: family.accountId }).first();

describe('Espace Assuré — Mes informations personnelles', () => {
  test('identity (read-only, NIR masked), address, email, mobile, bank details masked, password link, « Modifier » links', async () => {
    const res = await agent.get(BASE).expect(200);
    const html = decoded(res.text);
    for (const text of [
      'Mes informations personnelles',
      'Thibault',
      'Nicolas',
      '03/12/1984',
      "Numéro d'adhérent",
      'F0000000',
      '1 84 12 •• ••• ••• 02',
      '8 rue des Lilas',
      '44000 Nantes',
      'nicolas.thibault@exemple.fr',
      'FR76 •••• •••• •••• •••• •••0 189',
      'AGRIFRPP',
      'Nicolas Thibault',
      'Modifier mon mot de passe',
    ]) {
      assertIncludes(html, text, text);
    }
    assert.ok(!html.includes('FR7630006000011234567890189') && !html.includes('FR76 3000 6000 0112'), 'IBAN masked');
    assertExcludes(html, '1 84 12 75 112', 'NIR masked');
    assertIncludes(html, 'href="/assure/mot-de-passe"');
    for (const [href, name] of [
      ['adresse', 'mon adresse'],
      ['email', 'mon adresse e-mail'],
      ['mobile', 'mon numéro de téléphone mobile'],
      ['iban', 'mes coordonnées bancaires'],
    ]) {
      assertIncludes(html, `href="${BASE}/${href}"`, href);
      assertIncludes(html, `Modifier<span class="visually-hidden"> ${name}</span>`, name);
    }
  });

  describe('adresse', () => {
    test('a bad postal code: message at the field, values kept (full page and htmx 422)', async () => {
      const body = { address_line1: '5 impasse des Tilleuls', address_line2: 'Bâtiment B', postal_code: '96000', city: 'Rezé' };
      const res = await post(`${BASE}/adresse`, body, 422);
      const html = decoded(res.text);
      assertIncludes(html, 'Le code postal est invalide.');
      assert.ok(html.includes('id="postal_code-error"') && html.includes('aria-invalid="true"'));
      for (const v of Object.values(body)) assertIncludes(html, `value="${v}"`, v);
      assertIncludes(html, '<html', 'the full page without JS');
      const hx = await post(`${BASE}/adresse`, { ...body, postal_code: '', city: '' }, 422, { 'HX-Request': 'true' });
      const fragment = decoded(hx.text);
      assert.ok(!fragment.includes('<html') && fragment.includes('id="profile-address-block"'));
      assert.ok(fragment.includes('Le code postal est obligatoire.') && fragment.includes('Saisissez la ville.'));
      assert.equal((await member()).postal_code, '44000', 'nothing saved');
    });

    test('success: saved, flash « Votre adresse a été modifiée. »', async () => {
      const res = await post(`${BASE}/adresse`, { address_line1: ' 5 impasse des Tilleuls ', address_line2: '', postal_code: '44 400', city: 'Rezé' }, 303);
      assert.equal(res.headers.location, BASE);
      const html = decoded((await agent.get(BASE).expect(200)).text);
      assertIncludes(html, 'Votre adresse a été modifiée.');
      assert.ok(html.includes('5 impasse des Tilleuls') && html.includes('44400 Rezé'));
      const row = await member();
      assert.deepEqual([row.address_line1, row.address_line2, row.postal_code, row.city], ['5 impasse des Tilleuls', null, '44400', 'Rezé']);
    });
  });

  describe('e-mail', () => {
    test('another member account already uses the address → French message', async () => {
      const taken = await createAccount(t.db, { kind: 'member', email: 'deja.pris@exemple.fr' });
      assert.ok(taken.id);
      // Not said to someone without the password (no testing addresses from a stolen session).
      const guessed = await post(`${BASE}/email`, { email: 'Deja.Pris@exemple.fr', current_password: 'mauvais mot de passe' }, 422);
      assertExcludes(decoded(guessed.text), 'déjà utilisée', 'not told with a wrong password');
      const res = await post(`${BASE}/email`, { email: 'Deja.Pris@exemple.fr', current_password: PASSWORD }, 422);
      assertIncludes(decoded(res.text), 'Cette adresse e-mail est déjà utilisée par un autre compte.');
      assert.equal(await lastMessageTo(t.db, 'deja.pris@exemple.fr'), undefined, 'no code sent');
    });

    test('a bad address or a wrong password: messages at the fields, value kept, no code', async () => {
      const res = await post(`${BASE}/email`, { email: 'pas-une-adresse', current_password: 'mauvais mot de passe' }, 422);
      const html = decoded(res.text);
      assertIncludes(html, "L'adresse e-mail n'est pas valide");
      assertIncludes(html, 'Le mot de passe actuel est incorrect.');
      assertIncludes(html, 'value="pas-une-adresse"');
      await t
        .db('throttle')
        .where({ key: `reauth:account:${family.accountId}` })
        .delete();
    });

    test('a code goes to the new address; wrong code refused; the change happens only with the right code; old address notified', async () => {
      const res = await post(`${BASE}/email`, { email: 'Nicolas.Nouveau@exemple.fr', current_password: PASSWORD }, 303);
      assert.equal(res.headers.location, `${BASE}/email`);
      const mail = await lastMessageTo(t.db, 'nicolas.nouveau@exemple.fr');
      assert.ok(mail, 'code sent to the new address');
      const code = codeIn(mail.body_text);
      const codeRow = await t.db('one_time_codes').where({ purpose: 'email_change' }).orderBy('id', 'desc').first();
      assert.equal(codeRow.channel, 'email');
      assert.equal(codeRow.destination, 'nicolas.nouveau@exemple.fr');
      assert.deepEqual(JSON.parse(codeRow.context), { email: 'nicolas.nouveau@exemple.fr' });
      const step = decoded((await agent.get(`${BASE}/email`).expect(200)).text);
      assertIncludes(step, 'Un code de confirmation a été envoyé à nicolas.nouveau@exemple.fr.');
      assertIncludes(step, 'Code reçu par e-mail');
      // Not yet changed.
      assert.equal((await member()).email, family.email);
      assert.equal((await account()).email, family.email);
      assertIncludes(decoded((await agent.get(BASE).expect(200)).text), 'Changement en attente de confirmation');

      const wrong = code === '000000' ? '111111' : '000000';
      const bad = await post(`${BASE}/email/confirmer`, { code: wrong }, 422);
      assertIncludes(decoded(bad.text), 'Code incorrect. Il vous reste 4 essais.');
      const malformed = await post(`${BASE}/email/confirmer`, { code: '12ab' }, 422);
      assertIncludes(decoded(malformed.text), 'Saisissez les 6 chiffres du code reçu.');
      assert.equal((await member()).email, family.email);

      const ok = await post(`${BASE}/email/confirmer`, { code }, 303);
      assert.equal(ok.headers.location, BASE);
      assert.equal((await member()).email, 'nicolas.nouveau@exemple.fr');
      const acc = await account();
      assert.equal(acc.email, 'nicolas.nouveau@exemple.fr', 'the login email changed too');
      const audit = await t.db('audit_log').where({ event: 'email_changed', account_id: family.accountId }).first();
      assert.ok(audit, 'the change is in the audit log');
      assert.deepEqual(JSON.parse(audit.detail), { from: family.email.split('@')[1], to: 'exemple.fr' });
      assertExcludes(audit.detail, 'nicolas', 'never the address itself');
      const notice = await lastMessageTo(t.db, family.email);
      assert.match(notice.subject, /Votre adresse e-mail a été modifiée/);
      assertIncludes(notice.body_text, 'nicolas.nouveau@exemple.fr');
      const html = decoded((await agent.get(BASE).expect(200)).text);
      assertIncludes(html, 'Votre adresse e-mail a été modifiée.');
      // The code is single use.
      await post(`${BASE}/email/confirmer`, { code }, 422);
      // The new login works (a minute later: the 2FA code of the first login is recent).
      t.clock.advance(61_000);
      await loginAs(t.app, t.db, 'assure', 'nicolas.nouveau@exemple.fr');
    });

    test('resend: at most once a minute, then a new code', async () => {
      await post(`${BASE}/email`, { email: 'encore.une@exemple.fr', current_password: PASSWORD }, 303);
      const first = codeIn((await lastMessageTo(t.db, 'encore.une@exemple.fr')).body_text);
      const tooSoon = await post(`${BASE}/email`, { email: 'encore.une@exemple.fr', renvoyer: '1' }, 429);
      assertIncludes(decoded(tooSoon.text), "Un code vient d'être envoyé. Vous pourrez en demander un nouveau dans");
      t.clock.advance(61_000);
      await post(`${BASE}/email`, { email: 'encore.une@exemple.fr', renvoyer: '1' }, 303);
      const messages = await t.db('outbox').where({ recipient: 'encore.une@exemple.fr' });
      assert.equal(messages.length, 2);
      // Only the newest code counts.
      const second = codeIn((await lastMessageTo(t.db, 'encore.une@exemple.fr')).body_text);
      if (second !== first) {
        const res = await post(`${BASE}/email/confirmer`, { code: first }, 422);
        assertIncludes(decoded(res.text), 'Code incorrect.');
      }
      const firstRow = await t.db('one_time_codes').where({ destination: 'encore.une@exemple.fr' }).orderBy('id').first();
      assert.ok(firstRow.consumed_at, 'the first code was retired');
      assert.equal((await member()).email, 'nicolas.nouveau@exemple.fr');
    });
  });

  describe('mobile', () => {
    test('a bad number: message at the field, value kept', async () => {
      t.clock.advance(61_000);
      const res = await post(`${BASE}/mobile`, { mobile: '01 23 45 67 89', current_password: PASSWORD }, 422);
      const html = decoded(res.text);
      assertIncludes(html, 'Le numéro de téléphone mobile est invalide.');
      assertIncludes(html, 'value="01 23 45 67 89"');
    });

    test('an SMS code to the new number; the change happens only with the code (htmx: code step in place)', async () => {
      const hx = await post(`${BASE}/mobile`, { mobile: '07 81 23 45 67', current_password: PASSWORD }, 200, { 'HX-Request': 'true' });
      const fragment = decoded(hx.text);
      assert.ok(!fragment.includes('<html') && fragment.includes('Un code de confirmation a été envoyé par SMS au 07 •• •• •• 67.'));
      assertIncludes(fragment, 'Code reçu par SMS');
      const sms = await lastMessageTo(t.db, '+33781234567');
      assert.equal(sms.channel, 'sms');
      const codeRow = await t.db('one_time_codes').where({ purpose: 'contact_change' }).orderBy('id', 'desc').first();
      assert.equal(codeRow.channel, 'sms');
      assert.equal(codeRow.destination, '+33781234567');
      assert.equal((await member()).mobile, (await t.db('members').where({ id: family.memberId }).first()).mobile);
      assert.notEqual((await member()).mobile, '+33781234567');
      await post(`${BASE}/mobile/confirmer`, { code: codeIn(sms.body_text) }, 303);
      assert.equal((await member()).mobile, '+33781234567');
      assert.equal((await account()).mobile, '+33781234567');
      assertIncludes(decoded((await agent.get(BASE).expect(200)).text), '07 81 23 45 67');
      const audit = await t.db('audit_log').where({ event: 'phone_changed', account_id: family.accountId }).first();
      assert.ok(audit);
    });

    test('confirming without a pending change → French message', async () => {
      const res = await post(`${BASE}/mobile/confirmer`, { code: '123456' }, 422);
      assertIncludes(decoded(res.text), 'Aucune modification en attente de confirmation');
    });
  });

  describe('coordonnées bancaires', () => {
    const GOOD = 'FR76 1027 8060 3100 0205 6250 139';

    test('a bad IBAN or BIC: messages at the fields, values kept, nothing saved', async () => {
      const res = await post(
        `${BASE}/iban`,
        { iban: 'FR76 3000 6000 0112 3456 7890 188', bic: 'XX', iban_holder: 'Nicolas Thibault', current_password: PASSWORD },
        422,
      );
      const html = decoded(res.text);
      assertIncludes(html, "L'IBAN est invalide.");
      assertIncludes(html, 'Le code BIC est invalide.');
      assert.ok(html.includes('value="FR76 3000 6000 0112 3456 7890 188"') && html.includes('value="Nicolas Thibault"'));
      assertExcludes(html, `value="${PASSWORD}"`, 'never the password back');
      const missingHolder = await post(`${BASE}/iban`, { iban: GOOD, bic: '', iban_holder: ' ', current_password: PASSWORD }, 422);
      assertIncludes(decoded(missingHolder.text), 'Le nom du titulaire du compte est obligatoire.');
      assert.equal((await member()).iban, 'FR7630006000011234567890189');
    });

    test('a wrong password: message at the field; throttled after repeated failures', async () => {
      const body = { iban: GOOD, bic: 'CMCIFR2A', iban_holder: 'Nicolas Thibault', current_password: 'pas le bon mot de passe' };
      const res = await post(`${BASE}/iban`, body, 422);
      const html = decoded(res.text);
      assertIncludes(html, 'Le mot de passe actuel est incorrect.');
      assertIncludes(html, `value="${GOOD}"`);
      for (let i = 0; i < 5; i++) await post(`${BASE}/iban`, body, 422);
      // Even the right password now waits.
      const throttled = await post(`${BASE}/iban`, { ...body, current_password: PASSWORD }, 429);
      assertIncludes(decoded(throttled.text), 'Trop de tentatives. Pour votre sécurité, patientez');
      assert.equal((await member()).iban, 'FR7630006000011234567890189');
      t.clock.advance(16_000);
    });

    test('wrong passwords sent together: exactly 6 checked, the rest wait, nothing saved', async () => {
      await t
        .db('throttle')
        .where({ key: `reauth:account:${family.accountId}` })
        .delete();
      const token = await tokenFrom(agent, BASE);
      const body = { _csrf: token, iban: GOOD, bic: 'CMCIFR2A', iban_holder: 'Nicolas Thibault', current_password: 'encore un essai' };
      const responses = await Promise.all(Array.from({ length: 20 }, () => agent.post(`${BASE}/iban`).type('form').send(body)));
      const statuses = responses.map((res) => res.status);
      assert.deepEqual({ checked: statuses.filter((s) => s === 422).length, waiting: statuses.filter((s) => s === 429).length }, { checked: 6, waiting: 14 });
      assert.equal((await member()).iban, 'FR7630006000011234567890189');
      await t
        .db('throttle')
        .where({ key: `reauth:account:${family.accountId}` })
        .delete();
    });

    test('success: saved, masked on the confirmation as on the page; audited; member notified', async () => {
      const res = await post(
        `${BASE}/iban`,
        { iban: GOOD.toLowerCase(), bic: 'cmcifr2a', iban_holder: 'M. Nicolas Thibault', current_password: PASSWORD },
        303,
      );
      assert.equal(res.headers.location, BASE);
      const row = await member();
      assert.equal(row.iban, 'FR7610278060310002056250139');
      assert.equal(row.bic, 'CMCIFR2A');
      assert.equal(row.iban_holder, 'M. Nicolas Thibault');
      assert.equal(row.iban_updated_at, t.clock.now.toISOString());
      const html = decoded((await agent.get(BASE).expect(200)).text);
      assertIncludes(html, 'Vos coordonnées bancaires ont été modifiées : FR76 •••• •••• •••• •••• •••0 139.', 'the confirmation masks the IBAN');
      assert.ok(!html.includes('FR76 1027 8060') && !html.includes('FR7610278060'), 'never the full IBAN, not even in the confirmation');
      assertIncludes(html, 'FR76 •••• •••• •••• •••• •••0 139');
      const again = decoded((await agent.get(BASE).expect(200)).text);
      assertExcludes(again, 'FR76 1027 8060', 'masked once the confirmation is gone');
      const audit = await t.db('audit_log').where({ event: 'iban_changed' }).first();
      assert.equal(audit.account_id, family.accountId);
      assertExcludes(String(audit.detail), '10278060', 'no IBAN in the audit log');
      const mail = await lastMessageTo(t.db, 'nicolas.nouveau@exemple.fr');
      assert.match(mail.subject, /Vos coordonnées bancaires ont été modifiées/);
      assertExcludes(mail.body_text, 'FR7610278060310002056250139');
    });
  });

  test('CSRF: each POST without the token → 403', async () => {
    for (const path of ['adresse', 'email', 'email/confirmer', 'mobile', 'mobile/confirmer', 'iban']) {
      await agent
        .post(`${BASE}/${path}`)
        .type('form')
        .send({ postal_code: '75001', email: 'x@exemple.fr', code: '123456', iban: 'FR7630006000011234567890189' })
        .expect(403);
    }
  });

  test('HR and staff sessions → 403; anonymous → login', async () => {
    const hr = await loginAs(t.app, t.db, 'entreprise', (await createAccount(t.db, { kind: 'hr', mobile: '+33639980941' })).email);
    await hr.get(BASE).expect(403);
    await hr.get(`${BASE}/iban`).expect(403);
    const staff = await loginAs(t.app, t.db, 'gestion', (await createAccount(t.db, { kind: 'staff', mobile: '+33639980942' })).email);
    await staff.get(`${BASE}/adresse`).expect(403);
    const token = await tokenFrom(staff, '/gestion/accueil');
    await staff.post(`${BASE}/adresse`).type('form').send({ _csrf: token, address_line1: 'x', postal_code: '75001', city: 'Paris' }).expect(403);
    const { default: request } = await import('supertest');
    const anonymous = await request(t.app).get(BASE);
    assert.equal(anonymous.status, 303);
  });
});

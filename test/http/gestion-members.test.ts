// « Assurés » of the Espace Gestion: the search by name (accents folded), member number or NIR
// (never in an address), paging, a member's file and its audit, « Renvoyer l'e-mail
// d'activation » (its hourly limit) and « Réinitialiser la double authentification » (reason and
// identity check required; the next login asks for the number again), access and CSRF.
// Runs on SQLite, and on PostgreSQL with TEST_PG_URL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { auditSentence, parseAuditDetail, type AuditNames } from '../../src/domain/audit-sentences.js';
import { MEMBERS_PAGE_SIZE } from '../../src/gestion/members/pages.js';
import { MEMBER_TEXTS } from '../../src/gestion/members/texts.js';
import { membersMatching } from '../../src/gestion/members/queries.js';
import { isPostgres } from '../../src/db.js';
import { createThread, requestTeletransmissionChange } from '../../src/correspondence/service.js';
import { createOutbox } from '../../src/stores/outbox.js';
import type { AppContext } from '../../src/context.js';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';
import { createFamily, type Family } from '../helpers/family.js';
import { createAccount, decoded, insertId, lastMessageTo, loginAs, PASSWORD, textOf, tokenFrom } from '../helpers/fixtures.js';
import { createHrCompany, createHrUser } from '../helpers/entreprise.js';
import { fileStoreFor } from '../../src/storage/from-config.js';

type Agent = Awaited<ReturnType<typeof loginAs>>;
let t: TestContext;
let ctx: AppContext;
let helene: Family;
let paul: Family;
let staff: Agent;
let staffAccount: { id: number; email: string };
let member: Agent;
let hrAgent: Agent;

/** Hélène's own NIR (the families of the helper share another one). */
const NIR = '295109912611193';
const NIR_TYPED = '2 95 10 99 126 111 93';

async function post(agent: Agent, url: string, body: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const token = await tokenFrom(agent, '/gestion/accueil');
  return agent
    .post(url)
    .set(headers)
    .type('form')
    .send({ _csrf: token, ...body });
}

async function auditRows(event: string) {
  return t.db('audit_log').where({ event }).orderBy('id');
}

before(async () => {
  t = await makeTestApp();
  ctx = { config: t.config, db: t.db, clock: t.clock, outbox: createOutbox(t.config, t.db, t.clock), files: fileStoreFor(t.config) };
  helene = await createFamily(t.db, { firstName: 'Hélène', lastName: 'Lefèvre' });
  await t.db('members').where({ id: helene.memberId }).update({ nir: NIR });
  paul = await createFamily(t.db, { firstName: 'Paul', lastName: 'Autre' });
  staffAccount = await createAccount(t.db, { kind: 'staff', email: 'claire.assures@exemple.fr', firstName: 'Claire', mobile: '+33639980411' });
  staff = await loginAs(t.app, t.db, 'gestion', staffAccount.email);
  member = await loginAs(t.app, t.db, 'assure', helene.email);
  const company = await createHrCompany(t.db, 'Assurés Boîte Test', 1);
  const hr = await createHrUser(t.db, [{ company, role: 'admin' }], { firstName: 'Eugénie', mobile: '+33639980412' });
  hrAgent = await loginAs(t.app, t.db, 'entreprise', hr.email);
});
after(async () => t.close());

describe('access and CSRF', () => {
  test('logged out → the Gestion door; a member or HR session → 403; an unknown id → 404', async () => {
    const id = paul.memberId;
    const gets = ['/gestion/assures', '/gestion/assures?recherche=autre', `/gestion/assures/${id}`];
    const posts = ['/gestion/assures', `/gestion/assures/${id}/renvoyer-activation`, `/gestion/assures/${id}/reinitialiser-double-authentification`];
    for (const url of gets) {
      const res = await request(t.app).get(url).expect(303);
      assert.equal(res.headers.location, '/gestion', url);
    }
    for (const [agent, home] of [
      [member, '/assure/accueil'],
      [hrAgent, '/entreprise/accueil'],
    ] as const) {
      for (const url of gets) await agent.get(url).expect(403);
      const token = await tokenFrom(agent, home);
      for (const url of posts) await agent.post(url).type('form').send({ _csrf: token, recherche: 'autre', motif: 'x', identite: 'oui' }).expect(403);
    }
    // Nothing happened to Paul's account.
    const account = await t.db('accounts').where({ id: paul.accountId }).first();
    assert.ok(account.mobile);
    assert.equal((await auditRows('member_file_opened')).length, 0);
    for (const url of ['/gestion/assures/999999', '/gestion/assures/abc', '/gestion/assures/99999999999']) await staff.get(url).expect(404);
    assert.equal((await post(staff, '/gestion/assures/999999/renvoyer-activation')).status, 404);
    assert.equal((await post(staff, '/gestion/assures/999999/reinitialiser-double-authentification', { motif: 'x', identite: 'oui' })).status, 404);
  });

  test('every POST refuses a missing or foreign CSRF token', async () => {
    const memberToken = await tokenFrom(member, '/assure/accueil');
    for (const url of [
      '/gestion/assures',
      `/gestion/assures/${paul.memberId}/renvoyer-activation`,
      `/gestion/assures/${paul.memberId}/reinitialiser-double-authentification`,
    ]) {
      await staff.post(url).type('form').send({ recherche: 'autre', motif: 'x', identite: 'oui' }).expect(403);
      await staff.post(url).type('form').send({ _csrf: memberToken, recherche: 'autre', motif: 'x', identite: 'oui' }).expect(403);
    }
    assert.ok((await t.db('accounts').where({ id: paul.accountId }).first()).mobile);
  });
});

describe('search', () => {
  test('the menu offers « Assurés »; a name is found whatever its accents and case, in either order', async () => {
    const home = await staff.get('/gestion/accueil').expect(200);
    assertIncludes(home.text, 'href="/gestion/assures"');
    for (const typed of ['lefevre', 'LEFÈVRE hél', 'helene lef', 'Lefèvre']) {
      const res = await post(staff, '/gestion/assures', { recherche: typed });
      assert.equal(res.status, 303, typed);
      const page = await staff.get(res.headers.location).expect(200);
      assertIncludes(page.text, `href="/gestion/assures/${helene.memberId}"`, typed);
      assertExcludes(page.text, `href="/gestion/assures/${paul.memberId}"`, typed);
      assertIncludes(decoded(page.text), '1 assuré trouvé');
    }
    // A link (GET) searches the same way, and nothing typed lists nobody.
    const byLink = await staff.get('/gestion/assures?recherche=autre').expect(200);
    assertIncludes(byLink.text, `href="/gestion/assures/${paul.memberId}"`);
    const empty = await staff.get('/gestion/assures').expect(200);
    assertExcludes(empty.text, 'href="/gestion/assures/');
  });

  test('by member number', async () => {
    const number = (await t.db('members').where({ id: paul.memberId }).first()).member_number as string;
    const res = await post(staff, '/gestion/assures', { recherche: ` ${number.toLowerCase()} ` });
    assert.equal(res.status, 303);
    const page = await staff.get(res.headers.location).expect(200);
    assertIncludes(page.text, `href="/gestion/assures/${paul.memberId}"`);
    assertExcludes(page.text, `href="/gestion/assures/${helene.memberId}"`);
  });

  test('by NIR: POSTed, answered at an address naming a reference, never the number', async () => {
    const res = await post(staff, '/gestion/assures', { recherche: NIR_TYPED });
    assert.equal(res.status, 303);
    const location = res.headers.location as string;
    assert.match(location, /^\/gestion\/assures\?recherche=nir-[a-f0-9]{12}$/);
    assertExcludes(location, NIR.slice(0, 7));
    const page = await staff.get(location).expect(200);
    assertIncludes(page.text, `href="/gestion/assures/${helene.memberId}"`);
    assertExcludes(page.text, `href="/gestion/assures/${paul.memberId}"`);
    // The field shows the number typed back; the same NIR again gets the same reference.
    assertIncludes(page.text, 'value="2 95 10 99 126 111 93"');
    assert.equal((await post(staff, '/gestion/assures', { recherche: NIR })).headers.location, location);
    // A NIR put in an address by hand is moved out of it at once.
    const typedInUrl = await staff.get(`/gestion/assures?recherche=${NIR}`).expect(303);
    assert.equal(typedInUrl.headers.location, location);
    // The reference means nothing in another session.
    const other = await loginAs(t.app, t.db, 'gestion', (await createAccount(t.db, { kind: 'staff', mobile: '+33639980413' })).email);
    const foreign = await other.get(location).expect(200);
    assertExcludes(foreign.text, `href="/gestion/assures/${helene.memberId}"`);
    // With htmx: the list comes back alone and the pushed address names the reference.
    const htmx = await post(staff, '/gestion/assures', { recherche: NIR_TYPED }, { 'HX-Request': 'true' });
    assert.equal(htmx.status, 200);
    assert.equal(htmx.headers['hx-push-url'], location);
    assertExcludes(htmx.text, '<html');
    assertIncludes(htmx.text, `href="/gestion/assures/${helene.memberId}"`);
  });

  test("by a beneficiary's NIR (the spouse's): the family is found, by index look-ups only, the NIR never in the address", async () => {
    const spouseNir = '287067511300117';
    await t.db('beneficiaries').where({ id: helene.beneficiaries.conjoint }).update({ nir: spouseNir });
    const res = await post(staff, '/gestion/assures', { recherche: '2 87 06 75 113 001 17' });
    assert.equal(res.status, 303);
    const location = res.headers.location as string;
    assert.match(location, /^\/gestion\/assures\?recherche=nir-[a-f0-9]{12}$/);
    const page = await staff.get(location).expect(200);
    assertIncludes(page.text, `href="/gestion/assures/${helene.memberId}"`);
    assertExcludes(page.text, `href="/gestion/assures/${paul.memberId}"`);
    if (!isPostgres(t.db)) {
      // Every table is reached through an index (SEARCH), none read whole (SCAN).
      for (const query of [membersMatching(t.db, { nir: spouseNir }).select('m.id'), membersMatching(t.db, { nir: spouseNir }).count({ n: '*' })]) {
        const { sql, bindings } = query.toSQL();
        const plan: { detail: string }[] = await t.db.raw(`explain query plan ${sql}`, bindings as readonly string[]);
        const details = plan.map((p) => p.detail);
        assert.ok(
          details.some((d) => d.startsWith('SEARCH beneficiaries USING INDEX beneficiaries_nir_index')),
          details.join(' | '),
        );
        assert.ok(!details.some((d) => d.startsWith('SCAN')), details.join(' | '));
      }
    }
  });

  test('bad input: a French message next to the field, the text kept', async () => {
    const wrongKey = await post(staff, '/gestion/assures', { recherche: '2 95 10 99 126 111 94' });
    assert.equal(wrongKey.status, 422);
    assertIncludes(wrongKey.text, 'id="recherche-error"');
    assertIncludes(decoded(wrongKey.text), 'Vérifiez le numéro de Sécurité sociale saisi.');
    assertIncludes(wrongKey.text, 'value="2 95 10 99 126 111 94"');
    const empty = await post(staff, '/gestion/assures', { recherche: '  ' });
    assert.equal(empty.status, 422);
    assertIncludes(decoded(empty.text), MEMBER_TEXTS.search);
    const garbage = await post(staff, '/gestion/assures', { recherche: '12 ab ?' });
    assert.equal(garbage.status, 422);
    assertIncludes(garbage.text, 'value="12 ab ?"');
    const badPage = await staff.get('/gestion/assures?recherche=autre&page=zz').expect(200);
    assertIncludes(decoded(badPage.text), "Ce numéro de page n'est pas valide");
  });

  test('results are paged', async () => {
    const stamp = '2026-11-01T08:00:00.000Z';
    for (let i = 0; i < MEMBERS_PAGE_SIZE + 3; i++) {
      await insertId(t.db, 'members', {
        member_number: `P${String(i).padStart(7, '0')}`,
        nir: '184127511204802',
        sex: 'F',
        last_name: 'Pagination',
        first_name: `Zoé${String(i).padStart(2, '0')}`,
        birth_date: '1990-01-01',
        address_line1: '1 rue',
        postal_code: '75001',
        city: 'Paris',
        created_at: stamp,
        updated_at: stamp,
      });
    }
    const first = await staff.get('/gestion/assures?recherche=pagination').expect(200);
    assertIncludes(decoded(first.text), `${MEMBERS_PAGE_SIZE + 3} assurés trouvés — page 1 sur 2`);
    assert.equal([...first.text.matchAll(/PAGINATION Zoé/g)].length, MEMBERS_PAGE_SIZE);
    assertIncludes(first.text, 'href="/gestion/assures?recherche=pagination&amp;page=2"');
    const second = await staff.get('/gestion/assures?recherche=pagination&page=2').expect(200);
    assert.equal([...second.text.matchAll(/PAGINATION Zoé/g)].length, 3);
    // Past the end: the last page, said so.
    const beyond = await staff.get('/gestion/assures?recherche=pagination&page=9').expect(200);
    assertIncludes(decoded(beyond.text), "La page 9 n'existe pas");
  });
});

describe('the file', () => {
  test('everything about the member, the NIR masked; each opening audited', async () => {
    const change = await requestTeletransmissionChange(
      ctx,
      { side: 'member', accountId: helene.accountId, memberId: helene.memberId },
      helene.beneficiaries.conjoint,
      'request_activation',
    );
    assert.ok(change.ok && change.requestId, JSON.stringify(change));
    const thread = await createThread(
      ctx,
      { side: 'member', accountId: helene.accountId, memberId: helene.memberId },
      {
        category: 'remboursements',
        object: 'remboursement_non_recu',
        body: 'Bonjour',
        files: [],
      },
    );
    const before = (await auditRows('member_file_opened')).length;
    const res = await staff.get(`/gestion/assures/${helene.memberId}`).expect(200);
    const text = decoded(res.text);
    assertIncludes(text, "Dossier d'Hélène Lefèvre");
    const number = (await t.db('members').where({ id: helene.memberId }).first()).member_number as string;
    assertIncludes(text, number);
    assertExcludes(res.text, NIR);
    assertIncludes(text, '2 95 10 •• ••• ••• 93');
    for (const word of ['LEFÈVRE Julie', 'LEFÈVRE Léo', 'Conjoint(e)', 'Active', 'Inactive', 'Agence Lefèvre', 'BASE CCN NC RG', 'En cours'])
      assertIncludes(text, word);
    // Requests and threads link to the staff inbox; the latest décomptes are there.
    assertIncludes(res.text, `href="/gestion/demandes/${change.ok ? change.requestId : 0}"`);
    if (thread.ok) assertIncludes(res.text, `href="/gestion/messages/${thread.id}"`);
    else assert.fail(JSON.stringify(thread));
    const statement = await t.db('statements').where({ member_id: helene.memberId }).orderBy('statement_date', 'desc').first();
    assertIncludes(text, statement.number);
    assertIncludes(text, '17,57');
    // Account: activated, 2FA by SMS, last login.
    assertIncludes(text, 'Actif');
    assertIncludes(text, 'Codes envoyés par SMS au');
    assertExcludes(text, 'Jamais');
    // Audited: who opened whose file, in a French sentence.
    const rows = await auditRows('member_file_opened');
    assert.equal(rows.length, before + 1);
    const row = rows.at(-1);
    assert.equal(row.account_id, staffAccount.id);
    const detail = parseAuditDetail(row.detail);
    assert.equal(detail.member, helene.memberId);
    const names: AuditNames = {
      accounts: new Map(),
      members: new Map([[helene.memberId, 'Hélène Lefèvre']]),
      beneficiaries: new Map(),
      requests: new Map(),
      establishments: new Map(),
      companies: new Map(),
    };
    assert.equal(
      auditSentence({ event: 'member_file_opened', account: 'Claire Martin', accountKind: 'staff', detail, names }),
      "Claire Martin a ouvert le dossier d'Hélène Lefèvre.",
    );
  });
});

describe('account actions', () => {
  test("« Renvoyer l'e-mail d'activation »: only before activation, with an email, 3 an hour", async () => {
    // Activated: refused, nothing sent.
    const activated = await post(staff, `/gestion/assures/${paul.memberId}/renvoyer-activation`);
    assert.equal(activated.status, 409);
    assertIncludes(decoded(activated.text), MEMBER_TEXTS.alreadyActive);
    const fresh = await createFamily(t.db, { firstName: 'Inès', lastName: 'Nouvelle' });
    await t.db('accounts').where({ id: fresh.accountId }).delete();
    const file = await staff.get(`/gestion/assures/${fresh.memberId}`).expect(200);
    assertIncludes(decoded(file.text), 'Non activé');
    for (let i = 1; i <= 3; i++) {
      const res = await post(staff, `/gestion/assures/${fresh.memberId}/renvoyer-activation`);
      assert.equal(res.status, 303, `send ${i}`);
      assert.equal(res.headers.location, `/gestion/assures/${fresh.memberId}`);
    }
    const email = await lastMessageTo(t.db, fresh.email);
    assert.match(email.subject, /^Activez votre Espace Assuré/);
    assertIncludes(email.body_text, '/assure/activation');
    assert.equal(
      await t
        .db('outbox')
        .where({ recipient: fresh.email })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      3,
    );
    const fourth = await post(staff, `/gestion/assures/${fresh.memberId}/renvoyer-activation`);
    assert.equal(fourth.status, 429);
    assertIncludes(decoded(fourth.text), "L'e-mail d'activation a déjà été renvoyé plusieurs fois dans l'heure");
    assert.equal(
      await t
        .db('outbox')
        .where({ recipient: fresh.email })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      3,
    );
    assert.equal((await auditRows('member_activation_email_sent')).filter((r) => parseAuditDetail(r.detail).member === fresh.memberId).length, 3);
    // An hour later it can be sent again.
    t.clock.advance(61 * 60_000);
    // (The idle sessions expired meanwhile.)
    staff = await loginAs(t.app, t.db, 'gestion', staffAccount.email);
    member = await loginAs(t.app, t.db, 'assure', helene.email);
    assert.equal((await post(staff, `/gestion/assures/${fresh.memberId}/renvoyer-activation`)).status, 303);
    // No email: said, nothing sent.
    await t.db('members').where({ id: fresh.memberId }).update({ email: null });
    const noEmail = await post(staff, `/gestion/assures/${fresh.memberId}/renvoyer-activation`);
    assert.equal(noEmail.status, 422);
    assertIncludes(decoded(noEmail.text), MEMBER_TEXTS.noEmail);
  });

  test('« Réinitialiser la double authentification »: reason and identity check required, values kept', async () => {
    const url = `/gestion/assures/${helene.memberId}/reinitialiser-double-authentification`;
    const none = await post(staff, url, { motif: '   ' });
    assert.equal(none.status, 422);
    assertIncludes(decoded(none.text), MEMBER_TEXTS.reasonRequired);
    assertIncludes(decoded(none.text), MEMBER_TEXTS.identityRequired);
    const unchecked = await post(staff, url, { motif: 'Téléphone perdu' });
    assert.equal(unchecked.status, 422);
    assertIncludes(decoded(unchecked.text), 'Téléphone perdu</textarea>');
    assertIncludes(decoded(unchecked.text), MEMBER_TEXTS.identityRequired);
    // htmx: the account section alone, 422, the reason kept.
    const htmx = await post(staff, url, { motif: 'Téléphone perdu' }, { 'HX-Request': 'true' });
    assert.equal(htmx.status, 422);
    assertExcludes(htmx.text, '<html');
    assertIncludes(htmx.text, 'id="compte"');
    assertIncludes(decoded(htmx.text), 'Téléphone perdu</textarea>');
    const account = await t.db('accounts').where({ id: helene.accountId }).first();
    assert.ok(account.mobile, 'nothing changed yet');
    assert.equal((await auditRows('member_two_factor_reset')).length, 0);
  });

  test('a reset forgets the number and the trusted devices, ends the sessions; the next login asks for the number', async () => {
    const url = `/gestion/assures/${helene.memberId}/reinitialiser-double-authentification`;
    assert.ok((await t.db('trusted_devices').where({ account_id: helene.accountId }).whereNull('revoked_at')).length > 0);
    await member.get('/assure/accueil').expect(200);
    t.clock.advance(1000);
    const res = await post(staff, url, { motif: 'Changement de téléphone', identite: 'oui' });
    assert.equal(res.status, 303);
    const page = await staff.get(res.headers.location).expect(200);
    assertIncludes(decoded(page.text), "La double authentification d'Hélène Lefèvre est réinitialisée");
    assertIncludes(decoded(page.text), 'Non configurée');
    const account = await t.db('accounts').where({ id: helene.accountId }).first();
    assert.equal(account.mobile, null);
    assert.equal(account.last_verified_login_at, null);
    assert.equal((await t.db('trusted_devices').where({ account_id: helene.accountId }).whereNull('revoked_at')).length, 0);
    // The member's open session is over.
    const after = await member.get('/assure/accueil');
    assert.equal(after.status, 303);
    // They were told by email.
    assert.match((await lastMessageTo(t.db, helene.email)).subject, /^Votre double authentification a été réinitialisée/);
    // Audited with the reason.
    const [row] = await auditRows('member_two_factor_reset');
    assert.equal(row.account_id, staffAccount.id);
    const detail = parseAuditDetail(row.detail);
    assert.equal(detail.member, helene.memberId);
    assert.equal(detail.reason, 'Changement de téléphone');
    // Next login: the security screen asks for a mobile number (then a code by email).
    const agent = request.agent(t.app);
    const token = await tokenFrom(agent, '/assure');
    const login = await agent.post('/assure/connexion').type('form').send({ _csrf: token, email: helene.email, password: PASSWORD });
    assert.equal(login.headers.location, '/assure/securite');
    const screen = await agent.get('/assure/securite').expect(200);
    assertIncludes(screen.text, 'name="mobile"');
    assertIncludes(textOf(screen.text), 'mobile');
  });

  test('an un-activated member has no 2FA to reset', async () => {
    const fresh = await createFamily(t.db, { firstName: 'Noé', lastName: 'Sanscompte' });
    await t.db('accounts').where({ id: fresh.accountId }).delete();
    const res = await post(staff, `/gestion/assures/${fresh.memberId}/reinitialiser-double-authentification`, { motif: 'x', identite: 'oui' });
    assert.equal(res.status, 409);
    assertIncludes(decoded(res.text), MEMBER_TEXTS.noAccount);
  });
});

// « Données personnelles » in the Espace Gestion (superviseur only) and the HR user's own data
// rights on Mon profil: access (gestionnaire 403, member and HR kept out of /gestion), refusing
// with a reason, accepting (account anonymised, login closed, files deleted, décomptes kept), one
// decision only when two superviseurs click at once, emails and audit. SQLite and PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily, type Family } from '../helpers/family.js';
import { createAccount, decoded, insertId, loginAs, PASSWORD, tokenFrom } from '../helpers/fixtures.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';
import { buildPendingDataExports } from '../../src/personal-data/exports.js';
import { createOutbox } from '../../src/stores/outbox.js';

const BASE = '/gestion/donnees-personnelles';
let t: TestContext;
let family: Family;
let hr: { id: number; email: string };
let member: Awaited<ReturnType<typeof loginAs>>;
let hrAgent: Awaited<ReturnType<typeof loginAs>>;
let superviseur: Awaited<ReturnType<typeof loginAs>>;
let superviseur2: Awaited<ReturnType<typeof loginAs>>;
let gestionnaire: Awaited<ReturnType<typeof loginAs>>;

async function postForm(agent: typeof member, tokenPage: string, url: string, body: Record<string, string> = {}) {
  const token = await tokenFrom(agent, tokenPage);
  return agent
    .post(url)
    .type('form')
    .send({ _csrf: token, ...body });
}

before(async () => {
  t = await makeTestApp();
  family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault', statements: 2 });
  hr = await createAccount(t.db, { kind: 'hr', email: 'rh.efface@exemple.fr', firstName: 'Sophie' });
  const sup = await createAccount(t.db, { kind: 'staff', email: 'superviseur@exemple.fr' });
  const sup2 = await createAccount(t.db, { kind: 'staff', email: 'superviseur2@exemple.fr' });
  await t.db('accounts').whereIn('id', [sup.id, sup2.id]).update({ staff_role: 'superviseur' });
  const gest = await createAccount(t.db, { kind: 'staff', email: 'gestionnaire@exemple.fr' });
  member = await loginAs(t.app, t.db, 'assure', family.email);
  hrAgent = await loginAs(t.app, t.db, 'entreprise', hr.email);
  superviseur = await loginAs(t.app, t.db, 'gestion', sup.email);
  superviseur2 = await loginAs(t.app, t.db, 'gestion', sup2.email);
  gestionnaire = await loginAs(t.app, t.db, 'gestion', gest.email);
  // A file the member sent with a message: erased with the account.
  const threadId = await insertId(t.db, 'message_threads', {
    owner_kind: 'member',
    member_id: family.memberId,
    account_id: family.accountId,
    category: 'autre',
    object: 'Question',
    status: 'open',
    created_at: t.clock().toISOString(),
    last_message_at: t.clock().toISOString(),
  });
  const messageId = await insertId(t.db, 'messages', {
    thread_id: threadId,
    author_kind: 'member',
    author_account_id: family.accountId,
    body: 'Bonjour',
    created_at: t.clock().toISOString(),
  });
  fs.mkdirSync(path.join(t.config.uploadDir, 'messages'), { recursive: true });
  fs.writeFileSync(path.join(t.config.uploadDir, 'messages', 'abc123.pdf'), 'x');
  await t.db('message_attachments').insert({
    message_id: messageId,
    original_name: 'ordonnance.pdf',
    stored_name: 'abc123.pdf',
    mime: 'application/pdf',
    size_bytes: 1,
    created_at: t.clock().toISOString(),
  });
});
after(async () => t.close());

describe('Mon profil (Espace Entreprise) — mes données personnelles', () => {
  test('the HR user downloads their own data once: account, habilitations, audit lines; never a member’s', async () => {
    assertIncludes(decoded((await hrAgent.get('/entreprise/profil').expect(200)).text), 'Télécharger mes données');
    assert.equal((await postForm(hrAgent, '/entreprise/profil', '/entreprise/profil/mes-donnees')).status, 303);
    await buildPendingDataExports(t.db, t.config, createOutbox(t.config, t.db, t.clock), t.clock());
    const row = await t.db('data_exports').where({ account_id: hr.id }).first();
    assert.equal(row.status, 'ready');
    // The member cannot reach it through their own space: not their request.
    assert.equal(
      (await postForm(member, '/assure/informations-personnelles', `/assure/informations-personnelles/mes-donnees/${row.id}/telecharger`)).status,
      404,
    );
    const token = await tokenFrom(hrAgent, '/entreprise/profil');
    const res = await hrAgent
      .post(`/entreprise/profil/mes-donnees/${row.id}/telecharger`)
      .type('form')
      .send({ _csrf: token })
      .buffer(true)
      .parse((r, cb) => {
        const parts: Buffer[] = [];
        r.on('data', (c: Buffer) => parts.push(c));
        r.on('end', () => cb(null, Buffer.concat(parts)));
      });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/zip');
    const zip = (res.body as Buffer).toString('latin1');
    for (const name of ['donnees.json', 'csv/compte.csv', 'csv/habilitations.csv', 'csv/journal.csv']) assert.ok(zip.includes(name), name);
    assert.equal((await postForm(hrAgent, '/entreprise/profil', `/entreprise/profil/mes-donnees/${row.id}/telecharger`)).status, 303);
  });

  test('with htmx: « Télécharger mes données » answers its block alone with the message (409 when one is being prepared); a refused erasure form comes back alone', async () => {
    const token = await tokenFrom(hrAgent, '/entreprise/profil');
    const htmx = () => hrAgent.post('/entreprise/profil/mes-donnees').set('HX-Request', 'true').type('form').send({ _csrf: token });
    const first = await htmx();
    assert.equal(first.status, 200);
    assertExcludes(first.text, '<html');
    assert.match(first.text, /^\s*<section class="card profile-block" id="mes-donnees"/);
    assertIncludes(decoded(first.text), 'nous préparons le fichier de vos données');
    assertIncludes(decoded(first.text), 'en préparation');
    const again = await htmx();
    assert.equal(again.status, 409);
    assertIncludes(decoded(again.text), 'Une demande est déjà en préparation');
    assertExcludes(again.text, '<html');
    assert.equal(
      await t
        .db('data_exports')
        .where({ account_id: hr.id, status: 'pending' })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r!.n)),
      1,
    );

    const refused = await hrAgent
      .post('/entreprise/profil/effacement')
      .set('HX-Request', 'true')
      .type('form')
      .send({ _csrf: token, message: 'Je quitte la société' });
    assert.equal(refused.status, 422);
    assertExcludes(refused.text, '<html');
    assert.match(refused.text, /<div id="effacement-formulaire">/);
    assertIncludes(decoded(refused.text), 'Cochez la case pour confirmer votre demande d’effacement.');
    assertIncludes(refused.text, 'Je quitte la société');
    assert.equal(await t.db('erasure_requests').where({ account_id: hr.id }).first(), undefined);
    // No export left waiting: the tests below count the ZIPs the job builds.
    await t.db('data_exports').where({ account_id: hr.id, status: 'pending' }).delete();
  });

  test('the HR user asks for erasure', async () => {
    assert.equal((await postForm(hrAgent, '/entreprise/profil/effacement', '/entreprise/profil/effacement', { confirmation: 'oui' })).status, 303);
    assertIncludes(decoded((await hrAgent.get('/entreprise/profil').expect(200)).text), 'en cours de traitement');
  });
});

describe('Données personnelles (Espace Gestion)', () => {
  let memberRequest: number;
  let hrRequest: number;

  before(async () => {
    assert.equal(
      (
        await postForm(member, '/assure/informations-personnelles/effacement', '/assure/informations-personnelles/effacement', {
          confirmation: 'oui',
          message: 'Je quitte la mutuelle',
        })
      ).status,
      303,
    );
    memberRequest = (await t.db('erasure_requests').where({ account_id: family.accountId }).first()).id;
    hrRequest = (await t.db('erasure_requests').where({ account_id: hr.id }).first()).id;
  });

  test('a gestionnaire gets 403 on every page and action; members and HR never reach /gestion', async () => {
    await gestionnaire.get(BASE).expect(403);
    await gestionnaire.get(`${BASE}/${memberRequest}`).expect(403);
    assert.equal((await postForm(gestionnaire, '/gestion/accueil', `${BASE}/${memberRequest}/accepter`)).status, 403);
    for (const agent of [member, hrAgent]) {
      await agent.get(BASE).expect(403);
      await agent.get(`${BASE}/${memberRequest}`).expect(403);
    }
    assert.equal((await t.db('erasure_requests').where({ id: memberRequest }).first()).status, 'pending');
  });

  test('the superviseur sees the list, pending first, and the menu entry', async () => {
    const html = decoded((await superviseur.get(BASE).expect(200)).text);
    assertIncludes(html, 'Données personnelles');
    assertIncludes(html, `href="${BASE}/${memberRequest}"`);
    assertIncludes(html, 'Thibault');
    assertIncludes(html, 'À traiter');
    const detail = decoded((await superviseur.get(`${BASE}/${memberRequest}`).expect(200)).text);
    assertIncludes(detail, 'Je quitte la mutuelle');
    assertIncludes(detail, 'Sont conservés pour nos obligations légales');
    await superviseur.get(`${BASE}/999999`).expect(404);
  });

  test("the member's file in « Assurés » shows the request: its page linked for a superviseur, the status only for a gestionnaire", async () => {
    const file = `/gestion/assures/${family.memberId}`;
    const bySuperviseur = decoded((await superviseur.get(file).expect(200)).text);
    assertIncludes(bySuperviseur, "Demandes d'effacement des données");
    assertIncludes(bySuperviseur, `<a href="${BASE}/${memberRequest}">Demande du`);
    assertIncludes(bySuperviseur, 'À traiter');
    const byGestionnaire = decoded((await gestionnaire.get(file).expect(200)).text);
    assertIncludes(byGestionnaire, 'Demande du');
    assertIncludes(byGestionnaire, 'À traiter');
    assertExcludes(byGestionnaire, `href="${BASE}/${memberRequest}"`);
    // The HR user's request is not the member's.
    assertExcludes(bySuperviseur, `href="${BASE}/${hrRequest}"`);
  });

  test('refusing needs a reason (kept next to the field); the HR user is told by email and sees it', async () => {
    const missing = await postForm(superviseur, `${BASE}/${hrRequest}`, `${BASE}/${hrRequest}/refuser`, { reason: '  ' });
    assert.equal(missing.status, 422);
    assertIncludes(decoded(missing.text), 'Indiquez le motif du refus.');
    assert.equal(
      (await postForm(superviseur, `${BASE}/${hrRequest}`, `${BASE}/${hrRequest}/refuser`, { reason: 'Contrat en cours avec votre employeur' })).status,
      303,
    );
    const mail = await t.db('outbox').where({ recipient: hr.email }).orderBy('id', 'desc').first();
    assertIncludes(mail.subject, 'effacement');
    assertIncludes(mail.body_text, '/entreprise/profil');
    assertIncludes(decoded((await hrAgent.get('/entreprise/profil').expect(200)).text), 'Contrat en cours avec votre employeur');
    const audit = await t.db('audit_log').where({ event: 'erasure_refused' }).first();
    assert.equal(JSON.parse(audit.detail).target, hr.id);
  });

  test('accepting (two superviseurs at once: one decision) anonymises the account, closes the login, deletes files, keeps décomptes', async () => {
    // A prepared ZIP of the member's data: deleted with the account's data.
    assert.equal((await postForm(member, '/assure/informations-personnelles', '/assure/informations-personnelles/mes-donnees')).status, 303);
    await buildPendingDataExports(t.db, t.config, createOutbox(t.config, t.db, t.clock), t.clock());
    assert.equal(fs.readdirSync(path.join(t.config.uploadDir, 'exports')).length, 1);
    const statementsBefore = await t.db('statement_lines').where({ member_id: family.memberId }).count({ n: '*' }).first();
    const [a, b] = await Promise.all([
      postForm(superviseur, `${BASE}/${memberRequest}`, `${BASE}/${memberRequest}/accepter`),
      postForm(superviseur2, `${BASE}/${memberRequest}`, `${BASE}/${memberRequest}/accepter`),
    ]);
    assert.deepEqual([a.status, b.status], [303, 303]);
    assert.equal(
      await t
        .db('audit_log')
        .where({ event: 'erasure_accepted' })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r!.n)),
      1,
      'one decision',
    );
    const account = await t.db('accounts').where({ id: family.accountId }).first();
    assert.equal(account.status, 'disabled');
    assert.equal(account.password_hash, null);
    assert.ok(!account.email.includes('thibault') && account.last_name !== 'Thibault');
    const m = await t.db('members').where({ id: family.memberId }).first();
    assert.equal(m.iban, null);
    assert.equal(m.email, null);
    assert.ok(!fs.existsSync(path.join(t.config.uploadDir, 'messages', 'abc123.pdf')), 'file deleted');
    assert.deepEqual(fs.readdirSync(path.join(t.config.uploadDir, 'exports')), [], 'prepared ZIP deleted');
    assert.equal(
      await t
        .db('data_exports')
        .where({ account_id: family.accountId })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r!.n)),
      0,
    );
    assert.equal(
      await t
        .db('message_attachments')
        .count({ n: '*' })
        .first()
        .then((r) => Number(r!.n)),
      0,
    );
    assert.deepEqual(await t.db('statement_lines').where({ member_id: family.memberId }).count({ n: '*' }).first(), statementsBefore, 'décomptes kept');
    // The old session is dead and the login refused.
    const res = await member.get('/assure/informations-personnelles');
    assert.notEqual(res.status, 200);
    const fresh = request.agent(t.app);
    const token = await tokenFrom(fresh, '/assure');
    const login = await fresh.post('/assure/connexion').type('form').send({ _csrf: token, email: family.email, password: PASSWORD });
    assert.notEqual(login.headers.location, '/assure/securite');
    assert.ok(
      login.status === 200 || login.status === 422 || (login.status === 303 && !/\/assure\/(accueil|securite)/.test(login.headers.location)),
      `login ${login.status} ${login.headers.location}`,
    );
    const mail = await t.db('outbox').where({ recipient: family.email }).orderBy('id', 'desc').first();
    assertIncludes(mail.body_text, 'a été acceptée');
    assert.ok(!mail.body_text.includes('Thibault'));
    const list = decoded((await superviseur.get(BASE).expect(200)).text);
    assertIncludes(list, 'Acceptée');
  });
});

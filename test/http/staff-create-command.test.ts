// `npm run staff:create` (src/auth/staff-command.ts, scripts/staff-create.ts): the first superviseur
// of an empty database, without any password — an invitation link, emailed or printed with
// --afficher-lien — that leads to the password, the 2FA and « Comptes ». The function on the test's
// database (SQLite, or PostgreSQL with TEST_PG_URL), and the script itself spawned on it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import { csrfFrom, makeTestApp, type TestContext } from '../helpers/app.js';
import { codeIn, lastMessageTo, linkIn, tokenFrom } from '../helpers/fixtures.js';
import { assertIncludes } from '../helpers/assertions.js';
import { staffCreateCommand } from '../../src/auth/staff-command.js';

const run = promisify(execFile);
const NEW_PASSWORD = 'lanterne vélo prairie 2026 ocre';
let t: TestContext;

before(async () => {
  t = await makeTestApp();
});
after(async () => t.close());

function databaseUrl(): string {
  const d = t.config.database;
  return d.client === 'pg' ? d.url : `sqlite:${d.filename}`;
}

async function staffCount(): Promise<number> {
  const [{ n }] = await t.db('accounts').where({ kind: 'staff' }).count({ n: '*' });
  return Number(n);
}

describe('npm run staff:create', () => {
  test('the script on an empty database: a pending superviseur, no password, the link printed with --afficher-lien; the same address again is refused', async () => {
    assert.equal(await staffCount(), 0);
    const env = { ...process.env, NODE_ENV: 'test', DATA_DIR: t.dataDir, DATABASE_URL: databaseUrl(), LOG_LEVEL: 'silent' };
    const args = ['--import', 'tsx', 'scripts/staff-create.ts', '--email', 'Premiere.Superviseure@Assureur.example', '--prenom', 'Agathe', '--nom', 'Perrin'];
    const { stdout } = await run(process.execPath, [...args, '--afficher-lien'], { env });
    assertIncludes(stdout, 'Compte superviseur créé pour Agathe Perrin (premiere.superviseure@assureur.example), sans mot de passe.');
    const link = linkIn(stdout);
    assert.match(link, /^\/gestion\/creer-mot-de-passe\/[A-Za-z0-9_-]{43}$/);
    const row = await t.db('accounts').where({ kind: 'staff', email: 'premiere.superviseure@assureur.example' }).first();
    assert.equal(row.status, 'pending');
    assert.equal(row.password_hash, null);
    assert.equal(row.staff_role, 'superviseur');
    // Printed, not emailed.
    assert.equal(await lastMessageTo(t.db, row.email), undefined);

    const again = await run(process.execPath, args, { env }).then(
      () => assert.fail('a second run with the same address must fail'),
      (err: { code: number; stderr: string }) => err,
    );
    assert.equal(again.code, 1);
    assertIncludes(again.stderr, "Un compte du personnel existe déjà avec l'adresse premiere.superviseure@assureur.example : rien n'a été créé.");
    assert.equal(await staffCount(), 1);

    // The link → password → 2FA (the number is asked, then confirmed by an email code) → « Comptes ».
    const agent = request.agent(t.app);
    const page = await agent.get(link).expect(200);
    const created = await agent
      .post(link)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    assert.equal(created.status, 303);
    const login = await agent
      .post('/gestion/connexion')
      .type('form')
      .send({ _csrf: await tokenFrom(agent, '/gestion'), email: row.email, password: NEW_PASSWORD });
    assert.equal(login.headers.location, '/gestion/securite');
    const numberAsked = await agent
      .post('/gestion/securite/numero')
      .type('form')
      .send({ _csrf: await tokenFrom(agent, '/gestion/securite/numero'), mobile: '06 12 34 56 01' });
    assert.equal(numberAsked.status, 303);
    const emailCode = codeIn((await lastMessageTo(t.db, row.email)).body_text);
    await agent
      .post('/gestion/securite/numero/verifier')
      .type('form')
      .send({ _csrf: await tokenFrom(agent, '/gestion/securite'), code: emailCode })
      .expect(303);
    // The number confirmed, the SMS code is sent to it at once.
    const sms = await lastMessageTo(t.db, '+33612345601');
    const verified = await agent
      .post('/gestion/securite/verifier')
      .type('form')
      .send({ _csrf: await tokenFrom(agent, '/gestion/securite'), code: codeIn(sms.body_text) });
    assert.equal(verified.headers.location, '/gestion/accueil');
    await agent.get('/gestion/comptes').expect(200);
    const audit = await t.db('audit_log').where({ event: 'staff_invited' }).first();
    assert.equal(audit.account_id, null);
    assert.equal(JSON.parse(audit.detail).command, true);
  });

  test('without --afficher-lien the invitation is emailed; in production without SMTP it refuses and creates nothing', async () => {
    const sent = await staffCreateCommand(
      ['--email', 'second@assureur.example', '--prenom', 'Bruno', '--nom', 'Caron', '--mobile', '06 12 34 56 02'],
      t.config,
      t.db,
    );
    assert.equal(sent.code, 0, sent.lines.join('\n'));
    const mail = await lastMessageTo(t.db, 'second@assureur.example');
    assertIncludes(mail.subject, "Votre accès à l'Espace Gestion");
    assert.match(linkIn(mail.body_text), /^\/gestion\/creer-mot-de-passe\//);
    assert.ok(!sent.lines.some((l) => l.includes('/gestion/creer-mot-de-passe/')), 'the link is not printed');

    const before = await staffCount();
    const production = { ...t.config, nodeEnv: 'production' as const, smtpUrl: null };
    const refused = await staffCreateCommand(['--email', 'troisieme@assureur.example', '--prenom', 'Chloé', '--nom', 'Dumas'], production, t.db);
    assert.equal(refused.code, 1);
    assertIncludes(refused.lines.join('\n'), "SMTP_URL n'est pas configuré");
    assert.equal(await staffCount(), before);
  });

  test('wrong arguments: French messages, exit code 2, nothing created', async () => {
    const before = await staffCount();
    for (const argv of [[], ['--email', 'pas-une-adresse', '--prenom', 'A', '--nom', 'B'], ['--email', 'x@assureur.example', '--prenom', 'A'], ['--inconnu']]) {
      const result = await staffCreateCommand(argv, t.config, t.db);
      assert.equal(result.code, 2, argv.join(' '));
      assertIncludes(result.lines.join('\n'), 'Usage : npm run staff:create');
    }
    const missing = await staffCreateCommand(['--email', 'x@assureur.example', '--prenom', 'A'], t.config, t.db);
    assertIncludes(missing.lines.join('\n'), 'Indiquez le nom (--nom).');
    assert.equal(await staffCount(), before);
  });
});

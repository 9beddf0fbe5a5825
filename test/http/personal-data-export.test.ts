// « Télécharger mes données » (src/personal-data/): the request, the background job that builds the
// ZIP, the one download (two at once: one wins), expiry, another member's 404, and the erasure
// request form. Runs on SQLite and on PostgreSQL (TEST_PG_URL).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily, type Family } from '../helpers/family.js';
import { decoded, loginAs, tokenFrom } from '../helpers/fixtures.js';
import { assertIncludes } from '../helpers/assertions.js';
import { buildPendingDataExports, expireDataExportFiles } from '../../src/personal-data/exports.js';
import { createOutbox } from '../../src/stores/outbox.js';
import { fileStoreFor } from '../../src/storage/from-config.js';

const BASE = '/assure/informations-personnelles';
let t: TestContext;
let family: Family;
let other: Family;
let agent: Awaited<ReturnType<typeof loginAs>>;
let otherAgent: Awaited<ReturnType<typeof loginAs>>;

before(async () => {
  t = await makeTestApp();
  family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault', statements: 2 });
  other = await createFamily(t.db, { firstName: 'Claire', lastName: 'Autre', statements: 0 });
  agent = await loginAs(t.app, t.db, 'assure', family.email);
  otherAgent = await loginAs(t.app, t.db, 'assure', other.email);
  // A request with a file the member sent: it goes into the ZIP.
  const [req] = await t
    .db('requests')
    .insert({
      member_id: family.memberId,
      kind: 'remboursement',
      object: 'optique',
      reference: 'R-TEST-1',
      status: 'submitted',
      created_at: t.clock().toISOString(),
      updated_at: t.clock().toISOString(),
    })
    .returning('id');
  const requestId = typeof req === 'object' ? req.id : req;
  fs.mkdirSync(path.join(t.config.uploadDir, 'requests'), { recursive: true });
  fs.writeFileSync(path.join(t.config.uploadDir, 'requests', 'a1b2c3d4e5f6.pdf'), '%PDF-1.4 facture');
  await t.db('request_attachments').insert({
    request_id: requestId,
    original_name: 'facture lunettes.pdf',
    stored_name: 'a1b2c3d4e5f6.pdf',
    mime: 'application/pdf',
    size_bytes: 16,
    created_at: t.clock().toISOString(),
  });
});
after(async () => t.close());

async function post(who: typeof agent, url: string, body: Record<string, string> = {}) {
  const token = await tokenFrom(who, BASE);
  return who
    .post(url)
    .type('form')
    .send({ _csrf: token, ...body });
}

const runJob = () => buildPendingDataExports(t.db, t.config, createOutbox(t.config, t.db, t.clock), t.clock());

async function zipEntries(buffer: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, string>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const parts: Buffer[] = [];
          stream.on('data', (c: Buffer) => parts.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(parts).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.readEntry();
    });
  });
}

describe('Télécharger mes données', () => {
  let exportId: number;

  test('the request is recorded once; the page says « en préparation »', async () => {
    const first = await post(agent, `${BASE}/mes-donnees`);
    assert.equal(first.status, 303);
    const again = await post(agent, `${BASE}/mes-donnees`);
    assert.equal(again.status, 303);
    const rows = await t.db('data_exports').where({ account_id: family.accountId });
    assert.equal(rows.length, 1, 'at most one request in preparation');
    exportId = rows[0].id;
    const html = decoded((await agent.get(BASE).expect(200)).text);
    assertIncludes(html, 'Une demande est déjà en préparation');
    assertIncludes(html, 'en préparation');
    assert.ok(await t.db('audit_log').where({ event: 'data_export_requested', account_id: family.accountId }).first());
  });

  test('two instances running the job at once build it once', async () => {
    const results = await Promise.all([runJob(), runJob()]);
    assert.equal(results[0] + results[1], 1);
    assert.equal(fs.readdirSync(path.join(t.config.uploadDir, 'exports')).length, 1);
    assert.equal(
      await t
        .db('outbox')
        .where({ recipient: family.email })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r!.n)),
      1,
      'one email',
    );
  });

  test('the job built the ZIP, and the email has no personal data and links to the page', async () => {
    assert.equal(await runJob(), 0, 'nothing left to build');
    const row = await t.db('data_exports').where({ id: exportId }).first();
    assert.equal(row.status, 'ready');
    assert.ok(fs.existsSync(path.join(t.config.uploadDir, 'exports', row.stored_name)));
    const mail = await t.db('outbox').where({ recipient: family.email }).orderBy('id', 'desc').first();
    assertIncludes(mail.body_text, `${t.config.publicUrl}${BASE}`);
    for (const secret of ['Thibault', 'F0000', '184127511204802', 'FR76']) assert.ok(!mail.body_text.includes(secret), `no ${secret} in the email`);
    const html = decoded((await agent.get(BASE).expect(200)).text);
    assertIncludes(html, "prêt jusqu'au 29/11/2026");
    assertIncludes(html, `action="${BASE}/mes-donnees/${exportId}/telecharger"`);
  });

  test('another member cannot download it: 404, and the file stays', async () => {
    const res = await post(otherAgent, `${BASE}/mes-donnees/${exportId}/telecharger`);
    assert.equal(res.status, 404);
    assert.equal((await t.db('data_exports').where({ id: exportId }).first()).status, 'ready');
  });

  test('two downloads at once: exactly one gets the ZIP, the other is told it is gone; the file is deleted', async () => {
    const token = await tokenFrom(agent, BASE);
    const send = () =>
      agent
        .post(`${BASE}/mes-donnees/${exportId}/telecharger`)
        .type('form')
        .send({ _csrf: token })
        .buffer(true)
        .parse((r, cb) => {
          const parts: Buffer[] = [];
          r.on('data', (c: Buffer) => parts.push(c));
          r.on('end', () => cb(null, Buffer.concat(parts)));
        });
    const results = await Promise.all([send(), send()]);
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 303);
    assert.equal(ok.length, 1, `statuses ${results.map((r) => r.status)}`);
    assert.equal(refused.length, 1);
    assert.equal(ok[0]!.headers['content-type'], 'application/zip');
    const entries = await zipEntries(ok[0]!.body as Buffer);
    const json = JSON.parse(entries.get('donnees.json')!);
    assert.equal(json.profil[0].last_name, 'Thibault');
    assert.equal(json.famille.length, 4);
    assert.ok(json.decomptes.length > 0, 'décomptes exported');
    assert.equal(json.demandes[0].reference, 'R-TEST-1');
    assertIncludes(entries.get('csv/decomptes.csv')!, 'frais_reels_cents');
    assert.equal(entries.get('documents/001-facture lunettes.pdf'), '%PDF-1.4 facture');
    assert.ok(!JSON.stringify(json).includes('password_hash'), 'no secrets');
    // A third try, after the fact: refused with a message.
    const third = await post(agent, `${BASE}/mes-donnees/${exportId}/telecharger`);
    assert.equal(third.status, 303);
    const html = decoded((await agent.get(BASE).expect(200)).text);
    assertIncludes(html, 'Ce fichier a déjà été téléchargé ou a expiré');
    assertIncludes(html, 'téléchargé</strong> le');
    const row = await t.db('data_exports').where({ id: exportId }).first();
    for (let i = 0; i < 50 && row.stored_name; i += 1) {
      await new Promise((r) => setTimeout(r, 20));
      row.stored_name = (await t.db('data_exports').where({ id: exportId }).first()).stored_name;
    }
    assert.equal(row.stored_name, null, 'file forgotten once sent');
    assert.deepEqual(fs.readdirSync(path.join(t.config.uploadDir, 'exports')), [], 'file deleted');
  });

  test('not downloaded within 7 days: refused, then « expiré » and the file deleted', async () => {
    assert.equal((await post(agent, `${BASE}/mes-donnees`)).status, 303);
    await runJob();
    const row = await t.db('data_exports').where({ account_id: family.accountId }).orderBy('id', 'desc').first();
    t.clock.advance(7 * 24 * 3600 * 1000 + 1000);
    // A week later the session is long over: log in again.
    agent = await loginAs(t.app, t.db, 'assure', family.email);
    assert.equal((await post(agent, `${BASE}/mes-donnees/${row.id}/telecharger`)).status, 303);
    const expired = await expireDataExportFiles(t.db, fileStoreFor(t.config), t.clock());
    assert.deepEqual(
      expired.map((r) => r.id),
      [row.id],
    );
    assert.deepEqual(fs.readdirSync(path.join(t.config.uploadDir, 'exports')), []);
    assertIncludes(decoded((await agent.get(BASE).expect(200)).text), 'expiré</strong>');
  });
});

describe("Demander l'effacement de mes données", () => {
  test('the confirmation is required; the message is kept; one pending request at a time', async () => {
    const missing = await post(agent, `${BASE}/effacement`, { message: 'Merci de tout effacer' });
    assert.equal(missing.status, 422);
    const html = decoded(missing.text);
    assertIncludes(html, 'Cochez la case pour confirmer votre demande d’effacement.');
    assertIncludes(html, 'Merci de tout effacer</textarea>');
    assert.equal((await post(agent, `${BASE}/effacement`, { message: 'Merci', confirmation: 'oui' })).status, 303);
    assert.equal((await post(agent, `${BASE}/effacement`, { confirmation: 'oui' })).status, 303);
    const rows = await t.db('erasure_requests').where({ account_id: family.accountId });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].message, 'Merci');
    assertIncludes(decoded((await agent.get(BASE).expect(200)).text), 'en cours de traitement');
  });

  test('without a session: sent to the login', async () => {
    const res = await (await import('supertest')).default(t.app).get(`${BASE}/effacement`);
    assert.ok([302, 303].includes(res.status));
  });
});

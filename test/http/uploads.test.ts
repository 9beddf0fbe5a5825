// The upload middleware on a small app with the portal's session and CSRF middleware.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { sessionMiddleware } from '../../src/middleware/session.js';
import { csrfLocals, csrfProtection } from '../../src/middleware/csrf.js';
import { sniffType, uploads } from '../../src/middleware/uploads.js';
import { assertExcludes } from '../helpers/assertions.js';
import { fileStoreFor } from '../../src/storage/from-config.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const HTML = Buffer.from('<html><script>alert(1)</script></html>');

let t: TestContext;
let app: express.Express;
let actions = 0;
let parserOnlyRuns = 0;
const uploadDir = () => path.join(t.dataDir, 'uploads');

before(async () => {
  t = await makeTestApp();
  app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use(sessionMiddleware(t.config, t.db));
  app.use(csrfLocals);
  app.use(csrfProtection);
  app.get('/form', (_req, res) => {
    res.send(`token=${String(res.locals.csrfToken)}`);
  });
  app.post(
    '/envoi',
    ...uploads(
      { config: t.config, files: fileStoreFor(t.config) },
      { folder: 'essais', fields: [{ name: 'pieces', maxCount: 4 }], maxFileBytes: 1024, maxFiles: 4, allowed: ['pdf', 'jpeg', 'png'] },
    ),
    (req, res) => {
      res.json({ error: req.uploadError?.message ?? null, code: req.uploadError?.code ?? null, files: req.uploads ?? [], message: req.body.message ?? null });
    },
  );
  // A route that does not parse multipart itself, and a path shared by such a route and an upload route.
  app.post('/action', (_req, res) => {
    actions += 1;
    res.send('fait');
  });
  app.post('/partage', (_req, _res, next) => {
    actions += 1;
    next();
  });
  app.post(
    '/partage',
    ...uploads(
      { config: t.config, files: fileStoreFor(t.config) },
      { folder: 'essais', fields: [{ name: 'pieces', maxCount: 1 }], maxFileBytes: 1024, maxFiles: 1, allowed: ['pdf'] },
    ),
    (_req, res) => {
      res.send('fait');
    },
  );
  // A route written with the parser alone (the chain's second step forgotten): still no bypass.
  app.post(
    '/parseur-seul',
    uploads(
      { config: t.config, files: fileStoreFor(t.config) },
      { folder: 'essais', fields: [{ name: 'pieces', maxCount: 1 }], maxFileBytes: 1024, maxFiles: 1, allowed: ['pdf'] },
    )[0],
    (_req, res) => {
      parserOnlyRuns += 1;
      res.send('fait');
    },
  );
  app.use((err: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(err.status ?? 500).send('refusé');
  });
});
after(async () => t.close());

async function agentWithToken() {
  const agent = request.agent(app);
  const res = await agent.get('/form');
  return { agent, token: res.text.replace('token=', '') };
}

describe('uploads', () => {
  test('types are recognised by content', () => {
    assert.equal(sniffType(PDF), 'pdf');
    assert.equal(sniffType(PNG), 'png');
    assert.equal(sniffType(Buffer.from([0xff, 0xd8, 0xff, 0xe0])), 'jpeg');
    assert.equal(sniffType(Buffer.from([0, 1, 2, 3])), null);
  });

  test('accepted files are stored under random names outside the web root, text fields kept', async () => {
    const { agent, token } = await agentWithToken();
    const res = await agent
      .post('/envoi')
      .field('_csrf', token)
      .field('message', 'Bonjour')
      .attach('pieces', PDF, 'facture.pdf')
      .attach('pieces', PNG, '../../etc/photo.png')
      .expect(200);
    assert.equal(res.body.error, null);
    assert.equal(res.body.code, null);
    assert.equal(res.body.message, 'Bonjour');
    assert.equal(res.body.files.length, 2);
    const [pdf, png] = res.body.files;
    assert.equal(pdf.mime, 'application/pdf');
    assert.equal(png.originalName, 'photo.png', 'no path kept from the browser');
    assert.match(pdf.storedName, /^[0-9a-f]{32}\.pdf$/);
    assert.ok(fs.existsSync(path.join(uploadDir(), 'essais', pdf.storedName)));
    assert.equal(pdf.folder, 'essais');
    assertExcludes(fileStoreFor(t.config).localPath(pdf.folder, pdf.storedName)!, 'public');
  });

  test('a file whose content is not an allowed type is refused whatever its name', async () => {
    const { agent, token } = await agentWithToken();
    const res = await agent
      .post('/envoi')
      .field('_csrf', token)
      .attach('pieces', HTML, { filename: 'facture.pdf', contentType: 'application/pdf' })
      .expect(200);
    assert.match(res.body.error, /n'est pas accepté/);
    assert.equal(res.body.code, 'bad-type');
    assert.equal(res.body.files.length, 0);
    assert.deepEqual(fs.readdirSync(path.join(uploadDir(), 'tmp')), [], 'temporary file removed');
  });

  test('an empty file is refused with its code and name, and nothing is kept', async () => {
    const { agent, token } = await agentWithToken();
    const res = await agent.post('/envoi').field('_csrf', token).attach('pieces', PDF, 'facture.pdf').attach('pieces', Buffer.alloc(0), 'vide.pdf').expect(200);
    assert.equal(res.body.code, 'empty');
    assert.equal(res.body.error, '« vide.pdf » est vide.');
    assert.equal(res.body.files.length, 0);
    assert.deepEqual(fs.readdirSync(path.join(uploadDir(), 'tmp')), []);
  });

  test('size and count limits give a French message and keep nothing', async () => {
    const { agent, token } = await agentWithToken();
    const big = await agent
      .post('/envoi')
      .field('_csrf', token)
      .attach('pieces', Buffer.concat([PDF, Buffer.alloc(2048)]), 'gros.pdf')
      .expect(200);
    assert.match(big.body.error, /au plus 0?,?\d* ?Mo|au plus/);
    assert.equal(big.body.code, 'too-large');
    let req = agent.post('/envoi').field('_csrf', token);
    for (let i = 0; i < 5; i++) req = req.attach('pieces', PDF, `p${i}.pdf`);
    const many = await req.expect(200);
    assert.match(many.body.error, /au plus 4 fichiers/);
    assert.equal(many.body.code, 'too-many');
    assert.deepEqual(fs.readdirSync(path.join(uploadDir(), 'tmp')), []);
  });

  test('a multipart POST without a valid CSRF token is refused and keeps no file', async () => {
    const before = fs.readdirSync(path.join(uploadDir(), 'essais')).length;
    await request(app).post('/envoi').field('_csrf', 'faux').attach('pieces', PDF, 'a.pdf').expect(403);
    const { agent, token } = await agentWithToken();
    await agent.post('/envoi').attach('pieces', PDF, 'a.pdf').expect(403);
    await agent.post('/envoi').set('X-CSRF-Token', token).attach('pieces', PDF, 'a.pdf').expect(200);
    assert.equal(fs.readdirSync(path.join(uploadDir(), 'essais')).length, before + 1);
    assert.deepEqual(fs.readdirSync(path.join(uploadDir(), 'tmp')), []);
  });

  test('a body busboy cannot read (a NUL in a part header, no end, no boundary) is a bad request, not a server error, and keeps nothing', async () => {
    const { agent, token } = await agentWithToken();
    const nulInFileName = Buffer.concat([
      Buffer.from(`--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`),
      Buffer.from('--x\r\nContent-Disposition: form-data; name="pieces"; filename="a.pdf\u0000.exe"\r\nContent-Type: application/pdf\r\n\r\n'),
      PDF,
      Buffer.from('\r\n--x--\r\n'),
    ]);
    const bodies: [string, Buffer][] = [
      ['multipart/form-data; boundary=x', nulInFileName],
      [
        'multipart/form-data; boundary=x',
        Buffer.from(
          `--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--x\r\nContent-Disposition: form-data; name="pieces"; filename="a.pdf"\r\n\r\n%PDF`,
        ),
      ],
      ['multipart/form-data', Buffer.from(`_csrf=${token}`)],
    ];
    for (const [type, body] of bodies) {
      const res = await agent.post('/envoi').set('Content-Type', type).set('X-CSRF-Token', token).send(body);
      assert.equal(res.status, 400, `${type}: ${res.status}`);
    }
    assert.deepEqual(fs.readdirSync(path.join(uploadDir(), 'tmp')), [], 'nothing left in tmp');
  });

  test('the upload parser alone refuses a missing or wrong token: the exempted function is the one that verifies', async () => {
    const { agent, token } = await agentWithToken();
    await agent.post('/parseur-seul').attach('pieces', PDF, 'a.pdf').expect(403);
    await agent.post('/parseur-seul').field('_csrf', 'faux').attach('pieces', PDF, 'a.pdf').expect(403);
    await request(app).post('/parseur-seul').set('Content-Type', 'multipart/form-data; boundary=x').send('--x--\r\n').expect(403);
    assert.equal(parserOnlyRuns, 0, 'the handler never ran');
    assert.deepEqual(fs.readdirSync(path.join(uploadDir(), 'tmp')), [], 'refused files removed');
    await agent.post('/parseur-seul').field('_csrf', token).attach('pieces', PDF, 'a.pdf').expect(200);
    assert.equal(parserOnlyRuns, 1);
    // Without the chain's second step the accepted file stays in tmp: remove it for the next tests.
    for (const f of fs.readdirSync(path.join(uploadDir(), 'tmp'))) fs.rmSync(path.join(uploadDir(), 'tmp', f));
  });

  test('a multipart POST to a route that does not start with the upload parser is refused before it runs', async () => {
    const { agent, token } = await agentWithToken();
    const empty = (req: request.Test) => req.set('Content-Type', 'multipart/form-data; boundary=x').send('--x--\r\n');
    await empty(agent.post('/action')).expect(403);
    await empty(request(app).post('/action')).expect(403);
    await empty(agent.post('/action').set('X-CSRF-Token', 'faux')).expect(403);
    // A token in a multipart body is unreadable before parsing: only the header is accepted here.
    await agent.post('/action').field('_csrf', token).expect(403);
    // A path that a plain route matches too is checked before any handler, even with an upload route behind.
    await empty(agent.post('/partage')).expect(403);
    await agent.post('/partage').field('_csrf', token).attach('pieces', PDF, 'a.pdf').expect(403);
    assert.equal(actions, 0, 'no handler ran');
    await empty(agent.post('/action').set('X-CSRF-Token', token)).expect(200);
    await agent.post('/action').type('form').send({ _csrf: token }).expect(200);
    assert.equal(actions, 2);
  });
});

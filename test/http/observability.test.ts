// Probes, logs and metrics (src/observability/): /healthz without the database, /readyz's three
// checks and its 503s, one JSON log line per request with ids but no personal data, and /metrics —
// a 404 unless METRICS_TOKEN is set, 401/403 without the right token, counts by route pattern, job
// runs and failures, the outbox queue. One database for the file; an app per configuration on it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createAccount, loginAs } from '../helpers/fixtures.js';
import { createApp } from '../../src/app.js';
import { createDb } from '../../src/db.js';
import { startJobs } from '../../src/jobs.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const TOKEN = 'a'.repeat(24) + 'jeton-de-test-metrics';
let t: TestContext;

before(async () => {
  t = await makeTestApp();
});
after(async () => t.close());

describe('/healthz and /readyz', () => {
  test('both answer 200 in JSON, without a session cookie', async () => {
    const health = await request(t.app).get('/healthz').expect(200);
    assert.deepEqual(health.body, { status: 'ok' });
    const ready = await request(t.app).get('/readyz').expect(200);
    assert.deepEqual(ready.body, { status: 'ok' });
    assert.equal(ready.headers['set-cookie'], undefined);
    assert.equal(ready.headers['cache-control'], 'no-store');
  });

  test('/readyz: 503 when a migration of db/migrations/index.ts is not applied; /healthz still 200', async () => {
    const last = await t.db('knex_migrations').orderBy('id', 'desc').first();
    await t.db('knex_migrations').where({ id: last.id }).delete();
    try {
      const res = await request(t.app).get('/readyz').expect(503);
      assert.deepEqual(res.body, { status: 'indisponible', check: 'migrations', reason: '1 migration(s) non appliquée(s)' });
      await request(t.app).get('/healthz').expect(200);
    } finally {
      await t.db('knex_migrations').insert(last);
    }
    await request(t.app).get('/readyz').expect(200);
  });

  test('/readyz: 503 when the upload folder cannot take a file', async () => {
    // A plain file where the folder should be: refused even to root (chmod would not stop root).
    fs.rmSync(t.config.uploadDir, { recursive: true, force: true });
    fs.writeFileSync(t.config.uploadDir, '');
    try {
      const res = await request(t.app).get('/readyz').expect(503);
      assert.deepEqual(res.body, { status: 'indisponible', check: 'uploads', reason: 'dossier des pièces jointes non accessible en écriture' });
    } finally {
      fs.rmSync(t.config.uploadDir);
      fs.mkdirSync(t.config.uploadDir, { recursive: true });
    }
    await request(t.app).get('/readyz').expect(200);
    assert.deepEqual(fs.readdirSync(t.config.uploadDir), [], 'the probe file is removed');
  });

  test('/readyz: 503 when the database does not answer', async () => {
    const unreachable = createDb(t.config.database);
    const app = createApp({ config: t.config, db: unreachable, clock: t.clock });
    // A login page saves a session: the session store has finished its start-up check.
    await request(app).get('/assure').expect(200);
    // The connection pool closed: every query is refused at once.
    await unreachable.destroy();
    const res = await request(app).get('/readyz').expect(503);
    assert.deepEqual(res.body, { status: 'indisponible', check: 'database', reason: 'base de données injoignable' });
    await request(app).get('/healthz').expect(200);
  });
});

describe('request logs', () => {
  test('one JSON line per request: id (as in X-Request-Id), method, route, status, duration, account kind and id — never the email, NIR, query string or cookie', async () => {
    const lines: string[] = [];
    const app = createApp({
      config: { ...t.config, logLevel: 'info' },
      db: t.db,
      clock: t.clock,
      logDestination: { write: (line: string) => void lines.push(line) },
    });
    const account = await createAccount(t.db, { kind: 'member', email: 'claire.journal@exemple.fr' });
    const member = await t.db('members').where({ email: account.email }).first();
    const agent = await loginAs(app, t.db, 'assure', account.email);
    const page = await agent.get(`/assure/accueil?email=${encodeURIComponent(account.email)}&nir=${member.nir}`).expect(200);
    await request(app).get('/healthz').expect(200);

    const all = lines.join('');
    assertExcludes(all, account.email);
    assertExcludes(all, encodeURIComponent(account.email));
    assertExcludes(all, member.nir);
    assertExcludes(all, 'portail.sid', 'no cookie');
    assertExcludes(all, 'healthz', 'probes are not logged');
    const entries = lines.map((line) => JSON.parse(line));
    const home = entries.find((e) => e.req?.path === '/assure/accueil');
    assert.ok(home, 'the page view is logged');
    assert.equal(home.req.id, page.headers['x-request-id']);
    assert.equal(home.req.method, 'GET');
    assert.equal(home.route, '/assure/accueil');
    assert.equal(home.status, 200);
    assert.equal(typeof home.responseTime, 'number');
    assert.deepEqual(home.user, { kind: 'member', id: account.id });
    assert.deepEqual(Object.keys(home.res), ['statusCode']);
    const login = entries.find((e) => e.req?.method === 'POST' && e.route === '/assure/connexion');
    assert.ok(login, 'the login is logged');
    assert.equal(login.status, 303);
  });
});

describe('/metrics', () => {
  test('a 404 when METRICS_TOKEN is not set', async () => {
    await request(t.app).get('/metrics').expect(404);
  });

  test('401 without a token, 403 with another one, the Prometheus text with it: requests by route pattern, job runs and failures, the outbox queue', async (ctx) => {
    const metrics = createMetrics(t.db);
    const app = createApp({ config: { ...t.config, metricsToken: TOKEN }, db: t.db, clock: t.clock, metrics });
    const missing = await request(app).get('/metrics').expect(401);
    assert.equal(missing.headers['www-authenticate'], 'Bearer');
    await request(app).get('/metrics').set('Authorization', `Bearer ${TOKEN}x`).expect(403);
    await request(app).get('/metrics').set('Authorization', 'Bearer court').expect(403);

    await request(app).get('/affiliation/lien-secret-123').expect(404);
    await request(app).get('/page-qui-nexiste-pas').expect(404);
    await t.db('outbox').insert([
      { channel: 'email', recipient: 'x@exemple.fr', body_text: 'a', status: 'pending', attempts: 0, created_at: t.clock().toISOString() },
      { channel: 'email', recipient: 'y@exemple.fr', body_text: 'b', status: 'sent', attempts: 1, created_at: t.clock().toISOString() },
    ]);
    ctx.mock.method(console, 'error', () => {});
    let stop = () => {};
    await new Promise<void>((resolve) => {
      let runs = 0;
      const done = () => (++runs === 2 ? setImmediate(resolve) : undefined);
      stop = startJobs({ db: t.db, config: t.config, metrics }, [
        { name: 'essai-ok', everyMs: 3_600_000, run: async () => void done() },
        {
          name: 'essai-echec',
          everyMs: 3_600_000,
          run: async () => {
            done();
            throw new Error('échec voulu');
          },
        },
      ]);
    });
    stop();

    const res = await request(app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    assert.match(res.headers['content-type'], /^text\/plain/);
    assertIncludes(res.text, 'http_requests_total{method="GET",route="/affiliation/:token",status="404"} 1');
    assertIncludes(res.text, 'http_requests_total{method="GET",route="(aucune route)",status="404"} 1');
    assertIncludes(res.text, 'http_requests_total{method="GET",route="/metrics",status="401"} 1');
    assertIncludes(res.text, 'http_request_duration_seconds_count{method="GET",route="/affiliation/:token"} 1');
    assertExcludes(res.text, 'lien-secret-123');
    assertIncludes(res.text, 'portail_job_runs_total{job="essai-ok"} 1');
    assertIncludes(res.text, 'portail_job_runs_total{job="essai-echec"} 1');
    assertIncludes(res.text, 'portail_job_failures_total{job="essai-echec"} 1');
    assertExcludes(res.text, 'portail_job_failures_total{job="essai-ok"}');
    assertIncludes(res.text, 'portail_outbox_pending 1');
    assertIncludes(res.text, 'process_resident_memory_bytes');
  });
});

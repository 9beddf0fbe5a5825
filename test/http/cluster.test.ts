// The real server with two workers (WEB_CONCURRENCY=2, src/server.ts): one logged-in member is
// served by both in turn (sessions live in the database), a killed worker is replaced and the
// session goes on there, and SIGTERM stops every process cleanly. WORKER_PID_HEADER=true makes each
// response say which process answered; every request opens its own connection, so the cluster's
// round robin hands them to the workers in turn.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily, type Family } from '../helpers/family.js';
import { codeIn, lastMessageTo, PASSWORD } from '../helpers/fixtures.js';
import { csrfFrom } from '../helpers/app.js';
import { assertIncludes } from '../helpers/assertions.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

interface Answer {
  status: number;
  pid: number;
  location: string | undefined;
  body: string;
}

const METRICS_TOKEN = 'jeton-de-mesure-du-test-cluster-0123456789';

let t: TestContext;
let family: Family;
let port: number;
let server: ChildProcess;
let exited: Promise<number | null>;
const output = { text: '' };
const cookies = new Map<string, string>();

/** One request on a connection of its own, keeping the cookies like a browser. */
function send(method: 'GET' | 'POST', path: string, form?: Record<string, string>, extra: http.OutgoingHttpHeaders = {}): Promise<Answer> {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  const headers: http.OutgoingHttpHeaders = { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...extra };
  if (body) Object.assign(headers, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      for (const line of res.headers['set-cookie'] ?? []) {
        const [pair] = line.split(';');
        const eq = pair.indexOf('=');
        cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, pid: Number(res.headers['x-worker-pid']), location: res.headers.location, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function waitFor(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  for (let waited = 0; !check(); waited += 100) {
    if (waited > ms) throw new Error(`${what} — ${output.text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  t = await makeTestApp();
  family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault' });
  port = await freePort();
  const database = t.config.database;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: t.dataDir,
    DATABASE_URL: database.client === 'pg' ? database.url : `sqlite:${database.filename}`,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
    WEB_CONCURRENCY: '2',
    WORKER_PID_HEADER: 'true',
    METRICS_TOKEN,
  };
  delete env.SESSION_SECRET;
  server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.on('data', (c: Buffer) => (output.text += c.toString()));
  server.stderr!.on('data', (c: Buffer) => (output.text += c.toString()));
  exited = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
  await waitFor(() => output.text.includes('disponible sur'), 'the server did not start', 150_000);
});
after(async () => {
  server.kill('SIGKILL');
  await t.close();
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('two workers serve one logged-in member in turn; a killed worker is replaced; SIGTERM ends every process with 0', { timeout: 400_000 }, async () => {
  assertIncludes(output.text, '2 processus');
  const pids = new Set<number>();
  const steps: Answer[] = [];
  const step = async (answer: Promise<Answer>) => {
    const a = await answer;
    steps.push(a);
    pids.add(a.pid);
    return a;
  };

  // The login with its SMS code: the form, the password, the code sent, the code checked —
  // the session and its CSRF token travel from worker to worker.
  const loginPage = await step(send('GET', '/assure'));
  const password = await step(send('POST', '/assure/connexion', { _csrf: csrfFrom(loginPage.body), email: family.email, password: PASSWORD }));
  assert.equal(password.status, 303, password.body);
  assert.equal(password.location, '/assure/securite');
  const codePage = await step(send('GET', '/assure/securite'));
  assert.equal((await step(send('POST', '/assure/securite/envoyer', { _csrf: csrfFrom(codePage.body) }))).status, 303);
  const member = await t.db('accounts').where({ email: family.email, kind: 'member' }).first();
  const sms = await lastMessageTo(t.db, member.mobile);
  const verifyPage = await step(send('GET', '/assure/securite'));
  const verified = await step(send('POST', '/assure/securite/verifier', { _csrf: csrfFrom(verifyPage.body), code: codeIn(sms.body_text) }));
  assert.equal(verified.status, 303, verified.body);

  for (let i = 0; i < 6; i++) {
    const home = await step(send('GET', '/assure/accueil'));
    assert.equal(home.status, 200, `request ${i} answered by ${home.pid}`);
    assertIncludes(home.body, 'Nicolas');
  }
  assert.equal(pids.size, 2, `two workers answered: ${steps.map((s) => s.pid).join(', ')}`);
  assert.ok(!pids.has(server.pid!), 'the primary serves nothing');

  // One scrape answers for the whole instance, whichever worker takes it: both workers' requests
  // summed, and the jobs the primary runs.
  const scrapes = new Map<number, string>();
  for (let i = 0; i < 6 && scrapes.size < 2; i++) {
    const scrape = await send('GET', '/metrics', undefined, { authorization: `Bearer ${METRICS_TOKEN}` });
    assert.equal(scrape.status, 200, scrape.body);
    scrapes.set(scrape.pid, scrape.body);
  }
  assert.equal(scrapes.size, 2, 'both workers answered a scrape');
  const homes = steps.filter((s) => s.body.includes('Nicolas')).length;
  for (const [pid, text] of scrapes) {
    assertIncludes(text, `http_requests_total{method="GET",route="/assure/accueil",status="200"} ${homes}`);
    assert.match(text, /portail_job_runs_total\{job="[a-z-]+"\} [1-9]/, `the primary's job runs, in the scrape of ${pid}`);
    assert.match(text, /^portail_outbox_pending \d+$/m);
  }

  // A worker killed outright is replaced, and the session goes on in the new one.
  const [killed, survivor] = [...pids];
  process.kill(killed, 'SIGKILL');
  await waitFor(() => output.text.includes(`Processus ${killed} arrêté (signal SIGKILL) : remplacé`), 'no replacement said');
  await waitFor(() => /Processus \d+ prêt \(remplaçant\)/.test(output.text), 'the replacement did not listen', 150_000);
  const replacement = new Set<number>();
  for (let i = 0; i < 10 && replacement.size === 0; i++) {
    const home = await send('GET', '/assure/accueil').catch(() => null);
    if (!home) continue;
    assert.notEqual(home.pid, killed);
    if (home.pid !== survivor) {
      assert.equal(home.status, 200);
      assertIncludes(home.body, 'Nicolas');
      replacement.add(home.pid);
    }
  }
  assert.equal(replacement.size, 1, 'the new worker answered with the same session');

  // SIGTERM: every worker stops, the primary exits 0.
  server.kill('SIGTERM');
  assert.equal(await exited, 0, output.text);
  assertIncludes(output.text, 'SIGTERM reçu');
  for (const pid of [survivor, ...replacement]) assert.ok(!isAlive(pid), `worker ${pid} stopped`);
});

// Demo mode (outside production) is visible and local: a « Démonstration — données fictives » strip
// on the pages of every layout, /dev/* answered only to requests that came from this machine
// (a real connection from another address, and proxy headers naming one). Production: no strip,
// no /dev.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import request from 'supertest';
import type { Express } from 'express';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { codeIn, createAccount, lastMessageTo, PASSWORD, textOf } from '../helpers/fixtures.js';
import { createHrCompany, createHrUser } from '../helpers/entreprise.js';
import { createAffiliationRequest } from '../helpers/affiliation-requests.js';
import type { Db } from '../../src/db.js';
import { SESSION_COOKIE } from '../../src/middleware/session.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const STRIP = 'Démonstration — données fictives';

/**
 * A browser of its own: keeps the session cookie itself (supertest's agent never sends a Secure
 * cookie over the plain HTTP of the tests) and sends `headers` with every request.
 */
class Browser {
  private cookie = '';
  constructor(
    private readonly app: Express,
    private readonly headers: Record<string, string>,
  ) {}

  private async run(req: request.Test) {
    req.set(this.headers);
    if (this.cookie) req.set('Cookie', this.cookie);
    const res = await req;
    const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (set) this.cookie = set.split(';')[0];
    return res;
  }

  get(path: string) {
    return this.run(request(this.app).get(path));
  }

  /** Reads the CSRF token on `formPage`, then posts the form. */
  async post(formPage: string, path: string, body: Record<string, string>) {
    const token = (await this.get(formPage)).text.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
    return this.run(
      request(this.app)
        .post(path)
        .type('form')
        .send({ _csrf: token, ...body }),
    );
  }
}

/** Logs in through a door (SMS 2FA included). */
async function login(app: Express, db: Db, door: 'assure' | 'entreprise' | 'gestion', email: string, headers: Record<string, string>): Promise<Browser> {
  const browser = new Browser(app, headers);
  const res = await browser.post(`/${door}`, `/${door}/connexion`, { email, password: PASSWORD });
  assert.equal(res.status, 303, `login ${door}`);
  if (res.headers.location === `/${door}/securite`) {
    assert.equal((await browser.post(`/${door}/securite`, `/${door}/securite/envoyer`, {})).status, 303);
    const kind = { assure: 'member', entreprise: 'hr', gestion: 'staff' }[door];
    const account = await db('accounts').where({ email, kind }).first();
    const code = codeIn((await lastMessageTo(db, account.mobile)).body_text);
    assert.equal((await browser.post(`/${door}/securite`, `/${door}/securite/verifier`, { code })).status, 303);
  }
  return browser;
}

/** One page of each layout (public, assure, entreprise, gestion, affiliation) and an error page. */
async function pagesOfEveryLayout(t: TestContext, headers: Record<string, string>): Promise<{ name: string; html: string }[]> {
  const member = await createAccount(t.db, { kind: 'member' });
  const staff = await createAccount(t.db, { kind: 'staff' });
  const company = await createHrCompany(t.db, 'Société Démo');
  const hr = await createHrUser(t.db, [{ company, role: 'admin' }]);
  const link = await createAffiliationRequest(t.db, t.clock(), { company });
  const get = async (browser: Browser, path: string, status = 200) => {
    const res = await browser.get(path);
    assert.equal(res.status, status, path);
    return res.text;
  };
  const anonymous = new Browser(t.app, headers);
  return [
    { name: 'public', html: await get(anonymous, '/') },
    { name: 'public (404)', html: await get(anonymous, '/page-inconnue', 404) },
    { name: 'assure', html: await get(await login(t.app, t.db, 'assure', member.email, headers), '/assure/accueil') },
    { name: 'entreprise', html: await get(await login(t.app, t.db, 'entreprise', hr.email, headers), '/entreprise/accueil') },
    { name: 'gestion', html: await get(await login(t.app, t.db, 'gestion', staff.email, headers), '/gestion/accueil') },
    { name: 'affiliation', html: await get(anonymous, `/affiliation/${link.token}`) },
  ];
}

describe('outside production (demo mode)', () => {
  let t: TestContext;
  before(async () => {
    t = await makeTestApp({ NODE_ENV: 'development', SEED_DEMO: 'false', LOG_LEVEL: 'silent' });
  });
  after(async () => t.close());

  test('every layout shows the « Démonstration — données fictives » strip, in the banner above the content', async () => {
    for (const page of await pagesOfEveryLayout(t, {})) {
      assertIncludes(textOf(page.html), STRIP, `${page.name}: strip`);
      const strip = page.html.indexOf('class="demo-strip"');
      assert.ok(strip > page.html.indexOf('role="banner"') && strip < page.html.indexOf('id="contenu"'), `${page.name}: in the banner, before the content`);
    }
  });

  test('/dev/outbox answers a request from this machine', async () => {
    await request(t.app).get('/dev/outbox').expect(200);
    await request(t.app).get('/dev/outbox').set('X-Forwarded-For', '127.0.0.1').expect(200);
    await request(t.app).get('/dev/outbox').set('X-Forwarded-For', '::1').expect(200);
    await request(t.app).get('/dev/outbox').set('Host', 'localhost:3000').expect(200);
    await request(t.app).get('/dev/outbox').set('Host', '[::1]:3000').expect(200);
  });

  test('/dev/* is an unknown page behind a local proxy that forwards no address but the public name', async () => {
    for (const headers of [
      { Host: 'portail.example.fr' },
      { Host: 'portail.example.fr:443' },
      { 'X-Forwarded-Host': 'portail.example.fr' },
      { Host: '192.0.2.5' },
    ]) {
      const res = await request(t.app).get('/dev/outbox').set(headers);
      assert.equal(res.status, 404, JSON.stringify(headers));
      assert.doesNotMatch(res.text, /Boîte d'envoi/);
    }
  });

  test('/dev/* is an unknown page for a request that a proxy forwarded from another address, whatever it claims besides', async () => {
    for (const headers of [
      { 'X-Forwarded-For': '203.0.113.7' },
      { 'X-Forwarded-For': '127.0.0.1, 203.0.113.7' },
      { 'X-Forwarded-For': '203.0.113.7, 127.0.0.1' },
      { 'X-Forwarded-For': '::ffff:192.0.2.10' },
      { 'X-Real-IP': '198.51.100.4' },
      { Forwarded: 'for=203.0.113.7;proto=https' },
      { Forwarded: 'for="[2001:db8::1]:4711"' },
      { Forwarded: 'for=unknown' },
    ]) {
      const res = await request(t.app).get('/dev/outbox').set(headers);
      assert.equal(res.status, 404, JSON.stringify(headers));
      assert.doesNotMatch(res.text, /Boîte d'envoi/);
    }
  });
});

/** A non-loopback IPv4 address of this machine, if it has one. */
function externalAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}

function getFrom(port: number, host: string, localAddress: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: '/dev/outbox', localAddress, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

describe('/dev/* over a real connection from another address (HOST set to every interface)', () => {
  let t: TestContext;
  let server: http.Server;
  let port: number;
  const external = externalAddress();
  before(async () => {
    // TRUST_PROXY=true: even when Express believes any X-Forwarded-For, the connection's own address counts.
    t = await makeTestApp({ NODE_ENV: 'development', SEED_DEMO: 'false', LOG_LEVEL: 'silent', HOST: '0.0.0.0', TRUST_PROXY: 'true' });
    server = t.app.listen(0, '0.0.0.0');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  test('from another address: 404, even claiming to be forwarded for 127.0.0.1; from loopback: 200', {
    skip: external ? false : 'this machine has no non-loopback IPv4 address',
  }, async () => {
    assert.equal(await getFrom(port, '127.0.0.1', '127.0.0.1'), 200);
    assert.equal(await getFrom(port, external!, external!), 404);
    assert.equal(await getFrom(port, external!, external!, { 'X-Forwarded-For': '127.0.0.1' }), 404);
  });
});

describe('production', () => {
  let t: TestContext;
  before(async () => {
    t = await makeTestApp({ NODE_ENV: 'production', SESSION_SECRET: 'p'.repeat(48), TRUST_PROXY: 'loopback' });
  });
  after(async () => t.close());

  test('no strip on any layout, no /dev', async () => {
    for (const page of await pagesOfEveryLayout(t, { 'X-Forwarded-Proto': 'https' })) {
      assertExcludes(textOf(page.html), 'Démonstration', `${page.name}: no strip`);
      assertExcludes(page.html, 'demo-strip', page.name);
    }
    await request(t.app).get('/dev/outbox').expect(404);
  });
});

// Production is served over HTTPS: the session cookie is always Secure (behind TRUST_PROXY, a
// request that reached the proxy over plain HTTP gets no cookie at all, never one without Secure);
// a lab with ALLOW_INSECURE_HTTP=true works over plain HTTP, with the cookie Secure over HTTPS only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { SESSION_COOKIE } from '../../src/middleware/session.js';

const PRODUCTION = { NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(48) };

/** The session cookie a login page sets (its form creates the CSRF token, so the session), if any. */
async function sessionCookie(app: TestContext['app'], headers: Record<string, string> = {}): Promise<string | undefined> {
  const res = await request(app).get('/assure').set(headers).expect(200);
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
}

describe('production behind an HTTPS proxy (TRUST_PROXY)', () => {
  let t: TestContext;
  before(async () => {
    t = await makeTestApp({ ...PRODUCTION, TRUST_PROXY: 'loopback' });
  });
  after(async () => t.close());

  test('the session cookie is Secure, HttpOnly, SameSite=Lax', async () => {
    const cookie = await sessionCookie(t.app, { 'X-Forwarded-Proto': 'https' });
    assert.ok(cookie, 'a session cookie');
    assert.match(cookie, /;\s*Secure/i);
    assert.match(cookie, /;\s*HttpOnly/i);
    assert.match(cookie, /;\s*SameSite=Lax/i);
  });

  test('a request that reached the proxy over plain HTTP gets no session cookie, never one without Secure', async () => {
    assert.equal(await sessionCookie(t.app, { 'X-Forwarded-Proto': 'http' }), undefined);
    assert.equal(await sessionCookie(t.app), undefined);
  });

  test('pages ask browsers to upgrade subresources to HTTPS', async () => {
    const res = await request(t.app).get('/').set('X-Forwarded-Proto', 'https').expect(200);
    assert.match(res.headers['content-security-policy'], /upgrade-insecure-requests/);
  });
});

describe('a production lab over plain HTTP (ALLOW_INSECURE_HTTP=true)', () => {
  let t: TestContext;
  before(async () => {
    t = await makeTestApp({ ...PRODUCTION, ALLOW_INSECURE_HTTP: 'true' });
  });
  after(async () => t.close());

  test('the session works over plain HTTP (cookie without Secure: browsers would drop a Secure one)', async () => {
    const cookie = await sessionCookie(t.app);
    assert.ok(cookie, 'a session cookie');
    assert.doesNotMatch(cookie, /;\s*Secure/i);
    assert.match(cookie, /;\s*HttpOnly/i);
  });

  test('subresources stay on HTTP (no upgrade-insecure-requests), and it is still production: no /dev, no demo strip', async () => {
    const res = await request(t.app).get('/').expect(200);
    assert.doesNotMatch(res.headers['content-security-policy'], /upgrade-insecure-requests/);
    assert.doesNotMatch(res.text, /Démonstration/);
    await request(t.app).get('/dev/outbox').expect(404);
  });
});

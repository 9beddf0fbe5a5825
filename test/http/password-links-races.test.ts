// Issue #11 A5: links issued at the same moment for one account and purpose (« Renvoyer le lien »
// clicked twice, two « Mot de passe oublié » at once) leave at most one live link
// (createLinkToken in src/auth/queries.ts). Each scenario sends the requests together and checks
// every link that was emailed: exactly one opens the page, the others answer 410. On PostgreSQL the
// dangerous interleaving is also forced: a transaction of the test holds the row of the link alive
// before, so that both requests wait at their revoke, then lets them go on together.
// Runs on SQLite, and on PostgreSQL with TEST_PG_URL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { onlyOnPostgres, until, waitingForLocks } from '../helpers/pg-locks.js';
import { createAccount, linkIn, loginAs, tokenFrom } from '../helpers/fixtures.js';
import { createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { assertIncludes } from '../helpers/assertions.js';

let t: TestContext;
let verdier: TestCompany;
let admin: Awaited<ReturnType<typeof loginAs>>;
const ROUNDS = 3;
const AT_ONCE = 4;
let ipCounter = 0;
const freshIp = () => ({ 'X-Forwarded-For': `198.51.100.${++ipCounter}` });

before(async () => {
  t = await makeTestApp({ TRUST_PROXY: 'true' });
  verdier = await createHrCompany(t.db, 'Cabinet Verdier Immobilier', 1);
  const rhAdmin = await createHrUser(t.db, [{ company: verdier, role: 'admin' }], { email: 'rh.admin@demo.example' });
  admin = await loginAs(t.app, t.db, 'entreprise', rhAdmin.email);
});
after(async () => t.close());

/** The link paths emailed to a recipient after the outbox message `afterId`, oldest first. */
async function linksSentTo(recipient: string, afterId: number): Promise<string[]> {
  const rows: { body_text: string }[] = await t.db('outbox').where({ recipient }).where('id', '>', afterId).orderBy('id');
  return rows.map((r) => linkIn(r.body_text));
}
async function lastOutboxId(): Promise<number> {
  return Number((await t.db('outbox').max({ id: 'id' }))[0].id ?? 0);
}
/** How many of the links open their page (200); every other one must answer 410. */
async function workingLinks(paths: string[]): Promise<number> {
  let working = 0;
  for (const path of paths) {
    const res = await request(t.app).get(path);
    assertIncludes([200, 410], res.status, `${path}: ${res.status}`);
    if (res.status === 200) working++;
  }
  return working;
}
const liveLinks = async (accountId: number, purpose: string) =>
  Number((await t.db('link_tokens').where({ account_id: accountId, purpose }).whereNull('used_at').whereNull('revoked_at').count({ n: '*' }))[0].n);

/** « Mot de passe oublié » sent `n` times at once for the email (from different addresses: the per-IP limit is not the point). */
async function forgotTogether(email: string, n: number) {
  const ready = await Promise.all(
    Array.from({ length: n }, async () => {
      const agent = request.agent(t.app);
      return { agent, ip: freshIp(), token: await tokenFrom(agent, '/assure/mot-de-passe-oublie') };
    }),
  );
  return ready.map(({ agent, ip, token }) => agent.post('/assure/mot-de-passe-oublie').set(ip).type('form').send({ _csrf: token, email }));
}
/** « Renvoyer le lien » sent `n` times at once by the administrator. */
async function resendTogether(accountId: number, n: number) {
  const token = await tokenFrom(admin, '/entreprise/habilitations');
  return Array.from({ length: n }, () => admin.post(`/entreprise/habilitations/${accountId}/renvoyer-lien`).type('form').send({ _csrf: token }));
}

// ------------------------------------------------------------------ forcing an interleaving (PostgreSQL)
/**
 * Holds the live link of the account while the requests are sent, until each of them waits for a
 * lock (the old code: both at the revoke of that link, then both insert), then lets them go.
 */
async function whileLinkHeld(accountId: number, purpose: string, send: () => PromiseLike<{ status: number }>[]) {
  const blocker = await t.db.transaction();
  let sent: Promise<{ status: number }[]>;
  try {
    await blocker('link_tokens').where({ account_id: accountId, purpose }).whereNull('used_at').whereNull('revoked_at').forUpdate().select('id');
    const requests = send().map((r) => Promise.resolve(r));
    let answered = 0;
    for (const r of requests) void r.finally(() => answered++);
    sent = Promise.all(requests);
    await until(async () => answered + (await waitingForLocks(t.db)) >= requests.length, 'every request to wait or answer');
  } finally {
    await blocker.commit();
  }
  return sent;
}

describe('« Mot de passe oublié » asked several times at the same moment', () => {
  test('exactly one of the links emailed works', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const { id, email } = await createAccount(t.db, { kind: 'member', email: `oubli.${i}@exemple.fr` });
      const mark = await lastOutboxId();
      const answers = await Promise.all(await forgotTogether(email, AT_ONCE));
      assert.deepEqual(
        answers.map((r) => r.status),
        Array(AT_ONCE).fill(303),
        `round ${i}`,
      );
      const links = await linksSentTo(email, mark);
      assert.equal(links.length, AT_ONCE, `round ${i}: one email per request`);
      assert.equal(await workingLinks(links), 1, `round ${i}: links working`);
      assert.equal(await liveLinks(id, 'password_reset'), 1, `round ${i}: live links`);
    }
  });

  test('PostgreSQL, forced: two requests waiting at the same revoke leave one live link', async (ctx) => {
    if (!onlyOnPostgres(ctx, t.db)) return;
    const { id, email } = await createAccount(t.db, { kind: 'member', email: 'oubli.force@exemple.fr' });
    const first = await Promise.all(await forgotTogether(email, 1));
    assert.equal(first[0].status, 303);
    const mark = await lastOutboxId();
    const ready = await forgotTogether(email, 2);
    const answers = await whileLinkHeld(id, 'password_reset', () => ready);
    assert.deepEqual(
      answers.map((r) => r.status),
      [303, 303],
    );
    const links = await linksSentTo(email, mark);
    assert.equal(links.length, 2);
    assert.equal(await workingLinks(links), 1, 'links working');
    assert.equal(await liveLinks(id, 'password_reset'), 1, 'live links');
  });
});

describe('« Renvoyer le lien » clicked several times at the same moment', () => {
  const invite = (email: string) => createHrUser(t.db, [{ company: verdier, role: 'user' }], { email, status: 'pending', password: null });

  test('exactly one of the invitation links emailed works', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const { id, email } = await invite(`invite.${i}@exemple.fr`);
      const mark = await lastOutboxId();
      const answers = await Promise.all(await resendTogether(id, AT_ONCE));
      assert.deepEqual(
        answers.map((r) => r.status),
        Array(AT_ONCE).fill(303),
        `round ${i}`,
      );
      const links = await linksSentTo(email, mark);
      assert.equal(links.length, AT_ONCE, `round ${i}: one email per click`);
      assert.equal(await workingLinks(links), 1, `round ${i}: links working`);
      assert.equal(await liveLinks(id, 'password_creation'), 1, `round ${i}: live links`);
    }
  });

  test('PostgreSQL, forced: two clicks waiting at the same revoke leave one live link', async (ctx) => {
    if (!onlyOnPostgres(ctx, t.db)) return;
    const { id, email } = await invite('invite.force@exemple.fr');
    assert.equal((await Promise.all(await resendTogether(id, 1)))[0].status, 303);
    const mark = await lastOutboxId();
    const ready = await resendTogether(id, 2);
    const answers = await whileLinkHeld(id, 'password_creation', () => ready);
    assert.deepEqual(
      answers.map((r) => r.status),
      [303, 303],
    );
    const links = await linksSentTo(email, mark);
    assert.equal(links.length, 2);
    assert.equal(await workingLinks(links), 1, 'links working');
    assert.equal(await liveLinks(id, 'password_creation'), 1, 'live links');
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { delayAfter, longestWait, throttleRules, throttleState, waitMessage } from '../../src/domain/throttle.js';
import { recordFailure, refundAttempt, reserveAttempt, reserveAttempts, resetThrottle } from '../../src/stores/throttle.js';
import { makeTestApp, type TestContext } from '../helpers/app.js';

test('no delay within the free allowance, then a doubling delay up to a ceiling', () => {
  const rule = throttleRules.loginAccount;
  assert.equal(delayAfter(rule.free, rule), 0);
  assert.equal(delayAfter(rule.free + 1, rule), rule.baseDelayMs);
  assert.equal(delayAfter(rule.free + 2, rule), rule.baseDelayMs * 2);
  assert.equal(delayAfter(rule.free + 3, rule), rule.baseDelayMs * 4);
  assert.equal(delayAfter(rule.free + 50, rule), rule.maxDelayMs, 'capped: never a permanent lock');
});

test('French wait messages', () => {
  assert.match(waitMessage(1), /1 seconde avant/);
  assert.match(waitMessage(30), /30 secondes/);
  assert.match(waitMessage(61), /2 minutes/);
});

test('a key waits until its blocked_until, rounded up to the next second', () => {
  const now = new Date('2026-11-22T09:00:00.000Z');
  assert.deepEqual(throttleState(null, now), { allowed: true, retryAfterSeconds: 0 });
  assert.deepEqual(throttleState(undefined, now), { allowed: true, retryAfterSeconds: 0 });
  assert.deepEqual(throttleState('2026-11-22T09:00:00.000Z', now), { allowed: true, retryAfterSeconds: 0 }, 'the wait ends at that instant');
  assert.deepEqual(throttleState('2026-11-22T08:59:00.000Z', now), { allowed: true, retryAfterSeconds: 0 });
  assert.deepEqual(throttleState('2026-11-22T09:00:00.001Z', now), { allowed: false, retryAfterSeconds: 1 });
  assert.deepEqual(throttleState('2026-11-22T09:00:15.000Z', now), { allowed: false, retryAfterSeconds: 15 });
});

test('several keys: the longest wait wins, free only when every key is', () => {
  assert.deepEqual(longestWait([]), { allowed: true, retryAfterSeconds: 0 });
  assert.deepEqual(
    longestWait([
      { allowed: true, retryAfterSeconds: 0 },
      { allowed: true, retryAfterSeconds: 0 },
    ]),
    { allowed: true, retryAfterSeconds: 0 },
  );
  assert.deepEqual(
    longestWait([
      { allowed: false, retryAfterSeconds: 15 },
      { allowed: true, retryAfterSeconds: 0 },
      { allowed: false, retryAfterSeconds: 90 },
    ]),
    { allowed: false, retryAfterSeconds: 90 },
  );
});

// The counters themselves, on a real database (SQLite, or PostgreSQL with TEST_PG_URL).
describe('the throttle table', () => {
  let t: TestContext;
  before(async () => {
    t = await makeTestApp();
  });
  after(async () => t.close());
  const start = new Date('2026-11-22T09:00:00.000Z');
  const at = (ms: number) => new Date(start.getTime() + ms);
  const row = (key: string) => t.db('throttle').where({ key }).first();

  test('each failure sets the wait delayAfter() gives, for every rule, up to the ceiling', async () => {
    for (const [name, rule] of Object.entries(throttleRules)) {
      for (let n = 1; n <= rule.free + 8; n++) {
        await recordFailure(t.db, `sequence:${name}`, rule, start);
        const stored = await row(`sequence:${name}`);
        assert.equal(Number(stored.failures), n);
        const delay = delayAfter(n, rule);
        assert.equal(stored.blocked_until, delay ? at(delay).toISOString() : null, `${name}, failure ${n}`);
      }
    }
  });

  test('a reservation is refused while the key waits, and counts nothing then', async () => {
    const rule = throttleRules.loginAccount;
    for (let n = 0; n < rule.free; n++) assert.equal((await reserveAttempt(t.db, 'wait', rule, start)).allowed, true);
    const last = await reserveAttempt(t.db, 'wait', rule, start);
    assert.ok(last.allowed && last.reservation.failures === rule.free + 1, 'the attempt after the free ones is let through and sets the wait');
    const refused = await reserveAttempt(t.db, 'wait', rule, at(1000));
    assert.deepEqual(refused, { allowed: false, retryAfterSeconds: 14 });
    assert.equal(Number((await row('wait')).failures), rule.free + 1);
    const later = await reserveAttempt(t.db, 'wait', rule, at(rule.baseDelayMs));
    assert.ok(later.allowed && later.reservation.failures === rule.free + 2, 'allowed again once the wait is over');
  });

  test('a quiet day starts the count again', async () => {
    const rule = throttleRules.loginAccount;
    for (let n = 0; n < rule.free + 1; n++) await recordFailure(t.db, 'quiet', rule, start);
    const next = await reserveAttempt(t.db, 'quiet', rule, at(24 * 3600_000 + 1));
    assert.ok(next.allowed && next.reservation.failures === 1);
    const stored = await row('quiet');
    assert.equal(stored.window_started_at, at(24 * 3600_000 + 1).toISOString());
    assert.equal(stored.blocked_until, null);
  });

  test('a refund gives the key back its state when no attempt came after, and only the count otherwise', async () => {
    const rule = throttleRules.loginIp;
    for (let n = 0; n < rule.free + 1; n++) await recordFailure(t.db, 'refund', rule, start);
    // The wait of the last failure is over: a right password from this address.
    const ours = await reserveAttempt(t.db, 'refund', rule, at(rule.baseDelayMs));
    assert.ok(ours.allowed);
    assert.ok((await row('refund')).blocked_until, 'while it is checked, the address waits');
    await refundAttempt(t.db, ours.reservation);
    const restored = await row('refund');
    assert.equal(Number(restored.failures), rule.free + 1);
    assert.equal(restored.blocked_until, null);
    assert.equal(restored.last_failure_at, start.toISOString(), 'the last failure is the previous one again (a quiet day counts from it)');

    // Two attempts at once: the first one is right, the second one wrong and later.
    await resetThrottle(t.db, 'refund');
    const first = await reserveAttempt(t.db, 'refund', rule, start);
    const second = await reserveAttempt(t.db, 'refund', rule, at(10));
    assert.ok(first.allowed && second.allowed);
    await refundAttempt(t.db, first.reservation);
    const kept = await row('refund');
    assert.equal(Number(kept.failures), 1);
    assert.equal(kept.last_failure_at, at(10).toISOString(), 'the later failure stays');
  });

  test('reserving two keys: refused on the second, the first is given back', async () => {
    const rule = throttleRules.loginAccount;
    for (let n = 0; n < rule.free + 1; n++) await recordFailure(t.db, 'pair:account', rule, start);
    const result = await reserveAttempts(
      t.db,
      [
        ['pair:ip', throttleRules.loginIp],
        ['pair:account', rule],
      ],
      start,
    );
    assert.equal(result.allowed, false);
    assert.equal(Number((await row('pair:ip')).failures), 0);
  });
});

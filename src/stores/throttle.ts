// The throttling counters, kept in the `throttle` table so every instance sees the same ones (the
// rules: src/domain/throttle.ts). An attempt is counted before the work it guards, in one
// statement that also refuses it while the key waits.
import type { Db } from '../db.js';
import {
  delayAfter,
  longestWait,
  RESET_AFTER_MS,
  throttleState,
  type Reservation,
  type ReserveManyResult,
  type ReserveResult,
  type ThrottleRule,
  type ThrottleState,
} from '../domain/throttle.js';

async function checkThrottle(db: Db, key: string, now: Date): Promise<ThrottleState> {
  const row = await db('throttle').where({ key }).first();
  return throttleState(row?.blocked_until, now);
}

/** Checks several keys at once; the longest wait wins. */
export async function checkThrottles(db: Db, keys: string[], now: Date): Promise<ThrottleState> {
  return longestWait(await Promise.all(keys.map((key) => checkThrottle(db, key, now))));
}

/**
 * `blocked_until` for a failure count given by the SQL expression `failures`: delayAfter() spelled
 * as a CASE (the delays are few before the ceiling), with the instants bound as parameters.
 */
function blockedUntilSql(failures: string, rule: ThrottleRule, now: Date): { sql: string; bindings: string[] } {
  const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
  const whens = [`WHEN ${failures} <= ${rule.free} THEN NULL`];
  const bindings: string[] = [];
  for (let n = rule.free + 1; delayAfter(n, rule) < rule.maxDelayMs; n++) {
    whens.push(`WHEN ${failures} = ${n} THEN ?`);
    bindings.push(at(delayAfter(n, rule)));
  }
  bindings.push(at(rule.maxDelayMs));
  return { sql: `CASE ${whens.join(' ')} ELSE ? END`, bindings };
}

function rowsOf(result: unknown): Array<Record<string, unknown>> {
  return Array.isArray(result) ? result : (result as { rows: Array<Record<string, unknown>> }).rows;
}

/**
 * One more failure on `key`, in one statement (insert or increment): a counter idle for a day
 * (or, for a rule with a window, whose window began longer ago) starts again at 1, and the delay
 * follows the new count. With `onlyIfFree`, a key that is waiting is left untouched and no row comes back.
 */
async function countFailure(db: Db, key: string, rule: ThrottleRule, now: Date, onlyIfFree: boolean): Promise<{ failures: number } | null> {
  const iso = now.toISOString();
  const staleBefore = new Date(now.getTime() - (rule.windowMs ?? RESET_AFTER_MS)).toISOString();
  const stale = rule.windowMs
    ? 'throttle.window_started_at IS NULL OR throttle.window_started_at < ?'
    : 'throttle.last_failure_at IS NULL OR throttle.last_failure_at < ?';
  const next = blockedUntilSql('throttle.failures + 1', rule, now);
  const result = await db.raw(
    `INSERT INTO throttle ("key", failures, window_started_at, last_failure_at, previous_failure_at, blocked_until)
     VALUES (?, 1, ?, ?, NULL, ?)
     ON CONFLICT ("key") DO UPDATE SET
       failures = CASE WHEN ${stale} THEN 1 ELSE throttle.failures + 1 END,
       window_started_at = CASE WHEN ${stale} THEN excluded.window_started_at ELSE throttle.window_started_at END,
       previous_failure_at = throttle.last_failure_at,
       last_failure_at = excluded.last_failure_at,
       blocked_until = CASE WHEN ${stale} THEN excluded.blocked_until ELSE ${next.sql} END
     ${onlyIfFree ? 'WHERE throttle.blocked_until IS NULL OR throttle.blocked_until <= ?' : ''}
     RETURNING failures`,
    [
      key,
      iso,
      iso,
      delayAfter(1, rule) ? new Date(now.getTime() + delayAfter(1, rule)).toISOString() : null,
      staleBefore,
      staleBefore,
      staleBefore,
      ...next.bindings,
      ...(onlyIfFree ? [iso] : []),
    ],
  );
  const [row] = rowsOf(result);
  return row ? { failures: Number(row.failures) } : null;
}

/** A failure counted whatever the key's state (the growing delay goes on growing). */
export async function recordFailure(db: Db, key: string, rule: ThrottleRule, now: Date): Promise<void> {
  await countFailure(db, key, rule, now, false);
}

/**
 * Counts one attempt on each key (in order) before the guarded work, or refuses it while any key
 * waits: then nothing stays counted (the keys already reserved are given back) and the answer
 * says how long to wait, the longest wait of the keys.
 */
export async function reserveAttempts(db: Db, keys: Array<[key: string, rule: ThrottleRule]>, now: Date): Promise<ReserveManyResult> {
  const reservations: Reservation[] = [];
  for (const [key, rule] of keys) {
    const reserved = await reserveAttempt(db, key, rule, now);
    if (!reserved.allowed) {
      for (const done of reservations) await refundAttempt(db, done);
      return reserved;
    }
    reservations.push(reserved.reservation);
  }
  return { allowed: true, reservations };
}

/** One attempt on one key (see reserveAttempts). */
export async function reserveAttempt(db: Db, key: string, rule: ThrottleRule, now: Date): Promise<ReserveResult> {
  // A refusal is read back for its wait; if the wait ended in between (a refund, a reset), try again.
  for (let tries = 0; tries < 3; tries++) {
    const counted = await countFailure(db, key, rule, now, true);
    if (counted) return { allowed: true, reservation: { key, failures: counted.failures } };
    const state = await checkThrottle(db, key, now);
    if (!state.allowed) return { allowed: false, retryAfterSeconds: state.retryAfterSeconds };
  }
  return { allowed: false, retryAfterSeconds: 1 };
}

/**
 * Gives back a reserved attempt that was not a failure. If no attempt was counted after it, the
 * key gets back its state from before (no wait, the previous last failure); otherwise only the
 * count goes down and the wait set by the later attempt stays.
 */
export async function refundAttempt(db: Db, reservation: Reservation): Promise<void> {
  const last = 'failures = ?';
  await db('throttle')
    .where({ key: reservation.key })
    .where('failures', '>', 0)
    .update({
      failures: db.raw('failures - 1'),
      blocked_until: db.raw(`CASE WHEN ${last} THEN NULL ELSE blocked_until END`, [reservation.failures]),
      last_failure_at: db.raw(`CASE WHEN ${last} THEN previous_failure_at ELSE last_failure_at END`, [reservation.failures]),
    });
}

export async function resetThrottle(db: Db, key: string): Promise<void> {
  await db('throttle').where({ key }).delete();
}

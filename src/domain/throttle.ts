// Throttling with a growing delay, kept in the database so every instance sees the same counters.
// Never a permanent lock: the delay doubles from a free allowance up to a ceiling, and a quiet
// day resets the counter.
import type { Db } from '../db.js';

export interface ThrottleRule {
  /** Failures allowed before any delay. */
  free: number;
  /** First delay, doubled at each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const throttleRules = {
  loginAccount: { free: 5, baseDelayMs: 15_000, maxDelayMs: 5 * 60_000 },
  loginIp: { free: 20, baseDelayMs: 15_000, maxDelayMs: 10 * 60_000 },
  /** Guessing SIRET/identifier pairs, emails… from one address. */
  lookupIp: { free: 10, baseDelayMs: 30_000, maxDelayMs: 15 * 60_000 },
} satisfies Record<string, ThrottleRule>;

const RESET_AFTER_MS = 24 * 3600 * 1000;

export interface ThrottleState {
  allowed: boolean;
  retryAfterSeconds: number;
}

export async function checkThrottle(db: Db, key: string, now: Date): Promise<ThrottleState> {
  const row = await db('throttle').where({ key }).first();
  if (!row?.blocked_until) return { allowed: true, retryAfterSeconds: 0 };
  const wait = Date.parse(row.blocked_until) - now.getTime();
  return wait > 0 ? { allowed: false, retryAfterSeconds: Math.ceil(wait / 1000) } : { allowed: true, retryAfterSeconds: 0 };
}

/** Checks several keys at once; the longest wait wins. */
export async function checkThrottles(db: Db, keys: string[], now: Date): Promise<ThrottleState> {
  const states = await Promise.all(keys.map((key) => checkThrottle(db, key, now)));
  const retry = Math.max(0, ...states.map((s) => s.retryAfterSeconds));
  return { allowed: retry === 0, retryAfterSeconds: retry };
}

export function delayAfter(failures: number, rule: ThrottleRule): number {
  if (failures <= rule.free) return 0;
  return Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** (failures - rule.free - 1));
}

export async function recordFailure(db: Db, key: string, rule: ThrottleRule, now: Date): Promise<void> {
  await db.transaction(async (trx) => {
    const row = await trx('throttle').where({ key }).first();
    const stale = !row || !row.last_failure_at || now.getTime() - Date.parse(row.last_failure_at) > RESET_AFTER_MS;
    const failures = stale ? 1 : Number(row.failures) + 1;
    const delay = delayAfter(failures, rule);
    const values = {
      failures,
      window_started_at: stale ? now.toISOString() : row.window_started_at,
      last_failure_at: now.toISOString(),
      blocked_until: delay ? new Date(now.getTime() + delay).toISOString() : null,
    };
    if (row) await trx('throttle').where({ key }).update(values);
    else await trx('throttle').insert({ key, ...values });
  });
}

export async function resetThrottle(db: Db, key: string): Promise<void> {
  await db('throttle').where({ key }).delete();
}

export function waitMessage(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return seconds < 60
    ? `Trop de tentatives. Pour votre sécurité, patientez ${seconds} seconde${seconds > 1 ? 's' : ''} avant de réessayer.`
    : `Trop de tentatives. Pour votre sécurité, patientez ${minutes} minute${minutes > 1 ? 's' : ''} avant de réessayer.`;
}

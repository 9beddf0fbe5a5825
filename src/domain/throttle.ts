// Throttling with a growing delay, kept in the database so every instance sees the same counters.
// Never a permanent lock: the delay doubles from a free allowance up to a ceiling, and a quiet
// day resets the counter.
//
// An attempt is counted before the work it guards (a password hash, a lookup), in one statement
// that also refuses it while the key waits (reserveAttempt): requests arriving together cannot
// all read « free » and then all be checked. An attempt that turns out not to be a failure gives
// its count back (refundAttempt) or clears the key (resetThrottle), as each caller's rule says.
// The rules (delays, waits, messages) are here; src/stores/throttle.ts keeps the counters.

export interface ThrottleRule {
  /** Failures allowed before any delay. */
  free: number;
  /** First delay, doubled at each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * A counter of attempts that are not failures (sendings): it starts again from zero once this
   * long has passed since its window began, instead of after a quiet day (RESET_AFTER_MS).
   */
  windowMs?: number;
}

export const throttleRules = {
  loginAccount: { free: 5, baseDelayMs: 15_000, maxDelayMs: 5 * 60_000 },
  loginIp: { free: 20, baseDelayMs: 15_000, maxDelayMs: 10 * 60_000 },
  /** Guessing SIRET/identifier pairs, emails… from one address. */
  lookupIp: { free: 10, baseDelayMs: 30_000, maxDelayMs: 15 * 60_000 },
  /**
   * Requests, messages and replies one account sends to the insurer (src/correspondence/): 30 an
   * hour — far above any person's need, far below what fills the staff inbox. The 30th closes
   * the window until an hour after it.
   */
  correspondenceSend: { free: 29, baseDelayMs: 60 * 60_000, maxDelayMs: 60 * 60_000, windowMs: 60 * 60_000 },
  /** « Renvoyer l'e-mail d'activation » of one member, by any staff: 3 an hour, so a member's mailbox is never flooded. */
  activationResend: { free: 2, baseDelayMs: 60 * 60_000, maxDelayMs: 60 * 60_000, windowMs: 60 * 60_000 },
} satisfies Record<string, ThrottleRule>;

/** A counter idle this long starts again from zero. */
export const RESET_AFTER_MS = 24 * 3600 * 1000;

export interface ThrottleState {
  allowed: boolean;
  retryAfterSeconds: number;
}

/** The state of a key from its `blocked_until` (null or past: free). */
export function throttleState(blockedUntil: string | null | undefined, now: Date): ThrottleState {
  const wait = blockedUntil ? Date.parse(blockedUntil) - now.getTime() : 0;
  return wait > 0 ? { allowed: false, retryAfterSeconds: Math.ceil(wait / 1000) } : { allowed: true, retryAfterSeconds: 0 };
}

/** Several keys at once: the longest wait wins. */
export function longestWait(states: readonly ThrottleState[]): ThrottleState {
  const retry = Math.max(0, ...states.map((s) => s.retryAfterSeconds));
  return { allowed: retry === 0, retryAfterSeconds: retry };
}

export function delayAfter(failures: number, rule: ThrottleRule): number {
  if (failures <= rule.free) return 0;
  return Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** (failures - rule.free - 1));
}

/** An attempt counted as a failure until the caller gives it back; `failures` tells it apart from later ones. */
export interface Reservation {
  key: string;
  failures: number;
}

type Refused = { allowed: false; retryAfterSeconds: number };
export type ReserveResult = { allowed: true; reservation: Reservation } | Refused;
export type ReserveManyResult = { allowed: true; reservations: Reservation[] } | Refused;

export function waitMessage(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return seconds < 60
    ? `Trop de tentatives. Pour votre sécurité, patientez ${seconds} seconde${seconds > 1 ? 's' : ''} avant de réessayer.`
    : `Trop de tentatives. Pour votre sécurité, patientez ${minutes} minute${minutes > 1 ? 's' : ''} avant de réessayer.`;
}

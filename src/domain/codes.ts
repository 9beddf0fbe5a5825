// One-time codes (docs/domain.md#security-numbers): 6 random digits, single use, valid 10 minutes, 5 tries at most,
// a new one at most once a minute. A new code kills the previous one of the same journey.
// The rules are here; src/stores/codes.ts keeps the codes in `one_time_codes`.
import { hashCode, safeEqualHex } from './secrets.js';

export const CODE_TTL_MS = 10 * 60_000;
export const CODE_MAX_ATTEMPTS = 5;
const CODE_RESEND_MS = 60_000;

type CodePurpose = 'activation' | 'login_2fa' | 'phone_change' | 'email_change' | 'contact_change';

export interface CodeRequest {
  purpose: CodePurpose;
  accountId?: number | null;
  memberId?: number | null;
  channel: 'email' | 'sms';
  destination: string;
  context?: Record<string, unknown>;
}

export type IssueResult = { ok: true; id: number; code: string } | { ok: false; retryAfterSeconds: number };

/** Whose codes a request replaces: the account's, else the member's, else those sent to the destination. */
export function codeSubject(req: Pick<CodeRequest, 'purpose' | 'accountId' | 'memberId' | 'destination'>) {
  if (req.accountId) return { purpose: req.purpose, account_id: req.accountId };
  if (req.memberId) return { purpose: req.purpose, member_id: req.memberId };
  return { purpose: req.purpose, destination: req.destination };
}

/** Seconds to wait before a new code, given when the latest one was created (0: a new code may go). */
export function resendWaitSeconds(latestCreatedAt: string | undefined, now: Date): number {
  if (!latestCreatedAt) return 0;
  const since = now.getTime() - Date.parse(latestCreatedAt);
  return since < CODE_RESEND_MS ? Math.ceil((CODE_RESEND_MS - since) / 1000) : 0;
}

/** The wait given to a request that lost a race with another one: a full minute. */
export const RESEND_WAIT_SECONDS = Math.ceil(CODE_RESEND_MS / 1000);

/** True when the typed code (spaces allowed) is 6 digits whose keyed hash is the stored one. */
export function codeMatches(secret: string, input: string, codeHash: string): boolean {
  const clean = input.replace(/\s/g, '');
  return /^\d{6}$/.test(clean) && safeEqualHex(hashCode(secret, clean), codeHash);
}

export type VerifyResult =
  | { status: 'ok'; context: Record<string, unknown> }
  | { status: 'wrong'; attemptsLeft: number }
  | { status: 'expired' | 'exhausted' | 'used' | 'unknown' };

/** A wrong code after `attempts` tries (this one counted). */
export function wrongCodeResult(attempts: number): { status: 'wrong'; attemptsLeft: number } | { status: 'exhausted' } {
  return attempts >= CODE_MAX_ATTEMPTS ? { status: 'exhausted' } : { status: 'wrong', attemptsLeft: CODE_MAX_ATTEMPTS - attempts };
}

/** Why a code could not be tried: already used, out of tries, or else expired. */
export function unusableCodeResult(row: { consumed_at: string | null; attempts: number | string }): { status: 'used' | 'exhausted' | 'expired' } {
  if (row.consumed_at) return { status: 'used' };
  if (Number(row.attempts) >= CODE_MAX_ATTEMPTS) return { status: 'exhausted' };
  return { status: 'expired' };
}

/** The French message for a failed code, telling what to do next. */
export function codeErrorMessage(result: Exclude<VerifyResult, { status: 'ok' }>): string {
  switch (result.status) {
    case 'wrong':
      return `Code incorrect. Il vous reste ${result.attemptsLeft} essai${result.attemptsLeft > 1 ? 's' : ''}.`;
    case 'expired':
      return 'Ce code a expiré (il est valable 10 minutes). Demandez un nouveau code avec le bouton « Renvoyer un code ».';
    case 'exhausted':
      return "Trop de codes erronés : ce code n'est plus valable. Demandez un nouveau code avec le bouton « Renvoyer un code ».";
    default:
      return "Ce code n'est plus valable. Demandez un nouveau code avec le bouton « Renvoyer un code ».";
  }
}

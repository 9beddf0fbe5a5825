// One-time codes (docs/domain.md#security-numbers): 6 random digits, single use, valid 10 minutes, 5 tries at most,
// a new one at most once a minute. A new code kills the previous one of the same journey.
import { insertedId, isUniqueViolation, type Db } from '../db.js';
import { hashCode, randomCode, safeEqualHex } from './secrets.js';

export const CODE_TTL_MS = 10 * 60_000;
export const CODE_MAX_ATTEMPTS = 5;
export const CODE_RESEND_MS = 60_000;

export type CodePurpose = 'activation' | 'login_2fa' | 'phone_change' | 'email_change' | 'contact_change';

export interface CodeRequest {
  purpose: CodePurpose;
  accountId?: number | null;
  memberId?: number | null;
  channel: 'email' | 'sms';
  destination: string;
  context?: Record<string, unknown>;
}

export type IssueResult = { ok: true; id: number; code: string } | { ok: false; retryAfterSeconds: number };

function subject(req: Pick<CodeRequest, 'purpose' | 'accountId' | 'memberId' | 'destination'>) {
  if (req.accountId) return { purpose: req.purpose, account_id: req.accountId };
  if (req.memberId) return { purpose: req.purpose, member_id: req.memberId };
  return { purpose: req.purpose, destination: req.destination };
}

/**
 * A new code at most once a minute, even for requests at the same moment that all read the
 * previous code as old enough: the one that retires that code goes on, and at most one code is
 * live per journey and person (a unique index, db/migrations/20261202130000), so when there was
 * no live code to retire, the second insert fails. Either way the loser is answered like a
 * request within the minute.
 */
export async function issueCode(db: Db, secret: string, now: Date, req: CodeRequest): Promise<IssueResult> {
  try {
    return await insertCode(db, secret, now, req);
  } catch (err) {
    if (isUniqueViolation(err)) return { ok: false, retryAfterSeconds: Math.ceil(CODE_RESEND_MS / 1000) };
    throw err;
  }
}

function insertCode(db: Db, secret: string, now: Date, req: CodeRequest): Promise<IssueResult> {
  return db.transaction(async (trx) => {
    // The latest code and the live ones, read in one statement (one snapshot on PostgreSQL).
    const rows: Array<{ id: number; created_at: string; consumed_at: string | null }> = await trx('one_time_codes')
      .where(subject(req))
      .where((q) => q.whereNull('consumed_at').orWhere('id', trx('one_time_codes').where(subject(req)).max('id')))
      .orderBy('id', 'desc')
      .select('id', 'created_at', 'consumed_at');
    const latest = rows[0];
    if (latest) {
      const since = now.getTime() - Date.parse(latest.created_at);
      if (since < CODE_RESEND_MS) return { ok: false as const, retryAfterSeconds: Math.ceil((CODE_RESEND_MS - since) / 1000) };
    }
    // Only the request that retires the live codes it read goes on: another one at the same
    // moment finds them already retired and waits its minute like a request right after it.
    const live = rows.filter((row) => !row.consumed_at).map((row) => row.id);
    if (live.length) {
      const retired = await trx('one_time_codes').whereIn('id', live).whereNull('consumed_at').update({ consumed_at: now.toISOString() });
      if (retired !== live.length) return { ok: false as const, retryAfterSeconds: Math.ceil(CODE_RESEND_MS / 1000) };
    }
    const code = randomCode();
    const [row] = await trx('one_time_codes')
      .insert({
        purpose: req.purpose,
        account_id: req.accountId ?? null,
        member_id: req.memberId ?? null,
        channel: req.channel,
        destination: req.destination,
        code_hash: hashCode(secret, code),
        attempts: 0,
        expires_at: new Date(now.getTime() + CODE_TTL_MS).toISOString(),
        consumed_at: null,
        created_at: now.toISOString(),
        context: req.context ? JSON.stringify(req.context) : null,
      })
      .returning('id');
    return { ok: true as const, id: insertedId(row), code };
  });
}

export type VerifyResult =
  | { status: 'ok'; context: Record<string, unknown> }
  | { status: 'wrong'; attemptsLeft: number }
  | { status: 'expired' | 'exhausted' | 'used' | 'unknown' };

/**
 * A try is counted before the code is compared, in the statement that checks the limit (the code
 * still live, under 5 tries, not expired): requests sent together get exactly the tries left.
 * The right code is then consumed by one request only.
 */
export async function verifyCode(db: Db, secret: string, now: Date, id: number | undefined, input: string): Promise<VerifyResult> {
  if (!id) return { status: 'unknown' };
  const iso = now.toISOString();
  const [counted] = await db('one_time_codes')
    .where({ id })
    .whereNull('consumed_at')
    .where('attempts', '<', CODE_MAX_ATTEMPTS)
    .where('expires_at', '>', iso)
    .update({ attempts: db.raw('attempts + 1') })
    .returning(['attempts', 'code_hash', 'context']);
  if (!counted) {
    const row = await db('one_time_codes').where({ id }).first('consumed_at', 'attempts');
    if (!row) return { status: 'unknown' };
    if (row.consumed_at) return { status: 'used' };
    if (Number(row.attempts) >= CODE_MAX_ATTEMPTS) return { status: 'exhausted' };
    return { status: 'expired' };
  }
  const clean = input.replace(/\s/g, '');
  if (/^\d{6}$/.test(clean) && safeEqualHex(hashCode(secret, clean), counted.code_hash)) {
    const consumed = await db('one_time_codes').where({ id }).whereNull('consumed_at').update({ consumed_at: iso });
    if (consumed !== 1) return { status: 'used' };
    return { status: 'ok', context: counted.context ? JSON.parse(counted.context) : {} };
  }
  const attempts = Number(counted.attempts);
  return attempts >= CODE_MAX_ATTEMPTS ? { status: 'exhausted' } : { status: 'wrong', attemptsLeft: CODE_MAX_ATTEMPTS - attempts };
}

/** The French message for a failed code, telling what to do next. */
export function codeErrorMessage(result: Exclude<VerifyResult, { status: 'ok' }>): string {
  switch (result.status) {
    case 'wrong':
      return `Code incorrect. Il vous reste ${result.attemptsLeft} essai${result.attemptsLeft > 1 ? 's' : ''}.`;
    case 'expired':
      return "Ce code a expiré (il est valable 10 minutes). Demandez un nouveau code avec le bouton « Renvoyer un code ».";
    case 'exhausted':
      return 'Trop de codes erronés : ce code n\'est plus valable. Demandez un nouveau code avec le bouton « Renvoyer un code ».';
    default:
      return 'Ce code n\'est plus valable. Demandez un nouveau code avec le bouton « Renvoyer un code ».';
  }
}

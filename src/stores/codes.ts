// One-time codes kept in `one_time_codes` (the rules: src/domain/codes.ts). Only a keyed hash of
// a code is stored.
import { insertedId, isUniqueViolation, type Db } from '../db.js';
import {
  CODE_MAX_ATTEMPTS,
  CODE_TTL_MS,
  codeMatches,
  codeSubject,
  RESEND_WAIT_SECONDS,
  resendWaitSeconds,
  unusableCodeResult,
  wrongCodeResult,
  type CodeRequest,
  type IssueResult,
  type VerifyResult,
} from '../domain/codes.js';
import { hashCode, randomCode } from '../domain/secrets.js';

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
    if (isUniqueViolation(err)) return { ok: false, retryAfterSeconds: RESEND_WAIT_SECONDS };
    throw err;
  }
}

function insertCode(db: Db, secret: string, now: Date, req: CodeRequest): Promise<IssueResult> {
  return db.transaction(async (trx) => {
    // The latest code and the live ones, read in one statement (one snapshot on PostgreSQL).
    const rows: Array<{ id: number; created_at: string; consumed_at: string | null }> = await trx('one_time_codes')
      .where(codeSubject(req))
      .where((q) => q.whereNull('consumed_at').orWhere('id', trx('one_time_codes').where(codeSubject(req)).max('id')))
      .orderBy('id', 'desc')
      .select('id', 'created_at', 'consumed_at');
    const wait = resendWaitSeconds(rows[0]?.created_at, now);
    if (wait > 0) return { ok: false as const, retryAfterSeconds: wait };
    // Only the request that retires the live codes it read goes on: another one at the same
    // moment finds them already retired and waits its minute like a request right after it.
    const live = rows.filter((row) => !row.consumed_at).map((row) => row.id);
    if (live.length) {
      const retired = await trx('one_time_codes').whereIn('id', live).whereNull('consumed_at').update({ consumed_at: now.toISOString() });
      if (retired !== live.length) return { ok: false as const, retryAfterSeconds: RESEND_WAIT_SECONDS };
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
    return row ? unusableCodeResult(row) : { status: 'unknown' };
  }
  if (codeMatches(secret, input, counted.code_hash)) {
    const consumed = await db('one_time_codes').where({ id }).whereNull('consumed_at').update({ consumed_at: iso });
    if (consumed !== 1) return { status: 'used' };
    return { status: 'ok', context: counted.context ? JSON.parse(counted.context) : {} };
  }
  return wrongCodeResult(Number(counted.attempts));
}

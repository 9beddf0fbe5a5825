// The database side of the anti-robot question (src/domain/anti-robot.ts). The session holds the
// question, but requests sharing a session at the same moment each read their own copy of it:
// dropping it from the session does not stop them all from answering it (21 requests, answers
// 0 to 20, one of them right). So a question is spent here, by the one request that inserts its
// nonce first; the others are answered as for an expired question.
import type { Db } from '../db.js';
import { CHALLENGE_TTL_MS } from '../domain/anti-robot.js';

/** True for the one request that spends this question. */
export async function spendChallenge(db: Db, nonce: string, now: Date): Promise<boolean> {
  const inserted = await db('spent_challenges').insert({ nonce, spent_at: now.toISOString() }).onConflict('nonce').ignore().returning('nonce');
  return inserted.length === 1;
}

/** A question older than its lifetime is refused anyway: its nonce need not be kept. */
export async function purgeSpentChallenges(db: Db, now: Date): Promise<void> {
  await db('spent_challenges')
    .where('spent_at', '<', new Date(now.getTime() - CHALLENGE_TTL_MS).toISOString())
    .delete();
}

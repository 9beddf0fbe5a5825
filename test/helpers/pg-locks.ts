// Forcing an interleaving of transactions on PostgreSQL (race tests): wait until sessions block on
// a lock held by the test, then release it. SQLite runs one transaction at a time: those tests skip.
import type { TestContext as NodeTestContext } from 'node:test';
import { isPostgres, type Db } from '../../src/db.js';

/** Sessions of this test's database waiting for a lock. */
export async function waitingForLocks(db: Db): Promise<number> {
  const { rows } = await db.raw("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
  return rows[0].n;
}

/** Polls `condition` every 10 ms, failing after 10 s with `what`. */
export async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** True on PostgreSQL; otherwise skips the test, saying why. */
export function onlyOnPostgres(ctx: NodeTestContext, db: Db): boolean {
  if (isPostgres(db)) return true;
  ctx.skip('PostgreSQL only (TEST_PG_URL): SQLite runs one transaction at a time');
  return false;
}

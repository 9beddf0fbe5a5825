// The purges of the periodic housekeeping (src/jobs.ts, SQL in src/jobs-queries.ts), run as the
// scheduler runs them, on a real database: what is past its cut-off goes, the rest stays.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { jobs } from '../../src/jobs.js';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createAccount, insertId } from '../helpers/fixtures.js';

const NOW = new Date('2026-11-22T09:00:00.000Z');
const HOUR = 3600 * 1000;
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

let t: TestContext;
before(async () => {
  t = await makeTestApp();
});
after(async () => t.close());

async function run(name: string): Promise<void> {
  const job = jobs.find((j) => j.name === name);
  assert.ok(job, `job ${name}`);
  await job.run(t.db, NOW);
}

describe('housekeeping purges', () => {
  test('purge-sessions removes the expired sessions only', async () => {
    await t.db('sessions').insert([
      { sid: 'purge-old', sess: JSON.stringify({ cookie: {} }), expired: ago(1000) },
      { sid: 'purge-live', sess: JSON.stringify({ cookie: {} }), expired: ago(-HOUR) },
    ]);
    await run('purge-sessions');
    const left = (await t.db('sessions').whereIn('sid', ['purge-old', 'purge-live']).select('sid')).map((r: { sid: string }) => r.sid);
    assert.deepEqual(left, ['purge-live']);
  });

  test('purge-one-time-codes removes codes expired for more than a day only', async () => {
    // One live code per purpose and account: each code has its own account.
    const code = async (expiresAt: string) =>
      insertId(t.db, 'one_time_codes', { purpose: 'login_2fa', account_id: (await createAccount(t.db, { kind: 'staff' })).id, channel: 'sms', destination: '+33600000000', code_hash: 'x', attempts: 0, expires_at: expiresAt, created_at: ago(30 * HOUR) });
    const old = await code(ago(25 * HOUR));
    const recent = await code(ago(23 * HOUR));
    await run('purge-one-time-codes');
    const left = (await t.db('one_time_codes').whereIn('id', [old, recent]).select('id')).map((r: { id: number }) => Number(r.id));
    assert.deepEqual(left, [recent]);
  });

  test('purge-throttle removes counters whose last failure is over a day old only', async () => {
    await t.db('throttle').insert([
      { key: 'purge:old', failures: 3, window_started_at: ago(30 * HOUR), last_failure_at: ago(25 * HOUR), blocked_until: null },
      { key: 'purge:recent', failures: 3, window_started_at: ago(30 * HOUR), last_failure_at: ago(23 * HOUR), blocked_until: null },
    ]);
    await run('purge-throttle');
    const left = (await t.db('throttle').whereIn('key', ['purge:old', 'purge:recent']).select('key')).map((r: { key: string }) => r.key);
    assert.deepEqual(left, ['purge:recent']);
  });

  test('purge-import-lines removes the lines of imports untouched for a week only, keeping the imports', async () => {
    const { id: accountId } = await createAccount(t.db, { kind: 'hr' });
    const importJob = (updatedAt: string) =>
      insertId(t.db, 'import_jobs', { kind: 'establishments', account_id: accountId, status: 'preview', file_name: 'f.csv', created_at: updatedAt, updated_at: updatedAt });
    const old = await importJob(ago(8 * 24 * HOUR));
    const recent = await importJob(ago(6 * 24 * HOUR));
    await t.db('import_job_lines').insert([old, old, recent].map((jobId, i) => ({ job_id: jobId, line_number: i + 1, status: 'valid', data: '{}', errors: null })));
    await run('purge-import-lines');
    const lines = (await t.db('import_job_lines').whereIn('job_id', [old, recent]).select('job_id')).map((r: { job_id: number }) => Number(r.job_id));
    assert.deepEqual(lines, [recent]);
    assert.equal((await t.db('import_jobs').whereIn('id', [old, recent])).length, 2);
  });
});

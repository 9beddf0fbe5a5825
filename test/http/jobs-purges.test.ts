// The purges of the periodic housekeeping (src/jobs.ts, SQL in src/jobs-queries.ts), run as the
// scheduler runs them, on a real database: what is past its cut-off goes, the rest stays.
// The orphan sweep (src/correspondence/service.ts) on the test's own UPLOAD_DIR.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { jobs, jobsFor } from '../../src/jobs.js';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily } from '../helpers/family.js';
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
      insertId(t.db, 'one_time_codes', {
        purpose: 'login_2fa',
        account_id: (await createAccount(t.db, { kind: 'staff' })).id,
        channel: 'sms',
        destination: '+33600000000',
        code_hash: 'x',
        attempts: 0,
        expires_at: expiresAt,
        created_at: ago(30 * HOUR),
      });
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
      insertId(t.db, 'import_jobs', {
        kind: 'establishments',
        account_id: accountId,
        status: 'preview',
        file_name: 'f.csv',
        created_at: updatedAt,
        updated_at: updatedAt,
      });
    const old = await importJob(ago(8 * 24 * HOUR));
    const recent = await importJob(ago(6 * 24 * HOUR));
    await t
      .db('import_job_lines')
      .insert([old, old, recent].map((jobId, i) => ({ job_id: jobId, line_number: i + 1, status: 'valid', data: '{}', errors: null })));
    await run('purge-import-lines');
    const lines = (await t.db('import_job_lines').whereIn('job_id', [old, recent]).select('job_id')).map((r: { job_id: number }) => Number(r.job_id));
    assert.deepEqual(lines, [recent]);
    assert.equal((await t.db('import_jobs').whereIn('id', [old, recent])).length, 2);
  });

  test('sweep-orphan-files deletes request and message files no row points to once a day old only', async () => {
    const family = await createFamily(t.db);
    const file = (folder: string, name: string, ageMs: number) => {
      const dir = path.join(t.config.uploadDir, folder);
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, name);
      fs.writeFileSync(file, '%PDF-1.4\n');
      const at = new Date(NOW.getTime() - ageMs);
      fs.utimesSync(file, at, at);
      return file;
    };
    const requestId = await insertId(t.db, 'requests', {
      member_id: family.memberId,
      kind: 'remboursement',
      object: 'optique',
      reference: 'DR-2026-900001',
      status: 'received',
      created_at: ago(30 * HOUR),
      updated_at: ago(30 * HOUR),
    });
    await t.db('request_attachments').insert({
      request_id: requestId,
      original_name: 'facture.pdf',
      stored_name: 'sweep-recorded.pdf',
      mime: 'application/pdf',
      size_bytes: 9,
      created_at: ago(30 * HOUR),
    });
    const recorded = file('requests', 'sweep-recorded.pdf', 30 * HOUR);
    const oldRequestOrphan = file('requests', 'sweep-old.pdf', 25 * HOUR);
    const oldMessageOrphan = file('messages', 'sweep-old.pdf', 25 * HOUR);
    const youngOrphan = file('requests', 'sweep-young.pdf', 23 * HOUR);
    // Work files a killed process left (multer's temporary folder, an import being analysed): an hour.
    const deadUpload = file('tmp', 'a1b2c3', 2 * HOUR);
    const deadImport = file('imports', 'd4e5f6.csv', 2 * HOUR);
    const liveUpload = file('tmp', 'c3b2a1', HOUR / 2);
    const job = jobsFor(t.config).find((j) => j.name === 'sweep-orphan-files');
    assert.ok(job, 'job sweep-orphan-files');
    await job.run(t.db, NOW);
    const left = [recorded, oldRequestOrphan, oldMessageOrphan, youngOrphan].filter((f) => fs.existsSync(f)).map((f) => path.relative(t.config.uploadDir, f));
    assert.deepEqual(left, [path.join('requests', 'sweep-recorded.pdf'), path.join('requests', 'sweep-young.pdf')]);
    assert.deepEqual(
      [deadUpload, deadImport, liveUpload].filter((f) => fs.existsSync(f)).map((f) => path.relative(t.config.uploadDir, f)),
      [path.join('tmp', 'c3b2a1')],
    );
  });
});

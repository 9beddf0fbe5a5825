// The retention policy (src/personal-data/retention.ts) with a fake clock: the dry run lists and
// counts without deleting; the real run deletes the rows and their files, keeps what is recent, and
// is audited. Runs on SQLite and on PostgreSQL (TEST_PG_URL).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily, type Family } from '../helpers/family.js';
import { insertId } from '../helpers/fixtures.js';
import { applyRetention } from '../../src/personal-data/retention.js';
import { ConfigError, loadConfig } from '../../src/config.js';

let t: TestContext;
let family: Family;
const NOW = new Date('2026-12-01T10:00:00.000Z');
const ago = (days: number) => new Date(NOW.getTime() - days * 24 * 3600 * 1000).toISOString();

function storeFile(folder: string, name: string) {
  fs.mkdirSync(path.join(t.config.uploadDir, folder), { recursive: true });
  fs.writeFileSync(path.join(t.config.uploadDir, folder, name), 'x');
}
const exists = (folder: string, name: string) => fs.existsSync(path.join(t.config.uploadDir, folder, name));

async function affiliationRequest(values: { status: string; decision?: string | null; updated: string; file: string }) {
  const id = await insertId(t.db, 'affiliation_requests', {
    company_id: family.companyId,
    establishment_id: family.establishmentId,
    mode: 'email',
    status: values.status,
    decision: values.decision ?? null,
    professional_status: 'non_cadre',
    nir: '2850375112233',
    last_name: 'Ancien',
    first_name: 'Candidat',
    birth_date: '1985-03-01',
    entry_date: '2026-01-01',
    affiliation_date: '2026-01-01',
    employment_contract_type: 'CDI',
    employment_start_date: '2026-01-01',
    company_status: 'salarie',
    created_at: values.updated,
    updated_at: values.updated,
  });
  storeFile('affiliations', values.file);
  await t.db('affiliation_request_documents').insert({
    request_id: id,
    kind: 'rib',
    original_name: 'rib.pdf',
    stored_name: values.file,
    mime: 'application/pdf',
    size_bytes: 1,
    created_at: values.updated,
  });
  return id;
}

async function thread(status: 'open' | 'closed', last: string, file: string) {
  const threadId = await insertId(t.db, 'message_threads', {
    owner_kind: 'member',
    member_id: family.memberId,
    account_id: family.accountId,
    category: 'autre',
    object: 'Question',
    status,
    created_at: last,
    last_message_at: last,
  });
  const messageId = await insertId(t.db, 'messages', {
    thread_id: threadId,
    author_kind: 'member',
    author_account_id: family.accountId,
    body: 'Bonjour',
    created_at: last,
  });
  storeFile('messages', file);
  await t
    .db('message_attachments')
    .insert({ message_id: messageId, original_name: 'piece.pdf', stored_name: file, mime: 'application/pdf', size_bytes: 1, created_at: last });
  return threadId;
}

let oldAbandoned: number;
let oldRefused: number;
let recentRefused: number;

before(async () => {
  t = await makeTestApp();
  family = await createFamily(t.db, { statements: 0 });
  oldAbandoned = await affiliationRequest({ status: 'abandoned', updated: ago(200), file: 'aaa111.pdf' });
  oldRefused = await affiliationRequest({ status: 'finalized', decision: 'refused', updated: ago(190), file: 'bbb222.pdf' });
  recentRefused = await affiliationRequest({ status: 'finalized', decision: 'refused', updated: ago(100), file: 'ccc333.pdf' });
  // Finalized and validated long ago: never deleted by this rule.
  await affiliationRequest({ status: 'finalized', decision: 'validated', updated: ago(900), file: 'ddd444.pdf' });
  await thread('closed', ago(800), 'eee555.pdf');
  await thread('closed', ago(300), 'fff666.pdf');
  await thread('open', ago(900), 'ggg777.pdf');
  await t.db('audit_log').insert([
    { at: ago(6 * 366), event: 'login_ok', account_id: family.accountId, account_kind: 'member' },
    { at: ago(4 * 365), event: 'login_ok', account_id: family.accountId, account_kind: 'member' },
  ]);
});
after(async () => t.close());

describe('Durées de conservation', () => {
  test('the dry run counts and lists per rule, deletes nothing, and is audited as a simulation', async () => {
    const results = await applyRetention(t.db, t.config, NOW, { dryRun: true });
    const byRule = Object.fromEntries(results.map((r) => [r.rule, r]));
    assert.equal(byRule.affiliation!.count, 2);
    assert.deepEqual(
      byRule.affiliation!.items.map((i) => i.split(' (')[0]),
      [`demande d'affiliation n° ${oldAbandoned}`, `demande d'affiliation n° ${oldRefused}`],
    );
    assert.equal(byRule.attachments!.count, 1);
    assert.equal(byRule.audit!.count, 1);
    assert.equal(byRule.exports!.count, 0);
    assert.equal(
      await t
        .db('affiliation_requests')
        .count({ n: '*' })
        .first()
        .then((r) => Number(r!.n)),
      4,
    );
    assert.ok(exists('affiliations', 'aaa111.pdf') && exists('messages', 'eee555.pdf'));
    const audit = await t.db('audit_log').where({ event: 'retention_applied' }).first();
    assert.equal(JSON.parse(audit.detail).dryRun, true);
  });

  test('the real run deletes the rows and their files, keeps what is recent or not covered, and is audited', async () => {
    const results = await applyRetention(t.db, t.config, NOW, { dryRun: false });
    assert.deepEqual(
      results.map((r) => [r.rule, r.count]),
      [
        ['affiliation', 2],
        ['attachments', 1],
        ['audit', 1],
        ['exports', 0],
      ],
    );
    const left = (await t.db('affiliation_requests').orderBy('id').select('id')).map((r) => r.id);
    assert.ok(!left.includes(oldAbandoned) && !left.includes(oldRefused) && left.includes(recentRefused));
    assert.equal(left.length, 2);
    assert.ok(!exists('affiliations', 'aaa111.pdf') && !exists('affiliations', 'bbb222.pdf'));
    assert.ok(exists('affiliations', 'ccc333.pdf') && exists('affiliations', 'ddd444.pdf'));
    assert.ok(!exists('messages', 'eee555.pdf'));
    assert.ok(exists('messages', 'fff666.pdf') && exists('messages', 'ggg777.pdf'), 'recent closed and open threads kept');
    assert.equal(
      await t
        .db('message_attachments')
        .count({ n: '*' })
        .first()
        .then((r) => Number(r!.n)),
      2,
    );
    assert.equal(
      await t
        .db('audit_log')
        .where({ event: 'login_ok' })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r!.n)),
      1,
    );
    const audit = await t.db('audit_log').where({ event: 'retention_applied' }).orderBy('id', 'desc').first();
    assert.deepEqual(JSON.parse(audit.detail), { dryRun: false, total: 4, affiliation: 2, attachments: 1, audit: 1, exports: 0 });
    // Idempotent: a second run finds nothing.
    const again = await applyRetention(t.db, t.config, NOW, { dryRun: false });
    assert.equal(
      again.reduce((s, r) => s + r.count, 0),
      0,
    );
  });

  test('the durations come from the configuration', async () => {
    const short = { ...t.config, retention: { ...t.config.retention, affiliationMonths: 1 } };
    const results = await applyRetention(t.db, short, NOW, { dryRun: true });
    assert.equal(results.find((r) => r.rule === 'affiliation')!.count, 1, 'the 100-day-old refused request is now past');
  });

  test('a wrong duration in the environment is refused at boot with a French message; defaults are 6 months, 2, 5 years, 7 days', () => {
    assert.deepEqual(t.config.retention, { affiliationMonths: 6, closedThreadAttachmentsYears: 2, auditYears: 5, dataExportDays: 7 });
    assert.throws(
      () => loadConfig({ NODE_ENV: 'test', DATA_DIR: t.dataDir, RETENTION_AUDIT_YEARS: 'cinq' }),
      (err: Error) => err instanceof ConfigError && /RETENTION_AUDIT_YEARS : « cinq »/.test(err.message),
    );
    assert.equal(loadConfig({ NODE_ENV: 'test', DATA_DIR: t.dataDir, RETENTION_DATA_EXPORT_DAYS: '3' }).retention.dataExportDays, 3);
  });
});

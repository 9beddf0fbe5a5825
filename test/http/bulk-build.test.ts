// The bulk build of the seed (db/seeds/bulk.ts): while it runs the indexes and insert triggers of
// the tables are set aside; once finished, every index and trigger is back as the migrations
// made it, the triggers' work is done for the rows loaded meanwhile (the members' name keys of
// « Mes salariés »), and SQLite is back to its journal, sync and foreign-key settings.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createMember } from '../helpers/fixtures.js';
import { beginBulkBuild, finishBulkBuild } from '../../db/seeds/bulk.js';
import { isPostgres } from '../../src/db.js';

let t: TestContext;
before(async () => {
  t = await makeTestApp();
});
after(() => t.close());

async function schemaObjects(): Promise<string[]> {
  if (isPostgres(t.db)) {
    const { rows } = await t.db.raw(`SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`);
    return rows.map((r: { indexdef: string }) => r.indexdef);
  }
  const rows: { sql: string }[] = await t.db('sqlite_master').whereIn('type', ['index', 'trigger']).whereNotNull('sql').orderBy('name').select('sql');
  return rows.map((r) => r.sql);
}

async function pragma(name: string): Promise<unknown> {
  const rows = (await t.db.raw(`PRAGMA ${name}`)) as Record<string, unknown>[];
  return rows[0][name];
}

test('indexes and insert triggers are set aside during the build and put back after it, with their work done', async () => {
  const before = await schemaObjects();
  const build = await beginBulkBuild(t.db, ['members', 'statement_lines']);
  const during = await schemaObjects();
  assert.ok(during.length < before.length, 'the indexes of the tables are set aside');
  assert.ok(!during.some((sql) => /members_name_key_index/.test(sql)));
  if (!isPostgres(t.db)) {
    assert.equal(await pragma('foreign_keys'), 0);
    assert.equal(await pragma('journal_mode'), 'memory');
  }
  const { memberId } = await createMember(t.db, { lastName: 'Lefèvre', firstName: 'Éloïse' });
  await finishBulkBuild(t.db, build);

  assert.deepEqual(await schemaObjects(), before);
  const member = await t.db('members').where({ id: memberId }).first('name_key', 'first_name_key');
  assert.deepEqual({ ...member }, { name_key: 'lefevre eloise', first_name_key: 'eloise lefevre' });
  if (!isPostgres(t.db)) {
    assert.equal(await pragma('foreign_keys'), 1);
    assert.equal(await pragma('journal_mode'), 'wal');
    assert.equal(await pragma('synchronous'), 1);
  }
  // The triggers are back: a member added after the build gets its keys from them.
  const later = await createMember(t.db, { lastName: 'Çelik', firstName: 'Zoé' });
  assert.equal((await t.db('members').where({ id: later.memberId }).first('name_key')).name_key, 'celik zoe');
});

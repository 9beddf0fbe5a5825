// The demo data as a new user meets it: every link it stores opens a page (no 404, no 500) for
// the account it is stored for, and nothing it stores is dated after the moment it was seeded.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeClock, makeTestApp, type TestContext } from '../helpers/app.js';
import { loginAs } from '../helpers/fixtures.js';
import { DEMO_FACTS, seedDemo } from '../../db/seeds/demo/index.js';
import { isPostgres } from '../../src/db.js';

// Early in the (UTC) day: every hour the seed draws for « today » lies after this moment.
const SEEDED_AT = new Date('2026-12-01T06:10:00.000Z');
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
// Where the portal's own addresses may hide in stored text (a path, or a full link in a message).
const PORTAL_PATH = /(?:^|https?:\/\/[^/\s"'<>]+|\s|["'(])(\/(?:assure|entreprise|gestion|affiliation)(?:\/[^\s"'<>)]*)?)/g;
const DOORS = { member: 'assure', hr: 'entreprise', staff: 'gestion' } as const;

let t: TestContext;

async function tableNames(): Promise<string[]> {
  const rows: { name: string }[] = isPostgres(t.db)
    ? (await t.db.raw("select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'")).rows
    : await t.db.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'");
  return rows.map((r) => r.name).filter((name) => !name.startsWith('knex_')).sort();
}

/** Every stored row of every table, with its table name. */
async function* everyRow(): AsyncGenerator<{ table: string; row: Record<string, unknown> }> {
  for (const table of await tableNames()) {
    for (const row of await t.db(table).select('*')) yield { table, row };
  }
}

before(async () => {
  t = await makeTestApp({}, { clock: makeClock(SEEDED_AT) });
  await seedDemo(t.db, { brand: t.config.brand, now: SEEDED_AT });
});
after(async () => t.close());

describe('demo seed', () => {
  test('no seeded date-time is after the seeding moment (only the links’ and codes’ expiry dates are ahead)', async () => {
    const future: string[] = [];
    let checked = 0;
    for await (const { table, row } of everyRow()) {
      for (const [column, value] of Object.entries(row)) {
        if (typeof value !== 'string' || !ISO_DATE_TIME.test(value) || /expires_at$/.test(column)) continue;
        checked += 1;
        if (value > SEEDED_AT.toISOString()) future.push(`${table}.${column} = ${value} (id ${String(row.id)})`);
      }
    }
    assert.ok(checked > 1000, `only ${checked} date-times found`);
    assert.deepEqual(future.slice(0, 20), [], `${future.length} date-times after ${SEEDED_AT.toISOString()}`);
  });

  test('every link stored in the demo data opens a page for the account it is stored for', async () => {
    // Links of notifications, by account; any other stored text naming a portal address is listed too.
    const notifications: { account_id: number; link: string | null }[] = await t.db('notifications').select('account_id', 'link');
    assert.ok(notifications.length >= 5);
    const elsewhere: string[] = [];
    for await (const { table, row } of everyRow()) {
      if (table === 'notifications' || table === 'sessions') continue;
      for (const [column, value] of Object.entries(row)) {
        if (typeof value !== 'string') continue;
        for (const match of value.matchAll(PORTAL_PATH)) elsewhere.push(`${table}.${column}: ${match[1]}`);
      }
    }
    // No other table stores a portal address: were one added, this test must learn whose it is.
    assert.deepEqual(elsewhere, []);

    const byAccount = new Map<number, string[]>();
    for (const n of notifications) {
      assert.ok(n.link, 'every demo notification has a link');
      byAccount.set(n.account_id, [...(byAccount.get(n.account_id) ?? []), n.link]);
    }
    const broken: string[] = [];
    for (const [accountId, links] of byAccount) {
      const account = await t.db('accounts').where({ id: accountId }).first('email', 'kind', 'status');
      assert.equal(account.status, 'active', `${account.email} can log in to open its notifications`);
      const door = DOORS[account.kind as keyof typeof DOORS];
      const agent = await loginAs(t.app, t.db, door, account.email, DEMO_FACTS.password);
      for (const link of new Set(links)) {
        const res = await agent.get(link);
        if (res.status !== 200) broken.push(`${account.email} → ${link}: ${res.status}`);
      }
    }
    assert.deepEqual(broken, []);
  });

  test('the demo affiliation links of the README open the birth-date check', async () => {
    for (const token of [DEMO_FACTS.affiliationSent.token, DEMO_FACTS.affiliationStarted.token]) {
      const res = await request(t.app).get(`/affiliation/${token}`);
      assert.equal(res.status, 200, token);
      assert.match(res.text, /date_naissance/);
    }
  });
});

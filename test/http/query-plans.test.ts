// The plans of the hot queries: every statement the benchmarked pages run (npm run bench:
// Accueil assuré, Remboursements page 2, Mes salariés by establishment and by name, the staff
// inbox, the professionals search, « Mes demandes », the pages without a query of their own, and
// the login with its session reads) is captured through Knex's query event, then explained, and
// none may read a large table whole. A page whose cost grows with the table stays flat only if an
// index serves each of its queries (issue 16, « cost flat as data grows »).
// - SQLite: without planner statistics (they are deleted after the seed), SQLite assumes large
//   tables and picks an index whenever one fits, so a SCAN of a large table means none does.
// - PostgreSQL: with enable_seqscan off, as in test/http/assure-professionals.test.ts, a Seq Scan
//   of a large table means no index fits the query.
// QUERY_PLANS_PRINT=1 prints every statement with its plan.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeClock, makeTestApp, type TestContext } from '../helpers/app.js';
import { loginAs } from '../helpers/fixtures.js';
import { DEMO_FACTS, seedDemo } from '../../db/seeds/demo/index.js';
import { isPostgres } from '../../src/db.js';

const SEEDED_AT = new Date('2026-12-01T06:10:00.000Z');

/** The tables that grow with the members (scale 3,340: ≈ 1,000,000 members, 20,000,000 lines). */
const LARGE_TABLES = [
  'accounts',
  'affiliation_requests',
  'affiliations',
  'audit_log',
  'beneficiaries',
  'health_professionals',
  'hr_unread_badges',
  'members',
  'message_threads',
  'messages',
  'notifications',
  'request_events',
  'requests',
  'sessions',
  'statement_lines',
  'statements',
  'teletransmission_events',
];

interface Captured {
  sql: string;
  bindings: unknown[];
}

let t: TestContext;
let capturing: Captured[] | null = null;

before(async () => {
  t = await makeTestApp({}, { clock: makeClock(SEEDED_AT) });
  await seedDemo(t.db, { scale: 1, now: SEEDED_AT });
  if (!isPostgres(t.db)) {
    await t.db.raw('DELETE FROM sqlite_stat1');
    // Makes the open connection reload the statistics it just lost.
    await t.db.raw('ANALYZE sqlite_schema');
  }
  t.db.on('query', (query: { sql: string; bindings?: unknown[] }) => {
    capturing?.push({ sql: query.sql, bindings: query.bindings ?? [] });
  });
});
after(() => t.close());

/** The statements run while `work` runs. */
async function captured(work: () => Promise<unknown>): Promise<Captured[]> {
  capturing = [];
  try {
    await work();
    return capturing;
  } finally {
    capturing = null;
  }
}

/** Tables named by their alias in a statement (`statement_lines as l`, `members m`), and by their own name. */
function tablesByName(sql: string): Map<string, string> {
  const names = new Map<string, string>();
  const keyword = /^(where|on|inner|left|right|cross|join|order|group|limit|using|set|union|natural|outer|as|and|or)$/i;
  for (const m of sql.matchAll(/\b(?:from|join|update|into)\s+[`"]?(\w+)[`"]?(?:\s+(?:as\s+)?[`"]?(\w+)[`"]?)?/gi)) {
    names.set(m[1], m[1]);
    if (m[2] && !keyword.test(m[2])) names.set(m[2], m[1]);
  }
  return names;
}

/** The plan of one statement, as text. */
async function plan({ sql, bindings }: Captured): Promise<string> {
  const conn = await t.db.client.acquireConnection();
  try {
    if (isPostgres(t.db)) {
      const pg = conn as { query(sql: string, values?: unknown[]): Promise<{ rows: Record<string, string>[] }> };
      await pg.query('SET enable_seqscan = off');
      try {
        const { rows } = await pg.query(`EXPLAIN ${sql}`, bindings);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      } finally {
        await pg.query('RESET enable_seqscan');
      }
    }
    const sqlite = conn as { prepare(sql: string): { all(...params: unknown[]): { detail: string }[] } };
    return sqlite
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...bindings.map((b) => (typeof b === 'boolean' ? Number(b) : b)))
      .map((r) => r.detail)
      .join('\n');
  } finally {
    await t.db.client.releaseConnection(conn);
  }
}

/** Full reads of a large table in a plan: SQLite « SCAN x » (with or without an index: a full index walk), PostgreSQL « Seq Scan on x ». */
function fullScans(statement: Captured, planText: string): string[] {
  const names = tablesByName(statement.sql);
  const scans: string[] = [];
  for (const line of planText.split('\n')) {
    const m = isPostgres(t.db) ? /Seq Scan on (\w+)/.exec(line) : /^SCAN (\w+)/.exec(line.trim());
    if (!m) continue;
    const table = names.get(m[1]) ?? m[1];
    if (LARGE_TABLES.includes(table)) scans.push(`${table}: ${line.trim()}`);
  }
  return scans;
}

/** Asserts that no statement `work` runs reads a large table whole; returns how many were explained. */
async function assertNoFullScan(work: () => Promise<unknown>): Promise<number> {
  const statements = await captured(work);
  const problems: string[] = [];
  let explained = 0;
  const seen = new Set<string>();
  for (const statement of statements) {
    if (!/^\s*(select|update|delete|with)\b/i.test(statement.sql) || seen.has(statement.sql)) continue;
    seen.add(statement.sql);
    const planText = await plan(statement);
    if (process.env.QUERY_PLANS_PRINT) console.log(`${statement.sql}\n${planText}\n`);
    explained++;
    const scans = fullScans(statement, planText);
    if (scans.length > 0) problems.push(`${statement.sql}\n  → ${scans.join('\n  → ')}\n${planText}`);
  }
  assert.deepEqual(problems, [], problems.join('\n\n'));
  assert.ok(explained > 0, 'no statement was captured');
  return explained;
}

type Agent = Awaited<ReturnType<typeof loginAs>>;
let member: Agent;
let hrAdmin: Agent;
let staff: Agent;

describe('query plans of the benchmarked pages', () => {
  test('the logins and the session reads', async () => {
    await assertNoFullScan(async () => {
      member = await loginAs(t.app, t.db, 'assure', DEMO_FACTS.benchMember.email, DEMO_FACTS.password);
      hrAdmin = await loginAs(t.app, t.db, 'entreprise', DEMO_FACTS.hrAdmin.email, DEMO_FACTS.password);
      staff = await loginAs(t.app, t.db, 'gestion', DEMO_FACTS.staff.email, DEMO_FACTS.password);
    });
  });

  test('Espace Assuré: the home, the décomptes page 2, « Mes demandes », « Aide », the professionals search', async () => {
    await assertNoFullScan(async () => {
      await member.get('/assure/accueil').expect(200);
      await member.get('/assure/remboursements?du=01%2F01%2F2025&au=31%2F12%2F2026&page=2').expect(200);
      await member.get('/assure/demarches/demandes').expect(200);
      await member.get('/assure/aide').expect(200);
      await member.get('/assure/professionnels?lieu=69003&specialite=ophtalmologue').expect(200);
    });
  });

  test('Espace Entreprise: « Mes salariés » by establishment and by name, « Aide »', async () => {
    await assertNoFullScan(async () => {
      await hrAdmin.get(`/entreprise/salaries?siret=${DEMO_FACTS.companies.verdier.siret}`).expect(200);
      await hrAdmin.get('/entreprise/salaries?assure=lefevre').expect(200);
      await hrAdmin.get('/entreprise/aide').expect(200);
    });
  });

  test('Espace Gestion: the inbox, its default view and its filters', async () => {
    await assertNoFullScan(async () => {
      await staff.get('/gestion/demandes').expect(200);
      await staff.get('/gestion/demandes?statut=new&retard=1').expect(200);
      await staff.get('/gestion/demandes?statut=open&retard=1').expect(200);
      await staff.get('/gestion/demandes?statut=closed&tri=recent').expect(200);
    });
  });

  test('the check itself sees a full scan of a large table', async () => {
    await assert.rejects(
      assertNoFullScan(() => t.db('statement_lines').where('care_label', 'like', '%consultation%').select('id')),
      /statement_lines: /,
    );
  });
});

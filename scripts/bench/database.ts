// The bench database, by scale: a SQLite file data/bench-scale-N.sqlite (the default), or with
// `--database pg` the PostgreSQL database portail_bench_N on the server of BENCH_PG_URL (default:
// the lab's shared server, postgres://portail@127.0.0.1:54329/postgres). Either is created,
// migrated and filled on first use, then reused: SQLite by seedDemo's bulk build (indexes set
// aside while the rows go in), PostgreSQL by a copy of the SQLite one of the same scale (built
// first if need be), so that both databases are benched on the very same data.
import path from 'node:path';
import knex from 'knex';
import { loadConfig } from '../../src/config.js';
import { createDb, migrateLatest, readMeta, refreshPlannerStatistics, writeMeta, type Db } from '../../src/db.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { beginBulkBuild, finishBulkBuild, resetSequences } from '../../db/seeds/bulk.js';
import { seedDemo } from '../../db/seeds/demo/index.js';

const DEFAULT_PG_SERVER = 'postgres://portail@127.0.0.1:54329/postgres';

export interface BenchDatabase {
  /** DATABASE_URL of the portal for this bench. */
  url: string;
  /** What the output names it by. */
  label: string;
  kind: 'sqlite' | 'pg';
}

function argument(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i > 0 ? argv[i + 1] : undefined;
}

/** The bench database the command line asks for (`--scale N`, default 334; `--database sqlite|pg`). */
export function benchDatabase(argv: string[] = process.argv): BenchDatabase {
  const scale = Number(argument(argv, 'scale') ?? 334);
  const kind = argument(argv, 'database') ?? 'sqlite';
  if (kind === 'pg') {
    const url = new URL(process.env.BENCH_PG_URL ?? DEFAULT_PG_SERVER);
    url.pathname = `/portail_bench_${String(scale).replace(/\W/g, '_')}`;
    return { url: url.toString(), label: `PostgreSQL ${url.host}${url.pathname}`, kind };
  }
  if (kind !== 'sqlite') throw new Error(`--database « ${kind} » : sqlite ou pg attendu`);
  const file = path.join(PROJECT_ROOT, 'data', `bench-scale-${scale}.sqlite`);
  return { url: `sqlite:${file}`, label: path.relative(PROJECT_ROOT, file), kind };
}

/** Creates the PostgreSQL database when it does not exist yet. */
async function createPgDatabase(url: string): Promise<void> {
  const server = new URL(url);
  const name = server.pathname.slice(1);
  server.pathname = '/postgres';
  const admin = knex({ client: 'pg', connection: server.toString(), pool: { min: 0, max: 1 } });
  try {
    const { rows } = await admin.raw('SELECT 1 FROM pg_database WHERE datname = ?', [name]);
    if (rows.length === 0) await admin.raw(`CREATE DATABASE ${name}`);
  } finally {
    await admin.destroy();
  }
}

/** Migrates the bench database, and seeds it at `scale` unless it already was. */
export async function prepareBenchDatabase(database: BenchDatabase, scale: number): Promise<void> {
  const source = database.kind === 'pg' ? benchDatabase(['', '--scale', String(scale)]) : null;
  if (source) {
    await prepareBenchDatabase(source, scale);
    await createPgDatabase(database.url);
  }
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url });
  const db = createDb(config.database);
  try {
    await migrateLatest(db);
    if (await readMeta(db, 'demo_seeded_at')) {
      console.log(`Base de bench réutilisée : ${database.label}`);
      return;
    }
    const started = Date.now();
    const cpu = process.cpuUsage();
    if (source) {
      await copySqliteToPg(source.url, db);
    } else {
      await seedDemo(db, {
        scale,
        uploadDir: path.join(PROJECT_ROOT, 'data', 'bench-uploads'),
        brand: config.brand,
        log: (m: string) => console.log(`  ${m}`),
        bulkBuild: true,
      });
      await writeMeta(db, 'demo_seeded_at', new Date().toISOString());
    }
    const used = process.cpuUsage(cpu);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const cpuSeconds = ((used.user + used.system) / 1e6).toFixed(1);
    console.log(`Base de bench créée (échelle ${scale}, ${database.label}) en ${seconds} s (CPU de ce processus : ${cpuSeconds} s)`);
  } finally {
    await db.destroy();
  }
}

/** Tables not copied: the sessions of earlier runs. */
const NOT_COPIED = new Set(['sessions', 'knex_migrations', 'knex_migrations_lock']);
const COPY_BATCH = 5000;

/** The raw better-sqlite3 connection (read with a statement's iterator, not through Knex). */
interface SqliteConnection {
  prepare(sql: string): { all(...params: unknown[]): unknown[]; iterate(...params: unknown[]): Iterable<unknown> };
}

interface PgColumn {
  table_name: string;
  column_name: string;
  data_type: string;
}

/**
 * Copies every row of the seeded SQLite bench database into the migrated, empty PostgreSQL one:
 * the same data set on both databases, without generating it again. Rows go by batches of
 * COPY_BATCH as one JSON parameter (json_populate_recordset: one statement, one bound value),
 * indexes set aside meanwhile and foreign keys unchecked (session_replication_role, superuser).
 */
async function copySqliteToPg(sqliteUrl: string, pgDb: Db): Promise<void> {
  const sqliteDb = createDb(loadConfig({ NODE_ENV: 'test', DATABASE_URL: sqliteUrl }).database);
  const sqlite = (await sqliteDb.client.acquireConnection()) as SqliteConnection;
  try {
    const tables = (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[])
      .map((t) => t.name)
      .filter((name) => !NOT_COPIED.has(name));
    const { rows: columns } = (await pgDb.raw(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = current_schema() AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position`,
    )) as { rows: PgColumn[] };
    const build = await beginBulkBuild(pgDb, tables);
    for (const table of tables) {
      const started = Date.now();
      const sqliteColumns = new Set((sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name));
      const copied = columns.filter((c) => c.table_name === table && sqliteColumns.has(c.column_name));
      if (copied.length === 0) continue;
      const moments = copied.filter((c) => c.data_type.startsWith('timestamp') || c.data_type === 'date').map((c) => c.column_name);
      const list = copied.map((c) => `"${c.column_name}"`).join(', ');
      const insert = `INSERT INTO "${table}" (${list}) SELECT ${list} FROM json_populate_recordset(NULL::"${table}", ?::json)`;
      let batch: Record<string, unknown>[] = [];
      let count = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        const rows = batch;
        batch = [];
        await pgDb.transaction(async (trx) => {
          await trx.raw('SET LOCAL session_replication_role = replica');
          await trx.raw(insert, [JSON.stringify(rows)]);
        });
      };
      for (const row of sqlite.prepare(`SELECT ${list} FROM "${table}"`).iterate() as Iterable<Record<string, unknown>>) {
        // Knex stores a Date as epoch milliseconds on SQLite.
        for (const column of moments) if (typeof row[column] === 'number') row[column] = new Date(row[column] as number).toISOString();
        batch.push(row);
        count++;
        if (batch.length >= COPY_BATCH) await flush();
      }
      await flush();
      if (count >= 100_000) console.log(`  ${table} : ${count} lignes en ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    await finishBulkBuild(pgDb, build, (line) => console.log(line));
    const withId = columns.filter((c) => c.column_name === 'id' && tables.includes(c.table_name)).map((c) => c.table_name);
    await resetSequences(pgDb, withId);
    await refreshPlannerStatistics(pgDb);
  } finally {
    await sqliteDb.client.releaseConnection(sqlite);
    await sqliteDb.destroy();
  }
}

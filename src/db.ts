// The Knex instance: better-sqlite3 by default, PostgreSQL when DATABASE_URL says so.
// The same queries run on both; dialect differences stay in this file and in migrations.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import type { DatabaseConfig } from './config.js';
import { migrations } from '../db/migrations/index.js';

export type Db = Knex;

// COUNT and SUM come back as bigint (int8) from PostgreSQL; as strings by default. Our counts and
// cent amounts fit in a JS number, so read them as numbers, like SQLite gives them.
pg.types.setTypeParser(20, (value: string) => Number.parseInt(value, 10));
pg.types.setTypeParser(1700, (value: string) => Number.parseFloat(value));

export function createDb(database: DatabaseConfig): Db {
  if (database.client === 'pg') {
    return knex({
      client: 'pg',
      connection: database.url,
      pool: { min: 0, max: 10 },
    });
  }
  if (database.filename !== ':memory:') fs.mkdirSync(path.dirname(database.filename), { recursive: true });
  return knex({
    client: 'better-sqlite3',
    connection: { filename: database.filename },
    useNullAsDefault: true,
    pool: {
      // One connection: better-sqlite3 is synchronous, a second one would only wait on the lock.
      min: 1,
      max: 1,
      afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
        reusePreparedStatements(conn);
        conn.pragma('journal_mode = WAL');
        conn.pragma('synchronous = NORMAL');
        conn.pragma('foreign_keys = ON');
        conn.pragma('busy_timeout = 5000');
        done(null, conn);
      },
    },
  });
}

interface SqliteConnection {
  pragma(sql: string): unknown;
  prepare(sql: string): unknown;
}

const PREPARED_STATEMENTS_KEPT = 500;

/**
 * Knex prepares every statement again on each query; with better-sqlite3 that costs as much as
 * running a small indexed query. Statements are kept per connection by SQL text (bindings vary,
 * the text does not), the oldest dropped first once PREPARED_STATEMENTS_KEPT are held. SQLite
 * re-prepares a kept statement by itself when a migration changes the schema.
 */
function reusePreparedStatements(conn: SqliteConnection): void {
  const prepare = conn.prepare.bind(conn);
  const kept = new Map<string, unknown>();
  conn.prepare = (sql: string) => {
    let statement = kept.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      if (kept.size >= PREPARED_STATEMENTS_KEPT) kept.delete(kept.keys().next().value!);
      kept.set(sql, statement);
    }
    return statement;
  };
}

export function isPostgres(db: Db): boolean {
  return db.client.config.client === 'pg';
}

/** Migrations are listed in db/migrations/index.ts so they load the same from src (tsx) and dist. */
class ListedMigrationSource implements Knex.MigrationSource<(typeof migrations)[number]> {
  async getMigrations() {
    return migrations;
  }
  getMigrationName(migration: (typeof migrations)[number]) {
    return migration.name;
  }
  async getMigration(migration: (typeof migrations)[number]) {
    return migration;
  }
}

export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = await db.migrate.latest({ migrationSource: new ListedMigrationSource() });
  return applied as string[];
}

/**
 * Fresh planner statistics after a bulk load. On SQLite only the per-index summary
 * (sqlite_stat1) is kept: with sample rows in sqlite_stat4, SQLite re-plans a statement each time
 * a bound value changes, which made every indexed lookup of a page view two to three times
 * slower on the bench database, for plans that were the same.
 */
export async function refreshPlannerStatistics(db: Db): Promise<void> {
  await db.raw('ANALYZE');
  if (isPostgres(db)) return;
  const stat4 = await db('sqlite_master').where({ name: 'sqlite_stat4' }).first();
  if (stat4) {
    await db.raw('DELETE FROM sqlite_stat4');
    // Makes the open connection reload the statistics it just lost.
    await db.raw('ANALYZE sqlite_schema');
  }
}

/** Key/value facts about this database (e.g. when the demo data was loaded). */
export async function readMeta(db: Db, key: string): Promise<string | null> {
  const row = await db('app_meta').where({ key }).first();
  return row ? String(row.value) : null;
}

export async function writeMeta(db: Db, key: string, value: string): Promise<void> {
  await db('app_meta').insert({ key, value }).onConflict('key').merge();
}

/** The id of a row from `.insert(…).returning('id')`: an object on PostgreSQL and recent SQLite drivers, a bare number otherwise. */
export function insertedId(row: unknown): number {
  return Number(typeof row === 'object' && row !== null ? (row as { id: unknown }).id : row);
}

/** A unique index or primary key refused the write (PostgreSQL 23505, SQLite's constraint codes). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Where an argument goes among the compiled bindings, or a binding the query builder fixed. */
type BindingSlot = { arg: number } | { value: unknown };

interface CompiledQuery {
  sql: string;
  slots: BindingSlot[];
  /** The name PostgreSQL keeps the prepared statement under, per connection. */
  name: string;
}

interface PooledClient {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<void>;
}

const MARKER = '\u0000prepared-argument-';

/** A query of preparedQuery: the rows, of the type the caller names. */
export type PreparedQuery<Args extends unknown[]> = <Row>(db: Db, ...args: Args) => Promise<Row[]>;

/**
 * A query run on every request (the session's account, the member, the unread counts): Knex builds
 * it once per database from `build`, with marker values in place of the arguments, and every call
 * then runs the kept SQL text with the new values — on SQLite through the statement the connection
 * keeps (reusePreparedStatements above), on PostgreSQL as a named prepared statement, which each
 * connection parses once. Building and compiling a query with Knex costs more than running such a
 * small indexed query. Arguments must be single values bound as they are (no list for `whereIn`,
 * nothing turned into SQL text); `build` is checked against that when it is compiled. Inside a
 * transaction the query runs through Knex as usual. Returns the rows.
 */
export function preparedQuery<Args extends unknown[]>(build: (db: Knex, ...args: Args) => Knex.QueryBuilder | Knex.Raw): PreparedQuery<Args> {
  const compiled = new WeakMap<Db, CompiledQuery>();
  return async <Row>(db: Db, ...args: Args): Promise<Row[]> => {
    if (db.isTransaction) return rowsOf(await build(db, ...args)) as Row[];
    let query = compiled.get(db);
    if (!query) {
      query = compileQuery(db, build, build.length - 1);
      compiled.set(db, query);
    }
    const bindings = query.slots.map((slot) => ('arg' in slot ? args[slot.arg] : slot.value));
    if (db.listenerCount('query') > 0) db.emit('query', { method: 'select', sql: query.sql, bindings });
    const client = db.client as PooledClient;
    const connection = await client.acquireConnection();
    try {
      if (isPostgres(db)) {
        const result = await (connection as pg.Client).query({ name: query.name, text: query.sql, values: bindings });
        return result.rows as Row[];
      }
      const statement = (connection as { prepare(sql: string): { all(bindings: unknown[]): Row[] } }).prepare(query.sql);
      return statement.all(bindings.map(sqliteValue));
    } finally {
      await client.releaseConnection(connection);
    }
  };
}

function compileQuery<Args extends unknown[]>(db: Db, build: (db: Knex, ...args: Args) => Knex.QueryBuilder | Knex.Raw, arity: number): CompiledQuery {
  const markers = Array.from({ length: arity }, (_, i) => `${MARKER}${i}`);
  const { sql, bindings } = build(db, ...(markers as Args))
    .toSQL()
    .toNative();
  const slots = bindings.map((value): BindingSlot => {
    const arg = markers.indexOf(value as string);
    if (arg < 0 && typeof value === 'string' && value.includes(MARKER)) throw new Error(`preparedQuery: an argument was changed before binding (${sql})`);
    return arg >= 0 ? { arg } : { value };
  });
  if (sql.includes(MARKER)) throw new Error(`preparedQuery: an argument ended up in the SQL text (${sql})`);
  for (let i = 0; i < arity; i++) {
    if (!slots.some((slot) => 'arg' in slot && slot.arg === i)) throw new Error(`preparedQuery: argument ${i} is not bound (${sql})`);
  }
  return { sql, slots, name: `prepared_${crypto.createHash('sha1').update(sql).digest('hex').slice(0, 20)}` };
}

/** What Knex's better-sqlite3 client binds for a value (dates as milliseconds, booleans as 0/1). */
function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return value.valueOf();
  if (typeof value === 'boolean') return Number(value);
  return value;
}

function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result;
  if (result && typeof result === 'object' && 'rows' in result) return (result as { rows: Record<string, unknown>[] }).rows;
  return result === undefined ? [] : [result as Record<string, unknown>];
}

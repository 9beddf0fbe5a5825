// Fast multi-row inserts for the demo seed: millions of rows in a few minutes on a small machine.
// SQLite: prepared multi-row INSERTs on the raw better-sqlite3 connection, one transaction per call.
// PostgreSQL: multi-row INSERTs through Knex in one transaction per call.
// Batches stay under each database's bound-parameter limit (SQLite 32 766, PostgreSQL 65 535).
import type { Knex } from 'knex';
import { isPostgres, type Db } from '../../src/db.js';

export type Row = Record<string, unknown>;

/** Rows for one table; every row of a batch has the same keys (the first row's keys are the columns). */
export type TableRows = readonly [table: string, rows: readonly Row[]];

const SQLITE_MAX_VARIABLES = 32_766;
const PG_MAX_PARAMETERS = 65_535;
const PG_MAX_ROWS_PER_STATEMENT = 500;

/** One multi-row INSERT ready to run on SQLite: its rows' values in column order, booleans as 0/1. */
export interface SqliteInsert {
  table: string;
  columns: string[];
  rowCount: number;
  values: unknown[];
}

interface SqliteStatement {
  run(...params: unknown[]): unknown;
}

interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  transaction(fn: () => void): () => void;
}

const statementCache = new WeakMap<object, Map<string, SqliteStatement>>();

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

function insertSql(table: string, columns: readonly string[], rowCount: number): string {
  const tuple = `(${columns.map(() => '?').join(',')})`;
  return `INSERT INTO ${quote(table)} (${columns.map(quote).join(',')}) VALUES ${Array.from({ length: rowCount }, () => tuple).join(',')}`;
}

function rowsPerStatement(columnCount: number, limit: number, maxRows: number): number {
  return Math.max(1, Math.min(maxRows, Math.floor(limit / columnCount)));
}

/**
 * SQLite statement sizes for `rowCount` rows: as many full statements (as many rows as the variable
 * limit allows) as fit, then the rest by powers of two, so that few distinct statements are prepared.
 */
function sqliteStatementSizes(rowCount: number, columnCount: number): number[] {
  const full = rowsPerStatement(columnCount, SQLITE_MAX_VARIABLES, Number.MAX_SAFE_INTEGER);
  const sizes: number[] = [];
  let left = rowCount;
  while (left >= full) {
    sizes.push(full);
    left -= full;
  }
  for (let size = 2 ** Math.floor(Math.log2(Math.max(1, left))); left > 0; size >>= 1) {
    if (left >= size) {
      sizes.push(size);
      left -= size;
    }
  }
  return sizes;
}

function flatten(table: string, rows: readonly Row[], columns: readonly string[], from: number, to: number, sqlite: boolean): Knex.RawBinding[] {
  const values: Knex.RawBinding[] = new Array((to - from) * columns.length);
  let k = 0;
  for (let i = from; i < to; i++) {
    const row = rows[i];
    // Columns come from the first row: a row with other keys would silently lose data.
    let keys = 0;
    for (const _ in row) keys++;
    if (keys !== columns.length) throw new Error(`bulkInsert ${table}: row ${i} has ${keys} keys, the first row ${columns.length}`);
    for (const column of columns) {
      const value = row[column];
      if (value === undefined) values[k++] = null;
      else if (sqlite && typeof value === 'boolean') values[k++] = value ? 1 : 0;
      else values[k++] = value as Knex.RawBinding;
    }
  }
  return values;
}

/**
 * The SQLite INSERTs for batches of rows, in order, each as large as the variable limit allows: the
 * work that needs no connection (the demo seed does it in its generator thread, db/seeds/demo/worker.ts).
 */
export function sqliteInserts(batches: readonly TableRows[]): SqliteInsert[] {
  const inserts: SqliteInsert[] = [];
  for (const [table, rows] of batches) {
    if (rows.length === 0) continue;
    const columns = Object.keys(rows[0]);
    let start = 0;
    for (const size of sqliteStatementSizes(rows.length, columns.length)) {
      inserts.push({ table, columns, rowCount: size, values: flatten(table, rows, columns, start, start + size, true) });
      start += size;
    }
  }
  return inserts;
}

/** Runs SQLite INSERTs (sqliteInserts) on a raw better-sqlite3 connection, in one transaction. */
export function runSqliteInserts(conn: unknown, inserts: readonly SqliteInsert[]): void {
  const connection = conn as SqliteConnection;
  let cache = statementCache.get(connection);
  if (!cache) {
    cache = new Map();
    statementCache.set(connection, cache);
  }
  const statements = cache;
  connection.transaction(() => {
    for (const insert of inserts) {
      const key = `${insert.table}|${insert.columns.join(',')}|${insert.rowCount}`;
      let statement = statements.get(key);
      if (!statement) {
        statement = connection.prepare(insertSql(insert.table, insert.columns, insert.rowCount));
        statements.set(key, statement);
      }
      // An array binds its items as the anonymous parameters, without spreading 32,766 arguments.
      statement.run(insert.values);
    }
  })();
}

/** Inserts every batch, in order (parents before children), inside one transaction. */
export async function bulkInsert(db: Db, batches: readonly TableRows[]): Promise<void> {
  const work = batches.filter(([, rows]) => rows.length > 0);
  if (work.length === 0) return;
  if (isPostgres(db)) {
    await db.transaction(async (trx) => {
      for (const [table, rows] of work) {
        const columns = Object.keys(rows[0]);
        const perStatement = rowsPerStatement(columns.length, PG_MAX_PARAMETERS, PG_MAX_ROWS_PER_STATEMENT);
        for (let start = 0; start < rows.length; start += perStatement) {
          const end = Math.min(rows.length, start + perStatement);
          await trx.raw(insertSql(table, columns, end - start), flatten(table, rows, columns, start, end, false));
        }
      }
    });
    return;
  }
  // better-sqlite3 is synchronous: take the pool's single connection and run one native transaction.
  const conn: unknown = await db.client.acquireConnection();
  try {
    runSqliteInserts(conn, sqliteInserts(work));
  } finally {
    await db.client.releaseConnection(conn);
  }
}

/** After explicit ids were inserted, PostgreSQL sequences must continue after the largest id. */
export async function resetSequences(db: Db, tables: readonly string[]): Promise<void> {
  if (!isPostgres(db)) return;
  for (const table of tables) {
    await db.raw(
      `SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE((SELECT MAX(id) FROM ${quote(table)}), 1), (SELECT MAX(id) FROM ${quote(table)}) IS NOT NULL)`,
      [table],
    );
  }
}

/** What a bulk build set aside: put it back with finishBulkBuild once every row is in. */
export interface BulkBuild {
  indexes: string[];
  /** SQLite insert triggers, each with the statements that do its work for every row at once. */
  triggers: { sql: string; replay: string[] }[];
}

/**
 * A bulk build: the indexes and insert triggers of `tables` are set aside while the rows go in,
 * and put back after them (one sort per index instead of a B-tree insertion per row, one UPDATE
 * per trigger step instead of one per row). On SQLite the build also runs with the rollback journal
 * in memory, without fsync nor foreign-key checks (the seed assigns every id itself): a crash in the
 * middle leaves a database to throw away, which only a seed from scratch can afford.
 */
export async function beginBulkBuild(db: Db, tables: readonly string[]): Promise<BulkBuild> {
  const marks = tables.map(() => '?').join(',');
  if (isPostgres(db)) {
    const { rows } = (await db.raw(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN (${marks})
         AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
      [...tables],
    )) as { rows: { indexname: string; indexdef: string }[] };
    for (const row of rows) await db.raw(`DROP INDEX ${quote(row.indexname)}`);
    return { indexes: rows.map((r) => r.indexdef), triggers: [] };
  }
  // The rollback journal in memory (better-sqlite3 runs SQLite in defensive mode, which refuses OFF).
  await db.raw('PRAGMA journal_mode = MEMORY');
  await db.raw('PRAGMA synchronous = OFF');
  await db.raw('PRAGMA foreign_keys = OFF');
  // Room for the sorts of CREATE INDEX (KiB when negative), which may use helper threads.
  await db.raw('PRAGMA cache_size = -524288');
  await db.raw('PRAGMA threads = 2');
  const objects: { type: string; name: string; sql: string }[] = await db('sqlite_master')
    .whereIn('type', ['index', 'trigger'])
    .whereIn('tbl_name', tables)
    .whereNotNull('sql')
    .select('type', 'name', 'sql');
  const build: BulkBuild = { indexes: [], triggers: [] };
  for (const object of objects) {
    if (object.type === 'index') {
      build.indexes.push(object.sql);
      await db.raw(`DROP INDEX ${quote(object.name)}`);
    } else if (/\bAFTER\s+INSERT\s+ON\b/i.test(object.sql)) {
      build.triggers.push({ sql: object.sql, replay: replayStatements(object.sql) });
      await db.raw(`DROP TRIGGER ${quote(object.name)}`);
    }
  }
  return build;
}

/**
 * The statements of an insert trigger that only updates the new row (`… WHERE id = NEW.id`),
 * rewritten for every row of the table, or the statement the trigger declares for a bulk build.
 * Any other trigger cannot be replayed: it stays an error.
 */
function replayStatements(triggerSql: string): string[] {
  // A trigger that keeps a cache (db/migrations/20261208200000_hr_unread_badge_cache.ts) says in
  // its body what stands for it once the rows are in: `-- bulk build: <statement>`.
  const declared = /^\s*--\s*bulk build:\s*(.+)$/m.exec(triggerSql)?.[1];
  if (declared) return [declared.trim()];
  const body = /\bBEGIN\b([\s\S]*)\bEND\s*$/i.exec(triggerSql.trim())?.[1];
  const statements = (body ?? '')
    .split(/;\s*\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter((s) => s !== '');
  return statements.map((statement) => {
    const all = statement.replace(/\bWHERE\s+id\s*=\s*NEW\.id$/i, 'WHERE 1 = 1');
    if (all === statement || /\bNEW\./i.test(all)) throw new Error(`bulk build: cannot replay the trigger statement ${statement.slice(0, 80)}…`);
    return all;
  });
}

/** Puts back what beginBulkBuild set aside, then the usual journal, sync and foreign-key checks. */
export async function finishBulkBuild(db: Db, build: BulkBuild, log: (line: string) => void = () => {}): Promise<void> {
  for (const trigger of build.triggers) {
    for (const statement of trigger.replay) await db.raw(statement);
    await db.raw(trigger.sql);
  }
  for (const sql of build.indexes) {
    const started = Date.now();
    await db.raw(sql);
    const seconds = (Date.now() - started) / 1000;
    if (seconds >= 5) log(`  index ${/INDEX\s+(?:IF NOT EXISTS\s+)?("?[\w.]+"?)/i.exec(sql)?.[1] ?? sql} : ${seconds.toFixed(0)} s`);
  }
  if (isPostgres(db)) return;
  await db.raw('PRAGMA cache_size = -2000');
  await db.raw('PRAGMA threads = 0');
  await db.raw('PRAGMA foreign_keys = ON');
  await db.raw('PRAGMA synchronous = NORMAL');
  await db.raw('PRAGMA journal_mode = WAL');
}

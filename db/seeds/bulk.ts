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
const MAX_ROWS_PER_STATEMENT = 500;

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

function rowsPerStatement(columnCount: number, limit: number): number {
  return Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(limit / columnCount)));
}

function flatten(table: string, rows: readonly Row[], columns: readonly string[], from: number, to: number, sqlite: boolean): Knex.RawBinding[] {
  const values: Knex.RawBinding[] = [];
  for (let i = from; i < to; i++) {
    const row = rows[i];
    // Columns come from the first row: a row with other keys would silently lose data.
    let keys = 0;
    for (const _ in row) keys++;
    if (keys !== columns.length) throw new Error(`bulkInsert ${table}: row ${i} has ${keys} keys, the first row ${columns.length}`);
    for (const column of columns) {
      const value = row[column];
      if (value === undefined) values.push(null);
      else if (sqlite && typeof value === 'boolean') values.push(value ? 1 : 0);
      else values.push(value as Knex.RawBinding);
    }
  }
  return values;
}

function insertSqlite(conn: SqliteConnection, table: string, rows: readonly Row[]) {
  let cache = statementCache.get(conn);
  if (!cache) {
    cache = new Map();
    statementCache.set(conn, cache);
  }
  const columns = Object.keys(rows[0]);
  const perStatement = rowsPerStatement(columns.length, SQLITE_MAX_VARIABLES);
  for (let start = 0; start < rows.length; start += perStatement) {
    const end = Math.min(rows.length, start + perStatement);
    const key = `${table}|${columns.join(',')}|${end - start}`;
    let statement = cache.get(key);
    if (!statement) {
      statement = conn.prepare(insertSql(table, columns, end - start));
      cache.set(key, statement);
    }
    statement.run(...flatten(table, rows, columns, start, end, true));
  }
}

/** Inserts every batch, in order (parents before children), inside one transaction. */
export async function bulkInsert(db: Db, batches: readonly TableRows[]): Promise<void> {
  const work = batches.filter(([, rows]) => rows.length > 0);
  if (work.length === 0) return;
  if (isPostgres(db)) {
    await db.transaction(async (trx) => {
      for (const [table, rows] of work) {
        const columns = Object.keys(rows[0]);
        const perStatement = rowsPerStatement(columns.length, PG_MAX_PARAMETERS);
        for (let start = 0; start < rows.length; start += perStatement) {
          const end = Math.min(rows.length, start + perStatement);
          await trx.raw(insertSql(table, columns, end - start), flatten(table, rows, columns, start, end, false));
        }
      }
    });
    return;
  }
  // better-sqlite3 is synchronous: take the pool's single connection and run one native transaction.
  const conn = (await db.client.acquireConnection()) as SqliteConnection;
  try {
    conn.transaction(() => {
      for (const [table, rows] of work) insertSqlite(conn, table, rows);
    })();
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

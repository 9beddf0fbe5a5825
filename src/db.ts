// The Knex instance: better-sqlite3 by default, PostgreSQL when DATABASE_URL says so.
// The same queries run on both; dialect differences stay in this file and in migrations.
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

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
      afterCreate(conn: { pragma(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
        conn.pragma('journal_mode = WAL');
        conn.pragma('synchronous = NORMAL');
        conn.pragma('foreign_keys = ON');
        conn.pragma('busy_timeout = 5000');
        done(null, conn);
      },
    },
  });
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

/** Key/value facts about this database (e.g. when the demo data was loaded). */
export async function readMeta(db: Db, key: string): Promise<string | null> {
  const row = await db('app_meta').where({ key }).first();
  return row ? String(row.value) : null;
}

export async function writeMeta(db: Db, key: string, value: string): Promise<void> {
  await db('app_meta').insert({ key, value }).onConflict('key').merge();
}

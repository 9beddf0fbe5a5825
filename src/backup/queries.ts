// Knex only: what the backup and the restore (src/backup/archive.ts) read of a database.
import { type Db, isPostgres } from '../db.js';

/** Knex's own bookkeeping: present in a database that was only migrated, so it does not make it « non-empty ». */
const BOOKKEEPING = new Set(['knex_migrations', 'knex_migrations_lock']);

/** Every table of the application's schema, Knex's bookkeeping included, by name. */
export async function listTables(db: Db): Promise<string[]> {
  const rows: { name: string }[] = isPostgres(db)
    ? await db('pg_tables').select({ name: 'tablename' }).whereRaw('schemaname = current_schema()').orderBy('tablename')
    : await db('sqlite_master').select('name').where({ type: 'table' }).andWhereNot('name', 'like', 'sqlite_%').orderBy('name');
  return rows.map((row) => row.name);
}

/** The application tables holding at least one row (one cheap query per table). */
export async function tablesWithRows(db: Db): Promise<string[]> {
  const found: string[] = [];
  for (const table of await listTables(db)) {
    if (BOOKKEEPING.has(table)) continue;
    if (await db(table).first(db.raw('1 AS one'))) found.push(table);
  }
  return found;
}

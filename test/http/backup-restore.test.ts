// npm run backup / npm run restore (src/backup/archive.ts, scripts/backup.ts, scripts/restore.ts):
// the demo data and its files, backed up by the script in another process while this one keeps
// writing (a file, then the outbox row naming it, as uploads do), restored into an empty instance:
// every table equal to the source except the rows written after the snapshot, which are all
// missing together, and every file restored identical; then, writes stopped, a second backup
// restored over the first (refused without --force, refused with a damaged archive) equals the
// source table by table (ordered hash of every row) and file by file. On SQLite, and on
// PostgreSQL (pg_dump) under TEST_PG_URL.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { seedDemo } from '../../db/seeds/demo/index.js';
import { createDb, type Db } from '../../src/db.js';
import { BackupError, createBackup, restoreBackup } from '../../src/backup/archive.js';
import { listTables } from '../../src/backup/queries.js';
import { assertIncludes } from '../helpers/assertions.js';

const run = promisify(execFile);
const WRITTEN = 'essai-sauvegarde';
let source: TestContext;
let target: TestContext;

before(async () => {
  source = await makeTestApp();
  await seedDemo(source.db, { scale: 0.05, uploadDir: source.config.uploadDir, brand: source.config.brand });
  target = await makeTestApp();
  // The target instance is stopped for the restore, as the service is.
  await target.db.destroy();
});
after(async () => {
  await source.close();
  await target.close();
});

function envOf(t: TestContext): NodeJS.ProcessEnv {
  const d = t.config.database;
  return { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: t.dataDir, DATABASE_URL: d.client === 'pg' ? d.url : `sqlite:${d.filename}` };
}

function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  return value;
}

function rowLine(row: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(row)
      .sort()
      .map((key) => [key, canonical(row[key])]),
  );
}

/** Every table: its rows, each as one canonical JSON line, sorted. */
async function tablesOf(db: Db): Promise<Map<string, string[]>> {
  const tables = new Map<string, string[]>();
  for (const table of await listTables(db)) {
    if (table === 'knex_migrations_lock') continue;
    const rows: Record<string, unknown>[] = await db(table).select('*');
    const lines = rows.map(rowLine);
    tables.set(table, lines.sort());
  }
  return tables;
}

function hashOf(lines: string[]): string {
  return crypto.createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** Every file under the folder, by relative path: the SHA-256 of its content. */
function filesOf(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full), crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
  }
  return files;
}

/** Writes like an upload does — the file moved into place, then the row naming it — until stopped. */
function startWriter(db: Db, uploadDir: string) {
  let stopped = false;
  let written = 0;
  const done = (async () => {
    fs.mkdirSync(path.join(uploadDir, WRITTEN), { recursive: true });
    while (!stopped) {
      written += 1;
      const name = `${WRITTEN}/${String(written).padStart(6, '0')}.txt`;
      fs.writeFileSync(path.join(uploadDir, `${name}.tmp`), `contenu ${written} ${'x'.repeat(written % 500)}`);
      fs.renameSync(path.join(uploadDir, `${name}.tmp`), path.join(uploadDir, name));
      await db('outbox').insert({
        channel: 'email',
        recipient: `ecriture${written}@exemple.fr`,
        body_text: name,
        status: 'stored',
        attempts: 0,
        created_at: new Date().toISOString(),
      });
      // About fifty writes a second: steady, without piling up thousands of files while a slow machine starts the script.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    count: () => written,
    async stop() {
      stopped = true;
      await done;
    },
  };
}

async function untilWritten(writer: ReturnType<typeof startWriter>, n: number): Promise<void> {
  while (writer.count() < n) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function withTargetDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const db = createDb(target.config.database);
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

test('a backup under writes restores into an empty instance: a consistent snapshot, every file; a quiet one restores over it equal table by table and file by file', async () => {
  const backups = path.join(source.dataDir, 'sauvegardes');
  const writer = startWriter(source.db, source.config.uploadDir);
  await untilWritten(writer, 3);
  const writtenBefore = writer.count();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', '--dossier', backups], { env: envOf(source) });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const writtenDuring = writer.count() - writtenBefore;
  await writer.stop();
  assert.equal(code, 0, out);
  assertIncludes(out, 'Sauvegarde terminée');
  assert.ok(writtenDuring > 0, 'rows were written while the backup ran');
  const [archive] = fs.readdirSync(backups).filter((name) => name.endsWith('.tar.gz'));
  assert.match(archive, /^portail-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.tar\.gz$/);
  const archivePath = path.join(backups, archive);
  const { stdout: checked } = await run('sha256sum', ['-c', `${archive}.sha256`], { cwd: backups });
  assert.equal(checked.trim(), `${archive}: OK`);

  // Restored by the script into the empty instance.
  const restored = await run(process.execPath, ['--import', 'tsx', 'scripts/restore.ts', archivePath], { env: envOf(target) });
  assertIncludes(restored.stdout, 'Restauration terminée');

  const sourceTables = await tablesOf(source.db);
  const sourceFiles = filesOf(source.config.uploadDir);
  await withTargetDb(async (db) => {
    const targetTables = await tablesOf(db);
    assert.deepEqual([...targetTables.keys()], [...sourceTables.keys()]);
    // The rows written: a prefix — all those before the snapshot, none after.
    const writtenRows = (await db('outbox').where('body_text', 'like', `${WRITTEN}/%`).orderBy('id')) as { id: number; body_text: string }[];
    assert.ok(writtenRows.length >= 3, `rows written before the backup started are restored (${writtenRows.length})`);
    assert.ok(writtenRows.length < writer.count(), 'rows written after the snapshot are not');
    const lastId = writtenRows.at(-1)!.id;
    const sourceUpToSnapshot = ((await source.db('outbox').where('id', '<=', lastId).select('*')) as Record<string, unknown>[]).map(rowLine).sort();
    assert.equal(hashOf(targetTables.get('outbox')!), hashOf(sourceUpToSnapshot), 'outbox: the rows up to the snapshot, identical');
    for (const [table, lines] of sourceTables) {
      if (table === 'outbox') continue;
      assert.equal(targetTables.get(table)!.length, lines.length, `${table}: row count`);
      assert.equal(hashOf(targetTables.get(table)!), hashOf(lines), `${table}: content`);
    }
    // Every file restored is the source's; every file a restored row names is there.
    const targetFiles = filesOf(target.config.uploadDir);
    for (const [file, hash] of targetFiles) assert.equal(hash, sourceFiles.get(file), `file ${file}`);
    for (const row of writtenRows) assert.ok(targetFiles.has(row.body_text), `file of row ${row.id}`);
    for (const file of sourceFiles.keys()) if (!file.startsWith(`${WRITTEN}/`)) assert.ok(targetFiles.has(file), `seeded file ${file}`);
    assert.ok(
      [...sourceFiles.keys()].some((file) => !file.startsWith(`${WRITTEN}/`)),
      'the demo data has files',
    );
  });

  // Writes stopped: a second backup, restored over the first.
  const quiet = await createBackup(source.config, { directory: path.join(source.dataDir, 'sauvegardes-2') });
  await assert.rejects(restoreBackup(target.config, quiet.archive, { force: false }), (err: Error) => {
    assert.ok(err instanceof BackupError);
    assertIncludes(err.message, "La base n'est pas vide");
    assertIncludes(err.message, '--force');
    return true;
  });
  const damaged = path.join(source.dataDir, 'abime.tar.gz');
  fs.copyFileSync(quiet.archive, damaged);
  fs.appendFileSync(damaged, 'x');
  fs.writeFileSync(`${damaged}.sha256`, `${quiet.sha256}  abime.tar.gz\n`);
  await assert.rejects(restoreBackup(target.config, damaged, { force: true }), /La somme de contrôle SHA-256 de l'archive ne correspond pas/);

  await restoreBackup(target.config, quiet.archive, { force: true });
  const finalTables = await tablesOf(source.db);
  await withTargetDb(async (db) => {
    const targetTables = await tablesOf(db);
    assert.deepEqual([...targetTables.keys()], [...finalTables.keys()]);
    for (const [table, lines] of finalTables) {
      assert.equal(targetTables.get(table)!.length, lines.length, `${table}: row count`);
      assert.equal(hashOf(targetTables.get(table)!), hashOf(lines), `${table}: content`);
    }
  });
  assert.deepEqual(new Map([...filesOf(target.config.uploadDir)].sort()), new Map([...filesOf(source.config.uploadDir)].sort()));
  assert.equal(filesOf(target.config.uploadDir).size, quiet.files);
});

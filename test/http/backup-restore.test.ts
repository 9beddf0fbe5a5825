// npm run backup / npm run restore (src/backup/archive.ts, scripts/backup.ts, scripts/restore.ts):
// the demo data and its files, backed up by the script in another process while this one keeps
// writing (a file, then the outbox row naming it, as uploads do), restored into an empty instance:
// every table equal to the source except the rows written after the snapshot, which are all
// missing together, and every file restored identical; then, writes stopped, a second backup
// restored over the first (refused without --force, refused with a damaged archive) equals the
// source table by table (ordered hash of every row) and file by file. On SQLite, and on
// PostgreSQL (pg_dump) under TEST_PG_URL; with the files on disk (STORAGE=disk), and in an object
// store (STORAGE=s3, the fake S3 API of test/helpers/fake-s3.ts, one bucket per instance).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import os from 'node:os';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { startFakeS3 } from '../helpers/fake-s3.js';
import { seedDemo } from '../../db/seeds/demo/index.js';
import { createDb, type Db } from '../../src/db.js';
import { BackupError, createBackup, restoreBackup } from '../../src/backup/archive.js';
import { listTables } from '../../src/backup/queries.js';
import { assertIncludes } from '../helpers/assertions.js';
import type { FileStore } from '../../src/storage/file-store.js';
import { fileStoreFor } from '../../src/storage/from-config.js';

const run = promisify(execFile);
const WRITTEN = 'essai-sauvegarde';

/** The S3_* variables of an instance whose files are in `bucket` of the fake store. */
function s3Env(endpoint: string, bucket: string): Record<string, string> {
  return { STORAGE: 's3', S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_ACCESS_KEY_ID: 'cle-essai', S3_SECRET_ACCESS_KEY: 'secret-essai' };
}

function envOf(t: TestContext, storage: Record<string, string>): NodeJS.ProcessEnv {
  const d = t.config.database;
  return {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: t.dataDir,
    DATABASE_URL: d.client === 'pg' ? d.url : `sqlite:${d.filename}`,
    ...storage,
  };
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

/** Every file of the instance (its upload folder, or its bucket), by folder/name: the SHA-256 of its content. */
async function filesOf(t: TestContext): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  if (t.config.storage.kind === 'disk') {
    const dir = t.config.uploadDir;
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const full = path.join(entry.parentPath, entry.name);
      files.set(path.relative(dir, full), crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
    }
    return files;
  }
  const store = fileStoreFor(t.config);
  for (const folder of await store.folders()) {
    for await (const file of store.list(folder)) {
      const hash = crypto.createHash('sha256');
      for await (const chunk of (await store.read(folder, file.name))!) hash.update(chunk);
      files.set(`${folder}/${file.name}`, hash.digest('hex'));
    }
  }
  return files;
}

/** Writes like an upload does — the file put into the store, then the row naming it — until stopped. */
function startWriter(db: Db, store: FileStore) {
  let stopped = false;
  let written = 0;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ecriture-'));
  const done = (async () => {
    while (!stopped) {
      written += 1;
      const stored = `${String(written).padStart(6, '0')}.txt`;
      const name = `${WRITTEN}/${stored}`;
      fs.writeFileSync(path.join(work, stored), `contenu ${written} ${'x'.repeat(written % 500)}`);
      await store.put(WRITTEN, stored, path.join(work, stored));
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
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

async function untilWritten(writer: ReturnType<typeof startWriter>, n: number): Promise<void> {
  while (writer.count() < n) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function withDb<T>(t: TestContext, work: (db: Db) => Promise<T>): Promise<T> {
  const db = createDb(t.config.database);
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

for (const kind of ['disk', 's3'] as const) {
  describe(`files on ${kind}`, () => {
    let source: TestContext;
    let target: TestContext;
    let fake: Awaited<ReturnType<typeof startFakeS3>> | null = null;
    let sourceStorage: Record<string, string> = {};
    let targetStorage: Record<string, string> = {};

    before(async () => {
      if (kind === 's3') {
        fake = await startFakeS3();
        sourceStorage = s3Env(fake.endpoint, 'source');
        targetStorage = s3Env(fake.endpoint, 'cible');
      }
      source = await makeTestApp(sourceStorage);
      await seedDemo(source.db, { scale: 0.05, uploadDir: source.config.uploadDir, files: fileStoreFor(source.config), brand: source.config.brand });
      target = await makeTestApp(targetStorage);
      // The target instance is stopped for the restore, as the service is.
      await target.db.destroy();
    });
    after(async () => {
      await source.close();
      await target.close();
      await fake?.close();
    });

    test('a backup under writes restores into an empty instance: a consistent snapshot, every file; a quiet one restores over it equal table by table and file by file', async () => {
      const backups = path.join(source.dataDir, 'sauvegardes');
      const writer = startWriter(source.db, fileStoreFor(source.config));
      await untilWritten(writer, 3);
      const writtenBefore = writer.count();
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', '--dossier', backups], { env: envOf(source, sourceStorage) });
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
      const restored = await run(process.execPath, ['--import', 'tsx', 'scripts/restore.ts', archivePath], { env: envOf(target, targetStorage) });
      assertIncludes(restored.stdout, 'Restauration terminée');

      const sourceTables = await tablesOf(source.db);
      const sourceFiles = await filesOf(source);
      const targetFiles = await filesOf(target);
      await withDb(target, async (db) => {
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
      await withDb(target, async (db) => {
        const targetTables = await tablesOf(db);
        assert.deepEqual([...targetTables.keys()], [...finalTables.keys()]);
        for (const [table, lines] of finalTables) {
          assert.equal(targetTables.get(table)!.length, lines.length, `${table}: row count`);
          assert.equal(hashOf(targetTables.get(table)!), hashOf(lines), `${table}: content`);
        }
      });
      const restoredFiles = await filesOf(target);
      assert.deepEqual(new Map([...restoredFiles].sort()), new Map([...(await filesOf(source))].sort()));
      assert.equal(restoredFiles.size, quiet.files);
      if (kind === 's3') assert.ok(!fs.existsSync(path.join(target.config.uploadDir, WRITTEN)), 'with S3, nothing restored on the local disk');
    });
  });
}

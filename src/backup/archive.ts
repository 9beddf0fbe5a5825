// Backups and restores (npm run backup, npm run restore; docs/deploy.md, « Sauvegardes »).
//
// A backup is one dated archive `portail-AAAA-MM-JJTHH-MM-SSZ.tar.gz` and, beside it, its SHA-256 in
// `sha256sum` format (`sha256sum -c` checks it too). Inside: manifest.json (format, date, database
// kind, migrations applied), the database — database.sqlite, a copy made by SQLite's online backup
// API in one step (one read transaction: a consistent snapshot while the portal keeps writing), or
// database.dump, pg_dump's custom format (one snapshot too) — and uploads/, the upload folder
// (STORAGE=disk), or every file of the object store read through it (STORAGE=s3, src/storage/).
// The database is copied first, the files second: a file added meanwhile is only an orphan (swept
// by the jobs of src/jobs.ts), whereas the other order could leave rows pointing to missing files.
//
// A restore checks the checksum, refuses a database or upload folder that holds anything unless
// forced, then replaces the database — SQLite: a checked copy renamed over the file; PostgreSQL:
// the tables dropped and the dump replayed by psql in one transaction — and then the upload
// folder, by renames, or the object store's files, put back through the store (those it held that
// the archive has not are removed). The portal must be stopped meanwhile.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../config.js';
import { createDb, type Db } from '../db.js';
import { migrations } from '../../db/migrations/index.js';
import { appliedMigrationNames } from '../observability/queries.js';
import { checkSegment, type FileStore } from '../storage/file-store.js';
import { fileStoreFor } from '../storage/from-config.js';
import { tablesWithRows } from './queries.js';

const run = promisify(execFile);

/** A refusal or a failure, said in French to the person at the command line. */
export class BackupError extends Error {}

const FORMAT = 1;
/** better-sqlite3's backup() copies this many pages per step: all of them, in one step (one snapshot). */
const ALL_PAGES = 0x7fffffff;
/** Left by /readyz (src/observability/probes.ts) for an instant: never part of a backup. */
const PROBE_FILES = /^\.readyz-/;

interface Manifest {
  format: number;
  createdAt: string;
  database: 'sqlite' | 'pg';
  migrations: string[];
  files: number;
}

export interface BackupResult {
  archive: string;
  checksumFile: string;
  sha256: string;
  bytes: number;
  files: number;
}

export interface RestoreResult {
  createdAt: string;
  files: number;
}

interface SqliteConnection {
  backup(file: string, options: { progress: () => number }): Promise<unknown>;
}

/** The connection URL without its password, which goes through PGPASSWORD (not visible in `ps`). */
function pgCommand(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { dbname: parsed.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env };
}

async function runTool(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, okCodes = [0]): Promise<void> {
  try {
    await run(command, args, { env, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const failure = err as { code?: number | string; stderr?: string };
    if (typeof failure.code === 'number' && okCodes.includes(failure.code)) return;
    if (failure.code === 'ENOENT')
      throw new BackupError(`La commande ${command} est introuvable : installez-la (paquet postgresql-client pour pg_dump, pg_restore et psql).`);
    throw new BackupError(`${command} a échoué : ${(failure.stderr ?? String(err)).trim().slice(0, 2000)}`);
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

function countFiles(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && !PROBE_FILES.test(entry.name)).length;
}

async function withDb<T>(config: Config, work: (db: Db) => Promise<T>): Promise<T> {
  const db = createDb(config.database);
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

function archiveName(now: Date): string {
  return `portail-${now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-')}.tar.gz`;
}

/** Copies every file of the object store into `dir`/<folder>/<name>; returns how many. */
async function downloadStore(store: FileStore, dir: string): Promise<number> {
  let count = 0;
  for (const folder of await store.folders()) {
    await fsp.mkdir(path.join(dir, folder), { recursive: true });
    for await (const file of store.list(folder)) {
      const stream = await store.read(folder, file.name);
      // Gone since it was listed (removed meanwhile): not part of the backup.
      if (!stream) continue;
      const target = path.join(dir, folder, file.name);
      await pipeline(stream, fs.createWriteStream(target, { flags: 'wx' }));
      await fsp.utimes(target, file.modifiedAt, file.modifiedAt);
      count += 1;
    }
  }
  return count;
}

/** Whether the store holds any file. */
async function storeHasFiles(store: FileStore): Promise<boolean> {
  return (await store.folders()).length > 0;
}

/** Work folders of UPLOAD_DIR (src/middleware/uploads.ts): never put into an object store. */
const WORK_FOLDERS = new Set(['tmp', 'imports']);

/** Puts the restored files into the object store, then removes those it held that the archive has not. */
async function uploadToStore(store: FileStore, dir: string): Promise<void> {
  const restored = new Set<string>();
  const folders = fs.existsSync(dir) ? await fsp.readdir(dir, { withFileTypes: true }) : [];
  for (const folder of folders) {
    if (!folder.isDirectory() || WORK_FOLDERS.has(folder.name) || PROBE_FILES.test(folder.name)) continue;
    for (const file of await fsp.readdir(path.join(dir, folder.name), { withFileTypes: true })) {
      if (!file.isFile() || PROBE_FILES.test(file.name)) continue;
      checkSegment(folder.name);
      checkSegment(file.name);
      await store.put(folder.name, file.name, path.join(dir, folder.name, file.name));
      restored.add(`${folder.name}/${file.name}`);
    }
  }
  for (const folder of await store.folders()) {
    const stale: string[] = [];
    for await (const file of store.list(folder)) if (!restored.has(`${folder}/${file.name}`)) stale.push(file.name);
    for (const name of stale) await store.remove(folder, name);
  }
}

export async function createBackup(config: Config, options: { directory: string; now?: Date; files?: FileStore }): Promise<BackupResult> {
  const now = options.now ?? new Date();
  // The archive holds every member's personal data: readable by the service account only.
  await fsp.mkdir(options.directory, { recursive: true, mode: 0o700 });
  const archive = path.join(path.resolve(options.directory), archiveName(now));
  if (fs.existsSync(archive)) throw new BackupError(`${archive} existe déjà : rien n'a été écrit.`);
  const staging = await fsp.mkdtemp(path.join(options.directory, '.sauvegarde-'));
  try {
    const databaseFile = config.database.client === 'pg' ? 'database.dump' : 'database.sqlite';
    const applied = await withDb(config, async (db) => {
      const names = await appliedMigrationNames(db).catch(() => {
        throw new BackupError("La base n'a jamais été migrée (table knex_migrations absente) : rien à sauvegarder.");
      });
      if (config.database.client === 'sqlite') {
        if (config.database.filename === ':memory:') throw new BackupError('Une base SQLite en mémoire ne se sauvegarde pas.');
        const conn = (await db.client.acquireConnection()) as SqliteConnection;
        try {
          await conn.backup(path.join(staging, databaseFile), { progress: () => ALL_PAGES });
        } finally {
          await db.client.releaseConnection(conn);
        }
      }
      return names;
    });
    if (config.database.client === 'pg') {
      const { dbname, env } = pgCommand(config.database.url);
      await runTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${path.join(staging, databaseFile)}`, `--dbname=${dbname}`], env);
    }

    const store = config.storage.kind === 's3' ? (options.files ?? fileStoreFor(config)) : null;
    // From the object store: every file read through it into the staging folder first.
    const files = store ? await downloadStore(store, path.join(staging, 'uploads')) : countFiles(config.uploadDir);
    const manifest: Manifest = { format: FORMAT, createdAt: now.toISOString(), database: config.database.client, migrations: applied, files };
    await fsp.writeFile(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const args = ['-czf', `${archive}.partiel`, '-C', staging, 'manifest.json', databaseFile];
    if (store) {
      await fsp.mkdir(path.join(staging, 'uploads'), { recursive: true });
      args.push('uploads');
    } else if (fs.existsSync(config.uploadDir)) {
      // The upload folder under the name « uploads », whatever its own name; read in place, not copied first.
      args.push('-C', config.uploadDir, '--exclude=.readyz-*', '--transform=s|^\\.|uploads|', '.');
    } else {
      await fsp.mkdir(path.join(staging, 'uploads'));
      args.push('uploads');
    }
    // GNU tar's exit code 1: a file changed or vanished while it was read (an upload meanwhile): not an error here.
    await runTool('tar', args, process.env, [0, 1]);
    await fsp.chmod(`${archive}.partiel`, 0o600);
    await fsp.rename(`${archive}.partiel`, archive);
    const sha256 = await sha256Of(archive);
    const checksumFile = `${archive}.sha256`;
    await fsp.writeFile(checksumFile, `${sha256}  ${path.basename(archive)}\n`);
    return { archive, checksumFile, sha256, bytes: fs.statSync(archive).size, files };
  } finally {
    await fsp.rm(staging, { recursive: true, force: true });
    await fsp.rm(`${archive}.partiel`, { force: true });
  }
}

async function verifyChecksum(archive: string): Promise<void> {
  if (!fs.existsSync(archive)) throw new BackupError(`Archive introuvable : ${archive}`);
  const checksumFile = `${archive}.sha256`;
  if (!fs.existsSync(checksumFile)) throw new BackupError(`Fichier de contrôle introuvable : ${checksumFile}. Rien n'a été restauré.`);
  const expected = fs.readFileSync(checksumFile, 'utf8').trim().split(/\s+/)[0]?.toLowerCase();
  if (expected !== (await sha256Of(archive))) {
    throw new BackupError("La somme de contrôle SHA-256 de l'archive ne correspond pas : archive altérée ou incomplète. Rien n'a été restauré.");
  }
}

function readManifest(staging: string, config: Config): Manifest {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(staging, 'manifest.json'), 'utf8'));
  } catch {
    throw new BackupError("Cette archive n'est pas une sauvegarde du portail (manifest.json absent ou illisible).");
  }
  if (manifest.format !== FORMAT) throw new BackupError(`Format de sauvegarde ${manifest.format} inconnu de cette version du portail.`);
  if (manifest.database !== config.database.client) {
    const kind = { sqlite: 'SQLite', pg: 'PostgreSQL' };
    throw new BackupError(`Sauvegarde d'une base ${kind[manifest.database]}, or DATABASE_URL désigne une base ${kind[config.database.client]}.`);
  }
  const known = new Set(migrations.map((m) => m.name));
  const unknown = manifest.migrations.find((name) => !known.has(name));
  if (unknown)
    throw new BackupError(`Sauvegarde faite par une version plus récente du portail (migration ${unknown} inconnue) : mettez d'abord le portail à jour.`);
  return manifest;
}

async function refuseUnlessEmpty(config: Config, store: FileStore | null, force: boolean): Promise<void> {
  if (force) return;
  const filled = await withDb(config, (db) => tablesWithRows(db).catch(() => [] as string[]));
  if (filled.length > 0) {
    throw new BackupError(
      `La base n'est pas vide (tables ${filled.slice(0, 5).join(', ')}${filled.length > 5 ? '…' : ''}) : rien n'a été restauré. Pour la remplacer par la sauvegarde, relancez avec --force.`,
    );
  }
  if (store && (await storeHasFiles(store))) {
    throw new BackupError("Le stockage des fichiers (S3_BUCKET) n'est pas vide : rien n'a été restauré. Pour le remplacer, relancez avec --force.");
  }
  if (!store && countFiles(config.uploadDir) > 0) {
    throw new BackupError(
      `Le dossier des pièces jointes ${config.uploadDir} n'est pas vide : rien n'a été restauré. Pour le remplacer, relancez avec --force.`,
    );
  }
}

async function restoreSqlite(filename: string, staged: string): Promise<void> {
  if (filename === ':memory:') throw new BackupError('Une base SQLite en mémoire ne se restaure pas.');
  const check = createDb({ client: 'sqlite', filename: staged });
  try {
    const [row] = await check.raw('PRAGMA integrity_check');
    if (row.integrity_check !== 'ok') throw new BackupError(`La base de la sauvegarde est endommagée : ${row.integrity_check}`);
  } finally {
    await check.destroy();
  }
  await fsp.mkdir(path.dirname(filename), { recursive: true });
  const copy = `${filename}.restauration`;
  await fsp.copyFile(staged, copy);
  // The journal of the replaced base would be replayed onto the restored one.
  for (const suffix of ['-wal', '-shm']) await fsp.rm(`${filename}${suffix}`, { force: true });
  await fsp.rename(copy, filename);
}

/**
 * Drops every table of the schema (their sequences, indexes and triggers go with them), then its
 * functions (the triggers' own, which the dump creates again), before the dump is replayed. A
 * portal still connected holds locks: the restore fails after 10 s instead of waiting.
 */
const DROP_TABLES = `SET lock_timeout = '10s';
DO $$
DECLARE t record;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', t.tablename);
  END LOOP;
  FOR t IN SELECT p.oid::regprocedure AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema() LOOP
    EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', t.signature);
  END LOOP;
END $$;
`;

async function restorePg(url: string, staging: string): Promise<void> {
  const script = path.join(staging, 'database.sql');
  await runTool('pg_restore', ['--no-owner', '--no-privileges', `--file=${script}`, path.join(staging, 'database.dump')]);
  const drop = path.join(staging, 'drop.sql');
  await fsp.writeFile(drop, DROP_TABLES);
  const { dbname, env } = pgCommand(url);
  // One transaction for the drop and the replay: a failure leaves the base as it was.
  await runTool(
    'psql',
    ['--no-psqlrc', '--quiet', '--single-transaction', '--set=ON_ERROR_STOP=1', `--dbname=${dbname}`, '--file', drop, '--file', script],
    env,
  );
}

async function restoreUploads(uploadDir: string, staged: string): Promise<void> {
  const previous = `${uploadDir}.avant-restauration`;
  await fsp.rm(previous, { recursive: true, force: true });
  if (fs.existsSync(uploadDir)) await fsp.rename(uploadDir, previous);
  await fsp.rename(staged, uploadDir);
  await fsp.rm(previous, { recursive: true, force: true });
}

export async function restoreBackup(config: Config, archive: string, options: { force: boolean; files?: FileStore }): Promise<RestoreResult> {
  await verifyChecksum(archive);
  const store = config.storage.kind === 's3' ? (options.files ?? fileStoreFor(config)) : null;
  await refuseUnlessEmpty(config, store, options.force);
  // Beside the upload folder, so that the restored folder is moved in place by a rename.
  const parent = path.dirname(config.uploadDir);
  await fsp.mkdir(parent, { recursive: true });
  const staging = await fsp.mkdtemp(path.join(parent, '.restauration-'));
  try {
    await runTool('tar', ['-xzf', path.resolve(archive), '-C', staging, '--no-same-owner']);
    const manifest = readManifest(staging, config);
    if (config.database.client === 'pg') await restorePg(config.database.url, staging);
    else await restoreSqlite(config.database.filename, path.join(staging, 'database.sqlite'));
    if (store) await uploadToStore(store, path.join(staging, 'uploads'));
    else await restoreUploads(config.uploadDir, path.join(staging, 'uploads'));
    return { createdAt: manifest.createdAt, files: manifest.files };
  } finally {
    await fsp.rm(staging, { recursive: true, force: true });
  }
}

// « Télécharger mes données » (RGPD art. 15 and 20 — docs/domain.md#personal-data-rights): an
// account asks (one request in preparation at a time), the background job (src/jobs.ts) claims it
// and streams a ZIP to the file store's « exports » folder (src/storage/) — a JSON file of everything, one CSV per table, and the
// files the account sent —, then an email with no personal data says it is ready and links to the
// page. The ZIP is downloaded once within RETENTION_DATA_EXPORT_DAYS, then deleted.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import yazl from 'yazl';
import type { Config } from '../config.js';
import type { Db } from '../db.js';
import { brandedEmail } from '../domain/email-templates.js';
import type { Outbox } from '../domain/outbox.js';
import { safeOriginalName, sendFromStore } from '../middleware/uploads.js';
import type { FileStore } from '../storage/file-store.js';
import { fileStoreFor } from '../storage/from-config.js';
import { recordAudit } from '../stores/audit.js';
import {
  accountExportTables,
  claimDataExport,
  claimDataExportDownload,
  expireDataExports,
  findAccount,
  forgetDataExportFile,
  leftoverDataExportFiles,
  markDataExportFailed,
  markDataExportReady,
  memberExportTables,
  type DataExportRow,
  type StoredDocument,
} from './queries.js';

const EXPORTS_FOLDER = 'exports';
/** What the job names a ZIP: random hex. Nothing else is ever joined to the exports folder. */
const STORED_NAME = /^[a-f0-9]{32}\.zip$/;

/** Where each space shows the state of the request (the email links there, never to the file). */
export const DATA_PAGES = { member: '/assure/informations-personnelles', hr: '/entreprise/profil' } as const;

/** Deletes a ZIP of the exports folder (a name the job wrote, nothing else). */
export async function removeDataExportFile(files: FileStore, storedName: string): Promise<void> {
  await removeFile(files, storedName);
}

async function removeFile(files: FileStore, storedName: string): Promise<void> {
  if (STORED_NAME.test(storedName)) await files.remove(EXPORTS_FOLDER, storedName);
}

/** One table as CSV (semicolons and a BOM, as French spreadsheets expect; formulas neutralised). */
function toCsv(rows: readonly Record<string, unknown>[]): string {
  if (!rows.length) return '';
  return stringify(rows as Record<string, unknown>[], {
    bom: true,
    delimiter: ';',
    record_delimiter: 'windows',
    escape_formulas: true,
    header: true,
    columns: Object.keys(rows[0]!),
  });
}

/** A name safe inside the ZIP: no folder, no control character. */
function zipEntryName(index: number, original: string): string {
  const base = safeOriginalName(path.basename(original.replace(/\\/g, '/'))) || 'document';
  return `documents/${String(index + 1).padStart(3, '0')}-${base}`;
}

/** Writes the ZIP of an account's data; returns its stored name and size. */
async function writeZip(db: Db, workDir: string, files: FileStore, accountId: number, now: Date): Promise<{ storedName: string; sizeBytes: number }> {
  const account = await findAccount(db, accountId);
  if (!account) throw new Error(`account ${accountId} is gone`);
  const tables =
    account.kind === 'member' && account.member_id ? await memberExportTables(db, account.member_id, accountId) : await accountExportTables(db, accountId);
  const { documents, ...data } = tables as typeof tables & { documents: StoredDocument[] };
  const zip = new yazl.ZipFile();
  const mtime = now;
  zip.addBuffer(Buffer.from(JSON.stringify({ genere_le: now.toISOString(), ...data }, null, 2)), 'donnees.json', { mtime });
  for (const [name, rows] of Object.entries(data)) {
    zip.addBuffer(Buffer.from(toCsv(rows as Record<string, unknown>[])), `csv/${name}.csv`, { mtime });
  }
  const listed: { fichier: string; nom_d_origine: string }[] = [];
  for (const [index, doc] of documents.entries()) {
    // Only names the upload middleware writes (random, flat); a file gone from the store is listed as such.
    const ok = /^[A-Za-z0-9][A-Za-z0-9_-]{0,90}(?:\.[A-Za-z0-9]{1,8})?$/.test(doc.stored_name) && (await files.stat(doc.folder, doc.stored_name)) !== null;
    const entry = zipEntryName(index, doc.original_name);
    // Each file is opened when the ZIP reaches it, never all at once.
    if (ok)
      zip.addReadStreamLazy(entry, { mtime }, (cb) => {
        files.read(doc.folder, doc.stored_name).then(
          (stream) => (stream ? cb(null, stream) : cb(new Error(`${doc.folder}/${doc.stored_name} is gone`), undefined as never)),
          (err: Error) => cb(err, undefined as never),
        );
      });
    listed.push({ fichier: ok ? entry : '(fichier introuvable)', nom_d_origine: doc.original_name });
  }
  zip.addBuffer(Buffer.from(toCsv(listed)), 'csv/documents.csv', { mtime });
  zip.end();
  // Written in the work folder first, then put into the store (a crash leaves a stale work file, swept).
  await fs.promises.mkdir(workDir, { recursive: true });
  const storedName = `${crypto.randomBytes(16).toString('hex')}.zip`;
  const local = path.join(workDir, `export-${storedName}`);
  try {
    await pipeline(zip.outputStream, fs.createWriteStream(local, { flags: 'wx' }));
    const { size } = await fs.promises.stat(local);
    await files.put(EXPORTS_FOLDER, storedName, local);
    return { storedName, sizeBytes: size };
  } finally {
    await fs.promises.rm(local, { force: true });
  }
}

function readyEmail(config: Config, to: string, kind: 'member' | 'hr', expiresAt: Date) {
  return brandedEmail(config.brand, to, {
    subject: 'Vos données personnelles sont prêtes',
    paragraphs: [
      'Le fichier de vos données personnelles que vous avez demandé est prêt.',
      `Connectez-vous à votre espace pour le télécharger : il peut être téléchargé une seule fois, jusqu'au ${expiresAt.toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' })}.`,
    ],
    action: { label: 'Accéder à mon espace', url: `${config.publicUrl}${DATA_PAGES[kind]}` },
    space: kind === 'hr' ? 'entreprise' : 'assure',
  });
}

/**
 * Builds every pending request, one claim at a time (several instances may run this at once:
 * each row is taken by one UPDATE). A failure marks the request failed and removes its file.
 */
export async function buildPendingDataExports(
  db: Db,
  config: Pick<Config, 'uploadDir' | 'storage' | 'retention' | 'brand' | 'publicUrl'>,
  outbox: Outbox,
  now: Date,
  files: FileStore = fileStoreFor(config),
): Promise<number> {
  let built = 0;
  for (;;) {
    const row = await claimDataExport(db, now);
    if (!row) return built;
    let file: { storedName: string; sizeBytes: number } | null = null;
    try {
      file = await writeZip(db, path.join(config.uploadDir, 'tmp'), files, row.account_id, now);
      const expiresAt = new Date(now.getTime() + config.retention.dataExportDays * 24 * 3600 * 1000);
      if (!(await markDataExportReady(db, row, file, now, expiresAt))) {
        // Another builder took the row over after our lease ran out: its file is the one kept.
        await removeFile(files, file.storedName);
        continue;
      }
      built += 1;
      const account = await findAccount(db, row.account_id);
      if (account && (account.kind === 'member' || account.kind === 'hr'))
        await outbox.sendEmail(readyEmail(config as Config, account.email, account.kind, expiresAt));
      await recordAudit(db, now, { event: 'data_export_ready', accountId: row.account_id, accountKind: account?.kind ?? null, detail: { export: row.id } });
    } catch (err) {
      if (file) await removeFile(files, file.storedName);
      await markDataExportFailed(db, row);
      throw err;
    }
  }
}

/**
 * Sends the ZIP once: the row goes ready → downloaded before a byte leaves, and the file is deleted
 * when the response ends (sent or cut). Returns false when there is nothing to send (already
 * downloaded, expired, or not this account's).
 */
export async function sendDataExportOnce(db: Db, files: FileStore, res: Response, accountId: number, id: number, now: Date): Promise<boolean> {
  const row = await claimDataExportDownload(db, accountId, id, now);
  if (!row?.stored_name || !STORED_NAME.test(row.stored_name)) return false;
  const storedName = row.stored_name;
  if (!(await files.stat(EXPORTS_FOLDER, storedName))) return false;
  res.on('close', () => {
    void removeFile(files, storedName)
      .then(() => forgetDataExportFile(db, row.id))
      .catch(() => undefined);
  });
  return sendFromStore(res, files, EXPORTS_FOLDER, storedName, `mes-donnees-${now.toISOString().slice(0, 10)}.zip`, 'application/zip');
}

/** Ready exports past their date become « expirée »; files of downloaded or expired exports are deleted. */
export async function expireDataExportFiles(db: Db, files: FileStore, now: Date): Promise<DataExportRow[]> {
  const expired = await expireDataExports(db, now);
  for (const row of [...expired, ...(await leftoverDataExportFiles(db, new Date(now.getTime() - 3600 * 1000)))]) {
    if (row.stored_name) await removeFile(files, row.stored_name);
    await forgetDataExportFile(db, row.id);
  }
  return expired;
}

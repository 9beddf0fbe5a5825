// The retention policy (docs/domain.md#personal-data-rights): how long each kind of personal
// data is kept is in the configuration (src/config.ts RetentionConfig, README « Durées de
// conservation »); `npm run retention -- --dry-run` lists what would be deleted, `npm run
// retention` and the daily job (src/jobs.ts) delete it — rows and their files — and each run is
// audited. Every rule is idempotent: two instances running it at once delete nothing twice.
import type { RetentionConfig, StorageConfig } from '../config.js';
import type { FileStore } from '../storage/file-store.js';
import { fileStoreFor } from '../storage/from-config.js';
import type { Db } from '../db.js';
import { recordAudit } from '../stores/audit.js';
import { expireDataExportFiles } from './exports.js';
import {
  affiliationDocumentsOf,
  countAuditBefore,
  deleteAffiliationRequests,
  deleteAuditBefore,
  deleteRows,
  overdueDataExports,
  staleAffiliationRequests,
  staleThreadAttachments,
} from './retention-queries.js';

export interface RetentionRuleResult {
  rule: 'affiliation' | 'attachments' | 'audit' | 'exports';
  label: string;
  count: number;
  /** What is (or would be) deleted, one line each (the audit rule gives only its count). */
  items: string[];
}

/** `months` months before `now` (UTC calendar). */
function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now.getTime());
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/** What upload middleware names a stored file (flat, random): nothing else is joined to a folder. */
const STORED_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,90}(?:\.[A-Za-z0-9]{1,8})?$/;

async function removeStored(files: FileStore, folder: string, storedName: string): Promise<void> {
  if (STORED_NAME.test(storedName)) await files.remove(folder, storedName);
}

export async function applyRetention(
  db: Db,
  config: { uploadDir: string; storage: StorageConfig; retention: RetentionConfig },
  now: Date,
  options: { dryRun: boolean /** The process's file store (src/jobs.ts); built from config otherwise (npm run retention). */; files?: FileStore },
): Promise<RetentionRuleResult[]> {
  const r = config.retention;
  const files = options.files ?? fileStoreFor(config);
  const results: RetentionRuleResult[] = [];

  const affiliationCutoff = monthsBefore(now, r.affiliationMonths);
  const requests = await staleAffiliationRequests(db, affiliationCutoff);
  const documents = await affiliationDocumentsOf(
    db,
    requests.map((q) => q.id),
  );
  if (!options.dryRun && requests.length) {
    await deleteAffiliationRequests(
      db,
      requests.map((q) => q.id),
    );
    for (const doc of documents) await removeStored(files, 'affiliations', doc.stored_name);
  }
  results.push({
    rule: 'affiliation',
    label: `Demandes d'affiliation refusées ou abandonnées depuis plus de ${r.affiliationMonths} mois (et leurs ${documents.length} justificatif(s))`,
    count: requests.length,
    items: requests.map(
      (q) => `demande d'affiliation n° ${q.id} (${q.decision === 'refused' ? 'refusée' : 'abandonnée'}, dernière modification le ${q.updated_at.slice(0, 10)})`,
    ),
  });

  const attachmentCutoff = monthsBefore(now, r.closedThreadAttachmentsYears * 12);
  const attachments = await staleThreadAttachments(db, attachmentCutoff);
  if (!options.dryRun && attachments.length) {
    await deleteRows(
      db,
      'message_attachments',
      attachments.map((a) => a.id),
    );
    for (const a of attachments) await removeStored(files, 'messages', a.stored_name);
  }
  results.push({
    rule: 'attachments',
    label: `Pièces jointes des conversations closes depuis plus de ${r.closedThreadAttachmentsYears} an(s)`,
    count: attachments.length,
    items: attachments.map((a) => `pièce jointe n° ${a.id} (conversation n° ${a.thread_id})`),
  });

  const auditCutoff = monthsBefore(now, r.auditYears * 12);
  const auditCount = options.dryRun ? await countAuditBefore(db, auditCutoff) : await deleteAuditBefore(db, auditCutoff);
  results.push({ rule: 'audit', label: `Lignes du journal d'audit de plus de ${r.auditYears} an(s)`, count: auditCount, items: [] });

  const exports = options.dryRun ? await overdueDataExports(db, now) : await expireDataExportFiles(db, files, now);
  results.push({
    rule: 'exports',
    label: `Fichiers « Télécharger mes données » non téléchargés après ${r.dataExportDays} jour(s)`,
    count: exports.length,
    items: exports.map((e) => `fichier de données n° ${e.id} (expiré le ${(e.expires_at ?? '').slice(0, 10)})`),
  });

  const counts = Object.fromEntries(results.map((x) => [x.rule, x.count]));
  await recordAudit(db, now, {
    event: 'retention_applied',
    detail: { dryRun: options.dryRun, total: results.reduce((sum, x) => sum + x.count, 0), ...counts },
  });
  return results;
}

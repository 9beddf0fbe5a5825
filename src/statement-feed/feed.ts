// The décompte feed (docs/domain.md#the-décompte-feed), shared by the Espace Gestion's page
// (src/gestion/decomptes/pages.ts) and `npm run import:decomptes` (scripts/import-decomptes.ts):
// the analysis of a file into a preview, with the machinery of the establishment import
// (src/stores/import-jobs.ts: a job holding analysis slots, its lines in import_job_lines, the
// error report), then the load (src/statement-feed/queries.ts, loadFeed) and the members' emails
// (notifyFeedMembers, through outbox rows written with a durable mark).
//
// Memory stays flat whatever the file's size: the file is read as a stream one décompte at a time
// (src/domain/statement-feed.ts), checked against the records by batches of about BATCH lines,
// and written to import_job_lines as it goes; a décompte met again further down is found through
// the index on (job_id, group_key), not a set in memory.
import fs from 'node:fs';
import type { Brand } from '../brand.js';
import type { Config } from '../config.js';
import type { Db } from '../db.js';
import type { Clock } from '../domain/dates.js';
import { brandedEmail } from '../domain/email-templates.js';
import { nameSearchKey } from '../domain/name-search.js';
import type { EmailMessage } from '../domain/outbox.js';
import { FEED_MESSAGES, ImportFileError, parseStatementFeed, rejectIncompleteStatement, type FeedLine, type FeedStatement } from '../domain/statement-feed.js';
import {
  ANALYSIS_LEASE_MS,
  deleteImportLines,
  finishAnalysis,
  insertImportLines,
  releaseAnalysisSlots,
  renewAnalysisSlots,
  updateImportJob,
  type ImportLineInsert,
} from '../stores/import-jobs.js';
import { createOutboxQueue, type OutboxQueue } from '../stores/outbox.js';
import {
  beneficiariesOf,
  earlierGroupLines,
  feedsToNotify,
  loadedStatementNumbers,
  membersByNumber,
  membersOfFeed,
  rejectEarlierGroup,
  type FeedLineData,
} from './queries.js';

const BATCH = 1000;

/** What the preview says about décomptes (the job's counts are lines). */
export interface FeedPreviewResult {
  statements: number;
  existingStatements: number;
}

const FEED_READ_FAILED = "Le fichier n'a pas pu être lu. Vérifiez qu'il est au format décrit et envoyez-le de nouveau.";

/**
 * Runs the analysis of a job created with its slots (createImportJobWithSlots, kind 'statements'),
 * renewing their lease while it works; the slots go with the job's last update, and the file is
 * deleted at the end whatever happened (`keepFile` for the command line, whose file is the user's).
 */
export function analyseFeed(
  env: { db: Db; clock: Clock },
  slots: { jobId: number; holder: string },
  filePath: string,
  options: { keepFile?: boolean } = {},
): Promise<void> {
  const renew = setInterval(() => {
    renewAnalysisSlots(env.db, slots.holder, env.clock()).catch((err) => console.error("Renouvellement d'une analyse en échec :", err));
  }, ANALYSIS_LEASE_MS / 3).unref();
  return analyse(env, slots, filePath).finally(async () => {
    clearInterval(renew);
    if (!options.keepFile) fs.rmSync(filePath, { force: true });
    await releaseAnalysisSlots(env.db, slots.holder);
  });
}

function errorsJson(line: FeedLine): string | null {
  return line.errors.length ? JSON.stringify(line.errors) : null;
}

async function analyse(env: { db: Db; clock: Clock }, slots: { jobId: number; holder: string }, filePath: string): Promise<void> {
  const { db } = env;
  const { jobId } = slots;
  const counts = { total: 0, valid: 0, existing: 0, error: 0, statements: 0, existingStatements: 0 };
  let batch: FeedStatement[] = [];
  let batchLines = 0;

  const flush = async () => {
    const numbers = [...new Set(batch.map((s) => s.number).filter(Boolean))];
    const firstOf = (s: FeedStatement) => s.lines[0];
    const [earlier, loaded, members] = await Promise.all([
      earlierGroupLines(db, jobId, numbers),
      loadedStatementNumbers(db, numbers),
      membersByNumber(db, [...new Set(batch.map((s) => firstOf(s).memberNumber).filter(Boolean))]),
    ]);
    const beneficiaries = await beneficiariesOf(db, [...new Set(members.values())]);
    const familyOf = new Map<number, typeof beneficiaries>();
    for (const b of beneficiaries) familyOf.set(b.member_id, [...(familyOf.get(b.member_id) ?? []), b]);

    const seen = new Map<string, FeedStatement>();
    const decided = new Map<FeedStatement, 'valid' | 'existing' | 'error'>();
    const rows: ImportLineInsert[] = [];
    for (const statement of batch) {
      const first = firstOf(statement);
      // Met earlier in the file: this one is an error, and so becomes the earlier one.
      const before = statement.number ? (earlier.get(statement.number) ?? seen.get(statement.number)?.lines[0].lineNumber) : undefined;
      if (before !== undefined) {
        for (const line of statement.lines) line.errors.push({ column: 'Numéro de décompte', message: FEED_MESSAGES.repeated(statement.number, before) });
        const again = JSON.stringify([{ column: 'Numéro de décompte', message: FEED_MESSAGES.repeated(statement.number, first.lineNumber) }]);
        const inBatch = seen.get(statement.number);
        if (inBatch && decided.get(inBatch) === 'valid') {
          for (const line of inBatch.lines)
            line.errors.push({ column: 'Numéro de décompte', message: FEED_MESSAGES.repeated(statement.number, first.lineNumber) });
          decided.set(inBatch, 'error');
          counts.statements--;
        } else if (!inBatch) {
          const rejected = await rejectEarlierGroup(db, jobId, statement.number, again);
          if (rejected) {
            counts.valid -= rejected;
            counts.error += rejected;
            counts.statements--;
          }
        }
      } else if (statement.number) seen.set(statement.number, statement);

      const memberId = first.memberNumber ? members.get(first.memberNumber) : undefined;
      if (first.memberNumber && memberId === undefined) {
        for (const line of statement.lines) line.errors.push({ column: "Numéro d'adhérent", message: FEED_MESSAGES.unknownMember(first.memberNumber) });
      }
      const family = memberId === undefined ? [] : (familyOf.get(memberId) ?? []);
      const beneficiaryOf = new Map<FeedLine, number>();
      if (memberId !== undefined) {
        for (const line of statement.lines) {
          if (!line.firstName || !line.birthDate) continue;
          const key = nameSearchKey(line.firstName);
          const found = family.find((b) => b.birth_date === line.birthDate && nameSearchKey(b.first_name) === key);
          if (found) beneficiaryOf.set(line, found.id);
          else line.errors.push({ column: 'Prénom du bénéficiaire', message: FEED_MESSAGES.unknownBeneficiary });
        }
      }
      const isLoaded = loaded.has(statement.number) && before === undefined;
      if (!isLoaded) rejectIncompleteStatement(statement.lines);
      const status = statement.lines.some((l) => l.errors.length) ? 'error' : isLoaded ? 'existing' : 'valid';
      decided.set(statement, status);
      if (status === 'valid') counts.statements++;
      if (status === 'existing') counts.existingStatements++;
      const paymentDate = statement.lines.reduce((max, l) => (l.paymentDate && l.paymentDate > max ? l.paymentDate : max), '');
      for (const line of statement.lines) {
        const data: Partial<FeedLineData> = {
          number: line.statementNumber,
          memberNumber: line.memberNumber,
          statementDate: line.statementDate ?? '',
          statementPaymentDate: paymentDate,
          memberId,
          beneficiaryId: beneficiaryOf.get(line),
          careDate: line.careDate ?? '',
          careType: line.careType,
          careLabel: line.careLabel,
          professional: line.professional,
          fraisReelsCents: line.fraisReelsCents,
          baseCents: line.baseCents,
          ssCents: line.ssCents,
          complementaryCents: line.complementaryCents,
          paidTo: line.paidTo ?? undefined,
          paymentDate: line.paymentDate ?? '',
        };
        rows.push({ job_id: jobId, line_number: line.lineNumber, status, data: JSON.stringify(data), errors: null, group_key: line.statementNumber || null });
      }
    }
    // Statuses settle once the whole batch is seen (a later décompte may reject an earlier one).
    let i = 0;
    for (const statement of batch) {
      const status = statement.lines.some((l) => l.errors.length) ? 'error' : decided.get(statement)!;
      for (const line of statement.lines) {
        rows[i].status = status;
        rows[i].errors = errorsJson(line);
        counts[status]++;
        i++;
      }
    }
    await insertImportLines(db, rows);
    counts.total += batchLines;
    batch = [];
    batchLines = 0;
    await updateImportJob(db, jobId, { processed_count: counts.total }, env.clock());
  };

  const finish = (fields: Parameters<typeof updateImportJob>[2]) => finishAnalysis(db, jobId, slots.holder, fields, env.clock());
  try {
    for await (const statement of parseStatementFeed(filePath)) {
      batch.push(statement);
      batchLines += statement.lines.length;
      if (batchLines >= BATCH) await flush();
    }
    if (batch.length) await flush();
    const result: FeedPreviewResult = { statements: counts.statements, existingStatements: counts.existingStatements };
    await finish({
      status: 'preview',
      total_lines: counts.total,
      valid_count: counts.valid,
      existing_count: counts.existing,
      error_count: counts.error,
      processed_count: counts.total,
      result: JSON.stringify(result),
    });
  } catch (err) {
    if (!(err instanceof ImportFileError)) console.error(`Analyse du flux de décomptes ${jobId} en échec :`, err);
    const message = err instanceof ImportFileError ? err.message : FEED_READ_FAILED;
    await deleteImportLines(db, jobId);
    await finish({ status: 'failed', result: JSON.stringify({ message }), finished_at: env.clock().toISOString() });
  }
}

// ------------------------------------------------------------------ the members' emails
export const FEED_EMAIL_SUBJECT = 'Un nouveau remboursement est disponible';

/** No amount, no care, no professional: someone else may read the mailbox (src/correspondence/notices.ts). */
function newReimbursementEmail(brand: Brand, publicUrl: string, to: string, firstName: string): EmailMessage {
  return brandedEmail(brand, to, {
    subject: FEED_EMAIL_SUBJECT,
    greeting: `Bonjour ${firstName},`,
    paragraphs: [
      'Un nouveau remboursement est disponible dans votre espace assuré.',
      'Retrouvez-en le détail et le décompte dans la rubrique « Remboursements » de votre espace.',
    ],
    action: { label: 'Voir mes remboursements', url: new URL('/assure/remboursements', publicUrl).toString() },
  });
}

/** What notifyFeedMembers needs, from the configuration. */
export function feedNotifier(config: Config, db: Db, clock?: Clock): FeedNotifier {
  return { db, queue: createOutboxQueue(config, db, clock), brand: config.brand, publicUrl: config.publicUrl };
}

export interface FeedNotifier {
  db: Db;
  queue: OutboxQueue;
  brand: Brand;
  publicUrl: string;
}

/**
 * One email per member with a décompte in the feed, never lost and never twice. The load's own
 * transaction marked them due (import_jobs.notify_after = 0, applyStagedFeed); each page of
 * members then gets its outbox rows written in one transaction with the mark moved past them, so
 * a process that dies at any point leaves either the page's rows and the moved mark, or neither —
 * the next call (the page after « Charger », the command, or src/jobs.ts at start-up and every
 * minute) goes on from the mark. Two callers at once: the mark is moved only from the value read
 * (one UPDATE), so the slower one's transaction is rolled back and it stops. Returns how many
 * emails this call wrote.
 */
export async function notifyFeedMembers(env: FeedNotifier, jobId: number, options: { pageSize?: number } = {}): Promise<number> {
  const pageSize = options.pageSize ?? 500;
  let written = 0;
  for (;;) {
    const page = await env.db
      .transaction(async (trx) => {
        const job: { notify_after: number | null } | undefined = await trx('import_jobs').where({ id: jobId }).first('notify_after');
        const after = job?.notify_after;
        if (after === null || after === undefined) return null;
        const members = await membersOfFeed(trx, jobId, Number(after), pageSize);
        const emails = members.filter((m) => m.email).map((m) => newReimbursementEmail(env.brand, env.publicUrl, m.email!, m.first_name));
        const ids = await env.queue.queueEmails(trx, emails);
        const next = members.length ? members[members.length - 1].member_id : null;
        const moved = await trx('import_jobs').where({ id: jobId, notify_after: after }).update({ notify_after: next });
        if (!moved) throw new NotifiedMeanwhile();
        return { ids, done: next === null };
      })
      .catch((err) => {
        if (err instanceof NotifiedMeanwhile) return null;
        throw err;
      });
    if (!page) return written;
    written += page.ids.length;
    await env.queue.sendQueued(page.ids);
    if (page.done) return written;
  }
}

/** Another caller moved the feed's mark first: this one's page is rolled back. */
class NotifiedMeanwhile extends Error {}

/** The loaded feeds whose emails are not all written (a process died meanwhile): finished now. */
export async function notifyPendingFeeds(env: FeedNotifier): Promise<number> {
  let written = 0;
  for (const jobId of await feedsToNotify(env.db)) written += await notifyFeedMembers(env, jobId);
  return written;
}

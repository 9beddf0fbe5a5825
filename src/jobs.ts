// Periodic housekeeping that any instance may run (all state is in the database, and each
// job is idempotent); with several instances, each run first takes the job's lease in the database
// (src/stores/job-leases.ts), so exactly one instance runs each job per period: purge expired sessions, codes and throttling counters, close interrupted
// file imports (at start-up too) and forget old import previews, abandon affiliation requests whose link expired,
// sweep the request and message files no row points to.
import type { Config } from './config.js';
import type { FileStore } from './storage/file-store.js';
import { fileStoreFor } from './storage/from-config.js';
import type { Db } from './db.js';
import { feedNotifier, notifyPendingFeeds } from './statement-feed/feed.js';
import { FEED_SILENCE_MS, failSilentFeedLoads, purgeStaleFeedStaging } from './statement-feed/queries.js';
import { purgeSpentChallenges } from './stores/anti-robot.js';
import { purgeExpiredSessions, purgeImportLines, purgeOneTimeCodes, purgeThrottleRows } from './jobs-queries.js';
import { ANALYSIS_LEASE_MS, failInterruptedImports, failOrphanedAnalyses } from './stores/import-jobs.js';
import { expireOverdueRequests } from './affiliation-requests/lifecycle.js';
import { sweepOrphanFiles } from './correspondence/service.js';
import { sweepOrphanDocumentFiles } from './practical-documents/service.js';
import { sweepStaleWorkFiles } from './middleware/uploads.js';
import { buildPendingDataExports, expireDataExportFiles } from './personal-data/exports.js';
import { applyRetention } from './personal-data/retention.js';
import { createOutbox, sendDueMessages } from './stores/outbox.js';
import { leaseHolderName, takeJobLease } from './stores/job-leases.js';
import type { Metrics } from './observability/metrics.js';

export interface Job {
  name: string;
  everyMs: number;
  run(db: Db, now: Date): Promise<void>;
}

export const jobs: Job[] = [
  {
    name: 'purge-sessions',
    everyMs: 10 * 60 * 1000,
    async run(db, now) {
      await purgeExpiredSessions(db, now);
    },
  },
  {
    name: 'purge-one-time-codes',
    everyMs: 60 * 60 * 1000,
    async run(db, now) {
      await purgeOneTimeCodes(db, new Date(now.getTime() - 24 * 3600 * 1000));
    },
  },
  {
    name: 'purge-throttle',
    everyMs: 60 * 60 * 1000,
    async run(db, now) {
      await purgeThrottleRows(db, new Date(now.getTime() - 24 * 3600 * 1000));
    },
  },
  {
    name: 'purge-spent-challenges',
    everyMs: 60 * 60 * 1000,
    async run(db, now) {
      await purgeSpentChallenges(db, now);
    },
  },
  {
    // A running analysis keeps its slots' lease alive (src/entreprise/establishments/import.ts):
    // a job still analysing without a live slot was left by a process that died. Run at start-up
    // (startJobs runs each job at once) and then every lease, so such a job is marked failed
    // with a message on its page instead of staying « analyse en cours ».
    name: 'fail-orphaned-analyses',
    everyMs: ANALYSIS_LEASE_MS,
    async run(db, now) {
      await failOrphanedAnalyses(db, now);
    },
  },
  {
    // A décompte feed load silent for a minute was left by a process that stopped (see
    // failSilentFeedLoads): failed with its message, its staging rows deleted, soon after a restart.
    name: 'fail-silent-feed-loads',
    everyMs: FEED_SILENCE_MS / 2,
    async run(db, now) {
      if (await failSilentFeedLoads(db, now)) await purgeStaleFeedStaging(db);
    },
  },
  {
    // An analysis writes its progress at least every 500 lines; silent for 10 minutes means the
    // process that ran it stopped: the job is marked failed so the page says to send the file again.
    name: 'fail-interrupted-imports',
    everyMs: 10 * 60 * 1000,
    async run(db, now) {
      await failInterruptedImports(db, new Date(now.getTime() - 10 * 60 * 1000));
      // A décompte feed's staging rows, once its load is over or was failed above: its process
      // died, or stopped before its clean-up (src/statement-feed/queries.ts, loadFeed).
      await purgeStaleFeedStaging(db);
    },
  },
  {
    // The lines of a preview are only needed until it is confirmed or cancelled.
    name: 'purge-import-lines',
    everyMs: 60 * 60 * 1000,
    async run(db, now) {
      await purgeImportLines(db, new Date(now.getTime() - 7 * 24 * 3600 * 1000));
    },
  },
  {
    // An employee's affiliation link is valid 30 days: past that, the request is « Abandonné ».
    name: 'expire-affiliation-links',
    everyMs: 15 * 60 * 1000,
    async run(db, now) {
      await expireOverdueRequests(db, now);
    },
  },
];

/** Every job: the database-only ones above, and those that also need the configuration. */
export function jobsFor(config: Config, files: FileStore = fileStoreFor(config)): Job[] {
  return [
    ...jobs,
    {
      // « Télécharger mes données »: each pending request is claimed by one UPDATE, so every
      // instance may run this (src/personal-data/exports.ts); the email goes through the outbox.
      name: 'build-data-exports',
      everyMs: 60 * 1000,
      async run(db, now) {
        await buildPendingDataExports(db, config, createOutbox(config, db), now, files);
        // A ZIP not downloaded in time is deleted within the minute, not at the next daily run.
        await expireDataExportFiles(db, files, now);
      },
    },
    {
      // Emails and SMS the mail or SMS server refused (or that were queued in a transaction, or
      // left « sending » by a process that stopped): retried with backoff (src/stores/outbox.ts).
      name: 'send-outbox',
      everyMs: 15 * 1000,
      async run(db) {
        await sendDueMessages(db, config);
      },
    },
    {
      // A loaded décompte feed whose members' emails are not all written (its process died after
      // the load's commit): finished from its durable mark (src/statement-feed/feed.ts).
      name: 'notify-feed-members',
      everyMs: 60 * 1000,
      async run(db) {
        await notifyPendingFeeds(feedNotifier(config, db));
      },
    },
    {
      // The retention policy (RETENTION_* in src/config.ts): refused or abandoned affiliation
      // requests, closed conversations' attachments, old audit lines, unused data exports.
      name: 'apply-retention',
      everyMs: 24 * 3600 * 1000,
      async run(db, now) {
        await applyRetention(db, config, now, { dryRun: false, files });
      },
    },
    {
      // A crash between a file's move into UPLOAD_DIR and its transaction's commit leaves a file no
      // request or message points to (src/correspondence/service.ts): deleted once a day old.
      name: 'sweep-orphan-files',
      everyMs: 60 * 60 * 1000,
      async run(db, now) {
        await sweepOrphanFiles(db, files, now);
        // The same for the documents pratiques (src/practical-documents/service.ts).
        await sweepOrphanDocumentFiles(db, files, now);
        // And the uploads and imports a process killed mid-way left in the work folders (npm run fault).
        await sweepStaleWorkFiles(config.uploadDir, now);
      },
    },
  ];
}

/**
 * Runs a job if this instance takes its lease for the period: the lease ends a little before the
 * period does (timers drift), so the instance that ran it can take it again at its next tick, and
 * another instance can take it if that one stopped. Resolves to whether the job ran here.
 */
export function createJobRunner(db: Db, options: { holder?: string; clock?: () => Date } = {}): (job: Job) => Promise<boolean> {
  const holder = options.holder ?? leaseHolderName();
  const clock = options.clock ?? (() => new Date());
  return async (job) => {
    const now = clock();
    const slack = Math.min(5_000, job.everyMs / 20);
    if (!(await takeJobLease(db, job.name, holder, now, new Date(now.getTime() + job.everyMs - slack)))) return false;
    await job.run(db, now);
    return true;
  };
}

/** Runs every job once now, then on its interval (each run only where its lease is taken). Returns a stop function. */
export function startJobs(
  { db, config, metrics, files }: { db: Db; config: Config; metrics?: Pick<Metrics, 'jobRan'> | null; files?: FileStore },
  list: Job[] = jobsFor(config, files),
): () => void {
  const timers: NodeJS.Timeout[] = [];
  const runIfLeased = createJobRunner(db);
  for (const job of list) {
    const tick = () => {
      runIfLeased(job).then(
        (ran) => {
          if (ran) metrics?.jobRan(job.name, true);
        },
        (err) => {
          metrics?.jobRan(job.name, false);
          console.error(`Tâche ${job.name} en échec :`, err);
        },
      );
    };
    tick();
    timers.push(setInterval(tick, job.everyMs).unref());
  }
  return () => timers.forEach(clearInterval);
}

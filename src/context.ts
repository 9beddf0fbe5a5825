// What every handler receives: the validated config, the database, the clock, the outbox and the file store. Kept
// apart from the app assembly (app.ts) so that the spaces' modules depend on this small file, not on
// the module that imports all of them.
import type { Config } from './config.js';
import type { Db } from './db.js';
import type { Clock } from './domain/dates.js';
import type { Outbox } from './domain/outbox.js';
import type { DestinationStream } from 'pino';
import type { Metrics } from './observability/metrics.js';
import type { FileStore } from './storage/file-store.js';

export interface AppDeps {
  config: Config;
  db: Db;
  /** Injectable so tests can move time (code expiry, 3-month 2FA rule, session timeouts). */
  clock?: Clock;
  outbox?: Outbox;
  /** The uploaded files' store; built from config.storage (src/storage/from-config.ts) when none is given. */
  files?: FileStore;
  /** Shared with the jobs (server.ts); built here when METRICS_TOKEN is set and none is given. */
  metrics?: Metrics;
  /** Where the JSON logs go (stdout by default): tests read them. */
  logDestination?: DestinationStream;
}

export interface AppContext {
  config: Config;
  db: Db;
  clock: Clock;
  outbox: Outbox;
  /** Where uploaded files live (STORAGE: disk or S3), src/storage/. */
  files: FileStore;
}

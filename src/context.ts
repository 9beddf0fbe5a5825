// What every handler receives: the validated config, the database, the clock and the outbox. Kept
// apart from the app assembly (app.ts) so that the spaces' modules depend on this small file, not on
// the module that imports all of them.
import type { Config } from './config.js';
import type { Db } from './db.js';
import type { Clock } from './domain/dates.js';
import type { Outbox } from './domain/outbox.js';

export interface AppDeps {
  config: Config;
  db: Db;
  /** Injectable so tests can move time (code expiry, 3-month 2FA rule, session timeouts). */
  clock?: Clock;
  outbox?: Outbox;
}

export interface AppContext {
  config: Config;
  db: Db;
  clock: Clock;
  outbox: Outbox;
}

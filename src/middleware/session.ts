// Sessions in the database (never in process memory), so several instances can share them.
import type { RequestHandler } from 'express';
import session from 'express-session';
import { ConnectSessionKnexStore } from 'connect-session-knex';
import type { Config } from '../config.js';
import type { Db } from '../db.js';

export const SESSION_COOKIE = 'portail.sid';
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/**
 * How stale the recorded « last seen » instant may get before a request writes it again. Saving it
 * on every request would cost a database write per page; the idle limit is counted generously
 * (idle + this step) so nobody is logged out early because of it.
 */
export const LAST_SEEN_STEP_MS = 30 * 1000;

/**
 * The store's touch rewrites the row's expiry on every request that did not change the session;
 * the session is saved anyway whenever « last seen » moves (at most twice a minute), which keeps
 * the row's expiry ahead of the idle limit, so touching is skipped.
 */
class SessionStore extends ConnectSessionKnexStore {
  override async touch(_sid: string, _session: unknown, callback?: () => void): Promise<void> {
    callback?.();
  }
}

export function sessionMiddleware(config: Config, db: Db): RequestHandler {
  const store = new SessionStore({
    knex: db,
    tableName: 'sessions',
    createTable: false,
    // Expired rows are purged by the periodic jobs of src/jobs.ts, not a timer per app instance.
    cleanupInterval: 0,
  });
  return session({
    name: SESSION_COOKIE,
    secret: config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    // Not rolling: the cookie is sent again only when the session changes, which the
    // « last seen » update (at most twice a minute) does for active users (see LAST_SEEN_STEP_MS).
    rolling: false,
    proxy: config.trustProxy !== false,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      // Always Secure in production; see Config.secureCookie for the lab and the local demo.
      secure: config.secureCookie,
      maxAge: SESSION_IDLE_MS + LAST_SEEN_STEP_MS,
    },
  });
}

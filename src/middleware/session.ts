// Sessions in the database (never in process memory), so several instances can share them.
import type { RequestHandler } from 'express';
import session from 'express-session';
import { ConnectSessionKnexStore } from 'connect-session-knex';
import type { Config } from '../config.js';
import { type Db, isPostgres, preparedQuery } from '../db.js';

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
/**
 * The session of a request, unless expired: the store's own read (connect-session-knex), built
 * once (preparedQuery, src/db.ts) instead of by Knex on every request, with the store's own
 * expiry comparison on each database.
 */
const liveSession = preparedQuery((db, sid: string, nowIso: string) =>
  db('sessions')
    .select('sess')
    .where('sid', '=', sid)
    .andWhereRaw(isPostgres(db) ? 'CAST(? as timestamp with time zone) <= expired' : 'datetime(?) <= datetime(expired)', [nowIso]),
);

class SessionStore extends ConnectSessionKnexStore {
  constructor(private readonly db: Db) {
    super({
      knex: db,
      tableName: 'sessions',
      createTable: false,
      // Expired rows are purged by the periodic jobs of src/jobs.ts, not a timer per app instance.
      cleanupInterval: 0,
    });
  }

  override async get(sid: string, callback?: (err: unknown, session?: session.SessionData | null) => void): Promise<session.SessionData | null> {
    try {
      await this.ready;
      const [row] = await liveSession<{ sess: string | session.SessionData }>(this.db, sid, new Date().toISOString());
      const found = row ? (typeof row.sess === 'string' ? (JSON.parse(row.sess) as session.SessionData) : row.sess) : null;
      callback?.(null, found);
      return found;
    } catch (err) {
      callback?.(err);
      throw err;
    }
  }

  override async touch(_sid: string, _session: unknown, callback?: () => void): Promise<void> {
    callback?.();
  }
}

export function sessionMiddleware(config: Config, db: Db): RequestHandler {
  const store = new SessionStore(db);
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

// One JSON line per request (pino-http): request id (also the X-Request-Id header), method, route
// pattern, status, duration, and who asked — the account's kind and id only. Never the query string,
// a body, a header or a cookie: they can hold emails, NIRs, tokens and the session id. With
// LOG_LEVEL=silent (the tests, the benchmarks) no logger is built at all, only the request id.
import crypto from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import pino, { type DestinationStream } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Config } from '../config.js';

/** Paths carry secrets in some links (password and enrolment tokens): never log them. */
export function redactPath(url: string): string {
  return url.split('?')[0].replace(/\/(reinitialiser|creer-mot-de-passe|refuser-acces|affiliation)\/[^/]+/, '/$1/[jeton]');
}

/** Probes and scrapes come every few seconds: logging each would drown the requests of people. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The route pattern that answered (`/assure/demarches/:id`), never the raw URL: ids stay out of
 * metric labels and secrets out of logs. Unmatched requests (404s, static files) share one label.
 */
export function routeOf(req: Request): string {
  const pattern = req.route?.path;
  if (typeof pattern === 'string') return `${req.baseUrl}${pattern}` || '/';
  if (req.baseUrl === '/public') return '/public/*';
  return '(aucune route)';
}

/** The account behind the session, by kind and id only (never its email or name). */
function userOf(req: Request): { kind: string; id: number } | null {
  const auth = req.session?.auth;
  return auth ? { kind: auth.kind, id: auth.accountId } : null;
}

function newRequestId(_req: unknown, res: Response): string {
  const id = crypto.randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

export function requestLogger(config: Config, destination?: DestinationStream): RequestHandler {
  if (config.logLevel === 'silent') {
    return (req, res, next) => {
      req.id = newRequestId(req, res);
      next();
    };
  }
  const finished = (req: Request, res: Response, line: Record<string, unknown>) => ({
    ...line,
    route: routeOf(req),
    user: userOf(req),
    status: res.statusCode,
  });
  return pinoHttp<Request, Response>({
    logger: destination ? pino({ level: config.logLevel }, destination) : pino({ level: config.logLevel }),
    genReqId: newRequestId,
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: redactPath(req.url) }),
      // pino-http's default also logs the response headers, Set-Cookie (the session id) among them.
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customSuccessObject: finished,
    customErrorObject: (req, res, _err, line) => finished(req, res, line),
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    autoLogging: { ignore: (req) => QUIET_PATHS.has(req.url.split('?')[0]) },
  }) as unknown as RequestHandler;
}

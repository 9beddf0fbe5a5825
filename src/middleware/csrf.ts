// Synchronizer-token CSRF protection (csrf-sync): the token lives in the session and comes back
// in the form body (`_csrf`), or in the X-CSRF-Token header that htmx sends from <body hx-headers>.
// Every request that may change something is checked here, whatever its content type, before any
// router runs. One exception: a multipart body is only readable once parsed, so a route whose first
// handler is the upload parser (middleware/uploads.ts) verifies the token itself right after
// parsing, before anything else. The exception is granted only when every route the request could
// reach begins with that parser (middleware/route-table.ts): a route without it, new or old, gets
// multipart requests refused here unless the X-CSRF-Token header carries the token.
import crypto from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { csrfSync } from 'csrf-sync';
import { firstHandler, routesMatching } from './route-table.js';

const VERIFIES_AFTER_PARSING = new WeakSet<object>();

/** Marks the multipart parser of middleware/uploads.ts, which verifies the token once the body is read. */
export function verifiesCsrfAfterParsing<T extends RequestHandler>(parser: T): T {
  VERIFIES_AFTER_PARSING.add(parser);
  return parser;
}

/** True when the request can only reach routes that start by parsing the body and verifying the token. */
function checkedAfterParsing(req: Request): boolean {
  if (req.is('multipart/form-data') !== 'multipart/form-data') return false;
  const routes = routesMatching(req.app, req.method, req.path);
  return routes.length > 0 && routes.every((route) => route !== null && VERIFIES_AFTER_PARSING.has(firstHandler(route, req.method) ?? {}));
}

/**
 * Pages are compressed (src/app.ts): a secret printed the same way in every page, next to text an
 * attacker can have reflected, could be guessed from the compressed sizes (BREACH). So each response
 * prints the session's token masked with a pad drawn for it (`pad.(token XOR pad)`, as Rails and
 * Django do; the same masking throughout one page, so its forms cost no more than one), and the
 * token that comes back is unmasked before csrf-sync compares it. csrf-sync's tokens are hex: the
 * mask works on their bytes, half as many as their characters.
 */
function masked(token: string): string {
  const bytes = Buffer.from(token, 'hex');
  const pad = crypto.randomBytes(bytes.length);
  return `${pad.toString('base64url')}.${Buffer.from(bytes.map((byte, i) => byte ^ pad[i])).toString('base64url')}`;
}

function unmasked(value: string | undefined): string | undefined {
  const [pad, xored, extra] = value?.split('.') ?? [];
  if (xored === undefined || extra !== undefined) return value;
  const padBytes = Buffer.from(pad, 'base64url');
  const xoredBytes = Buffer.from(xored, 'base64url');
  if (padBytes.length !== xoredBytes.length) return value;
  return Buffer.from(xoredBytes.map((byte, i) => byte ^ padBytes[i])).toString('hex');
}

const { csrfSynchronisedProtection, generateToken, isRequestValid } = csrfSync({
  getTokenFromRequest: (req) => {
    const header = req.get('x-csrf-token');
    if (header) return unmasked(header);
    const body = req.body as Record<string, unknown> | undefined;
    return typeof body?._csrf === 'string' ? unmasked(body._csrf) : undefined;
  },
  skipCsrfProtection: checkedAfterParsing,
  errorConfig: { statusCode: 403, message: 'Jeton de sécurité invalide', code: 'EBADCSRFTOKEN' },
});

export const csrfProtection = csrfSynchronisedProtection;

/**
 * Exposes the token to every view as an object that creates it on first use (when a view prints
 * it): pages without a form neither create a token nor save a session. Express copies res.locals
 * into each render, so a getter would be called by the copy; a lazy toString is not.
 */
export function csrfLocals(req: Request, res: Response, next: NextFunction): void {
  let printed: string | undefined;
  res.locals.csrfToken = {
    toString: () => {
      printed ??= masked(generateToken(req));
      return printed;
    },
  };
  next();
}

/** For routes that parse their own body (multipart): call after parsing. */
export function verifyCsrf(req: Request): boolean {
  return isRequestValid(req);
}

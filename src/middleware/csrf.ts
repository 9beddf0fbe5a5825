// Synchronizer-token CSRF protection (csrf-sync): the token lives in the session and comes back
// in the form body (`_csrf`), or in the X-CSRF-Token header that htmx sends from <body hx-headers>.
// Multipart bodies are only parsed by the uploads middleware, which verifies the token itself
// after parsing (see middleware/uploads.ts): an unparsed multipart body changes nothing.
import type { NextFunction, Request, Response } from 'express';
import { csrfSync } from 'csrf-sync';

const { csrfSynchronisedProtection, generateToken, isRequestValid } = csrfSync({
  getTokenFromRequest: (req) => {
    const header = req.get('x-csrf-token');
    if (header) return header;
    const body = req.body as Record<string, unknown> | undefined;
    return typeof body?._csrf === 'string' ? body._csrf : undefined;
  },
  skipCsrfProtection: (req) => req.is('multipart/form-data') === 'multipart/form-data',
  errorConfig: { statusCode: 403, message: 'Jeton de sécurité invalide', code: 'EBADCSRFTOKEN' },
});

export const csrfProtection = csrfSynchronisedProtection;

/**
 * Exposes the token to every view as an object that creates it on first use (when a view prints
 * it): pages without a form neither create a token nor save a session. Express copies res.locals
 * into each render, so a getter would be called by the copy; a lazy toString is not.
 */
export function csrfLocals(req: Request, res: Response, next: NextFunction): void {
  let token: string | undefined;
  res.locals.csrfToken = { toString: () => (token ??= generateToken(req)) };
  next();
}

/** For routes that parse their own body (multipart): call after parsing. */
export function verifyCsrf(req: Request): boolean {
  return isRequestValid(req);
}

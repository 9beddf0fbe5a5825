// One 404 and one error handler, each answering a full French page or an htmx fragment.
// No stack trace ever leaves the server; the request id ties the page to the log line.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { messages } from '../messages.js';

interface HttpishError extends Error {
  status?: number;
  statusCode?: number;
  code?: string;
  type?: string;
  expose?: boolean;
}

async function renderError(req: Request, res: Response, status: number, title: string, text: string): Promise<void> {
  res.status(status).set('Cache-Control', 'no-store');
  await res.renderPage({
    page: 'errors/error',
    fragment: 'errors/error',
    title,
    status,
    locals: { status, errorTitle: title, errorText: text, requestId: req.id },
  });
}

export const notFound: RequestHandler = async (req, res, next) => {
  try {
    await renderError(req, res, 404, messages.errors.notFoundTitle, messages.errors.notFoundText);
  } catch (err) {
    next(err);
  }
};

/** Throw from a handler to answer with a French 403/404 page. */
export class HttpError extends Error {
  constructor(
    readonly status: 403 | 404 | 400 | 409,
    message?: string,
  ) {
    super(message ?? String(status));
  }
}

/**
 * PostgreSQL refuses a NUL character in text (22021) or a character its encoding lacks (22P05).
 * Every form and filter refuses them first (validation.ts, domain/unsafe-text.ts); should a path
 * forget it, the person gets the « demande incorrecte » page, not a technical error.
 */
const PG_BAD_CHARACTER = new Set(['22021', '22P05']);

export const errorHandler: ErrorRequestHandler = async (err: HttpishError, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  const badCharacter = typeof err.code === 'string' && PG_BAD_CHARACTER.has(err.code);
  if (badCharacter) req.log?.warn({ path: req.path, code: err.code }, 'text refused by the database');
  const status = err instanceof HttpError ? err.status : badCharacter ? 400 : (err.status ?? err.statusCode ?? 500);
  try {
    if (err.code === 'EBADCSRFTOKEN') {
      req.log?.warn({ path: req.path }, 'csrf token rejected');
      await renderError(req, res, 403, messages.errors.csrfTitle, messages.errors.csrfText);
    } else if (status === 403) {
      await renderError(req, res, 403, messages.errors.forbiddenTitle, messages.errors.forbiddenText);
    } else if (status === 404) {
      await renderError(req, res, 404, messages.errors.notFoundTitle, messages.errors.notFoundText);
    } else if (status === 413 || err.type === 'entity.too.large') {
      await renderError(req, res, 413, messages.errors.tooLargeTitle, messages.errors.tooLargeText);
    } else if (status === 503) {
      req.log?.error({ err }, 'service unavailable');
      res.set('Retry-After', '60');
      await renderError(req, res, 503, messages.errors.unavailableTitle, messages.errors.unavailableText);
    } else if (status >= 400 && status < 500) {
      await renderError(req, res, status, messages.errors.badRequestTitle, messages.errors.badRequestText);
    } else {
      req.log?.error({ err }, 'unhandled error');
      await renderError(req, res, 500, messages.errors.serverTitle, messages.errors.serverText);
    }
  } catch (renderErr) {
    // The error page itself failed: answer plain text, still without details.
    req.log?.error({ err: renderErr }, 'error page failed');
    res
      .status(500)
      .type('text/plain; charset=utf-8')
      .send(`Erreur interne. Référence : ${String(req.id)}`);
  }
};

// One partial, two uses: an htmx request that targets part of the page gets the fragment alone,
// any other request gets the full page (layout + page, the page including the same partial).
import type { NextFunction, Request, Response } from 'express';
import type { Brand } from '../brand.js';
import { pageMeta } from '../page-meta.js';

export type Layout = 'public' | 'assure' | 'entreprise' | 'gestion' | 'affiliation';

interface PageOptions {
  /** views/pages/<page>.ejs */
  page: string;
  /** views/partials/<fragment>.ejs, rendered alone for htmx partial requests */
  fragment?: string;
  layout?: Layout;
  title: string;
  /** What the page is for, in a sentence: its <meta name="description"> (default: its view's, src/page-descriptions.ts). */
  description?: string;
  status?: number;
  locals?: Record<string, unknown>;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** True for htmx requests that swap part of the page (not history restores). */
    isHtmx: boolean;
  }
  interface Response {
    renderPage(options: PageOptions): Promise<void>;
    /** POST → 303 → GET, with an optional flash message for the next page. */
    redirectWithFlash(url: string, message?: string, kind?: FlashKind): void;
  }
}

type FlashKind = 'success' | 'info' | 'error';
interface Flash {
  kind: FlashKind;
  message: string;
}

declare module 'express-session' {
  interface SessionData {
    flash?: Flash[];
  }
}

function renderView(res: Response, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => {
    res.app.render(view, { ...res.locals, ...locals }, (err: Error | null, html?: string) => {
      if (err) reject(err);
      else resolve(html ?? '');
    });
  });
}

/** An htmx request that swaps part of the page (not a history restore, not `HX-Request-Type: full`): it gets the fragment. */
export function wantsFragment(req: Request): boolean {
  return req.isHtmx && req.get('hx-request-type') !== 'full';
}

export function renderHelpers(req: Request, res: Response, next: NextFunction): void {
  req.isHtmx = req.get('hx-request') === 'true' && req.get('hx-history-restore-request') !== 'true';
  if (req.isHtmx) res.vary('HX-Request');

  res.renderPage = async (options: PageOptions) => {
    const meta = pageMeta(res.app.locals.brand as Brand, {
      page: options.page,
      layout: options.layout,
      path: req.path,
      title: options.title,
      description: options.description,
    });
    const locals = { ...meta, ...options.locals, pageTitle: options.title };
    if (options.status) res.status(options.status);
    let html: string;
    if (options.fragment && wantsFragment(req)) {
      html = await renderView(res, `partials/${options.fragment}`, locals);
    } else {
      const flash = req.session?.flash ?? [];
      if (req.session?.flash) delete req.session.flash;
      const body = await renderView(res, `pages/${options.page}`, { ...locals, flash });
      // One layout for the private spaces, the space (`locals.space`, from pageMeta) its parameter.
      const layout = (options.layout ?? 'public') === 'public' ? 'public' : 'private';
      html = await renderView(res, `layouts/${layout}`, { ...locals, flash, body });
    }
    res.type('html').send(html);
  };

  res.redirectWithFlash = (url: string, message?: string, kind: FlashKind = 'success') => {
    if (message && req.session) {
      req.session.flash ??= [];
      req.session.flash.push({ kind, message });
    }
    if (req.isHtmx) {
      // A full navigation, so the new page gets its layout and the flash.
      res.set('HX-Redirect', url).status(204).end();
      return;
    }
    res.redirect(303, url);
  };
  next();
}

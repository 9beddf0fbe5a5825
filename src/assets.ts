// Fingerprinted static files: a page links /public/css/app.3f2a1b9c0d.css (the first 10 hex digits of
// the file's SHA-256 before its extension) through `h.asset('/public/css/app.css')`, and that URL is
// served with a one-year immutable cache — a later visit asks the server for none of them, and a
// changed file gets a new URL. The plain URLs keep working with their short cache (bookmarks, old
// pages, emails). An address with a hash that is no longer the file's (a page rendered before a
// deploy) still gets the current file, but uncached. The brand's logo and theme (/brand/…) are
// fingerprinted the same way. Hashes are computed on first use and kept; in development they are
// computed again when the file changes, so an edited stylesheet shows at the next reload.
// Written here rather than taken from a library: the maintained asset pipelines are bundlers, and
// the fingerprint middlewares on npm are unmaintained; this is one map and one route.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import type { Brand } from './brand.js';
import { PUBLIC_DIR } from './paths.js';
import { themeCss } from './views.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const HASH_LENGTH = 10;
const FINGERPRINTED = new RegExp(`^(/(?:public|brand)/.+)\\.([0-9a-f]{${HASH_LENGTH}})(\\.[A-Za-z0-9]+)$`);

type Source = { file: string } | { text: string; type: string };

export interface StaticAssets {
  /** The fingerprinted URL of a plain one (`/public/css/app.css`); the plain URL when the file is missing. */
  url(plain: string): string;
  /** Serves the fingerprinted URLs; anything else goes on. */
  serve: RequestHandler;
}

function hashOf(content: Buffer | string): string {
  return crypto.createHash('sha256').update(content).digest('hex').slice(0, HASH_LENGTH);
}

export function staticAssets(brand: Brand, options: { watch: boolean }): StaticAssets {
  const theme = themeCss(brand);
  const themeHash = hashOf(theme);
  const hashes = new Map<string, { hash: string; mtimeMs: number }>();

  function sourceOf(plain: string): Source | null {
    if (plain === '/brand/theme.css') return { text: theme, type: 'text/css' };
    if (plain === '/brand/logo.svg') return { file: brand.logoFile };
    if (!plain.startsWith('/public/')) return null;
    const file = path.join(PUBLIC_DIR, plain.slice('/public/'.length));
    // No way out of public/ (`..` in a requested address).
    return file.startsWith(PUBLIC_DIR + path.sep) ? { file } : null;
  }

  function currentHash(plain: string): string | null {
    const source = sourceOf(plain);
    if (!source) return null;
    if ('text' in source) return themeHash;
    const known = hashes.get(plain);
    if (known && !options.watch) return known.hash;
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(source.file).mtimeMs;
    } catch {
      return null;
    }
    if (known && known.mtimeMs === mtimeMs) return known.hash;
    const hash = hashOf(fs.readFileSync(source.file));
    hashes.set(plain, { hash, mtimeMs });
    return hash;
  }

  return {
    url(plain) {
      const hash = currentHash(plain);
      if (!hash) return plain;
      const ext = path.extname(plain);
      return `${plain.slice(0, -ext.length)}.${hash}${ext}`;
    },
    serve(req, res, next) {
      const match = FINGERPRINTED.exec(req.path);
      if (!match || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
      const plain = match[1] + match[3];
      const source = sourceOf(plain);
      const hash = source && currentHash(plain);
      if (!source || !hash) return next();
      res.set('Cache-Control', hash === match[2] ? IMMUTABLE : 'no-cache');
      if ('text' in source) {
        res.type(source.type).send(source.text);
        return;
      }
      res.sendFile(source.file, { cacheControl: false, dotfiles: 'deny' }, (err) => {
        if (err && !res.headersSent) next(err);
      });
    },
  };
}

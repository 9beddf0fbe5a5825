// Fingerprinted static files: a page links /public/css/app.3f2a1b9c0d.css (the first 10 hex digits of
// the file's SHA-256 before its extension) through `h.asset('/public/css/app.css')`, and that URL is
// served with a one-year immutable cache — a later visit asks the server for none of them, and a
// changed file gets a new URL. The plain URLs keep working with their short cache (bookmarks, old
// pages, emails). An address with a hash that is no longer the file's (a page rendered before a
// deploy) still gets the current file, but uncached. The brand's logo and theme (/brand/…) are
// fingerprinted the same way. Hashes are computed on first use and kept; in development they are
// computed again when the file changes, so an edited stylesheet shows at the next reload. Each file is
// kept in memory with its Brotli and gzip forms (a few files of a few dozen KB).
// Pages link two bundles rather than six files (BUNDLES): on a slow mobile network each request
// opens a connection of its own (HTTP/1.1), and the first paint waits for them (issue 16, Lighthouse).
// Written here rather than taken from a library: the maintained asset pipelines are bundlers, and
// the fingerprint middlewares on npm are unmaintained; this is one map and one route.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { RequestHandler } from 'express';
import type { Brand } from './brand.js';
import { PUBLIC_DIR } from './paths.js';
import { themeCss } from './views.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const HASH_LENGTH = 10;
const FINGERPRINTED = new RegExp(`^(/(?:public|brand)/.+)\\.([0-9a-f]{${HASH_LENGTH}})(\\.[A-Za-z0-9]+)$`);
// Below this, compressing saves less than it costs (the `compression` package's threshold too).
const COMPRESS_FROM = 1024;

export interface StaticAssets {
  /** The fingerprinted URL of a plain one (`/public/css/app.css`); the plain URL when the file is missing. */
  url(plain: string): string;
  /** Serves the fingerprinted URLs; anything else goes on. */
  serve: RequestHandler;
}

/** A bundle's part: a file of public/, or the brand's colours (src/views.ts themeCss). */
type Part = { file: string; media?: string } | 'theme';

/**
 * Files served as one, at a fingerprinted URL of their own (and their plain URL, uncached): the
 * stylesheet with the print rules (an `@media print` block) and the brand's colours after it, so that
 * the theme wins; htmx followed by our script, in the order the two `defer` scripts ran. The files
 * stay at their own URLs too.
 */
const BUNDLES: ReadonlyMap<string, readonly Part[]> = new Map<string, Part[]>([
  ['/public/css/portail.css', [{ file: '/public/css/app.css' }, { file: '/public/css/print.css', media: 'print' }, 'theme']],
  ['/public/js/portail.js', [{ file: '/public/vendor/htmx.min.js' }, { file: '/public/js/app.js' }]],
]);

interface Asset {
  hash: string;
  mtimeMs: number;
  body: Buffer;
  /** Compressed once, at the highest level, on first request: each visitor downloads a file once a year. */
  encoded?: { br: Buffer; gzip: Buffer };
}

function hashOf(content: Buffer): string {
  return crypto.createHash('sha256').update(content).digest('hex').slice(0, HASH_LENGTH);
}

function encodingsOf(asset: Asset): { br: Buffer; gzip: Buffer } {
  asset.encoded ??= {
    br: zlib.brotliCompressSync(asset.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY } }),
    gzip: zlib.gzipSync(asset.body, { level: zlib.constants.Z_BEST_COMPRESSION }),
  };
  return asset.encoded;
}

/** `watch`: hash a file again when it changes (development); `compress`: send the Brotli/gzip forms (COMPRESSION). */
export function staticAssets(brand: Brand, options: { watch: boolean; compress: boolean }): StaticAssets {
  const theme = Buffer.from(themeCss(brand));
  const assets = new Map<string, Asset>([['/brand/theme.css', { hash: hashOf(theme), mtimeMs: 0, body: theme }]]);

  function fileOf(plain: string): string | null {
    if (plain === '/brand/logo.svg') return brand.logoFile;
    if (!plain.startsWith('/public/')) return null;
    const file = path.join(PUBLIC_DIR, plain.slice('/public/'.length));
    // No way out of public/ (`..` in a requested address).
    return file.startsWith(PUBLIC_DIR + path.sep) ? file : null;
  }

  /** A bundle's parts joined, its `mtimeMs` the sum of theirs (any change shows); null when one is missing. */
  function bundle(plain: string, parts: readonly Part[]): Asset | null {
    const known = assets.get(plain);
    if (known && !options.watch) return known;
    const bodies: Buffer[] = [];
    let mtimeMs = 0;
    for (const part of parts) {
      const asset = part === 'theme' ? assets.get('/brand/theme.css')! : current(part.file);
      if (!asset) return null;
      mtimeMs += asset.mtimeMs;
      // A source map comment would point from the bundle's folder to a map of one part.
      let text = asset.body.toString().replace(/^\/[/*]# sourceMappingURL=.*$/m, '');
      // The stylesheets' comments are for their readers, a fifth of the compressed bytes for a phone
      // (no string in our CSS holds a comment mark: the test of the bundle checks every rule is kept).
      if (plain.endsWith('.css')) text = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\n\s*\n/g, '\n');
      if (part !== 'theme' && part.media) text = `@media ${part.media} {\n${text}}`;
      // Between parts, a line end (a file's last line may be a comment) and, in a script, the end of a statement.
      bodies.push(Buffer.from(text), Buffer.from(plain.endsWith('.js') ? '\n;\n' : '\n'));
    }
    if (known && known.mtimeMs === mtimeMs) return known;
    const body = Buffer.concat(bodies);
    const asset = { hash: hashOf(body), mtimeMs, body };
    assets.set(plain, asset);
    return asset;
  }

  /** The asset as it is now: read once, or again in development when the file changed. */
  function current(plain: string): Asset | null {
    const parts = BUNDLES.get(plain);
    if (parts) return bundle(plain, parts);
    const known = assets.get(plain);
    if (known && (!options.watch || plain === '/brand/theme.css')) return known;
    const file = fileOf(plain);
    if (!file) return null;
    let mtimeMs: number;
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile()) return null;
      mtimeMs = stat.mtimeMs;
    } catch {
      return null;
    }
    if (known && known.mtimeMs === mtimeMs) return known;
    const body = fs.readFileSync(file);
    const asset = { hash: hashOf(body), mtimeMs, body };
    assets.set(plain, asset);
    return asset;
  }

  return {
    url(plain) {
      const asset = current(plain);
      if (!asset) return plain;
      const ext = path.extname(plain);
      return `${plain.slice(0, -ext.length)}.${asset.hash}${ext}`;
    },
    serve(req, res, next) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      // A bundle's plain URL has no file behind it: served here, uncached.
      const match =
        FINGERPRINTED.exec(req.path) ?? (BUNDLES.has(req.path) ? [req.path, req.path.slice(0, req.path.lastIndexOf('.')), '', path.extname(req.path)] : null);
      if (!match) return next();
      const plain = match[1] + match[3];
      const asset = current(plain);
      if (!asset) return next();
      // Served before the page middleware: only the headers a static file needs (no CSP, no request id),
      // which on a first visit weigh as much as the smaller files themselves.
      res.type(match[3]);
      res.set('Cache-Control', asset.hash === match[2] ? IMMUTABLE : 'no-cache');
      res.set('X-Content-Type-Options', 'nosniff');
      let body = asset.body;
      if (options.compress && body.length >= COMPRESS_FROM) {
        res.vary('Accept-Encoding');
        // Brotli whenever accepted: browsers list gzip first with the same weight.
        const encoding = req.acceptsEncodings('br') ? 'br' : req.acceptsEncodings('gzip') ? 'gzip' : null;
        if (encoding) {
          body = encodingsOf(asset)[encoding];
          res.set('Content-Encoding', encoding);
        }
      }
      res.set('Content-Length', String(body.length));
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}

// createApp wires middleware, routers and error handling. It never listens: server.ts does,
// and the tests drive it with supertest.
import express, { Router, type Express } from 'express';
import cookieParser from 'cookie-parser';
import compression from 'compression';
import zlib from 'node:zlib';
import ejs from 'ejs';
import type { AppContext, AppDeps } from './context.js';
import { PUBLIC_DIR, VIEWS_DIR } from './paths.js';
import { setPasswordHashLogN } from './domain/passwords.js';
import { createOutbox } from './stores/outbox.js';
import { fileStoreFor } from './storage/from-config.js';
import { securityHeaders, noStore } from './middleware/security.js';
import { sessionMiddleware } from './middleware/session.js';
import { csrfLocals, csrfProtection } from './middleware/csrf.js';
import { renderHelpers } from './middleware/render.js';
import { errorHandler, notFound } from './middleware/errors.js';
import { themeCss, viewHelpers } from './views.js';
import { staticAssets } from './assets.js';
import { publicRoutes } from './public-site/routes.js';
import { authRoutes } from './auth/routes.js';
import { devRoutes } from './dev/routes.js';
import { assureRoutes } from './assure/routes.js';
import { entrepriseRoutes } from './entreprise/routes.js';
import { gestionRoutes } from './gestion/routes.js';
import { affiliationRoutes } from './affiliation/routes.js';
import { requestLogger } from './observability/request-log.js';
import { createMetrics } from './observability/metrics.js';
import { probeRoutes } from './observability/probes.js';

export { redactPath } from './observability/request-log.js';

/**
 * The routers, in order, for the paths under `prefix` only (`/assure` and `/assure/…`, not
 * `/assurer`), whatever their case, as Express matches routes.
 */
function under(prefix: string, ...routers: Router[]): Router {
  const gated = Router();
  gated.use((req, _res, next) => {
    const start = req.path.slice(0, prefix.length + 1).toLowerCase();
    next(start === prefix || start === `${prefix}/` ? undefined : 'router');
  });
  gated.use(...routers);
  return gated;
}

export function createApp(deps: AppDeps): Express {
  const clock = deps.clock ?? (() => new Date());
  const ctx: AppContext = {
    config: deps.config,
    db: deps.db,
    clock,
    outbox: deps.outbox ?? createOutbox(deps.config, deps.db, clock),
    files: deps.files ?? fileStoreFor(deps.config),
  };
  const { config } = ctx;
  setPasswordHashLogN(config.passwordHashLogN);
  const app = express();

  app.disable('x-powered-by');
  // Pages are never cached (no-store): computing an ETag of each body would be wasted work.
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  // Stock EJS. Templates read their locals as `locals.name` (`h`, the view helpers, is given to
  // every template as `h`): in strict mode EJS compiles without `with (locals)`, which V8 cannot
  // optimize. Includes name their file from the views folder (`include('/partials/form/field')`):
  // EJS then resolves the path without looking for the file beside the including one (a file
  // system check per include otherwise). Compiled templates are cached (EJS's own cache) except
  // in development.
  const viewCache = config.nodeEnv !== 'development';
  const ejsOptions: ejs.Options = { strict: true, destructuredLocals: ['h'], root: VIEWS_DIR, cache: viewCache };
  app.engine('ejs', (file: string, data: object, callback: (err: Error | null, html?: string) => void) => {
    ejs.renderFile(file, data, ejsOptions, callback);
  });
  app.set('view engine', 'ejs');
  app.set('views', VIEWS_DIR);
  app.set('view cache', viewCache);
  app.locals.brand = config.brand;
  const assets = staticAssets(config.brand, { watch: config.nodeEnv === 'development', compress: config.compression });
  app.locals.h = { ...viewHelpers, asset: assets.url };
  app.locals.isProduction = config.isProduction;
  app.locals.demoMode = config.demoMode;

  // The fingerprinted files come first, with their own few headers and precompressed (src/assets.ts).
  app.use(assets.serve);

  app.use(requestLogger(config, deps.logDestination));
  const metrics = deps.metrics ?? (config.metricsToken ? createMetrics(ctx.db) : null);
  if (metrics) app.use(metrics.countRequests);
  if (config.workerPidHeader) {
    app.use((_req, res, next) => {
      res.setHeader('X-Worker-Pid', String(process.pid));
      next();
    });
  }
  app.use(securityHeaders(config.isProduction, config.isProduction && !config.allowInsecureHttp));
  // Brotli or gzip for text (pages, htmx fragments, CSS, JS, CSV) when no reverse proxy does it
  // (COMPRESSION=false then). PDFs and ZIPs are already compressed: the library's type filter skips them.
  // Brotli at quality 3 rather than the library's 4: on the member pages about a third less CPU per
  // page for 1 to 10 % more bytes (the fingerprinted files are compressed once, at 11: src/assets.ts).
  if (config.compression) app.use(compression({ brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 3 } } }));

  app.use('/public', express.static(PUBLIC_DIR, { maxAge: config.isProduction ? '7d' : 0, index: false }));
  app.get('/brand/logo.svg', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=86400').sendFile(config.brand.logoFile);
  });
  app.get('/favicon.ico', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=86400').sendFile(config.brand.logoFile);
  });

  app.get('/brand/theme.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('text/css').send(themeCss(config.brand));
  });

  app.use(noStore);
  app.use(probeRoutes(ctx, metrics));
  app.use(renderHelpers);
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 500 }));
  app.use(cookieParser());
  app.use(sessionMiddleware(config, ctx.db));
  app.use(csrfLocals);
  app.use((req, res, next) => {
    res.locals.currentPath = req.path;
    res.locals.isHtmx = req.isHtmx;
    next();
  });
  app.use(csrfProtection);

  // Each space's routers see only the requests under its prefix: the others skip their routes
  // without trying each one (a request otherwise walks every route registered before its own).
  const auth = authRoutes(ctx);
  app.use(publicRoutes(ctx));
  app.use(under('/assure', auth.assure, assureRoutes(ctx)));
  app.use(under('/entreprise', auth.entreprise, entrepriseRoutes(ctx)));
  app.use(under('/gestion', auth.gestion, gestionRoutes(ctx)));
  app.use(under('/affiliation', affiliationRoutes(ctx)));
  if (!config.isProduction) app.use('/dev', devRoutes(ctx));

  app.use(notFound);
  app.use(errorHandler);
  return app;
}

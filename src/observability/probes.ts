// Probes for the service manager and the load balancer, and the Prometheus scrape:
//   GET /healthz  the process answers (no database: a slow database must not get it restarted);
//   GET /readyz   the database answers, every migration of db/migrations/index.ts is applied and
//                 the upload folder takes a file (and, with STORAGE=s3, the object store takes
//                 one too) — 503 with a short JSON reason otherwise;
//   GET /metrics  Prometheus text, only when METRICS_TOKEN is set (404 otherwise), for a request
//                 bearing that token (401 without one, 403 with another).
// Mounted before the session: a probe never creates a session row.
import { Router, type Response } from 'express';
import type { AppContext } from '../context.js';
import { migrations } from '../../db/migrations/index.js';
import { DiskStore } from '../storage/file-store.js';
import { type Metrics, tokenMatches } from './metrics.js';
import { appliedMigrationNames, pingDatabase } from './queries.js';

/** A database that does not answer within this delay counts as unreachable. */
const DATABASE_TIMEOUT_MS = 3_000;
/** Nor an object store. */
const STORE_TIMEOUT_MS = 3_000;

type Check = { ok: true } | { ok: false; check: string; reason: string };

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function checkDatabase(ctx: AppContext): Promise<Check> {
  try {
    await withTimeout(pingDatabase(ctx.db), DATABASE_TIMEOUT_MS);
  } catch {
    return { ok: false, check: 'database', reason: 'base de données injoignable' };
  }
  let applied: Set<string>;
  try {
    applied = new Set(await withTimeout(appliedMigrationNames(ctx.db), DATABASE_TIMEOUT_MS));
  } catch {
    return { ok: false, check: 'migrations', reason: 'migrations jamais appliquées' };
  }
  const missing = migrations.filter((m) => !applied.has(m.name)).length;
  return missing === 0 ? { ok: true } : { ok: false, check: 'migrations', reason: `${missing} migration(s) non appliquée(s)` };
}

/**
 * Writes and removes a small file: the only check that holds for root and read-only mounts alike.
 * UPLOAD_DIR always (multer's temporary folder and the imports' work files live there), and the
 * object store too with STORAGE=s3 (a small object put then deleted).
 */
async function checkUploadFolder(ctx: AppContext): Promise<Check> {
  try {
    await new DiskStore(ctx.config.uploadDir).checkWritable();
  } catch {
    return { ok: false, check: 'uploads', reason: 'dossier des pièces jointes non accessible en écriture' };
  }
  if (ctx.config.storage.kind === 'disk') return { ok: true };
  try {
    await withTimeout(ctx.files.checkWritable(), STORE_TIMEOUT_MS);
    return { ok: true };
  } catch {
    return { ok: false, check: 'storage', reason: 'stockage des fichiers (S3) injoignable ou non accessible en écriture' };
  }
}

function answer(res: Response, status: number, body: object): void {
  res.status(status).set('Cache-Control', 'no-store').json(body);
}

export function probeRoutes(ctx: AppContext, metrics: Metrics | null): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => answer(res, 200, { status: 'ok' }));

  router.get('/readyz', async (_req, res) => {
    for (const check of [checkDatabase, checkUploadFolder]) {
      const result = await check(ctx);
      if (!result.ok) return answer(res, 503, { status: 'indisponible', check: result.check, reason: result.reason });
    }
    answer(res, 200, { status: 'ok' });
  });

  const token = ctx.config.metricsToken;
  if (metrics && token) {
    router.get('/metrics', async (req, res) => {
      const given = req.get('authorization')?.match(/^Bearer (.+)$/i)?.[1];
      if (!given) {
        res.status(401).set('WWW-Authenticate', 'Bearer').type('text/plain').send('Jeton requis.');
        return;
      }
      if (!tokenMatches(given, token)) {
        res.status(403).type('text/plain').send('Jeton refusé.');
        return;
      }
      const text = await metrics.render().catch(() => null);
      if (text === null) {
        res.status(503).type('text/plain').send('Mesures indisponibles.');
        return;
      }
      res.set('Cache-Control', 'no-store').type(metrics.contentType).send(text);
    });
  }
  return router;
}

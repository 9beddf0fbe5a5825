// Reads config, migrates, seeds the demo data on first start (never in production: config.ts refuses
// SEED_DEMO there), listens, shuts down gracefully. With WEB_CONCURRENCY > 1 (one per core by
// default) the first process does the migrations, the seeding and the background jobs once, then
// forks that many workers (node:cluster) that share the port and serve; a worker that dies is
// replaced, with a growing wait when they keep dying. Sessions, throttles and everything else a
// request needs live in the database, so any worker may serve any request.
import cluster, { type Worker } from 'node:cluster';
import type { Server } from 'node:http';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createDb, migrateLatest, type Db } from './db.js';
import { createApp } from './app.js';
import { startJobs } from './jobs.js';
import { fileStoreFor } from './storage/from-config.js';
import { brandContent, CONTENT_SECTIONS } from './content/sections.js';
import { knowledgeBaseFor } from './assistant/knowledge-base.js';
import { communeIndex } from './geo/communes.js';
import { createMetrics, createWorkerMetrics, servePrimaryMetrics } from './observability/metrics.js';

function readConfigOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration invalide — ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

/**
 * The brand's content files the portal leaves out (a bad front matter, a misspelt name): said at
 * start, so the insurer does not learn it from a missing page. The pages log them again when a
 * file changes while running (src/content/sections.ts).
 */
function warnOfContentProblems(config: Config): void {
  const content = brandContent(config.brand);
  const problems = [...CONTENT_SECTIONS.flatMap((section) => content[section].problems()), ...knowledgeBaseFor(config.brand).problems()];
  for (const problem of problems) console.warn(`Contenu de la marque ignoré — ${problem.file} : ${problem.message}`);
}

/**
 * A worker (or the only process, which also runs the jobs) listens and serves until SIGTERM/SIGINT,
 * then closes the database.
 */
function serve(config: Config, db: Db, options: { onListening: () => void; runJobs: boolean }): void {
  // The requests and the jobs, when /metrics is on. A cluster worker counts its own requests and
  // asks the primary, which runs the jobs, for the whole (src/observability/metrics.ts).
  const metrics = config.metricsToken ? (cluster.isWorker ? createWorkerMetrics() : createMetrics(db)) : null;
  const app = createApp({ config, db, metrics: metrics ?? undefined });
  const stopJobs = options.runJobs ? startJobs({ db, config, metrics }) : () => {};
  const server: Server = app.listen(config.port, config.host, () => {
    options.onListening();
    // The commune index (≈ 0.3 s to read) is built now rather than by the first search, which every
    // request arriving meanwhile would wait for; tests build it only when they search.
    setImmediate(() => communeIndex());
  });
  // Requests hanging on keep-alive must not hold the shutdown forever.
  server.keepAliveTimeout = 5_000;

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (cluster.isPrimary) console.log(`${signal} reçu : arrêt en cours (requêtes en cours terminées, base fermée).`);
    stopJobs();
    server.close(async () => {
      await db.destroy();
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => {
      console.error('Arrêt forcé après 10 s.');
      process.exit(1);
    }, 10_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** A worker that died this long after its start was not crash-looping: it is replaced at once. */
const HEALTHY_LIFETIME_MS = 30_000;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * The primary of a cluster: forks `config.webConcurrency` workers, says the portal is available once
 * they all listen, replaces a worker that dies (at once when it had lived a while, else after a wait
 * doubling from 1 s up to 30 s, so a crash loop does not spin), and on SIGTERM/SIGINT asks each
 * worker to finish its requests, waits for them, then closes its own database.
 */
function superviseWorkers(config: Config, db: Db, stopJobs: () => void): void {
  const startedAt = new Map<Worker, number>();
  let listening = 0;
  let available = false;
  let quickDeaths = 0;
  let stopping = false;

  // Every worker signs sessions with the same secret, even the one drawn at random for tests.
  const fork = () => startedAt.set(cluster.fork({ SESSION_SECRET: config.sessionSecret }), Date.now());
  cluster.on('listening', (worker) => {
    listening += 1;
    if (available) console.log(`Processus ${worker.process.pid} prêt (remplaçant).`);
    if (!available && listening === config.webConcurrency) {
      available = true;
      console.log(
        `Portail ${config.brand.name} disponible sur ${config.publicUrl} (écoute sur ${config.host}:${config.port}, ${config.webConcurrency} processus)`,
      );
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (stopping) {
      if (startedAt.size === 0) void db.destroy().then(() => process.exit(0));
      return;
    }
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (!available) {
      // A worker that cannot start (port taken, broken configuration) would fail the same way again.
      console.error(`Démarrage impossible : un processus s'est arrêté avant d'écouter (${how}).`);
      for (const other of startedAt.keys()) other.process.kill('SIGKILL');
      process.exit(1);
    }
    quickDeaths = lived >= HEALTHY_LIFETIME_MS ? 0 : quickDeaths + 1;
    const delay = quickDeaths === 0 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 1000 * 2 ** (quickDeaths - 1));
    console.error(`Processus ${worker.process.pid} arrêté (${how}) : remplacé${delay ? ` dans ${delay / 1000} s` : ''}.`);
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  });
  for (let i = 0; i < config.webConcurrency; i++) fork();

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} reçu : arrêt en cours (requêtes en cours terminées, base fermée).`);
    stopJobs();
    if (startedAt.size === 0) void db.destroy().then(() => process.exit(0));
    for (const worker of startedAt.keys()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      console.error('Arrêt forcé après 15 s.');
      for (const worker of startedAt.keys()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, 15_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

async function main(): Promise<void> {
  const config = readConfigOrExit();
  if (cluster.isWorker) {
    // The primary already migrated and seeded: a worker only serves.
    serve(config, createDb(config.database), { onListening: () => {}, runJobs: false });
    return;
  }
  if (config.demoMode) {
    console.log(
      `Mode démonstration (NODE_ENV=${config.nodeEnv}) : données fictives, codes et liens des messages visibles sur /dev/outbox depuis cette machine seulement. Pour un service réel : NODE_ENV=production.`,
    );
  }
  if (config.isProduction && config.allowInsecureHttp) {
    console.warn(
      "ATTENTION — ALLOW_INSECURE_HTTP=true : production servie en HTTP sans chiffrement, pour un laboratoire seulement. Le témoin de session n'est marqué Secure que sur les requêtes arrivées en HTTPS ; mots de passe et sessions circulent en clair sur le réseau.",
    );
  }
  const db: Db = createDb(config.database);
  const applied = await migrateLatest(db);
  if (applied.length) console.log(`Migrations appliquées : ${applied.join(', ')}`);
  if (config.seedDemo) {
    // Imported only to seed, so a start without SEED_DEMO (always the case in production) never loads it.
    const { seedDemoIfFirstStart } = await import('../db/seeds/demo/index.js');
    const seeded = await seedDemoIfFirstStart(db, {
      uploadDir: config.uploadDir,
      files: fileStoreFor(config),
      brand: config.brand,
      log: (line) => console.log(`  ${line}`),
    });
    if (seeded) console.log('Données de démonstration chargées (premier démarrage) : comptes de démo dans le README.');
  }
  warnOfContentProblems(config);
  if (config.webConcurrency > 1) {
    // The jobs run in this process only, never once per worker.
    const metrics = config.metricsToken ? servePrimaryMetrics(db) : null;
    superviseWorkers(config, db, startJobs({ db, config, metrics }));
    return;
  }
  serve(config, db, {
    onListening: () => console.log(`Portail ${config.brand.name} disponible sur ${config.publicUrl} (écoute sur ${config.host}:${config.port})`),
    runJobs: true,
  });
}

main().catch((err) => {
  console.error('Démarrage impossible :', err);
  process.exit(1);
});

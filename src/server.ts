// Reads config, migrates, seeds the demo data on first start (never in production: config.ts refuses
// SEED_DEMO there), listens, shuts down gracefully.
import type { Server } from 'node:http';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createDb, migrateLatest, type Db } from './db.js';
import { createApp } from './app.js';
import { startJobs } from './jobs.js';
import { brandContent, CONTENT_SECTIONS } from './content/sections.js';
import { knowledgeBaseFor } from './assistant/knowledge-base.js';
import { communeIndex } from './geo/communes.js';
import { createMetrics } from './observability/metrics.js';

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

async function main(): Promise<void> {
  const config = readConfigOrExit();
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
    const seeded = await seedDemoIfFirstStart(db, { uploadDir: config.uploadDir, brand: config.brand, log: (line) => console.log(`  ${line}`) });
    if (seeded) console.log('Données de démonstration chargées (premier démarrage) : comptes de démo dans le README.');
  }
  warnOfContentProblems(config);
  // One registry for the requests and the jobs, when /metrics is on.
  const metrics = config.metricsToken ? createMetrics(db) : null;
  const app = createApp({ config, db, metrics: metrics ?? undefined });
  const stopJobs = startJobs({ db, config, metrics });

  const server: Server = app.listen(config.port, config.host, () => {
    console.log(`Portail ${config.brand.name} disponible sur ${config.publicUrl} (écoute sur ${config.host}:${config.port})`);
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
    console.log(`${signal} reçu : arrêt en cours (requêtes en cours terminées, base fermée).`);
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

main().catch((err) => {
  console.error('Démarrage impossible :', err);
  process.exit(1);
});

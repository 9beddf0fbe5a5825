// npm run seed [-- --scale N] [-- --reset] [-- --seed N]
// Loads the demo data set (db/seeds/demo/) into the database of DATABASE_URL (SQLite by default).
//   --scale N   size knob: 1 ≈ 300 members, 334 ≈ 100 000 members and 2 000 000 décompte lines
//   --reset     drop every table (migrations rolled back), migrate again, then seed
//   --seed N    seed of the pseudo-random generator (default 20261122)
import type { Knex } from 'knex';
import { migrations } from '../db/migrations/index.js';
import { DEMO_FACTS, MAX_SCALE, seedDemo } from '../db/seeds/demo/index.js';
import { createDb, migrateLatest, readMeta, writeMeta, type Db } from '../src/db.js';
import { configOrExit, parseArgsOrExit, type Usage, usage } from './cli.js';
import { fileStoreFor } from '../src/storage/from-config.js';

type Migration = (typeof migrations)[number];

const source: Knex.MigrationSource<Migration> = {
  getMigrations: async () => migrations,
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration,
};

const fail: Usage = usage('npm run seed -- [--scale N] [--reset] [--seed N]');
const args = parseArgsOrExit(
  {
    options: {
      scale: { type: 'string', default: '1' },
      seed: { type: 'string' },
      reset: { type: 'boolean', default: false },
    },
  },
  fail,
).values;
const scale = Number(args.scale);
if (!Number.isFinite(scale) || scale <= 0 || scale > MAX_SCALE) fail(`--scale « ${args.scale} » : un nombre entre 0 et ${MAX_SCALE} est attendu.`);
const seed = args.seed === undefined ? undefined : Number(args.seed);
if (seed !== undefined && !Number.isInteger(seed)) fail(`--seed « ${args.seed} » : un entier est attendu.`);

const config = configOrExit(fail);
if (config.isProduction) {
  // The demo accounts share a published password: never in a production database.
  console.error('NODE_ENV=production : les données de démonstration ne sont jamais chargées en production.');
  process.exit(2);
}

async function hasData(db: Db): Promise<boolean> {
  if (!(await db.schema.hasTable('companies'))) return false;
  const row = await db('companies').count({ n: '*' }).first();
  return Number(row?.n ?? 0) > 0;
}

const db = createDb(config.database);
const started = Date.now();
try {
  const target = config.database.client === 'pg' ? 'PostgreSQL' : `SQLite (${config.database.filename})`;
  console.log(`Base : ${target}`);
  if (args.reset) {
    await db.migrate.rollback({ migrationSource: source }, true);
    console.log('Tables supprimées (--reset).');
  }
  const applied = await migrateLatest(db);
  if (applied.length > 0) console.log(`Migrations appliquées : ${applied.join(', ')}`);
  if (await hasData(db)) {
    const seededAt = await readMeta(db, 'demo_seeded_at');
    console.error(
      seededAt
        ? `Les données de démonstration sont déjà chargées (le ${seededAt}). Relancez avec --reset pour tout recréer.`
        : 'La base contient déjà des données : relancez avec --reset pour tout effacer et recréer la démonstration.',
    );
    process.exitCode = 1;
  } else {
    console.log(`Chargement des données de démonstration, échelle ${scale}…`);
    const summary = await seedDemo(db, {
      scale,
      seed,
      uploadDir: config.uploadDir,
      files: fileStoreFor(config),
      brand: config.brand,
      log: (line) => console.log(`  ${line}`),
      bulkBuild: true,
    });
    await writeMeta(db, 'demo_seeded_at', new Date().toISOString());
    const width = Math.max(...Object.keys(summary.counts).map((k) => k.length));
    console.log('Lignes par table :');
    for (const [table, count] of Object.entries(summary.counts)) console.log(`  ${table.padEnd(width)}  ${count.toLocaleString('fr-FR')}`);
    console.log(`Terminé en ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    console.log(`Comptes de démonstration (mot de passe « ${DEMO_FACTS.password} ») :`);
    console.log(`  assurée         ${DEMO_FACTS.member.email}`);
    console.log(`  RH admin        ${DEMO_FACTS.hrAdmin.email}`);
    console.log(`  RH utilisateur  ${DEMO_FACTS.hrUser.email}`);
    console.log(`  gestion         ${DEMO_FACTS.staff.email}`);
    console.log(`  sans compte     ${DEMO_FACTS.memberWithoutAccount.email} (activation de l'Espace Assuré)`);
    console.log(
      `  entreprise sans compte RH : SIRET ${DEMO_FACTS.companyWithoutHr.siret}, identifiant entreprise ${DEMO_FACTS.companyWithoutHr.insurerCompanyNumber}`,
    );
  }
} catch (err) {
  console.error(`Échec du chargement : ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}

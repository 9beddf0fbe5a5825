// npm run migrate — applies the pending migrations of db/migrations (listed in index.ts).
import { loadConfig } from '../src/config.js';
import { createDb, migrateLatest } from '../src/db.js';

const config = loadConfig(process.env);
const db = createDb(config.database);
try {
  const applied = await migrateLatest(db);
  console.log(
    applied.length === 0 ? 'Base à jour : aucune migration à appliquer.' : `Migrations appliquées :\n${applied.map((name) => `  - ${name}`).join('\n')}`,
  );
} catch (err) {
  console.error(`Échec de la migration : ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}

// npm run retention [-- --dry-run] — applies the retention policy (src/personal-data/retention.ts):
// with --dry-run, lists what would be deleted and the count per rule, deleting nothing.
import { loadConfig } from '../src/config.js';
import { createDb } from '../src/db.js';
import { applyRetention } from '../src/personal-data/retention.js';

const dryRun = process.argv.includes('--dry-run');
const config = loadConfig(process.env);
const db = createDb(config.database);
try {
  const results = await applyRetention(db, config, new Date(), { dryRun });
  console.log(dryRun ? 'Simulation (--dry-run) : rien n’est supprimé.' : 'Durées de conservation appliquées.');
  for (const rule of results) {
    console.log(`\n${rule.label} : ${rule.count} ${dryRun ? 'à supprimer' : 'supprimé(s)'}`);
    for (const item of rule.items) console.log(`  - ${item}`);
  }
} catch (err) {
  console.error(`Échec : ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}

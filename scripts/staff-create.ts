// npm run staff:create -- --email ADRESSE --prenom PRÉNOM --nom NOM [--mobile 06…] [--afficher-lien]
// Creates a superviseur of the Espace Gestion in the database of DATABASE_URL (the first one of an
// empty production database): no password, an invitation link instead (src/auth/staff-command.ts).
import { ConfigError, loadConfig } from '../src/config.js';
import { createDb, migrateLatest } from '../src/db.js';
import { STAFF_CREATE_USAGE, staffCreateCommand } from '../src/auth/staff-command.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`Configuration invalide — ${err.message}\n${STAFF_CREATE_USAGE}`);
  process.exit(2);
}

const db = createDb(config.database);
try {
  await migrateLatest(db);
  const result = await staffCreateCommand(process.argv.slice(2), config, db);
  for (const line of result.lines) (result.code === 0 ? console.log : console.error)(line);
  process.exitCode = result.code;
} finally {
  await db.destroy();
}

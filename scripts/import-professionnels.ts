// npm run import:professionnels FILE [-- --apercu]
// Loads the health professionals directory from a CSV (columns: docs/domain.md#health-professionals-file)
// into the database of DATABASE_URL, by src/professionals/import.ts: every line checked, errors
// listed with their line numbers, nothing written unless every line is right. A second load of
// the same file updates the same rows and adds none, and says so.
//   --apercu   check and count only (what would be added and updated), write nothing
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.js';
import { createDb, migrateLatest } from '../src/db.js';
import { ImportFileError } from '../src/domain/import/rows.js';
import { importProfessionals } from '../src/professionals/import.js';

function usage(message: string): never {
  console.error(`${message}\nUsage : npm run import:professionnels FICHIER.csv [-- --apercu]`);
  process.exit(2);
}

let parsed: { values: { apercu: boolean }; positionals: string[] };
try {
  parsed = parseArgs({ options: { apercu: { type: 'boolean', default: false } }, allowPositionals: true });
} catch (err) {
  usage((err as Error).message);
}
const file = parsed.positionals[0];
if (!file || parsed.positionals.length > 1) usage('Indiquez un fichier CSV, et un seul.');

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) usage(`Configuration invalide — ${err.message}`);
  throw err;
}

const db = createDb(config.database);
try {
  await migrateLatest(db);
  const report = await importProfessionals(db, path.resolve(file), { preview: parsed.values.apercu, now: new Date().toISOString() });
  console.log(
    `${report.lines} ligne(s) lue(s) : ${report.added} professionnel(s) à ajouter, ${report.updated} à mettre à jour (même identifiant RPPS ou FINESS).`,
  );
  if (report.errors.length) {
    for (const e of report.errors) console.log(`  ligne ${e.lineNumber} : ${e.message}`);
    console.log(`${report.errors.length} erreur(s) : aucune ligne n'a été enregistrée. Corrigez le fichier puis relancez l'import.`);
    process.exitCode = 1;
  } else if (report.written) {
    console.log(
      `Import terminé : ${report.added} ajouté(s), ${report.updated} mis à jour.${report.added === 0 ? ' Aucun nouveau professionnel : le fichier était déjà chargé.' : ''}`,
    );
  } else console.log("Aperçu seulement (--apercu) : rien n'a été enregistré.");
} catch (err) {
  if (!(err instanceof ImportFileError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
} finally {
  await db.destroy();
}

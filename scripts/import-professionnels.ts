// npm run import:professionnels FILE [-- --apercu]
// Loads the health professionals directory from a CSV (columns: docs/domain.md#health-professionals-file)
// into the database of DATABASE_URL, by src/professionals/import.ts: every line checked, errors
// listed with their line numbers, nothing written unless every line is right. A second load of
// the same file updates the same rows and adds none, and says so.
//   --apercu   check and count only (what would be added and updated), write nothing
import path from 'node:path';
import { createDb, migrateLatest } from '../src/db.js';
import { ImportFileError } from '../src/domain/import/rows.js';
import { importProfessionals } from '../src/professionals/import.js';
import { configOrExit, parseArgsOrExit, type Usage, usage } from './cli.js';

const fail: Usage = usage('npm run import:professionnels FICHIER.csv [-- --apercu]');
const parsed = parseArgsOrExit({ options: { apercu: { type: 'boolean', default: false } }, allowPositionals: true }, fail);
const file = parsed.positionals[0];
if (!file || parsed.positionals.length > 1) fail('Indiquez un fichier CSV, et un seul.');
const config = configOrExit(fail);

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

// npm run restore -- ARCHIVE [--force] — checks the archive's SHA-256, then puts back the database
// and the upload folder of a backup (src/backup/archive.ts). Refuses a database or an upload folder
// that holds anything unless --force. Stop the portal first.
import { BackupError, restoreBackup } from '../src/backup/archive.js';
import { configOrExit, parseArgsOrExit, usage } from './cli.js';

const fail = usage('npm run restore -- ARCHIVE.tar.gz [--force]  (le portail arrêté)');
const { values, positionals } = parseArgsOrExit({ options: { force: { type: 'boolean', default: false } }, allowPositionals: true, strict: true }, fail);
if (positionals.length !== 1) fail('Indiquez une archive, et une seule (fichier portail-….tar.gz, son .sha256 à côté).');
const config = configOrExit(fail);
try {
  const result = await restoreBackup(config, positionals[0], { force: values.force });
  console.log(`Restauration terminée : sauvegarde du ${result.createdAt}, ${result.files} fichier(s) joint(s).`);
  console.log('Au démarrage, le portail appliquera les migrations plus récentes que la sauvegarde.');
} catch (err) {
  console.error(`Échec de la restauration : ${err instanceof BackupError ? err.message : String(err)}`);
  process.exitCode = 1;
}

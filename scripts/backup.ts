// npm run backup [-- --dossier DOSSIER] — one dated archive of the database and the upload folder,
// with its SHA-256 beside it (src/backup/archive.ts). DOSSIER: DATA_DIR/sauvegardes by default.
// The portal may keep running meanwhile.
import path from 'node:path';
import { BackupError, createBackup } from '../src/backup/archive.js';
import { configOrExit, parseArgsOrExit, usage } from './cli.js';

const fail = usage('npm run backup [-- --dossier DOSSIER]');
const { values } = parseArgsOrExit({ options: { dossier: { type: 'string' } }, strict: true }, fail);
const config = configOrExit(fail);
const directory = path.resolve(values.dossier ?? path.join(config.dataDir, 'sauvegardes'));
const started = Date.now();
try {
  const result = await createBackup(config, { directory });
  console.log(`Sauvegarde terminée en ${((Date.now() - started) / 1000).toFixed(1)} s :`);
  console.log(`  archive : ${result.archive} (${(result.bytes / 1024 / 1024).toFixed(1)} Mo, ${result.files} fichier(s) joint(s))`);
  console.log(`  contrôle : ${result.checksumFile} (SHA-256 ${result.sha256})`);
} catch (err) {
  console.error(`Échec de la sauvegarde : ${err instanceof BackupError ? err.message : String(err)}`);
  process.exitCode = 1;
}

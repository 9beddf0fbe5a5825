// npm run import:decomptes FICHIER [-- --apercu] [-- --compte EMAIL]
// Loads a décompte feed of the claims system (columns: docs/domain.md#the-décompte-feed) into the
// database of DATABASE_URL, by the same analysis and load as the Espace Gestion's « Décomptes »
// page (src/statement-feed/feed.ts): every line checked, errors listed with their line numbers,
// nothing loaded unless every line is right — then all of it in one transaction, and one email
// per member (« Un nouveau remboursement est disponible », no amount). Idempotent by décompte
// number: a file loaded twice adds nothing and says so. The feed appears in the page's history,
// under the staff account given by --compte (else the first superviseur).
//   --apercu   analyse and count only, load nothing
import crypto from 'node:crypto';
import path from 'node:path';
import { createDb, migrateLatest } from '../src/db.js';
import { allImportErrorLines, createImportJobWithSlots } from '../src/stores/import-jobs.js';
import { analyseFeed, feedNotifier, notifyFeedMembers, type FeedPreviewResult } from '../src/statement-feed/feed.js';
import { cancelFeed, feedAccount, findFeedJob, loadFeed } from '../src/statement-feed/queries.js';
import { configOrExit, parseArgsOrExit, type Usage, usage } from './cli.js';

const fail: Usage = usage('npm run import:decomptes FICHIER.csv [-- --apercu] [-- --compte EMAIL]');
const parsed = parseArgsOrExit({ options: { apercu: { type: 'boolean', default: false }, compte: { type: 'string' } }, allowPositionals: true }, fail);
const file = parsed.positionals[0];
if (!file || parsed.positionals.length > 1) fail('Indiquez un fichier CSV, et un seul.');
const config = configOrExit(fail);

const db = createDb(config.database);
const clock = () => new Date();
try {
  await migrateLatest(db);
  const account = await feedAccount(db, parsed.values.compte ?? null);
  if (!account) {
    console.error(
      parsed.values.compte
        ? `Aucun compte du personnel actif n'a l'adresse ${parsed.values.compte}.`
        : "Aucun compte du personnel actif : créez d'abord un superviseur (npm run staff:create -- --email …).",
    );
    process.exitCode = 1;
  } else {
    const started = Date.now();
    const reservation = await createImportJobWithSlots(db, account.id, path.basename(file), crypto.randomBytes(16).toString('hex'), clock(), 'statements');
    if (!reservation.ok) {
      console.error("Trop d'analyses de fichiers sont en cours : réessayez dans un instant.");
      process.exitCode = 1;
    } else {
      await analyseFeed({ db, clock }, reservation, path.resolve(file), { keepFile: true });
      const job = (await findFeedJob(db, reservation.jobId))!;
      const result = job.result ? (JSON.parse(job.result) as FeedPreviewResult & { message?: string }) : null;
      if (job.status === 'failed') {
        console.error(result?.message ?? 'Le fichier n’a pas pu être lu.');
        process.exitCode = 1;
      } else {
        console.log(
          `${job.total_lines} ligne(s) lue(s) en ${((Date.now() - started) / 1000).toFixed(1)} s : ${result?.statements ?? 0} décompte(s) à charger (${job.valid_count} ligne(s)), ${result?.existingStatements ?? 0} déjà chargé(s) (${job.existing_count} ligne(s)), ${job.error_count} ligne(s) en erreur.`,
        );
        if (job.error_count) {
          let shown = 0;
          for await (const line of allImportErrorLines(db, job.id)) {
            if (shown++ >= 100) break;
            for (const e of JSON.parse(line.errors) as { column: string | null; message: string }[]) {
              console.log(`  ligne ${line.line_number}${e.column ? ` (${e.column})` : ''} : ${e.message}`);
            }
          }
          if (job.error_count > 100) console.log(`  … et d'autres : le rapport complet est sur la page « Décomptes » de l'Espace Gestion (flux n° ${job.id}).`);
          console.log(`${job.error_count} ligne(s) en erreur : aucun décompte n'a été chargé. Corrigez le fichier puis relancez l'import.`);
          await cancelFeed(db, job.id, clock());
          process.exitCode = 1;
        } else if (parsed.values.apercu) {
          await cancelFeed(db, job.id, clock());
          console.log("Aperçu seulement (--apercu) : rien n'a été chargé.");
        } else if (job.valid_count === 0) {
          await cancelFeed(db, job.id, clock());
          console.log('Aucun nouveau décompte : ce fichier a déjà été chargé.');
        } else {
          const loaded = (await loadFeed(db, job.id, clock()))!;
          const sent = await notifyFeedMembers(feedNotifier(config, db), job.id);
          console.log(
            `Chargement terminé en ${((Date.now() - started) / 1000).toFixed(1)} s : ${loaded.statements} décompte(s), ${loaded.lines} ligne(s), ${loaded.members} adhérent(s) (${sent} avis envoyé(s) par e-mail).`,
          );
        }
      }
    }
  }
} finally {
  await db.destroy();
}

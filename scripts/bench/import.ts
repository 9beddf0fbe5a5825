// The establishments import end to end, as `npm run bench` measures it: a fresh SQLite database
// with a company of 20,000 establishments (none followed yet) and its HR administrator; for a
// 10,000 and a 20,000-line French-Excel CSV, the analysis into a preview (parse, check every
// pair against the records, write the preview lines) and the « Confirmer » transaction, each
// timed, with the resident set size sampled every 5 ms. Each size runs in its own child process
// (`--child N`) so that one run's memory does not weigh on the next.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppContext } from '../../src/context.js';
import { loadConfig } from '../../src/config.js';
import { createDb, migrateLatest } from '../../src/db.js';
import { createOutbox } from '../../src/stores/outbox.js';
import { fileStoreFor } from '../../src/storage/from-config.js';
import { generateSiren, generateSiret } from '../../src/domain/siret.js';
import { startAnalysis } from '../../src/entreprise/establishments/import.js';
import { confirmImport, findImportJob } from '../../src/entreprise/establishments/queries.js';
import { createImportJobWithSlots } from '../../src/stores/import-jobs.js';
import { runChild, runIfChild, sampleRss } from './child-process.js';
import { reportTarget } from './report.js';

const SIZES = [10_000, 20_000];
/** Issue 16, target 5: the preview of a 20,000-line file in under half a second. */
const PREVIEW_TARGET = { lines: 20_000, ms: 500 };
const MB = 1024 * 1024;

async function child(lines: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
  try {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, DATABASE_URL: `sqlite:${path.join(dir, 'bench.sqlite')}` });
    const db = createDb(config.database);
    await migrateLatest(db);
    const now = new Date();
    const iso = now.toISOString();
    const [companyId] = await db('companies').insert({
      name: 'Bench Import',
      siren: generateSiren('77000000'),
      insurer_company_number: 'BENCH1',
      address_line: '1 rue',
      postal_code: '75001',
      city: 'Paris',
      created_at: iso,
    });
    const establishments = Array.from({ length: lines }, (_, i) => {
      const siret = generateSiret(generateSiren(String(30_000_000 + i)));
      return {
        company_id: companyId,
        siret,
        name: `Site ${i}`,
        insurer_code: `C${String(i).padStart(7, '0')}`,
        address_line: '1 rue',
        postal_code: '75001',
        city: 'Paris',
        created_at: iso,
      };
    });
    for (let i = 0; i < establishments.length; i += 500) await db('establishments').insert(establishments.slice(i, i + 500));
    const [accountId] = await db('accounts').insert({
      kind: 'hr',
      email: 'bench.import@demo.example',
      status: 'active',
      first_name: 'Bench',
      last_name: 'Import',
      created_at: iso,
      updated_at: iso,
    });
    await db('hr_habilitations').insert({ account_id: accountId, company_id: companyId, role: 'admin', status: 'active', created_at: iso, updated_at: iso });
    const file = path.join(dir, 'etablissements.csv');
    fs.writeFileSync(file, '\uFEFFSIRET;Code identifiant\r\n' + establishments.map((e) => `${e.siret};${e.insurer_code}\r\n`).join(''));
    const size = fs.statSync(file).size;
    const ctx: AppContext = { config, db, clock: () => new Date(), outbox: createOutbox(config, db, () => new Date()), files: fileStoreFor(config) };

    const rss = sampleRss();
    const reservation = await createImportJobWithSlots(db, accountId, 'etablissements.csv', 'bench', new Date());
    if (!reservation.ok) throw new Error('no analysis slot');
    const { jobId } = reservation;
    const cpuBefore = process.cpuUsage();
    let started = performance.now();
    await startAnalysis(ctx, reservation, file, 'csv', accountId, [companyId]);
    const previewMs = performance.now() - started;
    const previewCpu = process.cpuUsage(cpuBefore);
    const previewCpuMs = (previewCpu.user + previewCpu.system) / 1000;
    const job = await findImportJob(db, accountId, jobId);
    if (job?.status !== 'preview' || job.valid_count !== lines) throw new Error(`preview: ${JSON.stringify(job)}`);
    started = performance.now();
    const added = await confirmImport(db, jobId, accountId, new Date());
    const importMs = performance.now() - started;
    const peak = rss.stop();
    if (added !== lines) throw new Error(`import added ${added}`);
    process.stdout.write(
      JSON.stringify({ lines, sizeMb: size / MB, previewMs, previewCpuMs, importMs, baselineMb: rss.baseline / MB, peakMb: peak / MB }) + '\n',
    );
    await db.destroy();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs each size in a child process and prints the figures. */
export function runImportBench(): void {
  console.log("\nImport d'établissements (fichier CSV « ; » de French Excel, aperçu puis confirmation, un processus par taille)\n");
  console.log(
    'lignes'.padStart(8),
    'taille'.padStart(9),
    'aperçu ms'.padStart(10),
    'aperçu CPU ms'.padStart(14),
    'import ms'.padStart(10),
    'RSS avant'.padStart(10),
    'RSS pic'.padStart(9),
    'hausse'.padStart(8),
  );
  for (const lines of SIZES) {
    const r = runChild<{
      lines: number;
      sizeMb: number;
      previewMs: number;
      previewCpuMs: number;
      importMs: number;
      baselineMb: number;
      peakMb: number;
    }>('scripts/bench/import.ts', lines);
    console.log(
      String(r.lines).padStart(8),
      `${r.sizeMb.toFixed(2)} Mo`.padStart(9),
      r.previewMs.toFixed(0).padStart(10),
      r.previewCpuMs.toFixed(0).padStart(14),
      r.importMs.toFixed(0).padStart(10),
      `${r.baselineMb.toFixed(0)} Mo`.padStart(10),
      `${r.peakMb.toFixed(0)} Mo`.padStart(9),
      `${(r.peakMb - r.baselineMb).toFixed(1)} Mo`.padStart(8),
    );
    if (r.lines === PREVIEW_TARGET.lines) {
      reportTarget(
        `Aperçu de l'import de ${r.lines} établissements`,
        `${r.previewMs.toFixed(0)} ms (CPU ${r.previewCpuMs.toFixed(0)} ms)`,
        `< ${PREVIEW_TARGET.ms} ms`,
        r.previewMs < PREVIEW_TARGET.ms,
      );
    }
  }
}

runIfChild(child);

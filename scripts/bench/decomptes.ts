// The décompte feed end to end, as `npm run bench -- --only decomptes` measures it: a fresh SQLite
// database of 100,000 members (each with one beneficiary, themselves) and a staff account; a
// generated feed of 500,000 lines (250,000 décomptes of two lines, UTF-8 with BOM, `;`, French
// amounts); the analysis into a preview, the load (staged by short transactions, applied by one) and
// the members' emails (through the outbox, which keeps them in its table here), each timed, with
// the resident set size sampled every 5 ms; during the load a light query is due every 50 ms and
// the longest it waited past its time is reported (what a page waits at worst on SQLite's one
// connection); and the CPU time
// the process used for the three (on a busy shared host, wall time and CPU time part). Each size runs in its own child process (`--child N`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { insertFeedMembers } from './feed-members.js';
import { loadConfig } from '../../src/config.js';
import { createDb, migrateLatest } from '../../src/db.js';
import { createImportJobWithSlots } from '../../src/stores/import-jobs.js';
import { FEED_COLUMNS } from '../../src/domain/statement-feed.js';
import { analyseFeed, feedNotifier, notifyFeedMembers } from '../../src/statement-feed/feed.js';
import { findFeedJob, loadFeed } from '../../src/statement-feed/queries.js';
import { runChild, runIfChild, sampleRss } from './child-process.js';

const SIZES = [500_000];
const MEMBERS = 100_000;
const MB = 1024 * 1024;

function euros(cents: number): string {
  return `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
}

/** Writes the feed by chunks (the generator holds no more than the file's writer buffer). */
function writeFeed(file: string, lines: number): void {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, `\uFEFF${FEED_COLUMNS.join(';')}\r\n`);
  let chunk = '';
  for (let i = 0; i < lines; i++) {
    const statement = Math.floor(i / 2);
    const member = statement % MEMBERS;
    const day = String(1 + (statement % 28)).padStart(2, '0');
    const fees = 2650 + (i % 7) * 100;
    chunk += [
      `D${String(statement).padStart(9, '0')}`,
      `${day}/11/2026`,
      `B${String(member).padStart(7, '0')}`,
      'Camille',
      '12/03/1985',
      `${day}/10/2026`,
      i % 2 ? 'pharmacie' : 'consultation_generaliste',
      i % 2 ? 'Pharmacie' : 'Consultation Médecine Générale',
      'Dr Martin',
      euros(fees),
      euros(2650),
      euros(1855),
      euros(fees - 1855 - 100),
      i % 2 ? 'professionnel' : 'assuré',
      `${day}/11/2026`,
    ].join(';');
    chunk += '\r\n';
    if (chunk.length > 1 << 20) {
      fs.writeSync(fd, chunk);
      chunk = '';
    }
  }
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
}

async function child(lines: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-decomptes-'));
  try {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, DATABASE_URL: `sqlite:${path.join(dir, 'bench.sqlite')}` });
    const db = createDb(config.database);
    await migrateLatest(db);
    const iso = new Date().toISOString();
    await insertFeedMembers(db, MEMBERS, {
      prefix: 'B',
      lastName: 'Bench',
      iso,
      address: { line1: '1 rue', postalCode: '75001' },
      email: (i) => `membre${i}@bench.example`,
    });
    const [{ id: accountId }] = await db('accounts')
      .insert({
        kind: 'staff',
        staff_role: 'gestionnaire',
        email: 'bench.feed@demo.example',
        status: 'active',
        first_name: 'Bench',
        last_name: 'Flux',
        created_at: iso,
        updated_at: iso,
      })
      .returning('id');
    const file = path.join(dir, 'decomptes.csv');
    writeFeed(file, lines);
    const size = fs.statSync(file).size;
    const env = { db, clock: () => new Date() };

    const rss = sampleRss();
    const reservation = await createImportJobWithSlots(db, accountId, 'decomptes.csv', 'bench', new Date(), 'statements');
    if (!reservation.ok) throw new Error('no analysis slot');
    const cpuBefore = process.cpuUsage();
    let started = performance.now();
    await analyseFeed(env, reservation, file, { keepFile: true });
    const previewMs = performance.now() - started;
    const job = await findFeedJob(db, reservation.jobId);
    if (job?.status !== 'preview' || job.valid_count !== lines) throw new Error(`preview: ${JSON.stringify(job)}`);
    started = performance.now();
    const loading = loadFeed(db, reservation.jobId, new Date());
    // A light query (what any page starts with) due every 50 ms while the load runs: the longest it
    // waited, counted from when it was due — better-sqlite3 is synchronous, so a statement running
    // holds the event loop too, and a query cannot even be sent meanwhile.
    let loadOver = false;
    let probes = 0;
    let longestWaitMs = 0;
    const probing = (async () => {
      while (!loadOver) {
        const due = performance.now() + 50;
        await new Promise((r) => setTimeout(r, 50));
        await db('import_jobs').where({ id: reservation.jobId }).first('status');
        longestWaitMs = Math.max(longestWaitMs, performance.now() - due);
        probes++;
      }
    })();
    const loaded = await loading.finally(() => {
      loadOver = true;
    });
    const loadMs = performance.now() - started;
    await probing;
    if (loaded?.lines !== lines) throw new Error(`load: ${JSON.stringify(loaded)}`);
    started = performance.now();
    const sent = await notifyFeedMembers(feedNotifier(config, db), reservation.jobId);
    const notifyMs = performance.now() - started;
    const peak = rss.stop();
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    process.stdout.write(
      `${JSON.stringify({ lines, sizeMb: size / MB, previewMs, loadMs, probes, longestWaitMs, notifyMs, cpuMs, sent, baselineMb: rss.baseline / MB, peakMb: peak / MB })}\n`,
    );
    await db.destroy();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs each size in a child process and prints the figures. */
export function runFeedBench(sizes: readonly number[] = SIZES): void {
  console.log(
    `\nFlux de décomptes (CSV UTF-8 « ; », ${MEMBERS.toLocaleString('fr-FR')} adhérents ; aperçu, chargement, avis par e-mail ; un processus par taille)\n`,
  );
  console.log(
    'lignes'.padStart(8),
    'taille'.padStart(9),
    'aperçu s'.padStart(9),
    'charg. s'.padStart(9),
    'attente max s'.padStart(14),
    'avis s'.padStart(7),
    'CPU s'.padStart(7),
    'e-mails'.padStart(8),
    'RSS avant'.padStart(10),
    'RSS pic'.padStart(9),
    'hausse'.padStart(8),
  );
  for (const lines of sizes) {
    const r = runChild<{
      lines: number;
      sizeMb: number;
      previewMs: number;
      loadMs: number;
      probes: number;
      longestWaitMs: number;
      notifyMs: number;
      cpuMs: number;
      sent: number;
      baselineMb: number;
      peakMb: number;
    }>('scripts/bench/decomptes.ts', lines);
    console.log(
      String(r.lines).padStart(8),
      `${r.sizeMb.toFixed(1)} Mo`.padStart(9),
      (r.previewMs / 1000).toFixed(1).padStart(9),
      (r.loadMs / 1000).toFixed(1).padStart(9),
      `${(r.longestWaitMs / 1000).toFixed(2)} (${r.probes})`.padStart(14),
      (r.notifyMs / 1000).toFixed(1).padStart(7),
      (r.cpuMs / 1000).toFixed(1).padStart(7),
      String(r.sent).padStart(8),
      `${r.baselineMb.toFixed(0)} Mo`.padStart(10),
      `${r.peakMb.toFixed(0)} Mo`.padStart(9),
      `${(r.peakMb - r.baselineMb).toFixed(1)} Mo`.padStart(8),
    );
  }
}

runIfChild(child);

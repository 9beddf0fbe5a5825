// How long the establishments import takes to read a file and how much memory it needs
// (not a test: figures to compare before and after a change).
//   npx tsx scripts/bench/import-parse.ts
// Writes 10 000 and 20 000-line CSV files (and a 20 000-row XLSX) in the system's temporary
// folder, streamed to disk so that the file itself is never in this process's memory, then parses
// each one three times, sampling the resident set size every 10 ms. Run it with
// `node --expose-gc --import tsx scripts/bench/import-parse.ts` for a baseline taken after a GC.
import fs from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parseEstablishmentFile } from '../../src/domain/establishment-import.js';
import { generateSiren, generateSiret } from '../../src/domain/siret.js';

const MB = 1024 * 1024;

function lineOf(i: number): [string, string] {
  return [generateSiret(generateSiren(String(30_000_000 + i))), `C${String(i).padStart(7, '0')}`];
}

/** `comment` adds a third column, to make a bigger file with as many lines. */
async function writeCsv(filePath: string, count: number, comment = ''): Promise<void> {
  const out = fs.createWriteStream(filePath);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(comment ? '\uFEFFSIRET;Code identifiant;Commentaire\r\n' : '\uFEFFSIRET;Code identifiant\r\n');
  const tail = comment ? `;${comment}\r\n` : '\r\n';
  for (let i = 0; i < count; i++) await write(lineOf(i).join(';') + tail);
  out.end();
  await once(out, 'finish');
}

async function writeXlsx(filePath: string, count: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: filePath, useSharedStrings: true });
  const sheet = workbook.addWorksheet('Établissements');
  sheet.addRow(['SIRET', 'Code identifiant']).commit();
  for (let i = 0; i < count; i++) sheet.addRow(lineOf(i)).commit();
  sheet.commit();
  await workbook.commit();
}

async function measure(filePath: string, kind: 'csv' | 'xlsx') {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const started = performance.now();
  let lines = 0;
  let errors = 0;
  for await (const line of parseEstablishmentFile(filePath, kind)) {
    lines++;
    if (line.errors.length > 0) errors++;
  }
  const elapsed = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { lines, errors, elapsed, baseline, peak };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-bench-'));
try {
  const cases: { name: string; kind: 'csv' | 'xlsx'; count: number; comment?: string }[] = [
    { name: 'csv-10000', kind: 'csv', count: 10_000 },
    { name: 'csv-20000', kind: 'csv', count: 20_000 },
    { name: 'csv-20000+', kind: 'csv', count: 20_000, comment: 'Commentaire '.repeat(24) },
    { name: 'xlsx-20000', kind: 'xlsx', count: 20_000 },
  ];
  for (const { name, kind, count, comment } of cases) {
    const filePath = path.join(dir, `${name}.${kind}`);
    if (kind === 'csv') await writeCsv(filePath, count, comment);
    else await writeXlsx(filePath, count);
  }
  console.log('file        run      size   lines  errors    elapsed  RSS before   RSS peak  peak − before');
  // The first run of each file pays for compiling the code; the next ones show the steady pace.
  for (const { name, kind } of cases) {
    const filePath = path.join(dir, `${name}.${kind}`);
    const size = fs.statSync(filePath).size;
    for (let run = 1; run <= 3; run++) {
      const r = await measure(filePath, kind);
      const cells = [
        name.padEnd(10),
        String(run).padStart(3),
        `${(size / MB).toFixed(2)} Mo`.padStart(9),
        String(r.lines).padStart(6),
        String(r.errors).padStart(7),
        `${r.elapsed.toFixed(0)} ms`.padStart(9),
        `${(r.baseline / MB).toFixed(1)} Mo`.padStart(11),
        `${(r.peak / MB).toFixed(1)} Mo`.padStart(9),
        `${((r.peak - r.baseline) / MB).toFixed(1)} Mo`.padStart(14),
      ];
      console.log(cells.join('  '));
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

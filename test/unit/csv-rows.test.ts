// The CSV reader of the imports (src/domain/import/csv-rows.ts): lines without quotes are split by
// the reader itself, the rest of the file from the first line with a quote by csv-parse. Rows,
// physical line numbers and errors must be the same whichever reads a line, across the 64 KB
// chunks the file is read in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readCsvRows } from '../../src/domain/import/csv-rows.js';
import { IMPORT_FILE_MESSAGES, ImportFileError, type RawRow } from '../../src/domain/import/rows.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-rows-'));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

let files = 0;
async function rowsOf(content: string | Buffer, separator: ';' | '\t' = ';'): Promise<RawRow[]> {
  const file = path.join(dir, `f${++files}.csv`);
  fs.writeFileSync(file, content);
  const rows: RawRow[] = [];
  for await (const row of readCsvRows(file, () => separator)) rows.push(row);
  return rows;
}

test('plain lines then a quoted cell over two lines: line numbers follow the file', async () => {
  const rows = await rowsOf('A;B\r\n 1 ; x \r\n\r\n;;\r\n2;"y\r\nz"\r\n3;w\n4;v\r5;u');
  assert.deepEqual(rows, [
    { lineNumber: 1, cells: ['A', 'B'] },
    { lineNumber: 2, cells: ['1', 'x'] },
    { lineNumber: 5, cells: ['2', 'y\r\nz'] },
    { lineNumber: 7, cells: ['3', 'w'] },
    { lineNumber: 8, cells: ['4', 'v'] },
    { lineNumber: 9, cells: ['5', 'u'] },
  ]);
});

test('tab separator: empty cells kept, no-break spaces and a stray BOM trimmed', async () => {
  const rows = await rowsOf('A\tB\tC\n\u00a01\t\t\ufeffx\u202f\n', '\t');
  assert.deepEqual(rows, [
    { lineNumber: 1, cells: ['A', 'B', 'C'] },
    { lineNumber: 2, cells: ['1', '', 'x'] },
  ]);
});

test('a CRLF cut between two chunks of the file is one line break', async () => {
  // The first chunk read is 64 KiB: 2,978 lines of 22 bytes after the header, then a line of 14
  // characters whose CR is the chunk's last byte and whose LF starts the next chunk.
  const header = 'A;B\r\n';
  const lines = Array.from({ length: 2978 }, (_, i) => `${String(i).padStart(10, '0')};${'c'.repeat(9)}\r\n`).join('');
  const last = `p;${'x'.repeat(12)}\r`;
  assert.equal(header.length + lines.length + last.length, 65_536);
  const rows = await rowsOf(`${header}${lines}${last}\n1;2\r\n3;4`);
  assert.deepEqual(
    rows.slice(-3).map((r) => [r.lineNumber, r.cells[0]]),
    [
      [2980, 'p'],
      [2981, '1'],
      [2982, '3'],
    ],
  );
  assert.equal(rows.length, 2982);
});

test('a quote left open after plain lines stops the file at the line where it opens', async () => {
  const plain = Array.from({ length: 5000 }, (_, i) => `${i};c${i}\r\n`).join('');
  const file = path.join(dir, 'open-quote.csv');
  fs.writeFileSync(file, `A;B\r\n${plain}9;"open\r\n10;x\r\n`);
  let count = 0;
  await assert.rejects(
    async () => {
      for await (const _ of readCsvRows(file, () => ';')) count++;
    },
    (err: unknown) => err instanceof ImportFileError && err.message === IMPORT_FILE_MESSAGES.unclosedQuote(5002),
  );
  assert.equal(count, 5001, 'the header and every plain line before the open quote');
});

test('a line longer than csv-parse allows is still refused, quote or not', async () => {
  await assert.rejects(
    rowsOf(`A;B\n1;${'y'.repeat(120_000)}\n`),
    (err: unknown) => err instanceof ImportFileError && err.message === IMPORT_FILE_MESSAGES.unclosedQuote(2),
  );
});

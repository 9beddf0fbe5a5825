// Builds establishment import files for tests: the small committed fixtures come from
// test/fixtures/imports/make-fixtures.ts, the big ones (20 000 lines and more, 6 Mo) are
// written at run time into a temporary folder with these same functions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { generateSiren, generateSiret } from '../../src/domain/siret.js';

export type CsvFileEncoding = 'utf-8' | 'windows-1252' | 'utf-16le';

export interface CsvFileOptions {
  encoding?: CsvFileEncoding;
  separator?: ';' | ',' | '\t';
  bom?: boolean;
  lineEnding?: '\r\n' | '\n';
  /** First line; null for a file without header. Default « SIRET » and « Code identifiant ». */
  header?: string[] | null;
}

export const ESTABLISHMENT_HEADER = ['SIRET', 'Code identifiant'];

/** `count` distinct valid SIRETs (one SIREN each), the same for the same `start`. */
export function validSirets(count: number, start = 0): string[] {
  const sirets: string[] = [];
  for (let i = 0; i < count; i++) sirets.push(generateSiret(generateSiren(String(20_000_000 + start + i))));
  return sirets;
}

/** `count` valid data lines: a distinct SIRET and a code identifiant. */
export function establishmentLines(count: number, start = 0): string[][] {
  return validSirets(count, start).map((siret, i) => [siret, `C${String(start + i).padStart(7, '0')}`]);
}

/** The same SIRET with its last digit changed: still 14 digits, Luhn broken. */
export function breakLuhn(siret: string): string {
  return siret.slice(0, 13) + String((Number(siret[13]) + 1) % 10);
}

function quoteCell(cell: string, separator: string): string {
  return /["\r\n]/.test(cell) || cell.includes(separator) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** The bytes of a CSV file as a spreadsheet would save it (quotes only where needed). */
export function establishmentCsvBytes(lines: readonly (readonly string[])[], options: CsvFileOptions = {}): Buffer {
  const { encoding = 'utf-8', separator = ';', lineEnding = '\r\n' } = options;
  const bom = options.bom ?? encoding !== 'windows-1252';
  const header = options.header === undefined ? ESTABLISHMENT_HEADER : options.header;
  const rows = header ? [header, ...lines] : lines;
  const text = rows.map((row) => row.map((cell) => quoteCell(cell, separator)).join(separator) + lineEnding).join('');
  if (encoding === 'windows-1252') return iconv.encode(text, 'win1252');
  const body = Buffer.from(text, encoding === 'utf-8' ? 'utf8' : 'utf16le');
  if (!bom) return body;
  return Buffer.concat([encoding === 'utf-8' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.from([0xff, 0xfe]), body]);
}

export function writeEstablishmentCsv(filePath: string, lines: readonly (readonly string[])[], options: CsvFileOptions = {}): string {
  fs.writeFileSync(filePath, establishmentCsvBytes(lines, options));
  return filePath;
}

export interface XlsxFileOptions {
  header?: string[] | null;
  /** Format the first two columns as text, as the template does. */
  textColumns?: boolean;
  /** Extra worksheets after the first one, by name. */
  otherSheets?: Record<string, unknown[][]>;
  /** A hidden worksheet put before the establishments (a person opening the file does not see it). */
  hiddenSheetBefore?: unknown[][];
}

/** An .xlsx file; null in a row leaves the cell empty, numbers are written as numbers. */
export async function writeEstablishmentXlsx(
  filePath: string,
  rows: readonly (readonly unknown[])[],
  options: XlsxFileOptions = {},
): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  if (options.hiddenSheetBefore) {
    const hidden = workbook.addWorksheet('Cachée', { state: 'hidden' });
    for (const row of options.hiddenSheetBefore) hidden.addRow(row as unknown[]);
  }
  const sheet = workbook.addWorksheet('Établissements');
  if (options.textColumns) {
    sheet.getColumn(1).numFmt = '@';
    sheet.getColumn(2).numFmt = '@';
  }
  const header = options.header === undefined ? ESTABLISHMENT_HEADER : options.header;
  if (header) sheet.addRow(header);
  // Rows are numbered here, not appended, so that an empty row leaves a gap as in Excel.
  let rowNumber = header ? 2 : 1;
  for (const row of rows) {
    const added = sheet.getRow(rowNumber++);
    row.forEach((value, i) => {
      if (value !== null) added.getCell(i + 1).value = value as ExcelJS.CellValue;
    });
  }
  for (const [name, otherRows] of Object.entries(options.otherSheets ?? {})) {
    const other = workbook.addWorksheet(name);
    for (const row of otherRows) other.addRow(row as unknown[]);
  }
  await workbook.xlsx.writeFile(filePath);
  return filePath;
}

/** A fresh temporary folder, removed by the returned function. */
export function temporaryFolder(prefix = 'import-test-'): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

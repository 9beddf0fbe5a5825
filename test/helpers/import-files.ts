// Builds establishment import files for tests: the small committed fixtures come from
// test/fixtures/imports/make-fixtures.ts, the big ones (20 000 lines and more, 6 Mo) are
// written at run time into a temporary folder with these same functions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
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
export async function writeEstablishmentXlsx(filePath: string, rows: readonly (readonly unknown[])[], options: XlsxFileOptions = {}): Promise<string> {
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

/** A part made of `body` written `times` times between `head` and `tail`: a zip bomb when large. */
export interface RepeatedText {
  head: string;
  body: string;
  times: number;
  tail: string;
}

/** A deflate block that does not end the stream: blocks made apart can follow one another. */
const openBlock = (data: Buffer) => zlib.deflateRawSync(data, { finishFlush: zlib.constants.Z_SYNC_FLUSH });

/**
 * Deflated bytes, CRC and size of a repeated text, without ever holding it inflated: the body is
 * compressed once (about 1 MB of it) and that block repeated.
 */
function packRepeated(part: RepeatedText): { packed: Buffer; crc: number; size: number } {
  const head = Buffer.from(part.head, 'utf8');
  const tail = Buffer.from(part.tail, 'utf8');
  const perBlock = Math.max(1, Math.floor((1024 * 1024) / Buffer.byteLength(part.body)));
  const chunk = Buffer.from(part.body.repeat(Math.min(perBlock, part.times)), 'utf8');
  const chunkBlock = openBlock(chunk);
  const fullBlocks = Math.floor(part.times / perBlock);
  const rest = Buffer.from(part.body.repeat(part.times % perBlock), 'utf8');
  const blocks: Buffer[] = [openBlock(head)];
  let crc = zlib.crc32(head);
  for (let i = 0; i < fullBlocks; i++) {
    blocks.push(chunkBlock);
    crc = zlib.crc32(chunk, crc);
  }
  blocks.push(openBlock(rest), zlib.deflateRawSync(tail));
  crc = zlib.crc32(tail, zlib.crc32(rest, crc));
  return { packed: Buffer.concat(blocks), crc, size: head.length + chunk.length * fullBlocks + rest.length + tail.length };
}

/**
 * A zip of the given text files (deflated, UTF-8 names), to build workbooks the way other
 * writers than exceljs lay them out, or hostile ones (RepeatedText parts).
 */
export function writeZip(filePath: string, files: Record<string, string | RepeatedText>): string {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : null;
    const { packed, crc, size } = data
      ? { packed: zlib.deflateRawSync(data), crc: zlib.crc32(data), size: data.length }
      : packRepeated(content as RepeatedText);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    local.copy(central, 6, 4, 30); // version needed … name length, as in the local header
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(0, 38); // external attributes
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  fs.writeFileSync(filePath, Buffer.concat([...locals, directory, end]));
  return filePath;
}

/** A fresh temporary folder, removed by the returned function. */
export function temporaryFolder(prefix = 'import-test-'): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export const SPREADSHEET_NS = {
  main: 'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
  packageRels: 'http://schemas.openxmlformats.org/package/2006/relationships',
  documentRels: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
} as const;

/** The smallest workbook around a sheet's XML (and a shared strings part), zipped by hand. */
export function writeRawWorkbook(filePath: string, sheet: string | RepeatedText, sharedStrings?: string | RepeatedText): string {
  const { main, packageRels, documentRels } = SPREADSHEET_NS;
  const sharedRel = sharedStrings ? `<Relationship Id="R2" Type="${documentRels}/sharedStrings" Target="sharedStrings.xml"/>` : '';
  return writeZip(filePath, {
    '[Content_Types].xml': '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    '_rels/.rels': `<Relationships xmlns="${packageRels}"><Relationship Id="rId1" Type="${documentRels}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<workbook xmlns="${main}" xmlns:r="${documentRels}"><sheets><sheet name="Établissements" sheetId="1" r:id="R1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<Relationships xmlns="${packageRels}"><Relationship Id="R1" Type="${documentRels}/worksheet" Target="worksheets/sheet1.xml"/>${sharedRel}</Relationships>`,
    ...(sharedStrings ? { 'xl/sharedStrings.xml': sharedStrings } : {}),
    'xl/worksheets/sheet1.xml': sheet,
  });
}

const SHEET_HEAD = `<worksheet xmlns="${SPREADSHEET_NS.main}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>SIRET</t></is></c><c r="B1" t="inlineStr"><is><t>Code identifiant</t></is></c></row>`;
const SHEET_TAIL = '</sheetData></worksheet>';

/**
 * Workbooks built to exhaust a reader, each a few hundred kilobytes to 3 MB of zip (under the
 * 5 Mo upload limit): the two files and a shared strings bomb.
 */
export const HOSTILE_WORKBOOKS: Record<string, (filePath: string) => string> = {
  /** One inline-string cell of 600 million characters: about 600 KB, 600 MB inflated. */
  'huge inline cell': (filePath) =>
    writeRawWorkbook(filePath, {
      head: `${SHEET_HEAD}<row r="2"><c r="A2" t="inlineStr"><is><t>`,
      body: 'A',
      times: 600_000_000,
      tail: `</t></is></c></row>${SHEET_TAIL}`,
    }),
  /** 1.5 GB of empty rows: about 2.9 MB. */
  'millions of empty rows': (filePath) => writeRawWorkbook(filePath, { head: SHEET_HEAD, body: '<row></row>', times: 136_000_000, tail: SHEET_TAIL }),
  /** One shared string of 600 million characters, used by the first data cell. */
  'shared strings bomb': (filePath) =>
    writeRawWorkbook(filePath, `${SHEET_HEAD}<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>0</v></c></row>${SHEET_TAIL}`, {
      head: `<sst xmlns="${SPREADSHEET_NS.main}"><si><t>`,
      body: 'A',
      times: 600_000_000,
      tail: '</t></si></sst>',
    }),
};

/** Rows for the sheet of writeRawWorkbook, after its header row: `<row>…</row>` strings. */
export function rawSheet(rows: string): string {
  return `${SHEET_HEAD}${rows}${SHEET_TAIL}`;
}

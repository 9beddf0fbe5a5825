// Rows of an uploaded CSV or XLSX file, read as a stream: each non-blank row comes out with its
// physical line number (the one a person sees in a text editor or in Excel's row headers) and
// its cells as trimmed text. What the columns mean is the business of each import.
import { once } from 'node:events';
import fs from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import { CsvError, parse as parseCsvStream } from 'csv-parse';
import { parse as parseCsvText } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { decodeText, NotTextError, type DecodedTextInfo } from './decode-text.js';

export type ImportFileKind = 'csv' | 'xlsx';
export type CsvSeparator = ';' | ',' | '\t';

export const CSV_SEPARATORS: readonly CsvSeparator[] = [';', '\t', ','];

export const IMPORT_FILE_MESSAGES = {
  notCsv: "Le fichier n'est pas un fichier CSV lisible.",
  notXlsx:
    "Le fichier n'est pas un classeur Excel (.xlsx) lisible. Enregistrez-le au format « Classeur Excel (.xlsx) » ou « CSV (séparateur : point-virgule) ».",
  unclosedQuote: (line: number) =>
    `Le fichier CSV est mal formé : un guillemet (") ouvert ligne ${line} n'est jamais refermé.`,
  malformedCsv: (line: number) =>
    `Le fichier CSV est mal formé ligne ${line} : vérifiez les guillemets (") et le séparateur.`,
} as const;

export type ImportFileErrorCode =
  | 'notCsv'
  | 'notXlsx'
  | 'malformedCsv'
  | 'noLines'
  | 'missingColumns'
  | 'duplicateColumn'
  | 'tooManyLines';

/**
 * A reason to refuse the whole file. `message` is French and meant for the person who sent
 * it; nothing else is reported about the file.
 */
export class ImportFileError extends Error {
  constructor(
    readonly code: ImportFileErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ImportFileError';
  }
}

export interface RawRow {
  /** 1-based physical line (CSV) or row number (XLSX) where the row starts. */
  lineNumber: number;
  /** Trimmed cell texts; trailing blank cells may be present. */
  cells: string[];
}

/** What the CSV reader found out about the file, filled in as it reads. */
export interface CsvFileInfo extends DecodedTextInfo {
  separator?: CsvSeparator;
}

/**
 * « Code identifiant », « CODE IDENTIFIANT », « code_identifiant » and « Côde  identifiant »
 * all become « code identifiant ».
 */
export function normalizeColumnLabel(label: string): string {
  return label
    .replace(/\uFEFF/g, '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s_\-.]+/g, ' ')
    .trim();
}

export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((cell) => cell === '');
}

/** Cells of one line of CSV text, for looking at a header before the real parse. */
export function splitCsvLine(line: string, separator: CsvSeparator): string[] {
  try {
    const [record] = parseCsvText(line, { delimiter: separator, relax_quotes: true, relax_column_count: true, trim: true }) as string[][];
    return (record ?? []).map((cell) => cell.trim());
  } catch {
    return line.split(separator).map((cell) => cell.replace(/^\s*"|"\s*$/g, '').trim());
  }
}

// A quoted field may hold line breaks: the line count follows the text, not the records.
function countLineBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) count++;
    else if (c === 13) {
      count++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  return count;
}

/** Destroys a file stream and waits for its descriptor to be closed. */
async function closeStream(stream: fs.ReadStream): Promise<void> {
  if (stream.closed) return;
  const closed = once(stream, 'close').catch(() => undefined);
  stream.destroy();
  await closed;
}

const LINE_BREAK = /\r\n|\n|\r/;
const HEADER_SCAN_LIMIT = 1_000_000;
// A record longer than this is a quote left open swallowing the file, not an establishment.
const MAX_RECORD_CHARS = 100_000;

/** The first line with something else than separators, quotes and spaces, once it is complete. */
function firstNonBlankLine(text: string, ended: boolean): string | null {
  const lines = text.split(LINE_BREAK);
  const complete = ended ? lines : lines.slice(0, -1);
  return complete.find((line) => /[^\s;,"]/.test(line)) ?? null;
}

/**
 * Streams the rows of a CSV file. The encoding is guessed by decodeText, the separator by
 * `chooseSeparator` from the first non-blank line (the header), so the caller decides which
 * separator makes sense of its expected columns.
 */
export async function* readCsvRows(
  filePath: string,
  chooseSeparator: (headerLine: string) => CsvSeparator,
  info: CsvFileInfo = {},
): AsyncGenerator<RawRow, void, undefined> {
  const input = fs.createReadStream(filePath);
  const text = decodeText(input, info);
  let nextLine = 1;
  let parser: ReturnType<typeof parseCsvStream> | null = null;
  try {
    // Look at the header before the parser starts, keeping what was read for the parser.
    let head = '';
    let headerLine: string | null = null;
    let ended = false;
    while (headerLine === null && !ended && head.length < HEADER_SCAN_LIMIT) {
      const next = await text.next();
      if (next.done) ended = true;
      else head += next.value;
      headerLine = firstNonBlankLine(head, ended);
    }
    info.separator = headerLine === null ? ';' : chooseSeparator(headerLine);

    parser = parseCsvStream({
      delimiter: info.separator,
      // Explicit, so that a file mixing line endings still splits on each of them.
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      trim: true,
      raw: true,
      max_record_size: MAX_RECORD_CHARS,
    });
    const source = Readable.from(
      (async function* () {
        if (head) yield head;
        yield* text;
      })(),
      { objectMode: false },
    );
    // Errors from the source (NotTextError) end the parser's iteration below with that error.
    pipeline(source, parser, () => {});

    for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      const lineNumber = nextLine;
      // `raw` ends with all or part of the record delimiter; only breaks inside the record count.
      nextLine += countLineBreaks(raw.replace(/[\r\n]+$/, '')) + 1;
      const cells = record.map((cell) => cell.trim());
      if (!isBlankRow(cells)) yield { lineNumber, cells };
    }
  } catch (error) {
    if (error instanceof NotTextError) {
      throw new ImportFileError('notCsv', IMPORT_FILE_MESSAGES.notCsv, { cause: error });
    }
    if (error instanceof CsvError) {
      const message =
        error.code === 'CSV_QUOTE_NOT_CLOSED' || error.code === 'CSV_MAX_RECORD_SIZE'
          ? IMPORT_FILE_MESSAGES.unclosedQuote(nextLine)
          : IMPORT_FILE_MESSAGES.malformedCsv(nextLine);
      throw new ImportFileError('malformedCsv', message, { cause: error });
    }
    throw error;
  } finally {
    // Stopping early (too many lines, a caller that breaks) must release the file.
    parser?.destroy();
    await closeStream(input);
  }
}

/** A number as Excel shows it in a text cell: 73282932000074, never 7.3282932000074e13. */
function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return Math.abs(value) < 1e21 ? value.toFixed(0) : BigInt(value).toString();
  return String(value);
}

/** The text of a cell as the streaming reader gives it (styles ignored, so dates are numbers). */
export function xlsxCellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'VRAI' : 'FAUX';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) {
      return value.richText.map((part: { text?: unknown }) => xlsxCellText(part.text)).join('');
    }
    if ('formula' in value || 'sharedFormula' in value) return xlsxCellText((value as { result?: unknown }).result);
    if ('text' in value) return xlsxCellText(value.text);
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

// The parts of exceljs' streaming reader that its type declarations leave out.
interface StreamedWorksheet extends AsyncIterable<ExcelJS.Row> {
  name?: string;
  iterator?: { destroy?: () => void };
}
interface StreamedWorkbook {
  model?: { sheets?: { name: string; state?: string }[] };
}

/** Releases a worksheet that will not be read (exceljs may have opened a temporary file for it). */
function skipWorksheet(sheet: StreamedWorksheet): void {
  if (typeof sheet.iterator?.destroy === 'function') sheet.iterator.destroy();
}

/**
 * Streams the rows of the first worksheet (the first visible tab) of an XLSX file. exceljs
 * reads the zip as it comes; only the shared strings table is kept in memory.
 */
export async function* readXlsxRows(filePath: string): AsyncGenerator<RawRow, void, undefined> {
  const input = fs.createReadStream(filePath);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  const worksheets = (reader as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  let readFirst = false;
  let reachedEnd = false;
  try {
    for (;;) {
      const next = await worksheets.next();
      if (next.done) break;
      const sheet = next.value as StreamedWorksheet;
      const tabs = (reader as unknown as StreamedWorkbook).model?.sheets ?? [];
      const firstTab = tabs.find((tab) => tab.state !== 'hidden' && tab.state !== 'veryHidden');
      if (readFirst || (firstTab && sheet.name && sheet.name !== firstTab.name)) {
        skipWorksheet(sheet);
        continue;
      }
      readFirst = true;
      let previous = 0;
      for await (const row of sheet) {
        // Excel always numbers its rows; a writer that does not gets consecutive numbers.
        const lineNumber = Number.isInteger(row.number) && row.number > previous ? row.number : previous + 1;
        previous = lineNumber;
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(xlsxCellText(values[i]).trim());
        if (!isBlankRow(cells)) yield { lineNumber, cells };
      }
    }
    reachedEnd = true;
  } catch (error) {
    // unzipper and the XML parser fail in many ways on a damaged or foreign file; to the
    // person who sent it they all mean the same thing.
    throw new ImportFileError('notXlsx', IMPORT_FILE_MESSAGES.notXlsx, { cause: error });
  } finally {
    if (!reachedEnd) await finishWorkbook(worksheets);
    await closeStream(input);
  }
  if (!readFirst) throw new ImportFileError('notXlsx', IMPORT_FILE_MESSAGES.notXlsx);
}

/**
 * exceljs copies the worksheets that come before the shared strings in the zip (Excel's order)
 * to temporary files, opened until it moves on to the next worksheet. A reader stopped early
 * (too many lines, a caller that breaks) would leave them behind until the process exits, so the
 * rest of the workbook is walked through without reading any sheet.
 */
async function finishWorkbook(worksheets: AsyncIterator<unknown>): Promise<void> {
  try {
    for (;;) {
      const next = await worksheets.next();
      if (next.done) return;
      skipWorksheet(next.value as StreamedWorksheet);
    }
  } catch {
    // A damaged file: whatever exceljs opened is removed at exit by its own clean-up.
  }
}

// Rows of a CSV file, read as a stream: the encoding is guessed by decodeText, the separator
// from the header line, the records split by csv-parse.
import fs from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import { CsvError, parse as parseCsvStream } from 'csv-parse';
import { parse as parseCsvText } from 'csv-parse/sync';
import { decodeText, NotTextError, type DecodedTextInfo } from './decode-text.js';
import { closeStream, IMPORT_FILE_MESSAGES, ImportFileError, isBlankRow, type RawRow } from './rows.js';

export type CsvSeparator = ';' | ',' | '\t';

export const CSV_SEPARATORS: readonly CsvSeparator[] = [';', '\t', ','];

/** What the CSV reader found out about the file, filled in as it reads. */
export interface CsvFileInfo extends DecodedTextInfo {
  separator?: CsvSeparator;
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

const LINE_BREAK = /\r\n|\n|\r/;
const HEADER_SCAN_LIMIT = 1_000_000;
// A record longer than this is a quote left open swallowing the file, not an establishment.
const MAX_RECORD_CHARS = 100_000;

// Plain: no quote, no lone surrogate (csv-parse reads text as UTF-8, which turns one into
// U+FFFD) and too short to reach MAX_RECORD_CHARS even at 3 UTF-8 bytes a character.
const PLAIN_LINE = /^[^"\uD800-\uDFFF]*$/;

function isPlainLine(line: string): boolean {
  return line.length * 3 <= MAX_RECORD_CHARS && PLAIN_LINE.test(line);
}

/** What csv-parse makes of a plain line: cells split on the separator, trimmed. */
function splitPlainLine(line: string, separator: CsvSeparator): string[] {
  return line.split(separator).map((cell) => cell.trim());
}

/** The index of the next CR or LF from `start`, or -1. */
function nextLineBreak(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return -1;
}

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

    // Lines with no quote are split here, which is what csv-parse makes of them (cells split on
    // the separator, then trimmed) at a fraction of its cost; from the first line that is not
    // plain, csv-parse reads the rest of the text, so quotes, line breaks in a cell and every
    // error are its own.
    const chunks = (async function* () {
      if (head) yield head;
      yield* text;
    })();
    let carry = '';
    let handOver: string | null = null;
    for (;;) {
      const next = await chunks.next();
      if (next.done) {
        if (carry !== '' && !isPlainLine(carry)) handOver = carry;
        else if (carry !== '') {
          const cells = splitPlainLine(carry, info.separator);
          if (!isBlankRow(cells)) yield { lineNumber: nextLine, cells };
          nextLine++;
        }
        break;
      }
      carry += next.value;
      let start = 0;
      for (;;) {
        const end = nextLineBreak(carry, start);
        // A CR ending the text read so far may be the first half of a CRLF.
        if (end < 0 || (end === carry.length - 1 && carry.charCodeAt(end) === 13)) break;
        const line = carry.slice(start, end);
        if (!isPlainLine(line)) {
          handOver = carry.slice(start);
          break;
        }
        const cells = splitPlainLine(line, info.separator);
        if (!isBlankRow(cells)) yield { lineNumber: nextLine, cells };
        nextLine++;
        start = end + (carry.charCodeAt(end) === 13 && carry.charCodeAt(end + 1) === 10 ? 2 : 1);
      }
      if (handOver !== null) break;
      carry = carry.slice(start);
      if (!isPlainLine(carry)) {
        handOver = carry;
        break;
      }
    }
    if (handOver === null) return;

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
    const rest = handOver;
    const source = Readable.from(
      (async function* () {
        yield rest;
        yield* chunks;
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

// Rows of the first worksheet of an .xlsx file, read as a stream.
//
// Not exceljs' stream.xlsx.WorkbookReader: it reads the zip in one pass with unzipper's Parse,
// whose entries are lost when the reader pauses between them (exceljs issues #2790 and #3064,
// still open): here a valid workbook was now and then read as having no worksheet. yauzl reads
// the zip's central directory and opens only the parts needed; saxes parses their XML as it
// comes. Only the shared strings table is held in memory, as with exceljs.
//
// A few hundred kilobytes of zip can inflate to gigabytes of XML. Whatever the file, the reader
// stops with « trop volumineux » as soon as one of these limits is passed (ReadLimits below):
// the bytes inflated from all the parts read, the physical rows of the sheet (blank ones too),
// the length of one cell, the text and the number of the cells once shared strings are
// resolved (one long shared string referenced everywhere); and, because saxes holds a whole
// text node, a tag's attributes and every open tag in memory (saxes 6: its text buffer and
// its tags stack), the characters between two « < » and the depth of the tree.
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import yauzl from 'yauzl';
import { IMPORT_FILE_MESSAGES, ImportFileError, isBlankRow, type RawRow } from './rows.js';

const MAX_ZIP_ENTRIES = 10_000;
// workbook.xml and relationship parts are read whole: they list sheets, not rows.
const MAX_SMALL_PART_BYTES = 10 * 1024 * 1024;
// The shared strings are kept in memory; a workbook above this is not an establishments list.
const MAX_SHARED_STRING_CHARS = 50_000_000;
// Excel's last column is XFD.
const MAX_COLUMNS = 16_384;
// All the XML inflated from one file. 20,000 lines of six columns saved by exceljs make 6 MB
// of sheet and shared strings: 32 MiB leaves room for wide sheets and stays a few seconds of work.
const MAX_XLSX_INFLATED_BYTES = 32 * 1024 * 1024;
// <row> elements of the sheet, blank or not: five times the longest import (20,000 lines).
export const MAX_XLSX_SHEET_ROWS = 100_000;
// Excel's own limit for the text of a cell.
export const MAX_XLSX_CELL_CHARS = 32_767;
// The text of all the cells read, shared strings resolved: no more than the XML could hold.
const MAX_SHEET_TEXT_CHARS = MAX_XLSX_INFLATED_BYTES;
// Cells of all the rows, the empty ones before a filled cell included (a lone cell in column
// XFD makes a row of 16,384): 20,000 lines of 200 columns.
const MAX_SHEET_CELLS = 4_000_000;
// A cell of MAX_XLSX_CELL_CHARS written as character references (« &#65535; ») and its tag.
const MAX_CHARS_BETWEEN_TAGS = 400_000;
// An .xlsx part nests a dozen elements at most.
const MAX_XML_DEPTH = 64;

function tooLarge(): ImportFileError {
  return new ImportFileError('xlsxTooLarge', IMPORT_FILE_MESSAGES.xlsxTooLarge);
}

/** What one file may cost; shared by every part read from it. */
class ReadLimits {
  private inflatedBytes = 0;
  private sheetTextChars = 0;
  private sheetCells = 0;

  /** Before opening a part: its declared size must fit (yauzl checks that it does not lie). */
  checkDeclared(entry: yauzl.Entry): void {
    if (this.inflatedBytes + entry.uncompressedSize > MAX_XLSX_INFLATED_BYTES) throw tooLarge();
  }

  /** Each chunk as it is inflated, before it is parsed. */
  addInflated(bytes: number): void {
    this.inflatedBytes += bytes;
    if (this.inflatedBytes > MAX_XLSX_INFLATED_BYTES) throw tooLarge();
  }

  addSheetText(chars: number): void {
    this.sheetTextChars += chars;
    if (this.sheetTextChars > MAX_SHEET_TEXT_CHARS) throw tooLarge();
  }

  addCells(count: number): void {
    this.sheetCells += count;
    if (this.sheetCells > MAX_SHEET_CELLS) throw tooLarge();
  }
}

/** The characters since the last « < », across chunks; and the depth of open elements. */
class MarkupGuard {
  private sinceOpen = 0;
  depth = 0;

  check(text: string): void {
    const first = text.indexOf('<');
    if (first === -1) {
      this.sinceOpen += text.length;
    } else {
      // Within the chunk, two « < » are at most text.length apart: only a longer chunk needs a scan.
      if (this.sinceOpen + first > MAX_CHARS_BETWEEN_TAGS) throw tooLarge();
      if (text.length > MAX_CHARS_BETWEEN_TAGS) {
        for (let at = first, next = text.indexOf('<', at + 1); next !== -1; at = next, next = text.indexOf('<', at + 1)) {
          if (next - at > MAX_CHARS_BETWEEN_TAGS) throw tooLarge();
        }
      }
      this.sinceOpen = text.length - text.lastIndexOf('<');
    }
    if (this.sinceOpen > MAX_CHARS_BETWEEN_TAGS) throw tooLarge();
  }
}

/** Appends text to a cell or a shared string, refusing a cell longer than Excel allows. */
function appendCellText(current: string, text: string): string {
  if (current.length + text.length > MAX_XLSX_CELL_CHARS) throw tooLarge();
  return current + text;
}

interface Zip {
  file: yauzl.ZipFile;
  /** By part name in lowercase: OOXML part names are case-insensitive. */
  entries: Map<string, yauzl.Entry>;
  /** Streams opened on parts: yauzl closes the file only once they are all done. */
  streams: Set<Readable>;
}

function openZip(filePath: string): Promise<Zip> {
  return new Promise((resolve, reject) => {
    yauzl.open(filePath, { lazyEntries: true, autoClose: false, strictFileNames: false }, (error, file) => {
      if (error || !file) return reject(error ?? new Error('zip not opened'));
      if (file.entryCount > MAX_ZIP_ENTRIES) {
        file.close();
        return reject(new Error(`${file.entryCount} zip entries`));
      }
      const entries = new Map<string, yauzl.Entry>();
      file.on('entry', (entry: yauzl.Entry) => {
        entries.set(entry.fileName.replace(/^\/+/, '').toLowerCase(), entry);
        file.readEntry();
      });
      file.once('end', () => resolve({ file, entries, streams: new Set() }));
      file.once('error', (cause) => {
        file.close();
        reject(cause);
      });
      file.readEntry();
    });
  });
}

function openPart(zip: Zip, partName: string, limits: ReadLimits): Promise<Readable> {
  const entry = zip.entries.get(partName.toLowerCase());
  if (!entry) return Promise.reject(new Error(`no ${partName} in the zip`));
  limits.checkDeclared(entry);
  return new Promise((resolve, reject) => {
    zip.file.openReadStream(entry, (error, stream) => {
      if (error || !stream) return reject(error);
      zip.streams.add(stream);
      resolve(stream);
    });
  });
}

/** Closes the zip and waits for its file descriptor to be released. */
function closeZip(zip: Zip): Promise<void> {
  return new Promise((resolve) => {
    zip.file.once('close', resolve);
    zip.file.once('error', () => resolve());
    for (const stream of zip.streams) stream.destroy();
    zip.file.close();
  });
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

function attribute(tag: SaxesTagPlain, name: string): string | undefined {
  const attributes = tag.attributes as Record<string, string>;
  if (attributes[name] !== undefined) return attributes[name];
  // r:id may come with another prefix bound to the same namespace.
  for (const [key, value] of Object.entries(attributes)) if (localName(key) === name && key.includes(':')) return value;
  return undefined;
}

/** What a part reader listens to; text and CDATA sections both come to `text`. */
interface XmlHandlers {
  opentag?(tag: SaxesTagPlain): void;
  closetag?(tag: SaxesTagPlain): void;
  text?(text: string): void;
}

/**
 * Parses an XML part as it is inflated. `setup` receives `emit` for what the reader finds and
 * returns its handlers (saxes keeps one handler per event: the depth guard wraps them); what was
 * emitted is yielded after each chunk. Each chunk is counted before it is parsed, and the stream
 * destroyed (inflating stops) once a limit is passed.
 */
async function* parseXmlPart<T>(stream: Readable, limits: ReadLimits, setup: (emit: (item: T) => void) => XmlHandlers): AsyncGenerator<T, void, undefined> {
  const parser = new SaxesParser();
  const markup = new MarkupGuard();
  let found: T[] = [];
  const handlers = setup((item) => found.push(item));
  parser.on('opentag', (tag) => {
    if (++markup.depth > MAX_XML_DEPTH) throw tooLarge();
    handlers.opentag?.(tag);
  });
  parser.on('closetag', (tag) => {
    markup.depth--;
    handlers.closetag?.(tag);
  });
  if (handlers.text) {
    parser.on('text', handlers.text);
    parser.on('cdata', handlers.text);
  }
  const decoder = new StringDecoder('utf8');
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      limits.addInflated(chunk.length);
      let text = decoder.write(chunk);
      if (first) {
        text = text.replace(/^\uFEFF/, '');
        first = false;
      }
      markup.check(text);
      parser.write(text);
      if (found.length > 0) {
        const ready = found;
        found = [];
        yield* ready;
      }
    }
    parser.write(decoder.end());
    parser.close();
    yield* found;
  } finally {
    stream.destroy();
  }
}

async function readSmallPart<T>(zip: Zip, partName: string, limits: ReadLimits, setup: (emit: (item: T) => void) => XmlHandlers): Promise<T[]> {
  const entry = zip.entries.get(partName.toLowerCase());
  if (entry && entry.uncompressedSize > MAX_SMALL_PART_BYTES) throw tooLarge();
  const items: T[] = [];
  for await (const item of parseXmlPart(await openPart(zip, partName, limits), limits, setup)) items.push(item);
  return items;
}

interface Relationship {
  id: string;
  type: string;
  target: string;
}

/** The relationships of a part (`xl/workbook.xml` → `xl/_rels/workbook.xml.rels`), targets resolved. */
async function readRelationships(zip: Zip, partName: string, limits: ReadLimits): Promise<Relationship[]> {
  const relsName = path.posix.join(path.posix.dirname(partName), '_rels', `${path.posix.basename(partName)}.rels`);
  if (!zip.entries.has(relsName.toLowerCase())) return [];
  const relationships = await readSmallPart<Relationship>(zip, relsName, limits, (emit) => ({
    opentag(tag) {
      if (localName(tag.name) !== 'Relationship' || attribute(tag, 'TargetMode') === 'External') return;
      emit({ id: attribute(tag, 'Id') ?? '', type: attribute(tag, 'Type') ?? '', target: attribute(tag, 'Target') ?? '' });
    },
  }));
  const base = path.posix.dirname(partName);
  return relationships.map((rel) => ({
    ...rel,
    target: rel.target.startsWith('/') ? rel.target.slice(1) : path.posix.normalize(path.posix.join(base, rel.target)),
  }));
}

interface SheetLocation {
  sheetPart: string;
  sharedStringsPart: string | null;
}

/** The first visible worksheet in tab order, and the shared strings part if any. */
async function locateFirstSheet(zip: Zip, limits: ReadLimits): Promise<SheetLocation> {
  const packageRels = await readRelationships(zip, '', limits);
  const workbookPart = packageRels.find((rel) => rel.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml';
  const workbookRels = await readRelationships(zip, workbookPart, limits);
  const sheets = await readSmallPart<{ relId: string; hidden: boolean }>(zip, workbookPart, limits, (emit) => ({
    opentag(tag) {
      if (localName(tag.name) !== 'sheet') return;
      const state = attribute(tag, 'state');
      emit({ relId: attribute(tag, 'id') ?? '', hidden: state === 'hidden' || state === 'veryHidden' });
    },
  }));
  const worksheetOf = (relId: string) => workbookRels.find((rel) => rel.id === relId && rel.type.endsWith('/worksheet'));
  const first = sheets.find((sheet) => !sheet.hidden && worksheetOf(sheet.relId)) ?? sheets.find((sheet) => worksheetOf(sheet.relId));
  if (!first) throw new Error('no worksheet');
  return {
    sheetPart: worksheetOf(first.relId)!.target,
    sharedStringsPart: workbookRels.find((rel) => rel.type.endsWith('/sharedStrings'))?.target ?? null,
  };
}

/** The shared strings table: each <si>'s text runs joined, phonetic guides (<rPh>) left out. */
async function readSharedStrings(zip: Zip, partName: string, limits: ReadLimits): Promise<string[]> {
  const strings: string[] = [];
  let total = 0;
  const stream = await openPart(zip, partName, limits);
  const items = parseXmlPart<string>(stream, limits, (emit) => {
    let current: string | null = null;
    let inText = false;
    let phonetic = 0;
    return {
      opentag(tag) {
        const name = localName(tag.name);
        if (name === 'si') current = '';
        else if (name === 'rPh') phonetic++;
        else if (name === 't' && phonetic === 0) inText = true;
      },
      closetag(tag) {
        const name = localName(tag.name);
        if (name === 't') inText = false;
        else if (name === 'rPh') phonetic--;
        else if (name === 'si' && current !== null) {
          emit(current);
          current = null;
        }
      },
      text(text) {
        if (inText && current !== null) current = appendCellText(current, text);
      },
    };
  });
  for await (const text of items) {
    total += text.length;
    if (total > MAX_SHARED_STRING_CHARS) throw new ImportFileError('xlsxTooLarge', IMPORT_FILE_MESSAGES.xlsxTooLarge);
    strings.push(text);
  }
  return strings;
}

/** « B12 » → 2; 0 when the reference has no column letters. */
function columnOf(reference: string): number {
  let column = 0;
  for (const c of reference) {
    const code = c.charCodeAt(0);
    if (code < 65 || code > 90) break;
    column = column * 26 + (code - 64);
  }
  return column;
}

/** A number as Excel shows it in a General cell: 73282932000074, never 7.3282932000074E+13. */
export function xlsxNumberText(stored: string): string {
  if (/^-?[0-9]+$/.test(stored)) return stored;
  const value = Number(stored);
  if (!Number.isFinite(value)) return stored;
  if (Number.isInteger(value)) return Math.abs(value) < 1e21 ? value.toFixed(0) : BigInt(value).toString();
  return String(value);
}

/** The text of a cell from its type attribute, its <v> and its inline string. */
export function xlsxCellText(type: string, value: string, inline: string, sharedStrings: readonly string[]): string {
  switch (type) {
    case 's':
      return sharedStrings[Number(value)] ?? '';
    case 'inlineStr':
      return inline;
    case 'str': // a formula's text result
    case 'e': // an error such as #N/A
    case 'd': // an ISO 8601 date
      return value;
    case 'b':
      return value === '1' ? 'VRAI' : value === '0' ? 'FAUX' : value;
    default:
      return value === '' ? '' : xlsxNumberText(value);
  }
}

interface SheetRow {
  number: number;
  cells: string[];
}

async function* readSheetRows(zip: Zip, partName: string, sharedStrings: readonly string[], limits: ReadLimits): AsyncGenerator<SheetRow> {
  const stream = await openPart(zip, partName, limits);
  yield* parseXmlPart<SheetRow>(stream, limits, (emit) => {
    let inSheetData = false;
    let row: SheetRow | null = null;
    let previousRow = 0;
    let physicalRows = 0;
    let nextColumn = 1;
    let cell: { column: number; type: string; value: string; inline: string } | null = null;
    let capture: 'value' | 'inline' | null = null;
    let inInline = false;
    let phonetic = 0;
    return {
      opentag(tag) {
        switch (localName(tag.name)) {
          case 'sheetData':
            inSheetData = true;
            break;
          case 'row': {
            if (!inSheetData) break;
            if (++physicalRows > MAX_XLSX_SHEET_ROWS) throw tooLarge();
            // Excel always numbers its rows; a writer that does not gets consecutive numbers.
            const r = Number(attribute(tag, 'r'));
            row = { number: Number.isInteger(r) && r > previousRow ? r : previousRow + 1, cells: [] };
            nextColumn = 1;
            break;
          }
          case 'c': {
            if (!row) break;
            const column = columnOf(attribute(tag, 'r') ?? '') || nextColumn;
            cell = { column, type: attribute(tag, 't') ?? 'n', value: '', inline: '' };
            nextColumn = column + 1;
            break;
          }
          case 'v':
            if (cell) capture = 'value';
            break;
          case 'is':
            inInline = true;
            break;
          case 'rPh':
            phonetic++;
            break;
          case 't':
            if (cell && inInline && phonetic === 0) capture = 'inline';
            break;
        }
      },
      closetag(tag) {
        switch (localName(tag.name)) {
          case 'v':
          case 't':
            capture = null;
            break;
          case 'is':
            inInline = false;
            break;
          case 'rPh':
            phonetic--;
            break;
          case 'c':
            if (row && cell && cell.column <= MAX_COLUMNS) {
              // Empty cells before this one are filled in: they count as cells of the sheet.
              if (cell.column > row.cells.length) limits.addCells(cell.column - row.cells.length);
              while (row.cells.length < cell.column - 1) row.cells.push('');
              const text = xlsxCellText(cell.type, cell.value, cell.inline, sharedStrings);
              limits.addSheetText(text.length);
              row.cells[cell.column - 1] = text;
            }
            cell = null;
            break;
          case 'row':
            if (row) {
              // A row without cells is blank: not worth a trip through the generators.
              if (row.cells.length > 0) emit(row);
              previousRow = row.number;
            }
            row = null;
            break;
          case 'sheetData':
            inSheetData = false;
            break;
        }
      },
      text(text) {
        if (!cell) return;
        if (capture === 'value') cell.value = appendCellText(cell.value, text);
        else if (capture === 'inline') cell.inline = appendCellText(cell.inline, text);
      },
    };
  });
}

/** Streams the non-blank rows of the first visible worksheet of an .xlsx file. */
export async function* readXlsxRows(filePath: string): AsyncGenerator<RawRow, void, undefined> {
  let zip: Zip | null = null;
  try {
    zip = await openZip(filePath);
    const limits = new ReadLimits();
    const { sheetPart, sharedStringsPart } = await locateFirstSheet(zip, limits);
    const sharedStrings = sharedStringsPart && zip.entries.has(sharedStringsPart.toLowerCase()) ? await readSharedStrings(zip, sharedStringsPart, limits) : [];
    for await (const row of readSheetRows(zip, sheetPart, sharedStrings, limits)) {
      const cells = row.cells.map((cell) => cell.trim());
      if (!isBlankRow(cells)) yield { lineNumber: row.number, cells };
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    // yauzl and saxes fail in many ways on a damaged or foreign file; to the person who sent
    // it they all mean the same thing.
    throw new ImportFileError('notXlsx', IMPORT_FILE_MESSAGES.notXlsx, { cause: error });
  } finally {
    if (zip) await closeZip(zip);
  }
}

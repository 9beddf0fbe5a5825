// Rows of the first worksheet of an .xlsx file, read as a stream.
//
// Not exceljs' stream.xlsx.WorkbookReader: it reads the zip in one pass with unzipper's Parse,
// whose entries are lost when the reader pauses between them (exceljs issues #2790 and #3064,
// still open): here a valid workbook was now and then read as having no worksheet. yauzl reads
// the zip's central directory and opens only the parts needed; saxes parses their XML as it
// comes. Only the shared strings table is held in memory, as with exceljs.
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

function openPart(zip: Zip, partName: string): Promise<Readable> {
  const entry = zip.entries.get(partName.toLowerCase());
  if (!entry) return Promise.reject(new Error(`no ${partName} in the zip`));
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

/**
 * Parses an XML part as it is inflated. `setup` wires the parser's events and receives `emit`
 * for what it finds; what was emitted is yielded after each chunk.
 */
async function* parseXmlPart<T>(
  stream: Readable,
  setup: (parser: SaxesParser, emit: (item: T) => void) => void,
): AsyncGenerator<T, void, undefined> {
  const parser = new SaxesParser();
  let found: T[] = [];
  setup(parser, (item) => found.push(item));
  const decoder = new StringDecoder('utf8');
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let text = decoder.write(chunk);
      if (first) {
        text = text.replace(/^\uFEFF/, '');
        first = false;
      }
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

async function readSmallPart<T>(zip: Zip, partName: string, setup: (parser: SaxesParser, emit: (item: T) => void) => void): Promise<T[]> {
  const entry = zip.entries.get(partName.toLowerCase());
  if (entry && entry.uncompressedSize > MAX_SMALL_PART_BYTES) throw new Error(`${partName} is too big`);
  const items: T[] = [];
  for await (const item of parseXmlPart(await openPart(zip, partName), setup)) items.push(item);
  return items;
}

interface Relationship {
  id: string;
  type: string;
  target: string;
}

/** The relationships of a part (`xl/workbook.xml` → `xl/_rels/workbook.xml.rels`), targets resolved. */
async function readRelationships(zip: Zip, partName: string): Promise<Relationship[]> {
  const relsName = path.posix.join(path.posix.dirname(partName), '_rels', `${path.posix.basename(partName)}.rels`);
  if (!zip.entries.has(relsName.toLowerCase())) return [];
  const relationships = await readSmallPart<Relationship>(zip, relsName, (parser, emit) => {
    parser.on('opentag', (tag) => {
      if (localName(tag.name) !== 'Relationship' || attribute(tag, 'TargetMode') === 'External') return;
      emit({ id: attribute(tag, 'Id') ?? '', type: attribute(tag, 'Type') ?? '', target: attribute(tag, 'Target') ?? '' });
    });
  });
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
async function locateFirstSheet(zip: Zip): Promise<SheetLocation> {
  const packageRels = await readRelationships(zip, '');
  const workbookPart = packageRels.find((rel) => rel.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml';
  const workbookRels = await readRelationships(zip, workbookPart);
  const sheets = await readSmallPart<{ relId: string; hidden: boolean }>(zip, workbookPart, (parser, emit) => {
    parser.on('opentag', (tag) => {
      if (localName(tag.name) !== 'sheet') return;
      const state = attribute(tag, 'state');
      emit({ relId: attribute(tag, 'id') ?? '', hidden: state === 'hidden' || state === 'veryHidden' });
    });
  });
  const worksheetOf = (relId: string) => workbookRels.find((rel) => rel.id === relId && rel.type.endsWith('/worksheet'));
  const first = sheets.find((sheet) => !sheet.hidden && worksheetOf(sheet.relId)) ?? sheets.find((sheet) => worksheetOf(sheet.relId));
  if (!first) throw new Error('no worksheet');
  return {
    sheetPart: worksheetOf(first.relId)!.target,
    sharedStringsPart: workbookRels.find((rel) => rel.type.endsWith('/sharedStrings'))?.target ?? null,
  };
}

/** The shared strings table: each <si>'s text runs joined, phonetic guides (<rPh>) left out. */
async function readSharedStrings(zip: Zip, partName: string): Promise<string[]> {
  const strings: string[] = [];
  let total = 0;
  const stream = await openPart(zip, partName);
  const items = parseXmlPart<string>(stream, (parser, emit) => {
    let current: string | null = null;
    let inText = false;
    let phonetic = 0;
    const onText = (text: string) => {
      if (inText && current !== null) current += text;
    };
    parser.on('opentag', (tag) => {
      const name = localName(tag.name);
      if (name === 'si') current = '';
      else if (name === 'rPh') phonetic++;
      else if (name === 't' && phonetic === 0) inText = true;
    });
    parser.on('closetag', (tag) => {
      const name = localName(tag.name);
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si' && current !== null) {
        emit(current);
        current = null;
      }
    });
    parser.on('text', onText);
    parser.on('cdata', onText);
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

async function* readSheetRows(zip: Zip, partName: string, sharedStrings: readonly string[]): AsyncGenerator<SheetRow> {
  const stream = await openPart(zip, partName);
  yield* parseXmlPart<SheetRow>(stream, (parser, emit) => {
    let inSheetData = false;
    let row: SheetRow | null = null;
    let previousRow = 0;
    let nextColumn = 1;
    let cell: { column: number; type: string; value: string; inline: string } | null = null;
    let capture: 'value' | 'inline' | null = null;
    let inInline = false;
    let phonetic = 0;
    const onText = (text: string) => {
      if (!cell) return;
      if (capture === 'value') cell.value += text;
      else if (capture === 'inline') cell.inline += text;
    };
    parser.on('opentag', (tag) => {
      switch (localName(tag.name)) {
        case 'sheetData':
          inSheetData = true;
          break;
        case 'row': {
          if (!inSheetData) break;
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
    });
    parser.on('closetag', (tag) => {
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
            while (row.cells.length < cell.column - 1) row.cells.push('');
            row.cells[cell.column - 1] = xlsxCellText(cell.type, cell.value, cell.inline, sharedStrings);
          }
          cell = null;
          break;
        case 'row':
          if (row) {
            emit(row);
            previousRow = row.number;
          }
          row = null;
          break;
        case 'sheetData':
          inSheetData = false;
          break;
      }
    });
    parser.on('text', onText);
    parser.on('cdata', onText);
  });
}

/** Streams the non-blank rows of the first visible worksheet of an .xlsx file. */
export async function* readXlsxRows(filePath: string): AsyncGenerator<RawRow, void, undefined> {
  let zip: Zip | null = null;
  try {
    zip = await openZip(filePath);
    const { sheetPart, sharedStringsPart } = await locateFirstSheet(zip);
    const sharedStrings = sharedStringsPart && zip.entries.has(sharedStringsPart.toLowerCase()) ? await readSharedStrings(zip, sharedStringsPart) : [];
    for await (const row of readSheetRows(zip, sheetPart, sharedStrings)) {
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

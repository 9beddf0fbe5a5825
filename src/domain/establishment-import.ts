// « Ajouter plusieurs établissements (fichier) » (docs/domain.md#establishment-file-imports): the templates to download, the
// line-by-line check of a filled-in file, and the error report. No database here: whether a
// (SIRET, code identifiant) pair exists at the insurer, or is already in the perimeter, is for
// the caller to check in batches on the lines this module yields.
//
// File errors are thrown as ImportFileError (French `message`, a `code` for tests and logs);
// line errors travel with each line. Lines are yielded as they are read, so a caller that meets
// an ImportFileError after some lines (too many lines) must drop what it kept of them.
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { generateSiren, generateSiret, normalizeSiret, SIRET_MESSAGES, validateSiret } from './siret.js';
import { formatInteger } from './text.js';
import { markUnsafeCharacters } from './unsafe-text.js';
import { CSV_SEPARATORS, readCsvRows, splitCsvLine, type CsvFileInfo, type CsvSeparator } from './import/csv-rows.js';
import { lineErrorReportStream } from './import/error-report.js';
import { ImportFileError, normalizeColumnLabel, type ImportFileKind, type RawRow } from './import/rows.js';
import { readXlsxRows } from './import/xlsx-rows.js';

export { ImportFileError, IMPORT_FILE_MESSAGES, type ImportFileErrorCode, type ImportFileKind } from './import/rows.js';

export const ESTABLISHMENT_IMPORT_MAX_LINES = 20_000;
const ESTABLISHMENT_CODE_MAX_LENGTH = 20;

export type EstablishmentColumn = 'SIRET' | 'Code identifiant';
const SIRET_COLUMN: EstablishmentColumn = 'SIRET';
const CODE_COLUMN: EstablishmentColumn = 'Code identifiant';
const ESTABLISHMENT_COLUMNS: readonly EstablishmentColumn[] = [SIRET_COLUMN, CODE_COLUMN];

const TEMPLATE_ADVICE = 'Téléchargez le modèle pour retrouver les colonnes attendues.';

export const ESTABLISHMENT_IMPORT_MESSAGES = {
  noLines: "Le fichier ne contient aucune ligne d'établissement.",
  missingColumn: (column: EstablishmentColumn) => `La colonne « ${column} » est introuvable dans la première ligne du fichier. ${TEMPLATE_ADVICE}`,
  missingColumns: `Les colonnes « SIRET » et « Code identifiant » sont introuvables dans la première ligne du fichier. ${TEMPLATE_ADVICE}`,
  headerIsData: `La première ligne du fichier doit contenir les intitulés des colonnes « SIRET » et « Code identifiant ». ${TEMPLATE_ADVICE}`,
  duplicateColumn: (column: EstablishmentColumn) => `La colonne « ${column} » figure deux fois dans la première ligne du fichier : gardez-en une seule.`,
  tooManyLines: (max: number) => `Le fichier contient plus de ${formatInteger(max)} lignes : découpez-le en plusieurs fichiers.`,
  codeRequired: 'Le code identifiant est obligatoire.',
  codeTooLong: (max: number) => `Le code identifiant doit comporter au plus ${max} caractères.`,
  tooManyColumns: (found: number, expected: number) => `La ligne contient ${found} colonnes au lieu de ${expected}.`,
  duplicateSiret: (firstLine: number) => `SIRET en double dans le fichier (déjà présent ligne ${firstLine}).`,
  unsafeCharacter:
    'La cellule contient un caractère invisible ou de contrôle (marqué « \uFFFD » ci-contre), souvent apporté par un copier-coller : saisissez-la à nouveau au clavier.',
} as const;

interface LineError {
  /** The column to point at, or null when the whole line is wrong. */
  column: EstablishmentColumn | null;
  message: string;
}

export interface ParsedLine {
  /** 1-based physical line of the file (CSV) or row number (XLSX); the header is line 1 when it comes first. */
  lineNumber: number;
  /** Spaces and dots removed; as typed otherwise, so an invalid value can be shown back. */
  siret: string;
  code: string;
  /** Empty when the line can go on to the checks against the insurer's records. */
  errors: LineError[];
}

export interface ParseOptions {
  maxLines?: number;
}

/** The generator's return value, for a caller that wants it (for await … of drops it). */
export interface ParseSummary {
  dataLines: number;
  linesWithErrors: number;
  /** CSV only: what was detected. */
  encoding?: CsvFileInfo['encoding'];
  separator?: CsvSeparator;
}

// ---------------------------------------------------------------------------------------------
// Templates

const EXAMPLE_SIRET = generateSiret(generateSiren('12345678'));
export const ESTABLISHMENT_TEMPLATE_EXAMPLE = { siret: EXAMPLE_SIRET, code: '40318426' } as const;

export const ESTABLISHMENT_TEMPLATE_NOTES = {
  siret: '14 chiffres, sans espace ni point',
  code: "Code identifiant de l'établissement, figurant sur les courriers de l'assureur",
} as const;

export const ESTABLISHMENT_TEMPLATE_HELP: readonly string[] = [
  "Mode d'emploi",
  'Une ligne par établissement, à partir de la ligne 2 de la feuille « Établissements ». Ne modifiez pas la première ligne : elle porte les intitulés des colonnes.',
  "SIRET : les 14 chiffres du SIRET de l'établissement, sans espace ni point.",
  `Code identifiant : le code de l'établissement figurant sur les courriers de l'assureur (${ESTABLISHMENT_CODE_MAX_LENGTH} caractères au plus).`,
  "Remplacez la ligne d'exemple par vos établissements.",
  `${formatInteger(ESTABLISHMENT_IMPORT_MAX_LINES)} lignes au plus par fichier ; au-delà, découpez-le en plusieurs fichiers.`,
  'Seule la première feuille du classeur est lue.',
  'Enregistrez le fichier au format « Classeur Excel (.xlsx) » ou « CSV (séparateur : point-virgule) », puis déposez-le sur la page « Ajouter plusieurs établissements ».',
  "Un aperçu montre chaque ligne et ses erreurs éventuelles ; rien n'est enregistré avant votre confirmation.",
];

/** The .csv template as French Excel saves « CSV UTF-8 »: BOM, `;`, CRLF. */
export function establishmentTemplateCsv(): Buffer {
  const lines = [ESTABLISHMENT_COLUMNS.join(';'), `${EXAMPLE_SIRET};${ESTABLISHMENT_TEMPLATE_EXAMPLE.code}`];
  return Buffer.from('\uFEFF' + lines.map((line) => line + '\r\n').join(''), 'utf8');
}

// exceljs keeps data validations on the worksheet but leaves them out of its type declarations.
interface WorksheetWithValidations {
  dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
}

/** The .xlsx template: « Établissements » (header with notes, one example) and « Mode d'emploi ». */
export async function establishmentTemplateXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  // Text format ('@') so that Excel keeps a SIRET or a code as typed, leading zeros included.
  const sheet = workbook.addWorksheet('Établissements', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: SIRET_COLUMN, key: 'siret', width: 20, style: { numFmt: '@' } },
    { header: CODE_COLUMN, key: 'code', width: 24, style: { numFmt: '@' } },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.getCell('A1').note = ESTABLISHMENT_TEMPLATE_NOTES.siret;
  sheet.getCell('B1').note = ESTABLISHMENT_TEMPLATE_NOTES.code;
  sheet.addRow({ siret: EXAMPLE_SIRET, code: ESTABLISHMENT_TEMPLATE_EXAMPLE.code });
  // A warning, not a stop: a SIRET typed with spaces is accepted by the import all the same.
  (sheet as unknown as WorksheetWithValidations).dataValidations.add(`A2:A${ESTABLISHMENT_IMPORT_MAX_LINES + 1}`, {
    type: 'textLength',
    operator: 'equal',
    formulae: [14],
    allowBlank: true,
    showErrorMessage: true,
    errorStyle: 'warning',
    errorTitle: 'SIRET',
    error: 'Le SIRET comporte 14 chiffres, sans espace ni point.',
  });

  const help = workbook.addWorksheet("Mode d'emploi");
  help.getColumn(1).width = 120;
  for (const line of ESTABLISHMENT_TEMPLATE_HELP) help.addRow([line]);
  help.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------
// Reading a file

interface ColumnLayout {
  siret: number;
  code: number;
  /** Columns up to the last named one; values further right make the line too wide. */
  width: number;
}

const LABELS = new Map<string, EstablishmentColumn>(ESTABLISHMENT_COLUMNS.map((column) => [normalizeColumnLabel(column), column]));

function lastFilledIndex(cells: readonly string[]): number {
  for (let i = cells.length - 1; i >= 0; i--) if (cells[i] !== '') return i;
  return -1;
}

/** Where the expected columns are in the header row; throws the file error otherwise. */
function locateColumns(cells: readonly string[]): ColumnLayout {
  const found = new Map<EstablishmentColumn, number>();
  cells.forEach((cell, index) => {
    const column = LABELS.get(normalizeColumnLabel(cell));
    if (!column) return;
    if (found.has(column)) {
      throw new ImportFileError('duplicateColumn', ESTABLISHMENT_IMPORT_MESSAGES.duplicateColumn(column));
    }
    found.set(column, index);
  });
  const siret = found.get(SIRET_COLUMN);
  const code = found.get(CODE_COLUMN);
  if (siret === undefined && code === undefined) {
    // A file saved without its header row starts straight with an establishment.
    const startsWithData = cells.some((cell) => /^[0-9]{14}$/.test(normalizeSiret(cell)));
    const message = startsWithData ? ESTABLISHMENT_IMPORT_MESSAGES.headerIsData : ESTABLISHMENT_IMPORT_MESSAGES.missingColumns;
    throw new ImportFileError('missingColumns', message);
  }
  if (siret === undefined) throw new ImportFileError('missingColumns', ESTABLISHMENT_IMPORT_MESSAGES.missingColumn(SIRET_COLUMN));
  if (code === undefined) throw new ImportFileError('missingColumns', ESTABLISHMENT_IMPORT_MESSAGES.missingColumn(CODE_COLUMN));
  return { siret, code, width: lastFilledIndex(cells) + 1 };
}

/**
 * The separator that finds the expected columns in the header line: `;` (French Excel),
 * tab (« Texte Unicode ») or `,`; on a tie the one giving more columns, then `;`.
 */
export function chooseEstablishmentSeparator(headerLine: string): CsvSeparator {
  let best: CsvSeparator = ';';
  let bestScore = -1;
  for (const separator of CSV_SEPARATORS) {
    const cells = splitCsvLine(headerLine, separator);
    const matched = new Set(cells.map((cell) => LABELS.get(normalizeColumnLabel(cell))).filter(Boolean)).size;
    const score = matched * 1000 + cells.filter((cell) => cell !== '').length;
    if (score > bestScore) {
      best = separator;
      bestScore = score;
    }
  }
  return best;
}

/** The checks that need nothing but the line itself and the SIRETs of the lines before it. */
function checkLine(row: RawRow, layout: ColumnLayout, firstLineOfSiret: Map<string, number>): ParsedLine {
  const rawSiret = normalizeSiret(row.cells[layout.siret] ?? '');
  const rawCode = row.cells[layout.code] ?? '';
  // An unsafe character (domain/unsafe-text.ts) is shown back marked, never kept nor looked up.
  const siret = markUnsafeCharacters(rawSiret);
  const code = markUnsafeCharacters(rawCode);
  const errors: LineError[] = [];

  const columns = lastFilledIndex(row.cells) + 1;
  if (columns > layout.width) {
    errors.push({ column: null, message: ESTABLISHMENT_IMPORT_MESSAGES.tooManyColumns(columns, layout.width) });
  }

  if (siret === '') {
    errors.push({ column: SIRET_COLUMN, message: SIRET_MESSAGES.siretRequired });
  } else if (siret !== rawSiret) {
    errors.push({ column: SIRET_COLUMN, message: ESTABLISHMENT_IMPORT_MESSAGES.unsafeCharacter });
  } else {
    const result = validateSiret(siret);
    if (!result.ok) {
      errors.push({ column: SIRET_COLUMN, message: result.error });
    } else {
      // Only valid SIRETs are remembered: an invalid one already carries its own error.
      const firstLine = firstLineOfSiret.get(siret);
      if (firstLine === undefined) firstLineOfSiret.set(siret, row.lineNumber);
      else errors.push({ column: SIRET_COLUMN, message: ESTABLISHMENT_IMPORT_MESSAGES.duplicateSiret(firstLine) });
    }
  }

  if (code === '') {
    errors.push({ column: CODE_COLUMN, message: ESTABLISHMENT_IMPORT_MESSAGES.codeRequired });
  } else if (code !== rawCode) {
    errors.push({ column: CODE_COLUMN, message: ESTABLISHMENT_IMPORT_MESSAGES.unsafeCharacter });
  } else if ([...code].length > ESTABLISHMENT_CODE_MAX_LENGTH) {
    errors.push({ column: CODE_COLUMN, message: ESTABLISHMENT_IMPORT_MESSAGES.codeTooLong(ESTABLISHMENT_CODE_MAX_LENGTH) });
  }

  return { lineNumber: row.lineNumber, siret, code, errors };
}

/**
 * Reads an establishments file line by line, never holding more than a chunk of it (plus, for
 * XLSX, the workbook's shared strings) and the SIRETs already seen. Yields one ParsedLine per
 * non-blank line after the header; throws ImportFileError for a file that cannot be used:
 * unreadable, no header, no line, or more than `maxLines` lines (detected on line maxLines + 1,
 * where reading stops). Returns a ParseSummary.
 */
export async function* parseEstablishmentFile(
  filePath: string,
  kind: ImportFileKind,
  options: ParseOptions = {},
): AsyncGenerator<ParsedLine, ParseSummary, undefined> {
  const maxLines = options.maxLines ?? ESTABLISHMENT_IMPORT_MAX_LINES;
  const csvInfo: CsvFileInfo = {};
  const rows = kind === 'csv' ? readCsvRows(filePath, chooseEstablishmentSeparator, csvInfo) : readXlsxRows(filePath);
  let layout: ColumnLayout | null = null;
  const firstLineOfSiret = new Map<string, number>();
  let dataLines = 0;
  let linesWithErrors = 0;

  for await (const row of rows) {
    if (layout === null) {
      layout = locateColumns(row.cells);
      continue;
    }
    dataLines++;
    if (dataLines > maxLines) {
      throw new ImportFileError('tooManyLines', ESTABLISHMENT_IMPORT_MESSAGES.tooManyLines(maxLines));
    }
    const line = checkLine(row, layout, firstLineOfSiret);
    if (line.errors.length > 0) linesWithErrors++;
    yield line;
  }
  if (dataLines === 0) throw new ImportFileError('noLines', ESTABLISHMENT_IMPORT_MESSAGES.noLines);
  return kind === 'csv' ? { dataLines, linesWithErrors, encoding: csvInfo.encoding, separator: csvInfo.separator } : { dataLines, linesWithErrors };
}

// ---------------------------------------------------------------------------------------------
// Error report

export const ERROR_REPORT_COLUMNS = ['Ligne', 'Colonne', 'SIRET', 'Code identifiant', 'Erreur'] as const;

/** The lines with errors are enough; a caller may add its own errors (unknown pair…) to a line. */
export type ReportLine = Pick<ParsedLine, 'lineNumber' | 'siret' | 'code'> & {
  errors: readonly { column: string | null; message: string }[];
};

/**
 * The downloadable error report as a stream (pipe it to the response): UTF-8 with BOM, `;`,
 * CRLF, one row per error, formulas escaped (src/domain/import/error-report.ts).
 */
export function errorReportStream(lines: Iterable<ReportLine> | AsyncIterable<ReportLine>): Readable {
  return lineErrorReportStream(ERROR_REPORT_COLUMNS, lines, (line) => [line.siret, line.code]);
}

/** The whole error report at once (it holds at most a few errors per line of the file). */
export async function errorReportCsv(lines: Iterable<ReportLine> | AsyncIterable<ReportLine>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of errorReportStream(lines)) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

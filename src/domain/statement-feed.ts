// The décompte feed of the claims system (docs/domain.md#the-décompte-feed): the columns of its
// CSV, the line-by-line checks, the grouping of consecutive lines into décomptes, and the error
// report. No database here: whether the member and the beneficiary exist, whether a décompte was
// already loaded or met earlier in the file, is for the caller to check on what this module yields.
//
// The file is read as a stream (src/domain/import/csv-rows.ts) and yielded one décompte at a
// time, so memory holds one décompte's lines whatever the file's size. File errors are thrown as
// ImportFileError (French `message`); line errors travel with each line.
import type { Readable } from 'node:stream';
import { parseFrenchDate } from './dates.js';
import { parseEuros } from './money.js';
import { nameSearchKey } from './name-search.js';
import { formatInteger } from './text.js';
import { hasUnsafeCharacter } from './unsafe-text.js';
import { CSV_SEPARATORS, readCsvRows, splitCsvLine, type CsvSeparator } from './import/csv-rows.js';
import { lineErrorReportStream } from './import/error-report.js';
import { ImportFileError, normalizeColumnLabel, type RawRow } from './import/rows.js';

export { ImportFileError } from './import/rows.js';

export const FEED_COLUMNS = [
  'Numéro de décompte',
  'Date du décompte',
  "Numéro d'adhérent",
  'Prénom du bénéficiaire',
  'Date de naissance du bénéficiaire',
  'Date des soins',
  'Code acte',
  'Libellé acte',
  'Professionnel de santé',
  'Frais réels',
  'Base de remboursement',
  'Sécurité sociale',
  'Complémentaire',
  'Payé à',
  'Date de paiement',
] as const;
type FeedColumn = (typeof FEED_COLUMNS)[number];

/** More lines than this under one décompte number is a file that lost its numbers, not a décompte. */
const MAX_LINES_PER_STATEMENT = 500;

export const FEED_MESSAGES = {
  noLines: 'Le fichier ne contient aucune ligne de décompte.',
  missingColumns: (columns: readonly string[]) =>
    `${columns.length > 1 ? 'Les colonnes' : 'La colonne'} ${columns.map((c) => `« ${c} »`).join(', ')} ${columns.length > 1 ? 'sont introuvables' : 'est introuvable'} dans la première ligne du fichier.`,
  duplicateColumn: (column: string) => `La colonne « ${column} » figure deux fois dans la première ligne du fichier : gardez-en une seule.`,
  required: (column: string) => `La colonne « ${column} » est vide.`,
  badDate: (column: string) => `« ${column} » n'est pas une date au format jj/mm/aaaa.`,
  badAmount: (column: string) => `« ${column} » n'est pas un montant en euros (par exemple 26,50).`,
  badNumber: 'Le numéro de décompte ne peut contenir que des lettres sans accent, des chiffres et des tirets (20 caractères au plus).',
  badMemberNumber: "Le numéro d'adhérent ne peut contenir que des lettres sans accent et des chiffres (20 caractères au plus).",
  badCareCode: 'Le code acte ne peut contenir que des lettres sans accent, des chiffres et « _ » (40 caractères au plus).',
  tooLong: (column: string, max: number) => `« ${column} » dépasse ${max} caractères.`,
  unsafeCharacter: 'La ligne contient un caractère invisible ou de contrôle : corrigez-la dans le système de gestion.',
  badPaidTo: '« Payé à » doit valoir « assuré » ou « professionnel ».',
  careAfterStatement: 'La date des soins est postérieure à la date du décompte.',
  paidMoreThanCost: 'La Sécurité sociale et la complémentaire remboursent plus que les frais réels.',
  otherMember: (number: string, line: number) => `Le décompte n° ${number} porte un autre numéro d'adhérent ligne ${line}.`,
  otherDate: (number: string, line: number) => `Le décompte n° ${number} porte une autre date ligne ${line}.`,
  sameLine: (line: number) => `Ligne identique à la ligne ${line} du même décompte.`,
  tooManyLines: (number: string) => `Le décompte n° ${number} compte plus de ${formatInteger(MAX_LINES_PER_STATEMENT)} lignes.`,
  repeated: (number: string, line: number) =>
    `Le décompte n° ${number} figure déjà ligne ${line} du fichier : les lignes d'un décompte doivent se suivre, et un décompte ne figure qu'une fois.`,
  unknownMember: (memberNumber: string) => `Aucun adhérent ne porte le numéro ${memberNumber}.`,
  unknownBeneficiary: "Aucun bénéficiaire de l'adhérent ne porte ce prénom et cette date de naissance.",
  statementRejected: (line: number) => `Ce décompte n'est pas chargé : sa ligne ${line} est en erreur.`,
} as const;

interface FeedLineError {
  column: FeedColumn | null;
  message: string;
}

export interface FeedLine {
  lineNumber: number;
  statementNumber: string;
  statementDate: string | null;
  memberNumber: string;
  firstName: string;
  birthDate: string | null;
  careDate: string | null;
  careType: string;
  careLabel: string;
  professional: string | null;
  fraisReelsCents: number;
  baseCents: number;
  ssCents: number;
  complementaryCents: number;
  paidTo: 'assure' | 'tiers' | null;
  paymentDate: string | null;
  errors: FeedLineError[];
}

/** Consecutive lines under one décompte number. */
export interface FeedStatement {
  number: string;
  lines: FeedLine[];
}

export interface FeedSummary {
  dataLines: number;
}

// ---------------------------------------------------------------------------------------------
// Columns

const LABELS = new Map<string, FeedColumn>(FEED_COLUMNS.map((column) => [normalizeColumnLabel(column), column]));
// What a claims system's export often calls the same columns.
for (const [alias, column] of [
  ['n° de décompte', 'Numéro de décompte'],
  ['numero decompte', 'Numéro de décompte'],
  ["n° d'adhérent", "Numéro d'adhérent"],
  ['numero adherent', "Numéro d'adhérent"],
  ['professionnel', 'Professionnel de santé'],
  ['base', 'Base de remboursement'],
  ['paye a', 'Payé à'],
] as const) {
  LABELS.set(normalizeColumnLabel(alias), column);
}

type Layout = Record<FeedColumn, number>;

function locateColumns(cells: readonly string[]): Layout {
  const found = new Map<FeedColumn, number>();
  cells.forEach((cell, index) => {
    const column = LABELS.get(normalizeColumnLabel(cell));
    if (!column) return;
    if (found.has(column)) throw new ImportFileError('duplicateColumn', FEED_MESSAGES.duplicateColumn(column));
    found.set(column, index);
  });
  const missing = FEED_COLUMNS.filter((c) => !found.has(c));
  if (missing.length) throw new ImportFileError('missingColumns', FEED_MESSAGES.missingColumns(missing));
  return Object.fromEntries(found) as Layout;
}

function chooseFeedSeparator(headerLine: string): CsvSeparator {
  let best: CsvSeparator = ';';
  let bestScore = -1;
  for (const separator of CSV_SEPARATORS) {
    const cells = splitCsvLine(headerLine, separator);
    const score = new Set(cells.map((cell) => LABELS.get(normalizeColumnLabel(cell))).filter(Boolean)).size;
    if (score > bestScore) {
      best = separator;
      bestScore = score;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// One line

const STATEMENT_NUMBER = /^[A-Za-z0-9-]{1,20}$/;
const MEMBER_NUMBER = /^[A-Za-z0-9]{1,20}$/;
const CARE_CODE = /^[a-z0-9_]{1,40}$/;

function checkLine(row: RawRow, layout: Layout): FeedLine {
  const errors: FeedLineError[] = [];
  const cell = (column: FeedColumn) => row.cells[layout[column]] ?? '';
  if (row.cells.some((c) => hasUnsafeCharacter(c))) errors.push({ column: null, message: FEED_MESSAGES.unsafeCharacter });
  const required = (column: FeedColumn): string => {
    const value = cell(column);
    if (value === '') errors.push({ column, message: FEED_MESSAGES.required(column) });
    return value;
  };
  const date = (column: FeedColumn): string | null => {
    const value = required(column);
    if (value === '') return null;
    const iso = parseFrenchDate(value);
    if (iso === null) errors.push({ column, message: FEED_MESSAGES.badDate(column) });
    return iso;
  };
  const amount = (column: FeedColumn): number => {
    const value = required(column);
    if (value === '') return 0;
    const cents = parseEuros(value);
    if (cents === null) errors.push({ column, message: FEED_MESSAGES.badAmount(column) });
    return cents ?? 0;
  };
  const text = (column: FeedColumn, max: number, optional = false): string => {
    const value = optional ? cell(column) : required(column);
    if ([...value].length > max) errors.push({ column, message: FEED_MESSAGES.tooLong(column, max) });
    return value;
  };

  const statementNumber = required('Numéro de décompte');
  if (statementNumber && !STATEMENT_NUMBER.test(statementNumber)) errors.push({ column: 'Numéro de décompte', message: FEED_MESSAGES.badNumber });
  const statementDate = date('Date du décompte');
  const memberNumber = required("Numéro d'adhérent");
  if (memberNumber && !MEMBER_NUMBER.test(memberNumber)) errors.push({ column: "Numéro d'adhérent", message: FEED_MESSAGES.badMemberNumber });
  const firstName = text('Prénom du bénéficiaire', 100);
  const birthDate = date('Date de naissance du bénéficiaire');
  const careDate = date('Date des soins');
  const careType = required('Code acte').toLowerCase();
  if (careType && !CARE_CODE.test(careType)) errors.push({ column: 'Code acte', message: FEED_MESSAGES.badCareCode });
  const careLabel = text('Libellé acte', 120);
  const professional = text('Professionnel de santé', 200, true);
  const fraisReelsCents = amount('Frais réels');
  const baseCents = amount('Base de remboursement');
  const ssCents = amount('Sécurité sociale');
  const complementaryCents = amount('Complémentaire');
  const paidToText = required('Payé à');
  const paidToKey = nameSearchKey(paidToText);
  const paidTo = paidToKey === 'assure' ? 'assure' : paidToKey === 'professionnel' ? 'tiers' : null;
  if (paidToText && !paidTo) errors.push({ column: 'Payé à', message: FEED_MESSAGES.badPaidTo });
  const paymentDate = date('Date de paiement');

  if (careDate && statementDate && careDate > statementDate) errors.push({ column: 'Date des soins', message: FEED_MESSAGES.careAfterStatement });
  if (ssCents + complementaryCents > fraisReelsCents) errors.push({ column: 'Complémentaire', message: FEED_MESSAGES.paidMoreThanCost });

  return {
    lineNumber: row.lineNumber,
    statementNumber,
    statementDate,
    memberNumber,
    firstName,
    birthDate,
    careDate,
    careType,
    careLabel,
    professional: professional || null,
    fraisReelsCents,
    baseCents,
    ssCents,
    complementaryCents,
    paidTo,
    paymentDate,
    errors,
  };
}

function sameCare(a: FeedLine, b: FeedLine): boolean {
  return (
    a.firstName === b.firstName &&
    a.birthDate === b.birthDate &&
    a.careDate === b.careDate &&
    a.careType === b.careType &&
    a.professional === b.professional &&
    a.fraisReelsCents === b.fraisReelsCents &&
    a.ssCents === b.ssCents &&
    a.complementaryCents === b.complementaryCents
  );
}

/** The checks between the lines of one décompte: one member, one date, no line twice. */
function checkStatement(statement: FeedStatement): void {
  const [first] = statement.lines;
  statement.lines.forEach((line, i) => {
    if (i === 0) return;
    if (line.memberNumber !== first.memberNumber)
      line.errors.push({ column: "Numéro d'adhérent", message: FEED_MESSAGES.otherMember(statement.number, first.lineNumber) });
    if (line.statementDate !== first.statementDate)
      line.errors.push({ column: 'Date du décompte', message: FEED_MESSAGES.otherDate(statement.number, first.lineNumber) });
    const twin = statement.lines.slice(0, i).find((other) => sameCare(other, line));
    if (twin) line.errors.push({ column: null, message: FEED_MESSAGES.sameLine(twin.lineNumber) });
  });
}

/**
 * A décompte is loaded whole or not at all: once every check is done (the caller's too), a line
 * in error makes each other line of its décompte an error that names it.
 */
export function rejectIncompleteStatement(lines: readonly FeedLine[]): void {
  const wrong = lines.find((l) => l.errors.length > 0);
  if (!wrong) return;
  for (const line of lines) if (!line.errors.length) line.errors.push({ column: null, message: FEED_MESSAGES.statementRejected(wrong.lineNumber) });
}

/**
 * Reads a feed file as a stream and yields its décomptes one at a time (consecutive lines with the
 * same number). Throws ImportFileError for a file that cannot be used: unreadable, without the
 * columns, without a line.
 */
export async function* parseStatementFeed(filePath: string): AsyncGenerator<FeedStatement, FeedSummary, undefined> {
  let layout: Layout | null = null;
  let current: FeedStatement | null = null;
  let dataLines = 0;
  for await (const row of readCsvRows(filePath, chooseFeedSeparator)) {
    if (layout === null) {
      layout = locateColumns(row.cells);
      continue;
    }
    dataLines++;
    const line = checkLine(row, layout);
    if (current && current.number === line.statementNumber && current.lines.length < MAX_LINES_PER_STATEMENT) {
      current.lines.push(line);
      continue;
    }
    if (current && current.number === line.statementNumber)
      line.errors.push({ column: 'Numéro de décompte', message: FEED_MESSAGES.tooManyLines(line.statementNumber) });
    if (current) {
      checkStatement(current);
      yield current;
    }
    current = { number: line.statementNumber, lines: [line] };
  }
  if (current) {
    checkStatement(current);
    yield current;
  }
  if (dataLines === 0) throw new ImportFileError('noLines', FEED_MESSAGES.noLines);
  return { dataLines };
}

// ---------------------------------------------------------------------------------------------
// Error report

const FEED_REPORT_COLUMNS = ['Ligne', 'Colonne', 'Numéro de décompte', "Numéro d'adhérent", 'Erreur'] as const;

export interface FeedReportLine {
  lineNumber: number;
  statementNumber: string;
  memberNumber: string;
  errors: readonly { column: string | null; message: string }[];
}

/** The error report as a stream, written like the establishments' one: UTF-8 with BOM, `;`, CRLF, formulas escaped. */
export function feedErrorReportStream(lines: AsyncIterable<FeedReportLine>): Readable {
  return lineErrorReportStream(FEED_REPORT_COLUMNS, lines, (line) => [line.statementNumber, line.memberNumber]);
}

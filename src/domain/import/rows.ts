// What the CSV and XLSX readers share: rows of an uploaded file come out one at a time, each
// non-blank row with its physical line number (the one a person sees in a text editor or in
// Excel's row headers) and its cells as trimmed text. What the columns mean is the business of
// each import; a file that cannot be read at all is an ImportFileError.
import { once } from 'node:events';
import type fs from 'node:fs';

export type ImportFileKind = 'csv' | 'xlsx';

export const IMPORT_FILE_MESSAGES = {
  notCsv: "Le fichier n'est pas un fichier CSV lisible.",
  notXlsx:
    "Le fichier n'est pas un classeur Excel (.xlsx) lisible. Enregistrez-le au format « Classeur Excel (.xlsx) » ou « CSV (séparateur : point-virgule) ».",
  unclosedQuote: (line: number) => `Le fichier CSV est mal formé : un guillemet (") ouvert ligne ${line} n'est jamais refermé.`,
  malformedCsv: (line: number) => `Le fichier CSV est mal formé ligne ${line} : vérifiez les guillemets (") et le séparateur.`,
  xlsxTooLarge: 'Le classeur est trop volumineux pour être lu : découpez-le en plusieurs fichiers.',
} as const;

export type ImportFileErrorCode = 'notCsv' | 'notXlsx' | 'xlsxTooLarge' | 'malformedCsv' | 'noLines' | 'missingColumns' | 'duplicateColumn' | 'tooManyLines';

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

/** Destroys a file stream and waits for its descriptor to be closed. */
export async function closeStream(stream: fs.ReadStream): Promise<void> {
  if (stream.closed) return;
  const closed = once(stream, 'close').catch(() => undefined);
  stream.destroy();
  await closed;
}

// The downloadable error report of an import, one row per error: the establishments' import
// (src/domain/establishment-import.ts) and the décompte feed (src/domain/statement-feed.ts).
import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';

export interface LineWithErrors {
  lineNumber: number;
  errors: readonly { column: string | null; message: string }[];
}

async function* reportRecords<L extends LineWithErrors>(lines: Iterable<L> | AsyncIterable<L>, cells: (line: L) => string[]): AsyncGenerator<string[]> {
  for await (const line of lines) {
    for (const error of line.errors) yield [String(line.lineNumber), error.column ?? '', ...cells(line), error.message];
  }
}

/**
 * The report as a stream (pipe it to the response): UTF-8 with BOM, `;`, CRLF, the columns
 * « Ligne », « Colonne », then the line's own `cells`, then « Erreur ». Cells that Excel would run
 * as a formula (=, +, -, @…) get a leading quote: the cells echo whatever the file contained.
 */
export function lineErrorReportStream<L extends LineWithErrors>(
  columns: readonly string[],
  lines: Iterable<L> | AsyncIterable<L>,
  cells: (line: L) => string[],
): Readable {
  const stringifier = stringify({
    bom: true,
    delimiter: ';',
    record_delimiter: 'windows',
    escape_formulas: true,
    header: true,
    columns: [...columns],
  });
  pipeline(Readable.from(reportRecords(lines, cells)), stringifier, () => {});
  return stringifier;
}

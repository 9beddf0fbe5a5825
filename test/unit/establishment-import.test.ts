import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsvText } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import {
  chooseEstablishmentSeparator,
  ERROR_REPORT_COLUMNS,
  errorReportCsv,
  errorReportStream,
  ESTABLISHMENT_IMPORT_MESSAGES,
  ESTABLISHMENT_TEMPLATE_EXAMPLE,
  ESTABLISHMENT_TEMPLATE_HELP,
  ESTABLISHMENT_TEMPLATE_NOTES,
  establishmentTemplateCsv,
  establishmentTemplateXlsx,
  IMPORT_FILE_MESSAGES,
  ImportFileError,
  parseEstablishmentFile,
  type ImportFileErrorCode,
  type ParsedLine,
  type ParseOptions,
  type ParseSummary,
} from '../../src/domain/establishment-import.js';
import { decodeText, type DecodedTextInfo } from '../../src/domain/import/decode-text.js';
import { normalizeColumnLabel } from '../../src/domain/import/rows.js';
import { MAX_XLSX_CELL_CHARS, MAX_XLSX_SHEET_ROWS, xlsxCellText, xlsxNumberText } from '../../src/domain/import/xlsx-rows.js';
import { SIRET_MESSAGES, validateSiret } from '../../src/domain/siret.js';
import {
  breakLuhn,
  establishmentLines,
  temporaryFolder,
  HOSTILE_WORKBOOKS,
  rawSheet,
  SPREADSHEET_NS,
  validSirets,
  writeEstablishmentCsv,
  writeEstablishmentXlsx,
  writeRawWorkbook,
  writeZip,
} from '../helpers/import-files.js';
import { assertIncludes } from '../helpers/assertions.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'imports');
const fixture = (name: string) => path.join(FIXTURES, name);

// The SIRETs make-fixtures.ts used.
const [v1, v2, v3, v4, v5] = validSirets(5, 1000);

const tmp = temporaryFolder('establishment-import-');
after(() => tmp.remove());
let fileCounter = 0;
const tmpFile = (extension: 'csv' | 'xlsx') => path.join(tmp.dir, `f${++fileCounter}.${extension}`);

async function parseAll(filePath: string, kind: 'csv' | 'xlsx', options?: ParseOptions) {
  const lines: ParsedLine[] = [];
  const generator = parseEstablishmentFile(filePath, kind, options);
  for (;;) {
    const next = await generator.next();
    if (next.done) return { lines, summary: next.value as ParseSummary };
    lines.push(next.value);
  }
}

/** Parses a file that must be refused, and returns the error with the lines yielded before it. */
async function parseRefused(filePath: string, kind: 'csv' | 'xlsx', code: ImportFileErrorCode, options?: ParseOptions) {
  const lines: ParsedLine[] = [];
  try {
    for await (const line of parseEstablishmentFile(filePath, kind, options)) lines.push(line);
  } catch (error) {
    assert.ok(error instanceof ImportFileError, `ImportFileError expected, got ${String(error)}`);
    assert.equal(error.code, code, `${error.message} (cause: ${String(error.cause)})`);
    return { error, lines };
  }
  assert.fail(`${path.basename(filePath)} should have been refused (${code})`);
}

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DOC_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

const ok = (lineNumber: number, siret: string, code: string): ParsedLine => ({ lineNumber, siret, code, errors: [] });

/** File descriptors of this process that point at `filePath` (Linux). */
function openDescriptorsOf(filePath: string): number {
  const fdDir = '/proc/self/fd';
  let count = 0;
  for (const fd of fs.readdirSync(fdDir)) {
    try {
      if (fs.readlinkSync(path.join(fdDir, fd)) === filePath) count++;
    } catch {
      // closed while listing
    }
  }
  return count;
}

describe('templates', () => {
  test('the CSV template is French Excel CSV: BOM, `;`, CRLF, header and one valid example', () => {
    const bytes = establishmentTemplateCsv();
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    assert.equal(text, `SIRET;Code identifiant\r\n${ESTABLISHMENT_TEMPLATE_EXAMPLE.siret};40318426\r\n`);
    assert.ok(validateSiret(ESTABLISHMENT_TEMPLATE_EXAMPLE.siret).ok);
  });

  test('the CSV template goes through the parser with no error', async () => {
    const file = tmpFile('csv');
    fs.writeFileSync(file, establishmentTemplateCsv());
    const { lines, summary } = await parseAll(file, 'csv');
    assert.deepEqual(lines, [ok(2, ESTABLISHMENT_TEMPLATE_EXAMPLE.siret, '40318426')]);
    assert.deepEqual(summary, { dataLines: 1, linesWithErrors: 0, encoding: 'utf-8', separator: ';' });
  });

  test('the XLSX template opens in exceljs with its header, notes, text columns and help sheet', async () => {
    const workbook = new ExcelJS.Workbook();
    // exceljs declares its own Buffer type, older than @types/node's.
    await workbook.xlsx.load((await establishmentTemplateXlsx()) as unknown as ExcelJS.Buffer);
    assert.deepEqual(
      workbook.worksheets.map((sheet) => sheet.name),
      ['Établissements', "Mode d'emploi"],
    );
    const sheet = workbook.getWorksheet('Établissements')!;
    assert.equal(sheet.getCell('A1').value, 'SIRET');
    assert.equal(sheet.getCell('B1').value, 'Code identifiant');
    assert.equal(sheet.getCell('A1').font?.bold, true);
    assert.equal(sheet.getCell('B1').font?.bold, true);
    const noteText = (note: unknown) => (typeof note === 'string' ? note : ((note as ExcelJS.Comment).texts ?? []).map((part) => part.text).join(''));
    assert.equal(noteText(sheet.getCell('A1').note), ESTABLISHMENT_TEMPLATE_NOTES.siret);
    assert.equal(noteText(sheet.getCell('B1').note), ESTABLISHMENT_TEMPLATE_NOTES.code);
    assert.match(ESTABLISHMENT_TEMPLATE_NOTES.siret, /14 chiffres, sans espace ni point/);
    assert.equal(sheet.getCell('A2').value, ESTABLISHMENT_TEMPLATE_EXAMPLE.siret);
    assert.equal(sheet.getCell('B2').value, '40318426');
    // Text format on the columns, so that cells typed later keep their leading zeros.
    assert.equal(sheet.getColumn(1).numFmt, '@');
    assert.equal(sheet.getColumn(2).numFmt, '@');
    assert.equal(sheet.getCell('A2').numFmt, '@');
    assert.ok((sheet.getColumn(1).width ?? 0) >= 16, 'a SIRET fits');
    assert.ok((sheet.getColumn(2).width ?? 0) >= 16, 'the header fits');
    const validation = sheet.getCell('A500').dataValidation;
    assert.equal(validation?.type, 'textLength');
    assert.deepEqual(validation?.formulae, [14]);

    const help = workbook.getWorksheet("Mode d'emploi")!;
    const helpLines: string[] = [];
    help.eachRow((row) => helpLines.push(String(row.getCell(1).value)));
    assert.deepEqual(helpLines, [...ESTABLISHMENT_TEMPLATE_HELP]);
  });

  test('the XLSX template goes through the parser with no error (the help sheet is not read)', async () => {
    const file = tmpFile('xlsx');
    fs.writeFileSync(file, await establishmentTemplateXlsx());
    const { lines, summary } = await parseAll(file, 'xlsx');
    assert.deepEqual(lines, [ok(2, ESTABLISHMENT_TEMPLATE_EXAMPLE.siret, '40318426')]);
    assert.deepEqual(summary, { dataLines: 1, linesWithErrors: 0 });
  });
});

describe('CSV: encodings and separators', () => {
  test('French Excel « CSV UTF-8 » (BOM, `;`, CRLF)', async () => {
    const [a, b, c] = establishmentLines(3, 100);
    const { lines, summary } = await parseAll(fixture('excel-fr-semicolon-bom.csv'), 'csv');
    assert.deepEqual(lines, [ok(2, a[0], a[1]), ok(3, b[0], b[1]), ok(4, c[0], c[1])]);
    assert.deepEqual(summary, { dataLines: 3, linesWithErrors: 0, encoding: 'utf-8', separator: ';' });
  });

  test('comma-separated UTF-8 without BOM, LF, lowercase header', async () => {
    const bytes = fs.readFileSync(fixture('comma-utf8.csv'));
    assert.notEqual(bytes[0], 0xef, 'the fixture has no BOM');
    const { lines, summary } = await parseAll(fixture('comma-utf8.csv'), 'csv');
    assert.deepEqual(lines, [ok(2, v1, 'ÉTS-0001'), ok(3, v2, 'B2')]);
    assert.equal(summary.separator, ',');
    assert.equal(summary.encoding, 'utf-8');
  });

  test('Windows-1252 with accents in the header and the values', async () => {
    const bytes = fs.readFileSync(fixture('windows-1252.csv'));
    assert.ok(bytes.includes(0xc9) && bytes.includes(0xe9), 'É and é as single Windows-1252 bytes');
    assert.ok(!bytes.includes(Buffer.from('É')), 'no UTF-8 in the fixture');
    const { lines, summary } = await parseAll(fixture('windows-1252.csv'), 'csv');
    assert.deepEqual(lines, [ok(2, v1, 'RÉGION-12'), ok(3, v2, 'ÉTS-0002')]);
    assert.equal(summary.encoding, 'windows-1252');
  });

  test('Excel « Texte Unicode »: UTF-16LE with BOM, tab-separated', async () => {
    const { lines, summary } = await parseAll(fixture('excel-unicode-text.csv'), 'csv');
    assert.deepEqual(lines, [ok(2, v1, 'A1'), ok(3, v2, 'É2')]);
    assert.equal(summary.encoding, 'utf-16le');
    assert.equal(summary.separator, '\t');
  });

  test('the first accent decides the encoding even far into the file', async () => {
    // 4 000 plain lines (over 64 KB) before the first accent, in each encoding.
    const plain = establishmentLines(4000, 5000);
    const accented = [...plain, [validSirets(1, 9000)[0], 'RÉGION-9']];
    for (const encoding of ['windows-1252', 'utf-8'] as const) {
      const file = writeEstablishmentCsv(tmpFile('csv'), accented, { encoding, bom: false });
      assert.ok(fs.statSync(file).size > 65_536);
      const { lines, summary } = await parseAll(file, 'csv');
      assert.equal(summary.encoding, encoding);
      assert.equal(lines.at(-1)?.code, 'RÉGION-9', encoding);
      assert.equal(summary.linesWithErrors, 0);
    }
  });

  test('the separator is the one that finds the expected columns', () => {
    assert.equal(chooseEstablishmentSeparator('SIRET;Code identifiant'), ';');
    assert.equal(chooseEstablishmentSeparator('SIRET,Code identifiant'), ',');
    assert.equal(chooseEstablishmentSeparator('SIRET\tCode identifiant'), '\t');
    assert.equal(chooseEstablishmentSeparator('"Siège, bâtiment";SIRET;Code identifiant'), ';');
    assert.equal(chooseEstablishmentSeparator('SIRET,Code identifiant,"Nom; prénom"'), ',');
    assert.equal(chooseEstablishmentSeparator('Autre chose'), ';', 'French Excel by default');
  });

  test('quoted fields: separator and quotes inside quotes, a cell over two lines', async () => {
    const { lines } = await parseAll(fixture('quoted-fields.csv'), 'csv');
    // The comment of line 3 runs onto line 4: the next establishment is on line 5.
    assert.deepEqual(lines, [ok(2, v1, 'A;1'), ok(3, v2, 'B2'), ok(5, v3, 'C3')]);
  });

  test('trailing `;;;`, blank lines inside and at the end are ignored', async () => {
    const { lines, summary } = await parseAll(fixture('trailing-blanks.csv'), 'csv');
    assert.deepEqual(lines, [ok(2, v1, 'A1'), ok(4, v2, 'B2'), ok(6, v3, 'C3')]);
    assert.equal(summary.dataLines, 3);
  });

  test('a quote never closed stops the file with the line where it opens', async () => {
    const file = tmpFile('csv');
    fs.writeFileSync(file, `SIRET;Code identifiant\r\n${v1};A1\r\n${v2};"B2\r\n${v3};C3\r\n`);
    const { error } = await parseRefused(file, 'csv', 'malformedCsv');
    assert.equal(error.message, IMPORT_FILE_MESSAGES.unclosedQuote(3));
  });
});

describe('header', () => {
  const variants: [string, string][] = [
    ['SIRET;Code identifiant', 'as in the template'],
    ['siret;code identifiant', 'lowercase'],
    ['SIRET;CODE IDENTIFIANT', 'uppercase'],
    ['Siret;Code_identifiant', 'underscore'],
    [' SIRET ;  Côde   Identifiant ', 'accents and spaces'],
    ['"SIRET";"Code-identifiant"', 'quoted, hyphen'],
  ];
  for (const [header, label] of variants) {
    test(`« ${header} » is recognised (${label})`, async () => {
      const file = tmpFile('csv');
      fs.writeFileSync(file, `${header}\r\n${v1};A1\r\n`);
      const { lines } = await parseAll(file, 'csv');
      assert.deepEqual(lines, [ok(2, v1, 'A1')]);
    });
  }

  test('columns in any order, extra named and blank columns, blank lines before the header', async () => {
    const file = tmpFile('csv');
    fs.writeFileSync(file, `\r\n;;\r\nLibellé;Code identifiant;SIRET;;\r\nSiège;A1;${v1};;\r\n`);
    const { lines } = await parseAll(file, 'csv');
    assert.deepEqual(lines, [ok(4, v1, 'A1')]);
  });

  test('normalizeColumnLabel folds case, accents, underscores and spaces', () => {
    assert.equal(normalizeColumnLabel('\uFEFF  Côde__Identifiant '), 'code identifiant');
    assert.equal(normalizeColumnLabel('CODE IDENTIFIANT'), 'code identifiant');
  });

  test('a renamed column is a file error naming it', async () => {
    const { error, lines } = await parseRefused(fixture('header-renamed.csv'), 'csv', 'missingColumns');
    assert.equal(
      error.message,
      'La colonne « Code identifiant » est introuvable dans la première ligne du fichier. Téléchargez le modèle pour retrouver les colonnes attendues.',
    );
    assert.deepEqual(lines, []);
    const file = tmpFile('csv');
    fs.writeFileSync(file, `N° SIRET;Code identifiant\r\n${v1};A1\r\n`);
    assert.equal((await parseRefused(file, 'csv', 'missingColumns')).error.message, ESTABLISHMENT_IMPORT_MESSAGES.missingColumn('SIRET'));
  });

  test('a file without header, or with other columns, is refused', async () => {
    const { error } = await parseRefused(fixture('no-header.csv'), 'csv', 'missingColumns');
    assert.equal(error.message, ESTABLISHMENT_IMPORT_MESSAGES.headerIsData);
    const file = tmpFile('csv');
    fs.writeFileSync(file, 'Nom;Prénom\r\nDupont;Jean\r\n');
    assert.equal((await parseRefused(file, 'csv', 'missingColumns')).error.message, ESTABLISHMENT_IMPORT_MESSAGES.missingColumns);
  });

  test('a column given twice is refused', async () => {
    const file = tmpFile('csv');
    fs.writeFileSync(file, `SIRET;Code identifiant;siret\r\n${v1};A1;${v2}\r\n`);
    const { error } = await parseRefused(file, 'csv', 'duplicateColumn');
    assert.equal(error.message, ESTABLISHMENT_IMPORT_MESSAGES.duplicateColumn('SIRET'));
  });
});

describe('line errors', () => {
  test('each rule on its own line of errors.csv', async () => {
    const { lines, summary } = await parseAll(fixture('errors.csv'), 'csv');
    const siretError = (message: string) => ({ column: 'SIRET' as const, message });
    const codeError = (message: string) => ({ column: 'Code identifiant' as const, message });
    assert.deepEqual(lines, [
      ok(2, v1, 'A001'),
      { lineNumber: 3, siret: breakLuhn(v2), code: 'A002', errors: [siretError(SIRET_MESSAGES.siretInvalid)] },
      { lineNumber: 4, siret: v2, code: '', errors: [codeError('Le code identifiant est obligatoire.')] },
      { lineNumber: 5, siret: v1, code: 'A004', errors: [siretError('SIRET en double dans le fichier (déjà présent ligne 2).')] },
      { lineNumber: 6, siret: v3, code: 'A005', errors: [{ column: null, message: 'La ligne contient 3 colonnes au lieu de 2.' }] },
      { lineNumber: 7, siret: '', code: 'A006', errors: [siretError(SIRET_MESSAGES.siretRequired)] },
      { lineNumber: 8, siret: v4.slice(0, 13), code: 'A007', errors: [siretError(SIRET_MESSAGES.siretLength)] },
      {
        lineNumber: 9,
        siret: v4,
        code: 'CODE-BEAUCOUP-TROP-LONG',
        errors: [codeError('Le code identifiant doit comporter au plus 20 caractères.')],
      },
      ok(10, v5, 'A009'),
    ]);
    assert.deepEqual(summary, { dataLines: 9, linesWithErrors: 7, encoding: 'utf-8', separator: ';' });
  });

  test('a code of exactly 20 characters passes; a value beyond a blank column still counts', async () => {
    const file = tmpFile('csv');
    fs.writeFileSync(file, `SIRET;Code identifiant\r\n${v1};${'X'.repeat(20)}\r\n${v2};B2;;x\r\n`);
    const { lines } = await parseAll(file, 'csv');
    assert.deepEqual(lines[0], ok(2, v1, 'X'.repeat(20)));
    assert.deepEqual(lines[1].errors, [{ column: null, message: 'La ligne contient 4 colonnes au lieu de 2.' }]);
  });

  test('a cell with an invisible or control character is refused, shown back marked, in CSV and XLSX', async () => {
    const unsafe = (column: 'SIRET' | 'Code identifiant') => ({ column, message: ESTABLISHMENT_IMPORT_MESSAGES.unsafeCharacter });
    const rows = [
      [v1, 'VER\u202e3001'],
      [`${v2}\u200b`, 'B2'],
      [v3, 'C\u00853'],
      [v4, 'OK4'],
    ];
    const csv = await parseAll(writeEstablishmentCsv(tmpFile('csv'), rows), 'csv');
    const xlsx = await parseAll(await writeEstablishmentXlsx(tmpFile('xlsx'), rows), 'xlsx');
    for (const { lines } of [csv, xlsx]) {
      assert.deepEqual(lines, [
        { lineNumber: 2, siret: v1, code: 'VER\ufffd3001', errors: [unsafe('Code identifiant')] },
        { lineNumber: 3, siret: `${v2}\ufffd`, code: 'B2', errors: [unsafe('SIRET')] },
        { lineNumber: 4, siret: v3, code: 'C\ufffd3', errors: [unsafe('Code identifiant')] },
        ok(5, v4, 'OK4'),
      ]);
    }
  });

  test('an extra named column makes room for its values', async () => {
    const { lines } = await parseAll(fixture('windows-1252.csv'), 'csv');
    assert.ok(lines.every((line) => line.errors.length === 0));
  });
});

describe('file errors', () => {
  test('an empty file, or a header alone, has no establishment', async () => {
    for (const name of ['empty.csv', 'header-only.csv']) {
      const { error } = await parseRefused(fixture(name), 'csv', 'noLines');
      assert.equal(error.message, "Le fichier ne contient aucune ligne d'établissement.");
    }
  });

  test('a binary file named .csv is not a readable CSV', async () => {
    const { error } = await parseRefused(fixture('binary.csv'), 'csv', 'notCsv');
    assert.equal(error.message, "Le fichier n'est pas un fichier CSV lisible.");
    const pdf = tmpFile('csv');
    fs.writeFileSync(pdf, '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n');
    await parseRefused(pdf, 'csv', 'notCsv');
  });

  test('a NUL byte after 64 KB of good lines still refuses the file', async () => {
    const file = writeEstablishmentCsv(tmpFile('csv'), establishmentLines(4000));
    fs.appendFileSync(file, Buffer.from([0x00, 0x01, 0x02]));
    await parseRefused(file, 'csv', 'notCsv');
  });

  test('20 000 lines are accepted', async () => {
    const file = writeEstablishmentCsv(tmpFile('csv'), establishmentLines(20_000));
    const { lines, summary } = await parseAll(file, 'csv');
    assert.equal(lines.length, 20_000);
    assert.equal(lines.at(-1)?.lineNumber, 20_001);
    assert.equal(summary.linesWithErrors, 0);
  });

  test('20 001 lines are refused, after the 20 000 first were yielded', async () => {
    const file = writeEstablishmentCsv(tmpFile('csv'), establishmentLines(20_001));
    const { error, lines } = await parseRefused(file, 'csv', 'tooManyLines');
    assert.equal(error.message, 'Le fichier contient plus de 20\u00a0000 lignes : découpez-le en plusieurs fichiers.');
    assert.equal(lines.length, 20_000);
  });

  test('25 000 lines: reading stops at line 20 001 (the NUL bytes at the end are never reached)', async () => {
    const file = writeEstablishmentCsv(tmpFile('csv'), establishmentLines(25_000));
    fs.appendFileSync(file, Buffer.alloc(16));
    const { lines } = await parseRefused(file, 'csv', 'tooManyLines');
    assert.equal(lines.length, 20_000);
    assert.equal(openDescriptorsOf(file), 0, 'the file is closed');
  });

  test('maxLines can be lowered; blank lines do not count', async () => {
    await parseRefused(fixture('excel-fr-semicolon-bom.csv'), 'csv', 'tooManyLines', { maxLines: 2 });
    const { lines } = await parseAll(fixture('trailing-blanks.csv'), 'csv', { maxLines: 3 });
    assert.equal(lines.length, 3);
  });

  test('a 6 MB file of 20 000 lines is read as a stream', async () => {
    const comment = 'Commentaire '.repeat(24);
    const lines = establishmentLines(20_000).map(([siret, code]) => [siret, code, comment]);
    const file = writeEstablishmentCsv(tmpFile('csv'), lines, { header: ['SIRET', 'Code identifiant', 'Commentaire'] });
    assert.ok(fs.statSync(file).size > 6_000_000);
    const { summary } = await parseAll(file, 'csv');
    assert.equal(summary.dataLines, 20_000);
    assert.equal(summary.linesWithErrors, 0);
  });

  test('a caller that stops early leaves no file open', async () => {
    for (const [name, kind] of [
      ['excel-fr-semicolon-bom.csv', 'csv'],
      ['libreoffice-numeric.xlsx', 'xlsx'],
      ['valid.xlsx', 'xlsx'],
    ] as const) {
      for await (const line of parseEstablishmentFile(fixture(name), kind)) {
        assert.equal(line.lineNumber, 2);
        break;
      }
      await parseRefused(fixture(name), kind, 'tooManyLines', { maxLines: 1 });
      assert.equal(openDescriptorsOf(fixture(name)), 0, name);
    }
  });
});

describe('XLSX', () => {
  test('the first sheet is read, cells as text', async () => {
    const [a, b, c] = establishmentLines(3, 300);
    const { lines, summary } = await parseAll(fixture('valid.xlsx'), 'xlsx');
    assert.deepEqual(lines, [ok(2, a[0], a[1]), ok(3, b[0], b[1]), ok(4, c[0], c[1])]);
    assert.deepEqual(summary, { dataLines: 3, linesWithErrors: 0 });
  });

  test('a SIRET typed as a number gives back its 14 digits; row numbers are Excel’s', async () => {
    const { lines } = await parseAll(fixture('numeric-siret.xlsx'), 'xlsx');
    assert.deepEqual(lines, [
      ok(2, v1, '40318426'),
      ok(4, v2, 'B2'),
      { lineNumber: 5, siret: breakLuhn(v3), code: 'C3', errors: [{ column: 'SIRET', message: SIRET_MESSAGES.siretInvalid }] },
    ]);
  });

  test('the first visible sheet is the one read', async () => {
    const file = await writeEstablishmentXlsx(tmpFile('xlsx'), [[v1, 'A1']], {
      hiddenSheetBefore: [
        ['Nom', 'Prénom'],
        ['Dupont', 'Jean'],
      ],
    });
    const { lines } = await parseAll(file, 'xlsx');
    assert.deepEqual(lines, [ok(2, v1, 'A1')]);
  });

  test('a file saved by LibreOffice (numbers, shared strings after the sheet)', async () => {
    const { lines } = await parseAll(fixture('libreoffice-numeric.xlsx'), 'xlsx');
    assert.deepEqual(lines, [ok(2, v1, '40318426'), ok(3, v2, 'B2')]);
  });

  test('header rules and line rules are the same as for CSV', async () => {
    const renamed = await writeEstablishmentXlsx(tmpFile('xlsx'), [[v1, 'A1']], { header: ['SIRET', 'Code client'] });
    assert.equal((await parseRefused(renamed, 'xlsx', 'missingColumns')).error.message, ESTABLISHMENT_IMPORT_MESSAGES.missingColumn('Code identifiant'));
    const headerOnly = await writeEstablishmentXlsx(tmpFile('xlsx'), []);
    await parseRefused(headerOnly, 'xlsx', 'noLines');
    await parseRefused(fixture('valid.xlsx'), 'xlsx', 'tooManyLines', { maxLines: 2 });
    const wide = await writeEstablishmentXlsx(tmpFile('xlsx'), [
      [v1, 'A1', null, 'x'],
      [v1, 'A2'],
    ]);
    const { lines } = await parseAll(wide, 'xlsx');
    assert.deepEqual(lines[0].errors, [{ column: null, message: 'La ligne contient 4 colonnes au lieu de 2.' }]);
    assert.deepEqual(lines[1].errors, [{ column: 'SIRET', message: ESTABLISHMENT_IMPORT_MESSAGES.duplicateSiret(2) }]);
  });

  test('a corrupt, truncated or foreign file is not a readable workbook', async () => {
    const { error } = await parseRefused(fixture('corrupt.xlsx'), 'xlsx', 'notXlsx');
    assert.equal(error.message, IMPORT_FILE_MESSAGES.notXlsx);
    const valid = fs.readFileSync(fixture('libreoffice-numeric.xlsx'));
    const truncated = tmpFile('xlsx');
    fs.writeFileSync(truncated, valid.subarray(0, Math.floor(valid.length / 2)));
    await parseRefused(truncated, 'xlsx', 'notXlsx');
    await parseRefused(fixture('excel-fr-semicolon-bom.csv'), 'xlsx', 'notXlsx');
    await parseRefused(fixture('empty.csv'), 'xlsx', 'notXlsx');
  });

  test('cells as text whatever their type', () => {
    const shared = ['SIRET', 'Code identifiant'];
    assert.equal(xlsxCellText('n', '73282932000074', '', shared), '73282932000074');
    assert.equal(xlsxCellText('n', '7.3282932000074E+13', '', shared), '73282932000074');
    assert.equal(xlsxCellText('n', '', '', shared), '');
    assert.equal(xlsxCellText('s', '1', '', shared), 'Code identifiant');
    assert.equal(xlsxCellText('s', '9', '', shared), '', 'an index out of the table');
    assert.equal(xlsxCellText('inlineStr', '', '40318426', shared), '40318426');
    assert.equal(xlsxCellText('str', '40318426', '', shared), '40318426');
    assert.equal(xlsxCellText('b', '1', '', shared), 'VRAI');
    assert.equal(xlsxCellText('e', '#N/A', '', shared), '#N/A');
    assert.equal(xlsxNumberText('1e21'), '1000000000000000000000');
    assert.equal(xlsxNumberText('12.5'), '12.5');
  });

  test('inline strings, rich text, formulas, prefixed tags and cells without reference', async () => {
    // A worksheet as some non-Excel writers produce it, zipped by hand.
    const file = tmpFile('xlsx');
    writeZip(file, {
      '[Content_Types].xml': '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
      '_rels/.rels': `<Relationships xmlns="${RELS_NS}"><Relationship Id="rId1" Type="${DOC_REL}/officeDocument" Target="/xl/workbook.xml"/></Relationships>`,
      'xl/workbook.xml': `<x:workbook xmlns:x="${MAIN_NS}" xmlns:rel="${DOC_REL}"><x:sheets><x:sheet name="Données" sheetId="1" rel:id="R1"/></x:sheets></x:workbook>`,
      'xl/_rels/workbook.xml.rels': `<Relationships xmlns="${RELS_NS}"><Relationship Id="R1" Type="${DOC_REL}/worksheet" Target="feuilles/donnees.xml"/><Relationship Id="R2" Type="${DOC_REL}/sharedStrings" Target="chaines.xml"/></Relationships>`,
      'xl/chaines.xml': `<sst xmlns="${MAIN_NS}"><si><t>SIRET</t></si><si><r><t>Code </t></r><r><rPr><b/></rPr><t>identifiant</t></r><rPh><t>コード</t></rPh></si></sst>`,
      'xl/feuilles/donnees.xml': `<x:worksheet xmlns:x="${MAIN_NS}"><x:sheetData>
        <x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c></x:row>
        <x:row><x:c t="inlineStr"><x:is><x:t>${v1}</x:t></x:is></x:c><x:c><x:f>40318400+26</x:f><x:v>40318426</x:v></x:c></x:row>
        <x:row r="5"><x:c r="A5" t="str"><x:f>A2</x:f><x:v>${v2}</x:v></x:c><x:c r="B5" t="inlineStr"><x:is><x:t><![CDATA[B&2]]></x:t></x:is></x:c></x:row>
      </x:sheetData></x:worksheet>`,
    });
    const { lines } = await parseAll(file, 'xlsx');
    assert.deepEqual(lines, [ok(2, v1, '40318426'), ok(5, v2, 'B&2')]);
  });
});

describe('XLSX: files built to exhaust the reader', () => {
  const row = (n: number, siret: string, code: string) =>
    `<row r="${n}"><c r="A${n}" t="inlineStr"><is><t>${siret}</t></is></c><c r="B${n}" t="inlineStr"><is><t>${code}</t></is></c></row>`;

  /** Refused as too large, in less than `seconds` (generous: the test machine may be busy). */
  async function refusedQuickly(file: string, seconds = 10) {
    const started = Date.now();
    const { error } = await parseRefused(file, 'xlsx', 'xlsxTooLarge');
    assert.equal(error.message, IMPORT_FILE_MESSAGES.xlsxTooLarge);
    const elapsed = Date.now() - started;
    assert.ok(elapsed < seconds * 1000, `refused after ${elapsed} ms`);
  }

  for (const [name, write] of Object.entries(HOSTILE_WORKBOOKS)) {
    test(`${name}: « trop volumineux » at once, nothing inflated past the limit`, { timeout: 60_000 }, async () => {
      const file = write(tmpFile('xlsx'));
      assert.ok(fs.statSync(file).size < 5 * 1024 * 1024, 'small enough to be uploaded');
      await refusedQuickly(file);
    });
  }

  test('a cell longer than Excel allows, inline or shared, is refused; one at the limit is read', async () => {
    const atLimit = 'Z'.repeat(MAX_XLSX_CELL_CHARS);
    const { lines } = await parseAll(writeRawWorkbook(tmpFile('xlsx'), rawSheet(row(2, v1, atLimit))), 'xlsx');
    assert.equal(lines[0].code.length, MAX_XLSX_CELL_CHARS);
    assert.deepEqual(
      lines[0].errors.map((e) => e.column),
      ['Code identifiant'],
      'a line error, not a file error',
    );
    // Cut into several text runs, as rich text is.
    const runs = `<is><r><t>${atLimit}</t></r><r><t>Z</t></r></is>`;
    await refusedQuickly(writeRawWorkbook(tmpFile('xlsx'), rawSheet(`<row r="2"><c r="A2" t="inlineStr">${runs}</c></row>`)));
    await refusedQuickly(writeRawWorkbook(tmpFile('xlsx'), rawSheet(`<row r="2"><c r="A2"><v>${'9'.repeat(MAX_XLSX_CELL_CHARS + 1)}</v></c></row>`)));
    const shared = (text: string) => `<sst xmlns="${SPREADSHEET_NS.main}"><si><t>${text}</t></si></sst>`;
    const sheet = rawSheet(`<row r="2"><c r="A2" t="inlineStr"><is><t>${v1}</t></is></c><c r="B2" t="s"><v>0</v></c></row>`);
    await refusedQuickly(writeRawWorkbook(tmpFile('xlsx'), sheet, shared(atLimit + 'Z')));
    assert.equal((await parseAll(writeRawWorkbook(tmpFile('xlsx'), sheet, shared('A1')), 'xlsx')).lines[0].code, 'A1');
  });

  test('one long shared string used by every cell is refused (its text, not the file, is too large)', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `<row r="${i + 2}"><c t="s"><v>0</v></c><c t="s"><v>0</v></c></row>`).join('');
    const file = writeRawWorkbook(tmpFile('xlsx'), rawSheet(rows), `<sst xmlns="${SPREADSHEET_NS.main}"><si><t>${'7'.repeat(30_000)}</t></si></sst>`);
    await refusedQuickly(file);
  });

  test('blank rows count: past the physical row limit the file is refused, even with no line in it', async () => {
    const blank = (count: number) => '<row/>'.repeat(count);
    // Header + blank rows + one line = the limit: read.
    const atLimit = writeRawWorkbook(tmpFile('xlsx'), rawSheet(blank(MAX_XLSX_SHEET_ROWS - 2) + row(MAX_XLSX_SHEET_ROWS, v1, 'A1')));
    const { lines } = await parseAll(atLimit, 'xlsx');
    assert.deepEqual(lines, [{ lineNumber: MAX_XLSX_SHEET_ROWS, siret: v1, code: 'A1', errors: [] }]);
    await refusedQuickly(writeRawWorkbook(tmpFile('xlsx'), rawSheet(blank(MAX_XLSX_SHEET_ROWS))));
  });

  test('rows padded to the last column, deep nesting and an endless tag are refused', async () => {
    const lastColumn = Array.from({ length: 300 }, (_, i) => `<row r="${i + 2}"><c r="XFD${i + 2}"><v>1</v></c></row>`).join('');
    await refusedQuickly(writeRawWorkbook(tmpFile('xlsx'), rawSheet(lastColumn)));
    await refusedQuickly(writeRawWorkbook(tmpFile('xlsx'), rawSheet('<x>'.repeat(1000) + '</x>'.repeat(1000))));
    await refusedQuickly(writeRawWorkbook(tmpFile('xlsx'), rawSheet(`<row r="2"${' '.repeat(500_000)}>${row(3, v1, 'A1').slice(9)}`)));
  });

  test('a wide sheet of 20 000 lines (six columns, 6 MB of XML) is still read', { timeout: 60_000 }, async () => {
    const file = await writeEstablishmentXlsx(
      tmpFile('xlsx'),
      establishmentLines(20_000).map(([siret, code]) => [siret, code, 'Une raison sociale assez longue SARL', '12 rue de la République', '75001', 'Paris']),
      { header: ['SIRET', 'Code identifiant', 'Raison sociale', 'Adresse', 'Code postal', 'Ville'] },
    );
    const { summary } = await parseAll(file, 'xlsx');
    assert.equal(summary.dataLines, 20_000);
  });
});

describe('decodeText', () => {
  async function decodeChunks(chunks: Buffer[]) {
    const info: DecodedTextInfo = {};
    let text = '';
    for await (const part of decodeText(chunks, info)) text += part;
    return { text, info };
  }

  test('a UTF-8 sequence cut between two chunks is still UTF-8', async () => {
    const e = Buffer.from('é');
    assert.deepEqual(await decodeChunks([Buffer.from('ab'), e.subarray(0, 1), Buffer.concat([e.subarray(1), Buffer.from('c')])]), {
      text: 'abéc',
      info: { bom: false, encoding: 'utf-8' },
    });
  });

  test('a file ending in half a UTF-8 sequence is Windows-1252', async () => {
    assert.deepEqual(await decodeChunks([Buffer.from('ab'), Buffer.from([0xc3])]), {
      text: 'abÃ',
      info: { bom: false, encoding: 'windows-1252' },
    });
  });

  test('Windows-1252 characters outside Latin-1 (€, œ, ’)', async () => {
    assert.deepEqual(await decodeChunks([iconv.encode('€ œ ’', 'win1252')]), {
      text: '€ œ ’',
      info: { bom: false, encoding: 'windows-1252' },
    });
  });

  test('a BOM is dropped and decides', async () => {
    assert.deepEqual(await decodeChunks([Buffer.from('\uFEFFé', 'utf8')]), { text: 'é', info: { bom: true, encoding: 'utf-8' } });
    assert.deepEqual(await decodeChunks([Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('é;\0', 'utf16le')])]), {
      text: 'é;\0',
      info: { bom: true, encoding: 'utf-16le' },
    });
  });
});

describe('error report', () => {
  let reportLines: ParsedLine[] = [];
  before(async () => {
    reportLines = (await parseAll(fixture('errors.csv'), 'csv')).lines;
  });

  test('BOM, `;`, CRLF, one row per error, lines without error left out', async () => {
    const bytes = await errorReportCsv(reportLines);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    assert.ok(text.startsWith('Ligne;Colonne;SIRET;Code identifiant;Erreur\r\n'));
    assert.ok(text.endsWith('\r\n'));
    assert.ok(!/[^\r]\n/.test(text), 'CRLF only');
    const rows = parseCsvText(text, { delimiter: ';' }) as string[][];
    assert.deepEqual(rows[0], [...ERROR_REPORT_COLUMNS]);
    assert.deepEqual(rows.slice(1), [
      ['3', 'SIRET', breakLuhn(v2), 'A002', SIRET_MESSAGES.siretInvalid],
      ['4', 'Code identifiant', v2, '', 'Le code identifiant est obligatoire.'],
      ['5', 'SIRET', v1, 'A004', 'SIRET en double dans le fichier (déjà présent ligne 2).'],
      ['6', '', v3, 'A005', 'La ligne contient 3 colonnes au lieu de 2.'],
      ['7', 'SIRET', '', 'A006', SIRET_MESSAGES.siretRequired],
      ['8', 'SIRET', v4.slice(0, 13), 'A007', SIRET_MESSAGES.siretLength],
      ['9', 'Code identifiant', v4, 'CODE-BEAUCOUP-TROP-LONG', 'Le code identifiant doit comporter au plus 20 caractères.'],
    ]);
  });

  test('cells are quoted when needed and formulas neutralised; caller errors fit in', async () => {
    const lines = [
      { lineNumber: 2, siret: '=HYPERLINK("x")', code: 'A;1', errors: [{ column: 'SIRET', message: SIRET_MESSAGES.siretLength }] },
      { lineNumber: 3, siret: v1, code: '+33', errors: [{ column: null, message: 'Établissement inconnu : vérifiez le "code".' }] },
    ];
    const text = (await errorReportCsv(lines)).subarray(3).toString('utf8');
    assertIncludes(text, `;"'=HYPERLINK(""x"")";"A;1";`, text);
    const rows = parseCsvText(text, { delimiter: ';' }) as string[][];
    assert.deepEqual(rows.slice(1), [
      ['2', 'SIRET', `'=HYPERLINK("x")`, 'A;1', SIRET_MESSAGES.siretLength],
      ['3', '', v1, `'+33`, 'Établissement inconnu : vérifiez le "code".'],
    ]);
  });

  test('the stream takes the parser’s lines as they come', async () => {
    async function* withErrors() {
      for await (const line of parseEstablishmentFile(fixture('errors.csv'), 'csv')) if (line.errors.length) yield line;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of errorReportStream(withErrors())) chunks.push(Buffer.from(chunk));
    assert.deepEqual(Buffer.concat(chunks), await errorReportCsv(reportLines));
  });

  test('no error: the header alone', async () => {
    const text = (await errorReportCsv([ok(2, v1, 'A1')])).toString('utf8');
    assert.equal(text, '\uFEFFLigne;Colonne;SIRET;Code identifiant;Erreur\r\n');
  });
});

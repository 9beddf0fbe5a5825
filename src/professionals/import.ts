// `npm run import:professionnels FILE` (scripts/import-professionnels.ts): the health professionals
// directory from a CSV (columns in docs/domain.md#health-professionals-file), with the rules of the
// establishment import (src/domain/establishment-import.ts): the file is read as a stream
// (src/domain/import/csv-rows.ts: UTF-8 with or without BOM, or Windows-1252; `;`, tab or `,`),
// every line is checked and its errors reported with its line number, and nothing is written unless
// every line is right — then all of it in one transaction. Idempotent by identifier (RPPS or
// FINESS): a line whose number is already in the directory updates its row; the report says how
// many were added and how many updated. The town must be one of its postal code's communes
// (src/geo/communes.ts), which gives the point, unless the line gives latitude and longitude — in
// France, and within NEAR_POSTAL_CODE_KM of a commune of the postal code.
import type { Knex } from 'knex';
import { CSV_SEPARATORS, readCsvRows, splitCsvLine } from '../domain/import/csv-rows.js';
import { ImportFileError, normalizeColumnLabel, type RawRow } from '../domain/import/rows.js';
import { identifierKind, sectorFromText, specialtyFromText, type Sector } from '../domain/health-professionals.js';
import { parsePhone } from '../domain/phone.js';
import { hasUnsafeCharacter } from '../domain/unsafe-text.js';
import { communeIndex, distanceKm, isInFrance } from '../geo/communes.js';

const COLUMNS = {
  identifier: ['identifiant', 'rpps ou finess', 'identifiant rpps ou finess'],
  name: ['nom'],
  specialty: ['specialite'],
  address: ['adresse'],
  postalCode: ['code postal'],
  town: ['ville', 'commune'],
  phone: ['telephone'],
  sector: ['secteur'],
  tiersPayant: ['tiers payant'],
  network: ['reseau', 'reseau partenaire'],
  latitude: ['latitude'],
  longitude: ['longitude'],
} as const;
type Column = keyof typeof COLUMNS;
const REQUIRED: readonly Column[] = ['identifier', 'name', 'specialty', 'address', 'postalCode', 'town'];
const LABEL_OF: Readonly<Record<Column, string>> = {
  identifier: 'identifiant',
  name: 'nom',
  specialty: 'specialite',
  address: 'adresse',
  postalCode: 'code_postal',
  town: 'ville',
  phone: 'telephone',
  sector: 'secteur',
  tiersPayant: 'tiers_payant',
  network: 'reseau',
  latitude: 'latitude',
  longitude: 'longitude',
};
const BY_LABEL = new Map<string, Column>(
  Object.entries(COLUMNS).flatMap(([column, labels]) => labels.map((l) => [normalizeColumnLabel(l), column as Column] as const)),
);

const PROFESSIONAL_IMPORT_MESSAGES = {
  missingColumns: (labels: string[]) =>
    `Colonnes introuvables dans la première ligne du fichier : ${labels.join(', ')}. Voir docs/domain.md pour les colonnes attendues.`,
  noLines: 'Le fichier ne contient aucune ligne de professionnel.',
  required: (label: string) => `La colonne « ${label} » est obligatoire.`,
  identifier: "L'identifiant doit être un numéro RPPS (11 chiffres) ou FINESS (9 caractères).",
  duplicate: (line: number) => `Identifiant en double dans le fichier (déjà présent ligne ${line}).`,
  specialty: (text: string) => `La spécialité « ${echo(text)} » n'est pas dans la liste (voir docs/domain.md).`,
  sector: 'Le secteur doit être 1, 2 ou OPTAM.',
  sectorNotPhysician: 'Le secteur ne concerne que les médecins : laissez la colonne vide.',
  yesNo: (label: string) => `La colonne « ${label} » doit valoir oui ou non.`,
  phone: "Le numéro de téléphone n'est pas un numéro français valide.",
  postalCode: "Ce code postal n'existe pas.",
  coordinates: 'Latitude et longitude vont ensemble, en degrés décimaux (par exemple 45,7612 et 4,8518), en France.',
  coordinatesFar: (postalCode: string) =>
    `Latitude et longitude placent ce professionnel à plus de ${NEAR_POSTAL_CODE_KM} km du code postal ${postalCode} : vérifiez-les (ou laissez-les vides).`,
  townNotInPostalCode: (town: string, postalCode: string, communes: string[]) =>
    `La ville « ${echo(town)} » ne correspond pas au code postal ${postalCode} (${communes.length > 1 ? 'communes' : 'commune'} : ${communes.join(', ')}${communes.length === 3 ? '…' : ''}).`,
  tooLong: (label: string, max: number) => `La colonne « ${label} » dépasse ${max} caractères.`,
  unsafe: (label: string) => `La colonne « ${label} » contient un caractère invisible ou de contrôle.`,
} as const;

/** Given coordinates may be this far from a commune of the line's postal code, no farther. */
const NEAR_POSTAL_CODE_KM = 30;

/**
 * A cell shown back in an error message: without control characters (a terminal would run an
 * escape sequence) and cut at 60 characters. Cells that hold one get the unsafe message instead.
 */
function echo(text: string): string {
  const plain = text.replace(/\p{Cc}/gu, '');
  return plain.length > 60 ? `${plain.slice(0, 60)}…` : plain;
}

interface ProfessionalLine {
  lineNumber: number;
  errors: string[];
  row: {
    identifier: string;
    name: string;
    specialty: string;
    specialty_label: string;
    address_line: string;
    postal_code: string;
    city: string;
    phone: string | null;
    sector: Sector | null;
    tiers_payant: boolean;
    network_member: boolean;
    latitude: number;
    longitude: number;
  } | null;
}

function chooseSeparator(headerLine: string) {
  let best = CSV_SEPARATORS[0];
  let bestScore = -1;
  for (const separator of CSV_SEPARATORS) {
    const score = splitCsvLine(headerLine, separator).filter((cell) => BY_LABEL.has(normalizeColumnLabel(cell))).length;
    if (score > bestScore) [best, bestScore] = [separator, score];
  }
  return best;
}

function yesNo(text: string): boolean | null {
  const folded = normalizeColumnLabel(text);
  if (['oui', 'o', '1', 'vrai', 'x'].includes(folded)) return true;
  if (['non', 'n', '0', 'faux', ''].includes(folded)) return false;
  return null;
}

function decimal(text: string): number | null {
  const t = text.replace(',', '.');
  return /^-?\d{1,3}(\.\d+)?$/.test(t) ? Number(t) : null;
}

function checkLine(raw: RawRow, layout: Map<Column, number>, seen: Map<string, number>): ProfessionalLine {
  const cell = (c: Column) => (layout.has(c) ? (raw.cells[layout.get(c)!] ?? '') : '');
  const errors: string[] = [];
  for (const column of Object.keys(COLUMNS) as Column[]) {
    if (hasUnsafeCharacter(cell(column))) errors.push(PROFESSIONAL_IMPORT_MESSAGES.unsafe(LABEL_OF[column]));
  }
  for (const column of REQUIRED) if (!cell(column)) errors.push(PROFESSIONAL_IMPORT_MESSAGES.required(LABEL_OF[column]));
  for (const [column, max] of [
    ['name', 200],
    ['address', 200],
    ['town', 100],
  ] as const) {
    if (cell(column).length > max) errors.push(PROFESSIONAL_IMPORT_MESSAGES.tooLong(LABEL_OF[column], max));
  }
  const identifier = cell('identifier').replace(/\s/g, '').toUpperCase();
  if (identifier && !identifierKind(identifier)) errors.push(PROFESSIONAL_IMPORT_MESSAGES.identifier);
  else if (identifier) {
    const first = seen.get(identifier);
    if (first !== undefined) errors.push(PROFESSIONAL_IMPORT_MESSAGES.duplicate(first));
    else seen.set(identifier, raw.lineNumber);
  }
  const specialty = cell('specialty') ? specialtyFromText(cell('specialty')) : undefined;
  if (cell('specialty') && !specialty && !hasUnsafeCharacter(cell('specialty'))) errors.push(PROFESSIONAL_IMPORT_MESSAGES.specialty(cell('specialty')));
  let sector: Sector | null = null;
  if (cell('sector')) {
    const found = sectorFromText(cell('sector'));
    if (!found) errors.push(PROFESSIONAL_IMPORT_MESSAGES.sector);
    else if (specialty && !specialty.physician) errors.push(PROFESSIONAL_IMPORT_MESSAGES.sectorNotPhysician);
    else sector = found;
  }
  const tiersPayant = yesNo(cell('tiersPayant'));
  if (tiersPayant === null) errors.push(PROFESSIONAL_IMPORT_MESSAGES.yesNo(LABEL_OF.tiersPayant));
  const network = yesNo(cell('network'));
  if (network === null) errors.push(PROFESSIONAL_IMPORT_MESSAGES.yesNo(LABEL_OF.network));
  const phone = cell('phone') ? parsePhone(cell('phone')) : null;
  if (cell('phone') && !phone) errors.push(PROFESSIONAL_IMPORT_MESSAGES.phone);
  const postalCode = cell('postalCode').replace(/\s/g, '');
  let given: { lat: number; lon: number } | null = null;
  if (cell('latitude') || cell('longitude')) {
    const lat = decimal(cell('latitude'));
    const lon = decimal(cell('longitude'));
    if (lat === null || lon === null || !isInFrance({ lat, lon })) errors.push(PROFESSIONAL_IMPORT_MESSAGES.coordinates);
    else given = { lat, lon };
  }
  let point: { lat: number; lon: number } | null = null;
  if (postalCode) {
    const index = communeIndex();
    const communes = index.communesOf(postalCode);
    const town = cell('town');
    const commune = town && !hasUnsafeCharacter(town) ? index.communeNamed(postalCode, town) : null;
    if (!communes.length) errors.push(PROFESSIONAL_IMPORT_MESSAGES.postalCode);
    else if (town && !hasUnsafeCharacter(town) && !commune)
      errors.push(PROFESSIONAL_IMPORT_MESSAGES.townNotInPostalCode(town, postalCode, [...new Set(communes.map((c) => c.name))].slice(0, 3)));
    else if (given && !communes.some((c) => distanceKm(c, given!) <= NEAR_POSTAL_CODE_KM)) errors.push(PROFESSIONAL_IMPORT_MESSAGES.coordinatesFar(postalCode));
    else point = given ?? commune;
  }
  if (errors.length || !specialty || !point) return { lineNumber: raw.lineNumber, errors, row: null };
  return {
    lineNumber: raw.lineNumber,
    errors,
    row: {
      identifier,
      name: cell('name'),
      specialty: specialty.code,
      specialty_label: specialty.label,
      address_line: cell('address'),
      postal_code: postalCode,
      city: cell('town'),
      phone,
      sector,
      tiers_payant: tiersPayant === true,
      network_member: network === true,
      latitude: Math.round(point.lat * 1e6) / 1e6,
      longitude: Math.round(point.lon * 1e6) / 1e6,
    },
  };
}

/** Every line of the file, checked (streamed: one line at a time, plus the identifiers seen). */
async function* readProfessionalFile(filePath: string): AsyncGenerator<ProfessionalLine> {
  let layout: Map<Column, number> | null = null;
  const seen = new Map<string, number>();
  let lines = 0;
  for await (const raw of readCsvRows(filePath, chooseSeparator)) {
    if (!layout) {
      layout = new Map();
      raw.cells.forEach((c, i) => {
        const column = BY_LABEL.get(normalizeColumnLabel(c));
        if (column && !layout!.has(column)) layout!.set(column, i);
      });
      const missing = REQUIRED.filter((c) => !layout!.has(c));
      if (missing.length) throw new ImportFileError('missingColumns', PROFESSIONAL_IMPORT_MESSAGES.missingColumns(missing.map((c) => LABEL_OF[c])));
      continue;
    }
    lines++;
    yield checkLine(raw, layout, seen);
  }
  if (!lines) throw new ImportFileError('noLines', PROFESSIONAL_IMPORT_MESSAGES.noLines);
}

export interface ImportReport {
  lines: number;
  errors: { lineNumber: number; message: string }[];
  added: number;
  updated: number;
  written: boolean;
}

const CHUNK = 500;

/**
 * Checks the whole file, then (unless `preview`, and only when no line has an error) writes it in
 * one transaction: new identifiers added, known ones updated. Counts both either way.
 */
export async function importProfessionals(db: Knex, filePath: string, options: { preview?: boolean; now: string }): Promise<ImportReport> {
  const report: ImportReport = { lines: 0, errors: [], added: 0, updated: 0, written: false };
  const rows: NonNullable<ProfessionalLine['row']>[] = [];
  for await (const line of readProfessionalFile(filePath)) {
    report.lines++;
    for (const message of line.errors) report.errors.push({ lineNumber: line.lineNumber, message });
    if (line.row) rows.push(line.row);
  }
  for (let i = 0; i < rows.length; i += CHUNK) {
    const ids = rows.slice(i, i + CHUNK).map((r) => r.identifier);
    const found = await db('health_professionals').count({ n: '*' }).whereIn('identifier', ids).first();
    report.updated += Number(found?.n ?? 0);
  }
  report.added = rows.length - report.updated;
  if (options.preview || report.errors.length) return report;
  await db.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK).map((r) => ({ ...r, created_at: options.now, updated_at: options.now }));
      await trx('health_professionals')
        .insert(chunk)
        .onConflict('identifier')
        .merge([
          'name',
          'specialty',
          'specialty_label',
          'address_line',
          'postal_code',
          'city',
          'phone',
          'sector',
          'tiers_payant',
          'network_member',
          'latitude',
          'longitude',
          'updated_at',
        ]);
    }
  });
  report.written = true;
  return report;
}

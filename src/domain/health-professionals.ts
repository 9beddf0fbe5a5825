// The health professionals directory (« Professionnels de santé », /assure/professionnels): the
// fixed list of specialties with their French labels, convention sectors, identifiers (RPPS for a
// person, FINESS for an establishment) and the search radii. One place for these words: the page,
// the import (src/professionals/import.ts) and the demo seed all read them here.
import { comparable, NBSP, normalizeFrenchSpaces } from './text.js';

export interface Specialty {
  code: string;
  label: string;
  /** A physician has a convention sector (1, 2, OPTAM); other professions have none. */
  physician: boolean;
}

/** In the order of the search's list. Codes are stored in health_professionals.specialty. */
export const SPECIALTIES: readonly Specialty[] = [
  { code: 'medecin_generaliste', label: 'Médecin généraliste', physician: true },
  { code: 'ophtalmologue', label: 'Ophtalmologue', physician: true },
  { code: 'chirurgien_dentiste', label: 'Chirurgien-dentiste', physician: false },
  { code: 'opticien', label: 'Opticien', physician: false },
  { code: 'audioprothesiste', label: 'Audioprothésiste', physician: false },
  { code: 'masseur_kinesitherapeute', label: 'Masseur-kinésithérapeute', physician: false },
  { code: 'pediatre', label: 'Pédiatre', physician: true },
  { code: 'gynecologue', label: 'Gynécologue', physician: true },
  { code: 'dermatologue', label: 'Dermatologue', physician: true },
  { code: 'cardiologue', label: 'Cardiologue', physician: true },
  { code: 'orl', label: 'Oto-rhino-laryngologiste (ORL)', physician: true },
  { code: 'psychiatre', label: 'Psychiatre', physician: true },
  { code: 'rhumatologue', label: 'Rhumatologue', physician: true },
  { code: 'radiologie', label: 'Centre de radiologie', physician: false },
  { code: 'laboratoire', label: "Laboratoire d'analyses médicales", physician: false },
  { code: 'pharmacie', label: 'Pharmacie', physician: false },
  { code: 'infirmier', label: 'Infirmier', physician: false },
  { code: 'sage_femme', label: 'Sage-femme', physician: false },
  { code: 'orthophoniste', label: 'Orthophoniste', physician: false },
  { code: 'pedicure_podologue', label: 'Pédicure-podologue', physician: false },
  { code: 'osteopathe', label: 'Ostéopathe', physician: false },
  { code: 'psychologue', label: 'Psychologue', physician: false },
  { code: 'centre_sante', label: 'Centre de santé', physician: false },
  { code: 'centre_dentaire', label: 'Centre de santé dentaire', physician: false },
  { code: 'etablissement_hospitalier', label: 'Clinique / établissement hospitalier', physician: false },
];

const BY_CODE = new Map(SPECIALTIES.map((s) => [s.code, s]));

export function specialtyByCode(code: string): Specialty | undefined {
  return BY_CODE.get(code);
}

const BY_FOLDED = new Map<string, Specialty>(SPECIALTIES.flatMap((s) => [[comparable(s.label), s] as const, [comparable(s.code), s] as const]));

/** The specialty a file names, by its label or its code, however written; undefined when unknown. */
export function specialtyFromText(text: string): Specialty | undefined {
  return BY_FOLDED.get(comparable(text));
}

export type Sector = '1' | '2' | 'optam';

export const SECTOR_LABELS: Readonly<Record<Sector, string>> = {
  '1': 'Secteur 1',
  '2': 'Secteur 2',
  optam: 'Secteur 2 OPTAM',
};

/** « 1 », « secteur 1 », « 2 », « OPTAM », « secteur 2 optam » → the sector; undefined when not one. */
export function sectorFromText(text: string): Sector | undefined {
  const folded = comparable(text).replace(/^secteur /, '');
  if (folded === '1') return '1';
  if (folded === '2') return '2';
  if (folded === 'optam' || folded === '2 optam' || folded === 'optam co' || folded === 'optam 2') return 'optam';
  return undefined;
}

/** RPPS: 11 digits (a person). FINESS: 9 characters, digits or Corsica's 2A / 2B first (an establishment). */
export function identifierKind(identifier: string): 'rpps' | 'finess' | null {
  if (/^\d{11}$/.test(identifier)) return 'rpps';
  if (/^(?:\d{2}|2[AB])\d{7}$/.test(identifier)) return 'finess';
  return null;
}

/** The radii offered by the search, in kilometres; the first search uses DEFAULT_RADIUS_KM. */
export const SEARCH_RADII_KM: readonly number[] = [5, 10, 20, 50];
export const DEFAULT_RADIUS_KM = 10;

// What one search may cost. better-sqlite3 is synchronous: while a search measures distances no
// other request of the server moves, so a search measures at most about MAX_MEASURED_ROWS rows
// (a few milliseconds) and lists the MAX_LISTED nearest at most.

/** The most professionals a search lists: the nearest ones, 10 pages of 20. */
export const MAX_LISTED = 200;
/** The most rows whose distance one search computes; beyond, the radius narrows (narrowRadius). */
export const MAX_MEASURED_ROWS = 2_000;
/** The radii below the offered ones a search may narrow to where professionals are densest (central Paris). */
const NARROWER_RADII_KM: readonly number[] = [0.5, 1, 2];

/** The radii to count before a search within `requestedKm`: every narrower one, then it, ascending. */
export function radiiUpTo(requestedKm: number): number[] {
  return [...NARROWER_RADII_KM, ...SEARCH_RADII_KM].filter((r) => r < requestedKm).concat(requestedKm);
}

/**
 * The radius a search uses, given the rows of the box of each radius of radiiUpTo (ascending, the
 * one asked for last): the one asked for when its box holds at most `max` rows, else the widest
 * narrower one whose box does; the narrowest when none does (its box, about a square kilometre,
 * holds what a city centre holds: the bound is the density of the place).
 */
export function narrowRadius(radii: readonly number[], boxRows: readonly number[], max = MAX_MEASURED_ROWS): number {
  let chosen = radii[0];
  radii.forEach((r, i) => {
    if (boxRows[i] <= max) chosen = r;
  });
  return chosen;
}

// Built once: toLocaleString builds a formatter at every call.
const radiusFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/** A search radius: « 10 km », « 0,5 km ». */
export function formatRadiusKm(km: number): string {
  return `${radiusFormat.format(km)}${NBSP}km`;
}

// Built once: toLocaleString builds a formatter at every call, which a page of 20 rows felt.
const distanceFormat = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** « 2,4 km », « 1 234,5 km »: one decimal, French comma, U+00A0 spaces (src/domain/text.ts). */
export function formatDistanceKm(km: number): string {
  return `${normalizeFrenchSpaces(distanceFormat.format(km))}${NBSP}km`;
}

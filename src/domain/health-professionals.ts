// The health professionals directory (« Professionnels de santé », /assure/professionnels): the
// fixed list of specialties with their French labels, convention sectors, identifiers (RPPS for a
// person, FINESS for an establishment) and the search radii. One place for these words: the page,
// the import (src/professionals/import.ts) and the demo seed all read them here.

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

/** Folds case, accents and punctuation: « ophtalmologue », « OPHTALMOLOGUE », « Masseur kinésithérapeute ». */
function foldLabel(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const BY_FOLDED = new Map<string, Specialty>(SPECIALTIES.flatMap((s) => [[foldLabel(s.label), s] as const, [foldLabel(s.code), s] as const]));

/** The specialty a file names, by its label or its code, however written; undefined when unknown. */
export function specialtyFromText(text: string): Specialty | undefined {
  return BY_FOLDED.get(foldLabel(text));
}

export type Sector = '1' | '2' | 'optam';

export const SECTOR_LABELS: Readonly<Record<Sector, string>> = {
  '1': 'Secteur 1',
  '2': 'Secteur 2',
  optam: 'Secteur 2 OPTAM',
};

/** « 1 », « secteur 1 », « 2 », « OPTAM », « secteur 2 optam » → the sector; undefined when not one. */
export function sectorFromText(text: string): Sector | undefined {
  const folded = foldLabel(text).replace(/^secteur /, '');
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

/** « 2,4 km »: one decimal, French comma. */
export function formatDistanceKm(km: number): string {
  return `${km.toLocaleString('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}\u00A0km`;
}

// Espace Assuré — Professionnels de santé: the professionals around a postal code or a town
// (or, with JavaScript, around the member's position: « Autour de moi », public/js/professionals.js),
// by specialty, sector, tiers payant and partner network, nearest first, 20 a page. A GET form: htmx
// updates the list in place and keeps the address in step; the place field gets suggestions as
// one types (a <datalist> filled by htmx). Places come from src/geo/communes.ts, the query from
// src/professionals/queries.ts (one query per page: the rows and their total).
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import {
  DEFAULT_RADIUS_KM,
  formatDistanceKm,
  formatRadiusKm,
  MAX_LISTED,
  MAX_MEASURED_ROWS,
  narrowRadius,
  radiiUpTo,
  SEARCH_RADII_KM,
  SECTOR_LABELS,
  SPECIALTIES,
  specialtyByCode,
  type Sector,
} from '../../domain/health-professionals.js';
import { communeIndex, isInFrance, withDe, type Place } from '../../geo/communes.js';
import { wantsFragment } from '../../middleware/render.js';
import { clampPage, listHref, pageInvalidText, pageLinks } from '../../paging.js';
import { countInBoxes, nearestProfessionals, professionalsByIds, type ProfessionalRow, type ProfessionalSearch } from '../../professionals/queries.js';
import { queryPage, queryText, unsafeQueryErrors, type FieldErrors } from '../../validation.js';

const BASE_URL = '/assure/professionnels';
const PAGE_SIZE = 20;

const PROFESSIONAL_MESSAGES = {
  placeRequired: 'Saisissez un code postal ou une ville, puis cliquez sur « Rechercher ».',
  unknownPostalCode: "Ce code postal n'existe pas. Saisissez un code postal à 5 chiffres (par exemple 69003) ou le nom d'une ville.",
  unknownTown: "Aucune ville de ce nom n'a été trouvée. Vérifiez l'orthographe, ou saisissez le code postal.",
  ambiguous: 'Plusieurs communes portent ce nom : choisissez-en une dans la liste ci-dessous, ou précisez le code postal.',
  position: "Votre position n'a pas pu être utilisée : saisissez un code postal ou une ville.",
  specialty: "Cette spécialité n'est pas connue : toutes les spécialités sont recherchées.",
  sector: "Ce secteur n'est pas connu : tous les secteurs sont recherchés.",
  radius: `Cette distance n'est pas proposée : la recherche est faite à ${DEFAULT_RADIUS_KM} km.`,
  page: pageInvalidText,
  narrowed: (asked: number, used: number) =>
    `Il y a trop de professionnels à moins de ${formatRadiusKm(asked)} pour les classer tous : la recherche est faite à ${formatRadiusKm(used)}. Précisez la spécialité pour chercher plus loin.`,
  capped: `Les ${MAX_LISTED} professionnels les plus proches sont affichés ; précisez la spécialité ou réduisez le rayon.`,
} as const;

const SPECIALTY_OPTIONS = SPECIALTIES.map((s) => [s.code, s.label]);
const SECTOR_OPTIONS = Object.entries(SECTOR_LABELS);
const RADIUS_OPTIONS = SEARCH_RADII_KM.map((r) => [String(r), formatRadiusKm(r)]);

const FIELDS = ['lieu', 'lat', 'lon', 'specialite', 'secteur', 'rayon', 'tiers_payant', 'reseau'] as const;
const hrefOf = listHref(FIELDS);

/** A position sent by « Autour de moi »: decimal degrees in France (isInFrance). */
function parsePosition(lat: string, lon: string): { lat: number; lon: number } | null {
  if (!/^-?\d{1,3}(\.\d{1,8})?$/.test(lat) || !/^-?\d{1,3}(\.\d{1,8})?$/.test(lon)) return null;
  const p = { lat: Number(lat), lon: Number(lon) };
  return isInFrance(p) ? p : null;
}

interface ParsedSearch {
  values: Record<(typeof FIELDS)[number], string>;
  errors: FieldErrors;
  /** Alternatives for an ambiguous or unknown town, each with its search address. */
  choices: { value: string; href: string }[];
  place: Place | null;
  search: Omit<ProfessionalSearch, 'centre'>;
  applied: Record<string, string>;
  page: number;
  pageError?: string;
}

function parseSearch(query: Request['query']): ParsedSearch {
  const values = Object.fromEntries(FIELDS.map((f) => [f, queryText(query[f], f === 'lieu' ? 100 : 40)])) as ParsedSearch['values'];
  const errors: FieldErrors = unsafeQueryErrors(query, ['lieu']);
  const applied: Record<string, string> = {};
  const search: ParsedSearch['search'] = { radiusKm: DEFAULT_RADIUS_KM };
  let choices: ParsedSearch['choices'] = [];
  let place: Place | null = null;

  if (values.specialite) {
    if (specialtyByCode(values.specialite)) {
      search.specialty = values.specialite;
      applied.specialite = values.specialite;
    } else errors.specialite = PROFESSIONAL_MESSAGES.specialty;
  }
  if (values.secteur) {
    if (Object.hasOwn(SECTOR_LABELS, values.secteur)) {
      search.sector = values.secteur as Sector;
      applied.secteur = values.secteur;
    } else errors.secteur = PROFESSIONAL_MESSAGES.sector;
  }
  if (values.rayon) {
    const radius = Number(values.rayon);
    if (/^\d{1,2}$/.test(values.rayon) && SEARCH_RADII_KM.includes(radius)) {
      search.radiusKm = radius;
      if (radius !== DEFAULT_RADIUS_KM) applied.rayon = values.rayon;
    } else errors.rayon = PROFESSIONAL_MESSAGES.radius;
  }
  if (values.tiers_payant === '1') {
    search.tiersPayant = true;
    applied.tiers_payant = '1';
  }
  if (values.reseau === '1') {
    search.network = true;
    applied.reseau = '1';
  }

  // A typed place wins over a position: the member typed it after « Autour de moi ».
  if (values.lieu && !errors.lieu) {
    const found = communeIndex().findPlace(values.lieu);
    if ('place' in found) {
      place = found.place;
      applied.lieu = values.lieu;
    } else {
      errors.lieu =
        found.error === 'unknown-postal-code'
          ? PROFESSIONAL_MESSAGES.unknownPostalCode
          : found.error === 'ambiguous'
            ? PROFESSIONAL_MESSAGES.ambiguous
            : PROFESSIONAL_MESSAGES.unknownTown;
      choices = found.choices.map((c) => ({ value: c.value, href: hrefOf(BASE_URL, { ...applied, lieu: c.value }) }));
    }
  } else if (!values.lieu && (values.lat || values.lon)) {
    const position = parsePosition(values.lat, values.lon);
    if (position) {
      place = { ...position, label: 'votre position' };
      applied.lat = values.lat;
      applied.lon = values.lon;
    } else errors.lieu = PROFESSIONAL_MESSAGES.position;
  }
  const { page, invalid } = queryPage(query.page);
  return { values, errors, choices, place, search, applied, page, pageError: invalid ? PROFESSIONAL_MESSAGES.page : undefined };
}

function professionalView(row: ProfessionalRow, distanceKm: number, networkName: string) {
  return {
    name: row.name,
    specialty: row.specialty_label,
    distance: formatDistanceKm(distanceKm),
    address: row.address_line,
    town: `${row.postal_code} ${row.city}`,
    phone: row.phone,
    sector: row.sector ? SECTOR_LABELS[row.sector] : null,
    tiersPayant: Boolean(row.tiers_payant),
    network: row.network_member ? `Réseau ${networkName}` : null,
  };
}

interface SearchResult {
  rows: ReturnType<typeof professionalView>[];
  /** « 3 professionnels de santé à moins de 10 km de Lyon » (without the page). */
  sentence: string;
  page: number;
  pages: number;
  /** Set when the radius was narrowed, or when only the MAX_LISTED nearest are listed. */
  notes: string[];
  links: ReturnType<typeof pageLinks>;
}

/**
 * Three queries, each of bounded work (src/professionals/queries.ts): the boxes' rows counted on
 * the index, which narrows the radius if need be; the MAX_LISTED nearest (one more to know whether
 * there are others), identifiers and distances; the rows of the page, a slice of them. A page past
 * the last one is the last one, from the same nearest.
 */
async function searchAround(ctx: AppContext, parsed: ParsedSearch, place: Place): Promise<{ result: SearchResult; pageError?: string }> {
  const asked = parsed.search.radiusKm;
  const radii = radiiUpTo(asked);
  const radiusKm = narrowRadius(radii, await countInBoxes(ctx.db, { ...parsed.search, centre: place }, radii, MAX_MEASURED_ROWS));
  const found = await nearestProfessionals(ctx.db, { ...parsed.search, radiusKm, centre: place }, MAX_LISTED + 1);
  const capped = found.length > MAX_LISTED;
  const listed = capped ? found.slice(0, MAX_LISTED) : found;
  const span = clampPage(parsed.page, listed.length, PAGE_SIZE);
  const where = `à moins de ${formatRadiusKm(radiusKm)} ${withDe(place.label)}`;
  const sentence = !listed.length
    ? `Aucun professionnel de santé ne correspond à ces critères ${where}. Élargissez la distance ou retirez un critère.`
    : `${capped ? `Plus de ${MAX_LISTED} professionnels de santé` : listed.length === 1 ? '1 professionnel de santé' : `${listed.length} professionnels de santé`} ${where}`;
  const notes: string[] = [];
  if (radiusKm < asked) notes.push(PROFESSIONAL_MESSAGES.narrowed(asked, radiusKm));
  if (capped) notes.push(PROFESSIONAL_MESSAGES.capped);
  const shown = listed.slice((span.page - 1) * PAGE_SIZE, span.page * PAGE_SIZE);
  const byId = new Map(
    (
      await professionalsByIds(
        ctx.db,
        shown.map((p) => p.id),
      )
    ).map((row) => [Number(row.id), row]),
  );
  const result: SearchResult = {
    rows: shown.flatMap((p) => {
      const row = byId.get(p.id);
      // The import never deletes a row; one missing all the same is left out rather than failing the page.
      return row ? [professionalView(row, p.distanceKm, ctx.config.brand.networkName)] : [];
    }),
    sentence,
    page: span.page,
    pages: span.pages,
    notes,
    links: pageLinks(span.page, span.pages, (p) => hrefOf(BASE_URL, parsed.applied, undefined, p)),
  };
  return { result, pageError: span.beyond };
}

export function showProfessionals(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const parsed = parseSearch(req.query);
    const searched = Boolean(parsed.values.lieu || parsed.values.lat || parsed.values.lon);
    let result: SearchResult | null = null;
    let pageError = parsed.pageError;
    if (parsed.place) {
      const found = await searchAround(ctx, parsed, parsed.place);
      result = found.result;
      pageError = found.pageError ?? pageError;
    }
    const errors = !searched && !Object.keys(parsed.errors).length ? undefined : parsed.errors;
    await res.renderPage({
      page: 'assure/professionals',
      fragment: 'assure/professionals-search',
      layout: 'assure',
      title: result && result.page > 1 ? `Professionnels de santé — page ${result.page}` : 'Professionnels de santé',
      locals: {
        values: { ...parsed.values, rayon: String(parsed.search.radiusKm) },
        errors: errors && Object.keys(errors).length ? errors : undefined,
        choices: parsed.choices,
        searched,
        specialtyOptions: SPECIALTY_OPTIONS,
        sectorOptions: SECTOR_OPTIONS,
        radiusOptions: RADIUS_OPTIONS,
        networkName: ctx.config.brand.networkName,
        result,
        pageError,
        ...(result ? result.links : {}),
      },
    });
  };
}

/**
 * The suggestions of the place field as the member types: a <datalist> for htmx. Without
 * JavaScript nothing asks for it; a plain visit is sent to the search for what was typed.
 */
export function suggestPlaces() {
  return async (req: Request, res: Response) => {
    const typed = queryText(req.query.lieu, 100);
    if (!wantsFragment(req)) return res.redirect(303, hrefOf(BASE_URL, typed ? { lieu: typed } : {}));
    const suggestions = typed.length >= 2 ? communeIndex().suggest(typed, 10) : [];
    await res.renderPage({
      page: 'assure/professionals',
      fragment: 'assure/place-suggestions',
      layout: 'assure',
      title: 'Professionnels de santé',
      locals: { suggestions },
    });
  };
}

// The health professionals directory in the database (migration 20261205100000): the search
// around a point, and the rows an import writes. Knex only; the same SQL on SQLite and PostgreSQL.
//
// The search is three queries, each of bounded work (src/domain/health-professionals.ts says why):
// - countInBoxes: the rows of the bounding box of each radius, counted on the index alone and up
//   to a bound, so that the page narrows the radius when a box holds more than one request may measure;
// - nearestProfessionals: a bounding box on latitude and longitude, which the indexes (specialty,
//   latitude, longitude) and (latitude, longitude) serve — the specialty's equality and the latitude
//   range bound the scan, the longitude is checked in the index —, then the exact great-circle
//   distance (haversine: SQLite's math functions, compiled into better-sqlite3, and PostgreSQL's)
//   of the rows in the box, kept within the radius, nearest first, a few hundred at most: their
//   identifiers and distances only, so that without the other filters the index alone answers;
// - professionalsByIds: the page's rows.
import type { Knex } from 'knex';
import type { Sector } from '../domain/health-professionals.js';
import type { GeoPoint } from '../geo/communes.js';

const EARTH_RADIUS_KM = 6371;
const KM_PER_DEGREE = (Math.PI * EARTH_RADIUS_KM) / 180;

export interface ProfessionalSearch {
  centre: GeoPoint;
  radiusKm: number;
  specialty?: string;
  sector?: Sector;
  tiersPayant?: boolean;
  network?: boolean;
}

export interface ProfessionalRow {
  id: number;
  name: string;
  specialty: string;
  specialty_label: string;
  address_line: string;
  postal_code: string;
  city: string;
  phone: string | null;
  sector: Sector | null;
  tiers_payant: boolean | number;
  network_member: boolean | number;
}

export interface NearProfessional {
  id: number;
  distanceKm: number;
}

/** The box around `centre` holding every point within `radiusKm` (a little wider at the poles' side: never narrower). */
function boundingBox(centre: GeoPoint, radiusKm: number) {
  const dLat = radiusKm / KM_PER_DEGREE;
  const dLon = radiusKm / (KM_PER_DEGREE * Math.cos(((Math.abs(centre.lat) + dLat) * Math.PI) / 180));
  return { latMin: centre.lat - dLat, latMax: centre.lat + dLat, lonMin: centre.lon - dLon, lonMax: centre.lon + dLon };
}

/** The rows in the box, with their exact distance; the radius and order are applied around it. */
function boxQuery(db: Knex, search: ProfessionalSearch) {
  const box = boundingBox(search.centre, search.radiusKm);
  const { lat, lon } = search.centre;
  const distance = db.raw(
    '2 * ? * asin(sqrt(power(sin(radians(latitude - ?) / 2), 2) + cos(radians(?)) * cos(radians(latitude)) * power(sin(radians(longitude - ?) / 2), 2)))',
    [EARTH_RADIUS_KM, lat, lat, lon],
  );
  const query = db('health_professionals')
    .select('id')
    .select({ distance_km: distance })
    .whereBetween('latitude', [box.latMin, box.latMax])
    .whereBetween('longitude', [box.lonMin, box.lonMax]);
  if (search.specialty) query.where('specialty', search.specialty);
  if (search.sector) query.where('sector', search.sector);
  if (search.tiersPayant) query.where('tiers_payant', true);
  if (search.network) query.where('network_member', true);
  return query;
}

/**
 * The query of the nearest professionals within the radius, nearest first: at most `limit`
 * identifiers with their distance, every row of the box measured (exported for the EXPLAIN tests).
 */
export function professionalsNearQuery(db: Knex, search: ProfessionalSearch, limit: number) {
  return db
    .select('id', 'distance_km')
    .from(boxQuery(db, search).as('box'))
    .where('distance_km', '<=', search.radiusKm)
    .orderBy([{ column: 'distance_km' }, { column: 'id' }])
    .limit(limit);
}

/** The nearest professionals within the radius, nearest first, `limit` at most. */
export async function nearestProfessionals(db: Knex, search: ProfessionalSearch, limit: number): Promise<NearProfessional[]> {
  const rows = (await professionalsNearQuery(db, search, limit)) as { id: number; distance_km: number | string }[];
  return rows.map((row) => ({ id: Number(row.id), distanceKm: Number(row.distance_km) }));
}

/** The directory's rows of these identifiers, in no particular order. */
export async function professionalsByIds(db: Knex, ids: readonly number[]): Promise<ProfessionalRow[]> {
  if (!ids.length) return [];
  return db('health_professionals')
    .select('id', 'name', 'specialty', 'specialty_label', 'address_line', 'postal_code', 'city', 'phone', 'sector', 'tiers_payant', 'network_member')
    .whereIn('id', ids);
}

/**
 * For each radius, how many rows its bounding box holds (of the specialty, when there is one),
 * counted up to `atMost` + 1: one query reading the index alone (latitude, longitude and specialty
 * are in it), never more than `atMost` + 1 entries per radius. The other filters (sector, tiers
 * payant, network) are left out: the count bounds the rows whose distance the search computes.
 */
export async function countInBoxes(db: Knex, centre: GeoPoint, radiiKm: readonly number[], specialty: string | undefined, atMost: number): Promise<number[]> {
  const counts = radiiKm.map((radiusKm, i) => {
    const box = boundingBox(centre, radiusKm);
    const inBox = db('health_professionals')
      .select(db.raw('1'))
      .whereBetween('latitude', [box.latMin, box.latMax])
      .whereBetween('longitude', [box.lonMin, box.lonMax])
      .limit(atMost + 1);
    if (specialty) inBox.where('specialty', specialty);
    return [`n${i}`, db.from(inBox.as(`box${i}`)).count('*')] as const;
  });
  const row = (await db.select(Object.fromEntries(counts)).first()) as Record<string, number | string>;
  return radiiKm.map((_r, i) => Number(row[`n${i}`]));
}

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

/** The conditions of the box (and the filters), with their bindings, in order. */
function boxConditions(search: ProfessionalSearch, radiusKm: number, filters: boolean): { sql: string; bindings: Knex.Value[] } {
  const box = boundingBox(search.centre, radiusKm);
  const conditions = ['latitude between ? and ?', 'longitude between ? and ?'];
  const bindings: Knex.Value[] = [box.latMin, box.latMax, box.lonMin, box.lonMax];
  const add = (condition: string, value: Knex.Value) => {
    conditions.push(condition);
    bindings.push(value);
  };
  if (search.specialty) add('specialty = ?', search.specialty);
  if (filters && search.sector) add('sector = ?', search.sector);
  if (filters && search.tiersPayant) add('tiers_payant = ?', true);
  if (filters && search.network) add('network_member = ?', true);
  return { sql: conditions.join(' and '), bindings };
}

// The two search queries are written as SQL text rather than with the query builder: building
// them took as long as running them (a CPU profile of the bench), and their text is the same for
// every search of the same shape, so better-sqlite3's prepared statement is reused (src/db.ts).

/**
 * The query of the nearest professionals within the radius, nearest first: at most `limit`
 * identifiers with their distance, every row of the box measured (exported for the EXPLAIN tests).
 */
export function professionalsNearQuery(search: ProfessionalSearch, limit: number): { sql: string; bindings: Knex.Value[] } {
  const { lat, lon } = search.centre;
  const where = boxConditions(search, search.radiusKm, true);
  const sql =
    'select id, distance_km from (select id, 2 * ? * asin(sqrt(power(sin(radians(latitude - ?) / 2), 2) + cos(radians(?)) * cos(radians(latitude)) * power(sin(radians(longitude - ?) / 2), 2))) as distance_km' +
    ` from health_professionals where ${where.sql}) as box where distance_km <= ? order by distance_km, id limit ?`;
  return { sql, bindings: [EARTH_RADIUS_KM, lat, lat, lon, ...where.bindings, search.radiusKm, limit] };
}

/** The nearest professionals within the radius, nearest first, `limit` at most. */
export async function nearestProfessionals(db: Knex, search: ProfessionalSearch, limit: number): Promise<NearProfessional[]> {
  const { sql, bindings } = professionalsNearQuery(search, limit);
  const rows = rowsOf<{ id: number; distance_km: number | string }>(await db.raw(sql, bindings));
  return rows.map((row) => ({ id: Number(row.id), distanceKm: Number(row.distance_km) }));
}

/** db.raw's rows: an array on SQLite, `.rows` on PostgreSQL. */
function rowsOf<T>(result: T[] | { rows: T[] }): T[] {
  return Array.isArray(result) ? result : result.rows;
}

/** The directory's rows of these identifiers, in no particular order. */
export async function professionalsByIds(db: Knex, ids: readonly number[]): Promise<ProfessionalRow[]> {
  if (!ids.length) return [];
  return db('health_professionals')
    .select('id', 'name', 'specialty', 'specialty_label', 'address_line', 'postal_code', 'city', 'phone', 'sector', 'tiers_payant', 'network_member')
    .whereIn('id', ids);
}

/**
 * For each radius, how many rows its bounding box around the search's centre holds (of the
 * specialty, when there is one), counted up to `atMost` + 1: one query reading the index alone (latitude, longitude and specialty
 * are in it), never more than `atMost` + 1 entries per radius. The other filters (sector, tiers
 * payant, network) are left out: the count bounds the rows whose distance the search computes.
 */
export async function countInBoxes(db: Knex, search: ProfessionalSearch, radiiKm: readonly number[], atMost: number): Promise<number[]> {
  const columns: string[] = [];
  const bindings: Knex.Value[] = [];
  radiiKm.forEach((radiusKm, i) => {
    const where = boxConditions(search, radiusKm, false);
    columns.push(`(select count(*) from (select 1 from health_professionals where ${where.sql} limit ?) as box${i}) as n${i}`);
    bindings.push(...where.bindings, atMost + 1);
  });
  const [row] = rowsOf<Record<string, number | string>>(await db.raw(`select ${columns.join(', ')}`, bindings));
  return radiiKm.map((_r, i) => Number(row[`n${i}`]));
}

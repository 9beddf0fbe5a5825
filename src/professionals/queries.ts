// The health professionals directory in the database (migration 20261205100000): the search
// around a point, and the rows an import writes. Knex only; the same SQL on SQLite and PostgreSQL.
//
// The search is two steps in one query: a bounding box on latitude and longitude, which the indexes
// (specialty, latitude, longitude) and (latitude, longitude) serve — the specialty's equality and
// the latitude range bound the scan, the longitude is checked in the index —, then the exact
// great-circle distance (haversine: SQLite's math functions, compiled into better-sqlite3, and
// PostgreSQL's) of the rows in the box, kept within the radius and ordered by it. The page and
// its total come in the same query (a window count).
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
  distance_km: number;
}

/** The box around `centre` holding every point within `radiusKm` (a little wider at the poles' side: never narrower). */
function boundingBox(centre: GeoPoint, radiusKm: number) {
  const dLat = radiusKm / KM_PER_DEGREE;
  const dLon = radiusKm / (KM_PER_DEGREE * Math.cos(((Math.abs(centre.lat) + dLat) * Math.PI) / 180));
  return { latMin: centre.lat - dLat, latMax: centre.lat + dLat, lonMin: centre.lon - dLon, lonMax: centre.lon + dLon };
}

/** The rows in the box, with their exact distance; the radius, order and page are applied around it. */
function boxQuery(db: Knex, search: ProfessionalSearch) {
  const box = boundingBox(search.centre, search.radiusKm);
  const { lat, lon } = search.centre;
  const distance = db.raw(
    '2 * ? * asin(sqrt(power(sin(radians(latitude - ?) / 2), 2) + cos(radians(?)) * cos(radians(latitude)) * power(sin(radians(longitude - ?) / 2), 2)))',
    [EARTH_RADIUS_KM, lat, lat, lon],
  );
  const query = db('health_professionals')
    .select('id', 'name', 'specialty', 'specialty_label', 'address_line', 'postal_code', 'city', 'phone', 'sector', 'tiers_payant', 'network_member')
    .select({ distance_km: distance })
    .whereBetween('latitude', [box.latMin, box.latMax])
    .whereBetween('longitude', [box.lonMin, box.lonMax]);
  if (search.specialty) query.where('specialty', search.specialty);
  if (search.sector) query.where('sector', search.sector);
  if (search.tiersPayant) query.where('tiers_payant', true);
  if (search.network) query.where('network_member', true);
  return query;
}

/** The query of one page of the professionals within the radius, nearest first, with the total (exported for the EXPLAIN tests). */
export function professionalsNearQuery(db: Knex, search: ProfessionalSearch, page: number, pageSize: number) {
  return db
    .select('*')
    .select(db.raw('count(*) over () as total'))
    .from(boxQuery(db, search).as('box'))
    .where('distance_km', '<=', search.radiusKm)
    .orderBy([{ column: 'distance_km' }, { column: 'id' }])
    .limit(pageSize)
    .offset((page - 1) * pageSize);
}

/** One page of the professionals within the radius, nearest first, with the total (null past the last page). */
export async function findProfessionalsNear(
  db: Knex,
  search: ProfessionalSearch,
  page: number,
  pageSize: number,
): Promise<{ rows: ProfessionalRow[]; total: number | null }> {
  const rows = (await professionalsNearQuery(db, search, page, pageSize)) as (ProfessionalRow & { total: number | string })[];
  return {
    rows: rows.map(({ total: _total, ...row }) => ({ ...row, distance_km: Number(row.distance_km) })),
    total: rows.length ? Number(rows[0].total) : null,
  };
}

export async function countProfessionalsNear(db: Knex, search: ProfessionalSearch): Promise<number> {
  const row = await db.count({ n: '*' }).from(boxQuery(db, search).as('box')).where('distance_km', '<=', search.radiusKm).first();
  return Number(row?.n ?? 0);
}

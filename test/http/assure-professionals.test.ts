// « Professionnels de santé » (/assure/professionnels): who may see it, the search around a
// postal code, a town or a position, its filters, order, distances and pages, the French messages
// of bad input (values kept), the place suggestions, and the query plans (the bounding box uses an
// index on SQLite and PostgreSQL).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createAccount, decoded, loginAs } from '../helpers/fixtures.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';
import { professionalsNearQuery } from '../../src/professionals/queries.js';
import type { Db } from '../../src/db.js';

let t: TestContext;
let member: Awaited<ReturnType<typeof loginAs>>;
const isPg = Boolean(process.env.TEST_PG_URL);

/** Lyon 3e's point in src/geo/communes.tsv. */
const LYON_3 = { lat: 45.7612, lon: 4.8518 };
const KM_LAT = 1 / 111.195;

let seq = 0;
async function addProfessional(db: Db, row: Partial<Record<string, unknown>> & { name: string; northKm?: number; eastKm?: number }) {
  seq++;
  const { northKm = 0, eastKm = 0, ...rest } = row;
  await db('health_professionals').insert({
    identifier: String(10_000_000_000 + seq),
    specialty: 'ophtalmologue',
    specialty_label: 'Ophtalmologue',
    address_line: `${seq} rue Paul Bert`,
    postal_code: '69003',
    city: 'Lyon',
    latitude: LYON_3.lat + northKm * KM_LAT,
    longitude: LYON_3.lon + (eastKm * KM_LAT) / Math.cos((LYON_3.lat * Math.PI) / 180),
    phone: '+33472000000',
    sector: '1',
    tiers_payant: true,
    network_member: false,
    created_at: '2026-11-01T08:00:00.000Z',
    ...rest,
  });
}

before(async () => {
  t = await makeTestApp();
  await addProfessional(t.db, { name: 'Dr Alice Proche', northKm: 0.5 });
  await addProfessional(t.db, { name: 'Dr Bruno Moyen', northKm: 3, sector: 'optam', tiers_payant: false });
  await addProfessional(t.db, { name: 'Dr Chloé Reseau', eastKm: -6, sector: '2', network_member: true });
  await addProfessional(t.db, { name: 'Dr Denis Lointain', northKm: 14 });
  await addProfessional(t.db, {
    name: 'Pharmacie des Essais',
    specialty: 'pharmacie',
    specialty_label: 'Pharmacie',
    identifier: '690000001',
    sector: null,
    northKm: 1,
  });
  await addProfessional(t.db, { name: 'Dr Paris Ailleurs', postal_code: '75007', city: 'Paris', latitude: 48.8566, longitude: 2.3126 });
  // 25 general practitioners around Marseille 1er, for the pages.
  for (let i = 0; i < 25; i++) {
    await addProfessional(t.db, {
      name: `Dr Généraliste ${String(i + 1).padStart(2, '0')}`,
      specialty: 'medecin_generaliste',
      specialty_label: 'Médecin généraliste',
      postal_code: '13001',
      city: 'Marseille',
      latitude: 43.2981 + i * 0.001,
      longitude: 5.3841,
    });
  }
  const { email } = await createAccount(t.db, { kind: 'member' });
  member = await loginAs(t.app, t.db, 'assure', email);
});
after(async () => t.close());

const includesAll = (html: string, texts: string[]) => {
  for (const text of texts) assertIncludes(html, text);
};
const excludesAll = (html: string, texts: string[]) => {
  for (const text of texts) assertExcludes(html, text);
};
const search = async (query: string, status = 200) => decoded((await member.get(`/assure/professionnels?${query}`).expect(status)).text);
const namesIn = (html: string) => [...html.matchAll(/<h2 class="pro-name">([^<]+)<\/h2>/g)].map((m) => m[1]);

describe('Professionnels de santé — access', () => {
  test('anonymous visitors are sent to the Espace Assuré door; HR and staff accounts are refused', async () => {
    for (const path of ['/assure/professionnels', '/assure/professionnels?lieu=69003', '/assure/professionnels/lieux?lieu=lyo']) {
      const res = await request(t.app).get(path);
      assert.ok([302, 303].includes(res.status), `${path}: ${res.status}`);
      assert.match(res.headers.location, /^\/assure/);
    }
    for (const [kind, door] of [
      ['hr', 'entreprise'],
      ['staff', 'gestion'],
    ] as const) {
      const { email } = await createAccount(t.db, { kind });
      const agent = await loginAs(t.app, t.db, door, email);
      await agent.get('/assure/professionnels?lieu=69003').expect(403);
      await agent.get('/assure/professionnels/lieux?lieu=lyo').set('HX-Request', 'true').expect(403);
    }
  });
});

describe('Professionnels de santé — search', () => {
  test('the page without a search: the form, « Autour de moi » hidden (JavaScript shows it), the card link, no result', async () => {
    const html = await search('');
    includesAll(html, [
      '<h1>Professionnels de santé</h1>',
      'Code postal ou ville',
      '>Rechercher</button>',
      'href="/assure/tiers-payant"',
      'data-geolocate-region hidden',
    ]);
    // The page's script, at its fingerprinted address (src/assets.ts), deferred.
    assert.match(html, /<script src="\/public\/js\/professionals\.[0-9a-f]{10}\.js" defer><\/script>/);
    excludesAll(html, ['class="pro-results"', 'error-message']);
  });

  test('around 69003, ophthalmologists within 10 km, nearest first, with distance, address, phone and flags', async () => {
    const html = await search('lieu=69003&specialite=ophtalmologue');
    assert.deepEqual(namesIn(html), ['Dr Alice Proche', 'Dr Bruno Moyen', 'Dr Chloé Reseau']);
    includesAll(html, [
      '3 professionnels de santé à moins de 10\u00A0km de Lyon 3e Arrondissement (69003)',
      '0,5\u00A0km',
      '3,0\u00A0km',
      '6,0\u00A0km',
      '1 rue Paul Bert',
      '69003 Lyon',
      '<a href="tel:+33472000000">04 72 00 00 00</a>',
      'Tiers payant accepté',
      'Secteur 1',
      'Secteur 2 OPTAM',
      'Réseau Ombelle',
      'présentez <a href="/assure/tiers-payant">votre carte de tiers payant</a>',
    ]);
    excludesAll(html, ['Dr Denis Lointain', 'Dr Paris Ailleurs', 'Pharmacie des Essais']);
  });

  test('the radius, and each filter: sector, tiers payant, partner network', async () => {
    assert.deepEqual(namesIn(await search('lieu=69003&specialite=ophtalmologue&rayon=20')), [
      'Dr Alice Proche',
      'Dr Bruno Moyen',
      'Dr Chloé Reseau',
      'Dr Denis Lointain',
    ]);
    assert.deepEqual(namesIn(await search('lieu=69003&specialite=ophtalmologue&rayon=5')), ['Dr Alice Proche', 'Dr Bruno Moyen']);
    assert.deepEqual(namesIn(await search('lieu=69003&secteur=optam')), ['Dr Bruno Moyen']);
    assert.deepEqual(namesIn(await search('lieu=69003&specialite=ophtalmologue&tiers_payant=1')), ['Dr Alice Proche', 'Dr Chloé Reseau']);
    assert.deepEqual(namesIn(await search('lieu=69003&reseau=1')), ['Dr Chloé Reseau']);
    // Every specialty: the pharmacy too, between the first two.
    assert.deepEqual(namesIn(await search('lieu=69003')), ['Dr Alice Proche', 'Pharmacie des Essais', 'Dr Bruno Moyen', 'Dr Chloé Reseau']);
  });

  test('a town name, accents and case aside, and a position sent by « Autour de moi »', async () => {
    assert.deepEqual(namesIn(await search('lieu=LYON&specialite=ophtalmologue&rayon=5')).slice(0, 1), ['Dr Alice Proche']);
    const html = await search(`lat=${LYON_3.lat}&lon=${LYON_3.lon}&specialite=ophtalmologue`);
    includesAll(html, ['3 professionnels de santé à moins de 10\u00A0km de votre position']);
    // A typed place wins over a position.
    includesAll(await search(`lieu=75007&lat=${LYON_3.lat}&lon=${LYON_3.lon}`), [
      '1 professionnel de santé à moins de 10\u00A0km de Paris 7e Arrondissement (75007)',
      'Dr Paris Ailleurs',
    ]);
  });

  test("the place in good French (« du Havre », « d'Ajaccio »), a postal code named by its commune, « Marseille 1er » and « St Etienne » understood", async () => {
    includesAll(await search('lieu=Le%20Havre'), ['Aucun professionnel de santé ne correspond à ces critères à moins de 10\u00A0km du Havre.']);
    includesAll(await search('lieu=Ajaccio'), ["à moins de 10\u00A0km d'Ajaccio."]);
    includesAll(await search('lieu=75015'), ['1 professionnel de santé à moins de 10\u00A0km de Paris 15e Arrondissement (75015)']);
    includesAll(await search('lieu=Marseille%201er&specialite=medecin_generaliste'), [
      '25 professionnels de santé à moins de 10\u00A0km de Marseille 1er Arrondissement — page 1 sur 2',
    ]);
    includesAll(await search('lieu=St%20Etienne'), ['à moins de 10\u00A0km de Saint-Étienne.']);
    const suggestions = decoded((await member.get('/assure/professionnels/lieux?lieu=st%20eti').set('HX-Request', 'true').expect(200)).text);
    includesAll(suggestions, ['<option value="42000 Saint-Étienne">']);
  });

  test('20 a page, the pagination links keep the search', async () => {
    const first = await search('lieu=13001&specialite=medecin_generaliste');
    assert.equal(namesIn(first).length, 20);
    includesAll(first, ['25 professionnels de santé', 'page 1 sur 2', 'href="/assure/professionnels?lieu=13001&specialite=medecin_generaliste&page=2"']);
    const second = await search('lieu=13001&specialite=medecin_generaliste&page=2');
    assert.deepEqual(namesIn(second), ['Dr Généraliste 21', 'Dr Généraliste 22', 'Dr Généraliste 23', 'Dr Généraliste 24', 'Dr Généraliste 25']);
    includesAll(await search('lieu=13001&specialite=medecin_generaliste&page=9'), ["La page 9 n'existe pas : la dernière page (2) est affichée."]);
  });

  test('an htmx request gets the search alone', async () => {
    const html = decoded((await member.get('/assure/professionnels?lieu=69003&specialite=ophtalmologue').set('HX-Request', 'true').expect(200)).text);
    assert.match(html.trim(), /^<div id="professionnels"/);
    excludesAll(html, ['<html', '<h1>']);
    assert.equal(namesIn(html).length, 3);
  });
});

describe('Professionnels de santé — bad input', () => {
  test('an unknown postal code, an unknown town, an ambiguous town: a French message at the field, the value kept, no result', async () => {
    let html = await search('lieu=99999&specialite=ophtalmologue');
    includesAll(html, ["Ce code postal n'existe pas.", 'value="99999"', 'aria-invalid="true"', '<option value="ophtalmologue" selected>']);
    excludesAll(html, ['class="pro-results"']);
    html = await search('lieu=Xyzzyville');
    includesAll(html, ["Aucune ville de ce nom n'a été trouvée.", 'value="Xyzzyville"']);
    html = await search('lieu=Saint-Denis&specialite=pharmacie');
    includesAll(html, [
      'Plusieurs communes portent ce nom',
      'href="/assure/professionnels?lieu=93200+Saint-Denis&specialite=pharmacie"',
      '>97400 Saint-Denis</a>',
    ]);
    const raw = (await member.get('/assure/professionnels?lieu=%3Cscript%3Ealert(1)%3C%2Fscript%3E').expect(200)).text;
    includesAll(raw, ['value="&lt;script&gt;alert(1)&lt;/script&gt;"']);
    excludesAll(raw, ['<script>alert(1)']);
  });

  test('a position outside France, an unknown specialty, sector or radius: a message each, the rest of the search applied', async () => {
    includesAll(await search('lat=40.7&lon=-74'), ["Votre position n'a pas pu être utilisée"]);
    includesAll(await search('lat=abc&lon=1'), ["Votre position n'a pas pu être utilisée"]);
    const html = await search('lieu=69003&specialite=astrologue&secteur=3&rayon=7');
    includesAll(html, [
      "Cette spécialité n'est pas connue",
      "Ce secteur n'est pas connu",
      "Cette distance n'est pas proposée",
      'à moins de 10\u00A0km de Lyon 3e Arrondissement (69003)',
    ]);
    assert.equal(namesIn(html).length, 4);
  });

  test('arrays and odd values never reach the query', async () => {
    const html = await search('lieu[]=69003&specialite[$ne]=x&rayon=50&page=abc');
    excludesAll(html, ['class="pro-results"']);
    includesAll(await search('lieu=69003&page=abc'), ["Ce numéro de page n'est pas valide"]);
  });
});

describe('Professionnels de santé — suggestions and links', () => {
  test('the place suggestions (htmx): a datalist of « postal code commune »; a plain visit goes to the search', async () => {
    const html = decoded((await member.get('/assure/professionnels/lieux?lieu=saint%20eti').set('HX-Request', 'true').expect(200)).text);
    assert.match(html.trim(), /^<datalist id="lieu-suggestions">/);
    includesAll(html, ['<option value="42000 Saint-Étienne">']);
    const codes = decoded((await member.get('/assure/professionnels/lieux?lieu=6900').set('HX-Request', 'true').expect(200)).text);
    includesAll(codes, ['<option value="69003 Lyon 3e Arrondissement">']);
    const plain = await member.get('/assure/professionnels/lieux?lieu=Lyon').expect(303);
    assert.equal(plain.headers.location, '/assure/professionnels?lieu=Lyon');
  });

  test('the Tiers payant page leads to the search', async () => {
    const { email } = await createAccount(t.db, { kind: 'member' });
    const agent = await loginAs(t.app, t.db, 'assure', email);
    const html = decoded((await agent.get('/assure/tiers-payant').expect(200)).text);
    includesAll(html, ['href="/assure/professionnels"']);
  });
});

describe('Professionnels de santé — query plans', () => {
  const around = { centre: LYON_3, radiusKm: 10 };
  async function plan(search: Parameters<typeof professionalsNearQuery>[0]): Promise<string> {
    const { sql, bindings } = professionalsNearQuery(search, 201);
    if (!isPg) {
      const rows = (await t.db.raw(`EXPLAIN QUERY PLAN ${sql}`, bindings)) as { detail: string }[];
      return rows.map((r) => r.detail).join('\n');
    }
    // A handful of rows: without this the planner rightly prefers reading the table. Turned off, it
    // still reads the table when no index fits the query, so the plan says whether one does.
    return t.db.transaction(async (trx) => {
      await trx.raw('SET LOCAL enable_seqscan = off');
      const res = await trx.raw(`EXPLAIN ${sql}`, bindings);
      return (res.rows as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n');
    });
  }

  test('a search by specialty uses (specialty, latitude, longitude); one of every specialty uses (latitude, longitude)', async () => {
    const bySpecialty = await plan({ ...around, specialty: 'ophtalmologue', tiersPayant: true });
    assert.match(bySpecialty, /health_professionals_specialty_latitude_longitude_index/, bySpecialty);
    assert.doesNotMatch(bySpecialty, isPg ? /Seq Scan/ : /SCAN health_professionals(?! USING)/, bySpecialty);
    const every = await plan(around);
    assert.match(every, /health_professionals_latitude_longitude_index/, every);
    assert.doesNotMatch(every, isPg ? /Seq Scan/ : /SCAN health_professionals(?! USING)/, every);
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createAccount, decoded, loginAs, tokenFrom, textOf } from '../helpers/fixtures.js';
import { addEmployee, createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { formatNir, maskNir, normalizeNir } from '../../src/domain/nir.js';
import { FOLDED_LETTERS, nameSearchKey } from '../../src/domain/name-search.js';
import { EMPLOYEE_TEXTS } from '../../src/entreprise/employees/pages.js';
import { ESTABLISHMENT_OPTIONS_MAX } from '../../src/entreprise/queries.js';
import { ESTABLISHMENTS_PAST_CAP_HINT } from '../../src/entreprise/establishment-filter.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const BASE = '/entreprise/salaries';
let t: TestContext;
let alpha: TestCompany;
let beta: TestCompany;
let gamma: TestCompany;
let delta: TestCompany;
let agent: Awaited<ReturnType<typeof loginAs>>;
const ids: Record<string, number> = {};

const nirOf = async (memberId: number) => (await t.db('members').where({ id: memberId }).first('nir')).nir as string;
/** The names of the list's rows, in order. */
const names = (html: string) => [...html.matchAll(/<th scope="row"><a href="\/entreprise\/salaries\/\d+">([^<]+)<\/a>/g)].map((m) => decoded(m[1]));
let admin: { id: number; email: string };
const list = async (qs: string) => (await agent.get(`${BASE}${qs}`).expect(200)).text;
/** A search by NIR: answered by a redirect to an address naming a reference, never the NIR. */
async function listByNir(nir: string) {
  const res = await agent.get(`${BASE}?assure=${encodeURIComponent(nir)}`).expect(303);
  const location = res.headers.location as string;
  assert.match(location, /[?&]assure=nir-[a-f0-9]{12}(&|$)/);
  assertExcludes(location, normalizeNir(nir).slice(0, 13), 'no NIR in the address');
  return list(location.slice(BASE.length));
}

before(async () => {
  t = await makeTestApp(); // today: 22/11/2026
  alpha = await createHrCompany(t.db, 'Alpha Immobilier', 3);
  beta = await createHrCompany(t.db, 'Beta Syndic', 1);
  gamma = await createHrCompany(t.db, 'Gamma Gestion', 1);
  delta = await createHrCompany(t.db, 'Delta Conseil', 1);
  const [a1, a2, a3] = alpha.establishments;
  ids.elodie = (await addEmployee(t.db, alpha, a1, { college: 'cadre', lastName: 'Lefèvre', firstName: 'Élodie', start: '2025-03-01' })).memberId;
  ids.paul = (await addEmployee(t.db, alpha, a1, { lastName: 'Martin', firstName: 'Paul' })).memberId;
  ids.ended = (await addEmployee(t.db, alpha, a1, { lastName: 'Dupont', firstName: 'Jean', start: '2020-01-01', end: '2025-06-30' })).memberId;
  ids.future = (await addEmployee(t.db, alpha, a1, { lastName: 'Zola', firstName: 'Emma', start: '2099-01-01' })).memberId;
  // Élodie's earlier affiliation on site 2 (non cadre, ended), and one on the site nobody follows.
  await t.db('affiliations').insert({
    ...(await t.db('affiliations').where({ member_id: ids.elodie }).first()),
    id: undefined,
    establishment_id: a2.id,
    contract_id: alpha.contracts.non_cadre,
    professional_status: 'non_cadre',
    start_date: '2022-01-01',
    end_date: '2025-02-28',
  });
  await t.db('affiliations').insert({
    ...(await t.db('affiliations').where({ member_id: ids.elodie }).first()),
    id: undefined,
    establishment_id: a3.id,
    start_date: '2019-01-01',
    end_date: '2021-12-31',
  });
  for (let i = 0; i < 26; i++) await addEmployee(t.db, alpha, a2, { lastName: `Moreau${String(i).padStart(2, '0')}`, firstName: 'Luc' });
  ids.beta = (await addEmployee(t.db, beta, beta.establishments[0], { lastName: 'Bernard', firstName: 'Anne' })).memberId;
  ids.gamma = (await addEmployee(t.db, gamma, gamma.establishments[0], { lastName: 'Secret', firstName: 'Gamma' })).memberId;
  ids.outside = (await addEmployee(t.db, alpha, a3, { lastName: 'Horsperimetre', firstName: 'Nina' })).memberId;
  ids.suspended = (await addEmployee(t.db, delta, delta.establishments[0], { lastName: 'Suspendu', firstName: 'Léo' })).memberId;
  admin = await createHrUser(
    t.db,
    [
      { company: alpha, role: 'admin' },
      { company: beta, role: 'user' },
      { company: delta, role: 'user', status: 'suspended' },
    ],
    { perimeter: [a1, a2, beta.establishments[0], delta.establishments[0]] },
  );
  agent = await loginAs(t.app, t.db, 'entreprise', admin.email);
});
after(async () => t.close());

// Visible: alpha sites 1–2 (4 + Élodie's old one + 26) and beta (1) = 32 affiliations.
const VISIBLE = 32;

describe('Mes salariés — the list', () => {
  test('title, the filters of the guide with « Tous », the table, only the perimeter ∩ active habilitations', async () => {
    const html = await list('');
    const text = textOf(html);
    assertIncludes(html, '<h1>Salariés affiliés</h1>');
    for (const label of ['SIREN', 'SIRET', 'Etablissement', 'Statut du contrat', 'Statut professionnel', 'Contrat', 'Assuré'])
      assertIncludes(html, `>${label}</label>`, label);
    assert.equal((html.match(/<option value="">Tous<\/option>/g) ?? []).length, 6);
    assertIncludes(html, '>Rechercher</button>');
    for (const h of ['Etablissement', 'Statut professionnel', 'Nom et prénom', 'Numéro de Sécurité sociale', 'Contrat', "Date d'effet", 'Date de fin'])
      assertIncludes(text, h, h);
    assertIncludes(text, `${VISIBLE} salariés affiliés — page 1 sur 2`, text);
    for (const hidden of ['Secret', 'Gamma Gestion', 'Horsperimetre', 'Suspendu', 'Delta Conseil']) assertExcludes(text, hidden, hidden);
    // Options only from what the user may see.
    assert.ok(html.includes(`value="${alpha.siren}"`) && html.includes(`value="${beta.siren}"`));
    assert.ok(!html.includes(gamma.siren) && !html.includes(delta.siren) && !html.includes(alpha.establishments[2].siret));
    assertExcludes(html, `value="${gamma.contracts.cadre}"`);
    // Sorted by name: BERNARD, DUPONT…; the NIR masked, never in full.
    assert.deepEqual(names(html).slice(0, 2), ['BERNARD Anne', 'DUPONT Jean']);
    const nir = await nirOf(ids.ended);
    assert.ok(html.includes(maskNir(nir)) && !html.includes(formatNir(nir)) && !html.includes(nir));
    assert.ok(text.includes('22/11/2026') || text.includes('01/01/2024'));
  });

  test('each filter: SIREN, SIRET, Etablissement, Statut du contrat, Statut professionnel, Contrat', async () => {
    assert.deepEqual(names(await list(`?siren=${beta.siren}`)), ['BERNARD Anne']);
    assert.equal(names(await list(`?siret=${alpha.establishments[0].siret}`)).length, 4);
    assert.deepEqual(names(await list(`?etablissement=${alpha.establishments[0].id}&statut=en_cours`)), ['LEFÈVRE Élodie', 'MARTIN Paul']);
    assert.deepEqual(names(await list('?statut=radie')), ['DUPONT Jean', 'LEFÈVRE Élodie']);
    assert.deepEqual(names(await list('?statut=a_venir')), ['ZOLA Emma']);
    assert.deepEqual(names(await list('?statut_professionnel=cadre')), ['LEFÈVRE Élodie']);
    assert.deepEqual(names(await list(`?contrat=${alpha.contracts.cadre}`)), ['LEFÈVRE Élodie']);
    const text = textOf(await list(`?siren=${alpha.siren}&statut=en_cours&statut_professionnel=non_cadre`));
    assertIncludes(text, '27 salariés affiliés correspondant à vos critères', text);
    // A chosen establishment narrows the selects to its company.
    const html = await list(`?etablissement=${beta.establishments[0].id}`);
    assertIncludes(html, `<option value="${beta.establishments[0].id}" selected>`);
    assertExcludes(html, `<option value="${alpha.establishments[0].id}"`);
  });

  test('Assuré: a name or a first name, whatever the case and accents; a NIR of 13 or 15 digits with spaces', async () => {
    for (const q of ['lefevre', 'LEFÈV', 'Lefèvre élo', 'elodie', 'ÉLODIE LEF'])
      assert.deepEqual(names(await list(`?assure=${encodeURIComponent(q)}`)), ['LEFÈVRE Élodie', 'LEFÈVRE Élodie'], q);
    assertIncludes(textOf(await list('?assure=moreau')), '26 salariés affiliés correspondant à vos critères — page 1 sur 2');
    const nir = await nirOf(ids.paul);
    const byNir = await listByNir(formatNir(nir));
    assert.deepEqual(names(byNir), ['MARTIN Paul']);
    assertIncludes(byNir, `value="${formatNir(nir)}"`, 'the field shows the NIR searched');
    assert.ok(!/href="[^"]*assure=\d/.test(byNir), 'no link carries the NIR');
    assert.deepEqual(names(await listByNir(nir.slice(0, 13))), ['MARTIN Paul']);
    // Another company's employee by NIR: not found.
    assert.deepEqual(names(await listByNir(await nirOf(ids.gamma))), []);
    // A reference from another session means nothing.
    t.clock.advance(61_000);
    const stranger = await loginAs(t.app, t.db, 'entreprise', admin.email);
    const ref = (await agent.get(`${BASE}?assure=${nir}`).expect(303)).headers.location.match(/nir-[a-f0-9]{12}/)![0];
    assertIncludes(textOf((await stranger.get(`${BASE}?assure=${ref}`).expect(200)).text), 'Saisissez le début du nom');
    // The search form is POSTed: answered at the list's GET address, never carrying the NIR.
    const csrf = await tokenFrom(agent, BASE);
    const posted = await agent
      .post(BASE)
      .type('form')
      .send({ _csrf: csrf, assure: formatNir(nir), statut_professionnel: '' })
      .expect(303);
    assert.match(posted.headers.location, /^\/entreprise\/salaries\?.*assure=nir-[a-f0-9]{12}/);
    assertExcludes(posted.headers.location, nir.slice(0, 13));
    const byName = await agent.post(BASE).type('form').send({ _csrf: csrf, assure: 'lefevre' }).expect(303);
    assert.equal(byName.headers.location, `${BASE}?assure=lefevre`);
    const wrong = await agent.post(BASE).type('form').send({ _csrf: csrf, assure: '295109912611194' }).expect(200);
    assertIncludes(textOf(wrong.text), 'La clé du numéro de Sécurité sociale ne correspond pas', 'errors shown without a redirect');
    await agent.post(BASE).type('form').send({ assure: 'lefevre' }).expect(403);
    // The export of a NIR search: by its reference too.
    const exportRes = await agent.get(`${BASE}/export.csv?assure=${nir}`).expect(303);
    assert.match(exportRes.headers.location, /^\/entreprise\/salaries\/export\.csv\?.*assure=nir-[a-f0-9]{12}/);
    // htmx: the list in place, and the address pushed names the reference.
    const hx = await agent.get(`${BASE}?assure=${nir}`).set('HX-Request', 'true').expect(200);
    assert.match(hx.headers['hx-push-url'], /assure=nir-[a-f0-9]{12}/);
    assert.deepEqual(names(hx.text), ['MARTIN Paul']);
    assert.deepEqual(names(await list('?assure=Secret')), []);
  });

  test('sorting by column headers (links with aria-sort), both ways', async () => {
    let html = await list('');
    assertIncludes(html, 'aria-sort="ascending"><a href="/entreprise/salaries?tri=nom&amp;ordre=desc"');
    html = await list('?tri=nom&ordre=desc&statut_professionnel=non_cadre&siren=' + alpha.siren);
    assert.equal(names(html)[0], 'ZOLA Emma');
    assertIncludes(html, 'aria-sort="descending"');
    const byStart = names(await list(`?tri=effet&ordre=asc&etablissement=${alpha.establishments[0].id}`));
    assert.deepEqual(byStart, ['DUPONT Jean', 'MARTIN Paul', 'LEFÈVRE Élodie', 'ZOLA Emma']);
    // No date de fin = still covered: after every date going up.
    const byEnd = names(await list(`?tri=fin&etablissement=${alpha.establishments[0].id}`));
    assert.equal(byEnd[0], 'DUPONT Jean');
    assert.equal(names(await list(`?tri=fin&ordre=desc&etablissement=${alpha.establishments[0].id}`)).at(-1), 'DUPONT Jean');
    for (const key of ['etablissement', 'statut', 'contrat']) assert.equal(names(await list(`?tri=${key}&ordre=desc`)).length, 25, key);
    // Links keep the filters.
    assertIncludes(await list(`?siren=${alpha.siren}`), `href="/entreprise/salaries?siren=${alpha.siren}&amp;tri=etablissement&amp;ordre=asc"`);
  });

  test('pagination: 25 a page, links, page N of M', async () => {
    const first = await list('');
    assert.equal(names(first).length, 25);
    assert.ok(first.includes('href="/entreprise/salaries?page=2"') && first.includes('rel="next"'));
    const second = await list('?page=2');
    assert.equal(names(second).length, VISIBLE - 25);
    assertIncludes(textOf(second), 'page 2 sur 2');
    assertIncludes(second, 'rel="prev"');
  });

  test('htmx gets the list alone (the URL is pushed by the form attributes)', async () => {
    const html = (await agent.get(`${BASE}?siren=${beta.siren}`).set('HX-Request', 'true').expect(200)).text;
    assert.ok(!html.includes('<html') && html.includes('id="salaries-list"'));
    assert.deepEqual(names(html), ['BERNARD Anne']);
    const page = await list('');
    assertIncludes(page, '<div id="salaries-list" class="salaries-list" hx-target:inherited="#salaries-list" hx-swap:inherited="outerMorph">');
    assertIncludes(page, 'hx-post="/entreprise/salaries" hx-push-url="true"');
  });

  test('bad values: the list with a French message at the field, never a 500, nothing leaked', async () => {
    const cases: [string, string][] = [
      [`siren=${gamma.siren}`, 'Ce SIREN ne fait pas partie des entreprises que vous suivez'],
      ['siren=abc', 'Ce SIREN ne fait pas partie des entreprises que vous suivez'],
      [`siret=${gamma.establishments[0].siret}`, 'Ce SIRET ne fait pas partie des établissements que vous suivez'],
      [`siret=${alpha.establishments[2].siret}`, 'Ce SIRET ne fait pas partie des établissements que vous suivez'],
      [`siret=${delta.establishments[0].siret}`, 'Ce SIRET ne fait pas partie des établissements que vous suivez'],
      [`siren=${beta.siren}&siret=${alpha.establishments[0].siret}`, "Ce SIRET n'appartient pas à l'entreprise choisie"],
      [`etablissement=${gamma.establishments[0].id}`, 'Cet établissement ne fait pas partie de ceux que vous suivez'],
      [`etablissement=${alpha.establishments[2].id}`, 'Cet établissement ne fait pas partie de ceux que vous suivez'],
      [`etablissement=${delta.establishments[0].id}`, 'Cet établissement ne fait pas partie de ceux que vous suivez'],
      ['etablissement=999999', 'Cet établissement ne fait pas partie de ceux que vous suivez'],
      ['etablissement=-1', 'Cet établissement ne fait pas partie de ceux que vous suivez'],
      [`siret=${alpha.establishments[0].siret}&etablissement=${alpha.establishments[1].id}`, 'Cet établissement ne correspond pas au SIRET choisi'],
      ['statut=supprime', "Ce statut du contrat n'est pas connu"],
      ['statut_professionnel=ouvrier', "Ce statut professionnel n'est pas connu"],
      [`contrat=${gamma.contracts.cadre}`, 'Ce contrat ne fait pas partie de ceux de vos entreprises'],
      ['contrat=1e3', 'Ce contrat ne fait pas partie de ceux de vos entreprises'],
      ['assure=12345', 'Saisissez le début du nom'],
      ['assure=295109912611194', 'La clé du numéro de Sécurité sociale ne correspond pas'],
      ['assure=---', 'Saisissez le début du nom'],
      ['page=abc', "Ce numéro de page n'est pas valide"],
      ['page=0', "Ce numéro de page n'est pas valide"],
      ['page=99', "La page 99 n'existe pas : la dernière page (2) est affichée"],
      ['tri=salaire', "Ce tri n'est pas connu"],
      ['ordre=haut', "Ce tri n'est pas connu"],
      ['siren[]=1&page[x]=2', `${VISIBLE} salariés affiliés`],
    ];
    for (const [qs, message] of cases) {
      const text = textOf(await list(`?${qs}`));
      assertIncludes(text, message, `${qs}: ${text.slice(0, 300)}`);
      for (const hidden of ['Secret', 'Horsperimetre', 'Suspendu', 'Gamma Gestion', 'Delta Conseil']) assertExcludes(text, hidden, `${qs}: ${hidden}`);
    }
    // A wrong criterion is not applied: the rest of the list is shown.
    assertIncludes(textOf(await list(`?etablissement=${gamma.establishments[0].id}`)), `${VISIBLE} salariés affiliés`);
  });
});

describe('Mes salariés — CSV export', () => {
  const csvOf = async (qs: string) => {
    const res = await agent
      .get(`${BASE}/export.csv${qs}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    return { res, body: res.body as Buffer };
  };

  test('French Excel: BOM, « ; », CRLF, header, dates jj/mm/aaaa, every filtered row, NIR masked', async () => {
    const { res, body } = await csvOf('');
    assert.match(res.headers['content-type'], /^text\/csv; charset=utf-8/);
    assert.match(res.headers['content-disposition'], /^attachment; filename="salaries-2026-11-22\.csv"$/);
    assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const content = body.subarray(3).toString('utf8');
    const lines = content.split('\r\n').filter(Boolean);
    assertExcludes(content.replace(/\r\n/g, ''), '\n');
    assert.equal(lines[0], "Etablissement;SIRET;Statut professionnel;Nom;Prénom;Numéro de Sécurité sociale;Contrat;Date d'effet;Date de fin;Statut du contrat");
    assert.equal(lines.length - 1, VISIBLE);
    const dupont = lines.find((l) => l.includes(';Dupont;'))!;
    const nir = await nirOf(ids.ended);
    assert.ok(dupont.includes(`;${maskNir(nir)};`) && !content.includes(nir) && !content.includes(formatNir(nir)));
    assert.ok(dupont.endsWith(';01/01/2020;30/06/2025;Radié'), dupont);
    for (const hidden of ['Secret', 'Horsperimetre', 'Suspendu']) assertExcludes(content, hidden);
  });

  test('the filters and the sort apply; the row count equals the filtered count', async () => {
    const { body } = await csvOf(`?siren=${alpha.siren}&statut=en_cours&tri=nom&ordre=desc`);
    const lines = body.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    assert.equal(lines.length - 1, 28);
    assertIncludes(lines[1], ';Moreau25;');
    const { body: none } = await csvOf('?assure=personne');
    assert.equal(none.subarray(3).toString('utf8').split('\r\n').filter(Boolean).length, 1);
  });
});

describe('Mes salariés — one employee', () => {
  test('identity (NIR masked), establishment, history in the visible establishments, newest first', async () => {
    const html = (await agent.get(`${BASE}/${ids.elodie}`).expect(200)).text;
    const text = textOf(html);
    assertIncludes(html, '<h1>LEFÈVRE Élodie</h1>');
    const nir = await nirOf(ids.elodie);
    assert.ok(html.includes(maskNir(nir)) && !html.includes(nir) && !html.includes(formatNir(nir)));
    assertIncludes(text, 'Historique des affiliations');
    const rows = [...html.matchAll(/<td class="nowrap">(\d\d\/\d\d\/\d{4})<\/td>\s*<td class="nowrap">([^<]+)<\/td>/g)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(rows, ['01/03/2025 —', '01/01/2022 28/02/2025']);
    assertExcludes(text, alpha.establishments[2].name, 'the site outside the perimeter stays hidden');
  });

  test("another company's employee, one outside the perimeter or of a suspended habilitation, garbage: 404", async () => {
    for (const id of [ids.gamma, ids.outside, ids.suspended, 999999]) await agent.get(`${BASE}/${id}`).expect(404);
    for (const id of ['abc', '0', '1.5']) await agent.get(`${BASE}/${id}`).expect(404);
  });

  test('« Afficher »: audited without the number; without JS once after a redirect, with htmx in place', async () => {
    const nir = await nirOf(ids.paul);
    const token = await tokenFrom(agent, BASE);
    const back = `${BASE}?siren=${alpha.siren}`;
    const res = await agent.post(`${BASE}/${ids.paul}/nir`).type('form').send({ _csrf: token, retour: back, cellule: 'nir-a1' }).expect(303);
    assert.equal(res.headers.location, back);
    const shown = await list(`?siren=${alpha.siren}`);
    assertIncludes(shown, formatNir(nir));
    assertExcludes(await list(`?siren=${alpha.siren}`), formatNir(nir), 'once only');
    const audit = await t.db('audit_log').where({ event: 'nir_revealed' }).orderBy('id', 'desc').first();
    assert.ok(audit.detail.includes(String(ids.paul)) && !audit.detail.includes(nir.slice(0, 13)));
    // An outside return address is ignored.
    const outside = await agent.post(`${BASE}/${ids.paul}/nir`).type('form').send({ _csrf: token, retour: 'https://evil.example/' }).expect(303);
    assert.equal(outside.headers.location, `${BASE}/${ids.paul}`);
    const fragment = (
      await agent.post(`${BASE}/${ids.paul}/nir`).set('HX-Request', 'true').type('form').send({ _csrf: token, retour: back, cellule: 'nir-a7' }).expect(200)
    ).text;
    assert.ok(!fragment.includes('<html') && fragment.includes('id="nir-a7"') && fragment.includes(formatNir(nir)) && fragment.includes('Masquer'));
    assert.equal(
      await t
        .db('audit_log')
        .where({ event: 'nir_revealed' })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r!.n)),
      3,
    );
    // htmx asking for a whole page gets the plain answer, never a page rendered without its data.
    const full = await agent
      .post(`${BASE}/${ids.paul}/nir`)
      .set({ 'HX-Request': 'true', 'HX-Request-Type': 'full' })
      .type('form')
      .send({ _csrf: token, retour: back })
      .expect(303);
    assert.equal(full.headers.location, back);
    assertIncludes(await list(`?siren=${alpha.siren}`), formatNir(nir));
    for (const id of [ids.gamma, ids.outside, ids.suspended]) await agent.post(`${BASE}/${id}/nir`).type('form').send({ _csrf: token }).expect(404);
    await agent.post(`${BASE}/${ids.paul}/nir`).type('form').send({}).expect(403);
  });
});

describe('Mes salariés — access', () => {
  test('logged out: sent to the login page; a member: 403', async () => {
    for (const p of [BASE, `${BASE}/export.csv`, `${BASE}/${ids.paul}`])
      assert.equal((await request(t.app).get(p).expect(303)).headers.location, '/entreprise');
    const member = await createAccount(t.db, { kind: 'member', mobile: '+33612349913' });
    const memberAgent = await loginAs(t.app, t.db, 'assure', member.email);
    for (const p of [BASE, `${BASE}/export.csv`, `${BASE}/${ids.paul}`]) await memberAgent.get(p).expect(403);
    const token = await tokenFrom(memberAgent, '/assure/accueil');
    await memberAgent.post(`${BASE}/${ids.paul}/nir`).type('form').send({ _csrf: token }).expect(403);
  });

  test('another HR user sees only their own company', async () => {
    const other = await createHrUser(t.db, [{ company: gamma, role: 'admin' }], { mobile: '+33639980299' });
    const otherAgent = await loginAs(t.app, t.db, 'entreprise', other.email);
    const html = (await otherAgent.get(BASE).expect(200)).text;
    assert.deepEqual(names(html), ['SECRET Gamma']);
    await otherAgent.get(`${BASE}/${ids.paul}`).expect(404);
  });
});

describe('Mes salariés — the establishment filter past 200 establishments', () => {
  test('past the cap a SIRET is typed (hint, no lists) and filters; at the cap the lists', async () => {
    const big = await createHrCompany(t.db, 'Omega Réseau', ESTABLISHMENT_OPTIONS_MAX + 1);
    const bigAdmin = await createHrUser(t.db, [{ company: big, role: 'admin' }], { mobile: '+33639980298' });
    const bigAgent = await loginAs(t.app, t.db, 'entreprise', bigAdmin.email);
    const [first, , third] = big.establishments;
    const last = big.establishments[ESTABLISHMENT_OPTIONS_MAX];
    await addEmployee(t.db, big, third, { lastName: 'Troisième', firstName: 'Olga' });
    await addEmployee(t.db, big, last, { lastName: 'Dernier', firstName: 'Omar' });
    const optionsOf = (html: string, name: string) => {
      const start = html.indexOf(`<select id="${name}"`);
      return [...html.slice(start, html.indexOf('</select>', start)).matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]);
    };

    // One company of 201 establishments: no list of them (choosing the SIREN would not shorten
    // it), a SIRET field with the hint.
    let html = (await bigAgent.get(BASE).expect(200)).text;
    assertIncludes(textOf(html), ESTABLISHMENTS_PAST_CAP_HINT);
    assert.ok(!html.includes('<select id="siret"') && !html.includes('<select id="etablissement"'), 'no lists');
    assert.match(html, /<input id="siret" name="siret" type="text"[^>]*aria-describedby="siret-hint"/);
    assert.deepEqual(names(html).sort(), ['DERNIER Omar', 'TROISIÈME Olga'].sort());

    // The SIRET typed filters; an establishment id from an older link shows as its SIRET.
    html = (await bigAgent.get(`${BASE}?siret=${third.siret}`).expect(200)).text;
    assert.deepEqual(names(html), ['TROISIÈME Olga']);
    html = (await bigAgent.get(`${BASE}?etablissement=${last.id}`).expect(200)).text;
    assert.deepEqual(names(html), ['DERNIER Omar']);
    assert.match(html, new RegExp(`<input id="siret" name="siret" type="text"\\s+value="${last.siret}"`));
    // A wrong id is said at the SIRET field, the one on the page.
    html = (await bigAgent.get(`${BASE}?etablissement=99999999`).expect(200)).text;
    assert.ok(html.includes('<p class="error-message" id="siret-error">') && !html.includes('id="etablissement-error"'));
    assertIncludes(textOf(html), EMPLOYEE_TEXTS.establishment);

    // 200 establishments followed: the lists, no hint, no SIRET field.
    await t.db('hr_perimeter').where({ account_id: bigAdmin.id, establishment_id: first.id }).delete();
    html = (await bigAgent.get(BASE).expect(200)).text;
    assertExcludes(textOf(html), ESTABLISHMENTS_PAST_CAP_HINT);
    assertExcludes(html, '<input id="siret"');
    assert.equal(optionsOf(html, 'siret').length, ESTABLISHMENT_OPTIONS_MAX);
    assert.equal(optionsOf(html, 'etablissement').length, ESTABLISHMENT_OPTIONS_MAX);
  });
});

describe('name search keys', () => {
  test('the database folds names exactly as nameSearchKey does, and follows a change of name', async () => {
    const company = await createHrCompany(t.db, 'Keys SA', 1);
    const { memberId } = await addEmployee(t.db, company, company.establishments[0], { lastName: `D'Été-${FOLDED_LETTERS.join('')}`, firstName: 'Ÿves Œ' });
    const read = () => t.db('members').where({ id: memberId }).first('last_name', 'first_name', 'name_key', 'first_name_key');
    let row = await read();
    assert.equal(row.name_key, nameSearchKey(`${row.last_name} ${row.first_name}`));
    assert.equal(row.first_name_key, nameSearchKey(`${row.first_name} ${row.last_name}`));
    assert.ok(!/[^a-z' ]/.test(row.name_key), row.name_key);
    await t.db('members').where({ id: memberId }).update({ last_name: 'Çağlar', first_name: 'Ñuño' });
    row = await read();
    assert.equal(row.name_key, nameSearchKey('Çağlar Ñuño'));
    assert.equal(row.first_name_key, 'nuno cağlar');
  });
});

describe('the « Contrat » filter', () => {
  /** The contract options: value → label, as the closed select shows the chosen one. */
  const contractOptions = (html: string) => {
    const select = html.slice(html.indexOf('<select id="contrat"'), html.indexOf('</select>', html.indexOf('<select id="contrat"')));
    return [...select.matchAll(/<option value="(\d+)"[^>]*>([^<]*)<\/option>/g)].map((m) => ({ id: Number(m[1]), label: decoded(m[2]) }));
  };

  test('no two options read the same: a label shared by companies gets its company, one used twice in a company its reference', async () => {
    // Alpha and Beta have the same standard contract labels (test/helpers/entreprise.ts).
    let options = contractOptions(await list(''));
    assert.equal(options.length, 4);
    assert.equal(new Set(options.map((o) => o.label)).size, options.length, options.map((o) => o.label).join(' | '));
    const label = (id: number) => options.find((o) => o.id === id)?.label;
    assert.equal(label(alpha.contracts.cadre), 'BASE CCN C RG Oblig (Alpha Immobilier)');
    assert.equal(label(beta.contracts.cadre), 'BASE CCN C RG Oblig (Beta Syndic)');

    // One company's contracts only (SIREN chosen): nothing to tell apart, the labels as they are.
    options = contractOptions(await list(`?siren=${alpha.siren}`));
    assert.deepEqual(options.map((o) => o.label).sort(), ['BASE CCN C RG Oblig', 'BASE CCN NC RG Oblig/Options 1 2 3 4 Fac']);

    // Two contracts of Alpha under one label (a renewed contract): told apart by their references.
    const renewed = await t.db('contracts').where({ id: alpha.contracts.cadre }).first();
    const [row] = await t
      .db('contracts')
      .insert({ ...renewed, id: undefined, reference: 'CT-ALPHA-2027' })
      .returning('id');
    const renewedId = typeof row === 'object' ? row.id : row;
    options = contractOptions(await list(`?siren=${alpha.siren}`));
    assert.equal(options.find((o) => o.id === alpha.contracts.cadre)?.label, `BASE CCN C RG Oblig (réf. ${renewed.reference})`);
    assert.equal(options.find((o) => o.id === renewedId)?.label, 'BASE CCN C RG Oblig (réf. CT-ALPHA-2027)');
    options = contractOptions(await list(''));
    assert.equal(options.find((o) => o.id === renewedId)?.label, 'BASE CCN C RG Oblig (Alpha Immobilier, réf. CT-ALPHA-2027)');
    assert.equal(new Set(options.map((o) => o.label)).size, options.length);
  });
});

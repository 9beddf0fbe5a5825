import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily, type Family } from '../helpers/family.js';
import { createAccount, decoded, loginAs } from '../helpers/fixtures.js';
import { formatEuros } from '../../src/domain/money.js';
import { pdfText } from '../helpers/pdf.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

let t: TestContext;
let family: Family;
let other: Family;
let agent: Awaited<ReturnType<typeof loginAs>>;
before(async () => {
  t = await makeTestApp();
  family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault', statements: 14 });
  other = await createFamily(t.db, { firstName: 'Zoé', lastName: 'Voisin' });
  agent = await loginAs(t.app, t.db, 'assure', family.email);
});
after(async () => t.close());

const page = async (query = '') => decoded((await agent.get(`/assure/remboursements${query}`).expect(200)).text);
const count = (html: string) => Number((html.match(/(\d+) décomptes?/) ?? [])[1]);
const titles = (html: string) => [...html.matchAll(/Décompte n° (\S+) du/g)].map((m) => m[1]);
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\u00a0|\u202f/g, ' ')
    .replace(/\s+/g, ' ');
const euros = (cents: number) => formatEuros(cents).replace(/\u00a0|\u202f/g, ' ');
/** The décompte sections of a page, by number. */
const sections = (html: string) =>
  Object.fromEntries(
    html
      .split('<section class="statement"')
      .slice(1)
      .map((s) => [(s.match(/Décompte n° (\S+) du/) ?? [])[1], s]),
  );

describe('Espace Assuré — Remboursements', () => {
  test('lines grouped by décompte (number, date, totals, PDF link), newest first, 10 décomptes a page', async () => {
    const html = await page();
    assert.equal(count(html), 14);
    const numbers = titles(html);
    assert.equal(numbers.length, 10);
    const ordered = await t.db('statements').where({ member_id: family.memberId }).orderBy('statement_date', 'desc').limit(10).pluck('number');
    assert.deepEqual(numbers, ordered, 'newest first');
    assertIncludes(html, 'page 1 sur 2');
    const first = sections(html)[numbers[0]];
    const text = textOf(first);
    assertIncludes(text, 'Décompte n° ' + numbers[0] + ' du 15/10/2026');
    assertIncludes(first, `href="/assure/remboursements/decomptes/${family.statementIds[0]}/pdf"`);
    assertIncludes(text, 'Télécharger le décompte (PDF)');
    // The décompte's totals: frais réels, SS, complémentaire, reste à charge, paid to whom.
    for (const [label, cents] of [
      ['Frais réels', 3000 + 2450],
      ['Rembours. Sécurité sociale', 1900 + 1493],
      [`Rembours. ${t.config.brand.name}`, 900 + 857],
      ['Reste à charge', 200 + 100],
      ["Payé à l'assuré", 1900 + 900],
      ['Payé aux tiers', 1493 + 857],
    ] as const) {
      assertIncludes(text, `${label} ${euros(cents)}`, `${label} total`);
    }
    // Every field of a line (docs/domain.md#care-and-reimbursements).
    assertIncludes(
      text,
      "01/10/2026 Nicolas Thibault Consultation Médecine Générale Professionnel de santé : Dr Anne Morel 30,00 € 30,00 € 70 % 19,00 € 9,00 € 2,00 € dont participations et franchises 2,00 € Payé à l'assuré le 15/10/2026",
    );
    assertIncludes(text, '01/10/2026 Nicolas Thibault Pharmacie (× 2) Professionnel de santé : Pharmacie du Centre 24,50 € 24,50 € 65 % 14,93 € 8,57 € 1,00 €');
    assertIncludes(text, 'Payé aux tiers le 15/10/2026');
    const page2 = await page('?page=2');
    assert.equal(titles(page2).length, 4);
    assertIncludes(page2, 'page 2 sur 2');
    assert.ok(page2.includes('Page précédente') && !page2.includes('Page suivante'));
    assert.deepEqual(
      titles(page2).filter((n) => numbers.includes(n)),
      [],
      'no décompte on both pages',
    );
  });

  test('filter by beneficiary: only the décomptes and lines of that person', async () => {
    const html = await page(`?beneficiaire=${family.beneficiaries.enfant1}`);
    assert.equal(count(html), 4, 'Léo has one décompte in three');
    assertIncludes(html, '<td>Léo Thibault</td>');
    assert.ok(!html.includes('<td>Julie Thibault</td>') && !html.includes('<td>Nicolas Thibault</td>'));
    assert.match(html, new RegExp(`<option value="${family.beneficiaries.enfant1}" selected>Léo Thibault</option>`));
    assertIncludes(html, 'correspondant à vos critères');
  });

  test('filter by period: jj/mm/aaaa and the ISO dates of <input type=date>, bounds included', async () => {
    for (const query of ['?du=01/09/2026&au=01/10/2026', '?du=2026-09-01&au=2026-10-01', '?du=1/9/2026&au=2026-10-01']) {
      const html = await page(query);
      assert.equal(count(html), 2, query);
      const expected = await t.db('statements').whereIn('id', family.statementIds.slice(0, 2)).orderBy('statement_date', 'desc').pluck('number');
      assert.deepEqual(titles(html), expected, 'the décomptes of October and September 2026');
    }
    const onlyFrom = await page('?du=01/01/2026');
    assert.equal(count(onlyFrom), 10);
    const onlyTo = await page('?au=31/12/2025');
    assert.equal(count(onlyTo), 4);
    assertIncludes(onlyTo, 'value="31/12/2025"', 'the typed value is kept');
  });

  test('filter by care type: the select lists the care types present; other lines are hidden but the totals stay the décompte’s', async () => {
    const html = await page('?soin=pharmacie');
    assert.match(html, /<option value="consultation_generaliste">Consultation Médecine Générale<\/option>/);
    assert.match(html, /<option value="pharmacie" selected>Pharmacie<\/option>/);
    assert.equal(count(html), 14);
    assertIncludes(html, 'Pharmacie du Centre');
    assertExcludes(html, 'Dr Anne Morel');
    const first = textOf(Object.values(sections(html))[0]);
    assertIncludes(first, '1 ligne sur 2 correspond à vos critères ; les totaux portent sur tout le décompte.');
    assertIncludes(first, `Frais réels ${euros(3000 + 2450)}`);
  });

  test('pagination keeps the filters', async () => {
    const html = await page('?soin=pharmacie&du=01/01/2025');
    assert.equal(count(html), 14);
    const next = (html.match(/<a href="([^"]+)"[^>]*>Page suivante<\/a>/) ?? [])[1];
    assert.equal(next, '/assure/remboursements?du=01%2F01%2F2025&soin=pharmacie&page=2', 'next page link with the filters');
    assertIncludes(html, `hx-get="${next}"`, 'the same link for htmx');
    const page2 = await page(next.replace('/assure/remboursements', ''));
    assert.equal(titles(page2).length, 4);
    assertIncludes(page2, 'page 2 sur 2');
    const previous = (page2.match(/<a href="([^"]+)"[^>]*>Page précédente<\/a>/) ?? [])[1];
    assert.equal(previous, '/assure/remboursements?du=01%2F01%2F2025&soin=pharmacie', 'previous page link with the filters');
    // A wrong filter is not carried over to the other pages.
    const wrong = await page('?soin=pharmacie&du=32/01/2025');
    assert.equal((wrong.match(/<a href="([^"]+)"[^>]*>Page suivante<\/a>/) ?? [])[1], '/assure/remboursements?soin=pharmacie&page=2');
  });

  test('wrong filter values: the list with a French message next to the filter, never a 500', async () => {
    const cases: [string, string, string | null][] = [
      ['du=31/02/2026', "La date « Du » est invalide (format jj/mm/aaaa) : ce critère n'est pas appliqué.", 'du-error'],
      ['au=2026-13-01', 'La date « Au » est invalide', 'au-error'],
      ['du=demain', 'La date « Du » est invalide', 'du-error'],
      ['du=2026-10-01&au=2026-01-01', 'La date « Au » doit être postérieure ou égale à la date « Du »', 'au-error'],
      [`beneficiaire=${other.beneficiaries.assure}`, 'ne fait pas partie de votre famille', 'beneficiaire-error'],
      ['beneficiaire=abc', 'ne fait pas partie de votre famille', 'beneficiaire-error'],
      ['beneficiaire=99999999999999999999', 'ne fait pas partie de votre famille', 'beneficiaire-error'],
      ['soin=<script>', "n'est pas connu", 'soin-error'],
      ['page=abc', "Ce numéro de page n'est pas valide : la première page est affichée.", 'page-error'],
      ['page=-3', "Ce numéro de page n'est pas valide", 'page-error'],
      ['page=99', "La page 99 n'existe pas : la dernière page (2) est affichée.", 'page-error'],
      ['page=1e3', "Ce numéro de page n'est pas valide", 'page-error'],
      ['du[]=x&au[a]=b&soin[]=pharmacie', '', null],
      ['beneficiaire=1&beneficiaire=2', '', null],
    ];
    for (const [query, message, id] of cases) {
      const res = await agent.get(`/assure/remboursements?${query}`);
      assert.equal(res.status, 200, query);
      const html = decoded(res.text);
      if (id) {
        assert.match(
          html,
          new RegExp(`id="${id}"[^>]*>(<span class="visually-hidden">Erreur : </span>)?[^<]*${message.replace(/[()«»]/g, '.')}`),
          `${query}: ${message} next to the field`,
        );
      }
      assert.ok(count(html) > 0, `${query}: the list is still shown`);
      assertExcludes(html, 'Voisin', 'never another family');
      assertExcludes(html, '<script>', 'escaped');
    }
    const invalid = decoded((await agent.get('/assure/remboursements?du=31/02/2026').expect(200)).text);
    assertIncludes(invalid, 'value="31/02/2026"', 'the wrong value is kept');
    assertIncludes(invalid, 'aria-invalid="true"');
    assertIncludes(invalid, 'class="error-summary"', 'summary at the top for screen readers');
    assert.equal(count(invalid), 14, 'the wrong criterion is not applied');
    const page99 = decoded((await agent.get('/assure/remboursements?page=99').expect(200)).text);
    assert.equal(titles(page99).length, 4, 'the last page is shown');
  });

  test('htmx gets the list alone; a plain request, a full-page htmx request and a history restore get the page', async () => {
    const fragment = await agent.get('/assure/remboursements?soin=pharmacie').set('HX-Request', 'true').set('HX-Request-Type', 'partial').expect(200);
    assert.ok(fragment.text.trimStart().startsWith('<div id="statements-list"'));
    assert.ok(!fragment.text.includes('<html') && !fragment.text.includes('<h1>'));
    assert.ok(
      fragment.text.includes('hx-get="/assure/remboursements"') &&
        fragment.text.includes('<div id="statements-list" class="statements-list" hx-target:inherited="#statements-list"') &&
        fragment.text.includes('hx-push-url="true"'),
    );
    assert.match(fragment.headers.vary ?? '', /HX-Request/i);
    const wrong = await agent.get('/assure/remboursements?du=xx').set('HX-Request', 'true').expect(200);
    assert.ok(wrong.text.trimStart().startsWith('<div id="statements-list"') && wrong.text.includes('id="du-error"'), 'errors come with the fragment');
    for (const headers of [{}, { 'HX-Request': 'true', 'HX-Request-Type': 'full' }, { 'HX-Request': 'true', 'HX-History-Restore-Request': 'true' }]) {
      const full = await agent.get('/assure/remboursements?soin=pharmacie').set(headers).expect(200);
      assert.ok(
        full.text.includes('<html') && full.text.includes('<h1>Mes remboursements</h1>') && full.text.includes('id="statements-list"'),
        JSON.stringify(headers),
      );
    }
  });

  test('a fixed number of queries whatever the page size (no N+1)', async () => {
    const queries: string[] = [];
    const listener = (q: { sql: string }) => queries.push(q.sql);
    t.db.on('query', listener);
    try {
      await agent.get('/assure/remboursements').expect(200);
      const full = queries.filter((sql) => /statement/.test(sql)).length;
      queries.length = 0;
      await agent.get('/assure/remboursements?page=2').expect(200);
      const short = queries.filter((sql) => /statement/.test(sql)).length;
      assert.equal(full, short, 'ten décomptes cost what four cost');
      assert.ok(full <= 4, `care types, count, décomptes, lines: ${full}`);
    } finally {
      t.db.removeListener('query', listener);
    }
  });

  test('each décompte downloads as a real PDF with the brand, the member and the right totals', async () => {
    const { text, headers } = await pdfText(agent, `/assure/remboursements/decomptes/${family.statementIds[0]}/pdf`);
    assert.match(headers['content-disposition'], /filename="decompte-D\d+-0001\.pdf"/);
    assertIncludes(text, t.config.brand.name.toUpperCase(), 'brand');
    assertIncludes(text, 'Nicolas Thibault', 'member name');
    const member = await t.db('members').where({ id: family.memberId }).first();
    assertIncludes(text, member.member_number, 'member number');
    assertIncludes(text, '8 rue des Lilas, 44000 Nantes', 'address');
    assert.match(text, /Décompte n° D\d+-0001/);
    assertIncludes(text, 'Décompte du 15/10/2026');
    assert.ok(text.includes('Dr Anne Morel') && text.includes('Pharmacie du Centre'), 'every line');
    const flat = text.replace(/\s+/g, ' ');
    assertIncludes(flat, `Frais réels : ${euros(3000 + 2450)}`, 'total of frais réels');
    assertIncludes(flat, `Remboursement Sécurité sociale : ${euros(1900 + 1493)}`);
    assertIncludes(flat, `Remboursement ${t.config.brand.name} : ${euros(900 + 857)}`, 'total paid by the insurer');
    assertIncludes(flat, `Reste à charge : ${euros(300)}`);
    assertIncludes(flat, `Payé à l'assuré (Sécurité sociale et complémentaire) : ${euros(2800)}`);
    assertIncludes(flat, `Payé aux tiers (professionnels de santé, tiers payant) : ${euros(2350)}`);
  });

  test('PDF of another family, of an unknown or malformed id: 404', async () => {
    await agent.get(`/assure/remboursements/decomptes/${other.statementIds[0]}/pdf`).expect(404);
    await agent.get('/assure/remboursements/decomptes/abc/pdf').expect(404);
    await agent.get('/assure/remboursements/decomptes/999999/pdf').expect(404);
    await agent.get('/assure/remboursements/decomptes/1e3/pdf').expect(404);
    const otherAgent = await loginAs(t.app, t.db, 'assure', other.email);
    await otherAgent.get(`/assure/remboursements/decomptes/${family.statementIds[0]}/pdf`).expect(404);
    const theirs = decoded((await otherAgent.get('/assure/remboursements').expect(200)).text);
    assertExcludes(theirs, 'Thibault');
    assert.equal(count(theirs), 6);
  });

  test('HR and staff sessions get 403; anonymous is sent to the login', async () => {
    const hr = await loginAs(t.app, t.db, 'entreprise', (await createAccount(t.db, { kind: 'hr', mobile: '+33639980911' })).email);
    await hr.get('/assure/remboursements').expect(403);
    await hr.get(`/assure/remboursements/decomptes/${family.statementIds[0]}/pdf`).expect(403);
    const staff = await loginAs(t.app, t.db, 'gestion', (await createAccount(t.db, { kind: 'staff', mobile: '+33639980912' })).email);
    await staff.get('/assure/remboursements').expect(403);
    await staff.get(`/assure/remboursements/decomptes/${family.statementIds[0]}/pdf`).expect(403);
    await request(t.app).get('/assure/remboursements').expect(303);
    await request(t.app).get(`/assure/remboursements/decomptes/${family.statementIds[0]}/pdf`).expect(303);
  });
});

// The demo data as a new user meets it : the statuses of the seeded
// affiliation requests agree with their history (« Démarré par le salarié » = a draft saved), the
// demo links behave as the guide says, and the pages' labels say each thing once, with French
// elision, and links worded for what they open.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { decoded, loginAs, textOf, tokenFrom } from '../helpers/fixtures.js';
import { DEMO_FACTS, seedDemo } from '../../db/seeds/demo/index.js';
import { NOTIFICATION_LINK_LABELS } from '../../src/domain/notifications.js';
import { mentions } from '../../src/domain/text.js';
import { assertIncludes } from '../helpers/assertions.js';

let t: TestContext;
type Agent = Awaited<ReturnType<typeof loginAs>>;
let hrAdmin: Agent;

before(async () => {
  t = await makeTestApp();
  await seedDemo(t.db, { brand: t.config.brand, now: t.clock(), scale: 0.1 });
  hrAdmin = await loginAs(t.app, t.db, 'entreprise', DEMO_FACTS.hrAdmin.email, DEMO_FACTS.password);
});
after(async () => t.close());

/** The options of a select, value and text. */
function optionsOf(html: string, id: string): { value: string; label: string }[] {
  const start = html.indexOf(`<select id="${id}"`);
  assert.ok(start >= 0, `no select #${id}`);
  const select = html.slice(start, html.indexOf('</select>', start));
  return [...select.matchAll(/<option value="([^"]+)"[^>]*>([^<]*)<\/option>/g)].map((m) => ({ value: m[1], label: decoded(m[2]).trim() }));
}

/** No part of a « A — B — C » label is said again by another part. */
function assertSaidOnce(label: string) {
  const parts = label.replace(/ \(SIRET \d+\)$/, '').split(' — ');
  for (const [i, part] of parts.entries()) {
    for (const [j, other] of parts.entries()) if (i !== j) assert.ok(!mentions(other, part), `« ${part} » said twice in « ${label} »`);
  }
}

/** French elides « de » and « que » before a vowel. */
function assertElided(text: string, where: string) {
  const missed = text.match(/\b(?:de|que) [AEIOUÉÈÊÎÔ][\wéèêëîïôûç-]*/);
  assert.equal(missed, null, `${where}: « ${missed?.[0]} »`);
}

describe('B6 — « Démarré par le salarié » in the demo data and on the demo links', () => {
  test('the seeded requests: started ⇔ a draft saved online, with its events at started_at, before any transmission', async () => {
    const requests = await t.db('affiliation_requests').select('id', 'mode', 'status', 'started_at', 'submitted_at', 'form_data');
    const events = await t.db('affiliation_request_events').select('request_id', 'kind', 'at');
    for (const r of requests) {
      const mine = events.filter((e: { request_id: number }) => e.request_id === r.id);
      const at = (kind: string) => mine.filter((e: { kind: string }) => e.kind === kind).map((e: { at: string }) => e.at);
      const drafted = at('started').length > 0;
      assert.equal(Boolean(r.started_at), drafted, `request ${r.id}: started_at ⇔ a « started » event`);
      if (r.status === 'started') assert.ok(drafted && r.form_data, `request ${r.id} « Démarré » holds a draft`);
      if (r.status === 'sent') assert.ok(!drafted && !r.form_data, `request ${r.id} « Envoyé » has no draft`);
      if (drafted) {
        assert.equal(r.mode, 'email', `request ${r.id}: only online forms start`);
        assert.ok(r.form_data, `request ${r.id}: a start is a saved draft`);
        assert.deepEqual(at('started'), [r.started_at]);
        assertIncludes(at('draft_saved'), r.started_at, `request ${r.id}: the first draft saved with the start`);
        for (const submitted of at('submitted')) assert.ok(submitted >= r.started_at, `request ${r.id}: submitted after started`);
      }
    }
    assert.ok(requests.some((r: { status: string }) => r.status === 'started'));
  });

  test("the demo link « envoyé »: the birth date opens the form and the Suivi still says « Envoyé à l'employé »; a draft makes it « Démarré par le salarié »", async () => {
    const { token, birthDate, lastName } = DEMO_FACTS.affiliationSent;
    const link = `/affiliation/${token}`;
    const statusOnSuivi = async () => {
      const html = decoded((await hrAdmin.get(`/entreprise/suivi-affiliations?nom=${encodeURIComponent(lastName)}`).expect(200)).text);
      const row = html.split('<tbody>')[1]?.split('</tbody>')[0] ?? '';
      return textOf(row);
    };
    assertIncludes(await statusOnSuivi(), "Envoyé à l'employé");
    const employee = request.agent(t.app);
    const [y, m, d] = birthDate.split('-');
    const token1 = await tokenFrom(employee, link);
    assert.equal(
      (
        await employee
          .post(link)
          .type('form')
          .send({ _csrf: token1, date_naissance: `${d}/${m}/${y}` })
      ).headers.location,
      `${link}/formulaire`,
    );
    let row = await statusOnSuivi();
    assert.ok(row.includes("Envoyé à l'employé") && !row.includes('Démarré par le salarié'), row);

    const token2 = await tokenFrom(employee, `${link}/formulaire`);
    await employee.post(`${link}/formulaire`).field('_csrf', token2).field('action', 'brouillon').field('ville', 'Lyon').expect(303);
    row = await statusOnSuivi();
    assertIncludes(row, 'Démarré par le salarié', row);
  });
});

describe('B7 — labels on the demo pages', () => {
  test('establishments: the company and the city said once (wizard, Suivi filter, Gestion page)', async () => {
    const wizard = (await hrAdmin.get('/entreprise/pre-affiliation/etablissement').expect(200)).text;
    const options = optionsOf(wizard, 'etablissement');
    assert.ok(options.length >= 4);
    for (const o of options) assertSaidOnce(o.label);
    assert.ok(
      options.some((o) => o.label.startsWith('Cabinet Verdier Immobilier — Lyon Bellecour (SIRET')),
      options.map((o) => o.label).join(' | '),
    );

    const suivi = (await hrAdmin.get('/entreprise/suivi-affiliations').expect(200)).text;
    const filter = optionsOf(suivi, 'etablissement');
    for (const o of filter) {
      assertSaidOnce(o.label);
      assert.ok(!/\((Cabinet Verdier Immobilier|Syndic Horizon Gestion)\)$/.test(o.label), o.label);
    }
    assert.ok(filter.some((o) => o.label === 'Cabinet Verdier Immobilier — Lyon Bellecour'));

    const staff = await loginAs(t.app, t.db, 'gestion', DEMO_FACTS.staff.email, DEMO_FACTS.password);
    const list = decoded((await staff.get('/gestion/affiliations').expect(200)).text);
    const href = list.match(/href="(\/gestion\/affiliations\/\d+)"/)?.[1];
    assert.ok(href, 'a finalized request to open');
    const page = textOf((await staff.get(href).expect(200)).text);
    assert.doesNotMatch(page, /(Cabinet Verdier Immobilier|Syndic Horizon Gestion|Immobilière du Ponant) — \1/);
    assertElided(page, href);
  });

  test('the « Contrat » filter of Mes salariés: no two options read the same', async () => {
    const labels = optionsOf((await hrAdmin.get('/entreprise/salaries').expect(200)).text, 'contrat').map((o) => o.label);
    assert.ok(labels.length >= 4);
    assert.equal(new Set(labels).size, labels.length, labels.join(' | '));
  });

  test('notifications: each link worded for what it opens; « Nouvel utilisateur » is not « Voir la demande »', async () => {
    const kinds: { kind: string }[] = await t.db('notifications').distinct('kind');
    for (const { kind } of kinds)
      assert.ok(Object.hasOwn(NOTIFICATION_LINK_LABELS, kind), `the seed writes a notification kind the portal does not know: ${kind}`);
    const html = decoded((await hrAdmin.get('/entreprise/notifications').expect(200)).text);
    const items = html.split('<li class="card notification').slice(1);
    const newUser = items.find((i) => i.includes('Nouvel utilisateur sur votre espace'));
    assert.ok(newUser, 'the demo « Nouvel utilisateur » notification');
    assert.match(newUser, /class="link-button">Voir les habilitations<span/);
    for (const item of items.filter((i) => i.includes('Affiliation finalisée') || i.includes("Formulaire d'affiliation transmis"))) {
      assert.match(item, /class="link-button">Voir la demande<span/);
    }
  });

  test('« de » is elided before a name on the pages that build it (Suivi detail, Gestion list)', async () => {
    const suivi = decoded((await hrAdmin.get('/entreprise/suivi-affiliations').expect(200)).text);
    for (const href of new Set([...suivi.matchAll(/href="(\/entreprise\/suivi-affiliations\/\d+)"/g)].map((m) => m[1]))) {
      assertElided(textOf((await hrAdmin.get(href).expect(200)).text), href);
    }
    assert.ok(textOf((await hrAdmin.get('/entreprise/suivi-affiliations').expect(200)).text).length > 0);
  });
});

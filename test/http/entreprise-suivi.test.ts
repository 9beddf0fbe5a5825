import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createAccount, decoded, lastMessageTo, linkIn, loginAs, tokenFrom, textOf } from '../helpers/fixtures.js';
import { createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { createAffiliationRequest, type NewTestRequest } from '../helpers/affiliation-requests.js';
import { pdfText } from '../helpers/pdf.js';
import { AFFILIATION_MESSAGES } from '../../src/domain/affiliation-requests.js';
import { hashToken } from '../../src/domain/secrets.js';
import { jobs } from '../../src/jobs.js';
import { TRACKING_TEXTS } from '../../src/entreprise/affiliation-tracking/pages.js';
import { ESTABLISHMENT_OPTIONS_MAX } from '../../src/entreprise/queries.js';
import { ESTABLISHMENTS_PAST_CAP_HINT } from '../../src/entreprise/establishment-filter.js';
import { nirKey } from '../../src/domain/nir.js';
import { createAffiliationRequest as createThroughWizard } from '../../src/entreprise/pre-affiliation/queries.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

type Agent = Awaited<ReturnType<typeof loginAs>>;
const BASE = '/entreprise/suivi-affiliations';
const DAY = 24 * 3600 * 1000;

let t: TestContext;
let alpha: TestCompany; // the admin's and the user's company
let beta: TestCompany; // another company
let gamma: TestCompany; // many requests, for the pages
let admin: { id: number; email: string };
let user: { id: number; email: string };
let gammaAdmin: { id: number; email: string };
let adminAgent: Agent;
let userAgent: Agent;
let mobileCounter = 0;
const mobile = () => `+3363998${String(7000 + mobileCounter++).padStart(4, '0')}`;

/** The names in the table's « Prénom Nom » cells, in order. */
const rowNames = (html: string) => [...html.matchAll(/<th scope="row"><a href="[^"]+">([^<]+)<\/a><\/th>/g)].map((m) => decoded(m[1]));

const newRequest = (options: NewTestRequest) => createAffiliationRequest(t.db, t.clock(), options);
const requestRow = (id: number) => t.db('affiliation_requests').where({ id }).first();
const eventsOf = async (id: number) => (await t.db('affiliation_request_events').where({ request_id: id }).orderBy('id')).map((e: { kind: string }) => e.kind);
const outboxCount = async () => Number((await t.db('outbox').count({ n: '*' }))[0].n);

async function post(a: Agent, path: string, body: Record<string, string> = {}) {
  const token = await tokenFrom(a, '/entreprise/accueil');
  return a
    .post(path)
    .type('form')
    .send({ _csrf: token, ...body });
}

/** Follows a 303 and returns the text of the page it leads to (with its flash message). */
async function follow(a: Agent, res: request.Response) {
  assert.equal(res.status, 303, textOf(res.text ?? '').slice(-800));
  return textOf((await a.get(res.headers.location).expect(200)).text);
}

async function logInAll() {
  adminAgent = await loginAs(t.app, t.db, 'entreprise', admin.email);
  userAgent = await loginAs(t.app, t.db, 'entreprise', user.email);
}

before(async () => {
  t = await makeTestApp();
  alpha = await createHrCompany(t.db, 'Alpha Immobilier', 3);
  beta = await createHrCompany(t.db, 'Beta Syndic', 1);
  gamma = await createHrCompany(t.db, 'Gamma Gestion', 1);
  admin = await createHrUser(t.db, [{ company: alpha, role: 'admin' }], { firstName: 'Eugénie', mobile: mobile() });
  // An « Utilisateur » who follows only the first establishment of Alpha.
  user = await createHrUser(t.db, [{ company: alpha, role: 'user' }], { firstName: 'Hugo', mobile: mobile(), perimeter: [alpha.establishments[0]] });
  await createHrUser(t.db, [{ company: beta, role: 'admin' }], { mobile: mobile() });
  gammaAdmin = await createHrUser(t.db, [{ company: gamma, role: 'admin' }], { mobile: mobile() });
  await logInAll();
});
after(async () => t.close());

describe('Suivi des affiliations — access', () => {
  test('logged out → the login page; a member → 403; both HR roles may use it', async () => {
    const res = await request(t.app).get(BASE).expect(303);
    assert.equal(res.headers.location, '/entreprise');
    await request(t.app).get(`${BASE}/1`).expect(303);
    const member = await createAccount(t.db, { kind: 'member', mobile: mobile() });
    const memberAgent = await loginAs(t.app, t.db, 'assure', member.email);
    await memberAgent.get(BASE).expect(403);
    await memberAgent.get(`${BASE}/1/formulaire.pdf`).expect(403);
    await adminAgent.get(BASE).expect(200);
    await userAgent.get(BASE).expect(200);
  });

  test("another company's request, one outside the user's perimeter, or garbage → 404 on every URL, nothing changes", async () => {
    const foreign = await newRequest({ company: beta, createdAt: new Date(t.clock().getTime() - 3 * DAY) });
    const foreignCourrier = await newRequest({ company: beta, mode: 'courrier' });
    const outside = await newRequest({ company: alpha, establishment: alpha.establishments[1], createdAt: new Date(t.clock().getTime() - 3 * DAY) });
    const cases: [Agent, number | string][] = [
      [adminAgent, foreign.id],
      [adminAgent, foreignCourrier.id],
      [userAgent, outside.id],
      [adminAgent, 'abc'],
      [adminAgent, 0],
      [adminAgent, 99999999],
      [adminAgent, '1e3'],
      [adminAgent, 99999999999999],
    ];
    const sent = await outboxCount();
    for (const [a, id] of cases) {
      await a.get(`${BASE}/${id}`).expect(404);
      await a.get(`${BASE}/${id}/annuler`).expect(404);
      await a.get(`${BASE}/${id}/formulaire.pdf`).expect(404);
      assert.equal((await post(a, `${BASE}/${id}/annuler`)).status, 404);
      assert.equal((await post(a, `${BASE}/${id}/relancer`)).status, 404);
    }
    assert.equal(await outboxCount(), sent, 'no email sent');
    for (const id of [foreign.id, foreignCourrier.id, outside.id]) {
      const row = await requestRow(id);
      assert.equal(row.status, 'sent');
      assert.equal(row.reminder_count, 0);
    }
    // The admin follows the establishment: the same request is theirs.
    await adminAgent.get(`${BASE}/${outside.id}`).expect(200);
    const list = textOf((await adminAgent.get(BASE).expect(200)).text);
    assertExcludes(list, 'Beta Syndic');
  });
});

describe('Suivi des affiliations — the list', () => {
  let sentId: number;
  before(async () => {
    const now = t.clock().getTime();
    sentId = (await newRequest({ company: alpha, firstName: 'Zoé', lastName: 'Arnaud', createdAt: new Date(now - 2 * DAY) })).id;
    await newRequest({
      company: alpha,
      establishment: alpha.establishments[2],
      firstName: 'Bruno',
      lastName: 'Zidane',
      status: 'started',
      createdAt: new Date(now - 5 * DAY),
    });
    await newRequest({
      company: alpha,
      establishment: alpha.establishments[2],
      firstName: 'Marc',
      lastName: 'Courrier',
      mode: 'courrier',
      createdAt: new Date(now - 1 * DAY),
    });
    await newRequest({ company: alpha, firstName: 'Aline', lastName: 'Finale', status: 'finalized', createdAt: new Date('2026-02-07T10:00:00.000Z') });
    await newRequest({ company: alpha, firstName: 'Paul', lastName: 'Abandon', status: 'abandoned', createdAt: new Date(now - 40 * DAY) });
    await newRequest({ company: alpha, firstName: 'Nina', lastName: 'Annulée', status: 'cancelled', createdAt: new Date(now - 10 * DAY) });
  });

  test("the guide's table: title, « pré-affilier », columns, exact status labels, dates jj/mm/aaaa, the « … » menu", async () => {
    const html = (await adminAgent.get(BASE).expect(200)).text;
    const text = textOf(html);
    assertIncludes(text, 'Suivi des affiliations');
    assertIncludes(html, 'href="/entreprise/pre-affiliation">pré-affilier</a>');
    for (const column of ['Siren', 'Siret', 'Etablissement', 'Prénom Nom', "Mode d'affiliation", 'Statut', 'Date', 'Actions'])
      assertIncludes(text, column, column);
    for (const label of ["Envoyé à l'employé", 'Démarré par le salarié', 'Finalisé par le salarié', 'Abandonné', 'Annulé']) assertIncludes(text, label, label);
    assertIncludes(text, 'Aline Finale');
    assertIncludes(text, '07/02/2026');
    assert.ok(text.includes(alpha.siren) && text.includes(alpha.establishments[0].siret));
    assert.ok(text.includes('Email') && text.includes('Courrier'));
    assertIncludes(html, '<details class="actions-menu">');
    // The row of a pending email request offers the reminder and the cancellation; a finalized one neither.
    const zoeRow = html.slice(html.indexOf('Zoé Arnaud'), html.indexOf('</tr>', html.indexOf('Zoé Arnaud')));
    assertIncludes(decoded(zoeRow), "Envoi d'un email de relance");
    assertIncludes(decoded(zoeRow), "Annuler la demande d'affiliation");
    assertExcludes(decoded(zoeRow), 'Télécharger le formulaire');
    const alineRow = html.slice(html.indexOf('Aline Finale'), html.indexOf('</tr>', html.indexOf('Aline Finale')));
    assert.ok(!decoded(alineRow).includes('relance') && !decoded(alineRow).includes('Annuler'));
    const marcRow = html.slice(html.indexOf('Marc Courrier'), html.indexOf('</tr>', html.indexOf('Marc Courrier')));
    assert.ok(decoded(marcRow).includes('Télécharger le formulaire') && !decoded(marcRow).includes('relance'));
    assertIncludes(html, `href="${BASE}/${sentId}"`);
  });

  test('an « Utilisateur » sees only the requests of the establishments they follow', async () => {
    const text = textOf((await userAgent.get(BASE).expect(200)).text);
    assertIncludes(text, 'Zoé Arnaud');
    assert.ok(!text.includes('Bruno Zidane') && !text.includes('Marc Courrier'));
  });

  test('filters: status, mode, establishment, name (either order, any case); htmx gets the fragment', async () => {
    let text = textOf((await adminAgent.get(`${BASE}?statut=started`).expect(200)).text);
    assert.ok(text.includes('Bruno Zidane') && !text.includes('Zoé Arnaud'));
    text = textOf((await adminAgent.get(`${BASE}?mode=courrier`).expect(200)).text);
    assert.ok(text.includes('Marc Courrier') && !text.includes('Bruno Zidane'));
    text = textOf((await adminAgent.get(`${BASE}?etablissement=${alpha.establishments[2].id}`).expect(200)).text);
    assert.ok(text.includes('Marc Courrier') && text.includes('Bruno Zidane') && !text.includes('Zoé Arnaud'));
    text = textOf((await adminAgent.get(`${BASE}?nom=${encodeURIComponent('arnaud zo')}`).expect(200)).text);
    assert.ok(text.includes("1 demande d'affiliation") && text.includes('Zoé Arnaud'), text.slice(0, 2000));
    text = textOf((await adminAgent.get(`${BASE}?nom=ZIDANE`).expect(200)).text);
    assert.ok(text.includes('Bruno Zidane') && !text.includes('Zoé Arnaud'));
    text = textOf((await adminAgent.get(`${BASE}?nom=${encodeURIComponent('%')}`).expect(200)).text);
    assertIncludes(text, "Aucune demande d'affiliation ne correspond à ces critères.");
    const fragment = await adminAgent.get(`${BASE}?statut=finalized`).set('HX-Request', 'true').expect(200);
    assert.ok(!fragment.text.includes('<html') && fragment.text.includes('id="suivi-list"'));
    assert.ok(textOf(fragment.text).includes('Aline Finale') && !textOf(fragment.text).includes('Zoé Arnaud'));
  });

  test('garbage filters: the list with a French message per criterion, never a 500', async () => {
    const res = await adminAgent
      .get(`${BASE}?statut=perdu&mode=fax&etablissement=${beta.establishments[0].id}&tri=nir&ordre=haut&page=-2&nom=${'x'.repeat(150)}`)
      .expect(200);
    const text = textOf(res.text);
    assertIncludes(text, TRACKING_TEXTS.status);
    assertIncludes(text, TRACKING_TEXTS.mode);
    assertIncludes(text, TRACKING_TEXTS.establishment);
    assertIncludes(text, TRACKING_TEXTS.sort);
    assertIncludes(text, TRACKING_TEXTS.page);
    assertIncludes(text, TRACKING_TEXTS.name);
    assertIncludes(text, 'Zoé Arnaud', 'nothing applied: everything listed');
    for (const qs of [
      'statut[]=sent',
      'statut[a]=1&mode[]=email',
      'page=1e9',
      'page=999999',
      'tri=date&ordre=',
      'etablissement=abc',
      'nom=%27%22%3C',
      'nom=%5C',
    ]) {
      const r = await adminAgent.get(`${BASE}?${qs}`);
      assert.equal(r.status, 200, qs);
    }
  });

  test('sorting by the column headers, with aria-sort', async () => {
    const known = ['Zoé Arnaud', 'Bruno Zidane', 'Marc Courrier', 'Aline Finale', 'Paul Abandon', 'Nina Annulée'];
    const names = (html: string) => rowNames(html).filter((n) => known.includes(n));
    let html = (await adminAgent.get(BASE).expect(200)).text;
    assert.match(html, /<th scope="col" aria-sort="descending">\s*<a href="[^"]*tri=date&amp;ordre=asc"/);
    assert.deepEqual(names(html).slice(0, 2), ['Marc Courrier', 'Zoé Arnaud'], 'newest first');
    assertIncludes(html, `href="${BASE}?tri=nom&amp;ordre=asc"`);
    html = (await adminAgent.get(`${BASE}?tri=nom&ordre=asc`).expect(200)).text;
    assert.deepEqual(names(html).slice(0, 3), ['Aline Finale', 'Bruno Zidane', 'Marc Courrier']);
    assert.match(html, /aria-sort="ascending">\s*<a href="[^"]*tri=nom&amp;ordre=desc"/);
    assertIncludes(html, 'name="tri" value="nom"', 'the filter form keeps the sort');
    html = (await adminAgent.get(`${BASE}?tri=nom&ordre=desc`).expect(200)).text;
    assert.equal(names(html)[0], 'Zoé Arnaud');
    html = (await adminAgent.get(`${BASE}?tri=statut&ordre=asc`).expect(200)).text;
    const statuses = [...textOf(html).matchAll(/(Envoyé à l'employé|Démarré par le salarié|Finalisé par le salarié|Abandonné|Annulé)/g)].map((m) => m[1]);
    assert.equal(statuses[0], "Envoyé à l'employé");
    assert.equal(statuses.at(-1), 'Annulé');
    html = (await adminAgent.get(`${BASE}?tri=date&ordre=asc`).expect(200)).text;
    assert.equal(names(html)[0], 'Aline Finale');
  });

  test('pages of 20, previous / next, a page beyond the last shows the last one', async () => {
    const gammaAgent = await loginAs(t.app, t.db, 'entreprise', gammaAdmin.email);
    for (let i = 0; i < 23; i++)
      await newRequest({
        company: gamma,
        firstName: 'Gaby',
        lastName: `Page${String(i).padStart(2, '0')}`,
        createdAt: new Date(t.clock().getTime() - (i + 1) * 3600_000),
      });
    let res = await gammaAgent.get(BASE).expect(200);
    let text = textOf(res.text);
    assertIncludes(text, "23 demandes d'affiliation — page 1 sur 2");
    assert.equal(rowNames(res.text).length, 20);
    assertIncludes(res.text, `href="${BASE}?page=2"`);
    res = await gammaAgent.get(`${BASE}?page=2`).expect(200);
    text = textOf(res.text);
    assert.equal(rowNames(res.text).length, 3);
    assert.ok(text.includes('Gaby Page22') && res.text.includes(`href="${BASE}"`));
    res = await gammaAgent.get(`${BASE}?page=9`).expect(200);
    assertIncludes(textOf(res.text), TRACKING_TEXTS.pageBeyond(9, 2));
    assert.equal(rowNames(res.text).length, 3);
    // The sort and the filters travel with the pages.
    res = await gammaAgent.get(`${BASE}?mode=email&tri=nom&ordre=desc`).expect(200);
    assertIncludes(res.text, `href="${BASE}?mode=email&amp;tri=nom&amp;ordre=desc&amp;page=2"`);
    assert.equal(rowNames(res.text)[0], 'Gaby Page22');
  });
});

describe('Suivi des affiliations — « Envoi d\u2019un email de relance »', () => {
  test('a new 30-day link replaces the old one, the email carries it, the row and the history show it', async () => {
    const { id, token: oldToken } = await newRequest({
      company: alpha,
      firstName: 'Rémi',
      lastName: 'Relance',
      email: 'remi.relance@exemple.fr',
      createdAt: new Date(t.clock().getTime() - 3 * DAY),
    });
    const text = await follow(adminAgent, await post(adminAgent, `${BASE}/${id}/relancer`, { retour: `${BASE}?statut=sent` }));
    assertIncludes(text, TRACKING_TEXTS.reminderSent('remi.relance@exemple.fr'), text.slice(0, 1500));
    const row = await requestRow(id);
    assert.equal(row.reminder_count, 1);
    assert.equal(row.last_reminder_at, t.clock().toISOString());
    assert.equal(row.token_expires_at, new Date(t.clock().getTime() + 30 * DAY).toISOString());
    assert.notEqual(row.token_hash, hashToken(oldToken!));
    const email = await lastMessageTo(t.db, 'remi.relance@exemple.fr');
    assert.match(email.subject, /Rappel : finalisez votre affiliation/);
    const path = linkIn(email.body_text);
    assert.match(path, /^\/affiliation\/[A-Za-z0-9_-]{40,}$/);
    assert.equal(hashToken(path.split('/').pop()!), row.token_hash, 'the emailed link is the stored one');
    assertIncludes(email.body_text, `${t.config.publicUrl}/affiliation/`);
    // The employee's side: the new link opens the identity check, the old one is dead.
    await request(t.app).get(path).expect(200);
    assertIncludes(textOf((await request(t.app).get(`/affiliation/${oldToken}`).expect(404)).text), AFFILIATION_MESSAGES.linkUnusable);
    assert.deepEqual(await eventsOf(id), ['created', 'email_sent', 'reminder_sent']);
    const event = await t.db('affiliation_request_events').where({ request_id: id, kind: 'reminder_sent' }).first();
    assert.equal(event.account_id, admin.id);
    assert.deepEqual(JSON.parse(event.detail), { number: 1 });
    assert.ok(await t.db('audit_log').where({ event: 'affiliation_reminder_sent', account_id: admin.id }).first());
    const list = textOf((await adminAgent.get(`${BASE}?nom=relance`).expect(200)).text);
    assertIncludes(list, 'Relancé le 22/11/2026', list);
    const detail = textOf((await adminAgent.get(`${BASE}/${id}`).expect(200)).text);
    assertIncludes(detail, 'Email de relance n° 1 envoyé');
    assertIncludes(detail, '1 relance, la dernière le 22/11/2026');
    assertIncludes(detail, "Lien valable jusqu'au 22/12/2026");
  });

  test('refused: within 24 hours of the first email, courrier, finalized, cancelled, no email address — nothing sent', async () => {
    const fresh = await newRequest({ company: alpha, createdAt: new Date(t.clock().getTime() - 2 * 3600_000) });
    const courrier = await newRequest({ company: alpha, mode: 'courrier', createdAt: new Date(t.clock().getTime() - 3 * DAY) });
    const finalized = await newRequest({ company: alpha, status: 'finalized', createdAt: new Date(t.clock().getTime() - 3 * DAY) });
    const cancelled = await newRequest({ company: alpha, status: 'cancelled', createdAt: new Date(t.clock().getTime() - 3 * DAY) });
    const noEmail = await newRequest({ company: alpha, email: null, createdAt: new Date(t.clock().getTime() - 3 * DAY) });
    const sent = await outboxCount();
    const cases: [number, string][] = [
      [fresh.id, AFFILIATION_MESSAGES.reminderTooSoon(22)],
      [courrier.id, AFFILIATION_MESSAGES.reminderCourrier],
      [finalized.id, AFFILIATION_MESSAGES.reminderClosed],
      [cancelled.id, AFFILIATION_MESSAGES.reminderClosed],
      [noEmail.id, TRACKING_TEXTS.reminderNoEmail],
    ];
    for (const [id, message] of cases) {
      const text = await follow(adminAgent, await post(adminAgent, `${BASE}/${id}/relancer`));
      assertIncludes(text, message, `${id}: ${message}`);
      assert.equal((await requestRow(id)).reminder_count, 0);
    }
    assert.equal(await outboxCount(), sent);
  });

  test('a link already past its 30 days is not revived: the request becomes « Abandonné »', async () => {
    const { id } = await newRequest({ company: alpha, createdAt: new Date(t.clock().getTime() - 31 * DAY) });
    const sent = await outboxCount();
    const text = await follow(adminAgent, await post(adminAgent, `${BASE}/${id}/relancer`));
    assertIncludes(text, AFFILIATION_MESSAGES.reminderClosed);
    const row = await requestRow(id);
    assert.equal(row.status, 'abandoned');
    assert.equal(row.token_hash, null);
    assert.equal(await outboxCount(), sent);
  });

  test('throttling: a second reminder the same day is refused, allowed again 24 hours later (Utilisateur role)', async () => {
    const { id } = await newRequest({
      company: alpha,
      status: 'started',
      email: 'ines.started@exemple.fr',
      createdAt: new Date(t.clock().getTime() - 5 * DAY),
    });
    await follow(userAgent, await post(userAgent, `${BASE}/${id}/relancer`, { retour: `${BASE}/${id}` }));
    const firstLink = linkIn((await lastMessageTo(t.db, 'ines.started@exemple.fr')).body_text);
    t.clock.advance(3 * 3600_000);
    await logInAll(); // sessions end after 30 minutes without activity
    const refused = await follow(userAgent, await post(userAgent, `${BASE}/${id}/relancer`, { retour: `${BASE}/${id}` }));
    assertIncludes(refused, AFFILIATION_MESSAGES.reminderTooSoon(21), refused.slice(0, 1500));
    assertIncludes(refused, "Demande d'affiliation de", 'back on the detail page');
    assert.equal((await t.db('outbox').where({ recipient: 'ines.started@exemple.fr' })).length, 1);
    t.clock.advance(21 * 3600_000);
    await logInAll(); // sessions last 12 hours at most
    const again = await follow(userAgent, await post(userAgent, `${BASE}/${id}/relancer`));
    assertIncludes(again, TRACKING_TEXTS.reminderSent('ines.started@exemple.fr'));
    const row = await requestRow(id);
    assert.equal(row.reminder_count, 2);
    assert.equal(row.status, 'started', 'a reminder does not change the status');
    const secondLink = linkIn((await lastMessageTo(t.db, 'ines.started@exemple.fr')).body_text);
    assert.notEqual(secondLink, firstLink);
    assert.equal(hashToken(secondLink.split('/').pop()!), row.token_hash);
    assert.deepEqual(await eventsOf(id), ['created', 'email_sent', 'started', 'reminder_sent', 'reminder_sent']);
    assertIncludes(textOf((await userAgent.get(`${BASE}?statut=started`).expect(200)).text), '(2 relances)');
  });

  test('« Relancer » clicked many times at once, by two HR users: one reminder, one email, one link', async () => {
    const { id } = await newRequest({ company: alpha, status: 'sent', email: 'jade.ensemble@exemple.fr', createdAt: new Date(t.clock().getTime() - 5 * DAY) });
    const adminToken = await tokenFrom(adminAgent, '/entreprise/accueil');
    const userToken = await tokenFrom(userAgent, '/entreprise/accueil');
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const [agent, token] = i % 2 ? [adminAgent, adminToken] : [userAgent, userToken];
        return agent.post(`${BASE}/${id}/relancer`).type('form').send({ _csrf: token });
      }),
    );
    assert.ok(
      responses.every((res) => res.status === 303),
      JSON.stringify(responses.map((res) => res.status)),
    );
    assert.equal((await t.db('outbox').where({ recipient: 'jade.ensemble@exemple.fr' })).length, 1);
    const row = await requestRow(id);
    assert.equal(row.reminder_count, 1);
    assert.equal((await eventsOf(id)).filter((kind) => kind === 'reminder_sent').length, 1);
    const sent = linkIn((await lastMessageTo(t.db, 'jade.ensemble@exemple.fr')).body_text);
    assert.equal(hashToken(sent.split('/').pop()!), row.token_hash, 'the emailed link is the live one');
  });

  test('an unsafe return address is ignored', async () => {
    const { id } = await newRequest({ company: alpha, createdAt: new Date(t.clock().getTime() - 3 * DAY) });
    for (const retour of ['https://evil.example/', '//evil.example', '/entreprise/accueil', `${BASE}/../../x`]) {
      const res = await post(adminAgent, `${BASE}/${id}/relancer`, { retour });
      assert.equal(res.status, 303);
      assert.equal(res.headers.location, BASE);
    }
  });
});

describe('Suivi des affiliations — « Annuler la demande d\u2019affiliation »', () => {
  test('a confirmation page, then cancelled: the link dies, an event, the list says « Annulé »', async () => {
    const { id, token } = await newRequest({ company: alpha, firstName: 'Carla', lastName: 'Annule', createdAt: new Date(t.clock().getTime() - 3 * DAY) });
    await request(t.app).get(`/affiliation/${token}`).expect(200);
    const page = await adminAgent.get(`${BASE}/${id}/annuler?retour=${encodeURIComponent(`${BASE}?mode=email`)}`).expect(200);
    const text = textOf(page.text);
    assertIncludes(text, "Annuler la demande d'affiliation");
    assertIncludes(text, 'Carla Annule');
    assertIncludes(text, 'Le lien qui lui a été envoyé par email ne fonctionnera plus.');
    assertIncludes(page.text, `name="retour" value="${BASE}?mode=email"`);
    assert.equal((await requestRow(id)).status, 'sent', 'the GET changes nothing');
    const res = await post(adminAgent, `${BASE}/${id}/annuler`, { retour: `${BASE}?mode=email` });
    assert.equal(res.headers.location, `${BASE}?mode=email`);
    assertIncludes(await follow(adminAgent, res), TRACKING_TEXTS.cancelled('Carla Annule'));
    const row = await requestRow(id);
    assert.equal(row.status, 'cancelled');
    assert.equal(row.token_hash, null);
    assert.deepEqual(await eventsOf(id), ['created', 'email_sent', 'cancelled']);
    assertIncludes(textOf((await request(t.app).get(`/affiliation/${token}`).expect(404)).text), AFFILIATION_MESSAGES.linkUnusable, 'the link is dead');
    assert.ok(await t.db('audit_log').where({ event: 'affiliation_request_cancelled', account_id: admin.id }).first());
    const detail = textOf((await adminAgent.get(`${BASE}/${id}`).expect(200)).text);
    assertIncludes(detail, "Demande d'affiliation annulée (par Eugénie Martin)", detail);
  });

  test('allowed from « Démarré » and for a courrier request, by an « Utilisateur » too', async () => {
    const started = await newRequest({ company: alpha, status: 'started' });
    const courrier = await newRequest({ company: alpha, mode: 'courrier' });
    await userAgent.get(`${BASE}/${courrier.id}/annuler`).expect(200);
    for (const { id } of [started, courrier]) {
      await follow(userAgent, await post(userAgent, `${BASE}/${id}/annuler`));
      assert.equal((await requestRow(id)).status, 'cancelled');
    }
  });

  test("refused for finalized, abandoned and cancelled requests with the domain's message; nothing changes", async () => {
    const finalized = await newRequest({ company: alpha, status: 'finalized' });
    const abandoned = await newRequest({ company: alpha, status: 'abandoned' });
    const cancelled = await newRequest({ company: alpha, status: 'cancelled' });
    for (const [{ id }, message] of [
      [finalized, AFFILIATION_MESSAGES.cancelFinalized],
      [abandoned, AFFILIATION_MESSAGES.alreadyClosed],
      [cancelled, AFFILIATION_MESSAGES.alreadyClosed],
    ] as const) {
      const before = await eventsOf(id);
      assertIncludes(await follow(adminAgent, await adminAgent.get(`${BASE}/${id}/annuler`)), message, 'confirmation page refused');
      assertIncludes(await follow(adminAgent, await post(adminAgent, `${BASE}/${id}/annuler`)), message);
      assert.deepEqual(await eventsOf(id), before);
    }
    assert.equal((await requestRow(finalized.id)).status, 'finalized');
  });
});

describe('Suivi des affiliations — detail and paper form', () => {
  test('a request as the pré-affiliation wizard writes it: in the list, its detail and its paper form', async () => {
    const created = await createThroughWizard(
      t.db,
      {
        companyId: alpha.companyId,
        establishmentId: alpha.establishments[0].id,
        createdBy: admin.id,
        mode: 'courrier',
        professionalStatus: 'cadre',
        previousMemberId: null,
        nir13: '1850575123456',
        lastName: 'Assistant',
        firstName: 'Victor',
        email: null,
        birthDate: '1985-05-10',
        entryDate: '2026-11-16',
        affiliationDate: '2026-11-16',
        contractType: 'CDI',
        employmentStart: '2026-11-16',
        employmentEnd: null,
        companyStatus: 'salarie',
        tokenHash: null,
        tokenExpiresAt: null,
      },
      '1850575123456' + String(nirKey('1850575123456')).padStart(2, '0'),
      t.clock(),
    );
    assert.ok('id' in created);
    const id = created.id;
    assertIncludes(textOf((await adminAgent.get(`${BASE}?nom=victor`).expect(200)).text), 'Victor Assistant');
    const detail = textOf((await adminAgent.get(`${BASE}/${id}`).expect(200)).text);
    assertIncludes(detail, 'Pré-affiliation du salarié (mode Courrier) (par Eugénie Martin)', detail);
    assertIncludes(detail, "Formulaire d'affiliation papier mis à disposition");
    assertIncludes((await pdfText(adminAgent, `${BASE}/${id}/formulaire.pdf`)).text, '1 85 05 75 123 456');
  });

  test('the detail page: the employee, the dates, the status and the history with the refusal reason', async () => {
    const { id } = await newRequest({
      company: alpha,
      firstName: 'Jean',
      lastName: 'Refus',
      status: 'finalized',
      decision: 'refused',
      decisionReason: 'Attestation de droits illisible.',
      employmentContractType: 'CDD',
      createdAt: new Date('2026-10-01T09:00:00.000Z'),
    });
    const html = (await adminAgent.get(`${BASE}/${id}`).expect(200)).text;
    const text = textOf(html);
    assertIncludes(text, "Demande d'affiliation de Jean Refus");
    assertIncludes(text, 'Finalisé par le salarié');
    assertIncludes(text, '17/04/1992');
    assertIncludes(text, '02/11/2026');
    assertIncludes(text, '01/05/2027', 'end of the fixed-term contract');
    assertIncludes(text, 'Contrat à Durée Déterminée (CDD)');
    assertIncludes(text, 'Non cadre');
    for (const label of [
      'Pré-affiliation du salarié (mode Email)',
      "Email d'affiliation envoyé au salarié",
      'Affiliation démarrée en ligne par le salarié',
      "Formulaire d'affiliation finalisé par le salarié",
      'Affiliation refusée par',
    ]) {
      assertIncludes(text, label, label);
    }
    assertIncludes(text, 'Motif : Attestation de droits illisible.');
    assertIncludes(text, '01/10/2026 à 11:00', 'events in Paris time');
    const nir = (await requestRow(id)).nir as string;
    assert.ok(!text.includes(nir) && !text.includes(nir.slice(5, 13)), 'the NIR is masked');
  });

  test('« Télécharger le formulaire » (Courrier): the pre-filled BIA as a PDF', async () => {
    const { id } = await newRequest({
      company: alpha,
      mode: 'courrier',
      firstName: 'Éloïse',
      lastName: "D'Arc-Dupont",
      establishment: alpha.establishments[1],
      professionalStatus: 'cadre',
    });
    const nir = (await requestRow(id)).nir as string;
    const { text, headers } = await pdfText(adminAgent, `${BASE}/${id}/formulaire.pdf`);
    assert.equal(headers['content-disposition'], 'attachment; filename="bulletin-affiliation-d-arc-dupont-eloise.pdf"');
    const flat = text.replace(/\s+/g, ' ');
    for (const expected of [
      "Bulletin individuel d'affiliation",
      'Alpha Immobilier',
      alpha.siren,
      alpha.establishments[1].siret,
      alpha.establishments[1].name,
      "D'ARC-DUPONT",
      'Éloïse',
      `${nir.slice(0, 1)} ${nir.slice(1, 3)} ${nir.slice(3, 5)} ${nir.slice(5, 7)} ${nir.slice(7, 10)} ${nir.slice(10, 13)}`,
      '17/04/1992',
      '02/11/2026',
      'Contrat à Durée Indéterminée (CDI)',
      'Cadre',
      'BASE CCN C RG Oblig',
      'Vos coordonnées',
      'Adresse',
      'IBAN',
      'Vos bénéficiaires',
      'Télétransmission',
      'Signature',
      "Un relevé d'identité bancaire (RIB) à votre nom",
      'attestation de droits Sécurité sociale',
    ]) {
      assertIncludes(flat, expected, `PDF lacks « ${expected} »\n${text}`);
    }
    // Both roles; an email request has no paper form.
    const userCourrier = await newRequest({ company: alpha, mode: 'courrier' });
    await pdfText(userAgent, `${BASE}/${userCourrier.id}/formulaire.pdf`);
    const emailRequest = await newRequest({ company: alpha });
    const res = await adminAgent.get(`${BASE}/${emailRequest.id}/formulaire.pdf`).expect(303);
    assertIncludes(await follow(adminAgent, res), TRACKING_TEXTS.formEmailMode);
    const cancelled = await newRequest({ company: alpha, mode: 'courrier', status: 'cancelled' });
    await adminAgent.get(`${BASE}/${cancelled.id}/formulaire.pdf`).expect(303);
  });
});

describe('Suivi des affiliations — the expiry job', () => {
  test('links over 30 days → « Abandonné », link killed, an abandoned event; others untouched', async () => {
    const job = jobs.find((j) => j.name === 'expire-affiliation-links');
    assert.ok(job, 'registered in src/jobs.ts');
    const sent = await newRequest({ company: alpha, firstName: 'Expire', lastName: 'Envoi' });
    const started = await newRequest({ company: alpha, status: 'started', firstName: 'Expire', lastName: 'Démarré' });
    const finalized = await newRequest({ company: alpha, status: 'finalized' });
    const courrier = await newRequest({ company: alpha, mode: 'courrier' });
    t.clock.advance(29 * DAY);
    const recent = await newRequest({ company: alpha });
    await job.run(t.db, t.clock());
    assert.equal((await requestRow(sent.id)).status, 'sent', 'not yet');
    t.clock.advance(DAY + 60_000);
    await job.run(t.db, t.clock());
    for (const { id } of [sent, started]) {
      const row = await requestRow(id);
      assert.equal(row.status, 'abandoned');
      assert.equal(row.token_hash, null);
      const event = await t.db('affiliation_request_events').where({ request_id: id, kind: 'abandoned' }).first();
      assert.deepEqual(JSON.parse(event.detail), { reason: 'link_expired' });
      assert.equal(event.at, t.clock().toISOString());
    }
    assert.equal((await requestRow(finalized.id)).status, 'finalized');
    assert.equal((await requestRow(courrier.id)).status, 'sent');
    assert.equal((await requestRow(recent.id)).status, 'sent');
    // Idempotent: a second run writes nothing more.
    await job.run(t.db, t.clock());
    assert.equal((await t.db('affiliation_request_events').where({ request_id: sent.id, kind: 'abandoned' })).length, 1);
    await logInAll();
    const detail = textOf((await adminAgent.get(`${BASE}/${sent.id}`).expect(200)).text);
    assert.ok(detail.includes('Abandonné') && detail.includes("Le lien d'affiliation a expiré"));
    assertExcludes(detail, "Envoi d'un email de relance", 'no action left');
  });
});

describe('Suivi des affiliations — the « Etablissement » filter past 200 establishments', () => {
  test('past the cap a SIRET is typed (hint, no list); at the cap the select lists them all', async () => {
    const big = await createHrCompany(t.db, 'Omega Réseau', ESTABLISHMENT_OPTIONS_MAX + 1);
    const bigAdmin = await createHrUser(t.db, [{ company: big, role: 'admin' }], { mobile: mobile() });
    const bigAgent = await loginAs(t.app, t.db, 'entreprise', bigAdmin.email);
    const [first, , third] = big.establishments;
    const last = big.establishments[ESTABLISHMENT_OPTIONS_MAX];
    await newRequest({ company: big, establishment: third, firstName: 'Olga', lastName: 'Troisième' });
    await newRequest({ company: big, establishment: last, firstName: 'Omar', lastName: 'Dernier' });

    // 201 establishments: no select of them, a SIRET field with the hint.
    let html = (await bigAgent.get(BASE).expect(200)).text;
    assertIncludes(textOf(html), ESTABLISHMENTS_PAST_CAP_HINT, 'the hint');
    assertIncludes(textOf(html), `Vous suivez plus de ${ESTABLISHMENT_OPTIONS_MAX} établissements`);
    assertExcludes(html, '<select id="etablissement"', 'no list of establishments');
    assertExcludes(html, `<option value="${first.id}"`);
    assert.match(html, /<input id="siret" name="siret" type="text"[^>]*aria-describedby="siret-hint"/);
    assert.deepEqual(rowNames(html).sort(), ['Olga Troisième', 'Omar Dernier']);

    // The SIRET typed (spaces allowed) filters; it stays in the field and in the links.
    const typed = `${third.siret.slice(0, 3)} ${third.siret.slice(3, 6)} ${third.siret.slice(6, 9)} ${third.siret.slice(9)}`;
    html = (await bigAgent.get(`${BASE}?siret=${encodeURIComponent(typed)}&tri=nom&ordre=asc`).expect(200)).text;
    assert.deepEqual(rowNames(html), ['Olga Troisième']);
    assertIncludes(html, `value="${typed}"`, 'what was typed is shown back');
    assertIncludes(html, `href="${BASE}?siret=${third.siret}&amp;tri=nom&amp;ordre=desc"`, 'the header links keep the SIRET');
    // An establishment id from an older link still filters, and shows as its SIRET in the field
    // (sending the form again keeps it); a wrong id is said at that field.
    html = (await bigAgent.get(`${BASE}?etablissement=${last.id}`).expect(200)).text;
    assert.deepEqual(rowNames(html), ['Omar Dernier']);
    assert.match(html, new RegExp(`<input id="siret" name="siret" type="text"\\s+value="${last.siret}"`));
    html = (await bigAgent.get(`${BASE}?etablissement=${beta.establishments[0].id}`).expect(200)).text;
    assertIncludes(html, '<p class="error-message" id="siret-error">', 'the error at the SIRET field');
    assert.ok(textOf(html).includes(TRACKING_TEXTS.establishment) && !html.includes('id="etablissement-error"'));
    // Another company's SIRET, or garbage: not applied, said so.
    for (const siret of [beta.establishments[0].siret, '123', encodeURIComponent('<b>')]) {
      const text = textOf((await bigAgent.get(`${BASE}?siret=${siret}`).expect(200)).text);
      assertIncludes(text, TRACKING_TEXTS.siret, siret);
      assertIncludes(text, "2 demandes d'affiliation", 'nothing applied');
    }
    // Two establishments that disagree: the SIRET is not applied.
    const text = textOf((await bigAgent.get(`${BASE}?etablissement=${last.id}&siret=${third.siret}`).expect(200)).text);
    assert.ok(text.includes(TRACKING_TEXTS.siretOtherEstablishment) && text.includes('Omar Dernier') && !text.includes('Olga Troisième'));

    // 200 establishments followed: the select lists every one, no hint, no SIRET field.
    await t.db('hr_perimeter').where({ account_id: bigAdmin.id, establishment_id: first.id }).delete();
    html = (await bigAgent.get(BASE).expect(200)).text;
    assertExcludes(textOf(html), ESTABLISHMENTS_PAST_CAP_HINT);
    assertExcludes(html, 'name="siret"');
    const select = html.slice(html.indexOf('<select id="etablissement"'), html.indexOf('</select>', html.indexOf('<select id="etablissement"')));
    const options = [...select.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1]));
    assert.equal(options.length, ESTABLISHMENT_OPTIONS_MAX);
    assert.ok(options.includes(third.id) && options.includes(last.id) && !options.includes(first.id));
    html = (await bigAgent.get(`${BASE}?etablissement=${third.id}`).expect(200)).text;
    assert.deepEqual(rowNames(html), ['Olga Troisième']);
    assertIncludes(html, `<option value="${third.id}" selected>`);
  });
});

// Every page of the demo walk has a <meta name="description"> of its own: the public site and
// each door's pages, then every page reached by following the links of each space as the demo
// member, HR administrator and staff agent (one page per address pattern, ids folded), plus an
// online affiliation link. Each description is non-empty, is not the bare title, and no two
// pages share one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { csrfFrom, makeTestApp, type TestContext } from '../helpers/app.js';
import { decoded, loginAs } from '../helpers/fixtures.js';
import { DEMO_FACTS, seedDemo } from '../../db/seeds/demo/index.js';
import { assertIncludes } from '../helpers/assertions.js';

type Agent = ReturnType<typeof request.agent>;

let t: TestContext;
before(async () => {
  t = await makeTestApp();
  await seedDemo(t.db, { brand: t.config.brand });
});
after(async () => {
  await t?.close();
});

interface Visited {
  path: string;
  title: string;
  description: string;
}

/** The address with its ids folded (« /entreprise/salaries/:id »), its query dropped: one page. */
const pattern = (path: string) => path.split(/[?#]/)[0].replace(/\/\d+(?=\/|$)/g, '/:id');
/** The page and the names of its query's fields: a filtered list is walked too (once per filter). */
const walkKey = (path: string) => `${pattern(path)}?${[...new URLSearchParams(path.split('?')[1] ?? '').keys()].sort().join('&')}`;
/** Files and actions, not pages. */
const NOT_A_PAGE = /\.(pdf|csv|xlsx|svg|png|js|css)$|\/deconnexion$|^\/public\/|^\/brand\//;

function metaOf(html: string): { title: string; description: string | null } {
  const title = decoded(/<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '').trim();
  const tags = [...html.matchAll(/<meta name="description" content="([^"]*)">/g)];
  assert.ok(tags.length <= 1, `one description at most: ${title}`);
  return { title, description: tags.length ? decoded(tags[0][1]).trim() : null };
}

const walked = new Set<string>();

/**
 * Follows the links of each page from `start`, within `prefixes`: each address pattern (and each
 * filter of a list) once; `seen` keeps the first page of each address pattern.
 */
async function walk(agent: Agent, start: string[], prefixes: string[], seen: Map<string, Visited>, limit = 120): Promise<void> {
  const queue = [...start];
  let fetched = 0;
  while (queue.length && fetched < limit) {
    const path = queue.shift()!;
    if (walked.has(walkKey(path))) continue;
    walked.add(walkKey(path));
    fetched += 1;
    // A menu entry may redirect (« Pré-affiliation » to its first step): followed, and the page
    // kept under the address it ends at.
    const res = await agent.get(path).redirects(3);
    if (res.status !== 200 || !/text\/html/.test(res.headers['content-type'] ?? '')) continue;
    const landed = res.redirects.length ? new URL(res.redirects.at(-1)!).pathname : path;
    const { title, description } = metaOf(res.text);
    if (!seen.has(pattern(landed))) seen.set(pattern(landed), { path: landed, title, description: description ?? '' });
    // Links a person can follow: not downloads, files or the logout form.
    for (const [, tag, href] of res.text.matchAll(/<a\b([^>]*?)\bhref="(\/[^"#]*)"/g)) {
      const target = decoded(href);
      if (/\bdownload\b/.test(tag) || NOT_A_PAGE.test(target.split('?')[0])) continue;
      if (prefixes.some((prefix) => target === prefix || target.startsWith(`${prefix}/`) || target.startsWith(`${prefix}?`)) && !walked.has(walkKey(target)))
        queue.push(target);
    }
  }
}

describe('a page-specific <meta name="description"> on every page of the demo walk', () => {
  const seen = new Map<string, Visited>();

  before(async () => {
    const visitor = request.agent(t.app);
    const publicPages = ['/', '/mentions-legales', '/cgu', '/donnees-personnelles', '/accessibilite'];
    const doors = ['/assure', '/entreprise', '/gestion'].flatMap((door) => [door, `${door}/mot-de-passe-oublie`, `${door}/activation`]);
    await walk(
      visitor,
      [...publicPages, ...doors, '/dev/outbox'],
      ['/mentions-legales', '/cgu', '/donnees-personnelles', '/accessibilite', '/dev/outbox'],
      seen,
    );

    // An employee's online affiliation link: the identity check, then the form.
    const { token, birthDate } = DEMO_FACTS.affiliationStarted;
    const employee = request.agent(t.app);
    await walk(employee, [`/affiliation/${token}`], [], seen);
    const identity = await employee.get(`/affiliation/${token}`);
    const [year, month, day] = birthDate.split('-');
    await employee
      .post(`/affiliation/${token}`)
      .type('form')
      .send({ _csrf: csrfFrom(identity.text), date_naissance: `${day}/${month}/${year}` })
      .expect(303);
    await walk(employee, [`/affiliation/${token}/formulaire`], [], seen);

    // The double authentification's screen, on a first login from this browser.
    const newcomer = request.agent(t.app);
    const login = await newcomer.get('/assure');
    const answer = await newcomer
      .post('/assure/connexion')
      .type('form')
      .send({ _csrf: csrfFrom(login.text), email: DEMO_FACTS.member.email, password: DEMO_FACTS.password });
    assert.equal(answer.headers.location, '/assure/securite');
    await walk(newcomer, ['/assure/securite'], [], seen);

    // Each space as its demo account; a list filter opens pages its plain list does not.
    for (const [door, email, starts] of [
      ['assure', DEMO_FACTS.member.email, ['/assure/accueil']],
      ['entreprise', DEMO_FACTS.hrAdmin.email, ['/entreprise/accueil']],
      // The superviseur: every page of a gestionnaire, and « Comptes » and the journal d'audit besides.
      ['gestion', DEMO_FACTS.supervisor.email, ['/gestion/accueil', '/gestion/affiliations?statut=papier']],
    ] as const) {
      const agent = await loginAs(t.app, t.db, door, email, DEMO_FACTS.password);
      await walk(agent, [...starts], [`/${door}`], seen);
    }
  });

  test('the walk reached the pages of every space', () => {
    const paths = [...seen.keys()];
    for (const expected of [
      '/',
      '/assure',
      '/entreprise/activation',
      '/affiliation/:token/formulaire'.replace(':token', DEMO_FACTS.affiliationStarted.token),
      '/assure/remboursements',
      '/assure/contrats',
      '/assure/beneficiaires',
      '/entreprise/salaries',
      '/entreprise/salaries/:id',
      '/entreprise/suivi-affiliations/:id',
      '/entreprise/habilitations',
      '/entreprise/profil',
      '/gestion/affiliations',
      '/gestion/affiliations/:id',
      '/gestion/audit',
      '/gestion/comptes',
      '/gestion/comptes/:id',
      '/gestion/comptes/:id/desactiver',
      '/gestion/comptes/ajouter',
      '/gestion/messages',
      '/gestion/affiliations/:id/bulletin-papier',
      '/entreprise/pre-affiliation/etablissement',
      '/assure/securite',
    ]) {
      assertIncludes(paths, expected, `${expected} walked (walked: ${paths.join(', ')})`);
    }
    assert.ok(paths.length >= 60, `${paths.length} pages walked`);
  });

  test('each page has a non-empty description that is more than its title', () => {
    const problems = [...seen.values()]
      .filter(
        ({ title, description }) => !description || description.length < 40 || description === title || `${description} — ${t.config.brand.name}` === title,
      )
      .map(({ path, title, description }) => `${path} « ${title} »: « ${description} »`);
    assert.deepEqual(problems, []);
  });

  test('no two pages share a description', () => {
    const byDescription = new Map<string, string[]>();
    for (const { path, description } of seen.values()) byDescription.set(description, [...(byDescription.get(description) ?? []), path]);
    const shared = [...byDescription.entries()]
      .filter(([, paths]) => paths.length > 1)
      .map(([description, paths]) => `${paths.join(' and ')}: « ${description} »`);
    assert.deepEqual(shared, []);
  });

  test('a page that is not found has one too', async () => {
    const res = await request(t.app)
      .get('/assure/nulle-part')
      .expect((r) => assertIncludes([303, 404], r.status));
    const page = res.status === 404 ? res : await request(t.app).get('/nulle-part').expect(404);
    assert.ok((metaOf(page.text).description ?? '').length > 40);
  });
});

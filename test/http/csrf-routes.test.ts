// CSRF on every route that may change something, read from the app's own router (so a route added
// tomorrow is walked too): with no token, or with a valid token of another session, each variant of
// body (urlencoded, multipart, text/plain, htmx) answers 403 before any handler runs, and nothing
// changes — no row in any table, no stored file, every victim still logged in. Victims are logged
// in on the demo data and the paths carry real ids, so a handler that ran would act.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { loginAs, tokenFrom } from '../helpers/fixtures.js';
import { DEMO_FACTS, seedDemo } from '../../db/seeds/demo/index.js';
import { listRoutes } from '../../src/middleware/route-table.js';
import { assertIncludes } from '../helpers/assertions.js';

type Agent = ReturnType<typeof request.agent>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SKIPPED_TABLES = new Set(['sessions', 'knex_migrations', 'knex_migrations_lock']);

let t: TestContext;
let victims: Record<'assure' | 'entreprise' | 'gestion' | 'affiliation', Agent>;
let attackerToken: string;
let params: Record<string, string>;

async function tableNames(): Promise<string[]> {
  const rows: { name: string }[] =
    t.db.client.config.client === 'pg'
      ? (await t.db.raw('SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()')).rows
      : await t.db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  return rows
    .map((r) => r.name)
    .filter((name) => !SKIPPED_TABLES.has(name))
    .sort();
}

/** Every row of every table (sessions aside), as sorted JSON lines: equal snapshots, nothing changed. */
async function snapshot(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of await tableNames()) {
    const rows = await t.db(table).select('*');
    out[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return out;
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

/** The victim whose session a forged request would ride on, by the space of the path. */
function victimFor(routePath: string): Agent {
  const space = routePath.split('/')[1];
  if (space === 'entreprise' || space === 'gestion' || space === 'affiliation') return victims[space];
  return victims.assure;
}

function concretePath(pattern: string): string {
  return pattern.replace(/:(\w+)/g, (_m, name: string) => params[`${pattern}:${name}`] ?? params[`*:${name}`] ?? '1');
}

const BOUNDARY = 'x';
const multipartField = (name: string, value: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n--${BOUNDARY}--\r\n`;

interface Variant {
  name: string;
  send(req: request.Test): request.Test;
}

const VARIANTS: Variant[] = [
  { name: 'urlencoded, no token', send: (r) => r.type('form').send('motif=x') },
  { name: 'urlencoded, token of another session', send: (r) => r.type('form').send({ _csrf: attackerToken, motif: 'x' }) },
  { name: 'multipart « --x-- », no token', send: (r) => r.set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`).send(`--${BOUNDARY}--\r\n`) },
  {
    name: 'multipart, token of another session in the body',
    send: (r) => r.set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`).send(multipartField('_csrf', attackerToken)),
  },
  {
    name: 'multipart, token of another session in the header',
    send: (r) => r.set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`).set('X-CSRF-Token', attackerToken).send(`--${BOUNDARY}--\r\n`),
  },
  { name: 'text/plain, no token', send: (r) => r.set('Content-Type', 'text/plain').send('_csrf=x') },
  { name: 'htmx, no token', send: (r) => r.set('HX-Request', 'true').type('form').send('motif=x') },
  { name: 'htmx, token of another session', send: (r) => r.set('HX-Request', 'true').set('X-CSRF-Token', attackerToken).type('form').send('motif=x') },
  {
    name: 'htmx multipart, no token',
    send: (r) => r.set('HX-Request', 'true').set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`).send(`--${BOUNDARY}--\r\n`),
  },
];

before(async () => {
  t = await makeTestApp();
  await seedDemo(t.db, { scale: 0.05, brand: t.config.brand, uploadDir: t.config.uploadDir });
  const { db, app } = t;
  const password = DEMO_FACTS.password;
  victims = {
    assure: await loginAs(app, db, 'assure', DEMO_FACTS.member.email, password),
    entreprise: await loginAs(app, db, 'entreprise', DEMO_FACTS.hrAdmin.email, password),
    // The superviseur: every staff POST is theirs, « Comptes » included.
    gestion: await loginAs(app, db, 'gestion', DEMO_FACTS.supervisor.email, password),
    affiliation: request.agent(app),
  };
  // The employee of the started enrolment has proved their birth date: the form is theirs.
  const started = DEMO_FACTS.affiliationStarted;
  const identityToken = await tokenFrom(victims.affiliation, `/affiliation/${started.token}`);
  const [y, m, d] = started.birthDate.split('-');
  await victims.affiliation
    .post(`/affiliation/${started.token}`)
    .type('form')
    .send({ _csrf: identityToken, date_naissance: `${d}/${m}/${y}` })
    .expect(303);

  // The attacker's own session, with a token valid for it only.
  attackerToken = await tokenFrom(request.agent(app), '/assure');

  const member = await db('members').where({ member_number: DEMO_FACTS.member.memberNumber }).first();
  const hrAdmin = await db('accounts').where({ email: DEMO_FACTS.hrAdmin.email, kind: 'hr' }).first();
  const hrUser = await db('accounts').where({ email: DEMO_FACTS.hrUser.email, kind: 'hr' }).first();
  const beneficiary = await db('beneficiaries').where({ member_id: member.id }).orderBy('id').first();
  const notification = await db('notifications').where({ account_id: hrAdmin.id }).orderBy('id').first();
  const open = await db('affiliation_requests').whereIn('status', ['sent', 'started']).orderBy('id').first();
  const finalized = await db('affiliation_requests').where({ status: 'finalized' }).orderBy('id').first();
  const job = await db('import_jobs').orderBy('id').first();
  params = {
    '/entreprise/habilitations/:id/modifier:id': String(hrUser.id),
    '*:memberId': String(member.id),
    '/affiliation/:token:token': started.token,
    '/affiliation/:token/formulaire:token': started.token,
  };
  for (const action of ['modifier', 'renvoyer-lien', 'suspendre', 'reactiver', 'desactiver'])
    params[`/entreprise/habilitations/:id/${action}:id`] = String(hrUser.id);
  for (const action of ['nir', 'teletransmission']) params[`/assure/beneficiaires/:id/${action}:id`] = String(beneficiary?.id ?? 1);
  for (const action of ['relancer', 'annuler']) params[`/entreprise/suivi-affiliations/:id/${action}:id`] = String(open.id);
  for (const action of ['valider', 'refuser', 'bulletin-papier']) params[`/gestion/affiliations/:id/${action}:id`] = String(finalized.id);
  const staffAccount = await db('accounts').where({ email: DEMO_FACTS.staff.email, kind: 'staff' }).first();
  for (const action of ['role', 'suspendre', 'reactiver', 'desactiver', 'renvoyer-invitation'])
    params[`/gestion/comptes/:id/${action}:id`] = String(staffAccount.id);
  params['/entreprise/notifications/:id/ouvrir:id'] = String(notification?.id ?? 1);
  for (const action of ['confirmer', 'annuler']) params[`/entreprise/profil/etablissements/fichier/:id/${action}:id`] = String(job?.id ?? 1);
});
after(async () => t?.close());

describe('CSRF on every registered route that may change something', () => {
  test('the walk reads the routes from the app (a new route cannot be forgotten)', () => {
    const changing = listRoutes(t.app).filter((r) => r.methods.some((m) => !SAFE_METHODS.has(m)));
    const paths = changing.map((r) => r.path);
    // Known routes of each space, as a check that the walk sees into every router.
    for (const known of [
      '/assure/connexion',
      '/assure/deconnexion',
      '/entreprise/habilitations/:id/suspendre',
      '/entreprise/notifications/tout-lire',
      '/gestion/affiliations/:id/valider',
      '/affiliation/:token/formulaire',
      '/entreprise/profil/etablissements/fichier',
    ]) {
      assertIncludes(paths, known, `${known} in the walk`);
    }
    assert.ok(changing.length >= 70, `${changing.length} routes`);
  });

  test('no token or another session’s token → 403 for every variant, and nothing changed', { timeout: 600_000 }, async () => {
    const routes = listRoutes(t.app).filter((r) => r.methods.some((m) => !SAFE_METHODS.has(m)));
    const before = await snapshot();
    const filesBefore = filesUnder(t.config.uploadDir);
    const failures: string[] = [];
    for (const route of routes) {
      const url = concretePath(route.path);
      for (const method of route.methods.filter((m) => !SAFE_METHODS.has(m))) {
        for (const variant of VARIANTS) {
          const agent = victimFor(route.path);
          const verb = (method === 'ALL' ? 'post' : method.toLowerCase()) as 'post' | 'put' | 'patch' | 'delete';
          const res = await variant.send(agent[verb](url));
          if (res.status !== 403) failures.push(`${method} ${url} (${variant.name}) → ${res.status}`);
        }
      }
    }
    assert.deepEqual(failures, [], `routes that did not refuse:\n${failures.join('\n')}`);

    const after = await snapshot();
    for (const table of Object.keys(before)) assert.deepEqual(after[table], before[table], `table ${table} unchanged`);
    assert.deepEqual(filesUnder(t.config.uploadDir), filesBefore, 'no file stored');
    // Every victim is still logged in (no forged « déconnexion »).
    await victims.assure.get('/assure/accueil').expect(200);
    await victims.entreprise.get('/entreprise/accueil').expect(200);
    await victims.gestion.get('/gestion/accueil').expect(200);
    await victims.affiliation.get(`/affiliation/${DEMO_FACTS.affiliationStarted.token}/formulaire`).expect(200);
  });

  test('the right token still goes through, multipart included (the walk is not refusing everything)', async () => {
    const token = await tokenFrom(victims.entreprise, '/entreprise/notifications');
    await victims.entreprise
      .post('/entreprise/notifications/tout-lire')
      .set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`)
      .set('X-CSRF-Token', token)
      .send(`--${BOUNDARY}--\r\n`)
      .expect(303);
    await victims.entreprise.post('/entreprise/notifications/tout-lire').type('form').send({ _csrf: token }).expect(303);
  });
});

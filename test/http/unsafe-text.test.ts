// Control, zero-width and bidi characters (src/domain/unsafe-text.ts) in what people type: a NUL
// in an anonymous login e-mail answers a French message, not a 500 (PostgreSQL refuses NUL in
// text); a U+202E in a name is refused at its field with the typed value kept; searches and
// filters say so instead of failing. Then a walk of the forms: a NUL, then a U+202E, in each text
// field of each form in turn — every one refused at its field — and nothing of it is stored.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createAffiliationRequest } from '../helpers/affiliation-requests.js';
import { createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { createFamily } from '../helpers/family.js';
import { createFinalizedRequest } from '../helpers/finalized-requests.js';
import { createAccount, decoded, loginAs, PASSWORD, textOf, tokenFrom } from '../helpers/fixtures.js';
import { UNSAFE_TEXT_MESSAGE } from '../../src/domain/unsafe-text.js';
import { isPostgres } from '../../src/db.js';
import { assertIncludes } from '../helpers/assertions.js';

type Agent = ReturnType<typeof request.agent>;

const NUL = '\u0000';
const RLO = '\u202e';

let t: TestContext;
let company: TestCompany;
let hr: { id: number; email: string };
let hrAgent: Agent;
let memberAgent: Agent;
let staffAgent: Agent;

// ------------------------------------------------------------------ reading pages
interface Field {
  tag: 'input' | 'textarea' | 'select';
  name: string;
  type: string;
  value: string;
  checked: boolean;
}
interface Form {
  method: 'get' | 'post';
  action: string;
  multipart: boolean;
  fields: Field[];
}

function attributes(tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:-]+)(?:\s*=\s*"([^"]*)")?/g)) attrs[m[1].toLowerCase()] = decoded(m[2] ?? '');
  return attrs;
}

/** The forms of a page as a browser would submit them (our own markup: regular enough for this). */
function formsOf(html: string, page: string): Form[] {
  const forms: Form[] = [];
  for (const f of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const attrs = attributes(f[1]);
    const fields: Field[] = [];
    for (const m of f[2].matchAll(/<input\b([^>]*)>|<(textarea|select)\b([^>]*)>([\s\S]*?)<\/\2>/g)) {
      const tag = (m[2] ?? 'input') as Field['tag'];
      const a = attributes(m[1] ?? m[3]);
      if (!a.name || 'disabled' in a) continue;
      let value = a.value ?? '';
      if (tag === 'textarea') value = decoded(m[4] ?? '');
      if (tag === 'select') {
        const options = [...(m[4] ?? '').matchAll(/<option\b([^>]*)>/g)].map((o) => attributes(o[1]));
        value = (options.find((o) => 'selected' in o) ?? options.find((o) => o.value) ?? { value: '' }).value ?? '';
      }
      fields.push({ tag, name: a.name, type: (a.type ?? (tag === 'input' ? 'text' : tag)).toLowerCase(), value, checked: 'checked' in a });
    }
    forms.push({
      method: (attrs.method ?? 'get').toLowerCase() === 'post' ? 'post' : 'get',
      action: attrs.action || page,
      multipart: (attrs.enctype ?? '').includes('multipart'),
      fields,
    });
  }
  return forms;
}

// POSTed searches; the anti-robot answer, which a new question replaces after each try.
const SEARCH_FORMS = new Set(['/entreprise/salaries']);
const NEVER_SHOWN_BACK = new Set(['robot']);
const TEXT_TYPES = new Set(['text', 'email', 'tel', 'search', 'url', 'number', 'date', 'textarea']);

/** The values a browser sends for the form as shown (passwords: the account's). */
function defaults(form: Form): [string, string][] {
  const out: [string, string][] = [];
  const radiosDone = new Set<string>();
  for (const f of form.fields) {
    if (f.type === 'submit' || f.type === 'button' || f.type === 'file' || f.type === 'reset') continue;
    if (f.type === 'checkbox' && !f.checked) continue;
    if (f.type === 'radio') {
      if (radiosDone.has(f.name)) continue;
      const chosen = form.fields.find((r) => r.type === 'radio' && r.name === f.name && r.checked) ?? f;
      radiosDone.add(f.name);
      out.push([f.name, chosen.value]);
      continue;
    }
    out.push([f.name, f.type === 'password' ? PASSWORD : f.value]);
  }
  return out;
}

async function submit(agent: Agent, form: Form, body: [string, string][]) {
  if (form.method === 'get') {
    const query = new URLSearchParams(body.filter(([k]) => k !== '_csrf')).toString();
    return agent.get(`${form.action}${form.action.includes('?') ? '&' : '?'}${query}`);
  }
  if (form.multipart) {
    let req = agent.post(form.action);
    for (const [k, v] of body) req = req.field(k, v);
    return req;
  }
  return agent.post(form.action).type('form').send(new URLSearchParams(body).toString());
}

/** The error paragraph the field points to (aria-describedby), if any. */
function messageAtField(html: string, name: string): string | null {
  const element = html.match(new RegExp(`<(?:input|textarea|select)\\b[^>]*\\bname="${name}"[^>]*>`));
  if (!element) return null;
  const ids = (attributes(element[0])['aria-describedby'] ?? '').split(/\s+/).filter(Boolean);
  for (const id of ids) {
    const p = html.match(new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</p>`));
    if (p && /-error$/.test(id)) return textOf(p[1]).trim();
  }
  return null;
}

/** What the field shows back after the answer. */
function valueShown(html: string, name: string): string | null {
  const input = html.match(new RegExp(`<input\\b[^>]*\\bname="${name}"[^>]*>`));
  if (input) return attributes(input[0]).value ?? null;
  const area = html.match(new RegExp(`<textarea\\b[^>]*\\bname="${name}"[^>]*>([\\s\\S]*?)</textarea>`));
  return area ? decoded(area[1]) : null;
}

/**
 * Each text field of each form of `page`, in turn, with a NUL then a U+202E inside what the form
 * shows: never a 500 nor the database's 400, always the message at that field and the value kept.
 */
async function walk(agent: Agent, page: string, problems: string[], before?: () => Promise<void>): Promise<number> {
  let probes = 0;
  const first = await agent.get(page);
  assert.equal(first.status, 200, `${page}: ${first.status}`);
  const count = formsOf(first.text, page).length;
  for (let i = 0; i < count; i++) {
    const names = formsOf((await agent.get(page)).text, page)
      [i].fields.filter((f) => TEXT_TYPES.has(f.type) && f.tag !== 'select')
      .map((f) => f.name);
    for (const name of names) {
      for (const bad of [NUL, RLO]) {
        await before?.();
        const form = formsOf((await agent.get(page)).text, page)[i];
        const body = defaults(form);
        const typed = `Ab${bad}cd`;
        const index = body.findIndex(([k]) => k === name);
        if (index >= 0) body[index] = [name, typed];
        else body.push([name, typed]);
        const res = await submit(agent, form, body);
        probes += 1;
        const where = `${form.method.toUpperCase()} ${form.action} ${name}=${JSON.stringify(typed)}`;
        // A list (a GET, or the employees' search, POSTed so that a NIR never sits in an address)
        // answers 200 with the message (the journal, 422); a form 422.
        const search = form.method === 'get' || SEARCH_FORMS.has(form.action);
        if (search ? res.status !== 200 && res.status !== 422 : res.status !== 422) {
          problems.push(`${where}: ${res.status} ${textOf(res.text).slice(0, 300)}`);
          continue;
        }
        const message = messageAtField(res.text, name);
        if (message !== `Erreur : ${UNSAFE_TEXT_MESSAGE}`) problems.push(`${where}: message at the field ${JSON.stringify(message)}`);
        // A search or filter leaves the value out (queryText); a form shows back what was typed.
        if (!search && !NEVER_SHOWN_BACK.has(name) && valueShown(res.text, name) !== typed)
          problems.push(`${where}: shows back ${JSON.stringify(valueShown(res.text, name))}`);
      }
    }
  }
  assert.ok(probes > 0, `${page}: no text field found`);
  return probes;
}

/** Every stored text holding one of the probes (as such, or escaped in JSON). */
async function storedProbes(): Promise<string[]> {
  const tables: string[] = isPostgres(t.db)
    ? (await t.db.raw("select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'")).rows.map(
        (r: { name: string }) => r.name,
      )
    : (await t.db.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")).map((r: { name: string }) => r.name);
  const found: string[] = [];
  // Sessions keep a wizard's typed values as they were typed (shown back, never stored elsewhere).
  for (const table of tables.filter((name) => name !== 'sessions' && !name.startsWith('knex_'))) {
    for (const row of await t.db(table).select('*')) {
      for (const [column, value] of Object.entries(row)) {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: finding stored NUL characters is what this test is for
        if (typeof value === 'string' && /\u0000|\u202e|\\u0000|\\u202e/i.test(value))
          found.push(`${table}.${column} (id ${String(row.id)}): ${JSON.stringify(value.slice(0, 120))}`);
      }
    }
  }
  return found;
}

before(async () => {
  t = await makeTestApp();
  company = await createHrCompany(t.db, 'Alpha Immobilier', 2);
  hr = await createHrUser(t.db, [{ company, role: 'admin' }], { firstName: 'Eugénie' });
  hrAgent = await loginAs(t.app, t.db, 'entreprise', hr.email);
  const family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault', statements: 2 });
  memberAgent = await loginAs(t.app, t.db, 'assure', family.email);
  // A superviseur: the journal d'audit is among the pages probed.
  const staff = await createAccount(t.db, { kind: 'staff', mobile: '+33639980951', staffRole: 'superviseur' });
  staffAgent = await loginAs(t.app, t.db, 'gestion', staff.email);
});
after(async () => t.close());

describe('a NUL in the login e-mail (anonymous)', () => {
  for (const door of ['assure', 'entreprise', 'gestion'] as const) {
    test(`/${door}: the French message at the field, the value kept, not a 500`, async () => {
      const agent = request.agent(t.app);
      const token = await tokenFrom(agent, `/${door}`);
      const res = await agent
        .post(`/${door}/connexion`)
        .type('form')
        .send({ _csrf: token, email: `marie${NUL}@exemple.fr`, password: 'peu importe' });
      assert.equal(res.status, 422, textOf(res.text).slice(0, 400));
      assert.equal(messageAtField(res.text, 'email'), `Erreur : ${UNSAFE_TEXT_MESSAGE}`);
      assert.equal(valueShown(res.text, 'email'), `marie${NUL}@exemple.fr`);
    });
  }
});

describe('a right-to-left override in a name', () => {
  test('pré-affiliation: refused at the field, typed value kept, no request created', async () => {
    const send = async (path: string, body: Record<string, string>) => {
      const token = await tokenFrom(hrAgent, '/entreprise/accueil');
      return hrAgent
        .post(`/entreprise/pre-affiliation/${path}`)
        .type('form')
        .send({ _csrf: token, ...body });
    };
    assert.equal((await send('etablissement', { etablissement: String(company.establishments[0].id) })).status, 303);
    assert.equal((await send('statut', { statut_professionnel: 'non_cadre' })).status, 303);
    assert.equal((await send('deja-affilie', { deja_affilie: 'non' })).status, 303);
    const before = await t.db('affiliation_requests').count({ n: '*' }).first();
    const res = await send('salarie', {
      nir: '2960433063101',
      nom: `Fontaine${RLO}eniatnoF`,
      prenom: 'Léa',
      email: 'lea.fontaine@exemple.fr',
      date_naissance: '12/04/1996',
      date_entree: '01/12/2026',
      date_affiliation: '01/12/2026',
      type_contrat: 'CDI',
      date_debut_contrat: '01/12/2026',
      statut_professionnel: 'non_cadre',
      statut_entreprise: 'salarie',
    });
    assert.equal(res.status, 422, textOf(res.text).slice(0, 600));
    assert.equal(messageAtField(res.text, 'nom'), `Erreur : ${UNSAFE_TEXT_MESSAGE}`);
    assert.equal(valueShown(res.text, 'nom'), `Fontaine${RLO}eniatnoF`);
    assert.equal(messageAtField(res.text, 'prenom'), null, 'the other fields are fine');
    assert.deepEqual(await t.db('affiliation_requests').count({ n: '*' }).first(), before);
    await hrAgent
      .post('/entreprise/pre-affiliation/annuler')
      .type('form')
      .send({ _csrf: await tokenFrom(hrAgent, '/entreprise/accueil') });
  });

  test('habilitation invitation: refused at the field, typed value kept, no account created', async () => {
    const token = await tokenFrom(hrAgent, '/entreprise/habilitations/ajouter');
    const res = await hrAgent
      .post('/entreprise/habilitations/ajouter')
      .type('form')
      .send({
        _csrf: token,
        last_name: `Martin${RLO}`,
        first_name: 'Paul',
        email: 'paul.martin@exemple.fr',
        mobile: '',
        [`acces_${company.companyId}`]: 'user',
      });
    assert.equal(res.status, 422, textOf(res.text).slice(0, 600));
    assert.equal(messageAtField(res.text, 'last_name'), `Erreur : ${UNSAFE_TEXT_MESSAGE}`);
    assert.equal(valueShown(res.text, 'last_name'), `Martin${RLO}`);
    assert.equal(messageAtField(res.text, 'first_name'), null, 'the other fields are fine');
    assert.equal(await t.db('accounts').where({ email: 'paul.martin@exemple.fr' }).first(), undefined);
  });

  test('online affiliation form: refused at the field, typed value kept; the draft keeps what it held', async () => {
    const { token } = await createAffiliationRequest(t.db, t.clock(), { company, createdBy: hr.id });
    const link = `/affiliation/${token}`;
    const agent = request.agent(t.app);
    const identityToken = await tokenFrom(agent, link);
    await agent.post(link).type('form').send({ _csrf: identityToken, date_naissance: '17/04/1992' }).expect(303);
    const save = async (fields: Record<string, string>) => {
      let req = agent.post(`${link}/formulaire`).field('_csrf', await tokenFrom(agent, `${link}/formulaire`));
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      return req;
    };
    assert.equal((await save({ nom: 'Fontaine', ville: 'Bordeaux' })).status, 303);
    const res = await save({ nom: `Fontaine${RLO}eniatnoF`, ville: 'Talence', prenom: 'Léa' });
    assert.equal(res.status, 422, textOf(res.text).slice(0, 600));
    assert.equal(messageAtField(res.text, 'nom'), `Erreur : ${UNSAFE_TEXT_MESSAGE}`);
    assert.equal(valueShown(res.text, 'nom'), `Fontaine${RLO}eniatnoF`);
    assert.equal(valueShown(res.text, 'ville'), 'Talence');
    const draft = JSON.parse((await t.db('affiliation_requests').whereNotNull('form_data').orderBy('id', 'desc').first()).form_data);
    assert.deepEqual({ nom: draft.fields.nom, ville: draft.fields.ville, prenom: draft.fields.prenom }, { nom: 'Fontaine', ville: 'Talence', prenom: 'Léa' });
  });
});

describe('searches and filters', () => {
  test('a NUL in a search or a filter: the list with a message, never a 500', async () => {
    const employees = await hrAgent
      .post('/entreprise/salaries')
      .type('form')
      .send({ _csrf: await tokenFrom(hrAgent, '/entreprise/salaries'), assure: `Dup${NUL}ont` });
    assert.equal(employees.status, 200);
    assertIncludes(decoded(employees.text), UNSAFE_TEXT_MESSAGE);
    for (const [agent, url, field] of [
      [hrAgent, '/entreprise/salaries', 'assure'],
      [hrAgent, '/entreprise/suivi-affiliations', 'nom'],
      [memberAgent, '/assure/remboursements', 'soin'],
      [staffAgent, '/gestion/audit', 'email'],
    ] as const) {
      const res = await agent.get(`${url}?${field}=Dup%00ont`);
      // A list with a filter it cannot apply: 200, or 422 where the page says so (the journal).
      assert.ok(res.status === 200 || res.status === 422, `${url}: ${res.status}`);
      assert.equal(messageAtField(res.text, field), `Erreur : ${UNSAFE_TEXT_MESSAGE}`, url);
    }
  });
});

describe('addresses', () => {
  test('a NUL or a U+202E in an address’s own parts (tokens, ids): not found, never the database’s error', async () => {
    const anonymous = request.agent(t.app);
    for (const [agent, path] of [
      [anonymous, '/affiliation/%00abc'],
      [anonymous, '/affiliation/abc%E2%80%AE'],
      [anonymous, '/assure/reinitialiser/%00abc'],
      [anonymous, '/entreprise/creer-mot-de-passe/%00abc'],
      [hrAgent, '/entreprise/salaries/1%00'],
      [hrAgent, '/entreprise/suivi-affiliations/%00'],
      [memberAgent, '/assure/beneficiaires/%00/teletransmission'],
      [staffAgent, '/gestion/affiliations/%00'],
    ] as const) {
      const res = await agent.get(path);
      assert.ok(res.status !== 400 && res.status < 500, `${path}: ${res.status}`);
    }
  });
});

describe('every text field of every form', () => {
  test('a NUL or a U+202E is refused at the field, whatever the form; none is stored', async () => {
    const problems: string[] = [];
    let probes = 0;
    // Anonymous forms.
    const anonymous = request.agent(t.app);
    for (const page of [
      '/assure',
      '/entreprise',
      '/gestion',
      '/assure/mot-de-passe-oublie',
      '/entreprise/mot-de-passe-oublie',
      '/gestion/mot-de-passe-oublie',
      '/assure/activation',
      '/entreprise/activation/identification',
    ]) {
      probes += await walk(anonymous, page, problems);
    }
    const { token } = await createAffiliationRequest(t.db, t.clock(), { company, createdBy: hr.id });
    probes += await walk(request.agent(t.app), `/affiliation/${token}`, problems);
    const anonymousProbes = probes;
    assert.ok(anonymousProbes >= 20, `${anonymousProbes} anonymous probes`);

    // The employee's affiliation form.
    const employee = request.agent(t.app);
    const identityToken = await tokenFrom(employee, `/affiliation/${token}`);
    await employee.post(`/affiliation/${token}`).type('form').send({ _csrf: identityToken, date_naissance: '17/04/1992' }).expect(303);
    probes += await walk(employee, `/affiliation/${token}/formulaire`, problems);

    // Espace Assuré.
    for (const page of [
      '/assure/informations-personnelles/adresse',
      '/assure/informations-personnelles/email',
      '/assure/informations-personnelles/mobile',
      '/assure/informations-personnelles/iban',
      '/assure/remboursements',
    ]) {
      probes += await walk(memberAgent, page, problems);
    }
    // Espace Entreprise; an invitation's form lets its administrator change names, email and mobile.
    const invitee = await createHrUser(t.db, [{ company, role: 'user' }], { email: 'invitation.saisie@exemple.fr', status: 'pending', password: null });
    for (const page of [
      '/entreprise/profil/modifier',
      '/entreprise/profil/email',
      '/entreprise/profil/mobile',
      '/entreprise/profil/etablissements/ajouter',
      '/entreprise/habilitations/ajouter',
      `/entreprise/habilitations/${invitee.id}/modifier`,
      '/entreprise/salaries',
      '/entreprise/suivi-affiliations',
    ]) {
      probes += await walk(hrAgent, page, problems);
    }
    const step = async (path: string, body: Record<string, string>) => {
      const res = await hrAgent
        .post(`/entreprise/pre-affiliation/${path}`)
        .type('form')
        .send({ _csrf: await tokenFrom(hrAgent, '/entreprise/accueil'), ...body });
      assert.equal(res.status, 303, `${path}: ${textOf(res.text).slice(0, 300)}`);
    };
    await step('etablissement', { etablissement: String(company.establishments[0].id) });
    await step('statut', { statut_professionnel: 'non_cadre' });
    probes += await walk(hrAgent, '/entreprise/pre-affiliation/deja-affilie', problems);
    await step('deja-affilie', { deja_affilie: 'non' });
    probes += await walk(hrAgent, '/entreprise/pre-affiliation/salarie', problems);

    // Espace Gestion.
    const finalized = await createFinalizedRequest(t.db, { uploadDir: t.config.uploadDir, company, createdBy: hr.id });
    const paper = await createAffiliationRequest(t.db, t.clock(), { company, mode: 'courrier', createdBy: hr.id });
    for (const page of ['/gestion/audit', `/gestion/affiliations/${finalized.id}`, `/gestion/affiliations/${paper.id}/bulletin-papier`]) {
      probes += await walk(staffAgent, page, problems);
    }

    assert.deepEqual(problems, [], `${problems.length} of ${probes} probes`);
    assert.ok(probes >= 150, `${probes} probes`);
    assert.deepEqual(await storedProbes(), []);
  });
});

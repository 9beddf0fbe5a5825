// Espace Entreprise — « Nous contacter », the « Messagerie » icon and « Mes démarches »
// through the real app, on SQLite and on PostgreSQL (TEST_PG_URL): the guide's categories
// and objects word for word, the employee of « Transmettre des documents pour mon salarié » from
// the perimeter only, threads that belong to the company (a colleague sees and answers them),
// unread counts per HR account, internal notes never shown, files and threads of another
// company — or of a company whose habilitation was removed or suspended — not found.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { AppContext } from '../../src/context.js';
import { staffThreadAction } from '../../src/correspondence/service.js';
import { newSendToken } from '../../src/correspondence/pending-uploads.js';
import { createOutbox } from '../../src/stores/outbox.js';
import { csrfFrom, makeTestApp, type TestContext } from '../helpers/app.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';
import { addEmployee, createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { createAccount, decoded, loginAs, textOf } from '../helpers/fixtures.js';
import { createFamily } from '../helpers/family.js';
import { PDF_BYTES } from '../helpers/finalized-requests.js';
import { createAffiliationRequest } from '../helpers/affiliation-requests.js';
import { fileStoreFor } from '../../src/storage/from-config.js';

const BASE = '/entreprise/messagerie';
type Agent = ReturnType<typeof request.agent>;

let t: TestContext;
let ctx: AppContext;
let alpha: TestCompany;
let beta: TestCompany;
let gamma: TestCompany;
let staff: { id: number };
let admin: Agent;
let colleague: Agent;
let outsider: Agent;
let adminAccount: { id: number; email: string };
let colleagueAccount: { id: number; email: string };
const employees: Record<string, number> = {};

const messagesDir = () => path.join(t.config.uploadDir, 'messages');
const storedCount = () => (fs.existsSync(messagesDir()) ? fs.readdirSync(messagesDir()).length : 0);
const threadCount = async () => Number((await t.db('message_threads').count({ n: '*' }).first())?.n ?? 0);
const staffActor = () => ({ side: 'staff' as const, accountId: staff.id });
const unreadIn = (html: string) => /\((\d+) conversations? non lues?\)/.exec(html)?.[1] ?? '0';

async function token(a: Agent, page = `${BASE}/nouveau`): Promise<string> {
  return csrfFrom((await a.get(page).expect(200)).text);
}

async function postNew(a: Agent, fields: Record<string, string>, files: { name: string; bytes: Buffer; type?: string }[] = [], withToken = true) {
  const req = a.post(`${BASE}/nouveau`);
  if (withToken) req.field('_csrf', await token(a));
  // Each sending carries its one-time token, as the form's hidden field does.
  if (!('envoi' in fields)) req.field('envoi', newSendToken());
  for (const [k, v] of Object.entries(fields)) req.field(k, v);
  for (const f of files) req.attach('documents', f.bytes, { filename: f.name, contentType: f.type ?? 'application/pdf' });
  return req;
}

async function sent(res: request.Response): Promise<number> {
  assert.equal(res.status, 303, textOf(res.text).slice(0, 800));
  const match = /\/entreprise\/messagerie\/(\d+)$/.exec(res.headers.location);
  assert.ok(match, res.headers.location);
  return Number(match[1]);
}

before(async () => {
  t = await makeTestApp();
  ctx = { config: t.config, db: t.db, clock: t.clock, outbox: createOutbox(t.config, t.db, t.clock), files: fileStoreFor(t.config) };
  alpha = await createHrCompany(t.db, 'Alpha Immobilier', 2);
  beta = await createHrCompany(t.db, 'Beta Syndic', 1);
  gamma = await createHrCompany(t.db, 'Gamma Conseil', 1);
  employees.alpha1 = (await addEmployee(t.db, alpha, alpha.establishments[0], { lastName: 'Girard', firstName: 'Luc' })).memberId;
  employees.alpha2 = (await addEmployee(t.db, alpha, alpha.establishments[1], { lastName: 'Site-Deux', firstName: 'Nina' })).memberId;
  employees.gamma = (await addEmployee(t.db, gamma, gamma.establishments[0], { lastName: 'Gammaire', firstName: 'Olga' })).memberId;
  adminAccount = await createHrUser(
    t.db,
    [
      { company: alpha, role: 'admin' },
      { company: beta, role: 'admin' },
    ],
    { firstName: 'Eugénie' },
  );
  colleagueAccount = await createHrUser(t.db, [{ company: alpha, role: 'user' }], { firstName: 'Hugo', perimeter: [alpha.establishments[0]] });
  const outsiderAccount = await createHrUser(t.db, [{ company: gamma, role: 'admin' }], { firstName: 'Olivier' });
  staff = await createAccount(t.db, { kind: 'staff', firstName: 'Claire' });
  admin = await loginAs(t.app, t.db, 'entreprise', adminAccount.email);
  colleague = await loginAs(t.app, t.db, 'entreprise', colleagueAccount.email);
  outsider = await loginAs(t.app, t.db, 'entreprise', outsiderAccount.email);
});
after(() => t.close());

describe('access and entries', () => {
  test('anonymous → the door; a member → 403', async () => {
    const res = await request(t.app).get(BASE);
    assert.equal(res.status, 303);
    assert.match(res.headers.location, /^\/entreprise/);
    const family = await createFamily(t.db);
    const member = await loginAs(t.app, t.db, 'assure', family.email);
    await member.get(BASE).expect(403);
    await member.get('/entreprise/demarches').expect(403);
  });

  test('« Nous contacter » tile, « Messagerie » icon and « Mes démarches » lead to real pages; the old address redirects', async () => {
    const home = decoded((await admin.get('/entreprise/accueil').expect(200)).text);
    assertIncludes(home, `<a class="tile" href="${BASE}/nouveau">Nous contacter</a>`);
    assertIncludes(home, `href="${BASE}" class="icon-link"`);
    for (const page of [BASE, `${BASE}/nouveau`, '/entreprise/demarches']) {
      assertExcludes(textOf((await admin.get(page).expect(200)).text), 'bientôt disponible');
    }
    assert.equal((await admin.get('/entreprise/messages').expect(301)).headers.location, BASE);
  });
});

describe('« Nouveau message »', () => {
  test('the guide’s wording, categories and objects word for word', async () => {
    const text = textOf((await admin.get(`${BASE}/nouveau`).expect(200)).text);
    for (const words of [
      'Nouveau message',
      'Retour à la messagerie',
      "Choisissez le motif ainsi que l'objet de votre demande :",
      'Catégorie *',
      'Objet *',
      'Choisir dans cette liste déroulante',
      '* : Champ obligatoire',
      'Gérer mon contrat',
      'Mes salariés',
    ]) {
      assertIncludes(text, words);
    }
    const contract = textOf((await admin.get(`${BASE}/nouveau?categorie=gerer_contrat`).expect(200)).text);
    assertIncludes(contract, 'Information sur les cotisations collectives');
    assertIncludes(contract, 'Autre demande');
    assertExcludes(contract, 'Salarié concerné');
    const staffObjects = textOf((await admin.get(`${BASE}/nouveau?categorie=mes_salaries`).set('HX-Request', 'true').expect(200)).text);
    for (const words of ["Affiliation d'un salarié", "Radiation d'un salarié", 'Transmettre des documents pour mon salarié', 'Salarié concerné'])
      assertIncludes(staffObjects, words);
  });

  test('the employee list holds the perimeter only (never another company’s, nor an establishment not followed)', async () => {
    const mine = textOf((await admin.get(`${BASE}/nouveau?categorie=mes_salaries`).expect(200)).text);
    assertIncludes(mine, 'Girard Luc');
    assertIncludes(mine, 'Site-Deux Nina');
    assertExcludes(mine, 'Gammaire');
    const theirs = textOf((await colleague.get(`${BASE}/nouveau?categorie=mes_salaries`).expect(200)).text);
    assertIncludes(theirs, 'Girard Luc');
    assertExcludes(theirs, 'Site-Deux');
  });

  test('rh.admin writes « Mes salariés / Radiation d’un salarié » with a file; the colleague sees it and answers', async () => {
    const id = await sent(
      await postNew(
        admin,
        { entreprise: String(alpha.companyId), categorie: 'mes_salaries', objet: 'radiation_salarie', message: 'M. Girard quitte l’entreprise le 31.' },
        [{ name: 'lettre.pdf', bytes: PDF_BYTES }],
      ),
    );
    const row = await t.db('message_threads').where({ id }).first();
    assert.equal(row.owner_kind, 'hr');
    assert.equal(row.company_id, alpha.companyId);
    const page = textOf((await admin.get(`${BASE}/${id}`).expect(200)).text);
    assertIncludes(page, "Radiation d'un salarié");
    assertIncludes(page, 'Alpha Immobilier');
    // The colleague of the same company: in the list, the thread, the file, and a reply.
    assertIncludes(textOf((await colleague.get(BASE).expect(200)).text), row.reference);
    const thread = (await colleague.get(`${BASE}/${id}`).expect(200)).text;
    assertIncludes(thread, 'M. Girard quitte l’entreprise le 31.');
    const file = /href="(\/entreprise\/messagerie\/\d+\/documents\/\d+)"/.exec(thread)?.[1];
    assert.ok(file);
    await colleague.get(file).expect(200);
    const reply = await colleague
      .post(`${BASE}/${id}`)
      .field('_csrf', csrfFrom(thread))
      .field('envoi', newSendToken())
      .field('message', 'Je complète : sa date de sortie est le 31/12.');
    assert.equal(reply.status, 303);
    const seen = textOf((await admin.get(`${BASE}/${id}`).expect(200)).text);
    assertIncludes(seen, 'Hugo Martin');
    assertIncludes(seen, 'Je complète : sa date de sortie est le 31/12.');
    // Another company's HR user: nothing.
    await outsider.get(`${BASE}/${id}`).expect(404);
    await outsider.get(file).expect(404);
    const intrusion = await outsider
      .post(`${BASE}/${id}`)
      .field('_csrf', await token(outsider))
      .field('envoi', newSendToken())
      .field('message', 'Intrus');
    assert.equal(intrusion.status, 404);
    assertExcludes(textOf((await outsider.get(BASE).expect(200)).text), row.reference);
  });

  test('« Transmettre des documents pour mon salarié » asks for an employee of the perimeter', async () => {
    const fields = { entreprise: String(alpha.companyId), categorie: 'mes_salaries', objet: 'documents_salarie', message: 'Voici la demande de dispense.' };
    const before = { threads: await threadCount(), files: storedCount() };
    const none = await postNew(admin, fields, [{ name: 'dispense.pdf', bytes: PDF_BYTES }]);
    assert.equal(none.status, 422);
    assertIncludes(textOf(none.text), 'Choisissez le salarié concerné.');
    assertIncludes(none.text, 'Voici la demande de dispense.');
    assertIncludes(textOf(none.text), 'Cochez « Retirer » pour en enlever un. dispense.pdf');
    const foreign = await postNew(admin, { ...fields, salarie: String(employees.gamma) });
    assert.equal(foreign.status, 422);
    assertIncludes(textOf(foreign.text), 'Ce salarié ne fait pas partie des établissements que vous suivez.');
    const notFollowed = await postNew(colleague, { ...fields, salarie: String(employees.alpha2) });
    assert.equal(notFollowed.status, 422);
    assert.equal(await threadCount(), before.threads);
    assert.equal(storedCount(), before.files);

    const id = await sent(await postNew(colleague, { ...fields, salarie: String(employees.alpha1) }, [{ name: 'dispense.pdf', bytes: PDF_BYTES }]));
    assert.equal((await t.db('message_threads').where({ id }).first()).subject_member_id, employees.alpha1);
    assertIncludes(textOf((await admin.get(`${BASE}/${id}`).expect(200)).text), 'Salarié concerné Luc Girard');
  });

  test('validation: the company (when several), category and object, message; the company must be one of theirs', async () => {
    const before = await threadCount();
    const missing = await postNew(admin, { categorie: '', objet: '', message: '' });
    assert.equal(missing.status, 422);
    const text = textOf(missing.text);
    for (const words of [
      'Choisissez une entreprise pour laquelle vous êtes habilité.',
      'Choisissez la catégorie de votre demande.',
      'Choisissez l’objet de votre demande.',
      'Écrivez votre message.',
    ])
      assertIncludes(text, words);
    const other = await postNew(admin, { entreprise: String(gamma.companyId), categorie: 'gerer_contrat', objet: 'autre_demande', message: 'Bonjour' });
    assert.equal(other.status, 422);
    assertIncludes(textOf(other.text), 'Choisissez une entreprise pour laquelle vous êtes habilité.');
    const wrongObject = await postNew(admin, {
      entreprise: String(beta.companyId),
      categorie: 'gerer_contrat',
      objet: 'radiation_salarie',
      message: 'Bonjour',
    });
    assert.equal(wrongObject.status, 422);
    assertIncludes(textOf(wrongObject.text), 'Choisissez un objet dans la liste.');
    // One company: no company to choose, it is theirs.
    assertExcludes(textOf((await colleague.get(`${BASE}/nouveau`).expect(200)).text), 'Entreprise *');
    assert.equal(await threadCount(), before);
  });

  test('upload errors and CSRF: nothing sent, no file kept', async () => {
    const before = { threads: await threadCount(), files: storedCount() };
    const fields = { entreprise: String(beta.companyId), categorie: 'gerer_contrat', objet: 'cotisations_collectives', message: 'Taux 2027 ?' };
    const bad = await postNew(admin, fields, [{ name: 'tableau.csv', bytes: Buffer.from('a;b\n1;2\n'), type: 'text/csv' }]);
    assert.equal(bad.status, 422);
    assertIncludes(textOf(bad.text), "« tableau.csv » n'est pas accepté");
    const five = await postNew(
      admin,
      fields,
      Array.from({ length: 5 }, (_, i) => ({ name: `p${i}.pdf`, bytes: PDF_BYTES })),
    );
    assert.equal(five.status, 422);
    const noToken = await postNew(admin, fields, [{ name: 'a.pdf', bytes: PDF_BYTES }], false);
    assert.equal(noToken.status, 403);
    const noTokenForm = await admin.post(`${BASE}/nouveau`).type('form').send(fields);
    assert.equal(noTokenForm.status, 403);
    assert.equal(await threadCount(), before.threads);
    assert.equal(storedCount(), before.files);
  });
});

describe('the company’s threads', () => {
  test('unread counts per HR account: the insurer answers, each user reads on their own', async () => {
    const id = await sent(
      await postNew(admin, {
        entreprise: String(alpha.companyId),
        categorie: 'gerer_contrat',
        objet: 'cotisations_collectives',
        message: 'Quel est le taux 2027 ?',
      }),
    );
    const adminBefore = Number(unreadIn((await admin.get('/entreprise/accueil').expect(200)).text));
    const colleagueBefore = Number(unreadIn((await colleague.get('/entreprise/accueil').expect(200)).text));
    t.clock.advance(60_000);
    assert.ok((await staffThreadAction(ctx, staffActor(), id, { type: 'reply', body: 'Le taux 2027 est inchangé.', files: [] })).ok);
    assert.equal(Number(unreadIn((await admin.get('/entreprise/accueil').expect(200)).text)), adminBefore + 1);
    assert.equal(Number(unreadIn((await colleague.get('/entreprise/accueil').expect(200)).text)), colleagueBefore + 1);
    assertIncludes(textOf((await colleague.get(BASE).expect(200)).text), 'Non lu');

    await colleague.get(`${BASE}/${id}`).expect(200);
    assert.equal(Number(unreadIn((await colleague.get('/entreprise/accueil').expect(200)).text)), colleagueBefore);
    assert.equal(Number(unreadIn((await admin.get('/entreprise/accueil').expect(200)).text)), adminBefore + 1);
    // The outsider's count never moves with another company's threads.
    assert.equal(unreadIn((await outsider.get('/entreprise/accueil').expect(200)).text), '0');
    // The email went to the author, without the answer.
    const email = await t.db('outbox').where({ recipient: adminAccount.email }).orderBy('id', 'desc').first();
    assertIncludes(email.body_text, `/entreprise/messagerie/${id}`);
    assertExcludes(email.body_text, 'inchangé');
  });

  test('a thread about an employee outside a colleague’s « périmètre suivi »: not listed, not shown, its file not downloaded, not counted, not notified', async () => {
    const id = await sent(
      await postNew(
        admin,
        {
          entreprise: String(alpha.companyId),
          categorie: 'mes_salaries',
          objet: 'documents_salarie',
          salarie: String(employees.alpha2),
          message: 'Arrêt de travail de Nina.',
        },
        [{ name: 'arret-nina.pdf', bytes: PDF_BYTES }],
      ),
    );
    const row = await t.db('message_threads').where({ id }).first();
    const page = (await admin.get(`${BASE}/${id}`).expect(200)).text;
    assertIncludes(textOf(page), 'Nina Site-Deux');
    const file = /href="(\/entreprise\/messagerie\/\d+\/documents\/\d+)"/.exec(page)?.[1];
    assert.ok(file);
    await admin.get(file).expect(200);
    const unreadBefore = unreadIn((await colleague.get('/entreprise/accueil').expect(200)).text);
    const bellBefore = await t.db('notifications').where({ account_id: colleagueAccount.id }).count({ n: '*' }).first();
    assert.ok((await staffThreadAction(ctx, staffActor(), id, { type: 'reply', body: 'Bien reçu.', files: [] })).ok);
    // The colleague follows establishment 1 only: Nina (establishment 2) is not theirs.
    assertExcludes(textOf((await colleague.get(BASE).expect(200)).text), row.reference);
    assertExcludes(textOf((await colleague.get('/entreprise/demarches').expect(200)).text), row.reference);
    await colleague.get(`${BASE}/${id}`).expect(404);
    await colleague.get(file).expect(404);
    const intrusion = await colleague
      .post(`${BASE}/${id}`)
      .field('_csrf', await token(colleague))
      .field('envoi', newSendToken())
      .field('message', 'Je réponds quand même');
    assert.equal(intrusion.status, 404);
    assert.equal(unreadIn((await colleague.get('/entreprise/accueil').expect(200)).text), unreadBefore);
    assert.deepEqual(await t.db('notifications').where({ account_id: colleagueAccount.id }).count({ n: '*' }).first(), bellBefore);
    // The author, whose perimeter holds Nina, is told and sees it unread.
    assert.ok(await t.db('notifications').where({ account_id: adminAccount.id }).whereLike('body', `%${row.reference}%`).first());
    assertIncludes(textOf((await admin.get(BASE).expect(200)).text), row.reference);
  });

  test('internal notes are never shown to the company', async () => {
    const id = await sent(await postNew(colleague, { categorie: 'gerer_contrat', objet: 'autre_demande', message: 'Attestation de régime ?' }));
    assert.ok((await staffThreadAction(ctx, staffActor(), id, { type: 'note', body: 'NOTE INTERNE : client sensible' })).ok);
    for (const a of [admin, colleague]) assertExcludes((await a.get(`${BASE}/${id}`).expect(200)).text, 'NOTE INTERNE');
  });

  test('an HR user whose habilitation on the company was removed, or suspended, no longer sees its threads', async () => {
    const id = await sent(
      await postNew(admin, { entreprise: String(alpha.companyId), categorie: 'gerer_contrat', objet: 'autre_demande', message: 'Question de Delphine' }, [
        { name: 'piece.pdf', bytes: PDF_BYTES },
      ]),
    );
    const leaving = await createHrUser(
      t.db,
      [
        { company: alpha, role: 'user' },
        { company: beta, role: 'user' },
      ],
      { firstName: 'Delphine' },
    );
    const agent = await loginAs(t.app, t.db, 'entreprise', leaving.email);
    const page = (await agent.get(`${BASE}/${id}`).expect(200)).text;
    const file = /href="(\/entreprise\/messagerie\/\d+\/documents\/\d+)"/.exec(page)?.[1];
    assert.ok(file);
    await agent.get(file).expect(200);
    await t.db('hr_habilitations').where({ account_id: leaving.id, company_id: alpha.companyId }).update({ status: 'suspended' });
    await agent.get(`${BASE}/${id}`).expect(404);
    await t.db('hr_habilitations').where({ account_id: leaving.id, company_id: alpha.companyId }).delete();
    await agent.get(`${BASE}/${id}`).expect(404);
    await agent.get(file).expect(404);
    const reply = await agent.post(`${BASE}/${id}`).field('_csrf', csrfFrom(page)).field('envoi', newSendToken()).field('message', 'Encore moi');
    assert.equal(reply.status, 404);
    assertExcludes(textOf((await agent.get(BASE).expect(200)).text), 'Question de Delphine');
  });

  test('« Mes démarches »: the company’s threads and the way to the affiliation requests', async () => {
    const text = textOf((await admin.get('/entreprise/demarches').expect(200)).text);
    assertIncludes(text, 'Mes démarches');
    assertIncludes(text, "Radiation d'un salarié");
    assertIncludes(text, "Suivi des demandes d'affiliations");
    assertIncludes(text, 'Nouveau message');
    assertExcludes(textOf((await outsider.get('/entreprise/demarches').expect(200)).text), "Radiation d'un salarié");
  });

  test('« Mes démarches »: the latest affiliation requests of the perimeter, with their status as the guide words it; never another company’s', async () => {
    const DAY = 24 * 3600 * 1000;
    const at = (days: number) => new Date(t.clock().getTime() - days * DAY);
    const ours = await createAffiliationRequest(t.db, t.clock(), { company: alpha, firstName: 'Anouk', lastName: 'Démarchette', createdAt: at(1) });
    await createAffiliationRequest(t.db, t.clock(), { company: alpha, firstName: 'Bruno', lastName: 'Finalisé', status: 'finalized', createdAt: at(2) });
    // Alpha's second establishment: outside the colleague's « périmètre suivi ».
    await createAffiliationRequest(t.db, t.clock(), {
      company: alpha,
      establishment: alpha.establishments[1],
      firstName: 'Carla',
      lastName: 'Horsperimetre',
      createdAt: at(3),
    });
    const theirs = await createAffiliationRequest(t.db, t.clock(), { company: gamma, firstName: 'Gaspard', lastName: 'Gammaland', createdAt: at(1) });

    const adminPage = decoded((await admin.get('/entreprise/demarches').expect(200)).text);
    assertIncludes(adminPage, `<a href="/entreprise/suivi-affiliations/${ours.id}">Anouk Démarchette</a>`);
    const adminText = textOf(adminPage);
    assertIncludes(adminText, "Anouk Démarchette Alpha Immobilier — site 1 Envoyé à l'employé");
    assertIncludes(adminText, 'Bruno Finalisé Alpha Immobilier — site 1 Finalisé par le salarié');
    assertIncludes(adminText, 'Carla Horsperimetre');
    assertExcludes(adminText, 'Gaspard Gammaland');
    assertExcludes(adminPage, `/entreprise/suivi-affiliations/${theirs.id}"`);

    const colleagueText = textOf((await colleague.get('/entreprise/demarches').expect(200)).text);
    assertIncludes(colleagueText, 'Anouk Démarchette');
    assertExcludes(colleagueText, 'Carla Horsperimetre');
    assertExcludes(colleagueText, 'Gaspard Gammaland');

    const outsiderText = textOf((await outsider.get('/entreprise/demarches').expect(200)).text);
    assertIncludes(outsiderText, 'Gaspard Gammaland');
    assertExcludes(outsiderText, 'Anouk Démarchette');
    assertExcludes(outsiderText, 'Voir les');

    // Past ten, the newest ten and the way to all of them.
    for (let i = 0; i < 10; i++)
      await createAffiliationRequest(t.db, t.clock(), { company: alpha, firstName: 'Récent', lastName: `N${i}`, createdAt: at(0.5) });
    const fuller = textOf((await admin.get('/entreprise/demarches').expect(200)).text);
    assertIncludes(fuller, "Voir les 13 demandes d'affiliation");
    assertExcludes(fuller, 'Anouk Démarchette');
  });

  test('ids that are not one of the company’s threads → 404', async () => {
    const theirs = await sent(await postNew(outsider, { categorie: 'gerer_contrat', objet: 'autre_demande', message: 'Chez Gamma' }));
    for (const p of [`${BASE}/${theirs}`, `${BASE}/999999`, `${BASE}/abc`, `${BASE}/${theirs}/documents/1`]) await admin.get(p).expect(404);
  });
});

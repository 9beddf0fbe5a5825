// « Décomptes » of the Espace Gestion and `npm run import:decomptes`: a feed of the claims system
// is analysed into a preview (every line checked: formats, member, beneficiary, décompte met twice
// in the file, already loaded), loaded all or nothing, idempotent by décompte number; the member
// sees the lines and their PDF, gets one email without amounts, and the reste-à-charge estimate
// counts the loaded lines against the yearly allowances. Staff only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import iconv from 'iconv-lite';
import { FEED_COLUMNS, FEED_MESSAGES } from '../../src/domain/statement-feed.js';
import { jobs, jobsFor } from '../../src/jobs.js';
import { FEED_EMAIL_SUBJECT, feedNotifier, notifyFeedMembers } from '../../src/statement-feed/feed.js';
import { findFeedJob, loadFeed, stageFeed } from '../../src/statement-feed/queries.js';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';
import { createFamily, type Family, withDemoGuarantees } from '../helpers/family.js';
import { createAccount, decoded, loginAs, textOf, tokenFrom } from '../helpers/fixtures.js';
import { PROJECT_ROOT } from '../../src/paths.js';

const BASE = '/gestion/decomptes';
type Agent = Awaited<ReturnType<typeof loginAs>>;
let t: TestContext;
let staff: Agent;
let marie: Family;
let paul: Family;
let marieNumber: string;
let paulNumber: string;
let marieAgent: Agent;
let paulAgent: Agent;

type Cells = Partial<Record<(typeof FEED_COLUMNS)[number], string>>;

/** A line of Marie's son Léo (born 02/03/2015): lentilles in 2026, 40 € from the complementary. */
function line(number: string, memberNumber: string, over: Cells = {}): string[] {
  const cells: Record<string, string> = {
    'Numéro de décompte': number,
    'Date du décompte': '10/11/2026',
    "Numéro d'adhérent": memberNumber,
    'Prénom du bénéficiaire': 'Léo',
    'Date de naissance du bénéficiaire': '02/03/2015',
    'Date des soins': '02/11/2026',
    'Code acte': 'lentilles',
    'Libellé acte': 'Lentilles de contact',
    'Professionnel de santé': 'Optique Centre',
    'Frais réels': '80,00',
    'Base de remboursement': '39,48',
    'Sécurité sociale': '23,69',
    Complémentaire: '40,00',
    'Payé à': 'assuré',
    'Date de paiement': '12/11/2026',
    ...over,
  };
  return FEED_COLUMNS.map((c) => cells[c]);
}

function csv(lines: string[][], encoding: 'utf-8-bom' | 'windows-1252' = 'utf-8-bom'): Buffer {
  const text = [FEED_COLUMNS.join(';'), ...lines.map((l) => l.join(';'))].map((l) => `${l}\r\n`).join('');
  return encoding === 'windows-1252' ? iconv.encode(text, 'win1252') : Buffer.from(`\uFEFF${text}`, 'utf8');
}

async function upload(a: Agent, content: Buffer, name = 'flux.csv') {
  const token = await tokenFrom(a, BASE);
  return a.post(BASE).field('_csrf', token).attach('fichier', content, name);
}

/** The feed's page once the analysis or the load is over. */
async function settled(a: Agent, location: string) {
  for (let i = 0; i < 200; i++) {
    const res = await a.get(location).expect(200);
    if (!res.text.includes('en cours…')) return res;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the feed never settled');
}

async function preview(content: Buffer, name?: string) {
  const res = await upload(staff, content, name);
  assert.equal(res.status, 303, res.text);
  const location = res.headers.location as string;
  assert.match(location, /^\/gestion\/decomptes\/\d+$/);
  return { location, id: Number(location.split('/').pop()), html: decoded((await settled(staff, location)).text) };
}

async function load(location: string) {
  const page = await staff.get(location).expect(200);
  const token = page.text.match(/name="_csrf" value="([^"]+)"/)![1];
  await staff.post(`${location}/charger`).type('form').send({ _csrf: token }).expect(303);
  return decoded((await settled(staff, location)).text);
}

async function emailsTo(email: string) {
  return t.db('outbox').where({ recipient: email }).where('subject', 'like', `${FEED_EMAIL_SUBJECT}%`);
}

async function waitForEmails(email: string, count: number) {
  for (let i = 0; i < 100; i++) {
    if ((await emailsTo(email)).length >= count) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  t = await makeTestApp();
  marie = await createFamily(t.db, { firstName: 'Marie', lastName: 'Lefebvre', statements: 0 });
  paul = await createFamily(t.db, { firstName: 'Paul', lastName: 'Autre', statements: 0 });
  marieNumber = (await t.db('members').where({ id: marie.memberId }).first('member_number')).member_number;
  paulNumber = (await t.db('members').where({ id: paul.memberId }).first('member_number')).member_number;
  // Marie's contract: the demo table « Base + option 1 » (lentilles: « Forfait 150 € par an »).
  await withDemoGuarantees(t.db, marie);
  const staffAccount = await createAccount(t.db, { kind: 'staff', firstName: 'Gaëlle' });
  staff = await loginAs(t.app, t.db, 'gestion', staffAccount.email);
  marieAgent = await loginAs(t.app, t.db, 'assure', marie.email);
  paulAgent = await loginAs(t.app, t.db, 'assure', paul.email);
});
after(() => t.close());

describe('who may see the feeds', () => {
  test('a member and an HR user are refused every page and action; without a session, the login', async () => {
    const hrAccount = await createAccount(t.db, { kind: 'hr' });
    const hr = await loginAs(t.app, t.db, 'entreprise', hrAccount.email);
    const { id } = await preview(csv([line('ACC-1', paulNumber, { 'Prénom du bénéficiaire': 'Paul', 'Date de naissance du bénéficiaire': '03/12/1984' })]));
    for (const a of [paulAgent, hr]) {
      for (const url of [BASE, `${BASE}/${id}`, `${BASE}/${id}/erreurs.csv`]) {
        const res = await a.get(url);
        assert.ok([403, 404].includes(res.status), `${url}: ${res.status}`);
      }
      const res = await a.post(`${BASE}/${id}/charger`).type('form').send({});
      assert.ok([403, 404].includes(res.status), `charger: ${res.status}`);
    }
    const anonymous = await (await import('supertest')).default(t.app).get(BASE);
    assert.equal(anonymous.status, 303);
    assert.equal((await t.db('import_jobs').where({ id }).first()).status, 'preview');
    // The staff page: the menu entry is built, no longer « bientôt disponible ».
    const page = decoded((await staff.get(BASE).expect(200)).text);
    assertIncludes(page, 'Envoyer un flux');
    assertExcludes(page, 'bientôt disponible');
  });

  test('the upload checks the CSRF token after parsing the multipart body', async () => {
    const jobs = (await t.db('import_jobs')).length;
    const res = await staff
      .post(BASE)
      .field('_csrf', 'faux')
      .attach('fichier', csv([line('CSRF-1', marieNumber)]), 'flux.csv');
    assert.equal(res.status, 403);
    assert.equal((await t.db('import_jobs')).length, jobs);
  });
});

describe('a good file', () => {
  test('preview, load, the member sees the line and its PDF, one email without amounts, the estimate counts it', async () => {
    // Before: Léo's lentilles allowance untouched.
    const estimate = `/assure/demarches/devis/estimation?${new URLSearchParams([
      ['objet', 'optique'],
      ['beneficiaire', String(marie.beneficiaries.enfant1)],
      ['ligne_1_acte', 'lentilles'],
      ['ligne_1_montant', '180,00'],
    ])}`;
    const before = textOf((await marieAgent.get(estimate).set('HX-Request', 'true').expect(200)).text);
    assertExcludes(before, 'déjà utilisés cette année');

    const file = csv([
      line('DEC-100', marieNumber),
      line('DEC-100', marieNumber, {
        'Prénom du bénéficiaire': 'Marie',
        'Date de naissance du bénéficiaire': '03/12/1984',
        'Code acte': 'pharmacie',
        'Libellé acte': 'Pharmacie',
        'Frais réels': '12,30',
        'Base de remboursement': '12,30',
        'Sécurité sociale': '8,61',
        Complémentaire: '3,69',
        'Payé à': 'professionnel',
      }),
      line('DEC-101', marieNumber, {
        'Prénom du bénéficiaire': 'Julie',
        'Date de naissance du bénéficiaire': '20/05/1986',
        'Code acte': 'consultation_generaliste',
        'Libellé acte': 'Consultation Médecine Générale',
        'Frais réels': '30,00',
        'Base de remboursement': '30,00',
        'Sécurité sociale': '20,00',
        Complémentaire: '9,00',
      }),
    ]);
    const { location, id, html } = await preview(file);
    const text = textOf(html);
    assertIncludes(text, '2 décomptes à charger (3 lignes)');
    assertIncludes(text, '0 ligne en erreur');
    assert.equal(await t.db('statements').where({ number: 'DEC-100' }).first(), undefined, 'nothing loaded before « Charger »');

    const done = textOf(await load(location));
    assertIncludes(done, '2 décomptes chargés (3 lignes) pour 1 adhérent');
    const statement = await t.db('statements').where({ number: 'DEC-100' }).first();
    assert.equal(statement.member_id, marie.memberId);
    assert.equal(statement.import_job_id, id);
    const lines = await t.db('statement_lines').where({ statement_id: statement.id }).orderBy('id');
    assert.deepEqual(
      lines.map((l) => [
        l.beneficiary_id,
        l.care_type,
        l.frais_reels_cents,
        l.ss_amount_cents,
        l.complementary_amount_cents,
        l.reste_a_charge_cents,
        l.paid_to,
      ]),
      [
        [marie.beneficiaries.enfant1, 'lentilles', 8000, 2369, 4000, 1631, 'assure'],
        [marie.beneficiaries.assure, 'pharmacie', 1230, 861, 369, 0, 'tiers'],
      ],
    );

    // The member's « Remboursements » and the décompte's PDF.
    const page = textOf((await marieAgent.get('/assure/remboursements').expect(200)).text);
    assertIncludes(page, 'Lentilles de contact');
    const pdf = await marieAgent.get(`/assure/remboursements/decomptes/${statement.id}/pdf`).expect(200);
    assert.match(String(pdf.headers['content-type']), /application\/pdf/);
    // Another member cannot open it.
    assert.equal((await paulAgent.get(`/assure/remboursements/decomptes/${statement.id}/pdf`)).status, 404);

    // One email for Marie for the whole feed, without an amount.
    await waitForEmails(marie.email, 1);
    const emails = await emailsTo(marie.email);
    assert.equal(emails.length, 1);
    assertIncludes(emails[0].body_text, 'Un nouveau remboursement est disponible');
    for (const amount of ['40,00', '23,69', '80,00', '€']) assertExcludes(emails[0].body_text, amount);

    // The estimate now counts the 40 € already paid this year.
    const afterText = textOf((await marieAgent.get(estimate).set('HX-Request', 'true').expect(200)).text);
    assertIncludes(afterText, 'dont 40,00 € déjà utilisés cette année : il en reste 110,00 €.');

    // The history and the audit.
    const history = textOf((await staff.get(BASE).expect(200)).text);
    assertIncludes(history, `n° ${id}`);
    assertIncludes(history, 'Chargé');
    const audit = await t.db('audit_log').where({ event: 'statement_feed_loaded' }).first();
    assert.ok(audit);

    // The same file again: nothing new, and the page says so; nothing is added.
    const again = await preview(file);
    assertIncludes(textOf(again.html), 'Aucun nouveau décompte : ce fichier a déjà été chargé.');
    assertIncludes(textOf(again.html), '2 décomptes déjà chargés (3 lignes ignorées)');
    assertExcludes(again.html, '/charger"');
    const token = again.html.match(/name="_csrf" value="([^"]+)"/)![1];
    await staff.post(`${again.location}/charger`).type('form').send({ _csrf: token }).expect(303);
    assert.equal((await t.db('statements').where({ member_id: marie.memberId })).length, 2);
    assert.equal((await emailsTo(marie.email)).length, 1);
  });

  test('Windows-1252 without BOM, accents and « Payé à » read right', async () => {
    const { location, html } = await preview(
      csv([line('W1252-1', marieNumber, { 'Libellé acte': 'Lentilles journalières é', 'Date des soins': '01/11/2026' })], 'windows-1252'),
    );
    assertIncludes(textOf(html), '1 décompte à charger (1 ligne)');
    await load(location);
    const row = await t
      .db('statement_lines')
      .join('statements', 'statements.id', 'statement_lines.statement_id')
      .where('statements.number', 'W1252-1')
      .first('care_label');
    assert.equal(row.care_label, 'Lentilles journalières é');
  });
});

describe('lines in error', () => {
  test('bad formats, unknown member and beneficiary, a décompte met twice: reported per line, in the report, and left out whole', async () => {
    const file = csv([
      line('BAD-1', marieNumber, { 'Date des soins': '31/02/2026' }),
      line('BAD-1', marieNumber, { 'Code acte': 'pharmacie', 'Frais réels': 'douze' }),
      line('BAD-2', 'X9999999'),
      line('BAD-3', marieNumber, { 'Prénom du bénéficiaire': 'Inconnu' }),
      line('OK-1', marieNumber, { 'Date des soins': '03/11/2026' }),
      line('TWICE-1', marieNumber, { 'Date des soins': '04/11/2026' }),
      line('OK-2', marieNumber, { 'Date des soins': '05/11/2026' }),
      line('TWICE-1', marieNumber, { 'Date des soins': '06/11/2026' }),
      line('SAME-1', marieNumber, { 'Date des soins': '07/11/2026' }),
      line('SAME-1', marieNumber, { 'Date des soins': '07/11/2026' }),
    ]);
    const { location, html } = await preview(file);
    const text = textOf(html);
    assertIncludes(text, '2 décomptes à charger (2 lignes)');
    assertIncludes(text, '8 lignes en erreur');
    assertIncludes(text, "« Date des soins » n'est pas une date au format jj/mm/aaaa.");
    assertIncludes(text, "« Frais réels » n'est pas un montant en euros (par exemple 26,50).");
    assertIncludes(text, FEED_MESSAGES.unknownMember('X9999999'));
    assertIncludes(text, FEED_MESSAGES.unknownBeneficiary);
    assertIncludes(text, FEED_MESSAGES.repeated('TWICE-1', 7));
    assertIncludes(text, FEED_MESSAGES.repeated('TWICE-1', 9));
    assertIncludes(text, FEED_MESSAGES.sameLine(10));
    const report = await staff.get(`${location}/erreurs.csv`).expect(200);
    const body = report.text;
    assertIncludes(body, "Ligne;Colonne;Numéro de décompte;Numéro d'adhérent;Erreur");
    assertIncludes(body, `4;Numéro d'adhérent;BAD-2;X9999999;${FEED_MESSAGES.unknownMember('X9999999')}`);

    await load(location);
    const loaded = (await t.db('statements').whereIn('number', ['BAD-1', 'BAD-2', 'BAD-3', 'OK-1', 'TWICE-1', 'OK-2', 'SAME-1']).select('number')).map(
      (r) => r.number,
    );
    assert.deepEqual(loaded.sort(), ['OK-1', 'OK-2']);
  });

  test('a file without the columns, or without a line, is refused whole', async () => {
    const noColumns = await preview(Buffer.from('SIRET;Code identifiant\r\n1;2\r\n'));
    assertIncludes(textOf(noColumns.html), 'sont introuvables dans la première ligne du fichier.');
    const empty = await preview(csv([]));
    assertIncludes(textOf(empty.html), FEED_MESSAGES.noLines);
  });
});

describe('all or nothing', () => {
  test('a load that fails half-way keeps nothing and says so', async () => {
    const { location } = await preview(
      csv([
        line('AON-1', paulNumber, { 'Prénom du bénéficiaire': 'Paul', 'Date de naissance du bénéficiaire': '03/12/1984' }),
        line('AON-2', paulNumber, { 'Prénom du bénéficiaire': 'Emma', 'Date de naissance du bénéficiaire': '09/07/2018' }),
      ]),
    );
    // Emma leaves the family between the preview and « Charger »: her line cannot be written.
    await t.db('beneficiaries').where({ id: paul.beneficiaries.enfant2 }).delete();
    const text = textOf(await load(location));
    assertIncludes(text, "Le flux n'a pas pu être chargé");
    assert.equal(await t.db('statements').whereIn('number', ['AON-1', 'AON-2']).first(), undefined);
  });
});

describe('npm run import:decomptes', () => {
  const run = promisify(execFile);
  const env = () => ({
    ...process.env,
    NODE_ENV: 'test',
    DATA_DIR: t.dataDir,
    DATABASE_URL: t.config.database.client === 'pg' ? t.config.database.url : `sqlite:${t.config.database.filename}`,
  });
  const cli = (file: string) =>
    run(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/import-decomptes.ts'), file], { env: env(), cwd: PROJECT_ROOT }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );

  test('loads a good file once, refuses one with errors, and a second run adds nothing', async () => {
    const good = path.join(t.dataDir, 'cli-bon.csv');
    fs.writeFileSync(good, csv([line('CLI-1', paulNumber, { 'Prénom du bénéficiaire': 'Paul', 'Date de naissance du bénéficiaire': '03/12/1984' })]));
    const first = await cli(good);
    assert.equal(first.code, 0, first.out);
    assertIncludes(first.out, 'Chargement terminé');
    assert.ok(await t.db('statements').where({ number: 'CLI-1', member_id: paul.memberId }).first());
    const second = await cli(good);
    assertIncludes(second.out, 'Aucun nouveau décompte : ce fichier a déjà été chargé.');
    assert.equal((await t.db('statements').where({ number: 'CLI-1' })).length, 1);
    assert.ok(fs.existsSync(good), 'the command never deletes the file it was given');

    const bad = path.join(t.dataDir, 'cli-erreur.csv');
    fs.writeFileSync(bad, csv([line('CLI-2', 'X0000000')]));
    const refused = await cli(bad);
    assert.equal(refused.code, 1);
    assertIncludes(refused.out, FEED_MESSAGES.unknownMember('X0000000'));
    assert.equal(await t.db('statements').where({ number: 'CLI-2' }).first(), undefined);
  });
});

describe('Tableau de bord', () => {
  test('the feeds sent today and their lines in error, beside the other queues (paper forms, télétransmission, messages)', async () => {
    const jobs = await t.db('import_jobs').where({ kind: 'statements' }).select('error_count', 'status');
    const errors = jobs.reduce((sum, j) => sum + Number(j.error_count), 0);
    assert.ok(errors > 0);
    const text = textOf((await staff.get('/gestion/accueil').expect(200)).text);
    assertIncludes(text, `Flux envoyés aujourd'hui ${jobs.length}`);
    assertIncludes(text, `${jobs.filter((j) => j.status === 'done').length} chargés`);
    assertIncludes(text, `Lignes en erreur ${errors}`);
    for (const queue of [
      'Bulletins papier à saisir 0',
      'Affiliations à valider 0',
      'Demandes de télétransmission',
      'Messages des assurés',
      'Messages des entreprises',
    ]) {
      assertIncludes(text, queue);
    }
    // Only today's feeds (from midnight in Paris): one sent yesterday is not counted.
    await t.db('import_jobs').insert({
      kind: 'statements',
      account_id: (await t.db('accounts').where({ kind: 'staff' }).first('id')).id,
      status: 'failed',
      file_name: 'hier.csv',
      error_count: 7,
      created_at: '2026-11-21T22:59:00.000Z',
    });
    const later = textOf((await staff.get('/gestion/accueil').expect(200)).text);
    assertIncludes(later, `Flux envoyés aujourd'hui ${jobs.length}`);
    assertIncludes(later, `Lignes en erreur ${errors}`);
  });
});

describe('a large load does not hold the database', () => {
  /** A preview of `count` one-line décomptes for Paul himself, analysed through the page. */
  async function paulPreview(prefix: string, count: number) {
    const lines = Array.from({ length: count }, (_, i) =>
      line(`${prefix}-${i}`, paulNumber, { 'Prénom du bénéficiaire': 'Paul', 'Date de naissance du bénéficiaire': '03/12/1984' }),
    );
    return preview(csv(lines));
  }
  const statementsOf = async (jobId: number) => Number((await t.db('statements').where({ import_job_id: jobId }).count({ n: '*' }))[0].n);
  const stagedOf = async (jobId: number) => Number((await t.db('statement_feed_staging').where({ job_id: jobId }).count({ n: '*' }))[0].n);

  test('a member page is served while a feed loads, and sees none of it until the load is over', async () => {
    const { id } = await paulPreview('PAR', 120);
    let loadOver = false;
    // One line per transaction: 120 short transactions, the connection free between each.
    const loading = loadFeed(t.db, id, t.clock(), { chunkLines: 1 }).then((r) => {
      loadOver = true;
      return r;
    });
    const page = await paulAgent.get('/assure/remboursements').expect(200);
    assert.equal(loadOver, false, 'the member page was served before the load ended');
    assertExcludes(decoded(page.text), 'PAR-0');
    assert.equal(await statementsOf(id), 0, 'nothing of the feed is visible while it loads');
    const loaded = await loading;
    assert.deepEqual(loaded, { statements: 120, lines: 120, skipped: 0, members: 1 });
    assert.equal(await statementsOf(id), 120);
    assert.equal(await stagedOf(id), 0, 'the staging rows are gone once the load is over');
    // Paul is told once, as « Charger » does after the load.
    const told = (await emailsTo(paul.email)).length;
    assert.equal(await notifyFeedMembers(feedNotifier(t.config, t.db, t.clock), id), 1);
    assert.equal((await emailsTo(paul.email)).length, told + 1);
  });

  test('a load that fails half-way through its staging keeps no line and no staging row', async () => {
    const { id } = await paulPreview('MID', 8);
    // Line 6's data became unreadable between the preview and « Charger »: the third chunk fails.
    const sixth = await t.db('import_job_lines').where({ job_id: id }).orderBy('line_number').offset(5).first('line_number', 'data');
    await t
      .db('import_job_lines')
      .where({ job_id: id, line_number: sixth.line_number })
      .update({ data: JSON.stringify({ ...JSON.parse(sixth.data), memberId: null }) });
    await assert.rejects(loadFeed(t.db, id, t.clock(), { chunkLines: 2 }));
    assert.equal(await statementsOf(id), 0);
    assert.equal(await t.db('statements').where('number', 'like', 'MID-%').first(), undefined);
    assert.equal(await stagedOf(id), 0);
    assertIncludes(textOf(decoded((await staff.get(`${BASE}/${id}`).expect(200)).text)), "Le flux n'a pas pu être chargé");
  });

  test('a process that dies after staging leaves nothing visible; the jobs at the next start fail the feed and delete its staging rows', async () => {
    const { id, location } = await paulPreview('CRA', 5);
    // What loadFeed does before its last transaction, then the process dies.
    await t.db('import_jobs').where({ id }).update({ status: 'importing' });
    await stageFeed(t.db, id, 2);
    assert.equal(await stagedOf(id), 5);
    assert.equal(await statementsOf(id), 0);
    assertExcludes(decoded((await paulAgent.get('/assure/remboursements').expect(200)).text), 'CRA-0');

    // The next start runs every job at once: a feed silent for less than a minute may still be
    // loading (another instance's); silent for longer, its process stopped.
    const silent = jobs.find((j) => j.name === 'fail-silent-feed-loads')!;
    await silent.run(t.db, new Date(Date.now() + 30 * 1000));
    assert.equal((await findFeedJob(t.db, id))!.status, 'importing');
    assert.equal(await stagedOf(id), 5);
    await silent.run(t.db, new Date(Date.now() + 2 * 60 * 1000));
    assert.equal((await findFeedJob(t.db, id))!.status, 'failed');
    assert.equal(await stagedOf(id), 0);
    assert.equal(await statementsOf(id), 0);
    assertIncludes(textOf(await settled(staff, location).then((r) => decoded(r.text))), 'interrompu');

    // The same file sent again loads whole.
    const again = await paulPreview('CRA', 5);
    await load(again.location);
    assert.equal(await statementsOf(again.id), 5);
  });
});

describe("the members' emails survive a crash", () => {
  /** A feed with one décompte for Marie and one for Paul, analysed and loaded without its emails (the process died after the commit). */
  async function loadedWithoutEmails(prefix: string) {
    const { id } = await preview(
      csv([
        line(`${prefix}-1`, marieNumber, { 'Prénom du bénéficiaire': 'Marie', 'Date de naissance du bénéficiaire': '03/12/1984' }),
        line(`${prefix}-2`, paulNumber, { 'Prénom du bénéficiaire': 'Paul', 'Date de naissance du bénéficiaire': '03/12/1984' }),
      ]),
    );
    await loadFeed(t.db, id, t.clock());
    assert.equal((await findFeedJob(t.db, id))!.notify_after, 0, 'the emails are due, durably with the lines');
    return id;
  }
  const counts = async () => [(await emailsTo(marie.email)).length, (await emailsTo(paul.email)).length];

  test('after a crash between the commit and the emails, the job at the next start writes one email per member, once', async () => {
    const before = await counts();
    const id = await loadedWithoutEmails('MAIL');
    assert.deepEqual(await counts(), before, 'no email yet');
    const notify = jobsFor(t.config).find((j) => j.name === 'notify-feed-members')!;
    await notify.run(t.db, t.clock());
    assert.deepEqual(await counts(), [before[0] + 1, before[1] + 1]);
    assert.equal((await findFeedJob(t.db, id))!.notify_after, null);
    await notify.run(t.db, t.clock());
    assert.deepEqual(await counts(), [before[0] + 1, before[1] + 1], 'never twice');
  });

  test('a crash between two pages of emails: the first page is kept with its mark, the rest written by the next run; two runs at once write each email once', async () => {
    const before = await counts();
    const id = await loadedWithoutEmails('HALF');
    const notifier = feedNotifier(t.config, t.db, t.clock);
    let pages = 0;
    const dying = {
      ...notifier,
      queue: {
        ...notifier.queue,
        queueEmails: async (trx: Parameters<typeof notifier.queue.queueEmails>[0], messages: Parameters<typeof notifier.queue.queueEmails>[1]) => {
          if (++pages === 2) throw new Error('the process dies');
          return notifier.queue.queueEmails(trx, messages);
        },
      },
    };
    await assert.rejects(notifyFeedMembers(dying, id, { pageSize: 1 }), /the process dies/);
    // Marie's id is the smaller: her page was committed with the mark moved past her.
    assert.deepEqual(await counts(), [before[0] + 1, before[1]]);
    assert.equal((await findFeedJob(t.db, id))!.notify_after, marie.memberId);
    await Promise.all([notifyFeedMembers(notifier, id, { pageSize: 1 }), notifyFeedMembers(notifier, id, { pageSize: 1 })]);
    assert.deepEqual(await counts(), [before[0] + 1, before[1] + 1]);
    assert.equal((await findFeedJob(t.db, id))!.notify_after, null);
  });
});

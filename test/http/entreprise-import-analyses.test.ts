// « Ajouter plusieurs établissements (fichier) » under attack: hostile workbooks answered with
// « trop volumineux » while the portal keeps serving, analyses limited per account and for the
// portal (slots taken atomically, also on PostgreSQL), and jobs left « analyse en cours » by a
// process that died marked failed by the housekeeping that runs at start-up.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { loginAs, tokenFrom, textOf } from '../helpers/fixtures.js';
import { createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { establishmentCsvBytes, HOSTILE_WORKBOOKS, temporaryFolder } from '../helpers/import-files.js';
import { IMPORT_FILE_MESSAGES } from '../../src/domain/establishment-import.js';
import { ESTABLISHMENT_TEXTS } from '../../src/entreprise/establishments/pages.js';
import {
  ANALYSIS_INTERRUPTED_MESSAGE,
  ANALYSIS_LEASE_MS,
  ANALYSIS_SLOTS,
  createImportJobWithSlots,
  releaseAnalysisSlots,
  renewAnalysisSlots,
} from '../../src/stores/import-jobs.js';
import { jobs } from '../../src/jobs.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

type Agent = Awaited<ReturnType<typeof loginAs>>;
let t: TestContext;
let company: TestCompany;
let hr: { id: number; email: string };
let agent: Agent;
const folder = temporaryFolder('import-analyses-');
const FILE = '/entreprise/profil/etablissements/fichier';
let mobiles = 0;

async function upload(a: Agent, content: Buffer, name: string) {
  const token = await tokenFrom(a, FILE);
  return a.post(FILE).field('_csrf', token).attach('fichier', content, name);
}

/** The job page once the analysis is over (at most `seconds`). */
async function jobPage(a: Agent, location: string, seconds = 30) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const res = await a.get(location).expect(200);
    if (!res.text.includes('Analyse du fichier en cours')) return res;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('analysis never ended');
}

async function newHrUser() {
  return createHrUser(t.db, [{ company, role: 'admin' }], { mobile: `+336123480${String(++mobiles).padStart(2, '0')}` });
}

const slots = async () => (await t.db('import_analysis_slots').orderBy('slot')) as { slot: string; holder: string; job_id: number; expires_at: string }[];
const jobsOf = async (accountId: number) => (await t.db('import_jobs').where({ account_id: accountId })).length;
const leftoverUploads = () => fs.readdirSync(path.join(t.config.uploadDir, 'imports'));

before(async () => {
  t = await makeTestApp();
  company = await createHrCompany(t.db, 'Delta Conseil', 3);
  hr = await newHrUser();
  agent = await loginAs(t.app, t.db, 'entreprise', hr.email);
});
after(async () => {
  folder.remove();
  await t.close();
});

describe('hostile workbooks', () => {
  for (const [name, write] of Object.entries(HOSTILE_WORKBOOKS)) {
    test(`${name}: « trop volumineux » on the job page, quickly, and the portal keeps serving`, { timeout: 120_000 }, async () => {
      const bytes = fs.readFileSync(write(path.join(folder.dir, `${name}.xlsx`)));
      const started = Date.now();
      // Pages asked for while the file is read are served (the token is read first: pages
      // loaded at the same time as the form would race to save the session).
      const token = await tokenFrom(agent, FILE);
      const [res, ...pages] = await Promise.all([
        agent.post(FILE).field('_csrf', token).attach('fichier', bytes, 'bombe.xlsx'),
        agent.get('/entreprise/profil'),
        agent.get('/entreprise/accueil'),
      ]);
      assert.equal(res.status, 303, textOf(res.text).slice(-400));
      for (const page of pages) assert.equal(page.status, 200);
      const text = textOf((await jobPage(agent, res.headers.location)).text);
      assertIncludes(text, "Le fichier n'a pas pu être importé", text.slice(0, 600));
      assertIncludes(text, IMPORT_FILE_MESSAGES.xlsxTooLarge, text.slice(0, 600));
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 15_000, `answered after ${elapsed} ms`);
      await agent.get('/entreprise/profil').expect(200);
      assert.deepEqual(await slots(), [], 'its slots released');
      assert.deepEqual(leftoverUploads(), [], 'the file removed');
    });
  }
});

describe('analyses running at once', () => {
  // Slots held by hand stand for analyses of other processes: none outlives its test.
  afterEach(async () => {
    await t.db('import_analysis_slots').delete();
  });
  const csv = () => establishmentCsvBytes([[company.establishments[0].siret, company.establishments[0].code]]);

  test(`the portal holds ${ANALYSIS_SLOTS} analyses at once: the next upload is asked to retry, and gets in once one ends`, async () => {
    // Other HR users' analyses, running (as another instance of the portal would hold them).
    const held = [];
    for (let i = 0; i < ANALYSIS_SLOTS; i++) {
      const other = await newHrUser();
      const reservation = await createImportJobWithSlots(t.db, other.id, 'autre.csv', `other-${i}`, t.clock());
      assert.ok(reservation.ok, `slot ${i + 1} of ${ANALYSIS_SLOTS}`);
      held.push(reservation);
    }
    const before = await jobsOf(hr.id);
    const refused = await upload(agent, csv(), 'etab.csv');
    assert.equal(refused.status, 422);
    assertIncludes(textOf(refused.text), ESTABLISHMENT_TEXTS.busyPortal, textOf(refused.text).slice(0, 800));
    assertIncludes(ESTABLISHMENT_TEXTS.busyPortal, 'réessayez dans un instant');
    assert.equal(await jobsOf(hr.id), before, 'no job created');
    assert.deepEqual(leftoverUploads(), [], 'the file removed');

    await releaseAnalysisSlots(t.db, 'other-0');
    const accepted = await upload(agent, csv(), 'etab.csv');
    assert.equal(accepted.status, 303, textOf(accepted.text).slice(0, 800));
    assertIncludes(textOf((await jobPage(agent, accepted.headers.location)).text), "Aperçu avant l'import");
    assert.deepEqual(
      (await slots()).map((s) => s.holder),
      ['other-1', 'other-1'],
      'the finished analysis released its slots; the other one still runs',
    );
  });

  test('one analysis per account: a second upload while the first runs is asked to retry; another account is not', async () => {
    const running = await createImportJobWithSlots(t.db, hr.id, 'premier.csv', 'mine', t.clock());
    assert.ok(running.ok);
    const refused = await upload(agent, csv(), 'second.csv');
    assert.equal(refused.status, 422);
    assertIncludes(textOf(refused.text), ESTABLISHMENT_TEXTS.busyAccount, textOf(refused.text).slice(0, 800));

    const colleague = await newHrUser();
    const colleagueAgent = await loginAs(t.app, t.db, 'entreprise', colleague.email);
    const res = await upload(colleagueAgent, csv(), 'collegue.csv');
    assert.equal(res.status, 303);
    await jobPage(colleagueAgent, res.headers.location);
  });

  test('slots left by a process that died expire: the lease runs out and the upload gets in', async () => {
    const past = new Date(t.clock().getTime() - ANALYSIS_LEASE_MS - 1000);
    // The account's slot and every slot of the portal, all of them left by a dead process.
    assert.ok((await createImportJobWithSlots(t.db, hr.id, 'mort.csv', 'dead-mine', past)).ok);
    for (let i = 1; i < ANALYSIS_SLOTS; i++) {
      const other = await newHrUser();
      assert.ok((await createImportJobWithSlots(t.db, other.id, 'mort.csv', `dead-${i}`, past)).ok);
    }
    assert.equal((await slots()).length, ANALYSIS_SLOTS * 2, 'two slots each');
    const res = await upload(agent, csv(), 'etab.csv');
    assert.equal(res.status, 303, textOf(res.text).slice(0, 800));
    await jobPage(agent, res.headers.location);
  });

  test('a running analysis renews its lease (its own slots only), so a long one keeps them', async () => {
    const start = t.clock();
    const mine = await createImportJobWithSlots(t.db, hr.id, 'long.csv', 'long', start);
    const other = await createImportJobWithSlots(t.db, (await newHrUser()).id, 'autre.csv', 'other', start);
    assert.ok(mine.ok && other.ok);
    const later = new Date(start.getTime() + ANALYSIS_LEASE_MS - 1000);
    await renewAnalysisSlots(t.db, 'long', later);
    const expiries = Object.fromEntries((await slots()).map((s) => [`${s.holder} ${s.slot.split(':')[0]}`, s.expires_at]));
    assert.deepEqual(expiries, {
      'long account': new Date(later.getTime() + ANALYSIS_LEASE_MS).toISOString(),
      'long all': new Date(later.getTime() + ANALYSIS_LEASE_MS).toISOString(),
      'other account': new Date(start.getTime() + ANALYSIS_LEASE_MS).toISOString(),
      'other all': new Date(start.getTime() + ANALYSIS_LEASE_MS).toISOString(),
    });
    // Past the first lease, only the renewed analysis still holds its slots.
    const afterFirstLease = new Date(start.getTime() + ANALYSIS_LEASE_MS + 1000);
    const retry = await createImportJobWithSlots(t.db, hr.id, 'encore.csv', 'again', afterFirstLease);
    assert.deepEqual(retry, { ok: false, reason: 'account' });
  });

  test('slots are taken atomically: of many uploads at the same instant, exactly the allowed number start', async () => {
    const others = [];
    for (let i = 0; i < 12; i++) others.push(await newHrUser());
    const jobsBefore = (await t.db('import_jobs')).length;
    const portal = await Promise.all(others.map((o, i) => createImportJobWithSlots(t.db, o.id, 'course.csv', `race-${i}`, t.clock())));
    assert.equal(portal.filter((r) => r.ok).length, ANALYSIS_SLOTS);
    assert.equal(portal.filter((r) => !r.ok && r.reason === 'portal').length, others.length - ANALYSIS_SLOTS);
    assert.equal((await t.db('import_jobs')).length, jobsBefore + ANALYSIS_SLOTS, 'a refused upload leaves no job');
    await t.db('import_analysis_slots').delete();

    const same = await Promise.all(Array.from({ length: 8 }, (_, i) => createImportJobWithSlots(t.db, hr.id, 'course.csv', `same-${i}`, t.clock())));
    assert.equal(same.filter((r) => r.ok).length, 1);
    assert.equal(same.filter((r) => !r.ok && r.reason === 'account').length, 7);
    assert.deepEqual(
      (await slots()).map((s) => s.slot),
      [`account:${hr.id}:1`, 'all:1'],
    );
  });
});

describe('jobs left « analyse en cours » by a process that died', () => {
  const recovery = jobs.find((job) => job.name === 'fail-orphaned-analyses')!;

  test('at start-up the housekeeping marks them failed with a French message on the job page; a running one is left alone', async () => {
    const now = t.clock();
    const crashed = await createImportJobWithSlots(t.db, hr.id, 'interrompu.csv', 'crashed', new Date(now.getTime() - ANALYSIS_LEASE_MS - 1000));
    const colleague = await newHrUser();
    const running = await createImportJobWithSlots(t.db, colleague.id, 'en-cours.csv', 'running', now);
    assert.ok(crashed.ok && running.ok);
    // A job of a process older than the slots (no slot at all).
    const [{ id: bare }] = await t
      .db('import_jobs')
      .insert({
        kind: 'establishments',
        account_id: hr.id,
        status: 'analyzing',
        file_name: 'ancien.csv',
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .returning('id');

    const before = textOf((await agent.get(`${FILE}/${crashed.jobId}`).expect(200)).text);
    assertIncludes(before, 'Analyse du fichier en cours');

    assert.ok(recovery, 'the housekeeping job is listed (startJobs runs every listed job at start-up)');
    await recovery.run(t.db, now);

    for (const id of [crashed.jobId, bare]) {
      const text = textOf((await agent.get(`${FILE}/${id}`).expect(200)).text);
      assertExcludes(text, 'Analyse du fichier en cours', text.slice(0, 400));
      assertIncludes(text, "Le fichier n'a pas pu être importé");
      assertIncludes(text, ANALYSIS_INTERRUPTED_MESSAGE, text.slice(0, 600));
    }
    assert.equal((await t.db('import_jobs').where({ id: running.jobId }).first()).status, 'analyzing', 'a live analysis stays');
    assert.deepEqual(
      (await slots()).map((s) => s.holder),
      ['running', 'running'],
      'the expired slots are gone',
    );
    await releaseAnalysisSlots(t.db, 'running');
  });
});

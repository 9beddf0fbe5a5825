// Two instances on one database (issue #17, part 8): two apps, each with its own connection pool
// and job runner, as two processes behind a load balancer would be — on one SQLite file, or one
// PostgreSQL database under TEST_PG_URL. A session started on one works on the other (sessions
// live in the database), and each periodic job (src/jobs.ts) runs exactly once per period, whoever
// takes its lease (src/stores/job-leases.ts) — also when the two tick at the same instant, and when
// one of them stops.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Express } from 'express';
import request from 'supertest';
import { createDb, type Db } from '../../src/db.js';
import { createApp } from '../../src/app.js';
import { createJobRunner, jobsFor, type Job } from '../../src/jobs.js';
import { csrfFrom, makeClock, makeTestApp, type TestContext } from '../helpers/app.js';
import { codeIn, createAccount, lastMessageTo, PASSWORD } from '../helpers/fixtures.js';
import { assertIncludes } from '../helpers/assertions.js';

let t: TestContext;
let otherDb: Db;
let otherApp: Express;
const clock = makeClock(new Date('2026-12-01T08:00:00.000Z'));

before(async () => {
  t = await makeTestApp({}, { clock });
  // The second instance: the same configuration (so the same SESSION_SECRET), its own pool.
  otherDb = createDb(t.config.database);
  otherApp = createApp({ config: t.config, db: otherDb, clock });
});
after(async () => {
  await otherDb.destroy();
  await t.close();
});

/** A browser whose requests go to one instance or the other, with one cookie jar. */
function browser() {
  let cookie = '';
  const keep = (res: request.Response) => {
    const set = res.headers['set-cookie'] as unknown as string[] | undefined;
    if (set?.length) cookie = set.map((c) => c.split(';')[0]).join('; ');
    return res;
  };
  return {
    get: async (app: Express, path: string) => keep(await request(app).get(path).set('Cookie', cookie)),
    post: async (app: Express, path: string, body: Record<string, string>) => keep(await request(app).post(path).set('Cookie', cookie).type('form').send(body)),
  };
}

test('a session started on one instance works on the other, step by step of the login', async () => {
  const account = await createAccount(t.db, { kind: 'staff', mobile: '+33639980931', email: 'deux.instances@assureur.example' });
  const b = browser();
  const [one, two] = [t.app, otherApp];
  let token = csrfFrom((await b.get(one, '/gestion')).text);
  const login = await b.post(two, '/gestion/connexion', { _csrf: token, email: account.email, password: PASSWORD });
  assert.equal(login.status, 303);
  assert.equal(login.headers.location, '/gestion/securite');
  token = csrfFrom((await b.get(one, '/gestion/securite')).text);
  assert.equal((await b.post(two, '/gestion/securite/envoyer', { _csrf: token })).status, 303);
  const sms = await lastMessageTo(t.db, '+33639980931');
  token = csrfFrom((await b.get(two, '/gestion/securite')).text);
  assert.equal((await b.post(one, '/gestion/securite/verifier', { _csrf: token, code: codeIn(sms.body_text) })).status, 303);
  for (const app of [one, two]) {
    const home = await b.get(app, '/gestion/accueil');
    assert.equal(home.status, 200, 'logged in on both instances');
    assertIncludes(home.text, 'Tableau de bord');
  }
  token = csrfFrom((await b.get(two, '/gestion/accueil')).text);
  assert.equal((await b.post(one, '/gestion/deconnexion', { _csrf: token })).status, 303);
  assert.equal((await b.get(two, '/gestion/accueil')).status, 303, 'logged out on the other instance too');
});

test('each job runs exactly once per period with two instances ticking at the same instants, and once per period after one stops', async () => {
  const runs: { job: string; instance: string; at: number }[] = [];
  const counted = (instance: string): Job[] =>
    jobsFor(t.config).map((job) => ({
      ...job,
      run: async (db, now) => {
        runs.push({ job: job.name, instance, at: now.getTime() });
        await job.run(db, now);
      },
    }));
  const instances = [
    { name: 'A', jobs: counted('A'), tick: createJobRunner(t.db, { holder: 'instance-A', clock }) },
    { name: 'B', jobs: counted('B'), tick: createJobRunner(otherDb, { holder: 'instance-B', clock }) },
  ];
  // 20 minutes of ticks, each job on its own interval, as startJobs's timers would (the jobs
  // running less often than that tick once, at the start); A stops after 10 minutes.
  const start = clock.now.getTime();
  const horizon = 20 * 60_000;
  const stopA = start + 10 * 60_000;
  const ticks = new Map<number, string[]>();
  for (const job of jobsFor(t.config)) {
    for (let at = start; at < start + horizon; at += job.everyMs) ticks.set(at, [...(ticks.get(at) ?? []), job.name]);
  }
  for (const at of [...ticks.keys()].sort((x, y) => x - y)) {
    clock.set(new Date(at));
    const live = instances.filter((i) => i.name === 'B' || at < stopA);
    await Promise.all(live.flatMap((i) => ticks.get(at)!.map((name) => i.tick(i.jobs.find((j) => j.name === name)!))));
  }
  for (const [at, names] of ticks) {
    for (const name of names) {
      const here = runs.filter((r) => r.job === name && r.at === at);
      assert.equal(here.length, 1, `${name} at +${(at - start) / 1000} s ran ${here.length} times`);
    }
  }
  assert.equal(runs.length, [...ticks.values()].flat().length);
  assert.ok(
    runs.some((r) => r.instance === 'B' && r.at >= stopA),
    'B takes over once A stopped',
  );
  const leases = await t.db('job_leases');
  assert.deepEqual(
    leases.map((l) => l.name as string).sort(),
    jobsFor(t.config)
      .map((j) => j.name)
      .sort(),
  );
});

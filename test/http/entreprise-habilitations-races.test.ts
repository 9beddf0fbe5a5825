// Issue #11 A1: the races around the habilitation rule (the rule itself is in
// test/http/entreprise-habilitations-takeover.test.ts). Each scenario is played with two requests
// at once (Promise.all), several times, and checks an invariant on what is saved. On PostgreSQL,
// where two transactions really run side by side, the dangerous interleaving is also forced: a
// transaction of the test holds a row lock that the first request needs, the second request is
// sent meanwhile, then the lock is released — the same order every run, whatever the timing.
// On SQLite the app's one connection runs one transaction at a time (src/db.ts), and a request
// whose statements wait for no other I/O runs to its end before the next request is read: there
// the scenarios check the outcome, the interleavings are PostgreSQL's.
// Runs on SQLite, and on PostgreSQL with TEST_PG_URL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { onlyOnPostgres, until, waitingForLocks } from '../helpers/pg-locks.js';
import { decoded, loginAs, textOf, tokenFrom } from '../helpers/fixtures.js';
import { createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { IDENTITY_LOCKED } from '../../src/domain/habilitations.js';
import { grantAccess, updateHrIdentity } from '../../src/entreprise/habilitations/queries.js';
import { HABILITATION_TEXTS } from '../../src/entreprise/habilitations/pages.js';
import { assertIncludes } from '../helpers/assertions.js';

type Agent = Awaited<ReturnType<typeof loginAs>>;
let t: TestContext;
let verdier: TestCompany;
let horizon: TestCompany;
let ponant: TestCompany;
let rhAdmin: { id: number; email: string };
let rhPonant: { id: number; email: string };
let admin: Agent; // administrator of Verdier and Horizon
let ponantAdmin: Agent; // administrator of Ponant only

const BASE = '/entreprise/habilitations';
const ROUNDS = 5;
const ATTACKER_MOBILE = '+33698765432';

/** A POST sender with its CSRF token fetched beforehand, so that two requests leave at the same moment. */
async function poster(a: Agent) {
  const token = await tokenFrom(a, '/entreprise/accueil');
  return (path: string, body: Record<string, string>) =>
    a
      .post(path)
      .type('form')
      .send({ _csrf: token, ...body });
}
const accountByEmail = (email: string) => t.db('accounts').where({ kind: 'hr', email }).first();
const accountById = (id: number) => t.db('accounts').where({ id }).first();
const habilitationsOf = async (accountId: number) =>
  (await t.db('hr_habilitations').where({ account_id: accountId }).orderBy('company_id')).map((h: { company_id: number; role: string }) => [
    h.company_id,
    h.role,
  ]);
const byCompany = (rows: (string | number)[][]) => rows.sort((a, b) => Number(a[0]) - Number(b[0]));
/** An invitation (pending account, no password) with an access to one company. */
const invitation = (email: string, company: TestCompany) => createHrUser(t.db, [{ company, role: 'user' }], { email, status: 'pending', password: null });
function assertStatus(res: { status: number; text: string }, expected: number[], what: string) {
  assertIncludes(expected, res.status, `${what}: ${res.status} ${textOf(res.text).slice(0, 400)}`);
}
async function flashAfter(a: Agent): Promise<string[]> {
  const html = decoded((await a.get(BASE).expect(200)).text);
  return [...html.matchAll(/<div class="alert alert-[a-z]+" role="[a-z]+"><p>([^<]*)<\/p><\/div>/g)].map((m) => m[1]);
}

// ------------------------------------------------------------------ forcing an interleaving (PostgreSQL)
/** A request started now, and whether it has answered. */
function started<T>(request: PromiseLike<T>): { promise: Promise<T>; done: () => boolean } {
  let done = false;
  const promise = Promise.resolve(request).finally(() => {
    done = true;
  });
  return { promise, done: () => done };
}

before(async () => {
  t = await makeTestApp();
  verdier = await createHrCompany(t.db, 'Cabinet Verdier Immobilier', 1);
  horizon = await createHrCompany(t.db, 'Syndic Horizon Gestion', 1);
  ponant = await createHrCompany(t.db, 'Immobilière du Ponant', 1);
  rhAdmin = await createHrUser(
    t.db,
    [
      { company: verdier, role: 'admin' },
      { company: horizon, role: 'admin' },
    ],
    { email: 'rh.admin@demo.example', firstName: 'Eugénie', mobile: '+33612345670' },
  );
  rhPonant = await createHrUser(t.db, [{ company: ponant, role: 'admin' }], { email: 'rh.ponant@demo.example', firstName: 'Yann', mobile: '+33612345671' });
  admin = await loginAs(t.app, t.db, 'entreprise', rhAdmin.email);
  ponantAdmin = await loginAs(t.app, t.db, 'entreprise', rhPonant.email);
});
after(async () => t.close());

describe("an invitation's new address and an access given to its old one, at the same moment", () => {
  test('the access never reaches the new address (grantAccess and updateHrIdentity side by side)', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const target = await invitation(`cible.${i}@exemple.fr`, verdier);
      const [granted, changed] = await Promise.all([
        grantAccess(
          t.db,
          { email: target.email, firstName: 'Xavier', lastName: 'Cible', mobile: null },
          [{ companyId: ponant.companyId, role: 'admin' }],
          rhPonant.id,
          t.clock(),
        ),
        updateHrIdentity(
          t.db,
          target.id,
          { first_name: 'Xavier', last_name: 'Cible', mobile: ATTACKER_MOBILE, email: `attaquant.${i}@exemple.fr` },
          [verdier.companyId, horizon.companyId],
          t.clock(),
        ),
      ]);
      // Either one went first; never the access of Ponant on the address rh.admin chose.
      const holder = await accountById(granted.accountId);
      assert.equal(holder.email, target.email, `round ${i}: the access to Ponant went to ${holder.email} (address changed: ${changed})`);
      const renamed = await accountByEmail(`attaquant.${i}@exemple.fr`);
      if (renamed) assert.deepEqual(await habilitationsOf(renamed.id), [[verdier.companyId, 'user']], `round ${i}`);
      else assert.equal(changed, false);
    }
  });

  test('PostgreSQL, forced: the change of address waits for the access being given, then is refused', async (ctx) => {
    if (!onlyOnPostgres(ctx, t.db)) return;
    const target = await invitation('cible.force@exemple.fr', verdier);
    const asPonant = await poster(ponantAdmin);
    const asAdmin = await poster(admin);
    // rh.ponant's invitation stops at its access to Ponant (the company row is held)…
    const blocker = await t.db.transaction();
    let grant: ReturnType<typeof started<Awaited<ReturnType<typeof asPonant>>>>;
    let change: typeof grant;
    try {
      await blocker('companies').where({ id: ponant.companyId }).forUpdate().first('id');
      grant = started(asPonant(`${BASE}/ajouter`, { last_name: 'Cible', first_name: 'Xavier', email: target.email, [`acces_${ponant.companyId}`]: 'admin' }));
      await until(async () => (await waitingForLocks(t.db)) >= 1, 'the invitation to wait');
      // …while rh.admin gives the invitation their own address.
      change = started(
        asAdmin(`${BASE}/${target.id}/modifier`, {
          last_name: 'Cible',
          first_name: 'Xavier',
          email: 'attaquant.force@exemple.fr',
          mobile: '',
          [`acces_${verdier.companyId}`]: 'user',
        }),
      );
      await until(async () => change.done() || (await waitingForLocks(t.db)) >= 2, 'the change of address to answer or wait');
    } finally {
      await blocker.commit();
    }
    const [granted, changed] = await Promise.all([grant.promise, change.promise]);
    assertStatus(granted, [303], 'the invitation');
    assertStatus(changed, [422], 'the change of address');
    assertIncludes(textOf(changed.text), IDENTITY_LOCKED);
    assert.deepEqual(
      await habilitationsOf(target.id),
      byCompany([
        [verdier.companyId, 'user'],
        [ponant.companyId, 'admin'],
      ]),
    );
    assert.equal((await accountById(target.id)).email, target.email);
    assert.equal(await accountByEmail('attaquant.force@exemple.fr'), undefined);
  });
});

describe('the last access removed while another is given', () => {
  test('an account is never closed while it holds an access (both orders)', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const user = await createHrUser(t.db, [{ company: verdier, role: 'user' }], { email: `depart.${i}@exemple.fr` });
      const asAdmin = await poster(admin);
      const asPonant = await poster(ponantAdmin);
      const [removed, granted] = await Promise.all([
        asAdmin(`${BASE}/${user.id}/desactiver`, {}),
        asPonant(`${BASE}/ajouter`, { last_name: 'Martin', first_name: 'Camille', email: user.email, [`acces_${ponant.companyId}`]: 'user' }),
      ]);
      assertStatus(removed, [303], `round ${i}: the removal`);
      assertStatus(granted, [303], `round ${i}: the access given`);
      const account = await accountById(user.id);
      assert.deepEqual(await habilitationsOf(user.id), [[ponant.companyId, 'user']], `round ${i}`);
      assertIncludes(['active', 'pending'], account.status, `round ${i}: an account holding an access is ${account.status}`);
    }
  });

  test('PostgreSQL, forced: the closing is checked after the access given elsewhere', async (ctx) => {
    if (!onlyOnPostgres(ctx, t.db)) return;
    const user = await createHrUser(t.db, [{ company: verdier, role: 'user' }], { email: 'depart.force@exemple.fr' });
    const asAdmin = await poster(admin);
    const asPonant = await poster(ponantAdmin);
    // The account row is held (as an UPDATE of it would): the removal waits on it…
    const blocker = await t.db.transaction();
    let removal: ReturnType<typeof started<Awaited<ReturnType<typeof asAdmin>>>>;
    let grant: typeof removal;
    try {
      await blocker('accounts').where({ id: user.id }).forNoKeyUpdate().first('id');
      removal = started(asAdmin(`${BASE}/${user.id}/desactiver`, {}));
      await until(async () => (await waitingForLocks(t.db)) >= 1, 'the removal to wait');
      // …while rh.ponant gives the same address an access to Ponant.
      grant = started(asPonant(`${BASE}/ajouter`, { last_name: 'Martin', first_name: 'Camille', email: user.email, [`acces_${ponant.companyId}`]: 'user' }));
      await until(async () => grant.done() || (await waitingForLocks(t.db)) >= 2, 'the access given to answer or wait');
    } finally {
      await blocker.commit();
    }
    const [removed, granted] = await Promise.all([removal.promise, grant.promise]);
    assertStatus(removed, [303], 'the removal');
    assertStatus(granted, [303], 'the access given');
    assert.deepEqual(await habilitationsOf(user.id), [[ponant.companyId, 'user']]);
    assertIncludes(['active', 'pending'], (await accountById(user.id)).status, (await accountById(user.id)).status);
  });
});

describe('one address given twice at the same moment (unique e-mail): never a 500, the answer of the form', () => {
  test('two administrators give their invitations the same new address', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const mine = await invitation(`doublon.a.${i}@exemple.fr`, verdier);
      const theirs = await invitation(`doublon.b.${i}@exemple.fr`, ponant);
      const address = `meme.${i}@exemple.fr`;
      const asAdmin = await poster(admin);
      const asPonant = await poster(ponantAdmin);
      const [a, b] = await Promise.all([
        asAdmin(`${BASE}/${mine.id}/modifier`, { last_name: 'Meme', first_name: 'Alice', email: address, mobile: '', [`acces_${verdier.companyId}`]: 'user' }),
        asPonant(`${BASE}/${theirs.id}/modifier`, {
          last_name: 'Meme',
          first_name: 'Alice',
          email: address,
          mobile: '',
          [`acces_${ponant.companyId}`]: 'user',
        }),
      ]);
      assertStatus(a, [303], `round ${i}: rh.admin`);
      assertStatus(b, [303], `round ${i}: rh.ponant`);
      assert.deepEqual(await flashAfter(admin), [HABILITATION_TEXTS.updated('Alice Meme')]);
      assert.deepEqual(await flashAfter(ponantAdmin), [HABILITATION_TEXTS.updated('Alice Meme')]);
      // One account has the address and both accesses; the other invitation is withdrawn.
      const owner = await accountByEmail(address);
      assertIncludes([mine.id, theirs.id], owner.id);
      assert.deepEqual(
        await habilitationsOf(owner.id),
        byCompany([
          [verdier.companyId, 'user'],
          [ponant.companyId, 'user'],
        ]),
        `round ${i}`,
      );
      const other = await accountById(owner.id === mine.id ? theirs.id : mine.id);
      assert.equal(other.status, 'disabled');
      assert.deepEqual(await habilitationsOf(other.id), []);
    }
  });

  test("an invitation's new address given to someone else at the same moment", async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const mine = await invitation(`ancienne.${i}@exemple.fr`, verdier);
      const address = `nouvelle.${i}@exemple.fr`;
      const asAdmin = await poster(admin);
      const asPonant = await poster(ponantAdmin);
      const [changed, invited] = await Promise.all([
        asAdmin(`${BASE}/${mine.id}/modifier`, { last_name: 'Neuf', first_name: 'Paul', email: address, mobile: '', [`acces_${verdier.companyId}`]: 'user' }),
        asPonant(`${BASE}/ajouter`, { last_name: 'Neuf', first_name: 'Paul', email: address, [`acces_${ponant.companyId}`]: 'user' }),
      ]);
      assertStatus(changed, [303], `round ${i}: the change of address`);
      assertStatus(invited, [303], `round ${i}: the invitation`);
      assert.deepEqual(await flashAfter(admin), [HABILITATION_TEXTS.updated('Paul Neuf')]);
      assert.deepEqual(await flashAfter(ponantAdmin), [HABILITATION_TEXTS.added('Paul Neuf')]);
      const owner = await accountByEmail(address);
      assert.deepEqual(
        await habilitationsOf(owner.id),
        byCompany([
          [verdier.companyId, 'user'],
          [ponant.companyId, 'user'],
        ]),
        `round ${i}`,
      );
    }
  });
});

// Issue #11 A5: the « never a company without an active administrator » rule (src/domain/habilitations.ts)
// when the two administrators of a company suspend, remove or demote each other at the same moment.
// The pages check the rule, then applyAccessUpdates (src/entreprise/habilitations/queries.ts)
// checks it again in its transaction; on PostgreSQL (READ COMMITTED) each transaction's count
// would not see the other's uncommitted change, so both would pass without the lock of the
// company rows. Each scenario is played several rounds with Promise.all; on PostgreSQL the two
// requests are also made to start their transactions at the same instant: a transaction of the
// test holds both accounts' rows (as an UPDATE of them would) until both requests wait, then lets go.
// Runs on SQLite, and on PostgreSQL with TEST_PG_URL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { onlyOnPostgres, until, waitingForLocks } from '../helpers/pg-locks.js';
import { loginAs, textOf, tokenFrom } from '../helpers/fixtures.js';
import { createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { HABILITATION_MESSAGES } from '../../src/domain/habilitations.js';
import { assertIncludes } from '../helpers/assertions.js';

type Agent = Awaited<ReturnType<typeof loginAs>>;
type Answer = { status: number; text: string };
let t: TestContext;
let verdier: TestCompany;
let alice: { id: number; email: string; agent: Agent };
let bruno: { id: number; email: string; agent: Agent };

const BASE = '/entreprise/habilitations';
const ROUNDS = 4;

before(async () => {
  t = await makeTestApp();
  verdier = await createHrCompany(t.db, 'Cabinet Verdier Immobilier', 1);
  // Each administrator also has an access elsewhere: a removal never closes their account.
  const other = await createHrCompany(t.db, 'Syndic Horizon Gestion', 1);
  const a = await createHrUser(
    t.db,
    [
      { company: verdier, role: 'admin' },
      { company: other, role: 'user' },
    ],
    { email: 'alice.admin@exemple.fr', firstName: 'Alice' },
  );
  const b = await createHrUser(
    t.db,
    [
      { company: verdier, role: 'admin' },
      { company: other, role: 'user' },
    ],
    { email: 'bruno.admin@exemple.fr', firstName: 'Bruno' },
  );
  alice = { ...a, agent: await loginAs(t.app, t.db, 'entreprise', a.email) };
  bruno = { ...b, agent: await loginAs(t.app, t.db, 'entreprise', b.email) };
});
after(async () => t.close());

/** Both administrators of Verdier active again, before a round. */
async function reset(): Promise<void> {
  const iso = new Date().toISOString();
  for (const who of [alice, bruno]) {
    await t.db('hr_habilitations').where({ account_id: who.id, company_id: verdier.companyId }).delete();
    await t
      .db('hr_habilitations')
      .insert({ account_id: who.id, company_id: verdier.companyId, role: 'admin', status: 'active', created_at: iso, updated_at: iso });
  }
}
async function activeAdminsOfVerdier(): Promise<number> {
  const [{ n }] = await t
    .db('hr_habilitations as h')
    .join('accounts as a', 'a.id', 'h.account_id')
    .where({ 'h.company_id': verdier.companyId, 'h.role': 'admin', 'h.status': 'active', 'a.status': 'active' })
    .count({ n: '*' });
  return Number(n);
}

type Action = 'suspend' | 'remove' | 'demote';
/**
 * A request of `actor` doing the action on `target`, its CSRF token fetched beforehand: a function
 * that sends it (a request returned by an async function would be sent, and awaited, at once).
 */
async function prepared(actor: typeof alice, target: typeof alice, action: Action): Promise<() => PromiseLike<Answer>> {
  const token = await tokenFrom(actor.agent, '/entreprise/accueil');
  return () => send(actor, target, action, token);
}
function send(actor: typeof alice, target: typeof alice, action: Action, token: string): PromiseLike<Answer> {
  if (action === 'demote') {
    // The target reaches a company the actor does not administer: the form has the roles only.
    return actor.agent
      .post(`${BASE}/${target.id}/modifier`)
      .type('form')
      .send({ _csrf: token, [`acces_${verdier.companyId}`]: 'user' });
  }
  return actor.agent
    .post(`${BASE}/${target.id}/${action === 'suspend' ? 'suspendre' : 'desactiver'}`)
    .type('form')
    .send({ _csrf: token });
}

/**
 * What both answers and the saved state must be: exactly one change went through (303); the other
 * request was refused with the rule's message (422), or, reaching the server after the first
 * change, by the access checks (its author is no longer administrator there: 403 or 404). Never a
 * 500, and Verdier keeps exactly one active administrator.
 */
async function assertOneWins(answers: Answer[], what: string): Promise<void> {
  const statuses = answers.map((r) => r.status);
  for (const r of answers) assertIncludes([303, 403, 404, 422], r.status, `${what}: ${r.status} ${textOf(r.text).slice(0, 300)}`);
  assert.equal(statuses.filter((s) => s === 303).length, 1, `${what}: answers ${statuses.join(', ')}`);
  const refused = answers.find((r) => r.status === 422);
  if (refused)
    assertIncludes(textOf(refused.text), HABILITATION_MESSAGES.lastAdmin('Cabinet Verdier Immobilier'), `${what}: ${textOf(refused.text).slice(0, 300)}`);
  assert.equal(await activeAdminsOfVerdier(), 1, `${what}: active administrators of Verdier`);
}

// ------------------------------------------------------------------ both requests released together (PostgreSQL)

const ACTIONS: Action[] = ['suspend', 'remove', 'demote'];

describe('the two administrators of a company change each other at the same moment', () => {
  for (const action of ACTIONS) {
    test(`${action}: exactly one succeeds, the company keeps an active administrator`, async () => {
      for (let i = 0; i < ROUNDS; i++) {
        await reset();
        const requests = [await prepared(alice, bruno, action), await prepared(bruno, alice, action)];
        await assertOneWins(await Promise.all(requests.map((go) => go())), `${action}, round ${i}`);
      }
    });
  }

  for (const action of ACTIONS) {
    test(`PostgreSQL, released together — ${action}: exactly one succeeds, never a deadlock`, async (ctx) => {
      if (!onlyOnPostgres(ctx, t.db)) return;
      for (let i = 0; i < ROUNDS; i++) {
        await reset();
        const requests = [await prepared(alice, bruno, action), await prepared(bruno, alice, action)];
        const blocker = await t.db.transaction();
        let answers: Promise<Answer[]>;
        try {
          // Both accounts' rows are held: each request stops at the lock of its target's account…
          await blocker('accounts').whereIn('id', [alice.id, bruno.id]).orderBy('id').forNoKeyUpdate().select('id');
          let answered = 0;
          answers = Promise.all(requests.map((go) => Promise.resolve(go()).finally(() => answered++)));
          await until(async () => answered + (await waitingForLocks(t.db)) >= 2, 'both requests to wait');
        } finally {
          // …and both go on at the same instant.
          await blocker.commit();
        }
        await assertOneWins(await answers, `${action}, round ${i}`);
      }
    });
  }
});

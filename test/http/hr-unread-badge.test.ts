// The « Messagerie » icon's badge of the Espace Entreprise (src/correspondence/queries.ts,
// unreadThreadCount, run through the index of db/migrations/20261207400000_hr_unread_badge_index.ts)
// counts what the rules say, on SQLite and on PostgreSQL (TEST_PG_URL): for an administrator of
// two companies, an HR user restricted to one establishment, and a user of two companies (one
// habilitation restricted, another suspended), it equals a count made thread by thread from the
// rules themselves — the active habilitation on the thread's company, the employee in the account's
// perimeter (isEmployeeInPerimeter), an insurer message after this account's read marker
// (src/domain/correspondence.ts, unreadByOwner). The count is kept per account between changes
// (db/migrations/20261208200000_hr_unread_badge_cache.ts): a second page reads the kept count with
// one query, and after each kind of change it depends on, the badge equals the rules' count again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isEmployeeInPerimeter, unreadThreadCount } from '../../src/correspondence/queries.js';
import { unreadByOwner } from '../../src/domain/correspondence.js';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { addEmployee, createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { insertId } from '../helpers/fixtures.js';

let t: TestContext;
const accounts: Record<string, number> = {};
let alpha: TestCompany;
let gammaEmployee: number;
let restrictedPerimeter: number;

/** The count the rules give, thread by thread. */
async function expectedUnread(accountId: number): Promise<number> {
  const active = new Set(
    (await t.db('hr_habilitations').where({ account_id: accountId, status: 'active' }).select('company_id')).map((r: { company_id: number }) =>
      Number(r.company_id),
    ),
  );
  const reads = new Map(
    (await t.db('message_thread_reads').where({ account_id: accountId }).select('thread_id', 'read_at')).map((r: { thread_id: number; read_at: string }) => [
      Number(r.thread_id),
      r.read_at,
    ]),
  );
  let n = 0;
  for (const th of await t.db('message_threads').where({ owner_kind: 'hr' }).select('id', 'company_id', 'subject_member_id', 'last_staff_message_at')) {
    if (!active.has(Number(th.company_id))) continue;
    if (th.subject_member_id !== null && !(await isEmployeeInPerimeter(t.db, accountId, Number(th.company_id), Number(th.subject_member_id)))) continue;
    if (unreadByOwner({ lastStaffMessageAt: th.last_staff_message_at, ownerReadAt: reads.get(Number(th.id)) ?? null })) n += 1;
  }
  return n;
}

before(async () => {
  t = await makeTestApp();
  alpha = await createHrCompany(t.db, 'Alpha Immobilier', 2);
  const beta = await createHrCompany(t.db, 'Beta Syndic', 1);
  const gamma = await createHrCompany(t.db, 'Gamma Conseil', 1);
  const employee = async (company: TestCompany, site: number) => (await addEmployee(t.db, company, company.establishments[site])).memberId;
  // An employee of each establishment, and one of Gamma whom a thread of Alpha names.
  gammaEmployee = await employee(gamma, 0);
  const subjects = [null, await employee(alpha, 0), await employee(alpha, 1), null, await employee(beta, 0), null, gammaEmployee];
  const companyOf = [alpha, alpha, alpha, beta, beta, gamma, alpha];
  accounts.admin = (
    await createHrUser(t.db, [
      { company: alpha, role: 'admin' },
      { company: beta, role: 'admin' },
    ])
  ).id;
  accounts.restricted = (await createHrUser(t.db, [{ company: alpha, role: 'user' }], { perimeter: [alpha.establishments[0]] })).id;
  restrictedPerimeter = alpha.establishments[0].id;
  accounts.twoCompanies = (
    await createHrUser(
      t.db,
      [
        { company: alpha, role: 'user' },
        { company: gamma, role: 'admin' },
        { company: beta, role: 'user', status: 'suspended' },
      ],
      { perimeter: [alpha.establishments[1], gamma.establishments[0], beta.establishments[0]] },
    )
  ).id;
  // Each (company, employee) pair gets threads in every state: no insurer message yet, an
  // insurer message never read, read before it, read at the same instant, read after it.
  const staffAt = '2026-11-20T10:00:00.000Z';
  const readAts = ['2026-11-19T10:00:00.000Z', staffAt, '2026-11-21T10:00:00.000Z'];
  let ref = 0;
  for (let i = 0; i < subjects.length; i++) {
    for (const withStaff of [false, true]) {
      for (let readCase = -1; readCase < readAts.length; readCase++) {
        ref += 1;
        const threadId = await insertId(t.db, 'message_threads', {
          owner_kind: 'hr',
          company_id: companyOf[i].companyId,
          account_id: accounts.admin,
          subject_member_id: subjects[i],
          reference: `BADGE-${ref}`,
          category: 'autre',
          object: 'Question',
          status: 'open',
          created_at: '2026-11-18T10:00:00.000Z',
          last_message_at: withStaff ? staffAt : '2026-11-18T10:00:00.000Z',
          last_staff_message_at: withStaff ? staffAt : null,
        });
        if (readCase < 0) continue;
        // Each account has its own marker: shift it by account so they do not all agree.
        for (const [k, accountId] of Object.values(accounts).entries()) {
          if ((ref + k) % 3 === 0) continue;
          await t.db('message_thread_reads').insert({ thread_id: threadId, account_id: accountId, read_at: readAts[(readCase + k) % readAts.length] });
        }
      }
    }
  }
});

after(async () => t.close());

describe('the HR « Messagerie » badge', () => {
  test('equals the count the rules give, for an administrator, a restricted user and a user of two companies', async () => {
    const counts: number[] = [];
    for (const [who, accountId] of Object.entries(accounts)) {
      const expected = await expectedUnread(accountId);
      assert.equal(await unreadThreadCount(t.db, { side: 'hr', accountId }), expected, who);
      counts.push(expected);
    }
    // The three accounts see different sets: the data can tell a wrong perimeter from a right one.
    assert.equal(new Set(counts).size, 3, `counts ${counts.join(', ')}`);
    assert.ok(counts.every((n) => n > 0));
  });

  test('is kept between changes, and counted again after each change it depends on', async () => {
    const queries: string[] = [];
    const capture = (query: { sql: string }) => queries.push(query.sql);
    const check = async (change: string) => {
      for (const [who, accountId] of Object.entries(accounts)) {
        const expected = await expectedUnread(accountId);
        assert.equal(await unreadThreadCount(t.db, { side: 'hr', accountId }), expected, `${change}: ${who}`);
        queries.length = 0;
        t.db.on('query', capture);
        const kept = await unreadThreadCount(t.db, { side: 'hr', accountId });
        t.db.off('query', capture);
        assert.equal(kept, expected, `${change}, kept: ${who}`);
        assert.deepEqual(
          queries.map((sql) => /from [`"](\w+)[`"]/.exec(sql)?.[1]),
          ['hr_unread_badges'],
          `${change}: the kept count is read alone`,
        );
      }
    };
    const countFor = (accountId: number) => unreadThreadCount(t.db, { side: 'hr', accountId });
    await check('as seeded');

    // An insurer message on every thread of Alpha: those read before it become unread.
    const before = await countFor(accounts.admin);
    await t.db('message_threads').where({ owner_kind: 'hr', company_id: alpha.companyId }).update({ last_staff_message_at: '2026-11-25T10:00:00.000Z' });
    await check('insurer message');
    assert.ok((await countFor(accounts.admin)) > before);

    // The administrator opens one of them; then a read marker is removed.
    const [thread] = await t.db('message_threads').where({ company_id: alpha.companyId }).orderBy('id').select('id');
    await t.db('message_thread_reads').where({ thread_id: thread.id, account_id: accounts.admin }).delete();
    await t.db('message_thread_reads').insert({ thread_id: thread.id, account_id: accounts.admin, read_at: '2026-11-26T10:00:00.000Z' });
    await check('thread read');
    await t.db('message_thread_reads').where({ thread_id: thread.id, account_id: accounts.admin }).update({ read_at: '2026-11-24T10:00:00.000Z' });
    await check('read marker moved');
    await t.db('message_thread_reads').where({ thread_id: thread.id, account_id: accounts.admin }).delete();
    await check('read marker removed');

    // A new thread with an insurer message.
    await insertId(t.db, 'message_threads', {
      owner_kind: 'hr',
      company_id: alpha.companyId,
      account_id: accounts.admin,
      subject_member_id: null,
      reference: 'BADGE-NEW',
      category: 'autre',
      object: 'Question',
      status: 'open',
      created_at: '2026-11-27T10:00:00.000Z',
      last_message_at: '2026-11-27T10:00:00.000Z',
      last_staff_message_at: '2026-11-27T10:00:00.000Z',
    });
    await check('new thread');

    // The Gamma employee an Alpha thread names joins Alpha's second establishment (in the
    // two-companies user's perimeter), then leaves it.
    const affiliation = await insertId(t.db, 'affiliations', {
      ...(await t.db('affiliations').where({ member_id: gammaEmployee }).first()),
      id: undefined,
      establishment_id: alpha.establishments[1].id,
      contract_id: alpha.contracts.non_cadre,
    });
    await check('affiliation added');
    await t.db('affiliations').where({ id: affiliation }).delete();
    await check('affiliation removed');

    // The restricted user's perimeter grows, then shrinks; a habilitation is suspended, then removed.
    await t.db('hr_perimeter').insert({ account_id: accounts.restricted, establishment_id: alpha.establishments[1].id, added_at: '2026-11-28T10:00:00.000Z' });
    await check('perimeter grown');
    await t.db('hr_perimeter').where({ account_id: accounts.restricted, establishment_id: restrictedPerimeter }).delete();
    await check('perimeter shrunk');
    await t.db('hr_habilitations').where({ account_id: accounts.twoCompanies, company_id: alpha.companyId }).update({ status: 'suspended' });
    await check('habilitation suspended');
    await t.db('hr_habilitations').where({ account_id: accounts.twoCompanies, company_id: alpha.companyId }).delete();
    await check('habilitation removed');
  });
});

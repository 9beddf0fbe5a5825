// preparedQuery (src/db.ts): the per-request queries it keeps give Knex's rows, read afresh on every
// call (a suspended account or a role change shows at the next request), run inside a transaction
// through it, and refuse an argument Knex would not bind as given. On SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { preparedQuery } from '../../src/db.js';
import { findActiveHrCompanies, findSessionAccount } from '../../src/auth/queries.js';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createAccount } from '../helpers/fixtures.js';

describe('preparedQuery', () => {
  let t: TestContext;
  before(async () => {
    t = await makeTestApp();
  });
  after(async () => t.close());

  test('gives the rows Knex gives, and what changed since the last call', async () => {
    const { id: accountId } = await createAccount(t.db, { kind: 'hr' });
    const columns = ['id', 'kind', 'email', 'status', 'first_name', 'last_name', 'mobile', 'member_id', 'staff_role', 'sessions_revoked_at'];
    assert.deepEqual(await findSessionAccount(t.db, accountId), await t.db('accounts').where({ id: accountId }).first(columns));
    assert.equal((await findSessionAccount(t.db, accountId))?.status, 'active');
    await t.db('accounts').where({ id: accountId }).update({ status: 'suspended', sessions_revoked_at: '2026-11-22T10:00:00.000Z' });
    const suspended = await findSessionAccount(t.db, accountId);
    assert.equal(suspended?.status, 'suspended');
    assert.equal(suspended?.sessions_revoked_at, '2026-11-22T10:00:00.000Z');
    assert.equal(await findSessionAccount(t.db, accountId + 1000), undefined);

    const [company] = await findActiveHrCompanies(t.db, accountId);
    assert.equal(company.role, 'user');
    await t.db('hr_habilitations').where({ account_id: accountId }).update({ role: 'admin' });
    assert.equal((await findActiveHrCompanies(t.db, accountId))[0].role, 'admin');
    await t.db('hr_habilitations').where({ account_id: accountId }).update({ status: 'suspended' });
    assert.deepEqual(await findActiveHrCompanies(t.db, accountId), []);
  });

  test('inside a transaction, reads through it (and does not wait for the connection it holds)', async () => {
    const { id: accountId } = await createAccount(t.db, { kind: 'member', firstName: 'Avant' });
    await t.db.transaction(async (trx) => {
      await trx('accounts').where({ id: accountId }).update({ first_name: 'Pendant' });
      assert.equal((await findSessionAccount(trx, accountId))?.first_name, 'Pendant');
    });
    assert.equal((await findSessionAccount(t.db, accountId))?.first_name, 'Pendant');
  });

  test('is seen by query listeners like any Knex query', async () => {
    const { id: accountId } = await createAccount(t.db, { kind: 'member' });
    const seen: string[] = [];
    const listen = (q: { sql: string }) => seen.push(q.sql);
    t.db.on('query', listen);
    try {
      await findSessionAccount(t.db, accountId);
    } finally {
      t.db.off('query', listen);
    }
    assert.equal(seen.length, 1);
    assert.match(seen[0], /from "?`?accounts/);
  });

  test('refuses an argument that would not be bound as given', async () => {
    const startingWith = preparedQuery((db, email: string) => db('accounts').where('email', 'like', `${email}%`));
    await assert.rejects(startingWith(t.db, 'camille'), /an argument was changed before binding/);
    const inText = preparedQuery((db, column: string) => db('accounts').select(db.raw(column)));
    await assert.rejects(inText(t.db, 'id'), /ended up in the SQL text/);
  });
});

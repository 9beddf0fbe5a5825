import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  memberActionFor,
  TELETRANSMISSION_MESSAGES,
  TELETRANSMISSION_STATUSES,
  teletransmissionLabels,
  teletransmissionTransition,
  type TeletransmissionAction,
  type TeletransmissionStatus,
} from '../../src/domain/teletransmission.js';
import { applyTeletransmissionChange } from '../../src/stores/teletransmission.js';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily, type Family } from '../helpers/family.js';

const now = new Date('2026-11-22T09:00:00.000Z');

/** Every (status, action) pair and what it leads to; null means refused. */
const table: Record<TeletransmissionStatus, Record<TeletransmissionAction, TeletransmissionStatus | null>> = {
  inactive: {
    request_activation: 'activation_requested',
    request_deactivation: null,
    cancel_request: null,
    confirm: null,
    reject: null,
    block: 'blocked',
    unblock: null,
  },
  activation_requested: {
    request_activation: null,
    request_deactivation: null,
    cancel_request: 'inactive',
    confirm: 'active',
    reject: 'inactive',
    block: 'blocked',
    unblock: null,
  },
  active: {
    request_activation: null,
    request_deactivation: 'deactivation_requested',
    cancel_request: null,
    confirm: null,
    reject: null,
    block: 'blocked',
    unblock: null,
  },
  deactivation_requested: {
    request_activation: null,
    request_deactivation: null,
    cancel_request: 'active',
    confirm: 'inactive',
    reject: 'active',
    block: 'blocked',
    unblock: null,
  },
  blocked: { request_activation: null, request_deactivation: null, cancel_request: null, confirm: null, reject: null, block: null, unblock: 'inactive' },
};

describe('teletransmissionTransition', () => {
  test('every status and action, as the back office (staff)', () => {
    for (const status of TELETRANSMISSION_STATUSES) {
      for (const [action, expected] of Object.entries(table[status]) as [TeletransmissionAction, TeletransmissionStatus | null][]) {
        const result = teletransmissionTransition(status, action, now, 'staff');
        if (expected === null) {
          assert.equal(result.ok, false, `${status} + ${action} is refused`);
          if (!result.ok) assert.match(result.reason, /^[A-ZÀ-Ý]/, 'a French sentence');
        } else {
          assert.deepEqual(result, { ok: true, from: status, to: expected, since: '2026-11-22' }, `${status} + ${action}`);
        }
      }
    }
  });

  test('the member: activate from inactive, deactivate from active, cancel a pending request; nothing else', () => {
    assert.deepEqual(teletransmissionTransition('inactive', 'request_activation', now), {
      ok: true,
      from: 'inactive',
      to: 'activation_requested',
      since: '2026-11-22',
    });
    assert.deepEqual(teletransmissionTransition('active', 'request_deactivation', now), {
      ok: true,
      from: 'active',
      to: 'deactivation_requested',
      since: '2026-11-22',
    });
    assert.deepEqual(teletransmissionTransition('activation_requested', 'cancel_request', now), {
      ok: true,
      from: 'activation_requested',
      to: 'inactive',
      since: '2026-11-22',
    });
    assert.deepEqual(teletransmissionTransition('deactivation_requested', 'cancel_request', now), {
      ok: true,
      from: 'deactivation_requested',
      to: 'active',
      since: '2026-11-22',
    });
    for (const action of ['confirm', 'reject', 'block', 'unblock'] as const) {
      for (const status of TELETRANSMISSION_STATUSES) {
        assert.deepEqual(teletransmissionTransition(status, action, now), { ok: false, reason: TELETRANSMISSION_MESSAGES.notAllowed }, `${status} + ${action}`);
      }
    }
  });

  test('refusals say why, in French', () => {
    assert.deepEqual(teletransmissionTransition('blocked', 'request_activation', now), { ok: false, reason: TELETRANSMISSION_MESSAGES.blocked });
    assert.match(TELETRANSMISSION_MESSAGES.blocked, /autre organisme complémentaire/);
    assert.deepEqual(teletransmissionTransition('active', 'request_activation', now), { ok: false, reason: TELETRANSMISSION_MESSAGES.alreadyActive });
    assert.deepEqual(teletransmissionTransition('inactive', 'request_deactivation', now), { ok: false, reason: TELETRANSMISSION_MESSAGES.alreadyInactive });
    assert.deepEqual(teletransmissionTransition('activation_requested', 'request_activation', now), {
      ok: false,
      reason: TELETRANSMISSION_MESSAGES.activationPending,
    });
    assert.deepEqual(teletransmissionTransition('inactive', 'cancel_request', now), { ok: false, reason: TELETRANSMISSION_MESSAGES.noRequest });
    assert.deepEqual(teletransmissionTransition('n_importe_quoi', 'request_activation', now), { ok: false, reason: TELETRANSMISSION_MESSAGES.unknownStatus });
  });

  test('the date recorded is the day in Paris', () => {
    const lateEvening = new Date('2026-11-22T23:30:00.000Z');
    const result = teletransmissionTransition('inactive', 'request_activation', lateEvening);
    assert.ok(result.ok && result.since === '2026-11-23');
  });

  test('French labels, one per status', () => {
    assert.deepEqual(
      TELETRANSMISSION_STATUSES.map((s) => teletransmissionLabels[s]),
      ['Inactive', 'Activation demandée', 'Active', 'Désactivation demandée', 'Bloquée : un autre organisme complémentaire est encore rattaché'],
    );
  });

  test('memberActionFor names the button of each status', () => {
    assert.equal(memberActionFor('inactive'), 'request_activation');
    assert.equal(memberActionFor('active'), 'request_deactivation');
    assert.equal(memberActionFor('activation_requested'), 'cancel_request');
    assert.equal(memberActionFor('deactivation_requested'), 'cancel_request');
    assert.equal(memberActionFor('blocked'), null);
  });
});

describe('applyTeletransmissionChange', () => {
  let t: TestContext;
  let family: Family;
  let other: Family;
  before(async () => {
    t = await makeTestApp();
    family = await createFamily(t.db, { statements: 0 });
    other = await createFamily(t.db, { statements: 0 });
  });
  after(async () => t.close());

  test('writes the event (unprocessed) and the new status and date in one go', async () => {
    const id = family.beneficiaries.conjoint;
    const result = await applyTeletransmissionChange(t.db, now, {
      beneficiaryId: id,
      memberId: family.memberId,
      accountId: family.accountId,
      action: 'request_activation',
    });
    assert.deepEqual(result, { ok: true, from: 'inactive', to: 'activation_requested', since: '2026-11-22' });
    const row = await t.db('beneficiaries').where({ id }).first();
    assert.equal(row.teletransmission_status, 'activation_requested');
    assert.equal(row.teletransmission_since, '2026-11-22');
    const events = await t.db('teletransmission_events').where({ beneficiary_id: id });
    assert.equal(events.length, 1);
    assert.equal(events[0].from_status, 'inactive');
    assert.equal(events[0].to_status, 'activation_requested');
    assert.equal(events[0].at, now.toISOString());
    assert.equal(events[0].account_id, family.accountId);
    assert.equal(events[0].processed_at, null);
  });

  test('a refused change writes nothing', async () => {
    const id = family.beneficiaries.conjoint;
    const before = await t.db('teletransmission_events').where({ beneficiary_id: id }).count({ n: '*' }).first();
    const result = await applyTeletransmissionChange(t.db, now, {
      beneficiaryId: id,
      memberId: family.memberId,
      accountId: family.accountId,
      action: 'request_activation',
    });
    assert.equal(result.ok, false);
    const afterCount = await t.db('teletransmission_events').where({ beneficiary_id: id }).count({ n: '*' }).first();
    assert.equal(Number(afterCount!.n), Number(before!.n));
  });

  test("another family's beneficiary is not found", async () => {
    const result = await applyTeletransmissionChange(t.db, now, {
      beneficiaryId: other.beneficiaries.enfant1,
      memberId: family.memberId,
      accountId: family.accountId,
      action: 'request_activation',
    });
    assert.deepEqual(result, { ok: false, reason: 'not_found' });
    assert.equal((await t.db('beneficiaries').where({ id: other.beneficiaries.enfant1 }).first()).teletransmission_status, 'inactive');
  });

  test('a back-office decision settles the pending requests', async () => {
    const id = family.beneficiaries.conjoint;
    const staffId = family.accountId; // any account id: the column only records who processed
    const result = await applyTeletransmissionChange(t.db, now, { beneficiaryId: id, accountId: staffId, action: 'confirm', actor: 'staff' });
    assert.ok(result.ok && result.to === 'active');
    const pending = await t.db('teletransmission_events').where({ beneficiary_id: id }).whereNull('processed_at');
    assert.equal(pending.length, 0);
  });
});

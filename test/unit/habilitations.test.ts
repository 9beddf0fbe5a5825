import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HABILITATION_MESSAGES,
  hrUserState,
  mayChangeIdentity,
  refuseAccessChange,
  type AccessChange,
  type HrUserAction,
} from '../../src/domain/habilitations.js';
import { assertIncludes } from '../helpers/assertions.js';

const base: AccessChange = { companyId: 1, companyName: 'Alpha', from: 'user', fromStatus: 'active', to: 'admin', toStatus: 'active', activeAdmins: 2 };
const actor = { id: 10, adminOf: [1] };

describe('refuseAccessChange', () => {
  test('an administrator changes the role of someone else on their company', () => {
    assert.equal(refuseAccessChange(base, actor, 20), null);
  });
  test('no change is never refused', () => {
    assert.equal(refuseAccessChange({ ...base, to: 'user' }, { id: 10, adminOf: [] }, 10), null);
  });
  test('only on companies the actor administers', () => {
    assert.equal(refuseAccessChange({ ...base, companyId: 2 }, actor, 20), HABILITATION_MESSAGES.notAdministrator);
  });
  test('nobody changes their own access', () => {
    assert.equal(refuseAccessChange({ ...base, from: 'admin', to: 'user' }, actor, 10), HABILITATION_MESSAGES.self);
  });
  test('the last active administrator is never demoted, suspended or removed', () => {
    const last = { ...base, from: 'admin' as const, activeAdmins: 1 };
    for (const to of [
      { to: 'user' as const, toStatus: 'active' as const },
      { to: 'admin' as const, toStatus: 'suspended' as const },
      { to: 'none' as const, toStatus: null },
    ]) {
      assert.equal(refuseAccessChange({ ...last, ...to }, actor, 20), HABILITATION_MESSAGES.lastAdmin('Alpha'));
    }
    assert.equal(refuseAccessChange({ ...last, activeAdmins: 2, to: 'none', toStatus: null }, actor, 20), null);
    // A suspended administrator is not counted as active: removing them is fine.
    assert.equal(refuseAccessChange({ ...last, fromStatus: 'suspended', to: 'none', toStatus: null }, actor, 20), null);
  });
});

describe('hrUserState: the status shown', () => {
  test('invited, active, suspended everywhere, disabled', () => {
    assert.equal(hrUserState('pending', ['active']).label, 'Invitation envoyée');
    assert.equal(hrUserState('active', ['active', 'suspended']).label, 'Actif');
    assert.equal(hrUserState('active', ['suspended', 'suspended']).label, 'Suspendu');
    assert.equal(hrUserState('disabled', ['active']).label, 'Désactivé');
  });
});

describe('mayChangeIdentity', () => {
  test('only an administrator of every company the account reaches', () => {
    const cases: [number[], number[], boolean][] = [
      // [actor administers, account reaches, may change names / email / mobile]
      [[1], [1], true],
      [[1, 2], [1], true],
      [[1, 2], [1, 2], true],
      [[1, 2], [2, 1], true],
      // Issue #11 A1: rh.admin (Verdier, Horizon) and an account that also reaches Ponant.
      [[1, 2], [1, 3], false],
      [[1], [1, 2], false],
      [[1], [3], false],
      [[], [1], false],
      // An account that reaches nothing is no administrator's to describe.
      [[1], [], false],
    ];
    for (const [adminOf, reachable, expected] of cases) {
      assert.equal(mayChangeIdentity(adminOf, reachable), expected, `${JSON.stringify(adminOf)} / ${JSON.stringify(reachable)}`);
    }
  });
});

describe('hrUserState: the status shown and the actions offered agree in every state', () => {
  const rows: [string, string[], string, string, HrUserAction[]][] = [
    // account, habilitations on the admin's companies → code, label, actions (in menu order)
    ['pending', ['active'], 'invited', 'Invitation envoyée', ['modify', 'resend_link', 'suspend', 'remove']],
    ['pending', ['active', 'active'], 'invited', 'Invitation envoyée', ['modify', 'resend_link', 'suspend', 'remove']],
    ['pending', ['active', 'suspended'], 'invited', 'Invitation envoyée', ['modify', 'resend_link', 'suspend', 'reactivate', 'remove']],
    // Issue #11 B3: suspended before creating the password.
    ['pending', ['suspended'], 'invited_suspended', 'Invitation suspendue', ['modify', 'reactivate', 'remove']],
    ['pending', ['suspended', 'suspended'], 'invited_suspended', 'Invitation suspendue', ['modify', 'reactivate', 'remove']],
    ['active', ['active'], 'active', 'Actif', ['modify', 'suspend', 'remove']],
    ['active', ['suspended', 'active'], 'active', 'Actif', ['modify', 'suspend', 'reactivate', 'remove']],
    ['active', ['suspended'], 'suspended', 'Suspendu', ['modify', 'reactivate', 'remove']],
    ['active', ['suspended', 'suspended'], 'suspended', 'Suspendu', ['modify', 'reactivate', 'remove']],
    ['disabled', ['active'], 'disabled', 'Désactivé', ['remove']],
    ['disabled', ['suspended'], 'disabled', 'Désactivé', ['remove']],
    ['suspended', ['active'], 'disabled', 'Désactivé', ['remove']],
  ];
  for (const [account, habilitations, code, label, actions] of rows) {
    test(`${account} with ${habilitations.join(' + ')} → ${label}`, () => {
      const state = hrUserState(account, habilitations);
      assert.deepEqual(state, { code, label, actions });
    });
  }

  test('every state keeps its own invariants', () => {
    for (const [account, habilitations] of rows) {
      const { code, actions } = hrUserState(account, habilitations);
      const anyActive = habilitations.includes('active');
      const anySuspended = habilitations.includes('suspended');
      const open = account === 'pending' || account === 'active';
      // « Désactiver provisoirement » only with something active to suspend, « Réactiver » only with something suspended.
      assert.equal(actions.includes('suspend'), open && anyActive, code);
      assert.equal(actions.includes('reactivate'), open && anySuspended, code);
      // A status saying suspended never offers to suspend again, and always offers to reactivate.
      if (code.endsWith('suspended')) assert.ok(!actions.includes('suspend') && actions.includes('reactivate'), code);
      // A new password link only for an invitation that can be used.
      assert.equal(actions.includes('resend_link'), code === 'invited', code);
      assertIncludes(actions, 'remove');
    }
  });
});

// The rules of « Comptes » (src/domain/staff-accounts.ts): the actions each status offers, never
// oneself, never the last active superviseur.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { refuseStaffAction, STAFF_MESSAGES, staffActions } from '../../src/domain/staff-accounts.js';

const ACTOR = 1;
const supervisor = { id: 2, status: 'active', role: 'superviseur' } as const;

describe('staff account rules', () => {
  test('the actions of each status; none on oneself', () => {
    assert.deepEqual(staffActions('pending', false), ['role', 'resend', 'deactivate']);
    assert.deepEqual(staffActions('active', false), ['role', 'suspend', 'deactivate']);
    assert.deepEqual(staffActions('suspended', false), ['role', 'reactivate', 'deactivate']);
    assert.deepEqual(staffActions('disabled', false), []);
    assert.deepEqual(staffActions('active', true), []);
  });

  test('never oneself', () => {
    for (const action of ['suspend', 'deactivate', 'role'] as const)
      assert.equal(refuseStaffAction(action, { ...supervisor, id: ACTOR }, ACTOR, 5, 'gestionnaire'), STAFF_MESSAGES.self);
  });

  test('the last active superviseur is never suspended, deactivated or demoted; with another one it is', () => {
    for (const action of ['suspend', 'deactivate', 'role'] as const) {
      assert.equal(refuseStaffAction(action, supervisor, ACTOR, 1, 'gestionnaire'), STAFF_MESSAGES.lastSupervisor, action);
      assert.equal(refuseStaffAction(action, supervisor, ACTOR, 2, 'gestionnaire'), null, action);
    }
    // A suspended superviseur is not counted: deactivating them leaves the active ones as they are.
    assert.equal(refuseStaffAction('deactivate', { ...supervisor, status: 'suspended' }, ACTOR, 1), null);
    // Promoting is always possible.
    assert.equal(refuseStaffAction('role', { id: 3, status: 'active', role: 'gestionnaire' }, ACTOR, 1, 'superviseur'), null);
  });

  test('an action its status does not offer, and the same role again, are refused', () => {
    assert.equal(refuseStaffAction('reactivate', supervisor, ACTOR, 3), STAFF_MESSAGES.notAllowed('Actif'));
    assert.equal(refuseStaffAction('suspend', { ...supervisor, status: 'disabled' }, ACTOR, 3), STAFF_MESSAGES.notAllowed('Désactivé'));
    assert.equal(refuseStaffAction('role', supervisor, ACTOR, 3, 'superviseur'), STAFF_MESSAGES.sameRole);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HABILITATION_MESSAGES, hrUserStatus, refuseAccessChange, type AccessChange } from '../../src/domain/habilitations.js';

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

describe('hrUserStatus', () => {
  test('invited, active, suspended everywhere, disabled', () => {
    assert.equal(hrUserStatus('pending', ['active']).label, 'Invitation envoyée');
    assert.equal(hrUserStatus('active', ['active', 'suspended']).label, 'Actif');
    assert.equal(hrUserStatus('active', ['suspended', 'suspended']).label, 'Suspendu');
    assert.equal(hrUserStatus('disabled', ['active']).label, 'Désactivé');
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { silentTeletransmissions, type NoemieCheckBeneficiary } from '../../src/domain/noemie-check.js';

// Today 05/12/2026: the period of 4 months starts on 05/08/2026 (a décompte of that day is outside it).
const today = '2026-12-05';

function person(id: number, lastStatementDate: string | null, more: Partial<NoemieCheckBeneficiary> = {}): NoemieCheckBeneficiary {
  return { id, teletransmissionStatus: 'active', teletransmissionSince: '2024-02-01', startDate: '2023-01-01', endDate: null, lastStatementDate, ...more };
}

const ids = (list: NoemieCheckBeneficiary[], on = today) => [...silentTeletransmissions(list, on)].sort();

describe('NOEMIE check: active télétransmission without a décompte for 4 months', () => {
  test('warned when the others of the family have décomptes in the period', () => {
    assert.deepEqual(ids([person(1, '2026-11-20'), person(2, '2026-05-02'), person(3, '2026-10-01')]), [2]);
  });

  test('a beneficiary who never had a décompte is warned about too', () => {
    assert.deepEqual(ids([person(1, '2026-11-20'), person(2, null)]), [2]);
  });

  test('exactly 4 months: a décompte dated 05/08/2026 is outside the period, one of 06/08/2026 inside', () => {
    assert.deepEqual(ids([person(1, '2026-11-20'), person(2, '2026-08-05')]), [2]);
    assert.deepEqual(ids([person(1, '2026-11-20'), person(2, '2026-08-06')]), []);
  });

  test('the others count only with a décompte inside the period', () => {
    assert.deepEqual(ids([person(1, '2026-08-06'), person(2, '2026-01-10')]), [2]);
    assert.deepEqual(ids([person(1, '2026-08-05'), person(2, '2026-01-10')]), [], 'nobody had a décompte in the period: nothing to compare with');
  });

  test('no warning when no other beneficiary has a décompte in the period', () => {
    assert.deepEqual(ids([person(1, '2026-03-01'), person(2, null), person(3, '2026-07-31')]), []);
  });

  test('a family of one is never warned about', () => {
    assert.deepEqual(ids([person(1, null)]), []);
  });

  test('only active télétransmission is checked', () => {
    for (const status of ['inactive', 'activation_requested', 'deactivation_requested', 'blocked']) {
      assert.deepEqual(ids([person(1, '2026-11-20'), person(2, '2026-01-10', { teletransmissionStatus: status })]), [], status);
    }
  });

  test('an inactive beneficiary with décomptes makes an active one without décomptes stand out', () => {
    assert.deepEqual(ids([person(1, '2026-11-20', { teletransmissionStatus: 'inactive' }), person(2, '2026-01-10')]), [2]);
  });

  test('a beneficiary affiliated less than 4 months ago is not warned about; exactly 4 months ago, yes', () => {
    assert.deepEqual(ids([person(1, '2026-11-20'), person(2, null, { startDate: '2026-08-06' })]), []);
    assert.deepEqual(ids([person(1, '2026-11-20'), person(2, null, { startDate: '2026-08-05' })]), [2]);
  });

  test('télétransmission active for less than 4 months: not yet', () => {
    assert.deepEqual(ids([person(1, '2026-11-20'), person(2, '2026-01-10', { teletransmissionSince: '2026-09-15' })]), []);
    assert.deepEqual(ids([person(1, '2026-11-20'), person(2, '2026-01-10', { teletransmissionSince: null })]), [2], 'an unknown start does not hide it');
  });

  test('a beneficiary whose cover has ended is not warned about; cover ending today still is', () => {
    assert.deepEqual(ids([person(1, '2026-11-20'), person(2, '2026-01-10', { endDate: '2026-12-04' })]), []);
    assert.deepEqual(ids([person(1, '2026-11-20'), person(2, '2026-01-10', { endDate: today })]), [2]);
  });

  test('the period counts calendar months, clamped to the end of the month', () => {
    // 30/06/2026 - 4 months = 28/02/2026.
    assert.deepEqual(ids([person(1, '2026-06-01'), person(2, '2026-02-28')], '2026-06-30'), [2]);
    assert.deepEqual(ids([person(1, '2026-06-01'), person(2, '2026-03-01')], '2026-06-30'), []);
  });
});

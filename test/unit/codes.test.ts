import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CODE_MAX_ATTEMPTS,
  codeErrorMessage,
  codeMatches,
  codeSubject,
  RESEND_WAIT_SECONDS,
  resendWaitSeconds,
  unusableCodeResult,
  wrongCodeResult,
} from '../../src/domain/codes.js';
import { hashCode } from '../../src/domain/secrets.js';

const SECRET = 'secret-de-test-secret-de-test-32c';
const NOW = new Date('2026-11-22T09:00:00.000Z');

test('a code replaces those of the same journey for the account, else the member, else the destination', () => {
  assert.deepEqual(codeSubject({ purpose: 'login_2fa', accountId: 4, memberId: 9, destination: '+33612345678' }), { purpose: 'login_2fa', account_id: 4 });
  assert.deepEqual(codeSubject({ purpose: 'activation', accountId: null, memberId: 9, destination: 'a@example.fr' }), { purpose: 'activation', member_id: 9 });
  assert.deepEqual(codeSubject({ purpose: 'activation', destination: 'a@example.fr' }), { purpose: 'activation', destination: 'a@example.fr' });
});

test('a new code at most once a minute: the wait is what is left of the minute, rounded up', () => {
  assert.equal(resendWaitSeconds(undefined, NOW), 0, 'no previous code');
  assert.equal(resendWaitSeconds('2026-11-22T09:00:00.000Z', NOW), 60);
  assert.equal(resendWaitSeconds('2026-11-22T08:59:30.500Z', NOW), 31);
  assert.equal(resendWaitSeconds('2026-11-22T08:59:00.001Z', NOW), 1);
  assert.equal(resendWaitSeconds('2026-11-22T08:59:00.000Z', NOW), 0, 'a minute old: a new code may go');
  assert.equal(RESEND_WAIT_SECONDS, 60);
});

test('the typed code matches its keyed hash, spaces allowed, 6 digits only', () => {
  const hash = hashCode(SECRET, '042137');
  assert.equal(codeMatches(SECRET, '042137', hash), true);
  assert.equal(codeMatches(SECRET, ' 042 137 ', hash), true);
  assert.equal(codeMatches(SECRET, '042138', hash), false);
  assert.equal(codeMatches(SECRET, '42137', hash), false);
  assert.equal(codeMatches('another-secret-another-secret-32c', '042137', hash), false, 'the hash is keyed by the server secret');
  assert.equal(codeMatches(SECRET, '04213a', hashCode(SECRET, '04213a')), false, 'not digits');
});

test('a wrong code tells the tries left, then that the code is spent', () => {
  assert.deepEqual(wrongCodeResult(1), { status: 'wrong', attemptsLeft: CODE_MAX_ATTEMPTS - 1 });
  assert.deepEqual(wrongCodeResult(CODE_MAX_ATTEMPTS - 1), { status: 'wrong', attemptsLeft: 1 });
  assert.deepEqual(wrongCodeResult(CODE_MAX_ATTEMPTS), { status: 'exhausted' });
});

test('a code that could not be tried: used first, then out of tries, else expired', () => {
  assert.deepEqual(unusableCodeResult({ consumed_at: '2026-11-22T08:58:00.000Z', attempts: CODE_MAX_ATTEMPTS }), { status: 'used' });
  assert.deepEqual(unusableCodeResult({ consumed_at: null, attempts: String(CODE_MAX_ATTEMPTS) }), { status: 'exhausted' }, 'PostgreSQL may give a string');
  assert.deepEqual(unusableCodeResult({ consumed_at: null, attempts: 2 }), { status: 'expired' });
});

test('French messages for a refused code', () => {
  assert.equal(codeErrorMessage({ status: 'wrong', attemptsLeft: 1 }), 'Code incorrect. Il vous reste 1 essai.');
  assert.equal(codeErrorMessage({ status: 'wrong', attemptsLeft: 3 }), 'Code incorrect. Il vous reste 3 essais.');
  assert.match(codeErrorMessage({ status: 'expired' }), /a expiré \(il est valable 10 minutes\)/);
  assert.match(codeErrorMessage({ status: 'exhausted' }), /^Trop de codes erronés/);
  assert.match(codeErrorMessage({ status: 'used' }), /^Ce code n'est plus valable/);
});

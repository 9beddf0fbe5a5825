import { test } from 'node:test';
import assert from 'node:assert/strict';
import { POSTAL_MESSAGES, validatePostalCode } from '../../src/domain/postal.js';

test('validatePostalCode accepts metropolitan, Corsican and overseas codes', () => {
  for (const code of ['01000', '75001', '13008', '20000', '20200', '95000', '97100', '97411', '97600', '97500', '98000', '98600', '98714', '98800']) {
    assert.deepEqual(validatePostalCode(code), { ok: true, postalCode: code }, code);
  }
});

test('validatePostalCode keeps leading zeros and strips spaces', () => {
  assert.deepEqual(validatePostalCode(' 01 000 '), { ok: true, postalCode: '01000' });
});

test('validatePostalCode rejects impossible codes', () => {
  for (const code of ['00100', '00000', '96000', '97000', '97700', '98100', '99000', '7500', '750011', '7500A', '1000']) {
    assert.deepEqual(validatePostalCode(code), { ok: false, error: 'Le code postal est invalide.' }, code);
  }
  assert.deepEqual(validatePostalCode(''), { ok: false, error: POSTAL_MESSAGES.required });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSiret, generateSiren, generateSiret, luhn, luhnCompleteDigit, SIRET_MESSAGES, validateSiren, validateSiret } from '../../src/domain/siret.js';

test('luhn accepts valid numbers and rejects one changed digit', () => {
  assert.equal(luhn('732829320'), true);
  assert.equal(luhn('73282932000074'), true);
  assert.equal(luhn('732829321'), false);
  assert.equal(luhn('73282932000075'), false);
  assert.equal(luhn('79927398713'), true);
  assert.equal(luhn(''), false);
  assert.equal(luhn('12a4'), false);
});

test('luhnCompleteDigit gives the digit that makes the number pass', () => {
  assert.equal(luhnCompleteDigit('73282932'), '0');
  assert.equal(luhnCompleteDigit('7992739871'), '3');
  for (const partial of ['1', '12345678', '1234567800012', '000000000']) {
    assert.equal(luhn(partial + luhnCompleteDigit(partial)), true, partial);
  }
});

test('validateSiren normalizes spaces and checks Luhn', () => {
  assert.deepEqual(validateSiren('732 829 320'), { ok: true, siren: '732829320' });
  assert.deepEqual(validateSiren('732829321'), { ok: false, error: SIRET_MESSAGES.sirenInvalid });
  assert.deepEqual(validateSiren('73282932'), { ok: false, error: SIRET_MESSAGES.sirenLength });
  assert.deepEqual(validateSiren('73282932A'), { ok: false, error: SIRET_MESSAGES.sirenLength });
  assert.deepEqual(validateSiren(''), { ok: false, error: SIRET_MESSAGES.sirenRequired });
});

test('validateSiret accepts a valid SIRET and splits SIREN and NIC', () => {
  assert.deepEqual(validateSiret('732 829 320 00074'), {
    ok: true,
    siret: '73282932000074',
    siren: '732829320',
    nic: '00074',
  });
  // Dots are a grouping too (some spreadsheets and letters print them).
  assert.equal((validateSiret('732.829.320.00074') as { siret: string }).siret, '73282932000074');
});

test('validateSiret rejects Luhn failures and wrong lengths', () => {
  assert.deepEqual(validateSiret('73282932000075'), { ok: false, error: 'Le numéro de SIRET est invalide.' });
  assert.deepEqual(validateSiret('7328293200007'), { ok: false, error: SIRET_MESSAGES.siretLength });
  assert.deepEqual(validateSiret('732829320000744'), { ok: false, error: SIRET_MESSAGES.siretLength });
});

test('validateSiret rejects a 14-digit Luhn number whose SIREN part is invalid', () => {
  // 732829321 fails Luhn; complete a NIC so the 14 digits pass on their own.
  const siret = '7328293210007' + luhnCompleteDigit('7328293210007');
  assert.equal(luhn(siret), true);
  assert.deepEqual(validateSiret(siret), { ok: false, error: SIRET_MESSAGES.siretInvalid });
});

test('La Poste head office passes Luhn', () => {
  assert.equal(luhn('35600000000048'), true);
  assert.ok(validateSiret('356 000 000 00048').ok);
});

test('La Poste SIRETs are valid when their digit sum is a multiple of 5', () => {
  // Digit sum 3+5+6+1 = 15, and it fails plain Luhn.
  const sumOnly = '35600000000001';
  assert.equal(luhn(sumOnly), false);
  assert.deepEqual(validateSiret(sumOnly), {
    ok: true,
    siret: sumOnly,
    siren: '356000000',
    nic: '00001',
  });
  // Digit sum 16: neither rule holds.
  assert.equal(luhn('35600000000002'), false);
  assert.deepEqual(validateSiret('35600000000002'), { ok: false, error: SIRET_MESSAGES.siretInvalid });
});

test('the sum-of-5 rule only applies to La Poste', () => {
  // Another SIREN with a NIC making the digit sum a multiple of 5 but failing Luhn.
  const siret = '73282932000004';
  assert.equal(luhn(siret), false);
  assert.equal([...siret].reduce((sum, c) => sum + Number(c), 0) % 5, 0);
  assert.equal(validateSiret(siret).ok, false);
});

test('generateSiren and generateSiret build valid numbers for seed data', () => {
  const siren = generateSiren('12345678');
  assert.equal(siren.length, 9);
  assert.ok(validateSiren(siren).ok);
  const siret = generateSiret(siren, '0002');
  assert.equal(siret.slice(0, 13), siren + '0002');
  assert.ok(validateSiret(siret).ok);
  assert.ok(validateSiret(generateSiret(siren)).ok);
  assert.throws(() => generateSiren('1234567'), RangeError);
  assert.throws(() => generateSiret(siren, '12'), RangeError);
});

test('formatSiret prints a SIRET as INSEE does: 3 3 3 5', () => {
  assert.equal(formatSiret('73282932000074'), '732 829 320 00074');
});

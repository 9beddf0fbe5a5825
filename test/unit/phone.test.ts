import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPhone, isFrenchMobile, maskPhone, parsePhone, PHONE_MESSAGES, validateMobile, validatePhone } from '../../src/domain/phone.js';

test('parsePhone reads national, +33 and 0033 forms with any separators', () => {
  for (const input of [
    '0612345678',
    '06 12 34 56 78',
    '06.12.34.56.78',
    '06-12-34-56-78',
    '+33612345678',
    '+33 6 12 34 56 78',
    '+33 (0)6 12 34 56 78',
    '0033 6 12 34 56 78',
    ' 06 12 34 56 78 ',
  ]) {
    assert.equal(parsePhone(input), '+33612345678', input);
  }
  assert.equal(parsePhone('01 23 45 67 89'), '+33123456789');
  assert.equal(parsePhone('09 51 23 45 67'), '+33951234567');
});

test('parsePhone rejects wrong lengths, foreign numbers and unallocated ranges', () => {
  for (const input of [
    '061234567',
    '06123456789',
    '6123456789',
    '0012345678',
    '+44 7911 123456',
    '+3361234567',
    '08 00 12 34 56',
    '07 12 34 56 78',
    '06 12 34 56 7a',
    '',
  ]) {
    assert.equal(parsePhone(input), null, input);
  }
});

test('overseas numbers get their own country code', () => {
  assert.equal(parsePhone('0690 12 34 56'), '+590690123456');
  assert.equal(parsePhone('0692 12 34 56'), '+262692123456');
  assert.equal(parsePhone('0639 12 34 56'), '+262639123456');
  assert.equal(parsePhone('0596 12 34 56'), '+596596123456');
  assert.equal(parsePhone('+590 690 12 34 56'), '+590690123456');
  assert.equal(parsePhone('+33 690 12 34 56'), '+590690123456');
  // +590 is only Guadeloupe's ranges.
  assert.equal(parsePhone('+590 6 12 34 56 78'), null);
});

test('isFrenchMobile accepts 06 and 073-079 only', () => {
  assert.equal(isFrenchMobile('06 12 34 56 78'), true);
  assert.equal(isFrenchMobile('+33612345678'), true);
  for (const prefix of ['073', '075', '079']) {
    assert.equal(isFrenchMobile(`${prefix}1234567`), true, prefix);
  }
  for (const prefix of ['070', '071', '072']) {
    assert.equal(isFrenchMobile(`${prefix}1234567`), false, prefix);
  }
  assert.equal(isFrenchMobile('07 20 12 34 56'), false);
  assert.equal(isFrenchMobile('01 23 45 67 89'), false);
  assert.equal(isFrenchMobile('0690 12 34 56'), true);
});

test('validateMobile returns E.164 or the French message', () => {
  assert.deepEqual(validateMobile('07 81 23 45 67'), { ok: true, e164: '+33781234567' });
  assert.deepEqual(validateMobile('01 23 45 67 89'), {
    ok: false,
    error: 'Le numéro de téléphone mobile est invalide.',
  });
  assert.deepEqual(validateMobile('07 21 23 45 67'), { ok: false, error: PHONE_MESSAGES.mobileInvalid });
  assert.deepEqual(validateMobile(' '), { ok: false, error: PHONE_MESSAGES.mobileRequired });
});

test('validatePhone accepts landlines and mobiles', () => {
  assert.deepEqual(validatePhone('01 23 45 67 89'), { ok: true, e164: '+33123456789' });
  assert.deepEqual(validatePhone('06 12 34 56 78'), { ok: true, e164: '+33612345678' });
  assert.deepEqual(validatePhone('12 34'), { ok: false, error: PHONE_MESSAGES.phoneInvalid });
  assert.deepEqual(validatePhone(''), { ok: false, error: PHONE_MESSAGES.phoneRequired });
});

test('formatPhone shows the national format in pairs', () => {
  assert.equal(formatPhone('+33612345678'), '06 12 34 56 78');
  assert.equal(formatPhone('+590690123456'), '06 90 12 34 56');
  assert.equal(formatPhone('not a phone'), 'not a phone');
});

test('maskPhone keeps the first and last pairs', () => {
  assert.equal(maskPhone('+33612345678'), '06 •• •• •• 78');
  assert.equal(maskPhone('+33781234567'), '07 •• •• •• 67');
  assert.equal(maskPhone('garbage'), '•• •• •• •• ••');
});

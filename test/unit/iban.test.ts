import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIban, IBAN_MESSAGES, makeFrenchIban, maskIban, mod97, normalizeIban, ribKey, validateBic, validateIban } from '../../src/domain/iban.js';

const EXAMPLE = 'FR7630006000011234567890189';

test('normalizeIban removes spaces and dashes and uppercases', () => {
  assert.equal(normalizeIban(' fr76 3000-6000 0112 3456 7890 189 '), EXAMPLE);
});

test('mod97 works piecewise on numbers far beyond 2^53', () => {
  assert.equal(mod97('3000600001123456789018' + '9' + 'FR76'), 1);
  assert.equal(mod97('97'), 0);
  assert.equal(mod97('A'), 10);
  assert.equal(mod97('123456789012345678901234567890'), Number(123456789012345678901234567890n % 97n));
});

test('validateIban accepts the French example, spaced or not', () => {
  assert.deepEqual(validateIban(EXAMPLE), { ok: true, iban: EXAMPLE });
  assert.deepEqual(validateIban('FR76 3000 6000 0112 3456 7890 189'), { ok: true, iban: EXAMPLE });
});

test('validateIban accepts common EU IBANs', () => {
  for (const iban of [
    'DE89370400440532013000',
    'BE68539007547034',
    'ES9121000418450200051332',
    'IT60X0542811101000000123456',
    'NL91ABNA0417164300',
    'GB29NWBK60161331926819',
  ]) {
    assert.ok(validateIban(iban).ok, iban);
  }
});

test('validateIban rejects one changed digit and swapped digits', () => {
  assert.deepEqual(validateIban('FR7630006000011234567890188'), { ok: false, error: "L'IBAN est invalide." });
  assert.deepEqual(validateIban('FR7630006000011234567890198'), { ok: false, error: IBAN_MESSAGES.ibanInvalid });
  assert.deepEqual(validateIban('FR7730006000011234567890189'), { ok: false, error: IBAN_MESSAGES.ibanInvalid });
  assert.deepEqual(validateIban('DE89370400440532013001'), { ok: false, error: IBAN_MESSAGES.ibanInvalid });
});

test('validateIban checks the length of the country and refuses unknown countries', () => {
  assert.deepEqual(validateIban('FR763000600001123456789018'), {
    ok: false,
    error: "L'IBAN doit comporter 27 caractères pour ce pays.",
  });
  assert.deepEqual(validateIban('XX7630006000011234567890189'), { ok: false, error: IBAN_MESSAGES.ibanCountry });
  assert.deepEqual(validateIban('FR76 3000 6000 0112 3456 7890 18!'), { ok: false, error: IBAN_MESSAGES.ibanInvalid });
  assert.deepEqual(validateIban(''), { ok: false, error: IBAN_MESSAGES.ibanRequired });
});

test('validateIban refuses check digits 00, 01 and 99 even when mod 97 holds', () => {
  // 00 ≡ 97, 01 ≡ 98 and 99 ≡ 02 mod 97: find German BBANs whose real check digits are
  // 97, 98 and 02, then write them with the aliased, never-issued digits.
  const aliases: Record<string, string> = { '97': '00', '98': '01', '02': '99' };
  const found = new Set<string>();
  for (let account = 0; account < 5000 && found.size < 3; account++) {
    const bban = '37040044' + String(account).padStart(10, '0');
    const checkDigits = String(98 - mod97(bban + 'DE00')).padStart(2, '0');
    const alias = aliases[checkDigits];
    if (alias === undefined || found.has(checkDigits)) continue;
    found.add(checkDigits);
    assert.ok(validateIban('DE' + checkDigits + bban).ok);
    const aliased = 'DE' + alias + bban;
    assert.equal(mod97(bban + aliased.slice(0, 4)), 1);
    assert.deepEqual(validateIban(aliased), { ok: false, error: IBAN_MESSAGES.ibanInvalid });
  }
  assert.equal(found.size, 3);
});

test('validateIban checks the French RIB key', () => {
  // Same bank, branch and account with a wrong RIB key, check digits recomputed so mod 97 holds.
  const bban = '30006000011234567890188';
  const checkDigits = String(98 - mod97(bban + 'FR00')).padStart(2, '0');
  const iban = 'FR' + checkDigits + bban;
  assert.equal(mod97(bban + iban.slice(0, 4)), 1);
  assert.deepEqual(validateIban(iban), { ok: false, error: IBAN_MESSAGES.ibanInvalid });
});

test('ribKey and makeFrenchIban rebuild the example', () => {
  assert.equal(ribKey('30006', '00001', '12345678901'), '89');
  assert.equal(makeFrenchIban('30006', '00001', '12345678901'), EXAMPLE);
  const withLetters = makeFrenchIban('20041', '01005', '0500013M026');
  assert.ok(validateIban(withLetters).ok, withLetters);
  assert.throws(() => makeFrenchIban('3000', '00001', '12345678901'), RangeError);
});

test('formatIban groups by four', () => {
  assert.equal(formatIban(EXAMPLE), 'FR76 3000 6000 0112 3456 7890 189');
  assert.equal(formatIban('be68539007547034'), 'BE68 5390 0754 7034');
});

test('maskIban keeps country, check digits and the last four characters', () => {
  assert.equal(maskIban(EXAMPLE), 'FR76 •••• •••• •••• •••• •••0 189');
  assert.equal(maskIban('BE68 5390 0754 7034'), 'BE68 •••• •••• 7034');
});

test('validateBic accepts 8 and 11 characters and rejects the rest', () => {
  assert.deepEqual(validateBic('bnpa frpp'), { ok: true, bic: 'BNPAFRPP' });
  assert.deepEqual(validateBic('BNPAFRPPXXX'), { ok: true, bic: 'BNPAFRPPXXX' });
  assert.deepEqual(validateBic('AGRIFRPP882'), { ok: true, bic: 'AGRIFRPP882' });
  for (const bic of ['BNPAFRP', 'BNPAFRPPXX', '1NPAFRPP', 'BNPAF1PP', 'BNPAFRPP-XX']) {
    assert.deepEqual(validateBic(bic), { ok: false, error: IBAN_MESSAGES.bicInvalid }, bic);
  }
});

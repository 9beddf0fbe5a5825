import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatNir, hasNirShape, maskNir, NIR_MESSAGES, nirKey, nirMatchesBirth, normalizeNir, validateNir } from '../../src/domain/nir.js';

test('normalizeNir strips spaces and dots and uppercases', () => {
  assert.equal(normalizeNir(' 1 90 01 2a 001 001 '), '190012A001001');
  assert.equal(normalizeNir('2.94.03.75.120.005'), '2940375120005');
});

test('nirKey matches the reference examples, Corsica included', () => {
  assert.equal(nirKey('2940375120005'), 91);
  assert.equal(nirKey('190012A001001'), 56);
  assert.equal(nirKey('190012B001001'), 83);
  assert.equal(nirKey('2951099126111'), 93);
  assert.equal(nirKey('253072B073004'), 70);
  assert.equal(nirKey('253072A073004'), 43);
});

test('nirKey refuses something that is not 13 NIR characters', () => {
  assert.throws(() => nirKey('29403751200'), RangeError);
  assert.throws(() => nirKey('190012C001001'), RangeError);
});

test('validateNir accepts 13 characters and computes the key', () => {
  assert.deepEqual(validateNir('2940375120005'), {
    ok: true,
    nir13: '2940375120005',
    key: '91',
    full15: '294037512000591',
  });
});

test('validateNir accepts the valid 15-character examples', () => {
  for (const nir of ['295109912611193', '253072B07300470', '253072A07300443']) {
    const result = validateNir(nir);
    assert.ok(result.ok, nir);
    assert.equal(result.full15, nir);
  }
  const spaced = validateNir('2 53 07 2b 073 004 70');
  assert.ok(spaced.ok);
  assert.equal(spaced.nir13, '253072B073004');
  assert.equal(spaced.key, '70');
});

test('validateNir pads keys below 10 to two digits', () => {
  assert.equal(nirKey('1850575123035'), 9);
  assert.deepEqual(validateNir('1850575123035'), {
    ok: true,
    nir13: '1850575123035',
    key: '09',
    full15: '185057512303509',
  });
  assert.ok(validateNir('185057512303509').ok);
  assert.equal(validateNir('18505751230359').ok, false);
});

test('validateNir rejects a wrong key', () => {
  assert.deepEqual(validateNir('295109912611194'), { ok: false, error: NIR_MESSAGES.key });
  assert.deepEqual(validateNir('253072B07300443'), { ok: false, error: NIR_MESSAGES.key });
  assert.equal(NIR_MESSAGES.key, 'La clé du numéro de Sécurité sociale ne correspond pas.');
});

test('validateNir rejects department 2C and 00', () => {
  assert.deepEqual(validateNir('190012C001001'), { ok: false, error: NIR_MESSAGES.department });
  assert.deepEqual(validateNir('1900100001001'), { ok: false, error: NIR_MESSAGES.department });
});

test('validateNir accepts overseas (97x) and born-abroad (99) departments', () => {
  assert.ok(validateNir('1850597101001').ok);
  assert.ok(validateNir('1850599101001').ok);
});

test('validateNir rejects a sex digit other than 1 or 2', () => {
  assert.deepEqual(validateNir('3940375120005'), { ok: false, error: NIR_MESSAGES.sex });
  assert.deepEqual(validateNir('0940375120005'), { ok: false, error: NIR_MESSAGES.sex });
});

test('validateNir rejects month 13 and 00 but accepts placeholder months 20-42 and 50-99', () => {
  assert.deepEqual(validateNir('2941375120005'), { ok: false, error: NIR_MESSAGES.month });
  assert.deepEqual(validateNir('2940075120005'), { ok: false, error: NIR_MESSAGES.month });
  assert.deepEqual(validateNir('2944375120005'), { ok: false, error: NIR_MESSAGES.month });
  for (const month of ['20', '31', '42', '50', '99']) {
    assert.ok(validateNir(`294${month}75120005`).ok, month);
  }
});

test('validateNir rejects letters outside the department', () => {
  assert.deepEqual(validateNir('29403751200A5'), { ok: false, error: NIR_MESSAGES.characters });
});

test('validateNir length rules follow the options', () => {
  assert.deepEqual(validateNir('294037512000'), { ok: false, error: NIR_MESSAGES.length13or15 });
  assert.deepEqual(validateNir('294037512000591', { allowFifteen: false }), {
    ok: false,
    error: 'Le numéro de Sécurité sociale doit comporter 13 caractères (sans espace).',
  });
  assert.deepEqual(validateNir('2940375120005', { allowThirteen: false }), {
    ok: false,
    error: NIR_MESSAGES.length15,
  });
  assert.deepEqual(validateNir('   '), { ok: false, error: NIR_MESSAGES.required });
});

test('nirMatchesBirth compares year, real months and sex', () => {
  assert.equal(nirMatchesBirth('2940375120005', '1994-03-15', 'F'), true);
  assert.equal(nirMatchesBirth('294037512000591', '1994-03-15'), true);
  assert.equal(nirMatchesBirth('2940375120005', '1994-04-15'), false);
  assert.equal(nirMatchesBirth('2940375120005', '1995-03-15'), false);
  assert.equal(nirMatchesBirth('2940375120005', '1994-03-15', 'M'), false);
  assert.equal(nirMatchesBirth('1 90 01 2A 001 001', '1990-01-20', 'M'), true);
});

test('nirMatchesBirth ignores placeholder months', () => {
  assert.equal(nirMatchesBirth('2943275120005', '1994-07-01', 'F'), true);
  assert.equal(nirMatchesBirth('2943275120005', '1993-07-01', 'F'), false);
  assert.equal(nirMatchesBirth('2940375120005', 'not a date'), false);
});

test('maskNir keeps sex, year, month and key only', () => {
  assert.equal(maskNir('295109912611193'), '2 95 10 •• ••• ••• 93');
  assert.equal(maskNir('253072B07300470'), '2 53 07 •• ••• ••• 70');
  assert.equal(maskNir('2940375120005'), '2 94 03 •• ••• •••');
});

test('formatNir groups like the carte Vitale', () => {
  assert.equal(formatNir('295109912611193'), '2 95 10 99 126 111 93');
  assert.equal(formatNir('253072a07300443'), '2 53 07 2A 073 004 43');
  assert.equal(formatNir('2940375120005'), '2 94 03 75 120 005');
});

test('hasNirShape: 13 or 15 characters, Corsica 2A/2B, nothing else', () => {
  for (const ok of ['1840575112048', '184057511204802', '18405' + '2A' + '112048', '18405' + '2B' + '11204802']) assert.equal(hasNirShape(ok), true, ok);
  for (const no of ['', '184057511204', '1840575112048021', '18405751120A8', '18405' + '2C' + '112048', 'Martin']) assert.equal(hasNirShape(no), false, no);
});

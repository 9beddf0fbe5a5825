import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEuros, formatPercent, parseEuros } from '../../src/domain/money.js';

const NBSP = '\u00A0';

test('formatEuros uses a comma and a no-break space before €', () => {
  assert.equal(formatEuros(2650), `26,50${NBSP}€`);
  assert.equal(formatEuros(0), `0,00${NBSP}€`);
  assert.equal(formatEuros(5), `0,05${NBSP}€`);
  assert.equal(formatEuros(-2650), `-26,50${NBSP}€`);
});

test('formatEuros uses U+00A0 for thousands, never U+202F', () => {
  const formatted = formatEuros(123456789);
  assert.equal(formatted, `1${NBSP}234${NBSP}567,89${NBSP}€`);
  assert.equal(formatted.includes('\u202F'), false);
});

test('formatEuros writes what Intl.NumberFormat fr-FR EUR writes, spaces as U+00A0', () => {
  const intl = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
  const expected = (cents: number) => intl.format(cents / 100).replace(/[\u202F\u2009\u2007]/g, NBSP);
  // Up to 10^15 cents: beyond, cents / 100 is not exact and Intl rounds a float that is off.
  const values = [-0];
  for (let cents = -200_000; cents <= 200_000; cents++) values.push(cents);
  for (let digits = 6; digits <= 15; digits++) {
    for (const base of [10 ** (digits - 1), 10 ** digits - 1]) values.push(base, -base, base + 7, -(base + 7));
  }
  let seed = 42;
  for (let i = 0; i < 20_000; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    values.push(Math.floor((seed / 2 ** 31) * 10 ** (1 + (i % 14))) * (i % 2 ? -1 : 1));
  }
  for (const cents of values) assert.equal(formatEuros(cents), expected(cents), String(cents));
  assert.equal(formatEuros(Number.MAX_SAFE_INTEGER), `90${NBSP}071${NBSP}992${NBSP}547${NBSP}409,91${NBSP}€`);
});

test('formatEuros refuses anything but integer cents', () => {
  assert.throws(() => formatEuros(26.5), TypeError);
  assert.throws(() => formatEuros(Number.NaN), TypeError);
});

test('parseEuros reads the usual ways of typing an amount', () => {
  assert.equal(parseEuros('26,50'), 2650);
  assert.equal(parseEuros('26.50'), 2650);
  assert.equal(parseEuros('26,5'), 2650);
  assert.equal(parseEuros('26'), 2600);
  assert.equal(parseEuros('0,05'), 5);
  assert.equal(parseEuros('1 234,56 €'), 123456);
  assert.equal(parseEuros(`1${NBSP}234,56${NBSP}€`), 123456);
  assert.equal(parseEuros('1\u202F234,56'), 123456);
  assert.equal(parseEuros('1.234,56'), 123456);
  assert.equal(parseEuros('1.234.567'), 123456700);
  assert.equal(parseEuros('12 EUR'), 1200);
  assert.equal(parseEuros('0,10'), 10);
  assert.equal(parseEuros('0.29'), 29);
});

test('parseEuros rejects what is not a positive amount with two decimals at most', () => {
  for (const input of ['', 'abc', '26,505', '-5', '1,234.56', '1,234', '26,', ',50', '26,50,10', '€', '12.34.5']) {
    assert.equal(parseEuros(input), null, input);
  }
});

test('formatPercent shows a percentage with a no-break space', () => {
  assert.equal(formatPercent(70), `70${NBSP}%`);
  assert.equal(formatPercent(12.5), `12,5${NBSP}%`);
  assert.equal(formatPercent(1000), `1${NBSP}000${NBSP}%`);
  assert.equal(formatPercent(33.333), `33,33${NBSP}%`);
  assert.equal(formatPercent(33.333, 0), `33${NBSP}%`);
});

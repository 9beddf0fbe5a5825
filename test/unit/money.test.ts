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

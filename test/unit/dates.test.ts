import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { viewHelpers } from '../../src/views.js';
import {
  addDays,
  addMonths,
  ageOn,
  DATE_MESSAGES,
  daysInMonth,
  formatDateFr,
  formatDateTimeFr,
  isIsoDate,
  isLeapYear,
  isoToday,
  parseFrenchDate,
  validateFrenchDate,
} from '../../src/domain/dates.js';

test('parseFrenchDate reads jj/mm/aaaa and ISO', () => {
  assert.equal(parseFrenchDate('15/03/1994'), '1994-03-15');
  assert.equal(parseFrenchDate('1/3/1994'), '1994-03-01');
  assert.equal(parseFrenchDate('15.03.1994'), '1994-03-15');
  assert.equal(parseFrenchDate(' 1994-03-15 '), '1994-03-15');
});

test('parseFrenchDate rejects impossible dates', () => {
  assert.equal(parseFrenchDate('31/02/2024'), null);
  assert.equal(parseFrenchDate('29/02/2024'), '2024-02-29');
  assert.equal(parseFrenchDate('29/02/2023'), null);
  assert.equal(parseFrenchDate('2023-02-29'), null);
  assert.equal(parseFrenchDate('29/02/2000'), '2000-02-29');
  assert.equal(parseFrenchDate('29/02/1900'), null);
  assert.equal(parseFrenchDate('31/04/2024'), null);
  assert.equal(parseFrenchDate('00/01/2024'), null);
  assert.equal(parseFrenchDate('01/13/2024'), null);
});

test('parseFrenchDate rejects ambiguous or malformed input', () => {
  for (const input of ['01/02/24', '15/03-1994', '1994/03/15', '15 mars 1994', '', '15/03/0198', '2024-2-1']) {
    assert.equal(parseFrenchDate(input), null, input);
  }
});

test('validateFrenchDate returns the French message', () => {
  assert.deepEqual(validateFrenchDate('29/02/2024'), { ok: true, iso: '2024-02-29' });
  assert.deepEqual(validateFrenchDate('31/02/2024'), {
    ok: false,
    error: 'La date est invalide (format jj/mm/aaaa).',
  });
  assert.deepEqual(validateFrenchDate(''), { ok: false, error: DATE_MESSAGES.required });
});

test('leap years and month lengths', () => {
  assert.equal(isLeapYear(2024), true);
  assert.equal(isLeapYear(2023), false);
  assert.equal(isLeapYear(1900), false);
  assert.equal(isLeapYear(2000), true);
  assert.equal(daysInMonth(2024, 2), 29);
  assert.equal(daysInMonth(2023, 2), 28);
  assert.equal(daysInMonth(2024, 4), 30);
  assert.equal(isIsoDate('2024-02-29'), true);
  assert.equal(isIsoDate('2023-02-29'), false);
});

test('formatDateFr shows jj/mm/aaaa', () => {
  assert.equal(formatDateFr('2024-02-29'), '29/02/2024');
  assert.equal(formatDateFr('1994-03-05T10:00:00Z'), '05/03/1994');
  assert.equal(formatDateFr('n/a'), 'n/a');
});

test('formatDateTimeFr converts to Paris time, winter and summer', () => {
  assert.equal(formatDateTimeFr('2024-01-15T09:05:00Z'), '15/01/2024 à 10:05');
  assert.equal(formatDateTimeFr('2024-07-15T09:05:00Z'), '15/07/2024 à 11:05');
  assert.equal(formatDateTimeFr('2024-12-31T23:30:00Z'), '01/01/2025 à 00:30');
  assert.equal(formatDateTimeFr(new Date(Date.UTC(2024, 0, 15, 9, 5))), '15/01/2024 à 10:05');
  assert.equal(formatDateTimeFr('2024-07-15T11:05:00+02:00'), '15/07/2024 à 11:05');
});

test('formatDateTimeFr: the same minute twice, then the next minute and the one before, each right (the last minute is remembered)', () => {
  assert.equal(formatDateTimeFr('2024-03-31T00:59:10Z'), '31/03/2024 à 01:59');
  assert.equal(formatDateTimeFr('2024-03-31T00:59:50Z'), '31/03/2024 à 01:59');
  // The spring change: 02:00 in Paris is 03:00.
  assert.equal(formatDateTimeFr('2024-03-31T01:00:00Z'), '31/03/2024 à 03:00');
  assert.equal(formatDateTimeFr('2024-03-31T00:59:59Z'), '31/03/2024 à 01:59');
});

test('formatDateTimeFr reads zone-less SQLite timestamps as UTC', () => {
  assert.equal(formatDateTimeFr('2024-01-15 09:05:00'), '15/01/2024 à 10:05');
  assert.equal(formatDateTimeFr('2024-01-15T09:05'), '15/01/2024 à 10:05');
  assert.equal(formatDateTimeFr('garbage'), 'garbage');
});

test('isoToday uses the Paris calendar day', () => {
  assert.equal(
    isoToday(() => new Date('2024-06-30T22:30:00Z')),
    '2024-07-01',
  );
  assert.equal(
    isoToday(() => new Date('2024-01-15T12:00:00Z')),
    '2024-01-15',
  );
  assert.match(isoToday(), /^\d{4}-\d{2}-\d{2}$/);
});

test('addMonths clamps to the end of the month', () => {
  assert.equal(addMonths('2024-01-31', 1), '2024-02-29');
  assert.equal(addMonths('2023-01-31', 1), '2023-02-28');
  assert.equal(addMonths('2024-03-15', 12), '2025-03-15');
  assert.equal(addMonths('2024-11-30', 3), '2025-02-28');
  assert.equal(addMonths('2024-03-31', -1), '2024-02-29');
  assert.equal(addMonths('2024-01-15', -13), '2022-12-15');
  assert.throws(() => addMonths('31/01/2024', 1), RangeError);
});

test('addDays crosses months, years and daylight-saving changes', () => {
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addDays('2024-12-31', 1), '2025-01-01');
  assert.equal(addDays('2024-03-30', 2), '2024-04-01');
  assert.equal(addDays('2024-03-01', -1), '2024-02-29');
});

test('ageOn counts whole years', () => {
  assert.equal(ageOn('1994-03-15', '2024-03-14'), 29);
  assert.equal(ageOn('1994-03-15', '2024-03-15'), 30);
  assert.equal(ageOn('2004-02-29', '2022-02-28'), 17);
  assert.equal(ageOn('2004-02-29', '2022-03-01'), 18);
  assert.equal(ageOn('2004-02-29', '2024-02-29'), 20);
});

test('parisDayStartUtc: the UTC instant of midnight in Paris, winter and summer', async () => {
  const { parisDayStartUtc } = await import('../../src/domain/dates.js');
  assert.equal(parisDayStartUtc('2026-07-01'), '2026-06-30T22:00:00.000Z');
  assert.equal(parisDayStartUtc('2026-01-15'), '2026-01-14T23:00:00.000Z');
  assert.equal(parisDayStartUtc('2026-03-29'), '2026-03-28T23:00:00.000Z', 'day of the spring change');
});

describe('formatParisDayFr', () => {
  test('the Paris calendar day of an instant, not the UTC one', async () => {
    const { formatParisDayFr } = await import('../../src/domain/dates.js');
    assert.equal(formatParisDayFr('2026-12-21T23:30:00.000Z'), '22/12/2026');
    assert.equal(formatParisDayFr('2026-07-01T21:59:00.000Z'), '01/07/2026');
    assert.equal(formatParisDayFr('2026-07-01T22:00:00.000Z'), '02/07/2026');
    assert.equal(formatParisDayFr('pas une date'), 'pas une date');
  });
});

describe('h.date in the views', () => {
  test('a calendar date stays as it is; an instant is its Paris day', () => {
    assert.equal(viewHelpers.date('2026-12-02'), '02/12/2026');
    // 23:30 UTC on 1 December is 00:30 on 2 December in Paris: SQLite's and ISO's ways of writing it.
    assert.equal(viewHelpers.date('2026-12-01 23:30:00'), '02/12/2026');
    assert.equal(viewHelpers.date('2026-12-01T23:30:00.000Z'), '02/12/2026');
    assert.equal(viewHelpers.date(new Date('2026-12-01T23:30:00.000Z')), '02/12/2026');
    assert.equal(viewHelpers.date('2026-12-01 22:30:00'), '01/12/2026');
    assert.equal(viewHelpers.date(null), '');
  });
});

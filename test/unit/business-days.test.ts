import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addBusinessDays, businessDaysBetween, easterSunday, frenchPublicHolidays, isBusinessDay, isPublicHoliday } from '../../src/domain/business-days.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

describe('Easter and the public holidays', () => {
  test('Easter Sunday of known years', () => {
    assert.equal(easterSunday(2026), '2026-04-05');
    assert.equal(easterSunday(2027), '2027-03-28');
    assert.equal(easterSunday(2024), '2024-03-31');
    assert.equal(easterSunday(2025), '2025-04-20');
    // Extremes of the Gregorian range: earliest (22 March) and latest (25 April) possible Easter.
    assert.equal(easterSunday(1818), '1818-03-22');
    assert.equal(easterSunday(2038), '2038-04-25');
  });

  test('the eleven holidays of 2026', () => {
    assert.deepEqual(frenchPublicHolidays(2026), [
      { day: '2026-01-01', name: "Jour de l'an" },
      { day: '2026-04-06', name: 'Lundi de Pâques' },
      { day: '2026-05-01', name: 'Fête du Travail' },
      { day: '2026-05-08', name: 'Victoire 1945' },
      { day: '2026-05-14', name: 'Ascension' },
      { day: '2026-05-25', name: 'Lundi de Pentecôte' },
      { day: '2026-07-14', name: 'Fête nationale' },
      { day: '2026-08-15', name: 'Assomption' },
      { day: '2026-11-01', name: 'Toussaint' },
      { day: '2026-11-11', name: 'Armistice 1918' },
      { day: '2026-12-25', name: 'Noël' },
    ]);
  });

  test('the movable holidays of 2027 follow Easter on 28 March', () => {
    const days = frenchPublicHolidays(2027).map((h) => h.day);
    assert.equal(days.length, 11);
    for (const day of ['2027-03-29', '2027-05-06', '2027-05-17']) assertIncludes(days, day, day);
    assertExcludes(days, '2027-03-26', 'Vendredi saint only in Alsace-Moselle');
  });

  test('Alsace-Moselle adds Vendredi saint and the 26 décembre, only on request', () => {
    const local = frenchPublicHolidays(2027, { alsaceMoselle: true });
    assert.equal(local.length, 13);
    assert.deepEqual(
      local.find((h) => h.name === 'Vendredi saint'),
      { day: '2027-03-26', name: 'Vendredi saint' },
    );
    assert.equal(isPublicHoliday('2026-12-26'), false);
    assert.equal(isPublicHoliday('2026-12-26', { alsaceMoselle: true }), true);
    assert.equal(isPublicHoliday('2026-04-03', { alsaceMoselle: true }), true);
    assert.equal(isBusinessDay('2026-04-03'), true);
    assert.equal(isBusinessDay('2026-04-03', { alsaceMoselle: true }), false);
  });

  test('weekends and holidays are not business days', () => {
    assert.equal(isBusinessDay('2026-07-14'), false); // a Tuesday, Fête nationale
    assert.equal(isBusinessDay('2026-07-13'), true);
    assert.equal(isBusinessDay('2026-07-11'), false); // Saturday
    assert.equal(isBusinessDay('2026-07-12'), false); // Sunday
    assert.equal(isPublicHoliday('2026-08-15'), true); // a Saturday: a holiday all the same
  });

  test('a day that is not a real ISO date is refused', () => {
    assert.throws(() => isBusinessDay('2026-02-30'), RangeError);
    assert.throws(() => addBusinessDays('14/07/2026', 1), RangeError);
    assert.throws(() => addBusinessDays('2026-07-14', 1.5), RangeError);
  });
});

describe('counting business days', () => {
  test('a service level spanning a weekend and the 14 juillet', () => {
    // Received Friday 10 July 2026; 3 business days: Mon 13, (Tue 14 holiday), Wed 15, Thu 16.
    assert.equal(addBusinessDays('2026-07-10', 3), '2026-07-16');
    assert.equal(businessDaysBetween('2026-07-10', '2026-07-16'), 3);
  });

  test('Ascension and the Friday after, then the weekend (2026)', () => {
    // Wednesday 13 May 2026; Thursday 14 is Ascension: 1 business day later is Friday 15.
    assert.equal(addBusinessDays('2026-05-13', 1), '2026-05-15');
    // 5 business days from Friday 22 May: Mon 25 is Pentecôte, so Tue 26 … Mon 1 June.
    assert.equal(addBusinessDays('2026-05-22', 5), '2026-06-01');
  });

  test('Easter Monday 2027 and the turn of the year', () => {
    assert.equal(addBusinessDays('2027-03-26', 1), '2027-03-30');
    // Thursday 24 December 2026 + 2: Fri 25 (Noël), Mon 28, Tue 29.
    assert.equal(addBusinessDays('2026-12-24', 2), '2026-12-29');
    // Thursday 31 December 2026 + 1: Fri 1 January 2027 is a holiday, then the weekend.
    assert.equal(addBusinessDays('2026-12-31', 1), '2027-01-04');
  });

  test('a start on a weekend counts from the next business day', () => {
    assert.equal(addBusinessDays('2026-07-11', 1), '2026-07-13');
    assert.equal(addBusinessDays('2026-07-12', 1), '2026-07-13');
    assert.equal(addBusinessDays('2026-07-11', 0), '2026-07-11');
  });

  test('backwards', () => {
    assert.equal(addBusinessDays('2026-07-16', -3), '2026-07-10');
    assert.equal(businessDaysBetween('2026-07-16', '2026-07-10'), -3);
    assert.equal(businessDaysBetween('2026-07-10', '2026-07-10'), 0);
  });

  test('between and add agree over a whole year', () => {
    for (let n = 0; n <= 260; n += 7) {
      assert.equal(businessDaysBetween('2026-01-02', addBusinessDays('2026-01-02', n)), n, String(n));
    }
    // 2026 has 261 weekdays, 9 of the 11 holidays fall on one (15 August and 1 November are on a weekend).
    assert.equal(businessDaysBetween('2025-12-31', '2026-12-31'), 261 - 9);
  });
});

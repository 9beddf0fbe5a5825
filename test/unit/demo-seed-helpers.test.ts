// The pure helpers of the demo seed (db/seeds/demo/helpers.ts) and the décompte amounts of
// db/seeds/demo/care.ts. What the whole data set looks like is checked by test/http/demo-seed.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { priceCare } from '../../db/seeds/demo/index.js';
import { addMonthsDay, apportion, pad, slug, upperName, weekday, yearsBetween } from '../../db/seeds/demo/helpers.js';
import { CARE_TYPES, type Level } from '../../db/seeds/french-data.js';
import { Random, dayNumber, isoDay } from '../../db/seeds/random.js';

describe('apportion', () => {
  test('splits the total exactly, in proportion to the weights', () => {
    assert.deepEqual(apportion(10, [1, 1]), [5, 5]);
    assert.deepEqual(apportion(100, [45, 25, 20, 10]), [45, 25, 20, 10]);
    assert.deepEqual(apportion(0, [3, 2]), [0, 0]);
  });

  test('gives what rounding leaves to the largest remainders', () => {
    // 10 × 1/3 = 3.33 each: one unit left, it goes to the first of the equal remainders.
    assert.deepEqual(apportion(10, [1, 1, 1]), [4, 3, 3]);
    // 7 × 0.6 = 4.2 and 7 × 0.4 = 2.8: the 0.8 remainder wins.
    assert.deepEqual(apportion(7, [0.6, 0.4]), [4, 3]);
  });

  test('a zero weight gets nothing', () => {
    const parts = apportion(301, [50, 30, 20, 0, 0]);
    assert.equal(
      parts.reduce((a, b) => a + b, 0),
      301,
    );
    assert.deepEqual(parts.slice(3), [0, 0]);
  });
});

describe('dates', () => {
  test('addMonthsDay keeps the day of the month, or the last day of a shorter month', () => {
    assert.equal(isoDay(addMonthsDay(dayNumber('2026-03-15'), 1)), '2026-04-15');
    assert.equal(isoDay(addMonthsDay(dayNumber('2026-01-31'), 1)), '2026-02-28');
    assert.equal(isoDay(addMonthsDay(dayNumber('2028-01-31'), 1)), '2028-02-29');
    assert.equal(isoDay(addMonthsDay(dayNumber('2026-11-30'), 3)), '2027-02-28');
    assert.equal(isoDay(addMonthsDay(dayNumber('2026-05-20'), -6)), '2025-11-20');
  });

  test('weekday counts from Monday = 0', () => {
    assert.equal(weekday(dayNumber('1970-01-01')), 3); // a Thursday
    assert.equal(weekday(dayNumber('2026-11-30')), 0); // a Monday
    assert.equal(weekday(dayNumber('2026-12-01')), 1); // a Tuesday
    assert.equal(weekday(dayNumber('2026-12-06')), 6); // a Sunday
  });

  test('yearsBetween counts a year only once the birthday is reached', () => {
    assert.equal(yearsBetween(dayNumber('1986-04-17'), dayNumber('2026-04-16')), 39);
    assert.equal(yearsBetween(dayNumber('1986-04-17'), dayNumber('2026-04-17')), 40);
    assert.equal(yearsBetween(dayNumber('2014-06-11'), dayNumber('2026-12-01')), 12);
  });
});

describe('text', () => {
  test('slug drops accents and joins words with hyphens', () => {
    assert.equal(slug("Relevé d'identité bancaire"), 'releve-d-identite-bancaire');
    assert.equal(slug(' Chloé  Pétit '), 'chloe-petit');
  });

  test('pad and upperName', () => {
    assert.equal(pad(7, 3), '007');
    assert.equal(pad(1234, 3), '1234');
    assert.equal(upperName('Le Goff-Éluard'), 'LE GOFF-ÉLUARD');
  });
});

describe('priceCare', () => {
  test('frais réels = Sécurité sociale + complémentaire + reste à charge, none negative, for every care and level', () => {
    const rng = new Random(20261122);
    for (const care of CARE_TYPES) {
      for (const level of [0, 1, 2, 3] as const satisfies readonly Level[]) {
        for (let i = 0; i < 20; i++) {
          const p = priceCare(rng, care, level);
          const where = `${care.code} level ${level}`;
          assert.equal(p.fraisReels, p.ss + p.complementary + p.resteACharge, where);
          assert.ok(p.ss >= 0 && p.complementary >= 0 && p.resteACharge >= 0 && p.deductions >= 0, `${where}: ${JSON.stringify(p)}`);
          assert.ok(p.quantity >= care.quantity[0] && p.quantity <= care.quantity[1], where);
        }
      }
    }
  });

  test('hearing aids: at most 1 700 € per ear, Sécurité sociale included', () => {
    const rng = new Random(7);
    const aids = CARE_TYPES.filter((c) => c.category === 'aides_auditives');
    assert.ok(aids.length > 0);
    for (const care of aids) {
      for (let i = 0; i < 50; i++) {
        const p = priceCare(rng, care, 3);
        assert.ok(p.ss + p.deductions + p.complementary <= 170_000 * p.quantity, JSON.stringify(p));
      }
    }
  });

  test('the same generator seed gives the same amounts', () => {
    const draw = (seed: number) => {
      const rng = new Random(seed);
      return CARE_TYPES.map((care) => priceCare(rng, care, 2));
    };
    assert.deepEqual(draw(42), draw(42));
    assert.notDeepEqual(draw(42), draw(43));
  });
});

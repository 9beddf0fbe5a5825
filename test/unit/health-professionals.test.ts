// src/domain/health-professionals.ts: the distance and radius in French, and how a search too
// costly for one request narrows its radius.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDistanceKm, formatRadiusKm, MAX_MEASURED_ROWS, narrowRadius, radiiUpTo } from '../../src/domain/health-professionals.js';

describe('health professionals: distances and radii', () => {
  it('writes a distance with one decimal, a French comma and no-break spaces only (U+00A0)', () => {
    assert.equal(formatDistanceKm(0.46), '0,5\u00A0km');
    assert.equal(formatDistanceKm(3), '3,0\u00A0km');
    assert.equal(formatDistanceKm(1234.56), '1\u00A0234,6\u00A0km');
    assert.equal(formatRadiusKm(10), '10\u00A0km');
    assert.equal(formatRadiusKm(0.5), '0,5\u00A0km');
  });

  it('counts every narrower radius before a search, ascending, the one asked for last', () => {
    assert.deepEqual(radiiUpTo(50), [0.5, 1, 2, 5, 10, 20, 50]);
    assert.deepEqual(radiiUpTo(10), [0.5, 1, 2, 5, 10]);
    assert.deepEqual(radiiUpTo(5), [0.5, 1, 2, 5]);
  });

  it('keeps the radius asked for when its box is small enough, else the widest narrower one, else the narrowest', () => {
    const radii = radiiUpTo(50);
    assert.equal(narrowRadius(radii, [1, 3, 10, 60, 250, 900, 1_800]), 50);
    assert.equal(narrowRadius(radii, [1, 3, 10, 60, 250, 900, MAX_MEASURED_ROWS + 1]), 20);
    assert.equal(narrowRadius(radii, [1, 3, 10, MAX_MEASURED_ROWS, 2_001, 2_001, 2_001]), 5);
    assert.equal(narrowRadius(radii, [2_001, 2_001, 2_001, 2_001, 2_001, 2_001, 2_001]), 0.5);
    assert.equal(narrowRadius([5, 10], [20, 40], 30), 5);
  });
});

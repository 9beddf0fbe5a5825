import { test } from 'node:test';
import assert from 'node:assert/strict';
import { donutArcs } from '../../src/domain/donut.js';

test('arcs share the circle in proportion, starting at the top', () => {
  const [a, b] = donutArcs([
    { label: 'Payé à l’assuré', value: 795, colour: '#b8462b' },
    { label: 'Payé aux tiers', value: 19600, colour: '#1d5e4f' },
  ]);
  assert.ok(Math.abs(a.percent + b.percent - 100) < 1e-9);
  assert.ok(Math.abs(a.percent - 3.898) < 0.01);
  assert.equal(a.dashOffset, 25);
  assert.ok(Math.abs(b.dashOffset - (25 - a.percent)) < 0.001);
  assert.match(a.dashArray, /^3\.898 96\.102$/);
});

test('an empty total draws nothing rather than dividing by zero', () => {
  const arcs = donutArcs([{ label: 'x', value: 0, colour: '#000000' }]);
  assert.equal(arcs[0].percent, 0);
  assert.equal(arcs[0].dashArray, '0.000 100.000');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centreFontSize, DONUT_GAP, donutArcs, donutSvg, donutSwatch, formatShare } from '../../src/domain/donut.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const close = (a: number, b: number, eps = 0.001) => Math.abs(a - b) < eps;

test('arcs share the circle in proportion, starting at the top, with a white gap between them', () => {
  const [a, b] = donutArcs([
    { label: 'Payé à l’assuré', value: 795, colour: '#b8462b' },
    { label: 'Payé aux tiers', value: 19600, colour: '#1d5e4f' },
  ]);
  assert.ok(close(a.percent + b.percent, 100));
  assert.ok(close(a.percent, 3.898));
  // Each dash is its share less the gap, and starts half a gap after its boundary.
  assert.equal(a.dashArray, `${(a.percent - DONUT_GAP).toFixed(3)} ${(100 - a.percent + DONUT_GAP).toFixed(3)}`);
  assert.ok(close(a.dashOffset, 25 - DONUT_GAP / 2));
  assert.ok(close(b.dashOffset, 25 - a.percent - DONUT_GAP / 2));
});

test('a lone segment is a full ring; an empty total draws nothing rather than dividing by zero', () => {
  const [only, none] = donutArcs([
    { label: 'x', value: 1200, colour: '#000000' },
    { label: 'y', value: 0, colour: '#000000' },
  ]);
  assert.equal(only.percent, 100);
  assert.equal(only.dashArray, '100.000 0.000');
  assert.equal(none.percent, 0);
  const [empty] = donutArcs([{ label: 'x', value: 0, colour: '#000000' }]);
  assert.equal(empty.percent, 0);
  assert.equal(empty.dashArray, '0.000 100.000');
  // Negative values (a correction) count as nothing rather than bending the chart.
  const [neg, pos] = donutArcs([
    { label: 'x', value: -50, colour: '#000000' },
    { label: 'y', value: 50, colour: '#000000' },
  ]);
  assert.equal(neg.percent, 0);
  assert.equal(pos.percent, 100);
});

test('a tiny share stays visible', () => {
  const [tiny] = donutArcs([
    { label: 'x', value: 1, colour: '#000000' },
    { label: 'y', value: 100000, colour: '#000000' },
  ]);
  assert.ok(Number(tiny.dashArray.split(' ')[0]) > 0);
});

test('the SVG is hidden from assistive technologies, escapes its text and hatches on request', () => {
  const svg = donutSvg(
    [
      { label: 'A', value: 3, colour: '#b8462b', hatched: true },
      { label: 'B', value: 1, colour: '#1d5e4f' },
    ],
    { id: 'test"chart', centre: ['Total <b>', '4,00 €'] },
  );
  assert.match(svg, /^<svg class="donut" viewBox="0 0 42 42" width="180" height="180" aria-hidden="true" focusable="false">/);
  assertIncludes(svg, 'Total &lt;b&gt;');
  assertExcludes(svg, '<b>');
  assertIncludes(svg, '<pattern id="testchart-hachures-0"');
  assertIncludes(svg, 'stroke="url(#testchart-hachures-0)"');
  assertIncludes(svg, 'stroke="#1d5e4f"');
  assert.equal((svg.match(/<circle /g) ?? []).length, 3, 'the track and two segments');
  assert.ok(!/style=/.test(svg), 'no inline style (CSP)');
  assert.throws(() => donutSvg([{ label: 'A', value: 1, colour: 'red;' }], { id: 'x' }), RangeError);
  const swatch = donutSwatch({ label: 'A', value: 1, colour: '#b8462b', hatched: true }, 'legende-0');
  assert.ok(swatch.includes('aria-hidden="true"') && swatch.includes('url(#legende-0)'));
});

test('shares read as rounded French percentages', () => {
  assert.equal(formatShare(0), '0 %');
  assert.equal(formatShare(0.4), 'moins de 1 %');
  assert.equal(formatShare(3.898), '4 %');
  assert.equal(formatShare(99.6), 'plus de 99 %');
  assert.equal(formatShare(100), '100 %');
});

test('a long centre figure gets a smaller font, so it stays clear of the ring', () => {
  assert.equal(centreFontSize('164'), 4);
  assert.equal(centreFontSize('836,20 €'), 4);
  // « 1 286,18 € » at 4 units reached the ring's inner edge (12.8 of 12.9, measured in Chromium).
  assert.ok(centreFontSize('1 286,18 €') < 3.5);
  assert.ok(centreFontSize('12 345,67 €') < centreFontSize('1 286,18 €'));
  const svg = donutSvg([{ label: 'A', value: 1, colour: '#1d5e4f' }], { id: 'x', centre: ['Total', '1 286,18 €'] });
  assertIncludes(svg, `font-size="${centreFontSize('1 286,18 €')}" font-weight="bold"`);
});

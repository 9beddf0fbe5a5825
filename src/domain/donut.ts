// A donut chart drawn on the server as inline SVG: no script, no inline style (strict CSP), only
// SVG presentation attributes. Each segment is one circle whose stroke dash is its share of the
// circumference (r = 100 / 2π, so dash lengths are percentages). Segments are separated by a white
// gap so that each one stands out against white (WCAG 1.4.11) even when two brand colours are
// close, and a segment may be hatched so colour is never the only difference. The chart is
// aria-hidden: the page gives the same figures in text (the legend), which screen readers and
// JS-off browsers read.
export interface DonutSegment {
  label: string;
  value: number;
  /** #RRGGBB */
  colour: string;
  /** Hatched instead of solid: a second cue besides colour. */
  hatched?: boolean;
}

export interface DonutArc extends DonutSegment {
  /** Share of the total, 0–100. */
  percent: number;
  dashArray: string;
  dashOffset: number;
}

const DONUT_RADIUS = 100 / (2 * Math.PI);
/** White gap between two segments, in percent of the circumference. */
export const DONUT_GAP = 0.8;

const round = (n: number) => Number(n.toFixed(3));

/** The arcs of a donut, starting at 12 o'clock and going clockwise; negative values count as 0. */
export function donutArcs(segments: DonutSegment[]): DonutArc[] {
  const total = segments.reduce((sum, s) => sum + Math.max(0, s.value), 0);
  const drawn = segments.filter((s) => s.value > 0).length;
  // A lone segment is a full ring: no gap to leave.
  const gap = drawn > 1 ? DONUT_GAP : 0;
  let start = 0;
  return segments.map((segment) => {
    const percent = total > 0 ? (Math.max(0, segment.value) / total) * 100 : 0;
    const length = percent > 0 ? Math.max(percent - gap, Math.min(percent, 0.4)) : 0;
    const arc = {
      ...segment,
      percent,
      dashArray: `${length.toFixed(3)} ${(100 - length).toFixed(3)}`,
      // 25 puts the start of the dash at the top of the circle.
      dashOffset: round(25 - start - (percent > 0 ? Math.min(gap / 2, percent / 2) : 0)),
    };
    start += percent;
    return arc;
  });
}

/** Share of the total as French text, rounded: « 4 % », « moins de 1 % ». */
export function formatShare(percent: number): string {
  if (percent <= 0) return '0 %';
  if (percent < 1) return 'moins de 1 %';
  if (percent > 99 && percent < 100) return 'plus de 99 %';
  return `${Math.round(percent)} %`;
}

function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function checkColour(colour: string): string {
  if (!/^#[0-9a-fA-F]{6}$/.test(colour)) throw new RangeError(`Expected a #RRGGBB colour, got ${JSON.stringify(colour)}`);
  return colour;
}

/** Diagonal white stripes over the colour; `step` is the stripe period in user units. */
function hatchPattern(id: string, colour: string, step: number): string {
  const stripe = round(step / 3);
  return (
    `<pattern id="${id}" patternUnits="userSpaceOnUse" width="${step}" height="${step}" patternTransform="rotate(45)">` +
    `<rect width="${step}" height="${step}" fill="${colour}"></rect><rect width="${stripe}" height="${step}" fill="#ffffff"></rect></pattern>`
  );
}

export interface DonutSvgOptions {
  /** Unique on the page: prefixes the ids of the hatch patterns. */
  id: string;
  /** Pixel size of the square chart. */
  size?: number;
  /** Two short lines in the hole, e.g. « Total » and « 203,95 € ». */
  centre?: [string, string];
  /** Colour of the empty ring (no data) behind the segments. */
  track?: string;
}

/** Width of a bold digit or space, in em, a little more than DejaVu Sans Bold's and Arial Bold's. */
const BOLD_CHAR_EM = 0.62;
/** Widest the centre figure may be, in user units: centred, its bottom corners then stay 1 unit inside the hole (inner radius ≈ 12.9). */
const CENTRE_MAX_WIDTH = 20;

/** Font size of the centre figure: 4 units, smaller for a long amount (« 12 345,67 € ») so it never touches the ring. */
export function centreFontSize(text: string): number {
  return Number(Math.min(4, CENTRE_MAX_WIDTH / (BOLD_CHAR_EM * [...text].length)).toFixed(2));
}

/** The whole <svg> element, hidden from assistive technologies (the figures are in the text). */
export function donutSvg(segments: DonutSegment[], options: DonutSvgOptions): string {
  const size = options.size ?? 180;
  const id = options.id.replace(/[^a-zA-Z0-9_-]/g, '');
  const arcs = donutArcs(segments);
  const defs = arcs
    .map((a, i) => (a.hatched ? hatchPattern(`${id}-hachures-${i}`, checkColour(a.colour), 1.6) : ''))
    .filter(Boolean)
    .join('');
  const circles = arcs
    .map((a, i) =>
      a.percent > 0
        ? `<circle cx="21" cy="21" r="${DONUT_RADIUS.toFixed(4)}" fill="none" stroke="${a.hatched ? `url(#${id}-hachures-${i})` : checkColour(a.colour)}" stroke-width="6" stroke-dasharray="${a.dashArray}" stroke-dashoffset="${a.dashOffset}"></circle>`
        : '',
    )
    .join('');
  const centre = options.centre
    ? `<text x="21" y="19.6" text-anchor="middle" font-size="3.2" fill="#1a1a1a">${escapeXml(options.centre[0])}</text>` +
      `<text x="21" y="24.8" text-anchor="middle" font-size="${centreFontSize(options.centre[1])}" font-weight="bold" fill="#1a1a1a">${escapeXml(options.centre[1])}</text>`
    : '';
  return (
    `<svg class="donut" viewBox="0 0 42 42" width="${size}" height="${size}" aria-hidden="true" focusable="false">` +
    (defs ? `<defs>${defs}</defs>` : '') +
    `<circle cx="21" cy="21" r="${DONUT_RADIUS.toFixed(4)}" fill="none" stroke="${checkColour(options.track ?? '#e3e9e6')}" stroke-width="6"></circle>` +
    circles +
    centre +
    `</svg>`
  );
}

/** A small legend swatch matching a segment (solid or hatched), hidden from assistive technologies. */
export function donutSwatch(segment: DonutSegment, id: string): string {
  const safeId = id.replace(/[^a-zA-Z0-9_-]/g, '');
  const colour = checkColour(segment.colour);
  const fill = segment.hatched ? `url(#${safeId})` : colour;
  return (
    `<svg class="donut-swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">` +
    (segment.hatched ? `<defs>${hatchPattern(safeId, colour, 3)}</defs>` : '') +
    `<rect x="0.5" y="0.5" width="13" height="13" fill="${fill}" stroke="${colour}"></rect></svg>`
  );
}

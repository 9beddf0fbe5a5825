// A donut chart drawn on the server as SVG: one circle per segment, each a dash of the
// circumference (r = 100 / 2π, so the dash lengths are percentages). No script, no inline style.
export interface DonutSegment {
  label: string;
  value: number;
  /** #RRGGBB */
  colour: string;
}

export interface DonutArc extends DonutSegment {
  /** Share of the total, 0–100. */
  percent: number;
  dashArray: string;
  dashOffset: number;
}

export const DONUT_RADIUS = 100 / (2 * Math.PI);

export function donutArcs(segments: DonutSegment[]): DonutArc[] {
  const total = segments.reduce((sum, s) => sum + Math.max(0, s.value), 0);
  let start = 0;
  return segments.map((segment) => {
    const percent = total > 0 ? (Math.max(0, segment.value) / total) * 100 : 0;
    // Start at 12 o'clock (offset 25) and go clockwise.
    const arc = {
      ...segment,
      percent,
      dashArray: `${percent.toFixed(3)} ${(100 - percent).toFixed(3)}`,
      dashOffset: Number((25 - start).toFixed(3)),
    };
    start += percent;
    return arc;
  });
}

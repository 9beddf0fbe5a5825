// What npm run bench prints at the end, in one place: each target with its figure and whether it is
// met, and the figures that have no target (heavy operations). Each part of the bench adds its
// lines (page loads, export, import…); printSummary prints them all once the run is over.

interface SummaryLine {
  label: string;
  figure: string;
  /** The target in words (e.g. `≥ 60 %`), or null for a figure reported without one. */
  target: string | null;
  met: boolean | null;
}

const lines: SummaryLine[] = [];

/** A figure with its target, met or not. */
export function reportTarget(label: string, figure: string, target: string, met: boolean): void {
  lines.push({ label, figure, target, met });
}

/** A figure reported without a target. */
export function reportFigure(label: string, figure: string): void {
  lines.push({ label, figure, target: null, met: null });
}

export function printSummary(): void {
  if (!lines.length) return;
  console.log('\nObjectifs et chiffres de cette exécution\n');
  const width = Math.max(...lines.map((l) => l.label.length));
  for (const l of lines) {
    const verdict = l.met === null ? '' : l.met ? 'atteint' : 'NON ATTEINT';
    console.log(l.label.padEnd(width), l.figure.padStart(14), (l.target ? `cible ${l.target}` : '').padEnd(16), verdict);
  }
}

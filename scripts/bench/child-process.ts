// What the end-to-end benches (scripts/bench/import.ts, scripts/bench/decomptes.ts) share: each
// size runs in its own child process (`--child N`) so that one run's memory does not weigh on the
// next, prints its figures as one JSON line, and samples its resident set size every 5 ms.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/paths.js';

const MB = 1024 * 1024;

/** Runs `script --child lines` (with --expose-gc) and returns the JSON of its last output line. */
export function runChild<T>(script: string, lines: number): T {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(PROJECT_ROOT, script), '--child', String(lines)], {
    encoding: 'utf8',
    maxBuffer: 16 * MB,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

/** In the child process (`--child N`), runs `child(N)`; a failure exits with code 1. */
export function runIfChild(child: (lines: number) => Promise<void>): void {
  const childAt = process.argv.indexOf('--child');
  if (childAt > 0) {
    child(Number(process.argv[childAt + 1])).catch((err) => {
      console.error(err);
      process.exit(1);
    });
  }
}

/** Collects garbage, then samples the resident set size every 5 ms until `stop`, which returns the peak. */
export function sampleRss(): { baseline: number; stop: () => number } {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  return {
    baseline,
    stop: () => {
      clearInterval(sampler);
      return peak;
    },
  };
}

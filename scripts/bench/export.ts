// The « Mes salariés » CSV export of rh.admin (every visible affiliation, ~59,000 rows at scale 334)
// downloaded once from the running portal: the time to the last byte, the rows and bytes received,
// and the portal's resident set size before and at its peak (sampled every 5 ms from /proc), which
// shows whether the file is streamed with flat memory.
import { processRss } from './servers.js';

export interface ExportFigures {
  rows: number;
  megabytes: number;
  seconds: number;
  rssBeforeMb: number | null;
  rssPeakMb: number | null;
}

const MB = 1024 * 1024;

export async function measureExport(url: string, headers: Record<string, string>, serverPid: number): Promise<ExportFigures> {
  const before = processRss(serverPid);
  let peak = before;
  const sampler = setInterval(() => {
    const rss = processRss(serverPid);
    if (rss !== null && (peak === null || rss > peak)) peak = rss;
  }, 5);
  const started = performance.now();
  try {
    const res = await fetch(url, { headers, redirect: 'manual' });
    if (res.status !== 200 || !res.body) throw new Error(`${url} répond ${res.status}`);
    let bytes = 0;
    let newlines = 0;
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 10) newlines++;
    }
    const seconds = (performance.now() - started) / 1000;
    // One line per row after the header line.
    return {
      rows: newlines - 1,
      megabytes: bytes / MB,
      seconds,
      rssBeforeMb: before === null ? null : before / MB,
      rssPeakMb: peak === null ? null : peak / MB,
    };
  } finally {
    clearInterval(sampler);
  }
}

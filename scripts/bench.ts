// npm run bench — seeds (or reuses) a scaled database, starts the built portal and a bare
// Express+EJS page, loads each scenario with autocannon from this process over 127.0.0.1,
// and prints requests/s and p50/p99 latency at 8 and at 32 connections beside the yardsticks'
// figures of the same run. The portal and the yardsticks run on one core, this process (the load
// generator) on another (`taskset`, scripts/bench/servers.ts; the output says when it cannot).
// The second yardstick, the bare page behind the portal's session layer and one Knex query
// (scripts/bench/session-server.ts), shows what any private page can at best reach: the targets of
// issue 16 are shares of its req/s at 32 connections (scripts/bench/scenarios.ts). Then the heavy
// operations: the « Mes salariés » CSV export (time, the portal's RSS), the establishments import
// and the décompte feed. Every target and figure is summed up at the end (scripts/bench/report.ts).
//   --scale N            database size (default 334 ≈ 100,000 members, 2,000,000 décompte lines;
//                        3340 ≈ 1,000,000 members, 20,000,000 lines)
//   --database pg        PostgreSQL (database portail_bench_N on BENCH_PG_URL) instead of SQLite (scripts/bench/database.ts)
//   --connections A,B    concurrent connections, one load per count (default 8,32)
//   --duration S         seconds per scenario and connection count (default 5); a run that completes
//                        fewer than MIN_RESPONSES is run again for that many responses (a slow page)
//   --warmup S           seconds of unmeasured load before each scenario (default 1)
//   --only TEXT[,TEXT]   run only the scenarios whose name contains one TEXT, in any case (`--only import`: the file import alone,
//                        `--only decomptes`: the 500,000-line décompte feed alone, `--only export`: the CSV export,
//                        `--only lighthouse`: Lighthouse alone)
import { execFileSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import autocannon from 'autocannon';
import { PROJECT_ROOT } from '../src/paths.js';
import { benchDatabase, prepareBenchDatabase } from './bench/database.js';
import { scenarios, type Scenario } from './bench/scenarios.js';
import { runImportBench } from './bench/import.js';
import { runFeedBench } from './bench/decomptes.js';
import { measureExport } from './bench/export.js';
import { benchHrAdminHeaders } from './bench/login.js';
import { pinCores, processCpuMs, startProcess, waitForIdle } from './bench/servers.js';
import { printSummary, reportFigure, reportTarget } from './bench/report.js';
import { runLighthouseBench } from './bench/lighthouse.js';
import { numberOption as option, textOption } from './cli.js';

const scale = option('scale', 334);
const connectionCounts = (textOption('connections') ?? '8,32').split(',').map(Number);
const duration = option('duration', 5);
const warmup = option('warmup', 1);
const only = textOption('only');
const database = benchDatabase();
/** The counts the targets are read at (or the nearest ones measured). */
const RATIO_AT = connectionCounts.includes(32) ? 32 : Math.max(...connectionCounts);
const P99_AT = connectionCounts.includes(8) ? 8 : Math.min(...connectionCounts);

function wanted(name: string): boolean {
  return !only || only.split(',').some((part) => name.toLowerCase().includes(part.toLowerCase()));
}

/**
 * The fewest responses a figure is read from: a p99 needs at least 100 to be more than the
 * slowest one. A run that completes fewer (a slow page, a short --duration) is run again until
 * this many responses are in, whatever the duration.
 */
const MIN_RESPONSES = 200;
/** Below this many responses, the output says the figure rests on few samples. */
const FEW_RESPONSES = 1000;

interface Run {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
  /** The server's CPU time per response, in ms (null where /proc is not available). */
  cpuMs: number | null;
  /** Responses the figures are read from. */
  responses: number;
  /** Run again with a number of requests, the first run having completed too few. */
  extended: boolean;
}

interface Figures {
  name: string;
  /** By connection count. */
  runs: Map<number, Run>;
  scenario?: Scenario;
}

async function measure(serverPid: number, url: string, headers: Record<string, string>, connections: number, amount?: number): Promise<Run> {
  // The backlog of the warm-up or of the previous load must not weigh on this one.
  await waitForIdle(serverPid);
  const cpuBefore = processCpuMs(serverPid);
  const result = await autocannon(amount ? { url, connections, amount, headers } : { url, connections, duration, headers });
  const cpuAfter = processCpuMs(serverPid);
  const responses = result['2xx'] + result.non2xx;
  return {
    // A run of `amount` requests ends within a second: its rate is the count over the time taken.
    rps: amount ? responses / result.duration : result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.errors + result.non2xx,
    cpuMs: cpuBefore === null || cpuAfter === null || responses === 0 ? null : (cpuAfter - cpuBefore) / responses,
    responses,
    extended: amount !== undefined,
  };
}

async function load(name: string, serverPid: number, url: string, headers: Record<string, string> = {}, scenario?: Scenario): Promise<Figures> {
  if (warmup > 0) await autocannon({ url, connections: RATIO_AT, duration: warmup, headers });
  const runs = new Map<number, Run>();
  for (const connections of connectionCounts) {
    let run = await measure(serverPid, url, headers, connections);
    if (run.responses < MIN_RESPONSES) run = await measure(serverPid, url, headers, connections, Math.max(MIN_RESPONSES, connections * 10));
    runs.set(connections, run);
  }
  return { name, runs, scenario };
}

/** « 123 ms », with « (N rép.) » when the figure rests on few responses. */
function latencyFigure(run: Run, value: number): string {
  return run.responses < FEW_RESPONSES ? `${value} ms (${run.responses} rép.)` : `${value} ms`;
}

const percent = (value: number) => (Number.isFinite(value) ? `${value.toFixed(0)} %` : '—');

function printTable(rows: Figures[], bare: Figures, withSession: Figures): void {
  const cells = (values: string[], widths: number[]) => values.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(' ');
  const widths = [58, ...connectionCounts.flatMap(() => [8, 6, 6]), 8, 6, 9, 9, 7, 8, 5];
  const head = [
    'scénario',
    ...connectionCounts.flatMap((c) => [`req/s@${c}`, 'p50', 'p99']),
    'CPU ms',
    '% nue',
    '% session',
    '(en CPU)',
    'cible',
    'p99 <',
    'err.',
  ];
  console.log(
    `\nreq/s, latences et CPU du serveur par réponse en ms ; « % nue », « % session » : req/s à ${RATIO_AT} connexions rapportées à celles\n` +
      `des deux témoins ; « (en CPU) » : CPU par réponse du témoin session rapporté à celui du scénario, la même part estimée\n` +
      `par le temps CPU du serveur, plus stable que l'horloge quand la machine est partagée\n`,
  );
  console.log(cells(head, widths));
  const bareRps = bare.runs.get(RATIO_AT)!.rps;
  const sessionRun = withSession.runs.get(RATIO_AT)!;
  for (const r of rows) {
    const at = r.runs.get(RATIO_AT)!;
    const share = at.rps > 0 ? (at.rps / sessionRun.rps) * 100 : Number.NaN;
    const cpuShare = at.cpuMs && sessionRun.cpuMs ? (sessionRun.cpuMs / at.cpuMs) * 100 : Number.NaN;
    const target = r.scenario?.minShareOfSession;
    const p99Target = r.scenario?.maxP99At8;
    console.log(
      cells(
        [
          r.name.slice(0, widths[0]),
          ...connectionCounts.flatMap((c) => {
            const run = r.runs.get(c)!;
            const few = run.responses < FEW_RESPONSES ? '*' : '';
            return run.rps > 0 ? [run.rps.toFixed(0) + few, String(run.p50), String(run.p99) + few] : ['—', '—', '—'];
          }),
          at.cpuMs === null ? '—' : at.cpuMs.toFixed(2),
          at.rps > 0 ? percent((at.rps / bareRps) * 100) : '—',
          percent(share),
          `(${percent(cpuShare)})`,
          target ? `≥ ${target} %` : '',
          p99Target ? `${p99Target} ms` : '',
          String([...r.runs.values()].reduce((sum, run) => sum + run.failed, 0)),
        ],
        widths,
      ),
    );
    if (target) {
      reportTarget(`${r.name} : req/s à ${RATIO_AT} c. / témoin session (en CPU : ${percent(cpuShare)})`, percent(share), `≥ ${target} %`, share >= target);
    }
    const p99At = r.runs.get(P99_AT)!;
    const p99 = p99At.rps > 0 ? latencyFigure(p99At, p99At.p99) : '—';
    if (p99Target) reportTarget(`${r.name} : p99 à ${P99_AT} c.`, p99, `< ${p99Target} ms`, p99At.rps > 0 && p99At.p99 < p99Target);
    else if (r.name.startsWith('Décompte PDF')) {
      reportFigure(`${r.name} : req/s à ${P99_AT} c.`, p99At.rps > 0 ? p99At.rps.toFixed(1) : '—');
      reportFigure(`${r.name} : p50 à ${P99_AT} c.`, p99At.rps > 0 ? latencyFigure(p99At, p99At.p50) : '—');
      reportFigure(`${r.name} : p99 à ${P99_AT} c.`, p99);
    }
  }
  const few = rows.flatMap((r) =>
    connectionCounts.flatMap((c) => {
      const run = r.runs.get(c)!;
      return run.responses < FEW_RESPONSES
        ? [`${r.name.slice(0, 40)} à ${c} c. : ${run.responses} réponses${run.extended ? ` (charge prolongée jusqu'à ${MIN_RESPONSES} au moins)` : ''}`]
        : [];
    }),
  );
  if (few.length) {
    console.log(`
* chiffres tirés de moins de ${FEW_RESPONSES} réponses (un p99 sur peu de réponses est proche du maximum) :`);
    for (const line of few) console.log(`  ${line}`);
  }
}

/** The session cookie of the second yardstick (its /login page opens a session). */
async function sessionServerHeaders(url: string): Promise<Record<string, string>> {
  const res = await fetch(`${url}/login`);
  const cookie = res.headers.getSetCookie()[0]?.split(';')[0];
  if (!cookie) throw new Error("Le témoin avec session n'a pas ouvert de session");
  return { cookie };
}

async function main(): Promise<void> {
  if (only && 'import'.includes(only)) {
    runImportBench();
    printSummary();
    return;
  }
  if (only && 'decomptes'.includes(only)) {
    runFeedBench();
    return;
  }
  await prepareBenchDatabase(database, scale);
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', cwd: PROJECT_ROOT });

  const pinning = pinCores();
  const appPort = 3900 + Math.floor(Math.random() * 50);
  const { child: app } = await startProcess(
    pinning,
    process.execPath,
    [path.join(PROJECT_ROOT, 'dist/src/server.js')],
    {
      ...process.env,
      NODE_ENV: 'production',
      // Plain HTTP on 127.0.0.1: the lab setting, so the session cookie works without HTTPS.
      ALLOW_INSECURE_HTTP: 'true',
      PORT: String(appPort),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
      SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
      // One process on the one core the portal is given: per-request cost, not core count.
      WEB_CONCURRENCY: '1',
    },
    /disponible sur/,
  );
  const children: ChildProcess[] = [app];
  try {
    const { child: bare, match } = await startProcess(
      pinning,
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/bench/bare-server.ts')],
      process.env,
      /LISTENING (\d+)/,
    );
    children.push(bare);
    const { child: withSession, match: sessionMatch } = await startProcess(
      pinning,
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/bench/session-server.ts')],
      { ...process.env, BENCH_DATABASE_URL: database.url },
      /LISTENING (\d+)/,
    );
    children.push(withSession);
    const bareUrl = `http://127.0.0.1:${match[1]}/`;
    const sessionUrl = `http://127.0.0.1:${sessionMatch[1]}`;
    const baseUrl = `http://127.0.0.1:${appPort}`;

    // Lighthouse on each space's home and main list (scripts/bench/lighthouse.ts): alone with --only lighthouse, last otherwise.
    if (only?.toLowerCase() === 'lighthouse') return await runLighthouseBench(baseUrl);
    console.log(
      `\nCharge : ${connectionCounts.join(' puis ')} connexions, ${duration} s par scénario et nombre de connexions (après ${warmup} s d'échauffement), depuis ce processus sur 127.0.0.1`,
    );
    console.log(pinning.note);
    const bareFigures = await load('Page Express+EJS nue (témoin)', bare.pid!, bareUrl);
    const sessionFigures = await load('Témoin + session en base + 1 requête Knex', withSession.pid!, `${sessionUrl}/`, await sessionServerHeaders(sessionUrl));
    const rows: Figures[] = [bareFigures, sessionFigures];
    for (const scenario of scenarios.filter((s) => wanted(s.name))) {
      const headers = scenario.prepare ? await scenario.prepare(baseUrl) : {};
      const pagePath = typeof scenario.path === 'string' ? scenario.path : await scenario.path(baseUrl, headers);
      rows.push(await load(scenario.name, app.pid!, baseUrl + pagePath, headers, scenario));
    }
    printTable(rows, bareFigures, sessionFigures);

    if (wanted('Export CSV Mes salariés')) {
      const e = await measureExport(`${baseUrl}/entreprise/salaries/export.csv`, await benchHrAdminHeaders(baseUrl), app.pid!);
      const rss =
        e.rssBeforeMb === null || e.rssPeakMb === null ? 'RSS non mesurée' : `RSS du portail ${e.rssBeforeMb.toFixed(0)} → pic ${e.rssPeakMb.toFixed(0)} Mo`;
      console.log(
        `\nExport CSV Mes salariés (rh.admin, toutes les affiliations visibles) : ${e.rows} lignes, ${e.megabytes.toFixed(1)} Mo en ${e.seconds.toFixed(2)} s ; ${rss}`,
      );
      reportFigure(`Export CSV Mes salariés (${e.rows} lignes) : durée`, `${e.seconds.toFixed(2)} s`);
      if (e.rssBeforeMb !== null && e.rssPeakMb !== null) {
        reportFigure('Export CSV Mes salariés : hausse de la RSS du portail', `${(e.rssPeakMb - e.rssBeforeMb).toFixed(1)} Mo`);
      }
    }
    if (!only) await runLighthouseBench(baseUrl);
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
  if (!only) {
    runImportBench();
    runFeedBench();
  }
  printSummary();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

// npm run bench — seeds (or reuses) a scaled database, starts the built portal and a bare
// Express+EJS page, loads each scenario with autocannon from this process over 127.0.0.1,
// and prints requests/s and p50/p99 latency beside the bare page's figures of the same run.
// A second yardstick, the bare page behind the portal's session layer and one Knex query
// (scripts/bench/session-server.ts), shows what any private page can at best reach.
//   --scale N        database size (default 334 ≈ 100,000 members, 2,000,000 décompte lines)
//   --connections N  concurrent connections (default 32)
//   --duration S     seconds per scenario (default 10)
//   --only TEXT      run only the scenarios whose name contains TEXT, in any case (`--only import`: the file import alone,
//                    `--only decomptes`: the 500,000-line décompte feed alone, `--only lighthouse`: Lighthouse alone)
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { createDb, migrateLatest, readMeta, writeMeta } from '../src/db.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { seedDemo } from '../db/seeds/demo/index.js';
import { scenarios, type Scenario } from './bench/scenarios.js';
import { runImportBench } from './bench/import.js';
import { runFeedBench } from './bench/decomptes.js';
import { runLighthouseBench } from './bench/lighthouse.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
function textOption(name: string): string | null {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? null) : null;
}

const scale = option('scale', 334);
const connections = option('connections', 32);
const duration = option('duration', 10);
const only = textOption('only');
const dbFile = path.join(PROJECT_ROOT, 'data', `bench-scale-${scale}.sqlite`);

async function prepareDatabase(): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: `sqlite:${dbFile}` });
  const db = createDb(config.database);
  try {
    await migrateLatest(db);
    if (await readMeta(db, 'demo_seeded_at')) {
      console.log(`Base de bench réutilisée : ${path.relative(PROJECT_ROOT, dbFile)}`);
      return;
    }
    const started = Date.now();
    await seedDemo(db, { scale, uploadDir: path.join(PROJECT_ROOT, 'data', 'bench-uploads'), brand: config.brand, log: (m: string) => console.log(`  ${m}`) });
    await writeMeta(db, 'demo_seeded_at', new Date().toISOString());
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`Base de bench créée (échelle ${scale}) en ${seconds} s`);
  } finally {
    await db.destroy();
  }
}

function startProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} n'a pas démarré : ${out}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} s'est arrêté (code ${code}) : ${out}`)));
  });
}

interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(name: string, url: string, headers: Record<string, string> = {}): Promise<Figures> {
  const result = await autocannon({ url, connections, duration, headers });
  return { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
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
    return;
  }
  if (only && 'decomptes'.includes(only)) {
    runFeedBench();
    return;
  }
  await prepareDatabase();
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', cwd: PROJECT_ROOT });

  const appPort = 3900 + Math.floor(Math.random() * 50);
  const { child: app } = await startProcess(
    process.execPath,
    [path.join(PROJECT_ROOT, 'dist/src/server.js')],
    {
      ...process.env,
      NODE_ENV: 'production',
      // Plain HTTP on 127.0.0.1: the lab setting, so the session cookie works without HTTPS.
      ALLOW_INSECURE_HTTP: 'true',
      PORT: String(appPort),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${dbFile}`,
      SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
      SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
      // One process: the scenarios measure the cost of a request, not the number of cores.
      WEB_CONCURRENCY: '1',
    },
    /disponible sur/,
  );
  const { child: bare, match } = await startProcess(
    process.execPath,
    ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/bench/bare-server.ts')],
    process.env,
    /LISTENING (\d+)/,
  );
  const bareUrl = `http://127.0.0.1:${match[1]}/`;
  const { child: withSession, match: sessionMatch } = await startProcess(
    process.execPath,
    ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/bench/session-server.ts')],
    process.env,
    /LISTENING (\d+)/,
  );
  const sessionUrl = `http://127.0.0.1:${sessionMatch[1]}`;
  const baseUrl = `http://127.0.0.1:${appPort}`;

  try {
    // Lighthouse on each space's home and main list (scripts/bench/lighthouse.ts): alone with --only lighthouse, last otherwise.
    if (only?.toLowerCase() === 'lighthouse') return await runLighthouseBench(baseUrl);
    const rows: Figures[] = [];
    console.log(`\nCharge : ${connections} connexions, ${duration} s par scénario, depuis un second processus sur 127.0.0.1\n`);
    const bareFigures = await load('Page Express+EJS nue (témoin)', bareUrl);
    rows.push(bareFigures);
    rows.push(await load('Témoin + session en base + 1 requête Knex', `${sessionUrl}/`, await sessionServerHeaders(sessionUrl)));
    const selected: Scenario[] = only ? scenarios.filter((s) => s.name.toLowerCase().includes(only.toLowerCase())) : scenarios;
    for (const scenario of selected) {
      const headers = scenario.prepare ? await scenario.prepare(baseUrl) : {};
      rows.push(await load(scenario.name, baseUrl + scenario.path, headers));
    }
    console.log('scénario'.padEnd(52), 'req/s'.padStart(9), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), '% témoin'.padStart(9), 'erreurs'.padStart(8));
    for (const r of rows) {
      const ratio = ((r.rps / bareFigures.rps) * 100).toFixed(0);
      console.log(
        r.name.padEnd(52),
        r.rps.toFixed(0).padStart(9),
        String(r.p50).padStart(8),
        String(r.p99).padStart(8),
        `${ratio} %`.padStart(9),
        String(r.errors + r.non2xx).padStart(8),
      );
    }
    if (!only) await runLighthouseBench(baseUrl);
  } finally {
    app.kill('SIGTERM');
    bare.kill('SIGTERM');
    withSession.kill('SIGTERM');
  }
  if (!only) {
    runImportBench();
    runFeedBench();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

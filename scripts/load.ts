// npm run load — many logged-in sessions at once on a real server process, over mixed journeys:
// seeds a fresh database (a temporary SQLite file, or with `--pg URL` a dedicated PostgreSQL
// database created on that server, migrated, seeded and dropped at the end), compiles, starts the
// built portal in production (plain HTTP on 127.0.0.1, ALLOW_INSECURE_HTTP=true, as npm run bench
// does), logs each demo account in once through the real door (scripts/bench/login.ts: form,
// then the SMS code read from the outbox), then runs `--sessions` virtual users for `--duration`
// seconds, each repeating the journeys of its space with its account's cookie (several users
// share one account: codes cannot be resent within a minute, so one login per account).
// Prints per journey: count, errors (non-2xx/3xx, network errors, 120 s timeouts; first samples),
// p50/p99 of the whole journey; the server's peak RSS (VmHWM, and VmRSS sampled every 200 ms
// from /proc/<pid>/status, summed over its workers if it runs as a cluster) and the error lines of its log. Exits with 1 when any error occurred.
//   --sessions N   concurrent virtual users (default 200)
//   --duration S   seconds of load (default 60)
//   --scale N      demo seed size (default 1: ~300 members; 334 ≈ 100,000 members, long to seed)
//   --pg URL       PostgreSQL server to create the load database on (else SQLite)
//   --profile DIR  the server runs with --cpu-prof and writes its profile into DIR when stopped
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import knex from 'knex';
import { loadConfig } from '../src/config.js';
import { createDb, migrateLatest, writeMeta } from '../src/db.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { DEMO_FACTS, seedDemo } from '../db/seeds/demo/index.js';
import { loginHeaders, type Door } from './bench/login.js';
import { numberOption as option, textOption } from './cli.js';

const sessions = option('sessions', 200);
const duration = option('duration', 60);
const scale = option('scale', 1);
const pgAdminUrl = textOption('pg');
const profileDir = textOption('profile');
// A request is lost for a user behind docs/deploy/nginx-portail.conf only past its
// proxy_read_timeout (120 s: a 504); slower answers count in p99, not as errors.
const REQUEST_TIMEOUT_MS = 120_000;

// ------------------------------------------------------------------ the database
interface LoadDatabase {
  /** What the server's DATABASE_URL and the login helper take: a postgres:// URL or a SQLite file. */
  target: string;
  databaseUrl: string;
  drop: () => Promise<void>;
}

async function prepareDatabase(dataDir: string): Promise<LoadDatabase> {
  let target = path.join(dataDir, 'load.sqlite');
  let databaseUrl = `sqlite:${target}`;
  let drop = async () => {};
  if (pgAdminUrl) {
    const name = `portail_load_${crypto.randomBytes(4).toString('hex')}`;
    const admin = knex({ client: 'pg', connection: pgAdminUrl, pool: { min: 0, max: 1 } });
    await admin.raw(`CREATE DATABASE ${name}`);
    const url = new URL(pgAdminUrl);
    url.pathname = `/${name}`;
    target = databaseUrl = url.toString();
    drop = async () => {
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    };
  }
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, DATABASE_URL: databaseUrl });
  const db = createDb(config.database);
  try {
    await migrateLatest(db);
    const started = Date.now();
    await seedDemo(db, { scale, uploadDir: path.join(dataDir, 'uploads'), brand: config.brand });
    await writeMeta(db, 'demo_seeded_at', new Date().toISOString());
    console.log(`Base ${pgAdminUrl ? 'PostgreSQL' : 'SQLite'} créée et chargée (échelle ${scale}) en ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await db.destroy();
  }
  return { target, databaseUrl, drop };
}

// ------------------------------------------------------------------ the server
interface Server {
  child: ChildProcess;
  /** Lines of the server's log at level error or above, and anything it wrote on stderr. */
  errorLines: string[];
}

function startServer(env: NodeJS.ProcessEnv): Promise<Server> {
  return new Promise((resolve, reject) => {
    const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(profileDir)] : [];
    const child = spawn(process.execPath, [...profile, path.join(PROJECT_ROOT, 'dist/src/server.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const errorLines: string[] = [];
    let out = '';
    let ready = false;
    const timer = setTimeout(() => reject(new Error(`Le portail n'a pas démarré : ${out}`)), 60_000);
    const keep = (line: string) => {
      if (errorLines.length < 200) errorLines.push(line);
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (!ready) {
        out += text;
        if (/disponible sur/.test(out)) {
          ready = true;
          clearTimeout(timer);
          resolve({ child, errorLines });
        }
      }
      // pino levels: 50 error, 60 fatal.
      for (const line of text.split('\n')) if (/"level":(50|60)/.test(line)) keep(line);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      // The start-up warning of ALLOW_INSECURE_HTTP is expected here; anything else is not.
      for (const line of chunk.toString().split('\n')) if (line.trim() && !line.startsWith('ATTENTION — ALLOW_INSECURE_HTTP')) keep(line);
    });
    child.on('exit', (code) => {
      if (!ready) reject(new Error(`Le portail s'est arrêté (code ${code}) : ${out}`));
    });
  });
}

/** A field of /proc/<pid>/status in bytes (VmRSS, VmHWM), or 0 once the process is gone. */
function procStatusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The server and its descendants (the workers, when it runs as a cluster). */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const list = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (list) children = children.concat(list.split(/\s+/).map(Number));
    }
  } catch {
    // Gone meanwhile.
  }
  return [pid, ...children.flatMap(processTree)];
}

/** Resident memory of the server with its workers, summed. */
function treeBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  return processTree(pid).reduce((sum, p) => sum + procStatusBytes(p, field), 0);
}

// ------------------------------------------------------------------ journeys
interface Account {
  door: Door;
  email: string;
  headers: Record<string, string>;
  csrf: string;
  /** A décompte of this member, for the PDF (members only). */
  statementId?: string;
  /** The small CSV of establishments this HR user may add (HR only). */
  importCsv?: string;
}

/** A step's response, or null for a designed refusal (counted apart, not an error). */
type Step = (account: Account, baseUrl: string) => Promise<Response | null>;

interface Journey {
  name: string;
  door: Door;
  steps: Step[];
}

const get =
  (pathname: string) =>
  (account: Account, baseUrl: string): Promise<Response> =>
    fetch(baseUrl + pathname, { headers: account.headers, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });

const IMPORT_PATH = '/entreprise/profil/etablissements/fichier';
const IMPORT_JOURNEY = 'RH : import d’établissements (envoi, aperçu, annulation)';

/** Upload (303 to the job page), the preview, then « Annuler ». A 422 « analysis already running » is the designed refusal (1 per account, 2 per portal). */
async function importPreview(account: Account, baseUrl: string, tally: () => void): Promise<Response | null> {
  const form = new FormData();
  form.set('_csrf', account.csrf);
  form.set('fichier', new Blob([account.importCsv!], { type: 'text/csv' }), 'etablissements.csv');
  const upload = await fetch(baseUrl + IMPORT_PATH, {
    method: 'POST',
    headers: account.headers,
    body: form,
    redirect: 'manual',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const uploadBody = await upload.text();
  // The two « busy » messages of src/entreprise/establishments/pages.ts, and no other 422.
  if (upload.status === 422 && /analyse : réessayez dans un instant/.test(uploadBody)) {
    tally();
    return null;
  }
  const location = upload.headers.get('location');
  if (upload.status !== 303 || !location?.startsWith(`${IMPORT_PATH}/`)) return upload;
  const preview = await get(location)(account, baseUrl);
  await preview.arrayBuffer();
  if (preview.status !== 200) return preview;
  return fetch(`${baseUrl}${location}/annuler`, {
    method: 'POST',
    headers: { ...account.headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: account.csrf }).toString(),
    redirect: 'manual',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

interface Figures {
  durations: number[];
  errors: number;
  busy: number;
  samples: string[];
}

const figures = new Map<string, Figures>();
function figuresOf(name: string): Figures {
  let f = figures.get(name);
  if (!f) {
    f = { durations: [], errors: 0, busy: 0, samples: [] };
    figures.set(name, f);
  }
  return f;
}

function journeys(): Journey[] {
  return [
    { name: 'Assuré : Accueil', door: 'assure', steps: [get('/assure/accueil')] },
    { name: 'Assuré : Remboursements, pages 1 et 2', door: 'assure', steps: [get('/assure/remboursements'), get('/assure/remboursements?page=2')] },
    { name: 'Assuré : PDF d’un décompte', door: 'assure', steps: [(a, u) => get(`/assure/remboursements/decomptes/${a.statementId}/pdf`)(a, u)] },
    { name: 'Assuré : carte de tiers payant (PDF)', door: 'assure', steps: [get('/assure/tiers-payant/carte.pdf')] },
    { name: 'RH : Mes salariés, pages 1 et 2', door: 'entreprise', steps: [get('/entreprise/salaries'), get('/entreprise/salaries?page=2')] },
    { name: 'RH : Mes salariés, export CSV', door: 'entreprise', steps: [get('/entreprise/salaries/export.csv')] },
    {
      name: IMPORT_JOURNEY,
      door: 'entreprise',
      steps: [(a, u) => importPreview(a, u, () => figuresOf(IMPORT_JOURNEY).busy++)],
    },
    { name: 'Gestion : Demandes (à traiter, en retard)', door: 'gestion', steps: [get('/gestion/demandes'), get('/gestion/demandes?statut=new&retard=1')] },
  ];
}

async function runJourney(journey: Journey, account: Account, baseUrl: string): Promise<void> {
  const f = figuresOf(journey.name);
  const started = performance.now();
  for (const step of journey.steps) {
    let failure: string | null = null;
    try {
      const res = await step(account, baseUrl);
      if (res) {
        await res.arrayBuffer();
        if (res.status >= 400) failure = `HTTP ${res.status} ${res.url}`;
      }
    } catch (err) {
      failure = `${(err as Error).name}: ${(err as Error).message}${(err as { cause?: Error }).cause ? ` (${(err as { cause?: Error }).cause!.message})` : ''}`;
    }
    if (failure) {
      f.errors++;
      if (f.samples.length < 3) f.samples.push(failure);
      return;
    }
  }
  f.durations.push(performance.now() - started);
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// ------------------------------------------------------------------ setup of each account
function csv(rows: readonly { siret: string; insurerCode: string }[]): string {
  return `\uFEFFSIRET;Code identifiant\r\n${rows.map((r) => `${r.siret};${r.insurerCode}\r\n`).join('')}`;
}

async function prepareAccount(baseUrl: string, door: Door, email: string, dbUrl: string): Promise<Account> {
  // One connection per request, as behind the reverse proxy of docs/deploy/nginx-portail.conf (no
  // upstream keepalive). Reused keep-alive connections race the portal's 5 s idle timeout when its
  // event loop is held: the first 200 × 60 s run on SQLite saw ECONNRESET on requests sent just as
  // the portal closed the idle connection, which no browser behind that proxy can meet.
  const headers = { ...(await loginHeaders(baseUrl, door, email, DEMO_FACTS.password, dbUrl)), connection: 'close' };
  const account: Account = { door, email, headers, csrf: '' };
  const page = async (pathname: string) => {
    const res = await fetch(baseUrl + pathname, { headers, redirect: 'manual' });
    const html = await res.text();
    if (res.status !== 200) throw new Error(`${pathname} répond ${res.status} pour ${email}`);
    return html;
  };
  const home = await page(`/${door}/accueil`);
  account.csrf = (home.match(/name="_csrf" value="([^"]+)"/) ?? home.match(/"X-CSRF-Token":\s*"([^"]+)"/) ?? [])[1] ?? '';
  if (door === 'assure') {
    const list = await page('/assure/remboursements');
    account.statementId = (list.match(/\/assure\/remboursements\/decomptes\/(\d+)\/pdf/) ?? [])[1];
    if (!account.statementId) throw new Error(`Aucun décompte dans « Remboursements » pour ${email}`);
  }
  if (door === 'entreprise') {
    const form = await page(IMPORT_PATH);
    account.csrf = (form.match(/name="_csrf" value="([^"]+)"/) ?? [])[1] ?? account.csrf;
    account.importCsv = csv(email === DEMO_FACTS.hrAdmin.email ? DEMO_FACTS.newEstablishments : [DEMO_FACTS.perimeterAddition]);
  }
  if (!account.csrf) throw new Error(`Pas de jeton CSRF pour ${email}`);
  return account;
}

// ------------------------------------------------------------------ main
async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portail-load-'));
  const database = await prepareDatabase(dataDir);
  let server: Server | null = null;
  let failed = false;
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', cwd: PROJECT_ROOT });
    const port = 3950 + Math.floor(Math.random() * 40);
    server = await startServer({
      ...process.env,
      NODE_ENV: 'production',
      ALLOW_INSECURE_HTTP: 'true',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: database.databaseUrl,
      SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
      SEED_DEMO: 'false',
      LOG_LEVEL: 'error',
    });
    const pid = server.child.pid!;
    const baseUrl = `http://127.0.0.1:${port}`;

    const logins: [Door, string][] = [
      ['assure', DEMO_FACTS.member.email],
      ['assure', DEMO_FACTS.benchMember.email],
      ['entreprise', DEMO_FACTS.hrAdmin.email],
      ['entreprise', DEMO_FACTS.hrUser.email],
      ['gestion', DEMO_FACTS.staff.email],
      ['gestion', DEMO_FACTS.colleague.email],
      ['gestion', DEMO_FACTS.supervisor.email],
    ];
    const accounts: Account[] = [];
    for (const [door, email] of logins) accounts.push(await prepareAccount(baseUrl, door, email, database.databaseUrl));
    console.log(`${accounts.length} comptes connectés ; RSS du portail au repos : ${(treeBytes(pid, 'VmRSS') / 2 ** 20).toFixed(0)} Mo`);

    // Half the users are members, 30 % HR, 20 % staff; each cycles through its space's journeys.
    const all = journeys();
    const byDoor = (door: Door) => accounts.filter((a) => a.door === door);
    const users = Array.from({ length: sessions }, (_, i) => {
      const slot = i % 10;
      const door: Door = slot < 5 ? 'assure' : slot < 8 ? 'entreprise' : 'gestion';
      const pool = byDoor(door);
      return { account: pool[i % pool.length], journeys: all.filter((j) => j.door === door), next: i };
    });

    let peakRss = treeBytes(pid, 'VmRSS');
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, treeBytes(pid, 'VmRSS'))), 200);
    console.log(
      `\nCharge : ${sessions} sessions simultanées pendant ${duration} s sur ${pgAdminUrl ? 'PostgreSQL' : 'SQLite'} (chiffres bruités : machine partagée)\n`,
    );
    // This process's own event-loop delay: when it is large, the load tool, not the portal, is the bottleneck.
    const lag = monitorEventLoopDelay({ resolution: 20 });
    lag.enable();
    const deadline = Date.now() + duration * 1000;
    await Promise.all(
      users.map(async (user) => {
        while (Date.now() < deadline) {
          const journey = user.journeys[user.next++ % user.journeys.length];
          await runJourney(journey, user.account, baseUrl);
        }
      }),
    );
    clearInterval(sampler);
    lag.disable();
    const hwm = treeBytes(pid, 'VmHWM');
    const processes = processTree(pid).length;

    console.log('parcours'.padEnd(58), 'nombre'.padStart(7), 'erreurs'.padStart(8), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8));
    let errors = 0;
    for (const journey of all) {
      const f = figuresOf(journey.name);
      const sorted = [...f.durations].sort((a, b) => a - b);
      errors += f.errors;
      console.log(
        journey.name.padEnd(58),
        String(sorted.length + f.errors).padStart(7),
        String(f.errors).padStart(8),
        percentile(sorted, 50).toFixed(0).padStart(8),
        percentile(sorted, 99).toFixed(0).padStart(8),
      );
      if (f.busy) console.log(`  dont ${f.busy} envois refusés « analyse déjà en cours » (422 prévu : 1 analyse par compte, 2 par portail)`);
      for (const sample of f.samples) console.log(`  erreur : ${sample}`);
    }
    console.log(
      `\nRSS du portail (${processes} processus, additionnés) : pic échantillonné toutes les 200 ms ${(peakRss / 2 ** 20).toFixed(0)} Mo, somme des VmHWM ${(hwm / 2 ** 20).toFixed(0)} Mo`,
    );
    console.log(
      `Retard de la boucle d'événements de l'outil de charge : p99 ${(lag.percentile(99) / 1e6).toFixed(0)} ms, max ${(lag.max / 1e6).toFixed(0)} ms`,
    );
    if (server.errorLines.length) {
      // Grouped by message and path: one line per kind, with its count.
      const kinds = new Map<string, number>();
      for (const line of server.errorLines) {
        let kind = line.slice(0, 300);
        try {
          const entry = JSON.parse(line) as { msg?: string; err?: { message?: string }; req?: { method?: string; path?: string } };
          kind = `${entry.req?.method ?? ''} ${entry.req?.path ?? ''} — ${entry.msg ?? ''} ${entry.err?.message ? `(${entry.err.message})` : ''}`.trim();
        } catch {
          // Not a JSON log line (stderr): kept as it is.
        }
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
      console.log(`\nJournal du portail (niveau error, ${server.errorLines.length} lignes) :`);
      for (const [kind, count] of kinds) console.log(`  ${count} × ${kind}`);
    }
    failed = errors > 0 || server.errorLines.length > 0;
    console.log(failed ? `\nÉCHEC : ${errors} erreurs.` : '\nAucune erreur.');
  } finally {
    const child = server?.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

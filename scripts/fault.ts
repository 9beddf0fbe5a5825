// `npm run fault`: crash safety, proven on the real server (issue #17, part 4). The server runs as
// a child process (`src/server.ts`, SQLite in a temporary DATA_DIR) and is killed with SIGKILL —
// no shutdown, no cleanup — in the middle of:
//   1. an establishment import being analysed (Espace Entreprise, « Ajouter plusieurs établissements »),
//   2. an establishment import being confirmed (the perimeter written in one transaction),
//   3. the load of a décompte feed (« Charger », src/statement-feed/queries.ts),
//   4. an upload whose body is half received (multer writing its temporary file),
//   5. a burst of logins (session rows being written),
// then started again, and the script checks: the database is intact (integrity_check,
// foreign_key_check), nothing was written half (perimeter, décomptes: all or nothing), every
// import job left running is marked failed (or, for the transactional steps, back to its preview
// and loadable again), no file is left that no row points to once the sweeper has run, and a
// session written before the crash still works. Prints one line per check; exits 1 if one fails.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createDb, migrateLatest, type Db } from '../src/db.js';
import { hashPassword } from '../src/domain/passwords.js';
import { generateSiren, generateSiret } from '../src/domain/siret.js';
import { FEED_COLUMNS } from '../src/domain/statement-feed.js';
import { sweepStaleWorkFiles } from '../src/middleware/uploads.js';
import { analyseFeed } from '../src/statement-feed/feed.js';
import { createImportJobWithSlots } from '../src/stores/import-jobs.js';
import { insertFeedMembers } from './bench/feed-members.js';

const PASSWORD = 'Panne-Brutale-2026!';
const ESTABLISHMENTS = 9_000;
const FEED_MEMBERS = 20_000;
const FEED_LINES = 120_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portail-fault-'));
// The files on disk (STORAGE=disk, src/storage/): the checks below read the upload folder itself.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  HOST: '127.0.0.1',
  DATA_DIR: dir,
  NODE_ENV: 'development',
  SEED_DEMO: 'false',
  LOG_LEVEL: 'silent',
  STORAGE: 'disk',
};
delete env.DATABASE_URL;
delete env.SMTP_URL;
delete env.SMS_PROVIDER_URL;
const config = loadConfig(env);
let failures = 0;

function check(ok: boolean, what: string, detail = ''): void {
  if (!ok) failures++;
  console.log(`${ok ? 'OK  ' : 'ÉCHEC'} ${what}${detail ? ` — ${detail}` : ''}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000, everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`délai dépassé : ${what}`);
    await sleep(everyMs);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

// ------------------------------------------------------------------ the server process
let server: ChildProcess | null = null;
let base = '';

async function startServer(): Promise<void> {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  server = child;
  await until(
    'démarrage du serveur',
    async () => {
      if (child.exitCode !== null) throw new Error(`le serveur s'est arrêté : ${output}`);
      return output.includes('disponible sur');
    },
    120_000,
    100,
  );
}

function killServer(): void {
  server?.kill('SIGKILL');
  server = null;
}

// ------------------------------------------------------------------ a browser: cookies and CSRF
function browser() {
  const cookies = new Map<string, string>();
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return res;
  };
  const self = {
    cookie: header,
    get: async (p: string) => keep(await fetch(base + p, { headers: { cookie: header() }, redirect: 'manual' })),
    post: async (p: string, body: Record<string, string> | FormData) =>
      keep(
        await fetch(base + p, {
          method: 'POST',
          headers: { cookie: header(), ...(body instanceof FormData ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
          body: body instanceof FormData ? body : new URLSearchParams(body),
          redirect: 'manual',
        }),
      ),
    token: async (p: string) => {
      let res = await self.get(p);
      for (let i = 0; i < 3 && res.status >= 300 && res.status < 400; i++) res = await self.get(res.headers.get('location')!);
      const match = (await res.text()).match(/name="_csrf" value="([^"]+)"/);
      if (!match) throw new Error(`pas de jeton CSRF sur ${p}`);
      return match[1];
    },
  };
  return self;
}

/** Logs in through the door, with the SMS code read from the outbox (no SMS provider configured). */
async function login(db: Db, door: 'entreprise' | 'gestion', email: string) {
  const b = browser();
  const res = await b.post(`/${door}/connexion`, { _csrf: await b.token(`/${door}`), email, password: PASSWORD });
  if (res.status !== 303) throw new Error(`connexion ${email} : ${res.status}`);
  if (res.headers.get('location') === `/${door}/securite`) {
    await b.post(`/${door}/securite/envoyer`, { _csrf: await b.token(`/${door}/securite`) });
    const account = await db('accounts').where({ email }).first();
    const sms = await db('outbox').where({ recipient: account.mobile }).orderBy('id', 'desc').first();
    const code = /\b(\d{6})\b/.exec(sms.body_text)![1];
    const verified = await b.post(`/${door}/securite/verifier`, { _csrf: await b.token(`/${door}/securite`), code });
    if (verified.status !== 303) throw new Error(`double authentification ${email} : ${verified.status}`);
  }
  return b;
}

// ------------------------------------------------------------------ the data
async function seed(db: Db) {
  const iso = new Date().toISOString();
  const hash = await hashPassword(PASSWORD);
  const account = async (row: Record<string, unknown>) =>
    Number(
      (
        await db('accounts')
          .insert({ status: 'active', password_hash: hash, created_at: iso, updated_at: iso, ...row })
          .returning('id')
      )[0].id,
    );
  const staffId = await account({
    kind: 'staff',
    staff_role: 'gestionnaire',
    email: 'panne.gestion@assureur.example',
    first_name: 'Gaëlle',
    last_name: 'Panne',
    mobile: '+33639980991',
  });
  const hrId = await account({ kind: 'hr', email: 'panne.rh@exemple.fr', first_name: 'Hervé', last_name: 'Panne', mobile: '+33639980992' });
  const siren = generateSiren('31415926');
  const [company] = await db('companies')
    .insert({
      name: 'Cabinet Panne',
      siren,
      insurer_company_number: 'E999001',
      address_line: '1 rue du Crash',
      postal_code: '75011',
      city: 'Paris',
      created_at: iso,
    })
    .returning('id');
  const companyId = Number(company.id);
  await db('hr_habilitations').insert({ account_id: hrId, company_id: companyId, role: 'admin', status: 'active', created_at: iso, updated_at: iso });
  const establishments = Array.from({ length: ESTABLISHMENTS }, (_, i) => ({
    company_id: companyId,
    siret: generateSiret(siren, String(i + 1).padStart(4, '0')),
    name: `Agence ${i + 1}`,
    insurer_code: `P${String(i + 1).padStart(6, '0')}`,
    address_line: '1 rue du Crash',
    postal_code: '75011',
    city: 'Paris',
    created_at: iso,
  }));
  for (let i = 0; i < establishments.length; i += 500) await db('establishments').insert(establishments.slice(i, i + 500));
  // The HR admin follows the first establishment: its space needs one.
  const first = await db('establishments').where({ company_id: companyId }).orderBy('id').first();
  await db('hr_perimeter').insert({ account_id: hrId, establishment_id: first.id, added_at: iso });
  await insertFeedMembers(db, FEED_MEMBERS, { prefix: 'F', lastName: 'Panne', iso, address: { line1: '1 rue du Crash', postalCode: '75011' } });
  return { staffId, hrId, companyId, establishments: establishments.map((e) => [e.siret, e.insurer_code]) };
}

function feedCsv(file: string): void {
  const rows = [`\uFEFF${FEED_COLUMNS.join(';')}`];
  for (let i = 0; i < FEED_LINES; i++) {
    const statement = Math.floor(i / 2);
    const day = String(1 + (statement % 28)).padStart(2, '0');
    rows.push(
      [
        `P${String(statement).padStart(9, '0')}`,
        `${day}/11/2026`,
        `F${String(statement % FEED_MEMBERS).padStart(7, '0')}`,
        'Camille',
        '12/03/1985',
        `${day}/10/2026`,
        i % 2 ? 'pharmacie' : 'consultation_generaliste',
        i % 2 ? 'Pharmacie' : 'Consultation Médecine Générale',
        'Dr Martin',
        '26,50',
        '26,50',
        '18,55',
        '6,95',
        i % 2 ? 'professionnel' : 'assuré',
        `${day}/11/2026`,
      ].join(';'),
    );
  }
  fs.writeFileSync(file, `${rows.join('\r\n')}\r\n`);
}

// ------------------------------------------------------------------ the checks after a restart
const FILE_TABLES: Record<string, string> = {
  requests: 'request_attachments',
  messages: 'message_attachments',
  affiliations: 'affiliation_request_documents',
  documents: 'practical_document_versions',
};

/** Integrity, and no file left once the sweeper ran an hour later (work files) that no row points to. */
async function checkStore(db: Db, step: string): Promise<void> {
  const integrity = await db.raw('PRAGMA integrity_check');
  check(integrity[0]?.integrity_check === 'ok', `${step} : base intègre (integrity_check)`, JSON.stringify(integrity[0]));
  const fk = await db.raw('PRAGMA foreign_key_check');
  check(fk.length === 0, `${step} : aucune clé étrangère orpheline`, fk.length ? JSON.stringify(fk.slice(0, 3)) : '');
  await sweepStaleWorkFiles(config.uploadDir, new Date(Date.now() + 2 * 3600 * 1000));
  const left: string[] = [];
  for (const folder of fs.existsSync(config.uploadDir) ? fs.readdirSync(config.uploadDir) : []) {
    for (const name of fs.readdirSync(path.join(config.uploadDir, folder))) {
      const table = FILE_TABLES[folder];
      const referenced =
        table && ((await db(table).where({ stored_name: name }).first()) || (await db('pending_uploads').where({ stored_name: name }).first()));
      if (!referenced) left.push(`${folder}/${name}`);
    }
  }
  check(left.length === 0, `${step} : aucun fichier orphelin après le passage du balayage`, left.slice(0, 5).join(', '));
}

// ------------------------------------------------------------------ the scenarios
async function main(): Promise<void> {
  console.log(`Données : ${dir} (SQLite, journal_mode=WAL, synchronous=NORMAL — docs/architecture.md)`);
  const db = createDb(config.database);
  await migrateLatest(db);
  const data = await seed(db);
  const csv = `SIRET;Code identifiant\r\n${data.establishments
    .slice(1)
    .map((e) => e.join(';'))
    .join('\r\n')}\r\n`;
  const perimeter = async () => Number((await db('hr_perimeter').where({ account_id: data.hrId }).count({ n: '*' }))[0].n);

  await startServer();
  const hr = await login(db, 'entreprise', 'panne.rh@exemple.fr');

  // 1. Killed while an establishment file is analysed.
  {
    const form = new FormData();
    form.set('_csrf', await hr.token('/entreprise/profil/etablissements/fichier'));
    form.set('fichier', new Blob([csv], { type: 'text/csv' }), 'etablissements.csv');
    const sent = hr.post('/entreprise/profil/etablissements/fichier', form).catch(() => null);
    const job = await until('analyse en cours', () => db('import_jobs').where({ kind: 'establishments', status: 'analyzing' }).first());
    killServer();
    await sent;
    await startServer();
    const after = await until(
      "l'analyse interrompue marquée en échec",
      async () => {
        const row = await db('import_jobs').where({ id: job.id }).first();
        return row.status !== 'analyzing' && row;
      },
      120_000,
      500,
    ).catch((err: Error) => ({ status: err.message }));
    check(after.status === 'failed', '1. import interrompu pendant l’analyse : marqué en échec au redémarrage', `statut ${after.status}`);
    check((await perimeter()) === 1, '1. périmètre inchangé');
    await checkStore(db, '1');
  }

  // 2. Killed while an establishment import is confirmed (one transaction). The session of the
  // login above is still good after the restart (sessions live in the database).
  {
    const form = new FormData();
    form.set('_csrf', await hr.token('/entreprise/profil/etablissements/fichier'));
    form.set('fichier', new Blob([csv], { type: 'text/csv' }), 'etablissements.csv');
    await hr.post('/entreprise/profil/etablissements/fichier', form);
    const job = await until('aperçu prêt', () => db('import_jobs').where({ kind: 'establishments', status: 'preview' }).first(), 120_000, 200);
    const token = await hr.token(`/entreprise/profil/etablissements/fichier/${job.id}`);
    const sent = hr.post(`/entreprise/profil/etablissements/fichier/${job.id}/confirmer`, { _csrf: token }).catch(() => null);
    // The transaction is invisible from outside until it commits, and short: the kill comes a
    // moment after the request left, before or after the commit — either way, all or nothing.
    await sleep(40);
    killServer();
    await sent;
    const count = await perimeter();
    const row = await db('import_jobs').where({ id: job.id }).first();
    check(
      count === 1 || count === ESTABLISHMENTS,
      '2. confirmation interrompue : tout ou rien',
      `${count - 1} établissement(s) ajouté(s), statut ${row.status}`,
    );
    check((row.status === 'preview' && count === 1) || (row.status === 'done' && count === ESTABLISHMENTS), '2. le statut dit ce qui est écrit', row.status);
    await startServer();
    if (row.status === 'preview') {
      const again = await hr.post(`/entreprise/profil/etablissements/fichier/${job.id}/confirmer`, {
        _csrf: await hr.token(`/entreprise/profil/etablissements/fichier/${job.id}`),
      });
      check(
        again.status === 303 && (await perimeter()) === ESTABLISHMENTS,
        '2. l’aperçu se confirme de nouveau après le redémarrage',
        `${again.status}, ${(await perimeter()) - 1} ajouté(s)`,
      );
    }
    await checkStore(db, '2');
  }

  // 3. Killed while a décompte feed is loaded (its preview analysed beforehand, as the page does).
  const staff = await login(db, 'gestion', 'panne.gestion@assureur.example');
  {
    const file = path.join(dir, 'flux.csv');
    feedCsv(file);
    const reservation = await createImportJobWithSlots(db, data.staffId, 'flux.csv', 'fault-script', new Date(), 'statements');
    if (!reservation.ok) throw new Error('pas de place pour analyser le flux');
    await analyseFeed({ db, clock: () => new Date() }, reservation, file);
    const jobId = reservation.jobId;
    const token = await staff.token(`/gestion/decomptes/${jobId}`);
    const sent = staff.post(`/gestion/decomptes/${jobId}/charger`, { _csrf: token }).catch(() => null);
    await until('chargement en cours', () => db('import_jobs').where({ id: jobId, status: 'importing' }).first(), 30_000, 2);
    const wal = `${(config.database as { filename: string }).filename}-wal`;
    const walBefore = fs.statSync(wal).size;
    await until('écriture du chargement', async () => fs.statSync(wal).size > walBefore, 10_000, 2).catch(() => null);
    killServer();
    await sent;
    const statements = Number((await db('statements').where({ import_job_id: jobId }).count({ n: '*' }))[0].n);
    const lines = Number((await db('statement_lines').count({ n: '*' }))[0].n);
    check(
      (statements === 0 && lines === 0) || (statements === FEED_LINES / 2 && lines === FEED_LINES),
      '3. chargement du flux interrompu : tout ou rien',
      `${statements} décompte(s), ${lines} ligne(s)`,
    );
    await startServer();
    // The interrupted load must not stay « chargement en cours »: failed (to send again) or loaded.
    const row = await until(
      'le flux interrompu marqué en échec',
      async () => {
        const r = await db('import_jobs').where({ id: jobId }).first();
        return r.status !== 'importing' && r;
      },
      90_000,
      500,
    ).catch(() => null);
    check(row !== null, '3. le flux interrompu ne reste pas « en cours » après le redémarrage', row ? row.status : 'toujours importing après 90 s');
    await checkStore(db, '3');
  }

  // 4. Killed with an upload half received.
  {
    const b = staff;
    const token = await b.token('/gestion/documents/ajouter');
    const boundary = '----panne';
    const tmp = path.join(config.uploadDir, 'tmp');
    const before = new Set(fs.existsSync(tmp) ? fs.readdirSync(tmp) : []);
    const req = http.request(`${base}/gestion/documents/ajouter`, {
      method: 'POST',
      headers: { cookie: b.cookie(), 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(8 * 1024 * 1024) },
    });
    req.on('error', () => {});
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`);
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="notice.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`);
    req.write(Buffer.alloc(2 * 1024 * 1024, 0x20));
    await until(
      'fichier temporaire en cours',
      async () => fs.existsSync(tmp) && fs.readdirSync(tmp).some((n) => !before.has(n) && fs.statSync(path.join(tmp, n)).size > 0),
      30_000,
    );
    const documents = Number((await db('practical_document_versions').count({ n: '*' }))[0].n);
    killServer();
    req.destroy();
    await startServer();
    check(Number((await db('practical_document_versions').count({ n: '*' }))[0].n) === documents, '4. envoi interrompu : aucun document enregistré');
    await checkStore(db, '4');
  }

  // 5. Killed during a burst of logins (sessions written), a session written before kept.
  {
    const kept = staff;
    const burst = Array.from({ length: 30 }, async () => {
      const b = browser();
      const token = await b.token('/gestion').catch(() => null);
      if (token) await b.post('/gestion/connexion', { _csrf: token, email: 'panne.gestion@assureur.example', password: PASSWORD }).catch(() => null);
    });
    await until('sessions en cours d’écriture', async () => Number((await db('sessions').count({ n: '*' }))[0].n) > 10, 30_000, 5).catch(() => null);
    killServer();
    await Promise.all(burst);
    await startServer();
    const rows: { sess: string }[] = await db('sessions').select('sess');
    const readable = rows.every((r) => {
      try {
        JSON.parse(r.sess);
        return true;
      } catch {
        return false;
      }
    });
    check(readable, '5. sessions lisibles après l’arrêt brutal', `${rows.length} session(s)`);
    const home = await kept.get('/gestion/accueil');
    check(home.status === 200, '5. une session ouverte avant l’arrêt fonctionne après le redémarrage', String(home.status));
    await checkStore(db, '5');
  }

  killServer();
  await db.destroy();
}

main()
  .catch((err) => {
    failures++;
    console.error('Scénario interrompu :', err);
  })
  .finally(() => {
    killServer();
    if (!process.env.FAULT_KEEP) fs.rmSync(dir, { recursive: true, force: true });
    console.log(failures ? `${failures} vérification(s) en échec.` : 'Toutes les vérifications sont passées.');
    process.exit(failures ? 1 : 0);
  });

// Logs a demo account into the running portal for the bench, through the real door: login form,
// then the double authentification, whose SMS code is read from the outbox table of the bench
// database (no SMS provider is configured there). Returns the headers (the session cookie) every
// request of a scenario then sends. One login per account and door for the whole bench run:
// codes cannot be resent within a minute.
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createDb, type Db } from '../../src/db.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { DEMO_FACTS, DEMO_PASSWORD } from '../../db/seeds/demo/index.js';

export type Door = 'assure' | 'entreprise' | 'gestion';

/** The bench database npm run bench uses (same --scale option, default 334). */
export function benchDbFile(argv: string[] = process.argv): string {
  const i = argv.indexOf('--scale');
  const scale = i > 0 ? Number(argv[i + 1]) : 334;
  return path.join(PROJECT_ROOT, 'data', `bench-scale-${scale}.sqlite`);
}

class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      if (at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

function csrfFrom(html: string, url: string): string {
  const match = html.match(/name="_csrf" value="([^"]+)"/);
  if (!match) throw new Error(`Pas de jeton CSRF dans ${url}`);
  return match[1];
}

/** `dbFile` is a SQLite file, or a postgres:// URL (npm run load -- --pg). */
async function withBenchDb<T>(dbFile: string, work: (db: Db) => Promise<T>): Promise<T> {
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: dbFile.startsWith('postgres') ? dbFile : `sqlite:${dbFile}` });
  const db = createDb(config.database);
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function logIn(baseUrl: string, door: Door, email: string, password: string, dbFile: string): Promise<Record<string, string>> {
  const jar = new CookieJar();
  const get = async (pathname: string) => {
    const res = await fetch(baseUrl + pathname, { headers: { cookie: jar.header() }, redirect: 'manual' });
    jar.store(res);
    return { res, html: await res.text() };
  };
  const post = async (pathname: string, form: Record<string, string>) => {
    const res = await fetch(baseUrl + pathname, {
      method: 'POST',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
    jar.store(res);
    await res.arrayBuffer();
    return res;
  };

  const loginPage = await get(`/${door}`);
  const login = await post(`/${door}/connexion`, { _csrf: csrfFrom(loginPage.html, `/${door}`), email, password });
  if (login.status !== 303) throw new Error(`Connexion de ${email} refusée (HTTP ${login.status})`);
  if (login.headers.get('location') === `/${door}/securite`) {
    const { mobile, lastId } = await withBenchDb(dbFile, async (db) => {
      const account = await db('accounts').where({ email }).first('mobile');
      const last = await db('outbox').max({ id: 'id' }).first();
      return { mobile: account?.mobile as string | undefined, lastId: Number(last?.id ?? 0) };
    });
    if (!mobile) throw new Error(`Le compte ${email} n'a pas de mobile pour la double authentification`);
    let code: string | undefined;
    for (let attempt = 0; attempt < 2 && !code; attempt++) {
      if (attempt > 0) {
        console.log('  Code SMS non renvoyé (un envoi par minute) : nouvel essai dans 61 s…');
        await sleep(61_000);
      }
      const screen = await get(`/${door}/securite`);
      await post(`/${door}/securite/envoyer`, { _csrf: csrfFrom(screen.html, `/${door}/securite`) });
      code = await withBenchDb(dbFile, async (db) => {
        const sms = await db('outbox').where({ recipient: mobile }).where('id', '>', lastId).orderBy('id', 'desc').first('body_text');
        return (String(sms?.body_text ?? '').match(/\b(\d{6})\b/) ?? [])[1];
      });
    }
    if (!code) throw new Error(`Aucun code SMS dans la table outbox pour ${email}`);
    const screen = await get(`/${door}/securite`);
    const verified = await post(`/${door}/securite/verifier`, { _csrf: csrfFrom(screen.html, `/${door}/securite`), code });
    if (verified.status !== 303 || verified.headers.get('location') !== `/${door}/accueil`) {
      throw new Error(`Double authentification de ${email} refusée (HTTP ${verified.status})`);
    }
  }
  const home = await get(`/${door}/accueil`);
  if (home.res.status !== 200) throw new Error(`/${door}/accueil répond ${home.res.status} après la connexion de ${email}`);
  return { cookie: jar.header() };
}

const sessions = new Map<string, Promise<Record<string, string>>>();

/** Headers of a logged-in session for this account, shared by every scenario of the run. */
export function loginHeaders(baseUrl: string, door: Door, email: string, password = DEMO_PASSWORD, dbFile = benchDbFile()): Promise<Record<string, string>> {
  const key = `${baseUrl} ${door} ${email}`;
  let session = sessions.get(key);
  if (!session) {
    session = logIn(baseUrl, door, email, password, dbFile);
    sessions.set(key, session);
    session.catch(() => sessions.delete(key));
  }
  return session;
}

/** The demo member with ~500 décompte lines (DEMO_FACTS.benchMember). */
export function benchMemberHeaders(baseUrl: string): Promise<Record<string, string>> {
  return loginHeaders(baseUrl, 'assure', DEMO_FACTS.benchMember.email);
}

/** The demo HR administrator (rh.admin, companies totalling more than 50,000 employees at scale 334). */
export function benchHrAdminHeaders(baseUrl: string): Promise<Record<string, string>> {
  return loginHeaders(baseUrl, 'entreprise', DEMO_FACTS.hrAdmin.email);
}

/** The demo staff member (gestion@), for the staff inbox. */
export function benchStaffHeaders(baseUrl: string): Promise<Record<string, string>> {
  return loginHeaders(baseUrl, 'gestion', DEMO_FACTS.staff.email);
}

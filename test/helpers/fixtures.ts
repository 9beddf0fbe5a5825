// Small, explicit rows for HTTP tests (the demo seed is for people; tests build what they need).
import request from 'supertest';
import type { Express } from 'express';
import { insertedId, type Db } from '../../src/db.js';
import { hashPassword } from '../../src/domain/passwords.js';
import { generateSiren, generateSiret } from '../../src/domain/siret.js';
import { csrfFrom } from './app.js';

export const PASSWORD = 'cheval agrafe batterie correcte';
let passwordHash: Promise<string> | null = null;
const now = () => new Date('2026-11-01T08:00:00.000Z').toISOString();
let counter = 0;

/** Inserts a row and returns its id, on SQLite and PostgreSQL alike. */
export async function insertId(db: Db, table: string, row: Record<string, unknown>): Promise<number> {
  const [inserted] = await db(table).insert(row).returning('id');
  return insertedId(inserted);
}

export async function createCompany(db: Db, name = 'Agence Test') {
  counter += 1;
  const siren = generateSiren(String(40000000 + counter * 7919).slice(0, 8));
  const companyId = await insertId(db, 'companies', {
    name,
    siren,
    insurer_company_number: `E${String(100000 + counter)}`,
    address_line: '1 rue de la Paix',
    postal_code: '75002',
    city: 'Paris',
    created_at: now(),
  });
  const siret = generateSiret(siren, '0001');
  const establishmentId = await insertId(db, 'establishments', {
    company_id: companyId,
    siret,
    name: `${name} — siège`,
    insurer_code: `C${String(500000 + counter)}`,
    address_line: '1 rue de la Paix',
    postal_code: '75002',
    city: 'Paris',
    created_at: now(),
  });
  const company = await db('companies').where({ id: companyId }).first();
  return { companyId, establishmentId, siren, siret, insurerCompanyNumber: company.insurer_company_number as string };
}

export async function createMember(db: Db, options: { email?: string | null; mobile?: string | null; firstName?: string; lastName?: string } = {}) {
  counter += 1;
  const memberId = await insertId(db, 'members', {
    member_number: `T${String(counter).padStart(7, '0')}`,
    nir: '295109912611193',
    sex: 'F',
    last_name: options.lastName ?? 'Durand',
    first_name: options.firstName ?? 'Claire',
    birth_date: '1995-10-14',
    email: options.email === undefined ? `membre${counter}@exemple.fr` : options.email,
    mobile: options.mobile === undefined ? '+33639980042' : options.mobile,
    address_line1: '3 place du Marché',
    postal_code: '69001',
    city: 'Lyon',
    created_at: now(),
    updated_at: now(),
  });
  return { memberId, email: (await db('members').where({ id: memberId }).first()).email as string | null };
}

export async function createAccount(
  db: Db,
  options: {
    kind: 'member' | 'hr' | 'staff';
    email?: string;
    mobile?: string | null;
    status?: string;
    memberId?: number | null;
    firstName?: string;
    password?: string | null;
    lastVerifiedIp?: string | null;
    lastVerifiedAt?: string | null;
    /** HR accounts get a company of their own (as Utilisateur) unless false: the space needs one. */
    hrCompany?: boolean;
    /** Staff accounts: « gestionnaire » unless said. */
    staffRole?: 'gestionnaire' | 'superviseur';
  },
) {
  counter += 1;
  passwordHash ??= hashPassword(PASSWORD);
  const hash = options.password === null ? null : options.password ? await hashPassword(options.password) : await passwordHash;
  const email = options.email ?? `${options.kind}${counter}@exemple.fr`;
  // A member account always belongs to a member (the Espace Assuré is scoped by it).
  const memberId = options.kind === 'member' && options.memberId === undefined ? (await createMember(db, { email })).memberId : options.memberId;
  const id = await insertId(db, 'accounts', {
    kind: options.kind,
    email,
    password_hash: hash,
    status: options.status ?? 'active',
    first_name: options.firstName ?? 'Camille',
    last_name: 'Martin',
    mobile: options.mobile === undefined ? '+33639980011' : options.mobile,
    member_id: memberId ?? null,
    staff_role: options.kind === 'staff' ? (options.staffRole ?? 'gestionnaire') : null,
    last_verified_ip: options.lastVerifiedIp ?? null,
    last_verified_login_at: options.lastVerifiedAt ?? null,
    created_at: now(),
    updated_at: now(),
  });
  if (options.kind === 'hr' && options.hrCompany !== false) await grantHr(db, id, (await createCompany(db, `Société de ${email}`)).companyId, 'user');
  return { id, email };
}

export async function grantHr(db: Db, accountId: number, companyId: number, role: 'admin' | 'user' = 'admin') {
  await db('hr_habilitations').insert({ account_id: accountId, company_id: companyId, role, status: 'active', created_at: now(), updated_at: now() });
}

/** The newest outbox message to a recipient. */
export async function lastMessageTo(db: Db, recipient: string) {
  return db('outbox').where({ recipient }).orderBy('id', 'desc').first();
}

export function codeIn(text: string): string {
  const match = text.match(/\b(\d{6})\b/);
  if (!match) throw new Error(`no code in: ${text}`);
  return match[1];
}

export function linkIn(text: string): string {
  const match = text.match(/https?:\/\/[^\s]+/);
  if (!match) throw new Error(`no link in: ${text}`);
  return new URL(match[0]).pathname;
}

/** GETs a page with the agent and returns its CSRF token. */
export async function tokenFrom(agent: ReturnType<typeof request.agent>, path: string): Promise<string> {
  const res = await agent.get(path).redirects(2);
  return csrfFrom(res.text);
}

/** Logs an account in through the door, doing the SMS 2FA when asked. Returns the agent. */
export async function loginAs(
  app: Express,
  db: Db,
  door: 'assure' | 'entreprise' | 'gestion',
  email: string,
  password = PASSWORD,
  headers: Record<string, string> = {},
) {
  const agent = request.agent(app);
  const token = await tokenFrom(agent, `/${door}`);
  const res = await agent.post(`/${door}/connexion`).set(headers).type('form').send({ _csrf: token, email, password });
  if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
  if (res.headers.location === `/${door}/securite`) {
    const sendToken = await tokenFrom(agent, `/${door}/securite`);
    await agent.post(`/${door}/securite/envoyer`).set(headers).type('form').send({ _csrf: sendToken }).expect(303);
    // The same address may log in at another door: the account of this door's kind.
    const kind = { assure: 'member', entreprise: 'hr', gestion: 'staff' }[door];
    const account = await db('accounts').where({ email, kind }).first();
    const sms = await lastMessageTo(db, account.mobile);
    const verifyToken = await tokenFrom(agent, `/${door}/securite`);
    await agent
      .post(`/${door}/securite/verifier`)
      .set(headers)
      .type('form')
      .send({ _csrf: verifyToken, code: codeIn(sms.body_text) })
      .expect(303);
  }
  return agent;
}

/** HTML with EJS's entity escapes turned back into characters, to search French text. */
export function decoded(html: string): string {
  return html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The visible text of a page: tags dropped, entities decoded, spaces (non-breaking too) collapsed, to search French text. */
export function textOf(html: string): string {
  return decoded(html.replace(/<[^>]+>/g, ' '))
    .replace(/\u00a0|\u202f/g, ' ')
    .replace(/\s+/g, ' ');
}

/** A browser with its own session, CSRF token and IP address (behind TRUST_PROXY). */
export async function ipBrowser(app: Express, tokenPage: string, ip: string) {
  const agent = request.agent(app);
  const token = await tokenFrom(agent, tokenPage);
  return {
    agent,
    ip,
    token,
    get: (path: string) => agent.get(path).set('X-Forwarded-For', ip),
    post: (path: string, body: Record<string, string> = {}, headers: Record<string, string> = {}) =>
      agent
        .post(path)
        .set('X-Forwarded-For', ip)
        .set(headers)
        .type('form')
        .send({ _csrf: token, ...body }),
    postRaw: (path: string, body: string) =>
      agent
        .post(path)
        .set('X-Forwarded-For', ip)
        .type('form')
        .send(`_csrf=${encodeURIComponent(token)}&${body}`),
  };
}

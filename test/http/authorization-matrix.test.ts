// The authorization matrix (test/authorization-matrix.ts) against the routes the app registers:
// every route (method and path, read from the app's own routers by src/middleware/route-table.ts)
// needs an entry, every entry needs a route, and each of the nine roles gets the answer its entry
// says. The path parameters carry ids of tenant A (Marie's family, Cabinet Verdier Immobilier, the
// demo's staff work) taken from the demo seed: member B and the HR administrator of another
// company ask for them too, so a route that leaks shows a 200 where the matrix says 404.
//
// One app and one database for the file; each role logs in once. Each role's session row is saved
// after its login and put back before each of its requests, so a logout, a session ended by a
// guard or a wizard step stored by one request does not change the next answer. GET routes run
// first (the roles in parallel), then POST routes (one role after the other, in a fixed order, with
// the role's valid CSRF token and no other field), so that a POST changing data (an affiliation
// validated, a thread closed) cannot change a GET answer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import request from 'supertest';
import { makeClock, makeTestApp, type TestContext } from '../helpers/app.js';
import { createAccount, insertId, loginAs, PASSWORD, tokenFrom } from '../helpers/fixtures.js';
import { DEMO_FACTS, seedDemo } from '../../db/seeds/demo/index.js';
import { listRoutes } from '../../src/middleware/route-table.js';
import { SESSION_COOKIE } from '../../src/middleware/session.js';
import { classify, MATRIX, MATRIX_FILE, PATH_IDS, ROLES, formatRow, type Answer, type IdSource, type Role } from '../authorization-matrix.js';

const SEEDED_AT = new Date('2026-11-22T07:00:00.000Z');
const CHECKED_METHODS = new Set(['GET', 'POST']);

interface Session {
  cookie: string;
  token: string;
  sid: string;
  row: Record<string, unknown> | undefined;
}

let t: TestContext;
let server: http.Server;
let sessions: Record<Role, Session>;
let ids: Record<IdSource, string>;

type Agent = ReturnType<typeof request.agent>;

/** The session cookie an agent holds (superagent keeps its cookies in a cookiejar). */
function sessionCookieOf(agent: Agent): string {
  const jar = (agent as unknown as { jar: { getCookie(name: string, access: object): { value: string } | undefined } }).jar;
  const cookie = jar.getCookie(SESSION_COOKIE, { domain: '127.0.0.1', path: '/', secure: false, script: false });
  if (!cookie) throw new Error('no session cookie');
  return `${SESSION_COOKIE}=${cookie.value}`;
}

async function captureSession(agent: Agent, tokenPage: string): Promise<Session> {
  const token = await tokenFrom(agent, tokenPage);
  const cookie = sessionCookieOf(agent);
  // « s:<sid>.<signature> », URL-encoded (express-session's signed cookie).
  const signed = decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1));
  const sid = signed.slice(2, signed.lastIndexOf('.'));
  const row = await t.db('sessions').where({ sid }).first();
  if (!row) throw new Error(`no stored session for ${tokenPage}`);
  return { cookie, token, sid, row };
}

/** Puts the role's session back as it was right after its login. */
async function restore(session: Session): Promise<void> {
  if (!session.row) return;
  await t.db('sessions').insert(session.row).onConflict('sid').merge();
}

async function loginRole(door: 'assure' | 'entreprise' | 'gestion', email: string, password: string, home: string): Promise<Session> {
  const agent = await loginAs(t.app, t.db, door, email, password);
  return captureSession(agent, home);
}

/** The ids of tenant A that the path parameters take (PATH_IDS says which parameter takes which). */
async function tenantIds(
  db: TestContext['db'],
  extra: { hrTarget: number; erasure: number; establishmentsJob: number; feedJob: number; memberExport: number; hrExport: number },
) {
  const first = async (query: Promise<Record<string, unknown> | undefined>, what: string) => {
    const row = await query;
    if (!row) throw new Error(`the demo seed has no ${what}`);
    return String(row.id);
  };
  const marie = await db('members').where({ member_number: DEMO_FACTS.member.memberNumber }).first();
  const verdier = await db('companies').where({ name: DEMO_FACTS.companies.verdier.name }).first();
  const hrAdmin = await db('accounts').where({ email: DEMO_FACTS.hrAdmin.email, kind: 'hr' }).first();
  const hrThread = await first(
    db('message_threads')
      .where({ owner_kind: 'hr', company_id: verdier.id, account_id: hrAdmin.id })
      .whereExists(
        db('messages').join('message_attachments', 'message_attachments.message_id', 'messages.id').whereRaw('messages.thread_id = message_threads.id'),
      )
      .orderBy('id')
      .first('id'),
    'thread of rh.admin for Verdier with a file',
  );
  const attachmentOfThread = (threadId: string, what: string) =>
    first(
      db('message_attachments')
        .join('messages', 'messages.id', 'message_attachments.message_id')
        .where({ 'messages.thread_id': threadId })
        .first('message_attachments.id'),
      what,
    );
  const memberThreadWithFile = await first(
    db('message_threads')
      .where({ owner_kind: 'member', member_id: marie.id })
      .whereExists(
        db('messages').join('message_attachments', 'message_attachments.message_id', 'messages.id').whereRaw('messages.thread_id = message_threads.id'),
      )
      .orderBy('id')
      .first('id'),
    'thread of Marie with a file',
  );
  const memberRequestWithFile = await first(
    db('requests')
      .where({ member_id: marie.id })
      .whereExists(db('request_attachments').whereRaw('request_attachments.request_id = requests.id'))
      .orderBy('id')
      .first('id'),
    'request of Marie with a file',
  );
  // Outside rh.utilisateur's « périmètre suivi » (DEMO_FACTS.perimeterAddition): their administrator sees it, they do not.
  const annecy = await db('establishments').where({ siret: DEMO_FACTS.perimeterAddition.siret }).first();
  const sentRequest = await first(
    db('affiliation_requests').where({ company_id: verdier.id, establishment_id: annecy.id }).orderBy('id').first(),
    'enrolment at Verdier Annecy',
  );
  const finalized = await first(db('affiliation_requests').where({ status: 'finalized' }).orderBy('id').first(), 'finalized enrolment');
  // The « Conditions particulières » of Verdier: for Verdier's HR only.
  const practicalDocument = await first(db('practical_documents').where({ company_id: verdier.id }).orderBy('id').first(), 'practical document of Verdier');
  const establishment = await first(db('establishments').where({ company_id: verdier.id }).orderBy('id').first(), 'establishment of Verdier');
  const contract = await first(db('contracts').where({ company_id: verdier.id }).orderBy('id').first(), 'contract of Verdier');
  const colleague = await first(db('accounts').where({ email: DEMO_FACTS.colleague.email, kind: 'staff' }).first(), 'colleague');
  const memberRequestAttachment = await first(
    db('request_attachments').where({ request_id: memberRequestWithFile }).orderBy('id').first(),
    'request attachment',
  );
  const memberThreadAttachment = await attachmentOfThread(memberThreadWithFile, 'attachment of a thread of Marie');
  return {
    memberStatement: await first(db('statements').where({ member_id: marie.id }).orderBy('id').first(), 'statement of Marie'),
    memberBeneficiary: await first(db('beneficiaries').where({ member_id: marie.id }).orderBy('id').first(), 'beneficiary of Marie'),
    memberAffiliation: await first(db('affiliations').where({ member_id: marie.id }).orderBy('id').first(), 'affiliation of Marie'),
    memberExport: String(extra.memberExport),
    memberRequest: memberRequestWithFile,
    memberRequestAttachment,
    memberThread: memberThreadWithFile,
    memberThreadAttachment,
    memberId: String(marie.id),
    companyEmployee: await first(
      db('members')
        .whereExists(db('affiliations').whereRaw('affiliations.member_id = members.id').where({ establishment_id: annecy.id }))
        .orderBy('id')
        .first('id'),
      'employee of Verdier Annecy',
    ),
    serviceSlug: 'deuxieme-avis-medical',
    preventionSlug: 'vaccination',
    hrTarget: String(extra.hrTarget),
    hrExport: String(extra.hrExport),
    establishmentsJob: String(extra.establishmentsJob),
    companyContract: contract,
    companyEnrolment: sentRequest,
    hrNotification: await first(db('notifications').where({ account_id: hrAdmin.id }).orderBy('id').first(), 'notification of rh.admin'),
    hrThread,
    hrThreadAttachment: await attachmentOfThread(hrThread, 'attachment of a thread of rh.admin'),
    practicalDocument,
    practicalDocumentVersion: '1',
    staffColleague: colleague,
    staffRequest: memberRequestWithFile,
    staffRequestAttachment: memberRequestAttachment,
    staffThread: memberThreadWithFile,
    staffThreadAttachment: memberThreadAttachment,
    finalizedEnrolment: finalized,
    finalizedEnrolmentDocument: await first(
      db('affiliation_request_documents').where({ request_id: finalized }).orderBy('id').first(),
      'document of a finalized enrolment',
    ),
    company: String(verdier.id),
    companyEstablishment: establishment,
    feedJob: String(extra.feedJob),
    erasureRequest: String(extra.erasure),
    enrolmentToken: DEMO_FACTS.affiliationStarted.token,
    unknownToken: 'jeton-inconnu-0000000000000000',
    outboxMessage: await first(db('outbox').orderBy('id').first(), 'outbox message'),
  } satisfies Record<IdSource, string>;
}

before(async () => {
  t = await makeTestApp({}, { clock: makeClock(SEEDED_AT) });
  await seedDemo(t.db, { scale: 0.05, brand: t.config.brand, uploadDir: t.config.uploadDir, now: SEEDED_AT });
  server = http.createServer(t.app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { db } = t;
  const verdier = await db('companies').where({ name: DEMO_FACTS.companies.verdier.name }).first();
  const marie = await db('accounts').where({ email: DEMO_FACTS.member.email, kind: 'member' }).first();
  const hrAdmin = await db('accounts').where({ email: DEMO_FACTS.hrAdmin.email, kind: 'hr' }).first();
  const staff = await db('accounts').where({ email: DEMO_FACTS.staff.email, kind: 'staff' }).first();
  const memberB = await db('accounts').where({ kind: 'member', status: 'active' }).whereNot({ member_id: marie.member_id }).orderBy('id').first();
  const now = SEEDED_AT.toISOString();
  // Rows the demo seed does not hold: an HR user of Verdier the administrator acts on, one whose
  // access gets suspended after logging in, an erasure request, an establishment file and a
  // décompte feed already analysed, and a data export of Marie and of rh.admin.
  const hrTarget = await createAccount(db, { kind: 'hr', hrCompany: false, email: 'rh.cible@exemple.fr' });
  await db('hr_habilitations').insert({ account_id: hrTarget.id, company_id: verdier.id, role: 'user', status: 'active', created_at: now, updated_at: now });
  const suspended = await createAccount(db, { kind: 'hr', hrCompany: false, email: 'rh.suspendu@exemple.fr' });
  await db('hr_habilitations').insert({ account_id: suspended.id, company_id: verdier.id, role: 'user', status: 'active', created_at: now, updated_at: now });
  const eraser = await createAccount(db, { kind: 'member', email: 'effacement@exemple.fr' });
  const erasure = await insertId(db, 'erasure_requests', {
    account_id: eraser.id,
    account_kind: 'member',
    open_key: eraser.id,
    status: 'pending',
    message: 'Merci',
    requested_at: now,
  });
  const job = (kind: string, accountId: number, companyId: number | null) =>
    insertId(db, 'import_jobs', {
      kind,
      account_id: accountId,
      company_id: companyId,
      status: 'failed',
      file_name: 'fichier.csv',
      total_lines: 0,
      valid_count: 0,
      existing_count: 0,
      error_count: 0,
      processed_count: 0,
      result: JSON.stringify({ message: 'Analyse interrompue.' }),
      created_at: now,
      updated_at: now,
      finished_at: now,
    });
  const establishmentsJob = await job('establishments', hrAdmin.id, verdier.id);
  const feedJob = await job('statements', staff.id, null);
  const dataExport = (accountId: number) => insertId(db, 'data_exports', { account_id: accountId, open_key: null, status: 'downloaded', requested_at: now });
  const memberExport = await dataExport(marie.id);
  const hrExport = await dataExport(hrAdmin.id);

  const password = DEMO_FACTS.password;
  const anonymous = request.agent(server);
  sessions = {
    anonymous: await captureSession(anonymous, '/assure'),
    memberA: await loginRole('assure', DEMO_FACTS.member.email, password, '/assure/accueil'),
    memberB: await loginRole('assure', memberB.email, password, '/assure/accueil'),
    hrAdmin: await loginRole('entreprise', DEMO_FACTS.hrAdmin.email, password, '/entreprise/accueil'),
    hrUser: await loginRole('entreprise', DEMO_FACTS.hrUser.email, password, '/entreprise/accueil'),
    hrOther: await loginRole('entreprise', DEMO_FACTS.otherHrAdmin.email, password, '/entreprise/accueil'),
    hrSuspended: await loginRole('entreprise', suspended.email, PASSWORD, '/entreprise/accueil'),
    gestionnaire: await loginRole('gestion', DEMO_FACTS.staff.email, password, '/gestion/accueil'),
    superviseur: await loginRole('gestion', DEMO_FACTS.supervisor.email, password, '/gestion/accueil'),
  };
  // Suspended by their administrator after logging in: the session they hold must open nothing.
  await db('hr_habilitations').where({ account_id: suspended.id }).update({ status: 'suspended' });
  // After the logins: their codes are the outbox's messages.
  ids = await tenantIds(db, { hrTarget: hrTarget.id, erasure, establishmentsJob, feedJob, memberExport, hrExport });
});
after(async () => {
  server?.close();
  await t?.close();
});

/** The route's path with each parameter replaced by the id PATH_IDS names for it. */
function concretePath(pattern: string): string {
  return pattern.replace(/:(\w+)/g, (_m, name: string, offset: number) => {
    const key = pattern.slice(0, offset) + `:${name}`;
    const source = PATH_IDS[key];
    if (!source) throw new Error(`no id for « :${name} » of ${pattern}: add « '${key}': '…' » to PATH_IDS in ${MATRIX_FILE}`);
    return encodeURIComponent(ids[source]);
  });
}

async function ask(role: Role, method: string, url: string): Promise<{ answer: Answer; status: number; location?: string }> {
  const session = sessions[role];
  await restore(session);
  const req = method === 'POST' ? request(server).post(url).type('form').send({ _csrf: session.token }) : request(server).get(url);
  const res = await req.set('Cookie', session.cookie).redirects(0);
  return { answer: classify(res.status, res.headers.location), status: res.status, location: res.headers.location };
}

describe('authorization matrix', () => {
  test('every registered route has an entry, every entry a route, and each role gets the answer of its entry', { timeout: 300_000 }, async () => {
    const routes = listRoutes(t.app).flatMap((r) =>
      r.methods.filter((m) => CHECKED_METHODS.has(m)).map((method) => ({ method, path: r.path, key: `${method} ${r.path}` })),
    );
    const unchecked = listRoutes(t.app).flatMap((r) => r.methods.filter((m) => !CHECKED_METHODS.has(m)).map((m) => `${m} ${r.path}`));
    assert.deepEqual(unchecked, [], 'routes of a method the matrix does not check yet (add it to CHECKED_METHODS)');
    const registered = new Set(routes.map((r) => r.key));
    const failures: string[] = [];
    const missing: string[] = [];
    for (const key of Object.keys(MATRIX)) {
      if (!registered.has(key)) failures.push(`entry « ${key} » of ${MATRIX_FILE} names no registered route: remove it`);
    }
    const observe = async (route: (typeof routes)[number], role: Role, observed: Record<string, Answer>) => {
      const url = concretePath(route.path);
      const got = await ask(role, route.method, url);
      observed[role] = got.answer;
      const expected = MATRIX[route.key]?.[ROLES.indexOf(role)];
      if (got.status >= 500) failures.push(`${route.method} ${url} as ${role}: ${got.status}`);
      else if (expected !== undefined && expected !== got.answer)
        failures.push(
          `${route.key} as ${role}: expected ${expected}, got ${got.answer} (${got.status}${got.location ? ` → ${got.location}` : ''}, ${route.method} ${url})`,
        );
    };
    const ordered = [...routes.filter((r) => r.method === 'GET'), ...routes.filter((r) => r.method !== 'GET')];
    for (const route of ordered) {
      const observed: Record<string, Answer> = {};
      if (route.method === 'GET') await Promise.all(ROLES.map((role) => observe(route, role, observed)));
      else for (const role of ROLES) await observe(route, role, observed);
      if (!MATRIX[route.key]) missing.push(`  '${route.key}': ${formatRow(ROLES.map((role) => observed[role]))},`);
    }
    if (missing.length)
      failures.push(
        `${missing.length} route(s) without an entry in ${MATRIX_FILE}. The answers each role got today are below: check every cell against who may see the route, then add the lines:\n${missing.join('\n')}`,
      );
    assert.deepEqual(failures, [], failures.join('\n'));
  });
});

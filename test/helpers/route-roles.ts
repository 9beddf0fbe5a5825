// The roles of test/authorization-matrix.ts, logged in once on one app over the demo seed, and the
// ids of tenant A that path parameters take: shared by the authorization matrix
// (test/http/authorization-matrix.test.ts) and the form fuzzing (test/http/form-fuzz.test.ts).
//
// Each role's session row is saved after its login and put back before each of its requests
// (`send`), so a logout, a session ended by a guard or a wizard step stored by one request does not
// change the next answer. Requests carry the role's cookie as a fixed header and its CSRF token.
import http from 'node:http';
import request from 'supertest';
import { makeClock, makeTestApp, type TestContext } from './app.js';
import { createAccount, insertId, loginAs, PASSWORD, tokenFrom } from './fixtures.js';
import { DEMO_FACTS, seedDemo } from '../../db/seeds/demo/index.js';
import type { Db } from '../../src/db.js';
import { SESSION_COOKIE } from '../../src/middleware/session.js';
import { MATRIX_FILE, PATH_IDS, type IdSource, type Role } from '../authorization-matrix.js';

const SEEDED_AT = new Date('2026-11-22T07:00:00.000Z');

export interface Session {
  cookie: string;
  token: string;
  sid: string;
  row: Record<string, unknown>;
}

type Agent = ReturnType<typeof request.agent>;

/** The session cookie an agent holds (superagent keeps its cookies in a cookiejar). */
function sessionCookieOf(agent: Agent): string {
  const jar = (agent as unknown as { jar: { getCookie(name: string, access: object): { value: string } | undefined } }).jar;
  const cookie = jar.getCookie(SESSION_COOKIE, { domain: '127.0.0.1', path: '/', secure: false, script: false });
  if (!cookie) throw new Error('no session cookie');
  return `${SESSION_COOKIE}=${cookie.value}`;
}

async function captureSession(db: Db, agent: Agent, tokenPage: string): Promise<Session> {
  const token = await tokenFrom(agent, tokenPage);
  const cookie = sessionCookieOf(agent);
  // « s:<sid>.<signature> », URL-encoded (express-session's signed cookie).
  const signed = decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1));
  const sid = signed.slice(2, signed.lastIndexOf('.'));
  const row = await db('sessions').where({ sid }).first();
  if (!row) throw new Error(`no stored session for ${tokenPage}`);
  return { cookie, token, sid, row };
}

/** The ids of tenant A that the path parameters take (PATH_IDS says which parameter takes which). */
async function tenantIds(
  db: Db,
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

export interface RoleWorld {
  t: TestContext;
  server: http.Server;
  sessions: Record<Role, Session>;
  ids: Record<IdSource, string>;
  /** The route's path with each parameter replaced by the id PATH_IDS names for it. */
  concretePath(pattern: string): string;
  /** A request as `role`: its session put back first, its cookie set, then `build` adds the body. */
  send(role: Role, method: 'GET' | 'POST', url: string, build?: (req: request.Test) => request.Test): Promise<request.Response>;
  /** Keeps the session a response gave the role (a new cookie when the session was regenerated), as it is now. */
  adopt(role: Role, res: request.Response): Promise<void>;
  close(): Promise<void>;
}

export async function createRoleWorld(): Promise<RoleWorld> {
  const t = await makeTestApp({}, { clock: makeClock(SEEDED_AT) });
  await seedDemo(t.db, { scale: 0.05, brand: t.config.brand, uploadDir: t.config.uploadDir, now: SEEDED_AT });
  const server = http.createServer(t.app).listen(0, '127.0.0.1');
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
  const loginRole = async (door: 'assure' | 'entreprise' | 'gestion', email: string, pass: string, home: string) =>
    captureSession(db, await loginAs(t.app, db, door, email, pass), home);
  const anonymous = request.agent(server);
  const sessions: Record<Role, Session> = {
    anonymous: await captureSession(db, anonymous, '/assure'),
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
  const ids = await tenantIds(db, { hrTarget: hrTarget.id, erasure, establishmentsJob, feedJob, memberExport, hrExport });

  const concretePath = (pattern: string): string =>
    pattern.replace(/:(\w+)/g, (_m, name: string, offset: number) => {
      const key = `${pattern.slice(0, offset)}:${name}`;
      const source = PATH_IDS[key];
      if (!source) throw new Error(`no id for « :${name} » of ${pattern}: add « '${key}': '…' » to PATH_IDS in ${MATRIX_FILE}`);
      return encodeURIComponent(ids[source]);
    });
  const send = async (role: Role, method: 'GET' | 'POST', url: string, build = (req: request.Test) => req) => {
    const session = sessions[role];
    await db('sessions').insert(session.row).onConflict('sid').merge();
    const req = method === 'POST' ? request(server).post(url) : request(server).get(url);
    return build(req.set('Cookie', session.cookie).redirects(0));
  };
  const adopt = async (role: Role, res: request.Response) => {
    const session = sessions[role];
    const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (set) {
      session.cookie = set.split(';')[0];
      const signed = decodeURIComponent(session.cookie.slice(SESSION_COOKIE.length + 1));
      session.sid = signed.slice(2, signed.lastIndexOf('.'));
    }
    session.row = await db('sessions').where({ sid: session.sid }).first();
  };
  return {
    t,
    adopt,
    server,
    sessions,
    ids,
    concretePath,
    send,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
}

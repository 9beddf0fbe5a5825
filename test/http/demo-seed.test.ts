// The demo data as a new user meets it: every link it stores opens a page (no 404, no 500) for
// the account it is stored for, and nothing it stores is dated after the moment it was seeded.
// The correspondence: marie and a demo company have requests and threads in every
// status, each request's timeline replays through the portal's own rule to the status it shows,
// expected days are the brand's service levels in business days, read markers leave some threads
// unread, some items are late, and every one of their pages opens for its owner and for staff.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeClock, makeTestApp, type TestContext } from '../helpers/app.js';
import { loginAs } from '../helpers/fixtures.js';
import { DEMO_FACTS, seedDemo } from '../../db/seeds/demo/index.js';
import { isPostgres } from '../../src/db.js';
import {
  expectedAnswerDate,
  isRequestLate,
  isThreadLate,
  REQUEST_STATUSES,
  requestTransition,
  THREAD_STATUSES,
  type RequestAction,
  type RequestStatus,
  type Side,
  type ThreadStatus,
} from '../../src/domain/correspondence.js';
import { INBOX_STATUS_OF_REQUEST, requestServiceDays } from '../../src/domain/correspondence-inbox.js';
import { readStoredEstimate } from '../../src/domain/stored-estimate.js';
import { staffInbox, staffInboxCount, unreadThreadCount, type InboxFilters } from '../../src/correspondence/queries.js';

// Early in the (UTC) day: every hour the seed draws for « today » lies after this moment.
const SEEDED_AT = new Date('2026-12-01T06:10:00.000Z');
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
// Where the portal's own addresses may hide in stored text (a path, or a full link in a message).
const PORTAL_PATH = /(?:^|https?:\/\/[^/\s"'<>]+|\s|["'(])(\/(?:assure|entreprise|gestion|affiliation)(?:\/[^\s"'<>)]*)?)/g;
const DOORS = { member: 'assure', hr: 'entreprise', staff: 'gestion' } as const;

let t: TestContext;
type Agent = Awaited<ReturnType<typeof loginAs>>;
const agents = new Map<string, Promise<Agent>>();
/** One login per account for the whole file: the clock stands still, and a code is sent at most once a minute. */
function agentFor(door: 'assure' | 'entreprise' | 'gestion', email: string): Promise<Agent> {
  const key = `${door} ${email}`;
  if (!agents.has(key)) agents.set(key, loginAs(t.app, t.db, door, email, DEMO_FACTS.password));
  return agents.get(key)!;
}
/** Unread threads of the demo accounts as seeded (the tests below open some of them). */
const unreadAtSeeding = new Map<string, number>();

async function tableNames(): Promise<string[]> {
  const rows: { name: string }[] = isPostgres(t.db)
    ? (await t.db.raw("select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'")).rows
    : await t.db.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'");
  return rows
    .map((r) => r.name)
    .filter((name) => !name.startsWith('knex_'))
    .sort();
}

/** Every stored row of every table, with its table name. */
async function* everyRow(): AsyncGenerator<{ table: string; row: Record<string, unknown> }> {
  for (const table of await tableNames()) {
    for (const row of await t.db(table).select('*')) yield { table, row };
  }
}

before(async () => {
  t = await makeTestApp({}, { clock: makeClock(SEEDED_AT) });
  await seedDemo(t.db, { brand: t.config.brand, now: SEEDED_AT });
  const marie = await t.db('members').where({ member_number: DEMO_FACTS.member.memberNumber }).first('id');
  const accountId = async (email: string) => (await t.db('accounts').where({ email }).first('id')).id as number;
  unreadAtSeeding.set('marie', await unreadThreadCount(t.db, { side: 'member', memberId: marie.id, accountId: await accountId(DEMO_FACTS.member.email) }));
  for (const email of [DEMO_FACTS.hrAdmin.email, DEMO_FACTS.hrUser.email])
    unreadAtSeeding.set(email, await unreadThreadCount(t.db, { side: 'hr', accountId: await accountId(email) }));
});
after(async () => t.close());

describe('demo seed', () => {
  test('no seeded date-time is after the seeding moment (only the links’ and codes’ expiry dates are ahead)', async () => {
    const future: string[] = [];
    let checked = 0;
    for await (const { table, row } of everyRow()) {
      for (const [column, value] of Object.entries(row)) {
        if (typeof value !== 'string' || !ISO_DATE_TIME.test(value) || /expires_at$/.test(column)) continue;
        checked += 1;
        if (value > SEEDED_AT.toISOString()) future.push(`${table}.${column} = ${value} (id ${String(row.id)})`);
      }
    }
    assert.ok(checked > 1000, `only ${checked} date-times found`);
    assert.deepEqual(future.slice(0, 20), [], `${future.length} date-times after ${SEEDED_AT.toISOString()}`);
  });

  test('every link stored in the demo data opens a page for the account it is stored for', async () => {
    // Links of notifications, by account; any other stored text naming a portal address is listed too.
    const notifications: { account_id: number; link: string | null }[] = await t.db('notifications').select('account_id', 'link');
    assert.ok(notifications.length >= 5);
    const elsewhere: string[] = [];
    for await (const { table, row } of everyRow()) {
      if (table === 'notifications' || table === 'sessions') continue;
      for (const [column, value] of Object.entries(row)) {
        if (typeof value !== 'string') continue;
        for (const match of value.matchAll(PORTAL_PATH)) elsewhere.push(`${table}.${column}: ${match[1]}`);
      }
    }
    // No other table stores a portal address: were one added, this test must learn whose it is.
    assert.deepEqual(elsewhere, []);

    const byAccount = new Map<number, string[]>();
    for (const n of notifications) {
      assert.ok(n.link, 'every demo notification has a link');
      byAccount.set(n.account_id, [...(byAccount.get(n.account_id) ?? []), n.link]);
    }
    const broken: string[] = [];
    for (const [accountId, links] of byAccount) {
      const account = await t.db('accounts').where({ id: accountId }).first('email', 'kind', 'status');
      assert.equal(account.status, 'active', `${account.email} can log in to open its notifications`);
      const door = DOORS[account.kind as keyof typeof DOORS];
      const agent = await agentFor(door, account.email);
      for (const link of new Set(links)) {
        const res = await agent.get(link);
        if (res.status !== 200) broken.push(`${account.email} → ${link}: ${res.status}`);
      }
    }
    assert.deepEqual(broken, []);
  });

  test('the demo affiliation links of the README open the birth-date check', async () => {
    for (const token of [DEMO_FACTS.affiliationSent.token, DEMO_FACTS.affiliationStarted.token]) {
      const res = await request(t.app).get(`/affiliation/${token}`);
      assert.equal(res.status, 200, token);
      assert.match(res.text, /date_naissance/);
    }
  });

  test("marie's « Situation NOEMIE » warns about Léa, active but without a décompte for 4 months, and about nobody else", async () => {
    const marie = await agentFor('assure', DEMO_FACTS.member.email);
    const html = (await marie.get('/assure/situation-noemie').expect(200)).text;
    const flagged = [...html.matchAll(/<th scope="row">([^<]+)<br>(?:(?!<\/tr>)[\s\S])*?Aucun décompte reçu/g)].map((m) => m[1]);
    assert.deepEqual(flagged, ['Léa Lefebvre']);
    assert.match(html, /Télétransmission de Léa Lefebvre : aucun décompte depuis 4 mois/);
  });
});

interface RequestRow {
  id: number;
  member_id: number;
  kind: 'remboursement' | 'devis' | 'teletransmission';
  object: string;
  reference: string;
  status: RequestStatus;
  expected_day: string;
  created_at: string;
  updated_at: string;
  reimbursed_amount_cents: number | null;
  payment_day: string | null;
  refusal_reason: string | null;
  missing_documents: string | null;
  estimate_lines: string | null;
  answer_lines: string | null;
  estimated_amount_cents: number | null;
  teletransmission_event_id: number | null;
}
interface EventRow {
  request_id: number;
  at: string;
  action: string;
  status: RequestStatus | null;
  side: Side;
  visible: boolean | number;
}

const TODAY = SEEDED_AT.toISOString().slice(0, 10);

async function memberIdOf(memberNumber: string): Promise<number> {
  return (await t.db('members').where({ member_number: memberNumber }).first('id')).id;
}
async function accountIdOf(email: string): Promise<number> {
  return (await t.db('accounts').where({ email }).first('id')).id;
}

describe('demo seed: requests and threads', () => {
  test('marie has a remboursement in every status, devis (one answered per line) and a télétransmission request, and a thread in every status', async () => {
    const marie = await memberIdOf(DEMO_FACTS.member.memberNumber);
    const requests: RequestRow[] = await t.db('requests').where({ member_id: marie });
    const statuses = new Set(requests.filter((r) => r.kind === 'remboursement').map((r) => r.status));
    assert.deepEqual(
      [...REQUEST_STATUSES].filter((s) => !statuses.has(s)),
      [],
      'a remboursement in every status',
    );
    const devis = requests.filter((r) => r.kind === 'devis');
    assert.ok(
      devis.some((r) => r.status !== 'processed' && readStoredEstimate(r.estimate_lines)),
      'a devis waiting with her estimate',
    );
    const answered = devis.find((r) => r.status === 'processed' && r.answer_lines);
    assert.ok(answered, 'a devis answered per line');
    const estimate = readStoredEstimate(answered.estimate_lines);
    assert.ok(estimate && estimate.lines.length >= 2, 'the answered devis keeps her estimate');
    const lines: { label: string; reimbursedCents: number }[] = JSON.parse(answered.answer_lines!);
    assert.deepEqual(
      lines.map((l) => l.label),
      estimate.lines.map((l) => l.label),
      'answered line by line',
    );
    assert.equal(
      answered.estimated_amount_cents,
      lines.reduce((sum, l) => sum + l.reimbursedCents, 0),
    );
    assert.ok(
      requests.some((r) => r.kind === 'teletransmission' && r.teletransmission_event_id !== null),
      "Hugo's pending activation is a request",
    );

    const threads: { status: string }[] = await t.db('message_threads').where({ owner_kind: 'member', member_id: marie });
    const threadStatuses = new Set(threads.map((th) => th.status));
    assert.deepEqual(
      [...THREAD_STATUSES].filter((s) => !threadStatuses.has(s)),
      [],
      'a thread in every status',
    );
    assert.ok(unreadAtSeeding.get('marie')! >= 2, 'unread answers');
  });

  test("a company's threads (Cabinet Verdier Immobilier) in every status, with both sides' messages, files, an internal note, unread for one HR user", async () => {
    const verdier = (await t.db('companies').where({ name: DEMO_FACTS.companies.verdier.name }).first('id')).id;
    const threads: { id: number; status: string }[] = await t.db('message_threads').where({ owner_kind: 'hr', company_id: verdier });
    const statuses = new Set(threads.map((th) => th.status));
    assert.deepEqual(
      [...THREAD_STATUSES].filter((s) => !statuses.has(s)),
      [],
      'a thread in every status',
    );
    const messages: { author_kind: string; internal: boolean | number }[] = await t.db('messages').whereIn(
      'thread_id',
      threads.map((th) => th.id),
    );
    assert.ok(messages.some((m) => m.author_kind === 'hr') && messages.some((m) => m.author_kind === 'staff' && !m.internal), 'messages from both sides');
    assert.ok(
      messages.some((m) => Boolean(m.internal)),
      'an internal note',
    );
    const admin = unreadAtSeeding.get(DEMO_FACTS.hrAdmin.email)!;
    const user = unreadAtSeeding.get(DEMO_FACTS.hrUser.email)!;
    assert.ok(admin >= 1, 'rh.admin has an unread answer');
    assert.notEqual(admin, user, 'each HR user reads on their own');
  });

  test('every request: its timeline replays through requestTransition to its status, its expected day is the service level in business days, its decision is recorded', async () => {
    const requests: RequestRow[] = await t.db('requests').orderBy('id');
    const events: EventRow[] = await t.db('request_events').orderBy([{ column: 'at' }, { column: 'id' }]);
    assert.ok(requests.length >= 500, `${requests.length} requests at scale 1`);
    const byRequest = new Map<number, EventRow[]>();
    for (const e of events) byRequest.set(e.request_id, [...(byRequest.get(e.request_id) ?? []), e]);
    const lists = t.config.brand.correspondence;
    const wrong: string[] = [];
    for (const r of requests) {
      const timeline = byRequest.get(r.id) ?? [];
      const [first, ...rest] = timeline;
      if (first?.action !== 'create' || first.status !== 'received' || first.at !== r.created_at)
        wrong.push(`${r.reference}: does not start with its creation`);
      let status: RequestStatus = 'received';
      let completedDay: string | null = null;
      for (const e of rest) {
        if (e.at < r.created_at) wrong.push(`${r.reference}: ${e.action} at ${e.at} before its creation`);
        if (e.status === null) {
          if (e.visible) wrong.push(`${r.reference}: ${e.action} without a status is shown to the member`);
          continue;
        }
        const move = requestTransition(status, e.action as RequestAction, e.side);
        if (!move.ok || move.steps[0] !== e.status) wrong.push(`${r.reference}: ${e.action} by ${e.side} from ${status} to ${e.status}`);
        if (e.at > r.updated_at) wrong.push(`${r.reference}: ${e.action} at ${e.at} after its last change ${r.updated_at}`);
        status = e.status;
        if (e.status === 'completed') completedDay = e.at.slice(0, 10);
      }
      if (status !== r.status) wrong.push(`${r.reference}: timeline ends in ${status}, request is ${r.status}`);
      const days = requestServiceDays(lists, r.kind, r.object);
      const expected = days === null ? null : expectedAnswerDate({ receivedDay: r.created_at.slice(0, 10), completedDay }, days);
      if (expected !== r.expected_day) wrong.push(`${r.reference}: expected ${r.expected_day}, service level gives ${expected}`);
      if (r.status === 'processed' && r.kind === 'remboursement' && (r.reimbursed_amount_cents === null || !r.payment_day))
        wrong.push(`${r.reference}: processed without amount or payment day`);
      if (r.status === 'processed' && r.kind === 'devis' && !r.answer_lines) wrong.push(`${r.reference}: devis processed without its lines`);
      if (r.status === 'refused' && !r.refusal_reason) wrong.push(`${r.reference}: refused without a reason`);
      if (r.status === 'missing_document' && !r.missing_documents) wrong.push(`${r.reference}: no missing documents said`);
      if (r.estimate_lines && !readStoredEstimate(r.estimate_lines)) wrong.push(`${r.reference}: estimate not of the stored shape`);
    }
    assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} inconsistent requests`);
    const kinds = new Set(requests.map((r) => `${r.kind}:${r.status}`));
    for (const kind of ['remboursement', 'devis'] as const)
      for (const s of ['received', 'in_progress', 'processed', 'refused']) assert.ok(kinds.has(`${kind}:${s}`), `${kind} ${s}`);
    assert.ok(kinds.has('teletransmission:received') && kinds.has('teletransmission:processed'));
  });

  test('every thread: status, last messages and read markers agree with its messages; references are unique and the counters follow them', async () => {
    const threads: {
      id: number;
      reference: string;
      status: string;
      last_message_at: string;
      last_staff_message_at: string | null;
      last_owner_message_at: string | null;
      owner_kind: string;
      assigned_account_id: number | null;
    }[] = await t.db('message_threads');
    const messages: { thread_id: number; author_kind: string; internal: boolean | number; created_at: string }[] = await t
      .db('messages')
      .orderBy([{ column: 'created_at' }, { column: 'id' }]);
    const wrong: string[] = [];
    for (const th of threads) {
      const mine = messages.filter((m) => m.thread_id === th.id && !m.internal);
      const staff = mine.filter((m) => m.author_kind === 'staff');
      const owner = mine.filter((m) => m.author_kind !== 'staff');
      const last = mine.at(-1);
      if (!last || last.created_at !== th.last_message_at) wrong.push(`${th.reference}: last message`);
      if ((staff.at(-1)?.created_at ?? null) !== th.last_staff_message_at) wrong.push(`${th.reference}: last staff message`);
      if ((owner.at(-1)?.created_at ?? null) !== th.last_owner_message_at) wrong.push(`${th.reference}: last owner message`);
      if (owner[0]?.author_kind !== th.owner_kind) wrong.push(`${th.reference}: not opened by its owner`);
      if (th.status === 'new' && staff.length) wrong.push(`${th.reference}: new but answered`);
      if ((th.status === 'answered' || th.status === 'awaiting') && last?.author_kind !== 'staff')
        wrong.push(`${th.reference}: ${th.status} but the owner wrote last`);
      // « En cours »: the insurer's turn (taken, or the owner wrote after an answer).
      if (th.status === 'open' && last?.author_kind === 'staff') wrong.push(`${th.reference}: open but the insurer wrote last`);
      if (staff.length && th.assigned_account_id === null) wrong.push(`${th.reference}: answered by nobody assigned`);
    }
    assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} inconsistent threads`);

    const references = [...(await t.db('requests').pluck('reference')), ...threads.map((th) => th.reference)];
    assert.equal(new Set(references).size, references.length, 'references are unique');
    const highest = new Map<string, number>();
    for (const ref of references) {
      const [prefix, year, n] = ref.split('-');
      highest.set(`${prefix}-${year}`, Math.max(highest.get(`${prefix}-${year}`) ?? 0, Number(n)));
    }
    const counters: { prefix: string; year: number; last_value: number }[] = await t.db('reference_sequences');
    assert.deepEqual(
      new Map(counters.map((c) => [`${c.prefix}-${c.year}`, Number(c.last_value)])),
      highest,
      'the next reference of every kind and year is free',
    );
  });

  test('some items are late, and the staff inbox finds them', async () => {
    const requests: RequestRow[] = await t.db('requests');
    const late = requests.filter((r) => isRequestLate({ status: r.status, expectedDay: r.expected_day }, TODAY));
    assert.ok(late.length > 0);
    assert.ok(
      late.some((r) => r.member_id === 1),
      "one of marie's requests is late",
    );
    assert.ok((await staffInboxCount(t.db, { late: true, type: 'thread' }, TODAY)) > 0, 'a late thread');
    assert.equal(await staffInboxCount(t.db, { late: true, type: 'request' }, TODAY), late.length);
  });

  test('the staff inbox pages through every item in order, whatever the filter: each page and total as the rules compute them from all rows', async () => {
    type Item = { key: string; created_at: string; status: string; late: boolean; open: boolean; kind: string; order: string };
    const items: Item[] = [
      ...((await t.db('requests').select('id', 'created_at', 'status', 'expected_day', 'kind')) as (RequestRow & { kind: string })[]).map((r) => ({
        key: `request:${r.id}`,
        created_at: r.created_at,
        status: INBOX_STATUS_OF_REQUEST[r.status],
        late: isRequestLate({ status: r.status, expectedDay: r.expected_day }, TODAY),
        open: !['processed', 'refused'].includes(r.status),
        kind: r.kind,
        order: `${r.created_at} request ${String(r.id).padStart(9, '0')}`,
      })),
      ...(
        (await t.db('message_threads').select('id', 'created_at', 'status', 'expected_day')) as {
          id: number;
          created_at: string;
          status: ThreadStatus;
          expected_day: string;
        }[]
      ).map((th) => ({
        key: `thread:${th.id}`,
        created_at: th.created_at,
        status: th.status,
        late: isThreadLate({ status: th.status, expectedDay: th.expected_day }, TODAY),
        open: th.status !== 'closed',
        kind: 'thread',
        order: `${th.created_at} thread ${String(th.id).padStart(9, '0')}`,
      })),
    ];
    const cases: [string, InboxFilters, (i: Item) => boolean, 'asc' | 'desc'][] = [
      ['à traiter', { openOnly: true }, (i) => i.open, 'asc'],
      ['tous, récents', {}, () => true, 'desc'],
      ['clos', { status: 'closed' }, (i) => i.status === 'closed', 'asc'],
      ['en cours', { status: 'open' }, (i) => i.status === 'open', 'desc'],
      ['en retard', { late: true }, (i) => i.late, 'asc'],
      ['télétransmission à traiter', { type: 'request', category: 'teletransmission', openOnly: true }, (i) => i.kind === 'teletransmission' && i.open, 'asc'],
    ];
    for (const [name, filters, keep, order] of cases) {
      const expected = items.filter(keep).sort((a, b) => (a.order < b.order ? -1 : 1));
      if (order === 'desc') expected.reverse();
      assert.ok(expected.length > 40, `${name}: ${expected.length} items, enough for three pages`);
      for (const page of [1, 2, 3]) {
        const got = await staffInbox(t.db, filters, TODAY, page, 20, order);
        assert.equal(got.total, expected.length, `${name}: total`);
        assert.deepEqual(
          got.rows.map((r) => `${r.item_type}:${r.id}`),
          expected.slice((page - 1) * 20, page * 20).map((i) => i.key),
          `${name}: page ${page}`,
        );
      }
    }
  });

  test("the pages of marie's, rh.admin's and staff's items open: Mes demandes, messageries, the inbox filtered by status and late, every item", async () => {
    const marie = await memberIdOf(DEMO_FACTS.member.memberNumber);
    const marieAgent = await agentFor('assure', DEMO_FACTS.member.email);
    const admin = await agentFor('entreprise', DEMO_FACTS.hrAdmin.email);
    const staff = await agentFor('gestion', DEMO_FACTS.colleague.email);
    const broken: string[] = [];
    const open = async (agent: Agent, who: string, path: string) => {
      const res = await agent.get(path);
      if (res.status !== 200) broken.push(`${who} ${path}: ${res.status}`);
      return res.text;
    };
    const mesDemandes = await open(marieAgent, 'marie', '/assure/demarches/demandes');
    assert.match(mesDemandes, /DR-\d{4}-\d{6}/);
    const requestIds: number[] = await t.db('requests').where({ member_id: marie }).pluck('id');
    const memberThreads: number[] = await t.db('message_threads').where({ owner_kind: 'member', member_id: marie }).pluck('id');
    for (const id of requestIds) {
      await open(marieAgent, 'marie', `/assure/demarches/demandes/${id}`);
      await open(staff, 'staff', `/gestion/demandes/${id}`);
    }
    await open(marieAgent, 'marie', '/assure/messagerie');
    for (const id of memberThreads) {
      await open(marieAgent, 'marie', `/assure/messagerie/${id}`);
      await open(staff, 'staff', `/gestion/messages/${id}`);
    }
    const hrThreads: number[] = await t
      .db('message_threads')
      .where({ owner_kind: 'hr' })
      .whereIn(
        'company_id',
        t
          .db('hr_habilitations')
          .where({ account_id: await accountIdOf(DEMO_FACTS.hrAdmin.email), status: 'active' })
          .select('company_id'),
      )
      .pluck('id');
    assert.ok(hrThreads.length >= 5);
    await open(admin, 'rh.admin', '/entreprise/messagerie');
    for (const id of hrThreads) await open(admin, 'rh.admin', `/entreprise/messagerie/${id}`);
    for (const query of [
      '',
      '?statut=tous',
      ...THREAD_STATUSES.map((s) => `?statut=${s}`),
      '?retard=1',
      '?statut=new&retard=1',
      '?statut=open&retard=1',
      '?attribue=moi',
      '?tri=recent&page=2',
    ]) {
      const html = await open(staff, 'staff', `/gestion/demandes${query}`);
      if (query.includes('retard=1')) assert.match(html, /(DR|DV|DT|MS)-\d{4}-\d{6}/, `${query} lists late items`);
    }
    await open(staff, 'staff', '/gestion/teletransmission');
    await open(staff, 'staff', '/gestion/messages');
    await open(staff, 'staff', '/gestion/accueil');
    assert.deepEqual(broken, []);
  });
});

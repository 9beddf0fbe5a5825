// Knex only: the requests (remboursement, devis, télétransmission) and message threads of members
// and companies, read and written for the three spaces. Shared by the Espace Assuré,
// the Espace Entreprise and the Espace Gestion, so it lives outside them. No rule here: statuses
// move through src/domain/correspondence.ts, called by ./service.ts.
//
// Scoping: every read for a member or an HR user takes their scope and filters by it in SQL — a
// member sees their family's requests and threads (member_id), an HR user the threads of the
// companies they hold an active habilitation on, except a thread about an employee
// (subject_member_id) outside their « périmètre suivi »: that one only the HR users who follow the
// employee see (list, page, files, unread count, notifications). Another's id finds nothing.
import type { Knex } from 'knex';
import type { Db } from '../db.js';
import { insertedId, preparedQuery } from '../db.js';
import {
  FINAL_REQUEST_STATUSES,
  INSURER_TURN_STATUSES,
  isRequestLate,
  isThreadLate,
  REFERENCE_PREFIXES,
  REQUEST_STATUSES,
  THREAD_STATUSES,
  type ReferenceKind,
  type RequestKind,
  type RequestStatus,
  type Side,
  type ThreadStatus,
} from '../domain/correspondence.js';
import { INBOX_STATUS_OF_REQUEST, requestStatusesFor, type InboxStatus } from '../domain/correspondence-inbox.js';

type Conn = Db | Knex.Transaction;

/** Who reads: a member (their family), an HR user (their companies), or staff (everything). */
export type OwnerScope = { side: 'member'; memberId: number; accountId: number } | { side: 'hr'; accountId: number };
export type ReadScope = OwnerScope | { side: 'staff'; accountId: number };

/** Folders of the file store (src/storage/; src/middleware/uploads.ts, `folder`) of each kind of attachment. */
export const ATTACHMENT_FOLDERS = { requests: 'requests', messages: 'messages' } as const;

/** A file the upload middleware already put in the file store's <folder> (src/middleware/uploads.ts StoredUpload). */
export interface StoredFile {
  originalName: string;
  storedName: string;
  folder: string;
  mime: string;
  size: number;
}

// ------------------------------------------------------------------ references
/**
 * The next reference of a kind for a year, « DR-2026-000123 »: one upsert that increments the
 * counter and returns it, inside the caller's transaction. Two transactions asking at once are
 * serialised on the counter's row (PostgreSQL) or the database's write lock (SQLite): never the
 * same number; a rolled-back transaction gives its number back.
 */
export async function nextSequence(trx: Knex.Transaction, kind: ReferenceKind, year: number): Promise<number> {
  const rows: { last_value: number }[] = await trx('reference_sequences')
    .insert({ prefix: REFERENCE_PREFIXES[kind], year, last_value: 1 })
    .onConflict(['prefix', 'year'])
    .merge({ last_value: trx.raw('?? + 1', ['reference_sequences.last_value']) })
    .returning('last_value');
  return Number(rows[0].last_value);
}

/**
 * Brings every counter up to the highest reference already written (after rows were inserted
 * with their references, as the demo seed does), so that the next one is free.
 */
export async function syncReferenceSequences(db: Db): Promise<void> {
  for (const table of ['requests', 'message_threads']) {
    const rows: { prefix: string; year: string; last_value: number }[] = await db(table)
      .whereNotNull('reference')
      .whereRaw(`reference LIKE '__-____-%'`)
      .groupByRaw('substr(reference, 1, 2), substr(reference, 4, 4)')
      .select(
        db.raw('substr(reference, 1, 2) as prefix'),
        db.raw('substr(reference, 4, 4) as year'),
        db.raw('max(cast(substr(reference, 9) as integer)) as last_value'),
      );
    for (const row of rows) {
      await db('reference_sequences')
        .insert({ prefix: row.prefix, year: Number(row.year), last_value: Number(row.last_value) })
        .onConflict(['prefix', 'year'])
        .merge({
          last_value: db.raw(`CASE WHEN reference_sequences.last_value > ? THEN reference_sequences.last_value ELSE ? END`, [
            Number(row.last_value),
            Number(row.last_value),
          ]),
        });
    }
  }
}

// ------------------------------------------------------------------ requests: writes
export interface NewRequestRow {
  member_id: number;
  beneficiary_id: number | null;
  kind: RequestKind;
  object: string;
  reference: string;
  message: string | null;
  status: RequestStatus;
  expected_day: string;
  estimate_lines?: string | null;
  teletransmission_event_id?: number | null;
  created_at: string;
}

export async function insertRequest(trx: Knex.Transaction, row: NewRequestRow): Promise<number> {
  const [inserted] = await trx('requests')
    .insert({ ...row, updated_at: row.created_at })
    .returning('id');
  return insertedId(inserted);
}

export interface RequestEventRow {
  request_id: number;
  at: string;
  action: string;
  status: RequestStatus | null;
  side: Side;
  account_id: number | null;
  visible: boolean;
  detail?: string | null;
}

export async function insertRequestEvent(trx: Knex.Transaction, row: RequestEventRow): Promise<number> {
  const [inserted] = await trx('request_events')
    .insert({ detail: null, ...row })
    .returning('id');
  return insertedId(inserted);
}

export async function insertRequestAttachments(
  trx: Knex.Transaction,
  requestId: number,
  eventId: number | null,
  files: readonly StoredFile[],
  at: string,
): Promise<void> {
  if (!files.length) return;
  await trx('request_attachments').insert(
    files.map((f) => ({
      request_id: requestId,
      event_id: eventId,
      original_name: f.originalName,
      stored_name: f.storedName,
      mime: f.mime,
      size_bytes: f.size,
      created_at: at,
    })),
  );
}

/**
 * Moves a request from `from` to the values given, only if it is still in `from`: 0 when
 * someone else moved it first (the caller reports it and writes nothing more).
 */
export async function updateRequestFrom(trx: Knex.Transaction, id: number, from: RequestStatus, values: Record<string, unknown>): Promise<number> {
  return trx('requests').where({ id, status: from }).update(values);
}

export async function assignRequest(trx: Knex.Transaction, id: number, accountId: number | null, at: string): Promise<number> {
  return trx('requests').where({ id }).update({ assigned_account_id: accountId, updated_at: at });
}

// ------------------------------------------------------------------ requests: reads
export interface RequestRow {
  id: number;
  member_id: number;
  beneficiary_id: number | null;
  beneficiary_name: string | null;
  kind: RequestKind;
  object: string;
  reference: string;
  message: string | null;
  status: RequestStatus;
  expected_day: string | null;
  assigned_account_id: number | null;
  teletransmission_event_id: number | null;
  reimbursed_amount_cents: number | null;
  payment_day: string | null;
  refusal_reason: string | null;
  missing_documents: string | null;
  estimate_lines: string | null;
  answer_lines: string | null;
  estimated_amount_cents: number | null;
  answer: string | null;
  answered_at: string | null;
  created_at: string;
  updated_at: string;
}

const REQUEST_COLUMNS = [
  'r.id',
  'r.member_id',
  'r.beneficiary_id',
  'r.kind',
  'r.object',
  'r.reference',
  'r.message',
  'r.status',
  'r.expected_day',
  'r.assigned_account_id',
  'r.teletransmission_event_id',
  'r.reimbursed_amount_cents',
  'r.payment_day',
  'r.refusal_reason',
  'r.missing_documents',
  'r.estimate_lines',
  'r.answer_lines',
  'r.estimated_amount_cents',
  'r.answer',
  'r.answered_at',
  'r.created_at',
  'r.updated_at',
];

function requestsQuery(db: Conn): Knex.QueryBuilder {
  return db('requests as r')
    .leftJoin('beneficiaries as b', 'b.id', 'r.beneficiary_id')
    .select(...REQUEST_COLUMNS, db.raw(`CASE WHEN b.id IS NULL THEN NULL ELSE b.first_name || ' ' || b.last_name END as beneficiary_name`));
}

export interface TimelineEvent {
  id: number;
  request_id: number;
  at: string;
  action: string;
  status: RequestStatus | null;
  side: Side;
  account_id: number | null;
  visible: boolean;
  detail: string | null;
}

export interface AttachmentRow {
  id: number;
  original_name: string;
  stored_name: string;
  mime: string;
  size_bytes: number;
  created_at: string;
}

export interface RequestWithTimeline extends RequestRow {
  events: TimelineEvent[];
  attachments: (AttachmentRow & { request_id: number; event_id: number | null })[];
}

/** The timeline and files of these requests, in two queries (no N+1); internal events only for staff. */
async function withTimeline(db: Conn, rows: RequestRow[], side: Side): Promise<RequestWithTimeline[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const eventsQuery = db('request_events')
    .whereIn('request_id', ids)
    .orderBy([{ column: 'at' }, { column: 'id' }]);
  if (side !== 'staff') eventsQuery.where({ visible: true });
  const [events, attachments] = await Promise.all([
    eventsQuery.select('id', 'request_id', 'at', 'action', 'status', 'side', 'account_id', 'visible', 'detail'),
    db('request_attachments')
      .whereIn('request_id', ids)
      .orderBy('id')
      .select('id', 'request_id', 'event_id', 'original_name', 'stored_name', 'mime', 'size_bytes', 'created_at'),
  ]);
  return rows.map((r) => ({
    ...r,
    events: events.filter((e: TimelineEvent) => e.request_id === r.id).map((e: TimelineEvent) => ({ ...e, visible: Boolean(e.visible) })),
    attachments: attachments.filter((a: { request_id: number }) => a.request_id === r.id),
  }));
}

/** « Mes demandes »: the family's requests, newest first, each with its visible timeline and files. */
export async function listMemberRequests(db: Db, memberId: number, page: number, size: number): Promise<{ rows: RequestWithTimeline[]; total: number }> {
  const [count, rows] = await Promise.all([
    db('requests').where({ member_id: memberId }).count({ n: '*' }).first(),
    requestsQuery(db)
      .where('r.member_id', memberId)
      .orderBy([
        { column: 'r.created_at', order: 'desc' },
        { column: 'r.id', order: 'desc' },
      ])
      .limit(size)
      .offset((page - 1) * size),
  ]);
  return { rows: await withTimeline(db, rows, 'member'), total: Number(count?.n ?? 0) };
}

/** One request as `scope` may see it (a member: their family's only; staff: any); undefined otherwise. */
export async function findRequest(db: Conn, scope: ReadScope, id: number): Promise<RequestWithTimeline | undefined> {
  if (scope.side === 'hr') return undefined;
  const query = requestsQuery(db).where('r.id', id);
  if (scope.side === 'member') query.where('r.member_id', scope.memberId);
  const row: RequestRow | undefined = await query.first();
  if (!row) return undefined;
  return (await withTimeline(db, [row], scope.side))[0];
}

/** The request row alone, for a transition inside a transaction. */
export async function requestRow(trx: Conn, id: number): Promise<RequestRow | undefined> {
  return requestsQuery(trx).where('r.id', id).first();
}

/** Whether a beneficiary belongs to the member's family (a request is for the family only). */
export async function isFamilyBeneficiary(db: Conn, memberId: number, beneficiaryId: number): Promise<boolean> {
  return Boolean(await db('beneficiaries').where({ id: beneficiaryId, member_id: memberId }).first('id'));
}

/** The pending télétransmission request of a beneficiary (received, in progress…), if any. */
export async function openTeletransmissionRequest(db: Conn, beneficiaryId: number): Promise<RequestRow | undefined> {
  return requestsQuery(db)
    .where({ 'r.beneficiary_id': beneficiaryId, 'r.kind': 'teletransmission' })
    .whereIn('r.status', INSURER_TURN_STATUSES)
    .orderBy('r.id', 'desc')
    .first();
}

// ------------------------------------------------------------------ threads: writes
export interface NewThreadRow {
  owner_kind: 'member' | 'hr';
  member_id: number | null;
  company_id: number | null;
  account_id: number;
  subject_member_id: number | null;
  category: string;
  object: string;
  reference: string;
  status: ThreadStatus;
  expected_day: string;
  created_at: string;
}

export async function insertThread(trx: Knex.Transaction, row: NewThreadRow): Promise<number> {
  const [inserted] = await trx('message_threads')
    .insert({
      ...row,
      last_message_at: row.created_at,
      last_owner_message_at: row.created_at,
      owner_read_at: row.owner_kind === 'member' ? row.created_at : null,
    })
    .returning('id');
  return insertedId(inserted);
}

export async function insertMessage(
  trx: Knex.Transaction,
  row: { thread_id: number; author_kind: Side; author_account_id: number; body: string; internal: boolean; created_at: string },
): Promise<number> {
  const [inserted] = await trx('messages').insert(row).returning('id');
  return insertedId(inserted);
}

export async function insertMessageAttachments(trx: Knex.Transaction, messageId: number, files: readonly StoredFile[], at: string): Promise<void> {
  if (!files.length) return;
  await trx('message_attachments').insert(
    files.map((f) => ({ message_id: messageId, original_name: f.originalName, stored_name: f.storedName, mime: f.mime, size_bytes: f.size, created_at: at })),
  );
}

/** Moves a thread from `from` (0 when it changed meanwhile), with the other values given. */
export async function updateThreadFrom(trx: Knex.Transaction, id: number, from: ThreadStatus, values: Record<string, unknown>): Promise<number> {
  return trx('message_threads').where({ id, status: from }).update(values);
}

/** The owner (or, for a company's thread, this HR user) has read the thread now. */
export async function markThreadRead(db: Conn, scope: ReadScope, threadId: number, at: string): Promise<boolean> {
  const thread = await findThread(db, scope, threadId);
  if (!thread) return false;
  if (scope.side === 'staff') await db('message_threads').where({ id: threadId }).update({ staff_read_at: at });
  else if (scope.side === 'member') await db('message_threads').where({ id: threadId }).update({ owner_read_at: at });
  else {
    await db('message_thread_reads')
      .insert({ thread_id: threadId, account_id: scope.accountId, read_at: at })
      .onConflict(['thread_id', 'account_id'])
      .merge({ read_at: at });
  }
  return true;
}

// ------------------------------------------------------------------ threads: reads
export interface ThreadRow {
  id: number;
  reference: string | null;
  owner_kind: 'member' | 'hr';
  member_id: number | null;
  company_id: number | null;
  account_id: number;
  subject_member_id: number | null;
  category: string;
  object: string;
  status: ThreadStatus;
  assigned_account_id: number | null;
  expected_day: string | null;
  created_at: string;
  last_message_at: string;
  last_staff_message_at: string | null;
  last_owner_message_at: string | null;
  owner_read_at: string | null;
  staff_read_at: string | null;
}

const THREAD_COLUMNS = [
  't.id',
  't.reference',
  't.owner_kind',
  't.member_id',
  't.company_id',
  't.account_id',
  't.subject_member_id',
  't.category',
  't.object',
  't.status',
  't.assigned_account_id',
  't.expected_day',
  't.created_at',
  't.last_message_at',
  't.last_staff_message_at',
  't.last_owner_message_at',
  't.owner_read_at',
  't.staff_read_at',
];

/** The companies an HR account holds an active habilitation on. */
function hrCompanyIds(db: Conn, accountId: number): Knex.QueryBuilder {
  return db('hr_habilitations').where({ account_id: accountId, status: 'active' }).select('company_id');
}

/**
 * The condition « the thread's employee, if it names one, is in this HR account's perimeter on the
 * thread's company » (the same join as isEmployeeInPerimeter), on `message_threads as t`. The
 * habilitation's status is checked by the company filter beside it.
 */
function employeeInPerimeterOf(db: Conn, accountId: number) {
  return function (this: Knex.QueryBuilder) {
    this.whereNull('t.subject_member_id').orWhereExists(
      db('affiliations as af')
        .join('hr_perimeter as p', 'p.establishment_id', 'af.establishment_id')
        .join('establishments as e', 'e.id', 'af.establishment_id')
        .whereRaw('af.member_id = t.subject_member_id')
        .whereRaw('e.company_id = t.company_id')
        .where('p.account_id', accountId)
        .select(db.raw('1')),
    );
  };
}

/** Threads `scope` may see, as a query on `message_threads as t`. */
function threadsFor(db: Conn, scope: ReadScope): Knex.QueryBuilder {
  const query = db('message_threads as t');
  if (scope.side === 'member') query.where({ 't.owner_kind': 'member', 't.member_id': scope.memberId });
  else if (scope.side === 'hr')
    query.where('t.owner_kind', 'hr').whereIn('t.company_id', hrCompanyIds(db, scope.accountId)).where(employeeInPerimeterOf(db, scope.accountId));
  return query;
}

/**
 * When the owner last read each thread: the member's own marker, or this HR user's (each HR user
 * of a company reads its threads on their own).
 */
function withOwnerReadAt(db: Conn, query: Knex.QueryBuilder, scope: OwnerScope): Knex.QueryBuilder {
  if (scope.side === 'member') return query.select(db.raw('t.owner_read_at as read_at'));
  return query
    .leftJoin('message_thread_reads as rd', function () {
      this.on('rd.thread_id', '=', 't.id').andOn('rd.account_id', '=', db.raw('?', [scope.accountId]));
    })
    .select('rd.read_at');
}

export async function findThread(db: Conn, scope: ReadScope, id: number): Promise<ThreadRow | undefined> {
  return threadsFor(db, scope)
    .where('t.id', id)
    .first(...THREAD_COLUMNS);
}

export interface OwnerThreadRow extends ThreadRow {
  /** When this owner (member, or this HR user) last opened it. */
  read_at: string | null;
  company_name: string | null;
}

/** The member's or the HR user's companies' threads, latest message first, with their read marker. */
export async function listOwnerThreads(db: Db, scope: OwnerScope, page: number, size: number): Promise<{ rows: OwnerThreadRow[]; total: number }> {
  const [count, rows] = await Promise.all([
    threadsFor(db, scope).count({ n: '*' }).first(),
    withOwnerReadAt(db, threadsFor(db, scope).leftJoin('companies as c', 'c.id', 't.company_id'), scope)
      .select(...THREAD_COLUMNS, 'c.name as company_name')
      .orderBy([
        { column: 't.last_message_at', order: 'desc' },
        { column: 't.id', order: 'desc' },
      ])
      .limit(size)
      .offset((page - 1) * size),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

/**
 * The header icon's count: the owner's threads where the insurer wrote after this owner last
 * opened them (src/domain/correspondence.ts, unreadByOwner), counted in SQL.
 */
function unreadThreads(db: Conn, scope: OwnerScope): Knex.QueryBuilder {
  const query = threadsFor(db, scope).whereNotNull('t.last_staff_message_at');
  if (scope.side === 'member') {
    query.where((q) => q.whereNull('t.owner_read_at').orWhereRaw('t.last_staff_message_at > t.owner_read_at'));
  } else {
    query
      .leftJoin('message_thread_reads as rd', function () {
        this.on('rd.thread_id', '=', 't.id').andOn('rd.account_id', '=', db.raw('?', [scope.accountId]));
      })
      .where((q) => q.whereNull('rd.read_at').orWhereRaw('t.last_staff_message_at > rd.read_at'));
  }
  return query.count({ n: '*' });
}

// Read on every full page of the spaces (the « Messagerie » icon's badge). The member's threads
// are the member's own: the account is not part of the query.
const unreadMemberThreads = preparedQuery((db, memberId: number) => unreadThreads(db, { side: 'member', memberId, accountId: 0 }));
const unreadHrThreads = preparedQuery((db, accountId: number) => unreadThreads(db, { side: 'hr', accountId }));

// The HR count kept per account, with the generation it was counted at: the database bumps
// `generation` on every change the count depends on (db/migrations/20261208200000_hr_unread_badge_cache.ts).
const keptHrBadge = preparedQuery((db, accountId: number) =>
  db('hr_unread_badges').where({ account_id: accountId }).select('generation', 'counted_generation', 'unread'),
);

interface KeptBadge {
  generation: number | string;
  counted_generation: number | string | null;
  unread: number;
}

export async function unreadThreadCount(db: Db, scope: OwnerScope): Promise<number> {
  if (scope.side === 'member') {
    const [row] = await unreadMemberThreads<{ n: number }>(db, scope.memberId);
    return Number(row?.n ?? 0);
  }
  const [kept] = await keptHrBadge<KeptBadge>(db, scope.accountId);
  if (kept && kept.counted_generation !== null && Number(kept.counted_generation) === Number(kept.generation)) return Number(kept.unread);
  // Counted after `generation` was read: the count is kept only if no change bumped it meanwhile
  // (a change committed after the count bumps it, or waits for this update and then bumps it).
  const [row] = await unreadHrThreads<{ n: number }>(db, scope.accountId);
  const unread = Number(row?.n ?? 0);
  if (kept) {
    await db('hr_unread_badges').where({ account_id: scope.accountId, generation: kept.generation }).update({ unread, counted_generation: kept.generation });
  } else {
    // No row (a database filled by a bulk build): made now, counted and kept from the next page on.
    await db('hr_unread_badges').insert({ account_id: scope.accountId, generation: 1 }).onConflict('account_id').ignore();
  }
  return unread;
}

export interface MessageRow {
  id: number;
  thread_id: number;
  author_kind: Side;
  author_account_id: number | null;
  author_name: string | null;
  body: string;
  internal: boolean;
  created_at: string;
  attachments: (AttachmentRow & { message_id: number })[];
}

/** A thread's messages, oldest first, with their files; internal notes only for staff. */
export async function threadMessages(db: Conn, threadId: number, side: Side): Promise<MessageRow[]> {
  const query = db('messages as m')
    .leftJoin('accounts as a', 'a.id', 'm.author_account_id')
    .where('m.thread_id', threadId)
    .orderBy([{ column: 'm.created_at' }, { column: 'm.id' }])
    .select(
      'm.id',
      'm.thread_id',
      'm.author_kind',
      'm.author_account_id',
      'm.body',
      'm.internal',
      'm.created_at',
      db.raw(`CASE WHEN a.id IS NULL THEN NULL ELSE a.first_name || ' ' || a.last_name END as author_name`),
    );
  if (side !== 'staff') query.where('m.internal', false);
  const messages: Omit<MessageRow, 'attachments'>[] = await query;
  if (!messages.length) return [];
  const files = await db('message_attachments')
    .whereIn(
      'message_id',
      messages.map((m) => m.id),
    )
    .orderBy('id')
    .select('id', 'message_id', 'original_name', 'stored_name', 'mime', 'size_bytes', 'created_at');
  return messages.map((m) => ({ ...m, internal: Boolean(m.internal), attachments: files.filter((f: { message_id: number }) => f.message_id === m.id) }));
}

// ------------------------------------------------------------------ people
/** Whether an employee (member) is in the HR user's perimeter on that company: affiliated to one of their visible establishments. */
export async function isEmployeeInPerimeter(db: Conn, accountId: number, companyId: number, memberId: number): Promise<boolean> {
  const row = await db('affiliations as af')
    .join('hr_perimeter as p', 'p.establishment_id', 'af.establishment_id')
    .join('establishments as e', 'e.id', 'af.establishment_id')
    .join('hr_habilitations as hh', function () {
      this.on('hh.account_id', '=', 'p.account_id').andOn('hh.company_id', '=', 'e.company_id');
    })
    .where({ 'af.member_id': memberId, 'p.account_id': accountId, 'e.company_id': companyId, 'hh.status': 'active' })
    .first('af.id');
  return Boolean(row);
}

export async function isActiveHrOn(db: Conn, accountId: number, companyId: number): Promise<boolean> {
  return Boolean(await db('hr_habilitations').where({ account_id: accountId, company_id: companyId, status: 'active' }).first('id'));
}

/** The active member account of a family (where notices go), if any. */
export async function memberAccount(db: Conn, memberId: number): Promise<{ id: number; email: string; first_name: string } | undefined> {
  return db('accounts').where({ kind: 'member', member_id: memberId, status: 'active' }).orderBy('id').first('id', 'email', 'first_name');
}

/**
 * The active HR accounts that follow a company's thread: every one of the company's, or, for a
 * thread about an employee, those whose perimeter holds the employee (see threadsFor).
 */
export async function threadHrAccounts(
  db: Conn,
  thread: { company_id: number | null; subject_member_id: number | null },
): Promise<{ id: number; email: string; first_name: string }[]> {
  if (thread.company_id === null) return [];
  const query = db('hr_habilitations as hh')
    .join('accounts as a', 'a.id', 'hh.account_id')
    .where({ 'hh.company_id': thread.company_id, 'hh.status': 'active', 'a.status': 'active' })
    .orderBy('a.id')
    .select('a.id', 'a.email', 'a.first_name');
  if (thread.subject_member_id !== null) {
    query.whereExists(
      db('affiliations as af')
        .join('hr_perimeter as p', 'p.establishment_id', 'af.establishment_id')
        .join('establishments as e', 'e.id', 'af.establishment_id')
        .where({ 'af.member_id': thread.subject_member_id, 'e.company_id': thread.company_id })
        .whereRaw('p.account_id = a.id')
        .select(db.raw('1')),
    );
  }
  return query;
}

export async function isStaffAccount(db: Conn, accountId: number): Promise<boolean> {
  return Boolean(await db('accounts').where({ id: accountId, kind: 'staff', status: 'active' }).first('id'));
}

// ------------------------------------------------------------------ attachments
/** A request's file, for its member or staff (HR users have no requests); undefined otherwise. */
export async function findRequestAttachment(db: Db, scope: ReadScope, id: number): Promise<(AttachmentRow & { request_id: number }) | undefined> {
  if (scope.side === 'hr') return undefined;
  const query = db('request_attachments as ra').join('requests as r', 'r.id', 'ra.request_id').where('ra.id', id);
  if (scope.side === 'member') query.where('r.member_id', scope.memberId);
  return query.first('ra.id', 'ra.request_id', 'ra.original_name', 'ra.stored_name', 'ra.mime', 'ra.size_bytes', 'ra.created_at');
}

/** A message's file, for the thread's owner side (never one of an internal note) or staff. */
export async function findMessageAttachment(db: Db, scope: ReadScope, id: number): Promise<(AttachmentRow & { message_id: number }) | undefined> {
  const query = threadsFor(db, scope)
    .join('messages as m', 'm.thread_id', 't.id')
    .join('message_attachments as ma', 'ma.message_id', 'm.id')
    .where('ma.id', id);
  if (scope.side !== 'staff') query.where('m.internal', false);
  return query.first('ma.id', 'ma.message_id', 'ma.original_name', 'ma.stored_name', 'ma.mime', 'ma.size_bytes', 'ma.created_at');
}

/** A file of a message of this thread, as findMessageAttachment gives it to `scope` (the address names the thread). */
export async function findThreadAttachment(
  db: Db,
  scope: ReadScope,
  threadId: number,
  id: number,
): Promise<(AttachmentRow & { message_id: number }) | undefined> {
  const query = threadsFor(db, scope)
    .join('messages as m', 'm.thread_id', 't.id')
    .join('message_attachments as ma', 'ma.message_id', 'm.id')
    .where({ 't.id': threadId, 'ma.id': id });
  if (scope.side !== 'staff') query.where('m.internal', false);
  return query.first('ma.id', 'ma.message_id', 'ma.original_name', 'ma.stored_name', 'ma.mime', 'ma.size_bytes', 'ma.created_at');
}

/** Which of these stored names a row of the folder's table still points to. */
export async function referencedStoredNames(db: Db, folder: keyof typeof ATTACHMENT_FOLDERS, names: readonly string[]): Promise<Set<string>> {
  const table = folder === 'requests' ? 'request_attachments' : 'message_attachments';
  const found = new Set<string>();
  for (let i = 0; i < names.length; i += 500) {
    const rows: { stored_name: string }[] = await db(table)
      .whereIn('stored_name', names.slice(i, i + 500))
      .select('stored_name');
    for (const row of rows) found.add(row.stored_name);
  }
  return found;
}

// ------------------------------------------------------------------ staff inbox
export interface InboxFilters {
  /** assure: the members' requests and threads; entreprise: the companies' threads. */
  space?: 'assure' | 'entreprise';
  type?: 'request' | 'thread';
  /** A request's kind (remboursement, devis, teletransmission) or a thread's category code. */
  category?: string;
  object?: string;
  status?: InboxStatus;
  /** A staff account, or 'none' for what nobody took. */
  assignedTo?: number | 'none';
  /** Only what is past its service level and waits for the insurer. */
  late?: boolean;
  /** Leave out what is closed (decided requests, closed threads): the work still to do. */
  openOnly?: boolean;
}

export interface InboxItem {
  item_type: 'request' | 'thread';
  id: number;
  reference: string | null;
  owner_kind: 'member' | 'hr';
  owner_name: string | null;
  category: string;
  object: string;
  status: string;
  inbox_status: InboxStatus;
  assigned_account_id: number | null;
  expected_day: string | null;
  created_at: string;
  late: boolean;
}

/** The SQL side of isThreadLate (src/domain/correspondence.ts). */
const THREAD_LATE_STATUSES: readonly ThreadStatus[] = ['new', 'open'];
const OPEN_REQUEST_STATUSES: readonly RequestStatus[] = REQUEST_STATUSES.filter((s) => !FINAL_REQUEST_STATUSES.includes(s));
const OPEN_THREAD_STATUSES: readonly ThreadStatus[] = THREAD_STATUSES.filter((s) => s !== 'closed');

/** The statuses every condition allows (status asked, late, still open): each one is read on its own by staffInbox. */
function allowedStatuses<S extends string>(all: readonly S[], ...conditions: (readonly S[] | null)[]): S[] {
  return all.filter((s) => conditions.every((allowed) => allowed === null || allowed.includes(s)));
}

/**
 * A side of the inbox: its statuses, and its other conditions on `requests as r` or
 * `message_threads as t` (no join: the counts read the indexes alone).
 */
interface InboxSide {
  statuses: string[];
  /** Every status of the table allowed: no condition on the status at all. */
  anyStatus: boolean;
  where: (q: Knex.QueryBuilder) => Knex.QueryBuilder;
}

function inboxRequests(f: InboxFilters, today: string): InboxSide | null {
  if (f.type === 'thread' || f.space === 'entreprise') return null;
  const statuses = allowedStatuses(
    REQUEST_STATUSES,
    f.status ? requestStatusesFor(f.status) : null,
    f.late ? INSURER_TURN_STATUSES : null,
    f.openOnly ? OPEN_REQUEST_STATUSES : null,
  );
  if (!statuses.length) return null;
  return {
    statuses,
    anyStatus: statuses.length === REQUEST_STATUSES.length,
    where: (q) => {
      if (f.category) q.where('r.kind', f.category);
      if (f.object) q.where('r.object', f.object);
      if (f.assignedTo === 'none') q.whereNull('r.assigned_account_id');
      else if (f.assignedTo !== undefined) q.where('r.assigned_account_id', f.assignedTo);
      if (f.late) q.where('r.expected_day', '<', today);
      return q;
    },
  };
}

function inboxThreads(f: InboxFilters, today: string): InboxSide | null {
  if (f.type === 'request') return null;
  const statuses = allowedStatuses(
    THREAD_STATUSES,
    f.status ? [f.status] : null,
    f.late ? THREAD_LATE_STATUSES : null,
    f.openOnly ? OPEN_THREAD_STATUSES : null,
  );
  if (!statuses.length) return null;
  return {
    statuses,
    anyStatus: statuses.length === THREAD_STATUSES.length,
    where: (q) => {
      if (f.space) q.where('t.owner_kind', f.space === 'assure' ? 'member' : 'hr');
      if (f.category) q.where('t.category', f.category);
      if (f.object) q.where('t.object', f.object);
      if (f.assignedTo === 'none') q.whereNull('t.assigned_account_id');
      else if (f.assignedTo !== undefined) q.where('t.assigned_account_id', f.assignedTo);
      if (f.late) q.where('t.expected_day', '<', today);
      return q;
    },
  };
}

/** How many items of one side match: its conditions on the table alone. */
function countSide(db: Db, table: 'requests as r' | 'message_threads as t', side: InboxSide): Promise<{ n: number | string } | undefined> {
  const q = side.where(db(table));
  if (!side.anyStatus) q.whereIn(table === 'requests as r' ? 'r.status' : 't.status', side.statuses);
  return q.count({ n: '*' }).first();
}

/** How many items match, without reading them (the Tableau de bord's queues): one count per side. */
export async function staffInboxCount(db: Db, filters: InboxFilters, today: string): Promise<number> {
  const requests = inboxRequests(filters, today);
  const threads = inboxThreads(filters, today);
  const counts = await Promise.all([requests && countSide(db, 'requests as r', requests), threads && countSide(db, 'message_threads as t', threads)]);
  return counts.reduce((sum, c) => sum + Number(c?.n ?? 0), 0);
}

/**
 * The staff inbox: requests and threads together, oldest first (created_at, then type and id) or,
 * with order 'desc', newest first; one page. Each status of each side is read on its own, in the
 * order of its (status, created_at) index and cut at offset + size, before they are merged: a page
 * costs the same whatever the number of items (an IN list of statuses, or NOT IN, would sort every
 * matching row first: 140,000 closed requests at the bench's scale). The total is one count per
 * side, on the table's indexes alone.
 * Past the first page the counts come first: a page beyond the last (an old bookmark,
 * « ?page=999999 ») reads no row — its LIMIT would be page × size — and comes back empty with the
 * total, for loadPage (src/paging.ts) to show the last page instead.
 */
export async function staffInbox(
  db: Db,
  filters: InboxFilters,
  today: string,
  page: number,
  size: number,
  order: 'asc' | 'desc' = 'asc',
): Promise<{ rows: InboxItem[]; total: number }> {
  const requests = inboxRequests(filters, today);
  const threads = inboxThreads(filters, today);
  const keep = page * size;
  const sides: Knex.QueryBuilder[] = [];
  const counts: Promise<{ n: number | string } | undefined>[] = [];
  if (requests) {
    counts.push(countSide(db, 'requests as r', requests));
    for (const status of requests.statuses) {
      sides.push(
        requests
          .where(db('requests as r').where('r.status', status))
          .join('members as m', 'm.id', 'r.member_id')
          .select(
            db.raw(`'request' as item_type`),
            'r.id',
            'r.reference',
            db.raw(`'member' as owner_kind`),
            db.raw(`m.first_name || ' ' || m.last_name as owner_name`),
            'r.kind as category',
            'r.object',
            'r.status',
            'r.assigned_account_id',
            'r.expected_day',
            'r.created_at',
          )
          .orderBy([
            { column: 'r.created_at', order },
            { column: 'r.id', order },
          ])
          .limit(keep),
      );
    }
  }
  if (threads) {
    counts.push(countSide(db, 'message_threads as t', threads));
    for (const status of threads.statuses) {
      sides.push(
        threads
          .where(db('message_threads as t').where('t.status', status))
          .leftJoin('members as m', 'm.id', 't.member_id')
          .leftJoin('companies as c', 'c.id', 't.company_id')
          .select(
            db.raw(`'thread' as item_type`),
            't.id',
            't.reference',
            't.owner_kind',
            db.raw(`COALESCE(c.name, m.first_name || ' ' || m.last_name) as owner_name`),
            't.category',
            't.object',
            't.status',
            't.assigned_account_id',
            't.expected_day',
            't.created_at',
          )
          .orderBy([
            { column: 't.created_at', order },
            { column: 't.id', order },
          ])
          .limit(keep),
      );
    }
  }
  if (!sides.length) return { rows: [], total: 0 };
  const sum = (found: ({ n: number | string } | undefined)[]) => found.reduce((total, c) => total + Number(c?.n ?? 0), 0);
  let counted: Promise<number> = Promise.all(counts).then(sum);
  if (page > 1) {
    const total = await counted;
    if ((page - 1) * size >= total) return { rows: [], total };
    counted = Promise.resolve(total);
  }
  // Each side as a derived table: SQLite allows no ORDER BY / LIMIT inside a compound SELECT's parts.
  const [first, ...others] = sides.map((side, i) => db.select('*').from(side.as(`side${i}`)));
  const merged = others.length ? first.unionAll(others, false) : first;
  const [rows, total] = await Promise.all([
    db
      .select('*')
      .from(merged.as('inbox'))
      .orderBy([
        { column: 'created_at', order },
        { column: 'item_type', order },
        { column: 'id', order },
      ])
      .limit(size)
      .offset((page - 1) * size),
    counted,
  ]);
  return {
    rows: rows.map((row: Omit<InboxItem, 'inbox_status' | 'late'>) => {
      const status = row.item_type === 'request' ? INBOX_STATUS_OF_REQUEST[row.status as RequestStatus] : (row.status as ThreadStatus);
      const expectedDay = row.expected_day ?? today;
      const late =
        row.item_type === 'request'
          ? isRequestLate({ status: row.status as RequestStatus, expectedDay }, today)
          : isThreadLate({ status: row.status as ThreadStatus, expectedDay }, today);
      return { ...row, inbox_status: status, late };
    }),
    total,
  };
}

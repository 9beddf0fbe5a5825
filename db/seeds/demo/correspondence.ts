// Requests and message threads written as the portal's own operations would have left them
// (src/correspondence/service.ts). Each item is a plan: its creation, then dated steps (staff take
// it, ask for a document, the member adds it, staff decide; or messages back and forth, notes,
// assignment, closing). Every step goes through the rule of src/domain/correspondence.ts
// (requestTransition, threadTransition) — a plan the rule refuses is a bug of the seed and throws —
// so the status, the timeline rows (request_events), the expected day (the brand's service level in
// business days, src/domain/business-days.ts), the last-message markers and the assignment agree.
// Steps dated after the seeding day are left out: a plan is cut where « today » falls, which
// leaves recent items open, some of them past their expected day (late), as in a lived-in inbox.
//
// References come from per-prefix, per-year counters kept here (DR-2026-000001…); the database's
// counters are synced after seeding (syncReferenceSequences in src/correspondence/queries.ts).
import { addBusinessDays } from '../../../src/domain/business-days.js';
import {
  expectedAnswerDate,
  formatReference,
  requestTransition,
  threadTransition,
  type ReferenceKind,
  type RequestAction,
  type RequestKind,
  type RequestStatus,
  type ThreadAction,
  type ThreadStatus,
} from '../../../src/domain/correspondence.js';
import { findThreadObject, requestServiceDays } from '../../../src/domain/correspondence-inbox.js';
import type { StoredEstimate } from '../../../src/domain/stored-estimate.js';
import type { Row } from '../bulk.js';
import { isoDay, type Random } from '../random.js';
import { nextId, type Chunk, type Ctx } from './context.js';
import { pastMoment } from './helpers.js';

const DAY_MS = 86_400_000;

/** A PDF written behind an attachment row (db/seeds/demo/files.ts); only when the seed has an upload folder. */
export interface FileSpec {
  name: string;
  title: string;
  lines: string[];
}

/** One line of a devis answer (DevisAnswerLine of src/correspondence/service.ts). */
export interface AnswerLine {
  label: string;
  amountCents: number;
  reimbursedCents: number;
}

export type RequestStep =
  | { action: 'assign'; day: number; by: number; to: number }
  | { action: 'note'; day: number; by: number; text: string }
  | { action: 'start'; day: number; by: number }
  | { action: 'ask_document'; day: number; by: number; documents: string }
  | { action: 'add_document'; day: number; message: string | null; files?: FileSpec[] }
  /** Remboursement: amount and payment day; devis: the answer per line; télétransmission: nothing more. */
  | { action: 'accept'; day: number; by: number; amountCents?: number; paymentDay?: string; lines?: AnswerLine[]; answer?: string | null; at?: string }
  | { action: 'refuse'; day: number; by: number; reason: string };

export interface RequestPlan {
  memberId: number;
  beneficiaryId: number | null;
  /** The member's account that sent it; null for a télétransmission asked without one (enrolment, paper). */
  accountId: number | null;
  kind: RequestKind;
  object: string;
  message: string | null;
  createdDay: number;
  /** The moment of creation when it is known already (a télétransmission request is its NOEMIE event's). */
  createdAt?: string;
  files?: FileSpec[];
  /** Devis: the member's estimate (src/domain/stored-estimate.ts). */
  estimate?: StoredEstimate | null;
  teletransmissionEventId?: number | null;
  steps: RequestStep[];
}

export type ThreadStep =
  /** The owner writes again (`by`: an HR colleague of the author; the author by default). */
  | { action: 'owner'; day: number; body: string; by?: number; files?: FileSpec[] }
  /** Staff answer (`ask`: the answer waits for the owner, « En attente »). */
  | { action: 'reply'; day: number; by: number; body: string; ask?: boolean; files?: FileSpec[] }
  | { action: 'note'; day: number; by: number; body: string }
  | { action: 'assign'; day: number; by: number; to: number }
  | { action: 'close'; day: number; by: number }
  | { action: 'reopen'; day: number; by: number };

export interface ThreadPlan {
  ownerKind: 'member' | 'hr';
  memberId: number | null;
  companyId: number | null;
  /** The author's account. */
  accountId: number;
  subjectMemberId?: number | null;
  category: string;
  object: string;
  createdDay: number;
  body: string;
  files?: FileSpec[];
  steps: ThreadStep[];
  /**
   * Who opened the thread after its last message (the owner's side): a member's thread, the member
   * when it holds their account id; a company's, each HR account listed. Everyone else's marker stays
   * at their own last message (writing marks read), so a staff answer after it is unread.
   */
  readBy: number[];
  /** Whether staff opened it after the owner's last message (the inbox's own unread marker). */
  staffRead: boolean;
}

// ------------------------------------------------------------------ references and moments
/** The next reference of a kind for the year of `day`, from the seed's own counters. */
function nextReference(ctx: Ctx, kind: ReferenceKind, day: number): string {
  const year = Number(isoDay(day).slice(0, 4));
  const key = `${kind}-${year}`;
  const value = (ctx.references.get(key) ?? 0) + 1;
  ctx.references.set(key, value);
  return formatReference(kind, year, value);
}

/** Successive moments of one item: each after the previous one, in office hours, never after the seeding moment. */
class Moments {
  private last = 0;
  constructor(
    private readonly ctx: Ctx,
    private readonly rng: Random,
  ) {}

  /** The first moment, on `day` (squeezed into the part of the seeding day already gone, see pastMoment). */
  first(day: number, known?: string): string {
    const at = known ?? pastMoment(this.ctx, day, this.rng.int(7 * 3600, 20 * 3600 - 1), 20 * 3600);
    this.last = Date.parse(at);
    return at;
  }

  /** A known moment (a NOEMIE change processed), kept unless it comes before the last one. */
  exactly(at: string): string {
    const ms = Date.parse(at);
    if (ms < this.last) return new Date(this.last).toISOString();
    this.last = ms;
    return at;
  }

  /** A moment of `day`, after the last one (minutes later when the day is the same). */
  at(day: number): string {
    let ms = day * DAY_MS + this.rng.int(8 * 3600, 18 * 3600) * 1000;
    if (ms <= this.last) ms = this.last + this.rng.int(5, 120) * 60_000;
    ms = Math.max(this.last, Math.min(ms, this.ctx.nowMs));
    this.last = ms;
    return new Date(ms).toISOString();
  }
}

function attachment(ctx: Ctx, table: 'request_attachments' | 'message_attachments', owner: Row, file: FileSpec, at: string): Row | null {
  if (!ctx.uploadDir) return null;
  return {
    id: nextId(ctx, table),
    ...owner,
    original_name: file.name,
    stored_name: `${ctx.activity.hex(32)}.pdf`,
    mime: 'application/pdf',
    size_bytes: 0,
    created_at: at,
    __file: { dir: table === 'request_attachments' ? 'requests' : 'messages', title: file.title, lines: file.lines },
  };
}

// ------------------------------------------------------------------ requests
const STAFF_SIDE_ACTIONS: readonly RequestAction[] = ['start', 'ask_document', 'accept', 'refuse'];

/** Writes a request, its timeline and its files; returns its id and the status it ends in. */
export function emitRequest(ctx: Ctx, chunk: Chunk, plan: RequestPlan): { id: number; status: RequestStatus; reference: string } {
  const days = requestServiceDays(ctx.lists, plan.kind, plan.object);
  if (days === null) throw new Error(`seed: no service level for ${plan.kind} « ${plan.object} »`);
  const id = nextId(ctx, 'requests');
  const reference = nextReference(ctx, plan.kind, plan.createdDay);
  const moments = new Moments(ctx, ctx.activity);
  const created = moments.first(plan.createdDay, plan.createdAt);
  const receivedDay = created.slice(0, 10);
  const events: Row[] = [];
  const files: Row[] = [];
  const event = (
    at: string,
    action: string,
    status: RequestStatus | null,
    side: 'member' | 'staff',
    accountId: number | null,
    visible: boolean,
    detail: unknown = null,
  ): number => {
    const eventId = nextId(ctx, 'request_events');
    events.push({
      id: eventId,
      request_id: id,
      at,
      action,
      status,
      side,
      account_id: accountId,
      visible,
      detail: detail === null ? null : JSON.stringify(detail),
    });
    return eventId;
  };
  const attach = (eventId: number, list: FileSpec[] | undefined, at: string) => {
    for (const file of list ?? []) {
      const row = attachment(ctx, 'request_attachments', { request_id: id }, file, at);
      if (row) files.push({ ...row, event_id: eventId });
    }
  };
  const row: Row = {
    id,
    member_id: plan.memberId,
    beneficiary_id: plan.beneficiaryId,
    kind: plan.kind,
    object: plan.object,
    reference,
    message: plan.message,
    status: 'received',
    answer: null,
    estimated_amount_cents: null,
    handled_by_account_id: null,
    answered_at: null,
    created_at: created,
    updated_at: created,
    assigned_account_id: null,
    teletransmission_event_id: plan.teletransmissionEventId ?? null,
    expected_day: expectedAnswerDate({ receivedDay }, days),
    reimbursed_amount_cents: null,
    payment_day: null,
    refusal_reason: null,
    missing_documents: null,
    estimate_lines: plan.kind === 'devis' && plan.estimate ? JSON.stringify(plan.estimate) : null,
    answer_lines: null,
  };
  attach(event(created, 'create', 'received', 'member', plan.accountId, true), plan.files, created);

  for (const step of plan.steps) {
    if (step.day > ctx.today) break;
    const at = step.action === 'accept' && step.at ? moments.exactly(step.at) : moments.at(step.day);
    if (step.action === 'assign') {
      row.assigned_account_id = step.to;
      row.updated_at = at;
      event(at, 'assign', null, 'staff', step.by, false, { to: step.to });
      continue;
    }
    if (step.action === 'note') {
      event(at, 'note', null, 'staff', step.by, false, { note: step.text });
      continue;
    }
    const side = STAFF_SIDE_ACTIONS.includes(step.action) ? 'staff' : 'member';
    const move = requestTransition(row.status as RequestStatus, step.action, side);
    if (!move.ok) throw new Error(`seed: request ${reference}, ${step.action} from ${String(row.status)}: ${move.reason}`);
    const by = step.action === 'add_document' ? plan.accountId : step.by;
    let detail: unknown = null;
    switch (step.action) {
      case 'start':
        if (row.assigned_account_id === null) row.assigned_account_id = step.by;
        break;
      case 'ask_document':
        row.missing_documents = step.documents;
        detail = { documents: step.documents };
        break;
      case 'add_document':
        row.expected_day = expectedAnswerDate({ receivedDay, completedDay: at.slice(0, 10) }, days);
        detail = step.message ? { message: step.message } : null;
        break;
      case 'accept':
        Object.assign(row, { handled_by_account_id: step.by, answered_at: at });
        if (plan.kind === 'remboursement') {
          if (step.amountCents === undefined || step.paymentDay === undefined)
            throw new Error(`seed: request ${reference} accepted without amount or payment day`);
          Object.assign(row, { reimbursed_amount_cents: step.amountCents, payment_day: step.paymentDay });
          detail = { amountCents: step.amountCents, paymentDay: step.paymentDay };
        } else if (plan.kind === 'devis') {
          if (!step.lines?.length) throw new Error(`seed: devis ${reference} answered without lines`);
          const total = step.lines.reduce((sum, l) => sum + l.reimbursedCents, 0);
          Object.assign(row, { answer_lines: JSON.stringify(step.lines), estimated_amount_cents: total, answer: step.answer ?? null });
          detail = { estimatedCents: total };
        }
        break;
      case 'refuse':
        Object.assign(row, { refusal_reason: step.reason, handled_by_account_id: step.by, answered_at: at });
        detail = { reason: step.reason };
        break;
    }
    let lastEvent = 0;
    for (const [i, status] of move.steps.entries()) {
      const last = i === move.steps.length - 1;
      lastEvent = event(at, last ? step.action : 'start', status, side, by, true, last ? detail : null);
    }
    if (step.action === 'add_document') attach(lastEvent, step.files, at);
    row.status = move.to;
    row.updated_at = at;
  }
  chunk.add('requests', row);
  for (const e of events) chunk.add('request_events', e);
  for (const f of files) chunk.add('request_attachments', f);
  return { id, status: row.status as RequestStatus, reference };
}

// ------------------------------------------------------------------ threads
const THREAD_ACTIONS: Readonly<Record<ThreadStep['action'], (step: ThreadStep) => ThreadAction>> = {
  owner: () => 'owner_reply',
  reply: (step) => (step.action === 'reply' && step.ask ? 'staff_ask' : 'staff_reply'),
  note: () => 'note',
  assign: () => 'assign',
  close: () => 'close',
  reopen: () => 'reopen',
};

/** Writes a thread, its messages, files and read markers; returns its id and the status it ends in. */
export function emitThread(ctx: Ctx, chunk: Chunk, plan: ThreadPlan): { id: number; status: ThreadStatus; reference: string } {
  const object = findThreadObject(ctx.lists, plan.ownerKind, plan.category, plan.object);
  if (!object) throw new Error(`seed: no « ${plan.category} / ${plan.object} » for ${plan.ownerKind}`);
  const id = nextId(ctx, 'message_threads');
  const moments = new Moments(ctx, ctx.activity);
  const created = moments.first(plan.createdDay);
  const messages: Row[] = [];
  const files: Row[] = [];
  /** Each owner-side account's own read marker: writing marks the thread read (src/correspondence/service.ts). */
  const ownerReads = new Map<number, string>([[plan.accountId, created]]);
  const message = (at: string, authorKind: 'member' | 'hr' | 'staff', accountId: number, body: string, internal: boolean, list?: FileSpec[]) => {
    const messageId = nextId(ctx, 'messages');
    messages.push({ id: messageId, thread_id: id, author_kind: authorKind, author_account_id: accountId, body, created_at: at, internal });
    for (const file of list ?? []) {
      const row = attachment(ctx, 'message_attachments', { message_id: messageId }, file, at);
      if (row) files.push(row);
    }
  };
  const row: Row = {
    id,
    owner_kind: plan.ownerKind,
    member_id: plan.memberId,
    company_id: plan.companyId,
    account_id: plan.accountId,
    category: plan.category,
    object: plan.object,
    status: 'new',
    created_at: created,
    last_message_at: created,
    owner_read_at: null,
    staff_read_at: null,
    reference: nextReference(ctx, 'message', plan.createdDay),
    expected_day: addBusinessDays(isoDay(plan.createdDay), object.serviceDays),
    last_staff_message_at: null,
    last_owner_message_at: created,
    assigned_account_id: null,
    subject_member_id: plan.subjectMemberId ?? null,
  };
  message(created, plan.ownerKind, plan.accountId, plan.body, false, plan.files);

  for (const step of plan.steps) {
    if (step.day > ctx.today) break;
    const at = moments.at(step.day);
    const side = step.action === 'owner' ? plan.ownerKind : 'staff';
    const move = threadTransition(row.status as ThreadStatus, THREAD_ACTIONS[step.action](step), side);
    if (!move.ok) throw new Error(`seed: thread ${String(row.reference)}, ${step.action} from ${String(row.status)}: ${move.reason}`);
    switch (step.action) {
      case 'owner': {
        const by = step.by ?? plan.accountId;
        message(at, plan.ownerKind, by, step.body, false, step.files);
        Object.assign(row, { last_message_at: at, last_owner_message_at: at });
        // The insurer's turn starts again when it was not already running.
        if (move.from === 'answered' || move.from === 'awaiting') row.expected_day = addBusinessDays(isoDay(step.day), object.serviceDays);
        ownerReads.set(by, at);
        break;
      }
      case 'reply':
        message(at, 'staff', step.by, step.body, false, step.files);
        Object.assign(row, { last_message_at: at, last_staff_message_at: at, staff_read_at: at });
        if (row.assigned_account_id === null) row.assigned_account_id = step.by;
        break;
      case 'note':
        message(at, 'staff', step.by, step.body, true);
        break;
      case 'assign':
        row.assigned_account_id = step.to;
        break;
      case 'reopen':
        row.expected_day = addBusinessDays(isoDay(step.day), object.serviceDays);
        break;
      case 'close':
        break;
    }
    row.status = move.to;
  }
  // Opened after the last message: a moment after it, never after the seeding moment.
  const lastMs = Date.parse(String(row.last_message_at));
  const readAt = () => new Date(Math.min(ctx.nowMs, lastMs + ctx.activity.int(10, 48 * 60) * 60_000)).toISOString();
  for (const reader of plan.readBy) ownerReads.set(reader, readAt());
  if (plan.staffRead && row.last_owner_message_at !== null && String(row.last_owner_message_at) > String(row.staff_read_at ?? '')) row.staff_read_at = readAt();
  if (plan.ownerKind === 'member') row.owner_read_at = ownerReads.get(plan.accountId) ?? null;

  chunk.add('message_threads', row);
  for (const m of messages) chunk.add('messages', m);
  for (const f of files) chunk.add('message_attachments', f);
  if (plan.ownerKind === 'hr') {
    for (const [accountId, at] of ownerReads)
      chunk.add('message_thread_reads', { id: nextId(ctx, 'message_thread_reads'), thread_id: id, account_id: accountId, read_at: at });
  }
  return { id, status: row.status as ThreadStatus, reference: String(row.reference) };
}

// Sends what leaves the system (src/domain/outbox.ts): emails through SMTP (nodemailer) when
// SMTP_URL is set, SMS through a provider interface with one HTTP implementation. With neither
// configured (the demo, the tests), every message is kept whole in the `outbox` table for
// /dev/outbox. With a real transport, a message is first written whole (status « pending »), tried
// at once, and retried by the sending job with backoff until the transport accepts it — then the
// row keeps only a trace — or it is « dead » after OUTBOX_MAX_ATTEMPTS refusals (the diagram is in
// src/domain/outbox.ts). A server down loses nothing: the messages wait in the table.
import nodemailer from 'nodemailer';
import type { Config } from '../config.js';
import type { Db } from '../db.js';
import type { Clock } from '../domain/dates.js';
import { insertedId } from '../db.js';
import { outboxRow, refusedChanges, sentChanges, type EmailMessage, type Outbox, type OutboxMessage, type SmsProvider } from '../domain/outbox.js';

/** Generic JSON-over-HTTPS SMS gateway: POST {from, to, text} with a bearer key. */
class HttpSmsProvider implements SmsProvider {
  readonly name = 'http';
  constructor(
    private readonly url: string,
    private readonly apiKey: string,
    private readonly sender: string,
  ) {}

  async send(to: string, text: string): Promise<void> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.apiKey}` },
      body: JSON.stringify({ from: this.sender, to, text }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`SMS provider answered ${response.status}`);
  }
}

/** How long an instance holds a message it is sending: longer than the transports' own timeouts. */
const SENDING_HOLD_MS = 2 * 60 * 1000;
/** How many due messages one run of the sending job tries. */
const BATCH = 200;

interface Transports {
  email: ReturnType<typeof nodemailer.createTransport> | null;
  sms: SmsProvider | null;
}

function transportsFor(config: Config): Transports {
  return {
    // Short timeouts: a server that does not answer is a refusal retried later, not a request held.
    email: config.smtpUrl
      ? nodemailer.createTransport({ url: config.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 })
      : null,
    sms: config.sms.url && config.sms.apiKey ? new HttpSmsProvider(config.sms.url, config.sms.apiKey, config.sms.sender) : null,
  };
}

interface OutboxRow {
  id: number;
  channel: OutboxMessage['channel'];
  recipient: string;
  subject: string | null;
  body_text: string;
  body_html: string | null;
  attempts: number;
}

/**
 * Claims message `id` if it is due (pending, or left `sending` by a process that stopped), in one
 * UPDATE: two instances never both send it. The attempt is counted before the sending.
 */
async function claim(db: Db, id: number, now: Date): Promise<boolean> {
  const iso = now.toISOString();
  const claimed = await db('outbox')
    .where({ id })
    .whereIn('status', ['pending', 'sending'])
    .where((due) => due.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', iso))
    .update({ status: 'sending', attempts: db.raw('attempts + 1'), next_attempt_at: new Date(now.getTime() + SENDING_HOLD_MS).toISOString() });
  return claimed === 1;
}

/** Claims, sends and records one message; false when it was not due or the transport refused it. */
async function attempt(db: Db, config: Config, transports: Transports, id: number, clock: Clock): Promise<boolean> {
  if (!(await claim(db, id, clock()))) return false;
  const row = (await db('outbox').where({ id }).first()) as OutboxRow;
  try {
    if (row.channel === 'email') {
      if (!transports.email) throw new Error('SMTP_URL non configuré');
      await transports.email.sendMail({
        from: config.mailFrom,
        to: row.recipient,
        subject: row.subject ?? '',
        text: row.body_text,
        html: row.body_html ?? undefined,
      });
    } else {
      if (!transports.sms) throw new Error('passerelle SMS non configurée');
      await transports.sms.send(row.recipient, row.body_text);
    }
  } catch (err) {
    await db('outbox')
      .where({ id, status: 'sending' })
      .update(refusedChanges(row.attempts, config.outbox.maxAttempts, (err as Error).message, clock()));
    return false;
  }
  await db('outbox').where({ id }).update(sentChanges(row.channel, clock()));
  return true;
}

export function createOutbox(config: Config, db: Db, clock: Clock = () => new Date()): Outbox {
  const transports = transportsFor(config);

  /**
   * Keeps the message (whole until it leaves), then — with a transport — tries it at once, so a
   * code arrives while its page is shown. A refusal does not reach the caller: the message waits
   * in the table and the sending job (src/jobs.ts) tries it again later.
   */
  async function queue(message: OutboxMessage, transport: unknown): Promise<void> {
    const [row] = await db('outbox')
      .insert(outboxRow(message, { status: transport ? 'pending' : 'stored' }, clock()))
      .returning('id');
    if (transport) await attempt(db, config, transports, insertedId(row), clock);
  }

  return {
    async sendEmail(email) {
      await queue({ channel: 'email', email }, transports.email);
    },
    async sendSms(to, text) {
      await queue({ channel: 'sms', to, text }, transports.sms);
    },
  };
}

/**
 * The row to insert, in the caller's own transaction, for a message the sending job will send
 * (or /dev/outbox will show when no transport is configured): for messages that must leave if and
 * only if the caller's work is committed.
 */
export function queuedOutboxRow(config: Config, message: OutboxMessage, now: Date) {
  const transport = message.channel === 'email' ? config.smtpUrl : config.sms.url && config.sms.apiKey;
  return outboxRow(message, { status: transport ? 'pending' : 'stored' }, now);
}

/**
 * One run of the sending job: every message due at `now` (pending, or held by a process that
 * stopped), oldest first, each claimed before it is sent. Returns how many left. `ids` limits it to
 * those messages: a caller that queued rows in its transaction (queuedOutboxRow) sends them this
 * way once it committed, rather than waiting for the job.
 */
export async function sendDueMessages(db: Db, config: Config, clock: Clock = () => new Date(), ids?: readonly number[]): Promise<number> {
  const transports = transportsFor(config);
  const query = db('outbox')
    .whereIn('status', ['pending', 'sending'])
    .where((due) => due.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', clock().toISOString()))
    .orderBy('id')
    .limit(BATCH);
  if (ids) query.whereIn('id', ids);
  const due: number[] = await query.pluck('id');
  let sent = 0;
  for (const id of due) if (await attempt(db, config, transports, id, clock)) sent++;
  return sent;
}

/** The messages the transports refused OUTBOX_MAX_ATTEMPTS times, newest first, for « Envois en échec ». */
export async function findDeadMessages(db: Db, limit: number) {
  return db('outbox')
    .where({ status: 'dead' })
    .orderBy('id', 'desc')
    .limit(limit)
    .select('id', 'channel', 'recipient', 'subject', 'attempts', 'error', 'created_at');
}

/** How many messages wait for their next attempt (pending or being sent). */
export async function countWaitingMessages(db: Db): Promise<number> {
  const row = await db('outbox').whereIn('status', ['pending', 'sending']).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** « Renvoyer »: a dead message is due again with its attempts counted afresh; false when it is not dead (any more). */
export async function requeueDeadMessage(db: Db, id: number, now: Date): Promise<boolean> {
  const changed = await db('outbox').where({ id, status: 'dead' }).update({ status: 'pending', attempts: 0, error: null, next_attempt_at: now.toISOString() });
  return changed === 1;
}

/**
 * Emails written as outbox rows by the caller's own transaction, so that they exist if and only if
 * what they announce was committed (the décompte feed's, src/statement-feed/feed.ts), then sent by
 * sendQueued once it committed; a row a stopped process left `pending` is sent by the send-outbox job.
 */
export interface OutboxQueue {
  queueEmails(trx: Db, messages: EmailMessage[]): Promise<number[]>;
  sendQueued(ids: number[]): Promise<void>;
}

export function createOutboxQueue(config: Config, db: Db, clock: Clock = () => new Date()): OutboxQueue {
  return {
    async queueEmails(trx, messages) {
      const now = clock();
      const ids: number[] = [];
      // 12 columns × 50 rows stays under every driver's limit of bound values.
      for (let i = 0; i < messages.length; i += 50) {
        const rows = messages.slice(i, i + 50).map((email) => queuedOutboxRow(config, { channel: 'email', email }, now));
        const inserted: { id: number }[] = await trx('outbox').insert(rows).returning('id');
        ids.push(...inserted.map((r) => Number(r.id)));
      }
      return ids;
    },
    async sendQueued(ids) {
      if (ids.length) await sendDueMessages(db, config, clock, ids);
    },
  };
}

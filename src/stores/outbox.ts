// Sends what leaves the system (src/domain/outbox.ts): emails through SMTP (nodemailer) when
// SMTP_URL is set, SMS through a provider interface with one HTTP implementation. With neither
// configured (the demo, the tests), every message is kept whole in the `outbox` table for
// /dev/outbox; with a real transport, the table keeps only a trace.
import nodemailer from 'nodemailer';
import type { Config } from '../config.js';
import type { Db } from '../db.js';
import type { Clock } from '../domain/dates.js';
import { outboxRow, type EmailMessage, type Outbox, type OutboxMessage, type OutboxOutcome, type SmsProvider } from '../domain/outbox.js';

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

export function createOutbox(config: Config, db: Db, clock: Clock = () => new Date()): Outbox {
  const transport = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : null;
  const sms: SmsProvider | null = config.sms.url && config.sms.apiKey ? new HttpSmsProvider(config.sms.url, config.sms.apiKey, config.sms.sender) : null;

  async function record(message: OutboxMessage, outcome: OutboxOutcome): Promise<void> {
    await db('outbox').insert(outboxRow(message, outcome, clock()));
  }

  /** Hands the message to the transport (if any) and records what became of it. */
  async function deliver(message: OutboxMessage, send: (() => Promise<unknown>) | null): Promise<void> {
    if (!send) {
      await record(message, { status: 'stored' });
      return;
    }
    try {
      await send();
      await record(message, { status: 'sent' });
    } catch (err) {
      await record(message, { status: 'failed', error: (err as Error).message });
      throw err;
    }
  }

  return {
    async sendEmail(email) {
      await deliver(
        { channel: 'email', email },
        transport && (() => transport.sendMail({ from: config.mailFrom, to: email.to, subject: email.subject, text: email.text, html: email.html })),
      );
    },
    async sendSms(to, text) {
      await deliver({ channel: 'sms', to, text }, sms && (() => sms.send(to, text)));
    },
  };
}

/**
 * Emails written as outbox rows by the caller's own transaction, so that they exist if and only if
 * what they announce was committed (the décompte feed's, src/statement-feed/feed.ts): kept whole
 * (`stored`) with no transport, else `pending` with their body until handed to it by sendQueued
 * once the transaction committed. A row left `pending` by a process that died before sending is
 * still in the table, body included, for the outbox's sender to pick up.
 */
export interface OutboxQueue {
  queueEmails(trx: Db, messages: EmailMessage[]): Promise<number[]>;
  sendQueued(ids: number[]): Promise<void>;
}

export function createOutboxQueue(config: Config, db: Db, clock: Clock = () => new Date()): OutboxQueue {
  const transport = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : null;
  return {
    async queueEmails(trx, messages) {
      if (!messages.length) return [];
      const now = clock();
      const ids: number[] = [];
      // 11 columns × 50 rows stays under every driver's limit of bound values.
      for (let i = 0; i < messages.length; i += 50) {
        const rows = messages.slice(i, i + 50).map((email) => outboxRow({ channel: 'email', email }, { status: transport ? 'pending' : 'stored' }, now));
        const inserted: { id: number }[] = await trx('outbox').insert(rows).returning('id');
        ids.push(...inserted.map((r) => Number(r.id)));
      }
      return ids;
    },
    async sendQueued(ids) {
      if (!transport || !ids.length) return;
      const rows: { id: number; recipient: string; subject: string; body_text: string; body_html: string | null }[] = await db('outbox')
        .whereIn('id', ids)
        .where({ channel: 'email', status: 'pending' })
        .orderBy('id')
        .select('id', 'recipient', 'subject', 'body_text', 'body_html');
      for (const row of rows) {
        const email: EmailMessage = { to: row.recipient, subject: row.subject, text: row.body_text, html: row.body_html ?? '' };
        let outcome: OutboxOutcome;
        try {
          await transport.sendMail({ from: config.mailFrom, to: email.to, subject: email.subject, text: email.text, html: row.body_html ?? undefined });
          outcome = { status: 'sent' };
        } catch (err) {
          // The row says so; one address refused must not stop the others.
          outcome = { status: 'failed', error: (err as Error).message };
        }
        const { body_text, body_html, status, error, attempts, sent_at } = outboxRow({ channel: 'email', email }, outcome, clock());
        await db('outbox').where({ id: row.id, status: 'pending' }).update({ body_text, body_html, status, error, attempts, sent_at });
      }
    },
  };
}

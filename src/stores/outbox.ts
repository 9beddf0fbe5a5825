// Sends what leaves the system (src/domain/outbox.ts): emails through SMTP (nodemailer) when
// SMTP_URL is set, SMS through a provider interface with one HTTP implementation. With neither
// configured (the demo, the tests), every message is kept whole in the `outbox` table for
// /dev/outbox; with a real transport, the table keeps only a trace.
import nodemailer from 'nodemailer';
import type { Config } from '../config.js';
import type { Db } from '../db.js';
import type { Clock } from '../domain/dates.js';
import { outboxRow, type Outbox, type OutboxMessage, type OutboxOutcome, type SmsProvider } from '../domain/outbox.js';

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

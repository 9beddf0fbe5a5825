// Messages that leave the system (docs/domain.md#audit-log-and-outbox). Emails go through SMTP (nodemailer) when SMTP_URL
// is set; SMS through a provider interface with one HTTP implementation. With neither configured
// (the demo, the tests), every message is kept whole in the `outbox` table for /dev/outbox.
// When a real transport is used, the outbox keeps only a trace without the body, so codes and
// links do not sit in the database.
import nodemailer from 'nodemailer';
import type { Config } from '../config.js';
import type { Db } from '../db.js';
import type { Clock } from './dates.js';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface SmsProvider {
  readonly name: string;
  send(to: string, text: string): Promise<void>;
}

/** Generic JSON-over-HTTPS SMS gateway: POST {from, to, text} with a bearer key. */
export class HttpSmsProvider implements SmsProvider {
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

export interface Outbox {
  sendEmail(message: EmailMessage): Promise<void>;
  sendSms(to: string, text: string): Promise<void>;
}


export function createOutbox(config: Config, db: Db, clock: Clock = () => new Date()): Outbox {
  const transport = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : null;
  const sms: SmsProvider | null =
    config.sms.url && config.sms.apiKey ? new HttpSmsProvider(config.sms.url, config.sms.apiKey, config.sms.sender) : null;

  async function record(row: {
    channel: 'email' | 'sms';
    recipient: string;
    subject?: string | null;
    body_text: string;
    body_html?: string | null;
    status: 'stored' | 'sent' | 'failed';
    error?: string | null;
  }): Promise<void> {
    const now = clock().toISOString();
    await db('outbox').insert({
      subject: null,
      body_html: null,
      error: null,
      ...row,
      attempts: row.status === 'stored' ? 0 : 1,
      created_at: now,
      sent_at: row.status === 'sent' ? now : null,
    });
  }

  return {
    async sendEmail(message) {
      if (!transport) {
        await record({ channel: 'email', recipient: message.to, subject: message.subject, body_text: message.text, body_html: message.html, status: 'stored' });
        return;
      }
      try {
        await transport.sendMail({ from: config.mailFrom, to: message.to, subject: message.subject, text: message.text, html: message.html });
        await record({ channel: 'email', recipient: message.to, subject: message.subject, body_text: '(envoyé par SMTP, contenu non conservé)', status: 'sent' });
      } catch (err) {
        await record({ channel: 'email', recipient: message.to, subject: message.subject, body_text: '(échec SMTP)', status: 'failed', error: (err as Error).message.slice(0, 500) });
        throw err;
      }
    },
    async sendSms(to, text) {
      if (!sms) {
        await record({ channel: 'sms', recipient: to, body_text: text, status: 'stored' });
        return;
      }
      try {
        await sms.send(to, text);
        await record({ channel: 'sms', recipient: to, body_text: '(envoyé au fournisseur SMS, contenu non conservé)', status: 'sent' });
      } catch (err) {
        await record({ channel: 'sms', recipient: to, body_text: '(échec SMS)', status: 'failed', error: (err as Error).message.slice(0, 500) });
        throw err;
      }
    },
  };
}

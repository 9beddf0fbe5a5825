// Messages that leave the system (docs/domain.md#audit-log-and-outbox): what a message is, and the `outbox` row that records
// it. With no transport configured (the demo, the tests), the row keeps the message whole for
// /dev/outbox; when a real transport is used, it keeps only a trace without the body, so codes
// and links do not sit in the database. The sending is src/stores/outbox.ts.

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

export interface Outbox {
  sendEmail(message: EmailMessage): Promise<void>;
  sendSms(to: string, text: string): Promise<void>;
}

/** What became of a message: kept whole (no transport), waiting for the transport, handed to it, or refused by it. */
export type OutboxOutcome = { status: 'stored' } | { status: 'pending' } | { status: 'sent' } | { status: 'failed'; error: string };

export type OutboxMessage = { channel: 'email'; email: EmailMessage } | { channel: 'sms'; to: string; text: string };

const TRACES = {
  email: { sent: '(envoyé par SMTP, contenu non conservé)', failed: '(échec SMTP)' },
  sms: { sent: '(envoyé au fournisseur SMS, contenu non conservé)', failed: '(échec SMS)' },
} as const;

/** The `outbox` row for a message and its outcome: the body only while it is stored or waiting, never once it left. */
export function outboxRow(message: OutboxMessage, outcome: OutboxOutcome, now: Date) {
  const at = now.toISOString();
  const trace = outcome.status === 'sent' || outcome.status === 'failed' ? TRACES[message.channel][outcome.status] : null;
  const { recipient, subject, text, html } =
    message.channel === 'email'
      ? { recipient: message.email.to, subject: message.email.subject, text: message.email.text, html: message.email.html }
      : { recipient: message.to, subject: null, text: message.text, html: null };
  return {
    channel: message.channel,
    recipient,
    subject,
    body_text: trace ?? text,
    body_html: trace ? null : html,
    status: outcome.status,
    error: outcome.status === 'failed' ? outcome.error.slice(0, 500) : null,
    attempts: trace ? 1 : 0,
    created_at: at,
    sent_at: outcome.status === 'sent' ? at : null,
  };
}

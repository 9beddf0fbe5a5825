// Messages that leave the system (docs/domain.md#audit-log-and-outbox): what a message is, and the `outbox` row that records
// it. With no transport configured (the demo, the tests), the row keeps the message whole for
// /dev/outbox; when a real transport is used, the row waits whole until the transport accepts it
// (retried with backoff, never lost when the server is down), then keeps only a trace without the
// body, so codes and links do not sit in the database. The sending is src/stores/outbox.ts.

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

export type OutboxMessage = { channel: 'email'; email: EmailMessage } | { channel: 'sms'; to: string; text: string };

/*
 * A message's life in the `outbox` table (the sending is src/stores/outbox.ts):
 *
 *   stored                      no transport configured: kept whole for /dev/outbox, never sent
 *   pending ──claim──▶ sending ──transport accepts──▶ sent      (body replaced by a trace)
 *      ▲                  │
 *      └──refused, retry──┤      next_attempt_at = now + retryDelayMs(attempts)
 *                         └──refused the maxAttempts-th time──▶ dead   (kept whole, « Renvoyer » → pending)
 *
 * A `sending` row whose next_attempt_at (the sender's hold) is past was left by a process that
 * stopped while sending: it is claimed again like a pending one.
 */

/** What became of a message: kept whole (no transport), waiting for the transport, handed to it, or refused by it. */
export type OutboxOutcome = { status: 'stored' } | { status: 'pending' } | { status: 'sent' } | { status: 'failed'; error: string };

const TRACES = {
  email: { sent: '(envoyé par SMTP, contenu non conservé)', failed: '(échec SMTP)' },
  sms: { sent: '(envoyé au fournisseur SMS, contenu non conservé)', failed: '(échec SMS)' },
} as const;

/** The first retry waits this long, each next one twice as long, up to RETRY_MAX_DELAY_MS. */
const RETRY_BASE_DELAY_MS = 30_000;
const RETRY_MAX_DELAY_MS = 6 * 3600 * 1000;

/** How long to wait after the `attempts`-th refusal before trying again: 30 s, 1 min, 2 min… at most 6 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1), RETRY_MAX_DELAY_MS);
}

/**
 * The `outbox` row for a message and its outcome: the body only while it is stored or waiting
 * (`pending`, due now), never once it left. New messages are `stored` (no transport) or `pending`.
 */
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
    next_attempt_at: outcome.status === 'pending' ? at : null,
  };
}

/** What a message's row becomes once the transport accepted it: a trace, never the body (codes, links). */
export function sentChanges(channel: OutboxMessage['channel'], now: Date) {
  return { status: 'sent' as const, body_text: TRACES[channel].sent, body_html: null, error: null, sent_at: now.toISOString(), next_attempt_at: null };
}

/** What a message's row becomes when its `attempts`-th try was refused: retried later, or dead after `maxAttempts`. */
export function refusedChanges(attempts: number, maxAttempts: number, error: string, now: Date) {
  const dead = attempts >= maxAttempts;
  return {
    status: dead ? ('dead' as const) : ('pending' as const),
    error: error.slice(0, 500),
    next_attempt_at: dead ? null : new Date(now.getTime() + retryDelayMs(attempts)).toISOString(),
  };
}

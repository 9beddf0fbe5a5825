import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outboxRow, refusedChanges, retryDelayMs, sentChanges } from '../../src/domain/outbox.js';
import { assertExcludes } from '../helpers/assertions.js';

const NOW = new Date('2026-11-22T09:00:00.000Z');
const email = { channel: 'email' as const, email: { to: 'a@example.fr', subject: 'Votre code', text: 'Code : 480917', html: '<p>Code : 480917</p>' } };
const sms = { channel: 'sms' as const, to: '+33612345678', text: 'Code : 480917' };

test('with no transport, the message is kept whole, not yet attempted', () => {
  assert.deepEqual(outboxRow(email, { status: 'stored' }, NOW), {
    channel: 'email',
    recipient: 'a@example.fr',
    subject: 'Votre code',
    body_text: 'Code : 480917',
    body_html: '<p>Code : 480917</p>',
    status: 'stored',
    error: null,
    attempts: 0,
    created_at: '2026-11-22T09:00:00.000Z',
    sent_at: null,
    next_attempt_at: null,
  });
  const row = outboxRow(sms, { status: 'stored' }, NOW);
  assert.equal(row.recipient, '+33612345678');
  assert.equal(row.subject, null);
  assert.equal(row.body_text, 'Code : 480917');
  assert.equal(row.body_html, null);
});

test('a message handed to the transport leaves only a trace, never its body', () => {
  const mail = outboxRow(email, { status: 'sent' }, NOW);
  assert.equal(mail.body_text, '(envoyé par SMTP, contenu non conservé)');
  assert.equal(mail.body_html, null);
  assert.equal(mail.subject, 'Votre code');
  assert.equal(mail.attempts, 1);
  assert.equal(mail.sent_at, '2026-11-22T09:00:00.000Z');
  const text = outboxRow(sms, { status: 'sent' }, NOW);
  assert.equal(text.body_text, '(envoyé au fournisseur SMS, contenu non conservé)');
  assertExcludes(JSON.stringify([mail, text]), '480917', 'the code is not kept');
});

test('a refused message: its trace and the error, cut to 500 characters, not sent', () => {
  const mail = outboxRow(email, { status: 'failed', error: 'e'.repeat(700) }, NOW);
  assert.equal(mail.body_text, '(échec SMTP)');
  assert.equal(mail.error, 'e'.repeat(500));
  assert.equal(mail.attempts, 1);
  assert.equal(mail.sent_at, null);
  const text = outboxRow(sms, { status: 'failed', error: 'SMS provider answered 503' }, NOW);
  assert.equal(text.body_text, '(échec SMS)');
  assert.equal(text.error, 'SMS provider answered 503');
  assertExcludes(JSON.stringify([mail, text]), '480917');
});

test('with a transport, the message waits whole and is due at once', () => {
  const row = outboxRow(email, { status: 'pending' }, NOW);
  assert.equal(row.status, 'pending');
  assert.equal(row.body_text, 'Code : 480917');
  assert.equal(row.body_html, '<p>Code : 480917</p>');
  assert.equal(row.next_attempt_at, '2026-11-22T09:00:00.000Z');
  assert.equal(row.attempts, 0);
});

test('once the transport accepted it, the row keeps only a trace, never the body', () => {
  const mail = sentChanges('email', NOW);
  assert.deepEqual(mail, {
    status: 'sent',
    body_text: '(envoyé par SMTP, contenu non conservé)',
    body_html: null,
    error: null,
    sent_at: '2026-11-22T09:00:00.000Z',
    next_attempt_at: null,
  });
  assert.equal(sentChanges('sms', NOW).body_text, '(envoyé au fournisseur SMS, contenu non conservé)');
});

test('retries back off exponentially from 30 s, capped at 6 hours', () => {
  assert.deepEqual([1, 2, 3, 4].map(retryDelayMs), [30_000, 60_000, 120_000, 240_000]);
  assert.equal(retryDelayMs(30), 6 * 3600 * 1000);
});

test('a refused message is retried later with the error cut to 500 characters, and dead at the last attempt', () => {
  assert.deepEqual(refusedChanges(2, 5, 'e'.repeat(700), NOW), { status: 'pending', error: 'e'.repeat(500), next_attempt_at: '2026-11-22T09:01:00.000Z' });
  assert.deepEqual(refusedChanges(5, 5, 'SMS provider answered 503', NOW), { status: 'dead', error: 'SMS provider answered 503', next_attempt_at: null });
});

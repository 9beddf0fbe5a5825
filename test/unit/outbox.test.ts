import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outboxRow } from '../../src/domain/outbox.js';
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

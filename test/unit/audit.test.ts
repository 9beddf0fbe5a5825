import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditLogRow } from '../../src/domain/audit.js';

const NOW = new Date('2026-11-22T09:00:00.000Z');

test('an audit row: UTC time, the event, the account, and null for what is not given', () => {
  assert.deepEqual(auditLogRow(NOW, { event: 'logout' }), {
    at: '2026-11-22T09:00:00.000Z',
    event: 'logout',
    account_id: null,
    account_kind: null,
    ip: null,
    user_agent: null,
    detail: null,
  });
  const row = auditLogRow(NOW, {
    event: 'login_ok',
    accountId: 12,
    accountKind: 'member',
    ip: '203.0.113.9',
    userAgent: 'Firefox',
    detail: { door: 'assure', remembered: true },
  });
  assert.equal(row.account_id, 12);
  assert.equal(row.account_kind, 'member');
  assert.equal(row.ip, '203.0.113.9');
  assert.equal(row.user_agent, 'Firefox');
  assert.deepEqual(JSON.parse(row.detail!), { door: 'assure', remembered: true });
});

test('a long user agent is cut to 500 characters; an empty one is not kept', () => {
  assert.equal(auditLogRow(NOW, { event: 'logout', userAgent: 'x'.repeat(800) }).user_agent, 'x'.repeat(500));
  assert.equal(auditLogRow(NOW, { event: 'logout', userAgent: '' }).user_agent, null);
});

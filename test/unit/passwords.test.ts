import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, PRODUCTION_LOG_N, setPasswordHashLogN, verifyPassword } from '../../src/domain/passwords.js';

test('scrypt hashes: salted, parameters stored, verified in constant time', async () => {
  const a = await hashPassword('cheval agrafe batterie correcte');
  const b = await hashPassword('cheval agrafe batterie correcte');
  assert.notEqual(a, b, 'a random salt each time');
  assert.match(a, /^scrypt\$15\$8\$3\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  assert.equal(await verifyPassword('cheval agrafe batterie correcte', a), true);
  assert.equal(await verifyPassword('cheval agrafe batterie correcté', a), false);
  assert.equal(await verifyPassword('x', null), false, 'no account: still false, after the same work');
  assert.equal(await verifyPassword('x', 'md5$abc'), false);
});

test('a lowered work factor applies to new hashes only; older hashes keep their own', async () => {
  const strong = await hashPassword('cheval agrafe batterie correcte');
  setPasswordHashLogN(10);
  try {
    const light = await hashPassword('cheval agrafe batterie correcte');
    assert.match(light, /^scrypt\$10\$8\$3\$/);
    assert.equal(await verifyPassword('cheval agrafe batterie correcte', strong), true);
    assert.equal(await verifyPassword('cheval agrafe batterie correcte', light), true);
  } finally {
    setPasswordHashLogN(PRODUCTION_LOG_N);
  }
});

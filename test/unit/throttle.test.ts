import { test } from 'node:test';
import assert from 'node:assert/strict';
import { delayAfter, throttleRules, waitMessage } from '../../src/domain/throttle.js';

test('no delay within the free allowance, then a doubling delay up to a ceiling', () => {
  const rule = throttleRules.loginAccount;
  assert.equal(delayAfter(rule.free, rule), 0);
  assert.equal(delayAfter(rule.free + 1, rule), rule.baseDelayMs);
  assert.equal(delayAfter(rule.free + 2, rule), rule.baseDelayMs * 2);
  assert.equal(delayAfter(rule.free + 3, rule), rule.baseDelayMs * 4);
  assert.equal(delayAfter(rule.free + 50, rule), rule.maxDelayMs, 'capped: never a permanent lock');
});

test('French wait messages', () => {
  assert.match(waitMessage(1), /1 seconde avant/);
  assert.match(waitMessage(30), /30 secondes/);
  assert.match(waitMessage(61), /2 minutes/);
});

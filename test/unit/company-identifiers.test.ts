// The generated « Identifiant entreprise » and « code identifiant »: 8 characters of an alphabet
// without look-alikes, every character equally likely, never a byte's bias.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { IDENTIFIER_ALPHABET, IDENTIFIER_LENGTH, identifierFromBytes, isIdentifier, newIdentifier } from '../../src/domain/company-identifiers.js';

test('the alphabet leaves out the characters read for one another', () => {
  for (const c of '0O1IL5S2Z8B') assert.ok(!IDENTIFIER_ALPHABET.includes(c), c);
  assert.equal(new Set(IDENTIFIER_ALPHABET).size, IDENTIFIER_ALPHABET.length);
});

test('bytes map to characters; the top bytes that would bias the draw are skipped', () => {
  assert.equal(identifierFromBytes(Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7])), IDENTIFIER_ALPHABET.slice(0, 8));
  // 250..255 are past the last multiple of 25: skipped, not folded onto the first characters.
  assert.equal(identifierFromBytes(Uint8Array.from([250, 255, 0, 1, 2, 3, 4, 5, 6, 24])), `${IDENTIFIER_ALPHABET.slice(0, 7)}${IDENTIFIER_ALPHABET[24]}`);
  assert.equal(identifierFromBytes(Uint8Array.from([255, 255, 255, 0, 1])), null);
});

test('new identifiers have the shape, and differ', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 500; i++) {
    const id = newIdentifier(randomBytes);
    assert.equal(id.length, IDENTIFIER_LENGTH);
    assert.ok(isIdentifier(id), id);
    seen.add(id);
  }
  assert.equal(seen.size, 500);
  assert.ok(!isIdentifier('ABCD0123'));
  assert.ok(!isIdentifier('k7m4qx9r'));
});

test('a source that keeps giving skipped bytes is asked again', () => {
  let calls = 0;
  const id = newIdentifier((n) => {
    calls += 1;
    return calls < 3 ? new Uint8Array(n).fill(255) : new Uint8Array(n).fill(3);
  });
  assert.equal(id, IDENTIFIER_ALPHABET[3].repeat(8));
  assert.equal(calls, 3);
});

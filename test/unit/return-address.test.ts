import { test } from 'node:test';
import assert from 'node:assert/strict';
import { returnAddress } from '../../src/validation.js';

test('returnAddress keeps only the list and its items, with a plain query string', () => {
  const list = '/entreprise/salaries';
  for (const kept of [list, `${list}?page=2&tri=nom`, `${list}/42`, `${list}/42?retour=x%2Fy`]) assert.equal(returnAddress(kept, list, 'F'), kept, kept);
  for (const refused of [
    'https://evil.example/',
    '//evil.example',
    `${list}x`,
    `${list}/abc`,
    `${list}/42/nir`,
    `${list}?a=<b>`,
    `${list}?${'a'.repeat(600)}`,
    '/entreprise/suivi-affiliations',
    undefined,
    ['x'],
  ]) {
    assert.equal(returnAddress(refused, list, 'F'), 'F', String(refused));
  }
});

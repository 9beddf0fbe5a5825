import { test } from 'node:test';
import assert from 'node:assert/strict';
import { downloadFileName } from '../../src/middleware/pdf-download.js';

test('a download keeps letters, digits, dots, dashes and underscores; any other run becomes one dash', () => {
  assert.equal(downloadFileName('decompte-2026_0042.pdf'), 'decompte-2026_0042.pdf');
  assert.equal(downloadFileName('garanties CAD 01.pdf'), 'garanties-CAD-01.pdf');
  assert.equal(downloadFileName('carte "é" été.pdf'), 'carte-t-.pdf');
  assert.equal(downloadFileName('a\r\nContent-Type: x.pdf'), 'a-Content-Type-x.pdf', 'no header can be injected');
});

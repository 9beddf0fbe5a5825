// sniffType: the type of an uploaded file from its first bytes (the upload middleware reads 512).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { sniffType } from '../../src/middleware/uploads.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/imports');
const head = (bytes: Buffer) => bytes.subarray(0, 512);
const LE_BOM = Buffer.from([0xff, 0xfe]);
const BE_BOM = Buffer.from([0xfe, 0xff]);
const utf16le = (text: string) => Buffer.concat([LE_BOM, Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) => Buffer.concat([BE_BOM, Buffer.from(text, 'utf16le').swap16()]);

/** Deterministic noise (a linear congruential generator), so the test reads the same bytes every run. */
function noise(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

describe('sniffType', () => {
  test('CSV in UTF-8, with or without BOM, and in Windows-1252', () => {
    assert.equal(sniffType(Buffer.from('\uFEFFSIRET;Code identifiant\r\n', 'utf8')), 'csv');
    assert.equal(sniffType(Buffer.from('SIRET;Code identifiant\r\n', 'utf8')), 'csv');
    assert.equal(sniffType(iconv.encode('SIRET;Code identifiant\r\n12345678901234;RÉGION\r\n', 'win1252')), 'csv');
  });

  test('Excel « Texte Unicode » (UTF-16LE with BOM, tabs) is CSV', () => {
    assert.equal(sniffType(head(fs.readFileSync(path.join(FIXTURES, 'excel-unicode-text.csv')))), 'csv');
  });

  test('UTF-16 text with BOM in either byte order, accents and a pair of surrogates, is CSV', () => {
    const text = 'SIRET\tCode identifiant\r\n20001000700017\tÉTS-1 🏢\r\n'.repeat(20);
    assert.equal(sniffType(head(utf16le(text))), 'csv');
    assert.equal(sniffType(head(utf16be(text))), 'csv');
    // The 512-byte sample may end between the two halves of a pair.
    const cut = utf16le('a'.repeat(254) + '🏢' + 'b');
    assert.equal(cut.readUInt16LE(510) >= 0xd800 && cut.readUInt16LE(510) <= 0xdbff, true, 'a high surrogate ends the sample');
    assert.equal(sniffType(head(cut)), 'csv');
  });

  test('a UTF-16 BOM followed by binary data is refused', () => {
    assert.equal(sniffType(Buffer.concat([LE_BOM, Buffer.alloc(510)])), null, 'zeros');
    assert.equal(sniffType(Buffer.concat([BE_BOM, Buffer.alloc(510)])), null, 'zeros');
    assert.equal(sniffType(Buffer.concat([LE_BOM, fs.readFileSync(path.join(FIXTURES, 'binary.csv'))])), null, 'an image');
    for (let seed = 1; seed <= 200; seed++) {
      assert.equal(sniffType(Buffer.concat([LE_BOM, noise(510, seed)])), null, `noise ${seed} (LE)`);
      assert.equal(sniffType(Buffer.concat([BE_BOM, noise(510, seed)])), null, `noise ${seed} (BE)`);
    }
    assert.equal(sniffType(utf16le('SIRET\tCode\r\n\u0001\u0002')), null, 'control characters');
    assert.equal(sniffType(utf16le('SIRET\u0085Code')), null, 'a C1 control');
    assert.equal(sniffType(utf16le('SIRET\uDC00Code')), null, 'a lone low surrogate');
    assert.equal(sniffType(utf16le('SIRET\uD800Code')), null, 'a lone high surrogate');
    assert.equal(sniffType(utf16le('SIRET\uFFFF')), null, 'a non-character');
  });

  test('binaries stay refused or recognised as what they are', () => {
    assert.equal(sniffType(head(fs.readFileSync(path.join(FIXTURES, 'binary.csv')))), 'png');
    assert.equal(sniffType(Buffer.from([0, 1, 2, 3])), null);
    assert.equal(sniffType(Buffer.concat([Buffer.from('SIRET;Code\r\n'), Buffer.from([0])])), null, 'a NUL byte without BOM');
    assert.equal(sniffType(Buffer.from('SIRET\tCode', 'utf16le')), null, 'UTF-16 without BOM');
    assert.equal(sniffType(Buffer.from('PK\u0003\u0004', 'latin1')), 'xlsx');
  });
});

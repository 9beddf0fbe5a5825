// The décompte feed's reading (src/domain/statement-feed.ts): columns found whatever their order,
// accents or case; French amounts and dates; « Payé à »; consecutive lines grouped into décomptes
// with their own checks; a décompte with one line in error rejected whole.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FEED_COLUMNS, FEED_MESSAGES, parseStatementFeed, rejectIncompleteStatement, type FeedStatement } from '../../src/domain/statement-feed.js';

const GOOD = [
  'D1',
  '10/11/2026',
  'A1',
  'Léo',
  '02/03/2015',
  '02/11/2026',
  'Lentilles',
  'Lentilles',
  '',
  '1 080,00',
  '39,48',
  '23,69',
  '40.00',
  'Assuré',
  '12/11/2026',
];

async function read(header: readonly string[], rows: string[][], separator = ';'): Promise<FeedStatement[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-unit-'));
  const file = path.join(dir, 'flux.csv');
  fs.writeFileSync(file, [header, ...rows].map((r) => r.join(separator)).join('\n'));
  try {
    const out: FeedStatement[] = [];
    for await (const s of parseStatementFeed(file)) out.push(s);
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('parseStatementFeed', () => {
  test('reads a line: amounts with spaces or a point, « Assuré », the act code lowercased; columns in any order and case', async () => {
    const order = [...FEED_COLUMNS.keys()].reverse();
    const header = order.map((i) => FEED_COLUMNS[i].toUpperCase());
    const [statement] = await read(header, [order.map((i) => GOOD[i])], '\t');
    const [line] = statement.lines;
    assert.deepEqual(line.errors, []);
    assert.equal(line.fraisReelsCents, 108000);
    assert.equal(line.complementaryCents, 4000);
    assert.equal(line.paidTo, 'assure');
    assert.equal(line.careType, 'lentilles');
    assert.equal(line.careDate, '2026-11-02');
    assert.equal(line.professional, null);
  });

  test('groups consecutive lines; another member or date inside a décompte, and a repeated line, are errors', async () => {
    const other = [...GOOD];
    other[2] = 'A2';
    other[5] = '03/11/2026';
    const next = [...GOOD];
    next[0] = 'D2';
    const statements = await read(FEED_COLUMNS, [GOOD, other, GOOD, next]);
    assert.deepEqual(
      statements.map((s) => [s.number, s.lines.length]),
      [
        ['D1', 3],
        ['D2', 1],
      ],
    );
    assert.deepEqual(
      statements[0].lines[1].errors.map((e) => e.message),
      [FEED_MESSAGES.otherMember('D1', 2)],
    );
    assert.deepEqual(
      statements[0].lines[2].errors.map((e) => e.message),
      [FEED_MESSAGES.sameLine(2)],
    );
  });

  test('paid more than the cost, a care after the décompte, a wrong « Payé à »', async () => {
    const wrong = [...GOOD];
    wrong[5] = '11/11/2026';
    wrong[12] = '1 100,00';
    wrong[13] = 'mutuelle';
    const [statement] = await read(FEED_COLUMNS, [wrong]);
    assert.deepEqual(
      statement.lines[0].errors.map((e) => e.message),
      [FEED_MESSAGES.badPaidTo, FEED_MESSAGES.careAfterStatement, FEED_MESSAGES.paidMoreThanCost],
    );
  });

  test('rejectIncompleteStatement: one line in error makes the others errors that name it', async () => {
    const bad = [...GOOD];
    bad[9] = 'douze';
    const [statement] = await read(FEED_COLUMNS, [GOOD, bad]);
    rejectIncompleteStatement(statement.lines);
    assert.deepEqual(
      statement.lines[0].errors.map((e) => e.message),
      [FEED_MESSAGES.statementRejected(3)],
    );
  });
});

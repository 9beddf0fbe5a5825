// The sections of the brand's content folder (src/content/sections.ts): the front matter's rules,
// `menu: false`, and a broken file logged once rather than on every visit.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ContentFolder } from '../../src/content/folder.js';
import { type ContentMeta, contentMetaSchema, listedPages, reportNewProblems } from '../../src/content/sections.js';
import type { ContentProblem } from '../../src/content/folder.js';

function folderWith(files: Record<string, string>): { folder: ContentFolder<ContentMeta>; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portail-sections-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return { folder: new ContentFolder(dir, contentMetaSchema), dir };
}

const page = (front: string) => `---\n${front}\n---\n## Titre\n\nTexte.`;

describe('content sections', () => {
  test('front matter: title and summary required, order a whole number, menu true by default, unknown fields refused', () => {
    const { folder, dir } = folderWith({
      'a.md': page('title: Page A\nsummary: Le résumé de la page A.\norder: 2'),
      'b.md': page('title: Page B\nsummary: Le résumé de la page B.\norder: 1\nmenu: false'),
      'c.md': page('titre: Page C\nsummary: Le résumé de la page C.'),
      'd.md': page('title: Page D\nsummary: Le résumé de la page D.\norder: 1.5'),
      'e.md': page('title: Page E\nsummary: court'),
    });
    try {
      assert.deepEqual(
        folder.pages().map((p) => [p.slug, p.meta.menu]),
        [
          ['b', false],
          ['a', true],
        ],
      );
      assert.deepEqual(
        listedPages(folder).map((p) => p.slug),
        ['a'],
      );
      const problems = Object.fromEntries(folder.problems().map((p) => [path.basename(p.file), p.message]));
      assert.deepEqual(Object.keys(problems).sort(), ['c.md', 'd.md', 'e.md']);
      assert.match(problems['c.md'], /titre|title/);
      assert.match(problems['d.md'], /order/);
      assert.match(problems['e.md'], /summary/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a broken file is reported once, again only after it was fixed and broke again', () => {
    const { folder, dir } = folderWith({ 'x.md': page('title: Page X') });
    try {
      const seen: ContentProblem[] = [];
      const report = (p: ContentProblem) => seen.push(p);
      reportNewProblems(folder, report);
      reportNewProblems(folder, report);
      assert.equal(seen.length, 1);
      assert.equal(path.basename(seen[0].file), 'x.md');
      const file = path.join(dir, 'x.md');
      fs.writeFileSync(file, page('title: Page X\nsummary: Le résumé, enfin écrit.'));
      fs.utimesSync(file, new Date(Date.now() + 5_000), new Date(Date.now() + 5_000));
      reportNewProblems(folder, report);
      assert.equal(seen.length, 1, 'fixed: nothing to report');
      fs.writeFileSync(file, page('title: Page X\nsummary: oups'));
      fs.utimesSync(file, new Date(Date.now() + 10_000), new Date(Date.now() + 10_000));
      reportNewProblems(folder, report);
      assert.equal(seen.length, 2, 'broken again: reported again');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('with maxAgeMs (production), a look at the folder is reused that long; without, a change shows at once', () => {
    const { folder, dir } = folderWith({ 'a.md': page('title: Page A\nsummary: Le résumé de la page A.') });
    try {
      assert.equal(folder.pages(60_000)[0].meta.title, 'Page A');
      const file = path.join(dir, 'a.md');
      fs.writeFileSync(file, page('title: Page A changée\nsummary: Le résumé de la page A.'));
      fs.utimesSync(file, new Date(Date.now() + 5_000), new Date(Date.now() + 5_000));
      fs.writeFileSync(path.join(dir, 'b.md'), page('title: Page B\nsummary: Le résumé de la page B.'));
      assert.deepEqual(
        folder.pages(60_000).map((p) => p.meta.title),
        ['Page A'],
        'within maxAgeMs: the last look',
      );
      assert.deepEqual(
        folder.pages().map((p) => p.meta.title),
        ['Page A changée', 'Page B'],
      );
      assert.equal(folder.page('b', 60_000)?.meta.title, 'Page B', 'the new look is the one kept');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

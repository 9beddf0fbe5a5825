// Every view of a page has its <meta name="description"> (src/page-descriptions.ts): a new page
// cannot be added without one, and each reads as a sentence of a sensible length.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PAGE_DESCRIPTIONS, describePage } from '../../src/page-descriptions.js';
import { loadBrand, type HelpSpace } from '../../src/brand.js';
import { BRAND_DIR } from '../../src/paths.js';
import { assertIncludes } from '../helpers/assertions.js';

const PAGES = new URL('../../views/pages/', import.meta.url).pathname;
const brand = loadBrand(path.join(BRAND_DIR, 'demo.json'));

function pageViews(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? pageViews(file) : entry.name.endsWith('.ejs') ? [path.relative(PAGES, file).replace(/\.ejs$/, '')] : [];
  });
}

test('every page view has a description, and every description a page view', () => {
  const views = pageViews(PAGES).sort();
  assert.ok(views.length > 50, 'the views were found');
  assert.deepEqual(
    views.filter((view) => !PAGE_DESCRIPTIONS[view]),
    [],
    'views without a description',
  );
  assert.deepEqual(
    Object.keys(PAGE_DESCRIPTIONS).filter((view) => !views.includes(view)),
    [],
    'descriptions of no view',
  );
});

test('each description is one French sentence of 60 to 200 characters, in every space', () => {
  for (const view of Object.keys(PAGE_DESCRIPTIONS)) {
    for (const space of ['public', 'assure', 'entreprise', 'gestion', 'affiliation'] as HelpSpace[]) {
      const text = describePage(view, { title: 'Un titre de page', space, brand });
      assert.ok(text.length >= 60 && text.length <= 200, `${view} (${space}): ${text.length} characters: ${text}`);
      assert.match(text, /^[A-ZÀ-ÖØ-Þ«].*\.$/u, `${view} (${space}) reads as a sentence: ${text}`);
      assert.ok(!/undefined|null|\$\{/.test(text), `${view} (${space}): ${text}`);
    }
  }
});

test("a view shown under several titles puts its title in the description; an unknown view gets its space's", () => {
  const a = describePage('entreprise/employee', { title: 'Marie Lefebvre', space: 'entreprise', brand });
  const b = describePage('entreprise/employee', { title: 'Julien Moreau', space: 'entreprise', brand });
  assert.notEqual(a, b);
  assertIncludes(a, 'Marie Lefebvre');
  const fallback = describePage('entreprise/no-such-view', { title: 'Une page', space: 'entreprise', brand });
  assert.ok(fallback.startsWith('Une page — ') && fallback.includes('Espace Entreprise'), fallback);
});

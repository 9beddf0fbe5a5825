// ARIA 1.2 forbids naming an element whose role is generic or text-level (a `div` or `span` with no
// role, a `p`, `strong`…): aria-label and aria-labelledby on it are ignored by screen readers, and
// the Nu HTML checker reports them. Every view is read, so a new one cannot slip through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const VIEWS = new URL('../../views/', import.meta.url).pathname;
/** Elements whose implicit role prohibits a name (generic, paragraph, emphasis, strong, code…). */
const UNNAMEABLE = new Set(['div', 'span', 'p', 'b', 'i', 'em', 'strong', 'small', 'code', 'del', 'ins', 'sub', 'sup', 'caption', 'dd', 'dt', 'dl']);

function viewFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? viewFiles(file) : entry.name.endsWith('.ejs') ? [file] : [];
  });
}

/** Opening tags with a name but no role, on an element that cannot be named, as « file:line <tag> ». */
function unnamedRoleTags(source: string, file: string): string[] {
  const found: string[] = [];
  // A tag's attributes may hold EJS tags (<%= … %>), which contain no « > » of their own here.
  for (const match of source.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)\b((?:<%[\s\S]*?%>|[^<>])*)>/g)) {
    const [, tag, attributes] = match;
    if (!/\saria-label(ledby)?=/.test(attributes) || /\srole=/.test(attributes)) continue;
    if (UNNAMEABLE.has(tag.toLowerCase())) found.push(`${file}:${source.slice(0, match.index).split('\n').length} <${tag}>`);
  }
  return found;
}

test('the check finds a named div without a role, and accepts one with a role', () => {
  assert.equal(unnamedRoleTags('<div class="card" aria-labelledby="<%= g.id %>-titre">', 'x.ejs').length, 1);
  assert.equal(unnamedRoleTags('<span aria-label="x">', 'x.ejs').length, 1);
  assert.equal(unnamedRoleTags('<div role="group" aria-labelledby="t">', 'x.ejs').length, 0);
  assert.equal(unnamedRoleTags('<section aria-labelledby="t">', 'x.ejs').length, 0);
});

test('no view names an element that has no role to carry the name', () => {
  const files = viewFiles(VIEWS);
  assert.ok(files.length > 50, 'the views were found');
  const found = files.flatMap((file) => unnamedRoleTags(fs.readFileSync(file, 'utf8'), path.relative(VIEWS, file)));
  assert.deepEqual(found, []);
});

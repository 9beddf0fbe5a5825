import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ejs from 'ejs';
import { createViewEngine, localNamesOf } from '../../src/view-engine.js';

function tempViews(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'views-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function render(engine: ReturnType<typeof createViewEngine>, file: string, data: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => engine(file, data, (err, html) => (err ? reject(err) : resolve(html!))));
}

function renderWithEjs(file: string, data: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => ejs.renderFile(file, data, (err, html) => (err ? reject(err) : resolve(html))));
}

const FILES = {
  'pages/page.ejs': [
    '<h1><%= title %></h1>',
    '<% var count = items.length; title = "changed in page"; %>',
    "<%- include('../partials/list', { items: items, heading: 'Liste' }) %>",
    "<%- include('../partials/list.ejs', { items: [], heading: locals.missing || 'Vide' }) %>",
    '<p><%= title %> <%= count %> <%- raw %> <%= typeof constructor %> <%= typeof toString %></p>',
  ].join('\n'),
  'partials/list.ejs': [
    '<h2><%= heading %> (<%= title %>)</h2>',
    '<ul><% items.forEach(function (i) { %><li><%= i %></li><% }) %></ul>',
    "<%- include('item', { i: 'inclus' }) %>",
  ].join('\n'),
  'partials/item.ejs': '<em><%= i %> <%= heading %></em>',
  'pages/broken.ejs': '<p>\n<%= missingLocal.x %>\n</p>',
  'pages/bad-include.ejs': "<%- include('../partials/nowhere') %>",
};

describe('view engine', () => {
  const dir = tempViews(FILES);
  const data = { title: 'Titre <b>', items: ['a', 'b & c'], raw: '<i>brut</i>', settings: {}, cache: true };

  test('renders exactly as ejs.renderFile: includes, include data, escaping, locals without prototype', async () => {
    const file = path.join(dir, 'pages/page.ejs');
    const expected = await renderWithEjs(file, data);
    assert.equal(await render(createViewEngine(), file, data), expected);
    // The page's assignment to a local is not seen by its includes (EJS gives them the data).
    assert.match(expected, /\(Titre &lt;b&gt;\)/);
    assert.match(expected, /changed in page 2 <i>brut<\/i> function function/);
  });

  test('a compiled template is reused while the view cache is on, re-read when it is off', async () => {
    const own = tempViews({ 'page.ejs': 'v1 <%= n %>' });
    const file = path.join(own, 'page.ejs');
    const engine = createViewEngine();
    assert.equal(await render(engine, file, { n: 1, cache: true }), 'v1 1');
    fs.writeFileSync(file, 'v2 <%= n %>');
    assert.equal(await render(engine, file, { n: 2, cache: true }), 'v1 2');
    assert.equal(await render(engine, file, { n: 3, cache: false }), 'v2 3');
    assert.equal(engine.size, 1);
  });

  test('errors carry the template file, line and context, as with EJS', async () => {
    const file = path.join(dir, 'pages/broken.ejs');
    const ours = await render(createViewEngine(), file, { cache: true }).catch((err: Error) => err);
    const theirs = await renderWithEjs(file, { cache: true }).catch((err: Error) => err);
    assert.ok(ours instanceof Error && theirs instanceof Error);
    const [context] = theirs.message.split('\n\n');
    assert.match(context, /broken\.ejs:2\n/);
    // Same file, line and lines around; then the error itself: a local nobody passed is
    // undefined here (EJS, reading through `with`, says it is not defined).
    assert.equal(ours.message, `${context}\n\nCannot read properties of undefined (reading 'x')`);
  });

  test('a local named like a global hides it, as with EJS; otherwise the global is read', async () => {
    const own = tempViews({ 'page.ejs': '<%= String(n) %> <%= typeof Math.max %>' });
    const file = path.join(own, 'page.ejs');
    const engine = createViewEngine();
    assert.equal(await render(engine, file, { n: 5, cache: true }), '5 function');
    const shadowed = { n: 5, String: (v: number) => `«${v}»`, cache: true };
    assert.equal(await render(engine, file, shadowed), await renderWithEjs(file, shadowed));
    assert.equal(await render(engine, file, shadowed), '«5» function');
  });

  test('the names read from the locals: code identifiers, not strings, properties or declared functions', () => {
    const code = [
      'var total = items.length + h.count(rows);',
      "__append(\"<p>title</p>\"); var label = 'brand ' + \"other\"; // comment name",
      '/* block comment size */ function helper(x) { return Math.max(x, 1.5e3, 0x1F) + JSON.stringify({ key: value }); }',
      'if (typeof maybe !== "undefined") __append(escapeFn(helper(total))); include("x", { ...more });',
    ].join('\n');
    assert.deepEqual(localNamesOf(code, 'test.ejs').sort(), ['JSON', 'Math', 'h', 'items', 'key', 'label', 'maybe', 'more', 'rows', 'total', 'value', 'x'].sort());
    assert.throws(() => localNamesOf('__append(`${a}`)', 'test.ejs'), /test\.ejs: template literals are not supported/);
    // After a keyword a `/` opens a regex too; a comment ending in a dot does not make the next
    // name a property; accented names are whole.
    assert.deepEqual(localNamesOf("if (ok) { return /'/.test(s); } __append(total)", 'test.ejs').sort(), ['ok', 's', 'total'].sort());
    assert.deepEqual(localNamesOf('var u = x; return /^https?:\\/\\//.test(u) + base', 'test.ejs').sort(), ['base', 'u', 'x'].sort());
    assert.deepEqual(localNamesOf('a = 1; // la ligne.\n total + année', 'test.ejs').sort(), ['a', 'année', 'total'].sort());
    // A quote inside a regular expression literal is not a string; a division is not a regex.
    assert.deepEqual(localNamesOf("var s = text.replace(/'[/]'/g, \"’\") + half / 2 / count; __append(after)", 'test.ejs').sort(), ['after', 'count', 'g', 'half', 's', 'text'].sort());
  });

  test('a missing include is an error naming it', async () => {
    const file = path.join(dir, 'pages/bad-include.ejs');
    await assert.rejects(render(createViewEngine(), file, { cache: true }), /Could not find the include file "..\/partials\/nowhere"/);
  });
});

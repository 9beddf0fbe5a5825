import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ejs from 'ejs';
import { createViewEngine } from '../../src/view-engine.js';

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

  test('errors carry the template file and line, as with EJS', async () => {
    const file = path.join(dir, 'pages/broken.ejs');
    const ours = await render(createViewEngine(), file, { cache: true }).catch((err: Error) => err);
    const theirs = await renderWithEjs(file, { cache: true }).catch((err: Error) => err);
    assert.ok(ours instanceof Error && theirs instanceof Error);
    assert.equal(ours.message, theirs.message);
    assert.match(ours.message, /broken\.ejs:2\n/);
  });

  test('a missing include is an error naming it', async () => {
    const file = path.join(dir, 'pages/bad-include.ejs');
    await assert.rejects(render(createViewEngine(), file, { cache: true }), /Could not find the include file "..\/partials\/nowhere"/);
  });
});

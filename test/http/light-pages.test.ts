// Light pages (src/assets.ts, compression in src/app.ts): fingerprinted static files with a one-year
// immutable cache, the plain URLs still working, Brotli/gzip on text and never on PDFs, and
// COMPRESSION=false for a reverse proxy that compresses.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily } from '../helpers/family.js';
import { loginAs } from '../helpers/fixtures.js';
import { csrfFrom } from '../helpers/app.js';
import { assertExcludes } from '../helpers/assertions.js';

let t: TestContext;
let agent: Awaited<ReturnType<typeof loginAs>>;
before(async () => {
  t = await makeTestApp();
  const family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault' });
  agent = await loginAs(t.app, t.db, 'assure', family.email);
});
after(async () => t.close());

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** A response with its body as bytes (after supertest's own decompression). */
function getBytes(path: string, encoding = 'identity') {
  return request(t.app)
    .get(path)
    .set('Accept-Encoding', encoding)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

/** The URLs of the page's stylesheets, scripts, icon and images. */
function assetUrls(html: string): string[] {
  return [...html.matchAll(/<(?:link|script|img)\b[^>]*\b(?:href|src)="(\/[^"]+)"/g)].map((m) => m[1]);
}

describe('fingerprinted static files', () => {
  test('a page links every static file with a content hash, served with a one-year immutable cache', async () => {
    // The login page: its form uses htmx, so it has the script.
    const html = (await request(t.app).get('/assure').expect(200)).text;
    const urls = assetUrls(html);
    for (const plain of ['/public/css/portail.css', '/public/js/portail.js', '/brand/logo.svg']) {
      assertExcludes(html, `"${plain}"`, `${plain} linked without its hash`);
      const [dir, ext] = [plain.slice(0, plain.lastIndexOf('.')), plain.slice(plain.lastIndexOf('.'))];
      const url = urls.find((u) => u.startsWith(`${dir}.`) && u.endsWith(ext));
      assert.ok(url, `${plain} linked in ${urls.join(', ')}`);
      assert.match(url, /\.[0-9a-f]{10}\.[a-z]+$/);
      const res = await getBytes(url).expect(200);
      assert.equal(res.headers['cache-control'], IMMUTABLE, url);
      const original = await getBytes(plain).expect(200);
      assert.ok((res.body as Buffer).length > 0 && (res.body as Buffer).equals(original.body as Buffer), `${url} is ${plain}`);
      assert.notEqual(original.headers['cache-control'], IMMUTABLE, 'the plain URL keeps its short cache');
    }
    assert.equal(urls.filter((u) => /\.(css|js)$/.test(u)).length, 2, `one stylesheet and one script: ${urls.join(', ')}`);
    const js = urls.filter((u) => u.endsWith('.js'));
    for (const script of html.match(/<script\b[^>]*>/g) ?? []) assert.match(script, /\sdefer\b/, `${script} loads with defer (${js.join(', ')})`);
  });

  test('a public page with no htmx attribute and no [data-print] loads no script; the private pages always do', async () => {
    for (const path of ['/', '/mentions-legales']) {
      const html = (await request(t.app).get(path).expect(200)).text;
      assertExcludes(html, ' hx-');
      assertExcludes(html, '<script', path);
      assert.ok(
        assetUrls(html).some((u) => u.startsWith('/public/css/portail.')),
        `${path} has the stylesheet`,
      );
    }
    const home = (await agent.get('/assure/accueil').expect(200)).text;
    assert.match(home, /<script src="\/public\/js\/portail\.[0-9a-f]{10}\.js" defer><\/script>/);
  });

  test('the bundles hold every file, the print rules for print only and the brand colours last', async () => {
    const text = async (path: string) => ((await getBytes(path).expect(200)).body as Buffer).toString();
    const css = await text('/public/css/portail.css');
    const [app, print, theme] = [await text('/public/css/app.css'), await text('/public/css/print.css'), await text('/brand/theme.css')];
    // Every line of a rule is kept, in order (the comments are left out), app.css first.
    const ruleLines = (file: string) => file.split('\n').filter((line) => /[{};]\s*$/.test(line) && !line.includes('*/'));
    const [appRules, printRules] = [ruleLines(app), ruleLines(print)];
    assert.ok(appRules.length > 300 && printRules.length > 5);
    let at = 0;
    for (const line of [...appRules, '@media print {', ...printRules]) {
      const found = css.indexOf(line, at);
      assert.ok(found >= at, `${line} kept in order`);
      at = found + line.length;
    }
    assertExcludes(css, '/*', 'no comment');
    assert.ok(css.slice(css.indexOf('@media print {')).includes(printRules.at(-1)!), 'print.css inside @media print');
    assert.ok(css.length < app.length + print.length, 'lighter than its files');
    assert.ok(css.trimEnd().endsWith(theme.trimEnd()), "the brand's colours last, over app.css's defaults");
    const js = await text('/public/js/portail.js');
    const [htmx, ours] = [await text('/public/vendor/htmx.min.js'), await text('/public/js/app.js')];
    assert.ok(js.startsWith(htmx) && js.includes(ours) && js.indexOf(ours) > htmx.length, 'htmx, then app.js');
  });

  test("a hash that is no longer the file's gets the current file uncached; an unknown file is a 404", async () => {
    const stale = await request(t.app).get('/public/css/app.0123456789.css').expect(200).expect('content-type', /css/);
    assert.equal(stale.headers['cache-control'], 'no-cache');
    await request(t.app).get('/public/css/nothing.0123456789.css').expect(404);
    await request(t.app).get('/public/..%2Fpackage.0123456789.json').expect(404);
  });
});

describe('compression', () => {
  test('pages, htmx fragments, CSS and JS come compressed with Brotli (or gzip)', async () => {
    const page = await agent.get('/assure/accueil').set('Accept-Encoding', 'br, gzip').expect(200);
    assert.equal(page.headers['content-encoding'], 'br');
    assert.equal(page.headers['cache-control'], 'no-store', 'pages stay uncached');
    const fragment = await agent.get('/assure/remboursements').set('HX-Request', 'true').set('Accept-Encoding', 'br').expect(200);
    assert.equal(fragment.headers['content-encoding'], 'br');
    const html = (await request(t.app).get('/assure').expect(200)).text;
    for (const url of assetUrls(html).filter((u) => /\.(css|js)$/.test(u) && !u.startsWith('/brand/'))) {
      const gzip = await getBytes(url, 'gzip').expect(200);
      assert.equal(gzip.headers['content-encoding'], 'gzip', url);
      const br = await getBytes(url, 'br, gzip').expect(200);
      assert.equal(br.headers['content-encoding'], 'br', url);
      assert.ok((br.body as Buffer).equals((await getBytes(url)).body as Buffer), `${url} decompresses to the file`);
    }
  });

  test('a PDF is sent as it is (already compressed)', async () => {
    const pdf = await agent.get('/assure/tiers-payant/carte.pdf').set('Accept-Encoding', 'br, gzip').expect(200).expect('content-type', /pdf/);
    assert.equal(pdf.headers['content-encoding'], undefined);
  });

  test('COMPRESSION=false: nothing is compressed (a reverse proxy does it)', async () => {
    const plain = await makeTestApp({ COMPRESSION: 'false' });
    try {
      const res = await request(plain.app).get('/').set('Accept-Encoding', 'br, gzip').expect(200);
      assert.equal(res.headers['content-encoding'], undefined);
      const css = assetUrls(res.text).find((u) => u.startsWith('/public/css/portail.'));
      const file = await request(plain.app).get(css!).set('Accept-Encoding', 'br, gzip').expect(200);
      assert.equal(file.headers['content-encoding'], undefined, css);
    } finally {
      await plain.close();
    }
  });
});

describe('the CSRF token in compressed pages (BREACH)', () => {
  test('each page prints the token differently masked; every masking of it is accepted, a forged one is not', async () => {
    const visitor = request.agent(t.app);
    const first = csrfFrom((await visitor.get('/assure').expect(200)).text);
    const second = csrfFrom((await visitor.get('/assure').expect(200)).text);
    assert.notEqual(first, second);
    for (const token of [first, second]) {
      const res = await visitor.post('/assure/connexion').type('form').send({ _csrf: token, email: 'personne@exemple.fr', password: 'faux mot de passe' });
      assert.notEqual(res.status, 403, 'the token passes; the login itself fails');
    }
    const [pad, xored] = first.split('.');
    const forged = `${pad}.${Buffer.from(Buffer.from(xored, 'base64url').map((b) => b ^ 1)).toString('base64url')}`;
    await visitor.post('/assure/connexion').type('form').send({ _csrf: forged, email: 'personne@exemple.fr', password: 'faux mot de passe' }).expect(403);
  });
});

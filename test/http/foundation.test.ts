import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { csrfFrom, makeTestApp, type TestContext } from '../helpers/app.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

let t: TestContext;
before(async () => {
  t = await makeTestApp();
});
after(async () => {
  await t.close();
});

describe('public pages', () => {
  test('landing page sends people to the three doors', async () => {
    const res = await request(t.app).get('/').expect(200);
    assert.match(res.headers['content-type'], /text\/html/);
    for (const href of ['/assure', '/entreprise', '/gestion', '/mentions-legales', '/cgu', '/donnees-personnelles']) {
      assertIncludes(res.text, `href="${href}"`, `link to ${href}`);
    }
    assertIncludes(res.text, '<html lang="fr">');
    assertIncludes(res.text, 'Aller au contenu', 'skip link');
    assertIncludes(res.text, t.config.brand.help.phone, 'help phone from the brand file');
  });

  for (const [path, title] of [
    ['/mentions-legales', 'Mentions légales'],
    ['/cgu', "Conditions générales d'utilisation"],
    ['/donnees-personnelles', 'Données personnelles'],
    ['/accessibilite', "Déclaration d'accessibilité"],
  ]) {
    test(`legal page ${path}`, async () => {
      const res = await request(t.app).get(path).expect(200);
      assertIncludes(res.text.replaceAll('&#39;', "'"), `<h1>${title}</h1>`, `heading of ${path}`);
    });
  }

  test('member and HR login pages show the guides wording with « Activer mon espace »', async () => {
    for (const [path, space] of [
      ['/assure', 'Espace Assuré'],
      ['/entreprise', 'Espace Entreprise'],
    ]) {
      const res = await request(t.app).get(path).expect(200);
      assertIncludes(res.text, space);
      assertIncludes(res.text, 'Activer mon espace');
      assertIncludes(res.text, `href="${path}/activation"`);
      assertIncludes(res.text, 'Mot de passe oublié ?');
      assertIncludes(res.text, 'Se connecter');
      assert.match(res.text, /name="_csrf" value="[^"]{20,}"/);
    }
  });

  test('staff login page has no self-activation', async () => {
    const res = await request(t.app).get('/gestion').expect(200);
    assertIncludes(res.text, 'Espace Gestion');
    assertExcludes(res.text, 'Activer mon espace');
  });

  test('static files are served from our own origin, htmx included', async () => {
    await request(t.app).get('/public/css/app.css').expect(200).expect('content-type', /css/);
    const theme = await request(t.app).get('/brand/theme.css').expect(200);
    assertIncludes(theme.text, t.config.brand.colours.primary);
    await request(t.app).get('/brand/logo.svg').expect(200).expect('content-type', /svg/);
  });
});

describe('security baseline', () => {
  test('strict CSP and security headers', async () => {
    const res = await request(t.app).get('/').expect(200);
    const csp = res.headers['content-security-policy'];
    assertIncludes(csp, "script-src 'self'");
    assertExcludes(csp, 'unsafe-inline');
    assertExcludes(csp, 'unsafe-eval');
    assertIncludes(csp, "object-src 'none'");
    assertIncludes(csp, "base-uri 'none'");
    assertIncludes(csp, "frame-ancestors 'none'");
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'same-origin');
    assert.equal(res.headers['x-powered-by'], undefined);
    assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS outside production');
  });

  test('pages are never cached, static files may be', async () => {
    const page = await request(t.app).get('/assure').expect(200);
    assert.equal(page.headers['cache-control'], 'no-store');
    const css = await request(t.app).get('/public/css/app.css').expect(200);
    assert.notEqual(css.headers['cache-control'], 'no-store');
  });

  test('no inline script and no inline style attribute in pages', async () => {
    for (const path of ['/', '/assure', '/entreprise', '/gestion', '/cgu']) {
      const res = await request(t.app).get(path).expect(200);
      assert.doesNotMatch(res.text, /<script(?![^>]*\bsrc=)[^>]*>/, `inline script in ${path}`);
      assert.doesNotMatch(res.text, /\sstyle="/, `inline style in ${path}`);
    }
  });

  test('session cookie is HttpOnly, SameSite=Lax and the session is stored in the database', async () => {
    const res = await request(t.app).get('/assure').expect(200);
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /portail\.sid=/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    const { count } = (await t.db('sessions').count({ count: '*' }).first()) as { count: number };
    assert.ok(Number(count) >= 1);
  });

  test('a POST without a CSRF token is refused with a French 403 page', async () => {
    const res = await request(t.app).post('/assure/connexion').type('form').send({ email: 'a@b.fr', password: 'x' }).expect(403);
    assertIncludes(res.text, 'Formulaire expiré');
    assertIncludes(res.text, '<html lang="fr">');
  });

  test('a POST with another session token is refused', async () => {
    const agentA = request.agent(t.app);
    const pageA = await agentA.get('/assure').expect(200);
    const tokenA = csrfFrom(pageA.text);
    const agentB = request.agent(t.app);
    await agentB.get('/assure').expect(200);
    await agentB.post('/assure/connexion').type('form').send({ _csrf: tokenA, email: 'a@b.fr', password: 'x' }).expect(403);
  });

  test('a CSRF token in the X-CSRF-Token header (htmx) is accepted', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/assure').expect(200);
    const res = await agent.post('/assure/connexion').set('X-CSRF-Token', csrfFrom(page.text)).type('form').send({ email: 'a@b.fr' });
    assert.notEqual(res.status, 403);
  });

  test('an oversized form body gets a French 413 page', async () => {
    const res = await request(t.app)
      .post('/assure/connexion')
      .type('form')
      .send({ big: 'x'.repeat(200_000) })
      .expect(413);
    assertIncludes(res.text, 'Envoi trop volumineux');
  });
});

describe('errors', () => {
  test('unknown URL → French 404 page', async () => {
    const res = await request(t.app).get('/nulle-part').expect(404);
    assertIncludes(res.text, 'Page introuvable');
    assertIncludes(res.text, '<html lang="fr">');
  });

  test('a space is found whatever the case of its address, as Express matches routes; a look-alike prefix is not', async () => {
    for (const path of ['/assure/accueil', '/ASSURE/accueil', '/Entreprise/salaries']) {
      const res = await request(t.app).get(path).expect(303);
      assert.equal(res.headers.location, path.toLowerCase().startsWith('/assure') ? '/assure' : '/entreprise', path);
    }
    await request(t.app).get('/assurer/accueil').expect(404);
  });

  test('unknown URL from htmx → 404 fragment without the layout', async () => {
    const res = await request(t.app).get('/nulle-part').set('HX-Request', 'true').expect(404);
    assertIncludes(res.text, 'Page introuvable');
    assertExcludes(res.text, '<html');
  });

  test('a thrown error → French 500 page with a request id and no stack trace', async () => {
    await t.db.schema.renameTable('outbox', 'outbox_away');
    try {
      const res = await request(t.app).get('/dev/outbox').expect(500);
      assertIncludes(res.text, 'Erreur technique');
      const id = res.headers['x-request-id'];
      assert.ok(id && res.text.includes(id), 'request id shown');
      assert.doesNotMatch(res.text, /at .*\.(ts|js):\d+/, 'no stack trace');
      assertExcludes(res.text, 'outbox', 'no SQL in the page');
    } finally {
      await t.db.schema.renameTable('outbox_away', 'outbox');
    }
  });
});

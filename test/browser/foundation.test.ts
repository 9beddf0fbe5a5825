import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations, browserSkipReason, formatViolations, hasNoHorizontalOverflow, startBrowserHarness, type BrowserHarness } from './browser.js';

const skip = browserSkipReason();

describe('foundation pages in Chromium', { skip, timeout: 120_000 }, () => {
  let b: BrowserHarness;
  before(async () => {
    b = await startBrowserHarness();
  });
  after(async () => {
    await b?.close();
  });

  const pages = [
    '/',
    '/assure',
    '/entreprise',
    '/gestion',
    '/mentions-legales',
    '/cgu',
    '/donnees-personnelles',
    '/accessibilite',
    '/dev/outbox',
    '/page-inconnue',
  ];

  for (const path of pages) {
    test(`${path}: zero axe violations with JavaScript on, renders with JavaScript off`, async () => {
      const on = await b.jsOn.newPage();
      const response = await on.goto(b.baseUrl + path);
      assert.ok(response, 'page answered');
      const violations = await axeViolations(on);
      assert.equal(violations.length, 0, formatViolations(violations));
      await on.close();

      const off = await b.jsOff.newPage();
      await off.goto(b.baseUrl + path);
      assert.ok((await off.locator('h1').count()) >= 1, 'a heading is visible without JS');
      assert.ok(await off.locator('main#contenu').isVisible());
      await off.close();
    });
  }

  test('without JavaScript, the landing links lead to each door login page', async () => {
    const page = await b.jsOff.newPage();
    for (const [name, heading] of [
      ["Accéder à l'Espace Assuré", 'Espace Assuré'],
      ["Accéder à l'Espace Entreprise", 'Espace Entreprise'],
      ["Accéder à l'Espace Gestion", 'Espace Gestion'],
    ]) {
      await page.goto(b.baseUrl + '/');
      await page.getByRole('link', { name }).click();
      await page.waitForLoadState();
      assert.equal(await page.locator('h1').first().textContent(), heading);
      assert.ok(await page.getByLabel('Adresse e-mail').isVisible());
    }
    await page.close();
  });

  test('the skip link moves focus to the main content', async () => {
    const page = await b.jsOn.newPage();
    await page.goto(b.baseUrl + '/assure');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
    assert.equal(focused, 'Aller au contenu');
    await page.keyboard.press('Enter');
    assert.ok(page.url().endsWith('#contenu'));
    await page.close();
  });

  test('htmx is served from our origin and loads under the strict CSP', async () => {
    const context = await b.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await page.goto(b.baseUrl + '/assure');
    const version = await page.evaluate(() => (window as unknown as { htmx?: { version: string } }).htmx?.version);
    assert.match(String(version), /^4\./);
    assert.deepEqual(errors, [], 'no CSP violation or script error');
    await context.close();
  });

  test('pages fit a 360 px wide phone', async () => {
    const context = await b.browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    for (const path of ['/', '/assure', '/entreprise', '/cgu']) {
      await page.goto(b.baseUrl + path);
      assert.ok(await hasNoHorizontalOverflow(page), `${path} overflows at 360 px`);
    }
    await context.close();
  });
});

// Real-browser harness: the app on an ephemeral port, Debian's Chromium driven by playwright-core,
// axe-core (WCAG 2.1 A/AA) in a JS-on context, and a JS-off context for the no-JS checks.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { seedDemo } from '../../db/seeds/demo/index.js';

const require = createRequire(import.meta.url);
export const CHROMIUM = '/usr/bin/chromium';
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Locally, browser tests skip loudly without Chromium; in CI they never skip. */
export function browserSkipReason(): string | false {
  if (fs.existsSync(CHROMIUM)) return false;
  if (process.env.CI) throw new Error(`Chromium introuvable (${CHROMIUM}) : les tests navigateur ne peuvent pas être ignorés en CI.`);
  const message = `\n!!! TESTS NAVIGATEUR IGNORÉS : ${CHROMIUM} est absent. Installez-le : apt-get update && apt-get install -y chromium\n`;
  console.warn(message);
  return message.trim();
}

export interface BrowserHarness {
  t: TestContext;
  baseUrl: string;
  browser: Browser;
  /** JavaScript on; CSP bypassed only so axe can be injected. */
  jsOn: BrowserContext;
  /** JavaScript off, as on a locked-down work PC. */
  jsOff: BrowserContext;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, without the background traffic of a desktop browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 30_000,
  });
}

export async function startBrowserHarness(setup?: (t: TestContext) => Promise<void>): Promise<BrowserHarness> {
  copyVendorAssets();
  const t = await makeTestApp();
  if (setup) await setup(t);
  const server: Server = await new Promise((resolve) => {
    const s = t.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  const jsOn = await browser.newContext({ bypassCSP: true, locale: 'fr-FR' });
  const jsOff = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
  jsOn.setDefaultTimeout(10_000);
  jsOff.setDefaultTimeout(10_000);
  return {
    t,
    baseUrl,
    browser,
    jsOn,
    jsOff,
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
}

export function copyVendorAssets(): void {
  const target = new URL('../../public/vendor/htmx.min.js', import.meta.url);
  if (!fs.existsSync(target)) {
    fs.mkdirSync(new URL('.', target), { recursive: true });
    fs.copyFileSync(require.resolve('htmx.org/dist/htmx.min.js'), target);
  }
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/** Runs axe-core with the WCAG 2.1 A/AA rules and returns the violations (empty is the standard). */
/** The harness on the real demo data (the journeys of the README's demo accounts). */
export function startDemoBrowserHarness(): Promise<BrowserHarness> {
  return startBrowserHarness(async (t) => {
    // Seeded at the app's clock, so nothing of the demo is dated after the app's today.
    await seedDemo(t.db, { brand: t.config.brand, now: t.clock() });
  });
}

export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html })) }));
  });
}

export function formatViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.html).join('\n  ')}`).join('\n');
}

/** Zero axe violations, the list readable when not; only with JavaScript on (axe needs it, a JS-off page is checked otherwise). */
export async function assertNoViolations(page: Page, jsOn: boolean): Promise<void> {
  if (!jsOn) return;
  const violations = await axeViolations(page);
  if (violations.length) throw new Error(`${page.url()}\n${formatViolations(violations)}`);
}

/** True when nothing on the page is wider than the viewport (no horizontal scrolling). */
export async function hasNoHorizontalOverflow(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/**
 * Logs in through the door's pages as a person would, doing the SMS double authentification when
 * asked (code read from the outbox). Returns a page on the space's home. A context still logged
 * in goes straight there.
 */
export async function logInThroughPages(
  b: BrowserHarness,
  context: BrowserContext,
  door: 'assure' | 'entreprise' | 'gestion',
  email: string,
  mobile: string,
  password: string,
): Promise<Page> {
  let before = 0;
  let codeSent = false;
  const page = await logInWithSmsCode(b.baseUrl, context, door, email, password, {
    async beforeSending() {
      before = Number((await b.t.db('outbox').max({ id: 'id' }).first())?.id ?? 0);
    },
    async readCode() {
      codeSent = true;
      // The click returns before the server has sent the SMS: wait for this one, not an older code.
      let sms: { body_text: string } | undefined;
      for (let i = 0; i < 200 && !sms; i++) {
        sms = await b.t.db('outbox').where({ recipient: mobile }).where('id', '>', before).orderBy('id', 'desc').first();
        if (!sms) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return String(sms?.body_text ?? '').match(/\b(\d{6})\b/)?.[1] ?? '';
    },
  });
  // One SMS code a minute per account: the next login in the same test may need a new one.
  if (codeSent) b.t.clock.advance(61_000);
  return page;
}

/** Where the SMS code of a login comes from: the test app's outbox, or a real server's SMS gateway. */
export interface SmsCodeSource {
  /** Called just before « Envoyer le code », so that an older code is not taken for this one. */
  beforeSending?(): Promise<void>;
  /** The 6-digit code the server has just sent. */
  readCode(): Promise<string>;
}

/** The login pages of a door: e-mail, password, then « Envoyer le code » and the SMS code when asked. */
export async function logInWithSmsCode(
  baseUrl: string,
  context: BrowserContext,
  door: 'assure' | 'entreprise' | 'gestion',
  email: string,
  password: string,
  sms: SmsCodeSource,
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/${door}`);
  if (page.url().endsWith(`/${door}/accueil`)) return page;
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(new RegExp(`/${door}/(securite|accueil)$`));
  if (page.url().endsWith('/securite')) {
    await sms.beforeSending?.();
    await page.getByRole('button', { name: 'Envoyer le code' }).click();
    await page.getByLabel('Code de sécurité').fill(await sms.readCode());
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.waitForURL(`**/${door}/accueil`);
  }
  return page;
}

/**
 * axe on a page seen with JavaScript off: axe needs JavaScript, so the page's HTML as the JS-off
 * visitor got it is replayed at the same address in a JS-on page whose scripts are not loaded
 * (stylesheets and images are), with the contents of <noscript> shown as a browser without
 * JavaScript shows them. Zero violations and nothing wider than 1280 px, or a readable list.
 */
export async function assertNoViolationsJsOff(b: Pick<BrowserHarness, 'browser'>, page: Page): Promise<void> {
  const html = (await page.content()).replace(/<\/?noscript>/g, '');
  const context = await b.browser.newContext({ bypassCSP: true, locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  try {
    const replay = await context.newPage();
    await replay.route('**/*', (route) => {
      const request = route.request();
      if (request.isNavigationRequest()) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      if (request.resourceType() === 'script') return route.abort();
      return route.continue();
    });
    await replay.goto(page.url());
    const violations = await axeViolations(replay);
    if (violations.length) throw new Error(`${page.url()} (JavaScript off)\n${formatViolations(violations)}`);
    if (!(await hasNoHorizontalOverflow(replay))) throw new Error(`${page.url()} (JavaScript off) is wider than 1280 px`);
  } finally {
    await context.close();
  }
}

/** A page in either mode: axe finds nothing (with JS off, on the page as served) and nothing is wider than the window. */
export async function assertPageInMode(b: Pick<BrowserHarness, 'browser'>, page: Page, jsOn: boolean): Promise<void> {
  if (jsOn) await assertNoViolations(page, true);
  else await assertNoViolationsJsOff(b, page);
  assert.ok(await hasNoHorizontalOverflow(page), `${page.url()} is wider than its window`);
}

// Light pages for slow phones: each space's home and main list weighs at most 30 KB over the network
// on a first visit (empty cache: the page, the compressed CSS and JS, the logo) and at most 8 KB on a
// later one (the fingerprinted files come from the cache without asking, src/assets.ts), counted
// from Chromium's network log (CDP Network.loadingFinished: bytes received, headers included).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, CDPSession } from 'playwright-core';
import { DEMO_FACTS } from '../../db/seeds/demo/index.js';
import { browserSkipReason, logInThroughPages, startDemoBrowserHarness, type BrowserHarness } from './browser.js';

const FIRST_VISIT_MAX = 30 * 1024;
const LATER_VISIT_MAX = 8 * 1024;
const MOBILES = { staff: '+262639980304', hrAdmin: '+262639980301' };

const skip = browserSkipReason();
let b: BrowserHarness;
before(async () => {
  if (skip) return;
  b = await startDemoBrowserHarness();
});
after(async () => {
  if (!skip) await b.close();
});

interface Weight {
  bytes: number;
  requests: string[];
}

/** Loads `path` in a page of `context` and adds up the bytes every request of the visit received. */
async function visit(context: BrowserContext, path: string, options: { emptyCache: boolean }): Promise<Weight> {
  const page = await context.newPage();
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (options.emptyCache) await cdp.send('Network.clearBrowserCache');
  const urls = new Map<string, string>();
  const weight: Weight = { bytes: 0, requests: [] };
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    weight.bytes += e.encodedDataLength;
    if (e.encodedDataLength > 0) weight.requests.push(`${urls.get(e.requestId)} ${e.encodedDataLength}`);
  });
  const response = await page.goto(`${b.baseUrl}${path}`, { waitUntil: 'load' });
  assert.equal(response?.status(), 200, path);
  assert.ok(page.url().endsWith(path), `${path} stays there (${page.url()})`);
  // What htmx or our scripts fetch once the page is there counts too.
  await page.waitForLoadState('networkidle');
  await page.close();
  return weight;
}

async function assertLight(context: BrowserContext, paths: string[]): Promise<void> {
  for (const path of paths) {
    const first = await visit(context, path, { emptyCache: true });
    const later = await visit(context, path, { emptyCache: false });
    console.log(`${path}: first visit ${first.bytes} B, later visit ${later.bytes} B`);
    assert.ok(first.bytes <= FIRST_VISIT_MAX, `${path}: ${first.bytes} B on a first visit (≤ ${FIRST_VISIT_MAX}):\n${first.requests.join('\n')}`);
    assert.ok(later.bytes <= LATER_VISIT_MAX, `${path}: ${later.bytes} B on a later visit (≤ ${LATER_VISIT_MAX}):\n${later.requests.join('\n')}`);
    assert.ok(later.requests.length === 1, `${path}: only the page itself on a later visit:\n${later.requests.join('\n')}`);
  }
}

describe('page weight on the network (JavaScript on)', { skip }, () => {
  test('public home', { timeout: 60_000 }, async () => {
    const context = await b.browser.newContext({ locale: 'fr-FR' });
    try {
      await assertLight(context, ['/']);
    } finally {
      await context.close();
    }
  });

  test('Espace Assuré: Accueil and Remboursements', { timeout: 90_000 }, async () => {
    const context = await b.browser.newContext({ locale: 'fr-FR' });
    try {
      await (await logInThroughPages(b, context, 'assure', DEMO_FACTS.member.email, DEMO_FACTS.member.mobile, DEMO_FACTS.password)).close();
      await assertLight(context, ['/assure/accueil', '/assure/remboursements']);
    } finally {
      await context.close();
    }
  });

  test('Espace Entreprise: Accueil and Mes salariés', { timeout: 90_000 }, async () => {
    const context = await b.browser.newContext({ locale: 'fr-FR' });
    try {
      await (await logInThroughPages(b, context, 'entreprise', DEMO_FACTS.hrAdmin.email, MOBILES.hrAdmin, DEMO_FACTS.password)).close();
      await assertLight(context, ['/entreprise/accueil', '/entreprise/salaries']);
    } finally {
      await context.close();
    }
  });

  test('Espace Gestion: Tableau de bord and Demandes', { timeout: 90_000 }, async () => {
    const context = await b.browser.newContext({ locale: 'fr-FR' });
    try {
      await (await logInThroughPages(b, context, 'gestion', DEMO_FACTS.staff.email, MOBILES.staff, DEMO_FACTS.password)).close();
      await assertLight(context, ['/gestion/accueil', '/gestion/demandes']);
    } finally {
      await context.close();
    }
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import {
  axeViolations,
  browserSkipReason,
  formatViolations,
  hasNoHorizontalOverflow,
  startBrowserHarness,
  type BrowserHarness,
  logInThroughPages,
} from './browser.js';
import { PASSWORD } from '../helpers/fixtures.js';
import { createFamily, type Family } from '../helpers/family.js';
import { assertIncludes } from '../helpers/assertions.js';

const skip = browserSkipReason();

describe('Accueil and Remboursements in Chromium', { skip, timeout: 240_000 }, () => {
  let b: BrowserHarness;
  let family: Family;
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault', statements: 14 });
    });
  });
  after(async () => {
    await b?.close();
  });

  const logIn = (context: BrowserContext): Promise<Page> => logInThroughPages(b, context, 'assure', family.email, family.mobile, PASSWORD);

  async function assertAxeClean(page: Page, where: string) {
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `${where}: ${formatViolations(violations)}`);
  }

  test('Accueil with JavaScript on: axe clean, donut and its figures, tiles, 360 px', async () => {
    const page = await logIn(b.jsOn);
    await page.getByRole('heading', { level: 1, name: 'Bienvenue Nicolas' }).waitFor();
    await assertAxeClean(page, 'accueil');
    assert.ok(await page.getByRole('heading', { name: '62 % du profil complété' }).isVisible());
    assert.equal(await page.locator('svg.donut').count(), 1);
    assert.equal(await page.locator('svg.donut').getAttribute('aria-hidden'), 'true');
    const legend = (await page.locator('.donut-legend').innerText()).replace(/\s+/g, ' ');
    assert.match(legend, /Total 515,00 €/);
    assert.match(legend, /Payé à l'assuré 280,00 € \(54 %\)/);
    assert.match(legend, /Payé aux tiers 235,00 € \(46 %\)/);
    assert.equal(await page.locator('.tile').count(), 6);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.reload();
    assert.ok(await hasNoHorizontalOverflow(page), 'no horizontal scrolling at 360 px');
    const latest = await page.locator('.home-lines').evaluate((table) => [table.parentElement!.scrollWidth, table.parentElement!.clientWidth]);
    assert.ok(latest[0] <= latest[1], `the latest lines fit without scrolling: ${latest}`);
    await assertAxeClean(page, 'accueil 360 px');
    await page.close();
  });

  test('JavaScript off: the home links and the filters as a plain GET form, pagination links', async () => {
    const page = await logIn(b.jsOff);
    await page.getByRole('link', { name: 'Choisir la télétransmission NOEMIE pour Julie' }).click();
    await page.waitForURL('**/assure/beneficiaires');
    await page.goto(`${b.baseUrl}/assure/accueil`);
    await page.getByRole('link', { name: 'Voir mes remboursements' }).click();
    await page.waitForURL('**/assure/remboursements');
    await page.getByLabel('Type de soins').selectOption('pharmacie');
    await page.getByLabel('Du', { exact: true }).fill('01/01/2026');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/soin=pharmacie/);
    assertIncludes(page.url(), 'du=01%2F01%2F2026');
    assert.equal(await page.getByText('Dr Anne Morel').count(), 0);
    assert.ok(await page.getByText('10 décomptes correspondant à vos critères').isVisible());
    // A wrong date: the list is still there, with the message next to the field.
    await page.getByLabel('Au', { exact: true }).fill('31/02/2026');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/au=31/);
    assert.ok(await page.locator('#au-error').isVisible());
    assert.equal(await page.locator('#au').inputValue(), '31/02/2026');
    await page.goto(`${b.baseUrl}/assure/remboursements`);
    await page.getByRole('link', { name: 'Page suivante' }).click();
    await page.waitForURL('**page=2');
    // The count says which page, and so does the pagination under the list.
    assert.ok(await page.locator('.result-count', { hasText: 'page 2 sur 2' }).isVisible());
    assert.ok(await page.locator('nav.pagination', { hasText: 'Page 2 sur 2' }).isVisible());
    await page.getByRole('link', { name: 'Page précédente' }).click();
    await page.waitForURL(/remboursements$/);
    // The PDF link downloads a file.
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Télécharger le décompte (PDF)' }).first().click();
    assert.match((await download).suggestedFilename(), /^decompte-.+\.pdf$/);
    await page.close();
  });

  test('Remboursements with JavaScript on: in-place update, URL in sync, back button, axe clean, 360 px', async () => {
    const page = await logIn(b.jsOn);
    await page.goto(`${b.baseUrl}/assure/remboursements`);
    await assertAxeClean(page, 'remboursements');
    // A marker on window survives only if the page is not reloaded.
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    const sameDocument = () => page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true);

    await page.getByLabel('Bénéficiaire').selectOption({ label: 'Léo Thibault' });
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/beneficiaire=/);
    await page.getByText('4 décomptes correspondant à vos critères').waitFor();
    assert.equal(await sameDocument(), true, 'updated in place');
    assert.equal(await page.locator('td', { hasText: 'Julie Thibault' }).count(), 0);
    assert.equal(await page.locator('h1').count(), 1, 'the fragment replaced the list, not nested a page');
    await assertAxeClean(page, 'filtered');

    await page.locator('#du').fill('31/02/2026');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.locator('#du-error').waitFor();
    assert.equal(await sameDocument(), true);
    assertIncludes(page.url(), 'du=31', 'the URL follows the filters');
    assert.equal(await page.locator('#du').inputValue(), '31/02/2026', 'the typed value is kept');
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), true, 'focus on the error summary');
    await assertAxeClean(page, 'filter error');

    await page.goBack();
    await page.waitForFunction(() => !location.search.includes('du=31'));
    assertIncludes(page.url(), 'beneficiaire=', 'back restores the previous filters');
    // The error page also shows the count: wait for the restored list itself, without the error.
    await page.locator('#du-error').waitFor({ state: 'detached' });
    await page.getByText('4 décomptes correspondant à vos critères').waitFor();
    assert.equal(await page.locator('#du-error').count(), 0, 'the previous list is shown again');
    assert.equal(await page.getByLabel('Bénéficiaire').inputValue(), String(family.beneficiaries.enfant1));

    // Pagination in place, keeping the URL.
    await page.goto(`${b.baseUrl}/assure/remboursements`);
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    await page.getByRole('link', { name: 'Page suivante' }).click();
    await page.waitForURL(/page=2/);
    await page.getByText('14 décomptes — page 2 sur 2').waitFor();
    assert.equal(await sameDocument(), true, 'page 2 in place');
    await page.goBack();
    await page.waitForFunction(() => !location.search.includes('page=2'));
    await page.getByText('14 décomptes — page 1 sur 2').waitFor();

    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${b.baseUrl}/assure/remboursements?soin=pharmacie`);
    assert.ok(await hasNoHorizontalOverflow(page), 'no horizontal scrolling at 360 px');
    await assertAxeClean(page, 'remboursements 360 px');
    await page.close();
  });
});

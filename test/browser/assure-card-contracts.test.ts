import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations, browserSkipReason, formatViolations, hasNoHorizontalOverflow, startBrowserHarness, type BrowserHarness, logInThroughPages } from './browser.js';
import { PASSWORD } from '../helpers/fixtures.js';
import { createFamily, type Family } from '../helpers/family.js';

const skip = browserSkipReason();

describe('Carte de tiers payant, Situation and Mes contrats in Chromium', { skip, timeout: 240_000 }, () => {
  let b: BrowserHarness;
  let family: Family;
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault' });
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

  test('Carte de tiers payant with JavaScript on: axe clean, choosing a beneficiary swaps the card in place and keeps the URL', async () => {
    const page = await logIn(b.jsOn);
    await page.getByRole('link', { name: 'Tiers payant' }).first().click();
    await page.waitForURL('**/assure/tiers-payant');
    await page.getByRole('heading', { level: 2, name: 'Carte de Nicolas Thibault' }).waitFor();
    await assertAxeClean(page, 'carte');
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));

    await page.getByLabel('Carte de tiers payant de').selectOption({ label: 'Julie Thibault (conjoint(e))' });
    await page.getByRole('heading', { level: 2, name: 'Carte de Julie Thibault' }).waitFor();
    await page.waitForURL(new RegExp(`beneficiaire=${family.beneficiaries.conjoint}`));
    assert.equal(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true), true, 'updated in place');
    assert.equal(await page.locator('h1').count(), 1);
    assert.equal(await page.locator('#carte-tiers-payant').count(), 1, 'the region replaced, not nested');
    assert.equal(
      await page.getByRole('link', { name: /Télécharger/ }).getAttribute('href'),
      `/assure/tiers-payant/carte.pdf?beneficiaire=${family.beneficiaries.conjoint}`,
    );
    await assertAxeClean(page, 'carte de Julie');

    // The button works too (e.g. after choosing with the keyboard).
    await page.getByLabel('Carte de tiers payant de').selectOption({ label: 'Léo Thibault (enfant)' });
    await page.getByRole('heading', { level: 2, name: 'Carte de Léo Thibault' }).waitFor();
    await page.getByRole('button', { name: 'Afficher la carte' }).click();
    await page.waitForURL(new RegExp(`beneficiaire=${family.beneficiaries.enfant1}`));
    await page.close();
  });

  test('Carte de tiers payant with JavaScript off: the GET form, then the PDF download', async () => {
    const page = await logIn(b.jsOff);
    await page.goto(`${b.baseUrl}/assure/tiers-payant`);
    await page.getByLabel('Carte de tiers payant de').selectOption({ label: 'Emma Thibault (enfant)' });
    await page.getByRole('button', { name: 'Afficher la carte' }).click();
    await page.waitForURL(new RegExp(`beneficiaire=${family.beneficiaries.enfant2}`));
    assert.ok(await page.getByRole('heading', { level: 2, name: "Carte d'Emma Thibault" }).isVisible());
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: /Télécharger/ }).click();
    assert.equal((await download).suggestedFilename(), 'carte-tiers-payant-2026-emma-thibault.pdf');
    await page.close();
  });

  test('printing the card page prints the card alone', async () => {
    const page = await logIn(b.jsOn);
    await page.goto(`${b.baseUrl}/assure/tiers-payant`);
    await page.emulateMedia({ media: 'print' });
    assert.ok(await page.locator('.tp-card').isVisible(), 'the card is printed');
    assert.ok(await page.getByText('Domaines de tiers payant').isVisible());
    for (const selector of ['h1', '.card-chooser', '.tp-actions', '.site-header', '.site-footer', '.main-nav', '.lead']) {
      const count = await page.locator(selector).count();
      for (let i = 0; i < count; i++) assert.equal(await page.locator(selector).nth(i).isVisible(), false, `${selector} is not printed`);
    }
    // On paper the numéro de Sécurité sociale is printed in full, as on the card sent by post.
    assert.ok(await page.getByText('1 84 12 75 112 048 02').isVisible(), 'the full NIR is printed');
    assert.equal(await page.getByText('1 84 12 •• ••• ••• 02').isVisible(), false, 'not the masked one');
    assert.equal(await page.getByRole('button', { name: /Afficher le numéro/ }).first().isVisible(), false, 'no button on paper');
    await page.emulateMedia({ media: 'screen' });
    assert.ok(await page.locator('h1').isVisible(), 'back on screen, the page is whole again');
    assert.equal(await page.getByText('1 84 12 75 112 048 02').isVisible(), false, 'masked on screen');
    await page.close();
  });

  test('« Afficher » the NIR on the card with JavaScript on: the cell alone is swapped, « Masquer » hides it again', async () => {
    const page = await logIn(b.jsOn);
    await page.goto(`${b.baseUrl}/assure/tiers-payant`);
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    assert.ok(await page.getByText('1 84 12 •• ••• ••• 02').isVisible());
    await page.getByRole('button', { name: 'Afficher le numéro de Nicolas Thibault' }).click();
    await page.getByText('1 84 12 75 112 048 02').waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true), true, 'updated in place');
    assert.ok(await page.getByText('2 86 05 •• ••• ••• 50').isVisible(), 'the others stay masked');
    await assertAxeClean(page, 'carte, NIR affiché');
    await page.getByRole('link', { name: 'Masquer le numéro de Nicolas Thibault' }).click();
    await page.getByText('1 84 12 •• ••• ••• 02').waitFor();
    assert.equal(await page.getByText('1 84 12 75 112 048 02').isVisible(), false);
    await page.close();
  });

  test('« Afficher » the NIR on the card with JavaScript off: the page comes back with it', async () => {
    const page = await logIn(b.jsOff);
    await page.goto(`${b.baseUrl}/assure/tiers-payant?beneficiaire=${family.beneficiaries.conjoint}`);
    await page.getByRole('button', { name: 'Afficher le numéro de Julie Thibault' }).click();
    await page.waitForURL(new RegExp(`beneficiaire=${family.beneficiaries.conjoint}#tp-nir-${family.beneficiaries.conjoint}$`));
    assert.ok(await page.getByText('2 86 05 75 113 001 50').isVisible());
    assert.ok(await page.getByRole('heading', { level: 2, name: 'Carte de Julie Thibault' }).isVisible(), 'the same card');
    await page.close();
  });

  test('Situation and Mes contrats with JavaScript on: axe clean, links, the guarantee tables', async () => {
    const page = await logIn(b.jsOn);
    await page.goto(`${b.baseUrl}/assure/situation`);
    await assertAxeClean(page, 'situation');
    await page.getByRole('link', { name: 'Mes contrats' }).click();
    await page.waitForURL('**/assure/contrats');
    await assertAxeClean(page, 'contrats');
    assert.ok(await page.getByRole('table', { name: 'Optique' }).isVisible());
    assert.ok(await page.getByRole('columnheader', { name: 'Remboursement' }).first().isVisible());
    assert.equal(await page.getByRole('link', { name: /Certificat de radiation/ }).count(), 0, 'no radiation certificate while covered');
    await page.close();
  });

  test('Mes contrats with JavaScript off: the PDFs are plain download links', async () => {
    const page = await logIn(b.jsOff);
    await page.goto(`${b.baseUrl}/assure/contrats`);
    const link = page.getByRole('link', { name: /Télécharger mes garanties/ });
    assert.equal(await link.getAttribute('href'), `/assure/contrats/${family.affiliationId}/garanties.pdf`);
    const download = page.waitForEvent('download');
    await link.click();
    assert.match((await download).suggestedFilename(), /^garanties-CT-\d+-NC\.pdf$/);
    const certificate = page.waitForEvent('download');
    await page.getByRole('link', { name: /Certificat d'affiliation/ }).click();
    assert.match((await certificate).suggestedFilename(), /^certificat-affiliation-CT-\d+-NC\.pdf$/);
    await page.close();
  });

  test('360 px: no horizontal scrolling, still axe clean', async () => {
    const page = await logIn(b.jsOn);
    await page.setViewportSize({ width: 360, height: 740 });
    for (const url of ['/assure/tiers-payant', `/assure/tiers-payant?beneficiaire=${family.beneficiaries.conjoint}`, '/assure/situation', '/assure/contrats']) {
      await page.goto(`${b.baseUrl}${url}`);
      assert.ok(await hasNoHorizontalOverflow(page), `${url}: no horizontal scrolling at 360 px`);
      await assertAxeClean(page, `${url} 360 px`);
    }
    await page.close();
  });
});

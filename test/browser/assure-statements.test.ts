import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations, browserSkipReason, formatViolations, hasNoHorizontalOverflow, startBrowserHarness, type BrowserHarness } from './browser.js';
import { codeIn, lastMessageTo, PASSWORD } from '../helpers/fixtures.js';
import { createFamily, type Family } from '../helpers/family.js';

const skip = browserSkipReason();

describe('Remboursements in Chromium', { skip, timeout: 180_000 }, () => {
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

  async function logIn(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${b.baseUrl}/assure`);
    await page.getByLabel('Adresse e-mail').fill(family.email);
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL('**/assure/securite');
    await page.getByRole('button', { name: 'Envoyer le code' }).click();
    await page.getByLabel('Code de sécurité').fill(codeIn((await lastMessageTo(b.t.db, family.mobile)).body_text));
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.waitForURL('**/assure/accueil');
    b.t.clock.advance(61_000);
    return page;
  }

  test('JavaScript off: the filters are a plain GET form, pagination links work', async () => {
    const page = await logIn(b.jsOff);
    await page.getByRole('link', { name: 'Voir mes remboursements' }).click();
    await page.waitForURL('**/assure/remboursements');
    await page.getByLabel('Type de soins').selectOption('pharmacie');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL('**/assure/remboursements?**soin=pharmacie**');
    assert.equal(await page.getByText('Dr Anne Morel').count(), 0);
    await page.goto(`${b.baseUrl}/assure/remboursements`);
    await page.getByRole('link', { name: 'Page suivante' }).click();
    await page.waitForURL('**page=2');
    assert.ok(await page.getByText('page 2 sur 2').isVisible());
    await page.close();
  });

  test('JavaScript on: in-place update, URL kept in sync, back button, axe clean, 360 px', async () => {
    const page = await logIn(b.jsOn);
    await page.goto(`${b.baseUrl}/assure/remboursements`);
    let violations = await axeViolations(page);
    assert.equal(violations.length, 0, formatViolations(violations));
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    await page.getByLabel('Bénéficiaire').selectOption({ label: 'Léo Thibault' });
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/beneficiaire=/);
    await page.getByText(/^\d+ décomptes?$/).waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument), true, 'updated in place');
    assert.equal(await page.locator('td', { hasText: 'Julie Thibault' }).count(), 0);
    await page.locator('#du').fill('31/02/2026');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.getByText('La date est invalide').first().waitFor();
    violations = await axeViolations(page);
    assert.equal(violations.length, 0, formatViolations(violations));
    assert.ok(page.url().includes('du=31'), 'the URL follows the filters');
    await page.goBack();
    await page.waitForFunction(() => !location.search.includes('du=31'));
    assert.ok(page.url().includes('beneficiaire='), 'back restores the previous filter');
    await page.getByText(/^\d+ décomptes?$/).waitFor();
    assert.equal(await page.getByText('La date est invalide').count(), 0, 'the previous list is shown again');
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${b.baseUrl}/assure/remboursements`);
    assert.ok(await hasNoHorizontalOverflow(page));
    await page.close();
  });
});

// Mes services, Prévention and Aide in Chromium: a member reads a prévention page with JavaScript
// off (menu → list → page → its table of contents → another page of the section), the pages pass
// axe with JavaScript on and off, and nothing is wider than the screen at 360 px and 1280 px; an HR
// user opens « Aide » from the header icon.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  assertNoViolations,
  assertNoViolationsJsOff,
  browserSkipReason,
  hasNoHorizontalOverflow,
  logInThroughPages,
  startBrowserHarness,
  type BrowserHarness,
} from './browser.js';
import { PASSWORD } from '../helpers/fixtures.js';
import { createFamily, type Family } from '../helpers/family.js';
import { createHrCompany, createHrUser } from '../helpers/entreprise.js';
import { assertIncludes } from '../helpers/assertions.js';

const skip = browserSkipReason();
const HR_MOBILE = '+33639981451';

describe('Mes services, Prévention and Aide in Chromium', { skip, timeout: 240_000 }, () => {
  let b: BrowserHarness;
  let family: Family;
  let hrEmail: string;
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault' });
      const company = await createHrCompany(t.db, 'Agence Contenus', 1);
      hrEmail = (await createHrUser(t.db, [{ company, role: 'admin' }], { mobile: HR_MOBILE, firstName: 'Eugénie' })).email;
    });
  });
  after(async () => {
    await b?.close();
  });

  /** Nothing wider than the screen at 360 px (a phone) and at 1280 px. */
  async function assertFits(page: Page) {
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      assert.ok(await hasNoHorizontalOverflow(page), `${page.url()} fits ${width} px`);
    }
  }

  test('JavaScript off: a member reads a prévention page from the menu, its table of contents, then another page', async () => {
    const page = await logInThroughPages(b, b.jsOff, 'assure', family.email, family.mobile, PASSWORD);
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Prévention' }).click();
    await page.waitForURL('**/assure/prevention');
    await assertNoViolationsJsOff(b, page);
    await page.getByRole('link', { name: 'Dépistages' }).click();
    await page.waitForURL('**/assure/prevention/depistages');
    assert.equal(await page.locator('h1').innerText(), 'Dépistages');
    await page.getByRole('navigation', { name: 'Sommaire de la page' }).getByRole('link', { name: 'Cancer colorectal' }).click();
    await page.waitForURL('**/assure/prevention/depistages#partie-cancer-colorectal');
    assertIncludes(await page.locator('#partie-cancer-colorectal + p').innerText(), '50 à 74 ans');
    await assertNoViolationsJsOff(b, page);
    await assertFits(page);
    await page.getByRole('complementary').getByRole('link', { name: 'Sommeil' }).click();
    await page.waitForURL('**/assure/prevention/sommeil');
    assert.equal(await page.locator('h1').innerText(), 'Sommeil');
    await page.getByRole('link', { name: /^Retour à la rubrique «\s*Prévention\s*»$/ }).click();
    await page.waitForURL('**/assure/prevention');
    await page.close();
  });

  test('JavaScript on: the home tile leads to « Mes services », a services page and « Aide » pass axe and fit the screen', async () => {
    const page = await logInThroughPages(b, b.jsOn, 'assure', family.email, family.mobile, PASSWORD);
    await page.getByRole('link', { name: `Mes services ${b.t.config.brand.networkName}` }).click();
    await page.waitForURL('**/assure/services');
    await assertNoViolations(page, true);
    await assertFits(page);
    await page.getByRole('link', { name: 'Réseau de soins optique' }).first().click();
    await page.waitForURL('**/assure/services/reseau-optique');
    await assertNoViolations(page, true);
    await assertFits(page);
    await page.getByRole('link', { name: 'Questions fréquentes et assistant virtuel' }).click();
    await page.waitForURL('**/assure/aide');
    await assertNoViolations(page, true);
    await assertFits(page);
    const form = page.locator('form.help-question');
    assert.equal(await form.getAttribute('method'), 'get');
    assert.equal(await form.getAttribute('action'), '/assure/assistant');
    await page.close();
  });

  test('HR: « Aide » from the header icon, with JavaScript on and off', async () => {
    const on = await logInThroughPages(b, b.jsOn, 'entreprise', hrEmail, HR_MOBILE, PASSWORD);
    await on.getByRole('link', { name: 'Aide', exact: true }).click();
    await on.waitForURL('**/entreprise/aide');
    assert.equal(await on.locator('h1').innerText(), 'Aide');
    assertIncludes(await on.locator('main').innerText(), b.t.config.brand.help.hoursEntreprise);
    await assertNoViolations(on, true);
    await assertFits(on);
    await on.getByRole('navigation', { name: 'Thèmes des questions fréquentes' }).getByRole('link', { name: 'Affiliation de vos salariés' }).click();
    await on.waitForURL('**/entreprise/aide#partie-affiliation-de-vos-salaries');
    await on.close();

    const off = await logInThroughPages(b, b.jsOff, 'entreprise', hrEmail, HR_MOBILE, PASSWORD);
    await off.goto(`${b.baseUrl}/entreprise/aide`);
    assert.equal(await off.getByLabel(`Posez votre question à ${b.t.config.brand.assistantName}`).count(), 1);
    await assertNoViolationsJsOff(b, off);
    await off.getByRole('link', { name: 'Pré-affiliation' }).first().click();
    await off.waitForURL('**/entreprise/pre-affiliation**');
    await off.close();
  });
});

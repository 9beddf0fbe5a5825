import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { axeViolations, browserSkipReason, formatViolations, hasNoHorizontalOverflow, startBrowserHarness, type BrowserHarness } from './browser.js';
import { codeIn, createAccount, lastMessageTo, PASSWORD } from '../helpers/fixtures.js';

const skip = browserSkipReason();

describe('login with double authentification in Chromium', { skip, timeout: 180_000 }, () => {
  let b: BrowserHarness;
  before(async () => {
    b = await startBrowserHarness();
  });
  after(async () => {
    await b?.close();
  });

  async function expectNoViolations(page: Page, where: string) {
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `${where}\n${formatViolations(violations)}`);
  }

  async function loginThroughTwoFactor(page: Page, email: string, mobile: string, checkAxe: boolean) {
    await page.goto(`${b.baseUrl}/assure`);
    if (checkAxe) await expectNoViolations(page, 'login page');
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL('**/assure/securite');
    assert.ok(await page.getByRole('heading', { name: 'Écran de sécurité' }).isVisible());
    if (checkAxe) await expectNoViolations(page, 'security screen, confirm state');
    await page.getByRole('button', { name: 'Envoyer le code' }).click();
    await page.getByLabel('Code de sécurité').waitFor();
    if (checkAxe) await expectNoViolations(page, 'security screen, code state');
    const sms = await lastMessageTo(b.t.db, mobile);
    await page.getByLabel('Code de sécurité').fill(codeIn(sms.body_text));
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.waitForURL('**/assure/accueil');
    assert.ok(await page.getByRole('heading', { name: /Bienvenue/ }).isVisible());
    // « qu'Hugo », « que Lucie »: the name's first letter decides the elision.
    assert.match((await page.locator('.connected-as').textContent()) ?? '', /Vous êtes actuellement connecté en tant qu(e |')/);
    if (checkAxe) await expectNoViolations(page, 'member home');
  }

  test('JavaScript off: password, security screen, SMS code, home, logout', async () => {
    const { email } = await createAccount(b.t.db, { kind: 'member', firstName: 'Lucie', mobile: '+33639980301' });
    const page = await b.jsOff.newPage();
    await loginThroughTwoFactor(page, email, '+33639980301', false);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL('**/assure?deconnexion=1');
    assert.ok(await page.getByText('Vous êtes déconnecté').isVisible());
    await page.close();
  });

  test('JavaScript on: the same journey, axe clean on every screen, inline error without reload', async () => {
    const { email } = await createAccount(b.t.db, { kind: 'member', firstName: 'Hugo', mobile: '+33639980302' });
    const page = await b.jsOn.newPage();
    await page.goto(`${b.baseUrl}/assure`);
    // A wrong password: htmx swaps the form in place (no navigation), the error is announced.
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.locator('#password').fill('pas le bon mot de passe');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('Connexion impossible').waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument), true, 'no full page reload');
    assert.equal(await page.getByLabel('Adresse e-mail').inputValue(), email, 'email kept');
    await expectNoViolations(page, 'login error');
    await loginThroughTwoFactor(page, email, '+33639980302', true);
    // The member home fits a 360 px wide phone.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.reload();
    assert.ok(await hasNoHorizontalOverflow(page), 'home overflows at 360 px');
    await page.close();
  });
});

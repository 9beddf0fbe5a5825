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
import { codeIn, lastMessageTo, PASSWORD } from '../helpers/fixtures.js';
import { createFamily, type Family } from '../helpers/family.js';

const skip = browserSkipReason();

describe('Mes bénéficiaires, Situation NOEMIE and Mes informations personnelles in Chromium', { skip, timeout: 240_000 }, () => {
  let b: BrowserHarness;
  let family: Family;
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault', statements: 2 });
      await t
        .db('beneficiaries')
        .where({ id: family.beneficiaries.enfant2 })
        .update({ teletransmission_status: 'blocked', teletransmission_since: '2026-01-10' });
    });
  });
  after(async () => {
    await b?.close();
  });

  const logIn = (context: BrowserContext): Promise<Page> => logInThroughPages(b, context, 'assure', family.email, family.mobile, PASSWORD);

  async function assertAxeClean(page: Page, where: string) {
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `${where}\n${formatViolations(violations)}`);
  }

  const status = (id: number) =>
    b.t
      .db('beneficiaries')
      .where({ id })
      .first()
      .then((r) => r.teletransmission_status as string);

  test('JavaScript off: reveal a NIR, activate télétransmission through the confirmation page, edit address and IBAN', async () => {
    const page = await logIn(b.jsOff);
    await page.goto(`${b.baseUrl}/assure/beneficiaires`);
    assert.ok(await page.getByText('2 86 05 •• ••• ••• 50').isVisible());
    await page.getByRole('button', { name: 'Afficher le numéro de Julie Thibault' }).click();
    await page.waitForURL(`**/assure/beneficiaires#beneficiaire-${family.beneficiaries.conjoint}`);
    assert.ok(await page.getByText('2 86 05 75 113 001 50').isVisible());

    await page.getByRole('link', { name: 'Activer la télétransmission pour Julie Thibault' }).click();
    await page.waitForURL(`**/assure/beneficiaires/${family.beneficiaries.conjoint}/teletransmission`);
    assert.ok(await page.getByRole('heading', { level: 1, name: 'Activer la télétransmission' }).isVisible());
    assert.equal(await status(family.beneficiaries.conjoint), 'inactive', 'nothing before « Confirmer »');
    await page.getByRole('button', { name: /^Confirmer/ }).click();
    await page.waitForURL('**/assure/beneficiaires#**');
    await page.getByText("Votre demande d'activation de la télétransmission a été enregistrée pour Julie Thibault").waitFor();
    assert.equal(await status(family.beneficiaries.conjoint), 'activation_requested');

    await page.goto(`${b.baseUrl}/assure/informations-personnelles`);
    await page.getByRole('link', { name: 'Modifier mon adresse', exact: true }).click();
    await page.waitForURL('**/informations-personnelles/adresse');
    await page.getByLabel('Code postal').fill('96000');
    await page.getByLabel('Ville').fill('Rezé');
    await page.getByRole('button', { name: 'Enregistrer mon adresse' }).click();
    await page.locator('#postal_code-error').getByText('Le code postal est invalide.').waitFor();
    assert.equal(await page.getByLabel('Ville').inputValue(), 'Rezé', 'values kept');
    await page.getByLabel('Code postal').fill('44400');
    await page.getByRole('button', { name: 'Enregistrer mon adresse' }).click();
    await page.waitForURL('**/assure/informations-personnelles');
    await page.getByText('Votre adresse a été modifiée.').waitFor();
    assert.ok(await page.getByText('44400 Rezé').isVisible());

    await page.getByRole('link', { name: 'Modifier mes coordonnées bancaires' }).click();
    await page.waitForURL('**/informations-personnelles/iban');
    await page.locator('#iban').fill('FR76 1027 8060 3100 0205 6250 138');
    await page.getByLabel('Mot de passe actuel').fill(PASSWORD);
    await page.getByRole('button', { name: 'Enregistrer mes coordonnées bancaires' }).click();
    await page.locator('#iban-error').getByText("L'IBAN est invalide.").waitFor();
    assert.equal(await page.locator('#iban').inputValue(), 'FR76 1027 8060 3100 0205 6250 138');
    await page.locator('#iban').fill('FR7610278060310002056250139');
    await page.getByLabel('Mot de passe actuel').fill(PASSWORD);
    await page.getByRole('button', { name: 'Enregistrer mes coordonnées bancaires' }).click();
    await page.waitForURL('**/assure/informations-personnelles');
    // The confirmation masks the IBAN as the page does.
    await page.getByText('Vos coordonnées bancaires ont été modifiées : FR76 •••• •••• •••• •••• •••0 139.').waitFor();
    assert.ok(await page.getByText('FR76 •••• •••• •••• •••• •••0 139', { exact: true }).isVisible());
    await page.close();
  });

  test('JavaScript on: NIR reveal and télétransmission in place, axe clean, 360 px', async () => {
    const page = await logIn(b.jsOn);
    await page.goto(`${b.baseUrl}/assure/beneficiaires`);
    await assertAxeClean(page, 'Mes bénéficiaires');
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    const inPlace = () => page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true);

    await page.getByRole('button', { name: 'Afficher le numéro de Nicolas Thibault' }).click();
    await page.getByText('1 84 12 75 112 048 02').waitFor();
    assert.ok(await inPlace(), 'only the cell was swapped');
    assert.ok(await page.getByText('2 86 05 •• ••• ••• 50').isVisible(), 'the others stay masked');
    await page.getByRole('link', { name: 'Masquer le numéro de Nicolas Thibault' }).click();
    await page.getByText('1 84 12 •• ••• ••• 02').waitFor();
    assert.ok(await inPlace());

    await page.getByRole('link', { name: 'Activer la télétransmission pour Léo Thibault' }).click();
    const block = page.locator(`#teletransmission-${family.beneficiaries.enfant1}`);
    await block.getByRole('button', { name: /^Confirmer/ }).waitFor();
    assert.ok(await inPlace(), 'the confirmation step opens in the card');
    await assertAxeClean(page, 'confirmation in place');
    assert.equal(await status(family.beneficiaries.enfant1), 'inactive');
    await block.getByRole('link', { name: 'Annuler' }).click();
    await page.getByRole('link', { name: 'Activer la télétransmission pour Léo Thibault' }).waitFor();
    assert.equal(await status(family.beneficiaries.enfant1), 'inactive', 'Annuler changes nothing');

    await page.getByRole('link', { name: 'Activer la télétransmission pour Léo Thibault' }).click();
    await block.getByRole('button', { name: /^Confirmer/ }).click();
    await block.getByText("Votre demande d'activation de la télétransmission a été enregistrée pour Léo Thibault").waitFor();
    assert.ok(await inPlace());
    assert.equal(await status(family.beneficiaries.enfant1), 'activation_requested');
    await assertAxeClean(page, 'after the change');

    // A blocked child has no button; its confirmation page explains why.
    await page.goto(`${b.baseUrl}/assure/beneficiaires/${family.beneficiaries.enfant2}/teletransmission`);
    await page.getByText('autre organisme complémentaire').first().waitFor();
    await assertAxeClean(page, 'blocked confirmation page');

    await page.goto(`${b.baseUrl}/assure/situation-noemie`);
    await page.getByRole('heading', { name: 'Historique' }).waitFor();
    await assertAxeClean(page, 'Situation NOEMIE');

    await page.setViewportSize({ width: 360, height: 740 });
    for (const path of ['/assure/beneficiaires', `/assure/beneficiaires/${family.beneficiaries.assure}/teletransmission`, '/assure/situation-noemie']) {
      await page.goto(`${b.baseUrl}${path}`);
      assert.ok(await hasNoHorizontalOverflow(page), `no horizontal overflow on ${path}`);
    }
    await page.close();
  });

  test('JavaScript on: address and IBAN edits with in-place errors, axe clean, 360 px', async () => {
    const page = await logIn(b.jsOn);
    await page.goto(`${b.baseUrl}/assure/informations-personnelles`);
    await assertAxeClean(page, 'Mes informations personnelles');

    await page.getByRole('link', { name: 'Modifier mon adresse', exact: true }).click();
    await page.waitForURL('**/informations-personnelles/adresse');
    await assertAxeClean(page, 'address form');
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    await page.getByLabel('Code postal').fill('');
    await page.getByRole('button', { name: 'Enregistrer mon adresse' }).click();
    await page.locator('#postal_code-error').getByText('Le code postal est obligatoire.').waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument), true, 'errors in place');
    await assertAxeClean(page, 'address form with errors');
    await page.getByLabel('Code postal').fill('75011');
    await page.getByLabel('Ville').fill('Paris');
    await page.getByRole('button', { name: 'Enregistrer mon adresse' }).click();
    await page.waitForURL('**/assure/informations-personnelles');
    await page.getByText('Votre adresse a été modifiée.').waitFor();

    await page.getByRole('link', { name: 'Modifier mes coordonnées bancaires' }).click();
    await page.waitForURL('**/informations-personnelles/iban');
    await assertAxeClean(page, 'IBAN form');
    await page.locator('#iban').fill('FR7630006000011234567890189');
    await page.getByLabel('Mot de passe actuel').fill('pas le bon mot de passe');
    await page.getByRole('button', { name: 'Enregistrer mes coordonnées bancaires' }).click();
    await page.locator('#current_password-error').getByText('Le mot de passe actuel est incorrect.').waitFor();
    await assertAxeClean(page, 'IBAN form with errors');
    await page.getByLabel('Mot de passe actuel').fill(PASSWORD);
    await page.getByRole('button', { name: 'Enregistrer mes coordonnées bancaires' }).click();
    await page.waitForURL('**/assure/informations-personnelles');
    await page.getByText('Vos coordonnées bancaires ont été modifiées : FR76 •••• •••• •••• •••• •••0 189.').waitFor();

    // E-mail: the code step comes in place, the change happens with the code.
    await page.getByRole('link', { name: 'Modifier mon adresse e-mail' }).click();
    await page.waitForURL('**/informations-personnelles/email');
    await assertAxeClean(page, 'email form');
    await page.getByLabel('Nouvelle adresse e-mail').fill('nicolas.neuf@exemple.fr');
    await page.getByLabel('Mot de passe actuel').fill(PASSWORD);
    await page.getByRole('button', { name: 'Recevoir le code de confirmation' }).click();
    await page.getByLabel('Code reçu par e-mail').waitFor();
    await assertAxeClean(page, 'email code step');
    const mail = await lastMessageTo(b.t.db, 'nicolas.neuf@exemple.fr');
    await page.getByLabel('Code reçu par e-mail').fill(codeIn(mail.body_text));
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/assure/informations-personnelles');
    await page.getByText('Votre adresse e-mail a été modifiée.').waitFor();
    assert.equal((await b.t.db('accounts').where({ id: family.accountId }).first()).email, 'nicolas.neuf@exemple.fr');

    await page.setViewportSize({ width: 360, height: 740 });
    for (const path of ['', '/adresse', '/email', '/mobile', '/iban']) {
      await page.goto(`${b.baseUrl}/assure/informations-personnelles${path}`);
      assert.ok(await hasNoHorizontalOverflow(page), `no horizontal overflow on ${path || '/'}`);
    }
    await page.close();
  });
});

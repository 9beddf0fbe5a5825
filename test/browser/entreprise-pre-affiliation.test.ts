// The « Pré-affiliation » wizard in Chromium: JS off (plain pages, back button safe) and JS on
// (steps swapped in place, URL pushed), with axe on every step and on the error states.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext } from 'playwright-core';
import { assertNoViolations, browserSkipReason, logInThroughPages, startBrowserHarness, type BrowserHarness } from './browser.js';
import { createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { PASSWORD } from '../helpers/fixtures.js';

const skip = browserSkipReason();

describe('Pré-affiliation in Chromium', { skip, timeout: 240_000 }, () => {
  let b: BrowserHarness;
  let alpha: TestCompany;
  const admin = { email: 'eugenie.marchand@alpha.example', mobile: '+33612340101' };
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      alpha = await createHrCompany(t.db, 'Alpha Immobilier', 2);
      await createHrUser(t.db, [{ company: alpha, role: 'admin' }], { ...admin, firstName: 'Eugénie' });
    });
  });
  after(async () => {
    await b?.close();
  });

  for (const on of [false, true]) {
    const mode = on ? 'JS on' : 'JS off';
    test(`four steps, an error at the last one, back and forth, then the email to the employee (${mode})`, async () => {
      const context: BrowserContext = on ? b.jsOn : b.jsOff;
      const page = await logInThroughPages(b, context, 'entreprise', admin.email, admin.mobile, PASSWORD);
      await page.getByRole('link', { name: 'Pré-affiliation' }).first().click();
      await page.getByRole('heading', { name: "1. Choisissez le nom de l'établissement" }).waitFor();
      await assertNoViolations(page, on);
      await page.getByRole('button', { name: 'Valider' }).click();
      await page.getByText("Choisissez l'établissement du salarié.").first().waitFor();
      await assertNoViolations(page, on);
      await page.getByLabel('Etablissement').selectOption({ label: `${alpha.establishments[1].name} — Bordeaux (SIRET ${alpha.establishments[1].siret})` });
      await page.getByRole('button', { name: 'Valider' }).click();
      await page.getByRole('heading', { name: '2. Sélectionnez le statut professionnel du salarié' }).waitFor();
      await page.waitForURL('**/pre-affiliation/statut');
      await assertNoViolations(page, on);
      await page.getByLabel('Cadre', { exact: true }).check();
      await page.getByRole('button', { name: 'Valider' }).click();
      await page.getByRole('heading', { name: /3\. Précisez si le salarié/ }).waitFor();
      await page.waitForURL('**/pre-affiliation/deja-affilie');
      await assertNoViolations(page, on);
      await page.getByLabel('Non', { exact: true }).check();
      await page.getByRole('button', { name: 'Valider' }).click();
      await page.getByRole('heading', { name: '4. Remplissez toutes les informations du salarié' }).waitFor();
      await page.waitForURL('**/pre-affiliation/salarie');
      await assertNoViolations(page, on);

      const email = on ? 'lea.on@exemple.fr' : 'lea.off@exemple.fr';
      const nir = on ? '2960433063101' : '2960433063102';
      await page.getByLabel('Numéro de Sécurité Sociale').fill(nir);
      await page.locator('#nom').fill('Fontaine');
      await page.getByLabel('Prénom').fill('Léa');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Date de naissance de votre salarié').fill('12/04/1996');
      await page.getByLabel("Date d'entrée dans l'entreprise").fill('01/12/2026');
      await page.getByLabel("Date d'affiliation au contrat Frais de Santé").fill('01/12/2026');
      await page.getByLabel('Type de contrat de travail').selectOption('CDD');
      await page.getByLabel('Date de début du contrat de travail').fill('01/12/2026');
      await page.getByRole('button', { name: 'Valider' }).click();
      await page.getByText('La date de fin est obligatoire pour un Contrat à Durée Déterminée.').first().waitFor();
      assert.equal(await page.locator('#nom').inputValue(), 'Fontaine', 'values kept');
      await assertNoViolations(page, on);

      // Back one step and forward again: what was typed is still there.
      await page.getByRole('link', { name: 'Étape précédente' }).click();
      await page.getByRole('heading', { name: /3\. Précisez si le salarié/ }).waitFor();
      await page.getByRole('button', { name: 'Valider' }).click();
      await page.getByRole('heading', { name: '4. Remplissez toutes les informations du salarié' }).waitFor();
      assert.equal(await page.getByLabel('Prénom').inputValue(), 'Léa');
      await page.getByLabel('Date de fin du contrat de travail').fill('31/05/2027');
      await page.getByRole('button', { name: 'Valider' }).click();
      await page.getByRole('heading', { name: 'Léa Fontaine est pré-affilié(e)' }).waitFor();
      await assertNoViolations(page, on);
      const row = await b.t.db('affiliation_requests').where({ email }).first();
      assert.equal(row.status, 'sent');
      assert.equal(row.professional_status, 'cadre');
      assert.equal(row.employment_end_date, '2027-05-31');
      assert.ok(await b.t.db('outbox').where({ recipient: email }).first(), 'the link emailed');
      await page.close();
    });
  }
});

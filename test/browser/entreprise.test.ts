// Espace Entreprise in Chromium, with JavaScript on (axe: zero violations) and off: the home and
// its « Entreprise » filter, « Gestion des habilitations » (add, resend, suspend, reactivate) and
// the whole file import (upload, preview with the line in error, confirm, result).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { assertNoViolations, browserSkipReason, hasNoHorizontalOverflow, logInThroughPages, startBrowserHarness, type BrowserHarness } from './browser.js';
import { PASSWORD } from '../helpers/fixtures.js';
import { addEmployee, createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { breakLuhn, establishmentCsvBytes } from '../helpers/import-files.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const skip = browserSkipReason();

describe('Espace Entreprise in Chromium', { skip, timeout: 300_000 }, () => {
  let b: BrowserHarness;
  let alpha: TestCompany;
  let beta: TestCompany;
  const admin = { email: 'eugenie.marchand@alpha.example', mobile: '+33612340001' };
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      alpha = await createHrCompany(t.db, 'Alpha Immobilier', 6);
      beta = await createHrCompany(t.db, 'Beta Syndic', 1);
      for (let i = 0; i < 3; i++) await addEmployee(t.db, alpha, alpha.establishments[0]);
      await addEmployee(t.db, alpha, alpha.establishments[1], { college: 'cadre' });
      await addEmployee(t.db, beta, beta.establishments[0]);
      await createHrUser(
        t.db,
        [
          { company: alpha, role: 'admin' },
          { company: beta, role: 'admin' },
        ],
        { ...admin, firstName: 'Eugénie', perimeter: [...alpha.establishments.slice(0, 2), beta.establishments[0]] },
      );
      await createHrUser(t.db, [{ company: alpha, role: 'user' }], { email: 'hugo.on@alpha.example', firstName: 'Hugo', mobile: '+33612340002' });
      await createHrUser(t.db, [{ company: alpha, role: 'user' }], { email: 'hugo.off@alpha.example', firstName: 'Hugues', mobile: '+33612340003' });
    });
  });
  after(async () => {
    await b?.close();
  });

  const logIn = (context: BrowserContext): Promise<Page> => logInThroughPages(b, context, 'entreprise', admin.email, admin.mobile, PASSWORD);

  for (const on of [true, false]) {
    const mode = on ? 'JS on' : 'JS off';

    test(`home: gauges with their figures in text, the « Entreprise » filter (${mode})`, async () => {
      const page = await logIn(on ? b.jsOn : b.jsOff);
      await page.goto(`${b.baseUrl}/entreprise/accueil`);
      await page.getByRole('heading', { name: 'Bienvenue Eugénie' }).waitFor();
      assert.equal(await page.locator('svg.donut').count(), 2);
      assertIncludes(await page.locator('#vos-affiliations').innerText(), '5');
      await assertNoViolations(page, on);
      await page.getByLabel('Entreprise').selectOption({ label: 'Beta Syndic' });
      if (!on) await page.getByRole('button', { name: 'Afficher' }).click();
      await page.waitForURL(/entreprise=\d+/);
      await page.locator('#vos-affiliations').getByText('Beta Syndic — site 1').first().waitFor();
      assertExcludes(await page.locator('#vos-affiliations').innerText(), 'Alpha Immobilier — site 1');
      await page.setViewportSize({ width: 360, height: 740 });
      assert.ok(await hasNoHorizontalOverflow(page), 'no overflow at 360 px');
      await page.close();
    });

    test(`habilitations: add a user, resend the link, suspend and reactivate (${mode})`, async () => {
      const page = await logIn(on ? b.jsOn : b.jsOff);
      await page.goto(`${b.baseUrl}/entreprise/habilitations`);
      await assertNoViolations(page, on);
      await page.getByRole('link', { name: 'Ajouter un utilisateur à mon espace entreprise' }).click();
      await page.getByRole('heading', { name: 'Ajouter un utilisateur à mon espace entreprise' }).waitFor();
      await assertNoViolations(page, on);
      // Errors first: messages beside the fields, values kept.
      await page.getByLabel('Prénom').fill('Chloé');
      await page.getByRole('button', { name: "Ajouter l'utilisateur" }).click();
      await page.getByText('Saisissez le nom.').first().waitFor();
      assert.equal(await page.getByLabel('Prénom').inputValue(), 'Chloé');
      await assertNoViolations(page, on);
      const email = on ? 'chloe.on@alpha.example' : 'chloe.off@alpha.example';
      await page.locator('#last_name').fill('Petit');
      await page.getByLabel('Adresse e-mail').fill(email);
      await page.getByRole('group', { name: 'Alpha Immobilier' }).getByLabel('Utilisateur').check();
      await page.getByRole('button', { name: "Ajouter l'utilisateur" }).click();
      await page.getByText('Chloé Petit a été ajouté(e)').waitFor();
      const row = page.locator('tr', { hasText: email });
      assertIncludes(await row.innerText(), 'Invitation envoyée');
      assert.ok(await b.t.db('outbox').where({ recipient: email }).first(), 'invitation emailed');

      await row.locator('summary').click();
      await row.getByRole('button', { name: 'Renvoyer le lien de création du mot de passe' }).click();
      await page.getByText(`Un nouveau lien de création de mot de passe a été envoyé à ${email}`).waitFor();
      assert.equal((await b.t.db('outbox').where({ recipient: email })).length, 2);

      const hugo = on ? 'hugo.on@alpha.example' : 'hugo.off@alpha.example';
      const hugoRow = page.locator('tr', { hasText: hugo });
      await hugoRow.locator('summary').click();
      await hugoRow.getByRole('link', { name: 'Désactiver provisoirement' }).click();
      await page.getByRole('heading', { name: "Désactiver provisoirement l'accès" }).waitFor();
      await assertNoViolations(page, on);
      await page.getByRole('button', { name: 'Désactiver provisoirement' }).click();
      await page.getByText('est suspendu provisoirement').waitFor();
      assertIncludes(await page.locator('tr', { hasText: hugo }).innerText(), 'Suspendu');
      await page.locator('tr', { hasText: hugo }).locator('summary').click();
      await page.locator('tr', { hasText: hugo }).getByRole('button', { name: "Réactiver l'accès" }).click();
      await page.getByText('est réactivé').waitFor();
      assertIncludes(await page.locator('tr', { hasText: hugo }).innerText(), 'Actif');
      await assertNoViolations(page, on);
      await page.close();
    });

    test(`file import: French-Excel CSV with an error, preview, fix nothing and confirm the valid lines (${mode})`, async () => {
      const page = await logIn(on ? b.jsOn : b.jsOff);
      await page.goto(`${b.baseUrl}/entreprise/profil`);
      await assertNoViolations(page, on);
      await page.getByRole('link', { name: 'Ajouter plusieurs établissements (fichier)' }).click();
      await page.getByRole('heading', { name: 'Ajouter plusieurs établissements (fichier)' }).waitFor();
      await assertNoViolations(page, on);
      const [first, second] = on ? [alpha.establishments[2], alpha.establishments[3]] : [alpha.establishments[4], alpha.establishments[5]];
      const bytes = establishmentCsvBytes(
        [
          [first.siret, first.code],
          [breakLuhn(second.siret), second.code],
          [second.siret, second.code],
        ],
        { encoding: 'windows-1252', separator: ';' },
      );
      await page.getByLabel('Fichier des établissements').setInputFiles({ name: 'établissements.csv', mimeType: 'text/csv', buffer: bytes });
      await page.getByRole('button', { name: 'Envoyer le fichier' }).click();
      await page.getByRole('heading', { name: "Aperçu avant l'import" }).waitFor();
      const text = await page.locator('main').innerText();
      assertIncludes(text, '2 établissements à ajouter', text);
      assertIncludes(text, '1 ligne en erreur');
      assertIncludes(text, 'Le numéro de SIRET est invalide.');
      await assertNoViolations(page, on);
      await page.getByRole('button', { name: "Confirmer l'ajout de 2 établissements" }).click();
      await page.getByText('2 établissements ont été ajoutés').waitFor();
      await assertNoViolations(page, on);
      await page.getByRole('link', { name: 'Voir mon périmètre suivi' }).click();
      await page.getByText(first.name).waitFor();
      await page.close();
    });
  }
});

// « Entreprises » of the Espace Gestion in Chromium, JavaScript off (plain forms, POST → 303 → GET)
// and on (htmx search and « Ajouter une ligne »): staff create a company (a wrong SIREN first: the
// message beside the field, the values kept), an establishment, a contract with its guarantees,
// and print the activation letter. axe on every page, nothing wider than 1280 px.
// The HR activation with the letter's SIRET and identifiant: test/http/gestion-companies.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { assertPageInMode, browserSkipReason, logInThroughPages, startBrowserHarness, type BrowserHarness } from './browser.js';
import { createAccount, PASSWORD } from '../helpers/fixtures.js';
import { generateSiren, generateSiret } from '../../src/domain/siret.js';
import { isIdentifier } from '../../src/domain/company-identifiers.js';

const skip = browserSkipReason();
const STAFF = { email: 'agent.entreprises@exemple.fr', mobile: '+33639980971' };

describe('« Entreprises » in Chromium', { skip, timeout: 300_000 }, () => {
  let b: BrowserHarness;
  const contexts: BrowserContext[] = [];

  before(async () => {
    b = await startBrowserHarness(async (t) => {
      await createAccount(t.db, { kind: 'staff', email: STAFF.email, mobile: STAFF.mobile, firstName: 'Claire' });
    });
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await b?.close();
  });

  async function newContext(on: boolean): Promise<BrowserContext> {
    const context = await b.browser.newContext({
      javaScriptEnabled: on,
      bypassCSP: on,
      locale: 'fr-FR',
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
    });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    return context;
  }

  const checkPage = (page: Page, on: boolean) => assertPageInMode(b, page, on);

  for (const on of [false, true]) {
    const mode = on ? 'JS on' : 'JS off';
    const name = `Fromagerie Dépôt ${on ? 'Nord' : 'Sud'}`;
    const siren = generateSiren(on ? '71111111' : '72222222');
    const reference = on ? 'CT-FROM-N' : 'CT-FROM-S';

    test(`a company, an establishment, a contract with guarantees, the letter (${mode})`, async () => {
      const page = await logInThroughPages(b, await newContext(on), 'gestion', STAFF.email, STAFF.mobile, PASSWORD);
      await page.getByRole('link', { name: 'Entreprises', exact: true }).first().click();
      await page.getByRole('heading', { level: 1, name: 'Entreprises clientes' }).waitFor();
      await checkPage(page, on);

      // The company: a wrong SIREN first.
      await page.getByRole('link', { name: 'Créer une entreprise cliente' }).click();
      await page.getByRole('heading', { level: 1, name: 'Créer une entreprise cliente' }).waitFor();
      await checkPage(page, on);
      await page.getByLabel('Raison sociale').fill(name);
      await page.getByLabel('Numéro de SIREN').fill(`${siren.slice(0, 8)}${(Number(siren[8]) + 1) % 10}`);
      await page.getByLabel('Adresse (numéro et voie)').fill('12 quai de Saône');
      await page.getByLabel('Code postal').fill('69009');
      await page.getByLabel('Ville').fill('Lyon');
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.locator('#siren-error').filter({ hasText: 'Le numéro de SIREN est invalide.' }).waitFor();
      assert.equal(await page.getByLabel('Raison sociale').inputValue(), name);
      await checkPage(page, on);
      await page.getByLabel('Numéro de SIREN').fill(siren);
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.getByRole('heading', { level: 1, name }).waitFor();
      const company = await b.t.db('companies').where({ siren }).first();
      assert.ok(isIdentifier(company.insurer_company_number));
      await page.getByText(`Son identifiant entreprise : ${company.insurer_company_number}.`).waitFor();
      await checkPage(page, on);

      // The search finds it without its accent.
      await page.getByRole('link', { name: 'Entreprises clientes' }).first().click();
      await page.getByRole('textbox', { name: 'Rechercher une entreprise' }).fill(on ? 'fromagerie depot nord' : 'depot sud');
      await page.getByRole('button', { name: 'Rechercher' }).click();
      await page.getByText('1 entreprise', { exact: true }).waitFor();
      await checkPage(page, on);
      await page.getByRole('link', { name }).click();
      await page.getByRole('heading', { level: 1, name }).waitFor();

      // An establishment.
      await page.getByRole('link', { name: 'Ajouter un établissement' }).click();
      await page.getByRole('heading', { level: 1, name: 'Ajouter un établissement' }).waitFor();
      await checkPage(page, on);
      await page.getByLabel("Nom de l'établissement").fill(`${name} — Lyon`);
      await page.getByLabel("Numéro de SIRET de l'établissement").fill(generateSiret(siren, '0002'));
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.getByText("L'établissement est créé.").waitFor();
      const establishment = await b.t.db('establishments').where({ company_id: company.id }).first();
      await page.getByRole('cell', { name: establishment.insurer_code }).waitFor();

      // A contract, then its guarantees.
      await page.getByRole('link', { name: 'Ajouter un contrat' }).click();
      await page.getByRole('heading', { level: 1, name: 'Ajouter un contrat' }).waitFor();
      await checkPage(page, on);
      await page.getByLabel('Référence du contrat').fill(reference);
      await page.getByLabel('Libellé').fill('Frais de santé — Non-cadres');
      await page.getByLabel('Non-cadres').check();
      await page.getByLabel('Formule').fill('Essentielle');
      await page.getByLabel("Date d'effet").fill('01/01/2026');
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.getByRole('heading', { level: 1, name: `Garanties du contrat ${reference}` }).waitFor();
      await checkPage(page, on);
      await page.getByRole('button', { name: 'Ajouter une ligne' }).click();
      await page.getByRole('group', { name: 'Ligne 4' }).waitFor();
      const line = (n: number) => page.getByRole('group', { name: `Ligne ${n}`, exact: true });
      await line(1).getByLabel('Catégorie de soins').selectOption({ label: 'Hospitalisation' });
      await line(1).getByLabel('Garantie').fill('Honoraires');
      await line(1).getByLabel('Remboursement (tel que lu par l’assuré)').fill('200 % BR – RSS');
      await line(1).getByLabel('% de la BR').fill('200');
      await line(4).getByLabel('Catégorie de soins').selectOption({ label: 'Optique' });
      await line(4).getByLabel('Garantie').fill('Monture et verres');
      await line(4).getByLabel('Remboursement (tel que lu par l’assuré)').fill('Forfait 150 € par an');
      await line(4).getByLabel('Forfait (€)').fill('150');
      await checkPage(page, on);
      await page.getByRole('button', { name: 'Enregistrer ces garanties' }).click();
      await page.getByText('Les garanties sont enregistrées à compter du 01/01/2026.').waitFor();
      await page.getByRole('cell', { name: 'Forfait 150 € par an' }).waitFor();
      await checkPage(page, on);
      const contract = await b.t.db('contracts').where({ reference }).first();
      const saved = await b.t.db('guarantee_lines').where({ contract_id: contract.id }).orderBy('position');
      assert.deepEqual(
        saved.map((g) => [g.category, g.br_percent, g.flat_amount_cents, g.effective_from]),
        [
          ['hospitalisation', 200, null, '2026-01-01'],
          ['optique', null, 15000, '2026-01-01'],
        ],
      );

      // The letter.
      await page.getByRole('link', { name }).first().click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: "Imprimer la lettre d'activation (PDF)" }).click()]);
      assert.equal(download.suggestedFilename(), `lettre-activation-${company.insurer_company_number}.pdf`);
      const file = await download.path();
      assert.ok(file);
    });
  }
});

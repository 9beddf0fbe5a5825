// « Saisir le bulletin papier » in Chromium: a staff agent finds a Courrier request in
// « Bulletins papier à saisir », saves with a mistake first (errors next to the fields, values
// kept), then completes the form with the two documents and the confirmation; the request is
// finalized and its detail says it was typed from the paper form — JS off (plain multipart POSTs)
// and JS on, axe on every step.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import {
  assertNoViolations,
  axeViolations,
  formatViolations,
  browserSkipReason,
  logInThroughPages,
  startBrowserHarness,
  type BrowserHarness,
} from './browser.js';
import { createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { createAccount, PASSWORD } from '../helpers/fixtures.js';
import { createAffiliationRequest } from '../helpers/affiliation-requests.js';
import { PDF_BYTES, PNG_BYTES } from '../helpers/finalized-requests.js';
import { nirKey } from '../../src/domain/nir.js';

const skip = browserSkipReason();

describe('Saisir le bulletin papier in Chromium', { skip, timeout: 240_000 }, () => {
  let b: BrowserHarness;
  let company: TestCompany;
  const agent = { email: 'agent.papier@tilleul.example', mobile: '+33612340301' };
  const requests: Record<string, { id: number; nir15: string; lastName: string }> = {};
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      company = await createHrCompany(t.db, 'Papier Navigateur', 1);
      const hr = await createHrUser(t.db, [{ company, role: 'admin' }], { mobile: '+33612340302' });
      await createAccount(t.db, { kind: 'staff', ...agent, firstName: 'Claire' });
      for (const [key, lastName] of [
        ['off', 'Courrier'],
        ['on', 'Postal'],
      ] as const) {
        const { id } = await createAffiliationRequest(t.db, t.clock(), { company, mode: 'courrier', createdBy: hr.id, lastName });
        const row = await t.db('affiliation_requests').where({ id }).first('nir');
        requests[key] = { id, lastName, nir15: row.nir + String(nirKey(row.nir)).padStart(2, '0') };
      }
    });
  });
  after(async () => {
    await b?.close();
  });

  /**
   * axe needs JavaScript: a page seen with JavaScript off (a POST's answer cannot be fetched
   * again) is checked as the exact HTML it received, written into a JavaScript-on page of the
   * same origin so its stylesheets load.
   */
  async function assertNoViolationsAnyMode(page: Page, on: boolean): Promise<void> {
    if (on) return assertNoViolations(page, on);
    const html = await page.content();
    const probe = await b.jsOn.newPage();
    try {
      await probe.goto(`${b.baseUrl}/gestion`);
      await probe.setContent(html, { waitUntil: 'load' });
      const violations = await axeViolations(probe);
      assert.equal(violations.length, 0, `${page.url()} (JS off)\n${formatViolations(violations)}`);
    } finally {
      await probe.close();
    }
  }

  for (const on of [false, true]) {
    const mode = on ? 'JS on' : 'JS off';
    test(`find the request, an error first, then the complete bulletin (${mode})`, async () => {
      const context: BrowserContext = on ? b.jsOn : b.jsOff;
      const typed = requests[on ? 'on' : 'off'];
      const page = await logInThroughPages(b, context, 'gestion', agent.email, agent.mobile, PASSWORD);
      await page.getByRole('navigation', { name: 'Navigation de gestion' }).getByRole('link', { name: 'Affiliations' }).click();
      await page.getByRole('link', { name: /Bulletins papier à saisir/ }).click();
      await page.getByRole('link', { name: `Saisir le bulletin papier de Léa ${typed.lastName}` }).click();
      await page.getByRole('heading', { level: 1, name: 'Saisir le bulletin papier' }).waitFor();
      await assertNoViolationsAnyMode(page, on);

      // What the employee wrote, with a wrong postal code and no confirmation yet.
      await page.getByRole('group', { name: 'Civilité', exact: true }).getByLabel('Madame').check();
      await page.locator('#nir').fill(typed.nir15);
      await page.getByLabel('Numéro et voie').fill('8 allées de Tourny');
      await page.getByLabel('Code postal').fill('330');
      await page.getByLabel('Ville').fill('Bordeaux');
      await page.getByLabel('Téléphone mobile').fill('06 12 34 56 78');
      await page.getByLabel('IBAN').fill('FR76 3000 6000 0112 3456 7890 189');
      await page.getByLabel('Titulaire du compte').fill(`Léa ${typed.lastName}`);
      await page.getByLabel("Code de votre organisme d'assurance maladie").fill('013310000');
      await page
        .getByRole('group', { name: /télétransmission/ })
        .getByLabel('Non')
        .check();
      await page.locator('#document_rib').setInputFiles({ name: 'rib.pdf', mimeType: 'application/pdf', buffer: PDF_BYTES });
      await page.getByRole('button', { name: 'Enregistrer le bulletin' }).click();
      await page.locator('#code_postal-error').waitFor();
      assert.ok(await page.locator('#confirmation_papier-error').isVisible(), 'the confirmation is asked for');
      assert.equal(await page.getByLabel('Ville').inputValue(), 'Bordeaux');
      assert.equal(await page.getByLabel('Code postal').inputValue(), '330');
      assert.ok(await page.getByText('rib.pdf').isVisible(), 'the RIB received is kept');
      await assertNoViolationsAnyMode(page, on);

      await page.getByLabel('Code postal').fill('33000');
      await page.locator('#document_attestation').setInputFiles({ name: 'attestation.png', mimeType: 'image/png', buffer: PNG_BYTES });
      await page.getByLabel(/Je certifie avoir saisi fidèlement le bulletin individuel d'affiliation papier/).check();
      await page.getByRole('button', { name: 'Enregistrer le bulletin' }).click();
      await page.getByText(`Le bulletin papier de Léa ${typed.lastName} est enregistré`).waitFor();
      await page.getByRole('heading', { level: 1, name: `Demande d'affiliation de Léa ${typed.lastName}` }).waitFor();
      assert.ok(await page.getByText("Formulaire saisi par l'assureur à partir du bulletin d'affiliation papier signé par le salarié").isVisible());
      await assertNoViolationsAnyMode(page, on);
      const row = await b.t.db('affiliation_requests').where({ id: typed.id }).first();
      assert.equal(row.status, 'finalized');
      assert.equal(
        await b.t
          .db('affiliation_request_documents')
          .where({ request_id: typed.id })
          .count({ n: '*' })
          .first()
          .then((r) => Number(r?.n)),
        2,
      );
      await page.close();
    });
  }
});

// The employee's online affiliation form in Chromium, JS off and on (axe on every screen): the
// birth-date check with an error, a draft with a document, then « Transmettre » with an error
// first and the fix.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoViolations, browserSkipReason, startBrowserHarness, type BrowserHarness } from './browser.js';
import { createHrCompany, createHrUser } from '../helpers/entreprise.js';
import { makeFrenchIban } from '../../src/domain/iban.js';
import { newAffiliationLink } from '../../src/domain/affiliation-requests.js';
import { nirKey } from '../../src/domain/nir.js';
import { assertIncludes } from '../helpers/assertions.js';

const skip = browserSkipReason();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

describe('Affiliation en ligne in Chromium', { skip, timeout: 240_000 }, () => {
  let b: BrowserHarness;
  const links: Record<string, string> = {};
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      const alpha = await createHrCompany(t.db, 'Alpha Immobilier', 1);
      const hr = await createHrUser(t.db, [{ company: alpha, role: 'admin' }]);
      for (const [mode, order] of [
        ['off', '601'],
        ['on', '602'],
      ] as const) {
        const link = newAffiliationLink(t.clock());
        const at = t.clock().toISOString();
        await t.db('affiliation_requests').insert({
          company_id: alpha.companyId,
          establishment_id: alpha.establishments[0].id,
          created_by_account_id: hr.id,
          mode: 'email',
          status: 'sent',
          professional_status: 'non_cadre',
          nir: `2960433063${order}`,
          last_name: 'Fontaine',
          first_name: 'Léa',
          email: `lea.${mode}@exemple.fr`,
          birth_date: '1996-04-12',
          entry_date: '2026-12-01',
          affiliation_date: '2026-12-01',
          employment_contract_type: 'CDI',
          employment_start_date: '2026-12-01',
          company_status: 'salarie',
          token_hash: link.tokenHash,
          token_expires_at: link.expiresAt,
          created_at: at,
          updated_at: at,
        });
        links[mode] = `/affiliation/${link.token}`;
      }
    });
  });
  after(async () => {
    await b?.close();
  });

  for (const on of [false, true]) {
    const mode = on ? 'JS on' : 'JS off';
    test(`birth date, draft with a document, come back, transmit (${mode})`, async () => {
      const link = links[on ? 'on' : 'off'];
      const nir13 = `2960433063${on ? '602' : '601'}`;
      const page = await (on ? b.jsOn : b.jsOff).newPage();
      await page.goto(`${b.baseUrl}${link}`);
      await assertNoViolations(page, on);
      await page.getByLabel('Votre date de naissance').fill('13/04/1996');
      await page.getByRole('button', { name: 'Accéder à mon formulaire' }).click();
      await page.getByText('Il vous reste 4 essais').first().waitFor();
      await assertNoViolations(page, on);
      await page.getByLabel('Votre date de naissance').fill('12/04/1996');
      await page.getByRole('button', { name: 'Accéder à mon formulaire' }).click();
      await page.getByRole('heading', { name: "Mon formulaire d'affiliation" }).waitFor();
      await assertNoViolations(page, on);

      await page.locator('#adresse1').fill('12 rue Sainte-Catherine');
      await page.locator('#code_postal').fill('33000');
      await page.locator('#ville').fill('Bordeaux');
      await page.locator('#document_rib').setInputFiles({ name: 'rib.pdf', mimeType: 'application/pdf', buffer: PDF });
      await page.getByRole('button', { name: 'Enregistrer le brouillon', exact: true }).click();
      await page.getByText('Votre brouillon est enregistré').waitFor();
      assertIncludes(await page.locator('main').innerText(), 'rib.pdf');
      await page.close();

      // Later, from the email again: the birth date, and the draft is there.
      const again = await b.browser.newContext({ javaScriptEnabled: on, locale: 'fr-FR', bypassCSP: on });
      const later = await again.newPage();
      later.setDefaultTimeout(10_000);
      await later.goto(`${b.baseUrl}${link}`);
      await later.getByLabel('Votre date de naissance').fill('12/04/1996');
      await later.getByRole('button', { name: 'Accéder à mon formulaire' }).click();
      await later.getByRole('heading', { name: "Mon formulaire d'affiliation" }).waitFor();
      assert.equal(await later.locator('#adresse1').inputValue(), '12 rue Sainte-Catherine');
      await later.locator('#nir').fill(nir13);
      await later.getByRole('button', { name: 'Transmettre' }).click();
      await later.getByText('Saisissez les 15 chiffres de votre numéro de Sécurité sociale').first().waitFor();
      await assertNoViolations(later, on);
      await later.locator('#nir').fill(nir13 + String(nirKey(nir13)).padStart(2, '0'));
      await later.locator('#iban').fill(makeFrenchIban('30004', '00031', '00012345678'));
      await later.locator('#titulaire').fill('Léa Fontaine');
      await later.locator('#code_organisme').fill('013310000');
      await later
        .getByRole('group', { name: /télétransmission/ })
        .getByLabel('Oui')
        .check();
      await later.locator('#document_attestation').setInputFiles({ name: 'attestation.pdf', mimeType: 'application/pdf', buffer: PDF });
      await later.locator('#consentement').check();
      await later.getByRole('button', { name: 'Transmettre' }).click();
      await later.getByRole('heading', { name: 'Merci Léa, votre formulaire est transmis' }).waitFor();
      await assertNoViolations(later, on);
      const row = await b.t
        .db('affiliation_requests')
        .where({ email: `lea.${on ? 'on' : 'off'}@exemple.fr` })
        .first();
      assert.equal(row.status, 'finalized');
      await again.close();
    });
  }
});

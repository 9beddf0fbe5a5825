// The « Done when » of the affiliation issue, on the demo data and with JavaScript off: the demo
// HR administrator pre-affiliates a new employee; the employee opens the emailed link from
// /dev/outbox, saves a draft, comes back, submits; the insurer's staff validates; the new member
// activates the Espace Assuré and logs in.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { browserSkipReason, logInThroughPages, startDemoBrowserHarness, type BrowserHarness } from './browser.js';
import { activateMemberSpace, preAffiliateThroughPages } from './journeys.js';
import { codeIn, linkIn } from '../helpers/fixtures.js';
import { DEMO_FACTS } from '../../db/seeds/demo/index.js';
import { makeFrenchIban } from '../../src/domain/iban.js';
import { nirKey } from '../../src/domain/nir.js';

const skip = browserSkipReason();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const EMPLOYEE = {
  email: 'nora.vidal@demo.example',
  mobile: '+33612345679',
  nir13: '2960433063777',
  birth: '12/04/1996',
  password: 'phare lagune cerisier boussole',
};

describe('the whole affiliation journey on the demo data, JavaScript off', { skip, timeout: 300_000 }, () => {
  let b: BrowserHarness;
  before(async () => {
    b = await startDemoBrowserHarness();
  });
  after(async () => {
    await b?.close();
  });

  async function freshContext(): Promise<BrowserContext> {
    const context = await b.browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
    context.setDefaultTimeout(10_000);
    return context;
  }

  async function openForm(page: Page, link: string) {
    await page.goto(`${b.baseUrl}${link}`);
    await page.getByLabel('Votre date de naissance').fill(EMPLOYEE.birth);
    await page.getByRole('button', { name: 'Accéder à mon formulaire' }).click();
    await page.getByRole('heading', { name: "Mon formulaire d'affiliation" }).waitFor();
  }

  test('HR pre-affiliates → the employee drafts, comes back, submits → staff validates → the member activates and logs in', async () => {
    // 1. The demo HR administrator, « Pré-affiliation ».
    const hrContext = await freshContext();
    const hr = await logInThroughPages(b, hrContext, 'entreprise', DEMO_FACTS.hrAdmin.email, '+262639980301', DEMO_FACTS.password);
    await preAffiliateThroughPages(
      hr,
      { nir13: EMPLOYEE.nir13, lastName: 'Vidal', firstName: 'Nora', email: EMPLOYEE.email, birth: EMPLOYEE.birth },
      '01/12/2026',
    );
    await hrContext.close();

    // 2. The employee: the email in /dev/outbox, a draft with the RIB.
    const first = await freshContext();
    const employee = await first.newPage();
    await employee.goto(`${b.baseUrl}/dev/outbox`);
    await employee.locator('tr', { hasText: EMPLOYEE.email }).first().getByRole('link').click();
    const link = linkIn(await employee.locator('.message-body').innerText());
    assert.match(link, /^\/affiliation\//);
    await openForm(employee, link);
    await employee.locator('#adresse1').fill('8 rue des Tanneurs');
    await employee.locator('#code_postal').fill('69002');
    await employee.locator('#ville').fill('Lyon');
    await employee.locator('#mobile').fill('06 12 34 56 79');
    await employee.locator('#document_rib').setInputFiles({ name: 'rib.pdf', mimeType: 'application/pdf', buffer: PDF });
    await employee.getByRole('button', { name: 'Enregistrer le brouillon', exact: true }).click();
    await employee.getByText('Votre brouillon est enregistré').waitFor();
    await first.close();

    // 3. Later, from another browser: the draft is there; complete and transmit.
    const second = await freshContext();
    const back = await second.newPage();
    await openForm(back, link);
    assert.equal(await back.locator('#ville').inputValue(), 'Lyon');
    await back.locator('#nir').fill(EMPLOYEE.nir13 + String(nirKey(EMPLOYEE.nir13)).padStart(2, '0'));
    await back.locator('#iban').fill(makeFrenchIban('30004', '00031', '00012345678'));
    await back.locator('#titulaire').fill('Nora Vidal');
    await back.locator('#code_organisme').fill('016910000');
    await back
      .getByRole('group', { name: /télétransmission/ })
      .getByLabel('Oui')
      .check();
    await back.locator('#document_attestation').setInputFiles({ name: 'attestation.pdf', mimeType: 'application/pdf', buffer: PDF });
    await back.locator('#consentement').check();
    await back.getByRole('button', { name: 'Transmettre' }).click();
    await back.getByRole('heading', { name: 'Merci Nora, votre formulaire est transmis' }).waitFor();
    await second.close();

    // 4. The insurer's staff validates.
    const staffContext = await freshContext();
    const staff = await logInThroughPages(b, staffContext, 'gestion', DEMO_FACTS.staff.email, '+262639980304', DEMO_FACTS.password);
    await staff.getByRole('link', { name: 'Affiliations' }).first().click();
    await staff.getByRole('link', { name: 'Nora Vidal' }).click();
    await staff.getByRole('button', { name: "Valider l'affiliation" }).click();
    await staff.getByText("L'affiliation de Nora Vidal est validée : adhérent n°").waitFor();
    await staffContext.close();

    // 5. The new member activates the Espace Assuré (code by email) and logs in.
    const memberContext = await freshContext();
    const member = await memberContext.newPage();
    // The code step shows once the server has sent the code: only then is it in the outbox.
    await activateMemberSpace(member, b.baseUrl, EMPLOYEE.email, EMPLOYEE.password, async () => {
      const code = await b.t.db('outbox').where({ recipient: EMPLOYEE.email }).orderBy('id', 'desc').first();
      return codeIn(code.body_text);
    });
    await member.close();
    const home = await logInThroughPages(b, memberContext, 'assure', EMPLOYEE.email, EMPLOYEE.mobile, EMPLOYEE.password);
    await home.getByText('Nora').first().waitFor();
    assert.ok(home.url().endsWith('/assure/accueil'));
    await memberContext.close();
  });
});

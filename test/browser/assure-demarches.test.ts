// Démarches in Chromium: with JavaScript off, a demande de remboursement with
// two files, a missing document added, the answer and the timeline; a devis estimated with
// « Calculer » and sent with its file kept. With JavaScript on, the estimate updates as the member
// types; axe finds nothing on every page; nothing is wider than 1280 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { staffRequestAction } from '../../src/correspondence/service.js';
import { createOutbox } from '../../src/stores/outbox.js';
import {
  axeViolations,
  browserSkipReason,
  formatViolations,
  hasNoHorizontalOverflow,
  logInThroughPages,
  startBrowserHarness,
  type BrowserHarness,
} from './browser.js';
import { createAccount, PASSWORD } from '../helpers/fixtures.js';
import { createFamily, type Family, withDemoGuaranteesAndUsedLensCap } from '../helpers/family.js';
import { assertIncludes } from '../helpers/assertions.js';
import { fileStoreFor } from '../../src/storage/from-config.js';

const skip = browserSkipReason();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const pdf = (name: string) => ({ name, mimeType: 'application/pdf', buffer: PDF });

describe('Démarches in Chromium', { skip, timeout: 300_000 }, () => {
  let b: BrowserHarness;
  let marie: Family;
  let staff: { id: number };
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      marie = await createFamily(t.db, { firstName: 'Marie', lastName: 'Lefebvre', statements: 0 });
      staff = await createAccount(t.db, { kind: 'staff', firstName: 'Claire' });
      await withDemoGuaranteesAndUsedLensCap(t.db, marie);
    });
  });
  after(async () => {
    await b?.close();
  });

  const logIn = (context: BrowserContext): Promise<Page> => logInThroughPages(b, context, 'assure', marie.email, marie.mobile, PASSWORD);
  const ctx = () => ({
    config: b.t.config,
    db: b.t.db,
    clock: b.t.clock,
    outbox: createOutbox(b.t.config, b.t.db, b.t.clock),
    files: fileStoreFor(b.t.config),
  });
  const asStaff = () => ({ side: 'staff' as const, accountId: staff.id });

  async function checkPage(page: Page, where: string) {
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `${where}\n${formatViolations(violations)}`);
    assert.ok(await hasNoHorizontalOverflow(page), `${where}: nothing wider than 1280 px`);
  }

  test('JavaScript off: a remboursement with two files, a missing document, the answer and the timeline; a devis with « Calculer »', async () => {
    const page = await logIn(b.jsOff);
    await page.getByRole('link', { name: 'Demande de remboursements' }).click();
    await page.waitForURL('**/assure/demarches/remboursement');
    await page.getByRole('heading', { level: 1, name: 'Demande de remboursement' }).waitFor();
    // Nothing chosen: the messages next to the fields, the message typed kept.
    await page.getByLabel('Votre message (facultatif)').fill('Lunettes de Léo');
    await page.getByRole('button', { name: 'Transmettre ma demande de remboursement' }).click();
    await page.locator('#objet-error').getByText("Choisissez l'objet de votre demande.").waitFor();
    assert.equal(await page.getByLabel('Votre message (facultatif)').inputValue(), 'Lunettes de Léo');
    await page.getByLabel('Optique achetée hors réseau').check();
    await page.getByLabel('Bénéficiaire des soins').selectOption({ label: 'Léo Lefebvre' });
    await page.locator('#documents').setInputFiles([pdf('facture.pdf'), { name: 'ordonnance.png', mimeType: 'image/png', buffer: PNG }]);
    await page.getByRole('button', { name: 'Transmettre ma demande de remboursement' }).click();
    await page.waitForURL(/\/assure\/demarches\/demandes\/\d+$/);
    await page.getByText(/est transmise sous la référence DR-2026-\d{6}/).waitFor();
    const id = Number(page.url().split('/').pop());
    assert.ok(await page.getByRole('link', { name: 'facture.pdf' }).isVisible());
    assert.ok(await page.getByRole('link', { name: 'ordonnance.png' }).isVisible());

    // The insurer asks for a document; Marie adds it to the same request.
    assert.ok((await staffRequestAction(ctx(), asStaff(), id, { type: 'ask_document', documents: 'La prescription médicale' })).ok);
    await page.reload();
    await page.getByText('Documents demandés : La prescription médicale').first().waitFor();
    await page.locator('#documents').setInputFiles([pdf('prescription.pdf')]);
    await page.getByRole('button', { name: 'Ajouter les documents manquants' }).click();
    await page.getByText(/Vos documents sont ajoutés à la demande DR-2026-/).waitFor();
    assert.ok((await staffRequestAction(ctx(), asStaff(), id, { type: 'accept', amountCents: 4250, paymentDay: '2026-11-27' })).ok);
    await page.reload();
    await page.getByText('42,50 €').first().waitFor();
    const timeline = await page.locator('.tracking-history').innerText();
    for (const step of ['Demande reçue', 'Document manquant demandé', 'Documents manquants ajoutés', 'Demande prise en charge', 'Demande traitée'])
      assertIncludes(timeline, step, step);

    // A devis: « Calculer » shows the estimate, the file chosen stays joined, then it is sent.
    await page.goto(`${b.baseUrl}/assure/demarches`);
    await page.getByRole('link', { name: 'Transmettre un devis' }).click();
    await page.waitForURL('**/assure/demarches/devis');
    await page.getByLabel('Objet de votre demande de devis').selectOption({ label: 'Optique' });
    await page.getByLabel('Bénéficiaire des soins').selectOption({ label: 'Léo Lefebvre' });
    await page.locator('#ligne_1_acte').selectOption('lentilles');
    await page.locator('#ligne_1_montant').fill('180');
    await page.locator('#documents').setInputFiles([pdf('devis-opticien.pdf')]);
    await page.getByRole('button', { name: 'Calculer' }).click();
    await page.getByText('Il vous reste 46,31 € à payer sur 180,00 €.').waitFor();
    assert.ok(await page.getByText('devis-opticien.pdf').isVisible(), 'the file is kept');
    assert.equal(await page.locator('#ligne_1_montant').inputValue(), '180');
    await page.getByLabel('Votre message').fill('Merci');
    await page.getByRole('button', { name: 'Transmettre ma demande de devis' }).click();
    await page.waitForURL(/\/assure\/demarches\/demandes\/\d+$/);
    await page.getByText(/est transmise sous la référence DV-2026-\d{6}/).waitFor();
    await page.getByRole('heading', { name: 'Votre estimation transmise avec le devis' }).waitFor();
    assert.ok(await page.getByRole('link', { name: 'devis-opticien.pdf' }).isVisible());

    await page.getByRole('link', { name: 'Mes demandes' }).click();
    await page.waitForURL('**/assure/demarches/demandes');
    const list = await page.locator('table').innerText();
    assert.match(list, /DR-2026-\d{6}/);
    assert.match(list, /DV-2026-\d{6}/);
    assert.ok(list.includes('Traitée') && list.includes('Reçue'));
    await page.close();
  });

  test('JavaScript on: the estimate updates as the member types; axe clean, nothing wider than 1280 px', async () => {
    const page = await logIn(b.jsOn);
    await page.goto(`${b.baseUrl}/assure/demarches`);
    await checkPage(page, 'Démarches');
    await page.goto(`${b.baseUrl}/assure/demarches/devis`);
    await checkPage(page, 'Transmettre un devis');
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    await page.getByLabel('Objet de votre demande de devis').selectOption({ label: 'Optique' });
    await page.getByLabel('Bénéficiaire des soins').selectOption({ label: 'Léo Lefebvre' });
    await page.locator('#ligne_1_acte').selectOption('lentilles');
    await page.locator('#ligne_1_montant').pressSequentially('180', { delay: 30 });
    await page.getByText('Il vous reste 46,31 € à payer sur 180,00 €.').waitFor();
    await page.locator('#ligne_2_acte').selectOption('optique_simples');
    await page.locator('#ligne_2_montant').pressSequentially('350', { delay: 30 });
    await page.getByText('Il vous resterait 96,22 € à payer.', { exact: false }).waitFor();
    assert.ok(
      await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true),
      'no navigation: the estimate was swapped in place',
    );
    await checkPage(page, 'devis with its estimate');

    await page.goto(`${b.baseUrl}/assure/demarches/remboursement`);
    await checkPage(page, 'Demande de remboursement');
    await page.getByRole('button', { name: 'Transmettre ma demande de remboursement' }).click();
    await page.locator('#documents-error').waitFor();
    await checkPage(page, 'Demande de remboursement with its errors');

    await page.goto(`${b.baseUrl}/assure/demarches/demandes`);
    await checkPage(page, 'Mes demandes');
    await page.locator('table a').first().click();
    await page.waitForURL(/\/assure\/demarches\/demandes\/\d+$/);
    await page.getByRole('heading', { name: 'Suivi de votre demande' }).waitFor();
    await checkPage(page, 'a request with its timeline');
    // A request waiting for a document, with its form.
    const [missing] = await b.t.db('requests').where({ member_id: marie.memberId }).orderBy('id', 'desc').pluck('id');
    assert.ok((await staffRequestAction(ctx(), asStaff(), missing, { type: 'ask_document', documents: 'Le devis signé' })).ok);
    await page.goto(`${b.baseUrl}/assure/demarches/demandes/${missing}`);
    await page.getByRole('heading', { name: 'Ajouter les documents manquants' }).waitFor();
    await checkPage(page, 'a request waiting for a document');
    await page.close();
  });
});

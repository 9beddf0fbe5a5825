// The staff inbox in Chromium, JavaScript off and on (axe on every step, 1280 px wide): a staff
// member filters the inbox, asks for a missing document on a remboursement (the error beside the
// field first), accepts it with an amount once the member has added it, answers a devis from the
// member's estimate, confirms a télétransmission activation, and replies to a message with a file
// (the message forgotten first: the file stays joined for the next sending).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { AppContext } from '../../src/context.js';
import { addMissingDocuments, createRequest, createThread, requestTeletransmissionChange, type MemberActor } from '../../src/correspondence/service.js';
import { createOutbox } from '../../src/stores/outbox.js';
import { assertNoViolations, browserSkipReason, hasNoHorizontalOverflow, logInThroughPages, startBrowserHarness, type BrowserHarness } from './browser.js';
import { createFamily, type Family } from '../helpers/family.js';
import { createAccount, PASSWORD } from '../helpers/fixtures.js';
import { fileStoreFor } from '../../src/storage/from-config.js';

const skip = browserSkipReason();
const PDF = Buffer.from('%PDF-1.4\n%test\n%%EOF\n');

interface Items {
  remboursement: { id: number; reference: string };
  devis: { id: number; reference: string };
  teletransmission: { id: number; reference: string };
  thread: { id: number; reference: string };
}

describe('Staff inbox in Chromium', { skip, timeout: 300_000 }, () => {
  let b: BrowserHarness;
  let ctx: AppContext;
  let marie: Family;
  const agent = { email: 'agent.boite@tilleul.example', mobile: '+33612340401' };
  const items: Record<'off' | 'on', Items> = {} as Record<'off' | 'on', Items>;
  const actor = (): MemberActor => ({ side: 'member', accountId: marie.accountId, memberId: marie.memberId });
  const file = (name: string) => {
    const dir = path.join(b.t.config.uploadDir, 'requests');
    fs.mkdirSync(dir, { recursive: true });
    const storedName = crypto.randomBytes(16).toString('hex');
    fs.writeFileSync(path.join(dir, storedName), PDF);
    return { originalName: name, storedName, folder: 'requests', mime: 'application/pdf', size: PDF.length };
  };

  before(async () => {
    b = await startBrowserHarness(async (t) => {
      marie = await createFamily(t.db, { firstName: 'Marie', lastName: 'Lefebvre' });
      await createAccount(t.db, { kind: 'staff', ...agent, firstName: 'Claire' });
    });
    ctx = { config: b.t.config, db: b.t.db, clock: b.t.clock, outbox: createOutbox(b.t.config, b.t.db, b.t.clock), files: fileStoreFor(b.t.config) };
    for (const [mode, child] of [
      ['off', marie.beneficiaries.enfant1],
      ['on', marie.beneficiaries.enfant2],
    ] as const) {
      const r = await createRequest(ctx, actor(), {
        kind: 'remboursement',
        object: 'optique',
        beneficiaryId: child,
        message: 'Mes lunettes',
        files: [file('facture.pdf')],
      });
      const d = await createRequest(ctx, actor(), {
        kind: 'devis',
        object: 'optique',
        beneficiaryId: child,
        message: null,
        files: [file('devis.pdf')],
        estimate: {
          lines: [
            {
              actCode: 'optique_simples',
              label: 'Lunettes classe B – verres simples et monture',
              amountCents: 35000,
              baseCents: null,
              days: 0,
              securiteSocialeCents: 9,
              complementaryCents: 15000,
              resteAChargeCents: 19991,
              reimbursedCents: 15009,
            },
          ],
          total: { amountCents: 35000, securiteSocialeCents: 9, complementaryCents: 15000, resteAChargeCents: 19991 },
        },
      });
      const tt = await requestTeletransmissionChange(ctx, actor(), child, 'request_activation');
      const th = await createThread(ctx, actor(), {
        category: 'remboursements',
        object: 'remboursement_non_recu',
        body: `Où en est mon remboursement ? (${mode})`,
        files: [],
      });
      assert.ok(r.ok && d.ok && tt.ok && tt.requestId && tt.reference && th.ok);
      items[mode] = { remboursement: r, devis: d, teletransmission: { id: tt.requestId, reference: tt.reference }, thread: th };
    }
  });
  after(async () => {
    await b?.close();
  });

  async function checkPage(page: Page, on: boolean): Promise<void> {
    await assertNoViolations(page, on);
    if (on) assert.ok(await hasNoHorizontalOverflow(page), `${page.url()} fits 1280 px`);
  }

  for (const on of [false, true]) {
    const mode = on ? 'on' : 'off';
    test(`filter the inbox, ask for a document then accept a remboursement, answer a devis, confirm a télétransmission (JS ${mode})`, async () => {
      const context: BrowserContext = on ? b.jsOn : b.jsOff;
      const mine = items[mode];
      const page = await logInThroughPages(b, context, 'gestion', agent.email, agent.mobile, PASSWORD);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
      await checkPage(page, on);

      // The inbox, filtered to the remboursements.
      await page.getByRole('navigation', { name: 'Navigation de gestion' }).getByRole('link', { name: 'Demandes' }).click();
      await page.getByRole('heading', { level: 1, name: 'Demandes et messages' }).waitFor();
      await checkPage(page, on);
      await page.getByLabel('Catégorie ou objet').selectOption('remboursement');
      await page.getByRole('button', { name: 'Filtrer' }).click();
      await page.waitForURL(/objet=remboursement/);
      const listed = await page.locator('#inbox-list tbody').textContent();
      assert.ok(listed?.includes(mine.remboursement.reference), 'the remboursement is listed');
      assert.ok(!listed?.includes(mine.devis.reference), 'the devis is filtered out');
      await checkPage(page, on);

      // Ask for a missing document: nothing ticked first.
      await page.getByRole('link', { name: mine.remboursement.reference }).click();
      await page.getByRole('heading', { level: 1, name: `Demande de remboursement ${mine.remboursement.reference}` }).waitFor();
      await checkPage(page, on);
      await page.getByRole('button', { name: 'Demander un document manquant' }).click();
      await page.locator('#documents-error').waitFor();
      assert.equal((await page.locator('#documents-error').textContent())?.replace(/\s+/g, ' ').trim(), 'Erreur : Cochez le document manquant ou précisez-le.');
      if (on) assert.ok(page.url().endsWith(`/gestion/demandes/${mine.remboursement.id}`), 'swapped in place');
      await checkPage(page, on);
      await page.getByLabel('Prescription médicale de moins de 5 ans').check();
      await page.getByRole('button', { name: 'Demander un document manquant' }).click();
      await page.getByText(`Le document manquant est demandé à l'assuré pour la demande ${mine.remboursement.reference}.`).waitFor();
      assert.equal((await b.t.db('requests').where({ id: mine.remboursement.id }).first()).status, 'missing_document');
      await checkPage(page, on);

      // Marie adds it; staff accept with an amount (a wrong one first).
      const added = await addMissingDocuments(ctx, actor(), mine.remboursement.id, [file('prescription.pdf')]);
      assert.ok(added.ok);
      await page.reload();
      await page.getByLabel('Montant remboursé (en euros)').fill('vingt');
      await page.getByLabel('Date du paiement').fill('25/11/2026');
      await page.getByRole('button', { name: 'Accepter le remboursement' }).click();
      await page.locator('#montant-error').waitFor();
      assert.equal(await page.getByLabel('Date du paiement').inputValue(), '25/11/2026', 'the date typed is kept');
      await checkPage(page, on);
      await page.getByLabel('Montant remboursé (en euros)').fill('26,50');
      await page.getByRole('button', { name: 'Accepter le remboursement' }).click();
      await page.getByText(`La demande ${mine.remboursement.reference} est traitée`).waitFor();
      await page.getByText('Remboursement de 26,50 €').waitFor();
      const row = await b.t.db('requests').where({ id: mine.remboursement.id }).first();
      assert.deepEqual([row.status, row.reimbursed_amount_cents, row.payment_day], ['processed', 2650, '2026-11-25']);
      await checkPage(page, on);

      // The devis, pre-filled from Marie's estimate.
      await page.goto(`${b.baseUrl}/gestion/demandes/${mine.devis.id}`);
      assert.equal(await page.getByLabel('Remboursement estimé de la ligne 1').inputValue(), '150,09');
      await checkPage(page, on);
      await page.getByRole('button', { name: 'Répondre au devis' }).click();
      await page.getByText(`La réponse au devis ${mine.devis.reference} est envoyée à l'assuré.`).waitFor();
      assert.equal((await b.t.db('requests').where({ id: mine.devis.id }).first()).estimated_amount_cents, 15009);
      await checkPage(page, on);

      // The télétransmission request, from the menu's « Demandes » and its view of télétransmission.
      await page.getByRole('navigation', { name: 'Navigation de gestion' }).getByRole('link', { name: 'Demandes', exact: true }).click();
      await page.getByRole('navigation', { name: 'Vues de la liste' }).getByRole('link', { name: 'Demandes de télétransmission' }).click();
      await page.getByRole('heading', { level: 1, name: 'Demandes de télétransmission' }).waitFor();
      await checkPage(page, on);
      await page.getByRole('link', { name: mine.teletransmission.reference }).click();
      await page.getByRole('button', { name: 'Confirmer la demande' }).click();
      await page.getByText(`La demande ${mine.teletransmission.reference} est confirmée`).waitFor();
      const beneficiary = await b.t
        .db('requests as r')
        .join('beneficiaries as b', 'b.id', 'r.beneficiary_id')
        .where('r.id', mine.teletransmission.id)
        .first('b.teletransmission_status');
      assert.equal(beneficiary.teletransmission_status, 'active');
      await checkPage(page, on);

      // A reply to Marie's message with a file, the message forgotten first: the file stays joined.
      await page.goto(`${b.baseUrl}/gestion/messages/${mine.thread.id}`);
      await page.getByRole('heading', { level: 1, name: `Message d'un assuré ${mine.thread.reference}` }).waitFor();
      await page.setInputFiles('#documents', { name: 'releve-paiement.pdf', mimeType: 'application/pdf', buffer: PDF });
      await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
      await page.locator('#message-error').waitFor();
      if (on) assert.ok(page.url().endsWith(`/gestion/messages/${mine.thread.id}`), 'swapped in place');
      await page.getByRole('group', { name: 'Documents déjà joints' }).getByRole('checkbox', { name: 'Retirer releve-paiement.pdf' }).waitFor();
      await checkPage(page, on);
      await page.getByLabel('Votre réponse').fill('Le paiement est parti hier : voici le relevé.');
      await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
      await page.getByText(`Votre réponse est envoyée dans la conversation ${mine.thread.reference}.`).waitFor();
      const sent = await page.locator('.thread-messages').innerText();
      assert.ok(sent.includes('Le paiement est parti hier') && sent.includes('releve-paiement.pdf'), 'the reply and its kept file are in the thread');
      await checkPage(page, on);
      await page.close();
    });
  }
});

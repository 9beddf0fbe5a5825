// Documents pratiques in Chromium, on the demo data: a staff agent
// uploads a notice visible to Cabinet Verdier Immobilier only (a mistake first: the message beside
// the field, the values kept); rh.admin (Verdier) finds it in « Mes documents pratiques » and
// downloads it; rh.ponant (Immobilière du Ponant) does not see it and gets 404 on its address.
// JavaScript off (plain multipart POST → 303 → GET) and on (htmx filters), axe on every page, 1280 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { assertPageInMode, browserSkipReason, hasNoHorizontalOverflow, logInThroughPages, startDemoBrowserHarness, type BrowserHarness } from './browser.js';
import { DEMO_FACTS } from '../../db/seeds/demo/index.js';
import { Pdf } from '../../src/pdf/document.js';

const skip = browserSkipReason();
const MOBILES = { staff: '+262639980304', hrAdmin: '+262639980301', hrPonant: '+262639980303' };

describe('Documents pratiques in Chromium', { skip, timeout: 300_000 }, () => {
  let b: BrowserHarness;
  let dir: string;
  let notice: string;
  const contexts: BrowserContext[] = [];

  before(async () => {
    b = await startDemoBrowserHarness();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'documents-pratiques-'));
    notice = path.join(dir, 'notice-avenant-verdier.pdf');
    const pdf = new Pdf("Notice d'information — avenant 2027", { name: b.t.config.brand.name, colour: '#1d5e4f' }, b.t.clock());
    pdf.p('Cet avenant précise les garanties optiques du contrat de Cabinet Verdier Immobilier à compter du 1er janvier 2027.');
    await pdf.save(notice);
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await b?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function newContext(on: boolean): Promise<BrowserContext> {
    const context = await b.browser.newContext({ javaScriptEnabled: on, bypassCSP: on, locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    return context;
  }

  const checkPage = (page: Page, on: boolean) => assertPageInMode(b, page, on);

  for (const on of [false, true]) {
    const mode = on ? 'JS on' : 'JS off';
    const title = `Avenant optique 2027 — Cabinet Verdier (${mode})`;

    test(`staff upload a notice for Verdier only; rh.admin downloads it, rh.ponant gets 404 (${mode})`, async () => {
      // Staff: Documents → Ajouter un document, a mistake first, then the notice.
      const staff = await logInThroughPages(b, await newContext(on), 'gestion', DEMO_FACTS.staff.email, MOBILES.staff, DEMO_FACTS.password);
      await staff.getByRole('link', { name: 'Documents', exact: true }).first().click();
      await staff.getByRole('heading', { level: 1, name: 'Documents pratiques' }).waitFor();
      await checkPage(staff, on);
      await staff.getByRole('link', { name: 'Ajouter un document' }).click();
      await staff.getByRole('heading', { level: 1, name: 'Ajouter un document' }).waitFor();
      await checkPage(staff, on);

      await staff.getByLabel('Catégorie').selectOption({ label: "Notices d'information" });
      await staff.getByLabel('Une entreprise', { exact: true }).check();
      await staff.getByLabel('Entreprise', { exact: true }).selectOption({ label: DEMO_FACTS.companies.verdier.name });
      await staff.getByLabel('Fichier PDF').setInputFiles(notice);
      await staff.getByRole('button', { name: 'Mettre en ligne' }).click();
      // No title: the message beside the field, the choices kept.
      await staff.locator('#titre-error').filter({ hasText: 'Saisissez le titre du document.' }).waitFor();
      assert.equal(await staff.getByLabel('Catégorie').inputValue(), 'notices');
      assert.ok(await staff.getByLabel('Une entreprise', { exact: true }).isChecked());
      await checkPage(staff, on);

      await staff.getByLabel('Titre').fill(title);
      await staff.getByLabel('Fichier PDF').setInputFiles(notice);
      await staff.getByRole('button', { name: 'Mettre en ligne' }).click();
      await staff.getByRole('heading', { level: 1, name: title }).waitFor();
      assert.match(await staff.locator('main').innerText(), /est en ligne/);
      assert.match(await staff.locator('.details').innerText(), new RegExp(`Visible par\\s+${DEMO_FACTS.companies.verdier.name}`));
      await checkPage(staff, on);
      const id = Number(/\/gestion\/documents\/(\d+)$/.exec(staff.url())?.[1]);
      assert.ok(id > 0, staff.url());
      // The list's filters (through htmx with JavaScript: the list alone is swapped, the address follows).
      await staff.getByRole('link', { name: 'Documents pratiques' }).click();
      if (on) await staff.evaluate(() => Object.assign(window, { samePage: true }));
      for (const [label, query, listed] of [
        ['Formulaires', 'categorie=formulaires', false],
        ["Notices d'information", 'categorie=notices', true],
      ] as const) {
        await staff.getByLabel('Catégorie').selectOption({ label });
        await staff.getByRole('button', { name: 'Filtrer' }).click();
        await staff.waitForURL(new RegExp(query));
        assert.equal((await staff.locator('#documents-list').innerText()).includes(title), listed, `${label}: ${title}`);
      }
      if (on) assert.equal(await staff.evaluate(() => (window as unknown as { samePage?: boolean }).samePage), true, 'htmx swapped the list in place');
      await checkPage(staff, on);

      // rh.admin: the home tile, the notice under its heading, the download.
      const admin = await logInThroughPages(b, await newContext(on), 'entreprise', DEMO_FACTS.hrAdmin.email, MOBILES.hrAdmin, DEMO_FACTS.password);
      await admin.locator('main a.tile', { hasText: 'Mes documents pratiques' }).click();
      await admin.getByRole('heading', { level: 1, name: 'Mes documents pratiques' }).waitFor();
      const section = admin.locator('section', { has: admin.getByRole('heading', { level: 2, name: "Notices d'information" }) });
      const link = section.getByRole('link', { name: new RegExp(title.replace(/[()]/g, '\\$&')) });
      await link.waitFor();
      // rh.admin works on two companies: the document says which one it is for.
      assert.match(await section.innerText(), new RegExp(`PDF, \\d+\\s?Ko — mis en ligne le \\d{2}/\\d{2}/\\d{4} — pour ${DEMO_FACTS.companies.verdier.name}`));
      await checkPage(admin, on);
      // On a 360 px phone too, nothing wider than the screen.
      await admin.setViewportSize({ width: 360, height: 740 });
      assert.ok(await hasNoHorizontalOverflow(admin), 'Mes documents pratiques is wider than 360 px');
      await admin.setViewportSize({ width: 1280, height: 800 });
      const [download] = await Promise.all([admin.waitForEvent('download'), link.click()]);
      assert.equal(download.suggestedFilename(), 'notice-avenant-verdier.pdf');
      const saved = await download.path();
      assert.ok(saved && fs.readFileSync(saved).equals(fs.readFileSync(notice)), 'the file downloaded is the one uploaded');

      // rh.ponant: not in the list, 404 at its address.
      const ponant = await logInThroughPages(b, await newContext(on), 'entreprise', DEMO_FACTS.otherHrAdmin.email, MOBILES.hrPonant, DEMO_FACTS.password);
      await ponant.goto(`${b.baseUrl}/entreprise/documents`);
      await ponant.getByRole('heading', { level: 1, name: 'Mes documents pratiques' }).waitFor();
      assert.ok(!(await ponant.locator('main').innerText()).includes(title));
      await checkPage(ponant, on);
      const refused = await ponant.goto(`${b.baseUrl}/entreprise/documents/${id}/telecharger`);
      assert.equal(refused?.status(), 404);
    });
  }
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
import { PASSWORD } from '../helpers/fixtures.js';
import { createFamily, type Family } from '../helpers/family.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const skip = browserSkipReason();

describe('Carte de tiers payant, Situation and Mes contrats in Chromium', { skip, timeout: 240_000 }, () => {
  let b: BrowserHarness;
  let family: Family;
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault' });
    });
  });
  after(async () => {
    await b?.close();
  });

  const logIn = (context: BrowserContext): Promise<Page> => logInThroughPages(b, context, 'assure', family.email, family.mobile, PASSWORD);

  async function assertAxeClean(page: Page, where: string) {
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `${where}: ${formatViolations(violations)}`);
  }

  test('Carte de tiers payant with JavaScript on: axe clean, choosing a beneficiary swaps the card in place and keeps the URL', async () => {
    const page = await logIn(b.jsOn);
    await page.getByRole('link', { name: 'Tiers payant' }).first().click();
    await page.waitForURL('**/assure/tiers-payant');
    await page.getByRole('heading', { level: 2, name: 'Carte de Nicolas Thibault' }).waitFor();
    await assertAxeClean(page, 'carte');
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));

    await page.getByLabel('Carte de tiers payant de').selectOption({ label: 'Julie Thibault (conjoint(e))' });
    await page.getByRole('heading', { level: 2, name: 'Carte de Julie Thibault' }).waitFor();
    await page.waitForURL(new RegExp(`beneficiaire=${family.beneficiaries.conjoint}`));
    assert.equal(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true), true, 'updated in place');
    assert.equal(await page.locator('h1').count(), 1);
    assert.equal(await page.locator('#carte-tiers-payant').count(), 1, 'the region replaced, not nested');
    assert.equal(
      await page.getByRole('link', { name: /Télécharger/ }).getAttribute('href'),
      `/assure/tiers-payant/carte.pdf?beneficiaire=${family.beneficiaries.conjoint}`,
    );
    await assertAxeClean(page, 'carte de Julie');

    // The button works too (e.g. after choosing with the keyboard).
    await page.getByLabel('Carte de tiers payant de').selectOption({ label: 'Léo Thibault (enfant)' });
    await page.getByRole('heading', { level: 2, name: 'Carte de Léo Thibault' }).waitFor();
    await page.getByRole('button', { name: 'Afficher la carte' }).click();
    await page.waitForURL(new RegExp(`beneficiaire=${family.beneficiaries.enfant1}`));
    await page.close();
  });

  test('Carte de tiers payant with JavaScript off: the GET form, then the PDF download', async () => {
    const page = await logIn(b.jsOff);
    await page.goto(`${b.baseUrl}/assure/tiers-payant`);
    await page.getByLabel('Carte de tiers payant de').selectOption({ label: 'Emma Thibault (enfant)' });
    await page.getByRole('button', { name: 'Afficher la carte' }).click();
    await page.waitForURL(new RegExp(`beneficiaire=${family.beneficiaries.enfant2}`));
    assert.ok(await page.getByRole('heading', { level: 2, name: "Carte d'Emma Thibault" }).isVisible());
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: /Télécharger/ }).click();
    assert.equal((await download).suggestedFilename(), 'carte-tiers-payant-2026-emma-thibault.pdf');
    await page.close();
  });

  test('printing the card page prints no card (its numbers are masked), but a line pointing to « Imprimer la carte » and the PDF', async () => {
    const page = await logIn(b.jsOn);
    await page.goto(`${b.baseUrl}/assure/tiers-payant`);
    assert.equal(await page.getByText("Cette page n'est pas votre carte de tiers payant").isVisible(), false, 'not on screen');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.tp-card').isVisible(), false, 'no masked card on paper');
    assert.ok(await page.getByText("Cette page n'est pas votre carte de tiers payant : les numéros de Sécurité sociale y sont masqués.").isVisible());
    for (const selector of ['h1', '.card-chooser', '.tp-actions', '.site-header', '.site-footer', '.main-nav', '.lead']) {
      const count = await page.locator(selector).count();
      for (let i = 0; i < count; i++) assert.equal(await page.locator(selector).nth(i).isVisible(), false, `${selector} is not printed`);
    }
    assert.equal(await page.getByText('1 84 12 •• ••• ••• 02').isVisible(), false, 'no masked number on paper');
    await page.emulateMedia({ media: 'screen' });
    assert.ok(await page.locator('h1').isVisible(), 'back on screen, the page is whole again');
    assert.ok(await page.getByText('1 84 12 •• ••• ••• 02').isVisible(), 'masked on screen');
    await page.close();
  });

  test('« Imprimer la carte » with JavaScript off: a print view with the numbers in full, printed alone, recto and verso at card proportions, on one page', async () => {
    const page = await logIn(b.jsOff);
    await page.goto(`${b.baseUrl}/assure/tiers-payant?beneficiaire=${family.beneficiaries.conjoint}`);
    await page.getByRole('link', { name: 'Imprimer la carte de Julie Thibault' }).click();
    await page.waitForURL(new RegExp(`/assure/tiers-payant/impression\\?beneficiaire=${family.beneficiaries.conjoint}$`));
    assert.ok(await page.getByRole('heading', { level: 1, name: 'Imprimer la carte de Julie Thibault' }).isVisible());
    assert.ok(await page.getByText('2 86 05 75 113 001 50').isVisible(), 'her number in full');
    assert.equal(await page.getByRole('button', { name: 'Imprimer' }).isVisible(), false, 'no button that needs JavaScript');
    assert.ok(await page.getByText('Utilisez la fonction « Imprimer » de votre navigateur').isVisible(), 'the browser prints it');

    await page.getByRole('link', { name: 'Ma carte de tiers payant' }).first().click();
    await page.waitForURL(new RegExp(`/assure/tiers-payant\\?beneficiaire=${family.beneficiaries.conjoint}$`));
    await page.getByRole('link', { name: 'Imprimer la carte de Julie Thibault' }).click();
    await page.waitForURL(/impression/);
    await page.goto(`${b.baseUrl}/assure/tiers-payant/impression`);
    await page.emulateMedia({ media: 'print' });
    for (const selector of ['h1', '.lead', '.tp-print-intro', '.site-header', '.site-footer', '.main-nav', '.breadcrumb']) {
      const count = await page.locator(selector).count();
      for (let i = 0; i < count; i++) assert.equal(await page.locator(selector).nth(i).isVisible(), false, `${selector} is not printed`);
    }
    for (const text of ['Carte de Nicolas Thibault', '1 84 12 75 112 048 02', '2 86 05 75 113 001 50', '912345678', 'Domaines de tiers payant']) {
      assert.ok(await page.getByText(text, { exact: true }).isVisible(), `${text} is printed`);
    }
    assert.ok(await page.locator('.tp-domains li', { hasText: 'Audioprothèses' }).isVisible(), 'the domains are printed');
    const faces = await page
      .locator('.tp-card-face')
      .evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect()).map((r) => ({ width: r.width, height: r.height })));
    assert.equal(faces.length, 2, 'recto and verso');
    for (const face of faces) {
      assert.ok(Math.abs(face.width / face.height - 85.6 / 54) < 0.02, `card proportions: ${face.width} × ${face.height}`);
      assert.ok(Math.abs(face.width - (171.2 * 96) / 25.4) < 2, `twice the real size: ${face.width}`);
    }
    await page.close();
  });

  test('« Imprimer la carte » on paper: one A4 page, the card alone', async () => {
    // page.pdf() is Chromium's own printing, with print.css (the same as the browser's « Imprimer »).
    const page = await logIn(b.jsOn);
    await page.goto(`${b.baseUrl}/assure/tiers-payant/impression`);
    const pdf = await page.pdf({ format: 'A4', printBackground: true, margin: { top: '10mm', bottom: '10mm', left: '10mm', right: '10mm' } });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'portail-print-')), 'print.pdf');
    fs.writeFileSync(file, pdf);
    try {
      assert.match(execFileSync('pdfinfo', [file], { encoding: 'utf8' }), /Pages:\s+1\n/, 'one page');
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      for (const expected of ['1 84 12 75 112 048 02', '2 86 05 75 113 001 50', 'Carte de Nicolas Thibault', 'Pharmacie'])
        assertIncludes(text, expected, expected);
      for (const absent of ['Imprimer ma carte', 'Besoin d', 'Télécharger', '•']) assertExcludes(text, absent, `${absent} is not printed`);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
    await page.close();
  });

  test("« Imprimer la carte » with JavaScript on: axe clean, the « Imprimer » button opens the browser's printing", async () => {
    const page = await logIn(b.jsOn);
    await page.goto(`${b.baseUrl}/assure/tiers-payant`);
    await page.getByRole('link', { name: 'Imprimer la carte de Nicolas Thibault' }).click();
    await page.waitForURL('**/assure/tiers-payant/impression');
    await assertAxeClean(page, 'impression');
    // window.print() opens a dialog headless Chromium cannot show: count the calls instead.
    await page.evaluate(() => {
      const w = window as unknown as { printed: number; print: () => void };
      w.printed = 0;
      w.print = () => {
        w.printed += 1;
      };
    });
    await page.getByRole('button', { name: 'Imprimer', exact: true }).click();
    assert.equal(await page.evaluate(() => (window as unknown as { printed: number }).printed), 1);
    await page.close();
  });

  test('1280 px: the card fits its box, on the card page and on the print view', async () => {
    const page = await logIn(b.jsOn);
    await page.setViewportSize({ width: 1280, height: 900 });
    for (const url of [
      '/assure/tiers-payant',
      `/assure/tiers-payant?beneficiaire=${family.beneficiaries.conjoint}`,
      '/assure/tiers-payant/impression',
      `/assure/tiers-payant/impression?beneficiaire=${family.beneficiaries.enfant1}`,
    ]) {
      await page.goto(`${b.baseUrl}${url}`);
      assert.ok(await hasNoHorizontalOverflow(page), `${url}: no horizontal scrolling`);
      const escaping = await page.evaluate(() => {
        const out: string[] = [];
        for (const box of document.querySelectorAll('.tp-card, .tp-card-face')) {
          const outer = box.getBoundingClientRect();
          if (box.scrollWidth > box.clientWidth + 1) out.push(`${box.className} scrolls`);
          for (const inner of box.querySelectorAll('*')) {
            const r = inner.getBoundingClientRect();
            if (r.width && (r.right > outer.right + 0.5 || r.left < outer.left - 0.5 || r.bottom > outer.bottom + 0.5))
              out.push(`${inner.tagName}.${inner.className} « ${(inner.textContent ?? '').trim().slice(0, 30)} »`);
          }
        }
        return out;
      });
      assert.deepEqual(escaping, [], `${url}: everything inside the card's box`);
    }
    await page.close();
  });

  test('« Afficher » the NIR on the card with JavaScript on: the cell alone is swapped, « Masquer » hides it again', async () => {
    const page = await logIn(b.jsOn);
    await page.goto(`${b.baseUrl}/assure/tiers-payant`);
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    assert.ok(await page.getByText('1 84 12 •• ••• ••• 02').isVisible());
    await page.getByRole('button', { name: 'Afficher le numéro de Nicolas Thibault' }).click();
    await page.getByText('1 84 12 75 112 048 02').waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true), true, 'updated in place');
    assert.ok(await page.getByText('2 86 05 •• ••• ••• 50').isVisible(), 'the others stay masked');
    await assertAxeClean(page, 'carte, NIR affiché');
    await page.getByRole('link', { name: 'Masquer le numéro de Nicolas Thibault' }).click();
    await page.getByText('1 84 12 •• ••• ••• 02').waitFor();
    assert.equal(await page.getByText('1 84 12 75 112 048 02').isVisible(), false);
    await page.close();
  });

  test('« Afficher » the NIR on the card with JavaScript off: the page comes back with it', async () => {
    const page = await logIn(b.jsOff);
    await page.goto(`${b.baseUrl}/assure/tiers-payant?beneficiaire=${family.beneficiaries.conjoint}`);
    await page.getByRole('button', { name: 'Afficher le numéro de Julie Thibault' }).click();
    await page.waitForURL(new RegExp(`beneficiaire=${family.beneficiaries.conjoint}#tp-nir-${family.beneficiaries.conjoint}$`));
    assert.ok(await page.getByText('2 86 05 75 113 001 50').isVisible());
    assert.ok(await page.getByRole('heading', { level: 2, name: 'Carte de Julie Thibault' }).isVisible(), 'the same card');
    await page.close();
  });

  test('Situation and Mes contrats with JavaScript on: axe clean, links, the guarantee tables', async () => {
    const page = await logIn(b.jsOn);
    await page.goto(`${b.baseUrl}/assure/situation`);
    await assertAxeClean(page, 'situation');
    await page.getByRole('link', { name: 'Mes contrats' }).click();
    await page.waitForURL('**/assure/contrats');
    await assertAxeClean(page, 'contrats');
    assert.ok(await page.getByRole('table', { name: 'Optique' }).isVisible());
    assert.ok(await page.getByRole('columnheader', { name: 'Remboursement' }).first().isVisible());
    assert.equal(await page.getByRole('link', { name: /Certificat de radiation/ }).count(), 0, 'no radiation certificate while covered');
    await page.close();
  });

  test('Mes contrats with JavaScript off: the PDFs are plain download links', async () => {
    const page = await logIn(b.jsOff);
    await page.goto(`${b.baseUrl}/assure/contrats`);
    const link = page.getByRole('link', { name: /Télécharger mes garanties/ });
    assert.equal(await link.getAttribute('href'), `/assure/contrats/${family.affiliationId}/garanties.pdf`);
    const download = page.waitForEvent('download');
    await link.click();
    assert.match((await download).suggestedFilename(), /^garanties-CT-\d+-NC\.pdf$/);
    const certificate = page.waitForEvent('download');
    await page.getByRole('link', { name: /Certificat d'affiliation/ }).click();
    assert.match((await certificate).suggestedFilename(), /^certificat-affiliation-CT-\d+-NC\.pdf$/);
    await page.close();
  });

  test('360 px: no horizontal scrolling, still axe clean', async () => {
    const page = await logIn(b.jsOn);
    await page.setViewportSize({ width: 360, height: 740 });
    for (const url of [
      '/assure/tiers-payant',
      `/assure/tiers-payant?beneficiaire=${family.beneficiaries.conjoint}`,
      '/assure/tiers-payant/impression',
      '/assure/situation',
      '/assure/contrats',
    ]) {
      await page.goto(`${b.baseUrl}${url}`);
      assert.ok(await hasNoHorizontalOverflow(page), `${url}: no horizontal scrolling at 360 px`);
      await assertAxeClean(page, `${url} 360 px`);
    }
    await page.close();
  });
});

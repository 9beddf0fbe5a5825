// « Messagerie sécurisée » (Espace Assuré) and « Nous contacter » (Espace Entreprise) in Chromium on
// the demo data, with JavaScript on (axe: zero violations; the object list follows the category
// in place; a refused reply comes back in place) and off (plain forms: « Afficher les objets de
// cette catégorie », POST → 303 → GET), at 1280 px with no table wider than its box:
// marie writes a new message with a file and replies to it; rh.admin writes « Nous contacter /
// Mes salariés / Radiation d'un salarié » for Cabinet Verdier Immobilier, and rh.utilisateur of
// the same company finds the thread in their messagerie.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { assertNoViolations, browserSkipReason, hasNoHorizontalOverflow, logInThroughPages, startDemoBrowserHarness, type BrowserHarness } from './browser.js';
import { DEMO_FACTS } from '../../db/seeds/demo/index.js';
import { PDF_BYTES } from '../helpers/finalized-requests.js';
import { assertIncludes } from '../helpers/assertions.js';

const skip = browserSkipReason();
const HR_ADMIN_MOBILE = '+262639980301';
const HR_USER_MOBILE = '+262639980302';

/** At 1280 px: no horizontal scrolling, and no table wider than its scroll box or menu wider than the header. */
async function fitsAt1280(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.ok(await hasNoHorizontalOverflow(page), `no overflow at 1280 px: ${page.url()}`);
  const wide = await page.evaluate(
    () =>
      [...document.querySelectorAll('.table-wrap, .main-nav, .icon-nav')].filter((box) => {
        const inner = box.querySelector('table') ?? box;
        return inner.scrollWidth > (box as HTMLElement).clientWidth + 1;
      }).length,
  );
  assert.equal(wide, 0, `a table or menu is wider than its box at 1280 px: ${page.url()}`);
}

async function chooseCategory(page: Page, on: boolean, label: string, expectedObject: string): Promise<void> {
  await page.getByLabel('Catégorie').selectOption({ label });
  // JavaScript off: the form comes back with the category's objects.
  if (!on) await page.getByRole('button', { name: 'Afficher les objets de cette catégorie' }).click();
  await page.locator('#objet option', { hasText: expectedObject }).waitFor({ state: 'attached' });
}

describe('Messagerie and « Nous contacter » in Chromium', { skip, timeout: 400_000 }, () => {
  let b: BrowserHarness;
  before(async () => {
    b = await startDemoBrowserHarness();
  });
  after(async () => {
    await b?.close();
  });

  const context = (on: boolean): Promise<BrowserContext> =>
    b.browser.newContext(on ? { bypassCSP: true, locale: 'fr-FR' } : { javaScriptEnabled: false, locale: 'fr-FR' });

  for (const on of [true, false]) {
    const mode = on ? 'JS on' : 'JS off';

    test(`marie writes a new message with a file, then replies (${mode})`, async () => {
      const marie = DEMO_FACTS.member;
      const page = await logInThroughPages(b, on ? b.jsOn : b.jsOff, 'assure', marie.email, marie.mobile, DEMO_FACTS.password);
      await page.getByRole('link', { name: /^Messagerie sécurisée/ }).click();
      await page.getByRole('heading', { name: 'Messagerie sécurisée', level: 1 }).waitFor();
      assertIncludes(await page.locator('main').innerText(), 'Télétransmission (NOEMIE)', 'the demo threads are listed');
      await assertNoViolations(page, on);
      await fitsAt1280(page);

      await page.getByRole('link', { name: 'Nouveau message' }).click();
      await page.getByRole('heading', { name: 'Nouveau message' }).waitFor();
      await assertNoViolations(page, on);
      const text = `Bonjour, je ne retrouve pas le décompte de ma séance de kiné (${mode}).`;
      if (!on) await page.getByLabel('Votre message').fill(text);
      await chooseCategory(page, on, 'Mes remboursements', 'Question sur un décompte');
      if (!on) assert.equal(await page.getByLabel('Votre message').inputValue(), text, 'what was typed is kept');
      await page.getByLabel('Objet').selectOption({ label: 'Question sur un décompte' });
      await page.getByLabel('Votre message').fill(text);
      await page.setInputFiles('#documents', { name: 'ordonnance.pdf', mimeType: 'application/pdf', buffer: PDF_BYTES });
      await assertNoViolations(page, on);
      await page.getByRole('button', { name: 'Envoyer le message' }).click();
      await page.getByText('Votre message a bien été envoyé').waitFor();
      assert.match(page.url(), /\/assure\/messagerie\/\d+$/);
      const main = await page.locator('main').innerText();
      assertIncludes(main, text);
      assertIncludes(main, 'ordonnance.pdf');
      assertIncludes(main, 'Question sur un décompte');
      await assertNoViolations(page, on);
      await fitsAt1280(page);

      if (on) {
        // A reply without text comes back in place, with the message at the field.
        await page.getByRole('button', { name: 'Envoyer ma réponse' }).click();
        await page.locator('#message-error').waitFor();
        assertIncludes(await page.locator('#message-error').innerText(), 'Écrivez votre message.');
        await assertNoViolations(page, on);
      }
      const reply = `Je précise : la séance date du 4 novembre (${mode}).`;
      await page.getByLabel('Votre réponse').fill(reply);
      await page.getByRole('button', { name: 'Envoyer ma réponse' }).click();
      await page.getByText('Votre réponse a bien été envoyée.').waitFor();
      assertIncludes(await page.locator('.thread-messages').innerText(), reply);
      await page.getByRole('link', { name: 'Retour à la messagerie' }).click();
      await page.getByRole('heading', { name: 'Messagerie sécurisée', level: 1 }).waitFor();
      assertIncludes(await page.locator('tbody').innerText(), 'Question sur un décompte');
      await page.close();
    });

    test(`rh.admin writes « Mes salariés / Radiation d'un salarié », rh.utilisateur of the same company sees it (${mode})`, async () => {
      const adminContext = await context(on);
      adminContext.setDefaultTimeout(10_000);
      const admin = await logInThroughPages(b, adminContext, 'entreprise', DEMO_FACTS.hrAdmin.email, HR_ADMIN_MOBILE, DEMO_FACTS.password);
      await admin.getByRole('link', { name: 'Nous contacter' }).click();
      await admin.getByRole('heading', { name: 'Nouveau message' }).waitFor();
      assert.ok(await admin.getByRole('link', { name: 'Retour à la messagerie' }).isVisible());
      assertIncludes(await admin.locator('main').innerText(), "Choisissez le motif ainsi que l'objet de votre demande :");
      await assertNoViolations(admin, on);
      await admin.getByLabel('Entreprise').selectOption({ label: 'Cabinet Verdier Immobilier' });
      await chooseCategory(admin, on, 'Mes salariés', "Radiation d'un salarié");
      await admin.getByLabel('Objet').selectOption({ label: "Radiation d'un salarié" });
      const text = `Bonjour, M. Perrin quitte l'entreprise le 31 décembre : merci de procéder à sa radiation (${mode}).`;
      await admin.getByLabel('Votre message').fill(text);
      await assertNoViolations(admin, on);
      await admin.getByRole('button', { name: 'Envoyer le message' }).click();
      await admin.getByText('Votre message a bien été envoyé').waitFor();
      const reference = (await admin.locator('.thread-facts dd').first().innerText()).trim();
      assert.match(reference, /^MS-\d{4}-\d{6}$/);
      await assertNoViolations(admin, on);
      await fitsAt1280(admin);
      await adminContext.close();

      const userContext = await context(on);
      userContext.setDefaultTimeout(10_000);
      const user = await logInThroughPages(b, userContext, 'entreprise', DEMO_FACTS.hrUser.email, HR_USER_MOBILE, DEMO_FACTS.password);
      await user.getByRole('link', { name: /^Messagerie/ }).click();
      await user.getByRole('heading', { name: 'Messagerie', level: 1 }).waitFor();
      await assertNoViolations(user, on);
      await fitsAt1280(user);
      await user.getByRole('link', { name: reference }).click();
      await user.getByRole('heading', { name: "Radiation d'un salarié" }).waitFor();
      assertIncludes(await user.locator('.thread-messages').innerText(), text);
      assertIncludes(await user.locator('.thread-messages').innerText(), 'Eugénie Marchand', 'the colleague who wrote is named');
      await assertNoViolations(user, on);
      await user.getByRole('link', { name: 'Mes démarches' }).click();
      await user.getByRole('heading', { name: 'Mes démarches', level: 1 }).waitFor();
      assertIncludes(await user.locator('main').innerText(), reference);
      assert.ok((await user.locator('.tracking-table tbody tr').count()) > 0, 'the latest affiliation requests are listed beside the threads');
      await assertNoViolations(user, on);
      await fitsAt1280(user);
      await userContext.close();
    });
  }
});

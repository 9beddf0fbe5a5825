// « Télécharger mes données » in Chromium: JavaScript off first — the member asks, the job runs
// (triggered here), the page says « prêt jusqu'au … », one download, the second refused, the
// erasure form refused without its confirmation —, then with JavaScript on the same requests swap
// their block in place (htmx, the page not reloaded); axe on each, 1280 px wide.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import {
  assertNoViolationsJsOff,
  axeViolations,
  browserSkipReason,
  formatViolations,
  hasNoHorizontalOverflow,
  logInThroughPages,
  startBrowserHarness,
  type BrowserHarness,
} from './browser.js';
import { createAccount, PASSWORD } from '../helpers/fixtures.js';
import { createFamily, type Family } from '../helpers/family.js';
import { buildPendingDataExports } from '../../src/personal-data/exports.js';
import { createOutbox } from '../../src/stores/outbox.js';

const skip = browserSkipReason();
const PROFILE = '/assure/informations-personnelles';

describe('Mes données personnelles in Chromium', { skip, timeout: 240_000 }, () => {
  let b: BrowserHarness;
  let family: Family;
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault', statements: 2 });
      const staff = await createAccount(t.db, { kind: 'staff', email: 'superviseur@exemple.fr', mobile: '+33639980077' });
      await t.db('accounts').where({ id: staff.id }).update({ staff_role: 'superviseur' });
    });
  });
  after(async () => {
    await b?.close();
  });

  const logIn = (context: BrowserContext): Promise<Page> => logInThroughPages(b, context, 'assure', family.email, family.mobile, PASSWORD);
  const runJob = () => buildPendingDataExports(b.t.db, b.t.config, createOutbox(b.t.config, b.t.db, b.t.clock), b.t.clock());

  async function assertAxeClean(page: Page, where: string) {
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `${where}\n${formatViolations(violations)}`);
    await page.setViewportSize({ width: 1280, height: 800 });
    assert.ok(await hasNoHorizontalOverflow(page), `${where}: nothing wider than 1280 px`);
  }

  test('JavaScript off: ask, the job runs, download once, the second download is refused', async () => {
    const page = await logIn(b.jsOff);
    await page.goto(`${b.baseUrl}${PROFILE}`);
    await page.getByRole('button', { name: 'Télécharger mes données' }).click();
    await page.waitForURL(`**${PROFILE}#mes-donnees`);
    assert.ok(await page.getByText('nous préparons le fichier de vos données').isVisible());
    assert.ok(await page.getByText('en préparation').isVisible());
    await assertNoViolationsJsOff(b, page);

    assert.equal(await runJob(), 1);
    await page.goto(`${b.baseUrl}${PROFILE}`);
    assert.ok(await page.getByText("prêt jusqu'au 29/11/2026").isVisible());
    await assertNoViolationsJsOff(b, page);
    const form = page.locator('form[action$="/telecharger"]');
    const action = (await form.getAttribute('action'))!;
    const csrf = (await form.locator('input[name=_csrf]').getAttribute('value'))!;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger le fichier de mes données' }).click()]);
    assert.match(download.suggestedFilename(), /^mes-donnees-\d{4}-\d{2}-\d{2}\.zip$/);
    const zipPath = await download.path();
    assert.ok(zipPath, 'the ZIP was received');

    // The same form sent again (a second click, another tab): refused with a message.
    const again = await b.jsOff.request.post(`${b.baseUrl}${action}`, { form: { _csrf: csrf }, maxRedirects: 0 });
    assert.equal(again.status(), 303);
    await page.goto(`${b.baseUrl}${PROFILE}`);
    assert.ok(await page.getByText('Ce fichier a déjà été téléchargé ou a expiré').isVisible());
    assert.ok(await page.getByText(/téléchargé\s+le/).isVisible());
    assert.equal(await page.getByRole('button', { name: 'Télécharger le fichier de mes données' }).count(), 0);

    // The erasure form without its confirmation: the page again, the message next to the box, the text kept.
    await page.getByRole('link', { name: "Demander l'effacement de mes données" }).click();
    await page.getByLabel('Message (facultatif)').fill('Sans JavaScript');
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.waitForURL(`**${PROFILE}/effacement`);
    assert.ok(await page.locator('#confirmation-error').getByText('Cochez la case pour confirmer').isVisible());
    assert.equal(await page.getByLabel('Message (facultatif)').inputValue(), 'Sans JavaScript');
    await assertNoViolationsJsOff(b, page);
  });

  /** Marks the window: the mark survives an htmx swap, not a page load. */
  const markWindow = (page: Page) => page.evaluate(() => Object.assign(window, { notReloaded: true }));
  const stillMarked = (page: Page) => page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

  test('JavaScript on: « Télécharger mes données » and a refused erasure form swap in place (htmx); no axe violation', async () => {
    const page = await logIn(b.jsOn);
    await page.goto(`${b.baseUrl}${PROFILE}`);
    assert.ok(await page.getByRole('heading', { name: 'Mes données personnelles' }).isVisible());
    await assertAxeClean(page, 'profile');
    await markWindow(page);
    await page.getByRole('button', { name: 'Télécharger mes données' }).click();
    await page.locator('#mes-donnees').getByText('nous préparons le fichier de vos données').waitFor();
    assert.ok(await page.locator('#mes-donnees').getByText('en préparation').isVisible());
    assert.ok(await stillMarked(page), 'the block was swapped, the page not reloaded');
    assert.equal(new URL(page.url()).pathname, PROFILE);
    await assertAxeClean(page, 'profile, the block swapped');
    await page.getByRole('link', { name: "Demander l'effacement de mes données" }).click();
    await page.waitForURL(`**${PROFILE}/effacement`);
    await assertAxeClean(page, 'erasure form');
    await markWindow(page);
    await page.getByLabel('Message (facultatif)').fill('Avec JavaScript');
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.locator('#confirmation-error').getByText('Cochez la case pour confirmer').waitFor();
    assert.ok(await stillMarked(page), 'the form was swapped, the page not reloaded');
    assert.equal(await page.getByLabel('Message (facultatif)').inputValue(), 'Avec JavaScript');
    await assertAxeClean(page, 'erasure form with an error');
    await page.getByLabel("Je confirme demander l'effacement").check();
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.waitForURL(`**${PROFILE}#mes-donnees`);
    assert.ok(await page.getByText('en cours de traitement').isVisible());
  });

  test('the superviseur refuses with a reason (JavaScript off), then the pages have no axe violation (JavaScript on)', async () => {
    const off = await logInThroughPages(b, b.jsOff, 'gestion', 'superviseur@exemple.fr', '+33639980077', PASSWORD);
    await off.goto(`${b.baseUrl}/gestion/donnees-personnelles`);
    await assertNoViolationsJsOff(b, off);
    await off
      .getByRole('link', { name: /^Demande n° / })
      .first()
      .click();
    await off.getByRole('button', { name: 'Refuser la demande' }).click();
    assert.ok(await off.locator('#reason-error').getByText('Indiquez le motif du refus.').isVisible());
    await assertNoViolationsJsOff(b, off);
    const on = await logInThroughPages(b, b.jsOn, 'gestion', 'superviseur@exemple.fr', '+33639980077', PASSWORD);
    await on.goto(off.url());
    await assertAxeClean(on, 'erasure request (gestion)');
    await on.goto(`${b.baseUrl}/gestion/donnees-personnelles`);
    await assertAxeClean(on, 'erasure requests (gestion)');
    await off.getByLabel(/Motif du refus/).fill('Contrat en cours');
    await off.getByRole('button', { name: 'Refuser la demande' }).click();
    await off.waitForURL('**/gestion/donnees-personnelles');
    assert.ok(await off.getByText('La demande d’effacement est refusée').isVisible());
    assert.ok(await off.getByRole('cell', { name: 'Refusée' }).isVisible());
  });
});

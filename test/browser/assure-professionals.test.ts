// « Professionnels de santé » in Chromium: with JavaScript off, from the Tiers payant page, find an
// ophthalmologist near 69003 and open the card link; with JavaScript on (axe clean, 360 and 1280 px
// wide), the place suggestions, the results updated in place and « Autour de moi ».
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { PASSWORD } from '../helpers/fixtures.js';
import { createFamily, type Family } from '../helpers/family.js';
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

const skip = browserSkipReason();
const LYON_3 = { lat: 45.7612, lon: 4.8518 };

describe('Professionnels de santé in Chromium', { skip, timeout: 240_000 }, () => {
  let b: BrowserHarness;
  let family: Family;
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault' });
      const rows = [
        ['Dr Hélène Vasseur', 'ophtalmologue', 'Ophtalmologue', 0.004, '1', true],
        ['Dr Marc Giraud', 'ophtalmologue', 'Ophtalmologue', 0.02, 'optam', false],
        ['Pharmacie des Essais', 'pharmacie', 'Pharmacie', 0.006, null, true],
      ] as const;
      let n = 0;
      for (const [name, specialty, label, dLat, sector, tiersPayant] of rows) {
        n++;
        await t.db('health_professionals').insert({
          identifier: specialty === 'pharmacie' ? `69000000${n}` : String(10_000_000_000 + n),
          name,
          specialty,
          specialty_label: label,
          address_line: `${n * 10} cours Lafayette`,
          postal_code: '69003',
          city: 'Lyon',
          latitude: LYON_3.lat + dLat,
          longitude: LYON_3.lon,
          phone: '+33472000000',
          sector,
          tiers_payant: tiersPayant,
          network_member: n === 2,
          created_at: '2026-11-01T08:00:00.000Z',
        });
      }
    });
  });
  after(async () => {
    await b?.close();
  });

  const logIn = (context: BrowserContext): Promise<Page> => logInThroughPages(b, context, 'assure', family.email, family.mobile, PASSWORD);

  test('JavaScript off: from the Tiers payant page, an ophthalmologist near 69003, then the card link', async () => {
    const page = await logIn(b.jsOff);
    await page.goto(`${b.baseUrl}/assure/tiers-payant`);
    await page.getByRole('link', { name: /Localiser les professionnels de santé/ }).click();
    await page.waitForURL('**/assure/professionnels');
    assert.equal(await page.getByRole('button', { name: 'Autour de moi' }).isVisible(), false, '« Autour de moi » needs JavaScript');
    await page.getByLabel('Code postal ou ville').fill('69003');
    await page.getByLabel('Spécialité').selectOption({ label: 'Ophtalmologue' });
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/lieu=69003.*specialite=ophtalmologue/);
    const names = await page.locator('.pro-name').allTextContents();
    assert.deepEqual(names, ['Dr Hélène Vasseur', 'Dr Marc Giraud']);
    assert.match(await page.locator('.pro-card').first().innerText(), /0,4\s*km[\s\S]*04 72 00 00 00[\s\S]*Tiers payant accepté[\s\S]*Secteur 1/);
    await assertNoViolationsJsOff(b, page);
    // Bad input: the message next to the field, the value kept.
    await page.getByLabel('Code postal ou ville').fill('99999');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.locator('#lieu-error').waitFor();
    assert.match(await page.locator('#lieu-error').innerText(), /Ce code postal n'existe pas/);
    assert.equal(await page.getByLabel('Code postal ou ville').inputValue(), '99999');
    await page.goBack();
    await page.getByRole('link', { name: 'votre carte de tiers payant' }).click();
    await page.waitForURL('**/assure/tiers-payant');
    await page.getByRole('heading', { level: 1, name: 'Ma carte de tiers payant' }).waitFor();
  });

  for (const width of [360, 1280]) {
    test(`JavaScript on, ${width} px: suggestions, results in place, « Autour de moi », axe clean`, async () => {
      await b.jsOn.grantPermissions(['geolocation']);
      await b.jsOn.setGeolocation({ latitude: LYON_3.lat, longitude: LYON_3.lon });
      const page = await logIn(b.jsOn);
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${b.baseUrl}/assure/professionnels`);
      let violations = await axeViolations(page);
      assert.equal(violations.length, 0, formatViolations(violations));
      await page.evaluate(() => Object.assign(window, { sameDocument: true }));

      await page.getByLabel('Code postal ou ville').pressSequentially('6900', { delay: 30 });
      await page.waitForFunction(() => document.querySelectorAll('#lieu-suggestions option').length > 0);
      assert.ok(
        (await page.locator('#lieu-suggestions option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value))).includes(
          '69003 Lyon 3e Arrondissement',
        ),
      );
      await page.getByLabel('Code postal ou ville').fill('69003 Lyon 3e Arrondissement');
      await page.getByLabel('Spécialité').selectOption({ label: 'Ophtalmologue' });
      await page.locator('.pro-name').first().waitFor();
      assert.deepEqual(await page.locator('.pro-name').allTextContents(), ['Dr Hélène Vasseur', 'Dr Marc Giraud']);
      await page.waitForURL(/specialite=ophtalmologue/);
      assert.equal(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true), true, 'updated in place');
      assert.equal(await page.locator('#professionnels').count(), 1, 'the region replaced, not nested');
      violations = await axeViolations(page);
      assert.equal(violations.length, 0, formatViolations(violations));
      assert.equal(await hasNoHorizontalOverflow(page), true, `nothing wider than ${width} px`);

      // « Autour de moi »: the browser's position, the place field emptied.
      await page.getByLabel('Spécialité').selectOption({ label: 'Pharmacie' });
      await page.getByText('Pharmacie des Essais').waitFor();
      await page.getByRole('button', { name: 'Autour de moi' }).click();
      await page.getByText('à moins de 10 km de votre position').waitFor();
      assert.equal(await page.getByLabel('Code postal ou ville').inputValue(), '');
      assert.deepEqual(await page.locator('.pro-name').allTextContents(), ['Pharmacie des Essais']);
      assert.equal(await page.getByRole('button', { name: 'Autour de moi' }).isVisible(), true, 'still offered after the swap');

      await page.getByRole('link', { name: 'votre carte de tiers payant' }).click();
      await page.waitForURL('**/assure/tiers-payant');
      await page.close();
    });
  }
});

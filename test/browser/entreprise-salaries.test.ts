// « Mes salariés » in Chromium, JavaScript on (htmx in place, URL kept in sync, axe: zero
// violations) and off (plain GET form, links, POST → redirect): filter, sort, paginate, reveal a
// NIR, open an employee.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import {
  axeViolations,
  browserSkipReason,
  formatViolations,
  hasNoHorizontalOverflow,
  logInThroughPages,
  startBrowserHarness,
  type BrowserHarness,
} from './browser.js';
import { PASSWORD } from '../helpers/fixtures.js';
import { addEmployee, createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { formatNir } from '../../src/domain/nir.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const skip = browserSkipReason();

describe('Mes salariés in Chromium', { skip, timeout: 300_000 }, () => {
  let b: BrowserHarness;
  let alpha: TestCompany;
  let beta: TestCompany;
  let nirLefevre = '';
  const admin = { email: 'rh.salaries@alpha.example', mobile: '+33612340101' };
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      alpha = await createHrCompany(t.db, 'Alpha Immobilier', 2);
      beta = await createHrCompany(t.db, 'Beta Syndic', 1);
      const { memberId } = await addEmployee(t.db, alpha, alpha.establishments[0], { college: 'cadre', lastName: 'Lefèvre', firstName: 'Élodie' });
      nirLefevre = (await t.db('members').where({ id: memberId }).first('nir')).nir;
      for (let i = 0; i < 30; i++)
        await addEmployee(t.db, alpha, alpha.establishments[1], { lastName: `Moreau${String(i).padStart(2, '0')}`, firstName: 'Luc' });
      await addEmployee(t.db, beta, beta.establishments[0], { lastName: 'Bernard', firstName: 'Anne', end: '2025-06-30' });
      await createHrUser(
        t.db,
        [
          { company: alpha, role: 'admin' },
          { company: beta, role: 'user' },
        ],
        { ...admin, firstName: 'Eugénie' },
      );
    });
  });
  after(async () => {
    await b?.close();
  });

  const logIn = (context: BrowserContext): Promise<Page> => logInThroughPages(b, context, 'entreprise', admin.email, admin.mobile, PASSWORD);
  const rowNames = (page: Page) => page.locator('.salaries-table tbody th[scope="row"]').allInnerTexts();

  for (const on of [true, false]) {
    const mode = on ? 'JS on' : 'JS off';

    test(`filter, sort, paginate, reveal a NIR, open an employee (${mode})`, async () => {
      const page = await logIn(on ? b.jsOn : b.jsOff);
      await page.getByRole('navigation', { name: 'Mes rubriques' }).getByRole('link', { name: 'Mes salariés' }).click();
      await page.getByRole('heading', { name: 'Salariés affiliés' }).waitFor();
      assertIncludes(await page.locator('.result-count').innerText(), '32 salariés affiliés — page 1 sur 2');
      if (on) {
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, formatViolations(violations));
      }

      // Paginate: page 2 (in place with htmx, the URL follows).
      await page.getByRole('link', { name: 'Page suivante' }).click();
      await page.waitForURL(/page=2/);
      await page.locator('.result-count', { hasText: 'page 2 sur 2' }).waitFor();
      assert.equal((await rowNames(page)).length, 7);

      // Sort: « Nom et prénom » going down.
      await page.getByRole('link', { name: 'Nom et prénom' }).click();
      await page.waitForURL(/tri=nom&ordre=desc/);
      await page.locator('th[aria-sort="descending"]').waitFor();
      assert.equal((await rowNames(page))[0], 'MOREAU29 Luc');

      // Filter: Assuré, accents ignored, then « Rechercher ».
      await page.getByLabel('Assuré').fill('lefevre');
      await page.getByRole('button', { name: 'Rechercher' }).click();
      await page.waitForURL(/assure=lefevre/);
      await page.locator('.result-count', { hasText: '1 salarié affilié correspondant à vos critères' }).waitFor();
      assert.deepEqual(await rowNames(page), ['LEFÈVRE Élodie']);
      if (on) {
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, formatViolations(violations));
      }

      // A bad value: a French message at the field, the list still there.
      await page.getByLabel('Assuré').fill('12345');
      await page.getByRole('button', { name: 'Rechercher' }).click();
      await page.locator('#assure-error').waitFor();
      assertIncludes(await page.locator('#assure-error').innerText(), 'Saisissez le début du nom');
      if (on) {
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, formatViolations(violations));
      }

      // Select filters: SIREN of Beta, Statut du contrat « Radié ».
      await page.getByLabel('Assuré').fill('');
      await page.getByLabel('SIREN').selectOption(beta.siren);
      await page.getByLabel('Statut du contrat').selectOption({ label: 'Radié' });
      await page.getByRole('button', { name: 'Rechercher' }).click();
      await page.waitForURL(new RegExp(`siren=${beta.siren}.*statut=radie`));
      await page.locator('.result-count', { hasText: '1 salarié affilié' }).waitFor();
      assert.deepEqual(await rowNames(page), ['BERNARD Anne']);

      // Reveal a NIR: audited, shown in place (htmx) or after the redirect (no JS).
      await page.goto(`${b.baseUrl}/entreprise/salaries?assure=lefevre`);
      assertExcludes(await page.content(), formatNir(nirLefevre));
      await page.getByRole('button', { name: 'Afficher le numéro de LEFÈVRE Élodie' }).click();
      await page.getByText(formatNir(nirLefevre)).waitFor();
      assert.ok(page.url().endsWith('/entreprise/salaries?assure=lefevre'));
      await page.getByRole('link', { name: 'Masquer le numéro de LEFÈVRE Élodie' }).click();
      await page.getByRole('button', { name: 'Afficher le numéro de LEFÈVRE Élodie' }).waitFor();

      // The employee's page with the history.
      await page.getByRole('link', { name: 'LEFÈVRE Élodie' }).click();
      await page.getByRole('heading', { name: 'Historique des affiliations' }).waitFor();
      assertIncludes(await page.locator('main').innerText(), 'Alpha Immobilier — site 1');
      if (on) {
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, formatViolations(violations));
      }
      await page.setViewportSize({ width: 360, height: 740 });
      await page.goto(`${b.baseUrl}/entreprise/salaries`);
      assert.ok(await hasNoHorizontalOverflow(page), 'no overflow at 360 px');
      await page.close();
    });
  }
});

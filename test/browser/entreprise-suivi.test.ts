// « Suivi des affiliations » in Chromium, with JavaScript on (axe: zero violations, the list
// updated in place with the address in step) and off (plain GET form, links, POST forms): filter,
// sort, « Envoi d'un email de relance », « Annuler la demande d'affiliation » with its confirmation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { assertNoViolations, browserSkipReason, hasNoHorizontalOverflow, logInThroughPages, startBrowserHarness, type BrowserHarness } from './browser.js';
import { PASSWORD } from '../helpers/fixtures.js';
import { createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { createAffiliationRequest } from '../helpers/affiliation-requests.js';
import { assertIncludes } from '../helpers/assertions.js';

const skip = browserSkipReason();
const BASE = '/entreprise/suivi-affiliations';
const DAY = 24 * 3600 * 1000;

describe('Suivi des affiliations in Chromium', { skip, timeout: 300_000 }, () => {
  let b: BrowserHarness;
  let alpha: TestCompany;
  const admin = { email: 'suivi.admin@alpha.example', mobile: '+33612340101' };
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      alpha = await createHrCompany(t.db, 'Alpha Immobilier', 2);
      await createHrUser(t.db, [{ company: alpha, role: 'user' }], { ...admin, firstName: 'Sophie' });
      const ago = (days: number) => new Date(t.clock().getTime() - days * DAY);
      for (const suffix of ['On', 'Off']) {
        await createAffiliationRequest(t.db, t.clock(), {
          company: alpha,
          firstName: 'Rémi',
          lastName: `Relance${suffix}`,
          email: `remi.${suffix.toLowerCase()}@exemple.fr`,
          createdAt: ago(3),
        });
        await createAffiliationRequest(t.db, t.clock(), {
          company: alpha,
          establishment: alpha.establishments[1],
          firstName: 'Carla',
          lastName: `Annule${suffix}`,
          status: 'started',
          createdAt: ago(4),
        });
      }
      await createAffiliationRequest(t.db, t.clock(), { company: alpha, firstName: 'Aline', lastName: 'Finale', status: 'finalized', createdAt: ago(20) });
      await createAffiliationRequest(t.db, t.clock(), { company: alpha, firstName: 'Marc', lastName: 'Papier', mode: 'courrier', createdAt: ago(1) });
    });
  });
  after(async () => {
    await b?.close();
  });

  const logIn = (context: BrowserContext): Promise<Page> => logInThroughPages(b, context, 'entreprise', admin.email, admin.mobile, PASSWORD);
  const row = (page: Page, name: string) => page.locator('tbody tr', { hasText: name });

  for (const on of [true, false]) {
    const mode = on ? 'JS on' : 'JS off';
    const suffix = on ? 'On' : 'Off';

    test(`the list: filter by status and name, sort by a column header (${mode})`, async () => {
      const page = await logIn(on ? b.jsOn : b.jsOff);
      await page.goto(`${b.baseUrl}/entreprise/accueil`);
      await page.getByRole('link', { name: "Suivi des demandes d'affiliations" }).first().click();
      await page.getByRole('heading', { name: 'Suivi des affiliations' }).waitFor();
      assert.ok(await page.getByRole('link', { name: 'pré-affilier' }).isVisible());
      assertIncludes(await page.locator('main').innerText(), 'Finalisé par le salarié');
      await assertNoViolations(page, on);

      await page.getByLabel('Statut').selectOption({ label: 'Démarré par le salarié' });
      if (!on) await page.getByRole('button', { name: 'Filtrer' }).click();
      await page.waitForURL(/statut=started/);
      await row(page, `Carla Annule${suffix}`).waitFor();
      await page.locator('tbody tr', { hasText: 'Aline Finale' }).waitFor({ state: 'detached' });
      await page.getByLabel('Prénom ou nom du salarié').fill(`annule${suffix.toLowerCase()}`);
      await page.getByRole('button', { name: 'Filtrer' }).click();
      await page.waitForURL(/nom=annule/);
      await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
      assertIncludes(await page.locator('tbody').innerText(), `Carla Annule${suffix}`);
      await assertNoViolations(page, on);

      await page.getByRole('link', { name: 'Effacer les filtres' }).click();
      await page.waitForURL(new RegExp(`${BASE}$`));
      await page.locator('tbody tr', { hasText: 'Aline Finale' }).waitFor();
      await page.getByRole('link', { name: /^Prénom Nom/ }).click();
      await page.waitForURL(/tri=nom&ordre=asc/);
      await page.locator('th[aria-sort="ascending"]', { hasText: 'Prénom Nom' }).waitFor();
      assertIncludes(await page.locator('tbody tr').first().innerText(), 'Aline Finale');
      await assertNoViolations(page, on);
      await page.setViewportSize({ width: 360, height: 740 });
      assert.ok(await hasNoHorizontalOverflow(page), 'no overflow at 360 px');
      await page.close();
    });

    test(`« Envoi d'un email de relance » from the « … » menu (${mode})`, async () => {
      const page = await logIn(on ? b.jsOn : b.jsOff);
      await page.goto(`${b.baseUrl}${BASE}`);
      const name = `Rémi Relance${suffix}`;
      await row(page, name).locator('summary').click();
      await row(page, name).getByRole('button', { name: "Envoi d'un email de relance" }).click();
      await page.getByText(`Un email de relance a été envoyé à remi.${suffix.toLowerCase()}@exemple.fr`).waitFor();
      assertIncludes(await row(page, name).innerText(), 'Relancé le');
      assert.equal((await b.t.db('outbox').where({ recipient: `remi.${suffix.toLowerCase()}@exemple.fr` })).length, 1);
      await assertNoViolations(page, on);
      // The same day, a second one is refused with a French message.
      await row(page, name).locator('summary').click();
      await row(page, name).getByRole('button', { name: "Envoi d'un email de relance" }).click();
      await page.getByText('Une relance a déjà été envoyée il y a moins de 24 heures').waitFor();
      assert.equal((await b.t.db('outbox').where({ recipient: `remi.${suffix.toLowerCase()}@exemple.fr` })).length, 1);
      // The detail page shows the history.
      await page.getByRole('link', { name }).click();
      await page.getByRole('heading', { name: `Demande d'affiliation de ${name}` }).waitFor();
      assertIncludes(await page.locator('main').innerText(), 'Email de relance n° 1 envoyé');
      await assertNoViolations(page, on);
      await page.close();
    });

    test(`« Annuler la demande d'affiliation » with its confirmation page (${mode})`, async () => {
      const page = await logIn(on ? b.jsOn : b.jsOff);
      await page.goto(`${b.baseUrl}${BASE}?statut=started`);
      const name = `Carla Annule${suffix}`;
      await row(page, name).locator('summary').click();
      await row(page, name).getByRole('link', { name: "Annuler la demande d'affiliation" }).click();
      await page.getByRole('heading', { name: "Annuler la demande d'affiliation" }).waitFor();
      assertIncludes(await page.locator('main').innerText(), name);
      await assertNoViolations(page, on);
      await page.getByRole('button', { name: "Annuler la demande d'affiliation" }).click();
      await page.getByText(`La demande d'affiliation de ${name} est annulée.`).waitFor();
      assert.ok(page.url().endsWith(`${BASE}?statut=started`), 'back to the list as it was');
      assert.equal(await row(page, name).count(), 0, 'no longer « Démarré »');
      const request = await b.t
        .db('affiliation_requests')
        .where({ last_name: `Annule${suffix}` })
        .first();
      assert.equal(request.status, 'cancelled');
      assert.equal(request.token_hash, null);
      await assertNoViolations(page, on);
      await page.close();
    });
  }
});

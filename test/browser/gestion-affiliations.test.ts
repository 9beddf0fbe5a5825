// « Validation des affiliations » in Chromium: a staff agent opens the list and a request,
// refuses one (with the missing-reason error first), validates another, and filters the list —
// JS off (plain pages) and JS on (decision block and list swapped in place), axe on every step.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext } from 'playwright-core';
import { assertNoViolations, browserSkipReason, hasNoHorizontalOverflow, logInThroughPages, startBrowserHarness, type BrowserHarness } from './browser.js';
import { createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { createAccount, PASSWORD } from '../helpers/fixtures.js';
import { createFinalizedRequest, type FinalizedRequest } from '../helpers/finalized-requests.js';

const skip = browserSkipReason();

describe('Validation des affiliations in Chromium', { skip, timeout: 240_000 }, () => {
  let b: BrowserHarness;
  let company: TestCompany;
  const agent = { email: 'agent.validation@tilleul.example', mobile: '+33612340201' };
  const requests: Record<string, FinalizedRequest> = {};
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      company = await createHrCompany(t.db, 'Verdier Navigateur', 2);
      const hr = await createHrUser(t.db, [{ company, role: 'admin' }], { mobile: '+33612340202' });
      await createAccount(t.db, { kind: 'staff', ...agent, firstName: 'Claire' });
      for (const [key, lastName, day] of [
        ['refuseOff', 'Arnaud', '05'],
        ['validateOff', 'Bonnet', '06'],
        ['refuseOn', 'Chevalier', '07'],
        ['validateOn', 'Dumas', '08'],
      ] as const) {
        requests[key] = await createFinalizedRequest(t.db, {
          uploadDir: t.config.uploadDir,
          company,
          createdBy: hr.id,
          lastName,
          submittedAt: `2026-11-${day}T09:00:00.000Z`,
          beneficiaries: [{ relationship: 'enfant', sex: 'F', lastName, firstName: 'Zoé', birthDate: '2019-02-03', nir: null }],
        });
      }
    });
  });
  after(async () => {
    await b?.close();
  });

  for (const on of [false, true]) {
    const mode = on ? 'JS on' : 'JS off';
    const toRefuse = on ? 'refuseOn' : 'refuseOff';
    const toValidate = on ? 'validateOn' : 'validateOff';
    test(`list, a request, a refusal with an error first, a validation, the filter (${mode})`, async () => {
      const context: BrowserContext = on ? b.jsOn : b.jsOff;
      const page = await logInThroughPages(b, context, 'gestion', agent.email, agent.mobile, PASSWORD);
      await page.getByRole('navigation', { name: 'Navigation de gestion' }).getByRole('link', { name: 'Affiliations' }).click();
      await page.getByRole('heading', { level: 1, name: 'Validation des affiliations' }).waitFor();
      await assertNoViolations(page, on);

      // Refuse: no reason first, then a reason.
      const refusing = requests[toRefuse];
      await page.getByRole('link', { name: `${refusing.firstName} ${refusing.lastName}` }).click();
      await page.getByRole('heading', { level: 1, name: `Demande d'affiliation de ${refusing.firstName} ${refusing.lastName}` }).waitFor();
      assert.ok(await page.getByText('FR76 3000 6000 0112 3456 7890 189').isVisible(), 'IBAN by groups of 4');
      await assertNoViolations(page, on);
      if (on) {
        await page.setViewportSize({ width: 360, height: 740 });
        assert.ok(await hasNoHorizontalOverflow(page), 'the request page fits a 360 px phone');
        await page.setViewportSize({ width: 1280, height: 720 });
      }
      await page.getByRole('button', { name: 'Refuser la demande' }).click();
      await page.locator('#motif-error').waitFor();
      assert.equal(
        (await page.locator('#motif-error').textContent())?.replace(/\s+/g, ' ').trim(),
        'Erreur : Indiquez le motif du refus : il sera envoyé au salarié.',
      );
      if (on) assert.ok(page.url().endsWith(`/gestion/affiliations/${refusing.id}`), 'swapped in place');
      await assertNoViolations(page, on);
      await page.getByLabel('Motif du refus').fill('Le RIB joint est illisible : transmettez-en un lisible à votre service RH.');
      await page.getByRole('button', { name: 'Refuser la demande' }).click();
      await page.getByText(`La demande de ${refusing.firstName} ${refusing.lastName} est refusée.`).waitFor();
      await page.waitForURL(/\/gestion\/affiliations$/);
      await assertNoViolations(page, on);
      assert.equal((await b.t.db('affiliation_requests').where({ id: refusing.id }).first()).decision, 'refused');

      // Validate another one.
      const validating = requests[toValidate];
      await page.getByRole('link', { name: `${validating.firstName} ${validating.lastName}` }).click();
      await page.getByRole('heading', { level: 1, name: `Demande d'affiliation de ${validating.firstName} ${validating.lastName}` }).waitFor();
      await page.getByRole('button', { name: "Valider l'affiliation" }).click();
      await page.getByText(`L'affiliation de ${validating.firstName} ${validating.lastName} est validée : adhérent n°`).waitFor();
      await assertNoViolations(page, on);
      const row = await b.t.db('affiliation_requests').where({ id: validating.id }).first();
      assert.equal(row.decision, 'validated');
      assert.equal((await b.t.db('beneficiaries').where({ member_id: row.member_id })).length, 2);

      // The « Validées » filter lists it; the decision shows on its page.
      await page.getByRole('link', { name: /^Validées/ }).click();
      await page.waitForURL(/statut=validees/);
      await page.getByRole('link', { name: `${validating.firstName} ${validating.lastName}` }).waitFor();
      await assertNoViolations(page, on);
      await page.getByRole('link', { name: `${validating.firstName} ${validating.lastName}` }).click();
      await page.getByText(/^Validée le \d{2}\/\d{2}\/\d{4} par Claire Martin\.$/).waitFor();
      assert.equal(await page.getByRole('button', { name: "Valider l'affiliation" }).count(), 0);
      await assertNoViolations(page, on);
      await page.close();
    });
  }
});

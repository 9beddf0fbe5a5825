// « Consulter vos contrats couverts » in Chromium, JavaScript off (plain GET filter, native
// <details>, the PDF link) and on (htmx filter in place, URL in sync, axe: zero violations), the
// guarantee tables inside their box at 1280 px and at 360 px. And the member's « Situation
// NOEMIE » warning for a silent télétransmission, axe clean, at 360 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  assertNoViolationsJsOff,
  axeViolations,
  browserSkipReason,
  formatViolations,
  hasNoHorizontalOverflow,
  logInThroughPages,
  type BrowserHarness,
  startBrowserHarness,
} from './browser.js';
import { PASSWORD } from '../helpers/fixtures.js';
import { createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { createFamily, type Family } from '../helpers/family.js';
import { assertIncludes } from '../helpers/assertions.js';

const skip = browserSkipReason();

/** Every guarantee table lies inside its box and its box does not scroll sideways. */
async function tablesFitTheirBox(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLTableElement>('table.guarantees')]
      .filter((table) => table.offsetParent !== null)
      .flatMap((table) => {
        const wrap = table.closest<HTMLElement>('.guarantees-wrap')!;
        const card = table.closest<HTMLElement>('.contract')!;
        const t = table.getBoundingClientRect();
        const w = wrap.getBoundingClientRect();
        const c = card.getBoundingClientRect();
        const name = table.caption?.textContent ?? '?';
        return [
          ...(wrap.scrollWidth > wrap.clientWidth + 1 ? [`${name}: the table scrolls in its box (${wrap.scrollWidth} > ${wrap.clientWidth})`] : []),
          ...(t.right > w.right + 1 || w.right > c.right + 1 ? [`${name}: wider than its box`] : []),
        ];
      }),
  );
}

async function assertAxeClean(page: Page, where: string) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${where}\n${formatViolations(violations)}`);
}

describe('Vos contrats couverts and the NOEMIE check in Chromium', { skip, timeout: 300_000 }, () => {
  let b: BrowserHarness;
  let alpha: TestCompany;
  let beta: TestCompany;
  let family: Family;
  const hr = { email: 'rh.contrats@alpha.example', mobile: '+33612340301' };
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      alpha = await createHrCompany(t.db, 'Alpha Immobilier', 1);
      beta = await createHrCompany(t.db, 'Beta Syndic', 1);
      const long =
        'Dépassements d’honoraires des médecins adhérents à un dispositif de pratique tarifaire maîtrisée (OPTAM, OPTAM-CO) en secteur 2, hors parcours de soins coordonnés';
      for (const [contractId, label] of [
        [alpha.contracts.non_cadre, 'Consultation généraliste'],
        [alpha.contracts.cadre, 'Consultation spécialiste'],
        [beta.contracts.cadre, 'Séjour en maternité'],
      ] as const) {
        let position = 0;
        for (const [category, line, coverage] of [
          ['hospitalisation', 'Frais de séjour', '100 % BR'],
          ['soins_courants', label, '200 % BR – RSS'],
          ['soins_courants', long, 'Forfait 150 € par an et par bénéficiaire, dans la limite des frais réels, renouvelable tous les deux ans'],
          ['optique', 'Monture et verres simples', 'Forfait 150 € par an'],
        ])
          await t.db('guarantee_lines').insert({ contract_id: contractId, category, label: line, coverage, position: position++ });
      }
      await createHrUser(
        t.db,
        [
          { company: alpha, role: 'admin' },
          { company: beta, role: 'user' },
        ],
        { ...hr, firstName: 'Eugénie' },
      );
      // Emma: télétransmission active since 2021, no décompte, while her family has some.
      family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Silence' });
      await t
        .db('beneficiaries')
        .where({ id: family.beneficiaries.enfant2 })
        .update({ teletransmission_status: 'active', teletransmission_since: '2021-03-01' });
    });
  });
  after(async () => {
    await b?.close();
  });

  test('JavaScript off: from the home page, filter by company with « Afficher », open a table, download its PDF', async () => {
    const page = await logInThroughPages(b, b.jsOff, 'entreprise', hr.email, hr.mobile, PASSWORD);
    await page.getByRole('link', { name: 'Consulter vos contrats couverts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Vos contrats couverts' }).waitFor();
    await page.getByRole('heading', { level: 2, name: /Alpha Immobilier/ }).waitFor();
    await page.getByRole('heading', { level: 2, name: /Beta Syndic/ }).waitFor();
    await assertNoViolationsJsOff(b, page);

    await page.getByLabel('Entreprise').selectOption({ label: 'Beta Syndic' });
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.waitForURL(`**/entreprise/contrats?entreprise=${beta.companyId}`);
    assert.equal(await page.getByRole('heading', { level: 2, name: /Alpha Immobilier/ }).count(), 0);
    const summary = page.locator('summary', { hasText: 'Tableau des garanties' }).first();
    await summary.click();
    assert.ok(await page.getByRole('table', { name: 'Soins courants' }).first().isVisible());
    assertIncludes(await page.getByRole('table', { name: 'Soins courants' }).first().innerText(), 'Séjour en maternité');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Télécharger le tableau des garanties du contrat CTH-.*-cadre/ }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^garanties-CTH-\d+-cadre\.pdf$/);
    await page.close();
  });

  test('JavaScript on: the filter swaps the list in place and keeps the URL in sync; axe clean; tables inside their box at 1280 and 360 px', async () => {
    const page = await logInThroughPages(b, b.jsOn, 'entreprise', hr.email, hr.mobile, PASSWORD);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${b.baseUrl}/entreprise/contrats`);
    await assertAxeClean(page, 'contrats');
    await page.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });
    await page.getByLabel('Entreprise').selectOption({ label: 'Alpha Immobilier' });
    await page.waitForURL(`**/entreprise/contrats?entreprise=${alpha.companyId}`);
    await page.getByRole('heading', { level: 2, name: /Beta Syndic/ }).waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), true, 'swapped in place, no page load');
    await page.getByRole('heading', { level: 1, name: 'Vos contrats couverts' }).waitFor();

    for (const summary of await page.locator('summary', { hasText: 'Tableau des garanties' }).all()) await summary.click();
    assert.ok(await page.getByRole('table', { name: 'Optique' }).first().isVisible());
    await assertAxeClean(page, 'contrats, tables open');
    assert.deepEqual(await tablesFitTheirBox(page), [], '1280 px');
    assert.ok(await hasNoHorizontalOverflow(page), 'nothing wider than 1280 px');

    await page.setViewportSize({ width: 360, height: 740 });
    assert.deepEqual(await tablesFitTheirBox(page), [], '360 px');
    assert.ok(await hasNoHorizontalOverflow(page), 'no horizontal scrolling at 360 px');
    await assertAxeClean(page, 'contrats 360 px');

    // Back to all companies, and the browser's back button.
    await page.getByLabel('Entreprise').selectOption({ label: 'Toutes' });
    await page.getByRole('heading', { level: 2, name: /Beta Syndic/ }).waitFor();
    await page.goBack();
    await page.waitForURL(`**/entreprise/contrats?entreprise=${alpha.companyId}`);
    await page.close();
  });

  test('Situation NOEMIE: the warning beside Emma and what to do, axe clean, 360 px, JavaScript on and off', async () => {
    for (const context of [b.jsOn, b.jsOff]) {
      const page = await logInThroughPages(b, context, 'assure', family.email, family.mobile, PASSWORD);
      await page.goto(`${b.baseUrl}/assure/situation-noemie`);
      const row = page.getByRole('row', { name: /Emma Silence/ });
      assertIncludes(await row.innerText(), 'Aucun décompte reçu depuis au moins 4 mois');
      await row.getByRole('link', { name: 'Que faire pour Emma Silence ?' }).click();
      await page.waitForURL(/#noemie-verifier-\d+$/);
      const help = page.getByRole('region', { name: /Télétransmission de Emma Silence/ });
      assertIncludes(await help.innerText(), 'attestation de droits');
      if (context === b.jsOn) {
        await assertAxeClean(page, 'situation NOEMIE');
        await page.setViewportSize({ width: 360, height: 740 });
        assert.ok(await hasNoHorizontalOverflow(page), 'no horizontal scrolling at 360 px');
        await assertAxeClean(page, 'situation NOEMIE 360 px');
      } else await assertNoViolationsJsOff(b, page);
      await help.getByRole('link', { name: /écrivez-nous depuis la messagerie sécurisée/ }).click();
      await page.waitForURL('**/assure/messagerie/nouveau?categorie=beneficiaires&objet=teletransmission');
      assert.equal(await page.getByLabel('Objet').inputValue(), 'teletransmission');
      await page.close();
    }
  });
});

// Issue #11 A1 in Chromium, JavaScript on (axe: zero violations) and off: an administrator adds
// an address that already has an account elsewhere (same answer as a new invitation), sees its
// identity read-only, and the owner refuses the access from the link of the email, not logged in.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoViolations, browserSkipReason, logInThroughPages, startBrowserHarness, type BrowserHarness } from './browser.js';
import { PASSWORD, linkIn } from '../helpers/fixtures.js';
import { createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { assertIncludes } from '../helpers/assertions.js';

const skip = browserSkipReason();

describe('Espace Entreprise habilitations in Chromium: an existing account added, then refused by its owner', { skip, timeout: 300_000 }, () => {
  let b: BrowserHarness;
  let alpha: TestCompany;
  const admin = { email: 'eugenie.marchand@alpha.example', mobile: '+33612340601' };
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      alpha = await createHrCompany(t.db, 'Alpha Immobilier', 1);
      const ponant = await createHrCompany(t.db, 'Immobilière du Ponant', 1);
      await createHrUser(t.db, [{ company: alpha, role: 'admin' }], { ...admin, firstName: 'Eugénie' });
      for (const mode of ['on', 'off'])
        await createHrUser(t.db, [{ company: ponant, role: 'admin' }], {
          email: `yann.${mode}@ponant.example`,
          firstName: 'Yann',
          mobile: mode === 'on' ? '+33612340602' : '+33612340603',
        });
    });
  });
  after(async () => {
    await b?.close();
  });

  for (const on of [true, false]) {
    const mode = on ? 'JS on' : 'JS off';

    test(`add an existing account, its identity read-only, the owner refuses from the email (${mode})`, async () => {
      const email = `yann.${on ? 'on' : 'off'}@ponant.example`;
      const page = await logInThroughPages(b, on ? b.jsOn : b.jsOff, 'entreprise', admin.email, admin.mobile, PASSWORD);
      await page.goto(`${b.baseUrl}/entreprise/habilitations/ajouter`);
      await page.locator('#last_name').fill('Dupont');
      await page.getByLabel('Prénom').fill('Jean');
      await page.getByLabel('Adresse e-mail').fill(email);
      await page.getByRole('group', { name: 'Alpha Immobilier' }).getByLabel('Utilisateur').check();
      await page.getByRole('button', { name: "Ajouter l'utilisateur" }).click();
      // The answer of a new invitation, with the names typed.
      await page.getByText('Jean Dupont a été ajouté(e).').waitFor();

      const row = page.locator('tr', { hasText: email });
      await row.locator('summary').click();
      await row.getByRole('link', { name: 'Modifier le profil' }).click();
      await page.getByRole('heading', { name: /^Modifier Yann Martin/ }).waitFor();
      assert.equal(await page.locator('input[name="mobile"], input[name="email"], input[name="last_name"]').count(), 0);
      assertIncludes(await page.locator('main').innerText(), "vous n'administrez pas");
      await assertNoViolations(page, on);
      await page.close();

      // The owner, in a browser of their own, not logged in.
      const notice = await b.t.db('outbox').where({ recipient: email }).orderBy('id', 'desc').first();
      assert.ok(notice.subject.startsWith('Nouvel accès dans votre Espace Entreprise'));
      const path = linkIn(notice.body_text.split('Refuser cet accès')[1]);
      const ownerContext = await b.browser.newContext(on ? { bypassCSP: true, locale: 'fr-FR' } : { javaScriptEnabled: false, locale: 'fr-FR' });
      const owner = await ownerContext.newPage();
      await owner.goto(`${b.baseUrl}${path}`);
      await owner.getByRole('heading', { name: "Refuser l'accès à Alpha Immobilier" }).waitFor();
      await assertNoViolations(owner, on);
      await owner.getByRole('button', { name: "Refuser l'accès à Alpha Immobilier" }).click();
      await owner.getByText('Votre accès à Alpha Immobilier a été retiré.').waitFor();
      assert.ok(owner.url().endsWith('/entreprise'));
      await assertNoViolations(owner, on);
      // Used once: the link now says so.
      await owner.goto(`${b.baseUrl}${path}`);
      await owner.getByRole('heading', { name: "Ce lien n'est plus valable" }).waitFor();
      await assertNoViolations(owner, on);
      await ownerContext.close();
      const account = await b.t.db('accounts').where({ email }).first();
      assert.equal((await b.t.db('hr_habilitations').where({ account_id: account.id, company_id: alpha.companyId })).length, 0);
    });
  }
});

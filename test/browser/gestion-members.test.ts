// « Assurés » in Chromium: a staff agent searches a member by name typed without accents, then by
// NIR (the address never holds it), opens the file, and resets the member's double
// authentification (the missing reason and identity check said first) — JS off (plain pages) and
// JS on (the list and the account section swapped in place), axe on every step, 1280 px wide.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { assertPageInMode, browserSkipReason, logInThroughPages, startBrowserHarness, type BrowserHarness } from './browser.js';
import { createFamily, type Family } from '../helpers/family.js';
import { createAccount, PASSWORD } from '../helpers/fixtures.js';

const skip = browserSkipReason();

describe('Assurés in Chromium', { skip, timeout: 240_000 }, () => {
  let b: BrowserHarness;
  const agent = { email: 'agent.assures@tilleul.example', mobile: '+33612340301' };
  const members: Record<'off' | 'on', { family: Family; nir: string; typed: string; search: string; name: string }> = {} as never;
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      await createAccount(t.db, { kind: 'staff', ...agent, firstName: 'Claire' });
      const helene = await createFamily(t.db, { firstName: 'Hélène', lastName: 'Lefèvre' });
      await t.db('members').where({ id: helene.memberId }).update({ nir: '295109912611193' });
      const noel = await createFamily(t.db, { firstName: 'Noël', lastName: 'Bécaud' });
      // Not the spouse's NIR of test/helpers/family.ts: a beneficiary's NIR finds their member too.
      await t.db('members').where({ id: noel.memberId }).update({ nir: '186057511300103' });
      members.off = { family: helene, nir: '295109912611193', typed: '2 95 10 99 126 111 93', search: 'lefevre hel', name: 'LEFÈVRE Hélène' };
      members.on = { family: noel, nir: '186057511300103', typed: '1 86 05 75 113 001 03', search: 'BECAUD', name: 'BÉCAUD Noël' };
    });
  });
  after(async () => {
    await b?.close();
  });

  const checkPage = (page: Page, on: boolean) => assertPageInMode(b, page, on);

  async function search(page: Page, text: string) {
    await page.getByLabel('Rechercher un assuré').fill(text);
    await page.getByRole('button', { name: 'Rechercher' }).click();
  }

  for (const on of [false, true]) {
    const mode = on ? 'JS on' : 'JS off';
    test(`search by name and by NIR, open a file, reset the 2FA (${mode})`, async () => {
      const m = members[on ? 'on' : 'off'];
      const context: BrowserContext = on ? b.jsOn : b.jsOff;
      const page = await logInThroughPages(b, context, 'gestion', agent.email, agent.mobile, PASSWORD);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByRole('navigation', { name: 'Navigation de gestion' }).getByRole('link', { name: 'Assurés' }).click();
      await page.getByRole('heading', { level: 1, name: 'Assurés' }).waitFor();
      await checkPage(page, on);

      // By name, without the accents.
      await search(page, m.search);
      await page.getByText('1 assuré trouvé').waitFor();
      assert.ok(await page.getByRole('link', { name: m.name }).isVisible());
      await checkPage(page, on);

      // By NIR: found, and the address names a reference, never the number.
      await search(page, m.typed);
      await page.waitForURL(/recherche=nir-[a-f0-9]{12}$/);
      await page.getByText('1 assuré trouvé').waitFor();
      assert.ok(!page.url().includes(m.nir.slice(0, 7)), page.url());
      assert.ok(
        !page
          .url()
          .replace(/%20|\+/g, '')
          .includes(m.typed.replace(/\s/g, '')),
        page.url(),
      );
      assert.equal(await page.getByLabel('Rechercher un assuré').inputValue(), m.typed);
      await checkPage(page, on);

      // The file.
      await page.getByRole('link', { name: m.name }).click();
      await page.getByRole('heading', { level: 1, name: /^Dossier/ }).waitFor();
      assert.ok(await page.getByRole('heading', { level: 2, name: 'Bénéficiaires et télétransmission' }).isVisible());
      assert.ok(await page.getByText('Codes envoyés par SMS au').isVisible());
      await checkPage(page, on);
      const fileUrl = page.url();

      // Reset: nothing filled first, then a reason and the identity check.
      await page.getByRole('button', { name: 'Réinitialiser la double authentification' }).click();
      await page.locator('#motif-error').waitFor();
      await page.locator('#identite-error').waitFor();
      if (on) assert.equal(page.url(), fileUrl, 'swapped in place');
      await checkPage(page, on);
      await page.getByLabel('Motif').fill("Téléphone perdu, identité vérifiée par l'appel");
      await page.getByLabel('Identité vérifiée').check();
      await page.getByRole('button', { name: 'Réinitialiser la double authentification' }).click();
      await page.getByText(/est réinitialisée/).waitFor();
      await page.getByText(/Non configurée/).waitFor();
      await checkPage(page, on);
      const account = await b.t.db('accounts').where({ id: m.family.accountId }).first();
      assert.equal(account.mobile, null);
      const audit = await b.t.db('audit_log').where({ event: 'member_two_factor_reset' }).orderBy('id', 'desc').first();
      assert.match(String(audit.detail), /Téléphone perdu/);
    });
  }
});

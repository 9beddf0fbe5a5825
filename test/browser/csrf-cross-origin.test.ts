// A real cross-origin page (another port of the same host: same site, so the Lax session cookie
// goes along) auto-submits forms to the portal in Chromium, as an attacker's page would: each is
// refused with 403 and the member stays logged in, multipart included.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { browserSkipReason, logInThroughPages, startBrowserHarness, type BrowserHarness } from './browser.js';
import { createAccount, PASSWORD } from '../helpers/fixtures.js';

const skip = browserSkipReason();

describe('CSRF from a cross-origin page in Chromium', { skip, timeout: 120_000 }, () => {
  let b: BrowserHarness;
  let attacker: http.Server;
  let attackerUrl: string;
  before(async () => {
    b = await startBrowserHarness();
    const member = await createAccount(b.t.db, { kind: 'member', mobile: '+33639980061' });
    const page = await logInThroughPages(b, b.jsOn, 'assure', member.email, '+33639980061', PASSWORD);
    await page.close();
    // The attacker's page: /<enctype> submits a form to the portal's « Se déconnecter » on load.
    attacker = http.createServer((req, res) => {
      const enctype = decodeURIComponent((req.url ?? '/').slice(1));
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(
        `<!doctype html><html lang="fr"><title>Jeu concours</title><form id="f" method="post" action="${b.baseUrl}/assure/deconnexion" enctype="${enctype}"><input name="x" value="y"></form><script>document.getElementById('f').submit()</script></html>`,
      );
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  });
  after(async () => {
    attacker?.closeAllConnections();
    await new Promise((resolve) => attacker?.close(resolve));
    await b?.close();
  });

  for (const enctype of ['multipart/form-data', 'application/x-www-form-urlencoded', 'text/plain']) {
    test(`${enctype}: 403, and the member is still logged in`, async () => {
      const page = await b.jsOn.newPage();
      const answer = page.waitForResponse((res) => res.url() === `${b.baseUrl}/assure/deconnexion`);
      await page.goto(`${attackerUrl}/${encodeURIComponent(enctype)}`);
      assert.equal((await answer).status(), 403);
      await page.goto(`${b.baseUrl}/assure/accueil`);
      assert.ok(page.url().endsWith('/assure/accueil'), `still logged in (${page.url()})`);
      await page.close();
    });
  }
});

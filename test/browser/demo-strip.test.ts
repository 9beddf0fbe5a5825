// The « Démonstration — données fictives » strip in Chromium, on a page of every layout: visible,
// in the flow above the header bar (it covers nothing, at 320 px as at 1280 px), and no axe violation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoViolations, browserSkipReason, logInThroughPages, startBrowserHarness, type BrowserHarness } from './browser.js';
import { createAccount, PASSWORD } from '../helpers/fixtures.js';
import { createHrCompany, createHrUser } from '../helpers/entreprise.js';
import { createAffiliationRequest } from '../helpers/affiliation-requests.js';

const skip = browserSkipReason();

describe('demo strip in Chromium', { skip, timeout: 180_000 }, () => {
  let b: BrowserHarness;
  const paths: Record<string, string> = { public: '/', 'public (404)': '/page-inconnue' };
  before(async () => {
    b = await startBrowserHarness();
    const { db } = b.t;
    const member = await createAccount(db, { kind: 'member', mobile: '+33639980051' });
    const staff = await createAccount(db, { kind: 'staff', mobile: '+33639980052' });
    const company = await createHrCompany(db, 'Société Démo');
    const hr = await createHrUser(db, [{ company, role: 'admin' }], { mobile: '+33639980053' });
    const link = await createAffiliationRequest(db, b.t.clock(), { company });
    paths.affiliation = `/affiliation/${link.token}`;
    for (const [door, account, mobile] of [
      ['assure', member, '+33639980051'],
      ['entreprise', hr, '+33639980053'],
      ['gestion', staff, '+33639980052'],
    ] as const) {
      const page = await logInThroughPages(b, b.jsOn, door, account.email, mobile, PASSWORD);
      await page.close();
      paths[door] = `/${door}/accueil`;
    }
  });
  after(async () => {
    await b?.close();
  });

  for (const name of ['public', 'public (404)', 'assure', 'entreprise', 'gestion', 'affiliation']) {
    test(`${name}: the strip is visible, covers nothing, and the page has no axe violation`, async () => {
      const page = await b.jsOn.newPage();
      for (const width of [320, 1280]) {
        await page.setViewportSize({ width, height: 800 });
        await page.goto(b.baseUrl + paths[name]);
        const strip = page.locator('.demo-strip');
        assert.equal(await strip.count(), 1);
        assert.ok(await strip.isVisible(), `${width}px: visible`);
        assert.equal((await strip.innerText()).trim(), 'Démonstration — données fictives');
        const s = (await strip.boundingBox())!;
        const bar = (await page.locator('.header-bar').boundingBox())!;
        const main = (await page.locator('main').boundingBox())!;
        const layout = {
          position: await strip.evaluate((el) => getComputedStyle(el).position),
          stripTop: s.y,
          stripBottom: s.y + s.height,
          barTop: bar.y,
          mainTop: main.y,
        };
        assert.equal(layout.position, 'static', 'in the flow');
        assert.equal(layout.stripTop, 0, 'at the top of the page');
        assert.ok(layout.stripBottom <= layout.barTop + 0.5, `${width}px: above the header bar, not over it`);
        assert.ok(layout.stripBottom <= layout.mainTop, `${width}px: above the content`);
        await assertNoViolations(page, true);
      }
      await page.close();
    });
  }
});

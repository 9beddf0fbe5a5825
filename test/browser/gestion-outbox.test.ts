// « Envois en échec » in Chromium, on the demo data: the superviseur goes Administration → « Envois
// en échec », finds an email the mail server refused OUTBOX_MAX_ATTEMPTS times, and « Renvoyer »
// puts it back in the sending queue (the flash says so, the row leaves the list). JavaScript off
// (POST → 303 → GET) and on, axe and 1280 px on every page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext } from 'playwright-core';
import { assertPageInMode, browserSkipReason, logInThroughPages, startDemoBrowserHarness, type BrowserHarness } from './browser.js';
import { DEMO_FACTS } from '../../db/seeds/demo/index.js';
import { insertedId } from '../../src/db.js';
import { outboxRow } from '../../src/domain/outbox.js';

const skip = browserSkipReason();
const SUPERVISOR_MOBILE = '+262639980308';

describe('« Envois en échec » in Chromium', { skip, timeout: 300_000 }, () => {
  let b: BrowserHarness;
  const contexts: BrowserContext[] = [];

  before(async () => {
    b = await startDemoBrowserHarness();
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await b?.close();
  });

  for (const on of [false, true]) {
    const mode = on ? 'JS on' : 'JS off';
    test(`the superviseur finds a dead email and sends it again (${mode})`, async () => {
      const recipient = `refus.${on ? 'on' : 'off'}@exemple.fr`;
      const message = { channel: 'email' as const, email: { to: recipient, subject: 'Votre espace vous attend', text: 'Bonjour.', html: '<p>Bonjour.</p>' } };
      const [row] = await b.t
        .db('outbox')
        .insert({
          ...outboxRow(message, { status: 'pending' }, b.t.clock()),
          status: 'dead',
          attempts: 10,
          next_attempt_at: null,
          error: 'connect ECONNREFUSED 127.0.0.1:25',
        })
        .returning('id');
      const id = insertedId(row);

      const context = await b.browser.newContext({ javaScriptEnabled: on, bypassCSP: on, locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
      context.setDefaultTimeout(10_000);
      contexts.push(context);
      const page = await logInThroughPages(b, context, 'gestion', DEMO_FACTS.supervisor.email, SUPERVISOR_MOBILE, DEMO_FACTS.password);
      await page.getByRole('navigation', { name: 'Navigation de gestion' }).getByRole('link', { name: 'Administration', exact: true }).click();
      await page.getByRole('main').getByRole('link', { name: 'Envois en échec', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Envois en échec' }).waitFor();
      const line = page.getByRole('row').filter({ hasText: recipient });
      await line.getByText('Votre espace vous attend').waitFor();
      await line.getByText('connect ECONNREFUSED 127.0.0.1:25').waitFor();
      await assertPageInMode(b, page, on);

      await line.getByRole('button', { name: `Renvoyer l'envoi n° ${id}` }).click();
      await page.getByText("Le message est remis dans la file d'envoi").waitFor();
      assert.equal(await page.getByRole('row').filter({ hasText: recipient }).count(), 0, 'no longer listed');
      assert.equal((await b.t.db('outbox').where({ id }).first()).status, 'pending');
      await assertPageInMode(b, page, on);
    });
  }
});

// « Décomptes » of the Espace Gestion in Chromium, on the demo data: the staff agent sends a file
// without choosing one (the message beside the field), then a feed with one décompte of Marie
// Lefebvre and one line for an unknown member; the preview shows the line in error; « Charger »
// loads Marie's décompte and the history lists the feed. JavaScript off (plain multipart POST →
// 303 → GET, the progress page refreshing itself) and on, axe on every page, 1280 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { assertPageInMode, browserSkipReason, logInThroughPages, startDemoBrowserHarness, type BrowserHarness } from './browser.js';
import { DEMO_FACTS } from '../../db/seeds/demo/index.js';
import { FEED_COLUMNS } from '../../src/domain/statement-feed.js';

const skip = browserSkipReason();
const STAFF_MOBILE = '+262639980304';

describe('Décomptes in Chromium', { skip, timeout: 300_000 }, () => {
  let b: BrowserHarness;
  let dir: string;
  const contexts: BrowserContext[] = [];

  before(async () => {
    b = await startDemoBrowserHarness();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-decomptes-'));
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await b?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function feed(mode: string): string {
    const m = DEMO_FACTS.member;
    const [y, mo, d] = m.birthDate.split('-');
    const cells = (number: string, member: string) =>
      [
        number,
        '10/11/2026',
        member,
        m.firstName,
        `${d}/${mo}/${y}`,
        '02/11/2026',
        'pharmacie',
        'Pharmacie',
        'Pharmacie du Port',
        '12,30',
        '12,30',
        '8,61',
        '3,69',
        'professionnel',
        '12/11/2026',
      ].join(';');
    const file = path.join(dir, `flux-${mode}.csv`);
    fs.writeFileSync(file, `\uFEFF${[FEED_COLUMNS.join(';'), cells(`NAV-${mode}-1`, m.memberNumber), cells(`NAV-${mode}-2`, '999999999')].join('\r\n')}\r\n`);
    return file;
  }

  const checkPage = (page: Page, on: boolean) => assertPageInMode(b, page, on);

  for (const on of [false, true]) {
    const mode = on ? 'on' : 'off';
    test(`send a feed, read its errors, load it (JS ${mode})`, async () => {
      const context = await b.browser.newContext({ javaScriptEnabled: on, bypassCSP: on, locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
      context.setDefaultTimeout(15_000);
      contexts.push(context);
      const staff = await logInThroughPages(b, context, 'gestion', DEMO_FACTS.staff.email, STAFF_MOBILE, DEMO_FACTS.password);
      await staff.getByRole('link', { name: 'Décomptes', exact: true }).first().click();
      await staff.getByRole('heading', { level: 1, name: 'Décomptes' }).waitFor();
      await checkPage(staff, on);

      // No file: the message beside the field.
      await staff.getByRole('button', { name: 'Envoyer le fichier' }).click();
      await staff.locator('#fichier-error').filter({ hasText: 'Choisissez le fichier du flux' }).waitFor();
      await checkPage(staff, on);

      await staff.getByLabel('Fichier du flux de décomptes').setInputFiles(feed(mode));
      await staff.getByRole('button', { name: 'Envoyer le fichier' }).click();
      await staff.getByRole('heading', { level: 1, name: /Aperçu du flux/ }).waitFor({ timeout: 60_000 });
      await staff.getByText('1 décompte à charger (1 ligne)').waitFor();
      await staff.getByRole('cell', { name: 'Aucun adhérent ne porte le numéro 999999999.' }).waitFor();
      await checkPage(staff, on);

      await staff.getByRole('button', { name: 'Charger 1 décompte' }).click();
      await staff.getByText('1 décompte chargé').waitFor({ timeout: 60_000 });
      await checkPage(staff, on);
      const row = await b.t
        .db('statements')
        .where({ number: `NAV-${mode}-1` })
        .first();
      assert.ok(row, 'the décompte is loaded');

      await staff.getByRole('link', { name: 'Retour aux flux' }).click();
      await staff.getByRole('region', { name: 'Historique des flux' }).getByText('Chargé', { exact: true }).first().waitFor();
      await checkPage(staff, on);
    });
  }
});

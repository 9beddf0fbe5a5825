// « Comptes » in Chromium, on the demo data: the superviseur (superviseur@demo.example) opens
// « Comptes », adds a gestionnaire (a mistake first: the message beside the field, the values
// kept); the new gestionnaire creates their password from the emailed link, logs in with the SMS
// code, does not see « Comptes » nor the journal d'audit in the menu and gets 403 on both.
// JavaScript off (plain POST → 303 → GET) and on (htmx form), axe on every page, 1280 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { assertPageInMode, browserSkipReason, logInThroughPages, startDemoBrowserHarness, type BrowserHarness } from './browser.js';
import { DEMO_FACTS } from '../../db/seeds/demo/index.js';

const skip = browserSkipReason();
const SUPERVISOR_MOBILE = '+262639980308';
const NEW_PASSWORD = 'lanterne vélo prairie 2026 ocre';

describe('« Comptes » in Chromium', { skip, timeout: 300_000 }, () => {
  let b: BrowserHarness;
  const contexts: BrowserContext[] = [];

  before(async () => {
    b = await startDemoBrowserHarness();
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await b?.close();
  });

  async function newContext(on: boolean): Promise<BrowserContext> {
    const context = await b.browser.newContext({ javaScriptEnabled: on, bypassCSP: on, locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    return context;
  }

  const checkPage = (page: Page, on: boolean) => assertPageInMode(b, page, on);

  for (const on of [false, true]) {
    const mode = on ? 'JS on' : 'JS off';
    const suffix = on ? 'on' : 'off';
    const email = `nouvelle.gestionnaire.${suffix}@demo.example`;
    const mobile = on ? '+33612345671' : '+33612345670';

    test(`the superviseur adds a gestionnaire, who logs in from the invitation and gets 403 on « Comptes » and the journal (${mode})`, async () => {
      const boss = await logInThroughPages(b, await newContext(on), 'gestion', DEMO_FACTS.supervisor.email, SUPERVISOR_MOBILE, DEMO_FACTS.password);
      const menu = boss.getByRole('navigation', { name: 'Navigation de gestion' });
      await menu.getByRole('link', { name: 'Administration', exact: true }).click();
      await boss.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
      await checkPage(boss, on);
      await boss.getByRole('main').getByRole('link', { name: 'Comptes', exact: true }).click();
      await boss.getByRole('heading', { level: 1, name: 'Comptes du personnel' }).waitFor();
      await boss.getByRole('cell', { name: 'gestion@demo.example' }).waitFor();
      await checkPage(boss, on);

      await boss.getByRole('link', { name: 'Ajouter un membre du personnel' }).click();
      await boss.getByRole('heading', { level: 1, name: 'Ajouter un membre du personnel' }).waitFor();
      await checkPage(boss, on);
      // No name: the message beside the field, what was typed kept.
      await boss.getByLabel('Prénom').fill('Inès');
      await boss.getByLabel('Adresse e-mail').fill(email);
      await boss.getByLabel('Téléphone mobile (facultatif)').fill(`06 12 34 56 7${on ? 1 : 0}`);
      await boss.getByLabel('Gestionnaire').check();
      await boss.getByRole('button', { name: "Ajouter et envoyer l'invitation" }).click();
      await boss.locator('#last_name-error').filter({ hasText: 'Saisissez le nom.' }).waitFor();
      assert.equal(await boss.getByLabel('Prénom').inputValue(), 'Inès');
      assert.equal(await boss.getByLabel('Adresse e-mail').inputValue(), email);
      await checkPage(boss, on);
      await boss.locator('#last_name').fill('Garnier');
      await boss.getByRole('button', { name: "Ajouter et envoyer l'invitation" }).click();
      await boss.waitForURL('**/gestion/comptes');
      await boss.getByText(`Le compte de Inès Garnier est créé : une invitation à créer son mot de passe a été envoyée à ${email}.`).waitFor();
      const row = boss.getByRole('row').filter({ hasText: email });
      await row.getByText('Invitation envoyée').waitFor();
      await checkPage(boss, on);

      // The new gestionnaire: the link of the email, the password, the SMS code, the home.
      const mail = await b.t.db('outbox').where({ recipient: email }).orderBy('id', 'desc').first();
      const link = new URL(String(mail.body_text).match(/https?:\/\/\S+/)![0]).pathname;
      const newcomer = await (await newContext(on)).newPage();
      await newcomer.goto(`${b.baseUrl}${link}`);
      await newcomer.getByRole('heading', { level: 1, name: 'Créer mon mot de passe' }).waitFor();
      await checkPage(newcomer, on);
      await newcomer.locator('#password').fill(NEW_PASSWORD);
      await newcomer.locator('#password_confirm').fill(NEW_PASSWORD);
      await newcomer.getByRole('button', { name: 'Créer mon mot de passe' }).click();
      await newcomer.waitForURL(/\/gestion$/);
      await newcomer.close();
      const gestionnaire = await logInThroughPages(b, contexts.at(-1)!, 'gestion', email, mobile, NEW_PASSWORD);
      const nav = gestionnaire.getByRole('navigation', { name: 'Navigation de gestion' });
      await nav.getByRole('link', { name: 'Demandes', exact: true }).waitFor();
      assert.equal(await nav.getByRole('link', { name: 'Administration', exact: true }).count(), 0);
      await checkPage(gestionnaire, on);
      for (const path of ['/gestion/administration', '/gestion/comptes', '/gestion/audit']) {
        const answer = await gestionnaire.goto(`${b.baseUrl}${path}`);
        assert.equal(answer?.status(), 403, path);
        await checkPage(gestionnaire, on);
      }

      // The superviseur sees the account active, with its last login.
      await boss.goto(`${b.baseUrl}/gestion/comptes`);
      await boss.getByRole('row').filter({ hasText: email }).getByText('Actif').waitFor();
      await boss.getByRole('link', { name: 'GARNIER Inès' }).first().click();
      await boss.getByRole('heading', { level: 1, name: 'Inès Garnier' }).waitFor();
      await boss.getByRole('button', { name: 'Suspendre le compte' }).waitFor();
      await checkPage(boss, on);
    });
  }
});

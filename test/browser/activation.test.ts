// The « Done when » of the accounts issue, on the real demo data: the member without an account
// activates the Espace Assuré and logs in through the 2FA; an HR person activates the company
// that has no HR account. Each journey with JavaScript off, then on with axe on every screen.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { axeViolations, browserSkipReason, formatViolations, startDemoBrowserHarness, type BrowserHarness } from './browser.js';
import { codeIn } from '../helpers/fixtures.js';
import { answerQuestion } from '../helpers/anti-robot.js';
import { DEMO_FACTS } from '../../db/seeds/demo/index.js';

const skip = browserSkipReason();

describe('activation journeys on the demo data in Chromium', { skip, timeout: 240_000 }, () => {
  let b: BrowserHarness;
  before(async () => {
    b = await startDemoBrowserHarness();
  });
  after(async () => {
    await b?.close();
  });

  async function axe(page: Page, where: string, on: boolean) {
    if (!on) return;
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `${where}\n${formatViolations(violations)}`);
  }

  async function lastBody(recipient: string): Promise<string> {
    const row = await b.t.db('outbox').where({ recipient }).orderBy('id', 'desc').first();
    assert.ok(row, `a message to ${recipient}`);
    return row.body_text as string;
  }

  async function memberActivation(page: Page, on: boolean, channel: 'email' | 'sms') {
    const m = DEMO_FACTS.memberWithoutAccount;
    await page.goto(`${b.baseUrl}/assure`);
    await page.getByRole('link', { name: 'Activer mon espace' }).click();
    await page.waitForURL('**/assure/activation');
    await axe(page, 'activation: email', on);
    await page.getByLabel('Adresse e-mail').fill(m.email);
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.waitForURL('**/assure/activation/code');
    assert.ok(
      await page
        .getByText(m.mobileDisplay.slice(0, 2) + ' •• •• •• ' + m.mobileDisplay.slice(-2))
        .first()
        .isVisible(),
      'masked mobile shown',
    );
    await axe(page, 'activation: channel', on);
    await page.locator(`input[type=radio][value=${channel}]`).check();
    await page.getByRole('button', { name: 'Envoyer le code' }).click();
    await page.getByLabel("Code d'activation").waitFor();
    await axe(page, 'activation: code', on);
    const body = await lastBody(channel === 'email' ? m.email : m.mobile);
    await page.getByLabel("Code d'activation").fill(codeIn(body));
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/assure/activation/mot-de-passe');
    await axe(page, 'activation: password', on);
    await page.locator('#password').fill(DEMO_FACTS.password + ' activé');
    await page.getByLabel('Confirmez le mot de passe').fill(DEMO_FACTS.password + ' activé');
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.waitForURL(/\/assure$/);
    assert.ok(await page.getByText('Votre espace est activé').isVisible());
  }

  async function memberLogin(page: Page, on: boolean) {
    const m = DEMO_FACTS.memberWithoutAccount;
    await page.getByLabel('Adresse e-mail').fill(m.email);
    await page.locator('#password').fill(DEMO_FACTS.password + ' activé');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL('**/assure/securite');
    await axe(page, '2FA', on);
    await page.getByRole('button', { name: 'Envoyer le code' }).click();
    await page.getByLabel('Code de sécurité').waitFor();
    await page.getByLabel('Code de sécurité').fill(codeIn(await lastBody(m.mobile)));
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.waitForURL('**/assure/accueil');
    assert.ok((await page.locator('.connected-as').textContent())?.includes(m.firstName.toUpperCase()));
  }

  test('JavaScript off: the member without an account activates it (code by SMS) and logs in through the 2FA', async () => {
    const page = await b.jsOff.newPage();
    await memberActivation(page, false, 'sms');
    await memberLogin(page, false);
    await page.close();
  });

  async function hrActivation(page: Page, on: boolean, person: { last: string; first: string; email: string; mobile: string }) {
    const c = DEMO_FACTS.companyWithoutHr;
    await page.goto(`${b.baseUrl}/entreprise`);
    await page.getByRole('link', { name: 'Activer mon espace' }).click();
    await axe(page, 'HR intro', on);
    await page.getByRole('link', { name: 'Créer mon compte' }).click();
    await page.waitForURL('**/entreprise/activation/identification');
    await axe(page, 'HR identification', on);
    await page.getByLabel('Numéro de SIRET de mon établissement').fill(c.siret);
    await page.getByLabel('Identifiant entreprise').fill(c.insurerCompanyNumber);
    const question = (await page.locator('label[for=robot]').textContent()) ?? '';
    await page.locator('#robot').fill(answerQuestion(question));
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.waitForURL('**/entreprise/activation/compte');
    assert.ok(await page.getByText('Mon établissement').first().isVisible());
    await axe(page, 'HR account', on);
    await page.getByLabel('Mon Nom').fill(person.last);
    await page.getByLabel('Mon Prénom').fill(person.first);
    await page.getByLabel('Mon adresse E-mail').fill(person.email);
    await page.getByLabel('Mon numéro de Téléphone mobile').fill(person.mobile);
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.waitForURL('**/entreprise/activation/mot-de-passe');
    await axe(page, 'HR password', on);
    await page.locator('#password').fill('marronnier bleu escalier rapide');
    await page.getByLabel('Confirmez le mot de passe').fill('marronnier bleu escalier rapide');
    await page.locator('input[type=checkbox][name=cgu]').check();
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.waitForURL(/\/entreprise$/);
    assert.ok(await page.getByText('Votre compte est créé').isVisible());
  }

  test('JavaScript off: an HR person activates the demo company that has no HR account and becomes its administrator', async () => {
    const page = await b.jsOff.newPage();
    await hrActivation(page, false, { last: 'Durand', first: 'Sophie', email: 'sophie.durand@marceau.example', mobile: '06 12 34 56 78' });
    const account = await b.t.db('accounts').where({ kind: 'hr', email: 'sophie.durand@marceau.example' }).first();
    const role = await b.t.db('hr_habilitations').where({ account_id: account.id }).first();
    assert.equal(role.role, 'admin');
    await page.close();
  });

  test('JavaScript on: both activations with axe on every screen; the second HR account is a user', async () => {
    // The member journey again on a fresh member: reuse the demo member by removing the account made above.
    await b.t.db('accounts').where({ kind: 'member', email: DEMO_FACTS.memberWithoutAccount.email }).delete();
    b.t.clock.advance(5 * 60_000); // one code a minute: let the first journey's codes age

    const page = await b.jsOn.newPage();
    await page.context().clearCookies();
    await memberActivation(page, true, 'email');
    await memberLogin(page, true);
    await page.context().clearCookies();
    await hrActivation(page, true, { last: 'Bernard', first: 'Paul', email: 'paul.bernard@marceau.example', mobile: '06 12 34 56 79' });
    const account = await b.t.db('accounts').where({ kind: 'hr', email: 'paul.bernard@marceau.example' }).first();
    const role = await b.t.db('hr_habilitations').where({ account_id: account.id }).first();
    assert.equal(role.role, 'user');
    await page.close();
  });
});

// Espace Entreprise actions that the other browser tests drive with JavaScript on only (or not
// at all), here with JavaScript off as on a locked-down work PC: notifications, modifying and
// permanently removing a user, Mon profil (names, email by code, one establishment), the Suivi's
// detail and paper form, the « Oui » path and « Annuler » of the pré-affiliation, and on the
// employee's side a refused file and « Retirer ».
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserSkipReason, logInThroughPages, startBrowserHarness, type BrowserHarness } from './browser.js';
import { addEmployee, createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { createAffiliationRequest } from '../helpers/affiliation-requests.js';
import { codeIn, PASSWORD } from '../helpers/fixtures.js';
import { nirKey } from '../../src/domain/nir.js';

const skip = browserSkipReason();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

describe('Espace Entreprise with JavaScript off', { skip, timeout: 300_000 }, () => {
  let b: BrowserHarness;
  let alpha: TestCompany;
  let page: Page;
  const admin = { email: 'eugenie.off@alpha.example', mobile: '+33612340501' };
  const ids: Record<string, number> = {};
  let employeeLink = '';
  let formerNir = '';
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      alpha = await createHrCompany(t.db, 'Alpha Immobilier', 3);
      const me = await createHrUser(t.db, [{ company: alpha, role: 'admin' }], { ...admin, firstName: 'Eugénie', perimeter: alpha.establishments.slice(0, 2) });
      ids.colleague = (
        await createHrUser(t.db, [{ company: alpha, role: 'user' }], { email: 'hugo.off@alpha.example', firstName: 'Hugo', mobile: '+33612340502' })
      ).id;
      ids.courrier = (
        await createAffiliationRequest(t.db, t.clock(), { company: alpha, createdBy: me.id, mode: 'courrier', firstName: 'Paul', lastName: 'Papier' })
      ).id;
      const online = await createAffiliationRequest(t.db, t.clock(), { company: alpha, createdBy: me.id, firstName: 'Léa', lastName: 'Enligne' });
      employeeLink = `/affiliation/${online.token}`;
      await t.db('notifications').insert({
        account_id: me.id,
        kind: 'affiliation_finalized',
        title: "Formulaire d'affiliation transmis",
        body: 'Paul Papier a transmis son formulaire.',
        link: `/entreprise/suivi-affiliations/${ids.courrier}`,
        created_at: t.clock().toISOString(),
        read_at: null,
      });
      const former = await addEmployee(t.db, alpha, alpha.establishments[0], { start: '2020-01-01', end: '2024-06-30', lastName: 'Ancien', firstName: 'Marc' });
      formerNir = '1850533063777';
      await t
        .db('members')
        .where({ id: former.memberId })
        .update({ nir: formerNir + String(nirKey(formerNir)).padStart(2, '0'), birth_date: '1985-05-10' });
    });
    page = await logInThroughPages(b, b.jsOff, 'entreprise', admin.email, admin.mobile, PASSWORD);
  });
  after(async () => {
    await b?.close();
  });

  test('notifications: the count on the bell, « Voir la demande » marks it read and opens it', async () => {
    await page.goto(`${b.baseUrl}/entreprise/accueil`);
    assert.ok((await page.getByRole('link', { name: /Notifications \(1 non lue\)/ }).count()) === 1);
    await page.getByRole('link', { name: /Notifications/ }).click();
    await page.getByRole('button', { name: /Voir la demande/ }).click();
    await page.waitForURL(`**/entreprise/suivi-affiliations/${ids.courrier}`);
    assert.equal(await page.getByRole('link', { name: /Notifications \(1 non lue\)/ }).count(), 0);
  });

  test("Suivi: the request's page and its paper form", async () => {
    await page.goto(`${b.baseUrl}/entreprise/suivi-affiliations`);
    await page.getByRole('link', { name: 'Paul Papier' }).click();
    await page
      .getByRole('heading', { name: /Paul Papier/ })
      .first()
      .waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger le formulaire (PDF)' }).click()]);
    assert.match(download.suggestedFilename(), /\.pdf$/);
  });

  test('habilitations: modify a profile, then deactivate permanently after confirmation', async () => {
    await page.goto(`${b.baseUrl}/entreprise/habilitations/${ids.colleague}/modifier`);
    await page.getByLabel('Prénom').fill('Hugues');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText("Les informations d'Hugues").waitFor();
    await page.goto(`${b.baseUrl}/entreprise/habilitations/${ids.colleague}/desactiver`);
    await page.getByRole('button', { name: 'Désactiver définitivement' }).click();
    await page.getByText('est désactivé définitivement').waitFor();
    assert.equal((await b.t.db('accounts').where({ id: ids.colleague }).first()).status, 'disabled');
  });

  test('Mon profil: names, one establishment by SIRET and code, the email confirmed by a code', async () => {
    await page.goto(`${b.baseUrl}/entreprise/profil`);
    await page.getByRole('link', { name: 'Modifier mon nom et mon prénom' }).click();
    await page.locator('#last_name').fill('Marchand');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Vos informations ont été enregistrées.').waitFor();

    const third = alpha.establishments[2];
    await page.getByRole('link', { name: 'Ajouter un établissement au périmètre suivi' }).click();
    await page.getByLabel('Numéro de SIRET').fill(third.siret);
    await page.getByLabel('Code identifiant').fill(third.code.toLowerCase());
    await page.getByRole('button', { name: "Ajouter l'établissement" }).click();
    await page.getByText(`L'établissement « ${third.name} » fait désormais partie de votre périmètre suivi.`).waitFor();

    await page.getByRole('link', { name: /Modifier mon adresse e-mail/ }).click();
    await page.getByLabel('Nouvelle adresse e-mail').fill('eugenie.nouvelle@alpha.example');
    await page.locator('#current_password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Recevoir le code de confirmation' }).click();
    const mail = await b.t.db('outbox').where({ recipient: 'eugenie.nouvelle@alpha.example' }).orderBy('id', 'desc').first();
    await page.getByLabel('Code reçu par e-mail').fill(codeIn(mail.body_text));
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByText('Votre adresse e-mail a été modifiée.').waitFor();
  });

  test('pré-affiliation: « Oui » finds the former employee and pre-fills; « Annuler » forgets it', async () => {
    await page.goto(`${b.baseUrl}/entreprise/pre-affiliation`);
    await page.getByLabel('Etablissement').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByLabel('Non cadre').check();
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByLabel('Oui', { exact: true }).check();
    await page.getByLabel(/Numéro de Sécurité Sociale du salarié/).fill(formerNir);
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByText('Le salarié a été retrouvé').waitFor();
    assert.equal(await page.locator('#nom').inputValue(), 'Ancien');
    assert.equal(await page.getByLabel('Date de naissance de votre salarié').inputValue(), '10/05/1985');
    await page.getByRole('button', { name: 'Annuler' }).click();
    await page.getByText('La pré-affiliation a été annulée').waitFor();
    await page.goto(`${b.baseUrl}/entreprise/pre-affiliation/salarie`);
    await page.waitForURL('**/pre-affiliation/etablissement');
  });

  test("the employee's form: a file refused by its content, then « Retirer » a document", async () => {
    const employee = await b.browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
    employee.setDefaultTimeout(10_000);
    const form = await employee.newPage();
    await form.goto(`${b.baseUrl}${employeeLink}`);
    await form.getByLabel('Votre date de naissance').fill('17/04/1992');
    await form.getByRole('button', { name: 'Accéder à mon formulaire' }).click();
    await form.locator('#ville').fill('Bordeaux');
    await form.locator('#document_rib').setInputFiles({ name: 'rib.pdf', mimeType: 'application/pdf', buffer: Buffer.from('pas un pdf') });
    await form.getByRole('button', { name: 'Enregistrer le brouillon', exact: true }).click();
    await form
      .getByText(/PDF, JPEG ou PNG/)
      .first()
      .waitFor();
    assert.equal(await form.locator('#ville').inputValue(), 'Bordeaux', 'what was typed is kept');
    await form.locator('#document_rib').setInputFiles({ name: 'rib.pdf', mimeType: 'application/pdf', buffer: PDF });
    await form.getByRole('button', { name: 'Enregistrer le brouillon', exact: true }).click();
    await form.getByText('Votre brouillon est enregistré').waitFor();
    await form.getByRole('button', { name: /Retirer rib\.pdf/ }).click();
    await form.getByText('Le document a été retiré.').waitFor();
    assert.equal(await form.getByRole('button', { name: /Retirer/ }).count(), 0);
    await employee.close();
  });
});

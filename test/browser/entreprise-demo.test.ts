// The « Done when » of the Espace Entreprise administration issue, on the real demo data and with
// JavaScript off: the demo HR administrator invites a user, who creates their password from the
// email link (read in /dev/outbox) and logs in; then the administrator imports a French-Excel CSV
// with errors, sees them, fixes the file, sends it again and imports it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSkipReason, logInThroughPages, startDemoBrowserHarness, type BrowserHarness } from './browser.js';
import { linkIn } from '../helpers/fixtures.js';
import { establishmentCsvBytes } from '../helpers/import-files.js';
import { DEMO_FACTS } from '../../db/seeds/demo/index.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const skip = browserSkipReason();
const ADMIN_MOBILE = '+262639980301';

describe('Espace Entreprise administration on the demo data, JavaScript off', { skip, timeout: 240_000 }, () => {
  let b: BrowserHarness;
  before(async () => {
    b = await startDemoBrowserHarness();
  });
  after(async () => {
    await b?.close();
  });

  test('rh.admin invites a user who creates their password from the email and logs in', async () => {
    const admin = await logInThroughPages(b, b.jsOff, 'entreprise', DEMO_FACTS.hrAdmin.email, ADMIN_MOBILE, DEMO_FACTS.password);
    await admin.getByRole('link', { name: 'Mes habilitations' }).first().click();
    await admin.getByRole('link', { name: 'Ajouter un utilisateur à mon espace entreprise' }).click();
    await admin.locator('#last_name').fill('Roussel');
    await admin.getByLabel('Prénom').fill('Anaïs');
    await admin.getByLabel('Adresse e-mail').fill('anais.roussel@demo.example');
    await admin.getByLabel('Téléphone mobile (facultatif)').fill('06 12 34 00 77');
    await admin.getByRole('group', { name: 'Syndic Horizon Gestion' }).getByLabel('Utilisateur').check();
    await admin.getByRole('button', { name: "Ajouter l'utilisateur" }).click();
    await admin.getByText('Anaïs Roussel a été ajouté(e)').waitFor();
    assertIncludes(await admin.locator('tr', { hasText: 'anais.roussel@demo.example' }).innerText(), 'Invitation envoyée');
    await admin.close();

    // The invited person, in another browser: the email as the portal sent it, then its link.
    const theirs = await b.browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
    theirs.setDefaultTimeout(10_000);
    const invited = await theirs.newPage();
    await invited.goto(`${b.baseUrl}/dev/outbox`);
    await invited.locator('tr', { hasText: 'anais.roussel@demo.example' }).first().getByRole('link').click();
    const body = await invited.locator('.message-body').innerText();
    assertIncludes(body, 'Eugénie Marchand vous a invité(e)', body);
    await invited.goto(`${b.baseUrl}${linkIn(body)}`);
    await invited.locator('#password').fill('lanterne rivière orage pivoine');
    await invited.getByLabel('Confirmez le mot de passe').fill('lanterne rivière orage pivoine');
    await invited.getByLabel("J'accepte les conditions générales d'utilisation").check();
    await invited.getByRole('button', { name: 'Créer mon mot de passe' }).click();
    await invited.waitForURL(/\/entreprise$/);
    await invited.close();
    const page = await logInThroughPages(b, theirs, 'entreprise', 'anais.roussel@demo.example', '+33612340077', 'lanterne rivière orage pivoine');
    await page.getByText('Bienvenue Anaïs').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Mes habilitations' }).count(), 0, 'a user, not an administrator');
    await theirs.close();
  });

  test('rh.admin imports a French-Excel CSV with errors, fixes the file and imports it', async () => {
    const [nanterre, saintGermain] = DEMO_FACTS.newEstablishments;
    const page = await logInThroughPages(b, b.jsOff, 'entreprise', DEMO_FACTS.hrAdmin.email, ADMIN_MOBILE, DEMO_FACTS.password);
    await page.goto(`${b.baseUrl}/entreprise/profil`);
    assertExcludes(await page.locator('main').innerText(), nanterre.name, 'not followed yet');
    await page.getByRole('link', { name: 'Ajouter plusieurs établissements (fichier)' }).click();
    const send = async (lines: string[][]) => {
      const bytes = establishmentCsvBytes(lines, { encoding: 'windows-1252', separator: ';', header: ['SIRET', 'Code identifiant'] });
      await page.getByLabel('Fichier des établissements').setInputFiles({ name: 'établissements Horizon.csv', mimeType: 'text/csv', buffer: bytes });
      await page.getByRole('button', { name: 'Envoyer le fichier' }).click();
      await page.getByRole('heading', { name: "Aperçu avant l'import" }).waitFor();
      return page.locator('main').innerText();
    };
    // A typo in a code (letter O for zero) and a SIRET with spaces cut short.
    const withErrors = await send([
      [nanterre.siret, nanterre.insurerCode],
      [saintGermain.siret, saintGermain.insurerCode.replace('0', 'O')],
      [nanterre.siret.slice(0, 3) + ' ' + nanterre.siret.slice(3, 12), 'HOR2004'],
    ]);
    assertIncludes(withErrors, '1 établissement à ajouter', withErrors);
    assertIncludes(withErrors, '2 lignes en erreur', withErrors);
    assertIncludes(withErrors, 'ne correspondent à aucun établissement', withErrors);
    assert.ok(withErrors.includes('Le numéro de SIRET doit comporter 14 chiffres.') || withErrors.includes('Le numéro de SIRET est invalide.'), withErrors);
    assert.ok(/Télécharger le rapport d'erreurs/.test(withErrors));
    await page.getByRole('button', { name: 'Annuler' }).click();

    // The fixed file.
    await page.goto(`${b.baseUrl}/entreprise/profil/etablissements/fichier`);
    const fixed = await send([
      [nanterre.siret, nanterre.insurerCode],
      [saintGermain.siret, saintGermain.insurerCode],
    ]);
    assertIncludes(fixed, '2 établissements à ajouter', fixed);
    assert.ok(!fixed.includes('en erreur') || fixed.includes('0 ligne en erreur'), fixed);
    await page.getByRole('button', { name: "Confirmer l'ajout de 2 établissements" }).click();
    await page.getByText('2 établissements ont été ajoutés').waitFor();
    await page.getByRole('link', { name: 'Voir mon périmètre suivi' }).click();
    const profile = await page.locator('main').innerText();
    assert.ok(profile.includes(nanterre.name) && profile.includes(saintGermain.name), profile);
    await page.close();
  });
});

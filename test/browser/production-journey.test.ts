// The « Done when » of issue #15: a production instance (NODE_ENV=production, the real server
// process, an empty SQLite database, mail through SMTP and SMS through the gateway, both captured —
// test/browser/production-server.ts) brought to life through the documented command and the pages
// alone, with JavaScript off: `npm run staff:create` → the superviseur creates their password from
// the emailed link and logs in with the SMS code → creates a company, an establishment, a contract
// and its guarantees → prints the activation letter and reads the « Identifiant entreprise » in it →
// an HR administrator activates the Espace Entreprise with it → pre-affiliates an employee → the
// employee enrols through the emailed link → the superviseur validates → loads a décompte feed with
// the member's lines → the member activates the Espace Assuré, sees the reimbursement, downloads its
// PDF → asks for « Télécharger mes données » and downloads the ZIP the background job built.
// axe (JS off, as served) on the key pages. Nothing here reads or writes the database directly.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import yauzl from 'yauzl';
import { assertPageInMode, browserSkipReason, copyVendorAssets, launchChromium, logInWithSmsCode, type SmsCodeSource } from './browser.js';
import { activateMemberSpace, preAffiliateThroughPages } from './journeys.js';
import { startProductionInstance, type ProductionInstance } from './production-server.js';
import { answerQuestion } from '../helpers/anti-robot.js';
import { codeIn, linkIn } from '../helpers/fixtures.js';
import { FEED_COLUMNS } from '../../src/domain/statement-feed.js';
import { makeFrenchIban } from '../../src/domain/iban.js';
import { nirKey } from '../../src/domain/nir.js';
import { generateSiren, generateSiret } from '../../src/domain/siret.js';

const skip = browserSkipReason();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

const SUPERVISOR = {
  email: 'premiere.superviseure@mutuelle.example',
  mobile: '+33612981501',
  mobileInput: '06 12 98 15 01',
  password: 'clocher argile sentier 2026 ambre',
};
const HR = { email: 'rh@atelier-garonne.example', mobile: '+33612981502', mobileInput: '06 12 98 15 02', password: 'galet rivière boussole hiver' };
const EMPLOYEE = {
  email: 'mathis.roux@exemple.fr',
  mobile: '+33612981503',
  mobileInput: '06 12 98 15 03',
  nir13: '1920531555123',
  birth: '12/05/1992',
  password: 'phare lagune cerisier boussole',
};
const COMPANY = { name: 'Atelier Garonne', siren: generateSiren('73333333') };
const SIRET = generateSiret(COMPANY.siren, '0001');

/** Today in France (the portal's dates), as jj/mm/aaaa. */
function todayInFrance(): string {
  return new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date());
}

/** The PDF's text (pdftotext, no-break spaces folded). */
function pdfToText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\u00a0|\u202f/g, ' ');
}

/** Every entry of a ZIP: name → content. */
function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (error, stream) => {
          if (error) return reject(error);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('an empty production instance brought to life through the pages (JavaScript off)', { skip, timeout: 600_000 }, () => {
  let p: ProductionInstance;
  let browser: Browser;
  let dir: string;
  const contexts: BrowserContext[] = [];
  let finished = false;

  before(async () => {
    copyVendorAssets();
    // Both at once; whichever started is closed by after() if the other did not.
    const [instance, chromium] = await Promise.allSettled([startProductionInstance(), launchChromium()]);
    if (instance.status === 'fulfilled') p = instance.value;
    if (chromium.status === 'fulfilled') browser = chromium.value;
    for (const started of [instance, chromium]) if (started.status === 'rejected') throw started.reason;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parcours-production-'));
  });
  after(async () => {
    if (!finished && p) console.error(`What the server printed:\n${p.log()}`);
    for (const c of contexts) await c.close();
    await browser?.close();
    await p?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function jsOffContext(): Promise<BrowserContext> {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    return context;
  }

  const checkPage = (page: Page) => assertPageInMode({ browser }, page, false);

  /** The SMS code the gateway receives for this number after « Envoyer le code ». */
  function smsTo(mobile: string): SmsCodeSource {
    let after = 0;
    return {
      async beforeSending() {
        after = p.sms.all.length;
      },
      async readCode() {
        return codeIn((await p.sms.next((m) => m.to === mobile, { after })).text);
      },
    };
  }

  const logIn = async (door: 'assure' | 'entreprise' | 'gestion', who: { email: string; mobile: string; password: string }) =>
    logInWithSmsCode(p.baseUrl, await jsOffContext(), door, who.email, who.password, smsTo(who.mobile));

  /** Clicks a link or button that downloads, and returns the saved file's path. */
  async function download(page: Page, click: () => Promise<void>, name: RegExp): Promise<string> {
    const [file] = await Promise.all([page.waitForEvent('download'), click()]);
    assert.match(file.suggestedFilename(), name);
    const target = path.join(dir, file.suggestedFilename());
    await file.saveAs(target);
    return target;
  }

  test('staff:create → company and letter → HR activation → pre-affiliation → enrolment → validation → feed → member → data export', async () => {
    const today = todayInFrance();
    const year = today.slice(6);

    // 0. No /dev/outbox in production; with JavaScript on and the production headers (CSP not
    // bypassed, plain HTTP without upgrade-insecure-requests), a door's page loads its scripts and
    // styles without an error.
    const probeContext = await browser.newContext({ locale: 'fr-FR' });
    contexts.push(probeContext);
    const probe = await probeContext.newPage();
    const problems: string[] = [];
    probe.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    probe.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    probe.on('requestfailed', (request) => problems.push(`${request.failure()?.errorText} ${request.url()}`));
    await probe.goto(`${p.baseUrl}/entreprise`, { waitUntil: 'load' });
    assert.equal(await probe.evaluate(() => typeof (window as unknown as { htmx?: object }).htmx), 'object', 'htmx runs');
    assert.deepEqual(problems, []);
    assert.equal((await probe.goto(`${p.baseUrl}/dev/outbox`))?.status(), 404);
    await probe.close();

    // 1. The first superviseur, by the documented command: the invitation goes out by email.
    const created = await p.npmRun('staff:create', ['--email', SUPERVISOR.email, '--prenom', 'Hélène', '--nom', 'Marchal']);
    assert.equal(created.code, 0, `${created.stdout}\n${created.stderr}`);
    assert.match(created.stdout, /Compte superviseur créé pour Hélène Marchal/);
    assert.match(created.stdout, /le numéro de mobile sera demandé/);
    assert.doesNotMatch(created.stdout, /https?:\/\//, 'the link is emailed, not printed');
    const invitation = await p.emails.next((e) => e.to === SUPERVISOR.email);
    const newcomer = await (await jsOffContext()).newPage();
    await newcomer.goto(`${p.baseUrl}${linkIn(invitation.text)}`);
    await newcomer.getByRole('heading', { level: 1, name: 'Créer mon mot de passe' }).waitFor();
    await checkPage(newcomer);
    await newcomer.locator('#password').fill(SUPERVISOR.password);
    await newcomer.locator('#password_confirm').fill(SUPERVISOR.password);
    await newcomer.getByRole('button', { name: 'Créer mon mot de passe' }).click();
    await newcomer.waitForURL(/\/gestion$/);
    await newcomer.close();

    // 2. The superviseur logs in: no mobile yet, so it is asked, confirmed by a code sent by email,
    // then the SMS code goes to it. Then « Entreprises »: the company.
    const staff = await (await jsOffContext()).newPage();
    await staff.goto(`${p.baseUrl}/gestion`);
    await staff.getByLabel('Adresse e-mail').fill(SUPERVISOR.email);
    await staff.locator('#password').fill(SUPERVISOR.password);
    await staff.getByRole('button', { name: 'Se connecter' }).click();
    await staff.getByLabel('Numéro de téléphone mobile').fill(SUPERVISOR.mobileInput);
    const confirmation = p.emails.all.length;
    await staff.getByRole('button', { name: 'Envoyer le code' }).click();
    await staff.getByLabel('Code reçu par e-mail').fill(codeIn((await p.emails.next((e) => e.to === SUPERVISOR.email, { after: confirmation })).text));
    await staff.getByRole('button', { name: 'Valider' }).click();
    await staff.getByLabel('Code de sécurité').fill(codeIn((await p.sms.next((m) => m.to === SUPERVISOR.mobile)).text));
    await staff.getByRole('button', { name: 'Continuer' }).click();
    await staff.waitForURL('**/gestion/accueil');
    assert.equal(await staff.locator('.demo-strip').count(), 0, 'no « Démonstration » strip in production');
    await checkPage(staff);
    await staff.getByRole('link', { name: 'Entreprises', exact: true }).first().click();
    await staff.getByRole('heading', { level: 1, name: 'Entreprises clientes' }).waitFor();
    await staff.getByRole('link', { name: 'Créer une entreprise cliente' }).click();
    await staff.getByLabel('Raison sociale').fill(COMPANY.name);
    await staff.getByLabel('Numéro de SIREN').fill(COMPANY.siren);
    await staff.getByLabel('Adresse (numéro et voie)').fill('4 quai de la Daurade');
    await staff.getByLabel('Code postal').fill('31000');
    await staff.getByLabel('Ville').fill('Toulouse');
    await staff.getByRole('button', { name: 'Enregistrer' }).click();
    await staff.getByRole('heading', { level: 1, name: COMPANY.name }).waitFor();

    // 3. Its establishment.
    await staff.getByRole('link', { name: 'Ajouter un établissement' }).click();
    await staff.getByLabel("Nom de l'établissement").fill(`${COMPANY.name} — Toulouse`);
    await staff.getByLabel("Numéro de SIRET de l'établissement").fill(SIRET);
    await staff.getByRole('button', { name: 'Enregistrer' }).click();
    await staff.getByText("L'établissement est créé.").waitFor();

    // 4. A contract from the 1st of January, and its guarantees.
    await staff.getByRole('link', { name: 'Ajouter un contrat' }).click();
    await staff.getByLabel('Référence du contrat').fill('CT-GARONNE-01');
    await staff.getByLabel('Libellé').fill('Frais de santé — Non-cadres');
    await staff.getByLabel('Non-cadres').check();
    await staff.getByLabel('Formule').fill('Essentielle');
    await staff.getByLabel("Date d'effet").fill(`01/01/${year}`);
    await staff.getByRole('button', { name: 'Enregistrer' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Garanties du contrat CT-GARONNE-01' }).waitFor();
    const line = (n: number) => staff.getByRole('group', { name: `Ligne ${n}`, exact: true });
    await line(1).getByLabel('Catégorie de soins').selectOption({ label: 'Soins courants' });
    await line(1).getByLabel('Garantie').fill('Consultation généraliste');
    await line(1).getByLabel('Remboursement (tel que lu par l’assuré)').fill('100 % BR');
    await line(1).getByLabel('% de la BR').fill('100');
    await line(2).getByLabel('Catégorie de soins').selectOption({ label: 'Pharmacie' });
    await line(2).getByLabel('Garantie').fill('Médicaments remboursés');
    await line(2).getByLabel('Remboursement (tel que lu par l’assuré)').fill('100 % BR');
    await line(2).getByLabel('% de la BR').fill('100');
    await staff.getByRole('button', { name: 'Enregistrer ces garanties' }).click();
    await staff.getByText(`Les garanties sont enregistrées à compter du 01/01/${year}.`).waitFor();
    await checkPage(staff);

    // 5. The activation letter: its « Identifiant entreprise » is what the HR person will type.
    await staff.getByRole('link', { name: COMPANY.name }).first().click();
    const letter = pdfToText(
      await download(staff, () => staff.getByRole('link', { name: "Imprimer la lettre d'activation (PDF)" }).click(), /^lettre-activation-.+\.pdf$/),
    );
    const identifier = /votre identifiant entreprise : (\S+)\)/.exec(letter.replace(/\s+/g, ' '))?.[1];
    assert.ok(identifier, `an identifiant in the letter:\n${letter}`);
    assert.ok(letter.replace(/(\d) (?=\d)/g, '$1').includes(SIRET), `the SIRET in the letter:\n${letter}`);

    // 6. The HR administrator activates the Espace Entreprise with the letter.
    const hrActivation = await (await jsOffContext()).newPage();
    await hrActivation.goto(`${p.baseUrl}/entreprise`);
    await hrActivation.getByRole('link', { name: 'Activer mon espace' }).click();
    await hrActivation.getByRole('link', { name: 'Créer mon compte' }).click();
    await hrActivation.getByLabel('Numéro de SIRET de mon établissement').fill(SIRET);
    await hrActivation.getByLabel('Identifiant entreprise').fill(identifier);
    await hrActivation.locator('#robot').fill(answerQuestion((await hrActivation.locator('label[for=robot]').textContent()) ?? ''));
    await hrActivation.getByRole('button', { name: 'Continuer' }).click();
    await hrActivation.waitForURL('**/entreprise/activation/compte');
    await hrActivation.getByLabel('Mon Nom').fill('Lacombe');
    await hrActivation.getByLabel('Mon Prénom').fill('Agnès');
    await hrActivation.getByLabel('Mon adresse E-mail').fill(HR.email);
    await hrActivation.getByLabel('Mon numéro de Téléphone mobile').fill(HR.mobileInput);
    await hrActivation.getByRole('button', { name: 'Continuer' }).click();
    await hrActivation.waitForURL('**/entreprise/activation/mot-de-passe');
    await hrActivation.locator('#password').fill(HR.password);
    await hrActivation.getByLabel('Confirmez le mot de passe').fill(HR.password);
    await hrActivation.locator('input[type=checkbox][name=cgu]').check();
    await hrActivation.getByRole('button', { name: 'Créer mon compte' }).click();
    await hrActivation.waitForURL(/\/entreprise$/);
    await hrActivation.getByText('Votre compte est créé').waitFor();
    await hrActivation.close();

    // 7. … logs in and pre-affiliates an employee.
    const hr = await logIn('entreprise', HR);
    await preAffiliateThroughPages(
      hr,
      { nir13: EMPLOYEE.nir13, lastName: 'Roux', firstName: 'Mathis', email: EMPLOYEE.email, birth: EMPLOYEE.birth },
      today,
      checkPage,
    );

    // 8. The employee enrols through the emailed link.
    const enrolment = await (await jsOffContext()).newPage();
    const affiliationLink = linkIn((await p.emails.next((e) => e.to === EMPLOYEE.email)).text);
    assert.match(affiliationLink, /^\/affiliation\//);
    await enrolment.goto(`${p.baseUrl}${affiliationLink}`);
    await enrolment.getByLabel('Votre date de naissance').fill(EMPLOYEE.birth);
    await enrolment.getByRole('button', { name: 'Accéder à mon formulaire' }).click();
    await enrolment.getByRole('heading', { name: "Mon formulaire d'affiliation" }).waitFor();
    await checkPage(enrolment);
    await enrolment.locator('#adresse1').fill('9 rue des Filatiers');
    await enrolment.locator('#code_postal').fill('31000');
    await enrolment.locator('#ville').fill('Toulouse');
    await enrolment.locator('#mobile').fill(EMPLOYEE.mobileInput);
    await enrolment.locator('#nir').fill(EMPLOYEE.nir13 + String(nirKey(EMPLOYEE.nir13)).padStart(2, '0'));
    await enrolment.locator('#iban').fill(makeFrenchIban('30004', '00031', '00012345678'));
    await enrolment.locator('#titulaire').fill('Mathis Roux');
    await enrolment.locator('#code_organisme').fill('013110000');
    await enrolment
      .getByRole('group', { name: /télétransmission/ })
      .getByLabel('Oui')
      .check();
    await enrolment.locator('#document_rib').setInputFiles({ name: 'rib.pdf', mimeType: 'application/pdf', buffer: PDF });
    await enrolment.locator('#document_attestation').setInputFiles({ name: 'attestation.pdf', mimeType: 'application/pdf', buffer: PDF });
    await enrolment.locator('#consentement').check();
    await enrolment.getByRole('button', { name: 'Transmettre' }).click();
    await enrolment.getByRole('heading', { name: 'Merci Mathis, votre formulaire est transmis' }).waitFor();
    await enrolment.close();

    // 9. The superviseur validates the affiliation: the member number is on the page.
    await staff.getByRole('link', { name: 'Affiliations' }).first().click();
    await staff.getByRole('link', { name: 'Mathis Roux' }).click();
    await staff.getByRole('button', { name: "Valider l'affiliation" }).click();
    const validated = await staff.getByText("L'affiliation de Mathis Roux est validée : adhérent n°").textContent();
    const memberNumber = /adhérent n°\s*(\S+?)[.\s]/.exec(validated ?? '')?.[1];
    assert.ok(memberNumber, `a member number in « ${validated} »`);

    // 10. A décompte feed with two lines for the member, loaded from « Décomptes ».
    const [bd, bm, by] = EMPLOYEE.birth.split('/');
    const cells = (act: string, label: string, amounts: string[]) =>
      ['PRD-0001', today, memberNumber, 'Mathis', `${bd}/${bm}/${by}`, today, act, label, 'Dr Anne Vidal', ...amounts, 'assuré', today].join(';');
    const feed = path.join(dir, 'flux.csv');
    fs.writeFileSync(
      feed,
      `\uFEFF${[
        FEED_COLUMNS.join(';'),
        cells('consultation', 'Consultation généraliste', ['30,00', '30,00', '21,00', '9,00']),
        cells('pharmacie', 'Pharmacie', ['12,30', '12,30', '8,61', '3,69']),
      ].join('\r\n')}\r\n`,
    );
    await staff.getByRole('link', { name: 'Décomptes', exact: true }).first().click();
    await staff.getByLabel('Fichier du flux de décomptes').setInputFiles(feed);
    await staff.getByRole('button', { name: 'Envoyer le fichier' }).click();
    await staff.getByRole('heading', { level: 1, name: /Aperçu du flux/ }).waitFor({ timeout: 60_000 });
    await staff.getByText('1 décompte à charger (2 lignes)').waitFor();
    await checkPage(staff);
    await staff.getByRole('button', { name: 'Charger 1 décompte' }).click();
    await staff.getByText('1 décompte chargé').waitFor({ timeout: 60_000 });
    const announced = await p.emails.next((e) => e.to === EMPLOYEE.email && /remboursement/i.test(e.subject + e.text));
    assert.doesNotMatch(announced.text, /9,00|3,69/, 'no amount in the email');

    // 11. The member activates the Espace Assuré (code by email) and logs in (code by SMS).
    const activation = await (await jsOffContext()).newPage();
    const mailsBefore = p.emails.all.length;
    await activateMemberSpace(activation, p.baseUrl, EMPLOYEE.email, EMPLOYEE.password, async () =>
      codeIn((await p.emails.next((e) => e.to === EMPLOYEE.email, { after: mailsBefore })).text),
    );
    await activation.close();
    const member = await logIn('assure', EMPLOYEE);

    // 12. « Télécharger mes données »: the background job (every minute) builds the ZIP and emails.
    await member.goto(`${p.baseUrl}/assure/informations-personnelles`);
    const beforeExport = p.emails.all.length;
    await member.getByRole('button', { name: 'Télécharger mes données' }).click();
    await member.getByText('nous préparons le fichier de vos données').waitFor();
    await checkPage(member);

    // 13. Meanwhile, the reimbursement and its PDF.
    await member.goto(`${p.baseUrl}/assure/remboursements`);
    await member.getByRole('heading', { level: 2, name: `Décompte n° PRD-0001 du ${today}` }).waitFor();
    await member.getByRole('cell', { name: /Consultation généraliste/ }).waitFor();
    await member.getByRole('cell', { name: /Pharmacie/ }).waitFor();
    await checkPage(member);
    const statementLink = member.getByRole('link', { name: 'Télécharger le décompte (PDF)' });
    const statementPdf = pdfToText(await download(member, () => statementLink.click(), /\.pdf$/));
    assert.ok(statementPdf.includes('PRD-0001'), `the décompte number in its PDF:\n${statementPdf}`);
    assert.ok(statementPdf.includes('Consultation généraliste'));

    // 14. The ZIP, once the email says it is ready: the member's data and the RIB they sent.
    const ready = await p.emails.next((e) => e.to === EMPLOYEE.email && e.subject.startsWith('Vos données personnelles sont prêtes'), {
      after: beforeExport,
      timeoutMs: 90_000,
    });
    assert.ok(ready.text.includes('/assure/informations-personnelles'), 'the email links to the page');
    await member.goto(`${p.baseUrl}/assure/informations-personnelles`);
    const zip = await readZip(
      await download(
        member,
        () => member.getByRole('button', { name: 'Télécharger le fichier de mes données' }).click(),
        /^mes-donnees-\d{4}-\d{2}-\d{2}\.zip$/,
      ),
    );
    const names = [...zip.keys()];
    const json = names.find((name) => name.endsWith('.json'));
    assert.ok(json, `a JSON file in ${names.join(', ')}`);
    const everything = zip.get(json)!.toString('utf8');
    for (const fact of [EMPLOYEE.email, memberNumber, 'Roux', 'PRD-0001', 'Consultation généraliste']) {
      assert.ok(everything.includes(fact), `« ${fact} » in ${json}`);
    }
    assert.ok(
      names.some((name) => name.endsWith('.csv')),
      `CSV files in ${names.join(', ')}`,
    );
    const rib = names.find((name) => /rib\.pdf$/.test(name));
    assert.ok(rib, `the uploaded RIB in ${names.join(', ')}`);
    assert.deepEqual(zip.get(rib), PDF, 'the RIB as sent');
    for (const stranger of [HR.email, SUPERVISOR.email]) assert.ok(!everything.includes(stranger), `no one else's data (${stranger})`);
    assert.doesNotMatch(p.log(), /Error|erreur/i, 'the server logged no error');
    finished = true;
  });
});

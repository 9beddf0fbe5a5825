// The « Done when » of the correspondence issue, on the demo data and with JavaScript off, through
// the pages only (axe on every page visited, as the JS-off visitor saw it, and 1280 px wide):
// marie sends a demande de remboursement with two files → the insurer's staff asks for a missing
// document → marie adds it → staff accept it (amount and payment date) → marie sees « Traitée »,
// the amount and the timeline; marie sends a devis with her estimate (« Calculer ») → staff
// answer it, pre-filled from her estimate → marie sees the answer; rh.admin writes « Nous
// contacter / Mes salariés / Radiation d'un salarié » → staff reply → rh.utilisateur of the same
// company sees the reply and the unread marker; marie asks for a télétransmission activation on
// Mes bénéficiaires → staff confirm it → it shows « Active » in Situation NOEMIE. Then no menu
// entry or tile of the issue still answers « bientôt disponible ».
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { assertNoViolationsJsOff, browserSkipReason, logInThroughPages, startDemoBrowserHarness, type BrowserHarness } from './browser.js';
import { DEMO_FACTS } from '../../db/seeds/demo/index.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const skip = browserSkipReason();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const pdf = (name: string) => ({ name, mimeType: 'application/pdf', buffer: PDF });
const MOBILES = { staff: '+262639980304', hrAdmin: '+262639980301', hrUser: '+262639980302' };
const COMING_SOON = 'Cette rubrique sera bientôt disponible';
/** The inbox's views, under its title (the menu's « Demandes » opens the first, « Demandes et messages »). */
const INBOX_VIEWS: Record<string, string> = { Messages: 'Messages', Télétransmission: 'Demandes de télétransmission' };

/** « 1 234,56 € » → cents. */
function cents(text: string): number {
  const match = text.replace(/\s/g, '').match(/(-?\d+),(\d{2})€/);
  assert.ok(match, `an amount in « ${text} »`);
  return Number(match[1]) * 100 + Math.sign(Number(match[1]) || 1) * Number(match[2]);
}

/** What a part of the page reads, its no-break spaces (in amounts, before « : ») as plain spaces. */
async function textOf(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/[\u00a0\u202f]/g, ' ');
}

/** The unread count the Messagerie icon announces (0 when it announces none). */
async function unreadCount(page: Page, iconName: RegExp): Promise<number> {
  const name = (await page.getByRole('banner').getByRole('link', { name: iconName }).innerText()).replace(/\s+/g, ' ');
  return Number(name.match(/\((\d+) conversations? non lues?\)/)?.[1] ?? 0);
}

describe('the correspondence journey on the demo data, JavaScript off', { skip, timeout: 600_000 }, () => {
  let b: BrowserHarness;
  const contexts: BrowserContext[] = [];
  before(async () => {
    b = await startDemoBrowserHarness();
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await b?.close();
  });

  async function jsOffContext(): Promise<BrowserContext> {
    const context = await b.browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    return context;
  }
  /** Every page visited: axe on what the JS-off visitor saw, nothing wider than 1280 px. */
  const seen = (page: Page) => assertNoViolationsJsOff(b, page);
  let marie: Page;
  let staff: Page;
  let mailbox: Page;

  /** The text of the newest email to `to` with this subject, read through the development outbox page. */
  async function emailTo(to: string, subject: string): Promise<string> {
    await mailbox.goto(`${b.baseUrl}/dev/outbox`);
    await mailbox.locator('tr', { hasText: to }).filter({ hasText: subject }).first().getByRole('link').click();
    return textOf(mailbox.locator('.message-body'));
  }

  before(async () => {
    marie = await logInThroughPages(b, await jsOffContext(), 'assure', DEMO_FACTS.member.email, DEMO_FACTS.member.mobile, DEMO_FACTS.password);
    await seen(marie);
    staff = await logInThroughPages(b, await jsOffContext(), 'gestion', DEMO_FACTS.staff.email, MOBILES.staff, DEMO_FACTS.password);
    await seen(staff);
    mailbox = await (await jsOffContext()).newPage();
  });

  /** Staff open an item from the inbox view `menu` (the menu's « Demandes », then its view), filtered to `object`, the newest first. */
  async function staffOpens(menu: string, object: { label: string }, reference: string | null): Promise<string> {
    await staff.getByRole('navigation', { name: 'Navigation de gestion' }).getByRole('link', { name: 'Demandes', exact: true }).click();
    const view = INBOX_VIEWS[menu];
    if (view) await staff.getByRole('navigation', { name: 'Vues de la liste' }).getByRole('link', { name: view, exact: true }).click();
    await staff.getByLabel('Catégorie ou objet').selectOption(object);
    await staff.getByLabel('Statut').selectOption({ label: 'Tous les statuts' });
    await staff.getByLabel('Ordre').selectOption({ label: "La plus récente d'abord" });
    await staff.getByRole('button', { name: 'Filtrer' }).click();
    await staff.waitForURL(/tri=recent/);
    await seen(staff);
    const link = reference
      ? staff.locator('#inbox-list tbody').getByRole('link', { name: reference, exact: true })
      : staff.locator('#inbox-list tbody tr').first().getByRole('link');
    const opened = (await link.innerText()).trim();
    await link.click();
    await staff.getByRole('heading', { level: 1, name: new RegExp(opened) }).waitFor();
    await seen(staff);
    return opened;
  }

  test('a demande de remboursement with two files, a missing document, accepted: marie sees « Traitée », the amount and the timeline', async () => {
    await marie.goto(`${b.baseUrl}/assure/accueil`);
    await marie.getByRole('link', { name: 'Demande de remboursements' }).click();
    await marie.getByRole('heading', { level: 1, name: 'Demande de remboursement' }).waitFor();
    await seen(marie);
    await marie.getByLabel('Optique achetée hors réseau').check();
    await marie.getByLabel('Bénéficiaire des soins').selectOption({ label: 'Léa Lefebvre' });
    await marie.getByLabel('Votre message (facultatif)').fill('Les lunettes de Léa, achetées chez un opticien hors réseau.');
    await marie.locator('#documents').setInputFiles([pdf('facture-opticien.pdf'), { name: 'ordonnance.png', mimeType: 'image/png', buffer: PNG }]);
    await marie.getByRole('button', { name: 'Transmettre ma demande de remboursement' }).click();
    await marie.waitForURL(/\/assure\/demarches\/demandes\/\d+$/);
    const flash = await marie.getByText(/est transmise sous la référence DR-\d{4}-\d{6}/).innerText();
    const reference = flash.match(/DR-\d{4}-\d{6}/)?.[0] ?? '';
    const memberRequestUrl = marie.url();
    await seen(marie);
    assertIncludes(
      await emailTo(DEMO_FACTS.member.email, `Votre demande de remboursement ${reference} est bien reçue`),
      'Nous vous répondrons au plus tard le',
    );

    // Staff: the inbox, the request, « Demander un document manquant ».
    await staffOpens('Demandes', { label: 'Remboursement : Optique achetée hors réseau' }, reference);
    const files = await staff.locator('main').innerText();
    assertIncludes(files, 'facture-opticien.pdf');
    assertIncludes(files, 'ordonnance.png');
    await staff.getByLabel('Prescription médicale de moins de 5 ans').check();
    await staff.getByRole('button', { name: 'Demander un document manquant' }).click();
    await staff.getByText(`Le document manquant est demandé à l'assuré pour la demande ${reference}.`).waitFor();
    await seen(staff);

    // Marie: from Mes demandes, the request waiting for the document; she adds it.
    await marie.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Démarches' }).click();
    await marie.getByRole('heading', { level: 1, name: 'Démarches' }).waitFor();
    await seen(marie);
    await marie.getByRole('link', { name: 'Mes demandes' }).first().click();
    await marie.getByRole('heading', { level: 1, name: 'Mes demandes' }).waitFor();
    await seen(marie);
    await marie.getByRole('link', { name: reference }).click();
    await marie.waitForURL(memberRequestUrl);
    assertIncludes(await marie.locator('main').innerText(), 'Prescription médicale de moins de 5 ans', 'marie is told which document');
    await seen(marie);
    await marie.locator('#documents').setInputFiles([pdf('prescription.pdf')]);
    await marie.getByRole('button', { name: 'Ajouter les documents manquants' }).click();
    await marie.getByText(`Vos documents sont ajoutés à la demande ${reference}`).waitFor();
    await seen(marie);

    // Staff accept it: the amount and the payment date.
    await staff.reload();
    assertIncludes(await staff.locator('main').innerText(), 'prescription.pdf');
    await staff.getByLabel('Montant remboursé (en euros)').fill('87,40');
    await staff.getByLabel('Date du paiement').fill('04/12/2026');
    await staff.getByRole('button', { name: 'Accepter le remboursement' }).click();
    await staff.getByText(`La demande ${reference} est traitée`).waitFor();
    await seen(staff);
    assertExcludes(await emailTo(DEMO_FACTS.member.email, `Une réponse vous attend (${reference})`), '87,40', 'the email says nothing of the answer');

    // Marie: « Traitée », the amount, the payment date and every step of the timeline.
    await marie.goto(memberRequestUrl);
    const main = await textOf(marie.locator('main'));
    assertIncludes(main, 'Traitée');
    assertIncludes(main, 'Votre demande est traitée : 87,40 € remboursés, paiement le 04/12/2026.');
    const timeline = await marie.locator('.tracking-history').innerText();
    for (const step of ['Demande reçue', 'Document manquant demandé', 'Documents manquants ajoutés', 'Demande prise en charge', 'Demande traitée'])
      assertIncludes(timeline, step, step);
    await seen(marie);
    await marie.getByRole('link', { name: 'Mes demandes' }).click();
    const row = await marie.locator('tr', { hasText: reference }).innerText();
    assertIncludes(row, 'Traitée');
    assertIncludes(row, 'Léa Lefebvre');
    await seen(marie);
  });

  test('a devis with her estimate (« Calculer »), answered by staff from that estimate: marie sees the answer', async () => {
    await marie.goto(`${b.baseUrl}/assure/accueil`);
    await marie.getByRole('link', { name: 'Transmettre un devis' }).click();
    await marie.getByRole('heading', { level: 1, name: 'Transmettre un devis' }).waitFor();
    await seen(marie);
    await marie.getByLabel('Objet de votre demande de devis').selectOption({ label: 'Optique' });
    await marie.getByLabel('Bénéficiaire des soins').selectOption({ label: 'Hugo Lefebvre' });
    await marie.locator('#ligne_1_acte').selectOption('optique_simples');
    await marie.locator('#ligne_1_montant').fill('420');
    await marie.locator('#ligne_2_acte').selectOption('lentilles');
    await marie.locator('#ligne_2_montant').fill('95,50');
    await marie.locator('#documents').setInputFiles([pdf('devis-opticien.pdf')]);
    await marie.getByRole('button', { name: 'Calculer' }).click();
    await marie.getByRole('heading', { name: 'Votre reste à charge estimé' }).waitFor();
    assert.match(await textOf(marie.locator('main')), /Il vous resterait [\d ]+,\d{2} € à payer\. Cette estimation sera confirmée par votre conseiller/);
    assert.equal(await marie.locator('#ligne_2_montant').inputValue(), '95,50', 'the amounts typed are kept');
    assertIncludes(await marie.locator('main').innerText(), 'devis-opticien.pdf', 'the file chosen is kept');
    await seen(marie);
    await marie.getByLabel('Votre message').fill('Bonjour, voici le devis des lunettes de Hugo.');
    await marie.getByRole('button', { name: 'Transmettre ma demande de devis' }).click();
    await marie.waitForURL(/\/assure\/demarches\/demandes\/\d+$/);
    const reference = (await marie.getByText(/est transmise sous la référence DV-\d{4}-\d{6}/).innerText()).match(/DV-\d{4}-\d{6}/)?.[0] ?? '';
    const memberRequestUrl = marie.url();
    // What her estimate says the insurer and Sécurité sociale pay, line by line (amount − reste à charge).
    const estimate = marie.locator('section', { has: marie.getByRole('heading', { name: 'Votre estimation transmise avec le devis' }) });
    const expected: number[] = [];
    for (const line of await estimate.locator('tbody tr').all()) {
      const cells = await line.locator('td').allInnerTexts();
      expected.push(cents(cells[0]) - cents(cells[3]));
    }
    assert.equal(expected.length, 2);
    await seen(marie);

    // Staff: the devis, pre-filled from marie's estimate; « Répondre au devis ».
    await staffOpens('Demandes', { label: 'Devis : Optique' }, reference);
    for (const [index, reimbursed] of expected.entries()) {
      const value = await staff.getByLabel(`Remboursement estimé de la ligne ${index + 1}`).inputValue();
      assert.equal(cents(`${value} €`), reimbursed, `line ${index + 1} pre-filled from the estimate`);
    }
    await staff.getByRole('button', { name: 'Répondre au devis' }).click();
    await staff.getByText(`La réponse au devis ${reference} est envoyée à l'assuré.`).waitFor();
    await seen(staff);

    // Marie sees the answer.
    await marie.goto(memberRequestUrl);
    const answer = await textOf(marie.locator('section', { has: marie.getByRole('heading', { name: 'Notre réponse' }) }));
    assertIncludes(answer, 'Remboursement estimé pour votre devis');
    const total = expected.reduce((sum, c) => sum + c, 0);
    assert.equal(cents(answer.match(/devis : ([\d ]+,\d{2} €)/)?.[1] ?? ''), total, 'the total answered');
    assertIncludes(await marie.locator('main').innerText(), 'Traitée');
    await seen(marie);
  });

  test("rh.admin writes « Nous contacter / Mes salariés / Radiation d'un salarié », staff reply, rh.utilisateur sees the reply and the unread marker", async () => {
    const admin = await logInThroughPages(b, await jsOffContext(), 'entreprise', DEMO_FACTS.hrAdmin.email, MOBILES.hrAdmin, DEMO_FACTS.password);
    await seen(admin);
    await admin.getByRole('link', { name: 'Nous contacter' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Nouveau message' }).waitFor();
    await seen(admin);
    await admin.getByLabel('Entreprise').selectOption({ label: 'Cabinet Verdier Immobilier' });
    await admin.getByLabel('Catégorie').selectOption({ label: 'Mes salariés' });
    await admin.getByRole('button', { name: 'Afficher les objets de cette catégorie' }).click();
    await admin.locator('#objet option', { hasText: "Radiation d'un salarié" }).waitFor({ state: 'attached' });
    await seen(admin);
    await admin.getByLabel('Objet').selectOption({ label: "Radiation d'un salarié" });
    const text = "Bonjour, M. Perrin quitte l'entreprise le 31 décembre : merci de procéder à sa radiation.";
    await admin.getByLabel('Votre message').fill(text);
    await admin.getByRole('button', { name: 'Envoyer le message' }).click();
    await admin.getByText('Votre message a bien été envoyé').waitFor();
    const reference = (await admin.locator('.thread-facts dd').first().innerText()).trim();
    assert.match(reference, /^MS-\d{4}-\d{6}$/);
    await seen(admin);

    // rh.utilisateur reads the thread before any answer: it is no longer unread for them.
    const user = await logInThroughPages(b, await jsOffContext(), 'entreprise', DEMO_FACTS.hrUser.email, MOBILES.hrUser, DEMO_FACTS.password);
    await seen(user);
    await user
      .getByRole('banner')
      .getByRole('link', { name: /^Messagerie/ })
      .click();
    await user.getByRole('heading', { level: 1, name: 'Messagerie' }).waitFor();
    await user.getByRole('link', { name: reference }).click();
    await user.getByRole('heading', { name: "Radiation d'un salarié" }).waitFor();
    assertIncludes(await user.locator('.thread-messages').innerText(), text);
    await seen(user);
    const unreadBefore = await unreadCount(user, /^Messagerie/);

    // Staff reply from the inbox, a minute later (the test clock stands still otherwise).
    b.t.clock.advance(60_000);
    await staffOpens('Messages', { label: "Mes salariés : Radiation d'un salarié" }, reference);
    assertIncludes(await staff.locator('.thread-messages').innerText(), text);
    const answer = 'Bonjour, nous enregistrons la radiation de M. Perrin au 31 décembre : son certificat de radiation sera disponible dans son espace.';
    await staff.getByLabel('Votre réponse').fill(answer);
    await staff.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await staff
      .getByText(/réponse (est|a bien été) envoyée/)
      .first()
      .waitFor();
    assertIncludes(await staff.locator('.thread-messages').innerText(), answer);
    await seen(staff);
    // rh.admin, who wrote, is told by email, without the content of the answer.
    const email = await emailTo(DEMO_FACTS.hrAdmin.email, `Une réponse vous attend (${reference})`);
    assertIncludes(email, "son contenu n'est consultable que dans votre espace entreprise");
    assertExcludes(email, 'Perrin', 'the email says nothing of the answer');

    // rh.utilisateur: one more unread conversation on the icon, « Non lu » in the list, the
    // colleague's bell; the reply inside, and the thread read once opened.
    await user.goto(`${b.baseUrl}/entreprise/accueil`);
    assert.equal(await unreadCount(user, /^Messagerie/), unreadBefore + 1, 'the Messagerie icon counts the answered thread');
    await seen(user);
    await user
      .getByRole('banner')
      .getByRole('link', { name: /^Messagerie/ })
      .click();
    assertIncludes(await user.locator('tr', { hasText: reference }).innerText(), 'Non lu');
    await seen(user);
    await user
      .getByRole('banner')
      .getByRole('link', { name: /^Notifications/ })
      .click();
    const notice = user.locator('.notification', { hasText: `Réponse dans la conversation ${reference}.` });
    assertIncludes(await notice.innerText(), 'Nouvelle réponse à votre message');
    await seen(user);
    await notice.getByRole('button').click();
    await user.waitForURL(/\/entreprise\/messagerie\/\d+$/);
    await user.getByRole('heading', { name: "Radiation d'un salarié" }).waitFor();
    assertIncludes(await user.locator('.thread-messages').innerText(), answer);
    assert.equal(await unreadCount(user, /^Messagerie/), unreadBefore, 'read once opened');
    await seen(user);
    await user.getByRole('link', { name: 'Mes démarches' }).first().click();
    await user.getByRole('heading', { level: 1, name: 'Mes démarches' }).waitFor();
    assertIncludes(await user.locator('main').innerText(), reference);
    await seen(user);
  });

  test('a télétransmission activation asked on Mes bénéficiaires, confirmed by staff, shows « Active » in Situation NOEMIE', async () => {
    // Hugo's activation is already pending in the demo: marie cancels it, then asks again.
    await marie.goto(`${b.baseUrl}/assure/accueil`);
    await marie.getByRole('link', { name: 'Mes bénéficiaires' }).first().click();
    await marie.getByRole('heading', { level: 1, name: 'Mes bénéficiaires' }).waitFor();
    await seen(marie);
    await marie.getByRole('link', { name: 'Annuler la demande en cours pour Hugo Lefebvre' }).click();
    await marie.getByRole('button', { name: /^Confirmer/ }).click();
    await marie.getByText('Votre demande en cours a été annulée pour Hugo Lefebvre').waitFor();
    await marie.getByRole('link', { name: 'Activer la télétransmission pour Hugo Lefebvre' }).click();
    await marie.getByRole('heading', { level: 1, name: 'Activer la télétransmission' }).waitFor();
    await seen(marie);
    await marie.getByRole('button', { name: /^Confirmer/ }).click();
    await marie.getByText("Votre demande d'activation de la télétransmission a été enregistrée pour Hugo Lefebvre").waitFor();
    await seen(marie);

    // Staff: « Télétransmission », the newest activation: Hugo's; « Confirmer la demande ».
    const reference = await staffOpens('Télétransmission', { label: 'Télétransmission : activation' }, null);
    assert.match(reference, /^DT-\d{4}-\d{6}$/);
    assertIncludes(await staff.locator('main').innerText(), 'Hugo Lefebvre');
    await staff.getByRole('button', { name: 'Confirmer la demande' }).click();
    await staff.getByText(`La demande ${reference} est confirmée`).waitFor();
    await seen(staff);

    // Marie: Situation NOEMIE says Hugo's télétransmission is active, the change processed.
    await marie.goto(`${b.baseUrl}/assure/situation`);
    await marie.getByRole('link', { name: 'Situation NOEMIE' }).click();
    await marie.getByRole('heading', { level: 1, name: 'Situation NOEMIE' }).waitFor();
    const hugo = await marie
      .locator('.noemie-table tbody tr', { has: marie.getByRole('rowheader', { name: /Hugo Lefebvre/ }) })
      .first()
      .innerText();
    assertIncludes(hugo, 'Active');
    assertExcludes(hugo, 'Activation demandée');
    assertIncludes(await marie.locator('.noemie-table').nth(1).locator('tbody tr').first().innerText(), 'Traité le');
    await seen(marie);
  });

  test('no menu entry or tile of the issue answers « bientôt disponible » any more', async (t) => {
    const hr = await logInThroughPages(b, await jsOffContext(), 'entreprise', DEMO_FACTS.hrAdmin.email, MOBILES.hrAdmin, DEMO_FACTS.password);
    /** Every link of the header menu and icons, of the home tiles (and of the menu pages named): its label → « bientôt disponible » or not. */
    async function crawl(page: Page, pages: string[]): Promise<Map<string, boolean>> {
      const links: { label: string; href: string }[] = [];
      for (const path of pages) {
        await page.goto(`${b.baseUrl}${path}`);
        links.push(
          ...(await page
            .locator('.main-nav a, .icon-nav a, main a.tile, main .situation-list a')
            .evaluateAll((as) => as.map((a) => ({ label: (a.textContent ?? '').replace(/\s+/g, ' ').trim(), href: a.getAttribute('href') ?? '' })))),
        );
      }
      const result = new Map<string, boolean>();
      for (const { label, href } of links) {
        if (!href.startsWith('/') || result.has(label)) continue;
        await page.goto(`${b.baseUrl}${href}`);
        result.set(label, (await page.locator('main').innerText()).includes(COMING_SOON));
      }
      return result;
    }
    const spaces = {
      assure: await crawl(marie, ['/assure/accueil', '/assure/demarches']),
      entreprise: await crawl(hr, ['/entreprise/accueil']),
      gestion: await crawl(staff, ['/gestion/accueil']),
    };
    const still = Object.entries(spaces).flatMap(([space, links]) => [...links].filter(([, soon]) => soon).map(([label]) => `${space}: ${label}`));
    t.diagnostic(`Still « bientôt disponible »: ${still.join(' ; ') || 'none'}`);
    const ofThisIssue: Record<keyof typeof spaces, string[]> = {
      assure: [
        'Démarches',
        'Demande de remboursements',
        'Transmettre un devis',
        'Messagerie sécurisée',
        'Demande de remboursement',
        'Mes demandes',
        'Messagerie',
      ],
      entreprise: ['Mes démarches', 'Nous contacter', 'Messagerie'],
      gestion: ['Demandes', 'Accueil'],
    };
    for (const [space, labels] of Object.entries(ofThisIssue) as [keyof typeof spaces, string[]][]) {
      for (const label of labels) {
        const entry = [...spaces[space]].find(([l]) => l === label || l.startsWith(label));
        assert.ok(entry, `${space}: « ${label} » is in the menus or tiles (found: ${[...spaces[space].keys()].join(', ')})`);
        assert.equal(entry[1], false, `${space}: « ${label} » no longer answers « bientôt disponible »`);
      }
    }
  });
});

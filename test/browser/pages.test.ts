// Every other page of the portal once with JavaScript on (axe: zero violations) and once with
// JavaScript off (it renders its heading and main content): password pages, space homes,
// « bientôt disponible » pages, the staff audit log, an outbox message.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext } from 'playwright-core';
import { axeViolations, browserSkipReason, formatViolations, hasNoHorizontalOverflow, startBrowserHarness, type BrowserHarness } from './browser.js';
import { codeIn, createAccount, lastMessageTo, linkIn, PASSWORD } from '../helpers/fixtures.js';
import { issuePasswordCreationLink, issuePasswordResetLink } from '../../src/auth/password-links.js';
import { createOutbox } from '../../src/stores/outbox.js';
import { createFamily } from '../helpers/family.js';
import { createHrCompany, createHrUser } from '../helpers/entreprise.js';
import { createAffiliationRequest } from '../helpers/affiliation-requests.js';
import { createFinalizedRequest } from '../helpers/finalized-requests.js';
import { fileStoreFor } from '../../src/storage/from-config.js';

const skip = browserSkipReason();

describe('other pages in Chromium', { skip, timeout: 300_000 }, () => {
  let b: BrowserHarness;
  const links: Record<string, string> = {};
  const emails: Record<string, string> = {};
  const ids: Record<string, number> = {};
  before(async () => {
    b = await startBrowserHarness(async (t) => {
      const ctx = { config: t.config, db: t.db, clock: t.clock, outbox: createOutbox(t.config, t.db, t.clock), files: fileStoreFor(t.config) };
      // A superviseur: the journal d'audit is among its pages.
      emails.staff = (await createAccount(t.db, { kind: 'staff', mobile: '+33639980501', email: 'agent@tilleul.example', staffRole: 'superviseur' })).email;
      const company = await createHrCompany(t.db, 'Agence des Pages', 2);
      const hr = await createHrUser(t.db, [{ company, role: 'admin' }], { mobile: '+33639980502', email: 'rh@agence.example' });
      emails.hr = hr.email;
      // An unread notification: the bell shows its count, the list its « Nouveau » badge.
      await t.db('notifications').insert({
        account_id: hr.id,
        kind: 'affiliation_finalized',
        title: "Formulaire d'affiliation transmis",
        body: 'Léa Pages a transmis son formulaire.',
        link: '/entreprise/suivi-affiliations/1',
        created_at: t.clock().toISOString(),
        read_at: null,
      });
      ids.affiliationRequest = (await createAffiliationRequest(t.db, t.clock(), { company, status: 'started' })).id;
      ids.colleague = (await createHrUser(t.db, [{ company, role: 'user' }], { mobile: '+33639980504', email: 'collegue@agence.example' })).id;
      ids.finalizedRequest = (
        await createFinalizedRequest(t.db, {
          uploadDir: t.config.uploadDir,
          company,
          createdBy: ids.colleague,
          beneficiaries: [{ relationship: 'conjoint', sex: 'M', lastName: 'Pages', firstName: 'Marc', birthDate: '1990-01-01', nir: null }],
        })
      ).id;
      emails.member = (await createFamily(t.db, { firstName: 'Inès', lastName: 'Pages' })).email;
      const reset = await createAccount(t.db, { kind: 'member', mobile: '+33639980503', email: 'oubli@exemple.fr' });
      await issuePasswordResetLink(ctx, reset.id);
      links.reset = linkIn((await lastMessageTo(t.db, reset.email)).body_text);
      const invited = await createAccount(t.db, { kind: 'hr', status: 'pending', password: null, mobile: null, email: 'invite@agence.example' });
      await issuePasswordCreationLink(ctx, invited.id, { firstName: 'Eugénie', lastName: 'Marchand' });
      links.create = linkIn((await lastMessageTo(t.db, invited.email)).body_text);
      links.outbox = `/dev/outbox/${(await t.db('outbox').orderBy('id', 'desc').first()).id}`;
    });
  });
  after(async () => {
    await b?.close();
  });

  async function check(context: BrowserContext, paths: string[], on: boolean) {
    const page = await context.newPage();
    for (const path of paths) {
      const response = await page.goto(b.baseUrl + path);
      assert.ok(response && response.status() < 500, `${path} answered ${response?.status()}`);
      assert.ok((await page.locator('main#contenu h1').count()) >= 1, `${path} has a heading`);
      if (on) {
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, `${path}\n${formatViolations(violations)}`);
      }
    }
    await page.close();
  }

  async function logIn(context: BrowserContext, door: string, email: string, mobile: string) {
    const page = await context.newPage();
    await page.goto(`${b.baseUrl}/${door}`);
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`**/${door}/securite`);
    await page.getByRole('button', { name: 'Envoyer le code' }).click();
    await page.getByLabel('Code de sécurité').waitFor();
    await page.getByLabel('Code de sécurité').fill(codeIn((await lastMessageTo(b.t.db, mobile)).body_text));
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.waitForURL(`**/${door}/accueil`);
    await page.close();
    b.t.clock.advance(61_000); // one SMS code a minute per account
  }

  const publicPages = () => [
    '/assure/mot-de-passe-oublie',
    '/entreprise/mot-de-passe-oublie',
    '/gestion/mot-de-passe-oublie',
    links.reset,
    '/assure/reinitialiser/lien-inconnu',
    links.create,
    '/entreprise/activation',
    links.outbox,
  ];
  const staffPages = () => [
    '/gestion/accueil',
    '/gestion/audit',
    '/gestion/audit?evenement=login_ok',
    '/gestion/messages',
    '/gestion/mot-de-passe',
    '/gestion/affiliations',
    '/gestion/affiliations?statut=refusees',
    `/gestion/affiliations/${ids.finalizedRequest}`,
  ];
  const hrPages = () => [
    '/entreprise/accueil',
    '/entreprise/salaries',
    '/entreprise/profil',
    '/entreprise/profil/modifier',
    '/entreprise/profil/email',
    '/entreprise/profil/mobile',
    '/entreprise/profil/etablissements/ajouter',
    '/entreprise/pre-affiliation/etablissement',
    '/entreprise/notifications',
    '/entreprise/mot-de-passe',
    '/entreprise/habilitations/ajouter',
    `/entreprise/habilitations/${ids.colleague}/modifier`,
    `/entreprise/habilitations/${ids.colleague}/desactiver`,
    '/entreprise/suivi-affiliations',
    '/entreprise/suivi-affiliations?statut=perdu&tri=x',
    `/entreprise/suivi-affiliations/${ids.affiliationRequest}`,
    `/entreprise/suivi-affiliations/${ids.affiliationRequest}/annuler`,
  ];
  const memberPages = [
    '/assure/accueil',
    '/assure/situation',
    '/assure/remboursements',
    '/assure/contrats',
    '/assure/tiers-payant',
    '/assure/prevention',
    '/assure/informations-personnelles',
    '/assure/mot-de-passe',
  ];

  test('public pages: axe with JS on, rendered with JS off', async () => {
    await check(b.jsOn, publicPages(), true);
    await check(b.jsOff, publicPages(), false);
  });

  test('staff, HR and member pages: axe with JS on, rendered with JS off, no overflow at 360 px', async () => {
    for (const [door, email, mobile, paths] of [
      ['gestion', emails.staff, '+33639980501', staffPages()],
      ['entreprise', emails.hr, '+33639980502', hrPages()],
    ] as const) {
      await logIn(b.jsOn, door, email, mobile);
      await check(b.jsOn, [...paths], true);
      await logIn(b.jsOff, door, email, mobile);
      await check(b.jsOff, [...paths], false);
    }
    const member = await b.t.db('accounts').where({ email: emails.member }).first();
    await logIn(b.jsOn, 'assure', emails.member, member.mobile);
    await check(b.jsOn, memberPages, true);
    const phone = await b.jsOn.newPage();
    await phone.setViewportSize({ width: 360, height: 740 });
    for (const path of [...memberPages, '/gestion/accueil']) {
      await phone.goto(b.baseUrl + path);
      assert.ok(await hasNoHorizontalOverflow(phone), `${path} overflows at 360 px`);
    }
    await phone.close();
  });
});

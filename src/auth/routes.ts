// Accounts and authentication for the three doors: every URL in one place.
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { doors, type Door } from './doors.js';
import { requireAccount } from './session.js';
import { login, logout, showLogin } from './login.js';
import { cancelTwoFactor, confirmNumberChange, requestNumberChange, sendTwoFactorCode, showTwoFactor, verifyTwoFactorCode } from './two-factor.js';
import * as memberActivation from './activation-member.js';
import * as hrActivation from './activation-hr.js';
import * as passwords from './password-pages.js';

/** One router per door, every path of each under the door's base (app.ts mounts them so). */
export function authRoutes(ctx: AppContext): Record<Door, Router> {
  const routers = { assure: Router(), entreprise: Router(), gestion: Router() };

  for (const info of Object.values(doors)) {
    const base = info.base;
    const router = routers[info.door];
    router.get(base, showLogin(info));
    router.post(`${base}/connexion`, login(ctx, info));
    router.post(`${base}/deconnexion`, logout(ctx, info));

    // Double authentification
    router.get(`${base}/securite`, showTwoFactor(ctx, info));
    router.post(`${base}/securite/envoyer`, sendTwoFactorCode(ctx, info));
    router.post(`${base}/securite/verifier`, verifyTwoFactorCode(ctx, info));
    router.get(`${base}/securite/numero`, showTwoFactor(ctx, info, 'number'));
    router.post(`${base}/securite/numero`, requestNumberChange(ctx, info));
    router.post(`${base}/securite/numero/verifier`, confirmNumberChange(ctx, info));
    router.post(`${base}/securite/annuler`, cancelTwoFactor(info));

    // Mot de passe oublié (emailed single-use link, 30 minutes)
    router.get(`${base}/mot-de-passe-oublie`, passwords.showForgot(ctx, info));
    router.post(`${base}/mot-de-passe-oublie`, passwords.submitForgot(ctx, info));
    router.get(`${base}/reinitialiser/:token`, passwords.showReset(ctx, info));
    router.post(`${base}/reinitialiser/:token`, passwords.submitReset(ctx, info));

    // Modifier mon mot de passe (logged in, current password required)
    router.get(`${base}/mot-de-passe`, requireAccount(ctx, info), passwords.showChange(ctx, info));
    router.post(`${base}/mot-de-passe`, requireAccount(ctx, info), passwords.submitChange(ctx, info));
  }

  // Member activation — « Activer mon espace » (guide: Première connexion)
  let router = routers.assure;
  router.get('/assure/activation', memberActivation.showEmailStep(ctx));
  router.post('/assure/activation', memberActivation.submitEmailStep(ctx));
  router.get('/assure/activation/code', memberActivation.showCodeStep(ctx));
  router.post('/assure/activation/envoyer', memberActivation.sendCode(ctx));
  router.post('/assure/activation/code', memberActivation.verifyCodeStep(ctx));
  router.get('/assure/activation/mot-de-passe', memberActivation.showPasswordStep(ctx));
  router.post('/assure/activation/mot-de-passe', memberActivation.submitPasswordStep(ctx));

  // HR activation — « Activer mon espace » → « Créer mon compte »
  router = routers.entreprise;
  router.get('/entreprise/activation', hrActivation.showIntro(ctx));
  router.get('/entreprise/activation/identification', hrActivation.showIdentification(ctx));
  router.post('/entreprise/activation/identification', hrActivation.submitIdentification(ctx));
  router.get('/entreprise/activation/compte', hrActivation.showAccountStep(ctx));
  router.post('/entreprise/activation/compte', hrActivation.submitAccountStep(ctx));
  router.get('/entreprise/activation/mot-de-passe', hrActivation.showPasswordStep(ctx));
  router.post('/entreprise/activation/mot-de-passe', hrActivation.submitPasswordStep(ctx));

  // Password creation for invited HR users (link valid 7 days, re-sendable)
  router.get('/entreprise/creer-mot-de-passe/:token', passwords.showCreate(ctx));
  router.post('/entreprise/creer-mot-de-passe/:token', passwords.submitCreate(ctx));

  // Password creation for invited staff (« Comptes » of the Espace Gestion, npm run staff:create; link valid 7 days)
  router = routers.gestion;
  router.get('/gestion/creer-mot-de-passe/:token', passwords.showCreate(ctx, doors.gestion));
  router.post('/gestion/creer-mot-de-passe/:token', passwords.submitCreate(ctx, doors.gestion));

  return routers;
}

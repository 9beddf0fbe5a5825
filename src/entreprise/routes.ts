// Espace Entreprise (SPEC §3): every URL of the HR space.
import { Router } from 'express';
import type { AppContext } from '../app.js';
import { doors } from '../auth/doors.js';
import { requireAccount } from '../auth/session.js';
import { entrepriseIcons, entrepriseNav } from '../navigation.js';
import { comingSoon, spaceLocals } from '../spaces.js';
import { ENTREPRISE_TILES, showHome } from './home/pages.js';
import * as habilitations from './habilitations/pages.js';

export function entrepriseRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/entreprise', requireAccount(ctx, doors.entreprise), spaceLocals({ nav: entrepriseNav, icons: entrepriseIcons }));
  router.get('/entreprise/accueil', showHome(ctx));

  // Mes habilitations / Gestion des habilitations — administrators only (403 for users).
  router.use('/entreprise/habilitations', habilitations.requireHrAdmin);
  router.get('/entreprise/habilitations', habilitations.showUsers(ctx));
  router.get('/entreprise/habilitations/ajouter', habilitations.showAddForm(ctx));
  router.post('/entreprise/habilitations/ajouter', habilitations.submitAdd(ctx));
  router.get('/entreprise/habilitations/:id/modifier', habilitations.showEditForm(ctx));
  router.post('/entreprise/habilitations/:id/modifier', habilitations.submitEdit(ctx));
  router.post('/entreprise/habilitations/:id/renvoyer-lien', habilitations.resendLink(ctx));
  router.get('/entreprise/habilitations/:id/suspendre', habilitations.showConfirm(ctx, 'suspendre'));
  router.post('/entreprise/habilitations/:id/suspendre', habilitations.suspend(ctx));
  router.post('/entreprise/habilitations/:id/reactiver', habilitations.reactivate(ctx));
  router.get('/entreprise/habilitations/:id/desactiver', habilitations.showConfirm(ctx, 'desactiver'));
  router.post('/entreprise/habilitations/:id/desactiver', habilitations.remove(ctx));
  comingSoon(router, 'entreprise', '/entreprise/accueil', [...entrepriseNav, ...entrepriseIcons, ...ENTREPRISE_TILES]);
  return router;
}

// Espace Entreprise (SPEC §3): every URL of the HR space.
import { Router } from 'express';
import type { AppContext } from '../app.js';
import { doors } from '../auth/doors.js';
import { requireAccount } from '../auth/session.js';
import { entrepriseIcons, entrepriseNav } from '../navigation.js';
import { comingSoon, spaceLocals } from '../spaces.js';
import { ENTREPRISE_TILES, showHome } from './home/pages.js';

export function entrepriseRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/entreprise', requireAccount(ctx, doors.entreprise), spaceLocals({ nav: entrepriseNav, icons: entrepriseIcons }));
  router.get('/entreprise/accueil', showHome(ctx));
  comingSoon(router, 'entreprise', '/entreprise/accueil', [...entrepriseNav, ...entrepriseIcons, ...ENTREPRISE_TILES]);
  return router;
}

// Espace Entreprise (SPEC §3): every URL of the HR space.
import { Router } from 'express';
import type { AppContext } from '../app.js';
import { doors } from '../auth/doors.js';
import { requireAccount } from '../auth/session.js';
import { entrepriseIcons, entrepriseNav } from '../navigation.js';
import { comingSoon, spaceLocals } from '../spaces.js';

export function entrepriseRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/entreprise', requireAccount(ctx, doors.entreprise), spaceLocals({ nav: entrepriseNav, icons: entrepriseIcons }));
  router.get('/entreprise/accueil', (_req, res) =>
    res.renderPage({ page: 'space/home', layout: 'entreprise', title: 'Accueil', locals: { intro: 'Gérez vos salariés assurés en quelques clics.' } }),
  );
  comingSoon(router, 'entreprise', '/entreprise/accueil', [...entrepriseNav, ...entrepriseIcons]);
  return router;
}

// Espace Assuré (SPEC §2): every URL of the member space.
import { Router } from 'express';
import type { AppContext } from '../app.js';
import { doors } from '../auth/doors.js';
import { requireAccount } from '../auth/session.js';
import { assureNav } from '../navigation.js';
import { comingSoon, spaceLocals } from '../spaces.js';

export function assureRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/assure', requireAccount(ctx, doors.assure), spaceLocals({ nav: assureNav }));
  router.get('/assure/accueil', (_req, res) =>
    res.renderPage({ page: 'space/home', layout: 'assure', title: 'Accueil', locals: { intro: 'Retrouvez vos remboursements, votre carte de tiers payant et vos démarches.' } }),
  );
  comingSoon(router, 'assure', '/assure/accueil', [
    ...assureNav.filter((item) => item.href !== '/assure/accueil'),
    { label: 'Mes informations personnelles', href: '/assure/informations-personnelles' },
  ]);
  return router;
}

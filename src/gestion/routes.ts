// Espace Gestion (SPEC §4): every URL of the insurer's back-office.
import { Router } from 'express';
import type { AppContext } from '../app.js';
import { doors } from '../auth/doors.js';
import { requireAccount } from '../auth/session.js';
import { gestionNav } from '../navigation.js';
import { comingSoon, spaceLocals } from '../spaces.js';
import { showAuditLog } from './audit.js';

export function gestionRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/gestion', requireAccount(ctx, doors.gestion), spaceLocals({ nav: gestionNav }));
  router.get('/gestion/accueil', (_req, res) =>
    res.renderPage({ page: 'space/home', layout: 'gestion', title: 'Accueil', locals: { intro: "Espace de gestion de l'assureur." } }),
  );
  router.get('/gestion/audit', showAuditLog(ctx));
  comingSoon(
    router,
    'gestion',
    '/gestion/accueil',
    gestionNav.filter((item) => item.href !== '/gestion/accueil' && item.href !== '/gestion/audit'),
  );
  return router;
}

// Espace Gestion: every URL of the insurer's back-office.
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { doors } from '../auth/doors.js';
import { requireAccount } from '../auth/session.js';
import { gestionNav } from '../navigation.js';
import { comingSoon, spaceLocals } from '../spaces.js';
import { showAuditLog } from './audit.js';
import * as affiliations from './affiliations/pages.js';
import * as paper from './affiliations/paper.js';
import { formUploads } from '../affiliation-requests/documents.js';

export function gestionRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/gestion', requireAccount(ctx, doors.gestion), spaceLocals({ nav: gestionNav }));
  router.get('/gestion/accueil', (_req, res) =>
    res.renderPage({ page: 'space/home', layout: 'gestion', title: 'Accueil', locals: { intro: "Espace de gestion de l'assureur." } }),
  );
  router.get('/gestion/audit', showAuditLog(ctx));
  // Validation of the affiliations finalized by employees (before the coming-soon page).
  router.get('/gestion/affiliations', affiliations.showList(ctx));
  router.get('/gestion/affiliations/:id', affiliations.showDetail(ctx));
  router.get('/gestion/affiliations/:id/documents/:documentId', affiliations.downloadDocument(ctx));
  router.post('/gestion/affiliations/:id/valider', affiliations.validate(ctx));
  router.post('/gestion/affiliations/:id/refuser', affiliations.refuse(ctx));
  // « Saisir le bulletin papier » of a request in mode Courrier (the list's « Bulletins papier à saisir »).
  router.get('/gestion/affiliations/:id/bulletin-papier', paper.showPaperForm(ctx));
  router.post('/gestion/affiliations/:id/bulletin-papier', ...formUploads(ctx.config), paper.savePaperForm(ctx));
  comingSoon(
    router,
    'gestion',
    '/gestion/accueil',
    gestionNav.filter((item) => item.href !== '/gestion/accueil' && item.href !== '/gestion/audit'),
  );
  return router;
}

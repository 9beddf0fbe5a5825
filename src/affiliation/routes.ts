// Affiliation en ligne: the employee's pages, reached by the link of the HR
// pre-affiliation email. No account: the link and the birth date open the form.
import { Router } from 'express';
import type { AppContext } from '../context.js';
import * as affiliation from './pages.js';

export function affiliationRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/affiliation/transmis', affiliation.showSubmitted(ctx));
  router.get('/affiliation/:token', affiliation.showIdentity(ctx));
  router.post('/affiliation/:token', affiliation.checkIdentity(ctx));
  router.get('/affiliation/:token/formulaire', affiliation.showForm(ctx));
  router.post('/affiliation/:token/formulaire', ...affiliation.formUploads(ctx), affiliation.submitForm(ctx));
  return router;
}

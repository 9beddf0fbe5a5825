// Public pages: the landing page that sends each person to their door, and the legal pages.
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { showAssistant } from '../assistant/pages.js';

export function publicRoutes(ctx: AppContext): Router {
  const { config } = ctx;
  const router = Router();
  const { legal, name } = config.brand;

  router.get('/', (_req, res) => res.renderPage({ page: 'public/home', title: 'Accueil' }));
  router.get('/mentions-legales', (_req, res) =>
    res.renderPage({
      page: 'public/legal',
      title: 'Mentions légales',
      description: `Mentions légales du portail ${name} : éditeur, directeur de la publication et hébergement.`,
      locals: { paragraphs: legal.mentions, showPublisher: true },
    }),
  );
  router.get('/cgu', (_req, res) =>
    res.renderPage({
      page: 'public/legal',
      title: "Conditions générales d'utilisation",
      description: `Conditions générales d'utilisation des espaces sécurisés du portail ${name} : accès, identifiants personnels et double authentification.`,
      locals: { paragraphs: legal.cgu },
    }),
  );
  router.get('/donnees-personnelles', (_req, res) =>
    res.renderPage({
      page: 'public/legal',
      title: 'Données personnelles',
      description: `Comment ${name} traite vos données personnelles sur ce portail, combien de temps elles sont conservées et comment exercer vos droits.`,
      locals: { paragraphs: legal.donnees },
    }),
  );
  // The virtual assistant before login: activation, codes, passwords (the entries offered in « public »).
  router.get('/assistant', showAssistant(ctx, 'public'));
  router.get('/accessibilite', (_req, res) => res.renderPage({ page: 'public/accessibilite', title: "Déclaration d'accessibilité" }));
  return router;
}

// Espace Assuré: every URL of the member space.
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { doors } from '../auth/doors.js';
import { requireAccount } from '../auth/session.js';
import { assureNav } from '../navigation.js';
import { spaceLocals } from '../spaces.js';
import { loadMember } from './member.js';
import * as home from './home/pages.js';
import * as statements from './statements/pages.js';
import * as card from './card/pages.js';
import * as contracts from './contracts/pages.js';
import * as beneficiaries from './beneficiaries/pages.js';
import * as profile from './profile/pages.js';
import * as demarches from './demarches/pages.js';
import * as messagerie from './messagerie/pages.js';
import * as professionals from './professionals/pages.js';
import * as content from '../content/pages.js';
import { showAssistant } from '../assistant/pages.js';

export function assureRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/assure', requireAccount(ctx, doors.assure), spaceLocals({ nav: assureNav }), loadMember(ctx));
  router.use('/assure', messagerie.unreadBadge(ctx));

  // Accueil
  router.get('/assure/accueil', home.showHome(ctx));

  // Remboursements / décomptes
  router.get('/assure/remboursements', statements.showStatements(ctx));
  router.get('/assure/remboursements/decomptes/:id/pdf', statements.downloadStatementPdf(ctx));

  // Ma carte de tiers payant
  router.get('/assure/tiers-payant', card.showCard(ctx));
  router.get('/assure/tiers-payant/carte.pdf', card.downloadCardPdf(ctx));
  router.get('/assure/tiers-payant/impression', card.showPrintableCard(ctx));
  router.post('/assure/tiers-payant/beneficiaires/:id/nir', card.revealCardNir(ctx));
  // Professionnels de santé (from the Tiers payant page and Mes services): the search and its place suggestions
  router.get('/assure/professionnels', professionals.showProfessionals(ctx));
  router.get('/assure/professionnels/lieux', professionals.suggestPlaces());

  // Situation: Mes bénéficiaires, Situation NOEMIE, Mes contrats
  router.get('/assure/situation', contracts.showSituation(ctx));
  router.get('/assure/beneficiaires', beneficiaries.showBeneficiaries(ctx));
  router.post('/assure/beneficiaires/:id/nir', beneficiaries.revealNir(ctx));
  router.get('/assure/beneficiaires/:id/teletransmission', beneficiaries.confirmTeletransmission(ctx));
  router.post('/assure/beneficiaires/:id/teletransmission', beneficiaries.changeTeletransmission(ctx));
  router.get('/assure/situation-noemie', beneficiaries.showNoemie(ctx));
  router.get('/assure/contrats', contracts.showContracts(ctx));
  router.get('/assure/contrats/:id/garanties.pdf', contracts.downloadGuarantees(ctx));
  router.get('/assure/contrats/:id/certificat-affiliation.pdf', contracts.downloadAffiliationCertificate(ctx));
  router.get('/assure/contrats/:id/certificat-radiation.pdf', contracts.downloadRadiationCertificate(ctx));

  // Mes informations personnelles — « Modifier mon mot de passe » is /assure/mot-de-passe
  router.get('/assure/informations-personnelles', profile.showProfile(ctx));
  router.get('/assure/informations-personnelles/adresse', profile.showAddressForm(ctx));
  router.post('/assure/informations-personnelles/adresse', profile.saveAddress(ctx));
  router.get('/assure/informations-personnelles/email', profile.showEmailForm(ctx));
  router.post('/assure/informations-personnelles/email', profile.requestEmailChange(ctx));
  router.post('/assure/informations-personnelles/email/confirmer', profile.confirmEmailChange(ctx));
  router.get('/assure/informations-personnelles/mobile', profile.showMobileForm(ctx));
  router.post('/assure/informations-personnelles/mobile', profile.requestMobileChange(ctx));
  router.post('/assure/informations-personnelles/mobile/confirmer', profile.confirmMobileChange(ctx));
  router.get('/assure/informations-personnelles/iban', profile.showIbanForm(ctx));
  router.post('/assure/informations-personnelles/iban', profile.saveIban(ctx));
  router.post('/assure/informations-personnelles/mes-donnees', profile.dataRights.requestExport(ctx));
  router.post('/assure/informations-personnelles/mes-donnees/:id/telecharger', profile.dataRights.downloadExport(ctx));
  router.get('/assure/informations-personnelles/effacement', profile.dataRights.showErasureForm(ctx));
  router.post('/assure/informations-personnelles/effacement', profile.dataRights.requestErasure(ctx));

  // Démarches: demande de remboursement, devis with its reste-à-charge estimate, Mes demandes
  router.get('/assure/demarches', demarches.showMenu(ctx));
  router.get('/assure/demarches/remboursement', demarches.showRemboursement(ctx));
  router.post('/assure/demarches/remboursement', ...demarches.requestUploads(ctx), demarches.sendRemboursement(ctx));
  router.get('/assure/demarches/devis', demarches.showDevis(ctx));
  router.post('/assure/demarches/devis', ...demarches.requestUploads(ctx), demarches.sendDevis(ctx));
  router.get('/assure/demarches/devis/estimation', demarches.showEstimate(ctx));
  router.get('/assure/demarches/demandes', demarches.showRequests(ctx));
  router.get('/assure/demarches/demandes/:id', demarches.showRequest(ctx));
  router.post('/assure/demarches/demandes/:id/documents', ...demarches.requestUploads(ctx), demarches.addDocuments(ctx));
  router.get('/assure/demarches/demandes/:id/documents/:attachmentId', demarches.downloadAttachment(ctx));
  // Where the demo's first notifications lead (db/seeds/demo/requests.ts).
  router.get('/assure/demandes', (_req, res) => res.redirect(301, '/assure/demarches/demandes'));
  // Messagerie sécurisée: the family's threads; the notices link to /assure/messagerie/:id.
  router.get('/assure/messagerie', messagerie.showList(ctx));
  router.get('/assure/messagerie/nouveau', messagerie.showNewForm(ctx));
  router.post('/assure/messagerie/nouveau', ...messagerie.submitNew(ctx));
  router.get('/assure/messagerie/:id', messagerie.showThread(ctx));
  router.post('/assure/messagerie/:id', ...messagerie.submitReply(ctx));
  router.get('/assure/messagerie/:id/documents/:documentId', messagerie.downloadDocument(ctx));
  // The address of the entry before the messagerie existed (older notifications lead there).
  router.get('/assure/messages', (_req, res) => res.redirect(301, '/assure/messagerie'));

  // Mes services (the brand's care network) and Prévention: the brand's content pages
  // (src/content/pages.ts over brand/content/services/ and brand/content/prevention/); Aide.
  router.get('/assure/services', content.showSection(ctx, content.SERVICES_SECTION));
  router.get('/assure/services/:slug', content.showSectionPage(ctx, content.SERVICES_SECTION));
  router.get('/assure/prevention', content.showSection(ctx, content.PREVENTION_SECTION));
  router.get('/assure/prevention/:slug', content.showSectionPage(ctx, content.PREVENTION_SECTION));
  router.get('/assure/aide', content.showHelp(ctx, 'assure'));
  // The virtual assistant (the brand's assistantName), over the brand's knowledge base.
  router.get('/assure/assistant', showAssistant(ctx, 'assure'));

  return router;
}

// Espace Entreprise: every URL of the HR space.
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { doors } from '../auth/doors.js';
import { requireAccount } from '../auth/session.js';
import { entrepriseIcons, entrepriseNav } from '../navigation.js';
import { spaceLocals } from '../spaces.js';
import { showHome } from './home/pages.js';
import * as habilitations from './habilitations/pages.js';
import * as accessRefusal from './habilitations/refusal.js';
import * as establishments from './establishments/pages.js';
import * as preAffiliation from './pre-affiliation/pages.js';
import * as notifications from './notifications/pages.js';
import * as profile from './profile/pages.js';
import * as tracking from './affiliation-tracking/pages.js';
import * as employees from './employees/pages.js';
import * as messagerie from './messagerie/pages.js';
import * as contracts from './contracts/pages.js';
import * as documents from './documents/pages.js';
import * as content from '../content/pages.js';
import { showAssistant } from '../assistant/pages.js';

export function entrepriseRoutes(ctx: AppContext): Router {
  const router = Router();
  // « Refuser cet accès »: the link emailed to someone added to a company, usable without logging
  // in (an invited account has no password yet) — the only URLs here before the login guard.
  router.get('/entreprise/refuser-acces/:token', accessRefusal.showRefusal(ctx));
  router.post('/entreprise/refuser-acces/:token', accessRefusal.submitRefusal(ctx));
  router.use('/entreprise', requireAccount(ctx, doors.entreprise), spaceLocals({ nav: entrepriseNav, icons: entrepriseIcons }), notifications.unreadBadge(ctx));
  router.use('/entreprise', messagerie.unreadBadge(ctx));
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
  // Mon profil, and the « périmètre suivi »: one establishment, or many by file.
  router.get('/entreprise/profil', profile.showProfile(ctx));
  // « Mes données personnelles » (src/personal-data/pages.ts): my data as a ZIP, the erasure request.
  router.post('/entreprise/profil/mes-donnees', profile.dataRights.requestExport(ctx));
  router.post('/entreprise/profil/mes-donnees/:id/telecharger', profile.dataRights.downloadExport(ctx));
  router.get('/entreprise/profil/effacement', profile.dataRights.showErasureForm(ctx));
  router.post('/entreprise/profil/effacement', profile.dataRights.requestErasure(ctx));
  router.get('/entreprise/profil/modifier', profile.showNamesForm(ctx));
  router.post('/entreprise/profil/modifier', profile.saveNames(ctx));
  router.get('/entreprise/profil/email', profile.showEmailForm(ctx));
  router.post('/entreprise/profil/email', profile.requestEmailChange(ctx));
  router.post('/entreprise/profil/email/confirmer', profile.confirmEmailChange(ctx));
  router.get('/entreprise/profil/mobile', profile.showMobileForm(ctx));
  router.post('/entreprise/profil/mobile', profile.requestMobileChange(ctx));
  router.post('/entreprise/profil/mobile/confirmer', profile.confirmMobileChange(ctx));
  router.get('/entreprise/profil/etablissements/ajouter', establishments.showAddForm(ctx));
  router.post('/entreprise/profil/etablissements/ajouter', establishments.submitAdd(ctx));
  router.get('/entreprise/profil/etablissements/fichier', establishments.showUploadForm(ctx));
  router.post('/entreprise/profil/etablissements/fichier', ...establishments.uploadFile(ctx), establishments.submitUpload(ctx));
  router.get('/entreprise/profil/etablissements/modele.xlsx', establishments.sendTemplate('xlsx'));
  router.get('/entreprise/profil/etablissements/modele.csv', establishments.sendTemplate('csv'));
  router.get('/entreprise/profil/etablissements/fichier/:id', establishments.showJob(ctx));
  router.get('/entreprise/profil/etablissements/fichier/:id/erreurs.csv', establishments.downloadErrors(ctx));
  router.post('/entreprise/profil/etablissements/fichier/:id/confirmer', establishments.confirm(ctx));
  router.post('/entreprise/profil/etablissements/fichier/:id/annuler', establishments.cancel(ctx));
  // Mes salariés: the list with its filters, its CSV export, one employee, the NIR reveal.
  router.get('/entreprise/salaries', employees.showEmployees(ctx));
  router.post('/entreprise/salaries', employees.showEmployees(ctx));
  router.get('/entreprise/salaries/export.csv', employees.exportEmployees(ctx));
  router.get('/entreprise/salaries/:memberId', employees.showEmployee(ctx));
  router.post('/entreprise/salaries/:memberId/nir', employees.revealEmployeeNir(ctx));

  // « Consulter vos contrats couverts »: the contracts of the user's companies and their guarantees (PDF).
  router.get('/entreprise/contrats', contracts.showContracts(ctx));
  router.get('/entreprise/contrats/:id/garanties.pdf', contracts.downloadGuarantees(ctx));

  // Pré-affiliation: four steps kept in the session, then the communication to the employee.
  router.get('/entreprise/pre-affiliation', preAffiliation.start(ctx));
  router.get('/entreprise/pre-affiliation/etablissement', preAffiliation.showStep(ctx, 'etablissement'));
  router.post('/entreprise/pre-affiliation/etablissement', preAffiliation.submitEstablishment(ctx));
  router.get('/entreprise/pre-affiliation/statut', preAffiliation.showStep(ctx, 'statut'));
  router.post('/entreprise/pre-affiliation/statut', preAffiliation.submitProfessionalStatus(ctx));
  router.get('/entreprise/pre-affiliation/deja-affilie', preAffiliation.showStep(ctx, 'deja-affilie'));
  router.post('/entreprise/pre-affiliation/deja-affilie', preAffiliation.submitAlreadyAffiliated(ctx));
  router.get('/entreprise/pre-affiliation/salarie', preAffiliation.showStep(ctx, 'salarie'));
  router.post('/entreprise/pre-affiliation/salarie', preAffiliation.submitEmployee(ctx));
  router.post('/entreprise/pre-affiliation/annuler', preAffiliation.cancel(ctx));
  router.get('/entreprise/pre-affiliation/envoi/:id', preAffiliation.showSent(ctx));

  // Suivi des demandes d'affiliation — both HR roles, on the requests of their visible establishments.
  router.get('/entreprise/suivi-affiliations', tracking.showList(ctx));
  router.get('/entreprise/suivi-affiliations/:id', tracking.showDetail(ctx));
  router.post('/entreprise/suivi-affiliations/:id/relancer', tracking.sendReminder(ctx));
  router.get('/entreprise/suivi-affiliations/:id/annuler', tracking.showCancelConfirm(ctx));
  router.post('/entreprise/suivi-affiliations/:id/annuler', tracking.cancelRequest(ctx));
  router.get('/entreprise/suivi-affiliations/:id/formulaire.pdf', tracking.downloadForm(ctx));

  // Notifications (the bell): opening one marks it read.
  router.get('/entreprise/notifications', notifications.showNotifications(ctx));
  router.post('/entreprise/notifications/tout-lire', notifications.readAll(ctx));
  router.post('/entreprise/notifications/:id/ouvrir', notifications.openNotification(ctx));

  // « Nous contacter » and the « Messagerie » icon: the company's threads, shared by its HR
  // users; « Mes démarches » lists them beside the affiliation requests.
  router.get('/entreprise/demarches', messagerie.showDemarches(ctx));
  router.get('/entreprise/messagerie', messagerie.showList(ctx));
  router.get('/entreprise/messagerie/nouveau', messagerie.showNewForm(ctx));
  router.post('/entreprise/messagerie/nouveau', ...messagerie.submitNew(ctx));
  router.get('/entreprise/messagerie/:id', messagerie.showThread(ctx));
  router.post('/entreprise/messagerie/:id', ...messagerie.submitReply(ctx));
  router.get('/entreprise/messagerie/:id/documents/:documentId', messagerie.downloadDocument(ctx));
  // The address of the entry before the messagerie existed (older notifications lead there).
  router.get('/entreprise/messages', (_req, res) => res.redirect(301, '/entreprise/messagerie'));

  // Mes documents pratiques: what the insurer put online for the user's companies.
  router.get('/entreprise/documents', documents.showDocuments(ctx));
  router.get('/entreprise/documents/:id/telecharger', documents.downloadDocument(ctx));
  // Aide (the header's help icon): the help line, the assistant, the questions fréquentes (src/content/pages.ts).
  router.get('/entreprise/aide', content.showHelp(ctx, 'entreprise'));

  // The virtual assistant (the brand's assistantName), over the brand's knowledge base.
  router.get('/entreprise/assistant', showAssistant(ctx, 'entreprise'));

  return router;
}

// Espace Gestion: every URL of the insurer's back-office.
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { doors } from '../auth/doors.js';
import { requireAccount } from '../auth/session.js';
import { gestionNav } from '../navigation.js';
import { spaceLocals } from '../spaces.js';
import { showAuditLog } from './audit.js';
import * as affiliations from './affiliations/pages.js';
import * as paper from './affiliations/paper.js';
import { formUploads } from '../affiliation-requests/documents.js';
import * as inbox from './inbox/pages.js';
import * as requests from './inbox/request-pages.js';
import * as threads from './inbox/thread-pages.js';
import * as documents from './documents/pages.js';
import * as members from './members/pages.js';
import * as companies from './companies/pages.js';
import * as feeds from './decomptes/pages.js';
import * as personalData from './personal-data/pages.js';
import * as staff from './staff/pages.js';
import * as outbox from './outbox/pages.js';
import { requireStaffRole } from './roles.js';
import { showAdministration } from './administration.js';

export function gestionRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/gestion', requireAccount(ctx, doors.gestion), spaceLocals({ nav: gestionNav }));
  // « Tableau de bord »: the work queues with their counts, each a link into the inbox below.
  router.get('/gestion/accueil', inbox.showDashboard(ctx));
  // Superviseurs only (a gestionnaire gets 403): the audit log, and « Comptes », the staff accounts.
  const supervisor = requireStaffRole('superviseur');
  router.get('/gestion/administration', supervisor, showAdministration());
  router.get('/gestion/audit', supervisor, showAuditLog(ctx));
  router.get('/gestion/comptes', supervisor, staff.showList(ctx));
  router.get('/gestion/comptes/ajouter', supervisor, staff.showAddForm(ctx));
  router.post('/gestion/comptes/ajouter', supervisor, staff.submitAdd(ctx));
  router.get('/gestion/comptes/:id', supervisor, staff.showAccount(ctx));
  router.post('/gestion/comptes/:id/role', supervisor, staff.changeRole(ctx));
  router.post('/gestion/comptes/:id/suspendre', supervisor, staff.suspend(ctx));
  router.post('/gestion/comptes/:id/reactiver', supervisor, staff.reactivate(ctx));
  router.get('/gestion/comptes/:id/desactiver', supervisor, staff.showDeactivate(ctx));
  router.post('/gestion/comptes/:id/desactiver', supervisor, staff.deactivate(ctx));
  router.post('/gestion/comptes/:id/renvoyer-invitation', supervisor, staff.resendInvitation(ctx));
  // « Envois en échec »: the emails and SMS refused too many times, and « Renvoyer ».
  router.get('/gestion/envois', supervisor, outbox.showList(ctx));
  router.post('/gestion/envois/:id/renvoyer', supervisor, outbox.resend(ctx));
  // The inbox: members' requests and members' and companies' threads; « Messages » and
  // « Télétransmission » are the same list with their own « objet ».
  router.get('/gestion/demandes', inbox.showInbox(ctx, inbox.INBOX_PAGES.all));
  router.get('/gestion/messages', inbox.showInbox(ctx, inbox.INBOX_PAGES.threads));
  router.get('/gestion/teletransmission', inbox.showInbox(ctx, inbox.INBOX_PAGES.teletransmission));
  // A request (remboursement, devis, télétransmission) and its actions.
  router.get('/gestion/demandes/:id', requests.showRequest(ctx));
  router.get('/gestion/demandes/:id/documents/:documentId', requests.downloadRequestDocument(ctx));
  router.post('/gestion/demandes/:id/attribuer', requests.assign(ctx));
  router.post('/gestion/demandes/:id/prendre-en-charge', requests.start(ctx));
  router.post('/gestion/demandes/:id/note', requests.note(ctx));
  router.post('/gestion/demandes/:id/document-manquant', requests.askDocument(ctx));
  router.post('/gestion/demandes/:id/accepter', requests.accept(ctx));
  router.post('/gestion/demandes/:id/refuser', requests.refuse(ctx));
  // A thread and its actions; the reply carries files (multipart: the upload parser checks the CSRF token).
  router.get('/gestion/messages/:id', threads.showThread(ctx));
  router.get('/gestion/messages/:id/documents/:documentId', threads.downloadMessageDocument(ctx));
  router.post('/gestion/messages/:id/repondre', ...threads.replyUploads(ctx), threads.reply(ctx));
  router.post('/gestion/messages/:id/note', threads.note(ctx));
  router.post('/gestion/messages/:id/attribuer', threads.assign(ctx));
  router.post('/gestion/messages/:id/clore', threads.close(ctx));
  router.post('/gestion/messages/:id/rouvrir', threads.reopen(ctx));
  // Validation of the affiliations finalized by employees.
  router.get('/gestion/affiliations', affiliations.showList(ctx));
  router.get('/gestion/affiliations/:id', affiliations.showDetail(ctx));
  router.get('/gestion/affiliations/:id/documents/:documentId', affiliations.downloadDocument(ctx));
  router.post('/gestion/affiliations/:id/valider', affiliations.validate(ctx));
  router.post('/gestion/affiliations/:id/refuser', affiliations.refuse(ctx));
  // « Saisir le bulletin papier » of a request in mode Courrier (the list's « Bulletins papier à saisir »).
  router.get('/gestion/affiliations/:id/bulletin-papier', paper.showPaperForm(ctx));
  router.post('/gestion/affiliations/:id/bulletin-papier', ...formUploads(ctx), paper.savePaperForm(ctx));
  // Documents pratiques of the Espace Entreprise: add (a PDF, multipart: the upload parser checks the CSRF token), replace, withdraw, restore.
  router.get('/gestion/documents', documents.showList(ctx));
  router.get('/gestion/documents/ajouter', documents.showAddForm(ctx));
  router.post('/gestion/documents/ajouter', ...documents.documentUploads(ctx), documents.submitAdd(ctx));
  router.get('/gestion/documents/:id', documents.showDocument(ctx));
  router.get('/gestion/documents/:id/versions/:version', documents.downloadVersion(ctx));
  router.post('/gestion/documents/:id/remplacer', ...documents.documentUploads(ctx), documents.submitReplace(ctx));
  router.post('/gestion/documents/:id/retirer', documents.submitWithdrawal(ctx, true));
  router.post('/gestion/documents/:id/remettre-en-ligne', documents.submitWithdrawal(ctx, false));
  // « Assurés »: the search (POSTed: it may carry a NIR, never put in an address) and a member's file with its staff actions.
  router.get('/gestion/assures', members.showMembers(ctx));
  router.post('/gestion/assures', members.showMembers(ctx));
  router.get('/gestion/assures/:id', members.showMember(ctx));
  router.post('/gestion/assures/:id/renvoyer-activation', members.resendActivation(ctx));
  router.post('/gestion/assures/:id/reinitialiser-double-authentification', members.resetMemberTwoFactor(ctx));
  // « Entreprises »: client companies, their establishments, contracts and guarantee tables (versioned by date d'effet), the activation letter.
  router.get('/gestion/entreprises', companies.showList(ctx));
  router.get('/gestion/entreprises/nouvelle', companies.showNewCompany());
  router.post('/gestion/entreprises/nouvelle', companies.createCompany(ctx));
  router.get('/gestion/entreprises/:id', companies.showCompany(ctx));
  router.get('/gestion/entreprises/:id/modifier', companies.showEditCompany(ctx));
  router.post('/gestion/entreprises/:id/modifier', companies.updateCompany(ctx));
  router.get('/gestion/entreprises/:id/lettre-activation', companies.downloadLetter(ctx));
  router.get('/gestion/entreprises/:id/etablissements/nouveau', companies.showNewEstablishment(ctx));
  router.post('/gestion/entreprises/:id/etablissements/nouveau', companies.createEstablishment(ctx));
  router.get('/gestion/entreprises/:id/etablissements/:establishmentId/modifier', companies.showEditEstablishment(ctx));
  router.post('/gestion/entreprises/:id/etablissements/:establishmentId/modifier', companies.updateEstablishment(ctx));
  router.get('/gestion/entreprises/:id/contrats/nouveau', companies.showNewContract(ctx));
  router.post('/gestion/entreprises/:id/contrats/nouveau', companies.createContract(ctx));
  router.get('/gestion/entreprises/:id/contrats/:contractId', companies.showContract(ctx));
  router.get('/gestion/entreprises/:id/contrats/:contractId/modifier', companies.showEditContract(ctx));
  router.post('/gestion/entreprises/:id/contrats/:contractId/modifier', companies.updateContract(ctx));
  router.get('/gestion/entreprises/:id/contrats/:contractId/garanties', companies.showGuaranteeForm(ctx));
  router.post('/gestion/entreprises/:id/contrats/:contractId/garanties', companies.saveGuarantees(ctx));
  // « Décomptes »: the claims system's feed (multipart: the upload parser checks the CSRF token), its preview, load and history.
  router.get('/gestion/decomptes', feeds.showList(ctx));
  router.post('/gestion/decomptes', ...feeds.feedUploads(ctx), feeds.submitUpload(ctx));
  router.get('/gestion/decomptes/:id', feeds.showJob(ctx));
  router.get('/gestion/decomptes/:id/erreurs.csv', feeds.downloadErrors(ctx));
  router.post('/gestion/decomptes/:id/charger', feeds.load(ctx));
  router.post('/gestion/decomptes/:id/annuler', feeds.cancel(ctx));
  // « Données personnelles »: the erasure requests, for a superviseur only.
  router.use('/gestion/donnees-personnelles', requireStaffRole('superviseur'));
  router.get('/gestion/donnees-personnelles', personalData.showList(ctx));
  router.get('/gestion/donnees-personnelles/:id', personalData.showRequest(ctx));
  router.post('/gestion/donnees-personnelles/:id/accepter', personalData.accept(ctx));
  router.post('/gestion/donnees-personnelles/:id/refuser', personalData.refuse(ctx));
  return router;
}

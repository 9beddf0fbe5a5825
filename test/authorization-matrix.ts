// Who may reach which route: one line per route the app registers (method and path pattern, as
// src/middleware/route-table.ts reads them from the routers), one answer per role.
// test/http/authorization-matrix.test.ts asks every route as every role and fails on a route
// without a line here (its message gives the answers each role got, to check cell by cell before
// pasting), on a line whose route is gone, and on any answer that differs.
//
// The roles, in the column order of every line:
//   anon     nobody logged in (an anonymous session, for its CSRF token)
//   memberA  Marie Lefebvre (marie.lefebvre@demo.example): tenant A of the Espace Assuré
//   memberB  another member with an account, of another family
//   hrAdmin  rh.admin@demo.example, administrator of Cabinet Verdier Immobilier (tenant A) and Syndic Horizon
//   hrUser   rh.utilisateur@demo.example, « Utilisateur » of Cabinet Verdier Immobilier
//   hrOther  rh.ponant@demo.example, administrator of another company (Immobilière du Ponant)
//   hrSusp   an HR user of Cabinet Verdier whose access was suspended after they logged in
//   gest     gestion@demo.example, « gestionnaire »
//   sup      superviseur@demo.example, « superviseur »
//
// The answers:
//   200, 403, 404  that status
//   L              a redirect to the login page of the route's door (/assure, /entreprise, /gestion)
//   R              any other redirect (301, 302, 303)
//   E              a refused form or action: a 4xx other than 403 and 404 (400, 409, 422…)
// POST routes are sent the role's valid CSRF token and no other field.
//
// Path parameters take ids of tenant A: PATH_IDS names, for each parameter (keyed by the path up
// to it), which id of the seed it takes (test/http/authorization-matrix.test.ts finds them). So
// where memberB or hrOther gets 404, tenant A's own row was asked for by someone else.

export const MATRIX_FILE = 'test/authorization-matrix.ts';

export const ROLES = ['anonymous', 'memberA', 'memberB', 'hrAdmin', 'hrUser', 'hrOther', 'hrSuspended', 'gestionnaire', 'superviseur'] as const;
export type Role = (typeof ROLES)[number];

export type Answer = 200 | 403 | 404 | 'L' | 'R' | 'E' | number;
type Row = readonly [Answer, Answer, Answer, Answer, Answer, Answer, Answer, Answer, Answer];

const LOGIN_PAGES = new Set(['/assure', '/entreprise', '/gestion']);

/** The answer a response stands for, in the matrix's terms. */
export function classify(status: number, location: string | undefined): Answer {
  if (status >= 300 && status < 400) return location && LOGIN_PAGES.has(location) ? 'L' : 'R';
  if (status >= 400 && status < 500 && status !== 403 && status !== 404) return 'E';
  return status;
}

export function formatRow(answers: readonly Answer[]): string {
  return `[${answers.map((a) => (typeof a === 'string' ? a : String(a))).join(', ')}]`;
}

export type IdSource =
  | 'memberStatement'
  | 'memberBeneficiary'
  | 'memberAffiliation'
  | 'memberExport'
  | 'memberRequest'
  | 'memberRequestAttachment'
  | 'memberThread'
  | 'memberThreadAttachment'
  | 'memberId'
  | 'companyEmployee'
  | 'serviceSlug'
  | 'preventionSlug'
  | 'hrTarget'
  | 'hrExport'
  | 'establishmentsJob'
  | 'companyContract'
  | 'companyEnrolment'
  | 'hrNotification'
  | 'hrThread'
  | 'hrThreadAttachment'
  | 'practicalDocument'
  | 'practicalDocumentVersion'
  | 'staffColleague'
  | 'staffRequest'
  | 'staffRequestAttachment'
  | 'staffThread'
  | 'staffThreadAttachment'
  | 'finalizedEnrolment'
  | 'finalizedEnrolmentDocument'
  | 'company'
  | 'companyEstablishment'
  | 'feedJob'
  | 'erasureRequest'
  | 'enrolmentToken'
  | 'unknownToken'
  | 'outboxMessage';

export const PATH_IDS: Record<string, IdSource> = {
  '/assure/reinitialiser/:token': 'unknownToken',
  '/assure/remboursements/decomptes/:id': 'memberStatement',
  '/assure/tiers-payant/beneficiaires/:id': 'memberBeneficiary',
  '/assure/beneficiaires/:id': 'memberBeneficiary',
  '/assure/contrats/:id': 'memberAffiliation',
  '/assure/informations-personnelles/mes-donnees/:id': 'memberExport',
  '/assure/demarches/demandes/:id': 'memberRequest',
  '/assure/demarches/demandes/:id/documents/:attachmentId': 'memberRequestAttachment',
  '/assure/messagerie/:id': 'memberThread',
  '/assure/messagerie/:id/documents/:documentId': 'memberThreadAttachment',
  '/assure/services/:slug': 'serviceSlug',
  '/assure/prevention/:slug': 'preventionSlug',
  '/entreprise/reinitialiser/:token': 'unknownToken',
  '/entreprise/creer-mot-de-passe/:token': 'unknownToken',
  '/entreprise/refuser-acces/:token': 'unknownToken',
  '/entreprise/habilitations/:id': 'hrTarget',
  '/entreprise/profil/mes-donnees/:id': 'hrExport',
  '/entreprise/profil/etablissements/fichier/:id': 'establishmentsJob',
  '/entreprise/salaries/:memberId': 'companyEmployee',
  '/entreprise/contrats/:id': 'companyContract',
  '/entreprise/pre-affiliation/envoi/:id': 'companyEnrolment',
  '/entreprise/suivi-affiliations/:id': 'companyEnrolment',
  '/entreprise/notifications/:id': 'hrNotification',
  '/entreprise/messagerie/:id': 'hrThread',
  '/entreprise/messagerie/:id/documents/:documentId': 'hrThreadAttachment',
  '/entreprise/documents/:id': 'practicalDocument',
  '/gestion/reinitialiser/:token': 'unknownToken',
  '/gestion/creer-mot-de-passe/:token': 'unknownToken',
  '/gestion/comptes/:id': 'staffColleague',
  '/gestion/demandes/:id': 'staffRequest',
  '/gestion/demandes/:id/documents/:documentId': 'staffRequestAttachment',
  '/gestion/messages/:id': 'staffThread',
  '/gestion/messages/:id/documents/:documentId': 'staffThreadAttachment',
  '/gestion/affiliations/:id': 'finalizedEnrolment',
  '/gestion/affiliations/:id/documents/:documentId': 'finalizedEnrolmentDocument',
  '/gestion/documents/:id': 'practicalDocument',
  '/gestion/documents/:id/versions/:version': 'practicalDocumentVersion',
  '/gestion/assures/:id': 'memberId',
  '/gestion/entreprises/:id': 'company',
  '/gestion/entreprises/:id/etablissements/:establishmentId': 'companyEstablishment',
  '/gestion/entreprises/:id/contrats/:contractId': 'companyContract',
  '/gestion/decomptes/:id': 'feedJob',
  '/gestion/donnees-personnelles/:id': 'erasureRequest',
  '/affiliation/:token': 'enrolmentToken',
  '/dev/outbox/:id': 'outboxMessage',
  '/gestion/envois/:id': 'outboxMessage',
};

const L = 'L';
const R = 'R';
const E = 'E';

// Columns: anonymous, memberA, memberB, hrAdmin, hrUser, hrOther, hrSuspended, gestionnaire, superviseur.
export const MATRIX: Record<string, Row> = {
  // GET — Public site and brand files: everyone.
  'GET /brand/logo.svg': [200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /favicon.ico': [200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /brand/theme.css': [200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /': [200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /healthz': [200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /readyz': [200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /mentions-legales': [200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /cgu': [200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /donnees-personnelles': [200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /assistant': [200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /accessibilite': [200, 200, 200, 200, 200, 200, 200, 200, 200],

  // GET — Espace Assuré: login door (public), then Marie's own pages; ids are Marie's (member B: 404).
  'GET /assure': [200, R, R, 200, 200, 200, 200, 200, 200],
  'GET /assure/securite': [L, L, L, L, L, L, L, L, L],
  'GET /assure/securite/numero': [L, L, L, L, L, L, L, L, L],
  'GET /assure/mot-de-passe-oublie': [200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /assure/reinitialiser/:token': [E, E, E, E, E, E, E, E, E],
  'GET /assure/mot-de-passe': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/activation': [200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /assure/activation/code': [R, R, R, R, R, R, R, R, R],
  'GET /assure/activation/mot-de-passe': [R, R, R, R, R, R, R, R, R],
  'GET /assure/accueil': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/remboursements': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/remboursements/decomptes/:id/pdf': [L, 200, 404, 403, 403, 403, 403, 403, 403],
  'GET /assure/tiers-payant': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/tiers-payant/carte.pdf': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/tiers-payant/impression': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/professionnels': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/professionnels/lieux': [L, R, R, 403, 403, 403, 403, 403, 403],
  'GET /assure/situation': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/beneficiaires': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/beneficiaires/:id/teletransmission': [L, 200, 404, 403, 403, 403, 403, 403, 403],
  'GET /assure/situation-noemie': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/contrats': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/contrats/:id/garanties.pdf': [L, 200, 404, 403, 403, 403, 403, 403, 403],
  'GET /assure/contrats/:id/certificat-affiliation.pdf': [L, 200, 404, 403, 403, 403, 403, 403, 403],
  'GET /assure/contrats/:id/certificat-radiation.pdf': [L, 404, 404, 403, 403, 403, 403, 403, 403],
  'GET /assure/informations-personnelles': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/informations-personnelles/adresse': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/informations-personnelles/email': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/informations-personnelles/mobile': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/informations-personnelles/iban': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/informations-personnelles/effacement': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/demarches': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/demarches/remboursement': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/demarches/devis': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/demarches/devis/estimation': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/demarches/demandes': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/demarches/demandes/:id': [L, 200, 404, 403, 403, 403, 403, 403, 403],
  'GET /assure/demarches/demandes/:id/documents/:attachmentId': [L, 200, 404, 403, 403, 403, 403, 403, 403],
  'GET /assure/demandes': [L, R, R, 403, 403, 403, 403, 403, 403],
  'GET /assure/messagerie': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/messagerie/nouveau': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/messagerie/:id': [L, 200, 404, 403, 403, 403, 403, 403, 403],
  'GET /assure/messagerie/:id/documents/:documentId': [L, 200, 404, 403, 403, 403, 403, 403, 403],
  'GET /assure/messages': [L, R, R, 403, 403, 403, 403, 403, 403],
  'GET /assure/services': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/services/:slug': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/prevention': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/prevention/:slug': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/aide': [L, 200, 200, 403, 403, 403, 403, 403, 403],
  'GET /assure/assistant': [L, 200, 200, 403, 403, 403, 403, 403, 403],

  // GET — Espace Entreprise: login door, then Verdier's HR pages; ids are Verdier's, enrolments and employees at Annecy, outside rh.utilisateur's « périmètre suivi » (hrUser: 404 there).
  'GET /entreprise': [200, 200, 200, R, R, R, R, 200, 200],
  'GET /entreprise/securite': [L, L, L, L, L, L, L, L, L],
  'GET /entreprise/securite/numero': [L, L, L, L, L, L, L, L, L],
  'GET /entreprise/mot-de-passe-oublie': [200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /entreprise/reinitialiser/:token': [E, E, E, E, E, E, E, E, E],
  'GET /entreprise/mot-de-passe': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/activation': [200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /entreprise/activation/identification': [200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /entreprise/activation/compte': [R, R, R, R, R, R, R, R, R],
  'GET /entreprise/activation/mot-de-passe': [R, R, R, R, R, R, R, R, R],
  'GET /entreprise/creer-mot-de-passe/:token': [E, E, E, E, E, E, E, E, E],
  'GET /entreprise/refuser-acces/:token': [E, E, E, E, E, E, E, E, E],
  'GET /entreprise/accueil': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/habilitations': [L, 403, 403, 200, 403, 200, L, 403, 403],
  'GET /entreprise/habilitations/ajouter': [L, 403, 403, 200, 403, 200, L, 403, 403],
  'GET /entreprise/habilitations/:id/modifier': [L, 403, 403, 200, 403, 404, L, 403, 403],
  'GET /entreprise/habilitations/:id/suspendre': [L, 403, 403, 200, 403, 404, L, 403, 403],
  'GET /entreprise/habilitations/:id/desactiver': [L, 403, 403, 200, 403, 404, L, 403, 403],
  'GET /entreprise/profil': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/profil/effacement': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/profil/modifier': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/profil/email': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/profil/mobile': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/profil/etablissements/ajouter': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/profil/etablissements/fichier': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/profil/etablissements/modele.xlsx': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/profil/etablissements/modele.csv': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/profil/etablissements/fichier/:id': [L, 403, 403, 200, 404, 404, L, 403, 403],
  'GET /entreprise/profil/etablissements/fichier/:id/erreurs.csv': [L, 403, 403, 404, 404, 404, L, 403, 403],
  'GET /entreprise/salaries': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/salaries/export.csv': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/salaries/:memberId': [L, 403, 403, 200, 404, 404, L, 403, 403],
  'GET /entreprise/contrats': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/contrats/:id/garanties.pdf': [L, 403, 403, 200, 200, 404, L, 403, 403],
  'GET /entreprise/pre-affiliation': [L, 403, 403, R, R, R, L, 403, 403],
  'GET /entreprise/pre-affiliation/etablissement': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/pre-affiliation/statut': [L, 403, 403, R, R, R, L, 403, 403],
  'GET /entreprise/pre-affiliation/deja-affilie': [L, 403, 403, R, R, R, L, 403, 403],
  'GET /entreprise/pre-affiliation/salarie': [L, 403, 403, R, R, R, L, 403, 403],
  'GET /entreprise/pre-affiliation/envoi/:id': [L, 403, 403, 200, 404, 404, L, 403, 403],
  'GET /entreprise/suivi-affiliations': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/suivi-affiliations/:id': [L, 403, 403, 200, 404, 404, L, 403, 403],
  'GET /entreprise/suivi-affiliations/:id/annuler': [L, 403, 403, R, 404, 404, L, 403, 403],
  'GET /entreprise/suivi-affiliations/:id/formulaire.pdf': [L, 403, 403, R, 404, 404, L, 403, 403],
  'GET /entreprise/notifications': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/demarches': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/messagerie': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/messagerie/nouveau': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/messagerie/:id': [L, 403, 403, 200, 200, 404, L, 403, 403],
  'GET /entreprise/messagerie/:id/documents/:documentId': [L, 403, 403, 200, 200, 404, L, 403, 403],
  'GET /entreprise/messages': [L, 403, 403, R, R, R, L, 403, 403],
  'GET /entreprise/documents': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/documents/:id/telecharger': [L, 403, 403, 200, 200, 404, L, 403, 403],
  'GET /entreprise/aide': [L, 403, 403, 200, 200, 200, L, 403, 403],
  'GET /entreprise/assistant': [L, 403, 403, 200, 200, 200, L, 403, 403],

  // GET — Espace Gestion: login door, then staff pages; « Administration » pages are the superviseur's.
  'GET /gestion': [200, 200, 200, 200, 200, 200, 200, R, R],
  'GET /gestion/securite': [L, L, L, L, L, L, L, L, L],
  'GET /gestion/securite/numero': [L, L, L, L, L, L, L, L, L],
  'GET /gestion/mot-de-passe-oublie': [200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /gestion/reinitialiser/:token': [E, E, E, E, E, E, E, E, E],
  'GET /gestion/mot-de-passe': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/creer-mot-de-passe/:token': [E, E, E, E, E, E, E, E, E],
  'GET /gestion/accueil': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/administration': [L, 403, 403, 403, 403, 403, 403, 403, 200],
  'GET /gestion/envois': [L, 403, 403, 403, 403, 403, 403, 403, 200],
  'POST /gestion/envois/:id/renvoyer': [L, 403, 403, 403, 403, 403, 403, 403, R],
  'GET /gestion/audit': [L, 403, 403, 403, 403, 403, 403, 403, 200],
  'GET /gestion/comptes': [L, 403, 403, 403, 403, 403, 403, 403, 200],
  'GET /gestion/comptes/ajouter': [L, 403, 403, 403, 403, 403, 403, 403, 200],
  'GET /gestion/comptes/:id': [L, 403, 403, 403, 403, 403, 403, 403, 200],
  'GET /gestion/comptes/:id/desactiver': [L, 403, 403, 403, 403, 403, 403, 403, 200],
  'GET /gestion/demandes': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/messages': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/teletransmission': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/demandes/:id': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/demandes/:id/documents/:documentId': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/messages/:id': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/messages/:id/documents/:documentId': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/affiliations': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/affiliations/:id': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/affiliations/:id/documents/:documentId': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/affiliations/:id/bulletin-papier': [L, 403, 403, 403, 403, 403, 403, 404, 404],
  'GET /gestion/documents': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/documents/ajouter': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/documents/:id': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/documents/:id/versions/:version': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/assures': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/assures/:id': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/entreprises': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/entreprises/nouvelle': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/entreprises/:id': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/entreprises/:id/modifier': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/entreprises/:id/lettre-activation': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/entreprises/:id/etablissements/nouveau': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/entreprises/:id/etablissements/:establishmentId/modifier': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/entreprises/:id/contrats/nouveau': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/entreprises/:id/contrats/:contractId': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/entreprises/:id/contrats/:contractId/modifier': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/entreprises/:id/contrats/:contractId/garanties': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/decomptes': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/decomptes/:id': [L, 403, 403, 403, 403, 403, 403, 200, 200],
  'GET /gestion/decomptes/:id/erreurs.csv': [L, 403, 403, 403, 403, 403, 403, 404, 404],
  'GET /gestion/donnees-personnelles': [L, 403, 403, 403, 403, 403, 403, 403, 200],
  'GET /gestion/donnees-personnelles/:id': [L, 403, 403, 403, 403, 403, 403, 403, 200],

  // GET — Online enrolment (/affiliation/<token>): the link is the key, for anyone who holds it.
  'GET /affiliation/transmis': [R, R, R, R, R, R, R, R, R],
  'GET /affiliation/:token': [200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /affiliation/:token/formulaire': [R, R, R, R, R, R, R, R, R],

  // GET — Development tools (src/dev/routes.ts): not mounted in production (src/app.ts), open to everyone elsewhere.
  'GET /dev/outbox': [200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /dev/outbox/:id': [200, 200, 200, 200, 200, 200, 200, 200, 200],

  // POST — Espace Assuré: login door (public), then Marie's own pages; ids are Marie's (member B: 404).
  'POST /assure/connexion': [E, E, E, E, E, E, E, E, E],
  'POST /assure/deconnexion': [R, R, R, R, R, R, R, R, R],
  'POST /assure/securite/envoyer': [L, L, L, L, L, L, L, L, L],
  'POST /assure/securite/verifier': [L, L, L, L, L, L, L, L, L],
  'POST /assure/securite/numero': [L, L, L, L, L, L, L, L, L],
  'POST /assure/securite/numero/verifier': [L, L, L, L, L, L, L, L, L],
  'POST /assure/securite/annuler': [L, L, L, L, L, L, L, L, L],
  'POST /assure/mot-de-passe-oublie': [E, E, E, E, E, E, E, E, E],
  'POST /assure/reinitialiser/:token': [E, E, E, E, E, E, E, E, E],
  'POST /assure/mot-de-passe': [L, E, E, 403, 403, 403, 403, 403, 403],
  'POST /assure/activation': [E, E, E, E, E, E, E, E, E],
  'POST /assure/activation/envoyer': [R, R, R, R, R, R, R, R, R],
  'POST /assure/activation/code': [R, R, R, R, R, R, R, R, R],
  'POST /assure/activation/mot-de-passe': [R, R, R, R, R, R, R, R, R],
  'POST /assure/tiers-payant/beneficiaires/:id/nir': [L, R, 404, 403, 403, 403, 403, 403, 403],
  'POST /assure/beneficiaires/:id/nir': [L, R, 404, 403, 403, 403, 403, 403, 403],
  'POST /assure/beneficiaires/:id/teletransmission': [L, E, 404, 403, 403, 403, 403, 403, 403],
  'POST /assure/informations-personnelles/adresse': [L, E, E, 403, 403, 403, 403, 403, 403],
  'POST /assure/informations-personnelles/email': [L, E, E, 403, 403, 403, 403, 403, 403],
  'POST /assure/informations-personnelles/email/confirmer': [L, E, E, 403, 403, 403, 403, 403, 403],
  'POST /assure/informations-personnelles/mobile': [L, E, E, 403, 403, 403, 403, 403, 403],
  'POST /assure/informations-personnelles/mobile/confirmer': [L, E, E, 403, 403, 403, 403, 403, 403],
  'POST /assure/informations-personnelles/iban': [L, E, E, 403, 403, 403, 403, 403, 403],
  'POST /assure/informations-personnelles/mes-donnees': [L, R, R, 403, 403, 403, 403, 403, 403],
  'POST /assure/informations-personnelles/mes-donnees/:id/telecharger': [L, R, 404, 403, 403, 403, 403, 403, 403],
  'POST /assure/informations-personnelles/effacement': [L, E, E, 403, 403, 403, 403, 403, 403],
  'POST /assure/demarches/remboursement': [L, E, E, 403, 403, 403, 403, 403, 403],
  'POST /assure/demarches/devis': [L, E, E, 403, 403, 403, 403, 403, 403],
  'POST /assure/demarches/demandes/:id/documents': [L, E, 404, 403, 403, 403, 403, 403, 403],
  'POST /assure/messagerie/nouveau': [L, E, E, 403, 403, 403, 403, 403, 403],
  'POST /assure/messagerie/:id': [L, E, 404, 403, 403, 403, 403, 403, 403],

  // POST — Espace Entreprise: login door, then Verdier's HR pages; ids are Verdier's, enrolments and employees at Annecy, outside rh.utilisateur's « périmètre suivi » (hrUser: 404 there).
  'POST /entreprise/connexion': [E, E, E, E, E, E, E, E, E],
  'POST /entreprise/deconnexion': [R, R, R, R, R, R, R, R, R],
  'POST /entreprise/securite/envoyer': [L, L, L, L, L, L, L, L, L],
  'POST /entreprise/securite/verifier': [L, L, L, L, L, L, L, L, L],
  'POST /entreprise/securite/numero': [L, L, L, L, L, L, L, L, L],
  'POST /entreprise/securite/numero/verifier': [L, L, L, L, L, L, L, L, L],
  'POST /entreprise/securite/annuler': [L, L, L, L, L, L, L, L, L],
  'POST /entreprise/mot-de-passe-oublie': [E, E, E, E, E, E, E, E, E],
  'POST /entreprise/reinitialiser/:token': [E, E, E, E, E, E, E, E, E],
  'POST /entreprise/mot-de-passe': [L, 403, 403, E, E, E, L, 403, 403],
  'POST /entreprise/activation/identification': [E, E, E, E, E, E, E, E, E],
  'POST /entreprise/activation/compte': [R, R, R, R, R, R, R, R, R],
  'POST /entreprise/activation/mot-de-passe': [R, R, R, R, R, R, R, R, R],
  'POST /entreprise/creer-mot-de-passe/:token': [E, E, E, E, E, E, E, E, E],
  'POST /entreprise/refuser-acces/:token': [E, E, E, E, E, E, E, E, E],
  'POST /entreprise/habilitations/ajouter': [L, 403, 403, E, 403, E, L, 403, 403],
  'POST /entreprise/habilitations/:id/modifier': [L, 403, 403, E, 403, 404, L, 403, 403],
  'POST /entreprise/habilitations/:id/renvoyer-lien': [L, 403, 403, R, 403, 404, L, 403, 403],
  'POST /entreprise/habilitations/:id/suspendre': [L, 403, 403, R, 403, 404, L, 403, 403],
  'POST /entreprise/habilitations/:id/reactiver': [L, 403, 403, R, 403, 404, L, 403, 403],
  'POST /entreprise/habilitations/:id/desactiver': [L, 403, 403, R, 403, 404, L, 403, 403],
  'POST /entreprise/profil/mes-donnees': [L, 403, 403, R, R, R, L, 403, 403],
  'POST /entreprise/profil/mes-donnees/:id/telecharger': [L, 403, 403, R, 404, 404, L, 403, 403],
  'POST /entreprise/profil/effacement': [L, 403, 403, E, E, E, L, 403, 403],
  'POST /entreprise/profil/modifier': [L, 403, 403, E, E, E, L, 403, 403],
  'POST /entreprise/profil/email': [L, 403, 403, E, E, E, L, 403, 403],
  'POST /entreprise/profil/email/confirmer': [L, 403, 403, E, E, E, L, 403, 403],
  'POST /entreprise/profil/mobile': [L, 403, 403, E, E, E, L, 403, 403],
  'POST /entreprise/profil/mobile/confirmer': [L, 403, 403, E, E, E, L, 403, 403],
  'POST /entreprise/profil/etablissements/ajouter': [L, 403, 403, E, E, E, L, 403, 403],
  'POST /entreprise/profil/etablissements/fichier': [L, 403, 403, E, E, E, L, 403, 403],
  'POST /entreprise/profil/etablissements/fichier/:id/confirmer': [L, 403, 403, R, 404, 404, L, 403, 403],
  'POST /entreprise/profil/etablissements/fichier/:id/annuler': [L, 403, 403, R, 404, 404, L, 403, 403],
  'POST /entreprise/salaries': [L, 403, 403, R, R, R, L, 403, 403],
  'POST /entreprise/salaries/:memberId/nir': [L, 403, 403, R, 404, 404, L, 403, 403],
  'POST /entreprise/pre-affiliation/etablissement': [L, 403, 403, E, E, E, L, 403, 403],
  'POST /entreprise/pre-affiliation/statut': [L, 403, 403, R, R, R, L, 403, 403],
  'POST /entreprise/pre-affiliation/deja-affilie': [L, 403, 403, R, R, R, L, 403, 403],
  'POST /entreprise/pre-affiliation/salarie': [L, 403, 403, R, R, R, L, 403, 403],
  'POST /entreprise/pre-affiliation/annuler': [L, 403, 403, R, R, R, L, 403, 403],
  'POST /entreprise/suivi-affiliations/:id/relancer': [L, 403, 403, R, 404, 404, L, 403, 403],
  'POST /entreprise/suivi-affiliations/:id/annuler': [L, 403, 403, R, 404, 404, L, 403, 403],
  'POST /entreprise/notifications/tout-lire': [L, 403, 403, R, R, R, L, 403, 403],
  'POST /entreprise/notifications/:id/ouvrir': [L, 403, 403, R, 404, 404, L, 403, 403],
  'POST /entreprise/messagerie/nouveau': [L, 403, 403, E, E, E, L, 403, 403],
  'POST /entreprise/messagerie/:id': [L, 403, 403, E, E, 404, L, 403, 403],

  // POST — Espace Gestion: login door, then staff pages; « Administration » pages are the superviseur's.
  'POST /gestion/connexion': [E, E, E, E, E, E, E, E, E],
  'POST /gestion/deconnexion': [R, R, R, R, R, R, R, R, R],
  'POST /gestion/securite/envoyer': [L, L, L, L, L, L, L, L, L],
  'POST /gestion/securite/verifier': [L, L, L, L, L, L, L, L, L],
  'POST /gestion/securite/numero': [L, L, L, L, L, L, L, L, L],
  'POST /gestion/securite/numero/verifier': [L, L, L, L, L, L, L, L, L],
  'POST /gestion/securite/annuler': [L, L, L, L, L, L, L, L, L],
  'POST /gestion/mot-de-passe-oublie': [E, E, E, E, E, E, E, E, E],
  'POST /gestion/reinitialiser/:token': [E, E, E, E, E, E, E, E, E],
  'POST /gestion/mot-de-passe': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/creer-mot-de-passe/:token': [E, E, E, E, E, E, E, E, E],
  'POST /gestion/comptes/ajouter': [L, 403, 403, 403, 403, 403, 403, 403, E],
  'POST /gestion/comptes/:id/role': [L, 403, 403, 403, 403, 403, 403, 403, E],
  'POST /gestion/comptes/:id/suspendre': [L, 403, 403, 403, 403, 403, 403, 403, R],
  'POST /gestion/comptes/:id/reactiver': [L, 403, 403, 403, 403, 403, 403, 403, R],
  'POST /gestion/comptes/:id/desactiver': [L, 403, 403, 403, 403, 403, 403, 403, R],
  'POST /gestion/comptes/:id/renvoyer-invitation': [L, 403, 403, 403, 403, 403, 403, 403, E],
  'POST /gestion/demandes/:id/attribuer': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/demandes/:id/prendre-en-charge': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/demandes/:id/note': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/demandes/:id/document-manquant': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/demandes/:id/accepter': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/demandes/:id/refuser': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/messages/:id/repondre': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/messages/:id/note': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/messages/:id/attribuer': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/messages/:id/clore': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/messages/:id/rouvrir': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/affiliations/:id/valider': [L, 403, 403, 403, 403, 403, 403, R, E],
  'POST /gestion/affiliations/:id/refuser': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/affiliations/:id/bulletin-papier': [L, 403, 403, 403, 403, 403, 403, 404, 404],
  'POST /gestion/documents/ajouter': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/documents/:id/remplacer': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/documents/:id/retirer': [L, 403, 403, 403, 403, 403, 403, R, R],
  'POST /gestion/documents/:id/remettre-en-ligne': [L, 403, 403, 403, 403, 403, 403, R, R],
  'POST /gestion/assures': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/assures/:id/renvoyer-activation': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/assures/:id/reinitialiser-double-authentification': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/entreprises/nouvelle': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/entreprises/:id/modifier': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/entreprises/:id/etablissements/nouveau': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/entreprises/:id/etablissements/:establishmentId/modifier': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/entreprises/:id/contrats/nouveau': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/entreprises/:id/contrats/:contractId/modifier': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/entreprises/:id/contrats/:contractId/garanties': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/decomptes': [L, 403, 403, 403, 403, 403, 403, E, E],
  'POST /gestion/decomptes/:id/charger': [L, 403, 403, 403, 403, 403, 403, R, R],
  'POST /gestion/decomptes/:id/annuler': [L, 403, 403, 403, 403, 403, 403, R, R],
  'POST /gestion/donnees-personnelles/:id/accepter': [L, 403, 403, 403, 403, 403, 403, 403, R],
  'POST /gestion/donnees-personnelles/:id/refuser': [L, 403, 403, 403, 403, 403, 403, 403, E],

  // POST — Online enrolment (/affiliation/<token>): the link is the key, for anyone who holds it.
  'POST /affiliation/:token': [E, E, E, E, E, E, E, E, E],
  'POST /affiliation/:token/formulaire': [R, R, R, R, R, R, R, R, R],
};

// The <meta name="description"> of every page: what the page is for, in a sentence, read by search
// engines and shown by browsers and assistants as the page's summary. Kept here, keyed by the page's
// view (views/pages/<page>.ejs), rather than beside each title: one place to read them all and keep
// them even, and a test (test/unit/page-descriptions.test.ts) checks that every view has one. A
// view shown with different titles (a step, a person, a menu entry) puts its title in the sentence,
// so each page says what it is. A handler may still pass its own (`description` of renderPage).
import type { Brand, HelpSpace } from './brand.js';
import { de } from './domain/text.js';

export interface DescribedPage {
  title: string;
  space: HelpSpace;
  brand: Brand;
}

type Describe = (page: DescribedPage) => string;

const SPACE_NAMES: Record<HelpSpace, string> = {
  public: 'portail',
  assure: 'Espace Assuré',
  entreprise: 'Espace Entreprise',
  gestion: 'Espace Gestion',
  affiliation: 'affiliation en ligne',
};

const startsWithVowel = (text: string) => /^[aeiouéèêàâîôûy]/i.test(text);

/** « de l'Espace Assuré Tilleul Santé », « du portail Tilleul Santé ». */
function ofSpace(space: HelpSpace, brand: Brand): string {
  const name = SPACE_NAMES[space];
  return `${startsWithVowel(name) ? "de l'" : 'du '}${name} ${brand.name}`;
}

/** « à l'Espace Assuré Tilleul Santé », « au portail Tilleul Santé ». */
function toSpace(space: HelpSpace, brand: Brand): string {
  const name = SPACE_NAMES[space];
  return `${startsWithVowel(name) ? "à l'" : 'au '}${name} ${brand.name}`;
}

export const PAGE_DESCRIPTIONS: Record<string, Describe> = {
  // Public site
  'public/home': ({ brand }) =>
    `${brand.name}, ${brand.tagline.charAt(0).toLowerCase()}${brand.tagline.slice(1)} : connectez-vous à l'Espace Assuré, à l'Espace Entreprise ou à l'Espace Gestion, ou activez votre espace en quelques minutes.`,
  // Each legal page passes its own (src/public-site/routes.ts).
  'public/legal': ({ title, brand }) => `${title} du portail ${brand.name} : les textes qui s'appliquent à votre utilisation des espaces sécurisés.`,
  'public/accessibilite': ({ brand }) =>
    `Déclaration d'accessibilité du portail ${brand.name} : état de conformité au RGAA 4.1 (WCAG 2.1 A et AA), utilisation sans JavaScript et comment obtenir de l'aide.`,
  'errors/error': ({ title, brand }) =>
    `${title} sur le portail ${brand.name} : la page demandée n'a pas pu être affichée ; revenez à l'accueil de votre espace.`,

  // Logging in, passwords, activation (each door)
  'auth/login': ({ title, space, brand }) =>
    `${title} ${brand.name} avec votre adresse e-mail et votre mot de passe${space === 'gestion' ? '' : ", ou activez votre espace lors d'une première connexion"}.`,
  'auth/two-factor': ({ space, brand }) =>
    `Écran de sécurité ${ofSpace(space, brand)} : la double authentification confirme votre connexion par un code envoyé par SMS.`,
  'auth/password-forgot': ({ space, brand }) =>
    `Mot de passe oublié ${ofSpace(space, brand)} : recevez par e-mail un lien, valable 30 minutes, pour choisir un nouveau mot de passe.`,
  'auth/password-reset': ({ space, brand }) => `Choisissez un nouveau mot de passe pour votre accès ${toSpace(space, brand)}, puis connectez-vous avec lui.`,
  'auth/password-link-invalid': ({ space, brand }) =>
    `Ce lien de mot de passe ${ofSpace(space, brand)} n'est plus valable : demandez-en un nouveau depuis la page de connexion.`,
  'auth/password-create': ({ brand }) =>
    `Créez le mot de passe de l'accès à l'Espace Entreprise ${brand.name} auquel vous avez été invité(e), puis connectez-vous avec votre adresse e-mail.`,
  'auth/password-change': ({ space, brand }) =>
    `Modifiez le mot de passe de votre accès ${toSpace(space, brand)} : votre mot de passe actuel, puis le nouveau ; vos autres sessions sont fermées.`,
  'auth/activation-member': ({ brand }) =>
    `Activez votre Espace Assuré ${brand.name} : votre adresse e-mail, un code d'activation reçu par e-mail ou SMS, puis votre mot de passe.`,
  'auth/activation-hr-intro': ({ brand }) =>
    `Activez l'Espace Entreprise ${brand.name} de votre entreprise avec le SIRET de votre établissement et votre identifiant entreprise.`,
  'auth/activation-hr': ({ brand }) =>
    `Créez le compte de l'Espace Entreprise ${brand.name} de votre entreprise : identification, établissement, adresse e-mail et mot de passe.`,
  'profile-contact': ({ title, space, brand }) =>
    `${title} dans votre ${SPACE_NAMES[space]} ${brand.name} : un code de confirmation, envoyé à la nouvelle adresse ou au nouveau numéro, valide le changement.`,

  // Espace Assuré
  'assure/home': ({ brand }) =>
    `Accueil de votre Espace Assuré ${brand.name} : vos derniers remboursements, la synthèse de vos règlements sur 12 mois et l'accès à vos rubriques.`,
  'assure/statements': ({ brand }) =>
    `Vos remboursements ${brand.name} et ceux de vos bénéficiaires, décompte par décompte, filtrés par bénéficiaire, date ou type de soins, et leurs décomptes en PDF.`,
  'assure/situation': ({ brand }) =>
    `Votre situation dans votre Espace Assuré ${brand.name} : votre contrat, vos bénéficiaires et la télétransmission de vos décomptes.`,
  'assure/contracts': ({ brand }) =>
    `Vos contrats ${brand.name} : votre entreprise, vos garanties, vos dates d'affiliation, le tableau des garanties et vos certificats en PDF.`,
  'assure/card': ({ title, brand }) =>
    `${title} ${brand.name} : affichez, imprimez ou téléchargez la carte qui vous évite d'avancer les frais chez les professionnels de santé.`,
  'assure/professionals': ({ brand }) =>
    `Trouvez les professionnels de santé proches de chez vous qui pratiquent le tiers payant ou sont membres du réseau ${brand.networkName}, avec votre Espace Assuré ${brand.name}.`,
  'assure/card-print': ({ title, brand }) =>
    `${title} : votre carte ${brand.name} prête à imprimer, avec les numéros de Sécurité sociale en entier, à présenter aux professionnels de santé.`,
  'assure/beneficiaries': ({ brand }) =>
    `Les bénéficiaires de votre contrat ${brand.name} : leurs informations, leur caisse d'assurance maladie et la télétransmission de leurs remboursements.`,
  'assure/beneficiaries-teletransmission': ({ title, brand }) =>
    `${title} : confirmez ce changement de la télétransmission NOEMIE entre la caisse d'assurance maladie et ${brand.name}.`,
  'assure/noemie': ({ brand }) =>
    `Situation NOEMIE : l'état de la télétransmission de chaque bénéficiaire entre sa caisse d'assurance maladie et ${brand.name}, et son historique.`,
  'assure/profile': ({ brand }) =>
    `Vos informations personnelles ${brand.name} : identité, adresse, adresse e-mail, téléphone mobile et coordonnées bancaires, à vérifier et modifier.`,
  'personal-data/erasure': ({ space }) =>
    `Demandez l'effacement de vos données personnelles et la fermeture de votre compte de l'${space === 'entreprise' ? 'Espace Entreprise' : 'Espace Assuré'} : ce qui est effacé et ce que la loi oblige à conserver.`,
  'assure/profile-address': ({ brand }) => `Modifiez l'adresse postale à laquelle ${brand.name} vous écrit.`,
  'assure/profile-iban': ({ brand }) => `Modifiez le compte bancaire (IBAN) sur lequel ${brand.name} verse vos remboursements.`,
  'assure/demarches': ({ brand }) =>
    `Vos démarches auprès de ${brand.name} : demande de remboursement, transmission d'un devis, suivi de vos demandes et messagerie sécurisée.`,
  'assure/demarches-remboursement': ({ brand }) =>
    `Demande de remboursement ${brand.name} : choisissez l'objet et le bénéficiaire, joignez les documents demandés et transmettez votre demande.`,
  'assure/demarches-devis': ({ brand }) =>
    `Transmettez un devis à ${brand.name} et estimez votre reste à charge, ligne par ligne, selon vos garanties et ce qu'elles ont déjà remboursé cette année.`,
  'assure/demarches-requests': ({ brand }) =>
    `Mes demandes ${brand.name} : chaque demande de remboursement, de devis ou de télétransmission avec sa référence, son bénéficiaire, sa date et son statut.`,
  'assure/demarches-request': ({ title, brand }) =>
    `${title} : le suivi de votre demande à ${brand.name}, chaque étape datée, la date de réponse prévue, notre réponse et vos documents.`,

  // Espace Entreprise
  'entreprise/access-refusal': ({ brand }) =>
    `Refuser un accès à l'Espace Entreprise ${brand.name} qui vous a été donné par un administrateur : l'entreprise concernée et la confirmation.`,
  'entreprise/access-refusal-invalid': ({ brand }) =>
    `Ce lien pour refuser un accès à l'Espace Entreprise ${brand.name} n'est plus valable : il a déjà servi ou a expiré.`,
  'entreprise/home': ({ brand }) =>
    `Accueil de l'Espace Entreprise ${brand.name} : vos rubriques, vos salariés assurés par établissement et par collège, et nos conseils.`,
  'entreprise/employees': ({ brand }) =>
    `Vos salariés affiliés à la complémentaire santé ${brand.name} : établissement, statut, contrat et date d'effet, à filtrer et à exporter.`,
  'entreprise/contracts': ({ brand }) =>
    `Consultez les contrats couverts par ${brand.name} pour vos entreprises : collège, formule et options, dates d'effet et de fin, tableau des garanties en PDF.`,
  'entreprise/employee': ({ title, brand }) =>
    `Fiche ${de(title)}, salarié(e) affilié(e) à ${brand.name} : identité, établissement et historique des affiliations.`,
  'entreprise/suivi': ({ brand }) =>
    `Suivi des demandes d'affiliation de vos salariés à ${brand.name} : statut, mode (email ou courrier), relance, formulaire et annulation.`,
  'entreprise/suivi-detail': ({ title }) => `${title} : son statut, son historique et les actions possibles (relance, formulaire, annulation).`,
  'entreprise/suivi-confirm': ({ title }) => `${title} : confirmez l'annulation ; le lien envoyé au salarié cessera de fonctionner.`,
  'entreprise/pre-affiliation': ({ title }) => `${title}. Pré-affiliez un nouveau salarié : il reçoit son formulaire d'affiliation par e-mail ou sur papier.`,
  'entreprise/pre-affiliation-empty': () =>
    "Pré-affiliation d'un salarié : ajoutez d'abord un établissement à votre périmètre suivi pour pouvoir pré-affilier.",
  'entreprise/pre-affiliation-sent': () => "Pré-affiliation enregistrée : comment votre salarié reçoit et complète son formulaire d'affiliation.",
  'entreprise/habilitations': ({ brand }) =>
    `Gestion des habilitations de l'Espace Entreprise ${brand.name} : les utilisateurs de vos sociétés, leur rôle sur chacune et leur statut.`,
  'entreprise/habilitation-form': ({ title }) => `${title} : identité, adresse e-mail, mobile et rôle sur chacune de vos sociétés.`,
  'entreprise/habilitation-confirm': ({ title }) => `${title} d'un utilisateur de votre Espace Entreprise : confirmez ce changement.`,
  'entreprise/notifications': ({ brand }) =>
    `Vos notifications de l'Espace Entreprise ${brand.name} : formulaires d'affiliation transmis par vos salariés et demandes traitées par l'assureur.`,
  'entreprise/profile': ({ brand }) =>
    `Votre profil de l'Espace Entreprise ${brand.name} : vos informations, votre adresse e-mail, votre mobile et les établissements que vous suivez.`,
  'entreprise/profile-names': () => "Modifiez le nom et le prénom de votre profil de l'Espace Entreprise.",
  'entreprise/establishment-add': () => "Ajoutez un établissement à votre périmètre suivi avec son SIRET et le code identifiant des courriers de l'assureur.",
  'entreprise/establishment-import': () =>
    "Ajoutez plusieurs établissements à votre périmètre suivi avec un fichier Excel ou CSV : le modèle, l'envoi et un aperçu avant l'import.",
  'entreprise/establishment-import-job': ({ title }) =>
    `${title} de votre fichier d'établissements : les lignes à ajouter, les lignes en erreur et le rapport d'erreurs.`,
  'entreprise/documents': ({ brand }) =>
    `Mes documents pratiques : les résumés de garanties, notices d'information, formulaires et guides de ${brand.name} pour vos entreprises, à télécharger en PDF.`,
  'entreprise/demarches': ({ brand }) =>
    `Mes démarches dans l'Espace Entreprise ${brand.name} : les messages de vos entreprises à nos équipes et le suivi de vos demandes d'affiliation.`,

  // Messagerie sécurisée (Espace Assuré) and « Nous contacter » (Espace Entreprise): one set of views for both spaces
  'messagerie/list': ({ space, brand }) =>
    space === 'entreprise'
      ? `La messagerie de vos entreprises avec ${brand.name} : chaque conversation, son statut, son dernier message et les réponses non lues.`
      : `Votre messagerie sécurisée ${brand.name} : vos conversations avec nos conseillers, leur statut et les réponses non lues.`,
  'messagerie/new': ({ space, brand }) =>
    space === 'entreprise'
      ? `Nous contacter : écrivez à ${brand.name} en choisissant la catégorie et l'objet de votre demande, avec jusqu'à 4 documents.`
      : `Nouveau message à ${brand.name} : choisissez la catégorie et l'objet de votre demande, écrivez-nous et joignez jusqu'à 4 documents.`,
  'messagerie/thread': ({ title }) => `${title} : les messages échangés avec nos conseillers, les documents joints et votre réponse.`,

  // The virtual assistant: one view for the Espace Assuré, the Espace Entreprise and before login
  'assistant/assistant': ({ space, brand }) =>
    `${brand.assistantName}, votre conseillère virtuelle ${ofSpace(space, brand)} : posez votre question, obtenez une réponse tout de suite ou écrivez à nos conseillers.`,

  // Espace Gestion
  'space/home': ({ space, brand }) =>
    space === 'gestion'
      ? `Accueil de l'Espace Gestion ${brand.name}, réservé aux équipes de l'assureur : affiliations à valider, messages, demandes et journal d'audit.`
      : `Accueil ${ofSpace(space, brand)} : les rubriques de votre espace et l'aide de nos conseillers.`,
  'gestion/affiliations': ({ title }) =>
    `${title} : les demandes d'affiliation des salariés, formulaires en ligne ou bulletins papier, à vérifier puis valider (l'adhérent est créé) ou refuser.`,
  'gestion/affiliation': ({ title }) => `${title} : l'entreprise, le salarié, ses bénéficiaires et ses justificatifs, pour valider ou refuser l'affiliation.`,
  'gestion/affiliation-papier': ({ title }) =>
    `${title} : recopiez le bulletin d'affiliation papier signé et ses justificatifs ; la demande rejoint les formulaires à valider.`,
  'gestion/personal-data': () =>
    "Les demandes d'effacement de données personnelles des assurés et des utilisateurs de l'Espace Entreprise, à traiter par un superviseur.",
  'gestion/personal-data-request': ({ title }) =>
    `${title} : ce que l'acceptation efface et ce que la loi oblige à conserver, pour accepter ou refuser avec un motif.`,
  'gestion/home': ({ brand }) =>
    `Tableau de bord de l'Espace Gestion ${brand.name} : demandes et messages à traiter ou en retard, affiliations et bulletins papier, flux de décomptes du jour et leurs erreurs.`,
  'gestion/inbox': ({ title }) =>
    `${title} : les demandes de remboursement, de devis et de télétransmission des assurés et les messages des assurés et des entreprises, filtrés par espace, objet, statut, gestionnaire et retard.`,
  'gestion/request': ({ title }) =>
    `${title} : l'assuré, les documents, l'historique avec les notes internes, et le traitement de la demande (attribution, document manquant, acceptation, refus).`,
  'gestion/thread': ({ title }) =>
    `${title} : les messages et les notes internes de la conversation, la réponse avec documents joints, l'attribution et la clôture.`,
  'gestion/documents': () =>
    "Documents pratiques de l'Espace Entreprise : les documents en ligne et retirés, par catégorie, entreprise et statut, et l'ajout d'un document.",
  'gestion/document-add': () =>
    'Ajouter un document pratique : un PDF avec son titre, sa catégorie et sa visibilité (toutes les entreprises, une entreprise ou un contrat).',
  'gestion/document': ({ title }) => `${title} : sa visibilité, ses versions, son remplacement par un nouveau fichier et son retrait.`,
  'gestion/members': () =>
    "Assurés : retrouvez le dossier d'un assuré par son nom (accents facultatifs), son numéro d'adhérent ou son numéro de Sécurité sociale.",
  'gestion/member': ({ title }) =>
    `${title} : identité, bénéficiaires, télétransmission, affiliations et contrats, demandes et messages, derniers décomptes, l'état de son Espace Assuré (activation, double authentification).`,
  'gestion/companies': () =>
    "Entreprises clientes de l'assureur : recherche par raison sociale, SIREN ou identifiant entreprise, et création d'une entreprise.",
  'gestion/company-form': ({ title }) => `${title} : raison sociale, SIREN et adresse de l'entreprise cliente.`,
  'gestion/company': ({ title }) =>
    `${title} : l'entreprise cliente, son identifiant entreprise, ses établissements, ses contrats et sa lettre d'activation de l'Espace Entreprise.`,
  'gestion/establishment-form': ({ title }) => `${title} : nom, SIRET et adresse de l'établissement, et son code identifiant.`,
  'gestion/contract-form': ({ title }) => `${title} : référence, libellé, collège, formule, options, date d'effet et date de fin du contrat.`,
  'gestion/contract': ({ title }) => `${title} : le contrat et chaque version de son tableau de garanties, avec sa période d'application.`,
  'gestion/guarantees-form': ({ title }) => `${title} : une nouvelle version du tableau de garanties par catégorie de soins, à compter de sa date d'effet.`,
  'gestion/decomptes': () =>
    "Décomptes de l'Espace Gestion : envoyer le flux de décomptes du système de gestion (CSV), et l'historique des flux avec leurs lignes chargées, déjà chargées et en erreur.",
  'gestion/decompte-feed': ({ title }) =>
    `${title} : l'analyse du fichier, l'aperçu avec chaque ligne en erreur et son rapport, puis le chargement des décomptes (tout ou rien) ou l'annulation.`,
  'gestion/staff-accounts': () =>
    "Comptes du personnel de l'Espace Gestion : gestionnaires et superviseurs, leur statut et leur dernière connexion, et l'ajout d'un membre du personnel.",
  'gestion/staff-account-add': () =>
    "Ajouter un membre du personnel à l'Espace Gestion : son nom, son adresse e-mail, son mobile et son rôle ; il reçoit une invitation à créer son mot de passe.",
  'gestion/staff-account': ({ title }) => `Le compte de ${title} dans l'Espace Gestion : son rôle, son statut, et sa suspension ou sa désactivation.`,
  'gestion/staff-account-deactivate': () =>
    "Désactiver définitivement un compte du personnel : il ne pourra plus se connecter à l'Espace Gestion et ses sessions se terminent.",
  'gestion/administration': () =>
    "Administration de l'Espace Gestion, réservée aux superviseurs : les comptes du personnel, le journal d'audit, les demandes sur les données personnelles et les envois en échec.",
  'gestion/outbox': () => "Envois en échec de l'Espace Gestion : les e-mails et SMS refusés plusieurs fois par le serveur d'envoi, et leur renvoi.",
  'gestion/audit': () =>
    "Journal d'audit de l'Espace Gestion : connexions, double authentification, mots de passe et habilitations de tous les espaces, filtrés par événement, compte et date.",

  // Affiliation en ligne
  'affiliation/identity': ({ brand }) =>
    `Affiliation en ligne à la complémentaire santé ${brand.name} : confirmez votre date de naissance pour ouvrir le formulaire envoyé par votre employeur.`,
  'affiliation/form': ({ brand }) =>
    `Votre formulaire d'affiliation à la complémentaire santé ${brand.name} : vos informations, vos bénéficiaires et vos justificatifs, avec un brouillon à reprendre.`,
  'affiliation/done': ({ brand }) =>
    `Votre formulaire d'affiliation à ${brand.name} est transmis : la suite de votre affiliation et l'activation de votre Espace Assuré.`,
  'affiliation/unusable': ({ brand }) => `Ce lien d'affiliation en ligne à ${brand.name} n'est pas utilisable : demandez un nouveau lien à votre employeur.`,

  // Pages shared by the spaces
  'content/section': ({ title, space, brand }) =>
    `${title} : les pages d'information ${ofSpace(space, brand)}, services et conseils pour votre santé, chacune résumée en une phrase.`,
  'content/page': ({ title, space, brand }) =>
    `${title} : une page d'information ${ofSpace(space, brand)}, avec son sommaire et les autres pages de sa rubrique.`,
  'content/help': ({ space, brand }) =>
    `Aide ${ofSpace(space, brand)} : nos conseillers par téléphone, ${brand.assistantName}, votre conseillère virtuelle, et les questions fréquentes.`,

  // Development only (never mounted in production)
  'dev/outbox': ({ brand }) => `Boîte d'envoi de développement du portail ${brand.name} : les e-mails et SMS que le portail aurait envoyés.`,
  'dev/outbox-message': ({ title }) => `${title} de la boîte d'envoi de développement : destinataire, objet et contenu.`,
};

/** The description of a page: its view's, or its title and what its space is for. */
export function describePage(view: string, page: DescribedPage): string {
  const describe = PAGE_DESCRIPTIONS[view];
  return describe ? describe(page) : `${page.title} — ${SPACE_PURPOSES[page.space](page.brand)}`;
}

/** What each space is for: the description of a page whose view has none of its own. */
const SPACE_PURPOSES: Record<HelpSpace, (brand: Brand) => string> = {
  public: (brand) => `le portail ${brand.name} : Espace Assuré, Espace Entreprise et affiliation en ligne.`,
  assure: (brand) => `votre Espace Assuré ${brand.name} : remboursements, garanties, carte de tiers payant, bénéficiaires et informations personnelles.`,
  entreprise: (brand) => `l'Espace Entreprise ${brand.name} : affiliation et suivi de vos salariés assurés, habilitations et établissements.`,
  gestion: (brand) => `l'Espace Gestion ${brand.name}, réservé aux équipes de l'assureur.`,
  affiliation: (brand) => `l'affiliation en ligne à la complémentaire santé ${brand.name}.`,
};

// Real PDF files for the demo « documents pratiques » and attachments, written with pdfkit.
// The texts are real French content about a group health contract, for a fictional insurer.
import { Pdf } from '../../src/pdf/document.js';
import { messages } from '../../src/messages.js';
import { GUARANTEE_CATEGORIES, GUARANTEE_TEMPLATES, LEVEL_NAMES, coverageAt, type GuaranteeCategory, type Level } from './french-data.js';

export interface DocumentBrand {
  name: string;
  networkName: string;
  amcNumber: string;
  agreement: string;
  helpPhone: string;
  helpHours: string;
  helpHoursEntreprise: string;
  address: string;
}

const CATEGORY_TITLES: Record<GuaranteeCategory, string> = messages.guaranteeCategories;

/** The brand colour of the documents (the demo brand's primary colour). */
const GREEN = '#1d5e4f';

function pdfFor(title: string, brand: DocumentBrand, created: Date): Pdf {
  return new Pdf(title, { name: brand.name, colour: GREEN }, created);
}

function collegeName(college: 'cadre' | 'non_cadre'): string {
  return college === 'cadre' ? 'Cadres' : 'Non-cadres';
}

/** Résumé des garanties of a collège: the full table from the base up to option 3. */
export async function writeGuaranteeSummary(
  file: string,
  brand: DocumentBrand,
  created: Date,
  options: { college: 'cadre' | 'non_cadre'; contractLabel: string; companyName?: string; contractReference?: string; level?: Level },
): Promise<number> {
  const title = `Résumé des garanties — ${collegeName(options.college)}`;
  const pdf = pdfFor(title, brand, created);
  pdf.subtitle(
    `Régime frais de santé de la ${brand.agreement} — contrat « ${options.contractLabel} »` +
      (options.companyName ? ` — ${options.companyName}${options.contractReference ? ` (contrat n° ${options.contractReference})` : ''}` : ''),
  );
  pdf.p(
    `Ce résumé présente les garanties frais de santé du régime conventionnel de la branche de l'immobilier pour le collège ` +
      `des ${collegeName(options.college).toLowerCase()}. La base conventionnelle est obligatoire pour tous les salariés ` +
      `du collège ; les options 1, 2 et 3 sont facultatives et peuvent être souscrites par le salarié pour lui-même et ses ayants droit.` +
      (options.level !== undefined ? ` Votre entreprise a retenu la formule « ${LEVEL_NAMES[options.level]} ».` : ''),
  );
  pdf.p(
    "Les remboursements indiqués s'entendent y compris le remboursement de la Sécurité sociale lorsqu'ils sont exprimés en " +
      "pourcentage de la base de remboursement (« BR – RSS »), et en complément de celui-ci lorsqu'ils sont exprimés en forfait. " +
      'Ils ne peuvent en aucun cas dépasser les frais réellement engagés.',
  );
  for (const category of GUARANTEE_CATEGORIES) {
    pdf.h2(CATEGORY_TITLES[category]);
    const rows = GUARANTEE_TEMPLATES.filter((t) => t.category === category).map((t) => [
      t.label,
      ...([0, 1, 2, 3] as const).map((level) => coverageAt(t, level).coverage),
    ]);
    pdf.table(['Garantie', LEVEL_NAMES[0], LEVEL_NAMES[1], LEVEL_NAMES[2], LEVEL_NAMES[3]], rows, [3.2, 1.7, 1.7, 1.7, 1.7]);
  }
  pdf.h2('Abréviations et précisions');
  pdf.bullets([
    'BR : base de remboursement de la Sécurité sociale. RSS : remboursement de la Sécurité sociale.',
    "OPTAM / OPTAM-CO : options de pratique tarifaire maîtrisée signées par les médecins avec l'Assurance maladie ; les dépassements des médecins non adhérents sont remboursés dans une limite inférieure, comme l'exige le contrat responsable.",
    "100 % Santé : équipements d'optique, soins et prothèses dentaires et aides auditives intégralement remboursés par la Sécurité sociale et la complémentaire, dans la limite des prix et honoraires limites fixés par la réglementation.",
    'Conformément au cahier des charges du contrat responsable, la participation forfaitaire de 2 €, les franchises médicales (1 € par boîte de médicament ou acte paramédical) et la majoration du ticket modérateur hors parcours de soins coordonnés ne sont pas remboursées.',
    `Le tiers payant est accordé sur présentation de la carte de tiers payant ${brand.name} (numéro AMC ${brand.amcNumber}) chez les professionnels qui le pratiquent, notamment ceux du réseau ${brand.networkName}.`,
  ]);
  return pdf.save(file);
}

/** Formulaire de portabilité des droits (article L. 911-8 du code de la Sécurité sociale). */
export async function writePortabilityForm(file: string, brand: DocumentBrand, created: Date): Promise<number> {
  const pdf = pdfFor('Formulaire de portabilité des droits', brand, created);
  pdf.subtitle('Maintien des garanties frais de santé des anciens salariés — article L. 911-8 du code de la Sécurité sociale');
  pdf.h2('Qui peut en bénéficier ?');
  pdf.p(
    'Le salarié dont le contrat de travail prend fin (sauf licenciement pour faute lourde) et qui ouvre droit à une indemnisation ' +
      "par l'assurance chômage conserve gratuitement les garanties frais de santé dont il bénéficiait dans l'entreprise, ainsi que " +
      'ses ayants droit couverts à la date de la cessation du contrat.',
  );
  pdf.bullets([
    'Durée : celle du dernier contrat de travail (ou des derniers contrats consécutifs chez le même employeur), arrondie au nombre supérieur de mois, dans la limite de 12 mois.',
    'Coût : aucun ; le maintien est financé par la mutualisation des cotisations des salariés en activité.',
    "Fin anticipée : reprise d'un emploi, fin de l'indemnisation par l'assurance chômage, liquidation de la retraite ou décès.",
    "Garanties : identiques à celles des salariés en activité ; toute modification du contrat collectif s'applique aussi aux bénéficiaires de la portabilité.",
  ]);
  pdf.h2("Rôle de l'employeur");
  pdf.p(
    "L'employeur mentionne le maintien des garanties dans le certificat de travail, remet ce formulaire au salarié et informe " +
      `${brand.name} de la cessation du contrat de travail dans le mois qui suit, depuis l'Espace Entreprise (Nous contacter > ` +
      "« Mes salariés » > « Radiation d'un salarié ») ou par courrier.",
  );
  pdf.h2('1. Employeur');
  pdf.fields(['Raison sociale', "Numéro SIRET de l'établissement", 'Identifiant entreprise', 'Nom et téléphone du contact RH']);
  pdf.h2('2. Ancien salarié');
  pdf.fields([
    "Nom de naissance et nom d'usage",
    'Prénom',
    'Numéro de Sécurité sociale',
    'Date de naissance (jj/mm/aaaa)',
    'Adresse',
    'Code postal et ville',
    'Adresse e-mail',
    'Téléphone mobile',
  ]);
  pdf.h2('3. Fin du contrat de travail');
  pdf.fields(["Date d'entrée dans l'entreprise", 'Date de fin du contrat de travail', 'Durée du maintien (en mois, 12 au plus)']);
  pdf.h3('Motif de la fin du contrat');
  pdf.checkboxes([
    'Fin de contrat à durée déterminée',
    'Rupture conventionnelle',
    'Licenciement (hors faute lourde)',
    "Démission légitime au sens de l'assurance chômage",
    "Autre motif ouvrant droit à l'assurance chômage",
  ]);
  pdf.h2("4. Engagements de l'ancien salarié");
  pdf.p(
    `Je m'engage à transmettre à ${brand.name} l'attestation d'ouverture de mes droits à l'assurance chômage délivrée par ` +
      "France Travail, puis, à chaque fin de période d'indemnisation, le justificatif de la poursuite de mon indemnisation, et à " +
      "signaler sans délai toute reprise d'activité.",
  );
  pdf.fields(['Fait à', 'Le (jj/mm/aaaa)', "Signature de l'employeur (cachet)", "Signature de l'ancien salarié"]);
  pdf.h2('Pièces à joindre');
  pdf.bullets([
    'La copie du certificat de travail mentionnant le maintien des garanties.',
    "L'attestation d'ouverture des droits à l'assurance chômage (dès réception).",
    "Un relevé d'identité bancaire si les coordonnées bancaires ont changé.",
  ]);
  pdf.p(`Le formulaire complété est à retourner par la messagerie sécurisée de l'Espace Assuré ou par courrier : ${brand.name}, ${brand.address}.`);
  return pdf.save(file);
}

/** Demande de dispense d'affiliation (article R. 242-1-6 du code de la Sécurité sociale). */
export async function writeDispensationForm(file: string, brand: DocumentBrand, created: Date): Promise<number> {
  const pdf = pdfFor("Demande de dispense d'affiliation", brand, created);
  pdf.subtitle("Régime frais de santé obligatoire — cas de dispense à l'initiative du salarié");
  pdf.p(
    "L'adhésion au régime frais de santé de l'entreprise est obligatoire. Le salarié peut toutefois demander à en être dispensé " +
      "dans les cas prévus par la réglementation. La demande est faite par écrit, lors de l'embauche ou de la mise en place du " +
      "régime, et doit être accompagnée des justificatifs. L'employeur la conserve et doit pouvoir la présenter en cas de contrôle.",
  );
  pdf.h2('1. Salarié');
  pdf.fields(['Nom et prénom', 'Numéro de Sécurité sociale', 'Établissement', "Date d'embauche (jj/mm/aaaa)"]);
  pdf.h2('2. Motif de la dispense');
  pdf.checkboxes([
    "Salarié en contrat à durée déterminée ou en contrat de mission d'une durée inférieure à 12 mois.",
    "Salarié en contrat à durée déterminée d'au moins 12 mois, justifiant d'une couverture individuelle souscrite par ailleurs.",
    'Salarié à temps partiel ou apprenti dont la cotisation représenterait au moins 10 % de la rémunération brute.',
    "Salarié bénéficiaire de la complémentaire santé solidaire (jusqu'à la fin de ce droit).",
    'Salarié couvert à titre obligatoire par ailleurs, y compris comme ayant droit (par exemple par le contrat collectif du conjoint).',
    "Salarié déjà présent dans l'entreprise lors de la mise en place du régime par décision unilatérale de l'employeur.",
  ]);
  pdf.h2('3. Déclaration');
  pdf.p(
    "Je soussigné(e) demande à être dispensé(e) de l'adhésion au régime frais de santé de mon entreprise pour le motif coché " +
      "ci-dessus. J'ai été informé(e) des conséquences de ce choix : je ne bénéficierai pas des garanties du contrat collectif " +
      "ni de la participation de l'employeur. Je m'engage à informer mon employeur de tout changement de ma situation et à " +
      'fournir chaque année, si besoin, le justificatif de ma couverture.',
  );
  pdf.fields(['Fait à', 'Le (jj/mm/aaaa)', 'Signature du salarié']);
  pdf.h2('Justificatifs à joindre');
  pdf.bullets([
    "Couverture obligatoire par ailleurs : attestation de l'organisme assureur mentionnant le caractère obligatoire et la date de fin de la couverture.",
    "Complémentaire santé solidaire : attestation de droits de l'Assurance maladie.",
    "Couverture individuelle (CDD d'au moins 12 mois) : attestation d'assurance en cours de validité.",
  ]);
  return pdf.save(file);
}

/** Notice d'information of the group contract. */
export async function writeInformationNotice(file: string, brand: DocumentBrand, created: Date): Promise<number> {
  const pdf = pdfFor("Notice d'information — régime frais de santé", brand, created);
  pdf.subtitle(`${brand.agreement} — régime conventionnel frais de santé des salariés cadres et non-cadres`);
  pdf.p(
    `Cette notice est établie par ${brand.name} et remise par l'employeur à chaque salarié, conformément à l'article L. 932-6 ` +
      "du code de la Sécurité sociale. Elle décrit les garanties, leurs modalités d'application et les formalités à accomplir. " +
      'Seuls le contrat collectif et ses avenants font foi.',
  );
  pdf.h2('1. Objet du régime');
  pdf.p(
    'Le régime garantit au salarié, et le cas échéant à ses ayants droit, le remboursement de tout ou partie des frais de santé ' +
      'engagés pendant la période de garantie, en complément des prestations de la Sécurité sociale. Il respecte le cahier des ' +
      'charges des contrats dits « responsables » (articles L. 871-1 et R. 871-1 et suivants du code de la Sécurité sociale).',
  );
  pdf.h2('2. Bénéficiaires');
  pdf.bullets([
    "Le salarié : l'affiliation est obligatoire pour tous les salariés du collège concerné, sans condition d'ancienneté, sous réserve des cas de dispense prévus par la réglementation.",
    "Le conjoint, le partenaire de PACS ou le concubin, à titre facultatif, s'il n'est pas couvert à titre obligatoire par ailleurs.",
    "Les enfants à charge jusqu'à leur 21e anniversaire, ou 26e s'ils poursuivent leurs études, sont en apprentissage ou à la recherche d'un premier emploi, et sans limite d'âge s'ils sont en situation de handicap.",
  ]);
  pdf.h2("3. Date d'effet et fin des garanties");
  pdf.p(
    "Les garanties prennent effet à la date d'entrée du salarié dans l'entreprise, ou à la date d'effet du contrat si elle est " +
      'postérieure. Elles cessent à la date de rupture du contrat de travail (radiation), sous réserve du maintien au titre de la ' +
      'portabilité (article L. 911-8), en cas de décès, ou à la date de résiliation du contrat collectif. Les garanties sont ' +
      'maintenues pendant les périodes de suspension du contrat de travail indemnisées (maladie, maternité, accident).',
  );
  pdf.h2('4. Cotisations');
  pdf.p(
    "La cotisation de la base conventionnelle est financée au moins à 50 % par l'employeur et précomptée sur le bulletin de " +
      "salaire. Les options facultatives et l'extension aux ayants droit sont à la charge du salarié, qui peut les souscrire ou " +
      'les résilier chaque année, avec un préavis de deux mois avant le 1er janvier.',
  );
  pdf.h2('5. Prestations');
  pdf.p(
    'Les prestations sont versées dans la limite des frais réellement engagés, après intervention de la Sécurité sociale, selon ' +
      "le tableau des garanties en vigueur (voir le résumé des garanties de votre collège). Les forfaits annuels s'apprécient par " +
      'année civile et par bénéficiaire.',
  );
  pdf.h3("Ce qui n'est pas remboursé");
  pdf.bullets([
    'La participation forfaitaire (2 € par consultation ou acte) et les franchises médicales (1 € par boîte de médicament ou acte paramédical, 4 € par transport).',
    "La majoration de la participation de l'assuré lorsque les soins sont réalisés hors du parcours de soins coordonnés.",
    "Les dépassements d'honoraires sur les actes cliniques et techniques en cas de refus d'accès au dossier médical partagé.",
    "Les soins engagés avant la date d'effet ou après la date de fin des garanties.",
  ]);
  pdf.h2('6. Télétransmission NOEMIE et tiers payant');
  pdf.p(
    `Grâce à la télétransmission (NOEMIE), votre caisse d'Assurance maladie transmet directement vos décomptes à ${brand.name} : ` +
      "vous n'avez aucun document à envoyer. Vous pouvez en suivre l'état, bénéficiaire par bénéficiaire, dans votre Espace Assuré " +
      '(rubrique Situation). Si vous êtes couvert par une autre complémentaire, la télétransmission ne peut être active que ' +
      'pour un seul organisme.',
  );
  pdf.p(
    `La carte de tiers payant vous évite l'avance des frais chez les professionnels qui le pratiquent. Elle est valable pour ` +
      `l'année civile et téléchargeable à tout moment dans votre Espace Assuré. Les professionnels du réseau ${brand.networkName} ` +
      'pratiquent en outre des tarifs négociés en optique, dentaire et audiologie.',
  );
  pdf.h2('7. Demandes de remboursement');
  pdf.p(
    'Pour les soins non télétransmis ou non remboursés par la Sécurité sociale, adressez la facture acquittée et, si besoin, le ' +
      "décompte de la Sécurité sociale ou d'un autre organisme complémentaire, depuis la rubrique « Demande de remboursement » de " +
      'votre Espace Assuré. Les demandes doivent être présentées dans un délai de deux ans à compter de la date des soins.',
  );
  pdf.h2('8. Réclamations et médiation');
  pdf.p(
    `Pour toute réclamation, écrivez depuis la messagerie sécurisée de votre espace ou appelez le ${brand.helpPhone} ` +
      `(${brand.helpHours}). Si la réponse ne vous satisfait pas, vous pouvez saisir gratuitement le médiateur de la ` +
      "protection sociale, dans le délai d'un an suivant votre réclamation écrite.",
  );
  pdf.h2('9. Données personnelles');
  pdf.p(
    `${brand.name} traite vos données personnelles pour la gestion de votre affiliation, le paiement des prestations, la lutte ` +
      "contre la fraude et le respect de ses obligations légales. Les données de santé ne sont accessibles qu'aux personnes " +
      "habilitées. Vous disposez d'un droit d'accès, de rectification, d'effacement, de limitation, de portabilité et " +
      "d'opposition, que vous pouvez exercer auprès du délégué à la protection des données, et du droit d'introduire une " +
      'réclamation auprès de la CNIL.',
  );
  return pdf.save(file);
}

/** Guide de l'Espace Entreprise. */
export async function writeEntrepriseGuide(file: string, brand: DocumentBrand, created: Date): Promise<number> {
  const pdf = pdfFor("Guide de l'Espace Entreprise", brand, created);
  pdf.subtitle('Gérez vos salariés assurés en quelques clics');
  pdf.p(
    "L'Espace Entreprise permet de consulter vos contrats, de pré-affilier vos nouveaux salariés, de suivre leurs affiliations, " +
      'de télécharger la documentation RH et assuré, de déléguer des accès à vos collègues et de poser vos questions à nos équipes.',
  );
  pdf.h2('1. Première connexion');
  pdf.bullets([
    'Cliquez sur « Activer mon espace » puis « Créer mon compte ».',
    'Identification : saisissez le numéro de SIRET de votre établissement et votre identifiant entreprise (le « Numéro entreprise » figurant sur nos courriers), puis cochez « Je ne suis pas un robot ».',
    "Création de compte RH : vérifiez le nom de votre établissement, puis indiquez vos nom, prénom, adresse e-mail (elle servira d'identifiant) et téléphone mobile.",
    "Mot de passe : choisissez un mot de passe d'au moins 12 caractères et acceptez les conditions générales d'utilisation.",
    "Le premier compte créé pour une entreprise en devient l'administrateur ; les comptes suivants sont utilisateurs.",
  ]);
  pdf.h2('2. Double authentification');
  pdf.p(
    "Lors d'une connexion depuis un nouveau navigateur, depuis une nouvelle adresse IP ou après plus de trois mois sans " +
      'connexion, un écran de sécurité vous demande de confirmer votre numéro de téléphone mobile. Cliquez sur « Envoyer le ' +
      'code », saisissez le code reçu par SMS puis cliquez sur « Continuer ».',
  );
  pdf.h2('3. Gestion des habilitations (administrateurs)');
  pdf.p(
    "Depuis « Mes habilitations » > « Gestion des habilitations », l'administrateur ajoute un utilisateur à l'espace, choisit " +
      'les sociétés auxquelles il aura accès et son rôle sur chacune (Administrateur ou Utilisateur). Le nouvel utilisateur reçoit ' +
      "un e-mail avec un lien pour créer son mot de passe, valable 7 jours. L'administrateur peut modifier un profil, renvoyer " +
      'le lien, ou désactiver un accès provisoirement ou définitivement.',
  );
  pdf.h2('4. Ajouter des établissements');
  pdf.p(
    'Depuis la page « Mon profil », cliquez sur « Ajouter un établissement au périmètre suivi » et saisissez le SIRET et le code ' +
      "identifiant de l'établissement. Pour en ajouter plusieurs, utilisez « Ajouter plusieurs établissements (fichier) » : " +
      "téléchargez le modèle, complétez-le, déposez-le, vérifiez l'aperçu ligne par ligne puis confirmez. Rien n'est enregistré " +
      'avant votre confirmation, et un fichier confirmé est importé en entier ou pas du tout.',
  );
  pdf.h2('5. Mes salariés');
  pdf.p(
    'Retrouvez la liste de vos salariés affiliés avec leur établissement, leur statut professionnel, leur numéro de Sécurité ' +
      "sociale, leur contrat, sa date d'effet et sa date de fin. Filtrez par SIREN, SIRET, établissement, statut du contrat, " +
      'statut professionnel, contrat ou assuré, et exportez la liste au format CSV.',
  );
  pdf.h2('6. Pré-affiliation');
  pdf.bullets([
    "Choisissez l'établissement, puis le statut professionnel (Cadre ou Non cadre).",
    'Indiquez si le salarié a déjà été affilié au sein de votre entreprise.',
    "Renseignez le numéro de Sécurité sociale (13 premiers chiffres, sans espace), le nom, le prénom, l'e-mail, la date de naissance, les dates d'entrée et d'affiliation, le type et les dates du contrat de travail (date de fin obligatoire pour un CDD) et le statut au sein de l'entreprise.",
    "Avec un e-mail, le salarié reçoit le lien de son formulaire d'affiliation en ligne ; sans e-mail, téléchargez le formulaire papier depuis le suivi des demandes.",
  ]);
  pdf.h2("7. Suivi des demandes d'affiliation");
  pdf.table(
    ['Statut', 'Signification'],
    [
      ["Envoyé à l'employé", "L'e-mail ou le courrier a été envoyé au salarié."],
      ['Démarré par le salarié', 'Le salarié a commencé son affiliation en ligne et enregistré un brouillon.'],
      ['Finalisé par le salarié', "Le bulletin d'affiliation complété a été retourné à l'assureur."],
      ['Abandonné', 'Le lien a expiré ou le parcours a été interrompu : une nouvelle pré-affiliation est nécessaire.'],
      ['Annulé', "La demande a été annulée par l'entreprise."],
    ],
    [1, 2.5],
  );
  pdf.p("Le menu « … » de chaque demande permet d'envoyer un e-mail de relance (au plus une fois par jour) ou d'annuler la demande.");
  pdf.h2('8. Nous contacter');
  pdf.p(
    "Choisissez la catégorie puis l'objet de votre demande (« Gérer mon contrat » ou « Mes salariés »), rédigez votre message et " +
      "joignez jusqu'à 4 documents de 3 Mo maximum chacun. Les réponses de nos équipes arrivent dans votre messagerie.",
  );
  pdf.h2("Besoin d'aide ?");
  pdf.p(`Nos conseillers vous accompagnent ${brand.helpHoursEntreprise} au ${brand.helpPhone} (numéro non surtaxé).`);
  return pdf.save(file);
}

/** Guide de l'Espace Assuré. */
export async function writeAssureGuide(file: string, brand: DocumentBrand, created: Date): Promise<number> {
  const pdf = pdfFor("Guide de l'Espace Assuré", brand, created);
  pdf.subtitle('Des fonctionnalités pratiques pour gérer votre santé au quotidien');
  pdf.h2('1. Première connexion');
  pdf.bullets([
    "Cliquez sur « Activer mon espace » et saisissez l'adresse e-mail communiquée lors de votre affiliation.",
    "Choisissez de recevoir le code d'activation par e-mail ou par SMS, cliquez sur « Envoyer le code » puis saisissez-le.",
    'Choisissez un mot de passe sécurisé puis cliquez sur « Continuer ».',
    'Connectez-vous ensuite avec votre adresse e-mail et votre nouveau mot de passe.',
  ]);
  pdf.h2('2. Ce que vous pouvez faire');
  pdf.bullets([
    'Télécharger ou imprimer votre carte de tiers payant et celle de vos bénéficiaires.',
    "Consulter vos bénéficiaires, leur numéro de Sécurité sociale, leur caisse et l'état de la télétransmission NOEMIE.",
    "Consulter les garanties de votre contrat et télécharger votre certificat d'affiliation ou de radiation.",
    'Consulter et télécharger vos décomptes de remboursement, filtrés par bénéficiaire, période et type de soins.',
    'Envoyer une demande de remboursement ou un devis (optique, audio, appareillage, hospitalisation, dentaire, maternité).',
    `Trouver un professionnel de santé pratiquant le tiers payant près de chez vous, dont ceux du réseau ${brand.networkName}.`,
    'Modifier vos coordonnées, votre IBAN et votre mot de passe, et écrire à nos conseillers par la messagerie sécurisée.',
  ]);
  pdf.h2('3. Double authentification');
  pdf.p(
    "Un code de sécurité envoyé par SMS vous est demandé lors d'un changement de navigateur, d'adresse IP, ou après plus de " +
      "trois mois sans connexion. Il protège vos données de santé contre les usurpations d'identité.",
  );
  pdf.h2("Besoin d'aide ?");
  pdf.p(`Nos conseillers vous accompagnent ${brand.helpHours} au ${brand.helpPhone} (numéro non surtaxé).`);
  return pdf.save(file);
}

/** Conditions particulières of one company's group contract: what only that company's HR may download. */
export async function writeCompanyConditions(
  file: string,
  brand: DocumentBrand,
  created: Date,
  company: {
    name: string;
    siren: string;
    number: string;
    address: string;
    contracts: readonly { reference: string; college: 'cadre' | 'non_cadre'; label: string; formula: string; start: string }[];
  },
): Promise<number> {
  const pdf = pdfFor(`Conditions particulières — ${company.name}`, brand, created);
  pdf.subtitle(`Contrat collectif obligatoire frais de santé — ${brand.agreement}`);
  pdf.p(
    `Les présentes conditions particulières complètent la notice d'information du régime frais de santé. Elles précisent les ` +
      `contrats souscrits par l'entreprise auprès de ${brand.name}, leurs dates d'effet et la formule retenue pour chaque collège. ` +
      'En cas de contradiction, les conditions particulières prévalent sur la notice.',
  );
  pdf.h2("L'entreprise souscriptrice");
  pdf.keyValues([
    ['Raison sociale', company.name],
    ['SIREN', company.siren],
    ['Identifiant entreprise', company.number],
    ['Adresse', company.address],
  ]);
  pdf.h2('Contrats souscrits');
  pdf.table(
    ['Contrat n°', 'Collège', 'Libellé', 'Formule', "Date d'effet"],
    company.contracts.map((c) => [c.reference, collegeName(c.college), c.label, c.formula, c.start.split('-').reverse().join('/')]),
    [1.5, 1.1, 2.6, 1.6, 1.2],
  );
  pdf.h2('Cotisations et participation de l’employeur');
  pdf.p(
    'Les cotisations sont exprimées en pourcentage du plafond mensuel de la Sécurité sociale (PMSS) et appelées chaque trimestre ' +
      "auprès de l'entreprise, qui précompte la part salariale sur le bulletin de paie. L'employeur prend en charge au moins 50 % " +
      'de la cotisation de la base conventionnelle du salarié, conformément à l’article L. 911-7 du code de la Sécurité sociale. ' +
      'Les options facultatives souscrites par le salarié sont à sa charge et prélevées sur son compte bancaire.',
  );
  pdf.h2("Obligations de l'entreprise");
  pdf.bullets([
    "Affilier chaque salarié dès son entrée dans l'entreprise (pré-affiliation dans l'Espace Entreprise) et signaler chaque départ.",
    'Remettre la notice d’information à chaque salarié et lui faire signer, le cas échéant, sa demande de dispense d’affiliation.',
    'Remettre le formulaire de portabilité des droits au salarié qui quitte l’entreprise et peut bénéficier de l’assurance chômage.',
    `Informer ${brand.name} de tout changement de convention collective, d'effectif ou de SIRET d'un établissement.`,
  ]);
  pdf.h2('Signatures');
  pdf.fields(["Pour l'entreprise (nom, qualité, cachet)", `Pour ${brand.name}`, 'Fait le (jj/mm/aaaa)']);
  return pdf.save(file);
}

/** A one-page attachment (invoice, quote, RIB, certificate) standing for a document a user uploaded. */
export async function writeAttachment(file: string, brand: DocumentBrand, created: Date, title: string, lines: readonly string[]): Promise<number> {
  const pdf = pdfFor(title, brand, created);
  pdf.subtitle('Document de démonstration — données fictives');
  for (const line of lines) pdf.p(line);
  return pdf.save(file);
}

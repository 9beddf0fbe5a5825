// The paper « Bulletin individuel d'affiliation » of a request in mode Courrier: what HR typed at
// the pre-affiliation is printed, and the employee fills in the rest by hand (address, contact,
// bank details, beneficiaries, télétransmission, signature) and sends it back with the documents.
// It is the employee's own form, so the 13 digits of the NIR are printed as HR typed them.
import type { Brand } from '../../brand.js';
import {
  companyStatusLabels,
  employmentContractLabels,
  professionalStatusLabels,
  type CompanyStatus,
  type EmploymentContractType,
} from '../../domain/affiliation-requests.js';
import { formatDateFr, formatParisDayFr } from '../../domain/dates.js';
import { formatNir } from '../../domain/nir.js';
import { Pdf, type PdfBrand } from '../../pdf/document.js';
import type { TrackedRequestDetail } from './queries.js';

const AFFILIATION_FORM_TITLE = "Bulletin individuel d'affiliation";

/** « bulletin-affiliation-dupont-eloise.pdf »: accents dropped, only safe characters. */
export function affiliationFormFileName(request: { first_name: string; last_name: string }): string {
  const slug = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
  return `bulletin-affiliation-${[slug(request.last_name), slug(request.first_name)].filter(Boolean).join('-') || 'salarie'}.pdf`;
}

export function affiliationFormPdf(request: TrackedRequestDetail, brand: Brand, pdfBrandInfo: PdfBrand, now: Date): Pdf {
  const pdf = new Pdf(AFFILIATION_FORM_TITLE, pdfBrandInfo, now);
  pdf.subtitle(`Complémentaire santé collective — à compléter, signer et renvoyer à ${brand.name} (${brand.legal.address}) avec les pièces justificatives.`);

  pdf.h2('1. Votre employeur');
  pdf.keyValues([
    ['Entreprise', request.company_name],
    ['SIREN', request.siren],
    ['Établissement', request.establishment_name],
    ['SIRET', request.siret],
    ['Adresse', `${request.establishment_address}, ${request.establishment_postal_code} ${request.establishment_city}`],
  ]);

  pdf.h2('2. Votre situation (renseignée par votre employeur)');
  pdf.p('Vérifiez ces informations ; si l\u2019une d\u2019elles est inexacte, corrigez-la à côté et signalez-le à votre service des ressources humaines.');
  pdf.keyValues([
    ['Nom', request.last_name.toUpperCase()],
    ['Prénom', request.first_name],
    ['Numéro de Sécurité sociale', formatNir(request.nir.slice(0, 13))],
    ['Date de naissance', formatDateFr(request.birth_date)],
    ["Date d'entrée dans l'entreprise", formatDateFr(request.entry_date)],
    ["Date d'affiliation au contrat Frais de Santé", formatDateFr(request.affiliation_date)],
    ['Type de contrat de travail', employmentContractLabels[request.employment_contract_type as EmploymentContractType] ?? request.employment_contract_type],
    ['Début du contrat de travail', formatDateFr(request.employment_start_date)],
    ...(request.employment_end_date ? [['Fin du contrat de travail', formatDateFr(request.employment_end_date)] as const] : []),
    ['Statut professionnel (collège)', professionalStatusLabels[request.professional_status] ?? request.professional_status],
    ["Statut au sein de l'entreprise", companyStatusLabels[request.company_status as CompanyStatus] ?? request.company_status],
    ...(request.contract_label
      ? [['Contrat frais de santé', `${request.contract_label}${request.contract_reference ? ` (n° ${request.contract_reference})` : ''}`] as const]
      : []),
  ]);

  pdf.h2('3. Vos coordonnées (à compléter)');
  pdf.checkboxes(['Madame', 'Monsieur']);
  pdf.fields(['Nom de naissance (si différent)', 'Adresse', "Complément d'adresse", 'Code postal', 'Ville', 'Téléphone mobile', 'Adresse e-mail']);

  pdf.h2('4. Vos coordonnées bancaires (à compléter)');
  pdf.p('Vos remboursements sont versés sur ce compte. Joignez un relevé d\u2019identité bancaire (RIB) à votre nom.');
  pdf.fields(['Titulaire du compte', 'IBAN', 'BIC']);

  pdf.h2('5. Vos bénéficiaires (à compléter)');
  pdf.p('Conjoint(e), partenaire de PACS, concubin(e) et enfants à charge que vous souhaitez couvrir, selon les garanties de votre contrat.');
  const blank = ['\n\n', '', '', '', ''];
  pdf.table(['Lien (conjoint, enfant…)', 'Nom', 'Prénom', 'Date de naissance', 'N° de Sécurité sociale'], [blank, blank, blank, blank], [3, 3, 3, 2.5, 3.5]);

  pdf.h2('6. Télétransmission (NOEMIE)');
  pdf.p(
    `Avec la télétransmission, votre caisse d'assurance maladie transmet directement vos décomptes à ${brand.name} : vous n'avez plus de papiers à envoyer pour être remboursé(e).`,
  );
  pdf.checkboxes(["J'accepte la télétransmission pour moi et mes bénéficiaires", 'Je refuse la télétransmission']);
  pdf.fields(["Code de votre caisse d'assurance maladie (9 chiffres, sur votre attestation de droits)"]);

  pdf.h2('7. Pièces à joindre');
  pdf.bullets([
    "Un relevé d'identité bancaire (RIB) à votre nom",
    'Votre attestation de droits Sécurité sociale (et celle de vos bénéficiaires s\u2019ils ne figurent pas sur la vôtre)',
  ]);
  pdf.p("D'autres pièces pourront vous être demandées selon votre situation.");

  pdf.h2('8. Signature');
  pdf.p(
    `Je certifie l'exactitude des informations ci-dessus et demande mon affiliation au contrat de complémentaire santé de mon employeur, assuré par ${brand.name}.`,
  );
  pdf.fields(['Fait à', 'Le', 'Signature du salarié']);
  pdf.p(`Formulaire édité le ${formatParisDayFr(now)} pour ${request.first_name} ${request.last_name}.`);
  return pdf;
}

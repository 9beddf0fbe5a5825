// The activation letter of a client company: what its HR needs to open the Espace Entreprise —
// the « Identifiant entreprise », each establishment's SIRET (and its code identifiant, to add it
// later to a périmètre suivi), and the steps of « Activer mon espace », word for word from the
// Espace Entreprise guide (« Première connexion »). The activation itself: src/auth/activation-hr.ts.
import type { Brand } from '../../brand.js';
import { formatDateFr, isoToday } from '../../domain/dates.js';
import { formatSiret } from '../../domain/siret.js';
import { Pdf, pdfBrand } from '../../pdf/document.js';
import type { CompanyRow, EstablishmentRow } from './queries.js';

export function activationLetterPdf(brand: Brand, publicUrl: string, company: CompanyRow, establishments: readonly EstablishmentRow[], now: Date): Pdf {
  const pdf = new Pdf('Activation de votre Espace Entreprise', pdfBrand(brand), now, {
    subject: `Lettre d'activation de l'Espace Entreprise — ${company.name}`,
  });
  pdf.keyValues([
    ['Entreprise', company.name],
    ['SIREN', company.siren],
    ['Adresse', `${company.address_line}, ${company.postal_code} ${company.city}`],
    ['Identifiant entreprise', company.insurer_company_number],
  ]);
  pdf.p(
    `Madame, Monsieur, votre entreprise peut désormais gérer l'affiliation de ses salariés au contrat santé ${brand.name} en ligne, dans l'Espace Entreprise. Voici les informations qui vous permettront de réaliser votre première connexion.`,
  );
  pdf.h2('Vos établissements');
  pdf.table(
    ['Établissement', 'Numéro de SIRET', 'Code identifiant'],
    establishments.map((e) => [`${e.name} — ${e.postal_code} ${e.city}`, formatSiret(e.siret), e.insurer_code]),
    [5, 3, 2],
  );
  pdf.h2('Première connexion');
  pdf.p("Pour accéder aux services de l'Espace Entreprise, il est nécessaire de réaliser une première connexion afin de personnaliser ses identifiants.");
  pdf.bullets([
    `1. Depuis le site : ${publicUrl}/entreprise, cliquez sur « Activer mon espace »`,
    `2. Connectez-vous avec deux identifiants : Numéro de SIRET et Identifiant entreprise (votre identifiant entreprise : ${company.insurer_company_number})`,
    '3. Complétez les champs nécessaires puis validez',
    '4. Choisissez un mot de passe sécurisé puis validez les conditions générales',
    "5. Une fois l'activation effectuée rendez-vous sur la page de connexion à l'Espace Entreprise puis connectez-vous en utilisant le mot de passe choisi préalablement",
  ]);
  pdf.p(
    'Si vous avez la gestion de plusieurs établissements, vous serez en mesure de les ajouter via votre espace en indiquant le SIRET et le code identifiant de chaque établissement (« Mon profil » › « Ajouter un établissement au périmètre suivi »).',
  );
  pdf.p('Vous pouvez désormais vous connecter à votre Espace Entreprise et accéder à l’ensemble des fonctionnalités !');
  pdf.p(`Document édité le ${formatDateFr(isoToday(() => now))} par ${brand.name}. Conservez-le : il contient les identifiants de votre entreprise.`);
  return pdf;
}

// The French texts of « Validation des affiliations » (Espace Gestion): messages, the HR
// notifications and the two emails to the employee, in one place.
import type { Brand } from '../../brand.js';
import { professionalStatusLabels, type ProfessionalStatus } from '../../domain/affiliation-requests.js';
import { formatDateFr } from '../../domain/dates.js';
import { brandedEmail } from '../../domain/email-templates.js';
import type { EmailMessage } from '../../domain/outbox.js';
import { de } from '../../domain/text.js';

/** Where HR follows their requests (« Suivi des demandes d'affiliation »). */
const HR_TRACKING_LINK = '/entreprise/suivi-affiliations';

export const collegeLabel = (college: string): string => professionalStatusLabels[college as ProfessionalStatus] ?? college;

export const VALIDATION_TEXTS = {
  nirClash: (memberNumber: string) =>
    `L'adhérent n° ${memberNumber} a déjà ce numéro de Sécurité sociale, avec une autre date de naissance : il ne peut pas s'agir de la même personne. Vérifiez le numéro de Sécurité sociale du formulaire avec le salarié, ou refusez la demande en indiquant le motif.`,
  noContract: (college: string, day: string) =>
    `Aucun contrat de l'entreprise ne couvre le collège « ${collegeLabel(college)} » au ${formatDateFr(day)} : l'affiliation ne peut pas être créée. Vérifiez les contrats de l'entreprise, ou refusez la demande en indiquant le motif.`,
  decidedMeanwhile: "Cette demande vient d'être traitée par un autre gestionnaire. Consultez sa décision ci-dessous.",
  validated: (name: string, memberNumber: string, emailed: boolean) =>
    `L'affiliation ${de(name)} est validée : adhérent n° ${memberNumber}. ${emailed ? 'Un e-mail lui a été envoyé et' : "Le salarié n'a pas d'adresse e-mail : prévenez-le par courrier ;"} l'entreprise en est informée.`,
  reused: (memberNumber: string) =>
    `Ce salarié est déjà connu comme adhérent n° ${memberNumber} : la validation ajoute cette affiliation à son dossier au lieu d'en créer un nouveau.`,
  refused: (name: string, emailed: boolean) =>
    `La demande ${de(name)} est refusée. ${emailed ? 'Le motif lui a été envoyé par e-mail et' : "Le salarié n'a pas d'adresse e-mail : prévenez-le par courrier ;"} l'entreprise en est informée.`,
} as const;

export function validatedNotification(name: string, memberNumber: string) {
  return {
    title: 'Affiliation validée',
    body: `L'affiliation ${de(name)} est validée par l'assureur (adhérent n° ${memberNumber}).`,
    link: HR_TRACKING_LINK,
  };
}

export function refusedNotification(name: string, reason: string) {
  return {
    title: 'Affiliation refusée',
    body: `L'affiliation ${de(name)} a été refusée par l'assureur. Motif : ${reason}`.slice(0, 2000),
    link: HR_TRACKING_LINK,
  };
}

export function validatedEmail(
  brand: Brand,
  publicUrl: string,
  to: string,
  details: { name: string; companyName: string; startDate: string; memberNumber: string; hasAccount: boolean },
): EmailMessage {
  return brandedEmail(brand, to, {
    subject: 'Votre affiliation est validée',
    greeting: `Bonjour ${details.name},`,
    paragraphs: [
      `Votre affiliation au contrat frais de santé ${de(details.companyName)} est validée, à compter du ${formatDateFr(details.startDate)}.`,
      `Votre numéro d'adhérent : ${details.memberNumber}.`,
      details.hasAccount
        ? 'Vous retrouverez cette affiliation dans votre Espace Assuré : connectez-vous avec votre adresse e-mail et votre mot de passe habituels.'
        : 'Activez dès maintenant votre Espace Assuré pour consulter vos garanties, suivre vos remboursements et télécharger votre carte de tiers payant : sur la page de connexion, choisissez « Activer mon espace » et saisissez cette adresse e-mail.',
    ],
    action: { label: details.hasAccount ? 'Ouvrir mon Espace Assuré' : 'Activer mon espace', url: `${publicUrl}/assure` },
  });
}

export function refusedEmail(brand: Brand, to: string, details: { name: string; companyName: string; reason: string }): EmailMessage {
  return brandedEmail(brand, to, {
    subject: "Votre demande d'affiliation n'a pas pu être validée",
    greeting: `Bonjour ${details.name},`,
    paragraphs: [
      `Votre demande d'affiliation au contrat frais de santé ${de(details.companyName)} n'a pas pu être validée, pour le motif suivant :`,
      details.reason,
      "Rapprochez-vous du service des ressources humaines de votre employeur : il pourra vous adresser une nouvelle demande d'affiliation.",
    ],
  });
}

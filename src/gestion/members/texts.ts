// The French texts of « Assurés » (Espace Gestion): the search's messages, the staff actions'
// outcomes, and the two emails to the member, in one place.
import type { Brand } from '../../brand.js';
import { brandedEmail } from '../../domain/email-templates.js';
import type { EmailMessage } from '../../domain/outbox.js';
import { de } from '../../domain/text.js';

export const MEMBER_TEXTS = {
  search: "Saisissez le début du nom ou du prénom de l'assuré, son numéro d'adhérent ou son numéro de Sécurité sociale (13 ou 15 chiffres).",
  searchNir: (message: string) => `${message} Vérifiez le numéro de Sécurité sociale saisi.`,
  noEmail:
    "Cet assuré n'a pas d'adresse e-mail : l'e-mail d'activation ne peut pas lui être envoyé. Indiquez-lui la démarche « Activer mon espace » par courrier ou par téléphone.",
  alreadyActive: "L'Espace Assuré de cet assuré est déjà activé : aucun e-mail d'activation n'a été envoyé.",
  activationSent: (email: string) => `L'e-mail d'activation a été renvoyé à ${email}.`,
  activationWait: (minutes: number) =>
    `L'e-mail d'activation a déjà été renvoyé plusieurs fois dans l'heure : vous pourrez le renvoyer dans ${minutes} minute${minutes > 1 ? 's' : ''}.`,
  noAccount: "Cet assuré n'a pas encore activé son Espace Assuré : il n'a pas de double authentification à réinitialiser.",
  reasonRequired: 'Indiquez le motif de la réinitialisation.',
  reasonTooLong: 'Le motif ne doit pas dépasser 500 caractères.',
  identityRequired:
    "Cochez « Identité vérifiée » une fois l'identité de l'assuré vérifiée : la double authentification ne peut pas être réinitialisée sans cela.",
  twoFactorReset: (name: string) =>
    `La double authentification ${de(name)} est réinitialisée : ses sessions sont fermées et, à sa prochaine connexion, son numéro de mobile lui sera demandé (confirmé par un code envoyé par e-mail), puis un code de sécurité par SMS.`,
} as const;

/** « Renvoyer l'e-mail d'activation »: the way to « Activer mon espace », as the validation email words it (src/gestion/affiliations/texts.ts). */
export function activationEmail(brand: Brand, publicUrl: string, to: string, name: string): EmailMessage {
  return brandedEmail(brand, to, {
    subject: 'Activez votre Espace Assuré',
    greeting: `Bonjour ${name},`,
    paragraphs: [
      `Votre Espace Assuré ${brand.name} vous attend : consultez vos garanties, suivez vos remboursements et téléchargez votre carte de tiers payant.`,
      "Pour l'activer, choisissez « Activer mon espace » sur la page de connexion et saisissez cette adresse e-mail : un code d'activation vous sera envoyé, puis vous choisirez votre mot de passe.",
    ],
    action: { label: 'Activer mon espace', url: `${publicUrl}/assure/activation` },
  });
}

/** Tells the member their 2FA was reset by the insurer (a reset they did not ask for must be noticed). */
export function twoFactorResetEmail(brand: Brand, to: string, name: string): EmailMessage {
  return brandedEmail(brand, to, {
    subject: 'Votre double authentification a été réinitialisée',
    greeting: `Bonjour ${name},`,
    paragraphs: [
      `À votre demande, nos équipes ont réinitialisé la double authentification de votre Espace Assuré ${de(brand.name)}.`,
      'À votre prochaine connexion, saisissez votre numéro de téléphone mobile : nous le confirmerons par un code envoyé à cette adresse e-mail, puis vous recevrez votre code de sécurité par SMS.',
      "Si vous n'êtes pas à l'origine de cette demande, contactez-nous sans attendre.",
    ],
  });
}

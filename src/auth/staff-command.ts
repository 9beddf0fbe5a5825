// `npm run staff:create -- --email … --prenom … --nom … [--mobile …] [--afficher-lien]`
// (scripts/staff-create.ts): a superviseur for an empty production database, the way in to
// « Comptes » where every other staff account is then created. Never a default password: the
// account is created 'pending' with a 7-day single-use link to create the password, emailed
// (through SMTP_URL in production) or, with --afficher-lien, printed here instead of emailed.
// The first login then asks for the double authentification like any staff login.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db.js';
import { createOutbox } from '../stores/outbox.js';
import { fileStoreFor } from '../storage/from-config.js';
import { emailField, mobileField, parseForm, requiredText } from '../validation.js';
import { inviteStaffMember } from './staff-invitation.js';

export const STAFF_CREATE_USAGE =
  'Usage : npm run staff:create -- --email ADRESSE --prenom PRÉNOM --nom NOM [--mobile 06…] [--afficher-lien]\n' +
  "  --afficher-lien   affiche le lien de création du mot de passe ici au lieu de l'envoyer par e-mail";

const argsSchema = z.object({
  email: emailField("Indiquez l'adresse e-mail (--email)."),
  prenom: requiredText('Indiquez le prénom (--prenom).', 100),
  nom: requiredText('Indiquez le nom (--nom).', 100),
  mobile: mobileField({ optional: true, max: 30, tooLong: 'Le mobile (--mobile) : 30 caractères au maximum.' }),
});

export interface CommandResult {
  /** 0: created; 1: refused (the address exists, no way to send); 2: wrong arguments. */
  code: number;
  lines: string[];
}

/** Runs the command on this database; what it says is returned line by line (French). */
export async function staffCreateCommand(argv: string[], config: Config, db: Db, clock: () => Date = () => new Date()): Promise<CommandResult> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        email: { type: 'string' },
        prenom: { type: 'string' },
        nom: { type: 'string' },
        mobile: { type: 'string' },
        'afficher-lien': { type: 'boolean', default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (err) {
    return { code: 2, lines: [(err as Error).message, STAFF_CREATE_USAGE] };
  }
  const parsed = parseForm(argsSchema, { email: values.email ?? '', prenom: values.prenom ?? '', nom: values.nom ?? '', mobile: values.mobile ?? '' });
  if (!parsed.ok) return { code: 2, lines: [...Object.values(parsed.errors), STAFF_CREATE_USAGE] };
  const showLink = values['afficher-lien'] === true;
  if (!showLink && config.nodeEnv === 'production' && !config.smtpUrl) {
    return {
      code: 1,
      lines: [
        "SMTP_URL n'est pas configuré : l'invitation ne pourrait pas être envoyée par e-mail. Configurez SMTP_URL, ou relancez avec --afficher-lien pour afficher le lien ici.",
      ],
    };
  }
  const ctx: AppContext = { config, db, clock, outbox: createOutbox(config, db, clock), files: fileStoreFor(config) };
  const { email, prenom, nom, mobile } = parsed.data;
  const invited = await inviteStaffMember(
    ctx,
    { email, firstName: prenom, lastName: nom, mobile: mobile ?? null, role: 'superviseur' },
    { sendEmail: !showLink },
  );
  if (!invited.ok) return { code: 1, lines: [`Un compte du personnel existe déjà avec l'adresse ${email.toLowerCase()} : rien n'a été créé.`] };
  const lines = [`Compte superviseur créé pour ${prenom} ${nom} (${email.toLowerCase()}), sans mot de passe.`];
  if (showLink) {
    lines.push(
      "Lien de création du mot de passe (valable 7 jours, une seule fois ; à transmettre à la personne par un canal sûr, il n'est pas envoyé par e-mail) :",
      invited.link,
    );
  } else if (config.smtpUrl) {
    lines.push(`Invitation envoyée par e-mail (SMTP) à ${email.toLowerCase()} : le lien de création du mot de passe est valable 7 jours.`);
  } else {
    lines.push(
      `Pas de SMTP_URL (mode démonstration) : l'invitation est dans la boîte d'envoi, à lire sur ${config.publicUrl}/dev/outbox. Le lien est valable 7 jours.`,
    );
  }
  lines.push(
    'À la première connexion sur /gestion, un code de sécurité est envoyé par SMS' +
      (mobile ? '.' : ' : le numéro de mobile sera demandé (confirmé par un code envoyé par e-mail).'),
  );
  return { code: 0, lines };
}

// Emailed single-use links to choose a password (« Mot de passe oublié », and the
// invitation of a new HR user or staff member). Only the SHA-256 of the token is stored; the token itself exists
// in the email alone. Issuing a new link revokes the previous unused one of the same purpose.
import type { AppContext } from '../context.js';
import type { Db } from '../db.js';
import { recordAudit } from '../stores/audit.js';
import { brandedEmail } from '../domain/email-templates.js';
import { hashToken, randomToken } from '../domain/secrets.js';
import { doors } from './doors.js';
import { createLinkToken, findAccountById, findUsableLinkToken, type AccountRow, type LinkPurpose } from './queries.js';
import { doorForKind } from './session.js';
import { de } from '../domain/text.js';

const RESET_LINK_TTL_MS = 30 * 60_000;
const CREATION_LINK_TTL_MS = 7 * 24 * 3600_000;

/** Where the request came from, for the audit log (absent when the system acts on its own). */
export interface RequestOrigin {
  ip?: string | null;
  userAgent?: string | null;
}

function resetLinkPath(base: string, token: string): string {
  return `${base}/reinitialiser/${token}`;
}

function creationLinkPath(token: string, base = doors.entreprise.base): string {
  return `${base}/creer-mot-de-passe/${token}`;
}

/**
 * « Mot de passe oublié »: a 30-minute link for an active account, emailed to it. The caller
 * answers the same thing whether or not it called this (no account enumeration).
 */
export async function issuePasswordResetLink(ctx: AppContext, accountId: number, origin: RequestOrigin = {}): Promise<void> {
  const account = await findAccountById(ctx.db, accountId);
  if (account?.status !== 'active') return;
  const info = doorForKind(account.kind);
  const now = ctx.clock();
  const token = randomToken();
  await createLinkToken(ctx.db, account.id, 'password_reset', hashToken(token), RESET_LINK_TTL_MS, now);
  await ctx.outbox.sendEmail(
    brandedEmail(ctx.config.brand, account.email, {
      space: info.door,
      subject: 'Choisissez un nouveau mot de passe',
      greeting: `Bonjour ${account.first_name} ${account.last_name},`,
      paragraphs: [
        `Vous avez demandé à choisir un nouveau mot de passe pour votre ${info.spaceName}.`,
        "Cliquez sur le lien ci-dessous. Il est valable 30 minutes et ne peut servir qu'une seule fois. Après le changement, connectez-vous avec votre nouveau mot de passe.",
        "Si vous n'êtes pas à l'origine de cette demande, ignorez cet e-mail : votre mot de passe actuel reste valable.",
      ],
      action: { label: 'Choisir un nouveau mot de passe', url: `${ctx.config.publicUrl}${resetLinkPath(info.base, token)}` },
    }),
  );
  await recordAudit(ctx.db, now, {
    event: 'password_reset_requested',
    accountId: account.id,
    accountKind: account.kind,
    ip: origin.ip,
    userAgent: origin.userAgent,
  });
}

/**
 * The invitation of an HR user added by an administrator: a 7-day single-use link to
 * create the password. Sending it again (« renvoyer le lien ») revokes the previous link.
 * The link only works while the account is still 'pending' (see the creation page).
 */
export async function issuePasswordCreationLink(
  ctx: AppContext,
  accountId: number,
  invitedBy?: { firstName: string; lastName: string },
  origin: RequestOrigin = {},
): Promise<void> {
  const account = await findAccountById(ctx.db, accountId);
  if (account?.kind !== 'hr') throw new Error(`issuePasswordCreationLink: no HR account ${accountId}`);
  const now = ctx.clock();
  const token = randomToken();
  const brand = ctx.config.brand;
  await createLinkToken(ctx.db, account.id, 'password_creation', hashToken(token), CREATION_LINK_TTL_MS, now);
  const who = invitedBy ? `${invitedBy.firstName} ${invitedBy.lastName}`.trim() : '';
  await ctx.outbox.sendEmail(
    brandedEmail(brand, account.email, {
      space: 'entreprise',
      subject: "Votre accès à l'Espace Entreprise",
      greeting: `Bonjour ${account.first_name} ${account.last_name},`,
      paragraphs: [
        who
          ? `${who} vous a invité(e) à rejoindre l'Espace Entreprise ${de(brand.name)}, pour suivre les salariés assurés de votre entreprise.`
          : `Un accès à l'Espace Entreprise ${de(brand.name)} vient d'être ouvert pour vous, pour suivre les salariés assurés de votre entreprise.`,
        `Votre identifiant de connexion est votre adresse e-mail : ${account.email}.`,
        "Pour activer votre accès, créez votre mot de passe avec le lien ci-dessous. Il est valable 7 jours et ne peut servir qu'une seule fois.",
        "Si le lien a expiré, demandez à votre administrateur de l'Espace Entreprise de vous en renvoyer un. Si vous ne connaissez pas l'expéditeur de cette invitation, ignorez cet e-mail.",
      ],
      action: { label: 'Créer mon mot de passe', url: `${ctx.config.publicUrl}${creationLinkPath(token)}` },
    }),
  );
  await recordAudit(ctx.db, now, {
    event: 'password_link_sent',
    accountId: account.id,
    accountKind: account.kind,
    ip: origin.ip,
    userAgent: origin.userAgent,
  });
}

/**
 * The invitation of a staff member (« Comptes » of the Espace Gestion, or `npm run staff:create`):
 * the same 7-day single-use link, to /gestion/creer-mot-de-passe. Returns the link; it is emailed
 * unless `sendEmail` is false (the command's --afficher-lien prints it instead). The link only
 * works while the account is still 'pending' (see the creation page).
 */
export async function issueStaffInvitationLink(
  ctx: AppContext,
  accountId: number,
  options: { invitedBy?: { firstName: string; lastName: string }; origin?: RequestOrigin; sendEmail: boolean },
): Promise<string> {
  const account = await findAccountById(ctx.db, accountId);
  if (account?.kind !== 'staff') throw new Error(`issueStaffInvitationLink: no staff account ${accountId}`);
  const now = ctx.clock();
  const token = randomToken();
  await createLinkToken(ctx.db, account.id, 'password_creation', hashToken(token), CREATION_LINK_TTL_MS, now);
  const url = `${ctx.config.publicUrl}${creationLinkPath(token, doors.gestion.base)}`;
  const who = options.invitedBy ? `${options.invitedBy.firstName} ${options.invitedBy.lastName}`.trim() : '';
  if (options.sendEmail) {
    await ctx.outbox.sendEmail(
      brandedEmail(ctx.config.brand, account.email, {
        space: 'gestion',
        subject: "Votre accès à l'Espace Gestion",
        greeting: `Bonjour ${account.first_name} ${account.last_name},`,
        paragraphs: [
          who
            ? `${who} vous a ouvert un accès à l'Espace Gestion ${de(ctx.config.brand.name)}.`
            : `Un accès à l'Espace Gestion ${de(ctx.config.brand.name)} vient d'être ouvert pour vous.`,
          `Votre identifiant de connexion est votre adresse e-mail : ${account.email}.`,
          "Pour activer votre accès, créez votre mot de passe avec le lien ci-dessous. Il est valable 7 jours et ne peut servir qu'une seule fois. À votre première connexion, un code de sécurité vous sera envoyé par SMS (double authentification).",
          "Si le lien a expiré, demandez à un superviseur de vous en renvoyer un. Si vous n'attendiez pas cette invitation, ignorez cet e-mail.",
        ],
        action: { label: 'Créer mon mot de passe', url },
      }),
    );
  }
  await recordAudit(ctx.db, now, {
    event: 'password_link_sent',
    accountId: account.id,
    accountKind: account.kind,
    ip: options.origin?.ip,
    userAgent: options.origin?.userAgent,
    ...(options.sendEmail ? {} : { detail: { printed: true } }),
  });
  return url;
}

export interface UsableLink {
  linkId: number;
  account: AccountRow;
}

/**
 * The account a link from an email leads to, or null when the link is unknown, expired, used,
 * revoked, or its account can no longer use it — callers show one page for all these cases.
 */
export async function findLinkAccount(
  db: Db,
  purpose: LinkPurpose,
  token: unknown,
  now: Date,
  accepts: (account: AccountRow) => boolean,
): Promise<UsableLink | null> {
  // Our tokens are 43 base64url characters; anything else is not worth a database lookup.
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const link = await findUsableLinkToken(db, purpose, hashToken(token), now);
  if (!link) return null;
  const account = await findAccountById(db, link.account_id);
  if (!account || !accepts(account)) return null;
  return { linkId: link.id, account };
}

// « Refuser cet accès »: when an administrator gives an account that exists access to one of
// their companies (« Ajouter » with its address, « Modifier », or an invitation given its
// address), the account's owner is told by email (they may not know that administrator, and
// the access is theirs to refuse). The email carries one link per company:
// it opens a confirmation page (GET never changes anything: mail scanners follow links), whose
// form removes that one access.
//
// Who may use the link: whoever holds it, as for a password link — it only ever went to the
// account's own address. It is a 256-bit random token kept as a SHA-256 hash
// (src/domain/secrets.ts), valid 30 days, used once, tied to one habilitation (it dies with it,
// db/migrations/20261202100000_access_refusal_links.ts), and revoked when the address of an
// invitation changes (updateHrIdentity, changeInvitationEmail). All it can do is remove that
// access: it neither logs anyone in nor shows more than the company's name and the owner's
// first name.
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { recordAccountDisabled } from '../../auth/accounts.js';
import { doors } from '../../auth/doors.js';
import type { RequestOrigin } from '../../auth/password-links.js';
import { requestOrigin } from '../../auth/session.js';
import { recordAudit } from '../../stores/audit.js';
import { brandedEmail } from '../../domain/email-templates.js';
import { ROLE_LABELS, type HrRole } from '../../domain/habilitations.js';
import { hashToken, randomToken } from '../../domain/secrets.js';
import { createRefusalLink, findRefusableAccess, refuseAccess } from './queries.js';
import { findAccountById } from '../../auth/queries.js';

const REFUSAL_LINK_TTL_MS = 30 * 24 * 3600_000;

function refusalLinkPath(token: string): string {
  return `${doors.entreprise.base}/refuser-acces/${token}`;
}

const REFUSAL_TEXTS = {
  done: (company: string) => `Votre accès à ${company} a été retiré. Vos autres accès à l'Espace Entreprise ne changent pas.`,
  doneLast: (company: string) => `Votre accès à ${company} a été retiré. Vous n'avez plus d'accès à l'Espace Entreprise.`,
} as const;

/**
 * The email to the owner of an existing account given access to one company: who gave it,
 * which company and role, and the link to refuse it.
 */
export async function sendAccessNotice(
  ctx: AppContext,
  notice: { accountId: number; habilitationId: number; companyName: string; role: HrRole; grantedBy: { firstName: string; lastName: string }; actorId: number },
  origin: RequestOrigin = {},
): Promise<void> {
  const account = await findAccountById(ctx.db, notice.accountId);
  if (!account) return;
  const now = ctx.clock();
  const token = randomToken();
  await createRefusalLink(ctx.db, account.id, notice.habilitationId, hashToken(token), REFUSAL_LINK_TTL_MS, now);
  const brand = ctx.config.brand;
  const who = `${notice.grantedBy.firstName} ${notice.grantedBy.lastName}`.trim();
  await ctx.outbox.sendEmail(
    brandedEmail(brand, account.email, {
      space: 'entreprise',
      subject: 'Nouvel accès dans votre Espace Entreprise',
      greeting: `Bonjour ${account.first_name} ${account.last_name},`,
      paragraphs: [
        `${who} vous a donné accès à ${notice.companyName} (${ROLE_LABELS[notice.role]}) dans l'Espace Entreprise de ${brand.name}.`,
        account.status === 'pending'
          ? "Vous retrouverez cette société en activant votre accès avec le lien « Créer mon mot de passe » de votre e-mail d'invitation (s'il a expiré, demandez à votre administrateur de vous le renvoyer)."
          : `Connectez-vous à votre Espace Entreprise (${ctx.config.publicUrl}${doors.entreprise.base}) avec votre adresse e-mail et votre mot de passe habituels pour retrouver cette société.`,
        `Si vous n'attendiez pas cet accès ou ne le souhaitez pas, refusez-le avec le lien ci-dessous : votre accès à ${notice.companyName} vous sera retiré, vos autres accès ne changent pas. Le lien est valable 30 jours et ne peut servir qu'une seule fois.`,
      ],
      action: { label: 'Refuser cet accès', url: `${ctx.config.publicUrl}${refusalLinkPath(token)}` },
    }),
  );
  await recordAudit(ctx.db, now, {
    event: 'habilitation_notice_sent',
    accountId: notice.actorId,
    accountKind: 'hr',
    ip: origin.ip,
    userAgent: origin.userAgent,
    detail: { target: account.id, habilitation: notice.habilitationId },
  });
}

function tokenHashOf(req: Request): string | null {
  const token = req.params.token;
  // Our tokens are 43 base64url characters; anything else is not worth a database lookup.
  return typeof token === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? hashToken(token) : null;
}

const info = doors.entreprise;
const publicLocals = { door: info.door, spaceName: info.spaceName, base: info.base };

/** Unknown, expired, used, revoked, or the access is already gone: one page, never saying which (410). */
function renderInvalid(res: Response) {
  return res.renderPage({ page: 'entreprise/access-refusal-invalid', title: "Ce lien n'est plus valable", status: 410, locals: publicLocals });
}

export function showRefusal(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const hash = tokenHashOf(req);
    const access = hash ? await findRefusableAccess(ctx.db, hash, ctx.clock()) : undefined;
    if (!access) {
      await renderInvalid(res);
      return;
    }
    await res.renderPage({
      page: 'entreprise/access-refusal',
      title: `Refuser l'accès à ${access.companyName}`,
      locals: { ...publicLocals, access, action: refusalLinkPath(String(req.params.token)) },
    });
  };
}

export function submitRefusal(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const hash = tokenHashOf(req);
    const now = ctx.clock();
    const access = hash ? await findRefusableAccess(ctx.db, hash, now) : undefined;
    const refused = access ? await refuseAccess(ctx.db, access, now) : null;
    if (!access || !refused) {
      await renderInvalid(res);
      return;
    }
    const origin = requestOrigin(req);
    await recordAudit(ctx.db, now, {
      event: 'habilitation_refused',
      accountId: access.accountId,
      accountKind: 'hr',
      ...origin,
      detail: { company: access.companyId, grantedBy: access.grantedBy },
    });
    // No access left anywhere: the account was closed by the same transaction, as « Désactiver
    // définitivement » does.
    if (refused.closed) await recordAccountDisabled(ctx.db, now, { id: access.accountId, kind: 'hr' }, { byAccountId: access.accountId, ...origin });
    res.redirectWithFlash(info.base, refused.closed ? REFUSAL_TEXTS.doneLast(access.companyName) : REFUSAL_TEXTS.done(access.companyName));
  };
}

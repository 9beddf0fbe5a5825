// A new staff account: created 'pending' without any password, then a 7-day single-use link to
// create it (src/auth/password-links.ts); the first login asks for the double authentification like
// any staff login. Used by « Comptes » of the Espace Gestion and by `npm run staff:create`.
import type { AppContext } from '../context.js';
import type { StaffRole } from '../domain/staff-accounts.js';
import { recordAudit } from '../stores/audit.js';
import { issueStaffInvitationLink, type RequestOrigin } from './password-links.js';
import { findAccountByEmail, insertPendingStaffAccount, normalizeEmail } from './queries.js';

export interface NewStaffMember {
  email: string;
  firstName: string;
  lastName: string;
  mobile: string | null;
  role: StaffRole;
}

export type StaffInvitation = { ok: true; accountId: number; link: string } | { ok: false; reason: 'email_taken' };

/**
 * Creates the account and issues its invitation link. An address that already has a staff
 * account (whatever its status, a deactivated one included) is refused: the unique index on
 * (kind, email) makes two invitations of the same address at once end with one account.
 */
export async function inviteStaffMember(
  ctx: AppContext,
  member: NewStaffMember,
  options: { invitedBy?: { id: number; firstName: string; lastName: string }; origin?: RequestOrigin; sendEmail: boolean },
): Promise<StaffInvitation> {
  const email = normalizeEmail(member.email);
  if (await findAccountByEmail(ctx.db, 'staff', email)) return { ok: false, reason: 'email_taken' };
  const now = ctx.clock();
  const accountId = await insertPendingStaffAccount(ctx.db, { ...member, email }, now);
  if (accountId === null) return { ok: false, reason: 'email_taken' };
  await recordAudit(ctx.db, now, {
    event: 'staff_invited',
    accountId: options.invitedBy?.id ?? null,
    accountKind: options.invitedBy ? 'staff' : null,
    ip: options.origin?.ip,
    userAgent: options.origin?.userAgent,
    detail: { invited: accountId, role: member.role, ...(options.invitedBy ? {} : { command: true }) },
  });
  const link = await issueStaffInvitationLink(ctx, accountId, { invitedBy: options.invitedBy, origin: options.origin, sendEmail: options.sendEmail });
  return { ok: true, accountId, link };
}

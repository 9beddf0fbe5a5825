// Authenticated sessions: who is logged in at which door, and the guard every private page uses.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppContext } from '../context.js';
import { LAST_SEEN_STEP_MS, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../middleware/session.js';
import { HttpError } from '../middleware/errors.js';
import { recordAudit } from '../stores/audit.js';
import { doors, type AccountKind, type DoorInfo } from './doors.js';
import { findActiveHrCompanies, findSessionAccount, type HrCompany, type SessionAccountRow } from './queries.js';

const HR_NO_ACCESS =
  "Votre accès à l'Espace Entreprise est suspendu : aucune entreprise ne vous est ouverte. Rapprochez-vous de l'administrateur de votre espace entreprise.";

interface SessionAuth {
  accountId: number;
  kind: AccountKind;
  /** When the password (and 2FA when asked) succeeded: the 12-hour limit counts from here. */
  authenticatedAt: string;
}

export interface PendingTwoFactor {
  accountId: number;
  kind: AccountKind;
  passwordAt: string;
  codeId?: number;
  /** Mobile number the code was sent to (E.164). */
  codeDestination?: string;
  /** A new mobile number, confirmed first by a code sent by email. */
  newMobile?: string;
  emailCodeId?: number;
  newMobileConfirmed?: boolean;
}

declare module 'express-session' {
  interface SessionData {
    auth?: SessionAuth;
    pending2fa?: PendingTwoFactor;
    lastSeenAt?: string;
  }
}

interface CurrentAccount {
  id: number;
  kind: AccountKind;
  email: string;
  firstName: string;
  lastName: string;
  mobile: string | null;
  memberId: number | null;
  staffRole: string | null;
}

declare module 'express-serve-static-core' {
  interface Request {
    account?: CurrentAccount;
    /** HR accounts: the companies of their active habilitations, with the role on each. */
    hrCompanies?: HrCompany[];
  }
}

function toCurrentAccount(row: SessionAccountRow): CurrentAccount {
  return {
    id: row.id,
    kind: row.kind,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    mobile: row.mobile,
    memberId: row.member_id,
    staffRole: row.staff_role,
  };
}

export function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

export function destroySession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
}

export function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'inconnue';
}

/** Where a request came from, for the audit log. */
export function requestOrigin(req: Request): { ip: string; userAgent: string | undefined } {
  return { ip: clientIp(req), userAgent: req.get('user-agent') };
}

/** Ends the session and sends the person back to the login page of their door with a message. */
async function endSession(req: Request, res: Response, info: DoorInfo, message: string): Promise<void> {
  await regenerateSession(req);
  res.redirectWithFlash(info.base, message, 'info');
}

export function doorForKind(kind: AccountKind): DoorInfo {
  return Object.values(doors).find((d) => d.kind === kind)!;
}

/**
 * The guard of every private page of a door: a logged-in account of the right kind, still
 * active, whose session is neither idle for 30 minutes nor older than 12 hours, and not ended
 * by a disable or a password change. Someone logged in at another door gets a 403.
 */
export function requireAccount(ctx: AppContext, info: DoorInfo): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const auth = req.session.auth;
      if (!auth) {
        res.redirectWithFlash(info.base, 'Connectez-vous pour accéder à votre espace.', 'info');
        return;
      }
      if (auth.kind !== info.kind) throw new HttpError(403);
      const now = ctx.clock();
      const lastSeen = req.session.lastSeenAt ? Date.parse(req.session.lastSeenAt) : now.getTime();
      const expired =
        now.getTime() - Date.parse(auth.authenticatedAt) > SESSION_ABSOLUTE_MS
          ? 'Votre session a expiré (durée maximale de 12 heures). Reconnectez-vous.'
          : now.getTime() - lastSeen > SESSION_IDLE_MS + LAST_SEEN_STEP_MS
            ? "Votre session a expiré après 30 minutes d'inactivité. Reconnectez-vous."
            : null;
      if (expired) {
        await recordAudit(ctx.db, now, {
          event: 'session_expired',
          accountId: auth.accountId,
          accountKind: auth.kind,
          ip: clientIp(req),
          userAgent: req.get('user-agent'),
        });
        await endSession(req, res, info, expired);
        return;
      }
      const row = await findSessionAccount(ctx.db, auth.accountId);
      const revoked = row?.sessions_revoked_at && Date.parse(row.sessions_revoked_at) > Date.parse(auth.authenticatedAt);
      if (row?.status !== 'active' || revoked) {
        await endSession(req, res, info, 'Votre session a été fermée. Reconnectez-vous.');
        return;
      }
      if (now.getTime() - lastSeen >= LAST_SEEN_STEP_MS || !req.session.lastSeenAt) req.session.lastSeenAt = now.toISOString();
      req.account = toCurrentAccount(row);
      res.locals.account = req.account;
      if (row.kind === 'hr') {
        // An HR user works on the companies of their active habilitations; without any left
        // (suspended or removed by an administrator) the space has nothing to show them.
        const companies = await findActiveHrCompanies(ctx.db, row.id);
        if (!companies.length) {
          await endSession(req, res, info, HR_NO_ACCESS);
          return;
        }
        req.hrCompanies = companies;
        // « Mes habilitations » is shown to administrators only, on every HR page.
        res.locals.isAdmin = companies.some((c) => c.role === 'admin');
      }
      // Espace Gestion: the menu entries of a « superviseur » (supervisorOnly) are hidden from a « gestionnaire ».
      if (row.kind === 'staff') res.locals.isSupervisor = row.staff_role === 'superviseur';
      next();
    } catch (err) {
      next(err);
    }
  };
}

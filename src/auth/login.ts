// Login for the three doors: one generic error, throttling per account and per IP,
// then the double authentification screen when one of its three triggers applies.
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { recordAudit } from '../stores/audit.js';
import { verifyPassword } from '../domain/passwords.js';
import { hashToken } from '../domain/secrets.js';
import { throttleRules, waitMessage } from '../domain/throttle.js';
import { refundAttempt, reserveAttempts, resetThrottle } from '../stores/throttle.js';
import { emailField, keptValues, parseForm, passwordField, type FieldErrors } from '../validation.js';
import type { DoorInfo } from './doors.js';
import { findAccountByEmail, findTrustedDevice, recordLogin, touchTrustedDevice, type AccountRow } from './queries.js';
import { clientIp, destroySession, regenerateSession } from './session.js';

const TRUSTED_DEVICE_COOKIE = 'portail.appareil';
const THREE_MONTHS_MS = 92 * 24 * 3600 * 1000;
const GENERIC_ERROR = 'Adresse e-mail ou mot de passe incorrect.';

const loginSchema = z.object({
  email: emailField(),
  password: passwordField(),
});

function loginLocals(info: DoorInfo, extra: { values?: Record<string, string>; errors?: FieldErrors } = {}) {
  return {
    door: info.door,
    spaceName: info.spaceName,
    loginAction: `${info.base}/connexion`,
    forgotHref: `${info.base}/mot-de-passe-oublie`,
    activationHref: info.activationText ? `${info.base}/activation` : null,
    activationText: info.activationText,
    values: extra.values ?? {},
    errors: extra.errors,
  };
}

export function showLogin(info: DoorInfo) {
  return async (req: Request, res: Response) => {
    if (req.session.auth?.kind === info.kind) {
      res.redirect(303, `${info.base}/accueil`);
      return;
    }
    const notice = req.query.deconnexion === '1' ? 'Vous êtes déconnecté. À bientôt !' : null;
    await res.renderPage({
      page: 'auth/login',
      fragment: 'auth/login-form',
      title: `Connexion à l'${info.spaceName}`,
      locals: { ...loginLocals(info), notice },
    });
  };
}

function renderLoginError(res: Response, info: DoorInfo, req: Request, errors: FieldErrors, status = 422) {
  return res.renderPage({
    page: 'auth/login',
    fragment: 'auth/login-form',
    title: `Connexion à l'${info.spaceName}`,
    status,
    locals: loginLocals(info, { values: keptValues(req.body), errors }),
  });
}

/** Trusted-device cookies are per door (an account kind), path-limited to that door. */
export function trustedCookieName(info: DoorInfo): string {
  return `${TRUSTED_DEVICE_COOKIE}.${info.door}`;
}

/** 2FA exactly when the browser is new, the IP changed, or the last login is over 3 months old (docs/domain.md#security-numbers). */
async function needsTwoFactor(ctx: AppContext, req: Request, info: DoorInfo, account: AccountRow, now: Date): Promise<boolean> {
  const cookie = req.cookies?.[trustedCookieName(info)];
  const device = typeof cookie === 'string' && cookie ? await findTrustedDevice(ctx.db, account.id, hashToken(cookie)) : undefined;
  if (!device) return true;
  await touchTrustedDevice(ctx.db, device.id, now);
  if (!account.last_verified_ip || account.last_verified_ip !== clientIp(req)) return true;
  if (!account.last_verified_login_at || now.getTime() - Date.parse(account.last_verified_login_at) > THREE_MONTHS_MS) return true;
  if (account.last_login_at && now.getTime() - Date.parse(account.last_login_at) > THREE_MONTHS_MS) return true;
  return false;
}

export function login(ctx: AppContext, info: DoorInfo) {
  return async (req: Request, res: Response) => {
    const now = ctx.clock();
    const ip = clientIp(req);
    const userAgent = req.get('user-agent');
    const parsed = parseForm(loginSchema, req.body);
    if (!parsed.ok) {
      await renderLoginError(res, info, req, parsed.errors);
      return;
    }
    const { email, password } = parsed.data;
    const ipKey = `login:ip:${ip}`;
    const accountKey = `login:account:${info.kind}:${email}`;
    // Counted before the password is checked: requests sent together cannot all be checked.
    const throttle = await reserveAttempts(
      ctx.db,
      [
        [ipKey, throttleRules.loginIp],
        [accountKey, throttleRules.loginAccount],
      ],
      now,
    );
    if (!throttle.allowed) {
      await recordAudit(ctx.db, now, { event: 'login_throttled', accountKind: info.kind, ip, userAgent });
      res.set('Retry-After', String(throttle.retryAfterSeconds));
      await renderLoginError(res, info, req, { _form: waitMessage(throttle.retryAfterSeconds) }, 429);
      return;
    }
    const account = await findAccountByEmail(ctx.db, info.kind, email);
    const usable = account && account.status === 'active' ? account : undefined;
    // verifyPassword hashes even without an account, so timing does not tell whether it exists.
    const ok = await verifyPassword(password, usable?.password_hash);
    if (!ok || !usable) {
      // Both attempts stay counted as failures.
      await recordAudit(ctx.db, now, { event: 'login_failed', accountId: account?.id ?? null, accountKind: info.kind, ip, userAgent });
      await renderLoginError(res, info, req, { _form: GENERIC_ERROR, email: GENERIC_ERROR });
      return;
    }
    // A success clears the account's failures; the address only gets back the attempt it lent.
    await resetThrottle(ctx.db, accountKey);
    const [ipAttempt] = throttle.reservations;
    await refundAttempt(ctx.db, ipAttempt);
    // A new session id at login: a session id planted before login is worth nothing after it.
    await regenerateSession(req);
    if (await needsTwoFactor(ctx, req, info, usable, now)) {
      req.session.pending2fa = { accountId: usable.id, kind: info.kind, passwordAt: now.toISOString() };
      res.redirectWithFlash(`${info.base}/securite`);
      return;
    }
    req.session.auth = { accountId: usable.id, kind: info.kind, authenticatedAt: now.toISOString() };
    req.session.lastSeenAt = now.toISOString();
    await recordLogin(ctx.db, usable.id, now);
    await recordAudit(ctx.db, now, { event: 'login_ok', accountId: usable.id, accountKind: info.kind, ip, userAgent, detail: { twoFactor: false } });
    res.redirectWithFlash(`${info.base}/accueil`);
  };
}

export function logout(ctx: AppContext, info: DoorInfo) {
  return async (req: Request, res: Response) => {
    const auth = req.session.auth;
    if (auth) {
      await recordAudit(ctx.db, ctx.clock(), {
        event: 'logout',
        accountId: auth.accountId,
        accountKind: auth.kind,
        ip: clientIp(req),
        userAgent: req.get('user-agent'),
      });
    }
    await destroySession(req);
    res.clearCookie('portail.sid');
    res.redirect(303, `${info.base}?deconnexion=1`);
  };
}

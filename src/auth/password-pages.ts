// Passwords for the three doors: « Mot de passe oublié » (an emailed single-use link,
// 30 minutes), « Modifier mon mot de passe » (asks the current one), and the password creation
// of an HR user invited by an administrator or of a staff member invited by a superviseur (a 7-day link).
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { recordAudit } from '../stores/audit.js';
import { formatDateTimeFr } from '../domain/dates.js';
import { brandedEmail } from '../domain/email-templates.js';
import { checkPassword } from '../domain/password-policy.js';
import { hashPassword, verifyPassword } from '../domain/passwords.js';
import { throttleRules, waitMessage } from '../domain/throttle.js';
import { recordFailure, refundAttempt, reserveAttempt, resetThrottle } from '../stores/throttle.js';
import { doorLayoutLocals } from '../spaces.js';
import { emailField, keptValues, parseForm, type FieldErrors } from '../validation.js';
import { doors, type DoorInfo } from './doors.js';
import { findLinkAccount, issuePasswordResetLink } from './password-links.js';
import {
  activateInvitedAccount,
  activateInvitedStaffAccount,
  findAccountByEmail,
  findAccountById,
  findActiveHrCompanies,
  markLinkTokenUsed,
  setPasswordHash,
  type AccountRow,
} from './queries.js';
import { clientIp, regenerateSession } from './session.js';

export const PASSWORD_TEXTS = {
  forgotAnswer:
    'Si un compte correspond à cette adresse, vous allez recevoir un e-mail contenant un lien valable 30 minutes pour choisir un nouveau mot de passe.',
  resetDone: 'Votre mot de passe a été modifié. Connectez-vous avec votre nouveau mot de passe.',
  changeDone: 'Votre mot de passe a été modifié.',
  createDone: 'Votre mot de passe est créé. Connectez-vous pour accéder à votre Espace Entreprise.',
  createDoneStaff: "Votre mot de passe est créé. Connectez-vous pour accéder à l'Espace Gestion : un code de sécurité vous sera envoyé par SMS.",
  confirmMismatch: 'Les deux mots de passe saisis ne sont pas identiques.',
  confirmMissing: 'Saisissez à nouveau le mot de passe pour le confirmer.',
  currentMissing: 'Saisissez votre mot de passe actuel.',
  currentWrong: 'Le mot de passe actuel est incorrect.',
  sameAsCurrent: 'Choisissez un mot de passe différent de votre mot de passe actuel.',
  cguRequired: "Vous devez accepter les conditions générales d'utilisation pour créer votre mot de passe.",
} as const;

// ------------------------------------------------------------------ shared checks
const rawPassword = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().max(1024, { error: 'Le mot de passe est trop long.' }));

const newPasswordSchema = z.object({ password: rawPassword, password_confirm: rawPassword });

/** Personal words that make a password guessable for this person (zxcvbn user inputs). */
function personalWords(account: AccountRow): string[] {
  return [account.first_name, account.last_name, account.email];
}

/** The new password and its confirmation: a French reason at the field that is wrong. */
function checkNewPassword(body: unknown, account: AccountRow): { ok: true; password: string } | { ok: false; errors: FieldErrors } {
  const parsed = parseForm(newPasswordSchema, body);
  if (!parsed.ok) return parsed;
  const { password, password_confirm: confirm } = parsed.data;
  const errors: FieldErrors = {};
  const policy = checkPassword(password, personalWords(account));
  if (!policy.ok) errors.password = policy.error;
  if (!confirm) errors.password_confirm = PASSWORD_TEXTS.confirmMissing;
  else if (password && confirm !== password) errors.password_confirm = PASSWORD_TEXTS.confirmMismatch;
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, password };
}

function origin(req: Request) {
  return { ip: clientIp(req), userAgent: req.get('user-agent') };
}

function publicLocals(info: DoorInfo) {
  return { door: info.door, spaceName: info.spaceName, base: info.base };
}

/** Unknown, expired, used or revoked: one page for all, never saying which (410 Gone). */
function renderInvalidLink(res: Response, info: DoorInfo, variant: 'reset' | 'creation') {
  return res.renderPage({
    page: 'auth/password-link-invalid',
    fragment: 'auth/password-link-invalid',
    title: "Ce lien n'est plus valable",
    status: 410,
    locals: { ...publicLocals(info), variant, forgotHref: `${info.base}/mot-de-passe-oublie` },
  });
}

async function notifyPasswordChanged(ctx: AppContext, account: AccountRow, info: DoorInfo, now: Date, how: 'change' | 'reset'): Promise<void> {
  await ctx.outbox.sendEmail(
    brandedEmail(ctx.config.brand, account.email, {
      space: info.door,
      subject: 'Votre mot de passe a été modifié',
      greeting: `Bonjour ${account.first_name} ${account.last_name},`,
      paragraphs: [
        `Le mot de passe de votre ${info.spaceName} a été ${how === 'reset' ? 'réinitialisé' : 'modifié'} le ${formatDateTimeFr(now)} (heure de Paris).`,
        how === 'reset' ? 'Par sécurité, toutes vos sessions ouvertes ont été fermées.' : 'Par sécurité, vos autres sessions ouvertes ont été fermées.',
        "Si vous n'êtes pas à l'origine de ce changement, choisissez tout de suite un nouveau mot de passe avec « Mot de passe oublié » et contactez-nous.",
      ],
      action: { label: 'Mot de passe oublié', url: `${ctx.config.publicUrl}${info.base}/mot-de-passe-oublie` },
    }),
  );
}

// ------------------------------------------------------------------ Mot de passe oublié
const forgotSchema = z.object({ email: emailField() });

function renderForgot(res: Response, info: DoorInfo, options: { status?: number; errors?: FieldErrors; values?: Record<string, string> } = {}) {
  return res.renderPage({
    page: 'auth/password-forgot',
    fragment: 'auth/password-forgot-form',
    title: 'Mot de passe oublié',
    status: options.status,
    locals: { ...publicLocals(info), errors: options.errors, values: options.values ?? {} },
  });
}

export function showForgot(_ctx: AppContext, info: DoorInfo) {
  return async (_req: Request, res: Response) => {
    await renderForgot(res, info);
  };
}

export function submitForgot(ctx: AppContext, info: DoorInfo) {
  return async (req: Request, res: Response) => {
    const now = ctx.clock();
    const parsed = parseForm(forgotSchema, req.body);
    if (!parsed.ok) {
      await renderForgot(res, info, { status: 422, errors: parsed.errors, values: keptValues(req.body) });
      return;
    }
    const { email } = parsed.data;
    // Per IP, visible: one address cannot flood mailboxes nor probe many emails quickly.
    const ipKey = `password-forgot:ip:${clientIp(req)}`;
    // Every request counts, reserved before anything is sent (requests sent together too).
    const throttle = await reserveAttempt(ctx.db, ipKey, throttleRules.lookupIp, now);
    if (!throttle.allowed) {
      res.set('Retry-After', String(throttle.retryAfterSeconds));
      await renderForgot(res, info, { status: 429, errors: { _form: waitMessage(throttle.retryAfterSeconds) }, values: { email } });
      return;
    }
    // Per mailbox, silent: requests from many addresses stop sending, and the answer stays the
    // same, so the throttle says nothing about whether the account exists. A request while the
    // mailbox waits is counted too (the wait keeps growing).
    const mailboxKey = `password-forgot:email:${info.kind}:${email}`;
    const mailbox = await reserveAttempt(ctx.db, mailboxKey, throttleRules.lookupIp, now);
    if (mailbox.allowed) {
      const account = await findAccountByEmail(ctx.db, info.kind, email);
      if (account?.status === 'active') await issuePasswordResetLink(ctx, account.id, origin(req));
    } else {
      await recordFailure(ctx.db, mailboxKey, throttleRules.lookupIp, now);
    }
    res.redirectWithFlash(info.base, PASSWORD_TEXTS.forgotAnswer);
  };
}

// ------------------------------------------------------------------ Réinitialisation (link from the email)
function renderReset(res: Response, info: DoorInfo, token: string, account: AccountRow, options: { status?: number; errors?: FieldErrors } = {}) {
  return res.renderPage({
    page: 'auth/password-reset',
    fragment: 'auth/password-reset-form',
    title: 'Choisir un nouveau mot de passe',
    status: options.status,
    locals: { ...publicLocals(info), action: `${info.base}/reinitialiser/${token}`, email: account.email, errors: options.errors },
  });
}

function resetLink(ctx: AppContext, info: DoorInfo, req: Request) {
  return findLinkAccount(ctx.db, 'password_reset', req.params.token, ctx.clock(), (a) => a.kind === info.kind && a.status === 'active');
}

export function showReset(ctx: AppContext, info: DoorInfo) {
  return async (req: Request, res: Response) => {
    const link = await resetLink(ctx, info, req);
    if (!link) {
      await renderInvalidLink(res, info, 'reset');
      return;
    }
    await renderReset(res, info, String(req.params.token), link.account);
  };
}

export function submitReset(ctx: AppContext, info: DoorInfo) {
  return async (req: Request, res: Response) => {
    const link = await resetLink(ctx, info, req);
    if (!link) {
      await renderInvalidLink(res, info, 'reset');
      return;
    }
    const { account } = link;
    const checked = checkNewPassword(req.body, account);
    if (!checked.ok) {
      await renderReset(res, info, String(req.params.token), account, { status: 422, errors: checked.errors });
      return;
    }
    const hash = await hashPassword(checked.password);
    const now = ctx.clock();
    // Only the request that marks the link used goes on: a double submission uses it once.
    if ((await markLinkTokenUsed(ctx.db, link.linkId, now)) !== 1) {
      await renderInvalidLink(res, info, 'reset');
      return;
    }
    // Every session of the account ends; the next login follows the usual 2FA rules.
    await setPasswordHash(ctx.db, account.id, hash, now, { revokeSessions: true });
    // The failed logins that led here should not slow down the first login with the new password
    // (same key as login.ts).
    await resetThrottle(ctx.db, `login:account:${info.kind}:${account.email}`);
    await recordAudit(ctx.db, now, { event: 'password_reset', accountId: account.id, accountKind: account.kind, ...origin(req) });
    await notifyPasswordChanged(ctx, account, info, now, 'reset');
    if (req.session.auth?.accountId === account.id || req.session.pending2fa?.accountId === account.id) {
      await regenerateSession(req);
    }
    res.redirectWithFlash(info.base, PASSWORD_TEXTS.resetDone);
  };
}

// ------------------------------------------------------------------ Modifier mon mot de passe
const changeSchema = z.object({ current_password: rawPassword });

function renderChange(res: Response, info: DoorInfo, options: { status?: number; errors?: FieldErrors } = {}) {
  return res.renderPage({
    page: 'auth/password-change',
    fragment: 'auth/password-change-form',
    layout: info.door,
    title: 'Modifier mon mot de passe',
    status: options.status,
    locals: { ...doorLayoutLocals[info.door], base: info.base, homeHref: `${info.base}/accueil`, errors: options.errors },
  });
}

export function showChange(_ctx: AppContext, info: DoorInfo) {
  return async (_req: Request, res: Response) => {
    await renderChange(res, info);
  };
}

export function submitChange(ctx: AppContext, info: DoorInfo) {
  return async (req: Request, res: Response) => {
    const now = ctx.clock();
    const account = await findAccountById(ctx.db, req.account!.id);
    if (!account) throw new Error('account vanished after requireAccount');
    // The current password cannot be guessed from a stolen session faster than at the login.
    const key = `password-change:account:${account.id}`;
    // Reserved before the password is checked; given back below when it was not a wrong password.
    const throttle = await reserveAttempt(ctx.db, key, throttleRules.loginAccount, now);
    if (!throttle.allowed) {
      res.set('Retry-After', String(throttle.retryAfterSeconds));
      const message = waitMessage(throttle.retryAfterSeconds);
      await renderChange(res, info, { status: 429, errors: { _form: message, current_password: message } });
      return;
    }
    const current = parseForm(changeSchema, req.body);
    const currentPassword = current.ok ? current.data.current_password : '';
    const checked = checkNewPassword(req.body, account);
    // Keys in page order, so the error summary follows the form.
    const errors: FieldErrors = {};
    let currentOk = false;
    let wrongPassword = false;
    if (!currentPassword) {
      errors.current_password = PASSWORD_TEXTS.currentMissing;
    } else if (await verifyPassword(currentPassword, account.password_hash)) {
      currentOk = true;
    } else {
      wrongPassword = true;
      errors.current_password = PASSWORD_TEXTS.currentWrong;
    }
    if (!checked.ok) Object.assign(errors, checked.errors);
    else if (currentOk && checked.password === currentPassword) errors.password = PASSWORD_TEXTS.sameAsCurrent;
    if (!checked.ok || Object.keys(errors).length) {
      if (!wrongPassword) await refundAttempt(ctx.db, throttle.reservation);
      await renderChange(res, info, { status: 422, errors });
      return;
    }
    await resetThrottle(ctx.db, key);
    const hash = await hashPassword(checked.password);
    await setPasswordHash(ctx.db, account.id, hash, now, { revokeSessions: true });
    // The other sessions are dead (authenticated before now); this one goes on under a new id.
    await regenerateSession(req);
    req.session.auth = { accountId: account.id, kind: info.kind, authenticatedAt: now.toISOString() };
    req.session.lastSeenAt = now.toISOString();
    await recordAudit(ctx.db, now, { event: 'password_changed', accountId: account.id, accountKind: account.kind, ...origin(req) });
    await notifyPasswordChanged(ctx, account, info, now, 'change');
    res.redirectWithFlash(`${info.base}/accueil`, PASSWORD_TEXTS.changeDone);
  };
}

// ------------------------------------------------------------------ Création (invited HR users and staff)
const entreprise = doors.entreprise;

function renderCreate(
  res: Response,
  info: DoorInfo,
  token: string,
  account: AccountRow,
  options: { status?: number; errors?: FieldErrors; values?: Record<string, string> } = {},
) {
  return res.renderPage({
    page: 'auth/password-create',
    fragment: 'auth/password-create-form',
    title: 'Créer mon mot de passe',
    status: options.status,
    locals: {
      ...publicLocals(info),
      action: `${info.base}/creer-mot-de-passe/${token}`,
      email: account.email,
      firstName: account.first_name,
      // The CGU are those of the Espace Entreprise; the insurer's staff work under their employment contract.
      askCgu: info.kind === 'hr',
      errors: options.errors,
      values: options.values ?? {},
    },
  });
}

/**
 * The invitation of the link, while the account is pending. An HR invitee must still have an
 * active access somewhere: one whose every access is suspended cannot turn it into an account
 * until an administrator reactivates one (the link itself stays valid until then). A staff
 * invitee's account is pending until then (a deactivated invitation is 'disabled').
 */
async function creationLink(ctx: AppContext, req: Request, info: DoorInfo) {
  const link = await findLinkAccount(ctx.db, 'password_creation', req.params.token, ctx.clock(), (a) => a.kind === info.kind && a.status === 'pending');
  if (!link) return null;
  if (info.kind === 'hr' && !(await findActiveHrCompanies(ctx.db, link.account.id)).length) return null;
  return link;
}

export function showCreate(ctx: AppContext, info: DoorInfo = entreprise) {
  return async (req: Request, res: Response) => {
    const link = await creationLink(ctx, req, info);
    if (!link) {
      await renderInvalidLink(res, info, 'creation');
      return;
    }
    await renderCreate(res, info, String(req.params.token), link.account);
  };
}

export function submitCreate(ctx: AppContext, info: DoorInfo = entreprise) {
  return async (req: Request, res: Response) => {
    const link = await creationLink(ctx, req, info);
    if (!link) {
      await renderInvalidLink(res, info, 'creation');
      return;
    }
    const { account } = link;
    const checked = checkNewPassword(req.body, account);
    const askCgu = info.kind === 'hr';
    const cgu = (req.body as Record<string, unknown> | undefined)?.cgu === 'oui';
    const errors: FieldErrors = checked.ok ? {} : { ...checked.errors };
    if (askCgu && !cgu) errors.cgu = PASSWORD_TEXTS.cguRequired;
    if (!checked.ok || Object.keys(errors).length) {
      await renderCreate(res, info, String(req.params.token), account, { status: 422, errors, values: cgu ? { cgu: 'oui' } : {} });
      return;
    }
    const hash = await hashPassword(checked.password);
    const now = ctx.clock();
    const activate = askCgu ? activateInvitedAccount : activateInvitedStaffAccount;
    if ((await markLinkTokenUsed(ctx.db, link.linkId, now)) !== 1 || (await activate(ctx.db, account.id, hash, now)) !== 1) {
      await renderInvalidLink(res, info, 'creation');
      return;
    }
    await recordAudit(ctx.db, now, { event: 'password_created', accountId: account.id, accountKind: account.kind, ...origin(req) });
    res.redirectWithFlash(info.base, askCgu ? PASSWORD_TEXTS.createDone : PASSWORD_TEXTS.createDoneStaff);
  };
}

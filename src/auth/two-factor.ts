// Double authentification (guide « Double authentification »): after the password,
// a security screen to confirm (or enter) the mobile number, « Envoyer le code », the SMS code,
// « Continuer ». A new number is accepted only after a second code sent by email.
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { recordAudit } from '../stores/audit.js';
import { codeErrorMessage } from '../domain/codes.js';
import { issueCode, verifyCode } from '../stores/codes.js';
import { brandedEmail } from '../domain/email-templates.js';
import { maskPhone } from '../domain/phone.js';
import { hashToken, randomToken } from '../domain/secrets.js';
import { mobileField, parseForm, type FieldErrors } from '../validation.js';
import type { DoorInfo } from './doors.js';
import { trustedCookieName } from './login.js';
import { addTrustedDevice, findAccountById, recordVerifiedLogin, updateAccountMobile, type AccountRow } from './queries.js';
import { clientIp, regenerateSession, type PendingTwoFactor } from './session.js';

const PENDING_MAX_MS = 15 * 60_000;
const TRUSTED_DEVICE_MAX_AGE_MS = 180 * 24 * 3600 * 1000;

type State = 'confirm' | 'code' | 'number' | 'email-code';

function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  return `${local.slice(0, 1)}${'•'.repeat(Math.max(2, Math.min(6, local.length - 1)))}@${domain}`;
}

async function loadPending(ctx: AppContext, req: Request, res: Response, info: DoorInfo): Promise<{ pending: PendingTwoFactor; account: AccountRow } | null> {
  const pending = req.session.pending2fa;
  const now = ctx.clock();
  if (!pending || pending.kind !== info.kind || now.getTime() - Date.parse(pending.passwordAt) > PENDING_MAX_MS) {
    delete req.session.pending2fa;
    res.redirectWithFlash(info.base, 'Votre connexion a expiré. Saisissez à nouveau votre adresse e-mail et votre mot de passe.', 'info');
    return null;
  }
  const account = await findAccountById(ctx.db, pending.accountId);
  if (account?.status !== 'active') {
    delete req.session.pending2fa;
    res.redirectWithFlash(info.base, 'Connexion impossible. Reconnectez-vous.', 'info');
    return null;
  }
  return { pending, account };
}

function currentState(pending: PendingTwoFactor, account: AccountRow, forced?: State): State {
  if (forced) return forced;
  if (pending.newMobile && !pending.newMobileConfirmed) return 'email-code';
  if (pending.codeId) return 'code';
  if (account.mobile || pending.newMobileConfirmed) return 'confirm';
  return 'number';
}

async function renderScreen(
  res: Response,
  info: DoorInfo,
  pending: PendingTwoFactor,
  account: AccountRow,
  options: { state?: State; errors?: FieldErrors; values?: Record<string, string>; status?: number; notice?: string } = {},
) {
  const target = pending.newMobileConfirmed && pending.newMobile ? pending.newMobile : account.mobile;
  await res.renderPage({
    page: 'auth/two-factor',
    fragment: 'auth/two-factor-form',
    layout: 'public',
    title: 'Écran de sécurité',
    status: options.status,
    locals: {
      door: info.door,
      spaceName: info.spaceName,
      base: info.base,
      state: currentState(pending, account, options.state),
      maskedMobile: target ? maskPhone(pending.codeDestination ?? target) : null,
      maskedEmail: maskEmail(account.email),
      errors: options.errors,
      values: options.values ?? {},
      notice: options.notice,
    },
  });
}

export function showTwoFactor(ctx: AppContext, info: DoorInfo, forced?: State) {
  return async (req: Request, res: Response) => {
    const loaded = await loadPending(ctx, req, res, info);
    if (!loaded) return;
    await renderScreen(res, info, loaded.pending, loaded.account, { state: forced });
  };
}

async function sendSmsCode(ctx: AppContext, req: Request, info: DoorInfo, pending: PendingTwoFactor, account: AccountRow, mobile: string) {
  const now = ctx.clock();
  const issued = await issueCode(ctx.db, ctx.config.sessionSecret, now, {
    purpose: 'login_2fa',
    accountId: account.id,
    channel: 'sms',
    destination: mobile,
  });
  if (!issued.ok) return issued;
  pending.codeId = issued.id;
  pending.codeDestination = mobile;
  await ctx.outbox.sendSms(
    mobile,
    `${ctx.config.brand.name} : votre code de sécurité est ${issued.code}. Il est valable 10 minutes. Ne le communiquez à personne.`,
  );
  await recordAudit(ctx.db, now, {
    event: 'two_factor_sent',
    accountId: account.id,
    accountKind: info.kind,
    ip: clientIp(req),
    userAgent: req.get('user-agent'),
    detail: { channel: 'sms' },
  });
  return issued;
}

export function sendTwoFactorCode(ctx: AppContext, info: DoorInfo) {
  return async (req: Request, res: Response) => {
    const loaded = await loadPending(ctx, req, res, info);
    if (!loaded) return;
    const { pending, account } = loaded;
    const mobile = pending.newMobileConfirmed && pending.newMobile ? pending.newMobile : account.mobile;
    if (!mobile) {
      await renderScreen(res, info, pending, account, { state: 'number' });
      return;
    }
    const issued = await sendSmsCode(ctx, req, info, pending, account, mobile);
    if (!issued.ok) {
      await renderScreen(res, info, pending, account, {
        status: 429,
        errors: { _form: `Un code vient d'être envoyé. Vous pourrez en demander un nouveau dans ${issued.retryAfterSeconds} secondes.` },
      });
      return;
    }
    res.redirectWithFlash(`${info.base}/securite`, `Un code de sécurité vient d'être envoyé par SMS au ${maskPhone(mobile)}.`);
  };
}

const codeSchema = z.object({
  code: z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/\s/g, '') : ''),
    z.string().regex(/^\d{6}$/, { error: 'Saisissez les 6 chiffres du code reçu.' }),
  ),
  oublier: z.preprocess((v) => v === 'oui', z.boolean()),
});

export function verifyTwoFactorCode(ctx: AppContext, info: DoorInfo) {
  return async (req: Request, res: Response) => {
    const loaded = await loadPending(ctx, req, res, info);
    if (!loaded) return;
    const { pending, account } = loaded;
    const now = ctx.clock();
    const ip = clientIp(req);
    const userAgent = req.get('user-agent');
    const parsed = parseForm(codeSchema, req.body);
    if (!parsed.ok) {
      await renderScreen(res, info, pending, account, { status: 422, errors: parsed.errors });
      return;
    }
    const result = await verifyCode(ctx.db, ctx.config.sessionSecret, now, pending.codeId, parsed.data.code);
    if (result.status !== 'ok') {
      await recordAudit(ctx.db, now, {
        event: 'two_factor_failed',
        accountId: account.id,
        accountKind: info.kind,
        ip,
        userAgent,
        detail: { reason: result.status },
      });
      await renderScreen(res, info, pending, account, { status: 422, errors: { code: codeErrorMessage(result) } });
      return;
    }
    const newMobile = pending.newMobileConfirmed ? pending.newMobile : undefined;
    // Second new session id: the one that carried the half-done login is not the logged-in one.
    await regenerateSession(req);
    req.session.auth = { accountId: account.id, kind: info.kind, authenticatedAt: now.toISOString() };
    req.session.lastSeenAt = now.toISOString();
    await recordVerifiedLogin(ctx.db, account.id, ip, now);
    if (newMobile) {
      await updateAccountMobile(ctx.db, account.id, newMobile, now);
      await recordAudit(ctx.db, now, { event: 'phone_changed', accountId: account.id, accountKind: info.kind, ip, userAgent });
    }
    if (!parsed.data.oublier) {
      const token = randomToken();
      await addTrustedDevice(ctx.db, account.id, hashToken(token), userAgent, now);
      res.cookie(trustedCookieName(info), token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.config.isProduction ? req.secure : false,
        maxAge: TRUSTED_DEVICE_MAX_AGE_MS,
        path: info.base,
      });
    }
    await recordAudit(ctx.db, now, { event: 'two_factor_ok', accountId: account.id, accountKind: info.kind, ip, userAgent });
    await recordAudit(ctx.db, now, { event: 'login_ok', accountId: account.id, accountKind: info.kind, ip, userAgent, detail: { twoFactor: true } });
    res.redirectWithFlash(`${info.base}/accueil`);
  };
}

const numberSchema = z.object({ mobile: mobileField() });

export function requestNumberChange(ctx: AppContext, info: DoorInfo) {
  return async (req: Request, res: Response) => {
    const loaded = await loadPending(ctx, req, res, info);
    if (!loaded) return;
    const { pending, account } = loaded;
    const parsed = parseForm(numberSchema, req.body);
    const typed = typeof req.body?.mobile === 'string' ? req.body.mobile : '';
    if (!parsed.ok) {
      await renderScreen(res, info, pending, account, { state: 'number', status: 422, errors: parsed.errors, values: { mobile: typed } });
      return;
    }
    const mobile = parsed.data.mobile;
    const now = ctx.clock();
    const issued = await issueCode(ctx.db, ctx.config.sessionSecret, now, {
      purpose: 'phone_change',
      accountId: account.id,
      channel: 'email',
      destination: account.email,
      context: { mobile },
    });
    if (!issued.ok) {
      await renderScreen(res, info, pending, account, {
        state: 'number',
        status: 429,
        values: { mobile: typed },
        errors: { _form: `Un code vient d'être envoyé. Vous pourrez en demander un nouveau dans ${issued.retryAfterSeconds} secondes.` },
      });
      return;
    }
    pending.newMobile = mobile;
    pending.newMobileConfirmed = false;
    pending.emailCodeId = issued.id;
    delete pending.codeId;
    delete pending.codeDestination;
    await ctx.outbox.sendEmail(
      brandedEmail(ctx.config.brand, account.email, {
        space: info.door,
        subject: 'Confirmez votre nouveau numéro de mobile',
        paragraphs: [
          `Une demande de changement de numéro de téléphone mobile a été faite lors de la connexion à votre ${info.spaceName}. Nouveau numéro : ${maskPhone(mobile)}.`,
          "Pour confirmer ce changement, saisissez le code ci-dessous sur l'écran de sécurité. Il est valable 10 minutes.",
          "Si vous n'êtes pas à l'origine de cette demande, ne communiquez ce code à personne et changez votre mot de passe.",
        ],
        code: issued.code,
      }),
    );
    await recordAudit(ctx.db, now, {
      event: 'phone_change_code_sent',
      accountId: account.id,
      accountKind: info.kind,
      ip: clientIp(req),
      userAgent: req.get('user-agent'),
    });
    res.redirectWithFlash(`${info.base}/securite`, `Un code de confirmation vient d'être envoyé à votre adresse e-mail ${maskEmail(account.email)}.`);
  };
}

export function confirmNumberChange(ctx: AppContext, info: DoorInfo) {
  return async (req: Request, res: Response) => {
    const loaded = await loadPending(ctx, req, res, info);
    if (!loaded) return;
    const { pending, account } = loaded;
    const now = ctx.clock();
    const parsed = parseForm(codeSchema, req.body);
    if (!parsed.ok) {
      await renderScreen(res, info, pending, account, { status: 422, errors: parsed.errors });
      return;
    }
    const result = await verifyCode(ctx.db, ctx.config.sessionSecret, now, pending.emailCodeId, parsed.data.code);
    if (result.status !== 'ok' || result.context.mobile !== pending.newMobile) {
      await recordAudit(ctx.db, now, {
        event: 'two_factor_failed',
        accountId: account.id,
        accountKind: info.kind,
        ip: clientIp(req),
        userAgent: req.get('user-agent'),
        detail: { step: 'email', reason: result.status },
      });
      const message = result.status === 'ok' ? 'Ce code ne correspond pas au numéro saisi.' : codeErrorMessage(result);
      await renderScreen(res, info, pending, account, { status: 422, errors: { code: message } });
      return;
    }
    pending.newMobileConfirmed = true;
    delete pending.emailCodeId;
    const issued = await sendSmsCode(ctx, req, info, pending, account, pending.newMobile!);
    const message = issued.ok
      ? `Votre adresse e-mail est confirmée. Un code de sécurité vient d'être envoyé par SMS au ${maskPhone(pending.newMobile!)}.`
      : 'Votre adresse e-mail est confirmée. Cliquez sur « Envoyer le code » pour recevoir le code par SMS.';
    res.redirectWithFlash(`${info.base}/securite`, message);
  };
}

export function cancelTwoFactor(info: DoorInfo) {
  return async (req: Request, res: Response) => {
    delete req.session.pending2fa;
    res.redirectWithFlash(info.base, 'Connexion annulée.', 'info');
  };
}

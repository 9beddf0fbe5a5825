// Member activation — « Activer mon espace » (guide « Première connexion »):
// 1. the email address given at affiliation, 2. an activation code by email or by SMS,
// 3. a secure password; then back to the login page with a success message.
//
// No account enumeration: whether the email is unknown, belongs to a member whose space is
// already active, or to a member who may activate, every page, message and status is the same.
// Only the first of these three gets no code at all; the second gets an email (not a code)
// saying the space is already active. For both, a « decoy » code row is still issued, so that
// the resend limit, the tries left, the expiry and the messages come from the same database
// rules as for a real code (across sessions and app instances), but its hash is keyed by a
// throw-away secret: no typed code can ever match it.
import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { recordAudit } from '../stores/audit.js';
import { codeErrorMessage } from '../domain/codes.js';
import { issueCode, verifyCode } from '../stores/codes.js';
import { brandedEmail } from '../domain/email-templates.js';
import { passwordErrors } from '../domain/password-policy.js';
import { hashPassword } from '../domain/passwords.js';
import { maskPhone } from '../domain/phone.js';
import { throttleRules, waitMessage } from '../domain/throttle.js';
import { checkThrottles, refundAttempt, reserveAttempt } from '../stores/throttle.js';
import { emailField, parseForm, type FieldErrors } from '../validation.js';
import { doors } from './doors.js';
import { createMemberAccount, findMemberAccount, findMemberByEmail, findMemberById } from './activation-queries.js';
import { normalizeEmail } from './queries.js';
import { clientIp } from './session.js';

const info = doors.assure;
const BASE = '/assure/activation';
const TITLE = 'Activer mon espace';
/** The whole journey (email → code → password) must fit in this time. */
const STATE_MAX_MS = 60 * 60_000;
/** After a correct code, the password must be chosen within this time. */
const VERIFIED_MAX_MS = 15 * 60_000;

export const MEMBER_ACTIVATION_SUCCESS = 'Votre espace est activé. Connectez-vous avec le mot de passe que vous venez de choisir.';

type Channel = 'email' | 'sms';

export interface MemberActivationState {
  /** As typed (trimmed, lowercased). */
  email: string;
  /** The member found by that email, or null when the email is unknown. */
  memberId: number | null;
  /** The member already has an account: no code, a reminder email instead. */
  existingAccountId: number | null;
  /** Shown next to « Par SMS au … », computed once (see maskedMobileFor). */
  maskedMobile: string;
  startedAt: string;
  codeId?: number;
  channel?: Channel;
  verifiedAt?: string;
}

declare module 'express-session' {
  interface SessionData {
    activation?: MemberActivationState;
  }
}

// ------------------------------------------------------------------ helpers
/**
 * The masked mobile shown for the SMS option. With a mobile on file it is the real one
 * (« 06 •• •• •• 42 »). For an unknown email, or a member without a mobile, showing nothing (or
 * a different wording) would tell that the email is unknown; so we show a number derived from an
 * HMAC of the email keyed by the session secret: deterministic (the same email always shows the
 * same digits, trying again reveals nothing), and not guessable without the server's secret.
 */
function maskedMobileFor(secret: string, email: string, mobile: string | null): string {
  if (mobile) return maskPhone(mobile);
  const digest = crypto
    .createHmac('sha256', secret)
    .update(`activation-mask:${normalizeEmail(email)}`)
    .digest();
  const prefix = digest[0] % 4 === 0 ? '07' : '06';
  const last = String(digest.readUInt16BE(1) % 100).padStart(2, '0');
  return `${prefix} •• •• •• ${last}`;
}

function expired(state: MemberActivationState, now: Date): boolean {
  return now.getTime() - Date.parse(state.startedAt) > STATE_MAX_MS;
}

/** The activation in progress, or a redirect to the first step with a French message. */
function loadState(ctx: AppContext, req: Request, res: Response): MemberActivationState | null {
  const state = req.session.activation;
  if (!state || typeof state.email !== 'string' || expired(state, ctx.clock())) {
    delete req.session.activation;
    res.redirectWithFlash(
      BASE,
      state
        ? "Votre demande d'activation a expiré. Saisissez à nouveau votre adresse e-mail."
        : "Pour activer votre espace, saisissez d'abord votre adresse e-mail.",
      'info',
    );
    return null;
  }
  return state;
}

const steps = ['Adresse e-mail', "Code d'activation", 'Mot de passe'];

function pageLocals(step: 'email' | 'code' | 'password', extra: Record<string, unknown>) {
  return {
    door: info.door,
    spaceName: info.spaceName,
    step,
    steps,
    currentStep: { email: 0, code: 1, password: 2 }[step],
    base: BASE,
    values: {},
    errors: undefined,
    ...extra,
  };
}

function renderEmailStep(res: Response, extra: { values?: Record<string, string>; errors?: FieldErrors; status?: number } = {}) {
  return res.renderPage({
    page: 'auth/activation-member',
    fragment: 'auth/activation-member-email',
    title: TITLE,
    status: extra.status,
    locals: pageLocals('email', { values: extra.values ?? {}, errors: extra.errors }),
  });
}

function renderCodeStep(res: Response, state: MemberActivationState, extra: { errors?: FieldErrors; status?: number; channel?: string } = {}) {
  return res.renderPage({
    page: 'auth/activation-member',
    fragment: 'auth/activation-member-code',
    title: TITLE,
    status: extra.status,
    locals: pageLocals('code', {
      sent: Boolean(state.codeId),
      email: state.email,
      maskedMobile: state.maskedMobile,
      sentChannel: state.channel ?? null,
      channel: extra.channel ?? state.channel ?? 'email',
      errors: extra.errors,
    }),
  });
}

function renderPasswordStep(res: Response, state: MemberActivationState, extra: { errors?: FieldErrors; status?: number } = {}) {
  return res.renderPage({
    page: 'auth/activation-member',
    fragment: 'auth/activation-member-password',
    title: TITLE,
    status: extra.status,
    locals: pageLocals('password', { email: state.email, errors: extra.errors }),
  });
}

function throttleKey(req: Request): string {
  return `activation:member:ip:${clientIp(req)}`;
}

// ------------------------------------------------------------------ 1. email
const emailSchema = z.object({ email: emailField('Saisissez votre adresse e-mail.') });

export function showEmailStep(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const state = req.session.activation;
    const values: Record<string, string> = state && !expired(state, ctx.clock()) ? { email: state.email } : {};
    await renderEmailStep(res, { values });
  };
}

export function submitEmailStep(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const parsed = parseForm(emailSchema, req.body);
    if (!parsed.ok) {
      const raw = (req.body as Record<string, unknown> | undefined)?.email;
      await renderEmailStep(res, { status: 422, errors: parsed.errors, values: { email: typeof raw === 'string' ? raw : '' } });
      return;
    }
    const { email } = parsed.data;
    const member = await findMemberByEmail(ctx.db, email);
    const account = await findMemberAccount(ctx.db, member?.id ?? null, email);
    req.session.activation = {
      email,
      memberId: member?.id ?? null,
      existingAccountId: account?.id ?? null,
      maskedMobile: maskedMobileFor(ctx.config.sessionSecret, email, member?.mobile ?? null),
      startedAt: ctx.clock().toISOString(),
    };
    res.redirectWithFlash(`${BASE}/code`);
  };
}

// ------------------------------------------------------------------ 2. code
export function showCodeStep(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const state = loadState(ctx, req, res);
    if (!state) return;
    await renderCodeStep(res, state);
  };
}

const channelSchema = z.object({
  channel: z.preprocess(
    (v) => (typeof v === 'string' ? v : ''),
    z.enum(['email', 'sms'], { error: 'Choisissez le mode de réception du code : par e-mail ou par SMS.' }),
  ),
});

function sentMessage(state: MemberActivationState, channel: Channel): string {
  return channel === 'sms'
    ? `Un code d'activation vient d'être envoyé par SMS au ${state.maskedMobile}. Il est valable 10 minutes.`
    : `Un code d'activation vient d'être envoyé à l'adresse ${state.email}. Il est valable 10 minutes.`;
}

export function sendCode(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const state = loadState(ctx, req, res);
    if (!state) return;
    const now = ctx.clock();
    const ip = clientIp(req);
    const userAgent = req.get('user-agent');
    const parsed = parseForm(channelSchema, req.body);
    if (!parsed.ok) {
      await renderCodeStep(res, state, { status: 422, errors: parsed.errors });
      return;
    }
    const { channel } = parsed.data;
    const throttle = await checkThrottles(ctx.db, [throttleKey(req)], now);
    if (!throttle.allowed) {
      res.set('Retry-After', String(throttle.retryAfterSeconds));
      await renderCodeStep(res, state, { status: 429, channel, errors: { _form: waitMessage(throttle.retryAfterSeconds) } });
      return;
    }

    // Looked up again: an account may have been activated since step 1 (another tab, another device).
    const existing = await findMemberAccount(ctx.db, state.memberId, state.email);
    state.existingAccountId = existing?.id ?? null;
    const member = state.memberId && !existing ? await findMemberById(ctx.db, state.memberId) : undefined;
    const eligible = member !== undefined;
    // A member without a mobile who asks for an SMS gets the code by email (the page cannot say
    // so without telling apart known and unknown emails; the email itself explains it).
    const realChannel: Channel = eligible && channel === 'sms' && member.mobile ? 'sms' : 'email';
    const destination = eligible && realChannel === 'sms' ? member.mobile! : state.email;
    const issued = await issueCode(ctx.db, eligible ? ctx.config.sessionSecret : crypto.randomBytes(32).toString('hex'), now, {
      purpose: 'activation',
      memberId: state.memberId,
      channel: realChannel,
      destination,
    });
    if (!issued.ok) {
      await renderCodeStep(res, state, {
        status: 429,
        channel,
        errors: {
          _form: `Un code vient d'être envoyé. Vous pourrez en demander un nouveau dans ${issued.retryAfterSeconds} seconde${issued.retryAfterSeconds > 1 ? 's' : ''}.`,
        },
      });
      return;
    }

    if (eligible && realChannel === 'sms') {
      await ctx.outbox.sendSms(
        destination,
        `${ctx.config.brand.name} : votre code d'activation est ${issued.code}. Il est valable 10 minutes. Ne le communiquez à personne.`,
      );
    } else if (eligible) {
      await ctx.outbox.sendEmail(
        brandedEmail(ctx.config.brand, destination, {
          subject: "Votre code d'activation",
          paragraphs: [
            ...(channel === 'sms' ? ["Aucun numéro de téléphone mobile n'est enregistré dans votre dossier : voici votre code d'activation par e-mail."] : []),
            `Pour activer votre ${info.spaceName}, saisissez le code ci-dessous sur la page d'activation. Il est valable 10 minutes.`,
            "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message et ne communiquez ce code à personne.",
          ],
          code: issued.code,
        }),
      );
    } else if (state.existingAccountId) {
      await ctx.outbox.sendEmail(
        brandedEmail(ctx.config.brand, state.email, {
          subject: `Votre ${info.spaceName} est déjà activé`,
          paragraphs: [
            `Une demande d'activation de l'${info.spaceName} a été faite avec votre adresse e-mail. Votre espace est déjà activé : aucun code d'activation n'est nécessaire.`,
            "Connectez-vous avec votre adresse e-mail et votre mot de passe. Si vous l'avez oublié, cliquez sur « Mot de passe oublié ? » sur la page de connexion pour en choisir un nouveau.",
            "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.",
          ],
          action: { label: 'Se connecter', url: `${ctx.config.publicUrl}${info.base}` },
        }),
      );
    }
    state.codeId = issued.id;
    state.channel = channel;
    delete state.verifiedAt;
    await recordAudit(ctx.db, now, {
      event: 'activation_code_sent',
      accountId: state.existingAccountId,
      accountKind: info.kind,
      ip,
      userAgent,
      detail: {
        memberId: state.memberId,
        channel: realChannel,
        delivered: eligible,
        reason: eligible ? null : state.existingAccountId ? 'already_active' : 'unknown_email',
      },
    });
    res.redirectWithFlash(`${BASE}/code`, sentMessage(state, channel));
  };
}

const codeSchema = z.object({
  code: z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/\s/g, '') : ''),
    z
      .string()
      .min(1, { error: "Saisissez le code d'activation reçu." })
      .regex(/^\d{6}$/, { error: "Le code d'activation comporte 6 chiffres." }),
  ),
});

export function verifyCodeStep(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const state = loadState(ctx, req, res);
    if (!state) return;
    if (!state.codeId) {
      res.redirectWithFlash(`${BASE}/code`, "Choisissez d'abord le mode de réception, puis cliquez sur « Envoyer le code ».", 'info');
      return;
    }
    const now = ctx.clock();
    const ip = clientIp(req);
    const userAgent = req.get('user-agent');
    const parsed = parseForm(codeSchema, req.body);
    if (!parsed.ok) {
      await renderCodeStep(res, state, { status: 422, errors: parsed.errors });
      return;
    }
    // Counted before the code is compared, given back when it is right.
    const throttle = await reserveAttempt(ctx.db, throttleKey(req), throttleRules.lookupIp, now);
    if (!throttle.allowed) {
      res.set('Retry-After', String(throttle.retryAfterSeconds));
      await renderCodeStep(res, state, { status: 429, errors: { _form: waitMessage(throttle.retryAfterSeconds) } });
      return;
    }
    const result = await verifyCode(ctx.db, ctx.config.sessionSecret, now, state.codeId, parsed.data.code);
    // A decoy code never matches; the check on eligibility is a second lock on the same door.
    if (result.status !== 'ok' || !state.memberId || state.existingAccountId) {
      await recordAudit(ctx.db, now, {
        event: 'activation_code_failed',
        accountId: state.existingAccountId,
        accountKind: info.kind,
        ip,
        userAgent,
        detail: { memberId: state.memberId, reason: result.status },
      });
      const message = result.status === 'ok' ? codeErrorMessage({ status: 'used' }) : codeErrorMessage(result);
      await renderCodeStep(res, state, { status: 422, errors: { code: message } });
      return;
    }
    await refundAttempt(ctx.db, throttle.reservation);
    // codeId stays: typing the same code again answers « n'est plus valable » (single use).
    state.verifiedAt = now.toISOString();
    res.redirectWithFlash(`${BASE}/mot-de-passe`, 'Votre code est validé. Choisissez maintenant votre mot de passe.');
  };
}

// ------------------------------------------------------------------ 3. password
/** Only after a correct code, in the same session, within 15 minutes. */
function loadVerified(ctx: AppContext, req: Request, res: Response): MemberActivationState | null {
  const state = req.session.activation;
  const now = ctx.clock();
  const ok =
    state &&
    typeof state.verifiedAt === 'string' &&
    state.memberId &&
    !state.existingAccountId &&
    !expired(state, now) &&
    now.getTime() - Date.parse(state.verifiedAt) <= VERIFIED_MAX_MS;
  if (!ok) {
    if (state?.verifiedAt) delete req.session.activation;
    res.redirectWithFlash(
      BASE,
      "Pour choisir votre mot de passe, validez d'abord le code d'activation reçu. Commencez par saisir votre adresse e-mail.",
      'info',
    );
    return null;
  }
  return state;
}

export function showPasswordStep(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const state = loadVerified(ctx, req, res);
    if (!state) return;
    await renderPasswordStep(res, state);
  };
}

const passwordSchema = z.object({
  password: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string()),
  password_confirmation: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string()),
});

export function submitPasswordStep(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const state = loadVerified(ctx, req, res);
    if (!state) return;
    const member = await findMemberById(ctx.db, state.memberId!);
    if (!member) {
      delete req.session.activation;
      res.redirectWithFlash(BASE, "Votre demande d'activation n'est plus valable. Recommencez en saisissant votre adresse e-mail.", 'info');
      return;
    }
    const parsed = parseForm(passwordSchema, req.body);
    const { password, password_confirmation: confirmation } = parsed.ok ? parsed.data : { password: '', password_confirmation: '' };
    const errors = passwordErrors(password, confirmation, [member.first_name, member.last_name, state.email]);
    if (Object.keys(errors).length) {
      await renderPasswordStep(res, state, { status: 422, errors });
      return;
    }
    const now = ctx.clock();
    const accountId = await createMemberAccount(ctx.db, member, state.email, await hashPassword(password), now);
    delete req.session.activation;
    if (accountId === null) {
      // Activated meanwhile (another tab): this person proved they own the email, so saying it is fine.
      res.redirectWithFlash(info.base, 'Votre espace est déjà activé. Connectez-vous, ou utilisez « Mot de passe oublié ? » si nécessaire.', 'info');
      return;
    }
    await recordAudit(ctx.db, now, {
      event: 'activation',
      accountId,
      accountKind: info.kind,
      ip: clientIp(req),
      userAgent: req.get('user-agent'),
      detail: { memberId: member.id },
    });
    res.redirectWithFlash(info.base, MEMBER_ACTIVATION_SUCCESS);
  };
}

// Espace Assuré — Mes informations personnelles (SPEC §2.12, the silhouette icon): identity
// (read-only), address, email, mobile and bank details, each with its « Modifier » form.
// A new email or mobile takes effect only once the code sent to it is typed; changing the
// email, the mobile or the IBAN asks for the current password first (DOMAIN.md: re-authenticate
// before changing email, phone or bank details), throttled like the login.
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { PASSWORD_TEXTS } from '../../auth/password-pages.js';
import { requestOrigin } from '../../auth/session.js';
import { recordAudit } from '../../domain/audit.js';
import { codeErrorMessage, issueCode, verifyCode, CODE_TTL_MS } from '../../domain/codes.js';
import { brandedEmail } from '../../domain/email-templates.js';
import { formatIban, maskIban, validateBic, validateIban } from '../../domain/iban.js';
import { maskNir } from '../../domain/nir.js';
import { formatPhone, maskPhone, validateMobile } from '../../domain/phone.js';
import { validatePostalCode } from '../../domain/postal.js';
import { verifyPassword } from '../../domain/passwords.js';
import { checkThrottles, recordFailure, resetThrottle, throttleRules, waitMessage } from '../../domain/throttle.js';
import { emailField, keptValues, optionalText, parseForm, requiredText, type FieldErrors } from '../../validation.js';
import { memberIdOf } from '../member.js';
import {
  changeMemberEmail,
  changeMemberMobile,
  memberAccountUsingEmail,
  passwordHashOf,
  updateMemberAddress,
  updateMemberBankDetails,
} from './queries.js';

const BASE = '/assure/informations-personnelles';

export const PROFILE_TEXTS = {
  addressDone: 'Votre adresse a été modifiée.',
  emailDone: 'Votre adresse e-mail a été modifiée. Utilisez-la désormais pour vous connecter.',
  mobileDone: 'Votre numéro de téléphone mobile a été modifié.',
  ibanDone: 'Vos coordonnées bancaires ont été modifiées',
  emailSame: 'Cette adresse e-mail est déjà la vôtre.',
  emailTaken: 'Cette adresse e-mail est déjà utilisée par un autre compte. Choisissez-en une autre.',
  mobileSame: 'Ce numéro est déjà le vôtre.',
  codeFormat: 'Saisissez les 6 chiffres du code reçu.',
  noPending: 'Aucune modification en attente de confirmation : saisissez de nouveau la nouvelle valeur.',
  holderRequired: 'Le nom du titulaire du compte est obligatoire.',
} as const;

/** A requested email or mobile change, waiting for its code. */
interface PendingContactChange {
  value: string;
  codeId: number;
  requestedAt: string;
}

declare module 'express-session' {
  interface SessionData {
    profileEmailChange?: PendingContactChange;
    profileMobileChange?: PendingContactChange;
  }
}

const origin = requestOrigin;

// ------------------------------------------------------------------ re-authentication
/**
 * The current password, throttled on its own key with the login's growing delay: a stolen
 * session cannot guess it faster than the login page allows. Returns a field message or null.
 */
async function reauthenticate(ctx: AppContext, req: Request, res: Response, password: string): Promise<string | null> {
  const now = ctx.clock();
  const key = `reauth:account:${req.account!.id}`;
  const throttle = await checkThrottles(ctx.db, [key], now);
  if (!throttle.allowed) {
    res.set('Retry-After', String(throttle.retryAfterSeconds));
    return waitMessage(throttle.retryAfterSeconds);
  }
  if (!password) return PASSWORD_TEXTS.currentMissing;
  if (await verifyPassword(password, await passwordHashOf(ctx.db, req.account!.id))) {
    await resetThrottle(ctx.db, key);
    return null;
  }
  await recordFailure(ctx.db, key, throttleRules.loginAccount, now);
  return PASSWORD_TEXTS.currentWrong;
}

const passwordInput = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().max(1024, { error: 'Le mot de passe est trop long.' }));

// ------------------------------------------------------------------ overview
export function showProfile(_ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const m = req.member!;
    await res.renderPage({
      page: 'assure/profile',
      layout: 'assure',
      title: 'Mes informations personnelles',
      locals: {
        m,
        maskedNir: maskNir(m.nir),
        maskedIban: m.iban ? maskIban(m.iban) : null,
        pendingEmail: req.session.profileEmailChange?.value ?? null,
        pendingMobile: req.session.profileMobileChange ? formatPhone(req.session.profileMobileChange.value) : null,
      },
    });
  };
}

interface FormRender {
  status?: number;
  errors?: FieldErrors;
  values?: Record<string, string>;
  notice?: string;
}

// ------------------------------------------------------------------ adresse
const addressSchema = z.object({
  address_line1: requiredText("Saisissez l'adresse (numéro et voie).", 200),
  address_line2: optionalText(200),
  postal_code: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().max(20, { error: 'Le code postal est invalide.' })),
  city: requiredText('Saisissez la ville.', 100),
});

function renderAddress(req: Request, res: Response, options: FormRender = {}) {
  const m = req.member!;
  return res.renderPage({
    page: 'assure/profile-address',
    fragment: 'assure/profile-address-form',
    layout: 'assure',
    title: 'Modifier mon adresse',
    status: options.status,
    locals: {
      errors: options.errors,
      values: options.values ?? { address_line1: m.address_line1, address_line2: m.address_line2 ?? '', postal_code: m.postal_code, city: m.city },
    },
  });
}

export function showAddressForm(_ctx: AppContext) {
  return async (req: Request, res: Response) => {
    await renderAddress(req, res);
  };
}

export function saveAddress(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const parsed = parseForm(addressSchema, req.body);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    const postal = validatePostalCode(typeof req.body?.postal_code === 'string' ? req.body.postal_code : '');
    if (!postal.ok) errors.postal_code ??= postal.error;
    if (!parsed.ok || !postal.ok || Object.keys(errors).length) {
      // keptValues leaves out anything named like a code; a postal code is no secret.
      const values = { ...keptValues(req.body), postal_code: typeof req.body?.postal_code === 'string' ? req.body.postal_code : '' };
      await renderAddress(req, res, { status: 422, errors: ordered(errors, ['address_line1', 'address_line2', 'postal_code', 'city']), values });
      return;
    }
    const { address_line1, address_line2, city } = parsed.data;
    await updateMemberAddress(ctx.db, memberIdOf(req), { address_line1, address_line2: address_line2 || null, postal_code: postal.postalCode, city }, ctx.clock());
    res.redirectWithFlash(BASE, PROFILE_TEXTS.addressDone);
  };
}

/** Keys in page order, so the error summary follows the form. */
function ordered(errors: FieldErrors, order: string[]): FieldErrors {
  const out: FieldErrors = {};
  if (errors._form) out._form = errors._form;
  for (const key of order) if (errors[key]) out[key] = errors[key];
  for (const [key, value] of Object.entries(errors)) out[key] ??= value;
  return out;
}

// ------------------------------------------------------------------ e-mail and mobile (code to the new one)
type ContactKind = 'email' | 'mobile';

const CONTACT = {
  email: {
    path: `${BASE}/email`,
    title: 'Modifier mon adresse e-mail',
    sessionKey: 'profileEmailChange',
    field: 'email',
    label: 'Nouvelle adresse e-mail',
    type: 'email',
    autocomplete: 'email',
    inputmode: 'email',
    hint: 'Elle servira aussi à vous connecter. Un code de confirmation y sera envoyé.',
    codeLabel: 'Code reçu par e-mail',
  },
  mobile: {
    path: `${BASE}/mobile`,
    title: 'Modifier mon numéro de téléphone mobile',
    sessionKey: 'profileMobileChange',
    field: 'mobile',
    label: 'Nouveau numéro de téléphone mobile',
    type: 'tel',
    autocomplete: 'tel',
    inputmode: 'tel',
    hint: 'Exemple : 06 12 34 56 78. Il servira aussi à la double authentification. Un code de confirmation y sera envoyé par SMS.',
    codeLabel: 'Code reçu par SMS',
  },
} as const;

/** How long a requested change waits for its code (then the member starts again). */
const PENDING_MAX_MS = 6 * CODE_TTL_MS;

/** The pending change of the session, unless it is long dead. */
function pendingOf(req: Request, kind: ContactKind, now: Date): PendingContactChange | undefined {
  const key = CONTACT[kind].sessionKey;
  const pending = req.session[key];
  if (!pending) return undefined;
  if (now.getTime() - Date.parse(pending.requestedAt) > PENDING_MAX_MS) {
    delete req.session[key];
    return undefined;
  }
  return pending;
}

function shownValue(kind: ContactKind, value: string): string {
  return kind === 'email' ? value : formatPhone(value);
}

function renderContact(ctx: AppContext, req: Request, res: Response, kind: ContactKind, step: 'enter' | 'code', options: FormRender = {}) {
  const config = CONTACT[kind];
  const m = req.member!;
  const pending = pendingOf(req, kind, ctx.clock());
  const current = kind === 'email' ? m.email : m.mobile ? formatPhone(m.mobile) : null;
  return res.renderPage({
    page: 'assure/profile-contact',
    fragment: 'assure/profile-contact-form',
    layout: 'assure',
    title: config.title,
    status: options.status,
    locals: {
      kind,
      config,
      step,
      current,
      sentTo: pending ? shownValue(kind, pending.value) : null,
      pendingValue: pending?.value ?? '',
      errors: options.errors,
      values: options.values ?? {},
      notice: options.notice ?? null,
    },
  });
}

function showContactForm(ctx: AppContext, kind: ContactKind) {
  return async (req: Request, res: Response) => {
    // « Saisir une autre adresse » (?autre=1) shows the entry form even with a pending code.
    const step = pendingOf(req, kind, ctx.clock()) && req.query.autre === undefined ? 'code' : 'enter';
    await renderContact(ctx, req, res, kind, step);
  };
}

export const showEmailForm = (ctx: AppContext) => showContactForm(ctx, 'email');
export const showMobileForm = (ctx: AppContext) => showContactForm(ctx, 'mobile');

const emailRequestSchema = z.object({ email: emailField('Saisissez la nouvelle adresse e-mail.'), current_password: passwordInput });
const mobileRequestSchema = z.object({
  mobile: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().max(30, { error: 'Le numéro de téléphone mobile est invalide.' })),
  current_password: passwordInput,
});

/** Checks the new value; returns it normalised (lowercased email, E.164 mobile) or field errors. */
async function checkNewContact(ctx: AppContext, req: Request, kind: ContactKind): Promise<{ ok: true; value: string; password: string } | { ok: false; errors: FieldErrors }> {
  const m = req.member!;
  if (kind === 'email') {
    const parsed = parseForm(emailRequestSchema, req.body);
    if (!parsed.ok) return { ok: false, errors: parsed.errors };
    const { email, current_password } = parsed.data;
    if (email === m.email && email === req.account!.email) return { ok: false, errors: { email: PROFILE_TEXTS.emailSame } };
    if (await memberAccountUsingEmail(ctx.db, email, req.account!.id)) return { ok: false, errors: { email: PROFILE_TEXTS.emailTaken } };
    return { ok: true, value: email, password: current_password };
  }
  const parsed = parseForm(mobileRequestSchema, req.body);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const mobile = validateMobile(parsed.data.mobile);
  if (!mobile.ok) return { ok: false, errors: { mobile: mobile.error } };
  if (mobile.e164 === m.mobile && mobile.e164 === req.account!.mobile) return { ok: false, errors: { mobile: PROFILE_TEXTS.mobileSame } };
  return { ok: true, value: mobile.e164, password: parsed.data.current_password };
}

async function sendContactCode(ctx: AppContext, kind: ContactKind, destination: string, code: string): Promise<void> {
  const brand = ctx.config.brand;
  if (kind === 'email') {
    await ctx.outbox.sendEmail(
      brandedEmail(brand, destination, {
        subject: 'Confirmez votre nouvelle adresse e-mail',
        paragraphs: [
          `Vous avez demandé à utiliser cette adresse e-mail pour votre Espace Assuré ${brand.name}.`,
          "Pour confirmer, saisissez le code ci-dessous sur la page « Modifier mon adresse e-mail ». Il est valable 10 minutes. Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : rien ne sera modifié.",
        ],
        code,
      }),
    );
    return;
  }
  await ctx.outbox.sendSms(destination, `${brand.name} : votre code de confirmation de numéro de mobile est ${code}. Il est valable 10 minutes. Ne le communiquez à personne.`);
}

function requestContactChange(ctx: AppContext, kind: ContactKind) {
  return async (req: Request, res: Response) => {
    const config = CONTACT[kind];
    const checked = await checkNewContact(ctx, req, kind);
    const password = typeof req.body?.current_password === 'string' ? req.body.current_password : '';
    // The password is checked even when the new value is wrong, so both messages show at once.
    const errors: FieldErrors = checked.ok ? {} : { ...checked.errors };
    // « Renvoyer un code » for the change already asked (and re-authenticated) in this session.
    const pending = pendingOf(req, kind, ctx.clock());
    const resend = req.body?.renvoyer === '1' && checked.ok && pending?.value === checked.value;
    const reauth = resend ? null : await reauthenticate(ctx, req, res, password);
    if (reauth) errors.current_password = reauth;
    if (!checked.ok || reauth) {
      const status = res.get('Retry-After') ? 429 : 422;
      await renderContact(ctx, req, res, kind, 'enter', { status, errors: ordered(errors, [config.field, 'current_password']), values: keptValues(req.body) });
      return;
    }
    const now = ctx.clock();
    const issued = await issueCode(ctx.db, ctx.config.sessionSecret, now, {
      purpose: kind === 'email' ? 'email_change' : 'contact_change',
      accountId: req.account!.id,
      memberId: memberIdOf(req),
      channel: kind === 'email' ? 'email' : 'sms',
      destination: checked.value,
      context: { [kind]: checked.value },
    });
    if (!issued.ok) {
      res.set('Retry-After', String(issued.retryAfterSeconds));
      const message = `Un code vient d'être envoyé. Vous pourrez en demander un nouveau dans ${issued.retryAfterSeconds} seconde${issued.retryAfterSeconds > 1 ? 's' : ''}.`;
      await renderContact(ctx, req, res, kind, pendingOf(req, kind, now) ? 'code' : 'enter', { status: 429, errors: { _form: message }, values: keptValues(req.body) });
      return;
    }
    await sendContactCode(ctx, kind, checked.value, issued.code);
    if (kind === 'mobile') {
      await recordAudit(ctx.db, now, { event: 'phone_change_code_sent', accountId: req.account!.id, accountKind: req.account!.kind, ...origin(req), detail: { channel: 'sms' } });
    }
    req.session[config.sessionKey] = { value: checked.value, codeId: issued.id, requestedAt: now.toISOString() };
    const notice = kind === 'email' ? `Un code de confirmation a été envoyé à ${checked.value}.` : `Un code de confirmation a été envoyé par SMS au ${maskPhone(checked.value)}.`;
    if (req.isHtmx) {
      await renderContact(ctx, req, res, kind, 'code', { notice });
      return;
    }
    res.redirectWithFlash(config.path, notice, 'info');
  };
}

export const requestEmailChange = (ctx: AppContext) => requestContactChange(ctx, 'email');
export const requestMobileChange = (ctx: AppContext) => requestContactChange(ctx, 'mobile');

const codeSchema = z.object({
  code: z.preprocess((v) => (typeof v === 'string' ? v.replace(/\s/g, '') : ''), z.string().regex(/^\d{6}$/, { error: PROFILE_TEXTS.codeFormat })),
});

function confirmContactChange(ctx: AppContext, kind: ContactKind) {
  return async (req: Request, res: Response) => {
    const config = CONTACT[kind];
    const now = ctx.clock();
    const pending = pendingOf(req, kind, now);
    if (!pending) {
      await renderContact(ctx, req, res, kind, 'enter', { status: 422, errors: { _form: PROFILE_TEXTS.noPending } });
      return;
    }
    const parsed = parseForm(codeSchema, req.body);
    if (!parsed.ok) {
      await renderContact(ctx, req, res, kind, 'code', { status: 422, errors: parsed.errors });
      return;
    }
    const result = await verifyCode(ctx.db, ctx.config.sessionSecret, now, pending.codeId, parsed.data.code);
    if (result.status !== 'ok') {
      await renderContact(ctx, req, res, kind, 'code', { status: 422, errors: { code: codeErrorMessage(result) } });
      return;
    }
    // The code row says which value it was sent to: the session cannot swap it afterwards.
    const value = result.context[kind];
    if (typeof value !== 'string' || value !== pending.value) {
      await renderContact(ctx, req, res, kind, 'code', { status: 422, errors: { code: codeErrorMessage({ status: 'unknown' }) } });
      return;
    }
    const memberId = memberIdOf(req);
    const account = req.account!;
    const oldEmail = req.member!.email ?? account.email;
    if (kind === 'email') {
      if (await memberAccountUsingEmail(ctx.db, value, account.id)) {
        delete req.session[config.sessionKey];
        await renderContact(ctx, req, res, kind, 'enter', { status: 409, errors: { email: PROFILE_TEXTS.emailTaken }, values: { email: value } });
        return;
      }
      try {
        await changeMemberEmail(ctx.db, memberId, account.id, value, now);
      } catch {
        // Another account took the address between the check and the update (unique kind+email).
        delete req.session[config.sessionKey];
        await renderContact(ctx, req, res, kind, 'enter', { status: 409, errors: { email: PROFILE_TEXTS.emailTaken }, values: { email: value } });
        return;
      }
      // Only the domains: enough to tell changes apart without writing the address in the log.
      const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1);
      await recordAudit(ctx.db, now, { event: 'email_changed', accountId: account.id, accountKind: account.kind, ...origin(req), detail: { from: domainOf(oldEmail), to: domainOf(value) } });
    } else {
      await changeMemberMobile(ctx.db, memberId, account.id, value, now);
      await recordAudit(ctx.db, now, { event: 'phone_changed', accountId: account.id, accountKind: account.kind, ...origin(req), detail: { source: 'profile' } });
    }
    delete req.session[config.sessionKey];
    await notifyChange(ctx, oldEmail, req.member!.first_name, kind === 'email' ? 'email' : 'mobile', now, kind === 'email' ? value : maskPhone(value));
    res.redirectWithFlash(BASE, kind === 'email' ? PROFILE_TEXTS.emailDone : PROFILE_TEXTS.mobileDone);
  };
}

export const confirmEmailChange = (ctx: AppContext) => confirmContactChange(ctx, 'email');
export const confirmMobileChange = (ctx: AppContext) => confirmContactChange(ctx, 'mobile');

/** Tells the member (at the address they had until now) that their details changed. */
async function notifyChange(ctx: AppContext, to: string | null, firstName: string, what: 'email' | 'mobile' | 'iban', now: Date, shown: string): Promise<void> {
  if (!to) return;
  const brand = ctx.config.brand;
  const subjects = {
    email: 'Votre adresse e-mail a été modifiée',
    mobile: 'Votre numéro de téléphone mobile a été modifié',
    iban: 'Vos coordonnées bancaires ont été modifiées',
  };
  const facts = {
    email: `L'adresse e-mail de votre Espace Assuré ${brand.name} a été remplacée par ${shown}. C'est désormais elle qui vous permet de vous connecter ; cette adresse-ci ne recevra plus nos messages.`,
    mobile: `Le numéro de téléphone mobile de votre Espace Assuré ${brand.name} a été remplacé par le ${shown}.`,
    iban: `Le compte bancaire sur lequel nous versons vos remboursements a été remplacé par le compte ${shown}.`,
  };
  const day = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' }).format(now);
  await ctx.outbox.sendEmail(
    brandedEmail(brand, to, {
      subject: subjects[what],
      greeting: `Bonjour ${firstName},`,
      paragraphs: [
        `${facts[what]} (modification du ${day}).`,
        `Si vous n'êtes pas à l'origine de cette modification, appelez-nous sans attendre au ${brand.help.phone} (${brand.help.hours}) et modifiez votre mot de passe.`,
      ],
    }),
  );
}

// ------------------------------------------------------------------ coordonnées bancaires
const ibanSchema = z.object({
  iban: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().max(60, { error: "L'IBAN est invalide." })),
  bic: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().max(20, { error: 'Le code BIC est invalide.' })),
  iban_holder: requiredText(PROFILE_TEXTS.holderRequired, 200),
  current_password: passwordInput,
});

function renderIban(req: Request, res: Response, options: FormRender = {}) {
  const m = req.member!;
  return res.renderPage({
    page: 'assure/profile-iban',
    fragment: 'assure/profile-iban-form',
    layout: 'assure',
    title: 'Modifier mes coordonnées bancaires',
    status: options.status,
    locals: {
      errors: options.errors,
      maskedIban: m.iban ? maskIban(m.iban) : null,
      // The current IBAN is never put back in the form: only what the member typed.
      values: options.values ?? { iban: '', bic: '', iban_holder: m.iban_holder ?? `${m.first_name} ${m.last_name}` },
    },
  });
}

export function showIbanForm(_ctx: AppContext) {
  return async (req: Request, res: Response) => {
    await renderIban(req, res);
  };
}

export function saveIban(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const parsed = parseForm(ibanSchema, req.body);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    const body = (req.body ?? {}) as Record<string, unknown>;
    const iban = validateIban(typeof body.iban === 'string' ? body.iban : '');
    if (!iban.ok) errors.iban ??= iban.error;
    const rawBic = typeof body.bic === 'string' ? body.bic.trim() : '';
    const bic = rawBic ? validateBic(rawBic) : null;
    if (bic && !bic.ok) errors.bic ??= bic.error;
    const reauth = await reauthenticate(ctx, req, res, typeof body.current_password === 'string' ? body.current_password : '');
    if (reauth) errors.current_password = reauth;
    if (!parsed.ok || !iban.ok || (bic && !bic.ok) || Object.keys(errors).length) {
      const status = res.get('Retry-After') ? 429 : 422;
      await renderIban(req, res, { status, errors: ordered(errors, ['iban', 'bic', 'iban_holder', 'current_password']), values: keptValues(req.body) });
      return;
    }
    const now = ctx.clock();
    const account = req.account!;
    await updateMemberBankDetails(ctx.db, memberIdOf(req), { iban: iban.iban, bic: bic?.ok ? bic.bic : null, iban_holder: parsed.data.iban_holder }, now);
    // Never the IBAN itself in the audit log: the country is enough to tell changes apart.
    await recordAudit(ctx.db, now, { event: 'iban_changed', accountId: account.id, accountKind: account.kind, ...origin(req), detail: { country: iban.iban.slice(0, 2) } });
    await notifyChange(ctx, req.member!.email ?? account.email, req.member!.first_name, 'iban', now, maskIban(iban.iban));
    res.redirectWithFlash(BASE, `${PROFILE_TEXTS.ibanDone} : ${formatIban(iban.iban)}.`);
  };
}

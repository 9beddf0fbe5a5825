// Changing one's own email or mobile, in either space (Espace Assuré « Mes informations
// personnelles », Espace Entreprise « Mon profil »). The new value takes effect only once the
// code sent to it is typed; asking for the code needs the current password first (see
// docs/domain.md#re-authentication), throttled like the login.
// Each space says where its pages live and what a change updates besides the account.
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { isUniqueViolation, type Db } from '../db.js';
import { recordAudit } from '../stores/audit.js';
import { codeErrorMessage, CODE_TTL_MS } from '../domain/codes.js';
import { issueCode, verifyCode } from '../stores/codes.js';
import { brandedEmail } from '../domain/email-templates.js';
import { formatPhone, maskPhone } from '../domain/phone.js';
import { verifyPassword } from '../domain/passwords.js';
import { throttleRules, waitMessage } from '../domain/throttle.js';
import { refundAttempt, reserveAttempt, resetThrottle } from '../stores/throttle.js';
import { emailField, keptValues, mobileField, orderedErrors, parseForm, type FieldErrors } from '../validation.js';
import { PASSWORD_TEXTS } from './password-pages.js';
import { emailUsedByAnotherAccount, passwordHashOf } from './queries.js';
import { requestOrigin } from './session.js';
import { formatDateTimeFr } from '../domain/dates.js';

const CONTACT_TEXTS = {
  emailDone: 'Votre adresse e-mail a été modifiée. Utilisez-la désormais pour vous connecter.',
  mobileDone: 'Votre numéro de téléphone mobile a été modifié.',
  emailSame: 'Cette adresse e-mail est déjà la vôtre.',
  emailTaken: 'Cette adresse e-mail est déjà utilisée par un autre compte. Choisissez-en une autre.',
  mobileSame: 'Ce numéro est déjà le vôtre.',
  codeFormat: 'Saisissez les 6 chiffres du code reçu.',
  noPending: 'Aucune modification en attente de confirmation : saisissez de nouveau la nouvelle valeur.',
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

/** What differs between the spaces. */
export interface ContactSpace {
  /** The profile overview, where a done change leads back. */
  base: string;
  /** Its title, for the « Retour à … » link. */
  baseTitle: string;
  layout: 'assure' | 'entreprise';
  /** « Espace Assuré », « Espace Entreprise »: named in the emails. */
  spaceName: string;
  /** The person's current contact details and first name (for the notice email). */
  current(req: Request): { email: string | null; mobile: string | null; firstName: string };
  /** Ties the code to a member file, where there is one. */
  memberId?(req: Request): number;
  /** Saves the new login email (and whatever else holds it); throws if the address is taken. */
  saveEmail(db: Db, req: Request, email: string, now: Date): Promise<void>;
  saveMobile(db: Db, req: Request, mobile: string, now: Date): Promise<void>;
}

type ContactKind = 'email' | 'mobile';

// ------------------------------------------------------------------ re-authentication
/**
 * The current password, throttled on its own key with the login's growing delay: a stolen
 * session cannot guess it faster than the login page allows. Returns a field message or null.
 */
export async function reauthenticate(ctx: AppContext, req: Request, res: Response, password: string): Promise<string | null> {
  const now = ctx.clock();
  const key = `reauth:account:${req.account!.id}`;
  // Counted before the password is checked (requests sent together cannot all be checked).
  const throttle = await reserveAttempt(ctx.db, key, throttleRules.loginAccount, now);
  if (!throttle.allowed) {
    res.set('Retry-After', String(throttle.retryAfterSeconds));
    return waitMessage(throttle.retryAfterSeconds);
  }
  if (!password) {
    await refundAttempt(ctx.db, throttle.reservation);
    return PASSWORD_TEXTS.currentMissing;
  }
  if (await verifyPassword(password, await passwordHashOf(ctx.db, req.account!.id))) {
    await resetThrottle(ctx.db, key);
    return null;
  }
  return PASSWORD_TEXTS.currentWrong;
}

export const passwordInput = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().max(1024, { error: 'Le mot de passe est trop long.' }));

/** How long a requested change waits for its code (then the person starts again). */
const PENDING_MAX_MS = 6 * CODE_TTL_MS;

const SESSION_KEYS = { email: 'profileEmailChange', mobile: 'profileMobileChange' } as const;

/** The pending change of the session, unless it is long dead. */
export function pendingContactChange(req: Request, kind: ContactKind, now: Date): PendingContactChange | undefined {
  const key = SESSION_KEYS[kind];
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

const emailRequestSchema = z.object({ email: emailField('Saisissez la nouvelle adresse e-mail.'), current_password: passwordInput });
const mobileRequestSchema = z.object({
  mobile: mobileField({ max: 30 }),
  current_password: passwordInput,
});
const codeSchema = z.object({
  code: z.preprocess((v) => (typeof v === 'string' ? v.replace(/\s/g, '') : ''), z.string().regex(/^\d{6}$/, { error: CONTACT_TEXTS.codeFormat })),
});

interface FormRender {
  status?: number;
  errors?: FieldErrors;
  values?: Record<string, string>;
  notice?: string;
}

/** The six handlers (show, ask for a code, confirm; for the email and for the mobile) of one space. */
export function contactChangePages(space: ContactSpace) {
  const config = {
    email: {
      path: `${space.base}/email`,
      title: 'Modifier mon adresse e-mail',
      field: 'email',
      label: 'Nouvelle adresse e-mail',
      type: 'email',
      autocomplete: 'email',
      inputmode: 'email',
      hint: 'Elle servira aussi à vous connecter. Un code de confirmation y sera envoyé.',
      codeLabel: 'Code reçu par e-mail',
    },
    mobile: {
      path: `${space.base}/mobile`,
      title: 'Modifier mon numéro de téléphone mobile',
      field: 'mobile',
      label: 'Nouveau numéro de téléphone mobile',
      type: 'tel',
      autocomplete: 'tel',
      inputmode: 'tel',
      hint: 'Exemple : 06 12 34 56 78. Il servira aussi à la double authentification. Un code de confirmation y sera envoyé par SMS.',
      codeLabel: 'Code reçu par SMS',
    },
  } as const;

  function render(ctx: AppContext, req: Request, res: Response, kind: ContactKind, step: 'enter' | 'code', options: FormRender = {}) {
    const current = space.current(req);
    const pending = pendingContactChange(req, kind, ctx.clock());
    return res.renderPage({
      page: 'profile-contact',
      fragment: 'profile-contact-form',
      layout: space.layout,
      title: config[kind].title,
      status: options.status,
      locals: {
        kind,
        config: config[kind],
        back: space.base,
        backTitle: space.baseTitle,
        step,
        current: kind === 'email' ? current.email : current.mobile ? formatPhone(current.mobile) : null,
        sentTo: pending ? shownValue(kind, pending.value) : null,
        pendingValue: pending?.value ?? '',
        errors: options.errors,
        values: options.values ?? {},
        notice: options.notice ?? null,
      },
    });
  }

  /** Checks the new value; returns it normalised (lowercased email, E.164 mobile) or field errors. */
  async function checkNewValue(_ctx: AppContext, req: Request, kind: ContactKind): Promise<{ ok: true; value: string } | { ok: false; errors: FieldErrors }> {
    const current = space.current(req);
    if (kind === 'email') {
      const parsed = parseForm(emailRequestSchema, req.body);
      if (!parsed.ok) return { ok: false, errors: parsed.errors };
      const { email } = parsed.data;
      if (email === current.email && email === req.account!.email) return { ok: false, errors: { email: CONTACT_TEXTS.emailSame } };
      return { ok: true, value: email };
    }
    const parsed = parseForm(mobileRequestSchema, req.body);
    if (!parsed.ok) return { ok: false, errors: parsed.errors };
    const { mobile } = parsed.data;
    if (mobile === current.mobile && mobile === req.account!.mobile) return { ok: false, errors: { mobile: CONTACT_TEXTS.mobileSame } };
    return { ok: true, value: mobile };
  }

  async function sendCode(ctx: AppContext, kind: ContactKind, destination: string, code: string): Promise<void> {
    const brand = ctx.config.brand;
    if (kind === 'email') {
      await ctx.outbox.sendEmail(
        brandedEmail(brand, destination, {
          space: space.layout,
          subject: 'Confirmez votre nouvelle adresse e-mail',
          paragraphs: [
            `Vous avez demandé à utiliser cette adresse e-mail pour votre ${space.spaceName} ${brand.name}.`,
            "Pour confirmer, saisissez le code ci-dessous sur la page « Modifier mon adresse e-mail ». Il est valable 10 minutes. Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : rien ne sera modifié.",
          ],
          code,
        }),
      );
      return;
    }
    await ctx.outbox.sendSms(
      destination,
      `${brand.name} : votre code de confirmation de numéro de mobile est ${code}. Il est valable 10 minutes. Ne le communiquez à personne.`,
    );
  }

  const show = (ctx: AppContext, kind: ContactKind) => async (req: Request, res: Response) => {
    // « Saisir une autre adresse » (?autre=1) shows the entry form even with a pending code.
    const step = pendingContactChange(req, kind, ctx.clock()) && req.query.autre === undefined ? 'code' : 'enter';
    await render(ctx, req, res, kind, step);
  };

  const request = (ctx: AppContext, kind: ContactKind) => async (req: Request, res: Response) => {
    const checked = await checkNewValue(ctx, req, kind);
    const password = typeof req.body?.current_password === 'string' ? req.body.current_password : '';
    // The password is checked even when the new value is wrong, so both messages show at once.
    const errors: FieldErrors = checked.ok ? {} : { ...checked.errors };
    // « Renvoyer un code » for the change already asked (and re-authenticated) in this session.
    const pending = pendingContactChange(req, kind, ctx.clock());
    const resend = req.body?.renvoyer === '1' && checked.ok && pending?.value === checked.value;
    const reauth = resend ? null : await reauthenticate(ctx, req, res, password);
    if (reauth) errors.current_password = reauth;
    // Whether an address belongs to another account is said only after the password is proved:
    // a stolen session must not be able to test addresses for free.
    if (checked.ok && !reauth && kind === 'email' && (await emailUsedByAnotherAccount(ctx.db, req.account!.kind, checked.value, req.account!.id))) {
      errors.email = CONTACT_TEXTS.emailTaken;
    }
    if (!checked.ok || reauth || errors.email) {
      const status = res.get('Retry-After') ? 429 : 422;
      await render(ctx, req, res, kind, 'enter', {
        status,
        errors: orderedErrors(errors, [config[kind].field, 'current_password']),
        values: keptValues(req.body),
      });
      return;
    }
    const now = ctx.clock();
    const issued = await issueCode(ctx.db, ctx.config.sessionSecret, now, {
      purpose: kind === 'email' ? 'email_change' : 'contact_change',
      accountId: req.account!.id,
      memberId: space.memberId?.(req),
      channel: kind === 'email' ? 'email' : 'sms',
      destination: checked.value,
      context: { [kind]: checked.value },
    });
    if (!issued.ok) {
      res.set('Retry-After', String(issued.retryAfterSeconds));
      const message = `Un code vient d'être envoyé. Vous pourrez en demander un nouveau dans ${issued.retryAfterSeconds} seconde${issued.retryAfterSeconds > 1 ? 's' : ''}.`;
      await render(ctx, req, res, kind, pendingContactChange(req, kind, now) ? 'code' : 'enter', {
        status: 429,
        errors: { _form: message },
        values: keptValues(req.body),
      });
      return;
    }
    await sendCode(ctx, kind, checked.value, issued.code);
    if (kind === 'mobile') {
      await recordAudit(ctx.db, now, {
        event: 'phone_change_code_sent',
        accountId: req.account!.id,
        accountKind: req.account!.kind,
        ...requestOrigin(req),
        detail: { channel: 'sms' },
      });
    }
    req.session[SESSION_KEYS[kind]] = { value: checked.value, codeId: issued.id, requestedAt: now.toISOString() };
    const notice =
      kind === 'email'
        ? `Un code de confirmation a été envoyé à ${checked.value}.`
        : `Un code de confirmation a été envoyé par SMS au ${maskPhone(checked.value)}.`;
    if (req.isHtmx) {
      await render(ctx, req, res, kind, 'code', { notice });
      return;
    }
    res.redirectWithFlash(config[kind].path, notice, 'info');
  };

  const confirm = (ctx: AppContext, kind: ContactKind) => async (req: Request, res: Response) => {
    const now = ctx.clock();
    const pending = pendingContactChange(req, kind, now);
    if (!pending) {
      await render(ctx, req, res, kind, 'enter', { status: 422, errors: { _form: CONTACT_TEXTS.noPending } });
      return;
    }
    const parsed = parseForm(codeSchema, req.body);
    if (!parsed.ok) {
      await render(ctx, req, res, kind, 'code', { status: 422, errors: parsed.errors });
      return;
    }
    const result = await verifyCode(ctx.db, ctx.config.sessionSecret, now, pending.codeId, parsed.data.code);
    if (result.status !== 'ok') {
      await render(ctx, req, res, kind, 'code', { status: 422, errors: { code: codeErrorMessage(result) } });
      return;
    }
    // The code row says which value it was sent to: the session cannot swap it afterwards.
    const value = result.context[kind];
    if (typeof value !== 'string' || value !== pending.value) {
      await render(ctx, req, res, kind, 'code', { status: 422, errors: { code: codeErrorMessage({ status: 'unknown' }) } });
      return;
    }
    const account = req.account!;
    const before = space.current(req);
    const oldEmail = before.email ?? account.email;
    if (kind === 'email') {
      const taken = () => {
        delete req.session[SESSION_KEYS.email];
        return render(ctx, req, res, kind, 'enter', { status: 409, errors: { email: CONTACT_TEXTS.emailTaken }, values: { email: value } });
      };
      if (await emailUsedByAnotherAccount(ctx.db, account.kind, value, account.id)) return taken();
      try {
        await space.saveEmail(ctx.db, req, value, now);
      } catch (err) {
        // Another account took the address between the check and the update (unique kind+email).
        if (isUniqueViolation(err)) return taken();
        throw err;
      }
      // Only the domains: enough to tell changes apart without writing the address in the log.
      const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1);
      await recordAudit(ctx.db, now, {
        event: 'email_changed',
        accountId: account.id,
        accountKind: account.kind,
        ...requestOrigin(req),
        detail: { from: domainOf(oldEmail), to: domainOf(value) },
      });
    } else {
      await space.saveMobile(ctx.db, req, value, now);
      await recordAudit(ctx.db, now, {
        event: 'phone_changed',
        accountId: account.id,
        accountKind: account.kind,
        ...requestOrigin(req),
        detail: { source: 'profile' },
      });
    }
    delete req.session[SESSION_KEYS[kind]];
    await notifyContactChange(ctx, space, oldEmail, before.firstName, kind, now, kind === 'email' ? value : maskPhone(value));
    res.redirectWithFlash(space.base, kind === 'email' ? CONTACT_TEXTS.emailDone : CONTACT_TEXTS.mobileDone);
  };

  return {
    showEmailForm: (ctx: AppContext) => show(ctx, 'email'),
    showMobileForm: (ctx: AppContext) => show(ctx, 'mobile'),
    requestEmailChange: (ctx: AppContext) => request(ctx, 'email'),
    requestMobileChange: (ctx: AppContext) => request(ctx, 'mobile'),
    confirmEmailChange: (ctx: AppContext) => confirm(ctx, 'email'),
    confirmMobileChange: (ctx: AppContext) => confirm(ctx, 'mobile'),
  };
}

const NOTICE_SUBJECTS = {
  email: 'Votre adresse e-mail a été modifiée',
  mobile: 'Votre numéro de téléphone mobile a été modifié',
  iban: 'Vos coordonnées bancaires ont été modifiées',
};

/** Tells the person (at the address they had until now) that their details changed. */
export async function notifyContactChange(
  ctx: AppContext,
  space: Pick<ContactSpace, 'spaceName' | 'layout'>,
  to: string | null,
  firstName: string,
  what: 'email' | 'mobile' | 'iban',
  now: Date,
  shown: string,
): Promise<void> {
  if (!to) return;
  const brand = ctx.config.brand;
  const where = `de votre ${space.spaceName} ${brand.name}`;
  const facts = {
    email: `L'adresse e-mail ${where} a été remplacée par ${shown}. C'est désormais elle qui vous permet de vous connecter ; cette adresse-ci ne recevra plus nos messages.`,
    mobile: `Le numéro de téléphone mobile ${where} a été remplacé par le ${shown}.`,
    iban: `Le compte bancaire sur lequel nous versons vos remboursements a été remplacé par le compte ${shown}.`,
  };
  const day = formatDateTimeFr(now);
  await ctx.outbox.sendEmail(
    brandedEmail(brand, to, {
      space: space.layout,
      subject: NOTICE_SUBJECTS[what],
      greeting: `Bonjour ${firstName},`,
      paragraphs: [
        `${facts[what]} (modification du ${day}).`,
        `Si vous n'êtes pas à l'origine de cette modification, appelez-nous sans attendre au ${brand.help.phone} (${brand.help.hours}) et modifiez votre mot de passe.`,
      ],
    }),
  );
}

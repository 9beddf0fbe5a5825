// HR activation — « Activer mon espace » → « Créer mon compte » (Espace Entreprise guide « Première connexion »):
// Identification (SIRET + identifiant entreprise + « Je ne suis pas un robot ») › Création de
// compte RH (name, email = login, mobile) › Mot de passe (and the CGU). The first account of a
// company becomes its Administrateur; later ones are Utilisateur and the administrators are told.
//
// What the steps collect is kept in the server-side session, so « Précédent » and the browser's
// back button never lose what was typed. Nothing is written before the last step, and the last
// step never tells whether an account already exists for the email (an email tells its owner).
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { antiRobotMessage, checkAnswer, createChallenge, type StoredChallenge } from '../domain/anti-robot.js';
import { spendChallenge } from '../stores/anti-robot.js';
import { recordAudit } from '../stores/audit.js';
import { brandedEmail } from '../domain/email-templates.js';
import { hashPassword } from '../domain/passwords.js';
import { formatPhone } from '../domain/phone.js';
import { formatSiret } from '../domain/siret.js';
import { mentions } from '../domain/text.js';
import { throttleRules, waitMessage, type ThrottleState } from '../domain/throttle.js';
import { checkThrottles, refundAttempt, reserveAttempt } from '../stores/throttle.js';
import { emailField, mobileField, parseForm, requiredText, siretField, type FieldErrors } from '../validation.js';
import { passwordErrors } from '../domain/password-policy.js';
import { doors } from './doors.js';
import { createHrAccount, findEstablishment, findEstablishmentByPair, type EstablishmentMatch } from './activation-queries.js';
import { clientIp } from './session.js';

const info = doors.entreprise;
const BASE = '/entreprise/activation';
const TITLE = 'Créer mon compte';
const STATE_MAX_MS = 60 * 60_000;
const ROBOT_KEY = 'hr-activation';

export const PAIR_MISMATCH =
  "Le numéro de SIRET et l'identifiant entreprise ne correspondent à aucun établissement connu. Vérifiez-les ou rapprochez-vous de l'assureur du contrat.";
export const HR_ACTIVATION_SUCCESS = 'Votre compte est créé. Connectez-vous avec votre adresse e-mail et le mot de passe choisi.';

export interface HrIdentity {
  lastName: string;
  firstName: string;
  email: string;
  /** As typed, to fill the form again. */
  mobile: string;
  mobileE164: string;
}

export interface HrActivationState {
  startedAt: string;
  /** What was typed at the identification step (filled back on « Précédent »). */
  typed?: { siret: string; identifiant: string };
  establishmentId?: number;
  identity?: HrIdentity;
}

declare module 'express-session' {
  interface SessionData {
    hrActivation?: HrActivationState;
    /** Pending « Je ne suis pas un robot » questions, by form. */
    antiRobot?: Record<string, StoredChallenge>;
  }
}

// ------------------------------------------------------------------ helpers
const steps = ['Identification', 'Création de compte RH', 'Mot de passe'];

function pageLocals(step: 'identification' | 'account' | 'password', extra: Record<string, unknown>) {
  return {
    door: info.door,
    spaceName: info.spaceName,
    step,
    steps,
    currentStep: { identification: 0, account: 1, password: 2 }[step],
    base: BASE,
    values: {},
    errors: undefined,
    ...extra,
  };
}

function currentState(ctx: AppContext, req: Request): HrActivationState | undefined {
  const state = req.session.hrActivation;
  if (!state || typeof state.startedAt !== 'string') return undefined;
  if (ctx.clock().getTime() - Date.parse(state.startedAt) > STATE_MAX_MS) {
    delete req.session.hrActivation;
    return undefined;
  }
  return state;
}

/** A new question for every display of the identification form (single use, see anti-robot.ts). */
function newQuestion(ctx: AppContext, req: Request): string {
  const challenge = createChallenge(ctx.config.sessionSecret, ctx.clock());
  req.session.antiRobot = { ...(req.session.antiRobot ?? {}), [ROBOT_KEY]: challenge.stored };
  return challenge.question;
}

function renderIdentification(
  ctx: AppContext,
  req: Request,
  res: Response,
  extra: { values?: Record<string, string>; errors?: FieldErrors; status?: number } = {},
) {
  return res.renderPage({
    page: 'auth/activation-hr',
    fragment: 'auth/activation-hr-identification',
    title: TITLE,
    status: extra.status,
    locals: pageLocals('identification', { values: extra.values ?? {}, errors: extra.errors, robotQuestion: newQuestion(ctx, req) }),
  });
}

function establishmentLocals(establishment: EstablishmentMatch) {
  return {
    siretDisplay: formatSiret(establishment.siret),
    companyNumber: establishment.insurer_company_number,
    establishmentName: establishment.establishment_name,
  };
}

function renderAccount(
  res: Response,
  establishment: EstablishmentMatch,
  extra: { values?: Record<string, string>; errors?: FieldErrors; status?: number } = {},
) {
  return res.renderPage({
    page: 'auth/activation-hr',
    fragment: 'auth/activation-hr-account',
    title: TITLE,
    status: extra.status,
    locals: pageLocals('account', { ...establishmentLocals(establishment), values: extra.values ?? {}, errors: extra.errors }),
  });
}

function renderPassword(
  res: Response,
  establishment: EstablishmentMatch,
  identity: HrIdentity,
  extra: { errors?: FieldErrors; status?: number; cgu?: boolean } = {},
) {
  return res.renderPage({
    page: 'auth/activation-hr',
    fragment: 'auth/activation-hr-password',
    title: TITLE,
    status: extra.status,
    locals: pageLocals('password', {
      ...establishmentLocals(establishment),
      identity: { ...identity, mobileDisplay: formatPhone(identity.mobileE164) },
      cguChecked: extra.cgu ?? false,
      errors: extra.errors,
    }),
  });
}

function restart(res: Response, message = 'Pour créer votre compte, commencez par identifier votre établissement.') {
  res.redirectWithFlash(`${BASE}/identification`, message, 'info');
}

/** The establishment chosen at step 1 (still known), or a redirect to step 1. */
async function loadEstablishment(
  ctx: AppContext,
  req: Request,
  res: Response,
): Promise<{ state: HrActivationState; establishment: EstablishmentMatch } | null> {
  const state = currentState(ctx, req);
  if (!state?.establishmentId) {
    restart(res);
    return null;
  }
  const establishment = await findEstablishment(ctx.db, state.establishmentId);
  if (!establishment) {
    delete state.establishmentId;
    restart(res, "Cet établissement n'est plus disponible. Identifiez à nouveau votre établissement.");
    return null;
  }
  return { state, establishment };
}

function bodyString(req: Request, name: string): string {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

// ------------------------------------------------------------------ intro
export function showIntro(_ctx: AppContext) {
  return async (_req: Request, res: Response) => {
    await res.renderPage({
      page: 'auth/activation-hr-intro',
      title: 'Activer mon espace',
      locals: { door: info.door, spaceName: info.spaceName, base: BASE },
    });
  };
}

// ------------------------------------------------------------------ 1. identification
export function showIdentification(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const state = currentState(ctx, req);
    await renderIdentification(ctx, req, res, { values: state?.typed ?? {} });
  };
}

const identificationSchema = z.object({
  siret: siretField(),
  identifiant: requiredText("Saisissez l'identifiant entreprise.", 20),
  robot: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().max(40, { error: "La réponse n'est pas correcte." })),
});

export function submitIdentification(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const now = ctx.clock();
    const values = { siret: bodyString(req, 'siret').slice(0, 40), identifiant: bodyString(req, 'identifiant').slice(0, 40) };
    // Single use: whatever happens next, this question has been spent.
    const challenge = req.session.antiRobot?.[ROBOT_KEY];
    if (req.session.antiRobot) delete req.session.antiRobot[ROBOT_KEY];

    const key = `activation:hr:ip:${clientIp(req)}`;
    const refuse = async (throttle: ThrottleState) => {
      res.set('Retry-After', String(throttle.retryAfterSeconds));
      await renderIdentification(ctx, req, res, { status: 429, values, errors: { _form: waitMessage(throttle.retryAfterSeconds) } });
    };
    const throttle = await checkThrottles(ctx.db, [key], now);
    if (!throttle.allowed) {
      await refuse(throttle);
      return;
    }

    const parsed = parseForm(identificationSchema, req.body);
    const errors: FieldErrors = parsed.ok ? {} : parsed.errors;
    let robot = checkAnswer(ctx.config.sessionSecret, challenge, bodyString(req, 'robot'), now);
    // An answer, right or wrong, spends the question for every copy of the session.
    if ((robot === 'ok' || robot === 'wrong') && !(await spendChallenge(ctx.db, challenge!.nonce, now))) robot = 'expired';
    if (robot !== 'ok') errors.robot ??= antiRobotMessage(robot);
    if (Object.keys(errors).length || !parsed.ok) {
      await renderIdentification(ctx, req, res, { status: 422, values, errors });
      return;
    }

    // Counted before the lookup (requests sent together cannot all look up), given back unless
    // the pair turns out wrong.
    const attempt = await reserveAttempt(ctx.db, key, throttleRules.lookupIp, now);
    if (!attempt.allowed) {
      await refuse(attempt);
      return;
    }
    const establishment = await findEstablishmentByPair(ctx.db, parsed.data.siret, parsed.data.identifiant);
    if (!establishment) {
      // One message for both halves: never tell which of the two is wrong.
      await renderIdentification(ctx, req, res, { status: 422, values, errors: { _form: PAIR_MISMATCH } });
      return;
    }
    await refundAttempt(ctx.db, attempt.reservation);
    const previous = currentState(ctx, req);
    req.session.hrActivation = {
      startedAt: now.toISOString(),
      typed: { siret: values.siret.trim(), identifiant: parsed.data.identifiant },
      establishmentId: establishment.establishment_id,
      // What was typed at the next step stays, even when the establishment changes.
      identity: previous?.identity,
    };
    res.redirectWithFlash(`${BASE}/compte`);
  };
}

// ------------------------------------------------------------------ 2. création de compte RH
export function showAccountStep(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const loaded = await loadEstablishment(ctx, req, res);
    if (!loaded) return;
    const identity = loaded.state.identity;
    const values: Record<string, string> = identity
      ? { last_name: identity.lastName, first_name: identity.firstName, email: identity.email, mobile: identity.mobile }
      : {};
    await renderAccount(res, loaded.establishment, { values });
  };
}

const accountSchema = z.object({
  last_name: requiredText('Saisissez votre nom.', 100),
  first_name: requiredText('Saisissez votre prénom.', 100),
  email: emailField('Saisissez votre adresse e-mail.'),
  mobile: mobileField({ max: 40 }),
});

export function submitAccountStep(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const loaded = await loadEstablishment(ctx, req, res);
    if (!loaded) return;
    const values = {
      last_name: bodyString(req, 'last_name').slice(0, 200),
      first_name: bodyString(req, 'first_name').slice(0, 200),
      email: bodyString(req, 'email').slice(0, 300),
      mobile: bodyString(req, 'mobile').slice(0, 40),
    };
    const parsed = parseForm(accountSchema, req.body);
    if (!parsed.ok) {
      await renderAccount(res, loaded.establishment, { status: 422, values, errors: parsed.errors });
      return;
    }
    loaded.state.identity = {
      lastName: parsed.data.last_name,
      firstName: parsed.data.first_name,
      email: parsed.data.email,
      mobile: values.mobile.trim(),
      mobileE164: parsed.data.mobile,
    };
    res.redirectWithFlash(`${BASE}/mot-de-passe`);
  };
}

// ------------------------------------------------------------------ 3. mot de passe
async function loadComplete(ctx: AppContext, req: Request, res: Response) {
  const loaded = await loadEstablishment(ctx, req, res);
  if (!loaded) return null;
  const identity = loaded.state.identity;
  if (!identity) {
    res.redirectWithFlash(`${BASE}/compte`, "Complétez d'abord vos informations.", 'info');
    return null;
  }
  return { ...loaded, identity };
}

export function showPasswordStep(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const loaded = await loadComplete(ctx, req, res);
    if (!loaded) return;
    await renderPassword(res, loaded.establishment, loaded.identity);
  };
}

const passwordSchema = z.object({
  password: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string()),
  password_confirmation: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string()),
});

export function submitPasswordStep(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const loaded = await loadComplete(ctx, req, res);
    if (!loaded) return;
    const { establishment, identity } = loaded;
    const parsed = parseForm(passwordSchema, req.body);
    const { password, password_confirmation: confirmation } = parsed.ok ? parsed.data : { password: '', password_confirmation: '' };
    const cgu = bodyString(req, 'cgu') === 'oui';
    const errors = passwordErrors(password, confirmation, [identity.firstName, identity.lastName, identity.email]);
    if (!cgu) errors.cgu = "Acceptez les conditions générales d'utilisation pour créer votre compte.";
    if (Object.keys(errors).length) {
      await renderPassword(res, establishment, identity, { status: 422, errors, cgu });
      return;
    }

    const now = ctx.clock();
    // Hashed in both cases, so the time taken does not tell whether the email already has an account.
    const passwordHash = await hashPassword(password);
    const result = await createHrAccount(ctx.db, establishment, identity, passwordHash, now);
    const loginUrl = `${ctx.config.publicUrl}${info.base}`;
    // « de la société … » only when the establishment's name does not already say it.
    const company = mentions(establishment.establishment_name, establishment.company_name) ? '' : ` de la société ${establishment.company_name}`;
    const where = `l'établissement ${establishment.establishment_name} (SIRET ${formatSiret(establishment.siret)})${company}`;

    if (result.kind === 'existing') {
      await ctx.outbox.sendEmail(
        brandedEmail(ctx.config.brand, identity.email, {
          space: 'entreprise',
          subject: `Votre compte ${info.spaceName} existe déjà`,
          paragraphs: [
            `Une demande de création de compte sur l'${info.spaceName} a été faite avec votre adresse e-mail, pour ${where}.`,
            "Un compte existe déjà pour cette adresse : aucun nouveau compte n'a été créé et votre mot de passe n'a pas changé.",
            "Connectez-vous avec votre mot de passe habituel. Si vous l'avez oublié, cliquez sur « Mot de passe oublié ? » sur la page de connexion pour en choisir un nouveau.",
            "Pour suivre un autre établissement, ajoutez-le depuis votre profil (« Ajouter un établissement au périmètre suivi »). Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.",
          ],
          action: { label: 'Se connecter', url: loginUrl },
        }),
      );
    } else {
      const roleLabel = result.role === 'admin' ? 'Administrateur' : 'Utilisateur';
      await ctx.outbox.sendEmail(
        brandedEmail(ctx.config.brand, identity.email, {
          space: 'entreprise',
          subject: `Votre compte ${info.spaceName} est créé`,
          greeting: `Bonjour ${identity.firstName},`,
          paragraphs: [
            `Votre compte sur l'${info.spaceName} est créé pour ${where}, avec le rôle ${roleLabel}.`,
            'Connectez-vous avec votre adresse e-mail et le mot de passe que vous avez choisi.',
            "Si vous n'êtes pas à l'origine de cette création, contactez-nous sans attendre.",
          ],
          action: { label: 'Se connecter', url: loginUrl },
        }),
      );
      for (const adminEmail of result.adminEmails) {
        await ctx.outbox.sendEmail(
          brandedEmail(ctx.config.brand, adminEmail, {
            space: 'entreprise',
            subject: 'Un nouvel utilisateur sur votre Espace Entreprise',
            paragraphs: [
              `Un nouvel utilisateur, ${identity.firstName} ${identity.lastName.toUpperCase()} (${identity.email}), s'est créé un compte sur votre ${info.spaceName} pour ${where}.`,
              `Il dispose du rôle ${roleLabel}. En tant qu'administrateur, vous pouvez modifier ses habilitations ou désactiver son compte depuis « Mes habilitations ».`,
              'Si vous ne connaissez pas cette personne, désactivez son compte et contactez-nous.',
            ],
            action: { label: 'Gérer les habilitations', url: `${ctx.config.publicUrl}/entreprise/habilitations` },
          }),
        );
      }
    }
    await recordAudit(ctx.db, now, {
      event: 'activation',
      accountId: result.accountId,
      accountKind: info.kind,
      ip: clientIp(req),
      userAgent: req.get('user-agent'),
      detail:
        result.kind === 'existing'
          ? { result: 'existing_account', establishmentId: establishment.establishment_id }
          : { result: 'created', role: result.role, companyId: establishment.company_id, establishmentId: establishment.establishment_id },
    });
    delete req.session.hrActivation;
    res.redirectWithFlash(info.base, HR_ACTIVATION_SUCCESS);
  };
}

// « Mes habilitations / Gestion des habilitations » (SPEC §3.2, guide « Gestion des utilisateurs »):
// administrators only. The user list, « Ajouter un utilisateur à mon espace entreprise » (invitation
// email with a 7-day password-creation link), and per user the « … » menu: modify the profile and
// roles, resend the link, deactivate temporarily (reversible) or permanently. The rules (own
// companies only, never oneself, never a company without an active administrator) are in
// src/domain/habilitations.ts and checked here on every change.
import { de, fullName } from '../../domain/text.js';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { disableAccountAndEndSessions } from '../../auth/accounts.js';
import { issuePasswordCreationLink } from '../../auth/password-links.js';
import { normalizeEmail } from '../../auth/queries.js';
import { requestOrigin } from '../../auth/session.js';
import { recordAudit, type AuditEvent } from '../../domain/audit.js';
import { brandedEmail } from '../../domain/email-templates.js';
import {
  HABILITATION_MESSAGES,
  ROLE_LABELS,
  hrUserStatus,
  refuseAccessChange,
  type Access,
  type AccessChange,
  type HrRole,
} from '../../domain/habilitations.js';
import { formatPhone, validateMobile } from '../../domain/phone.js';
import { HttpError } from '../../middleware/errors.js';
import { positiveId, emailField, keptValues, optionalText, parseForm, requiredText, type FieldErrors } from '../../validation.js';
import {
  applyAccessUpdates,
  countActiveAdmins,
  countHabilitations,
  findHrAccountByEmail,
  findManagedUsers,
  grantAccess,
  updateHrProfile,
  LastAdministratorError,
  type AccessUpdate,
  type ManagedUser,
} from './queries.js';

export const BASE = '/entreprise/habilitations';
const TITLE = 'Gestion des habilitations';

export const HABILITATION_TEXTS = {
  added: (name: string) => `${name} a été ajouté(e). Un e-mail lui a été envoyé avec un lien pour créer son mot de passe (valable 7 jours).`,
  addedExisting: (name: string) => `${name} a désormais accès aux entreprises choisies. Un e-mail l'en a informé(e).`,
  alreadyGranted: (company: string) => `Cet utilisateur a déjà accès à ${company}. Modifiez ses droits depuis la liste des utilisateurs.`,
  disabledAccount: "Ce compte a été désactivé définitivement : il ne peut plus recevoir d'accès. Utilisez une autre adresse e-mail.",
  updated: (name: string) => `Les informations ${de(name)} ont été enregistrées.`,
  linkSent: (email: string) => `Un nouveau lien de création de mot de passe a été envoyé à ${email}. Le lien précédent ne fonctionne plus.`,
  linkNotPending: 'Cet utilisateur a déjà créé son mot de passe : il peut utiliser « Mot de passe oublié » sur la page de connexion.',
  suspended: (name: string) => `L'accès ${de(name)} est suspendu provisoirement. Vous pourrez le réactiver à tout moment.`,
  reactivated: (name: string) => `L'accès ${de(name)} est réactivé.`,
  removed: (name: string) => `L'accès ${de(name)} est désactivé définitivement.`,
  nothingToSuspend: "Cet utilisateur n'a pas d'accès actif sur vos entreprises.",
  nothingToReactivate: "Cet utilisateur n'a pas d'accès suspendu sur vos entreprises.",
  removeAllInstead: 'Pour retirer tous ses accès, utilisez « Désactiver définitivement » dans la liste des utilisateurs.',
  mobileInvalid: 'Le numéro de téléphone mobile est invalide (exemple : 06 12 34 56 78).',
} as const;

interface AdminContext {
  actorId: number;
  adminOf: { id: number; name: string }[];
}

function adminContext(req: Request): AdminContext {
  const adminOf = (req.hrCompanies ?? []).filter((c) => c.role === 'admin').map((c) => ({ id: c.id, name: c.name }));
  return { actorId: req.account!.id, adminOf };
}

/** Every URL of this section: administrators only (a 403 page for anyone else). */
export function requireHrAdmin(req: Request, _res: Response, next: NextFunction): void {
  if (!(req.hrCompanies ?? []).some((c) => c.role === 'admin')) throw new HttpError(403);
  next();
}


/** The user of the URL, among those sharing a company the administrator administers; else 404. */
async function loadManagedUser(ctx: AppContext, req: Request): Promise<ManagedUser> {
  const id = positiveId(req.params.id);
  if (!id) throw new HttpError(404);
  const { adminOf } = adminContext(req);
  const [user] = await findManagedUsers(
    ctx.db,
    adminOf.map((c) => c.id),
    id,
  );
  if (!user) throw new HttpError(404);
  return user;
}

// ------------------------------------------------------------------ list
export function showUsers(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const { actorId, adminOf } = adminContext(req);
    const users = await findManagedUsers(
      ctx.db,
      adminOf.map((c) => c.id),
    );
    await res.renderPage({
      page: 'entreprise/habilitations',
      layout: 'entreprise',
      title: TITLE,
      locals: {
        users: users.map((u) => ({
          ...u,
          name: fullName(u),
          self: u.id === actorId,
          state: hrUserStatus(u.status, u.habilitations.map((h) => h.status)),
          grants: u.habilitations.map((h) => ({ company: h.company_name, role: ROLE_LABELS[h.role], suspended: h.status === 'suspended' })),
        })),
      },
    });
  };
}

// ------------------------------------------------------------------ add / modify form
const ACCESS_VALUES = ['none', 'user', 'admin'] as const;

const profileSchema = z.object({
  last_name: requiredText('Saisissez le nom.', 100),
  first_name: requiredText('Saisissez le prénom.', 100),
  mobile: optionalText(30),
});
const addSchema = profileSchema.extend({ email: emailField("Saisissez l'adresse e-mail de l'utilisateur.") });

/** The access chosen for each company the administrator administers (field `acces_<id>`). */
function chosenAccess(body: Record<string, unknown>, companies: { id: number }[]): Map<number, Access> {
  const chosen = new Map<number, Access>();
  for (const c of companies) {
    const value = body[`acces_${c.id}`];
    chosen.set(c.id, (ACCESS_VALUES as readonly string[]).includes(String(value)) ? (value as Access) : 'none');
  }
  return chosen;
}

/** The optional mobile of the form, in E.164, or null (with a message in `errors` when invalid). */
function parseMobile(body: unknown, errors: FieldErrors): string | null {
  const value = (body as Record<string, unknown> | undefined)?.mobile;
  const raw = typeof value === 'string' ? value.trim() : '';
  if (!raw) return null;
  const mobile = validateMobile(raw);
  if (!mobile.ok) {
    errors.mobile = HABILITATION_TEXTS.mobileInvalid;
    return null;
  }
  return mobile.e164;
}

interface FormView {
  mode: 'add' | 'edit';
  user?: ManagedUser;
  values: Record<string, string>;
  errors: FieldErrors;
  status?: number;
}

async function renderForm(req: Request, res: Response, view: FormView): Promise<void> {
  const { adminOf } = adminContext(req);
  const title = view.mode === 'add' ? 'Ajouter un utilisateur à mon espace entreprise' : `Modifier ${fullName(view.user!)}`;
  await res.renderPage({
    page: 'entreprise/habilitation-form',
    layout: 'entreprise',
    title,
    status: view.status,
    locals: {
      heading: title,
      mode: view.mode,
      action: view.mode === 'add' ? `${BASE}/ajouter` : `${BASE}/${view.user!.id}/modifier`,
      emailEditable: view.mode === 'add' || view.user?.status === 'pending',
      companies: adminOf,
      values: view.values,
      errors: view.errors,
      roleLabels: ROLE_LABELS,
    },
  });
}

export function showAddForm(_ctx: AppContext) {
  return async (req: Request, res: Response) => {
    await renderForm(req, res, { mode: 'add', values: {}, errors: {} });
  };
}

export function submitAdd(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const { actorId, adminOf } = adminContext(req);
    const values = keptValues(req.body);
    const parsed = parseForm(addSchema, req.body);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    const mobile = parseMobile(req.body, errors);
    const access = chosenAccess(req.body ?? {}, adminOf);
    const grants = adminOf.filter((c) => access.get(c.id) !== 'none').map((c) => ({ companyId: c.id, companyName: c.name, role: access.get(c.id) as HrRole }));
    if (!grants.length) errors.entreprises = HABILITATION_MESSAGES.atLeastOneCompany;
    let existing: { id: number; status: string } | undefined;
    if (parsed.ok) {
      existing = await findHrAccountByEmail(ctx.db, normalizeEmail(parsed.data.email));
      if (existing?.status === 'disabled') errors.email = HABILITATION_TEXTS.disabledAccount;
      else if (existing) {
        const [current] = await findManagedUsers(ctx.db, grants.map((g) => g.companyId), existing.id);
        if (current?.habilitations.length) errors.email = HABILITATION_TEXTS.alreadyGranted(current.habilitations[0].company_name);
        if (existing.id === actorId) errors.email = HABILITATION_MESSAGES.self;
      }
    }
    if (!parsed.ok || Object.keys(errors).length) {
      await renderForm(req, res, { mode: 'add', values, errors, status: 422 });
      return;
    }
    const data = parsed.data;
    const now = ctx.clock();
    const email = normalizeEmail(data.email);
    const accountId = await grantAccess(
      ctx.db,
      { email, firstName: data.first_name, lastName: data.last_name, mobile },
      existing?.id ?? null,
      grants,
      actorId,
      now,
    );
    const origin = requestOrigin(req);
    await recordAudit(ctx.db, now, {
      event: 'hr_user_invited',
      accountId: actorId,
      accountKind: 'hr',
      ...origin,
      detail: { invited: accountId, companies: grants.map((g) => `${g.companyId}:${g.role}`).join(',') },
    });
    const name = `${data.first_name} ${data.last_name}`;
    const inviter = { firstName: req.account!.firstName, lastName: req.account!.lastName };
    if (!existing || existing.status === 'pending') {
      await issuePasswordCreationLink(ctx, accountId, inviter, origin);
      res.redirectWithFlash(BASE, HABILITATION_TEXTS.added(name));
      return;
    }
    await ctx.outbox.sendEmail(
      brandedEmail(ctx.config.brand, email, {
        subject: "Nouvel accès dans votre Espace Entreprise",
        greeting: `Bonjour ${name},`,
        paragraphs: [
          `${inviter.firstName} ${inviter.lastName} vous a donné accès à : ${grants.map((g) => `${g.companyName} (${ROLE_LABELS[g.role]})`).join(', ')}.`,
          'Connectez-vous à votre Espace Entreprise avec votre adresse e-mail et votre mot de passe habituels pour les retrouver.',
        ],
        action: { label: "Ouvrir l'Espace Entreprise", url: `${ctx.config.publicUrl}/entreprise` },
      }),
    );
    res.redirectWithFlash(BASE, HABILITATION_TEXTS.addedExisting(name));
  };
}

function formValuesOf(user: ManagedUser, adminOf: { id: number }[]): Record<string, string> {
  const values: Record<string, string> = {
    last_name: user.last_name,
    first_name: user.first_name,
    email: user.email,
    mobile: user.mobile ? formatPhone(user.mobile) : '',
  };
  for (const c of adminOf) values[`acces_${c.id}`] = user.habilitations.find((h) => h.company_id === c.id)?.role ?? 'none';
  return values;
}

/** Nobody changes their own roles or status from this section (their profile is « Mon profil »). */
function refuseSelf(req: Request, user: ManagedUser): void {
  if (user.id === req.account!.id) throw new HttpError(403);
}

export function showEditForm(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const user = await loadManagedUser(ctx, req);
    refuseSelf(req, user);
    await renderForm(req, res, { mode: 'edit', user, values: formValuesOf(user, adminContext(req).adminOf), errors: {} });
  };
}

/** The changes on the administrator's companies, each checked against the rules; errors per company field. */
async function checkChanges(
  ctx: AppContext,
  req: Request,
  user: ManagedUser,
  target: (companyId: number, current: { role: Access; status: 'active' | 'suspended' | null }) => { role: Access; status: 'active' | 'suspended' | null },
): Promise<{ updates: AccessUpdate[]; errors: FieldErrors; changes: AccessChange[] }> {
  const { actorId, adminOf } = adminContext(req);
  const admins = await countActiveAdmins(
    ctx.db,
    adminOf.map((c) => c.id),
  );
  const updates: AccessUpdate[] = [];
  const changes: AccessChange[] = [];
  const errors: FieldErrors = {};
  for (const company of adminOf) {
    const held = user.habilitations.find((h) => h.company_id === company.id);
    const current = { role: (held?.role ?? 'none') as Access, status: held?.status ?? null };
    const next = target(company.id, current);
    const change: AccessChange = {
      companyId: company.id,
      companyName: company.name,
      from: current.role,
      fromStatus: current.status,
      to: next.role,
      toStatus: next.role === 'none' ? null : next.status,
      // The target counts only when their account is active (as countActiveAdmins does).
      activeAdmins: admins.get(company.id) ?? 0,
    };
    if (user.status !== 'active' && change.from === 'admin') change.fromStatus = null;
    const refusal = refuseAccessChange(change, { id: actorId, adminOf: adminOf.map((c) => c.id) }, user.id);
    if (refusal) errors[`acces_${company.id}`] = refusal;
    else if (change.from !== change.to || change.fromStatus !== change.toStatus) {
      updates.push({ companyId: company.id, role: next.role as HrRole | 'none', status: change.toStatus });
      changes.push(change);
    }
  }
  return { updates, errors, changes };
}

export function submitEdit(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const user = await loadManagedUser(ctx, req);
    refuseSelf(req, user);
    const { actorId, adminOf } = adminContext(req);
    const values = keptValues(req.body);
    const emailEditable = user.status === 'pending';
    const parsed = parseForm(emailEditable ? addSchema : profileSchema, req.body);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    const mobile = parseMobile(req.body, errors);
    const access = chosenAccess(req.body ?? {}, adminOf);
    const checked = await checkChanges(ctx, req, user, (companyId, current) => {
      const role = access.get(companyId)!;
      // Changing the role keeps a suspension; giving access again starts active.
      return { role, status: role === 'none' ? null : (current.status ?? 'active') };
    });
    Object.assign(errors, checked.errors);
    const keepsOther = user.habilitations.some((h) => !adminOf.some((c) => c.id === h.company_id));
    if (![...access.values()].some((a) => a !== 'none') && !keepsOther) errors.entreprises = HABILITATION_TEXTS.removeAllInstead;
    let newEmail: string | undefined;
    if (parsed.ok && emailEditable && 'email' in parsed.data) {
      newEmail = normalizeEmail(String(parsed.data.email));
      const other = newEmail !== user.email ? await findHrAccountByEmail(ctx.db, newEmail) : undefined;
      if (other) errors.email = 'Cette adresse e-mail est déjà celle d\u2019un autre compte.';
    }
    if (!parsed.ok || Object.keys(errors).length) {
      await renderForm(req, res, { mode: 'edit', user, values, errors, status: 422 });
      return;
    }
    const now = ctx.clock();
    if (checked.updates.length) {
      const refusal = await applyOrRefuse(ctx, user.id, checked.updates, actorId, now, adminOf);
      if (refusal) {
        await renderForm(req, res, { mode: 'edit', user, values, errors: refusal, status: 422 });
        return;
      }
    }
    await updateHrProfile(ctx.db, user.id, { first_name: parsed.data.first_name, last_name: parsed.data.last_name, mobile, ...(newEmail ? { email: newEmail } : {}) }, now);
    const origin = requestOrigin(req);
    await recordAudit(ctx.db, now, { event: 'hr_profile_changed', accountId: actorId, accountKind: 'hr', ...origin, detail: { target: user.id } });
    for (const c of checked.changes) {
      await recordAudit(ctx.db, now, { event: 'role_changed', accountId: actorId, accountKind: 'hr', ...origin, detail: { target: user.id, company: c.companyId, from: c.from, to: c.to } });
    }
    // A pending invitation whose address changed: the link goes to the right address now.
    if (newEmail && newEmail !== user.email) await issuePasswordCreationLink(ctx, user.id, { firstName: req.account!.firstName, lastName: req.account!.lastName }, origin);
    res.redirectWithFlash(BASE, HABILITATION_TEXTS.updated(`${parsed.data.first_name} ${parsed.data.last_name}`));
  };
}

/** Applies the changes, or returns the last-administrator message at the company's field. */
async function applyOrRefuse(ctx: AppContext, accountId: number, updates: AccessUpdate[], actorId: number, now: Date, companies: { id: number; name: string }[]): Promise<FieldErrors | null> {
  try {
    await applyAccessUpdates(ctx.db, accountId, updates, actorId, now);
    return null;
  } catch (err) {
    if (!(err instanceof LastAdministratorError)) throw err;
    const name = companies.find((c) => c.id === err.companyId)?.name ?? '';
    return { [`acces_${err.companyId}`]: HABILITATION_MESSAGES.lastAdmin(name) };
  }
}

// ------------------------------------------------------------------ resend, suspend, reactivate, remove
export function resendLink(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const user = await loadManagedUser(ctx, req);
    if (user.status !== 'pending') {
      res.redirectWithFlash(BASE, HABILITATION_TEXTS.linkNotPending, 'error');
      return;
    }
    await issuePasswordCreationLink(ctx, user.id, { firstName: req.account!.firstName, lastName: req.account!.lastName }, requestOrigin(req));
    res.redirectWithFlash(BASE, HABILITATION_TEXTS.linkSent(user.email));
  };
}

type StatusAction = 'suspendre' | 'desactiver';

const CONFIRM: Record<StatusAction, { title: string; text: string; button: string }> = {
  suspendre: {
    title: "Désactiver provisoirement l'accès",
    text: "L'utilisateur ne pourra plus accéder à vos entreprises jusqu'à ce que vous réactiviez son accès. Ses sessions sur vos entreprises s'arrêtent dès sa prochaine action.",
    button: 'Désactiver provisoirement',
  },
  desactiver: {
    title: "Désactiver définitivement l'accès",
    text: "L'utilisateur perd tout accès à vos entreprises. Cette action est définitive : pour lui redonner un accès, il faudra l'ajouter de nouveau. S'il n'a plus aucun accès, son compte est fermé et ses sessions en cours se terminent.",
    button: 'Désactiver définitivement',
  },
};

async function renderConfirm(req: Request, res: Response, user: ManagedUser, action: StatusAction, errors: FieldErrors = {}, status?: number) {
  const texts = CONFIRM[action];
  await res.renderPage({
    page: 'entreprise/habilitation-confirm',
    layout: 'entreprise',
    title: texts.title,
    status,
    locals: { texts, user: { ...user, name: fullName(user) }, action: `${BASE}/${user.id}/${action}`, errors },
  });
}

export function showConfirm(ctx: AppContext, action: StatusAction) {
  return async (req: Request, res: Response) => {
    const user = await loadManagedUser(ctx, req);
    refuseSelf(req, user);
    await renderConfirm(req, res, user, action);
  };
}

async function changeStatus(
  ctx: AppContext,
  req: Request,
  res: Response,
  user: ManagedUser,
  options: {
    next: (current: { role: Access; status: 'active' | 'suspended' | null }) => { role: Access; status: 'active' | 'suspended' | null };
    event: AuditEvent;
    done: string;
    nothing: string;
    confirm?: StatusAction;
    /** Runs once the change is saved, before the answer is sent. */
    after?: () => Promise<void>;
  },
): Promise<void> {
  const checked = await checkChanges(ctx, req, user, (_id, current) => options.next(current));
  const refusal = Object.values(checked.errors)[0];
  if (refusal) {
    if (options.confirm) await renderConfirm(req, res, user, options.confirm, { _form: refusal }, 422);
    else res.redirectWithFlash(BASE, refusal, 'error');
    return;
  }
  if (!checked.updates.length) {
    res.redirectWithFlash(BASE, options.nothing, 'error');
    return;
  }
  const now = ctx.clock();
  const lastAdmin = await applyOrRefuse(ctx, user.id, checked.updates, req.account!.id, now, adminContext(req).adminOf);
  if (lastAdmin) {
    const message = Object.values(lastAdmin)[0];
    if (options.confirm) await renderConfirm(req, res, user, options.confirm, { _form: message }, 422);
    else res.redirectWithFlash(BASE, message, 'error');
    return;
  }
  await recordAudit(ctx.db, now, {
    event: options.event,
    accountId: req.account!.id,
    accountKind: 'hr',
    ...requestOrigin(req),
    detail: { target: user.id, companies: checked.updates.map((u) => u.companyId).join(',') },
  });
  await options.after?.();
  res.redirectWithFlash(BASE, options.done);
}

export function suspend(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const user = await loadManagedUser(ctx, req);
    refuseSelf(req, user);
    await changeStatus(ctx, req, res, user, {
      next: (c) => (c.status === 'active' ? { role: c.role, status: 'suspended' } : c),
      event: 'habilitation_suspended',
      done: HABILITATION_TEXTS.suspended(fullName(user)),
      nothing: HABILITATION_TEXTS.nothingToSuspend,
      confirm: 'suspendre',
    });
  };
}

export function reactivate(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const user = await loadManagedUser(ctx, req);
    refuseSelf(req, user);
    await changeStatus(ctx, req, res, user, {
      next: (c) => (c.status === 'suspended' ? { role: c.role, status: 'active' } : c),
      event: 'habilitation_reactivated',
      done: HABILITATION_TEXTS.reactivated(fullName(user)),
      nothing: HABILITATION_TEXTS.nothingToReactivate,
    });
  };
}

export function remove(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const user = await loadManagedUser(ctx, req);
    refuseSelf(req, user);
    await changeStatus(ctx, req, res, user, {
      next: () => ({ role: 'none', status: null }),
      event: 'habilitation_removed',
      done: HABILITATION_TEXTS.removed(fullName(user)),
      nothing: HABILITATION_TEXTS.nothingToSuspend,
      confirm: 'desactiver',
      // No access left anywhere: the account is closed and its sessions end.
      after: async () => {
        if ((await countHabilitations(ctx.db, user.id)) === 0) {
          await disableAccountAndEndSessions(ctx.db, ctx.clock(), user.id, { byAccountId: req.account!.id, ...requestOrigin(req) });
        }
      },
    });
  };
}

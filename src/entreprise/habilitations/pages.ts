// « Mes habilitations / Gestion des habilitations » (guide « Gestion des utilisateurs »):
// administrators only. The user list, « Ajouter un utilisateur à mon espace entreprise » (invitation
// email with a 7-day password-creation link), and per user the « … » menu: modify the profile and
// roles, resend the link, deactivate temporarily (reversible) or permanently. The rules (own
// companies only, never oneself, never a company without an active administrator, who someone
// is changed only by an administrator of all their companies, the actions each status allows)
// are in src/domain/habilitations.ts and checked here on every change. Adding an address that
// already has an account answers exactly as a new invitation, and so does giving that address to
// an invitation (the account gets its accesses, the invitation is withdrawn); whenever an account
// gets access to a company, its owner is told by email and can refuse it (refusal.ts).
import { de, fullName } from '../../domain/text.js';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { recordAccountDisabled } from '../../auth/accounts.js';
import { issuePasswordCreationLink } from '../../auth/password-links.js';
import { normalizeEmail } from '../../auth/queries.js';
import { requestOrigin } from '../../auth/session.js';
import type { AuditEvent } from '../../domain/audit.js';
import { recordAudit } from '../../stores/audit.js';
import { brandedEmail } from '../../domain/email-templates.js';
import {
  HABILITATION_MESSAGES,
  IDENTITY_LOCKED,
  ROLE_LABELS,
  hrUserState,
  mayChangeIdentity,
  refuseAccessChange,
  type Access,
  type AccessChange,
  type HrRole,
  type HrUserAction,
} from '../../domain/habilitations.js';
import { formatPhone, validateMobile } from '../../domain/phone.js';
import { HttpError } from '../../middleware/errors.js';
import { positiveId, emailField, keptValues, mobileField, parseForm, requiredText, type FieldErrors } from '../../validation.js';
import {
  applyAccessUpdates,
  changeInvitationEmail,
  countActiveAdmins,
  findHrAccountByEmail,
  findManagedUsers,
  findReachableCompanyIds,
  grantAccess,
  updateHrIdentity,
  LastAdministratorError,
  type AccessUpdate,
  type AppliedUpdates,
  type EmailChange,
  type IdentityFields,
  type ManagedUser,
} from './queries.js';
import { sendAccessNotice } from './refusal.js';

const BASE = '/entreprise/habilitations';
const TITLE = 'Gestion des habilitations';

export const HABILITATION_TEXTS = {
  // The same answer whether the address already had an account or not (no way to tell).
  added: (name: string) =>
    `${name} a été ajouté(e). Un e-mail lui a été envoyé, avec un lien pour créer son mot de passe (valable 7 jours) s'il n'en a pas encore.`,
  alreadyGranted: (company: string) => `Cet utilisateur a déjà accès à ${company}. Modifiez ses droits depuis la liste des utilisateurs.`,
  updated: (name: string) => `Les informations ${de(name)} ont été enregistrées.`,
  linkSent: (email: string) => `Un nouveau lien de création de mot de passe a été envoyé à ${email}. Le lien précédent ne fonctionne plus.`,
  linkNotPending: 'Cet utilisateur a déjà créé son mot de passe : il peut utiliser « Mot de passe oublié » sur la page de connexion.',
  linkSuspended: "L'accès de cet utilisateur est suspendu : réactivez-le avant de lui renvoyer un lien de création du mot de passe.",
  accountClosed:
    'Le compte de cet utilisateur est désactivé : seul « Désactiver définitivement » reste possible. Pour lui redonner un accès, ajoutez-le de nouveau.',
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

/** The status of a managed user and the actions it allows (one function: src/domain/habilitations.ts). */
function stateOf(user: ManagedUser) {
  return hrUserState(
    user.status,
    user.habilitations.map((h) => h.status),
  );
}

/** Why the state of this user does not allow the action, or null when it does. */
function refusalOfAction(user: ManagedUser, action: HrUserAction): string | null {
  const state = stateOf(user);
  if (state.actions.includes(action)) return null;
  if (state.code === 'disabled') return HABILITATION_TEXTS.accountClosed;
  switch (action) {
    case 'resend_link':
      return state.code === 'invited_suspended' ? HABILITATION_TEXTS.linkSuspended : HABILITATION_TEXTS.linkNotPending;
    case 'suspend':
      return HABILITATION_TEXTS.nothingToSuspend;
    case 'reactivate':
      return HABILITATION_TEXTS.nothingToReactivate;
    default:
      return HABILITATION_TEXTS.accountClosed;
  }
}

/** Back to the list with the reason when the action is not one the user's state offers; true if refused. */
function refusedAction(res: Response, user: ManagedUser, action: HrUserAction): boolean {
  const refusal = refusalOfAction(user, action);
  if (refusal) res.redirectWithFlash(BASE, refusal, 'error');
  return Boolean(refusal);
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
          state: stateOf(u),
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
  mobile: mobileField({ optional: true, max: 30, tooLong: '30 caractères au maximum.', invalid: HABILITATION_TEXTS.mobileInvalid }),
});
const addSchema = profileSchema.extend({ email: emailField("Saisissez l'adresse e-mail de l'utilisateur.") });
const IDENTITY_FIELDS = ['last_name', 'first_name', 'email', 'mobile'] as const;

/** The access chosen for each company the administrator administers (field `acces_<id>`). */
function chosenAccess(body: Record<string, unknown>, companies: { id: number }[]): Map<number, Access> {
  const chosen = new Map<number, Access>();
  for (const c of companies) {
    const value = body[`acces_${c.id}`];
    chosen.set(c.id, (ACCESS_VALUES as readonly string[]).includes(String(value)) ? (value as Access) : 'none');
  }
  return chosen;
}

interface FormView {
  mode: 'add' | 'edit';
  user?: ManagedUser;
  /** Edit only: whether names, mobile (and the email of an invitation) may be changed. */
  identityEditable?: boolean;
  values: Record<string, string>;
  errors: FieldErrors;
  status?: number;
}

async function renderForm(req: Request, res: Response, view: FormView): Promise<void> {
  const { adminOf } = adminContext(req);
  const title = view.mode === 'add' ? 'Ajouter un utilisateur à mon espace entreprise' : `Modifier ${fullName(view.user!)}`;
  const identityEditable = view.mode === 'add' || Boolean(view.identityEditable);
  const user = view.user;
  await res.renderPage({
    page: 'entreprise/habilitation-form',
    layout: 'entreprise',
    title,
    status: view.status,
    locals: {
      heading: title,
      mode: view.mode,
      action: view.mode === 'add' ? `${BASE}/ajouter` : `${BASE}/${user!.id}/modifier`,
      identityEditable,
      emailEditable: view.mode === 'add' || (identityEditable && user?.status === 'pending'),
      // Read-only identity: what is saved, never what was posted; the number itself is not shown
      // to an administrator who may not change it (adding an address must not reveal a mobile).
      saved: user ? { last_name: user.last_name, first_name: user.first_name, email: user.email, hasMobile: Boolean(user.mobile) } : null,
      identityLocked: IDENTITY_LOCKED,
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
    const errors: FieldErrors = parsed.ok ? {} : parsed.errors;
    const access = chosenAccess(req.body ?? {}, adminOf);
    const grants = adminOf.filter((c) => access.get(c.id) !== 'none').map((c) => ({ companyId: c.id, companyName: c.name, role: access.get(c.id) as HrRole }));
    if (!grants.length) errors.entreprises = HABILITATION_MESSAGES.atLeastOneCompany;
    if (parsed.ok) {
      const refusal = await addressRefusal(
        ctx,
        normalizeEmail(parsed.data.email),
        grants.map((g) => g.companyId),
        actorId,
      );
      if (refusal) errors.email = refusal;
    }
    if (!parsed.ok || Object.keys(errors).length) {
      await renderForm(req, res, { mode: 'add', values, errors, status: 422 });
      return;
    }
    const data = parsed.data;
    const now = ctx.clock();
    const email = normalizeEmail(data.email);
    // The names and mobile typed here are used only for a new invitation: an existing account
    // keeps its own (changing them is for an administrator of all its companies).
    const granted = await grantAccess(ctx.db, { email, firstName: data.first_name, lastName: data.last_name, mobile: data.mobile }, grants, actorId, now);
    const origin = requestOrigin(req);
    await recordAudit(ctx.db, now, {
      event: 'hr_user_invited',
      accountId: actorId,
      accountKind: 'hr',
      ...origin,
      detail: { invited: granted.accountId, companies: grants.map((g) => `${g.companyId}:${g.role}`).join(','), existingAccount: !granted.invitation },
    });
    const inviter = { firstName: req.account!.firstName, lastName: req.account!.lastName };
    if (granted.invitation) {
      await issuePasswordCreationLink(ctx, granted.accountId, inviter, origin);
    } else {
      // An account that exists: its owner is told, company by company, and may refuse.
      for (const grant of grants) {
        const habilitationId = granted.habilitationIds.get(grant.companyId);
        if (habilitationId)
          await sendAccessNotice(
            ctx,
            { accountId: granted.accountId, habilitationId, companyName: grant.companyName, role: grant.role, grantedBy: inviter, actorId },
            origin,
          );
      }
    }
    res.redirectWithFlash(BASE, HABILITATION_TEXTS.added(`${data.first_name} ${data.last_name}`));
  };
}

/**
 * Why an address cannot be given these companies, or null. Only what the administrator can see
 * anyway is answered differently: themselves, or someone already in their list on one of the
 * companies. Whether the address has an account elsewhere (active, invited or closed) never
 * changes the answer — of « Ajouter », nor of a new email for an invitation (submitEdit).
 */
async function addressRefusal(ctx: AppContext, email: string, companyIds: number[], actorId: number): Promise<string | null> {
  const existing = await findHrAccountByEmail(ctx.db, email);
  if (!existing) return null;
  if (existing.id === actorId) return HABILITATION_MESSAGES.self;
  const [current] = await findManagedUsers(ctx.db, companyIds, existing.id);
  return current?.habilitations.length ? HABILITATION_TEXTS.alreadyGranted(current.habilitations[0].company_name) : null;
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

/** Whether this administrator may change who the user is: they administer every company the user reaches. */
async function identityEditableBy(ctx: AppContext, req: Request, user: ManagedUser): Promise<boolean> {
  const { adminOf } = adminContext(req);
  return mayChangeIdentity(
    adminOf.map((c) => c.id),
    await findReachableCompanyIds(ctx.db, user.id),
  );
}

export function showEditForm(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const user = await loadManagedUser(ctx, req);
    refuseSelf(req, user);
    if (refusedAction(res, user, 'modify')) return;
    const identityEditable = await identityEditableBy(ctx, req, user);
    await renderForm(req, res, { mode: 'edit', user, identityEditable, values: formValuesOf(user, adminContext(req).adminOf), errors: {} });
  };
}

/**
 * The identity fields posted that differ from what is saved (a stale form sending the same
 * values changes nothing and is not refused).
 */
function identityFieldsChanged(body: Record<string, unknown>, user: ManagedUser): string[] {
  const saved: Record<(typeof IDENTITY_FIELDS)[number], string> = {
    last_name: user.last_name,
    first_name: user.first_name,
    email: user.email,
    mobile: user.mobile ?? '',
  };
  return IDENTITY_FIELDS.filter((field) => {
    const value = body[field];
    if (value === undefined) return false;
    const posted = typeof value === 'string' ? value.trim() : String(value);
    if (field === 'mobile') {
      const mobile = posted ? validateMobile(posted) : null;
      return (mobile?.ok ? mobile.e164 : posted) !== saved.mobile;
    }
    if (field === 'email') return normalizeEmail(posted) !== saved.email;
    return posted !== saved[field];
  });
}

/** Tells the owner of an active account that an administrator changed their names or mobile. */
async function notifyIdentityChanged(ctx: AppContext, req: Request, user: ManagedUser, fields: IdentityFields, changed: string[]): Promise<void> {
  const labels: Record<string, string> = { last_name: 'nom', first_name: 'prénom', mobile: 'numéro de mobile' };
  const what = changed.map((f) => labels[f]).filter(Boolean);
  if (!what.length) return;
  await ctx.outbox.sendEmail(
    brandedEmail(ctx.config.brand, user.email, {
      space: 'entreprise',
      subject: 'Vos informations ont été modifiées',
      greeting: `Bonjour ${fields.first_name} ${fields.last_name},`,
      paragraphs: [
        `${req.account!.firstName} ${req.account!.lastName}, administrateur de votre Espace Entreprise, a modifié votre ${what.join(', ')}.`,
        ...(changed.includes('mobile')
          ? [`Les codes de double authentification seront envoyés au ${fields.mobile ? formatPhone(fields.mobile) : '(aucun numéro)'}.`]
          : []),
        'Si ce changement vous surprend, contactez votre administrateur ou nos conseillers : vous pouvez aussi corriger votre numéro depuis « Mon profil ».',
      ],
      action: { label: "Ouvrir l'Espace Entreprise", url: `${ctx.config.publicUrl}/entreprise` },
    }),
  );
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
    if (refusedAction(res, user, 'modify')) return;
    const { actorId, adminOf } = adminContext(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = keptValues(req.body);
    const origin = requestOrigin(req);
    const identityEditable = await identityEditableBy(ctx, req, user);
    const emailEditable = identityEditable && user.status === 'pending';
    const errors: FieldErrors = {};
    let identity: IdentityFields | null = null;
    if (identityEditable) {
      const parsed = parseForm(emailEditable ? addSchema : profileSchema, req.body);
      if (!parsed.ok) Object.assign(errors, parsed.errors);
      else {
        identity = { first_name: parsed.data.first_name, last_name: parsed.data.last_name, mobile: parsed.data.mobile };
        if (emailEditable && 'email' in parsed.data) identity.email = normalizeEmail(String(parsed.data.email));
      }
    } else {
      // The form offers no identity field here; one posted anyway is refused, not ignored.
      const refused = identityFieldsChanged(body, user);
      if (refused.length) {
        errors._form = IDENTITY_LOCKED;
        await recordAudit(ctx.db, ctx.clock(), {
          event: 'hr_identity_change_refused',
          accountId: actorId,
          accountKind: 'hr',
          ...origin,
          detail: { target: user.id, fields: refused.join(',') },
        });
      }
    }
    const access = chosenAccess(body, adminOf);
    const checked = await checkChanges(ctx, req, user, (companyId, current) => {
      const role = access.get(companyId)!;
      // Changing the role keeps a suspension; giving access again starts active.
      return { role, status: role === 'none' ? null : (current.status ?? 'active') };
    });
    Object.assign(errors, checked.errors);
    const keepsOther = user.habilitations.some((h) => !adminOf.some((c) => c.id === h.company_id));
    if (![...access.values()].some((a) => a !== 'none') && !keepsOther) errors.entreprises = HABILITATION_TEXTS.removeAllInstead;
    const newEmail = identity?.email && identity.email !== user.email ? identity.email : null;
    if (newEmail) {
      // An address that has an account gets the invitation's accesses (changeInvitationEmail):
      // only what « Ajouter » would refuse is refused here.
      const refusal = await addressRefusal(
        ctx,
        newEmail,
        adminOf.filter((c) => access.get(c.id) !== 'none').map((c) => c.id),
        actorId,
      );
      if (refusal) errors.email = refusal;
    }
    if (Object.keys(errors).length) {
      await renderForm(req, res, { mode: 'edit', user, identityEditable, values, errors, status: 422 });
      return;
    }
    const now = ctx.clock();
    let granted = new Map<number, number>();
    if (checked.updates.length) {
      const applied = await applyOrRefuse(ctx, user.id, checked.updates, actorId, now, adminOf);
      if (!applied.ok) {
        await renderForm(req, res, { mode: 'edit', user, identityEditable, values, errors: applied.errors, status: 422 });
        return;
      }
      granted = applied.granted;
    }
    for (const c of checked.changes) {
      await recordAudit(ctx.db, now, {
        event: 'role_changed',
        accountId: actorId,
        accountKind: 'hr',
        ...origin,
        detail: { target: user.id, company: c.companyId, from: c.from, to: c.to },
      });
    }
    const changed = identity ? identityFieldsChanged({ ...identity, email: identity.email, mobile: identity.mobile ?? '' }, user) : [];
    let identityRefused = false;
    let addressChanged = false;
    if (identity && changed.length) {
      const adminIds = adminOf.map((c) => c.id);
      if (newEmail) {
        const moved = await changeInvitationEmail(ctx.db, user.id, { ...identity, email: newEmail }, adminIds, actorId, now);
        identityRefused = moved.outcome === 'locked';
        addressChanged = !identityRefused;
        if (moved.outcome !== 'locked') await afterEmailChange(ctx, req, user, moved, changed);
      } else {
        delete identity.email;
        identityRefused = !(await updateHrIdentity(ctx.db, user.id, identity, adminIds, now));
        if (!identityRefused) {
          await recordAudit(ctx.db, now, {
            event: 'hr_profile_changed',
            accountId: actorId,
            accountKind: 'hr',
            ...origin,
            detail: { target: user.id, fields: changed.join(',') },
          });
          if (user.status === 'active') await notifyIdentityChanged(ctx, req, user, identity, changed);
        }
      }
    }
    // Access to a company the account did not reach: its owner is told, and may refuse it. Not when
    // the invitation's address changed: the new address got its own invitation or notices.
    if (!addressChanged) {
      const inviter = { firstName: req.account!.firstName, lastName: req.account!.lastName };
      for (const [companyId, habilitationId] of granted) {
        const update = checked.updates.find((u) => u.companyId === companyId)!;
        const companyName = adminOf.find((c) => c.id === companyId)!.name;
        await sendAccessNotice(ctx, { accountId: user.id, habilitationId, companyName, role: update.role as HrRole, grantedBy: inviter, actorId }, origin);
      }
    }
    if (identityRefused) {
      // Given access to another company between the form and now: only the roles were saved.
      await renderForm(req, res, { mode: 'edit', user, identityEditable: false, values, errors: { _form: IDENTITY_LOCKED }, status: 422 });
      return;
    }
    const name = identity ? `${identity.first_name} ${identity.last_name}` : fullName(user);
    res.redirectWithFlash(BASE, HABILITATION_TEXTS.updated(name));
  };
}

/**
 * After a new email for an invitation — the same answer follows either way (submitEdit). The
 * invitation took it: every link sent to the former address is dead, a new one goes to the new
 * one. The address had an account: that account's owner is told of each access, as « Ajouter »
 * does (or invited, when it was closed and is reopened), and the withdrawn invitation is closed.
 */
async function afterEmailChange(
  ctx: AppContext,
  req: Request,
  user: ManagedUser,
  change: Exclude<EmailChange, { outcome: 'locked' }>,
  changed: string[],
): Promise<void> {
  const { actorId, adminOf } = adminContext(req);
  const origin = requestOrigin(req);
  const now = ctx.clock();
  const inviter = { firstName: req.account!.firstName, lastName: req.account!.lastName };
  if (change.outcome === 'changed') {
    await recordAudit(ctx.db, now, {
      event: 'hr_profile_changed',
      accountId: actorId,
      accountKind: 'hr',
      ...origin,
      detail: { target: user.id, fields: changed.join(',') },
    });
    await recordAudit(ctx.db, now, { event: 'hr_invitation_email_changed', accountId: actorId, accountKind: 'hr', ...origin, detail: { target: user.id } });
    await issuePasswordCreationLink(ctx, user.id, inviter, origin);
    return;
  }
  await recordAudit(ctx.db, now, {
    event: 'hr_invitation_merged',
    accountId: actorId,
    accountKind: 'hr',
    ...origin,
    detail: { target: user.id, invited: change.accountId, companies: change.granted.map((g) => `${g.companyId}:${g.role}`).join(',') },
  });
  if (change.closed) await recordAccountDisabled(ctx.db, now, { id: user.id, kind: 'hr' }, { byAccountId: actorId, ...origin });
  if (change.invitation) {
    await issuePasswordCreationLink(ctx, change.accountId, inviter, origin);
    return;
  }
  for (const g of change.granted) {
    const companyName = adminOf.find((c) => c.id === g.companyId)?.name ?? '';
    await sendAccessNotice(
      ctx,
      { accountId: change.accountId, habilitationId: g.habilitationId, companyName, role: g.role, grantedBy: inviter, actorId },
      origin,
    );
  }
}

/** Applies the changes, or returns the last-administrator message at the company's field. */
async function applyOrRefuse(
  ctx: AppContext,
  accountId: number,
  updates: AccessUpdate[],
  actorId: number,
  now: Date,
  companies: { id: number; name: string }[],
  options: { closeWhenNoAccessLeft?: boolean } = {},
): Promise<({ ok: true } & AppliedUpdates) | { ok: false; errors: FieldErrors }> {
  try {
    return { ok: true, ...(await applyAccessUpdates(ctx.db, accountId, updates, actorId, now, options)) };
  } catch (err) {
    if (!(err instanceof LastAdministratorError)) throw err;
    const name = companies.find((c) => c.id === err.companyId)?.name ?? '';
    return { ok: false, errors: { [`acces_${err.companyId}`]: HABILITATION_MESSAGES.lastAdmin(name) } };
  }
}

// ------------------------------------------------------------------ resend, suspend, reactivate, remove
export function resendLink(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const user = await loadManagedUser(ctx, req);
    if (refusedAction(res, user, 'resend_link')) return;
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

async function renderConfirm(_req: Request, res: Response, user: ManagedUser, action: StatusAction, errors: FieldErrors = {}, status?: number) {
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
    if (refusedAction(res, user, action === 'suspendre' ? 'suspend' : 'remove')) return;
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
    /** Removal: an account left with no access anywhere is closed, in the transaction of the change. */
    closeWhenNoAccessLeft?: boolean;
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
  const applied = await applyOrRefuse(ctx, user.id, checked.updates, req.account!.id, now, adminContext(req).adminOf, {
    closeWhenNoAccessLeft: options.closeWhenNoAccessLeft,
  });
  if (!applied.ok) {
    const message = Object.values(applied.errors)[0];
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
  // No access left anywhere: the account was closed, and its sessions end.
  if (applied.closed) await recordAccountDisabled(ctx.db, now, { id: user.id, kind: 'hr' }, { byAccountId: req.account!.id, ...requestOrigin(req) });
  res.redirectWithFlash(BASE, options.done);
}

export function suspend(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const user = await loadManagedUser(ctx, req);
    refuseSelf(req, user);
    if (refusedAction(res, user, 'suspend')) return;
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
    if (refusedAction(res, user, 'reactivate')) return;
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
    if (refusedAction(res, user, 'remove')) return;
    await changeStatus(ctx, req, res, user, {
      next: () => ({ role: 'none', status: null }),
      event: 'habilitation_removed',
      done: HABILITATION_TEXTS.removed(fullName(user)),
      nothing: HABILITATION_TEXTS.nothingToSuspend,
      confirm: 'desactiver',
      closeWhenNoAccessLeft: true,
    });
  };
}

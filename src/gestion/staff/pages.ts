// « Comptes » of the Espace Gestion (superviseurs only, src/gestion/roles.ts): the staff accounts,
// « Ajouter un membre du personnel » (an invitation email with a 7-day single-use link to create
// the password, then the double authentification at the first login), and per account: change
// the role, suspend (reversible) and reactivate, deactivate (permanent), resend the invitation.
// The rules (never oneself, never the last active superviseur, the actions each status offers)
// are in src/domain/staff-accounts.ts; applyStaffChange checks them again under a lock.
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { issueStaffInvitationLink } from '../../auth/password-links.js';
import { requestOrigin } from '../../auth/session.js';
import { inviteStaffMember } from '../../auth/staff-invitation.js';
import type { AuditEvent } from '../../domain/audit.js';
import { formatPhone } from '../../domain/phone.js';
import { STAFF_MESSAGES, STAFF_ROLES, STAFF_STATUS_LABELS, staffActions, type StaffRole } from '../../domain/staff-accounts.js';
import { fullName } from '../../domain/text.js';
import { HttpError } from '../../middleware/errors.js';
import { recordAudit } from '../../stores/audit.js';
import { emailField, keptValues, mobileField, parseForm, positiveId, requiredText, type FieldErrors } from '../../validation.js';
import { STAFF_ROLE_LABELS } from '../roles.js';
import { applyStaffChange, findStaffAccount, findStaffAccounts, type StaffAccountRow, type StaffChange } from './queries.js';

const BASE = '/gestion/comptes';

const TEXTS = {
  added: (name: string, email: string) => `Le compte de ${name} est créé : une invitation à créer son mot de passe a été envoyée à ${email}.`,
  roleChanged: (name: string, role: string) => `${name} est maintenant ${role.toLowerCase()}.`,
  suspended: (name: string) => `Le compte de ${name} est suspendu : ses sessions sont fermées.`,
  reactivated: (name: string) => `Le compte de ${name} est réactivé.`,
  deactivated: (name: string) => `Le compte de ${name} est désactivé définitivement.`,
  linkSent: (email: string) => `Une nouvelle invitation a été envoyée à ${email}. Le lien précédent ne fonctionne plus.`,
} as const;

function roleValue(value: unknown): StaffRole | null {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value) ? (value as StaffRole) : null;
}

function roleOptions(): [StaffRole, string][] {
  return STAFF_ROLES.map((r) => [r, STAFF_ROLE_LABELS[r]]);
}

/** A staff account as the pages show it. */
function shown(account: StaffAccountRow, actorId: number) {
  const self = account.id === actorId;
  return {
    id: account.id,
    name: fullName(account),
    listName: `${account.last_name.toUpperCase()} ${account.first_name}`,
    email: account.email,
    mobile: account.mobile ? formatPhone(account.mobile) : null,
    role: STAFF_ROLE_LABELS[account.staff_role] ?? account.staff_role,
    roleValue: account.staff_role,
    status: account.status,
    statusLabel: STAFF_STATUS_LABELS[account.status],
    lastLoginAt: account.last_login_at,
    self,
    actions: staffActions(account.status, self),
  };
}

async function loadAccount(ctx: AppContext, req: Request): Promise<StaffAccountRow> {
  const id = positiveId(req.params.id);
  const account = id ? await findStaffAccount(ctx.db, id) : undefined;
  if (!account) throw new HttpError(404);
  return account;
}

// ------------------------------------------------------------------ the list and one account
export function showList(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const accounts = await findStaffAccounts(ctx.db);
    await res.renderPage({
      page: 'gestion/staff-accounts',
      layout: 'gestion',
      title: 'Comptes du personnel',
      locals: { accounts: accounts.map((a) => shown(a, req.account!.id)) },
    });
  };
}

async function renderAccount(req: Request, res: Response, account: StaffAccountRow, options: { status?: number; errors?: FieldErrors } = {}) {
  const view = shown(account, req.account!.id);
  await res.renderPage({
    page: 'gestion/staff-account',
    layout: 'gestion',
    title: view.name,
    status: options.status,
    locals: { staffAccount: view, roleOptions: roleOptions(), errors: options.errors ?? {}, base: BASE },
  });
}

export function showAccount(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    await renderAccount(req, res, await loadAccount(ctx, req));
  };
}

// ------------------------------------------------------------------ « Ajouter un membre du personnel »
const addSchema = z.object({
  last_name: requiredText('Saisissez le nom.', 100),
  first_name: requiredText('Saisissez le prénom.', 100),
  email: emailField("Saisissez l'adresse e-mail professionnelle."),
  mobile: mobileField({ optional: true, max: 30, tooLong: '30 caractères au maximum.' }),
  role: z.enum(STAFF_ROLES, { error: STAFF_MESSAGES.roleRequired }),
});

async function renderAddForm(res: Response, options: { status?: number; errors?: FieldErrors; values?: Record<string, string> } = {}) {
  await res.renderPage({
    page: 'gestion/staff-account-add',
    fragment: 'gestion/staff-account-form',
    layout: 'gestion',
    title: 'Ajouter un membre du personnel',
    status: options.status,
    locals: { errors: options.errors ?? {}, values: options.values ?? { role: 'gestionnaire' }, roleOptions: roleOptions(), action: `${BASE}/ajouter` },
  });
}

export function showAddForm(_ctx: AppContext) {
  return async (_req: Request, res: Response) => {
    await renderAddForm(res);
  };
}

export function submitAdd(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const values = keptValues(req.body);
    const parsed = parseForm(addSchema, req.body);
    if (!parsed.ok) {
      await renderAddForm(res, { status: 422, errors: parsed.errors, values });
      return;
    }
    const data = parsed.data;
    const actor = req.account!;
    const invited = await inviteStaffMember(
      ctx,
      { email: data.email, firstName: data.first_name, lastName: data.last_name, mobile: data.mobile ?? null, role: data.role },
      { invitedBy: { id: actor.id, firstName: actor.firstName, lastName: actor.lastName }, origin: requestOrigin(req), sendEmail: true },
    );
    if (!invited.ok) {
      await renderAddForm(res, { status: 422, errors: { email: STAFF_MESSAGES.emailTaken }, values });
      return;
    }
    res.redirectWithFlash(BASE, TEXTS.added(`${data.first_name} ${data.last_name}`, data.email.toLowerCase()));
  };
}

// ------------------------------------------------------------------ role, suspend, reactivate, deactivate, resend
const EVENTS: Record<StaffChange['action'], AuditEvent> = {
  role: 'staff_role_changed',
  suspend: 'staff_suspended',
  reactivate: 'staff_reactivated',
  deactivate: 'staff_deactivated',
};

/** Applies a change; a refusal comes back on the account's page (422) with its French reason. */
async function change(ctx: AppContext, req: Request, res: Response, next: StaffChange, done: (name: string) => string): Promise<void> {
  const account = await loadAccount(ctx, req);
  const now = ctx.clock();
  const result = await applyStaffChange(ctx.db, account.id, req.account!.id, next, now);
  if (!result.ok) {
    if ('missing' in result) throw new HttpError(404);
    const fresh = (await findStaffAccount(ctx.db, account.id)) ?? account;
    await renderAccount(req, res, fresh, { status: 422, errors: { _form: result.message } });
    return;
  }
  await recordAudit(ctx.db, now, {
    event: EVENTS[next.action],
    accountId: req.account!.id,
    accountKind: 'staff',
    ...requestOrigin(req),
    detail: { target: account.id, ...(next.action === 'role' ? { from: result.before.staff_role, to: next.role } : {}) },
  });
  res.redirectWithFlash(`${BASE}/${account.id}`, done(fullName(account)));
}

export function changeRole(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const role = roleValue((req.body as Record<string, unknown> | undefined)?.role);
    if (!role) {
      await renderAccount(req, res, await loadAccount(ctx, req), { status: 422, errors: { role: STAFF_MESSAGES.roleRequired } });
      return;
    }
    await change(ctx, req, res, { action: 'role', role }, (name) => TEXTS.roleChanged(name, STAFF_ROLE_LABELS[role]));
  };
}

export function suspend(ctx: AppContext) {
  return (req: Request, res: Response) => change(ctx, req, res, { action: 'suspend' }, TEXTS.suspended);
}

export function reactivate(ctx: AppContext) {
  return (req: Request, res: Response) => change(ctx, req, res, { action: 'reactivate' }, TEXTS.reactivated);
}

/** « Désactiver définitivement » asks for a confirmation first (a page of its own, so it works without JS). */
export function showDeactivate(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const account = await loadAccount(ctx, req);
    const view = shown(account, req.account!.id);
    if (!view.actions.includes('deactivate')) {
      res.redirectWithFlash(`${BASE}/${account.id}`, view.self ? STAFF_MESSAGES.self : STAFF_MESSAGES.notAllowed(view.statusLabel), 'error');
      return;
    }
    await res.renderPage({
      page: 'gestion/staff-account-deactivate',
      layout: 'gestion',
      title: 'Désactiver définitivement le compte',
      locals: { staffAccount: view, base: BASE },
    });
  };
}

export function deactivate(ctx: AppContext) {
  return (req: Request, res: Response) => change(ctx, req, res, { action: 'deactivate' }, TEXTS.deactivated);
}

export function resendInvitation(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const account = await loadAccount(ctx, req);
    if (!staffActions(account.status, account.id === req.account!.id).includes('resend')) {
      await renderAccount(req, res, account, { status: 422, errors: { _form: STAFF_MESSAGES.notAllowed(STAFF_STATUS_LABELS[account.status]) } });
      return;
    }
    const actor = req.account!;
    await issueStaffInvitationLink(ctx, account.id, { invitedBy: actor, origin: requestOrigin(req), sendEmail: true });
    res.redirectWithFlash(`${BASE}/${account.id}`, TEXTS.linkSent(account.email));
  };
}

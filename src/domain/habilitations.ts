// The rules of « Gestion des habilitations » (docs/domain.md#habilitations), in one place: who may change whose
// access on which company. Callers load the facts; these functions decide and say why in French.
export type HrRole = 'admin' | 'user';
/** What an administrator can set for someone on one company: a role, or no access at all. */
export type Access = HrRole | 'none';

export const HABILITATION_MESSAGES = {
  notAdministrator: "Vous n'êtes pas administrateur de cette entreprise : vous ne pouvez pas y donner d'accès.",
  self: 'Vous ne pouvez pas modifier vos propres droits. Demandez-le à un autre administrateur.',
  lastAdmin: (company: string) => `${company} n'aurait plus d'administrateur actif. Nommez d'abord un autre administrateur pour cette entreprise.`,
  atLeastOneCompany: 'Choisissez au moins une entreprise et le rôle de cet utilisateur.',
} as const;

export const ROLE_LABELS: Record<HrRole, string> = { admin: 'Administrateur', user: 'Utilisateur' };

export interface AccessChange {
  companyId: number;
  companyName: string;
  /** The target's current access on the company (active or suspended role, or none). */
  from: Access;
  fromStatus: 'active' | 'suspended' | null;
  to: Access;
  toStatus: 'active' | 'suspended' | null;
  /** Active administrators of the company today, the target included if they are one. */
  activeAdmins: number;
}

/**
 * Why a change of someone's access on one company is refused, or null when it is allowed:
 * only on companies the actor administers, never on oneself, and never leaving a company
 * without an active administrator.
 */
export function refuseAccessChange(change: AccessChange, actor: { id: number; adminOf: number[] }, targetId: number): string | null {
  if (change.from === change.to && change.fromStatus === change.toStatus) return null;
  if (!actor.adminOf.includes(change.companyId)) return HABILITATION_MESSAGES.notAdministrator;
  if (actor.id === targetId) return HABILITATION_MESSAGES.self;
  const wasActiveAdmin = change.from === 'admin' && change.fromStatus === 'active';
  const staysActiveAdmin = change.to === 'admin' && change.toStatus === 'active';
  if (wasActiveAdmin && !staysActiveAdmin && change.activeAdmins <= 1) return HABILITATION_MESSAGES.lastAdmin(change.companyName);
  return null;
}

/**
 * Whether an administrator may change who an account is — names, email, mobile — rather than
 * only its roles on their companies: only when they administer EVERY company the account can
 * reach (its habilitations anywhere, active or suspended). Otherwise the administrator of one
 * company could take over, or redirect the 2FA of, someone who administers another one.
 */
export function mayChangeIdentity(actorAdminOf: readonly number[], reachableCompanies: readonly number[]): boolean {
  return reachableCompanies.length > 0 && reachableCompanies.every((id) => actorAdminOf.includes(id));
}

export const IDENTITY_LOCKED =
  "Cet utilisateur a aussi accès à des sociétés que vous n'administrez pas : vous pouvez modifier ses rôles sur vos sociétés, mais pas son nom, son prénom, son adresse e-mail ni son mobile.";

// ------------------------------------------------------------------ status and actions in the list
//
// One function of the state gives both the status shown and the actions offered — and allowed:
// the handlers refuse an action the state does not offer. The state is the account's status and
// the statuses of its habilitations on the administrator's companies (a user is in the list
// because they have at least one there):
//
//   account   habilitations here   status                 actions
//   pending   all active           Invitation envoyée     modify, resend_link, suspend, remove
//   pending   some suspended       Invitation envoyée     modify, resend_link, suspend, reactivate, remove
//   pending   all suspended        Invitation suspendue   modify, reactivate, remove
//   active    all active           Actif                  modify, suspend, remove
//   active    some suspended       Actif                  modify, suspend, reactivate, remove
//   active    all suspended        Suspendu               modify, reactivate, remove
//   other     any                  Désactivé              remove
//
// Each action has one condition: « suspend » needs an active access here, « reactivate » a
// suspended one, « resend_link » an invitation with an active access here (a suspended invitee
// cannot create a password: src/auth/password-pages.ts), and a closed account can only be
// removed from the list.
type HrUserStateCode = 'invited' | 'invited_suspended' | 'active' | 'suspended' | 'disabled';
export type HrUserAction = 'modify' | 'resend_link' | 'suspend' | 'reactivate' | 'remove';

export interface HrUserState {
  code: HrUserStateCode;
  label: string;
  actions: HrUserAction[];
}

const STATE_LABELS: Record<HrUserStateCode, string> = {
  invited: 'Invitation envoyée',
  invited_suspended: 'Invitation suspendue',
  active: 'Actif',
  suspended: 'Suspendu',
  disabled: 'Désactivé',
};

/** The status and the actions of a user in the list, from the account and its habilitations on the admin's companies. */
export function hrUserState(accountStatus: string, habilitationStatuses: readonly string[]): HrUserState {
  const open = accountStatus === 'pending' || accountStatus === 'active';
  const anyActive = habilitationStatuses.some((s) => s === 'active');
  const anySuspended = habilitationStatuses.some((s) => s === 'suspended');
  const allSuspended = anySuspended && !anyActive;
  const code: HrUserStateCode = !open
    ? 'disabled'
    : accountStatus === 'pending'
      ? allSuspended
        ? 'invited_suspended'
        : 'invited'
      : allSuspended
        ? 'suspended'
        : 'active';
  const actions: HrUserAction[] = [];
  if (open) actions.push('modify');
  if (open && accountStatus === 'pending' && anyActive) actions.push('resend_link');
  if (open && anyActive) actions.push('suspend');
  if (open && anySuspended) actions.push('reactivate');
  actions.push('remove');
  return { code, label: STATE_LABELS[code], actions };
}

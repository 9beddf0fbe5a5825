// The rules of « Gestion des habilitations » (SPEC §3.2), in one place: who may change whose
// access on which company. Callers load the facts; these functions decide and say why in French.
export type HrRole = 'admin' | 'user';
/** What an administrator can set for someone on one company: a role, or no access at all. */
export type Access = HrRole | 'none';

export const HABILITATION_MESSAGES = {
  notAdministrator: "Vous n'êtes pas administrateur de cette entreprise : vous ne pouvez pas y donner d'accès.",
  self: 'Vous ne pouvez pas modifier vos propres droits. Demandez-le à un autre administrateur.',
  lastAdmin: (company: string) =>
    `${company} n'aurait plus d'administrateur actif. Nommez d'abord un autre administrateur pour cette entreprise.`,
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

/** The status shown in the user list, from the account and its habilitations on the admin's companies. */
export function hrUserStatus(accountStatus: string, habilitationStatuses: string[]): { code: 'invited' | 'active' | 'suspended' | 'disabled'; label: string } {
  if (accountStatus === 'disabled') return { code: 'disabled', label: 'Désactivé' };
  if (accountStatus === 'pending') return { code: 'invited', label: 'Invitation envoyée' };
  if (habilitationStatuses.length && habilitationStatuses.every((s) => s === 'suspended')) return { code: 'suspended', label: 'Suspendu' };
  return { code: 'active', label: 'Actif' };
}

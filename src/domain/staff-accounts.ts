// The rules of « Comptes » of the Espace Gestion (docs/domain.md#staff-roles): the staff accounts a
// « superviseur » manages, their status, the actions each status offers, and why one is refused.
//
//   invitation envoyée (pending) ── password created from the link ──> actif (active)
//   pending ── désactiver ──> désactivé (disabled, permanent)
//   active ── suspendre ──> suspendu (suspended) ── réactiver ──> active
//   active | suspended ── désactiver ──> disabled
//
// A superviseur never acts on their own account, and the last active superviseur can never be
// suspended, deactivated or made a gestionnaire (the query checks this again under a lock).

/** The roles of src/gestion/roles.ts (the guard), as the values a form may send. */
export const STAFF_ROLES = ['gestionnaire', 'superviseur'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
/** Inside a sentence (the labels of src/gestion/roles.ts take a capital). */
export const STAFF_ROLE_NAMES: Record<StaffRole, string> = { gestionnaire: 'gestionnaire', superviseur: 'superviseur' };

export type StaffStatus = 'pending' | 'active' | 'suspended' | 'disabled';
export type StaffAction = 'role' | 'suspend' | 'reactivate' | 'deactivate' | 'resend';

export const STAFF_STATUS_LABELS: Record<StaffStatus, string> = {
  pending: 'Invitation envoyée',
  active: 'Actif',
  suspended: 'Suspendu',
  disabled: 'Désactivé',
};

const ACTIONS: Record<StaffStatus, StaffAction[]> = {
  pending: ['role', 'resend', 'deactivate'],
  active: ['role', 'suspend', 'deactivate'],
  suspended: ['role', 'reactivate', 'deactivate'],
  disabled: [],
};

export const STAFF_MESSAGES = {
  self: 'Vous ne pouvez pas modifier votre propre compte. Demandez-le à un autre superviseur.',
  lastSupervisor: "Ce compte est celui du dernier superviseur actif : nommez d'abord un autre superviseur.",
  notAllowed: (status: string) => `Cette action n'est pas possible pour un compte au statut « ${status} ».`,
  emailTaken: 'Un compte du personnel existe déjà avec cette adresse e-mail.',
  actorNotSupervisor: "Votre compte n'est plus celui d'un superviseur actif : cette action n'a pas été faite.",
  roleRequired: 'Choisissez le rôle : gestionnaire ou superviseur.',
  sameRole: 'Ce compte a déjà ce rôle.',
} as const;

/** The actions offered for an account in the list, for the superviseur looking at it (none on oneself). */
export function staffActions(status: StaffStatus, self: boolean): StaffAction[] {
  return self ? [] : ACTIONS[status];
}

/**
 * Why an action on a staff account is refused, or null. `activeSupervisors` counts the active
 * superviseurs, the target included if it is one; the caller reads it under a lock.
 */
export function refuseStaffAction(
  action: StaffAction,
  target: { id: number; status: StaffStatus; role: StaffRole },
  actorId: number,
  activeSupervisors: number,
  newRole?: StaffRole,
): string | null {
  if (target.id === actorId) return STAFF_MESSAGES.self;
  if (!ACTIONS[target.status].includes(action)) return STAFF_MESSAGES.notAllowed(STAFF_STATUS_LABELS[target.status]);
  if (action === 'role' && newRole === target.role) return STAFF_MESSAGES.sameRole;
  const removesSupervisor = action === 'suspend' || action === 'deactivate' || (action === 'role' && newRole !== 'superviseur');
  if (removesSupervisor && target.status === 'active' && target.role === 'superviseur' && activeSupervisors <= 1) return STAFF_MESSAGES.lastSupervisor;
  return null;
}

// NOEMIE / télétransmission (docs/domain.md#teletransmission): the Sécurité sociale fund sends each décompte to the
// complementary insurer electronically. Tracked per beneficiary:
//   inactive → activation_requested → active → deactivation_requested → inactive, plus blocked
// (another complementary insurer is still linked at the fund). The member asks, the back office
// processes: every change is a `teletransmission_events` row the back office works from. The
// rules are here; src/stores/teletransmission.ts writes the change.
import { isoToday } from './dates.js';

export const TELETRANSMISSION_STATUSES = ['inactive', 'activation_requested', 'active', 'deactivation_requested', 'blocked'] as const;
export type TeletransmissionStatus = (typeof TELETRANSMISSION_STATUSES)[number];

/** The French label of each status, the one place the UI takes them from. */
export const teletransmissionLabels: Readonly<Record<TeletransmissionStatus, string>> = {
  inactive: 'Inactive',
  activation_requested: 'Activation demandée',
  active: 'Active',
  deactivation_requested: 'Désactivation demandée',
  blocked: 'Bloquée : un autre organisme complémentaire est encore rattaché',
};

/** Short label for tables and badges (« Bloquée » without its explanation). */
export const teletransmissionShortLabels: Readonly<Record<TeletransmissionStatus, string>> = {
  ...teletransmissionLabels,
  blocked: 'Bloquée',
};

/**
 * What someone can ask for. The member: request_activation, request_deactivation, cancel_request.
 * The back office (Espace Gestion): confirm (the fund accepted the pending request), reject
 * (it refused: back to where the request started), block (another insurer is still linked),
 * unblock (the other insurer let go: télétransmission can now be requested).
 */
export type TeletransmissionAction = 'request_activation' | 'request_deactivation' | 'cancel_request' | 'confirm' | 'reject' | 'block' | 'unblock';
export type TeletransmissionActor = 'member' | 'staff';

const MEMBER_ACTIONS: readonly TeletransmissionAction[] = ['request_activation', 'request_deactivation', 'cancel_request'];

export type TransitionResult = { ok: true; from: TeletransmissionStatus; to: TeletransmissionStatus; since: string } | { ok: false; reason: string };

export const TELETRANSMISSION_MESSAGES = {
  blocked:
    "La télétransmission ne peut pas être modifiée : un autre organisme complémentaire est encore rattaché à ce bénéficiaire auprès de sa caisse d'assurance maladie. Demandez à votre ancien organisme de clôturer la télétransmission, puis contactez-nous.",
  alreadyActive: 'La télétransmission est déjà active pour ce bénéficiaire.',
  alreadyInactive: 'La télétransmission est déjà inactive pour ce bénéficiaire.',
  activationPending: "Une demande d'activation est déjà en cours pour ce bénéficiaire. Vous pouvez l'annuler.",
  deactivationPending: "Une demande de désactivation est déjà en cours pour ce bénéficiaire. Vous pouvez l'annuler.",
  noRequest: "Aucune demande n'est en cours pour ce bénéficiaire.",
  notAllowed: "Cette opération n'est pas possible pour vous.",
  unknownStatus: 'Le statut de télétransmission de ce bénéficiaire est inconnu : contactez-nous.',
} as const;

function isTeletransmissionStatus(value: unknown): value is TeletransmissionStatus {
  return typeof value === 'string' && (TELETRANSMISSION_STATUSES as readonly string[]).includes(value);
}

/**
 * The one transition rule. Returns the new status and the day to record as
 * `teletransmission_since` (the day of the change, Paris time), or a French reason.
 */
export function teletransmissionTransition(
  current: string,
  action: TeletransmissionAction,
  now: Date,
  actor: TeletransmissionActor = 'member',
): TransitionResult {
  if (!isTeletransmissionStatus(current)) return { ok: false, reason: TELETRANSMISSION_MESSAGES.unknownStatus };
  if (actor === 'member' && !MEMBER_ACTIONS.includes(action)) return { ok: false, reason: TELETRANSMISSION_MESSAGES.notAllowed };
  const to = nextStatus(current, action);
  if (typeof to !== 'string') return { ok: false, reason: to.reason };
  return { ok: true, from: current, to, since: isoToday(() => now) };
}

function nextStatus(current: TeletransmissionStatus, action: TeletransmissionAction): TeletransmissionStatus | { reason: string } {
  const m = TELETRANSMISSION_MESSAGES;
  switch (action) {
    case 'request_activation':
      return current === 'inactive'
        ? 'activation_requested'
        : {
            reason:
              current === 'blocked'
                ? m.blocked
                : current === 'active'
                  ? m.alreadyActive
                  : current === 'activation_requested'
                    ? m.activationPending
                    : m.deactivationPending,
          };
    case 'request_deactivation':
      return current === 'active'
        ? 'deactivation_requested'
        : {
            reason:
              current === 'blocked'
                ? m.blocked
                : current === 'inactive'
                  ? m.alreadyInactive
                  : current === 'deactivation_requested'
                    ? m.deactivationPending
                    : m.activationPending,
          };
    case 'cancel_request':
    case 'reject':
      // A pending request goes back to where it started.
      if (current === 'activation_requested') return 'inactive';
      if (current === 'deactivation_requested') return 'active';
      return { reason: current === 'blocked' ? m.blocked : m.noRequest };
    case 'confirm':
      if (current === 'activation_requested') return 'active';
      if (current === 'deactivation_requested') return 'inactive';
      return { reason: current === 'blocked' ? m.blocked : m.noRequest };
    case 'block':
      return current === 'blocked' ? { reason: m.blocked } : 'blocked';
    case 'unblock':
      return current === 'blocked' ? 'inactive' : { reason: m.noRequest };
  }
}

/** The action the member's button stands for, given the current status (null: no button). */
export function memberActionFor(status: string): 'request_activation' | 'request_deactivation' | 'cancel_request' | null {
  switch (status) {
    case 'inactive':
      return 'request_activation';
    case 'active':
      return 'request_deactivation';
    case 'activation_requested':
    case 'deactivation_requested':
      return 'cancel_request';
    default:
      return null;
  }
}

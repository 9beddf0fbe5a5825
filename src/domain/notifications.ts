// The kinds of notification (notifications.kind) and the words of each one's link in the list
// of the Espace Entreprise's bell: a link says where it leads (« Voir la demande » only for a
// request). A new kind is one line in NOTIFICATION_LINK_LABELS; the compiler asks for it, since
// addNotification takes a NotificationKind.
export const NOTIFICATION_LINK_LABELS = {
  affiliation_finalized: 'Voir la demande',
  affiliation_validated: 'Voir la demande',
  affiliation_refused: 'Voir la demande',
  habilitation_activated: 'Voir les habilitations',
  message_reply: 'Lire la réponse',
  request_answered: 'Voir la demande',
} as const satisfies Record<string, string>;

export type NotificationKind = keyof typeof NOTIFICATION_LINK_LABELS;

/** What opening a notification does, said on its button: follow its link, or only mark it read. */
export function notificationActionLabel(kind: string, link: string | null): string {
  if (!link) return 'Marquer comme lue';
  return Object.hasOwn(NOTIFICATION_LINK_LABELS, kind) ? NOTIFICATION_LINK_LABELS[kind as NotificationKind] : 'Ouvrir';
}

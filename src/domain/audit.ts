// The security audit log (docs/domain.md#audit-log-and-outbox): who, what, when (UTC), from where. Never a secret, a code,
// a password, a full NIR or IBAN: callers pass only identifiers and outcomes in `detail`.
// The events and the row are here; src/stores/audit.ts writes it.
export const auditEvents = {
  activation: 'Activation du compte',
  activation_code_sent: "Envoi d'un code d'activation",
  activation_code_failed: "Code d'activation erroné",
  login_ok: 'Connexion réussie',
  login_failed: 'Connexion refusée',
  login_throttled: 'Connexion ralentie (trop de tentatives)',
  two_factor_sent: 'Double authentification : code envoyé',
  two_factor_ok: 'Double authentification réussie',
  two_factor_failed: 'Double authentification : code erroné',
  phone_change_code_sent: 'Changement de mobile : code envoyé par e-mail',
  phone_changed: 'Numéro de mobile modifié',
  email_changed: 'Adresse e-mail modifiée',
  logout: 'Déconnexion',
  session_expired: 'Session expirée',
  password_changed: 'Mot de passe modifié',
  password_reset_requested: 'Mot de passe oublié : lien demandé',
  password_reset: 'Mot de passe réinitialisé',
  password_created: 'Mot de passe créé (invitation)',
  password_link_sent: 'Lien de création de mot de passe envoyé',
  account_disabled: 'Compte désactivé',
  session_ended_by_disable: 'Sessions terminées (compte désactivé)',
  role_changed: 'Habilitation modifiée',
  hr_user_invited: "Utilisateur ajouté à l'Espace Entreprise",
  habilitation_suspended: 'Accès suspendu provisoirement',
  habilitation_reactivated: 'Accès réactivé',
  habilitation_removed: 'Accès retiré définitivement',
  hr_profile_changed: 'Profil utilisateur modifié par un administrateur',
  hr_identity_change_refused: "Modification du nom, de l'e-mail ou du mobile refusée (sociétés non administrées)",
  hr_invitation_email_changed: "Adresse e-mail d'une invitation modifiée (liens précédents révoqués)",
  hr_invitation_merged: "Adresse e-mail d'une invitation remplacée par celle d'un compte existant (accès transférés, invitation retirée)",
  habilitation_notice_sent: 'Nouvel accès signalé à son titulaire (lien pour le refuser)',
  habilitation_refused: 'Accès refusé par son titulaire',
  perimeter_added: 'Établissement ajouté au périmètre suivi',
  perimeter_imported: 'Établissements ajoutés par fichier',
  pre_affiliation_created: 'Salarié pré-affilié',
  trusted_device_revoked: 'Appareil de confiance révoqué',
  nir_revealed: 'Numéro de Sécurité sociale affiché',
  card_nir_revealed: 'Numéro de Sécurité sociale affiché sur la carte de tiers payant',
  card_printed: 'Carte de tiers payant ouverte pour impression (numéros de Sécurité sociale en entier)',
  card_downloaded: 'Carte de tiers payant téléchargée en PDF (numéros de Sécurité sociale en entier)',
  iban_changed: 'Coordonnées bancaires modifiées',
  affiliation_reminder_sent: "Demande d'affiliation : email de relance envoyé",
  affiliation_request_cancelled: "Demande d'affiliation annulée",
  affiliation_paper_entered: "Bulletin d'affiliation papier saisi par un gestionnaire",
  affiliation_validated: 'Affiliation validée par un gestionnaire',
  affiliation_refused: 'Affiliation refusée par un gestionnaire',
  correspondence_request_created: 'Demande transmise (remboursement, devis, télétransmission)',
  correspondence_request_withdrawn: "Demande de télétransmission annulée par l'assuré",
  correspondence_documents_added: 'Documents manquants ajoutés à une demande',
  correspondence_request_started: 'Demande prise en charge par un gestionnaire',
  correspondence_document_asked: "Document manquant demandé à l'assuré",
  correspondence_request_accepted: 'Demande traitée par un gestionnaire',
  correspondence_request_refused: 'Demande refusée par un gestionnaire',
  correspondence_request_assigned: 'Demande attribuée',
  correspondence_request_noted: 'Note interne ajoutée à une demande',
  correspondence_thread_created: 'Message envoyé (messagerie, nous contacter)',
  correspondence_owner_replied: 'Réponse dans une conversation',
  correspondence_staff_replied: 'Réponse du gestionnaire dans une conversation',
  correspondence_thread_noted: 'Note interne ajoutée à une conversation',
  correspondence_thread_assigned: 'Conversation attribuée',
  correspondence_thread_closed: 'Conversation close',
  correspondence_thread_reopened: 'Conversation rouverte',
  practical_document_added: 'Document pratique mis en ligne',
  practical_document_replaced: 'Document pratique remplacé (nouvelle version)',
  practical_document_withdrawn: 'Document pratique retiré',
  practical_document_restored: 'Document pratique remis en ligne',
  staff_invited: 'Compte du personnel créé (invitation envoyée)',
  staff_role_changed: "Rôle d'un compte du personnel modifié",
  staff_suspended: 'Compte du personnel suspendu',
  staff_reactivated: 'Compte du personnel réactivé',
  staff_deactivated: 'Compte du personnel désactivé définitivement',
} as const;

export type AuditEvent = keyof typeof auditEvents;

export interface AuditEntry {
  event: AuditEvent;
  accountId?: number | null;
  accountKind?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  detail?: Record<string, string | number | boolean | null>;
}

/** The `audit_log` row for an entry (written by src/stores/audit.ts): the user agent cut to 500 characters, the detail as JSON. */
export function auditLogRow(now: Date, entry: AuditEntry) {
  return {
    at: now.toISOString(),
    event: entry.event,
    account_id: entry.accountId ?? null,
    account_kind: entry.accountKind ?? null,
    ip: entry.ip ?? null,
    user_agent: entry.userAgent ? entry.userAgent.slice(0, 500) : null,
    detail: entry.detail ? JSON.stringify(entry.detail) : null,
  };
}

// What each line of the security audit log says, as a French sentence built from the event, the
// account and the detail (« Marie Lefebvre a affiché le numéro de Sécurité sociale de Léo
// Lefebvre. »): no raw key, id or « null » reaches the staff. The ids a detail holds are turned
// into names by the caller (src/gestion/audit.ts reads them for a whole page at once, see
// auditReferences); a name that is gone reads « un assuré », « un salarié »…
//
// AUDIT_SENTENCES is a Record over every AuditEvent: an event added to auditEvents
// (src/domain/audit.ts) does not compile until it has its line here, and
// test/unit/audit-sentences.test.ts checks every event written in src has one.
import type { AuditEvent } from './audit.js';
import { ROLE_LABELS, type HrRole } from './habilitations.js';
import { formatDateFr, isIsoDate } from './dates.js';
import { STAFF_ROLE_NAMES } from './staff-accounts.js';
import { de } from './text.js';

/** What the ids of a detail point to. */
const AUDIT_REFERENCE_KINDS = ['accounts', 'members', 'beneficiaries', 'requests', 'establishments', 'companies'] as const;
export type AuditReferenceKind = (typeof AUDIT_REFERENCE_KINDS)[number];

/** The names behind the ids, per kind (« Prénom Nom », an establishment's label, a company's name). */
export type AuditNames = { readonly [K in AuditReferenceKind]: ReadonlyMap<number, string> };

/** The detail keys holding one id, and what it points to. `companies` holds a list (see companyIds). */
const REFERENCE_KEYS: Readonly<Record<string, AuditReferenceKind>> = {
  target: 'accounts',
  invited: 'accounts',
  by: 'accounts',
  grantedBy: 'accounts',
  memberId: 'members',
  member: 'members',
  beneficiaryId: 'beneficiaries',
  request: 'requests',
  establishment: 'establishments',
  establishmentId: 'establishments',
  company: 'companies',
  companyId: 'companies',
};

/** How a name that is no longer there reads. */
const GONE: Readonly<Record<AuditReferenceKind, string>> = {
  accounts: 'un compte supprimé',
  members: 'un assuré',
  beneficiaries: 'un bénéficiaire',
  requests: 'un salarié',
  establishments: 'un établissement',
  companies: 'une entreprise',
};

/** One line of the log, ready to be said. */
export interface AuditLine {
  event: AuditEvent;
  /** « Prénom Nom » of the line's account (account_id); null when it has none or it is gone. */
  account: string | null;
  /** member | hr | staff */
  accountKind: string | null;
  /** The detail (JSON) parsed; anything not an object reads as empty. */
  detail: Readonly<Record<string, unknown>>;
  names: AuditNames;
}

function idOf(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,12}$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** `companies` is « 1:admin,2:user » (roles given) or « 1,2 ». */
function companyEntries(value: unknown): { id: number; role: string | null }[] {
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((part) => {
      const [id, role] = part.split(':');
      return { id: idOf(id?.trim()), role: role?.trim() || null };
    })
    .filter((c): c is { id: number; role: string | null } => c.id !== null);
}

/** Every id the details of a page of the log point to, per kind, for reading their names at once. */
export function auditReferences(details: readonly Readonly<Record<string, unknown>>[]): Record<AuditReferenceKind, number[]> {
  const found = Object.fromEntries(AUDIT_REFERENCE_KINDS.map((k) => [k, new Set<number>()])) as Record<AuditReferenceKind, Set<number>>;
  for (const detail of details) {
    for (const [key, value] of Object.entries(detail)) {
      const kind = Object.hasOwn(REFERENCE_KEYS, key) ? REFERENCE_KEYS[key] : undefined;
      const id = kind ? idOf(value) : null;
      if (kind && id) found[kind].add(id);
      if (key === 'companies') for (const c of companyEntries(value)) found.companies.add(c.id);
    }
  }
  return Object.fromEntries(AUDIT_REFERENCE_KINDS.map((k) => [k, [...found[k]]])) as Record<AuditReferenceKind, number[]>;
}

/** The JSON detail of a row, as an object (an empty one when missing or damaged). */
export function parseAuditDetail(json: string | null): Record<string, unknown> {
  if (!json) return {};
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

// ------------------------------------------------------------------ pieces of sentences
/** « A », « A et B », « A, B et C ». */
function frenchList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} et ${items[items.length - 1]}`;
}

function named(line: AuditLine, key: string): string | null {
  const kind = REFERENCE_KEYS[key];
  const id = idOf(line.detail[key]);
  if (!kind || id === null) return null;
  return line.names[kind].get(id) ?? GONE[kind];
}

/** The account the line is about, or how a missing one reads, at the start of a sentence. */
function who(line: AuditLine): string {
  return line.account ?? 'Un compte supprimé';
}

/** « gestionnaire » or « superviseur », or null for anything else. */
function staffRoleName(value: unknown): string | null {
  return typeof value === 'string' && Object.hasOwn(STAFF_ROLE_NAMES, value) ? STAFF_ROLE_NAMES[value as keyof typeof STAFF_ROLE_NAMES] : null;
}

/** The same, inside a sentence. */
function whom(line: AuditLine): string {
  return line.account ?? GONE.accounts;
}

const SPACES: Readonly<Record<string, string>> = { member: "l'Espace Assuré", hr: "l'Espace Entreprise", staff: "l'Espace Gestion" };
function space(line: AuditLine): string {
  return SPACES[line.accountKind ?? ''] ?? 'le portail';
}

function roleLabel(role: unknown): string | null {
  if (role === 'none') return 'aucun accès';
  return typeof role === 'string' && Object.hasOwn(ROLE_LABELS, role) ? ROLE_LABELS[role as HrRole] : null;
}

/** « Alpha (Administrateur) et Beta (Utilisateur) » from `companies`, or null when there is none. */
function companiesOf(line: AuditLine): string | null {
  const entries = companyEntries(line.detail.companies);
  if (!entries.length) return null;
  return frenchList(
    entries.map((c) => {
      const name = line.names.companies.get(c.id) ?? GONE.companies;
      const role = roleLabel(c.role);
      return role ? `${name} (${role})` : name;
    }),
  );
}

function channel(value: unknown): string {
  return value === 'sms' ? 'par SMS' : 'par e-mail';
}

/** Why a one-time code was refused (src/domain/codes.ts statuses). */
const CODE_REASONS: Readonly<Record<string, string>> = {
  wrong: 'code erroné',
  expired: 'code expiré',
  exhausted: "trop d'essais",
  used: 'code déjà utilisé',
  unknown: 'aucun code en cours',
};
function codeReason(value: unknown): string {
  const reason = typeof value === 'string' && Object.hasOwn(CODE_REASONS, value) ? CODE_REASONS[value] : null;
  return reason ? ` (${reason})` : '';
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** « à Alpha (Administrateur) » or nothing. */
function onCompanies(line: AuditLine, word = 'sur'): string {
  const companies = companiesOf(line);
  return companies ? ` ${word} ${companies}` : '';
}

/** « DR-2026-000123 » from the detail, checked for its shape (never free text from a detail). */
function referenceOf(line: AuditLine): string {
  const reference = line.detail.reference;
  return typeof reference === 'string' && /^[A-Z]{2}-[0-9]{4}-[0-9]{1,12}$/.test(reference) ? ` ${reference}` : '';
}

/** « CT00012-C » or nothing: a contract's reference as staff typed it. */
function contractReferenceOf(line: AuditLine): string {
  const reference = line.detail.reference;
  return typeof reference === 'string' && /^[A-Z0-9-]{1,30}$/.test(reference) ? ` ${reference}` : '';
}

/** « « Notice d'information » » or nothing: a document's title as staff typed it. */
function documentTitleOf(line: AuditLine): string {
  const title = line.detail.title;
  return typeof title === 'string' && title.trim() && title.length <= 200 ? ` « ${title.trim()} »` : '';
}

/** « (motif : …) » or nothing: the reason staff typed for an action on an account. */
function reasonOf(line: AuditLine): string {
  const reason = line.detail.reason;
  return typeof reason === 'string' && reason.trim() && reason.length <= 500 ? ` (motif : ${reason.trim()})` : '';
}

const REQUEST_KIND_WORDS: Readonly<Record<string, string>> = {
  remboursement: 'la demande de remboursement',
  devis: 'la demande de devis',
  teletransmission: 'la demande de télétransmission',
};
/** « la demande de remboursement DR-2026-000123 ». */
function requestOf(line: AuditLine): string {
  const kind = line.detail.kind;
  const words = typeof kind === 'string' && Object.hasOwn(REQUEST_KIND_WORDS, kind) ? REQUEST_KIND_WORDS[kind] : 'la demande';
  return `${words}${referenceOf(line)}`;
}

/** « de Marie Lefebvre » when the detail names the member and the line's account is not theirs. */
function forMember(line: AuditLine): string {
  if (line.accountKind === 'member') return '';
  const member = named(line, 'member');
  return member ? ` ${de(member)}` : '';
}

// ------------------------------------------------------------------ one sentence per event
type Sentence = (line: AuditLine) => string;

export const AUDIT_SENTENCES: Readonly<Record<AuditEvent, Sentence>> = {
  activation: (l) => {
    if (l.accountKind !== 'hr') return `${who(l)} a activé son Espace Assuré.`;
    const establishment = named(l, 'establishmentId') ?? GONE.establishments;
    if (l.detail.result === 'existing_account') {
      return `Demande de création d'un compte de l'Espace Entreprise pour ${establishment} avec l'adresse e-mail ${de(whom(l))}, qui a déjà un compte : rien n'a été créé, un e-mail l'en a informé.`;
    }
    const role = roleLabel(l.detail.role);
    return `${who(l)} a créé son compte de l'Espace Entreprise pour ${establishment}${role ? `, avec le rôle ${role}` : ''}.`;
  },
  activation_code_sent: (l) => {
    const member = named(l, 'memberId');
    if (l.detail.delivered === false || !member) {
      if (l.detail.reason === 'already_active' || l.account)
        return `Code d'activation demandé pour ${member ?? whom(l)}, dont l'espace est déjà activé : aucun code envoyé, un e-mail l'en a informé.`;
      return "Code d'activation demandé avec des informations qui ne correspondent à aucun assuré : aucun code envoyé.";
    }
    return `Code d'activation envoyé ${channel(l.detail.channel)} à ${member}.`;
  },
  activation_code_failed: (l) => {
    const member = named(l, 'memberId');
    return member ? `Code d'activation refusé pour ${member}${codeReason(l.detail.reason)}.` : `Code d'activation refusé${codeReason(l.detail.reason)}.`;
  },
  login_ok: (l) =>
    l.detail.twoFactor === true
      ? `Connexion ${de(whom(l))} à ${space(l)}, après double authentification.`
      : `Connexion ${de(whom(l))} à ${space(l)}, depuis un appareil de confiance.`,
  login_failed: (l) =>
    l.account
      ? `Connexion à ${space(l)} refusée pour ${l.account} : mot de passe erroné ou compte inactif.`
      : `Connexion à ${space(l)} refusée : aucun compte pour l'adresse e-mail saisie.`,
  login_throttled: (l) => `Connexion à ${space(l)} refusée sans vérification : trop de tentatives depuis cette adresse IP ou pour ce compte.`,
  two_factor_sent: (l) => `Code de double authentification envoyé ${channel(l.detail.channel ?? 'sms')} à ${whom(l)}.`,
  two_factor_ok: (l) => `${who(l)} a confirmé sa connexion avec le code de double authentification.`,
  two_factor_failed: (l) =>
    l.detail.step === 'email'
      ? `${who(l)} a saisi un code erroné pour confirmer son nouveau numéro de mobile${codeReason(l.detail.reason)}.`
      : `${who(l)} a saisi un code de double authentification refusé${codeReason(l.detail.reason)}.`,
  phone_change_code_sent: (l) =>
    l.detail.channel === 'sms'
      ? `Code de confirmation envoyé par SMS au nouveau numéro de mobile ${de(whom(l))}.`
      : `Code de confirmation d'un nouveau numéro de mobile envoyé par e-mail à ${whom(l)}.`,
  phone_changed: (l) =>
    l.detail.source === 'profile'
      ? `${who(l)} a modifié son numéro de mobile depuis son profil.`
      : `${who(l)} a modifié son numéro de mobile pendant la double authentification.`,
  email_changed: (l) => {
    const from = typeof l.detail.from === 'string' ? l.detail.from : null;
    const to = typeof l.detail.to === 'string' ? l.detail.to : null;
    return `${who(l)} a modifié son adresse e-mail${from && to ? ` (domaine ${from} → ${to})` : ''}.`;
  },
  logout: (l) => `${who(l)} a fermé sa session.`,
  session_expired: (l) => `Session ${de(whom(l))} fermée après une période d'inactivité.`,
  password_changed: (l) => `${who(l)} a modifié son mot de passe.`,
  password_reset_requested: (l) => `Lien « Mot de passe oublié » envoyé à ${whom(l)}.`,
  password_reset: (l) => `${who(l)} a choisi un nouveau mot de passe (mot de passe oublié).`,
  password_created: (l) => `${who(l)} a créé son mot de passe (invitation).`,
  password_link_sent: (l) =>
    l.detail.printed === true
      ? `Lien de création de mot de passe ${de(whom(l))} affiché par la commande staff:create (pas d'e-mail).`
      : `Lien de création de mot de passe envoyé à ${whom(l)}.`,
  account_disabled: (l) => {
    const by = named(l, 'by');
    return `Compte ${de(whom(l))} désactivé${by ? ` par ${by}` : ''}.`;
  },
  session_ended_by_disable: (l) => `Sessions ${de(whom(l))} fermées : son compte est désactivé.`,
  role_changed: (l) => {
    const target = named(l, 'target') ?? GONE.accounts;
    const company = named(l, 'company');
    const from = roleLabel(l.detail.from);
    const to = roleLabel(l.detail.to);
    return `${who(l)} a modifié l'accès ${de(target)}${company ? ` à ${company}` : ''}${from && to ? ` : ${from} → ${to}` : ''}.`;
  },
  hr_user_invited: (l) => `${who(l)} a donné accès à l'Espace Entreprise à ${named(l, 'invited') ?? GONE.accounts}${onCompanies(l, 'pour')}.`,
  habilitation_suspended: (l) => `${who(l)} a suspendu provisoirement l'accès ${de(named(l, 'target') ?? GONE.accounts)}${onCompanies(l, 'à')}.`,
  habilitation_reactivated: (l) => `${who(l)} a réactivé l'accès ${de(named(l, 'target') ?? GONE.accounts)}${onCompanies(l, 'à')}.`,
  habilitation_removed: (l) => `${who(l)} a retiré définitivement l'accès ${de(named(l, 'target') ?? GONE.accounts)}${onCompanies(l, 'à')}.`,
  hr_profile_changed: (l) => {
    const target = named(l, 'target');
    return !target || target === l.account ? `${who(l)} a modifié son profil.` : `${who(l)} a modifié le profil ${de(target)}.`;
  },
  perimeter_added: (l) => `${who(l)} a ajouté ${named(l, 'establishment') ?? GONE.establishments} à son périmètre suivi.`,
  perimeter_imported: (l) => {
    const added = count(l.detail.added);
    return added === null
      ? `${who(l)} a ajouté des établissements à son périmètre suivi par fichier.`
      : `${who(l)} a ajouté ${added} établissement${added > 1 ? 's' : ''} à son périmètre suivi par fichier.`;
  },
  pre_affiliation_created: (l) => {
    const mode = l.detail.mode === 'email' ? ' (mode Email)' : l.detail.mode === 'courrier' ? ' (mode Courrier)' : '';
    return `${who(l)} a pré-affilié ${named(l, 'request') ?? GONE.requests}${mode}.`;
  },
  trusted_device_revoked: (l) => `Appareils de confiance ${de(whom(l))} oubliés : sa prochaine connexion demandera la double authentification.`,
  card_nir_revealed: (l) => {
    const person = named(l, 'beneficiaryId');
    return person
      ? `${who(l)} a affiché sur la carte de tiers payant le numéro de Sécurité sociale ${de(person)}.`
      : `${who(l)} a affiché un numéro de Sécurité sociale sur la carte de tiers payant.`;
  },
  card_printed: (l) =>
    `${who(l)} a ouvert pour l'imprimer la carte de tiers payant ${de(named(l, 'beneficiaryId') ?? GONE.beneficiaries)}, avec les numéros de Sécurité sociale en entier.`,
  card_downloaded: (l) =>
    `${who(l)} a téléchargé en PDF la carte de tiers payant ${de(named(l, 'beneficiaryId') ?? GONE.beneficiaries)}, avec les numéros de Sécurité sociale en entier.`,
  hr_identity_change_refused: (l) =>
    `${who(l)} a tenté de modifier l'identité, l'adresse e-mail ou le mobile ${de(named(l, 'target') ?? GONE.accounts)} sans administrer toutes ses entreprises : refusé.`,
  hr_invitation_email_changed: (l) =>
    `${who(l)} a changé l'adresse e-mail de l'invitation ${de(named(l, 'target') ?? GONE.accounts)} : les liens déjà envoyés ne fonctionnent plus.`,
  hr_invitation_merged: (l) =>
    `${who(l)} a donné à l'invitation ${de(named(l, 'target') ?? GONE.accounts)} l'adresse e-mail d'un compte existant, celui ${de(named(l, 'invited') ?? GONE.accounts)} : ce compte reçoit ses accès${onCompanies(l, 'à')} et l'invitation est retirée.`,
  staff_invited: (l) => {
    const role = staffRoleName(l.detail.role);
    const invited = named(l, 'invited') ?? GONE.accounts;
    return l.detail.command === true
      ? `Compte ${de(invited)}${role ? ` (${role})` : ''} créé par la commande staff:create.`
      : `${who(l)} a créé le compte ${de(invited)}${role ? ` (${role})` : ''} et lui a envoyé une invitation.`;
  },
  staff_role_changed: (l) => {
    const from = staffRoleName(l.detail.from);
    const to = staffRoleName(l.detail.to);
    return `${who(l)} a modifié le rôle ${de(named(l, 'target') ?? GONE.accounts)}${from && to ? ` : ${from} → ${to}` : ''}.`;
  },
  staff_suspended: (l) => `${who(l)} a suspendu le compte ${de(named(l, 'target') ?? GONE.accounts)} : ses sessions sont fermées.`,
  staff_reactivated: (l) => `${who(l)} a réactivé le compte ${de(named(l, 'target') ?? GONE.accounts)}.`,
  staff_deactivated: (l) => `${who(l)} a désactivé définitivement le compte ${de(named(l, 'target') ?? GONE.accounts)} : ses sessions sont fermées.`,
  habilitation_notice_sent: (l) => `${who(l)} a donné un nouvel accès à ${named(l, 'target') ?? GONE.accounts}, qui en a été informé(e) par e-mail.`,
  habilitation_refused: (l) => {
    const grantor = named(l, 'grantedBy');
    return `${who(l)} a refusé l'accès à ${named(l, 'company') ?? GONE.companies}${grantor ? ` donné par ${grantor}` : ''}.`;
  },
  nir_revealed: (l) => {
    const person = named(l, 'memberId') ?? named(l, 'member') ?? named(l, 'beneficiaryId');
    return person ? `${who(l)} a affiché le numéro de Sécurité sociale ${de(person)}.` : `${who(l)} a affiché un numéro de Sécurité sociale.`;
  },
  iban_changed: (l) => {
    const member = named(l, 'member');
    if (member) return `${who(l)} a enregistré les coordonnées bancaires ${de(member)} en validant son affiliation.`;
    return `${who(l)} a modifié ses coordonnées bancaires${typeof l.detail.country === 'string' && /^[A-Z]{2}$/.test(l.detail.country) ? ` (IBAN ${l.detail.country})` : ''}.`;
  },
  affiliation_reminder_sent: (l) => {
    const n = count(l.detail.number);
    return `${who(l)} a relancé ${named(l, 'request') ?? GONE.requests} par email${n ? ` (relance n° ${n})` : ''}.`;
  },
  affiliation_request_cancelled: (l) => `${who(l)} a annulé la demande d'affiliation ${de(named(l, 'request') ?? GONE.requests)}.`,
  affiliation_paper_entered: (l) => {
    const n = count(l.detail.documents);
    const documents = n === null ? '' : n === 0 ? ', sans justificatif' : ` avec ${n} justificatif${n > 1 ? 's' : ''}`;
    return `${who(l)} a saisi le bulletin d'affiliation papier ${de(named(l, 'request') ?? GONE.requests)}${documents}.`;
  },
  affiliation_validated: (l) => {
    const member = named(l, 'member');
    const adherent = l.detail.reused === true ? 'adhérent déjà connu' : 'nouvel adhérent';
    return `${who(l)} a validé l'affiliation ${de(named(l, 'request') ?? GONE.requests)}${member ? ` (${adherent})` : ''}.`;
  },
  affiliation_refused: (l) => `${who(l)} a refusé la demande d'affiliation ${de(named(l, 'request') ?? GONE.requests)}.`,
  correspondence_request_created: (l) => `${who(l)} a transmis ${requestOf(l)}${forMember(l)}.`,
  correspondence_request_withdrawn: (l) => `${who(l)} a annulé ${requestOf(l)}${forMember(l)}.`,
  correspondence_documents_added: (l) => {
    const n = count(l.detail.documents);
    return `${who(l)} a ajouté ${n ? `${n} document${n > 1 ? 's' : ''}` : 'les documents manquants'} à ${requestOf(l)}.`;
  },
  correspondence_request_started: (l) => `${who(l)} a pris en charge ${requestOf(l)}${forMember(l)}.`,
  correspondence_document_asked: (l) => `${who(l)} a demandé un document manquant pour ${requestOf(l)}${forMember(l)}.`,
  correspondence_request_accepted: (l) => `${who(l)} a traité ${requestOf(l)}${forMember(l)}.`,
  correspondence_request_refused: (l) => `${who(l)} a refusé ${requestOf(l)}${forMember(l)}.`,
  correspondence_request_assigned: (l) => {
    const to = named(l, 'target');
    return to ? `${who(l)} a attribué ${requestOf(l)} à ${to}.` : `${who(l)} a retiré l'attribution ${de(requestOf(l))}.`;
  },
  correspondence_request_noted: (l) => `${who(l)} a ajouté une note interne à ${requestOf(l)}.`,
  correspondence_thread_created: (l) => `${who(l)} a écrit à l'assureur depuis ${space(l)} (conversation${referenceOf(l)}).`,
  correspondence_owner_replied: (l) => `${who(l)} a répondu dans la conversation${referenceOf(l)}.`,
  correspondence_staff_replied: (l) =>
    `${who(l)} a répondu dans la conversation${referenceOf(l)}${l.detail.ask === true ? ', en attente de la réponse du demandeur' : ''}.`,
  correspondence_thread_noted: (l) => `${who(l)} a ajouté une note interne à la conversation${referenceOf(l)}.`,
  correspondence_thread_assigned: (l) => {
    const to = named(l, 'target');
    return to ? `${who(l)} a attribué la conversation${referenceOf(l)} à ${to}.` : `${who(l)} a retiré l'attribution de la conversation${referenceOf(l)}.`;
  },
  correspondence_thread_closed: (l) => `${who(l)} a clos la conversation${referenceOf(l)}.`,
  correspondence_thread_reopened: (l) => `${who(l)} a rouvert la conversation${referenceOf(l)}.`,
  practical_document_added: (l) => {
    const company = named(l, 'company');
    const audience = company ? ` pour ${company}` : l.detail.visibility === 'all' ? ' pour toutes les entreprises' : '';
    return `${who(l)} a mis en ligne le document pratique${documentTitleOf(l)}${audience}.`;
  },
  practical_document_replaced: (l) => {
    const n = count(l.detail.version);
    return `${who(l)} a remplacé le document pratique${documentTitleOf(l)}${n ? ` (version ${n})` : ''}.`;
  },
  practical_document_withdrawn: (l) => `${who(l)} a retiré le document pratique${documentTitleOf(l)} : les entreprises ne le voient plus.`,
  practical_document_restored: (l) => `${who(l)} a remis en ligne le document pratique${documentTitleOf(l)}.`,
  member_file_opened: (l) => `${who(l)} a ouvert le dossier ${de(named(l, 'member') ?? GONE.members)}.`,
  member_activation_email_sent: (l) => `${who(l)} a renvoyé l'e-mail d'activation de l'Espace Assuré à ${named(l, 'member') ?? GONE.members}.`,
  member_two_factor_reset: (l) =>
    `${who(l)} a réinitialisé la double authentification ${de(named(l, 'member') ?? GONE.members)} après avoir vérifié son identité${reasonOf(l)}.`,
  company_created: (l) => `${who(l)} a créé l'entreprise cliente ${named(l, 'company') ?? GONE.companies}.`,
  company_updated: (l) => `${who(l)} a modifié l'entreprise cliente ${named(l, 'company') ?? GONE.companies}.`,
  establishment_created: (l) =>
    `${who(l)} a créé l'établissement ${named(l, 'establishment') ?? GONE.establishments} ${de(named(l, 'company') ?? GONE.companies)}.`,
  establishment_updated: (l) =>
    `${who(l)} a modifié l'établissement ${named(l, 'establishment') ?? GONE.establishments} ${de(named(l, 'company') ?? GONE.companies)}.`,
  contract_created: (l) => `${who(l)} a créé le contrat${contractReferenceOf(l)} ${de(named(l, 'company') ?? GONE.companies)}.`,
  contract_updated: (l) => `${who(l)} a modifié le contrat${contractReferenceOf(l)} ${de(named(l, 'company') ?? GONE.companies)}.`,
  guarantees_versioned: (l) => {
    const from = typeof l.detail.from === 'string' && isIsoDate(l.detail.from) ? ` à compter du ${formatDateFr(l.detail.from)}` : '';
    return `${who(l)} a modifié les garanties du contrat${contractReferenceOf(l)} ${de(named(l, 'company') ?? GONE.companies)}${from}.`;
  },
  activation_letter_printed: (l) => `${who(l)} a imprimé la lettre d'activation de l'Espace Entreprise ${de(named(l, 'company') ?? GONE.companies)}.`,
  statement_feed_sent: (l) => `${who(l)} a envoyé un flux de décomptes${feedOf(l)} pour aperçu.`,
  statement_feed_loaded: (l) => {
    const statements = count(l.detail.statements);
    const lines = count(l.detail.lines);
    return statements === null || lines === null
      ? `${who(l)} a chargé un flux de décomptes${feedOf(l)}.`
      : `${who(l)} a chargé le flux de décomptes${feedOf(l)} : ${statements} décompte${statements > 1 ? 's' : ''}, ${lines} ligne${lines > 1 ? 's' : ''}.`;
  },
  statement_feed_cancelled: (l) => `${who(l)} a annulé le flux de décomptes${feedOf(l)} : rien n'a été chargé.`,
  data_export_requested: (l) => `${who(l)} a demandé le téléchargement de ses données personnelles.`,
  data_export_ready: (l) => `Le fichier des données personnelles ${de(whom(l))} a été préparé.`,
  data_export_downloaded: (l) => `${who(l)} a téléchargé le fichier de ses données personnelles.`,
  erasure_requested: (l) => `${who(l)} a demandé l'effacement de ses données personnelles.`,
  erasure_accepted: (l) => `${who(l)} a accepté la demande d'effacement ${de(named(l, 'target') ?? GONE.accounts)} : le compte est anonymisé.`,
  erasure_refused: (l) => `${who(l)} a refusé la demande d'effacement ${de(named(l, 'target') ?? GONE.accounts)}.`,
  retention_applied: (l) =>
    `Les durées de conservation ont été appliquées : ${typeof l.detail.total === 'number' ? l.detail.total : 0} élément(s) supprimé(s).`,
  outbox_message_resent: (l) => {
    const id = count(l.detail.message);
    const what = l.detail.channel === 'sms' ? 'un SMS' : 'un e-mail';
    return `${who(l)} a renvoyé ${what} resté en échec${id === null ? '' : ` (envoi n° ${id})`}.`;
  },
};

/** « n° 12 » of a feed (its import job), when the detail gives it. */
function feedOf(l: AuditLine): string {
  const id = count(l.detail.job);
  return id === null ? '' : ` n° ${id}`;
}

/** The sentence of one line of the log. */
export function auditSentence(line: AuditLine): string {
  return AUDIT_SENTENCES[line.event](line);
}

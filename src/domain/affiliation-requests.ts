// Affiliation requests (docs/domain.md#affiliation-requests): HR pre-affiliates an employee, the employee completes the
// online form (or the paper one, mode Courrier), the insurer validates. The statuses are those of
// the guide, word for word, and every change of status goes through `transition` below.
//
//   sent ──start (1st draft)──▶ started ──submit──▶ finalized
//     │                          │
//     ├──────────submit──────────┼───────────────▶ finalized
//     ├─cancel (HR)─▶ cancelled ◀┤
//     └─expire (link over 30 days)─▶ abandoned ◀─┘
//
// A finalized request is then validated or refused by the insurer (`decision`), which does not
// change its status: the guide has no status after « Finalisé par le salarié ».
import type { Brand } from '../brand.js';
import { formatParisDayFr } from './dates.js';
import { brandedEmail } from './email-templates.js';
import type { EmailMessage } from './outbox.js';
import { randomToken, hashToken } from './secrets.js';

export const AFFILIATION_STATUSES = ['sent', 'started', 'finalized', 'abandoned', 'cancelled'] as const;
export type AffiliationStatus = (typeof AFFILIATION_STATUSES)[number];

/** The guide's labels (« Suivi des demandes d'affiliation »), the one place the UI takes them from. */
export const affiliationStatusLabels: Readonly<Record<AffiliationStatus, string>> = {
  sent: "Envoyé à l'employé",
  started: 'Démarré par le salarié',
  finalized: 'Finalisé par le salarié',
  abandoned: 'Abandonné',
  cancelled: 'Annulé',
};

export const AFFILIATION_MODES = ['email', 'courrier'] as const;
export type AffiliationMode = (typeof AFFILIATION_MODES)[number];
export const affiliationModeLabels: Readonly<Record<AffiliationMode, string>> = { email: 'Email', courrier: 'Courrier' };

/** « Type de contrat de travail ». */
export const EMPLOYMENT_CONTRACT_TYPES = ['CDI', 'CDD', 'apprentissage', 'professionnalisation'] as const;
export type EmploymentContractType = (typeof EMPLOYMENT_CONTRACT_TYPES)[number];
export const employmentContractLabels: Readonly<Record<EmploymentContractType, string>> = {
  CDI: 'Contrat à Durée Indéterminée (CDI)',
  CDD: 'Contrat à Durée Déterminée (CDD)',
  apprentissage: "Contrat d'apprentissage",
  professionnalisation: 'Contrat de professionnalisation',
};

/** « Statut professionnel ». */
export const PROFESSIONAL_STATUSES = ['cadre', 'non_cadre'] as const;
export type ProfessionalStatus = (typeof PROFESSIONAL_STATUSES)[number];
export const professionalStatusLabels: Readonly<Record<ProfessionalStatus, string>> = { cadre: 'Cadre', non_cadre: 'Non cadre' };

/** « Statut au sein de l'entreprise ». */
export const COMPANY_STATUSES = ['salarie', 'apprenti', 'stagiaire', 'mandataire'] as const;
export type CompanyStatus = (typeof COMPANY_STATUSES)[number];
export const companyStatusLabels: Readonly<Record<CompanyStatus, string>> = {
  salarie: 'Salarié',
  apprenti: 'Apprenti',
  stagiaire: 'Stagiaire',
  mandataire: 'Mandataire social',
};

/** The documents joined to an online affiliation form (RIB, attestation de droits, others). */
const AFFILIATION_DOCUMENT_KINDS = ['rib', 'attestation_droits', 'autre'] as const;
export type AffiliationDocumentKind = (typeof AFFILIATION_DOCUMENT_KINDS)[number];
export const affiliationDocumentLabels: Readonly<Record<AffiliationDocumentKind, string>> = {
  rib: "Relevé d'identité bancaire (RIB)",
  attestation_droits: "Attestation de droits à l'assurance maladie",
  autre: 'Autre document',
};

/** The employee's link is valid 30 days; after that the request is « Abandonné ». */
const AFFILIATION_LINK_TTL_MS = 30 * 24 * 3600 * 1000;
/** « Envoi d'un email de relance »: at most once a day. */
const REMINDER_INTERVAL_MS = 24 * 3600 * 1000;
/** Wrong dates of birth before the link is locked. */
export const MAX_BIRTH_DATE_ATTEMPTS = 5;

/**
 * What happens to a request. The employee: start (the first draft saved online — the guide's
 * « Démarré par le salarié : le salarié a débuté son affiliation en ligne et a enregistré un
 * brouillon »; passing the birth-date check alone is not a start), submit. HR: cancel. The
 * system: expire (link over 30 days). The staff's paper draft leaves a Courrier request « Envoyé ».
 */
export type AffiliationAction = 'start' | 'submit' | 'cancel' | 'expire';

const TRANSITIONS: Readonly<Record<AffiliationAction, Partial<Record<AffiliationStatus, AffiliationStatus>>>> = {
  start: { sent: 'started', started: 'started' },
  submit: { sent: 'finalized', started: 'finalized' },
  cancel: { sent: 'cancelled', started: 'cancelled' },
  expire: { sent: 'abandoned', started: 'abandoned' },
};

export const AFFILIATION_MESSAGES = {
  cancelFinalized: "Cette demande d'affiliation ne peut plus être annulée : le salarié l'a déjà finalisée.",
  alreadyClosed: "Cette demande d'affiliation est close (abandonnée ou annulée) : pour affilier ce salarié, faites une nouvelle pré-affiliation.",
  alreadyFinalized: "Ce formulaire d'affiliation a déjà été transmis.",
  reminderCourrier: "Une relance par email n'est possible que pour une demande envoyée par email.",
  paperOnlyCourrier:
    "Seul le bulletin papier d'une demande en mode Courrier peut être saisi par l'assureur : en mode Email, le salarié complète son formulaire en ligne.",
  reminderTooSoon: (hours: number) =>
    `Une relance a déjà été envoyée il y a moins de 24 heures. Vous pourrez relancer ce salarié dans ${hours} heure${hours > 1 ? 's' : ''}.`,
  reminderClosed: "Ce salarié ne peut plus être relancé : sa demande d'affiliation n'est plus en attente.",
  linkUnusable:
    "Ce lien d'affiliation n'est pas valide ou n'est plus actif. Rapprochez-vous du service des ressources humaines de votre employeur : il pourra vous envoyer un nouveau lien.",
} as const;

export type AffiliationTransition = { ok: true; from: AffiliationStatus; to: AffiliationStatus } | { ok: false; reason: string };

/** The one function that says whether `action` may happen to a request in `status`, and where it leads. */
export function transition(status: AffiliationStatus, action: AffiliationAction): AffiliationTransition {
  const to = TRANSITIONS[action][status];
  if (to) return { ok: true, from: status, to };
  if (status === 'finalized') return { ok: false, reason: action === 'cancel' ? AFFILIATION_MESSAGES.cancelFinalized : AFFILIATION_MESSAGES.alreadyFinalized };
  return { ok: false, reason: AFFILIATION_MESSAGES.alreadyClosed };
}

/**
 * The move when the employee's online form is stored without being transmitted (« Enregistrer le
 * brouillon », a refused « Transmettre », « Retirer » a document: what was typed is kept as the
 * draft each time): a request still « Envoyé à l'employé » becomes « Démarré par le salarié »;
 * otherwise the status stays (null).
 */
export function draftSavedTransition(status: AffiliationStatus): AffiliationTransition | null {
  if (status !== 'sent') return null;
  return transition(status, 'start');
}

/**
 * The insurer's staff typing the paper « Bulletin individuel d'affiliation » the employee signed
 * and posted (mode Courrier only): the same move as the employee's « Transmettre » (→ Finalisé
 * par le salarié), through the same transition, so a request already finalized, cancelled or
 * abandoned is refused for the same reasons.
 */
export function paperEntryTransition(request: { mode: AffiliationMode; status: AffiliationStatus }): AffiliationTransition {
  if (request.mode !== 'courrier') return { ok: false, reason: AFFILIATION_MESSAGES.paperOnlyCourrier };
  return transition(request.status, 'submit');
}

/** Whether HR may send a reminder email now; `retryInHours` when it is too soon. */
export function reminderAllowed(
  request: { mode: AffiliationMode; status: AffiliationStatus; last_reminder_at: string | null; created_at: string },
  now: Date,
): { ok: true } | { ok: false; reason: string } {
  if (request.mode !== 'email') return { ok: false, reason: AFFILIATION_MESSAGES.reminderCourrier };
  if (request.status !== 'sent' && request.status !== 'started') return { ok: false, reason: AFFILIATION_MESSAGES.reminderClosed };
  // The first email counts as a sending: no reminder in the 24 hours after it either.
  const last = Date.parse(request.last_reminder_at ?? request.created_at);
  const wait = last + REMINDER_INTERVAL_MS - now.getTime();
  if (wait > 0) return { ok: false, reason: AFFILIATION_MESSAGES.reminderTooSoon(Math.ceil(wait / 3_600_000)) };
  return { ok: true };
}

/** A fresh link for the employee: the token goes in the email, only its hash is stored. */
export function newAffiliationLink(now: Date): { token: string; tokenHash: string; expiresAt: string } {
  const token = randomToken();
  return { token, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + AFFILIATION_LINK_TTL_MS).toISOString() };
}

/** Whether a request's link can still be used by the employee. */
export function linkUsable(request: { status: AffiliationStatus; token_expires_at: string | null; dob_attempts: number }, now: Date): boolean {
  if (request.status !== 'sent' && request.status !== 'started') return false;
  if (!request.token_expires_at || Date.parse(request.token_expires_at) <= now.getTime()) return false;
  return request.dob_attempts < MAX_BIRTH_DATE_ATTEMPTS;
}

// ------------------------------------------------------------------ the insurer's decision
const AFFILIATION_DECISIONS = ['validated', 'refused'] as const;
export type AffiliationDecision = (typeof AFFILIATION_DECISIONS)[number];
export const affiliationDecisionLabels: Readonly<Record<AffiliationDecision, string>> = { validated: 'Validée', refused: 'Refusée' };

/** The refusal reason is emailed to the employee: long enough for a real explanation, bounded. */
export const DECISION_REASON_MAX = 1000;

export const DECISION_MESSAGES = {
  notFinalized: "Cette demande d'affiliation n'a pas été finalisée par le salarié : elle ne peut être ni validée ni refusée.",
  alreadyDecided: (decision: AffiliationDecision) =>
    `Cette demande d'affiliation a déjà été ${decision === 'validated' ? 'validée' : 'refusée'} : la décision ne peut plus être modifiée.`,
  reasonRequired: 'Indiquez le motif du refus : il sera envoyé au salarié.',
  reasonTooLong: `Le motif du refus doit comporter au plus ${DECISION_REASON_MAX} caractères.`,
} as const;

export type DecisionCheck = { ok: true; decision: AffiliationDecision; reason: string | null } | { ok: false; field: '_form' | 'motif'; message: string };

/**
 * The one rule for the insurer's decision: only a request finalized by the employee and not yet
 * decided can be validated or refused, and a refusal needs a reason (trimmed; it goes to the
 * employee). A validation keeps no reason.
 */
export function checkDecision(
  request: { status: string; decision: string | null },
  decision: AffiliationDecision,
  reason: string | null | undefined = null,
): DecisionCheck {
  if (request.decision === 'validated' || request.decision === 'refused') {
    return { ok: false, field: '_form', message: DECISION_MESSAGES.alreadyDecided(request.decision) };
  }
  if (request.status !== 'finalized') return { ok: false, field: '_form', message: DECISION_MESSAGES.notFinalized };
  if (decision === 'validated') return { ok: true, decision, reason: null };
  const text = (reason ?? '').replace(/\r\n?/g, '\n').trim();
  if (!text) return { ok: false, field: 'motif', message: DECISION_MESSAGES.reasonRequired };
  if (text.length > DECISION_REASON_MAX) return { ok: false, field: 'motif', message: DECISION_MESSAGES.reasonTooLong };
  return { ok: true, decision, reason: text };
}

/** What an event of a request's history carries (affiliation_request_events.detail, JSON). */
export interface AffiliationEventDetail {
  /** reminder_sent: which reminder. */
  number?: number;
  /** abandoned: link_expired; link_locked: birth_date; refused: the reason given. */
  reason?: string;
  /** created: the mode chosen. */
  mode?: string;
}

/** The detail of an event; an empty one when it is missing or not JSON. */
export function affiliationEventDetail(json: string | null): AffiliationEventDetail {
  try {
    const value: unknown = json ? JSON.parse(json) : {};
    return value && typeof value === 'object' ? (value as AffiliationEventDetail) : {};
  } catch {
    return {};
  }
}

/**
 * What happened to a request, as its history shows it to HR and to the insurer's staff alike
 * (affiliation_request_events.kind); `insurer` is the brand's name, `mode` the request's.
 */
export function affiliationEventLabel(kind: string, detail: AffiliationEventDetail, insurer: string, mode: AffiliationMode): string {
  switch (kind) {
    case 'created':
      return `Pré-affiliation du salarié (mode ${affiliationModeLabels[(detail.mode as AffiliationMode) ?? mode] ?? mode})`;
    case 'email_sent':
      return "Email d'affiliation envoyé au salarié";
    case 'courrier_ready':
      return "Formulaire d'affiliation papier mis à disposition";
    case 'reminder_sent':
      return detail.number ? `Email de relance n° ${detail.number} envoyé` : 'Email de relance envoyé';
    case 'started':
      return 'Affiliation démarrée en ligne par le salarié';
    case 'draft_saved':
      return 'Brouillon enregistré par le salarié';
    case 'submitted':
      return "Formulaire d'affiliation finalisé par le salarié";
    case 'paper_entered':
      return `Bulletin d'affiliation papier reçu et saisi par ${insurer}`;
    case 'abandoned':
      return 'Demande abandonnée';
    case 'cancelled':
      return "Demande d'affiliation annulée";
    case 'validated':
      return `Affiliation validée par ${insurer}`;
    case 'refused':
      return `Affiliation refusée par ${insurer}`;
    case 'link_locked':
      return "Lien d'affiliation bloqué";
    default:
      return 'Autre événement';
  }
}

/**
 * The email carrying the employee's link: the first one after the pré-affiliation, or a reminder
 * (« Envoi d'un email de relance »), which replaces the previous link.
 */
export function affiliationLinkEmail(
  brand: Brand,
  publicUrl: string,
  to: string,
  options: { firstName: string; companyName: string; token: string; expiresAt: string; reminder?: { started: boolean } },
): EmailMessage {
  const reminder = options.reminder;
  return brandedEmail(brand, to, {
    subject: reminder
      ? 'Rappel : finalisez votre affiliation à la complémentaire santé'
      : 'Finalisez votre affiliation à la complémentaire santé de votre entreprise',
    greeting: `Bonjour ${options.firstName},`,
    paragraphs: [
      `Votre employeur, ${options.companyName}, vous a pré-affilié(e) au contrat Frais de Santé de l'entreprise, assuré par ${brand.name}.${reminder ? " Votre affiliation n'est pas encore finalisée." : ''}`,
      reminder?.started
        ? 'Reprenez votre formulaire en ligne avec le lien ci-dessous : ce que vous avez déjà saisi est conservé.'
        : 'Pour finaliser votre affiliation, complétez en ligne votre formulaire : vos coordonnées, vos coordonnées bancaires pour les remboursements, les membres de votre famille à couvrir. Votre date de naissance vous sera demandée pour ouvrir le formulaire.',
      'Munissez-vous de votre RIB et de votre attestation de droits de la Sécurité sociale : vous les joindrez au formulaire.',
      `Ce lien est personnel et valable jusqu'au ${formatParisDayFr(options.expiresAt)}.${reminder ? ' Les liens reçus précédemment ne fonctionnent plus.' : ' Vous pouvez enregistrer un brouillon et revenir plus tard.'}`,
    ],
    action: { label: "Compléter mon formulaire d'affiliation", url: `${publicUrl}/affiliation/${options.token}` },
  });
}

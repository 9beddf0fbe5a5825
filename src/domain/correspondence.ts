// Correspondence with the insurer: the requests a
// member sends (demande de remboursement, demande de devis, télétransmission) and the message threads
// of members and companies, as pure rules — statuses, who may do what, reference numbers, service
// levels. The stores and pages call these; nothing here touches the database or the clock.
//
// A request's life (every move goes through `requestTransition`):
//
//   received ──start──▶ in_progress ──accept──▶ processed
//      │                    │  ▲      ──refuse──▶ refused
//      │               ask_document  │start
//      │                    ▼        │
//      └─ask_document─▶ missing_document ──add_document (member)──▶ completed
//                                                                  │ accept / refuse / ask_document
//
// Staff may decide straight from « Reçue » or « Complétée »: `steps` then lists the « En cours » the
// request passes through, so the member's timeline shows every step (reçue → en cours → traitée).
// A request in « Document manquant » waits for the member: it can be refused (nothing came) but not
// accepted. « Traitée » and « Refusée » are final.
//
// A thread's status says whose turn it is:
//   new ─assign─▶ open ─staff_reply─▶ answered ─owner_reply─▶ open
//   any open status ─staff_ask─▶ awaiting (the owner's turn) ─owner_reply─▶ open
//   any open status ─close─▶ closed ─reopen─▶ open;  note (staff, internal): any status, no change
// « awaiting » reads « En attente de l'assuré » on a member's thread and « En attente de
// l'entreprise » on a company's: one status, since a thread has one owner (the inbox filter
// « en attente de l'assuré ou de l'entreprise » is that status).
import { addBusinessDays, type HolidayOptions } from './business-days.js';
import { addDays, addMonths, formatDateFr } from './dates.js';

/** Who acts: the member (Espace Assuré), an HR user (Espace Entreprise), the insurer's staff (Espace Gestion). */
export type Side = 'member' | 'hr' | 'staff';

// ------------------------------------------------------------------ requests
const REQUEST_KINDS = ['remboursement', 'devis', 'teletransmission'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const requestKindLabels: Readonly<Record<RequestKind, string>> = {
  remboursement: 'Demande de remboursement',
  devis: 'Demande de devis',
  teletransmission: 'Demande de télétransmission',
};

export const REQUEST_STATUSES = ['received', 'in_progress', 'missing_document', 'completed', 'processed', 'refused'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const requestStatusLabels: Readonly<Record<RequestStatus, string>> = {
  received: 'Reçue',
  in_progress: 'En cours',
  missing_document: 'Document manquant',
  completed: 'Complétée',
  processed: 'Traitée',
  refused: 'Refusée',
};
export const FINAL_REQUEST_STATUSES: readonly RequestStatus[] = ['processed', 'refused'];

export type RequestAction = 'start' | 'ask_document' | 'add_document' | 'accept' | 'refuse';

/** The side that may take each action: the member completes their own request, staff does the rest. */
const REQUEST_ACTION_SIDES: Readonly<Record<RequestAction, Side>> = {
  start: 'staff',
  ask_document: 'staff',
  add_document: 'member',
  accept: 'staff',
  refuse: 'staff',
};

/** The button of each staff action, by kind: accepting a devis is answering it, a télétransmission confirming it. */
export function requestActionLabel(kind: RequestKind, action: RequestAction): string {
  switch (action) {
    case 'start':
      return 'Prendre en charge';
    case 'ask_document':
      return 'Demander un document manquant';
    case 'add_document':
      return 'Ajouter les documents manquants';
    case 'accept':
      return kind === 'devis' ? 'Répondre au devis' : kind === 'teletransmission' ? 'Confirmer la demande' : 'Accepter le remboursement';
    case 'refuse':
      return 'Refuser la demande';
  }
}

const REQUEST_TRANSITIONS: Readonly<Record<RequestAction, Partial<Record<RequestStatus, RequestStatus>>>> = {
  start: { received: 'in_progress', completed: 'in_progress' },
  ask_document: { received: 'missing_document', in_progress: 'missing_document', completed: 'missing_document' },
  add_document: { missing_document: 'completed' },
  accept: { received: 'processed', in_progress: 'processed', completed: 'processed' },
  refuse: { received: 'refused', in_progress: 'refused', completed: 'refused', missing_document: 'refused' },
};

export const REQUEST_MESSAGES = {
  staffOnly: 'Cette action est réservée aux gestionnaires.',
  memberOnly: "Seul l'assuré peut ajouter les documents manquants à sa demande.",
  closed: 'Cette demande est close (traitée ou refusée) : elle ne peut plus être modifiée.',
  alreadyInProgress: 'Cette demande est déjà en cours de traitement.',
  noDocumentAsked: "Aucun document n'est demandé pour cette demande.",
  waitingForMember: "Cette demande attend un document de l'assuré : elle ne peut pas être acceptée avant.",
  alreadyWaiting: "Un document manquant est déjà demandé à l'assuré.",
} as const;

/**
 * The days a remboursement's payment may be dated: from PAYMENT_DAYS_BEFORE_RECEIVED days before
 * the request was received (a payment the insurer made before the member's request arrived, e.g.
 * through télétransmission) to PAYMENT_MONTHS_AHEAD months after today. A date outside is a typing
 * slip (« 31/12/9999 », « 12/11/1926 ») that the member would otherwise read on their timeline.
 */
const PAYMENT_DAYS_BEFORE_RECEIVED = 30;
const PAYMENT_MONTHS_AHEAD = 12;

export function paymentDayRange(receivedDay: string, today: string): { earliest: string; latest: string } {
  return { earliest: addDays(receivedDay, -PAYMENT_DAYS_BEFORE_RECEIVED), latest: addMonths(today, PAYMENT_MONTHS_AHEAD) };
}

/** Null when the payment day is in its range; otherwise the form's French message, which names the range. */
export function paymentDayError(paymentDay: string, receivedDay: string, today: string): string | null {
  const { earliest, latest } = paymentDayRange(receivedDay, today);
  if (paymentDay >= earliest && paymentDay <= latest) return null;
  return `La date du paiement doit être comprise entre le ${formatDateFr(earliest)} et le ${formatDateFr(latest)}.`;
}

export type RequestTransition = { ok: true; from: RequestStatus; to: RequestStatus; steps: RequestStatus[] } | { ok: false; reason: string };

/**
 * Whether `side` may take `action` on a request in `status`; where it leads, and every status the
 * request passes through on the way (`steps`, ending with `to`) for the timeline.
 */
export function requestTransition(status: RequestStatus, action: RequestAction, side: Side): RequestTransition {
  if (REQUEST_ACTION_SIDES[action] !== side) {
    return { ok: false, reason: side === 'staff' ? REQUEST_MESSAGES.memberOnly : REQUEST_MESSAGES.staffOnly };
  }
  const to = REQUEST_TRANSITIONS[action][status];
  if (to) {
    const passesInProgress = (action === 'accept' || action === 'refuse') && (status === 'received' || status === 'completed');
    return { ok: true, from: status, to, steps: passesInProgress ? ['in_progress', to] : [to] };
  }
  if (FINAL_REQUEST_STATUSES.includes(status)) return { ok: false, reason: REQUEST_MESSAGES.closed };
  if (action === 'start') return { ok: false, reason: status === 'missing_document' ? REQUEST_MESSAGES.waitingForMember : REQUEST_MESSAGES.alreadyInProgress };
  if (action === 'add_document') return { ok: false, reason: REQUEST_MESSAGES.noDocumentAsked };
  if (action === 'ask_document') return { ok: false, reason: REQUEST_MESSAGES.alreadyWaiting };
  return { ok: false, reason: REQUEST_MESSAGES.waitingForMember };
}

/** The timeline's sentence for a step reached (requests' events carry the status they led to). */
export const requestStepLabels: Readonly<Record<RequestStatus, string>> = {
  received: 'Demande reçue',
  in_progress: 'Demande prise en charge',
  missing_document: 'Document manquant demandé',
  completed: 'Documents manquants ajoutés',
  processed: 'Demande traitée',
  refused: 'Demande refusée',
};

// ------------------------------------------------------------------ reference numbers
/** The prefix of each reference; a thread is « MS » (messagerie). */
export const REFERENCE_PREFIXES = { remboursement: 'DR', devis: 'DV', teletransmission: 'DT', message: 'MS' } as const;
export type ReferenceKind = keyof typeof REFERENCE_PREFIXES;

/**
 * « DR-2026-000123 »: prefix, year of creation, a sequence number per prefix and year padded to 6
 * digits (more digits when a year ever passes 999 999, so references stay unique).
 */
export function formatReference(kind: ReferenceKind, year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`formatReference expects a 4-digit year, got ${String(year)}`);
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new RangeError(`formatReference expects a positive sequence, got ${String(sequence)}`);
  return `${REFERENCE_PREFIXES[kind]}-${year}-${String(sequence).padStart(6, '0')}`;
}

/** Reads a reference typed in a search box (« dr-2026-123 », spaces around); null when it is not one. */
export function parseReference(input: string): { kind: ReferenceKind; year: number; sequence: number; reference: string } | null {
  const match = /^([A-Z]{2})-([0-9]{4})-([0-9]{1,12})$/.exec(input.trim().toUpperCase());
  if (!match) return null;
  const kind = (Object.keys(REFERENCE_PREFIXES) as ReferenceKind[]).find((k) => REFERENCE_PREFIXES[k] === match[1]);
  const sequence = Number(match[3]);
  if (!kind || sequence < 1 || !Number.isSafeInteger(sequence)) return null;
  const year = Number(match[2]);
  return { kind, year, sequence, reference: formatReference(kind, year, sequence) };
}

// ------------------------------------------------------------------ service levels
/**
 * The expected answer date: `businessDays` business days after the day the request reached the
 * insurer, or after the day the member added the missing documents (the insurer could not answer
 * without them, so the service level starts again then).
 */
export function expectedAnswerDate(request: { receivedDay: string; completedDay?: string | null }, businessDays: number, options: HolidayOptions = {}): string {
  return addBusinessDays(request.completedDay ?? request.receivedDay, businessDays, options);
}

/** The statuses in which the insurer owes the next move: only these can be late. */
export const INSURER_TURN_STATUSES: readonly RequestStatus[] = ['received', 'in_progress', 'completed'];

/** Late: the insurer's turn and today after the expected date (the expected day itself is not late). */
export function isRequestLate(request: { status: RequestStatus; expectedDay: string }, today: string): boolean {
  return INSURER_TURN_STATUSES.includes(request.status) && today > request.expectedDay;
}

// ------------------------------------------------------------------ message threads
export const THREAD_STATUSES = ['new', 'open', 'awaiting', 'answered', 'closed'] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];
export type ThreadOwner = 'member' | 'hr';

/** The label of a thread's status; « awaiting » names whom the insurer waits for. */
export function threadStatusLabel(status: ThreadStatus, owner: ThreadOwner): string {
  switch (status) {
    case 'new':
      return 'Nouveau';
    case 'open':
      return 'En cours';
    case 'awaiting':
      return owner === 'member' ? "En attente de l'assuré" : "En attente de l'entreprise";
    case 'answered':
      return 'Répondu';
    case 'closed':
      return 'Clos';
  }
}

/** The staff inbox's status filter, where threads of both owners are listed together. */
export const threadStatusFilterLabels: Readonly<Record<ThreadStatus, string>> = {
  new: 'Nouveau',
  open: 'En cours',
  awaiting: "En attente de l'assuré ou de l'entreprise",
  answered: 'Répondu',
  closed: 'Clos',
};

/**
 * owner_reply: the member or HR user writes in their thread. Staff: assign (to themselves or a
 * colleague), staff_reply (an answer), staff_ask (an answer that waits for the owner: a question,
 * a document to send), note (internal, never shown outside), close, reopen.
 */
export type ThreadAction = 'owner_reply' | 'assign' | 'staff_reply' | 'staff_ask' | 'note' | 'close' | 'reopen';

const OWNER_ACTIONS: readonly ThreadAction[] = ['owner_reply'];
const OPEN_THREAD: readonly ThreadStatus[] = ['new', 'open', 'awaiting', 'answered'];

export const THREAD_MESSAGES = {
  staffOnly: 'Cette action est réservée aux gestionnaires.',
  ownerOnly: "Seul l'assuré ou l'entreprise à l'origine de la conversation peut y répondre ainsi.",
  closed: 'Cette conversation est close : écrivez un nouveau message.',
  notClosed: "Cette conversation n'est pas close.",
} as const;

export type ThreadTransition = { ok: true; from: ThreadStatus; to: ThreadStatus } | { ok: false; reason: string };

/** Whether `side` may take `action` on a thread in `status`, and the status it leaves the thread in. */
export function threadTransition(status: ThreadStatus, action: ThreadAction, side: Side): ThreadTransition {
  const ownerAction = OWNER_ACTIONS.includes(action);
  if (ownerAction && side === 'staff') return { ok: false, reason: THREAD_MESSAGES.ownerOnly };
  if (!ownerAction && side !== 'staff') return { ok: false, reason: THREAD_MESSAGES.staffOnly };
  if (action === 'note') return { ok: true, from: status, to: status };
  if (action === 'reopen') return status === 'closed' ? { ok: true, from: status, to: 'open' } : { ok: false, reason: THREAD_MESSAGES.notClosed };
  if (!OPEN_THREAD.includes(status)) return { ok: false, reason: THREAD_MESSAGES.closed };
  switch (action) {
    case 'owner_reply':
      // Still « Nouveau » while nobody at the insurer has taken it; otherwise back to the insurer.
      return { ok: true, from: status, to: status === 'new' ? 'new' : 'open' };
    case 'assign':
      return { ok: true, from: status, to: status === 'new' ? 'open' : status };
    case 'staff_reply':
      return { ok: true, from: status, to: 'answered' };
    case 'staff_ask':
      return { ok: true, from: status, to: 'awaiting' };
    case 'close':
      return { ok: true, from: status, to: 'closed' };
  }
}

/** Internal notes are for staff only; every other message is shown to both sides. */
export function messageVisibleTo(message: { internal: boolean }, side: Side): boolean {
  return side === 'staff' || !message.internal;
}

/** The insurer owes the thread's next move: these count as late once past the service level. */
export function isThreadLate(thread: { status: ThreadStatus; expectedDay: string }, today: string): boolean {
  return (thread.status === 'new' || thread.status === 'open') && today > thread.expectedDay;
}

/**
 * Unread for its owner (the header icon's count): the insurer wrote after the owner last opened
 * the thread. Instants are ISO strings of one format (the store's), compared as text.
 */
export function unreadByOwner(thread: { lastStaffMessageAt: string | null; ownerReadAt: string | null }): boolean {
  if (thread.lastStaffMessageAt === null) return false;
  return thread.ownerReadAt === null || thread.lastStaffMessageAt > thread.ownerReadAt;
}

// The staff inbox lists requests and message threads together under
// one status filter — nouveau, en cours, en attente de l'assuré ou de l'entreprise, répondu, clos —
// and every item has a service level from the brand's lists. Pure: the brand's lists are passed in.
import type { CorrespondenceLists } from '../brand.js';
import type { RequestKind, RequestStatus, ThreadStatus } from './correspondence.js';

/** The inbox's statuses are the threads' (src/domain/correspondence.ts, threadStatusFilterLabels). */
export type InboxStatus = ThreadStatus;

/**
 * Where a request stands in the inbox's terms: « Reçue » is new, the insurer's work in progress
 * (« En cours », « Complétée ») is open, « Document manquant » waits for the member, a decision
 * (« Traitée », « Refusée ») closes it.
 */
export const INBOX_STATUS_OF_REQUEST: Readonly<Record<RequestStatus, InboxStatus>> = {
  received: 'new',
  in_progress: 'open',
  completed: 'open',
  missing_document: 'awaiting',
  processed: 'closed',
  refused: 'closed',
};

/** The request statuses an inbox status filter selects (none for « Répondu »: a request is decided, not answered). */
export function requestStatusesFor(status: InboxStatus): RequestStatus[] {
  return (Object.keys(INBOX_STATUS_OF_REQUEST) as RequestStatus[]).filter((s) => INBOX_STATUS_OF_REQUEST[s] === status);
}

/** Business days the insurer gives itself to answer a request of this kind and object; null for an object the brand does not list. */
export function requestServiceDays(lists: CorrespondenceLists, kind: RequestKind, object: string): number | null {
  if (kind === 'teletransmission') return lists.teletransmission.serviceDays;
  const list: readonly { code: string; serviceDays: number }[] = kind === 'devis' ? lists.devis : lists.remboursement;
  return list.find((o) => o.code === object)?.serviceDays ?? null;
}

export interface ThreadObject {
  categoryLabel: string;
  objectLabel: string;
  serviceDays: number;
  /** « Transmettre des documents pour mon salarié »: the message names an employee. */
  asksEmployee: boolean;
}

/** A category and object of the member's messagerie or of the HR « Nous contacter »; null when the brand does not list them. */
export function findThreadObject(lists: CorrespondenceLists, owner: 'member' | 'hr', category: string, object: string): ThreadObject | null {
  const categories = owner === 'member' ? lists.messagerie : lists.contact;
  const c = categories.find((x) => x.code === category);
  const o = c?.objects.find((x: { code: string }) => x.code === object) as { label: string; serviceDays: number; asksEmployee?: boolean } | undefined;
  if (!c || !o) return null;
  return { categoryLabel: c.label, objectLabel: o.label, serviceDays: o.serviceDays, asksEmployee: o.asksEmployee === true };
}

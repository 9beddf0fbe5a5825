// The words of the staff inbox and its item pages: what an item is, its object and its status, in
// French, from the brand's lists (src/brand.ts, `correspondence`) and the rules' labels
// (src/domain/correspondence.ts). Pure: the brand's lists are passed in.
import type { CorrespondenceLists } from '../../brand.js';
import {
  requestKindLabels,
  requestStatusLabels,
  threadStatusLabel,
  type RequestKind,
  type RequestStatus,
  type ThreadStatus,
} from '../../domain/correspondence.js';
import { formatEuros, MAX_AMOUNT_CENTS } from '../../domain/money.js';
import { findThreadObject } from '../../domain/correspondence-inbox.js';

export const TELETRANSMISSION_OBJECT_LABELS: Readonly<Record<string, string>> = { activation: 'Activation', deactivation: 'Désactivation' };

/** « Demande de remboursement », « Message d'un assuré », « Message d'une entreprise ». */
export function natureLabel(item: { item_type: 'request' | 'thread'; category: string; owner_kind: 'member' | 'hr' }): string {
  if (item.item_type === 'request') return requestKindLabels[item.category as RequestKind] ?? item.category;
  return item.owner_kind === 'member' ? "Message d'un assuré" : "Message d'une entreprise";
}

/** A request's object as the brand names it (the code itself when the brand no longer lists it). */
export function requestObjectLabel(lists: CorrespondenceLists, kind: string, object: string): string {
  if (kind === 'teletransmission') return TELETRANSMISSION_OBJECT_LABELS[object] ?? object;
  const list: readonly { code: string; label: string }[] = kind === 'devis' ? lists.devis : lists.remboursement;
  return list.find((o) => o.code === object)?.label ?? object;
}

/** A thread's « catégorie — objet ». */
export function threadObjectLabel(lists: CorrespondenceLists, owner: 'member' | 'hr', category: string, object: string): string {
  const found = findThreadObject(lists, owner, category, object);
  return found ? `${found.categoryLabel} — ${found.objectLabel}` : object;
}

export function itemObjectLabel(
  lists: CorrespondenceLists,
  item: { item_type: 'request' | 'thread'; category: string; object: string; owner_kind: 'member' | 'hr' },
): string {
  return item.item_type === 'request'
    ? requestObjectLabel(lists, item.category, item.object)
    : threadObjectLabel(lists, item.owner_kind, item.category, item.object);
}

/** The item's own status: a request's (« Document manquant »…) or a thread's, naming whom it waits for. */
export function itemStatusLabel(item: { item_type: 'request' | 'thread'; status: string; owner_kind: 'member' | 'hr' }): string {
  if (item.item_type === 'request') return requestStatusLabels[item.status as RequestStatus] ?? item.status;
  return threadStatusLabel(item.status as ThreadStatus, item.owner_kind);
}

/** The staff's messages of the inbox and its item pages. */
export const INBOX_TEXTS = {
  badObject: 'Choisissez une catégorie ou un objet de la liste.',
  objectOtherSpace: "Cet objet ne concerne pas l'espace choisi : choisissez l'un ou l'autre.",
  badSpace: 'Choisissez un espace de la liste.',
  badStatus: 'Choisissez un statut de la liste.',
  badAssignee: 'Choisissez un gestionnaire de la liste.',
  badSort: 'Choisissez un ordre de la liste.',
  amount: 'Indiquez le montant remboursé en euros, par exemple 26,50.',
  amountTooHigh: `Le montant remboursé ne peut pas dépasser ${formatEuros(MAX_AMOUNT_CENTS)}.`,
  paymentDay: 'Indiquez la date du paiement au format jj/mm/aaaa, par exemple 25/11/2026.',
  documents: 'Cochez le document manquant ou précisez-le.',
  devisAmount: (n: number) => `Ligne ${n} : indiquez le montant du devis en euros, par exemple 150,00.`,
  devisReimbursed: (n: number) => `Ligne ${n} : indiquez le remboursement estimé en euros, par exemple 90,00.`,
  devisLabel: (n: number) => `Ligne ${n} : indiquez le libellé de la ligne.`,
  devisNone: 'Indiquez au moins une ligne du devis avec son remboursement estimé.',
  devisAmountTooHigh: (n: number) => `Ligne ${n} : le montant ne peut pas dépasser ${formatEuros(MAX_AMOUNT_CENTS)}.`,
  devisTotalTooHigh: `Le total des remboursements estimés ne peut pas dépasser ${formatEuros(MAX_AMOUNT_CENTS)} : vérifiez les lignes.`,
  devisTooMuch: (n: number) => `Ligne ${n} : le remboursement estimé ne peut pas dépasser le montant du devis.`,
  stale: "Quelqu'un d'autre vient de traiter cet élément : voici son état actuel. Vérifiez-le avant d'agir de nouveau.",
} as const;

// The guarantee table of a contract as both spaces show it (page and PDF): its lines grouped by
// care category, in the order and with the titles of messages.guaranteeCategories, empty
// categories left out.
import { messages } from '../messages.js';
import type { GuaranteeRow } from './queries.js';

export interface GuaranteeCategory {
  title: string;
  rows: GuaranteeRow[];
}

/** The categories of one contract (the lines may hold several contracts'). */
export function guaranteesByCategory(guarantees: readonly GuaranteeRow[], contractId: number): GuaranteeCategory[] {
  return Object.entries(messages.guaranteeCategories)
    .map(([category, title]) => ({ title, rows: guarantees.filter((g) => g.contract_id === contractId && g.category === category) }))
    .filter((c) => c.rows.length);
}

/** Printed under the tables of the guarantees PDF. */
export const GUARANTEES_FOOTNOTE =
  "BR : base de remboursement de la Sécurité sociale. RSS : remboursement de la Sécurité sociale. Les montants s'entendent dans la limite des frais réels.";

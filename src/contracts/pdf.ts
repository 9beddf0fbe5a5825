// The guarantee tables of a contract in a PDF, shared by the member's « Télécharger mes garanties »
// (src/assure/contracts/pdf.ts) and the company's contract PDF (src/entreprise/contracts/pdf.ts).
import type { Pdf } from '../pdf/document.js';
import { GUARANTEES_FOOTNOTE, guaranteesByCategory } from './guarantees.js';
import type { GuaranteeRow } from './queries.js';

/** One heading and one table per care category, then the abbreviations. */
export function addGuaranteeTables(pdf: Pdf, guarantees: readonly GuaranteeRow[], contractId: number): void {
  for (const { title, rows } of guaranteesByCategory(guarantees, contractId)) {
    pdf.h2(title);
    pdf.table(
      ['Garantie', 'Remboursement'],
      rows.map((g) => [g.label, g.coverage]),
      [3, 2],
    );
  }
  pdf.p(GUARANTEES_FOOTNOTE);
}

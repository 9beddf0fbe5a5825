// The company's « Tableau des garanties » of one contract: the contract's details, then the same
// guarantee tables as the member's « Télécharger mes garanties » (src/contracts/pdf.ts).
import type { Brand } from '../../brand.js';
import { addGuaranteeTables } from '../../contracts/pdf.js';
import type { GuaranteeRow } from '../../contracts/queries.js';
import { formatDateFr, isoToday } from '../../domain/dates.js';
import { Pdf, pdfBrand } from '../../pdf/document.js';
import { messages } from '../../messages.js';
import type { CompanyContractRow } from './queries.js';

export function contractGuaranteesPdf(brand: Brand, contract: CompanyContractRow, guarantees: GuaranteeRow[], now: Date): Pdf {
  const pdf = new Pdf('Tableau des garanties', pdfBrand(brand), now);
  pdf.keyValues([
    ['Entreprise', `${contract.company_name} — SIREN ${contract.siren}`],
    ['Adresse', `${contract.company_address}, ${contract.company_postal_code} ${contract.company_city}`],
    ['Contrat', `${contract.label} (n° ${contract.reference})`],
    ['Formule et options', contract.options ? `${contract.formula} — ${contract.options}` : contract.formula],
    ['Collège', messages.colleges[contract.college]],
    ["Date d'effet", formatDateFr(contract.start_date)],
    ...(contract.end_date ? [['Date de fin', formatDateFr(contract.end_date)] as const] : []),
  ]);
  addGuaranteeTables(pdf, guarantees, contract.id);
  pdf.p(`Document édité le ${formatDateFr(isoToday(() => now))} par ${brand.name}.`);
  return pdf;
}

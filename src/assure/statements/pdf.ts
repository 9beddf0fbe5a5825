// The décompte as a PDF: the brand, the member, the décompte's number and dates,
// every line with all its amounts, and the totals (including what was paid to whom).
import type { Brand } from '../../brand.js';
import { formatDateFr } from '../../domain/dates.js';
import { formatEuros } from '../../domain/money.js';
import { Pdf, pdfBrand } from '../../pdf/document.js';
import type { MemberRow } from '../member.js';
import type { LineRow, StatementRow } from './queries.js';
import { statementTotals } from './totals.js';

/** A4 landscape: the nine columns of a décompte need the width. */
const A4_LANDSCAPE: [number, number] = [841.89, 595.28];

export function statementPdf(brand: Brand, member: MemberRow, statement: StatementRow, lines: LineRow[], now: Date): Pdf {
  const pdf = new Pdf(`Décompte n° ${statement.number}`, pdfBrand(brand), now, { size: A4_LANDSCAPE, margins: { top: 48, bottom: 56, left: 48, right: 48 } });
  pdf.subtitle(`Décompte du ${formatDateFr(statement.statement_date)} — réglé le ${formatDateFr(statement.payment_date)}`);
  pdf.keyValues([
    ['Assuré(e)', `${member.first_name} ${member.last_name}`],
    ["Numéro d'adhérent", member.member_number],
    ['Adresse', [member.address_line1, member.address_line2, `${member.postal_code} ${member.city}`].filter(Boolean).join(', ')],
  ]);
  const totals = statementTotals(lines);
  const rows = lines.map((l) => [
    formatDateFr(l.care_date),
    `${l.first_name} ${l.last_name}`,
    l.professional_name ? `${l.care_label}\n${l.professional_name}` : l.care_label,
    formatEuros(l.frais_reels_cents),
    `${formatEuros(l.base_remboursement_cents)} (${l.rate_percent} %)`,
    formatEuros(l.ss_amount_cents),
    formatEuros(l.complementary_amount_cents),
    l.deductions_cents ? formatEuros(l.deductions_cents) : '—',
    formatEuros(l.reste_a_charge_cents),
    `${l.paid_to === 'assure' ? "Payé à l'assuré" : 'Payé aux tiers'}\nle ${formatDateFr(l.payment_date)}`,
  ]);
  rows.push([
    'Total',
    '',
    '',
    formatEuros(totals.frais),
    formatEuros(totals.base),
    formatEuros(totals.ss),
    formatEuros(totals.complementary),
    formatEuros(totals.deductions),
    formatEuros(totals.rac),
    '',
  ]);
  pdf.table(
    [
      'Date des soins',
      'Bénéficiaire',
      'Soins et professionnel',
      'Frais réels',
      'Base de rembours. (taux)',
      'Rembours. Sécurité sociale',
      `Rembours. ${brand.name}`,
      'Franchises et participations',
      'Reste à charge',
      'Paiement',
    ],
    rows,
    [9, 12, 18, 9, 11, 10, 10, 10, 9, 11],
    ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
  );
  pdf.h3('Totaux du décompte');
  pdf.keyValues([
    ['Frais réels', formatEuros(totals.frais)],
    ['Remboursement Sécurité sociale', formatEuros(totals.ss)],
    [`Remboursement ${brand.name}`, formatEuros(totals.complementary)],
    ['Reste à charge', formatEuros(totals.rac)],
    ["Payé à l'assuré (Sécurité sociale et complémentaire)", formatEuros(totals.paidToMember)],
    ['Payé aux tiers (professionnels de santé, tiers payant)', formatEuros(totals.paidToThirdParties)],
  ]);
  pdf.p(
    `Frais réels = remboursement Sécurité sociale + remboursement ${brand.name} + reste à charge. Les participations forfaitaires et franchises sont comprises dans le reste à charge.`,
  );
  return pdf;
}

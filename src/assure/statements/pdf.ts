// The décompte as a PDF: the brand, the member, every line and the totals.
import type { Brand } from '../../brand.js';
import { formatDateFr } from '../../domain/dates.js';
import { formatEuros } from '../../domain/money.js';
import { Pdf, pdfBrand } from '../../domain/pdf.js';
import type { MemberRow } from '../member.js';
import type { LineRow, StatementRow } from './queries.js';

export function statementPdf(brand: Brand, member: MemberRow, statement: StatementRow, lines: LineRow[], now: Date): Pdf {
  const pdf = new Pdf(`Décompte n° ${statement.number}`, pdfBrand(brand), now);
  pdf.subtitle(`Décompte du ${formatDateFr(statement.statement_date)} — réglé le ${formatDateFr(statement.payment_date)}`);
  pdf.keyValues([
    ['Assuré(e)', `${member.first_name} ${member.last_name}`],
    ["Numéro d'adhérent", member.member_number],
    ['Adresse', [member.address_line1, member.address_line2, `${member.postal_code} ${member.city}`].filter(Boolean).join(', ')],
  ]);
  const sum = (key: 'frais_reels_cents' | 'ss_amount_cents' | 'complementary_amount_cents' | 'reste_a_charge_cents') => lines.reduce((acc, l) => acc + l[key], 0);
  pdf.table(
    ['Date', 'Bénéficiaire', 'Soins', 'Frais réels', 'Base (taux)', 'Sécurité sociale', brand.name, 'Reste à charge', 'Payé'],
    lines.map((l) => [
      formatDateFr(l.care_date),
      `${l.first_name} ${l.last_name}`,
      l.professional_name ? `${l.care_label} — ${l.professional_name}` : l.care_label,
      formatEuros(l.frais_reels_cents),
      `${formatEuros(l.base_remboursement_cents)} (${l.rate_percent} %)`,
      formatEuros(l.ss_amount_cents),
      formatEuros(l.complementary_amount_cents),
      formatEuros(l.reste_a_charge_cents),
      l.paid_to === 'assure' ? "À l'assuré" : 'Aux tiers',
    ]),
    [11, 13, 15, 9, 11, 10, 9, 9, 8],
    ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'left'],
  );
  const toMember = lines.filter((l) => l.paid_to === 'assure').reduce((acc, l) => acc + l.complementary_amount_cents, 0);
  pdf.h3('Totaux du décompte');
  pdf.keyValues([
    ['Frais réels', formatEuros(sum('frais_reels_cents'))],
    ['Remboursement Sécurité sociale', formatEuros(sum('ss_amount_cents'))],
    [`Remboursement ${brand.name}`, formatEuros(sum('complementary_amount_cents'))],
    ['Reste à charge', formatEuros(sum('reste_a_charge_cents'))],
    [`Dont payé à l'assuré par ${brand.name}`, formatEuros(toMember)],
    [`Dont payé aux professionnels (tiers payant)`, formatEuros(sum('complementary_amount_cents') - toMember)],
  ]);
  pdf.p(`Frais réels = remboursement Sécurité sociale + remboursement ${brand.name} + reste à charge. Les participations forfaitaires et franchises restent à votre charge.`);
  return pdf;
}

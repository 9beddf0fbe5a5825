// The carte de tiers payant as a PDF at card proportions (ISO/IEC 7810 ID-1, 85.6 × 54 mm), drawn
// twice the real size so that it prints legibly and can be cut out: recto (insurer, AMC number,
// member, validity, beneficiaries) and verso (tiers payant domains, help for professionals).
import { formatDateFr } from '../../domain/dates.js';
import { Pdf, type PdfBrand } from '../../domain/pdf.js';
import type { TiersPayantCard } from './queries.js';

const MM = 72 / 25.4;
const SCALE = 2;
export const CARD_PAGE_SIZE: [number, number] = [Math.round(85.6 * MM * SCALE * 100) / 100, Math.round(54 * MM * SCALE * 100) / 100];

const MARGIN = 18;
const GREY = '#555555';

export function tiersPayantCardPdf(card: TiersPayantCard, brand: PdfBrand, now: Date): Pdf {
  const pdf = new Pdf(`Carte de tiers payant ${card.year}`, brand, now, {
    size: CARD_PAGE_SIZE,
    margins: { top: MARGIN, bottom: 4, left: MARGIN, right: MARGIN },
    header: false,
    footer: false,
  });
  recto(pdf, card, brand);
  pdf.doc.addPage({ size: CARD_PAGE_SIZE, margins: { top: MARGIN, bottom: 4, left: MARGIN, right: MARGIN } });
  verso(pdf, card, brand);
  return pdf;
}

function band(pdf: Pdf, brand: PdfBrand, left: string, right: string) {
  const doc = pdf.doc;
  const [width] = CARD_PAGE_SIZE;
  doc.rect(0, 0, width, 44).fillColor(brand.colour).fill();
  doc.font('Helvetica-Bold').fontSize(15).fillColor('#ffffff').text(left, MARGIN, 15, { width: width / 2, lineBreak: false });
  doc.font('Helvetica-Bold').fontSize(10).text(right, width / 2, 18, { width: width / 2 - MARGIN, align: 'right', lineBreak: false });
  doc.fillColor('#000000');
}

function recto(pdf: Pdf, card: TiersPayantCard, brand: PdfBrand) {
  const doc = pdf.doc;
  const [width, height] = CARD_PAGE_SIZE;
  const inner = width - 2 * MARGIN;
  band(pdf, brand, card.insurer, `Carte de tiers payant ${card.year}`);

  let y = 54;
  const pair = (label: string, value: string, x: number, w: number) => {
    doc.font('Helvetica').fontSize(7.5).fillColor(GREY).text(label, x, y, { width: w, lineBreak: false });
    doc.font('Helvetica-Bold').fontSize(10).fillColor('#000000').text(value, x, y + 9, { width: w, lineBreak: false, ellipsis: true });
  };
  const third = inner / 3;
  pair('N° AMC (organisme complémentaire)', card.amcNumber, MARGIN, third);
  pair("N° d'adhérent", card.member.memberNumber, MARGIN + third, third);
  pair('Période de validité', `du ${formatDateFr(card.validFrom)} au ${formatDateFr(card.validTo)}`, MARGIN + 2 * third, third);
  y += 28;
  pair('Adhérent(e)', card.member.name, MARGIN, third * 1.5);
  pair('Titulaire de la carte', card.isMemberCard ? `${card.holder.name} et ses bénéficiaires` : card.holder.name, MARGIN + third * 1.5, third * 1.5);
  y += 30;

  // Beneficiaries: name, date of birth, NIR (masked), code organisme.
  const cols = [0.36, 0.18, 0.28, 0.18].map((c) => c * inner);
  const headers = ['Bénéficiaire', 'Né(e) le', 'N° de Sécurité sociale', 'Code organisme'];
  const available = height - 40 - y;
  const rowHeight = Math.min(15, available / (card.beneficiaries.length + 1));
  const size = Math.min(8.5, rowHeight - 4);
  const row = (cells: string[], bold: boolean, shade: boolean) => {
    if (shade) doc.rect(MARGIN, y, inner, rowHeight).fillColor('#e8f0ed').fill();
    let x = MARGIN;
    cells.forEach((cell, i) => {
      doc
        .font(bold ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(size)
        .fillColor('#000000')
        .text(cell, x + 3, y + (rowHeight - size) / 2, { width: cols[i] - 6, lineBreak: false, ellipsis: true });
      x += cols[i];
    });
    y += rowHeight;
  };
  row(headers, true, true);
  for (const b of card.beneficiaries) row([b.name, formatDateFr(b.birthDate), b.nir ?? '—', b.fundCode], false, false);
  doc.moveTo(MARGIN, y).lineTo(MARGIN + inner, y).lineWidth(0.5).strokeColor('#bbbbbb').stroke();

  doc
    .font('Helvetica')
    .fontSize(7)
    .fillColor(GREY)
    .text(`Contrat ${card.contract.reference} — ${card.contract.company}`, MARGIN, height - 30, { width: inner, lineBreak: false, ellipsis: true });
  doc.text('Carte personnelle, à présenter avec la carte Vitale. Elle ne vaut que pendant sa période de validité.', MARGIN, height - 20, {
    width: inner,
    lineBreak: false,
    ellipsis: true,
  });
}

function verso(pdf: Pdf, card: TiersPayantCard, brand: PdfBrand) {
  const doc = pdf.doc;
  const [width, height] = CARD_PAGE_SIZE;
  const inner = width - 2 * MARGIN;
  band(pdf, brand, 'Domaines de tiers payant', `AMC ${card.amcNumber}`);

  let y = 54;
  doc
    .font('Helvetica')
    .fontSize(8)
    .fillColor('#000000')
    .text(
      `Dans les domaines ci-dessous, ${card.isMemberCard ? 'les bénéficiaires de cette carte n\'avancent' : `${card.holder.name} n'avance`} pas la part complémentaire des frais, dans la limite des garanties du contrat et sous réserve de droits ouverts auprès de l'assurance maladie obligatoire.`,
      MARGIN,
      y,
      { width: inner },
    );
  y = doc.y + 6;
  const columns = 2;
  const colWidth = inner / columns;
  const rows = Math.ceil(card.domains.length / columns);
  card.domains.forEach((d, i) => {
    const x = MARGIN + Math.floor(i / rows) * colWidth;
    const rowY = y + (i % rows) * 16;
    doc.roundedRect(x, rowY, 24, 13, 2).fillColor(brand.colour).fill();
    doc.font('Helvetica-Bold').fontSize(8).fillColor('#ffffff').text(d.code, x, rowY + 3, { width: 24, align: 'center', lineBreak: false });
    doc.font('Helvetica').fontSize(8.5).fillColor('#000000').text(d.label, x + 30, rowY + 2.5, { width: colWidth - 34, lineBreak: false, ellipsis: true });
  });
  y += rows * 16 + 8;

  doc.font('Helvetica-Bold').fontSize(8.5).fillColor('#000000').text('Professionnels de santé et assurés : une question ?', MARGIN, y, { width: inner });
  doc
    .font('Helvetica')
    .fontSize(8)
    .text(`Appelez le ${card.help.phone}${card.help.note ? ` (${card.help.note})` : ''}, ${card.help.hours}.`, MARGIN, doc.y + 1, { width: inner });
  doc
    .fontSize(7)
    .fillColor(GREY)
    .text(`${card.insurer} — N° AMC ${card.amcNumber} — en cas de perte ou de vol, téléchargez de nouveau cette carte depuis votre Espace Assuré.`, MARGIN, height - 22, {
      width: inner,
      lineBreak: false,
      ellipsis: true,
    });
}

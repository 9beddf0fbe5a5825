// The carte de tiers payant as a PDF at card proportions (ISO/IEC 7810 ID-1, 85.6 × 54 mm), drawn
// twice the real size so that it prints legibly and can be cut out: recto (insurer, AMC number,
// member, validity, beneficiaries with their numéro de Sécurité sociale in full — the pharmacist
// needs it, and this card is worth the one sent by post) and verso (tiers payant domains, help for
// professionals). Tagged like every PDF of the portal (src/pdf/document.ts): the band's shapes are
// artifacts, the beneficiaries a table, the domains a list.
import { formatDateFr } from '../../domain/dates.js';
import { FONT, FONT_BOLD, Pdf, type PdfBrand } from '../../pdf/document.js';
import type { TiersPayantCard } from './queries.js';

const MM = 72 / 25.4;
const SCALE = 2;
const CARD_PAGE_SIZE: [number, number] = [Math.round(85.6 * MM * SCALE * 100) / 100, Math.round(54 * MM * SCALE * 100) / 100];

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

type BandText = { text: string; tag: 'H1' | 'H2' | 'P' };

/** The coloured band: a large text on the left, a small one on the right, the heading read first. */
function band(pdf: Pdf, brand: PdfBrand, left: BandText, right: BandText) {
  const doc = pdf.doc;
  const [width] = CARD_PAGE_SIZE;
  pdf.artifact(() => doc.rect(0, 0, width, 44).fillColor(brand.colour).fill());
  const drawLeft = () =>
    pdf.tag(left.tag, () =>
      doc
        .font(FONT_BOLD)
        .fontSize(15)
        .fillColor('#ffffff')
        .text(left.text, MARGIN, 15, { width: width / 2, lineBreak: false }),
    );
  const drawRight = () =>
    pdf.tag(right.tag, () =>
      doc
        .font(FONT_BOLD)
        .fontSize(10)
        .fillColor('#ffffff')
        .text(right.text, width / 2, 18, { width: width / 2 - MARGIN, align: 'right', lineBreak: false }),
    );
  if (right.tag === 'P') {
    drawLeft();
    drawRight();
  } else {
    drawRight();
    drawLeft();
  }
  doc.fillColor('#000000');
}

function recto(pdf: Pdf, card: TiersPayantCard, brand: PdfBrand) {
  const doc = pdf.doc;
  const [width, height] = CARD_PAGE_SIZE;
  const inner = width - 2 * MARGIN;
  band(pdf, brand, { text: card.insurer, tag: 'P' }, { text: `Carte de tiers payant ${card.year}`, tag: 'H1' });

  let y = 54;
  const pair = (label: string, value: string, x: number, w: number) =>
    pdf.tag('P', () => {
      doc.font(FONT).fontSize(7.5).fillColor(GREY).text(label, x, y, { width: w, lineBreak: false });
      doc
        .font(FONT_BOLD)
        .fontSize(10)
        .fillColor('#000000')
        .text(value, x, y + 9, { width: w, lineBreak: false, ellipsis: true });
    });
  const third = inner / 3;
  pair('N° AMC (organisme complémentaire)', card.amcNumber, MARGIN, third);
  pair("N° d'adhérent", card.member.memberNumber, MARGIN + third, third);
  pair('Période de validité', `du ${formatDateFr(card.validFrom)} au ${formatDateFr(card.validTo)}`, MARGIN + 2 * third, third);
  y += 28;
  pair('Adhérent(e)', card.member.name, MARGIN, third * 1.5);
  pair('Titulaire de la carte', card.isMemberCard ? `${card.holder.name} et ses bénéficiaires` : card.holder.name, MARGIN + third * 1.5, third * 1.5);
  y += 30;

  // Beneficiaries: name, date of birth, NIR in full, code organisme.
  const cols = [0.34, 0.16, 0.32, 0.18].map((c) => c * inner);
  const headers = ['Bénéficiaire', 'Né(e) le', 'N° de Sécurité sociale', 'Code organisme'];
  const available = height - 40 - y;
  const rowHeight = Math.min(15, available / (card.beneficiaries.length + 1));
  const size = Math.min(8.5, rowHeight - 4);
  const table = pdf.group('Table');
  const row = (cells: string[], header: boolean) => {
    const rowY = y;
    if (header) pdf.artifact(() => doc.rect(MARGIN, rowY, inner, rowHeight).fillColor('#e8f0ed').fill());
    const tr = pdf.group('TR', table);
    let x = MARGIN;
    cells.forEach((cell, i) => {
      const cellX = x;
      pdf.tag(
        header ? 'TH' : 'TD',
        () =>
          doc
            .font(header ? FONT_BOLD : FONT)
            .fontSize(size)
            .fillColor('#000000')
            .text(cell, cellX + 3, rowY + (rowHeight - size) / 2, { width: cols[i] - 6, lineBreak: false, ellipsis: true }),
        tr,
        header ? { scope: 'Column' } : {},
      );
      x += cols[i];
    });
    tr.end();
    y += rowHeight;
  };
  row(headers, true);
  for (const b of card.beneficiaries) row([b.name, formatDateFr(b.birthDate), b.nir ?? '—', b.fundCode], false);
  table.end();
  pdf.artifact(() =>
    doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + inner, y)
      .lineWidth(0.5)
      .strokeColor('#bbbbbb')
      .stroke(),
  );

  pdf.tag('P', () =>
    doc
      .font(FONT)
      .fontSize(7)
      .fillColor(GREY)
      .text(`Contrat ${card.contract.reference} — ${card.contract.company}`, MARGIN, height - 30, { width: inner, lineBreak: false, ellipsis: true }),
  );
  pdf.tag('P', () =>
    doc
      .font(FONT)
      .fontSize(7)
      .fillColor(GREY)
      .text('Carte personnelle, à présenter avec la carte Vitale. Elle ne vaut que pendant sa période de validité.', MARGIN, height - 20, {
        width: inner,
        lineBreak: false,
        ellipsis: true,
      }),
  );
}

function verso(pdf: Pdf, card: TiersPayantCard, brand: PdfBrand) {
  const doc = pdf.doc;
  const [width, height] = CARD_PAGE_SIZE;
  const inner = width - 2 * MARGIN;
  band(pdf, brand, { text: 'Domaines de tiers payant', tag: 'H2' }, { text: `AMC ${card.amcNumber}`, tag: 'P' });

  let y = 54;
  pdf.tag('P', () =>
    doc
      .font(FONT)
      .fontSize(8)
      .fillColor('#000000')
      .text(
        `Dans les domaines ci-dessous, ${card.isMemberCard ? "les bénéficiaires de cette carte n'avancent" : `${card.holder.name} n'avance`} pas la part complémentaire des frais, dans la limite des garanties du contrat et sous réserve de droits ouverts auprès de l'assurance maladie obligatoire.`,
        MARGIN,
        y,
        { width: inner },
      ),
  );
  y = doc.y + 6;
  const columns = 2;
  const colWidth = inner / columns;
  const rows = Math.ceil(card.domains.length / columns);
  const list = pdf.group('L');
  card.domains.forEach((d, i) => {
    const x = MARGIN + Math.floor(i / rows) * colWidth;
    const rowY = y + (i % rows) * 16;
    pdf.artifact(() => doc.roundedRect(x, rowY, 24, 13, 2).fillColor(brand.colour).fill());
    const item = pdf.group('LI', list);
    pdf.tag(
      'Lbl',
      () =>
        doc
          .font(FONT_BOLD)
          .fontSize(8)
          .fillColor('#ffffff')
          .text(d.code, x, rowY + 3, { width: 24, align: 'center', lineBreak: false }),
      item,
    );
    pdf.tag(
      'LBody',
      () =>
        doc
          .font(FONT)
          .fontSize(8.5)
          .fillColor('#000000')
          .text(d.label, x + 30, rowY + 2.5, { width: colWidth - 34, lineBreak: false, ellipsis: true }),
      item,
    );
    item.end();
  });
  list.end();
  y += rows * 16 + 8;

  pdf.tag('P', () =>
    doc.font(FONT_BOLD).fontSize(8.5).fillColor('#000000').text('Professionnels de santé et assurés : une question ?', MARGIN, y, { width: inner }),
  );
  pdf.tag('P', () =>
    doc
      .font(FONT)
      .fontSize(8)
      .fillColor('#000000')
      .text(`Appelez le ${card.help.phone}${card.help.note ? ` (${card.help.note})` : ''}, ${card.help.hours}.`, MARGIN, doc.y + 1, { width: inner }),
  );
  pdf.tag('P', () =>
    doc
      .font(FONT)
      .fontSize(7)
      .fillColor(GREY)
      .text(
        `${card.insurer} — N° AMC ${card.amcNumber} — en cas de perte ou de vol, téléchargez de nouveau cette carte depuis votre Espace Assuré.`,
        MARGIN,
        height - 22,
        {
          width: inner,
          lineBreak: false,
          ellipsis: true,
        },
      ),
  );
}

// Real PDF documents with pdfkit: a small layout helper (titles, paragraphs, lists, tables, form
// lines, checkboxes, a footer on every page) shared by the portal's downloads and the demo data.
import fs from 'node:fs';
import path from 'node:path';
import type { Response } from 'express';
import PDFDocument from 'pdfkit';

export interface PdfBrand {
  name: string;
  /** Main colour of the brand, #RRGGBB. */
  colour: string;
}

const GREY = '#555555';

export interface PdfOptions {
  size?: PDFKit.PDFDocumentOptions['size'];
  margins?: { top: number; bottom: number; left: number; right: number };
  /** Adds the brand line and the title at the top of the first page (default true). */
  header?: boolean;
  footer?: boolean;
}

export class Pdf {
  readonly doc: PDFKit.PDFDocument;
  readonly left: number;
  readonly width: number;

  constructor(
    private readonly title: string,
    private readonly brand: PdfBrand,
    created: Date,
    private readonly options: PdfOptions = {},
  ) {
    const margins = options.margins ?? { top: 64, bottom: 64, left: 56, right: 56 };
    this.doc = new PDFDocument({
      size: options.size ?? 'A4',
      margins,
      bufferPages: true,
      info: { Title: title, Author: brand.name, Creator: `${brand.name} — portail`, CreationDate: created, ModDate: created },
    });
    this.left = margins.left;
    this.width = this.doc.page.width - margins.left - margins.right;
    if (options.header !== false) {
      this.doc.font('Helvetica-Bold').fontSize(10).fillColor(brand.colour).text(brand.name.toUpperCase(), { characterSpacing: 1 });
      this.doc.moveDown(1.2);
      this.doc.font('Helvetica-Bold').fontSize(20).fillColor('#000000').text(title);
      this.doc.moveDown(0.6);
    }
  }

  ensureSpace(height: number) {
    if (this.doc.y + height > this.doc.page.height - this.doc.page.margins.bottom) this.doc.addPage();
  }

  subtitle(text: string) {
    this.doc.font('Helvetica').fontSize(12).fillColor(GREY).text(text, this.left, this.doc.y, { width: this.width });
    this.doc.moveDown(1);
    return this;
  }

  h2(text: string) {
    this.ensureSpace(60);
    this.doc.moveDown(0.6);
    this.doc.font('Helvetica-Bold').fontSize(14).fillColor(this.brand.colour).text(text, this.left, this.doc.y, { width: this.width });
    this.doc.moveDown(0.4);
    return this;
  }

  h3(text: string) {
    this.ensureSpace(40);
    this.doc.moveDown(0.3);
    this.doc.font('Helvetica-Bold').fontSize(11).fillColor('#000000').text(text, this.left, this.doc.y, { width: this.width });
    this.doc.moveDown(0.2);
    return this;
  }

  p(text: string) {
    this.doc.font('Helvetica').fontSize(10.5).fillColor('#000000').text(text, this.left, this.doc.y, { width: this.width, align: 'justify', lineGap: 2 });
    this.doc.moveDown(0.6);
    return this;
  }

  /** « Label : value » pairs, the label in bold. */
  keyValues(pairs: readonly (readonly [string, string])[]) {
    for (const [label, value] of pairs) {
      this.ensureSpace(18);
      this.doc.font('Helvetica-Bold').fontSize(10.5).fillColor('#000000').text(`${label} : `, this.left, this.doc.y, { continued: true, width: this.width });
      this.doc.font('Helvetica').text(value);
    }
    this.doc.moveDown(0.6);
    return this;
  }

  bullets(items: readonly string[]) {
    this.doc.font('Helvetica').fontSize(10.5).fillColor('#000000');
    for (const item of items) {
      this.ensureSpace(30);
      this.doc.text(`•  ${item}`, this.left + 10, this.doc.y, { width: this.width - 10, lineGap: 2 });
      this.doc.moveDown(0.25);
    }
    this.doc.moveDown(0.4);
    return this;
  }

  /** « Label : ______ » lines for a form to fill in by hand. */
  fields(labels: readonly string[]) {
    this.doc.font('Helvetica').fontSize(10.5).fillColor('#000000');
    for (const label of labels) {
      this.ensureSpace(26);
      const y = this.doc.y;
      this.doc.text(`${label} :`, this.left, y, { width: 200 });
      this.doc
        .moveTo(this.left + 205, y + 11)
        .lineTo(this.left + this.width, y + 11)
        .dash(1, { space: 2 })
        .strokeColor('#888888')
        .stroke()
        .undash();
      this.doc.y = Math.max(this.doc.y, y + 20);
    }
    this.doc.moveDown(0.5);
    return this;
  }

  checkboxes(items: readonly string[]) {
    this.doc.font('Helvetica').fontSize(10.5).fillColor('#000000');
    for (const item of items) {
      this.ensureSpace(24);
      const y = this.doc.y;
      this.doc.rect(this.left + 2, y + 1, 9, 9).strokeColor('#000000').stroke();
      this.doc.text(item, this.left + 18, y, { width: this.width - 18, lineGap: 2 });
      this.doc.moveDown(0.3);
    }
    this.doc.moveDown(0.4);
    return this;
  }

  /** A table that repeats its header row on each new page. `align` per column: 'left' | 'right'. */
  table(headers: readonly string[], rows: readonly (readonly string[])[], widths: readonly number[], align: readonly ('left' | 'right')[] = []) {
    const total = widths.reduce((a, b) => a + b, 0);
    const cols = widths.map((w) => (w / total) * this.width);
    const drawRow = (cells: readonly string[], bold: boolean, shade: boolean) => {
      this.doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
      const heights = cells.map((cell, i) => this.doc.heightOfString(cell, { width: cols[i] - 8 }));
      const height = Math.max(...heights) + 8;
      if (this.doc.y + height > this.doc.page.height - this.doc.page.margins.bottom) {
        this.doc.addPage();
        if (!bold) drawRow(headers, true, true);
        this.doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
      }
      const y = this.doc.y;
      if (shade) this.doc.rect(this.left, y, this.width, height).fillColor('#e8f0ed').fill();
      let x = this.left;
      cells.forEach((cell, i) => {
        this.doc.fillColor('#000000').text(cell, x + 4, y + 4, { width: cols[i] - 8, align: align[i] ?? 'left' });
        x += cols[i];
      });
      this.doc.moveTo(this.left, y + height).lineTo(this.left + this.width, y + height).lineWidth(0.5).strokeColor('#bbbbbb').stroke();
      this.doc.y = y + height;
    };
    drawRow(headers, true, true);
    for (const row of rows) drawRow(row, false, false);
    this.doc.x = this.left;
    this.doc.moveDown(0.8);
    return this;
  }

  private finish() {
    if (this.options.footer !== false) {
      const range = this.doc.bufferedPageRange();
      for (let i = range.start; i < range.start + range.count; i++) {
        this.doc.switchToPage(i);
        const bottom = this.doc.page.margins.bottom;
        this.doc.page.margins.bottom = 0;
        this.doc
          .font('Helvetica')
          .fontSize(8)
          .fillColor(GREY)
          .text(`${this.brand.name} — ${this.title} — page ${i + 1} sur ${range.count}`, this.left, this.doc.page.height - 40, {
            width: this.width,
            align: 'center',
            lineBreak: false,
          });
        this.doc.page.margins.bottom = bottom;
      }
    }
    this.doc.end();
  }

  /** Writes the file; resolves to its size in bytes. */
  async save(file: string): Promise<number> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const stream = fs.createWriteStream(file);
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', () => resolve());
      stream.on('error', reject);
    });
    this.doc.pipe(stream);
    this.finish();
    await done;
    return fs.statSync(file).size;
  }

  async toBuffer(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((resolve, reject) => {
      this.doc.on('data', (c: Buffer) => chunks.push(c));
      this.doc.on('end', () => resolve(Buffer.concat(chunks)));
      this.doc.on('error', reject);
    });
    this.finish();
    return done;
  }

  /** Sends the PDF as a download with a safe file name. */
  async send(res: Response, fileName: string): Promise<void> {
    const buffer = await this.toBuffer();
    const safe = fileName.replace(/[^A-Za-z0-9._-]+/g, '-');
    res
      .status(200)
      .type('application/pdf')
      .set('Content-Disposition', `attachment; filename="${safe}"`)
      .set('Content-Length', String(buffer.length))
      .send(buffer);
  }
}

export function pdfBrand(brand: { name: string; colours: { primary: string } }): PdfBrand {
  return { name: brand.name, colour: brand.colours.primary };
}

// Real PDF documents with pdfkit: a small layout helper (titles, paragraphs, lists, tables, form
// lines, checkboxes, a footer on every page) shared by the portal's downloads and the demo data.
//
// Every document is tagged for accessibility (PDF/UA, ISO 14289): French as its language, its
// title shown by the viewer, an XMP metadata stream, an open font (Source Sans 3, from the
// @expo-google-fonts/source-sans-3 package) embedded as a subset with its Unicode map so that
// accented text reads aloud and copies intact, and every mark on a page either in the structure
// tree (H1–H3, P, L/LI/Lbl/LBody, Table/TR/TH/TD) or an artifact (rules, shading, a table header
// repeated on a new page, the page footers). Layouts of their own (the card) use `tag`, `group`
// and `artifact` the same way.
//
// Not in src/domain/: it reads its fonts from disk and can write a file. A download is sent by
// src/middleware/pdf-download.ts.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';

export interface PdfBrand {
  name: string;
  /** Main colour of the brand, #RRGGBB. */
  colour: string;
}

const GREY = '#555555';

/** The font names to pass to `doc.font()`: nothing else is ever drawn (no standard, unembedded font). */
export const FONT = 'Text';
export const FONT_BOLD = 'Text-Bold';

const FONT_DIR = path.dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/source-sans-3/package.json'));
let parsedFonts: { regular: fontkit.Font; bold: fontkit.Font } | null = null;

function openFont(file: string): fontkit.Font {
  const font = fontkit.create(fs.readFileSync(path.join(FONT_DIR, file)));
  if (!('layout' in font)) throw new Error(`${file}: one font expected, not a collection`);
  return font;
}

/**
 * The two fonts, parsed once per process and shared by every document (pdfkit 0.20 takes a
 * fontkit font as well as a file): fontkit decodes the shaping tables lazily per font object, so
 * parsing the file again for each PDF cost hundreds of milliseconds a download. Each document
 * still embeds its own subset.
 */
function fonts(): { regular: fontkit.Font; bold: fontkit.Font } {
  parsedFonts ??= { regular: openFont('400Regular/SourceSans3_400Regular.ttf'), bold: openFont('700Bold/SourceSans3_700Bold.ttf') };
  return parsedFonts;
}

/**
 * pdfkit keeps, per document and per font, the shaping of each word it measured or drew
 * (EmbeddedFont.layoutCache, its `fontLayoutCache` option): shaping a word with fontkit is most
 * of a PDF's cost, and every document would shape « Frais », « réels », the brand… again. The
 * fonts being the same parsed objects in every document, the cache is shared by the documents of
 * the process. A shaped word is read-only to pdfkit (it copies a position before changing it);
 * what each document embeds (its subset, widths and Unicode map) is still its own. The cache
 * starts afresh every LAYOUT_CACHE_DOCUMENTS documents, so that names and amounts seen once do
 * not pile up.
 */
const LAYOUT_CACHE_DOCUMENTS = 200;
const layoutCaches = { documents: 0, byFont: new Map<string, Record<string, unknown>>() };

/** pdfkit 0.20's font object of a document: only its shaping cache is touched here. */
interface PdfkitEmbeddedFont {
  layoutCache?: Record<string, unknown>;
}

function shareLayoutCache(doc: PDFKit.PDFDocument, fontName: string): void {
  doc.font(fontName);
  const font = (doc as unknown as { _font?: PdfkitEmbeddedFont })._font;
  // A pdfkit without the cache (or with it turned off) keeps its own behaviour.
  if (!font?.layoutCache) return;
  let cache = layoutCaches.byFont.get(fontName);
  if (!cache) {
    cache = Object.create(null) as Record<string, unknown>;
    layoutCaches.byFont.set(fontName, cache);
  }
  font.layoutCache = cache;
}

function countDocumentForLayoutCache(): void {
  if (++layoutCaches.documents < LAYOUT_CACHE_DOCUMENTS) return;
  layoutCaches.documents = 0;
  layoutCaches.byFont.clear();
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** pdfkit 0.20 knows the `scope` of a header cell (Table attribute) but its types do not. */
type StructOptions = PDFKit.Mixins.StructureElementOptions & { scope?: 'Column' | 'Row' };

export interface PdfOptions {
  size?: PDFKit.PDFDocumentOptions['size'];
  margins?: { top: number; bottom: number; left: number; right: number };
  /** Adds the brand line and the title at the top of the first page (default true). */
  header?: boolean;
  footer?: boolean;
  /** What the document is, for its metadata (default: the title). */
  subject?: string;
}

export class Pdf {
  readonly doc: PDFKit.PDFDocument;
  readonly left: number;
  readonly width: number;
  /** The structure tree's root: every block of content hangs from it, in reading order. */
  private readonly root: PDFKit.PDFStructureElement;

  constructor(
    private readonly title: string,
    private readonly brand: PdfBrand,
    created: Date,
    private readonly options: PdfOptions = {},
  ) {
    const margins = options.margins ?? { top: 64, bottom: 64, left: 56, right: 56 };
    const { regular, bold } = fonts();
    this.doc = new PDFDocument({
      size: options.size ?? 'A4',
      margins,
      bufferPages: true,
      pdfVersion: '1.7',
      tagged: true,
      lang: 'fr-FR',
      displayTitle: true,
      subset: 'PDF/UA' as PDFKit.Mixins.PDFSubsets,
      // No default font, so that pdfkit never loads Helvetica: FONT is chosen below, before
      // anything is drawn. (Giving the regular font here made pdfkit compare the two font
      // objects, JSON of their name tables, on every later font(FONT): a fifth of a PDF's cost.)
      font: null as unknown as string,
      info: {
        Title: title,
        Author: brand.name,
        Subject: options.subject ?? title,
        Creator: `${brand.name} — portail`,
        CreationDate: created,
        ModDate: created,
      },
    });
    // pdfkit 0.20 takes a fontkit font where its types only know a file name or a buffer.
    this.doc.registerFont(FONT, regular as unknown as string);
    this.doc.registerFont(FONT_BOLD, bold as unknown as string);
    countDocumentForLayoutCache();
    shareLayoutCache(this.doc, FONT);
    shareLayoutCache(this.doc, FONT_BOLD);
    this.doc.font(FONT);
    escapeXmpValues(this.doc);
    this.root = this.doc.struct('Document');
    this.doc.addStructure(this.root);
    this.left = margins.left;
    this.width = this.doc.page.width - margins.left - margins.right;
    if (options.header !== false) {
      this.tag('P', () => this.doc.font(FONT_BOLD).fontSize(10).fillColor(brand.colour).text(brand.name.toUpperCase(), { characterSpacing: 1 }));
      this.doc.moveDown(1.2);
      this.tag('H1', () => this.doc.font(FONT_BOLD).fontSize(20).fillColor('#000000').text(title));
      this.doc.moveDown(0.6);
    }
  }

  /** Draws one element of the structure tree (a heading, a paragraph, a cell…) under `parent`, the document by default. */
  tag(type: string, draw: () => void, parent: PDFKit.PDFStructureElement = this.root, options: StructOptions = {}): void {
    parent.add(this.doc.struct(type, options, draw));
  }

  /** A grouping element (L, LI, Table, TR…) whose children are added with `tag`; call `end()` on it when done. */
  group(type: string, parent: PDFKit.PDFStructureElement = this.root): PDFKit.PDFStructureElement {
    const element = this.doc.struct(type);
    parent.add(element);
    return element;
  }

  /** Draws what carries no meaning of its own (a rule, a shading, a decoration) outside the structure. */
  artifact(draw: () => void, type: 'Layout' | 'Pagination' = 'Layout'): void {
    this.doc.markContent('Artifact', { type });
    draw();
    this.doc.endMarkedContent();
  }

  /** Starts a new page when `height` points do not fit; call it between elements, never inside `tag`. */
  ensureSpace(height: number) {
    if (this.doc.y + height > this.doc.page.height - this.doc.page.margins.bottom) this.doc.addPage();
  }

  subtitle(text: string) {
    this.tag('P', () => this.doc.font(FONT).fontSize(12).fillColor(GREY).text(text, this.left, this.doc.y, { width: this.width }));
    this.doc.moveDown(1);
    return this;
  }

  h2(text: string) {
    this.ensureSpace(60);
    this.doc.moveDown(0.6);
    this.tag('H2', () => this.doc.font(FONT_BOLD).fontSize(14).fillColor(this.brand.colour).text(text, this.left, this.doc.y, { width: this.width }));
    this.doc.moveDown(0.4);
    return this;
  }

  h3(text: string) {
    this.ensureSpace(40);
    this.doc.moveDown(0.3);
    this.tag('H3', () => this.doc.font(FONT_BOLD).fontSize(11).fillColor('#000000').text(text, this.left, this.doc.y, { width: this.width }));
    this.doc.moveDown(0.2);
    return this;
  }

  p(text: string) {
    this.tag('P', () =>
      this.doc.font(FONT).fontSize(10.5).fillColor('#000000').text(text, this.left, this.doc.y, { width: this.width, align: 'justify', lineGap: 2 }),
    );
    this.doc.moveDown(0.6);
    return this;
  }

  /** « Label : value » pairs, the label in bold, a paragraph each. */
  keyValues(pairs: readonly (readonly [string, string])[]) {
    for (const [label, value] of pairs) {
      this.ensureSpace(18);
      this.tag('P', () => {
        this.doc.font(FONT_BOLD).fontSize(10.5).fillColor('#000000').text(`${label} : `, this.left, this.doc.y, { continued: true, width: this.width });
        this.doc.font(FONT).text(value);
      });
    }
    this.doc.moveDown(0.6);
    return this;
  }

  bullets(items: readonly string[]) {
    const list = this.group('L');
    for (const item of items) {
      this.ensureSpace(30);
      const y = this.doc.y;
      const entry = this.group('LI', list);
      this.tag(
        'Lbl',
        () =>
          this.doc
            .font(FONT)
            .fontSize(10.5)
            .fillColor('#000000')
            .text('•', this.left + 10, y, { lineBreak: false }),
        entry,
      );
      this.tag(
        'LBody',
        () =>
          this.doc
            .font(FONT)
            .fontSize(10.5)
            .fillColor('#000000')
            .text(item, this.left + 22, y, { width: this.width - 22, lineGap: 2 }),
        entry,
      );
      entry.end();
      this.doc.moveDown(0.25);
    }
    list.end();
    this.doc.moveDown(0.4);
    return this;
  }

  /** « Label : ______ » lines for a form to fill in by hand. */
  fields(labels: readonly string[]) {
    for (const label of labels) {
      this.ensureSpace(26);
      const y = this.doc.y;
      this.tag('P', () => this.doc.font(FONT).fontSize(10.5).fillColor('#000000').text(`${label} :`, this.left, y, { width: 200 }));
      const bottom = this.doc.y;
      this.artifact(() =>
        this.doc
          .moveTo(this.left + 205, y + 11)
          .lineTo(this.left + this.width, y + 11)
          .dash(1, { space: 2 })
          .strokeColor('#888888')
          .stroke()
          .undash(),
      );
      this.doc.y = Math.max(bottom, y + 20);
    }
    this.doc.moveDown(0.5);
    return this;
  }

  /** Boxes to tick by hand: a list whose labels read « ☐ ». */
  checkboxes(items: readonly string[]) {
    const list = this.group('L');
    for (const item of items) {
      this.ensureSpace(24);
      const y = this.doc.y;
      const entry = this.group('LI', list);
      this.tag(
        'Lbl',
        () =>
          this.doc
            .rect(this.left + 2, y + 1, 9, 9)
            .lineWidth(1)
            .strokeColor('#000000')
            .stroke(),
        entry,
        { actual: '☐' },
      );
      this.tag(
        'LBody',
        () =>
          this.doc
            .font(FONT)
            .fontSize(10.5)
            .fillColor('#000000')
            .text(item, this.left + 18, y, { width: this.width - 18, lineGap: 2 }),
        entry,
      );
      entry.end();
      this.doc.moveDown(0.3);
    }
    list.end();
    this.doc.moveDown(0.4);
    return this;
  }

  /**
   * A table (Table, TR, TH with its column scope, TD) that repeats its header row on each new
   * page — as an artifact there, the header being already in the structure. `align` per column.
   */
  table(headers: readonly string[], rows: readonly (readonly string[])[], widths: readonly number[], align: readonly ('left' | 'right')[] = []) {
    const total = widths.reduce((a, b) => a + b, 0);
    const cols = widths.map((w) => (w / total) * this.width);
    const starts = cols.map((_, i) => this.left + cols.slice(0, i).reduce((a, b) => a + b, 0));
    const table = this.group('Table');
    const drawRow = (cells: readonly string[], kind: 'header' | 'repeated-header' | 'body') => {
      const bold = kind !== 'body';
      const font = bold ? FONT_BOLD : FONT;
      this.doc.font(font).fontSize(8.5);
      const heights = cells.map((cell, i) => this.doc.heightOfString(cell, { width: cols[i] - 8 }));
      const height = Math.max(...heights) + 8;
      if (this.doc.y + height > this.doc.page.height - this.doc.page.margins.bottom) {
        this.doc.addPage();
        if (kind === 'body') drawRow(headers, 'repeated-header');
      }
      const y = this.doc.y;
      if (bold) this.artifact(() => this.doc.rect(this.left, y, this.width, height).fillColor('#e8f0ed').fill());
      const drawCell = (cell: string, i: number) => () =>
        this.doc
          .font(font)
          .fontSize(8.5)
          .fillColor('#000000')
          .text(cell, starts[i] + 4, y + 4, { width: cols[i] - 8, align: align[i] ?? 'left' });
      if (kind === 'repeated-header') {
        this.artifact(() => {
          cells.forEach((cell, i) => {
            drawCell(cell, i)();
          });
        }, 'Pagination');
      } else {
        const row = this.group('TR', table);
        cells.forEach((cell, i) => {
          this.tag(bold ? 'TH' : 'TD', drawCell(cell, i), row, bold ? { scope: 'Column' } : {});
        });
        row.end();
      }
      this.artifact(() =>
        this.doc
          .moveTo(this.left, y + height)
          .lineTo(this.left + this.width, y + height)
          .lineWidth(0.5)
          .strokeColor('#bbbbbb')
          .stroke(),
      );
      this.doc.y = y + height;
    };
    drawRow(headers, 'header');
    for (const row of rows) drawRow(row, 'body');
    table.end();
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
        this.artifact(
          () =>
            this.doc
              .font(FONT)
              .fontSize(8)
              .fillColor(GREY)
              .text(`${this.brand.name} — ${this.title} — page ${i + 1} sur ${range.count}`, this.left, this.doc.page.height - 40, {
                width: this.width,
                align: 'center',
                lineBreak: false,
              }),
          'Pagination',
        );
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
}

/**
 * pdfkit 0.20 writes the document information into the XMP packet without escaping it
 * (MetadataMixin._addInfo in node_modules/pdfkit/js/pdfkit.js): a brand named « A & B » would make
 * the metadata stream invalid XML. The XMP gets escaped values; the Info dictionary keeps the text.
 */
function escapeXmpValues(doc: PDFKit.PDFDocument) {
  const target = doc as unknown as { info: Record<string, unknown>; endMetadata: () => void };
  const endMetadata = target.endMetadata.bind(doc);
  target.endMetadata = () => {
    const info = target.info;
    target.info = Object.fromEntries(Object.entries(info).map(([key, value]) => [key, typeof value === 'string' ? escapeXml(value) : value]));
    try {
      endMetadata();
    } finally {
      target.info = info;
    }
  };
}

export function pdfBrand(brand: { name: string; colours: { primary: string } }): PdfBrand {
  return { name: brand.name, colour: brand.colours.primary };
}

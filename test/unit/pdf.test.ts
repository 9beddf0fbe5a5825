// The shared PDF helper (src/pdf/document.ts) makes tagged PDFs (PDF/UA): a structure tree for
// headings, paragraphs, lists and tables, artifacts for what carries no meaning, an XMP packet
// that stays valid XML whatever the brand's name, and Source Sans 3 embedded with its Unicode map.
// The demo documents (db/seeds/documents.ts) use the same helper and are checked here too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { Pdf } from '../../src/pdf/document.js';
import * as docs from '../../db/seeds/documents.js';
import { inspectPdf, type PdfInspection } from '../helpers/pdf.js';
import { assertIncludes } from '../helpers/assertions.js';

const created = new Date('2026-01-05T10:00:00.000Z');

/** The XMP packet parsed as XML (throws when it is not well-formed); returns the texts of rdf:li. */
function xmpTexts(xmp: string): string[] {
  const parser = new SaxesParser({ xmlns: false });
  const texts: string[] = [];
  let inLi = false;
  parser.on('opentag', (tag) => (inLi = tag.name === 'rdf:li'));
  parser.on('closetag', () => (inLi = false));
  parser.on('text', (text) => inLi && texts.push(text));
  parser.write(xmp.replace(/^\uFEFF/, '')).close();
  return texts;
}

function structureOf(bytes: Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'portail-pdf-')), 'doc.pdf');
  fs.writeFileSync(file, bytes);
  try {
    return execFileSync('pdfinfo', ['-struct-text', file], { encoding: 'utf8' });
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

function assertAccessible(pdf: PdfInspection, what: string) {
  assert.ok(pdf.tagged, `${what}: Tagged: yes`);
  assertIncludes(pdf.xmp, '<pdfuaid:part>1</pdfuaid:part>', `${what}: XMP`);
  assert.ok(pdf.fonts.length > 0 && pdf.fonts.every((f) => f.embedded && f.unicode), `${what}: ${JSON.stringify(pdf.fonts)}`);
  assert.deepEqual(pdf.unmarked, [], `${what}: nothing drawn outside the structure or an artifact`);
}

test('every block is tagged: H1–H3, P, lists, a table whose header is repeated as an artifact on the next page', async () => {
  const pdf = new Pdf('Résumé des garanties', { name: 'Tilleul Santé', colour: '#1d5e4f' }, created);
  pdf.subtitle('Régime frais de santé — contrat « BASE »');
  pdf.h2('Hospitalisation').h3('Séjour').p('Les remboursements s’entendent y compris la Sécurité sociale : 150 € par an.');
  pdf.keyValues([['Bénéficiaire', 'Élodie Œuvray']]);
  pdf.bullets(['Première ligne', 'Deuxième ligne']);
  pdf.checkboxes(['Madame', 'Monsieur']);
  pdf.fields(['Date de naissance']);
  pdf.table(
    ['Garantie', 'Remboursement'],
    Array.from({ length: 90 }, (_, i) => [`Soin n° ${i + 1} — prothèse`, '100 % BR']),
    [3, 2],
    ['left', 'right'],
  );
  const bytes = await pdf.toBuffer();
  const inspection = inspectPdf(bytes);
  assertAccessible(inspection, 'helper');
  assert.equal(inspection.title, 'Résumé des garanties');
  for (const text of [
    'Résumé des garanties',
    'Régime frais de santé — contrat « BASE »',
    's’entendent',
    '150 € par an',
    'Élodie Œuvray',
    'Soin n° 90 — prothèse',
  ]) {
    assertIncludes(inspection.text, text, text);
  }
  assert.ok((inspection.text.match(/Garantie Remboursement/g) ?? []).length >= 2, 'the header row is repeated on the next page');
  const structure = structureOf(bytes);
  for (const element of ['H1', 'H2', 'H3', 'P', 'L', 'LI', 'Lbl', 'LBody', 'Table', 'TR', 'TH:', 'TD']) {
    assert.match(structure, new RegExp(`^\\s*${element}( |\\n|$)`, 'm'), element);
  }
  assert.equal((structure.match(/^\s*TH:?$/gm) ?? []).length, 2, 'one header row in the structure, not one per page');
  assert.equal((structure.match(/\/Scope \/Column/g) ?? []).length, 2, 'header cells scoped to their column');
  assert.equal((structure.match(/^\s*TR( \(block\))?$/gm) ?? []).length, 91);
  assert.equal((structure.match(/^\s*LI( \(block\))?$/gm) ?? []).length, 4, 'two bullets and two boxes to tick');
});

test('a brand or title with « & » and « < » keeps the XMP packet valid XML, the Info dictionary unchanged', async () => {
  const bytes = await new Pdf('Garanties <Cadres> & non-cadres', { name: 'Dupont & Fils Santé', colour: '#1d5e4f' }, created).p('Texte.').toBuffer();
  const inspection = inspectPdf(bytes);
  assert.equal(inspection.title, 'Garanties <Cadres> & non-cadres');
  const texts = xmpTexts(inspection.xmp);
  assertIncludes(texts, 'Garanties <Cadres> & non-cadres', JSON.stringify(texts));
  assertIncludes(texts, 'Dupont & Fils Santé');
});

test('the check finds a mark drawn outside the structure (so it can fail)', async () => {
  const pdf = new Pdf('Contrôle', { name: 'Tilleul Santé', colour: '#1d5e4f' }, created);
  pdf.doc.rect(10, 10, 20, 20).fill();
  assert.ok(inspectPdf(await pdf.toBuffer()).unmarked.some((op) => op.startsWith('f ')));
});

test('the demo documents are tagged PDFs too', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portail-docs-'));
  const brand = {
    name: 'Tilleul Santé',
    networkName: 'Réseau Santé Clair',
    amcNumber: '912345678',
    agreement: "convention collective nationale de l'immobilier",
    helpPhone: '01 99 00 39 00',
    helpHours: 'du lundi au vendredi de 8h30 à 18h00',
    helpHoursEntreprise: 'du lundi au vendredi de 8h30 à 17h00',
    address: '12 rue des Tilleuls, 75011 Paris',
  };
  try {
    const file = (name: string) => path.join(dir, `${name}.pdf`);
    const written: [string, string, (f: string) => Promise<number>][] = [
      ['résumé', 'Résumé des garanties — Cadres', (f) => docs.writeGuaranteeSummary(f, brand, created, { college: 'cadre', contractLabel: 'BASE CCN C' })],
      ['portabilité', 'Formulaire de portabilité des droits', (f) => docs.writePortabilityForm(f, brand, created)],
      ['dispense', '', (f) => docs.writeDispensationForm(f, brand, created)],
      ['notice', '', (f) => docs.writeInformationNotice(f, brand, created)],
      ['guide entreprise', '', (f) => docs.writeEntrepriseGuide(f, brand, created)],
      ['guide assuré', "Guide de l'Espace Assuré", (f) => docs.writeAssureGuide(f, brand, created)],
      ['pièce jointe', 'Facture de la pharmacie', (f) => docs.writeAttachment(f, brand, created, 'Facture de la pharmacie', ['Montant réglé : 12,50 €'])],
    ];
    for (const [what, title, write] of written) {
      await write(file(what));
      const inspection = inspectPdf(fs.readFileSync(file(what)));
      assertAccessible(inspection, what);
      assert.ok(inspection.title.length > 0, `${what}: a title`);
      if (title) assert.equal(inspection.title, title, what);
      assertIncludes(inspection.text, 'TILLEUL SANTÉ', `${what}: accents intact`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the shaping shared between documents changes nothing: a document made after others is the same, bytes for bytes', async () => {
  const make = (words: string) => {
    const pdf = new Pdf(`Décompte ${words}`, { name: 'Mutuelle Exemple', colour: '#1d5e4f' }, created);
    pdf.h2('Frais réels et reste à charge');
    pdf.p(`Œuvre « ${words} » : 1 234,56 € remboursés, déjà vus ou jamais vus.`);
    pdf.table(['Soins', 'Montant'], [[words, '12,30 €']], [3, 1], ['left', 'right']);
    return pdf.toBuffer();
  };
  // Words no other test of this file draws: shaped for the first time here.
  const first = await make('Zéphyrin Quichotte');
  await make('Anaïs Wąsowska');
  const again = await make('Zéphyrin Quichotte');
  assert.ok(first.equals(again), 'the same PDF, cold and warm');
  assertAccessible(inspectPdf(again), 'warm');
});

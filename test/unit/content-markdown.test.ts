import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ContentFolder } from '../../src/content/folder.js';
import { renderMarkdown, slugify, splitFrontMatter } from '../../src/content/markdown.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

describe('Markdown written by the insurer', () => {
  test('headings get unique ids and make the table of contents (levels 2 and 3)', () => {
    const page = renderMarkdown('# Titre\n\n## Réseau de soins\n\ntexte\n\n### Opticiens partenaires\n\n## Réseau de soins\n\n#### Détail');
    assert.deepEqual(page.headings, [
      { level: 2, id: 'partie-titre', text: 'Titre' },
      { level: 2, id: 'partie-reseau-de-soins', text: 'Réseau de soins' },
      { level: 3, id: 'partie-opticiens-partenaires', text: 'Opticiens partenaires' },
      { level: 2, id: 'partie-reseau-de-soins-2', text: 'Réseau de soins' },
    ]);
    for (const needle of ['<h2 id="partie-reseau-de-soins">Réseau de soins</h2>', '<h2 id="partie-reseau-de-soins-2">', '<h4 id="partie-detail">Détail</h4>'])
      assertIncludes(page.html, needle);
  });

  test('links into the portal stay as they are; links out open no window reference', () => {
    const page = renderMarkdown('[Ma carte](/assure/tiers-payant) et [le site](https://www.ameli.fr) ou [appeler](tel:+33170913900)');
    for (const needle of [
      '<a href="/assure/tiers-payant">Ma carte</a>',
      '<a href="https://www.ameli.fr" rel="noopener noreferrer">le site</a>',
      'href="tel:+33170913900"',
    ])
      assertIncludes(page.html, needle);
  });

  test('hostile content cannot bring a script, a handler, a style or a javascript: link', () => {
    const hostile = [
      '<script>alert(1)</script>',
      '<img src=x onerror="alert(2)">',
      '<p onclick="alert(3)" style="color:red">clic</p>',
      '[piège](javascript:alert(4))',
      '[piège2](JaVaScRiPt:alert(5))',
      '<a href="data:text/html,<script>alert(6)</script>">data</a>',
      '<iframe src="https://evil.example"></iframe>',
      '<svg><script>alert(7)</script></svg>',
      '<form action="/assure/informations-personnelles"><input name="x"></form>',
      '## Titre <img src=x onerror=alert(8)>',
      '[proto](//evil.example/x)',
      '<style>body{display:none}</style>',
    ].join('\n\n');
    const { html } = renderMarkdown(hostile);
    for (const needle of [
      '<script',
      'onerror',
      'onclick',
      'style=',
      'javascript:',
      'JaVaScRiPt',
      'data:text',
      '<iframe',
      '<svg',
      '<form',
      '<input',
      '<img',
      '//evil.example',
      '<style',
    ])
      assertExcludes(html, needle);
    for (const needle of ['clic', 'Titre']) assertIncludes(html, needle);
  });

  test('a heading reads as typed in the contents (« & » once), and its id never takes one of the layout', () => {
    const page = renderMarkdown('## Vue & audition\n\n## Contenu\n\n<h2 id="contenu">Brut</h2>\n\n<h3 id="partie-libre" onclick="x()">Libre</h3>');
    assert.deepEqual(
      page.headings.map((h) => [h.id, h.text]),
      [
        ['partie-vue-audition', 'Vue & audition'],
        ['partie-contenu', 'Contenu'],
      ],
    );
    assertExcludes(page.html, 'id="contenu"');
    assertIncludes(page.html, '<h2>Brut</h2>');
    assertIncludes(page.html, '<h3 id="partie-libre">Libre</h3>');
  });

  test('the plain text has no markup and reads with spaces between blocks', () => {
    const page = renderMarkdown('## Carte\n\nVotre **carte** de tiers payant &amp; vous.\n\n- un\n- deux');
    assert.equal(page.text, 'Carte Votre carte de tiers payant & vous. un deux');
  });

  test('front matter is read as YAML; a file without it is all body', () => {
    assert.deepEqual(splitFrontMatter('\uFEFF---\ntitle: Vaccination\norder: 2\n---\n## Corps'), {
      data: { title: 'Vaccination', order: 2 },
      body: '## Corps',
    });
    assert.deepEqual(splitFrontMatter('## Corps seul'), { data: {}, body: '## Corps seul' });
    assert.throws(() => splitFrontMatter('---\ntitle: [oups\n---\n'), /en-tête YAML illisible/);
    assert.throws(() => splitFrontMatter('---\n- a\n- b\n---\n'), /clé: valeur/);
  });

  test('slugs fold accents and punctuation', () => {
    assert.equal(slugify('Deuxième avis médical !'), 'deuxieme-avis-medical');
    assert.equal(slugify('???'), 'section');
  });
});

describe('a folder of content pages', () => {
  const schema = z.object({ title: z.string().min(2), order: z.number().int().optional() });

  function folder(): { dir: string; pages: ContentFolder<z.infer<typeof schema>> } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contenu-'));
    return { dir, pages: new ContentFolder(dir, schema) };
  }

  test('pages come by order then title; bad files are reported, not served', () => {
    const { dir, pages } = folder();
    fs.writeFileSync(path.join(dir, 'sommeil.md'), '---\ntitle: Sommeil\norder: 2\n---\n## Dormir');
    fs.writeFileSync(path.join(dir, 'vaccination.md'), '---\ntitle: Vaccination\norder: 1\n---\n## Vacciner');
    fs.writeFileSync(path.join(dir, 'activite.md'), '---\ntitle: Activité physique\n---\n## Bouger');
    fs.writeFileSync(path.join(dir, 'sans-titre.md'), '## Rien');
    fs.writeFileSync(path.join(dir, 'Majuscules.md'), '---\ntitle: Nom refusé\n---\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'ignoré');
    assert.deepEqual(
      pages.pages().map((p) => p.slug),
      ['vaccination', 'sommeil', 'activite'],
    );
    assert.deepEqual(
      pages
        .problems()
        .map((p) => path.basename(p.file))
        .sort(),
      ['Majuscules.md', 'sans-titre.md'],
    );
    assert.equal(pages.page('sommeil')?.meta.title, 'Sommeil');
    assert.equal(pages.page('../sommeil'), undefined);
    assert.equal(pages.page('inconnue'), undefined);
  });

  test('a file changed, added or removed is seen on the next read, without a restart', () => {
    const { dir, pages } = folder();
    const file = path.join(dir, 'sommeil.md');
    fs.writeFileSync(file, '---\ntitle: Sommeil\n---\nAvant');
    assert.equal(pages.page('sommeil')?.text, 'Avant');
    fs.writeFileSync(file, '---\ntitle: Sommeil\n---\nAprès la modification');
    // Same second on some file systems: a different size is enough to notice the change.
    assert.equal(pages.page('sommeil')?.text, 'Après la modification');
    fs.writeFileSync(path.join(dir, 'neuf.md'), '---\ntitle: Neuf\n---\n');
    assert.equal(pages.pages().length, 2);
    fs.rmSync(file);
    assert.deepEqual(
      pages.pages().map((p) => p.slug),
      ['neuf'],
    );
  });

  test('front matter problems are said in French', () => {
    const { dir, pages } = folder();
    fs.writeFileSync(path.join(dir, 'sans-titre.md'), '---\norder: deux\n---\n');
    const strict = new ContentFolder(dir, schema.strict());
    fs.writeFileSync(path.join(dir, 'inconnu.md'), '---\ntitle: Bon titre\ntitre: doublon\n---\n');
    const byFile = (list: { file: string; message: string }[]) => Object.fromEntries(list.map((p) => [path.basename(p.file), p.message]));
    assert.equal(byFile(pages.problems())['sans-titre.md'], 'en-tête : « title » manquant ; « order » : nombre attendu');
    assert.equal(byFile(strict.problems())['inconnu.md'], 'en-tête : champ inconnu « titre »');
  });

  test('a missing folder is an empty list', () => {
    const pages = new ContentFolder(path.join(os.tmpdir(), 'absent-contenu-portail'), schema);
    assert.deepEqual(pages.pages(), []);
  });
});

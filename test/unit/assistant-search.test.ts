// The assistant's search (src/assistant/french.ts, src/assistant/search.ts) and its knowledge base
// (src/assistant/knowledge-base.ts): French reading (accents, elisions, stop words, plurals and
// verb forms, synonyms), typos, the asking space, the base re-read when a file changes, and the
// demo brand's base without a problem. The few questions here are the author's own, for
// development; the measure is test/unit/assistant-hit-rate.test.ts, on questions written by
// someone else.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expandSynonyms, indexTerms, questionTerms, stem, SYNONYM_WEIGHT, words } from '../../src/assistant/french.js';
import { AssistantIndex, type SearchableEntry } from '../../src/assistant/search.js';
import { KnowledgeBase, knowledgeBaseFor } from '../../src/assistant/knowledge-base.js';
import { loadBrand } from '../../src/brand.js';
import { BRAND_DIR } from '../../src/paths.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const brand = loadBrand(path.join(BRAND_DIR, 'demo.json'));

describe('reading French', () => {
  test('words: lowercase, accents and ligatures folded, elisions dropped, punctuation out', () => {
    assert.deepEqual(words("L'Attestation d'affiliation de ma SŒUR — qu'il m'a envoyée ?"), [
      'attestation',
      'affiliation',
      'de',
      'ma',
      'soeur',
      'il',
      'a',
      'envoyee',
    ]);
    assert.deepEqual(words('J’ai reçu l’e-mail'), ['ai', 'recu', 'e', 'mail']);
  });

  test('stop words go, the topic stays; accented and unaccented spellings give the same terms', () => {
    assert.deepEqual(indexTerms('Comment est-ce que je peux obtenir ma carte ?'), indexTerms('obtenir carte'));
    assert.deepEqual(indexTerms('Bénéficiaire, télétransmission, hôpital'), indexTerms('beneficiaire teletransmission hopital'));
    assert.deepEqual(indexTerms('bonjour, merci'), []);
  });

  test('plurals and verb forms share a stem; the word itself is indexed beside it', () => {
    const stemOf = (word: string) => stem(words(word)[0]);
    for (const form of ['remboursements', 'rembourser', 'remboursé', 'remboursée', 'remboursees']) assert.equal(stemOf(form), stemOf('remboursement'), form);
    assert.equal(stemOf('bénéficiaires'), stemOf('bénéficiaire'));
    assert.equal(stemOf('cartes'), stemOf('carte'));
    assert.equal(stemOf('activation'), stemOf('activer'));
    assert.deepEqual(indexTerms('Remboursements'), [stemOf('remboursement'), 'remboursements']);
  });

  test("synonyms: the question keeps its words and gains the answers' words, one or several in a row", () => {
    assert.deepEqual(expandSynonyms(['ma', 'mutuelle']), ['ma', 'mutuelle', 'complementaire']);
    assert.deepEqual(expandSynonyms(['mdp', 'perdu']), ['mdp', 'perdu', 'mot', 'de', 'passe']);
    assert.ok(expandSynonyms(['mes', 'lunettes']).includes('optique'));
    assert.ok(expandSynonyms(['mon', 'bebe']).includes('naissance'));
    // A rule of two words needs both, in order.
    assert.ok(expandSynonyms(['fiche', 'de', 'paie']).includes('cotisation'));
    assert.ok(!expandSynonyms(['paie', 'de', 'fiche']).includes('cotisation'));
  });

  test('a synonym weighs less than a word typed', () => {
    const terms = questionTerms('mutuelle lunettes');
    const weight = (word: string) => terms.find((t) => t.term === indexTerms(word)[0])?.weight;
    assert.equal(weight('mutuelle'), 1);
    assert.equal(weight('optique'), SYNONYM_WEIGHT);
    // A synonym the question also typed keeps its full weight.
    assert.equal(questionTerms('mutuelle complémentaire').find((t) => t.term === indexTerms('complémentaire')[0])?.weight, 1);
  });
});

describe('the index', () => {
  const entries: SearchableEntry[] = [
    {
      id: 'carte',
      title: 'Comment obtenir ma carte de tiers payant ?',
      keywords: ['télécharger la carte'],
      text: 'Menu Tiers payant, Télécharger.',
      spaces: ['assure', 'public'],
    },
    { id: 'optique', title: 'Lunettes et lentilles', keywords: ['opticien'], text: 'Remboursement optique selon vos garanties.', spaces: ['assure'] },
    { id: 'rh', title: 'Ajouter un utilisateur à mon espace entreprise', keywords: ['habilitations'], text: 'Mes habilitations.', spaces: ['entreprise'] },
    {
      id: 'mdp',
      title: "J'ai oublié mon mot de passe",
      keywords: [],
      text: 'Mot de passe oublié ? sur la page de connexion.',
      spaces: ['assure', 'entreprise', 'public'],
    },
  ];
  const index = new AssistantIndex(entries);
  const top = (question: string, space: 'assure' | 'entreprise' | 'public' = 'assure') => index.ask(question, space)[0]?.id;

  test('accents, plurals and synonyms find the entry', () => {
    assert.equal(top('OBTENIR MES CARTES'), 'carte');
    assert.equal(top('telechargement de la carte'), 'carte');
    assert.equal(top('remboursement de mes lunettes'), 'optique');
    assert.equal(top('mdp oublié', 'public'), 'mdp');
  });

  test('typos: one letter off in a long word, or a word cut short, still finds it', () => {
    assert.equal(top('lunetes'), 'optique');
    assert.equal(top('oticien'), 'optique');
    assert.equal(top('habilitaton', 'entreprise'), 'rh');
  });

  test('only the entries of the asking space are offered', () => {
    assert.equal(top('ajouter un utilisateur', 'entreprise'), 'rh');
    assert.equal(top('ajouter un utilisateur habilitations', 'assure'), undefined);
    assert.equal(top('lunettes', 'public'), undefined);
    assert.equal(top('lunettes', 'entreprise'), undefined);
  });

  test('nothing to say: stop words only, unknown words, a far typo', () => {
    assert.deepEqual(index.ask('bonjour, comment faire ?', 'assure'), []);
    assert.deepEqual(index.ask('xylophone zébré', 'assure'), []);
  });
});

describe('the knowledge base', () => {
  function tempBase(): { dir: string; base: KnowledgeBase } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assistant-kb-'));
    return { dir, base: new KnowledgeBase(dir, brand) };
  }
  const file = (title: string, spaces: string, body: string, extra = '') => `---\ntitle: "${title}"\nspaces: [${spaces}]\n${extra}---\n\n${body}\n`;

  test('the demo brand ships one entry for each intent of the list, and no problem', () => {
    const base = knowledgeBaseFor(brand);
    assert.deepEqual(base.problems(), []);
    assert.ok(base.entries().length >= 48, `${base.entries().length} entries`);
    for (const entry of base.entries()) {
      const count = entry.text.split(/\s+/).length;
      assert.ok(count >= 40 && count <= 230, `${entry.id}: ${count} words`);
      assertExcludes(entry.html, '{{', `${entry.id}: every brand value filled`);
    }
    assert.equal(base.entry('carte-tiers-payant-obtenir', 'assure')?.title, 'Comment obtenir ma carte de tiers payant ?');
    assert.equal(base.entry('carte-tiers-payant-obtenir', 'entreprise'), undefined, 'not offered to HR');
    assertIncludes(base.entry('contact-telephone', 'public')!.html, brand.help.phone);
  });

  test("the author's own questions find their answer in the demo base", () => {
    const base = knowledgeBaseFor(brand);
    const cases: [question: string, space: 'assure' | 'entreprise' | 'public', expected: string][] = [
      ['comment obtenir ma carte de tiers payant', 'assure', 'carte-tiers-payant-obtenir'],
      ['ma carte est perimee', 'assure', 'carte-tiers-payant-perdue'],
      ['je ne recois pas le code d activation', 'public', 'code-activation-non-recu'],
      ['j ai change de banque', 'assure', 'rib-modifier'],
      ['c est quoi noemie', 'assure', 'teletransmission-principe'],
      ["j'attends un bébé", 'assure', 'naissance-enfant'],
      ['donner acces a mon expert comptable', 'entreprise', 'rh-habilitations'],
      ['exporter la liste des salaries en excel', 'entreprise', 'rh-salaries-export'],
      ['activer l espace entreprise avec le siret', 'public', 'rh-activer-espace'],
      ['remboursment des lunetes', 'assure', 'devis-optique'],
    ];
    for (const [question, space, expected] of cases) assert.equal(base.ask(question, space)[0]?.id, expected, `${space}: ${question}`);
  });

  test('a file added, changed or removed is searched at once; the index is kept while nothing changes', () => {
    const { dir, base } = tempBase();
    fs.writeFileSync(path.join(dir, 'carte.md'), file('Carte de tiers payant', 'assure', 'Téléchargez votre carte.'));
    assert.equal(base.ask('carte', 'assure')[0]?.id, 'carte');
    assert.deepEqual(base.ask('vaccin', 'assure'), []);
    const index = (base as unknown as { built: { index: unknown } }).built.index;
    base.ask('carte', 'assure');
    assert.equal((base as unknown as { built: { index: unknown } }).built.index, index, 'no file changed: same index');

    fs.writeFileSync(path.join(dir, 'vaccins.md'), file('Vaccins remboursés', 'assure', 'La prévention prend en charge certains vaccins.'));
    assert.equal(base.ask('vaccin grippe', 'assure')[0]?.id, 'vaccins');
    // Changed: same size would be missed by a size-only check, so the words differ in length too.
    fs.writeFileSync(path.join(dir, 'vaccins.md'), file('Vaccins et dépistages remboursés', 'entreprise', 'Texte.'));
    assert.deepEqual(base.ask('vaccin', 'assure'), []);
    assert.equal(base.ask('vaccin', 'entreprise')[0]?.id, 'vaccins');
    fs.rmSync(path.join(dir, 'vaccins.md'));
    assert.deepEqual(base.ask('vaccin', 'entreprise'), []);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a bad file is reported in French and left out; brand values fill the answer, escaped', () => {
    const { dir, base } = tempBase();
    fs.writeFileSync(path.join(dir, 'sans-espace.md'), file('Une question valable', 'partout', 'Texte.'));
    fs.writeFileSync(
      path.join(dir, 'lien-externe.md'),
      file('Une autre question', 'assure', 'Texte.', 'links:\n  - label: Ailleurs\n    href: https://evil.example\n'),
    );
    fs.writeFileSync(path.join(dir, 'inconnu.md'), file('Appelez {{marque}}', 'public', 'Au {{telephone}}, {{horaires}} ; {{fax}}.'));
    const problems = base.problems().map((p) => `${path.basename(p.file)}: ${p.message}`);
    assert.equal(problems.length, 3, problems.join('\n'));
    assertIncludes(problems.join('\n'), 'sans-espace.md: en-tête : « spaces.0 »');
    assertIncludes(problems.join('\n'), 'lien-externe.md: en-tête : « links.0.href » — adresse du portail attendue');
    assertIncludes(problems.join('\n'), 'inconnu.md: valeur inconnue : {{fax}}');
    assert.deepEqual(
      base.entries().map((e) => e.id),
      ['inconnu'],
    );
    const entry = base.entry('inconnu', 'public')!;
    assert.equal(entry.title, `Appelez ${brand.name}`);
    assertIncludes(entry.html, `Au ${brand.help.phone}, ${brand.help.hours}`);
    const hostile = new KnowledgeBase(dir, { ...brand, help: { ...brand.help, phone: '<b>01</b>' } });
    assertIncludes(hostile.entry('inconnu', 'public')!.html, '&lt;b&gt;01&lt;/b&gt;');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

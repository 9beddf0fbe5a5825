import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  capitalizeName,
  de,
  distinctParts,
  establishmentLabel,
  mentions,
  particle,
  que,
  formatCount,
  formatInteger,
  initials,
  normalizeFrenchSpaces,
  pluralize,
} from '../../src/domain/text.js';

const NBSP = '\u00A0';

test('capitalizeName fixes case, hyphens and accents', () => {
  assert.equal(capitalizeName('jean-pierre DUPONT'), 'Jean-Pierre Dupont');
  assert.equal(capitalizeName('  ÉLODIE   martin '), 'Élodie Martin');
  assert.equal(capitalizeName('marie-hélène le gall'), 'Marie-Hélène Le Gall');
  assert.equal(capitalizeName("o'neill"), "O'Neill");
});

test('capitalizeName keeps particles lowercase inside a name', () => {
  assert.equal(capitalizeName('jean DE LA FONTAINE'), 'Jean de La Fontaine');
  assert.equal(capitalizeName("charles D'ARTAGNAN"), "Charles d'Artagnan");
  assert.equal(capitalizeName('de gaulle'), 'De Gaulle');
  assert.equal(capitalizeName("d'artagnan"), "D'Artagnan");
});

test('initials takes the first and last words', () => {
  assert.equal(initials('Jean-Pierre Dupont'), 'JD');
  assert.equal(initials('Jean-Pierre', 'Dupont'), 'JD');
  assert.equal(initials('élodie', 'de la tour'), 'ÉT');
  assert.equal(initials('Madonna'), 'M');
  assert.equal(initials('  '), '');
});

test('pluralize follows the French rule: singular below 2', () => {
  assert.equal(pluralize(0, 'salarié', 'salariés'), 'salarié');
  assert.equal(pluralize(1, 'salarié', 'salariés'), 'salarié');
  assert.equal(pluralize(1.5, 'million', 'millions'), 'million');
  assert.equal(pluralize(2, 'salarié', 'salariés'), 'salariés');
  assert.equal(pluralize(1234, 'bénéficiaire', 'bénéficiaires'), 'bénéficiaires');
});

test('formatInteger uses U+00A0 as thousands separator', () => {
  assert.equal(formatInteger(1234567), `1${NBSP}234${NBSP}567`);
  assert.equal(formatInteger(999), '999');
  assert.equal(formatInteger(-1234), `-1${NBSP}234`);
  assert.equal(formatInteger(1234567).includes('\u202F'), false);
});

test('formatCount joins number and agreed noun with a no-break space', () => {
  assert.equal(formatCount(1, 'salarié', 'salariés'), `1${NBSP}salarié`);
  assert.equal(formatCount(1234, 'salarié', 'salariés'), `1${NBSP}234${NBSP}salariés`);
});

test('normalizeFrenchSpaces turns narrow and thin spaces into U+00A0', () => {
  assert.equal(normalizeFrenchSpaces('1\u202F234\u2009€'), `1${NBSP}234${NBSP}€`);
});

test('de and que elide before a vowel, a vowel-sounding y and an h (taken as mute)', () => {
  assert.equal(de('Anne'), "d'Anne");
  assert.equal(de('Anne Martin'), "d'Anne Martin");
  assert.equal(de('Élodie Petit'), "d'Élodie Petit");
  assert.equal(de('Inès Haddad'), "d'Inès Haddad");
  assert.equal(de('Océane'), "d'Océane");
  assert.equal(de('Ulysse'), "d'Ulysse");
  assert.equal(de('Immobilière du Ponant'), "d'Immobilière du Ponant");
  assert.equal(de('Yves'), "d'Yves");
  assert.equal(de('Hélène'), "d'Hélène");
  assert.equal(de('Hugo Lambert'), "d'Hugo Lambert");
  assert.equal(de('Marie Lefebvre'), 'de Marie Lefebvre');
  assert.equal(de('Yann'), 'de Yann');
  assert.equal(de('Cabinet Verdier Immobilier'), 'de Cabinet Verdier Immobilier');
  assert.equal(de('Tilleul Santé'), 'de Tilleul Santé');
  assert.equal(que('Anne Martin'), "qu'Anne Martin");
  assert.equal(que('Marie Lefebvre'), 'que Marie Lefebvre');
  assert.equal(particle('que', 'Eugénie'), "qu'");
  assert.equal(particle('de', 'Marie'), 'de ');
});

test('mentions compares whole words, without case, accents or punctuation', () => {
  assert.equal(mentions('Cabinet Verdier Immobilier — Lyon Bellecour', 'Lyon'), true);
  assert.equal(mentions('Cabinet Verdier Immobilier — Saint-Denis de La Réunion', 'Saint-Denis'), true);
  assert.equal(mentions('Cabinet Verdier Immobilier — Annecy', 'ANNECY'), true);
  assert.equal(mentions('Immobilière du Ponant — Nantes', 'immobiliere du ponant'), true);
  assert.equal(mentions('Agence Lyonnaise', 'Lyon'), false);
  assert.equal(mentions('Anything', ''), false);
});

test('an establishment label says the company, the establishment and the city once each', () => {
  // The two labels of the issue.
  assert.equal(
    establishmentLabel({ companyName: 'Cabinet Verdier Immobilier', name: 'Cabinet Verdier Immobilier — Lyon Bellecour' }),
    'Cabinet Verdier Immobilier — Lyon Bellecour',
  );
  assert.equal(establishmentLabel({ name: 'Cabinet Verdier Immobilier — Annecy', city: 'Annecy' }), 'Cabinet Verdier Immobilier — Annecy');
  assert.equal(
    establishmentLabel({ companyName: 'Cabinet Verdier Immobilier', name: 'Cabinet Verdier Immobilier — Saint-Denis de La Réunion', city: 'Saint-Denis' }),
    'Cabinet Verdier Immobilier — Saint-Denis de La Réunion',
  );
  assert.equal(
    establishmentLabel({ companyName: 'Cabinet Verdier Immobilier', name: 'Cabinet Verdier Immobilier — Lyon Bellecour', city: 'Lyon' }),
    'Cabinet Verdier Immobilier — Lyon Bellecour',
  );
  // Nothing repeated: every part is kept.
  assert.equal(establishmentLabel({ companyName: 'Alpha', name: 'Siège', city: 'Lyon' }), 'Alpha — Siège — Lyon');
  assert.equal(establishmentLabel({ name: 'Agence Lyonnaise', city: 'Lyon' }), 'Agence Lyonnaise — Lyon');
  // An establishment named after its company only, or a city equal to the name.
  assert.equal(establishmentLabel({ companyName: 'Beta Syndic', name: 'BETA SYNDIC', city: 'Nantes' }), 'Beta Syndic — Nantes');
  assert.equal(establishmentLabel({ companyName: 'Beta Syndic', name: 'Beta', city: null }), 'Beta Syndic');
  assert.equal(establishmentLabel({ companyName: '', name: 'Siège', city: '  ' }), 'Siège');
});

test('distinctParts keeps the order and drops blanks and parts said by another', () => {
  assert.deepEqual(distinctParts(['A', null, 'B', undefined, 'a', 'C — B']), ['A', 'C — B']);
});

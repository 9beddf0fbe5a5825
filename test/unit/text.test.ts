import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  capitalizeName,
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

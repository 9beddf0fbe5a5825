import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { hasUnsafeCharacter, markUnsafeCharacters, UNSAFE_TEXT_MESSAGE } from '../../src/domain/unsafe-text.js';
import { emailField, parseForm, queryText, requiredText, unsafeQueryErrors, unsafeTextErrors } from '../../src/validation.js';

// One example of each kind the rule refuses.
const REFUSED = {
  NUL: '\u0000',
  'bell (C0)': '\u0007',
  'escape (C0)': '\u001b',
  DEL: '\u007f',
  'next line (C1)': '\u0085',
  'C1 control': '\u009b',
  'zero-width space': '\u200b',
  'zero-width non-joiner': '\u200c',
  'zero-width joiner': '\u200d',
  'left-to-right mark': '\u200e',
  'right-to-left mark': '\u200f',
  'left-to-right embedding': '\u202a',
  'right-to-left embedding': '\u202b',
  'pop directional formatting': '\u202c',
  'left-to-right override': '\u202d',
  'right-to-left override': '\u202e',
  'left-to-right isolate': '\u2066',
  'right-to-left isolate': '\u2067',
  'first strong isolate': '\u2068',
  'pop directional isolate': '\u2069',
  'word joiner': '\u2060',
  'byte order mark': '\ufeff',
  'soft hyphen': '\u00ad',
  'tag character': '\u{e0041}',
  'line separator': '\u2028',
  'paragraph separator': '\u2029',
} as const;

test('every control, zero-width, bidi and separator character is refused, wherever it stands', () => {
  for (const [name, c] of Object.entries(REFUSED)) {
    for (const value of [`Martin${c}`, `${c}Martin`, `Mar${c}tin`]) {
      assert.equal(hasUnsafeCharacter(value), true, `${name} in ${JSON.stringify(value)}`);
      assert.equal(hasUnsafeCharacter(value, true), true, `${name} in a multi-line field`);
    }
  }
});

test('line breaks and tabs: refused in a one-line field, allowed in a textarea', () => {
  for (const c of ['\n', '\r', '\t']) {
    assert.equal(hasUnsafeCharacter(`ligne 1${c}ligne 2`), true, JSON.stringify(c));
    assert.equal(hasUnsafeCharacter(`ligne 1${c}ligne 2`, true), false, JSON.stringify(c));
  }
  assert.equal(hasUnsafeCharacter('vertical\u000btab', true), true, 'other C0 characters stay refused in a textarea');
});

test('French text is never refused: accents, ligatures, apostrophes, no-break spaces, emoji', () => {
  for (const value of ["Éloïse O'Connor-Dupré", 'Cœur Æther', 'L’Haÿ-les-Roses', '12\u00a0€', '«\u202fguillemets\u202f»', 'Zoë 😀', 'محمد', '李小龙']) {
    assert.equal(hasUnsafeCharacter(value), false, value);
  }
});

test('markUnsafeCharacters shows where each refused character was', () => {
  assert.equal(markUnsafeCharacters('A\u202eB\u0000C'), 'A\ufffdB\ufffdC');
  assert.equal(markUnsafeCharacters('VER1003'), 'VER1003');
});

test('unsafeTextErrors: the message at each field holding one; passwords and the CSRF token are left alone', () => {
  const errors = unsafeTextErrors({
    nom: 'Martin\u202e',
    prenom: 'Anne',
    email: ['a@b.fr', 'x\u0000@b.fr'],
    motif: 'Ligne 1\r\nLigne 2',
    password: 'mot\u0000de passe',
    current_password: '\u202e',
    _csrf: '\u0000',
    ville: ' Lyon\t',
  });
  assert.deepEqual(errors, { nom: UNSAFE_TEXT_MESSAGE, email: UNSAFE_TEXT_MESSAGE, motif: UNSAFE_TEXT_MESSAGE });
  assert.deepEqual(unsafeTextErrors({ motif: 'Ligne 1\r\nLigne 2\tfin' }, ['motif']), {}, 'a textarea keeps its lines');
  assert.deepEqual(unsafeTextErrors({ motif: 'Ligne 1\u202e' }, ['motif']), { motif: UNSAFE_TEXT_MESSAGE });
  assert.deepEqual(unsafeTextErrors(undefined), {});
  assert.match(UNSAFE_TEXT_MESSAGE, /caractère invisible ou de contrôle/);
});

test('parseForm applies the rule to every field, before the schema says anything else about it', () => {
  const schema = z.object({ nom: requiredText(), email: emailField() });
  assert.deepEqual(parseForm(schema, { nom: 'Martin', email: 'anne@exemple.fr' }), { ok: true, data: { nom: 'Martin', email: 'anne@exemple.fr' } });
  // The e-mail shape alone lets a NUL through (\s does not match it): the rule does not.
  assert.equal(emailField().safeParse('anne\u0000@exemple.fr').success, true);
  assert.deepEqual(parseForm(schema, { nom: 'Martin', email: 'anne\u0000@exemple.fr' }), { ok: false, errors: { email: UNSAFE_TEXT_MESSAGE } });
  assert.deepEqual(parseForm(schema, { nom: '\u200b', email: 'x' }), {
    ok: false,
    errors: { nom: UNSAFE_TEXT_MESSAGE, email: "L'adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr)." },
  });
  // A field the schema does not name is checked too: a handler may read it from the body.
  assert.deepEqual(parseForm(schema, { nom: 'Martin', email: 'anne@exemple.fr', mobile: '06\u202e' }), { ok: false, errors: { mobile: UNSAFE_TEXT_MESSAGE } });
  const textarea = z.object({ motif: requiredText(undefined, 5000) });
  assert.equal(parseForm(textarea, { motif: 'a\nb' }).ok, false);
  assert.equal(parseForm(textarea, { motif: 'a\nb' }, { multiline: ['motif'] }).ok, true);
});

test('a search or filter value with an unsafe character is left out, with its message for the list', () => {
  assert.equal(queryText('Dupont'), 'Dupont');
  assert.equal(queryText('Dup\u0000ont'), '');
  assert.equal(queryText('\u202eDupont'), '');
  assert.equal(queryText(' Dupont\t'), 'Dupont', 'what trim drops is no reason to refuse');
  assert.deepEqual(unsafeQueryErrors({ nom: 'a\u0000', page: '\u0000', statut: 'ok' }, ['nom', 'statut']), { nom: UNSAFE_TEXT_MESSAGE });
});

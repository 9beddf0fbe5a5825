import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPassword, passwordErrors } from '../../src/domain/password-policy.js';

test('length limits: 12 to 128 characters', () => {
  const short = checkPassword('Zx9!kq2#Lm');
  assert.equal(short.ok, false);
  assert.match((short as { error: string }).error, /au moins 12 caractères/);
  const long = checkPassword('a'.repeat(129));
  assert.equal(long.ok, false);
  assert.match((long as { error: string }).error, /128/);
});

test('common and French-guessable passwords are refused with a French reason', () => {
  for (const weak of ['motdepasse123', 'azertyuiop123', 'soleil123456', '123456789012', 'bonjourbonjour']) {
    const result = checkPassword(weak);
    assert.equal(result.ok, false, weak);
    assert.match((result as { error: string }).error, /trop facile à deviner/);
  }
});

test("the person's own name makes a password weak", () => {
  assert.equal(checkPassword('mariemarielefebvre', ['Marie', 'Lefebvre', 'marie.lefebvre@demo.example']).ok, false);
});

test('long passphrases without composition rules are accepted', () => {
  assert.deepEqual(checkPassword('cheval agrafe batterie correcte'), { ok: true });
  assert.deepEqual(checkPassword('Tilleul-Demo-2026!'), { ok: true });
  assert.deepEqual(checkPassword('ça gèle à pierre fendre ce matin'), { ok: true });
});

test('passwordErrors: the policy at « password », the confirmation at « password_confirmation »', () => {
  assert.deepEqual(passwordErrors('cheval agrafe batterie correcte', 'cheval agrafe batterie correcte', []), {});
  const short = passwordErrors('court', '', []);
  assert.match(short.password, /au moins 12 caractères/);
  assert.equal(short.password_confirmation, 'Confirmez votre mot de passe.');
  assert.deepEqual(passwordErrors('cheval agrafe batterie correcte', 'cheval agrafe batterie', []), {
    password_confirmation: 'Les deux mots de passe ne sont pas identiques.',
  });
  assert.ok(
    passwordErrors('mariemarielefebvre', 'mariemarielefebvre', ['Marie', 'Lefebvre', 'marie.lefebvre@demo.example']).password,
    'personal words passed to the policy',
  );
});

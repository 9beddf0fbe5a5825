import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { prefill, typedFields } from '../../src/affiliation/form.js';

const request = { last_name: 'Haddad', first_name: 'Inès', birth_date: '1995-07-22', nir: '2950799350123', email: 'ines@exemple.fr' };

describe('prefill of the employee form', () => {
  test('from what HR typed: names, birth date, the 13 NIR characters, civility from the NIR, email', () => {
    assert.deepEqual(prefill(request, null), { nom: 'Haddad', prenom: 'Inès', date_naissance: '22/07/1995', nir: '2950799350123', civilite: 'F', email: 'ines@exemple.fr' });
  });
  test('from a draft saved as typed', () => {
    assert.deepEqual(prefill(request, { fields: { nom: 'Haddad-Roy', iban: 'FR76' } }), { nom: 'Haddad-Roy', iban: 'FR76' });
  });
  test('from a draft in the structured shape (seeded demo data)', () => {
    const fields = prefill(request, {
      identity: { sex: 'F', lastName: 'Haddad', firstName: 'Inès', birthName: null, birthDate: '1995-07-22', nir: '295079935012345' },
      address: { line1: '3 rue Royale', line2: null, postalCode: '74000', city: 'Annecy' },
      contact: { email: 'ines.h@exemple.fr', mobile: '+33612345678' },
    });
    assert.equal(fields.nir, '295079935012345');
    assert.equal(fields.adresse1, '3 rue Royale');
    assert.equal(fields.code_postal, '74000');
    assert.equal(fields.email, 'ines.h@exemple.fr');
  });
  test('a draft keeps only known fields, trimmed and bounded', () => {
    assert.deepEqual(typedFields({ nom: '  Haddad ', inconnu: 'x', iban: 'A'.repeat(400), prenom: '' }), { nom: 'Haddad', iban: 'A'.repeat(254) });
  });
});

describe('a damaged stored form', () => {
  test('prefill reads only strings and never throws', () => {
    const fields = prefill(request, { identity: {}, address: { line1: 12 }, contact: null } as never);
    assert.equal(fields.nom, 'Haddad');
    assert.equal(fields.date_naissance, '22/07/1995');
    assert.equal(fields.adresse1, undefined);
    assert.deepEqual(prefill(request, { fields: { nom: 'Roy', iban: 42, inconnu: 'x' } } as never), { nom: 'Roy' });
  });
});

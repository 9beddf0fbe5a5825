import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { prefill } from '../../src/affiliation/form.js';
import { readStoredForm, typedFields } from '../../src/domain/affiliation-form.js';

const request = { last_name: 'Haddad', first_name: 'Inès', birth_date: '1995-07-22', nir: '2950799350123', email: 'ines@exemple.fr' };
/** What the page does: the stored JSON through the one reader, then prefill. */
const prefillFrom = (stored: unknown) => prefill(request, readStoredForm(stored === null ? null : JSON.stringify(stored)));

describe('prefill of the employee form', () => {
  test('from what HR typed: names, birth date, the 13 NIR characters, civility from the NIR, email', () => {
    assert.deepEqual(prefillFrom(null), { nom: 'Haddad', prenom: 'Inès', date_naissance: '22/07/1995', nir: '2950799350123', civilite: 'F', email: 'ines@exemple.fr' });
  });
  test('from a draft saved as typed', () => {
    assert.deepEqual(prefillFrom({ fields: { nom: 'Haddad-Roy', iban: 'FR76' } }), { nom: 'Haddad-Roy', iban: 'FR76' });
  });
  test('from a draft in the structured shape (seeded demo data)', () => {
    const fields = prefillFrom({
      identity: { sex: 'F', lastName: 'Haddad', firstName: 'Inès', birthName: null, birthDate: '1995-07-22', nir: '295079935012345' },
      address: { line1: '3 rue Royale', line2: null, postalCode: '74000', city: 'Annecy' },
      contact: { email: 'ines.h@exemple.fr', mobile: '+33612345678' },
    });
    assert.deepEqual(fields, {
      nom: 'Haddad',
      prenom: 'Inès',
      date_naissance: '22/07/1995',
      nir: '295079935012345',
      civilite: 'F',
      email: 'ines.h@exemple.fr',
      adresse1: '3 rue Royale',
      code_postal: '74000',
      ville: 'Annecy',
      mobile: '+33612345678',
    });
  });
  test('a draft keeps only known fields, trimmed and bounded', () => {
    assert.deepEqual(typedFields({ nom: '  Haddad ', inconnu: 'x', iban: 'A'.repeat(400), prenom: '' }), { nom: 'Haddad', iban: 'A'.repeat(254) });
  });
});

describe('a damaged stored form', () => {
  test('prefill reads only strings and never throws', () => {
    const fields = prefillFrom({ identity: {}, address: { line1: 12 }, contact: null });
    assert.equal(fields.nom, 'Haddad');
    assert.equal(fields.date_naissance, '22/07/1995');
    assert.equal(fields.adresse1, undefined);
    assert.deepEqual(prefillFrom({ fields: { nom: 'Roy', iban: 42, inconnu: 'x' } }), { nom: 'Roy' });
    assert.equal(prefill(request, readStoredForm('{pas du json')).nom, 'Haddad', 'unreadable JSON: what HR typed');
  });
  test('an unknown civility or an impossible birth date in a seeded draft leaves what HR typed', () => {
    const fields = prefillFrom({ identity: { sex: 'X', lastName: 'Haddad', birthDate: '1995-02-30' } });
    assert.equal(fields.civilite, 'F');
    assert.equal(fields.date_naissance, '22/07/1995');
  });
});

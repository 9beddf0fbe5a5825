import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FORM_TEXTS, checkForm, prefill } from '../../src/affiliation-requests/form-check.js';
import { readStoredForm, typedFields } from '../../src/domain/affiliation-form.js';
import { makeFrenchIban } from '../../src/domain/iban.js';
import { nirKey } from '../../src/domain/nir.js';

const request = { last_name: 'Haddad', first_name: 'Inès', birth_date: '1995-07-22', nir: '2950799350123', email: 'ines@exemple.fr' };
/** What the page does: the stored JSON through the one reader, then prefill. */
const prefillFrom = (stored: unknown) => prefill(request, readStoredForm(stored === null ? null : JSON.stringify(stored)));

describe('prefill of the employee form', () => {
  test('from what HR typed: names, birth date, the 13 NIR characters, civility from the NIR, email', () => {
    assert.deepEqual(prefillFrom(null), {
      nom: 'Haddad',
      prenom: 'Inès',
      date_naissance: '22/07/1995',
      nir: '2950799350123',
      civilite: 'F',
      email: 'ines@exemple.fr',
    });
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

describe('checkForm: lengths of the columns the values end up in', () => {
  const nir13 = '2960433063123';
  const valid = {
    civilite: 'F',
    nom: 'Fontaine',
    prenom: 'Léa',
    date_naissance: '12/04/1996',
    nir: nir13 + String(nirKey(nir13)).padStart(2, '0'),
    adresse1: '12 rue Sainte-Catherine',
    code_postal: '33000',
    ville: 'Bordeaux',
    email: 'lea@exemple.fr',
    iban: makeFrenchIban('30004', '00031', '00012345678'),
    titulaire: 'Léa Fontaine',
    code_organisme: '013310000',
    conjoint: 'oui',
    conjoint_civilite: 'M',
    conjoint_nom: 'Martin',
    conjoint_prenom: 'Hugo',
    conjoint_date_naissance: '03/07/1994',
    enfant2_nom: 'Martin',
    enfant2_prenom: 'Jules',
    enfant2_sexe: 'M',
    enfant2_date_naissance: '15/06/2021',
    teletransmission: 'oui',
  };
  const check = (overrides: Record<string, string>) => checkForm(typedFields({ ...valid, ...overrides }), '2026-11-22', '1996-04-12');

  test('at the limit: accepted and kept whole', () => {
    const checked = check({
      nom: 'N'.repeat(100),
      prenom: 'P'.repeat(100),
      nom_naissance: 'B'.repeat(100),
      adresse1: 'A'.repeat(200),
      adresse2: 'C'.repeat(200),
      ville: 'V'.repeat(100),
      titulaire: 'T'.repeat(200),
      conjoint_nom: 'M'.repeat(100),
      enfant2_prenom: 'J'.repeat(100),
    });
    assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.errors));
    assert.equal(checked.form.identity.lastName.length, 100);
    assert.equal(checked.form.address.line1.length, 200);
    assert.equal(checked.form.bank.holder.length, 200);
    assert.equal(checked.form.beneficiaries[1].firstName.length, 100);
  });

  test('one character more: a French message at each field, never a cut', () => {
    const cases: [string, number][] = [
      ['nom', 100],
      ['nom_naissance', 100],
      ['prenom', 100],
      ['adresse1', 200],
      ['adresse2', 200],
      ['ville', 100],
      ['titulaire', 200],
      ['conjoint_nom', 100],
      ['conjoint_prenom', 100],
      ['enfant2_nom', 100],
      ['enfant2_prenom', 100],
    ];
    for (const [field, max] of cases) {
      const checked = check({ [field]: 'x'.repeat(max + 1) });
      assert.ok(!checked.ok, field);
      assert.deepEqual(checked.errors, { [field]: FORM_TEXTS.tooLong(field, max) }, field);
    }
    assert.equal(FORM_TEXTS.tooLong('nom', 100), 'Le nom ne peut pas dépasser 100 caractères.');
    assert.equal(FORM_TEXTS.tooLong('enfant3_prenom', 100), "Le prénom de l'enfant ne peut pas dépasser 100 caractères.");
  });

  test("a spouse's fields left behind when the box is unticked are not checked (they are not kept)", () => {
    assert.ok(check({ conjoint: '', conjoint_nom: 'x'.repeat(150) }).ok);
  });
});

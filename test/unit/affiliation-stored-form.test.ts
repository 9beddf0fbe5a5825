import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { draftFormData, fieldsToSave, isFundCode, readStoredForm, sexOf, submittedFormData, typedFields } from '../../src/domain/affiliation-form.js';
import { checkForm } from '../../src/affiliation-requests/form-check.js';
import { makeFrenchIban } from '../../src/domain/iban.js';
import { nirKey } from '../../src/domain/nir.js';

const nir13 = '2960433063123';
const nir15 = nir13 + String(nirKey(nir13)).padStart(2, '0');
const typed = {
  civilite: 'F',
  nom: 'Fontaine',
  prenom: 'Léa',
  date_naissance: '12/04/1996',
  nir: nir15,
  adresse1: '12 rue Sainte-Catherine',
  code_postal: '33000',
  ville: 'Bordeaux',
  email: 'Lea.Perso@Exemple.fr',
  mobile: '06 12 34 56 78',
  iban: makeFrenchIban('30004', '00031', '00012345678'),
  bic: 'bnpafrpp',
  titulaire: 'Léa Fontaine',
  code_organisme: '013 310 000',
  conjoint: 'oui',
  conjoint_civilite: 'M',
  conjoint_nom: 'Martin',
  conjoint_prenom: 'Hugo',
  conjoint_date_naissance: '03/07/1994',
  enfant1_nom: 'Martin',
  enfant1_prenom: 'Jules',
  enfant1_sexe: 'M',
  enfant1_date_naissance: '15/06/2021',
  teletransmission: 'oui',
};

describe('sexOf: the one reading of a civility', () => {
  test('« M » and « F » only; anything else is no sex', () => {
    assert.equal(sexOf('M'), 'M');
    assert.equal(sexOf('F'), 'F');
    for (const value of ['m', 'f', 'X', 'Madame', ' F', '', 1, null, undefined, {}]) assert.equal(sexOf(value), null, String(value));
  });
});

describe('the stored form: what the employee side writes is what both sides read', () => {
  test('a transmitted form reads back as the checked values, with the fields as typed', () => {
    const fields = typedFields(typed);
    const checked = checkForm(fields, '2026-11-22', '1996-04-12');
    assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.errors));
    const read = readStoredForm(submittedFormData(checked.form, fields))!;
    const { fields: readFields, ...structured } = read;
    assert.deepEqual(readFields, fields);
    assert.deepEqual(structured, checked.form);
    // The values the insurer creates the member from, spelled out.
    assert.equal(read.identity.sex, 'F');
    assert.equal(read.identity.nir, nir15);
    assert.equal(read.contact.email, 'lea.perso@exemple.fr');
    assert.equal(read.contact.mobile, '+33612345678');
    assert.equal(read.bank?.bic, 'BNPAFRPP');
    assert.equal(read.fundCode, '013310000');
    assert.equal(read.teletransmission, true);
    assert.deepEqual(
      read.beneficiaries.map((b) => [b.relationship, b.sex, b.firstName, b.birthDate]),
      [
        ['conjoint', 'M', 'Hugo', '1994-07-03'],
        ['enfant', 'M', 'Jules', '2021-06-15'],
      ],
    );
  });

  test('a draft holds the fields only: nothing structured is invented from them', () => {
    const read = readStoredForm(draftFormData(null, typedFields({ nom: ' Fontaine ', iban: 'FR76 pas fini', inconnu: 'x' })))!;
    assert.deepEqual(read.fields, { nom: 'Fontaine', iban: 'FR76 pas fini' });
    assert.deepEqual(read.identity, { sex: null, lastName: '', firstName: '', birthName: null, birthDate: null, nir: null });
    assert.equal(read.bank, null);
    assert.equal(read.fundCode, null);
    assert.equal(read.teletransmission, null);
    assert.deepEqual(read.beneficiaries, []);
  });

  test('saving a draft replaces the fields and keeps what was stored beside them', () => {
    const seeded = JSON.stringify({ identity: { sex: 'F', lastName: 'Haddad' }, fields: { nom: 'Ancien' } });
    assert.deepEqual(JSON.parse(draftFormData(seeded, { nom: 'Nouveau' })), { identity: { sex: 'F', lastName: 'Haddad' }, fields: { nom: 'Nouveau' } });
    for (const damaged of ['{pas du json', '[1, 2]', '"texte"', 'null', '']) {
      assert.deepEqual(JSON.parse(draftFormData(damaged, { nom: 'Roy' })), { fields: { nom: 'Roy' } }, damaged);
    }
  });
});

describe('old, partial or damaged stored forms', () => {
  test('a draft in the structured shape only (seeded demo data): no fields, the rest empty', () => {
    const read = readStoredForm(
      JSON.stringify({
        identity: { sex: 'F', lastName: 'Haddad', firstName: 'Inès', birthName: null, birthDate: '1995-07-22', nir: '295079935012345' },
        address: { line1: '3 rue Royale', line2: null, postalCode: '74000', city: 'Annecy' },
        contact: { email: 'ines.h@exemple.fr', mobile: '+33612345678' },
      }),
    )!;
    assert.equal(read.fields, null);
    assert.equal(read.identity.lastName, 'Haddad');
    assert.equal(read.address.city, 'Annecy');
    assert.deepEqual([read.bank, read.fundCode, read.teletransmission, read.beneficiaries], [null, null, null, []]);
  });

  test('normalised values; unknown relationships left out', () => {
    const read = readStoredForm(
      JSON.stringify({
        identity: { sex: 'F', lastName: ' Roux ', firstName: 'Camille', birthName: '', birthDate: '1997-10-02', nir: '2 97 10 38 185 509' },
        contact: { email: 'Camille.Roux@Exemple.FR', mobile: '06 12 34 56 78' },
        bank: { iban: 'fr76 3000 6000 0112 3456 7890 189', bic: 'bnpa frpp xxx', holder: 'Mme Camille ROUX' },
        beneficiaries: [
          { relationship: 'enfant', sex: 'M', lastName: 'Roux', firstName: 'Noé', birthDate: '2020-03-04', nir: null },
          { relationship: 'cousin', sex: 'M', lastName: 'Roux', firstName: 'Intrus', birthDate: '2000-01-01', nir: null },
        ],
      }),
    )!;
    assert.equal(read.identity.lastName, 'Roux');
    assert.equal(read.identity.birthName, null, 'an empty string is no value');
    assert.equal(read.contact.email, 'camille.roux@exemple.fr');
    assert.deepEqual(read.bank, { iban: 'FR7630006000011234567890189', bic: 'BNPAFRPPXXX', holder: 'Mme Camille ROUX' });
    assert.deepEqual(
      read.beneficiaries.map((b) => b.firstName),
      ['Noé'],
    );
  });

  test('an unknown sex value is no sex, for the employee and for each beneficiary', () => {
    const read = readStoredForm(
      JSON.stringify({
        identity: { sex: 'X', lastName: 'Roux' },
        beneficiaries: [
          { relationship: 'conjoint', sex: 'Monsieur', lastName: 'Roux', firstName: 'Paul', birthDate: '1990-01-01' },
          { relationship: 'enfant', sex: 'f', lastName: 'Roux', firstName: 'Zoé', birthDate: '2020-01-01' },
        ],
      }),
    )!;
    assert.equal(read.identity.sex, null);
    assert.deepEqual(
      read.beneficiaries.map((b) => b.sex),
      [null, null],
    );
  });

  test('no form or unreadable JSON is null; wrong types never throw', () => {
    assert.equal(readStoredForm(null), null);
    assert.equal(readStoredForm(''), null);
    assert.equal(readStoredForm('{pas du json'), null);
    const odd = readStoredForm(JSON.stringify({ identity: 'x', beneficiaries: 'y', teletransmission: 'oui', bank: [], fundCode: 16911234, fields: 'z' }))!;
    assert.equal(odd.identity.lastName, '');
    assert.deepEqual(odd.beneficiaries, []);
    assert.equal(odd.teletransmission, null);
    assert.equal(odd.bank, null);
    assert.equal(odd.fundCode, null);
    assert.equal(odd.fields, null);
    // JSON that is not an object reads as an empty form.
    for (const json of ['[1, 2]', '"texte"', '42']) {
      const empty = readStoredForm(json)!;
      assert.equal(empty.fields, null, json);
      assert.equal(empty.identity.lastName, '', json);
    }
  });

  test('damaged fields: only the known ones, only strings', () => {
    assert.deepEqual(readStoredForm(JSON.stringify({ fields: { nom: 'Roy', iban: 42, inconnu: 'x', prenom: ' ' } }))!.fields, { nom: 'Roy' });
    assert.equal(readStoredForm(JSON.stringify({ fields: ['Roy'] }))!.fields, null);
    assert.deepEqual(readStoredForm(JSON.stringify({ fields: {} }))!.fields, {}, 'a draft saved empty stays empty');
  });

  test('an impossible date is no date (the age of a child would otherwise throw at « Valider »)', () => {
    const read = readStoredForm(
      JSON.stringify({
        identity: { birthDate: '2020-02-30' },
        beneficiaries: [{ relationship: 'enfant', sex: 'F', lastName: 'A', firstName: 'B', birthDate: '2021-13-01' }],
      }),
    )!;
    assert.equal(read.identity.birthDate, null);
    assert.equal(read.beneficiaries[0].birthDate, null);
  });

  test('values are bounded', () => {
    const read = readStoredForm(JSON.stringify({ identity: { lastName: 'A'.repeat(300) }, fields: { nom: 'B'.repeat(300) } }))!;
    assert.equal(read.identity.lastName, 'A'.repeat(100));
    assert.equal(read.fields?.nom, 'B'.repeat(254));
  });
});

describe('fieldsToSave: a refused value never reaches the draft, nothing saved is lost', () => {
  test('the refused fields keep the draft’s value, or stay out of it; the others are saved as typed', () => {
    const previous = draftFormData(null, { nom: 'Fontaine', ville: 'Bordeaux' });
    const typedNow = { nom: 'Fontaine\u202eeniatnoF', prenom: 'Léa\u0000', ville: 'Talence' };
    assert.deepEqual(fieldsToSave(typedNow, previous, ['nom', 'prenom']), { ville: 'Talence', nom: 'Fontaine' });
    assert.deepEqual(fieldsToSave(typedNow, null, ['nom', 'prenom']), { ville: 'Talence' });
    assert.equal(fieldsToSave(typedNow, previous, []), typedNow);
  });
});

test('isFundCode: the « code organisme » is nine digits', () => {
  assert.equal(isFundCode('011341020'), true);
  for (const no of ['', '01134102', '0113410201', '01134102A', ' 011341020']) assert.equal(isFundCode(no), false, no);
});

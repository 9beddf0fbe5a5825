import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nirKey } from '../../src/domain/nir.js';
import { readStoredForm } from '../../src/domain/affiliation-form.js';
import {
  beneficiaryRow,
  contactChanges,
  familyOf,
  fullNir,
  isSamePerson,
  memberNirOf,
  memberNumberFor,
  missingForValidation,
  sameBeneficiary,
} from '../../src/gestion/affiliations/enrolment.js';

const complete = {
  identity: { sex: 'F', lastName: ' Roux ', firstName: 'Camille', birthName: null, birthDate: '1997-10-02', nir: '2 97 10 38 185 509' },
  address: { line1: '17 rue Francis de Pressensé', line2: null, postalCode: '69100', city: 'Villeurbanne' },
  contact: { email: 'Camille.Roux@Exemple.FR', mobile: '06 12 34 56 78' },
  bank: { iban: 'fr76 3000 6000 0112 3456 7890 189', bic: 'bnpa frpp xxx', holder: 'Mme Camille ROUX' },
  fundCode: '016911234',
  teletransmission: true,
  beneficiaries: [
    { relationship: 'enfant', sex: 'M', lastName: 'Roux', firstName: 'Noé', birthDate: '2020-03-04', nir: null },
    { relationship: 'cousin', sex: 'M', lastName: 'Roux', firstName: 'Intrus', birthDate: '2000-01-01', nir: null },
  ],
};

describe('the employee form as the insurer reads it', () => {
  // The reading itself (normalisation, damaged JSON, unknown values) is tested in affiliation-stored-form.test.ts.
  test('the form as read: normalised values, unknown relationships left out', () => {
    const form = readStoredForm(JSON.stringify(complete))!;
    assert.equal(form.identity.lastName, 'Roux');
    assert.equal(form.contact.email, 'camille.roux@exemple.fr');
    assert.deepEqual(form.bank, { iban: 'FR7630006000011234567890189', bic: 'BNPAFRPPXXX', holder: 'Mme Camille ROUX' });
    assert.equal(form.beneficiaries.length, 1);
    assert.equal(form.teletransmission, true);
  });

  test("the NIR kept is the full one (key computed), the employee's first, else the one HR typed", () => {
    assert.equal(fullNir('2971038185509'), `2971038185509${String(nirKey('2971038185509')).padStart(2, '0')}`);
    assert.equal(fullNir('295109912611193'), '295109912611193');
    assert.equal(fullNir('295109912611100'), null, 'wrong key');
    const form = readStoredForm(JSON.stringify(complete))!;
    assert.equal(memberNirOf(form, '2951099126111'), fullNir('2971038185509'));
    assert.equal(memberNirOf({ ...form, identity: { ...form.identity, nir: null } }, '2951099126111'), '295109912611193');
  });

  test('what stops a validation is said in one French sentence', () => {
    assert.match(missingForValidation(null, '2951099126111')!, /n'a pas été reçu en ligne/);
    assert.match(missingForValidation(readStoredForm('{pas du json'), '2951099126111')!, /n'a pas été reçu en ligne/, 'unreadable JSON is no form');
    const unknownSex = readStoredForm(JSON.stringify({ ...complete, identity: { ...complete.identity, sex: 'X' } }));
    assert.match(missingForValidation(unknownSex, '2951099126111')!, /incomplet \(l'identité\)/);
    const draftOnly = readStoredForm(JSON.stringify({ fields: { nom: 'Roux', prenom: 'Camille' } }));
    assert.match(
      missingForValidation(draftOnly, '2951099126111')!,
      /incomplet \(l'identité, l'adresse, le code de l'organisme d'assurance maladie\)/,
      'the typed fields alone are never validated from',
    );
    assert.equal(missingForValidation(readStoredForm(JSON.stringify(complete)), '2951099126111'), null);
    const partial = readStoredForm(JSON.stringify({ ...complete, address: {}, fundCode: '12' }))!;
    assert.equal(
      missingForValidation(partial, '2951099126111'),
      "Le formulaire du salarié est incomplet (l'adresse, le code de l'organisme d'assurance maladie) : l'affiliation ne peut pas être validée. Refusez la demande en indiquant au salarié ce qu'il doit compléter.",
    );
  });

  test('a child under 16 or without a NIR is attached to the member; cover starts at birth at the earliest', () => {
    const form = readStoredForm(JSON.stringify(complete))!;
    const memberNir = memberNirOf(form, '')!;
    const family = familyOf(form, memberNir, { email: null });
    assert.deepEqual(
      family.map((p) => [p.relationship, p.nir, p.email, p.mobile]),
      [
        ['assure', memberNir, 'camille.roux@exemple.fr', '+33612345678'],
        ['enfant', null, null, null],
      ],
    );
    const context = {
      memberId: 7,
      memberNir,
      fundCode: '016911234',
      teletransmission: false,
      startDate: '2026-12-01',
      today: '2026-11-22',
      at: '2026-11-22T09:00:00.000Z',
    };
    const child = (birthDate: string, nir: string | null) => beneficiaryRow({ ...family[1], birthDate, nir }, context);
    assert.equal(child('2020-03-04', null).attached_nir, memberNir);
    assert.equal(child('2015-03-04', '1150333063077' + '00').attached_nir, memberNir, 'under 16');
    assert.equal(child('2009-03-04', '109033306307700').attached_nir, null, '16 or more with a NIR');
    assert.equal(child('2027-01-15', null).start_date, '2027-01-15');
    assert.deepEqual([child('2020-03-04', null).teletransmission_status, child('2020-03-04', null).teletransmission_since], ['inactive', null]);
    // The choice of télétransmission is applied afterwards through the télétransmission rule (HTTP test of « Valider »).
    const asked = beneficiaryRow(family[0], { ...context, teletransmission: true });
    assert.deepEqual(
      [asked.teletransmission_status, asked.teletransmission_since, asked.attached_nir, asked.start_date],
      ['inactive', null, null, '2026-12-01'],
    );
  });

  test('a member on file is this employee only with the same NIR and the same birth date', () => {
    const member = { nir: '297103818550918', birth_date: '1997-10-02' };
    assert.equal(isSamePerson(member, '297103818550918', '1997-10-02'), true);
    assert.equal(isSamePerson(member, '297103818550918', '1997-10-03'), false, 'same NIR, another birth date: a clash');
    assert.equal(isSamePerson(member, '295109912611193', '1997-10-02'), false);
    assert.equal(isSamePerson(member, null, null), false);
  });

  test("a returning member's person is covered again when relationship, birth date and first name (any case) match", () => {
    const existing = [
      { id: 1, relationship: 'assure', first_name: 'Camille', birth_date: '1997-10-02' },
      { id: 2, relationship: 'enfant', first_name: 'Noé', birth_date: '2020-03-04' },
    ];
    const person = (relationship: 'assure' | 'conjoint' | 'enfant', firstName: string, birthDate: string) => ({
      relationship,
      sex: 'M' as const,
      lastName: 'Roux',
      firstName,
      birthDate,
      nir: null,
      email: null,
      mobile: null,
    });
    assert.equal(sameBeneficiary(existing, person('enfant', 'NOÉ', '2020-03-04'))?.id, 2);
    assert.equal(sameBeneficiary(existing, person('assure', 'Camille-Marie', '1997-10-02'))?.id, 1, 'the member themself: the first name may change');
    assert.equal(sameBeneficiary(existing, person('enfant', 'Léo', '2020-03-04')), undefined, 'a twin is someone else');
    assert.equal(sameBeneficiary(existing, person('conjoint', 'Noé', '2020-03-04')), undefined);
    assert.equal(sameBeneficiary(existing, person('enfant', 'Noé', '2020-03-05')), undefined);
  });

  test("what a validation replaced on a returning member's file: bank details or email, only when one was there", () => {
    const form = readStoredForm(JSON.stringify(complete))!;
    const iban = form.bank!.iban;
    assert.deepEqual(contactChanges({ email: 'camille.roux@exemple.fr', iban }, form, { email: null }), {
      previousEmail: 'camille.roux@exemple.fr',
      iban: false,
      email: false,
    });
    assert.deepEqual(contactChanges({ email: 'ancienne@exemple.fr', iban: 'FR1420041010050500013M02606' }, form, { email: null }), {
      previousEmail: 'ancienne@exemple.fr',
      iban: true,
      email: true,
    });
    assert.deepEqual(
      contactChanges({ email: null, iban: null }, form, { email: null }),
      { previousEmail: null, iban: false, email: false },
      'nothing on file: nothing replaced',
    );
  });

  test('member numbers follow the seed: 100 000 000 + id', () => {
    assert.equal(memberNumberFor(4), '100000004');
    assert.equal(memberNumberFor(123456), '100123456');
  });
});

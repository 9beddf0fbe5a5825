// The zod field builders over the domain rules (src/validation.ts): each gives the rule's
// normalised value or its French message, the unsafe-character message first; parseFields gives
// one error map with the values that passed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { DATE_MESSAGES } from '../../src/domain/dates.js';
import { IBAN_MESSAGES } from '../../src/domain/iban.js';
import { NIR_MESSAGES } from '../../src/domain/nir.js';
import { PHONE_MESSAGES } from '../../src/domain/phone.js';
import { POSTAL_MESSAGES } from '../../src/domain/postal.js';
import { SIRET_MESSAGES } from '../../src/domain/siret.js';
import { UNSAFE_TEXT_MESSAGE } from '../../src/domain/unsafe-text.js';
import {
  frenchDateField,
  ibanField,
  keptValues,
  mobileField,
  nirField,
  optionalBicField,
  optionalEmailField,
  optionalNirField,
  optionalText,
  checkField,
  parseFields,
  parseForm,
  postalCodeField,
  requiredText,
  siretField,
} from '../../src/validation.js';

/** The value, or the first message, a field gives for `input`. */
function outcome(field: z.ZodType, input: unknown): { value: unknown } | { error: string } {
  const result = field.safeParse(input);
  return result.success ? { value: result.data } : { error: result.error.issues[0].message };
}

const ZWSP = '\u200b';
const RLO = '\u202e';

describe('text', () => {
  test('requiredText: trimmed; empty, too long and unsafe each have their message, unsafe first', () => {
    const field = requiredText('Saisissez le nom.', 5);
    assert.deepEqual(outcome(field, '  Léa  '), { value: 'Léa' });
    assert.deepEqual(outcome(field, '   '), { error: 'Saisissez le nom.' });
    assert.deepEqual(outcome(field, undefined), { error: 'Saisissez le nom.' });
    assert.deepEqual(outcome(field, ['Léa']), { error: 'Saisissez le nom.' });
    assert.deepEqual(outcome(field, 'Martin'), { error: '5 caractères au maximum.' });
    assert.deepEqual(outcome(requiredText('x', 5, { tooLong: 'Le nom est trop long.' }), 'Martin'), { error: 'Le nom est trop long.' });
    assert.deepEqual(outcome(field, `Lé${RLO}a`), { error: UNSAFE_TEXT_MESSAGE });
    assert.deepEqual(outcome(field, `Martin${RLO}`), { error: UNSAFE_TEXT_MESSAGE });
  });

  test('optionalText: empty is fine; a line break is left to parseForm, which knows the textareas', () => {
    assert.deepEqual(outcome(optionalText(10), ''), { value: '' });
    assert.deepEqual(outcome(optionalText(10), `a${ZWSP}b`), { error: UNSAFE_TEXT_MESSAGE });
    assert.deepEqual(outcome(optionalText(10), 'a\u0000b'), { error: UNSAFE_TEXT_MESSAGE });
    const schema = z.object({ motif: optionalText(10) });
    assert.deepEqual(parseForm(schema, { motif: 'a\nb' }), { ok: false, errors: { motif: UNSAFE_TEXT_MESSAGE } });
    assert.deepEqual(parseForm(schema, { motif: 'a\nb' }, { multiline: ['motif'] }), { ok: true, data: { motif: 'a\nb' } });
  });

  test('optionalEmailField: null when empty, lower-cased, emailField’s message when wrong', () => {
    assert.deepEqual(outcome(optionalEmailField(), ''), { value: null });
    assert.deepEqual(outcome(optionalEmailField(), '  '), { value: null });
    assert.deepEqual(outcome(optionalEmailField(), ' Lea.Fontaine@Exemple.FR '), { value: 'lea.fontaine@exemple.fr' });
    assert.deepEqual(outcome(optionalEmailField(), 'lea.fontaine'), { error: "L'adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr)." });
  });
});

describe('SIRET', () => {
  test('the 14 digits, spaces and dots dropped', () => {
    assert.deepEqual(outcome(siretField(), ' 732 829 320 00074 '), { value: '73282932000074' });
    assert.deepEqual(outcome(siretField(), '732.829.320.00074'), { value: '73282932000074' });
  });
  test("validateSiret's messages; past 40 characters the length message", () => {
    assert.deepEqual(outcome(siretField(), ''), { error: SIRET_MESSAGES.siretRequired });
    assert.deepEqual(outcome(siretField(), '7328293200007'), { error: SIRET_MESSAGES.siretLength });
    assert.deepEqual(outcome(siretField(), '73282932000075'), { error: SIRET_MESSAGES.siretInvalid });
    assert.deepEqual(outcome(siretField(), '7'.repeat(41)), { error: SIRET_MESSAGES.siretLength });
    assert.deepEqual(outcome(siretField({ max: 20, tooLong: 'Trop long.' }), '7'.repeat(21)), { error: 'Trop long.' });
    assert.deepEqual(outcome(siretField(), `73282932000074${ZWSP}`), { error: UNSAFE_TEXT_MESSAGE });
  });
});

describe('NIR', () => {
  test('13 characters: the key computed; 15: the key checked', () => {
    const expected = { nir13: '2940375120005', key: '91', full15: '294037512000591' };
    assert.deepEqual(outcome(nirField(), '2 94 03 75 120 005'), { value: expected });
    assert.deepEqual(outcome(nirField(), '2.94.03.75.120.005.91'), { value: expected });
    assert.deepEqual(outcome(nirField(), '294037512000592'), { error: NIR_MESSAGES.key });
  });
  test("validateNir's messages, by the lengths allowed, and a form's own wording", () => {
    assert.deepEqual(outcome(nirField(), ''), { error: NIR_MESSAGES.required });
    assert.deepEqual(outcome(nirField({ required: 'Indiquez son numéro.' }), ' '), { error: 'Indiquez son numéro.' });
    assert.deepEqual(outcome(nirField({ allowThirteen: true, allowFifteen: false }), '294037512000591'), { error: NIR_MESSAGES.length13 });
    assert.deepEqual(outcome(nirField({ allowThirteen: false, allowFifteen: true }), '2940375120005'), { error: NIR_MESSAGES.length15 });
    assert.deepEqual(outcome(nirField({ allowThirteen: false, allowFifteen: true, thirteen: 'Ajoutez la clé.' }), '2940375120005'), {
      error: 'Ajoutez la clé.',
    });
    assert.deepEqual(outcome(nirField({ allowThirteen: false, allowFifteen: true, thirteen: 'Ajoutez la clé.' }), '29403751200'), {
      error: NIR_MESSAGES.length15,
    });
    assert.deepEqual(outcome(nirField(), '3940375120005'), { error: NIR_MESSAGES.sex });
    assert.deepEqual(outcome(nirField(), '2941375120005'), { error: NIR_MESSAGES.month });
    assert.deepEqual(outcome(nirField(), `29403751${RLO}20005`), { error: UNSAFE_TEXT_MESSAGE });
  });
  test('optionalNirField: null when empty, else as nirField', () => {
    assert.deepEqual(outcome(optionalNirField(), ''), { value: null });
    assert.deepEqual(outcome(optionalNirField(), undefined), { value: null });
    assert.deepEqual(outcome(optionalNirField({ allowThirteen: false }), '294037512000591'), {
      value: { nir13: '2940375120005', key: '91', full15: '294037512000591' },
    });
    assert.deepEqual(outcome(optionalNirField({ allowThirteen: false }), '294037512000592'), { error: NIR_MESSAGES.key });
  });
});

describe('mobile', () => {
  test('E.164 however it is written, overseas numbers routed', () => {
    assert.deepEqual(outcome(mobileField(), '06 12 34 56 78'), { value: '+33612345678' });
    assert.deepEqual(outcome(mobileField(), '+33 (0)6.12.34.56.78'), { value: '+33612345678' });
    assert.deepEqual(outcome(mobileField(), '0690 12 34 56'), { value: '+590690123456' });
  });
  test("validateMobile's messages, or a form's own wording for a wrong number", () => {
    assert.deepEqual(outcome(mobileField(), ''), { error: PHONE_MESSAGES.mobileRequired });
    assert.deepEqual(outcome(mobileField(), '01 23 45 67 89'), { error: PHONE_MESSAGES.mobileInvalid });
    assert.deepEqual(outcome(mobileField({ invalid: 'Numéro de mobile français attendu.' }), '01 23 45 67 89'), {
      error: 'Numéro de mobile français attendu.',
    });
    assert.deepEqual(outcome(mobileField({ max: 30 }), '0'.repeat(31)), { error: PHONE_MESSAGES.mobileInvalid });
    assert.deepEqual(outcome(mobileField({ max: 30, tooLong: '30 caractères au maximum.' }), '0'.repeat(31)), { error: '30 caractères au maximum.' });
    assert.deepEqual(outcome(mobileField(), `06 12 34 56 78${ZWSP}`), { error: UNSAFE_TEXT_MESSAGE });
  });
  test('optional: null when empty, never the « obligatoire » message', () => {
    assert.deepEqual(outcome(mobileField({ optional: true }), '   '), { value: null });
    assert.deepEqual(outcome(mobileField({ optional: true }), '06 12 34 56 78'), { value: '+33612345678' });
    assert.deepEqual(outcome(mobileField({ optional: true }), '06'), { error: PHONE_MESSAGES.mobileInvalid });
  });
});

describe('bank details', () => {
  test('IBAN: without spaces, upper case; validateIban’s messages', () => {
    assert.deepEqual(outcome(ibanField(), 'fr76 3000 6000 0112 3456 7890 189'), { value: 'FR7630006000011234567890189' });
    assert.deepEqual(outcome(ibanField(), ''), { error: IBAN_MESSAGES.ibanRequired });
    assert.deepEqual(outcome(ibanField(), 'FR7630006000011234567890188'), { error: IBAN_MESSAGES.ibanInvalid });
    assert.deepEqual(outcome(ibanField(), 'US7630006000011234567890189'), { error: IBAN_MESSAGES.ibanCountry });
    assert.deepEqual(outcome(ibanField(), 'FR763000600001123456789018'), { error: "L'IBAN doit comporter 27 caractères pour ce pays." });
    assert.deepEqual(outcome(ibanField({ max: 60 }), 'F'.repeat(61)), { error: IBAN_MESSAGES.ibanInvalid });
  });
  test('BIC: optional, upper case without spaces; validateBic’s message', () => {
    assert.deepEqual(outcome(optionalBicField(), ''), { value: null });
    assert.deepEqual(outcome(optionalBicField(), ' bnpa fr pp xxx '), { value: 'BNPAFRPPXXX' });
    assert.deepEqual(outcome(optionalBicField(), 'BNP'), { error: IBAN_MESSAGES.bicInvalid });
    assert.deepEqual(outcome(optionalBicField({ max: 20 }), 'B'.repeat(21)), { error: IBAN_MESSAGES.bicInvalid });
  });
});

describe('postal code', () => {
  test('the 5 digits; validatePostalCode’s messages', () => {
    assert.deepEqual(outcome(postalCodeField(), ' 75 001 '), { value: '75001' });
    assert.deepEqual(outcome(postalCodeField(), '97411'), { value: '97411' });
    assert.deepEqual(outcome(postalCodeField(), ''), { error: POSTAL_MESSAGES.required });
    assert.deepEqual(outcome(postalCodeField(), '96000'), { error: POSTAL_MESSAGES.invalid });
    assert.deepEqual(outcome(postalCodeField({ max: 20 }), '7'.repeat(21)), { error: POSTAL_MESSAGES.invalid });
  });
});

describe('French dates', () => {
  test('the ISO date from « jj/mm/aaaa » and its variants', () => {
    assert.deepEqual(outcome(frenchDateField(), ' 29/02/2024 '), { value: '2024-02-29' });
    assert.deepEqual(outcome(frenchDateField(), '1.2.1996'), { value: '1996-02-01' });
    assert.deepEqual(outcome(frenchDateField(), '1996-02-01'), { value: '1996-02-01' });
  });
  test('DATE_MESSAGES, or the form’s own wording', () => {
    assert.deepEqual(outcome(frenchDateField(), ''), { error: DATE_MESSAGES.required });
    assert.deepEqual(outcome(frenchDateField(), '29/02/2023'), { error: DATE_MESSAGES.invalid });
    assert.deepEqual(outcome(frenchDateField(), '01/02/96'), { error: DATE_MESSAGES.invalid });
    const worded = frenchDateField({ required: 'La date de naissance est obligatoire.', invalid: 'La date de naissance est invalide (format jj/mm/aaaa).' });
    assert.deepEqual(outcome(worded, ''), { error: 'La date de naissance est obligatoire.' });
    assert.deepEqual(outcome(worded, '31/04/1996'), { error: 'La date de naissance est invalide (format jj/mm/aaaa).' });
  });
  test('optional: null when empty', () => {
    assert.deepEqual(outcome(frenchDateField({ optional: true }), ''), { value: null });
    assert.deepEqual(outcome(frenchDateField({ optional: true }), '31/04/1996'), { error: DATE_MESSAGES.invalid });
  });
});

describe('one error map', () => {
  const schema = z.object({
    siret: siretField(),
    mobile: mobileField({ optional: true }),
    nom: requiredText('Saisissez le nom.', 100),
  });

  test('parseForm: the domain messages at their fields, beside the others', () => {
    const parsed = parseForm(schema, { siret: '73282932000075', mobile: '01 23 45 67 89', nom: '' });
    assert.deepEqual(parsed, { ok: false, errors: { siret: SIRET_MESSAGES.siretInvalid, mobile: PHONE_MESSAGES.mobileInvalid, nom: 'Saisissez le nom.' } });
    assert.deepEqual(parseForm(schema, { siret: '732 829 320 00074', mobile: '', nom: ' Léa ' }), {
      ok: true,
      data: { siret: '73282932000074', mobile: null, nom: 'Léa' },
    });
  });

  test('parseFields: the values that passed, the messages of the others, unsafe characters first', () => {
    const parsed = parseFields(schema, { siret: '732 829 320 00074', mobile: '01 23 45 67 89', nom: `Léa${RLO}`, autre: `x${RLO}` });
    assert.deepEqual(parsed.values, { siret: '73282932000074' });
    assert.deepEqual(parsed.errors, { nom: UNSAFE_TEXT_MESSAGE, autre: UNSAFE_TEXT_MESSAGE, mobile: PHONE_MESSAGES.mobileInvalid });
    assert.deepEqual(parseFields(schema, undefined).errors, { siret: SIRET_MESSAGES.siretRequired, nom: 'Saisissez le nom.' });
  });

  test('checkField: one field alone, its value or its first message', () => {
    assert.deepEqual(checkField(siretField(), '732 829 320 00074'), { ok: true, value: '73282932000074' });
    assert.deepEqual(checkField(siretField(), '7328'), { ok: false, error: SIRET_MESSAGES.siretLength });
    assert.deepEqual(checkField(optionalNirField(), ''), { ok: true, value: null });
  });
});

describe('the values a refused form is filled with again', () => {
  test('passwords, the CSRF token and a one-time code are never sent back; a postal code is', () => {
    assert.deepEqual(
      keptValues({
        nom: 'Durand',
        code_postal: '69003',
        postal_code: '75015',
        code: '123456',
        password: 'x',
        nouveau_mot_de_passe: 'y',
        _csrf: 't',
        liste: ['a'],
      }),
      { nom: 'Durand', code_postal: '69003', postal_code: '75015' },
    );
  });
});

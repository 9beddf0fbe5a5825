// The employee's online affiliation form: what pre-fills it and the checks before
// « Transmettre ». The fields, the stored shape (a draft keeps the fields exactly as typed; a
// transmitted form also holds the checked, structured values the insurer validates from) and
// its one reading live in src/domain/affiliation-form.ts, shared with the insurer's side.
import { z } from 'zod';
import { formatDateFr, ageOn } from '../domain/dates.js';
import { nirMatchesBirth } from '../domain/nir.js';
import {
  checkField,
  frenchDateField,
  ibanField,
  mobileField,
  nirField,
  optionalBicField,
  optionalEmailField,
  optionalNirField,
  optionalText,
  orderedErrors,
  parseFields,
  postalCodeField,
  requiredText,
  type FieldErrors,
} from '../validation.js';
import {
  CHILD_FIELDS,
  CHILD_ROWS,
  FORM_FIELDS,
  TEXT_FIELD_MAX,
  isFundCode,
  sexOf,
  type EnrolmentForm,
  type FormFields,
  type StructuredForm,
} from '../domain/affiliation-form.js';

/** What a length message names: « Le nom », « Le prénom de l'enfant »… */
const LENGTH_SUBJECTS: Record<string, string> = {
  nom: 'Le nom',
  nom_naissance: 'Le nom de naissance',
  prenom: 'Le prénom',
  adresse1: "L'adresse (numéro et voie)",
  adresse2: "Le complément d'adresse",
  ville: 'Le nom de la ville',
  titulaire: 'Le nom du titulaire du compte',
  conjoint_nom: 'Le nom du conjoint',
  conjoint_prenom: 'Le prénom du conjoint',
  enfant_nom: "Le nom de l'enfant",
  enfant_prenom: "Le prénom de l'enfant",
};

export const FORM_TEXTS = {
  civility: 'Indiquez votre civilité.',
  lastName: 'Saisissez votre nom.',
  firstName: 'Saisissez votre prénom.',
  birthDate: 'La date de naissance est invalide (format jj/mm/aaaa).',
  birthDateChanged:
    "La date de naissance doit être celle qui a ouvert ce formulaire. Si votre employeur l'a mal saisie, demandez-lui de corriger votre pré-affiliation.",
  nirFifteen: 'Saisissez les 15 chiffres de votre numéro de Sécurité sociale (clé comprise), tels qu’ils figurent sur votre carte Vitale.',
  nirBirth: 'Le numéro de Sécurité sociale ne correspond pas à la date de naissance ou à la civilité indiquées.',
  address: "Saisissez l'adresse (numéro et voie).",
  city: 'Saisissez la ville.',
  contact: 'Indiquez au moins une adresse e-mail ou un numéro de mobile : ils servent à vous prévenir et à activer votre Espace Assuré.',
  holder: 'Saisissez le nom du titulaire du compte.',
  fundCode: "Le code de l'organisme d'assurance maladie comporte 9 chiffres (il figure sur votre attestation de droits).",
  spouseMissing: 'Complétez les informations de votre conjoint, ou décochez la case.',
  spouseCivility: 'Indiquez la civilité de votre conjoint.',
  childIncomplete: "Complétez le nom, le prénom, la date de naissance et le sexe de l'enfant, ou videz la ligne.",
  childBirth: "La date de naissance de l'enfant est invalide (format jj/mm/aaaa).",
  childTooOld: "Un enfant de plus de 28 ans ne peut pas être couvert comme ayant droit : il doit s'affilier lui-même.",
  childNir: "Le numéro de Sécurité sociale de l'enfant ne correspond pas à sa date de naissance ou à son sexe.",
  teletransmission: 'Indiquez si vous souhaitez la télétransmission.',
  consent: 'Cochez la case pour certifier vos informations et transmettre le formulaire.',
  tooLong: (field: string, max: number) =>
    `${LENGTH_SUBJECTS[field.replace(/^enfant[0-9]+_/, 'enfant_')] ?? 'Ce champ'} ne peut pas dépasser ${max} caractères.`,
  rib: 'Joignez votre RIB (relevé d’identité bancaire).',
  attestation: 'Joignez votre attestation de droits de la Sécurité sociale.',
} as const;

/** The messages checkForm writes; a variant changes some of the wording, never the checks. */
export type FormTexts = { readonly [K in keyof typeof FORM_TEXTS]: (typeof FORM_TEXTS)[K] extends string ? string : (typeof FORM_TEXTS)[K] };

/**
 * The same checks worded for the insurer's staff typing a paper bulletin (src/gestion/affiliations/
 * paper.ts): they are not the employee, and the birth date they cannot change is the pre-affiliation's.
 */
export const STAFF_FORM_TEXTS: FormTexts = {
  ...FORM_TEXTS,
  civility: 'Indiquez la civilité du salarié.',
  lastName: 'Saisissez le nom du salarié.',
  firstName: 'Saisissez le prénom du salarié.',
  birthDateChanged:
    "La date de naissance doit être celle de la pré-affiliation faite par l'entreprise. Si le bulletin papier porte une autre date, ne l'enregistrez pas : l'entreprise doit annuler cette demande et pré-affilier de nouveau le salarié avec la bonne date.",
  nirFifteen: 'Saisissez les 15 chiffres du numéro de Sécurité sociale du salarié (clé comprise), tels qu’ils figurent sur le bulletin ou sa carte Vitale.',
  contact: 'Indiquez au moins une adresse e-mail ou un numéro de mobile du salarié : ils servent à le prévenir et à activer son Espace Assuré.',
  fundCode: "Le code de l'organisme d'assurance maladie comporte 9 chiffres (il figure sur l'attestation de droits du salarié).",
  spouseMissing: 'Complétez les informations du conjoint, ou décochez la case.',
  spouseCivility: 'Indiquez la civilité du conjoint.',
};

/** The fields as the employee last left them, or pre-filled from what HR typed (and what a seeded draft holds). */
export function prefill(
  request: { last_name: string; first_name: string; birth_date: string; nir: string; email: string | null },
  stored: EnrolmentForm | null,
): FormFields {
  // The stored form comes through readStoredForm: a damaged draft fills less, it never breaks the page.
  if (stored?.fields) return stored.fields;
  const fields: FormFields = {
    nom: request.last_name,
    prenom: request.first_name,
    date_naissance: formatDateFr(request.birth_date),
    // HR typed the 13 first characters; the employee adds the key from the carte Vitale.
    nir: request.nir,
    civilite: request.nir.startsWith('2') ? 'F' : request.nir.startsWith('1') ? 'M' : '',
    email: request.email ?? '',
  };
  if (!stored) return fields;
  // A draft written in the structured shape only (seeded demo data).
  const { identity, address, contact } = stored;
  const structured: FormFields = {
    nom: identity.lastName,
    prenom: identity.firstName,
    civilite: identity.sex ?? '',
    nir: identity.nir ?? '',
    date_naissance: identity.birthDate ? formatDateFr(identity.birthDate) : '',
    adresse1: address.line1,
    adresse2: address.line2 ?? '',
    code_postal: address.postalCode,
    ville: address.city,
    email: contact.email ?? '',
    mobile: contact.mobile ?? '',
  };
  for (const [name, value] of Object.entries(structured)) if (value) fields[name] = value;
  return fields;
}

/** A free-text field of the form: `required` words an empty one; past its TEXT_FIELD_MAX, texts.tooLong. */
function textField(texts: FormTexts, name: string, required?: string) {
  const max = TEXT_FIELD_MAX[name];
  const options = { tooLong: texts.tooLong(name, max) };
  return required === undefined ? optionalText(max, options) : requiredText(required, max, options);
}

/** The fields every transmitted form holds, each checked on its own (the rules across fields are checkForm's). */
function mainSchema(texts: FormTexts) {
  return z.object({
    civilite: z.enum(['M', 'F'], { error: texts.civility }),
    nom: textField(texts, 'nom', texts.lastName),
    nom_naissance: textField(texts, 'nom_naissance'),
    prenom: textField(texts, 'prenom', texts.firstName),
    date_naissance: frenchDateField({ required: texts.birthDate, invalid: texts.birthDate }),
    nir: nirField({ allowThirteen: false, allowFifteen: true, thirteen: texts.nirFifteen }),
    adresse1: textField(texts, 'adresse1', texts.address),
    adresse2: textField(texts, 'adresse2'),
    code_postal: postalCodeField(),
    ville: textField(texts, 'ville', texts.city),
    email: optionalEmailField(),
    mobile: mobileField({ optional: true }),
    iban: ibanField(),
    bic: optionalBicField(),
    titulaire: textField(texts, 'titulaire', texts.holder),
    code_organisme: z.preprocess((v) => (typeof v === 'string' ? v.replace(/\s/g, '') : ''), z.string().refine(isFundCode, { error: texts.fundCode })),
    teletransmission: z.enum(['oui', 'non'], { error: texts.teletransmission }),
  });
}

/** A spouse's or a child's own NIR: optional (without one, they are attached to the member's). */
const beneficiaryNirField = optionalNirField({ allowThirteen: false, allowFifteen: true });

/**
 * The checks of « Transmettre »; returns the structured form or a French message per field.
 * `texts` words the messages: the employee's by default, STAFF_FORM_TEXTS on the paper entry.
 */
export function checkForm(
  fields: FormFields,
  today: string,
  expectedBirthDate: string,
  texts: FormTexts = FORM_TEXTS,
): { ok: true; form: StructuredForm } | { ok: false; errors: FieldErrors } {
  const f = (name: string) => fields[name] ?? '';
  const { values: v, errors } = parseFields(mainSchema(texts), fields);
  const { civilite: sex, date_naissance: birth, nir } = v;

  // The date that opened the form: the NIR is then checked against a date the employer gave too.
  if (birth && birth !== expectedBirthDate) errors.date_naissance = texts.birthDateChanged;
  if (nir && birth && sex && !nirMatchesBirth(nir.full15, birth, sex)) errors.nir = texts.nirBirth;
  if (!f('email') && !f('mobile')) errors.email = texts.contact;

  const beneficiaries: StructuredForm['beneficiaries'] = [];
  if (f('conjoint') === 'oui') {
    const spouseSex = sexOf(f('conjoint_civilite'));
    const spouseBirth = checkField(frenchDateField({ required: texts.birthDate, invalid: texts.birthDate }), f('conjoint_date_naissance'));
    const spouseNir = checkField(beneficiaryNirField, f('conjoint_nir'));
    if (!spouseSex) errors.conjoint_civilite = texts.spouseCivility;
    if (!f('conjoint_nom')) errors.conjoint_nom = texts.spouseMissing;
    if (!f('conjoint_prenom')) errors.conjoint_prenom = texts.spouseMissing;
    if (!spouseBirth.ok) errors.conjoint_date_naissance = spouseBirth.error;
    if (!spouseNir.ok) errors.conjoint_nir = spouseNir.error;
    else if (spouseNir.value && spouseBirth.ok && spouseSex && !nirMatchesBirth(spouseNir.value.full15, spouseBirth.value, spouseSex))
      errors.conjoint_nir = texts.nirBirth;
    if (spouseSex && spouseBirth.ok && f('conjoint_nom') && f('conjoint_prenom')) {
      beneficiaries.push({
        relationship: 'conjoint',
        sex: spouseSex,
        lastName: f('conjoint_nom'),
        firstName: f('conjoint_prenom'),
        birthDate: spouseBirth.value,
        nir: spouseNir.ok ? (spouseNir.value?.full15 ?? null) : null,
      });
    }
  }
  for (let i = 1; i <= CHILD_ROWS; i++) {
    const name = (field: string) => `enfant${i}_${field}`;
    const row = CHILD_FIELDS.map((field) => f(name(field)));
    if (row.every((v) => !v)) continue;
    const childSex = sexOf(f(name('sexe')));
    const childBirth = checkField(frenchDateField({ required: texts.childBirth, invalid: texts.childBirth }), f(name('date_naissance')));
    if (!f(name('nom')) || !f(name('prenom')) || !childSex) {
      errors[!f(name('nom')) ? name('nom') : !f(name('prenom')) ? name('prenom') : name('sexe')] = texts.childIncomplete;
    }
    if (!childBirth.ok) errors[name('date_naissance')] = childBirth.error;
    else if (ageOn(childBirth.value, today) > 28) errors[name('date_naissance')] = texts.childTooOld;
    const childNir = checkField(beneficiaryNirField, f(name('nir')));
    if (!childNir.ok) errors[name('nir')] = childNir.error;
    else if (childNir.value && childBirth.ok && childSex && !nirMatchesBirth(childNir.value.full15, childBirth.value, childSex))
      errors[name('nir')] = texts.childNir;
    if (childSex && childBirth.ok && f(name('nom')) && f(name('prenom'))) {
      beneficiaries.push({
        relationship: 'enfant',
        sex: childSex,
        lastName: f(name('nom')),
        firstName: f(name('prenom')),
        birthDate: childBirth.value,
        nir: childNir.ok ? (childNir.value?.full15 ?? null) : null,
      });
    }
  }

  // A longer value would be cut once the member is created from it: refused here, beside its
  // field (the main fields' schema says so too; the spouse's and children's names need this).
  for (const [name, max] of Object.entries(TEXT_FIELD_MAX)) {
    if (name.startsWith('conjoint_') && f('conjoint') !== 'oui') continue;
    if (f(name).length > max) errors[name] = texts.tooLong(name, max);
  }

  const { nom, prenom, nom_naissance, adresse1, adresse2, code_postal, ville, email, mobile, iban, bic, titulaire, code_organisme, teletransmission } = v;
  // Every field passed when no message was written; the test tells the types so.
  if (
    Object.keys(errors).length ||
    !sex ||
    !nom ||
    !prenom ||
    nom_naissance === undefined ||
    !birth ||
    !nir ||
    !adresse1 ||
    adresse2 === undefined ||
    !code_postal ||
    !ville ||
    email === undefined ||
    mobile === undefined ||
    !iban ||
    bic === undefined ||
    !titulaire ||
    !code_organisme ||
    !teletransmission
  ) {
    return { ok: false, errors: orderedErrors(errors, FORM_FIELDS) };
  }
  return {
    ok: true,
    form: {
      identity: { sex, lastName: nom, firstName: prenom, birthName: nom_naissance || null, birthDate: birth, nir: nir.full15 },
      address: { line1: adresse1, line2: adresse2 || null, postalCode: code_postal, city: ville },
      contact: { email, mobile },
      bank: { iban, bic, holder: titulaire },
      fundCode: code_organisme,
      teletransmission: teletransmission === 'oui',
      beneficiaries,
    },
  };
}

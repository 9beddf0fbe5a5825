// Step 4 of the « Pré-affiliation »: the employee's details, checked for real — the NIR with its
// key and against the birth date, dates that hold together, the end of the work contract
// required for a CDD and refused for a CDI. Returns typed values or a French message per field.
import { COMPANY_STATUSES, EMPLOYMENT_CONTRACT_TYPES, PROFESSIONAL_STATUSES } from '../../domain/affiliation-requests.js';
import { z } from 'zod';
import { addMonths, ageOn } from '../../domain/dates.js';
import { nirMatchesBirth } from '../../domain/nir.js';
import { UNSAFE_TEXT_MESSAGE } from '../../domain/unsafe-text.js';
import { frenchDateField, nirField, optionalEmailField, orderedErrors, parseFields, requiredText, type FieldErrors } from '../../validation.js';
import type { EmployeeDetails } from './queries.js';

/** The form's field names, in page order (the error summary follows it). */
export const EMPLOYEE_FIELDS = [
  'nir',
  'nom',
  'prenom',
  'email',
  'date_naissance',
  'date_entree',
  'date_affiliation',
  'type_contrat',
  'date_debut_contrat',
  'date_fin_contrat',
  'statut_professionnel',
  'statut_entreprise',
] as const;
export type EmployeeValues = Record<(typeof EMPLOYEE_FIELDS)[number], string>;

export const PRE_AFFILIATION_TEXTS = {
  cancelled: 'La pré-affiliation a été annulée : rien n’a été enregistré.',
  stepMissing: 'Complétez d’abord cette étape.',
  establishmentRequired: "Choisissez l'établissement du salarié.",
  establishmentGone: "L'établissement choisi ne fait plus partie de votre périmètre : choisissez-en un autre.",
  establishmentUnknown: 'Cet établissement ne fait pas partie de votre périmètre : choisissez-en un dans la liste.',
  siretRequired: "Saisissez le SIRET de l'établissement du salarié (14 chiffres).",
  siretUnknown: 'Ce SIRET ne correspond à aucun des établissements que vous suivez : vérifiez-le.',
  professionalRequired: 'Choisissez le statut professionnel du salarié.',
  alreadyRequired: 'Répondez par Oui ou par Non.',
  formerNirRequired: 'Pour retrouver le salarié, indiquez son numéro de Sécurité sociale (13 premiers chiffres).',
  formerNotFound:
    "Aucun salarié ayant ce numéro de Sécurité sociale n'a été affilié dans votre entreprise. Vérifiez le numéro, ou répondez « Non » pour saisir ses informations.",
  stillCovered: 'Ce salarié est toujours affilié dans votre entreprise : une nouvelle pré-affiliation n’est pas nécessaire.',
  alreadyCovered: 'Un salarié ayant ce numéro de Sécurité sociale est déjà affilié dans votre entreprise.',
  requestOpen: "Une demande d'affiliation est déjà en cours pour ce numéro de Sécurité sociale.",
  seeEmployee: 'Voir la fiche du salarié',
  seeRequest: "Voir la demande d'affiliation en cours",
  nirBirth: 'Le numéro de Sécurité sociale ne correspond pas à la date de naissance (année et mois de naissance).',
  lastName: 'Saisissez le nom du salarié.',
  firstName: 'Saisissez le prénom du salarié.',
  tooLong: '100 caractères au maximum.',
  birthFuture: 'La date de naissance doit être passée.',
  birthAge: 'Le salarié doit avoir au moins 14 ans à sa date d’entrée dans l’entreprise.',
  birthTooOld: 'La date de naissance semble erronée : vérifiez l’année.',
  entryTooFar: "La date d'entrée dans l'entreprise ne peut pas dépasser d'un an la date du jour.",
  affiliationBeforeEntry: "La date d'affiliation doit être égale ou postérieure à la date d'entrée dans l'entreprise.",
  contractRequired: 'Choisissez le type de contrat de travail.',
  endRequired: 'La date de fin est obligatoire pour un Contrat à Durée Déterminée.',
  endRefused: 'Un Contrat à Durée Indéterminée n’a pas de date de fin : laissez ce champ vide.',
  endBeforeStart: 'La date de fin du contrat de travail doit être postérieure à sa date de début.',
  companyStatusRequired: "Choisissez le statut du salarié au sein de l'entreprise.",
} as const;

export interface CheckedEmployee extends EmployeeDetails {
  nir15: string;
}

const DATE_LABELS = {
  date_naissance: 'La date de naissance',
  date_entree: "La date d'entrée dans l'entreprise",
  date_affiliation: "La date d'affiliation au contrat Frais de Santé",
  date_debut_contrat: 'La date de début du contrat de travail',
  date_fin_contrat: 'La date de fin du contrat de travail',
} as const;

function dateField<O extends boolean>(name: keyof typeof DATE_LABELS, optional: O) {
  return frenchDateField({ optional, required: `${DATE_LABELS[name]} est obligatoire.`, invalid: `${DATE_LABELS[name]} est invalide (format jj/mm/aaaa).` });
}

/** Each field on its own; the rules across fields are checkEmployee's. */
const employeeSchema = z.object({
  nir: nirField({ allowThirteen: true, allowFifteen: false }),
  nom: requiredText(PRE_AFFILIATION_TEXTS.lastName, 100, { tooLong: PRE_AFFILIATION_TEXTS.tooLong }),
  prenom: requiredText(PRE_AFFILIATION_TEXTS.firstName, 100, { tooLong: PRE_AFFILIATION_TEXTS.tooLong }),
  email: optionalEmailField(),
  date_naissance: dateField('date_naissance', false),
  date_entree: dateField('date_entree', false),
  date_affiliation: dateField('date_affiliation', false),
  type_contrat: z.enum(EMPLOYMENT_CONTRACT_TYPES, { error: PRE_AFFILIATION_TEXTS.contractRequired }),
  date_debut_contrat: dateField('date_debut_contrat', false),
  date_fin_contrat: dateField('date_fin_contrat', true),
  statut_professionnel: z.enum(PROFESSIONAL_STATUSES, { error: PRE_AFFILIATION_TEXTS.professionalRequired }),
  statut_entreprise: z.enum(COMPANY_STATUSES, { error: PRE_AFFILIATION_TEXTS.companyStatusRequired }),
});

export function checkEmployee(values: EmployeeValues, today: string): { ok: true; employee: CheckedEmployee } | { ok: false; errors: FieldErrors } {
  const { values: v, errors } = parseFields(employeeSchema, values);
  const {
    nir,
    date_naissance: birth,
    date_entree: entry,
    date_affiliation: affiliation,
    date_debut_contrat: start,
    date_fin_contrat: end,
    type_contrat: contractType,
  } = v;

  if (birth && birth >= today) errors.date_naissance = PRE_AFFILIATION_TEXTS.birthFuture;
  else if (birth && ageOn(birth, today) > 100) errors.date_naissance = PRE_AFFILIATION_TEXTS.birthTooOld;
  else if (birth && entry && ageOn(birth, entry) < 14) errors.date_naissance = PRE_AFFILIATION_TEXTS.birthAge;
  if (nir && birth && !errors.date_naissance && !nirMatchesBirth(nir.nir13, birth)) errors.nir = PRE_AFFILIATION_TEXTS.nirBirth;
  if (entry && entry > addMonths(today, 12)) errors.date_entree = PRE_AFFILIATION_TEXTS.entryTooFar;
  if (entry && affiliation && affiliation < entry) errors.date_affiliation = PRE_AFFILIATION_TEXTS.affiliationBeforeEntry;

  // An apprenticeship or a professionalisation contract may be fixed-term or not: the end is optional there.
  if (contractType === 'CDD' && !values.date_fin_contrat) errors.date_fin_contrat = PRE_AFFILIATION_TEXTS.endRequired;
  // Whatever the end date holds, a CDI has none — except an unsafe character, which is said first.
  if (contractType === 'CDI' && values.date_fin_contrat && errors.date_fin_contrat !== UNSAFE_TEXT_MESSAGE)
    errors.date_fin_contrat = PRE_AFFILIATION_TEXTS.endRefused;
  if (start && end && !errors.date_fin_contrat && end <= start) errors.date_fin_contrat = PRE_AFFILIATION_TEXTS.endBeforeStart;

  const { nom: lastName, prenom: firstName, email, statut_professionnel: professionalStatus, statut_entreprise: companyStatus } = v;
  if (
    Object.keys(errors).length ||
    !nir ||
    !lastName ||
    !firstName ||
    email === undefined ||
    !birth ||
    !entry ||
    !affiliation ||
    !start ||
    end === undefined ||
    !contractType ||
    !professionalStatus ||
    !companyStatus
  ) {
    return { ok: false, errors: orderedErrors(errors, EMPLOYEE_FIELDS) };
  }
  return {
    ok: true,
    employee: {
      nir13: nir.nir13,
      nir15: nir.full15,
      lastName,
      firstName,
      email,
      birthDate: birth,
      entryDate: entry,
      affiliationDate: affiliation,
      contractType,
      employmentStart: start,
      employmentEnd: contractType === 'CDI' ? null : end,
      professionalStatus,
      companyStatus,
    },
  };
}

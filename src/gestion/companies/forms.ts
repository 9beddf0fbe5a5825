// The forms of « Entreprises » (Espace Gestion): a company, an establishment, a contract and a
// version of its guarantee table — each body turned into typed values or French messages per
// field (src/validation.ts), the rules across fields (a SIRET within the company's SIREN, a date
// de fin after the date d'effet, a version within the contract's dates) said at their field.
import { z } from 'zod';
import { formatDateFr } from '../../domain/dates.js';
import { parseEuros } from '../../domain/money.js';
import { validateSiren } from '../../domain/siret.js';
import { messages } from '../../messages.js';
import { frenchDateField, optionalText, parseFields, postalCodeField, requiredText, siretField, unsafeTextErrors, type FieldErrors } from '../../validation.js';
import type { CompanyFields, ContractFields, EstablishmentFields, GuaranteeFields } from './queries.js';

export const COMPANY_TEXTS = {
  nameRequired: "Saisissez la raison sociale de l'entreprise.",
  establishmentNameRequired: "Saisissez le nom de l'établissement.",
  addressRequired: "Saisissez l'adresse (numéro et voie).",
  cityRequired: 'Saisissez la ville.',
  sirenTaken: 'Une entreprise cliente porte déjà ce numéro de SIREN.',
  siretTaken: 'Un établissement porte déjà ce numéro de SIRET.',
  siretOtherCompany: (siren: string) => `Le numéro de SIRET doit commencer par le SIREN de l'entreprise (${siren}).`,
  sirenHasEstablishments: "Le SIREN ne peut plus changer : des établissements de l'entreprise portent ce SIREN dans leur SIRET.",
  referenceRequired: 'Saisissez la référence du contrat.',
  referenceTaken: 'Un contrat porte déjà cette référence.',
  referenceShape: 'La référence ne peut contenir que des lettres, des chiffres et des tirets.',
  labelRequired: 'Saisissez le libellé du contrat.',
  collegeRequired: 'Choisissez le collège couvert par le contrat.',
  formulaRequired: 'Saisissez la formule du contrat.',
  startRequired: "Saisissez la date d'effet du contrat.",
  endBeforeStart: "La date de fin doit être égale ou postérieure à la date d'effet.",
  startAfterVersion: (day: string) =>
    `Des garanties prennent effet le ${formatDateFr(day)} : la date d'effet du contrat doit leur être antérieure (modifiez d'abord ces garanties).`,
  endBeforeVersion: (day: string) => `Des garanties prennent effet le ${formatDateFr(day)} : la date de fin du contrat ne peut leur être antérieure.`,
  versionRequired: "Saisissez la date d'effet de ces garanties.",
  versionBeforeStart: (start: string) => `Les garanties ne peuvent prendre effet avant la date d'effet du contrat (${formatDateFr(start)}).`,
  versionAfterEnd: (end: string) => `Les garanties ne peuvent prendre effet après la date de fin du contrat (${formatDateFr(end)}).`,
  noLine: 'Saisissez au moins une ligne de garantie.',
  categoryRequired: 'Choisissez la catégorie de soins.',
  lineLabelRequired: 'Saisissez la garantie (par exemple « Consultation généraliste »).',
  coverageRequired: 'Saisissez le remboursement tel que l’assuré le lira (par exemple « 200 % BR – RSS »).',
  percentInvalid: 'Saisissez un pourcentage entier entre 0 et 1 000, ou laissez vide.',
  amountInvalid: 'Saisissez un montant en euros (par exemple 150 ou 150,50), ou laissez vide.',
} as const;

const sirenField = () =>
  z
    .preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().max(40, { error: 'Le numéro de SIREN doit comporter 9 chiffres.' }))
    .transform((value, ctx): string => {
      const result = validateSiren(value);
      if (result.ok) return result.siren;
      ctx.issues.push({ code: 'custom', message: result.error, input: value });
      return z.NEVER;
    });

const addressFields = {
  adresse: requiredText(COMPANY_TEXTS.addressRequired, 200),
  code_postal: postalCodeField({ max: 10 }),
  ville: requiredText(COMPANY_TEXTS.cityRequired, 100),
};

const companySchema = z.object({ nom: requiredText(COMPANY_TEXTS.nameRequired, 200), siren: sirenField(), ...addressFields });
const establishmentSchema = z.object({ nom: requiredText(COMPANY_TEXTS.establishmentNameRequired, 200), siret: siretField(), ...addressFields });
const contractSchema = z.object({
  reference: requiredText(COMPANY_TEXTS.referenceRequired, 30).refine((v) => /^[A-Za-z0-9-]+$/.test(v), { error: COMPANY_TEXTS.referenceShape }),
  libelle: requiredText(COMPANY_TEXTS.labelRequired, 200),
  college: z.enum(Object.keys(messages.colleges) as ['cadre', 'non_cadre'], { error: COMPANY_TEXTS.collegeRequired }),
  formule: requiredText(COMPANY_TEXTS.formulaRequired, 100),
  options: optionalText(500),
  date_effet: frenchDateField({ required: COMPANY_TEXTS.startRequired }),
  date_fin: frenchDateField({ optional: true }),
});

type Checked<T> = { ok: true; fields: T } | { ok: false; errors: FieldErrors };

export function checkCompanyForm(body: unknown): Checked<CompanyFields> {
  const { values: v, errors } = parseFields(companySchema, body);
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, fields: { name: v.nom!, siren: v.siren!, address_line: v.adresse!, postal_code: v.code_postal!, city: v.ville! } };
}

/** An establishment of the company whose SIREN is `siren`: its SIRET must start with it. */
export function checkEstablishmentForm(body: unknown, siren: string): Checked<EstablishmentFields> {
  const { values: v, errors } = parseFields(establishmentSchema, body);
  if (v.siret && v.siret.slice(0, 9) !== siren) errors.siret = COMPANY_TEXTS.siretOtherCompany(siren);
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, fields: { name: v.nom!, siret: v.siret!, address_line: v.adresse!, postal_code: v.code_postal!, city: v.ville! } };
}

export function checkContractForm(body: unknown): Checked<ContractFields> {
  const { values: v, errors } = parseFields(contractSchema, body, { multiline: ['options'] });
  if (v.date_effet && v.date_fin && v.date_fin < v.date_effet) errors.date_fin = COMPANY_TEXTS.endBeforeStart;
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    fields: {
      reference: v.reference!.toUpperCase(),
      label: v.libelle!,
      college: v.college!,
      formula: v.formule!,
      options: v.options || null,
      start_date: v.date_effet!,
      end_date: v.date_fin ?? null,
    },
  };
}

// ------------------------------------------------------------------ a version of the guarantee table
/** The columns of one line of the form, by field name (each field is sent once per line). */
const LINE_FIELDS = ['categorie', 'garantie', 'remboursement', 'taux', 'forfait', 'plafond'] as const;
export type LineValues = Record<(typeof LINE_FIELDS)[number], string>;

/** The lines as typed (a field sent once is a one-line form), to fill the form again. */
export function typedLines(body: unknown): LineValues[] {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const columns = LINE_FIELDS.map((field) => {
    const value = source[field];
    return (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'string' ? v : ''));
  });
  const count = Math.min(60, Math.max(...columns.map((c) => c.length)));
  return Array.from({ length: count }, (_, i) => Object.fromEntries(LINE_FIELDS.map((field, f) => [field, columns[f][i] ?? ''])) as LineValues);
}

export const blankLine = (): LineValues => ({ categorie: '', garantie: '', remboursement: '', taux: '', forfait: '', plafond: '' });

function optionalCents(text: string): number | null | undefined {
  if (!text.trim()) return null;
  const cents = parseEuros(text.trim());
  return cents === null || cents > 100_000_000 ? undefined : cents;
}

/**
 * The version's date d'effet (within the contract's dates) and its lines; a line left wholly
 * empty is skipped. Messages are keyed `field-N` (N from 0, the line's place in the form).
 */
export function checkGuaranteeForm(
  body: unknown,
  contract: { start_date: string; end_date: string | null },
): { ok: true; from: string; lines: GuaranteeFields[] } | { ok: false; errors: FieldErrors } {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const errors: FieldErrors = {};
  const unsafe = unsafeTextErrors(source);
  const date = frenchDateField({ required: COMPANY_TEXTS.versionRequired }).safeParse(source.date_effet);
  let from: string | null = null;
  if (unsafe.date_effet) errors.date_effet = unsafe.date_effet;
  else if (!date.success) errors.date_effet = date.error.issues[0].message;
  else if (date.data < contract.start_date) errors.date_effet = COMPANY_TEXTS.versionBeforeStart(contract.start_date);
  else if (contract.end_date && date.data > contract.end_date) errors.date_effet = COMPANY_TEXTS.versionAfterEnd(contract.end_date);
  else from = date.data;
  const lines: GuaranteeFields[] = [];
  typedLines(source).forEach((line, i) => {
    const t = Object.fromEntries(LINE_FIELDS.map((f) => [f, line[f].trim()])) as LineValues;
    if (LINE_FIELDS.every((f) => !t[f])) return;
    for (const f of LINE_FIELDS) if (unsafe[f] && unsafeTextErrors({ v: t[f] }).v) errors[`${f}-${i}`] = unsafe[f];
    if (!Object.hasOwn(messages.guaranteeCategories, t.categorie)) errors[`categorie-${i}`] ??= COMPANY_TEXTS.categoryRequired;
    if (!t.garantie) errors[`garantie-${i}`] ??= COMPANY_TEXTS.lineLabelRequired;
    else if (t.garantie.length > 200) errors[`garantie-${i}`] ??= '200 caractères au maximum.';
    if (!t.remboursement) errors[`remboursement-${i}`] ??= COMPANY_TEXTS.coverageRequired;
    else if (t.remboursement.length > 200) errors[`remboursement-${i}`] ??= '200 caractères au maximum.';
    const percent = t.taux ? (/^\d{1,4}$/.test(t.taux) && Number(t.taux) <= 1000 ? Number(t.taux) : undefined) : null;
    if (percent === undefined) errors[`taux-${i}`] ??= COMPANY_TEXTS.percentInvalid;
    const flat = optionalCents(t.forfait);
    if (flat === undefined) errors[`forfait-${i}`] ??= COMPANY_TEXTS.amountInvalid;
    const cap = optionalCents(t.plafond);
    if (cap === undefined) errors[`plafond-${i}`] ??= COMPANY_TEXTS.amountInvalid;
    lines.push({
      category: t.categorie,
      label: t.garantie,
      coverage: t.remboursement,
      br_percent: percent ?? null,
      flat_amount_cents: flat ?? null,
      yearly_cap_cents: cap ?? null,
    });
  });
  if (!lines.length && !Object.keys(errors).some((k) => k !== 'date_effet')) errors['categorie-0'] = COMPANY_TEXTS.noLine;
  if (Object.keys(errors).length || !from) return { ok: false, errors };
  return { ok: true, from, lines };
}

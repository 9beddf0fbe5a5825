// Documents pratiques (docs/domain.md#documents-pratiques): the fixed list of categories (the
// guide names « résumés de garanties, formulaire de portabilité… »), who may
// see a document, and the checks of the staff form. Pure: no database, no Express.

/** The categories, in the order the Espace Entreprise shows them. */
export const DOCUMENT_CATEGORIES = {
  resumes_garanties: 'Résumés de garanties',
  notices: "Notices d'information",
  portabilite: 'Formulaire de portabilité',
  formulaires: 'Formulaires',
  guides: 'Guides pratiques',
} as const;

export type DocumentCategory = keyof typeof DOCUMENT_CATEGORIES;

export function isDocumentCategory(value: unknown): value is DocumentCategory {
  return typeof value === 'string' && Object.hasOwn(DOCUMENT_CATEGORIES, value);
}

/** The label of a stored category (a code no longer in the list reads as « Autres documents »). */
export function categoryLabel(code: string): string {
  return isDocumentCategory(code) ? DOCUMENT_CATEGORIES[code] : 'Autres documents';
}

/** Who sees a document: every company, one company, or the companies' employees of one contract. */
export type Visibility = { kind: 'all' } | { kind: 'company'; companyId: number } | { kind: 'contract'; companyId: number; contractId: number };

/** What a row says (company_id null = every company; a contract always names its company too). */
export function visibilityOf(row: { company_id: number | null; contract_id: number | null }): Visibility {
  if (row.company_id === null) return { kind: 'all' };
  if (row.contract_id === null) return { kind: 'company', companyId: row.company_id };
  return { kind: 'contract', companyId: row.company_id, contractId: row.contract_id };
}

/** The largest PDF staff may upload: 10 Mo (a notice with pictures; the résumés are under 100 Ko). */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
const MAX_TITLE_LENGTH = 200;

export const DOCUMENT_TEXTS = {
  titleMissing: 'Saisissez le titre du document.',
  titleTooLong: `Le titre doit faire ${MAX_TITLE_LENGTH} caractères au plus.`,
  categoryMissing: 'Choisissez la catégorie du document.',
  visibilityMissing: 'Choisissez qui peut voir le document.',
  companyMissing: "Choisissez l'entreprise qui peut voir le document.",
  contractMissing: "Choisissez le contrat : seules les RH de l'entreprise qui l'a souscrit verront le document.",
  fileMissing: 'Choisissez le fichier PDF du document.',
  fileNotPdf: "Le fichier doit être un PDF (le contenu du fichier envoyé n'en est pas un).",
  fileTooLarge: 'Le fichier doit peser au plus 10 Mo.',
  added: (title: string) => `Le document « ${title} » est en ligne.`,
  replaced: (title: string, version: number) => `Le document « ${title} » est remplacé : la version ${version} est celle qui est affichée.`,
  withdrawn: (title: string) => `Le document « ${title} » est retiré : les entreprises ne le voient plus.`,
  restored: (title: string) => `Le document « ${title} » est de nouveau en ligne.`,
  changedMeanwhile: "Ce document vient d'être modifié par un autre gestionnaire : vérifiez-le avant de recommencer.",
} as const;

/** The form's choice of visibility, as its radio buttons send it. */
export const VISIBILITY_CHOICES = {
  tous: 'Toutes les entreprises',
  entreprise: 'Une entreprise',
  contrat: "Un contrat d'une entreprise",
} as const;

export interface DocumentFormInput {
  titre?: unknown;
  categorie?: unknown;
  visibilite?: unknown;
  entreprise?: unknown;
  contrat?: unknown;
}

export interface CheckedDocumentForm {
  title: string;
  category: DocumentCategory;
  visibility: { kind: 'all' } | { kind: 'company'; companyId: number } | { kind: 'contract'; contractId: number };
}

function idOf(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{1,10}$/.test(value)) return null;
  const id = Number(value);
  return id >= 1 && id <= 2_147_483_647 ? id : null;
}

/**
 * The staff form's text fields: the title, the category, the visibility and the company or
 * contract it names (their existence is checked by the caller against the database). A map of
 * French messages per field when something is missing.
 */
export function checkDocumentForm(input: DocumentFormInput): { ok: true; form: CheckedDocumentForm } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const title = typeof input.titre === 'string' ? input.titre.trim().replace(/\s+/g, ' ') : '';
  if (!title) errors.titre = DOCUMENT_TEXTS.titleMissing;
  else if (title.length > MAX_TITLE_LENGTH) errors.titre = DOCUMENT_TEXTS.titleTooLong;
  const category = isDocumentCategory(input.categorie) ? input.categorie : null;
  if (!category) errors.categorie = DOCUMENT_TEXTS.categoryMissing;
  let visibility: CheckedDocumentForm['visibility'] | null = null;
  if (input.visibilite === 'tous') visibility = { kind: 'all' };
  else if (input.visibilite === 'entreprise') {
    const companyId = idOf(input.entreprise);
    if (companyId) visibility = { kind: 'company', companyId };
    else errors.entreprise = DOCUMENT_TEXTS.companyMissing;
  } else if (input.visibilite === 'contrat') {
    const contractId = idOf(input.contrat);
    if (contractId) visibility = { kind: 'contract', contractId };
    else errors.contrat = DOCUMENT_TEXTS.contractMissing;
  } else errors.visibilite = DOCUMENT_TEXTS.visibilityMissing;
  if (!category || !visibility || Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, form: { title, category, visibility } };
}

/** « 245 Ko », « 1,2 Mo ». */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))}\u00a0Ko`;
  return `${(Math.round((bytes / 1024 / 1024) * 10) / 10).toString().replace('.', ',')}\u00a0Mo`;
}

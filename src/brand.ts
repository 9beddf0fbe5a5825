// The insurer's brand: everything that changes from one white-label deployment to another.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { QUOTE_OBJECTS } from './domain/care-acts.js';

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'couleur hexadécimale #RRGGBB attendue');
const paragraphs = z.array(z.string().min(1)).min(1);

// ------------------------------------------------------------------ correspondence
/** A service level: the insurer answers within this many business days (src/domain/business-days.ts). */
const serviceDays = z.number().int().min(1).max(60);
/** The code kept in the database (requests.object, message_threads.category / object). */
const code = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'code attendu : lettres minuscules, chiffres et _');

function uniqueCodes(items: readonly { code: string }[]): boolean {
  return new Set(items.map((i) => i.code)).size === items.length;
}
const distinct = 'chaque code doit être unique dans sa liste';

const messageCategories = <O extends z.ZodTypeAny>(object: O) =>
  z
    .array(
      z.object({
        code,
        label: z.string().min(2),
        objects: z
          .array(object)
          .min(1)
          .refine((o) => uniqueCodes(o as { code: string }[]), distinct),
      }),
    )
    .min(1)
    .refine(uniqueCodes, distinct);

/**
 * « Nous contacter » of the Espace Entreprise, as the guide gives it, word for word:
 * the brand file names the codes and service levels, not the words.
 */
export const HR_CONTACT_GUIDE: readonly { label: string; objects: readonly string[] }[] = [
  { label: 'Gérer mon contrat', objects: ['Information sur les cotisations collectives', 'Autre demande'] },
  { label: 'Mes salariés', objects: ["Affiliation d'un salarié", "Radiation d'un salarié", 'Transmettre des documents pour mon salarié'] },
];
/** The one object of the guide that asks which employee the documents are for. */
const HR_EMPLOYEE_OBJECT_LABEL = 'Transmettre des documents pour mon salarié';

const correspondenceSchema = z.object({
  /** « Demande de remboursement »: each object names the documents it requires. */
  remboursement: z
    .array(z.object({ code, label: z.string().min(2), documents: z.array(z.string().min(2)).min(1), serviceDays }))
    .min(1)
    .refine(uniqueCodes, distinct),
  /** « Transmettre un devis »: the guide's six objects, each once. */
  devis: z
    .array(z.object({ code: z.enum(QUOTE_OBJECTS), label: z.string().min(2), serviceDays }))
    .refine((list) => list.length === QUOTE_OBJECTS.length && uniqueCodes(list), `les six objets du guide, chacun une fois : ${QUOTE_OBJECTS.join(', ')}`),
  teletransmission: z.object({ serviceDays }),
  /** Messagerie sécurisée of the Espace Assuré. */
  messagerie: messageCategories(z.object({ code, label: z.string().min(2), serviceDays })),
  /** « Nous contacter » of the Espace Entreprise: exactly HR_CONTACT_GUIDE. */
  contact: messageCategories(z.object({ code, label: z.string().min(2), serviceDays, asksEmployee: z.boolean().default(false) })).refine(
    (categories) =>
      categories.length === HR_CONTACT_GUIDE.length &&
      categories.every(
        (c, i) =>
          c.label === HR_CONTACT_GUIDE[i].label &&
          c.objects.length === HR_CONTACT_GUIDE[i].objects.length &&
          c.objects.every((o, j) => o.label === HR_CONTACT_GUIDE[i].objects[j] && o.asksEmployee === (o.label === HR_EMPLOYEE_OBJECT_LABEL)),
      ),
    `les catégories et objets du guide, mot pour mot : ${HR_CONTACT_GUIDE.map((c) => `« ${c.label} » → ${c.objects.map((o) => `« ${o} »`).join(', ')}`).join(' ; ')} (asksEmployee sur « ${HR_EMPLOYEE_OBJECT_LABEL} » seulement)`,
  ),
});

export type CorrespondenceLists = z.infer<typeof correspondenceSchema>;

const brandSchema = z.object({
  name: z.string().min(2),
  shortName: z.string().min(2),
  tagline: z.string().min(2),
  emailFrom: z.string().email(),
  logo: z.string().min(1),
  /** The folder of Markdown pages (Mes services, Prévention, the assistant), beside the brand file. */
  content: z.string().min(1).default('content'),
  colours: z.object({
    primary: colour,
    primaryDark: colour,
    accent: colour,
    surface: colour,
  }),
  help: z.object({
    phone: z.string().min(10),
    hours: z.string().min(5),
    hoursEntreprise: z.string().min(5),
    note: z.string(),
    /** The insurer's own staff (Espace Gestion) call the portal's support, not the customer line. */
    staff: z.object({
      /** Who answers, as said after « Appelez » : « l'assistance du portail ». */
      contact: z.string().min(2),
      phone: z.string().min(10),
      hours: z.string().min(5),
    }),
  }),
  assistantName: z.string().min(2),
  networkName: z.string().min(2),
  amcNumber: z.string().regex(/^\d{8,10}$/),
  agreement: z.string().min(2),
  legal: z.object({
    publisher: z.string().min(2),
    address: z.string().min(2),
    mentions: paragraphs,
    cgu: paragraphs,
    donnees: paragraphs,
  }),
  tips: z.array(z.object({ title: z.string().min(2), text: z.string().min(2) })).min(1),
  correspondence: correspondenceSchema,
});

export type Brand = z.infer<typeof brandSchema> & { logoFile: string; contentDir: string };

export function loadBrand(file: string): Brand {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`fichier de marque illisible (${file}) : ${(err as Error).message}`);
  }
  const parsed = brandSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`fichier de marque invalide (${file}) : champ « ${issue.path.join('.')} » — ${issue.message}`);
  }
  const logoFile = path.resolve(path.dirname(file), parsed.data.logo);
  if (!fs.existsSync(logoFile)) throw new Error(`logo introuvable : ${logoFile}`);
  const contentDir = path.resolve(path.dirname(file), parsed.data.content);
  return { ...parsed.data, logoFile, contentDir };
}

/** The parts of the portal, each with its own help line and hours. */
export type HelpSpace = 'public' | 'assure' | 'entreprise' | 'gestion' | 'affiliation';

export interface SpaceHelp {
  /** The insurer's staff: their support, not the customer line. */
  forStaff: boolean;
  phone: string;
  hours: string;
  note: string;
  /** Who answers the staff, after « Appelez ». */
  contact: string;
}

/** Where the people of a space get help: members and visitors, HR (their own hours), or staff. */
export function helpForSpace(brand: Brand, space: HelpSpace): SpaceHelp {
  const { help } = brand;
  if (space === 'gestion') return { forStaff: true, phone: help.staff.phone, hours: help.staff.hours, note: '', contact: help.staff.contact };
  return { forStaff: false, phone: help.phone, hours: space === 'entreprise' ? help.hoursEntreprise : help.hours, note: help.note, contact: '' };
}

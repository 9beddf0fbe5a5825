// The insurer's brand: everything that changes from one white-label deployment to another.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'couleur hexadécimale #RRGGBB attendue');
const paragraphs = z.array(z.string().min(1)).min(1);

const brandSchema = z.object({
  name: z.string().min(2),
  shortName: z.string().min(2),
  tagline: z.string().min(2),
  emailFrom: z.string().email(),
  logo: z.string().min(1),
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
});

export type Brand = z.infer<typeof brandSchema> & { logoFile: string };

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
  return { ...parsed.data, logoFile };
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

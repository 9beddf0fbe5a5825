// What the layout needs to know about a page beyond its own content: the space it belongs to
// (its help line and hours) and the <meta name="description"> it gets when its handler gives none.
import { helpForSpace, type Brand, type HelpSpace, type SpaceHelp } from './brand.js';

/**
 * The space of a page: its layout, or for a page in the public layout (login, password, activation
 * of a door) the door its address is under.
 */
export function spaceOfPage(layout: string | undefined, path: string): HelpSpace {
  if (layout && layout !== 'public') return layout as HelpSpace;
  const door = /^\/(assure|entreprise|gestion|affiliation)(?:\/|$)/.exec(path)?.[1];
  return (door as HelpSpace | undefined) ?? 'public';
}

/** What each space is for, after the page title in a page's fallback description. */
function spacePurpose(space: HelpSpace, brand: Brand): string {
  switch (space) {
    case 'assure':
      return `votre Espace Assuré ${brand.name} : remboursements, garanties, carte de tiers payant, bénéficiaires et informations personnelles.`;
    case 'entreprise':
      return `l'Espace Entreprise ${brand.name} : affiliation et suivi de vos salariés assurés, habilitations et établissements de votre entreprise.`;
    case 'gestion':
      return `l'Espace Gestion ${brand.name}, réservé aux équipes de l'assureur : affiliations à valider, demandes et journal d'audit.`;
    case 'affiliation':
      return `l'affiliation en ligne à la complémentaire santé ${brand.name} de votre entreprise.`;
    default:
      return `${brand.name}, ${brand.tagline.charAt(0).toLowerCase()}${brand.tagline.slice(1)} : Espace Assuré, Espace Entreprise et affiliation en ligne.`;
  }
}

export interface PageMeta {
  space: HelpSpace;
  help: SpaceHelp;
  /** The page's <meta name="description">: its own, or its title and what its space is for. */
  pageDescription: string;
}

export function pageMeta(brand: Brand, options: { layout?: string; path: string; title: string; description?: string }): PageMeta {
  const space = spaceOfPage(options.layout, options.path);
  return {
    space,
    help: helpForSpace(brand, space),
    pageDescription: options.description ?? `${options.title} — ${spacePurpose(space, brand)}`,
  };
}

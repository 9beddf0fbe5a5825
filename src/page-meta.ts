// What the layout needs to know about a page beyond its own content: the space it belongs to
// (its help line and hours) and its <meta name="description">.
import { helpForSpace, type Brand, type HelpSpace, type SpaceHelp } from './brand.js';
import { describePage } from './page-descriptions.js';

/**
 * The space of a page: its layout, or for a page in the public layout (login, password, activation
 * of a door) the door its address is under.
 */
function spaceOfPage(layout: string | undefined, path: string): HelpSpace {
  if (layout && layout !== 'public') return layout as HelpSpace;
  const door = /^\/(assure|entreprise|gestion|affiliation)(?:\/|$)/.exec(path)?.[1];
  return (door as HelpSpace | undefined) ?? 'public';
}

export interface PageMeta {
  space: HelpSpace;
  help: SpaceHelp;
  /** The page's <meta name="description">: the handler's, else its view's (src/page-descriptions.ts). */
  pageDescription: string;
}

export function pageMeta(brand: Brand, options: { page: string; layout?: string; path: string; title: string; description?: string }): PageMeta {
  const space = spaceOfPage(options.layout, options.path);
  return {
    space,
    help: helpForSpace(brand, space),
    pageDescription: options.description ?? describePage(options.page, { title: options.title, space, brand }),
  };
}

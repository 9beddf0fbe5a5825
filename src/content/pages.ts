// The pages over the brand's content folder (src/content/sections.ts): a section's list and its
// pages (« Mes services », « Prévention » of the Espace Assuré), and the « Aide » page of the
// Espace Assuré and of the Espace Entreprise. Written once here, outside the spaces, as both
// spaces mount them. A file with a bad front matter is left out and logged, never a 500.
import type { Request, RequestHandler } from 'express';
import type { Brand } from '../brand.js';
import type { AppContext } from '../context.js';
import { HttpError } from '../middleware/errors.js';
import type { Layout } from '../middleware/render.js';
import type { ContentFolder } from './folder.js';
import type { Heading } from './markdown.js';
import { brandContent, type ContentMeta, listedPages, reportNewProblems } from './sections.js';

/** The words around a section's list: its lead, the guide's points, and links into the portal. */
interface SectionIntro {
  lead: string;
  points: { strong: string; rest: string }[];
  links: { label: string; href: string }[];
}

export interface SectionOptions {
  section: 'services' | 'prevention';
  layout: Layout;
  /** The section's address: its list; each page is at `<base>/<slug>`. */
  base: string;
  title(brand: Brand): string;
  intro(brand: Brand): SectionIntro;
}

/** « Mes services » of the Espace Assuré, in the words of the guide (« ZOOM SUR « MES SERVICES ITELIS » »). */
export const SERVICES_SECTION: SectionOptions = {
  section: 'services',
  layout: 'assure',
  base: '/assure/services',
  title: (brand) => `Mes services ${brand.networkName}`,
  intro: (brand) => ({
    lead: `Découvrez l'ensemble des services ${brand.networkName} dont vous pouvez bénéficier grâce à votre complémentaire santé ${brand.name} :`,
    points: [
      { strong: 'Des professionnels de santé', rest: ' à votre disposition' },
      { strong: 'Des informations', rest: ` sur les réseaux de soin et les praticiens ${brand.networkName}` },
      { strong: 'Des services et garanties', rest: ' en optique' },
    ],
    links: [{ label: 'Localiser les professionnels de santé proches de chez vous', href: '/assure/professionnels' }],
  }),
};

/** « Prévention » of the Espace Assuré (« Consulter les différents services et informations médicales »). */
export const PREVENTION_SECTION: SectionOptions = {
  section: 'prevention',
  layout: 'assure',
  base: '/assure/prevention',
  title: () => 'Prévention',
  intro: () => ({
    lead: "Consultez les différents services et informations médicales pour prendre soin de votre santé et de celle de vos proches. Ces informations générales ne remplacent pas l'avis de votre médecin traitant.",
    points: [],
    links: [],
  }),
};

/** A table of contents entry: a level-2 heading and the level-3 headings under it. */
interface TocEntry {
  id: string;
  text: string;
  children: { id: string; text: string }[];
}

/** The headings as a nested list (a level-3 heading before any level-2 one stands on its own). */
function tableOfContents(headings: Heading[]): TocEntry[] {
  const entries: TocEntry[] = [];
  for (const { level, id, text } of headings) {
    const parent = entries.at(-1);
    if (level === 3 && parent) parent.children.push({ id, text });
    else entries.push({ id, text, children: [] });
  }
  return entries;
}

/**
 * In production the folder is looked at once a second at most (a directory listing and a stat of
 * each file on every page view otherwise); elsewhere on every request, so an edit shows at once.
 */
const PRODUCTION_RECHECK_MS = 1000;

function recheckMs(ctx: AppContext): number {
  return ctx.config.isProduction ? PRODUCTION_RECHECK_MS : 0;
}

function folderFor(req: Request, ctx: AppContext, section: 'services' | 'prevention' | 'aide'): ContentFolder<ContentMeta> {
  const folder = brandContent(ctx.config.brand)[section];
  reportNewProblems(folder, (problem) => req.log?.warn({ file: problem.file, problem: problem.message }, 'content page left out'), recheckMs(ctx));
  return folder;
}

/** The section's list: a card (title, summary) for each listed page, by `order`. */
export function showSection(ctx: AppContext, options: SectionOptions): RequestHandler {
  return async (req, res) => {
    const folder = folderFor(req, ctx, options.section);
    await res.renderPage({
      page: 'content/section',
      layout: options.layout,
      title: options.title(ctx.config.brand),
      locals: {
        intro: options.intro(ctx.config.brand),
        base: options.base,
        pages: listedPages(folder, recheckMs(ctx)).map((p) => ({ href: `${options.base}/${p.slug}`, title: p.meta.title, summary: p.meta.summary })),
      },
    });
  };
}

/** One page of a section: its title, the table of contents (two headings or more), the body, the section's other pages. */
export function showSectionPage(ctx: AppContext, options: SectionOptions): RequestHandler {
  return async (req, res) => {
    const folder = folderFor(req, ctx, options.section);
    const page = folder.page(String(req.params.slug), recheckMs(ctx));
    if (!page) throw new HttpError(404);
    const sectionTitle = options.title(ctx.config.brand);
    await res.renderPage({
      page: 'content/page',
      layout: options.layout,
      title: page.meta.title,
      description: page.meta.summary,
      locals: {
        section: { title: sectionTitle, href: options.base },
        html: page.html,
        toc: page.headings.length >= 2 ? tableOfContents(page.headings) : [],
        others: listedPages(folder, recheckMs(ctx))
          .filter((p) => p.slug !== page.slug)
          .map((p) => ({ href: `${options.base}/${p.slug}`, title: p.meta.title })),
      },
    });
  };
}

/**
 * « Aide » of a space: its help line (phone, hours, note: `locals.help`, src/page-meta.ts), the
 * virtual assistant (a plain GET form to the space's assistant), and the questions fréquentes of
 * `aide/<space>.md` with their table of contents — the page still helps when that file is missing.
 */
export function showHelp(ctx: AppContext, space: 'assure' | 'entreprise'): RequestHandler {
  return async (req, res) => {
    const faq = folderFor(req, ctx, 'aide').page(space, recheckMs(ctx));
    await res.renderPage({
      page: 'content/help',
      layout: space,
      title: 'Aide',
      locals: {
        assistant: { name: ctx.config.brand.assistantName, href: `/${space}/assistant` },
        topics:
          space === 'assure'
            ? "obtenir la carte de tiers payant, l'affiliation, les remboursements…"
            : 'activer votre espace, les habilitations, la pré-affiliation de vos salariés…',
        faq: faq ? { title: faq.meta.title, summary: faq.meta.summary, html: faq.html, toc: tableOfContents(faq.headings.filter((h) => h.level === 2)) } : null,
      },
    });
  };
}

// The sections of the brand's content folder (docs/content.md): « Mes services » and « Prévention »
// of the Espace Assuré, and the questions fréquentes of each space's « Aide » page. One
// ContentFolder per section and brand, kept for the life of the app so its cache of rendered
// pages is shared by every request (a changed file is still re-read: src/content/folder.ts).
import path from 'node:path';
import { z } from 'zod';
import type { Brand } from '../brand.js';
import { ContentFolder, type ContentPage, type ContentProblem } from './folder.js';

/**
 * The front matter of a content page. `menu: false` keeps a page out of its section's list and of
 * the side list of the other pages (a page being written, or one only linked from another page):
 * it still opens at its address. Unknown fields are refused, so a misspelt `titre:` is reported
 * rather than silently ignored.
 */
export const contentMetaSchema = z
  .object({
    title: z.string().trim().min(2, 'titre attendu (2 caractères au moins)').max(120, 'titre de 120 caractères au plus'),
    summary: z.string().trim().min(10, 'résumé attendu (10 caractères au moins)').max(300, 'résumé de 300 caractères au plus'),
    order: z.number().int('nombre entier attendu').optional(),
    menu: z.boolean().default(true),
  })
  .strict();

export type ContentMeta = z.infer<typeof contentMetaSchema>;
export type BrandContentPage = ContentPage<ContentMeta>;

/** Each section is a sub-folder of the brand's content folder. */
export const CONTENT_SECTIONS = ['services', 'prevention', 'aide'] as const;
export type ContentSection = (typeof CONTENT_SECTIONS)[number];

const folders = new WeakMap<Brand, Record<ContentSection, ContentFolder<ContentMeta>>>();

/** The brand's content folders, made once per brand (the app's config holds one brand). */
export function brandContent(brand: Brand): Record<ContentSection, ContentFolder<ContentMeta>> {
  let found = folders.get(brand);
  if (!found) {
    const make = (section: ContentSection) => new ContentFolder(path.join(brand.contentDir, section), contentMetaSchema);
    found = { services: make('services'), prevention: make('prevention'), aide: make('aide') };
    folders.set(brand, found);
  }
  return found;
}

/** The pages a section lists (its index and side list): those whose `menu` is not false. */
export function listedPages(folder: ContentFolder<ContentMeta>, maxAgeMs = 0): BrandContentPage[] {
  return folder.pages(maxAgeMs).filter((page) => page.meta.menu);
}

const reported = new WeakMap<ContentFolder<ContentMeta>, Set<string>>();

/**
 * The folder's problems not reported yet (a file left out for a bad front matter or name): each
 * is given once to `report` (the request's log), and again only after it was fixed and came back,
 * so a broken file does not flood the logs on every visit.
 */
export function reportNewProblems(folder: ContentFolder<ContentMeta>, report: (problem: ContentProblem) => void, maxAgeMs = 0): void {
  const seen = reported.get(folder) ?? new Set<string>();
  reported.set(folder, seen);
  const current = folder.problems(maxAgeMs);
  const keys = new Set(current.map((p) => `${p.file}\n${p.message}`));
  for (const key of seen) if (!keys.has(key)) seen.delete(key);
  for (const problem of current) {
    const key = `${problem.file}\n${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    report(problem);
  }
}

// The assistant's knowledge base: one Markdown file per question in the brand's content folder,
// `<contentDir>/assistant/<id>.md` (docs/architecture.md, « The virtual assistant », says how the
// insurer writes one). The files are read by the content foundation (src/content/folder.ts: YAML
// front matter checked by the schema below, Markdown rendered and sanitised, a file re-read when
// it changes), and the search index (./search.ts) is rebuilt whenever the set of files or one of
// them changed: the folder hands back the very same page objects while no file changed, so
// comparing them is the check.
import path from 'node:path';
import { z } from 'zod';
import type { Brand } from '../brand.js';
import { ContentFolder, type ContentPage, type ContentProblem } from '../content/folder.js';
import { ASSISTANT_SPACES, AssistantIndex, type AssistantSpace, type SearchHit } from './search.js';

const link = z.object({
  label: z.string().min(2).max(80),
  // Into the portal only: an address of ours, never a page elsewhere.
  href: z.string().regex(/^\/[A-Za-z0-9/_.~%?=&-]*$/, 'adresse du portail attendue, commençant par « / »'),
});

const entrySchema = z.object({
  /** The question as a member would ask it. */
  title: z.string().min(5).max(160),
  /** Where the answer is offered: assure, entreprise, public (before login). */
  spaces: z.array(z.enum(ASSISTANT_SPACES)).min(1),
  /** Other words people type for this question (searched, never shown). */
  keywords: z.array(z.string().min(1).max(120)).default([]),
  synonyms: z.array(z.string().min(1).max(120)).default([]),
  /** Buttons under the answer, into the portal. */
  links: z.array(link).max(4).default([]),
  order: z.number().optional(),
});

type EntryMeta = z.infer<typeof entrySchema>;

export interface AssistantEntry {
  id: string;
  title: string;
  spaces: readonly AssistantSpace[];
  links: readonly { label: string; href: string }[];
  /** Set on the entries the empty page lists as « Questions fréquentes », smallest first. */
  order?: number;
  /** The answer, sanitised HTML. */
  html: string;
  text: string;
}

/**
 * Brand values an answer may name without copying them (the phone number changes in one place,
 * the brand file): `{{telephone}}` and the others below, in the title or the body.
 */
function placeholders(brand: Brand): Record<string, string> {
  return {
    marque: brand.name,
    assistant: brand.assistantName,
    reseau: brand.networkName,
    telephone: brand.help.phone,
    horaires: brand.help.hours,
    horaires_entreprise: brand.help.hoursEntreprise,
  };
}

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

interface Built {
  pages: ContentPage<EntryMeta>[];
  entries: Map<string, AssistantEntry>;
  index: AssistantIndex;
}

export class KnowledgeBase {
  private readonly folder: ContentFolder<EntryMeta>;
  private readonly values: Record<string, string>;
  private built: Built | null = null;

  constructor(dir: string, brand: Brand) {
    this.folder = new ContentFolder(dir, entrySchema);
    this.values = placeholders(brand);
  }

  /** Every entry, by title. */
  entries(): AssistantEntry[] {
    return [...this.current().entries.values()];
  }

  /** The entry `id` if it is offered in `space`. */
  entry(id: string, space: AssistantSpace): AssistantEntry | undefined {
    const entry = this.current().entries.get(id);
    return entry?.spaces.includes(space) ? entry : undefined;
  }

  ask(question: string, space: AssistantSpace, limit?: number): SearchHit[] {
    return this.current().index.ask(question, space, limit);
  }

  /** Files the base could not use, and placeholders no brand value answers, in French. */
  problems(): ContentProblem[] {
    const unknown = this.folder.pages().flatMap((page) => {
      const names = [...`${page.meta.title} ${page.meta.keywords.join(' ')} ${page.meta.synonyms.join(' ')} ${page.text}`.matchAll(PLACEHOLDER)]
        .map((m) => m[1])
        .filter((name) => !(name in this.values));
      return names.length
        ? [{ file: path.join(this.folder.dir, `${page.slug}.md`), message: `valeur inconnue : ${names.map((n) => `{{${n}}}`).join(', ')}` }]
        : [];
    });
    return [...this.folder.problems(), ...unknown];
  }

  private current(): Built {
    const pages = this.folder.pages();
    const built = this.built;
    if (built && built.pages.length === pages.length && built.pages.every((page, i) => page === pages[i])) return built;
    const entries = new Map<string, AssistantEntry>();
    for (const page of pages) entries.set(page.slug, this.toEntry(page));
    const searchable = pages.map((page) => {
      const entry = entries.get(page.slug)!;
      const keywords = [...page.meta.keywords, ...page.meta.synonyms].map((k) => this.fill(k, (v) => v));
      return { id: entry.id, title: entry.title, keywords, text: entry.text, spaces: entry.spaces };
    });
    this.built = { pages, entries, index: new AssistantIndex(searchable) };
    return this.built;
  }

  /** `{{name}}` → the brand's value, escaped by `encode`; an unknown name stays (`problems` reports it). */
  private fill(text: string, encode: (value: string) => string): string {
    return text.replace(PLACEHOLDER, (whole, name: string) => (name in this.values ? encode(this.values[name]) : whole));
  }

  private toEntry(page: ContentPage<EntryMeta>): AssistantEntry {
    const fill = this.fill.bind(this);
    return {
      id: page.slug,
      title: fill(page.meta.title, (v) => v),
      spaces: page.meta.spaces,
      links: page.meta.links,
      order: page.meta.order,
      html: fill(page.html, escapeHtml),
      text: fill(page.text, (v) => v),
    };
  }
}

const bases = new WeakMap<Brand, KnowledgeBase>();

/** The brand's knowledge base, one per brand for the whole app (its files are watched by stamps). */
export function knowledgeBaseFor(brand: Brand): KnowledgeBase {
  let base = bases.get(brand);
  if (!base) {
    base = new KnowledgeBase(path.join(brand.contentDir, 'assistant'), brand);
    bases.set(brand, base);
  }
  return base;
}

// A folder of Markdown pages in the brand's content folder (one file a page, YAML front matter
// for title, order and the like). The insurer edits the files in place: a read checks the files'
// modification times (on every call, or once per `maxAgeMs` for the pages served in production)
// and re-reads only what changed, so no restart is needed, and every instance of the portal sees
// the same files.
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { FrontMatterError, type RenderedMarkdown, renderMarkdown, splitFrontMatter } from './markdown.js';

export interface ContentPage<Meta> extends RenderedMarkdown {
  /** The file name without `.md`: the page's address within its section. */
  slug: string;
  meta: Meta;
}

/** A file the folder could not read, with the reason in French, for the logs and the tests. */
export interface ContentProblem {
  file: string;
  message: string;
}

interface Cached<Meta> {
  stamp: string;
  page: ContentPage<Meta> | null;
  problem: ContentProblem | null;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A front matter problem in French: zod's own words for a missing or unknown field are English. */
function frontMatterIssue(issue: z.core.$ZodIssue, data: Record<string, unknown>): string {
  const field = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') return `champ inconnu ${issue.keys.map((k) => `« ${k} »`).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.path.length === 1 && data[String(issue.path[0])] === undefined) return `« ${field} » manquant`;
  if (issue.code === 'invalid_type') return `« ${field} » : ${TYPE_NAMES[issue.expected] ?? issue.expected} attendu`;
  return `« ${field} » — ${issue.message}`;
}

const TYPE_NAMES: Record<string, string> = { string: 'texte', number: 'nombre', boolean: 'true ou false', array: 'liste', object: 'liste de « clé: valeur »' };

export class ContentFolder<Meta extends { order?: number; title: string }> {
  private readonly cache = new Map<string, Cached<Meta>>();
  /** The last look at the folder: when, what it found, and its valid pages in order. */
  private checked: { at: number; entries: Cached<Meta>[]; pages: ContentPage<Meta>[] } | null = null;

  constructor(
    readonly dir: string,
    private readonly schema: z.ZodType<Meta>,
  ) {}

  /**
   * Every valid page, by `order` then title. Files with problems are left out (see `problems`).
   * `maxAgeMs`: how long a look at the folder may be reused before the files are checked again
   * (0, the default: checked on every call).
   */
  pages(maxAgeMs = 0): ContentPage<Meta>[] {
    return this.refresh(maxAgeMs).pages;
  }

  page(slug: string, maxAgeMs = 0): ContentPage<Meta> | undefined {
    if (!SLUG.test(slug)) return undefined;
    return this.pages(maxAgeMs).find((p) => p.slug === slug);
  }

  problems(maxAgeMs = 0): ContentProblem[] {
    return this.refresh(maxAgeMs).entries.flatMap((entry) => (entry.problem ? [entry.problem] : []));
  }

  private refresh(maxAgeMs: number): { entries: Cached<Meta>[]; pages: ContentPage<Meta>[] } {
    const now = Date.now();
    const last = this.checked;
    if (last && now - last.at < maxAgeMs) return last;
    const entries = this.entries();
    // Unchanged files give back the same cached entries: their pages need no new sort.
    const same = last !== null && last.entries.length === entries.length && last.entries.every((entry, i) => entry === entries[i]);
    const pages = same
      ? last.pages
      : entries
          .flatMap((entry) => (entry.page ? [entry.page] : []))
          .sort((a, b) => (a.meta.order ?? 1000) - (b.meta.order ?? 1000) || a.meta.title.localeCompare(b.meta.title, 'fr'));
    this.checked = { at: now, entries, pages };
    return this.checked;
  }

  private entries(): Cached<Meta>[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir).filter((name) => name.endsWith('.md'));
    } catch {
      this.cache.clear();
      return [];
    }
    const seen = new Set(names);
    for (const name of this.cache.keys()) if (!seen.has(name)) this.cache.delete(name);
    return names.map((name) => this.entry(name));
  }

  private entry(name: string): Cached<Meta> {
    const file = path.join(this.dir, name);
    let stamp: string;
    try {
      const stat = fs.statSync(file);
      stamp = `${stat.mtimeMs}:${stat.size}`;
    } catch {
      return { stamp: '', page: null, problem: { file, message: 'fichier illisible' } };
    }
    const cached = this.cache.get(name);
    if (cached?.stamp === stamp) return cached;
    const entry = { stamp, ...this.read(file, name.slice(0, -3)) };
    this.cache.set(name, entry);
    return entry;
  }

  private read(file: string, slug: string): Pick<Cached<Meta>, 'page' | 'problem'> {
    if (!SLUG.test(slug)) return { page: null, problem: { file, message: 'nom de fichier attendu en minuscules, chiffres et tirets' } };
    try {
      const { data, body } = splitFrontMatter(fs.readFileSync(file, 'utf8'));
      const meta = this.schema.safeParse(data);
      if (!meta.success) {
        return { page: null, problem: { file, message: `en-tête : ${meta.error.issues.map((issue) => frontMatterIssue(issue, data)).join(' ; ')}` } };
      }
      return { page: { slug, meta: meta.data, ...renderMarkdown(body) }, problem: null };
    } catch (err) {
      const message = err instanceof FrontMatterError ? err.message : 'fichier illisible';
      return { page: null, problem: { file, message } };
    }
  }
}

// Markdown written by the insurer (the brand's content folder: Mes services, Prévention, the
// assistant's answers) turned into HTML that is safe to put in a page: marked renders it, then
// sanitize-html keeps only the tags and attributes listed below, so a content file can never
// bring a script, an event handler, a style or a `javascript:` link into the portal.
import { Marked, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';
import YAML from 'yaml';
import { nameSearchKey } from '../domain/name-search.js';

/** A heading of level 2 or 3, for the page's table of contents. */
export interface Heading {
  level: 2 | 3;
  id: string;
  text: string;
}

export interface RenderedMarkdown {
  html: string;
  headings: Heading[];
  /** The words of the page without any markup (search indexes, descriptions). */
  text: string;
}

export class FrontMatterError extends Error {}

const FRONT_MATTER = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Splits the YAML block between two `---` lines at the top of a file from the Markdown body. */
export function splitFrontMatter(source: string): { data: Record<string, unknown>; body: string } {
  const match = FRONT_MATTER.exec(source);
  if (!match) return { data: {}, body: source.replace(/^\uFEFF/, '') };
  let data: unknown;
  try {
    data = YAML.parse(match[1]);
  } catch (err) {
    throw new FrontMatterError(`en-tête YAML illisible : ${(err as Error).message}`);
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new FrontMatterError('en-tête YAML : une liste de « clé: valeur » est attendue');
  return { data: data as Record<string, unknown>, body: source.slice(match[0].length) };
}

/** « Deuxième avis médical » → « deuxieme-avis-medical ». */
export function slugify(text: string): string {
  return (
    nameSearchKey(text)
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'section'
  );
}

/**
 * Every heading id starts with this, so that no heading of a content page can take the id of an
 * element of the layout around it (« ## Contenu » would otherwise be `id="contenu"`, the skip link's
 * target).
 */
const HEADING_ID_PREFIX = 'partie-';

function headingTag(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const id = attribs.id ?? '';
  return { tagName, attribs: id.startsWith(HEADING_ID_PREFIX) ? { id } : {} };
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['h2', 'h3', 'h4', 'p', 'br', 'hr', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'blockquote', 'code', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'rel'], h2: ['id'], h3: ['id'], h4: ['id'], th: ['scope'] },
  // Links into the portal (`/assure/…`), to the page's own sections, and out by https, mail or phone.
  allowedSchemes: ['https', 'mailto', 'tel'],
  allowProtocolRelative: false,
  transformTags: {
    a: (tagName, attribs) => {
      const href = attribs.href ?? '';
      const out: sanitizeHtml.Attributes = { href };
      if (/^https:/i.test(href)) out.rel = 'noopener noreferrer';
      return { tagName, attribs: out };
    },
    // The page's title is its <h1>: a content file's own headings start one level below.
    h1: (_tagName, attribs) => headingTag('h2', attribs),
    h2: (tagName, attribs) => headingTag(tagName, attribs),
    h3: (tagName, attribs) => headingTag(tagName, attribs),
    h4: (tagName, attribs) => headingTag(tagName, attribs),
  },
};

/**
 * Renders a Markdown body. Headings get ids (unique within the page) and are listed for the
 * table of contents; raw HTML in the file is sanitised like the rest.
 */
export function renderMarkdown(body: string): RenderedMarkdown {
  const headings: Heading[] = [];
  const used = new Map<string, number>();
  const marked = new Marked({ gfm: true, async: false });
  marked.use({
    renderer: {
      heading(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Heading) {
        const level = Math.min(Math.max(token.depth, 2), 4);
        const inner = this.parser.parseInline(token.tokens);
        const plain = decodeEntities(sanitizeHtml(inner, { allowedTags: [], allowedAttributes: {} }).trim());
        const base = `${HEADING_ID_PREFIX}${slugify(plain)}`;
        const count = used.get(base) ?? 0;
        used.set(base, count + 1);
        const id = count === 0 ? base : `${base}-${count + 1}`;
        if (level === 2 || level === 3) headings.push({ level, id, text: plain });
        return `<h${level} id="${id}">${inner}</h${level}>\n`;
      },
    },
  });
  const raw = marked.parse(body) as string;
  const html = sanitizeHtml(raw, SANITIZE);
  const text = sanitizeHtml(html.replace(/<\/(p|li|h[2-4]|td|th|blockquote)>/g, '$& '), { allowedTags: [], allowedAttributes: {} })
    .replace(/\s+/g, ' ')
    .trim();
  return { html, headings, text: decodeEntities(text) };
}

function decodeEntities(text: string): string {
  return text
    .replace(/&nbsp;/g, '\u00A0')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&');
}

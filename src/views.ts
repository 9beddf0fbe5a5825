// Helpers every view can call as `h.<name>`, and the brand's colours as a stylesheet
// (the CSP forbids inline styles, so the theme is served as /brand/theme.css, and at the end of the
// stylesheet bundle, src/assets.ts).
import type { Brand } from './brand.js';
import { formatDateFr, formatDateTimeFr, formatParisDayFr } from './domain/dates.js';
import { formatEuros } from './domain/money.js';
import { formatPhone } from './domain/phone.js';
import { de, establishmentLabel, formatInteger, particle } from './domain/text.js';

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export const viewHelpers = {
  /** Escaped text with its http(s) addresses made clickable (outbox messages). */
  linkify(text: string): string {
    return escapeHtml(text).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);
  },
  /**
   * « 02/12/2026 »: a calendar date as it is, an instant (a timestamp, a Date) as its Paris day —
   * a document put online at 00:30 in Paris on 2 December is not « le 01/12 ».
   */
  date: (value: string | Date | null | undefined) => {
    if (!value) return '';
    return typeof value === 'string' && value.length <= 10 ? formatDateFr(value) : formatParisDayFr(value);
  },
  dateTime: (iso: string | null | undefined) => (iso ? formatDateTimeFr(iso) : ''),
  euros: (cents: number | null | undefined) => (cents == null ? '' : formatEuros(cents)),
  phone: (e164: string | null | undefined) => (e164 ? formatPhone(e164) : ''),
  /** « 12 345 » with a narrow no-break space between thousands. */
  integer: (n: number) => formatInteger(n),
  /** « de Marie », « d'Anne »: `de` before a name, elided when French does. */
  de: (name: string) => de(name),
  /** « qu' » or « que  » before `next`, when markup sits between the two. */
  particle: (word: 'de' | 'que', next: string) => particle(word, next),
  /** An establishment's one label, its company and city said once (src/domain/text.ts). */
  establishment: (e: { name: string; companyName?: string | null; city?: string | null }) => establishmentLabel(e),
  /** `aria-describedby`/`aria-invalid` attributes for a field with an error map. */
  fieldState(errors: Record<string, string> | undefined, name: string): string {
    return errors?.[name] ? `aria-invalid="true" aria-describedby="${name}-error"` : '';
  },
  isCurrent(currentPath: string, href: string): boolean {
    return currentPath === href || (href.length > 1 && currentPath.startsWith(`${href}/`));
  },
};

export function themeCss(brand: Brand): string {
  const c = brand.colours;
  return `:root{--brand:${c.primary};--brand-dark:${c.primaryDark};--accent:${c.accent};--surface:${c.surface};}\n`;
}

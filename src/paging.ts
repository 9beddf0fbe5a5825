// What the paged, sorted lists share: the page asked for brought back to the last one (with the
// French message saying so), the list's address with its criteria, sort and page, and the links
// of the column headers and of the pagination.

/** The message of a page number that is not one (« page=abc »): the first page is shown instead. */
export const pageInvalidText = "Ce numéro de page n'est pas valide : la première page est affichée.";

/** The message of a page number past the end: the last page is shown instead. */
export const pageBeyondText = (page: number, last: number) => `La page ${page} n'existe pas : la dernière page (${last}) est affichée.`;

export interface PageSpan {
  page: number;
  pages: number;
  /** Set when the page asked for was past the last one (then `page` is the last). */
  beyond?: string;
}

/** The page to show for `total` rows: the one asked for, or the last when it is beyond it. */
export function clampPage(requested: number, total: number, size: number): PageSpan {
  const pages = Math.max(1, Math.ceil(total / size));
  return requested > pages ? { page: pages, pages, beyond: pageBeyondText(requested, pages) } : { page: requested, pages };
}

// A paged list: the page asked for (see queryPage), brought back to the last page when it is
// beyond it — a list that shrank, an old bookmark — so nobody sees « nothing here » while rows exist.
export interface Paged<T> extends PageSpan {
  rows: T[];
  total: number;
}

/**
 * Loads the page asked for, then the last page instead when it is beyond it. `load` may bring the
 * total with the page (a window count); one past the end has no row to carry it: `total` null
 * then, and `count` answers (an empty first page needs no count: nothing matches).
 */
export async function loadPage<T>(
  requested: number,
  size: number,
  load: (page: number) => Promise<{ rows: T[]; total: number | null }>,
  count?: () => Promise<number>,
): Promise<Paged<T>> {
  const found = await load(requested);
  let total = found.total;
  if (total === null) {
    if (requested === 1 && !found.rows.length) total = 0;
    else if (count) total = await count();
    else throw new Error('loadPage: a page without its total needs a count');
  }
  const span = clampPage(requested, total, size);
  const rows = span.page === requested ? found.rows : total ? (await load(span.page)).rows : [];
  return { rows, total, ...span };
}

export type SortOrder = 'asc' | 'desc';

export interface ListSort<K extends string = string> {
  column: K;
  order: SortOrder;
}

/**
 * How a list's addresses are written: `keys`, the criteria of its query string in their order,
 * and its default sort. Gives the address of the list (or of its export, at another path) with
 * these applied criteria, sort and page; the default sort and the first page are left out.
 */
export function listHref<K extends string>(keys: readonly string[], defaultSort?: ListSort<K>) {
  return (path: string, applied: Readonly<Partial<Record<string, string>>>, sort?: ListSort<K>, page = 1): string => {
    const params = new URLSearchParams();
    for (const key of keys) if (applied[key]) params.set(key, applied[key]!);
    if (sort && (!defaultSort || sort.column !== defaultSort.column || sort.order !== defaultSort.order)) {
      params.set('tri', sort.column);
      params.set('ordre', sort.order);
    }
    if (page > 1) params.set('page', String(page));
    const qs = params.toString();
    return qs ? `${path}?${qs}` : path;
  };
}

export interface SortLink {
  href: string;
  ariaSort: 'ascending' | 'descending' | null;
  /** The order a click on the header sorts by. */
  nextOrder: SortOrder;
}

/**
 * A sortable column header: a click on the sorted column reverses it; on another column, sorts it
 * in its first order (`firstOrder`: going up unless told, e.g. dates newest first).
 */
export function sortLink<K extends string>(column: K, sort: ListSort<K>, href: (sort: ListSort<K>) => string, firstOrder: SortOrder = 'asc'): SortLink {
  const active = column === sort.column;
  const nextOrder: SortOrder = active ? (sort.order === 'asc' ? 'desc' : 'asc') : firstOrder;
  return { href: href({ column, order: nextOrder }), ariaSort: active ? (sort.order === 'asc' ? 'ascending' : 'descending') : null, nextOrder };
}

/** The pagination's links around `page` (null where there is none to offer). */
export function pageLinks(page: number, pages: number, href: (page: number) => string) {
  return {
    currentHref: href(page),
    previousHref: page > 1 ? href(page - 1) : null,
    nextHref: page < pages ? href(page + 1) : null,
    firstHref: page > 2 ? href(1) : null,
    lastHref: page < pages - 1 ? href(pages) : null,
  };
}

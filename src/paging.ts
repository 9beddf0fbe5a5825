// A paged list: the page asked for (see queryPage), brought back to the last page when it is
// beyond it — a list that shrank, an old bookmark — so nobody sees « nothing here » while rows exist.
export interface Paged<T> {
  rows: T[];
  total: number;
  page: number;
  pages: number;
}

export async function loadPage<T>(requested: number, size: number, load: (page: number) => Promise<{ rows: T[]; total: number }>): Promise<Paged<T>> {
  let result = await load(requested);
  const pages = Math.max(1, Math.ceil(result.total / size));
  const page = Math.min(requested, pages);
  if (page !== requested) result = await load(page);
  return { ...result, page, pages };
}

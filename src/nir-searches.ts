// A NIR never stays in an address (docs/domain.md#personal-data-in-addresses-pages-and-logs): the
// browser's history, bookmarks and shared links would keep it. A search form that may carry a NIR
// is POSTed; the NIR typed is remembered in the session under a random reference, and the list's
// address names the reference instead. Used by « Mes salariés » (src/entreprise/employees/pages.ts)
// and the staff's « Assurés » (src/gestion/members/pages.ts).
import crypto from 'node:crypto';
import type { Request } from 'express';

const NIR_REF = /^nir-[a-f0-9]{12}$/;
const NIR_SEARCHES_KEPT = 20;

declare module 'express-session' {
  interface SessionData {
    nirSearches?: Record<string, string>;
  }
}

/** The reference naming this NIR (15 characters) in the session, the same one if it was searched before. */
export function rememberNir(req: Request, nir15: string): string {
  const searches = req.session.nirSearches ?? {};
  const known = Object.entries(searches).find(([, value]) => value === nir15);
  if (known) return known[0];
  const ref = `nir-${crypto.randomBytes(6).toString('hex')}`;
  const kept = Object.entries(searches).slice(-(NIR_SEARCHES_KEPT - 1));
  req.session.nirSearches = Object.fromEntries([...kept, [ref, nir15]]);
  return ref;
}

/** The NIR a reference of this session names; undefined for anything else (another session's reference included). */
export function rememberedNir(req: Request, value: string): string | undefined {
  return NIR_REF.test(value) ? req.session.nirSearches?.[value] : undefined;
}

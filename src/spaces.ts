// What every private space shares: its layout locals (navigation) and the honest
// « bientôt disponible » page for entries whose screens come later.
import type { RequestHandler, Router } from 'express';
import type { Layout } from './middleware/render.js';
import type { NavItem } from './navigation.js';
import type { Door } from './auth/doors.js';
import { assureNav, entrepriseIcons, entrepriseNav, gestionNav } from './navigation.js';

export function spaceLocals(locals: Record<string, unknown>): RequestHandler {
  return (_req, res, next) => {
    Object.assign(res.locals, locals);
    next();
  };
}

/** Mounts a « bientôt disponible » page on each path not yet built (never a 404 for a menu entry). */
export function comingSoon(router: Router, layout: Layout, homeHref: string, items: NavItem[]): void {
  // Menus and tiles share entries: one route per address.
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.href)) continue;
    seen.add(item.href);
    router.get(item.href, notYetBuilt(layout, item.label, homeHref));
  }
}

/** Layout locals of each door, for pages mounted outside the space routers (e.g. password change). */
export const doorLayoutLocals: Record<Door, Record<string, unknown>> = {
  assure: { nav: assureNav },
  entreprise: { nav: entrepriseNav, icons: entrepriseIcons },
  gestion: { nav: gestionNav },
};

/** A page of a space that is not built yet: « bientôt disponible » rather than a 404. */
function notYetBuilt(layout: Layout, title: string, homeHref: string): RequestHandler {
  return (_req, res) => res.renderPage({ page: 'space/coming-soon', layout, title, locals: { homeHref } });
}

// What every private space shares: its layout locals (navigation).
import type { RequestHandler } from 'express';
import type { Door } from './auth/doors.js';
import { assureNav, entrepriseIcons, entrepriseNav, gestionNav } from './navigation.js';

export function spaceLocals(locals: Record<string, unknown>): RequestHandler {
  return (_req, res, next) => {
    Object.assign(res.locals, locals);
    next();
  };
}

/** Layout locals of each door, for pages mounted outside the space routers (e.g. password change). */
export const doorLayoutLocals: Record<Door, Record<string, unknown>> = {
  assure: { nav: assureNav },
  entreprise: { nav: entrepriseNav, icons: entrepriseIcons },
  gestion: { nav: gestionNav },
};

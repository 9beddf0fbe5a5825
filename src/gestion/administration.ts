// « Administration » of the Espace Gestion (superviseurs only): the one menu entry that leads to the
// staff accounts, the audit log and the data-rights requests, so that the menu stays on one line.
import type { Request, Response } from 'express';
import { ADMINISTRATION_PAGES } from '../navigation.js';

export function showAdministration() {
  return async (_req: Request, res: Response) => {
    await res.renderPage({ page: 'gestion/administration', layout: 'gestion', title: 'Administration', locals: { pages: ADMINISTRATION_PAGES } });
  };
}

// /dev/outbox: what the portal would have sent by email or SMS. Never mounted in production.
import { Router } from 'express';
import type { AppContext } from '../app.js';

export function devRoutes({ db }: AppContext): Router {
  const router = Router();
  router.get('/outbox', async (req, res) => {
    const rows = await db('outbox').orderBy('id', 'desc').limit(100);
    res.renderPage({ page: 'dev/outbox', title: "Boîte d'envoi (développement)", locals: { rows } });
  });
  router.get('/outbox/:id', async (req, res, next) => {
    const id = Number(req.params.id);
    const row = Number.isInteger(id) ? await db('outbox').where({ id }).first() : undefined;
    if (!row) return next();
    res.renderPage({ page: 'dev/outbox-message', title: `Message n° ${row.id}`, locals: { row } });
  });
  return router;
}

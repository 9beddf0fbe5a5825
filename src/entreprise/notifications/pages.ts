// « Notifications » (the bell icon of the Espace Entreprise): what happened to the user's
// affiliation requests — a form transmitted by an employee, the insurer's decision. Opening one
// marks it read and leads to the request; the bell shows how many are unread on every page.
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { formatDateTimeFr } from '../../domain/dates.js';
import { notificationActionLabel } from '../../domain/notifications.js';
import { HttpError } from '../../middleware/errors.js';
import { loadPage } from '../../paging.js';
import { countUnread, markAllRead, markRead, notificationsPage } from '../../notifications/store.js';
import { positiveId, queryPage } from '../../validation.js';

const BASE = '/entreprise/notifications';
const PAGE_SIZE = 20;

/** The unread count for the bell: only for a full page (a POST redirects, an htmx fragment has no bell). */
export function unreadBadge(ctx: AppContext) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.account && req.method === 'GET' && !req.isHtmx) res.locals.unreadNotifications = await countUnread(ctx.db, req.account.id);
    next();
  };
}

export function showNotifications(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const { rows, total, page, pages } = await loadPage(queryPage(req.query.page).page, PAGE_SIZE, (p) =>
      notificationsPage(ctx.db, req.account!.id, p, PAGE_SIZE),
    );
    await res.renderPage({
      page: 'entreprise/notifications',
      layout: 'entreprise',
      title: 'Notifications',
      locals: {
        notifications: rows.map((n) => ({
          ...n,
          when: formatDateTimeFr(n.created_at),
          unread: n.read_at === null,
          action: notificationActionLabel(n.kind, n.link),
        })),
        total,
        page,
        pages,
      },
    });
  };
}

/** Opens a notification: marked read, then its page (or the list when it has none). */
export function openNotification(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const id = positiveId(req.params.id);
    const row = id ? await markRead(ctx.db, req.account!.id, id, ctx.clock()) : undefined;
    if (!row) throw new HttpError(404);
    // Only links inside the space: a stored link never sends the user elsewhere.
    res.redirect(303, row.link?.startsWith('/entreprise/') ? row.link : BASE);
  };
}

export function readAll(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    await markAllRead(ctx.db, req.account!.id, ctx.clock());
    res.redirectWithFlash(BASE, 'Toutes vos notifications sont marquées comme lues.');
  };
}

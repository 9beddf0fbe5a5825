// Knex only: an account's notifications (today the HR users': a finalized affiliation form, a
// decision of the insurer…), newest first, and their read state. Any space or shared module that
// tells someone something calls addNotification here; the kinds are in src/domain/notifications.ts.
import type { Knex } from 'knex';
import { preparedQuery, type Db } from '../db.js';
import type { NotificationKind } from '../domain/notifications.js';

export interface NotificationRow {
  id: number;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  created_at: string;
  read_at: string | null;
}

const unreadCount = preparedQuery((db, accountId: number) => db('notifications').where({ account_id: accountId }).whereNull('read_at').count({ n: '*' }));

/** Read on every full page of the Espace Entreprise (the bell's badge). */
export async function countUnread(db: Db, accountId: number): Promise<number> {
  const [row] = await unreadCount<{ n: number }>(db, accountId);
  return Number(row?.n ?? 0);
}

export async function notificationsPage(db: Db, accountId: number, page: number, size: number): Promise<{ rows: NotificationRow[]; total: number }> {
  const [count, rows] = await Promise.all([
    db('notifications').where({ account_id: accountId }).count({ n: '*' }).first(),
    db('notifications')
      .where({ account_id: accountId })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(size)
      .offset((page - 1) * size)
      .select('id', 'kind', 'title', 'body', 'link', 'created_at', 'read_at'),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

/** Marks one of the account's notifications read; returns it (undefined: not theirs). */
export async function markRead(db: Db, accountId: number, id: number, now: Date): Promise<NotificationRow | undefined> {
  const row: NotificationRow | undefined = await db('notifications')
    .where({ id, account_id: accountId })
    .first('id', 'kind', 'title', 'body', 'link', 'created_at', 'read_at');
  if (row && !row.read_at) await db('notifications').where({ id }).update({ read_at: now.toISOString() });
  return row;
}

export async function markAllRead(db: Db, accountId: number, now: Date): Promise<void> {
  await db('notifications').where({ account_id: accountId }).whereNull('read_at').update({ read_at: now.toISOString() });
}

/** A notification for an account (inside the caller's transaction when given one). */
export async function addNotification(
  db: Db | Knex.Transaction,
  accountId: number,
  notification: { kind: NotificationKind; title: string; body: string; link: string },
  at: string,
): Promise<void> {
  await db('notifications').insert({ account_id: accountId, ...notification, created_at: at, read_at: null });
}

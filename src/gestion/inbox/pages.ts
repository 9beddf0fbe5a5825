// The staff inbox and the Tableau de bord. The inbox lists the
// members' requests and the members' and companies' message threads together, oldest first unless
// asked otherwise, with the service level (the expected answer date) and what is late said in words.
// Its filters are a plain GET form; with htmx the list is swapped in place and the address kept in
// step. « Demandes », « Messages » and « Télétransmission » of the menu are the same inbox, each
// with its own « objet » until the staff member picks another. A page is one count per side and
// one merged query (src/correspondence/queries.ts, staffInbox); names come from one staff read.
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { staffInbox, staffInboxCount, type InboxFilters, type InboxItem } from '../../correspondence/queries.js';
import { isoToday, parisDayStartUtc } from '../../domain/dates.js';
import { loadPage, pageInvalidText, pageLinks } from '../../paging.js';
import { queryPage } from '../../validation.js';
import { countAwaitingPaper, countByDecision } from '../affiliations/queries.js';
import { feedsSince } from '../../statement-feed/queries.js';
import { inboxHref, objectChoices, readInboxQuery, SORT_CHOICES, SPACE_CHOICES, STATUS_CHOICES, type RawInboxQuery } from './filters.js';
import { itemObjectLabel, itemStatusLabel, natureLabel } from './labels.js';
import { findStaffAccounts, type StaffAccount } from './queries.js';

export const PAGE_SIZE = 20;
export const REQUESTS_BASE = '/gestion/demandes';
export const THREADS_BASE = '/gestion/messages';

export interface InboxPage {
  path: string;
  title: string;
  /** The « objet » filter of the page when the query does not give one. */
  object: string;
}

export const INBOX_PAGES = {
  all: { path: REQUESTS_BASE, title: 'Demandes et messages', object: '' },
  threads: { path: THREADS_BASE, title: 'Messages', object: 'messages' },
  teletransmission: { path: '/gestion/teletransmission', title: 'Demandes de télétransmission', object: 'teletransmission' },
} as const satisfies Record<string, InboxPage>;

function itemHref(item: { item_type: 'request' | 'thread'; id: number }): string {
  return `${item.item_type === 'request' ? REQUESTS_BASE : THREADS_BASE}/${item.id}`;
}

export function staffName(staff: readonly StaffAccount[], id: number | null): string | null {
  if (id === null) return null;
  const found = staff.find((s) => s.id === id);
  return found ? `${found.first_name} ${found.last_name}` : null;
}

/** « Attribué à » choices: me first, then each active colleague, then nobody. */
export function assigneeChoices(staff: readonly StaffAccount[], me: number): [string, string][] {
  return [
    ['moi', 'Moi'],
    ...staff.filter((s) => s.active && s.id !== me).map((s): [string, string] => [String(s.id), `${s.first_name} ${s.last_name}`]),
    ['aucun', 'Personne (non attribué)'],
  ];
}

export function showInbox(ctx: AppContext, inboxPage: InboxPage) {
  return async (req: Request, res: Response) => {
    const me = req.account!.id;
    const lists = ctx.config.brand.correspondence;
    const staff = await findStaffAccounts(ctx.db);
    const { raw, filters, order, errors } = readInboxQuery(req.query as Record<string, unknown>, lists, new Set(staff.map((s) => s.id)), me, inboxPage.object);
    const today = isoToday(ctx.clock);
    const asked = queryPage(req.query.page);
    const paged = await loadPage<InboxItem>(asked.page, PAGE_SIZE, (page) => staffInbox(ctx.db, filters, today, page, PAGE_SIZE, order));
    const href = (page: number) => inboxHref(inboxPage.path, inboxPage.object, raw, page);
    await res.renderPage({
      page: 'gestion/inbox',
      fragment: 'gestion/inbox-list',
      layout: 'gestion',
      title: inboxPage.title,
      status: Object.keys(errors).length ? 422 : undefined,
      locals: {
        heading: inboxPage.title,
        path: inboxPage.path,
        views: Object.values(INBOX_PAGES).map((p) => ({ href: p.path, label: p.title, current: p.path === inboxPage.path })),
        clearHref: inboxPage.path,
        values: raw,
        errors: Object.keys(errors).length ? errors : undefined,
        objectGroups: objectChoices(lists),
        spaceChoices: SPACE_CHOICES,
        statusChoices: STATUS_CHOICES,
        sortChoices: SORT_CHOICES,
        assigneeChoices: [['', 'Tout le monde'], ...assigneeChoices(staff, me)],
        newestFirst: order === 'desc',
        total: paged.total,
        page: paged.page,
        pages: paged.pages,
        pageError: paged.beyond ?? (asked.invalid ? pageInvalidText : null),
        ...pageLinks(paged.page, paged.pages, href),
        rows: paged.rows.map((item) => ({
          ...item,
          href: itemHref(item),
          nature: natureLabel(item),
          objectLabel: itemObjectLabel(lists, item),
          statusLabel: itemStatusLabel(item),
          assignee: item.assigned_account_id === me ? 'Moi' : staffName(staff, item.assigned_account_id),
        })),
      },
    });
  };
}

// ------------------------------------------------------------------ Tableau de bord
interface Queue {
  label: string;
  query: Partial<RawInboxQuery>;
  /** Also count what is late in the queue, with its own link. */
  withLate?: boolean;
}

const STATUS_QUEUES: Queue[] = [
  { label: 'À traiter', query: {} },
  { label: 'Nouveaux', query: { statut: 'new' } },
  { label: 'En cours', query: { statut: 'open' } },
  { label: "En attente de l'assuré ou de l'entreprise", query: { statut: 'awaiting' } },
  { label: 'En retard', query: { retard: '1' } },
  { label: 'Non attribués', query: { attribue: 'aucun' } },
  { label: 'Attribués à moi', query: { attribue: 'moi' }, withLate: true },
];
const NATURE_QUEUES: Queue[] = [
  { label: 'Demandes de remboursement', query: { objet: 'remboursement' }, withLate: true },
  { label: 'Demandes de devis', query: { objet: 'devis' }, withLate: true },
  { label: 'Demandes de télétransmission', query: { objet: 'teletransmission' }, withLate: true },
  { label: 'Messages des assurés', query: { objet: 'messages:assure' }, withLate: true },
  { label: 'Messages des entreprises', query: { objet: 'messages:entreprise' }, withLate: true },
];

/** The inbox page a queue's link opens: « Messages » for threads, « Télétransmission » for its requests, else « Demandes et messages ». */
function queueHref(query: Partial<RawInboxQuery>): string {
  const objet = query.objet ?? '';
  const own: InboxPage = objet.startsWith('messages')
    ? INBOX_PAGES.threads
    : objet.startsWith('teletransmission')
      ? INBOX_PAGES.teletransmission
      : INBOX_PAGES.all;
  return inboxHref(own.path, own.object, { ...query, objet: query.objet ?? own.object });
}

export function showDashboard(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const me = req.account!.id;
    const lists = ctx.config.brand.correspondence;
    const staff = await findStaffAccounts(ctx.db);
    const today = isoToday(ctx.clock);
    const ids = new Set(staff.map((s) => s.id));
    const count = (query: Partial<RawInboxQuery>) => {
      const filters: InboxFilters = readInboxQuery(query, lists, ids, me, '').filters;
      return staffInboxCount(ctx.db, filters, today);
    };
    const queue = async (q: Queue) => ({
      label: q.label,
      count: await count(q.query),
      href: queueHref(q.query),
      late: q.withLate ? { count: await count({ ...q.query, retard: '1' }), href: queueHref({ ...q.query, retard: '1' }) } : null,
    });
    const statusQueues = [];
    for (const q of STATUS_QUEUES) statusQueues.push(await queue(q));
    const natureQueues = [];
    for (const q of NATURE_QUEUES) natureQueues.push(await queue(q));
    const affiliations = (await countByDecision(ctx.db)).a_traiter;
    const paper = await countAwaitingPaper(ctx.db);
    // « Flux chargés aujourd'hui et leurs erreurs »: the feeds sent since midnight in Paris.
    const feeds = await feedsSince(ctx.db, parisDayStartUtc(today));
    await res.renderPage({
      page: 'gestion/home',
      layout: 'gestion',
      title: 'Tableau de bord',
      locals: {
        statusQueues,
        natureQueues,
        affiliations: { count: affiliations, href: '/gestion/affiliations' },
        paper: { count: paper, href: '/gestion/affiliations?statut=papier' },
        feeds: { ...feeds, href: '/gestion/decomptes' },
      },
    });
  };
}

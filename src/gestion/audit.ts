// « Journal d'audit » of the Espace Gestion (docs/domain.md#audit-log-and-outbox): the security events, newest first, with
// filters that work as a plain GET form and, with htmx, update the list in place.
import type { Request, Response } from 'express';
import type { AppContext } from '../context.js';
import type { Db } from '../db.js';
import { auditEvents, type AuditEvent } from '../domain/audit.js';
import { auditReferences, auditSentence, parseAuditDetail, type AuditNames, type AuditReferenceKind } from '../domain/audit-sentences.js';
import { establishmentLabel } from '../domain/text.js';
import { addDays, DATE_MESSAGES, parisDayStartUtc, parseFrenchDate } from '../domain/dates.js';
import { unsafeQueryErrors, type FieldErrors } from '../validation.js';
import { pageLinks } from '../paging.js';

export const AUDIT_PAGE_SIZE = 50;

export const accountKindLabels: Record<string, string> = {
  member: 'Assuré',
  hr: 'Entreprise',
  staff: 'Gestion',
};

export interface AuditFilters {
  event?: AuditEvent;
  /** Part of the account's email, lowercased. */
  email?: string;
  /** UTC instants, `from` included, `until` excluded. */
  from?: string;
  until?: string;
}

export interface AuditListRow {
  id: number;
  at: string;
  event: string;
  account_kind: string | null;
  ip: string | null;
  user_agent: string | null;
  detail: string | null;
  email: string | null;
  kind: string | null;
  first_name: string | null;
  last_name: string | null;
}

// ------------------------------------------------------------------ Knex only
function filteredAudit(db: Db, filters: AuditFilters) {
  const query = db('audit_log').leftJoin('accounts', 'accounts.id', 'audit_log.account_id');
  if (filters.event) query.where('audit_log.event', filters.event);
  if (filters.email) {
    // `!` escapes LIKE's wildcards so « a_b » means a, underscore, b (same SQL on SQLite and PostgreSQL).
    const pattern = `%${filters.email.replace(/[!%_]/g, (c) => `!${c}`)}%`;
    query.whereRaw("accounts.email like ? escape '!'", [pattern]);
  }
  if (filters.from) query.where('audit_log.at', '>=', filters.from);
  if (filters.until) query.where('audit_log.at', '<', filters.until);
  return query;
}

export async function countAuditEntries(db: Db, filters: AuditFilters): Promise<number> {
  const row = await filteredAudit(db, filters).count({ total: '*' }).first();
  return Number(row?.total ?? 0);
}

export async function findAuditEntries(db: Db, filters: AuditFilters, page: number): Promise<AuditListRow[]> {
  return filteredAudit(db, filters)
    .select(
      'audit_log.id',
      'audit_log.at',
      'audit_log.event',
      'audit_log.account_kind',
      'audit_log.ip',
      'audit_log.user_agent',
      'audit_log.detail',
      'accounts.email as email',
      'accounts.kind as kind',
      'accounts.first_name as first_name',
      'accounts.last_name as last_name',
    )
    .orderBy([
      { column: 'audit_log.at', order: 'desc' },
      { column: 'audit_log.id', order: 'desc' },
    ])
    .limit(AUDIT_PAGE_SIZE)
    .offset((page - 1) * AUDIT_PAGE_SIZE);
}

/** « Prénom Nom » of rows with both, by id. */
function namesById(rows: { id: number; first_name: string; last_name: string }[]): Map<number, string> {
  return new Map(rows.map((r) => [Number(r.id), `${r.first_name} ${r.last_name}`]));
}

/**
 * The names behind the ids of a page's details: one query per kind of reference that occurs
 * (at most six for the page, whatever its length), never one per line.
 */
export async function findAuditNames(db: Db, ids: Record<AuditReferenceKind, number[]>): Promise<AuditNames> {
  const read = async <T>(kind: AuditReferenceKind, query: (ids: number[]) => Promise<T[]>, toMap: (rows: T[]) => Map<number, string>) =>
    ids[kind].length ? toMap(await query(ids[kind])) : new Map<number, string>();
  const [accounts, members, beneficiaries, requests, establishments, companies] = await Promise.all([
    read('accounts', (ids) => db('accounts').whereIn('id', ids).select('id', 'first_name', 'last_name'), namesById),
    read('members', (ids) => db('members').whereIn('id', ids).select('id', 'first_name', 'last_name'), namesById),
    read('beneficiaries', (ids) => db('beneficiaries').whereIn('id', ids).select('id', 'first_name', 'last_name'), namesById),
    read('requests', (ids) => db('affiliation_requests').whereIn('id', ids).select('id', 'first_name', 'last_name'), namesById),
    read(
      'establishments',
      (ids): Promise<{ id: number; name: string; company_name: string }[]> =>
        db('establishments as e').join('companies as c', 'c.id', 'e.company_id').whereIn('e.id', ids).select('e.id', 'e.name', 'c.name as company_name'),
      (rows) => new Map(rows.map((r) => [Number(r.id), establishmentLabel({ companyName: r.company_name, name: r.name })])),
    ),
    read('companies', (ids): Promise<{ id: number; name: string }[]> => db('companies').whereIn('id', ids).select('id', 'name'), (rows) => new Map(rows.map((r) => [Number(r.id), r.name]))),
  ]);
  return { accounts, members, beneficiaries, requests, establishments, companies };
}

// ------------------------------------------------------------------ presentation helpers
/** « Firefox 128 · Windows » from a user agent; the start of it when nothing is recognised. */
export function shortUserAgent(userAgent: string | null): string {
  if (!userAgent) return '';
  const browsers: [RegExp, string][] = [
    [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
    [/OPR\/(\d+)/, 'Opera'],
    [/SamsungBrowser\/(\d+)/, 'Samsung Internet'],
    [/Firefox\/(\d+)/, 'Firefox'],
    [/FxiOS\/(\d+)/, 'Firefox'],
    [/CriOS\/(\d+)/, 'Chrome'],
    [/Chrome\/(\d+)/, 'Chrome'],
    [/Version\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
  ];
  const systems: [RegExp, string][] = [
    [/Windows/, 'Windows'],
    [/Android/, 'Android'],
    [/iPhone|iPad|iPod/, 'iOS'],
    [/Mac OS X|Macintosh/, 'macOS'],
    [/CrOS/, 'ChromeOS'],
    [/Linux/, 'Linux'],
  ];
  const browser = browsers.map(([re, name]) => {
    const m = re.exec(userAgent);
    return m ? `${name} ${m[1]}` : null;
  }).find(Boolean);
  const system = systems.find(([re]) => re.test(userAgent))?.[1];
  const label = [browser, system].filter(Boolean).join(' · ');
  if (label) return label;
  return userAgent.length > 40 ? `${userAgent.slice(0, 40)}…` : userAgent;
}

// ------------------------------------------------------------------ the page
type RawFilters = { evenement: string; email: string; du: string; au: string };

function firstString(value: unknown): string {
  if (Array.isArray(value)) return firstString(value[0]);
  return typeof value === 'string' ? value.trim().slice(0, 254) : '';
}

/** Query string → filters; a wrong filter gets a French message and is left out of the search. */
export function readAuditFilters(query: Record<string, unknown>): { raw: RawFilters; filters: AuditFilters; errors: FieldErrors; page: number } {
  const raw: RawFilters = {
    evenement: firstString(query.evenement),
    email: firstString(query.email),
    du: firstString(query.du),
    au: firstString(query.au),
  };
  const errors: FieldErrors = unsafeQueryErrors(query, Object.keys(raw));
  const filters: AuditFilters = {};
  if (raw.evenement) {
    if (Object.hasOwn(auditEvents, raw.evenement)) filters.event = raw.evenement as AuditEvent;
    else errors.evenement = 'Choisissez un événement de la liste.';
  }
  if (raw.email && !errors.email) filters.email = raw.email.toLowerCase();
  const from = raw.du ? parseFrenchDate(raw.du) : null;
  const to = raw.au ? parseFrenchDate(raw.au) : null;
  if (raw.du && !from) errors.du ??= DATE_MESSAGES.invalid;
  if (raw.au && !to) errors.au ??= DATE_MESSAGES.invalid;
  if (from && to && to < from) {
    errors.au = 'La date de fin doit être égale ou postérieure à la date de début.';
  } else {
    if (from) filters.from = parisDayStartUtc(from);
    if (to) filters.until = parisDayStartUtc(addDays(to, 1));
  }
  const pageText = firstString(query.page);
  const page = /^\d{1,6}$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : 1;
  return { raw, filters, errors, page };
}

function pageHref(raw: RawFilters, page: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(raw)) if (value) params.set(key, value);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/gestion/audit?${query}` : '/gestion/audit';
}

export function showAuditLog(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const { raw, filters, errors, page: asked } = readAuditFilters(req.query as Record<string, unknown>);
    const total = await countAuditEntries(ctx.db, filters);
    const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
    const page = Math.min(asked, pages);
    const rows = await findAuditEntries(ctx.db, filters, page);
    const details = rows.map((row) => parseAuditDetail(row.detail));
    const names = await findAuditNames(ctx.db, auditReferences(details));
    const entries = rows.map((row, i) => {
      const known = Object.hasOwn(auditEvents, row.event);
      return {
        id: row.id,
        at: row.at,
        eventLabel: known ? auditEvents[row.event as AuditEvent] : 'Autre événement',
        email: row.email,
        kindLabel: accountKindLabels[row.account_kind ?? row.kind ?? ''] ?? '',
        ip: row.ip ?? '',
        browser: shortUserAgent(row.user_agent),
        userAgent: row.user_agent ?? '',
        // A line written by a version that knew an event this one does not: its label only.
        detail: known
          ? auditSentence({
              event: row.event as AuditEvent,
              account: row.first_name && row.last_name ? `${row.first_name} ${row.last_name}` : null,
              accountKind: row.account_kind ?? row.kind,
              detail: details[i],
              names,
            })
          : '',
      };
    });
    await res.renderPage({
      page: 'gestion/audit',
      fragment: 'gestion/audit-list',
      layout: 'gestion',
      title: "Journal d'audit",
      status: Object.keys(errors).length ? 422 : 200,
      locals: {
        values: raw,
        errors: Object.keys(errors).length ? errors : undefined,
        eventOptions: Object.entries(auditEvents).map(([value, label]) => ({ value, label })),
        entries,
        total,
        page,
        pages,
        ...pageLinks(page, pages, (p) => pageHref(raw, p)),
      },
    });
  };
}

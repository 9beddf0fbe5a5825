// « Journal d'audit » of the Espace Gestion (docs/domain.md#audit-log-and-outbox): the security events, newest first, with
// filters that work as a plain GET form and, with htmx, update the list in place.
import type { Request, Response } from 'express';
import type { AppContext } from '../context.js';
import { auditEvents, type AuditEvent } from '../domain/audit.js';
import { auditReferences, auditSentence, parseAuditDetail } from '../domain/audit-sentences.js';
import { addDays, DATE_MESSAGES, parisDayStartUtc, parseFrenchDate } from '../domain/dates.js';
import { unsafeQueryErrors, type FieldErrors } from '../validation.js';
import { pageLinks } from '../paging.js';
import { AUDIT_PAGE_SIZE, countAuditEntries, findAuditEntries, findAuditNames, type AuditFilters } from './audit-queries.js';

export const accountKindLabels: Record<string, string> = {
  member: 'Assuré',
  hr: 'Entreprise',
  staff: 'Gestion',
};

// ------------------------------------------------------------------ presentation helpers
/** « Firefox 128 · Windows » from a user agent; the start of it when nothing is recognised. */
function shortUserAgent(userAgent: string | null): string {
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
  const browser = browsers
    .map(([re, name]) => {
      const m = re.exec(userAgent);
      return m ? `${name} ${m[1]}` : null;
    })
    .find(Boolean);
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
function readAuditFilters(query: Record<string, unknown>): { raw: RawFilters; filters: AuditFilters; errors: FieldErrors; page: number } {
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

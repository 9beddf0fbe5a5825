// Knex only, no req/res: the audit log list of the Espace Gestion (gestion/audit.ts) — its
// filters, one page of entries, and the names behind the ids of their details.
import type { Db } from '../db.js';
import type { AuditEvent } from '../domain/audit.js';
import type { AuditNames, AuditReferenceKind } from '../domain/audit-sentences.js';
import { establishmentLabel } from '../domain/text.js';

export const AUDIT_PAGE_SIZE = 50;

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
    read(
      'companies',
      (ids): Promise<{ id: number; name: string }[]> => db('companies').whereIn('id', ids).select('id', 'name'),
      (rows) => new Map(rows.map((r) => [Number(r.id), r.name])),
    ),
  ]);
  return { accounts, members, beneficiaries, requests, establishments, companies };
}

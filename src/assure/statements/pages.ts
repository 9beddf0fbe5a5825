// Espace Assuré — Remboursements / décomptes (SPEC §2.6): every line grouped by décompte,
// filters as a GET form (htmx updates the list in place and keeps the URL), pagination.
import type { Request, Response } from 'express';
import type { AppContext } from '../../app.js';
import { DATE_MESSAGES, parseFrenchDate } from '../../domain/dates.js';
import { HttpError } from '../../middleware/errors.js';
import type { FieldErrors } from '../../validation.js';
import { memberIdOf } from '../member.js';
import { statementPdf } from './pdf.js';
import { careTypesOf, familyOf, findLines, findStatement, findStatements, type StatementFilters } from './queries.js';

const PAGE_SIZE = 10;

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** Reads the filters of the query string; a wrong value is dropped with a French message at its field. */
export function parseStatementFilters(
  query: Request['query'],
  family: { id: number }[],
  careTypes: { care_type: string }[],
): { filters: StatementFilters; page: number; values: Record<string, string>; errors: FieldErrors } {
  const values = { beneficiaire: text(query.beneficiaire), du: text(query.du), au: text(query.au), soin: text(query.soin) };
  const errors: FieldErrors = {};
  const filters: StatementFilters = {};
  if (values.beneficiaire) {
    const id = Number(values.beneficiaire);
    if (family.some((b) => b.id === id)) filters.beneficiaryId = id;
    else errors.beneficiaire = 'Ce bénéficiaire ne fait pas partie de votre famille : tous les bénéficiaires sont affichés.';
  }
  for (const [field, key] of [
    ['du', 'from'],
    ['au', 'to'],
  ] as const) {
    if (!values[field]) continue;
    const iso = parseFrenchDate(values[field]);
    if (iso) filters[key] = iso;
    else errors[field] = DATE_MESSAGES.invalid;
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    errors.au = 'La date de fin doit être postérieure à la date de début.';
    delete filters.to;
  }
  if (values.soin) {
    if (careTypes.some((c) => c.care_type === values.soin)) filters.careType = values.soin;
    else errors.soin = "Ce type de soins n'est pas connu : tous les soins sont affichés.";
  }
  const rawPage = text(query.page);
  const page = /^\d{1,6}$/.test(rawPage) && Number(rawPage) >= 1 ? Number(rawPage) : 1;
  return { filters, page, values, errors };
}

function queryString(values: Record<string, string>, page: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

export function showStatements(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const memberId = memberIdOf(req);
    const [family, careTypes] = await Promise.all([familyOf(ctx.db, memberId), careTypesOf(ctx.db, memberId)]);
    const { filters, page, values, errors } = parseStatementFilters(req.query, family, careTypes);
    const { statements, total } = await findStatements(ctx.db, memberId, filters, page, PAGE_SIZE);
    const lines = await findLines(
      ctx.db,
      memberId,
      statements.map((s) => s.id),
      filters,
    );
    const groups = statements.map((statement) => {
      const own = lines.filter((l) => l.statement_id === statement.id);
      const sum = (key: 'frais_reels_cents' | 'ss_amount_cents' | 'complementary_amount_cents' | 'reste_a_charge_cents') => own.reduce((acc, l) => acc + l[key], 0);
      return {
        statement,
        lines: own,
        totals: { frais: sum('frais_reels_cents'), ss: sum('ss_amount_cents'), complementary: sum('complementary_amount_cents'), rac: sum('reste_a_charge_cents') },
      };
    });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    await res.renderPage({
      page: 'assure/statements',
      fragment: 'assure/statements-block',
      layout: 'assure',
      title: 'Mes remboursements',
      locals: {
        family,
        careTypes,
        values,
        errors: Object.keys(errors).length ? errors : undefined,
        groups,
        total,
        page,
        pages,
        previousHref: page > 1 ? `/assure/remboursements${queryString(values, page - 1)}` : null,
        nextHref: page < pages ? `/assure/remboursements${queryString(values, page + 1)}` : null,
      },
    });
  };
}

export function downloadStatementPdf(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const memberId = memberIdOf(req);
    const id = Number(req.params.id);
    const statement = Number.isSafeInteger(id) ? await findStatement(ctx.db, memberId, id) : undefined;
    // Another family's décompte is simply not found.
    if (!statement) throw new HttpError(404);
    const lines = await findLines(ctx.db, memberId, [statement.id], {});
    await statementPdf(ctx.config.brand, req.member!, statement, lines, ctx.clock()).send(res, `decompte-${statement.number}.pdf`);
  };
}

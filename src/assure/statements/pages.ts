// Espace Assuré — Remboursements / décomptes: every line grouped by décompte, filters
// as a GET form (htmx updates the list in place and keeps the URL in sync), pagination by décompte,
// and each décompte as a PDF.
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { parseFrenchDate } from '../../domain/dates.js';
import { HttpError } from '../../middleware/errors.js';
import { sendPdf } from '../../middleware/pdf-download.js';
import { listHref, loadPage, pageInvalidText, pageLinks } from '../../paging.js';
import { positiveId, queryPage, queryText, unsafeQueryErrors, type FieldErrors } from '../../validation.js';
import { memberIdOf } from '../member.js';
import { statementPdf } from './pdf.js';
import {
  careTypesOf,
  countStatements,
  familyOf,
  findLines,
  findStatement,
  findStatements,
  lineMatches,
  type FamilyMember,
  type LineRow,
  type StatementFilters,
  type StatementRow,
} from './queries.js';
import { statementTotals } from './totals.js';

const STATEMENTS_PAGE_SIZE = 10;
const BASE_URL = '/assure/remboursements';

const STATEMENT_FILTER_MESSAGES = {
  beneficiary: 'Ce bénéficiaire ne fait pas partie de votre famille : tous les bénéficiaires sont affichés.',
  date: (label: string) => `La date « ${label} » est invalide (format jj/mm/aaaa) : ce critère n'est pas appliqué.`,
  period: "La date « Au » doit être postérieure ou égale à la date « Du » : la période n'est pas appliquée.",
  careType: "Ce type de soins n'est pas connu : tous les soins sont affichés.",
  page: pageInvalidText,
} as const;

export interface ParsedStatementQuery {
  filters: StatementFilters;
  /** What the member typed, to show back in the form. */
  values: { beneficiaire: string; du: string; au: string; soin: string };
  /** The values that were applied, for the pagination links. */
  applied: Record<string, string>;
  errors: FieldErrors;
  page: number;
  pageError?: string;
}

/** Reads the filters of the query string; a wrong value is not applied and gets a French message at its field. */
function parseStatementQuery(query: Request['query'], family: { id: number }[], careTypes: { care_type: string }[]): ParsedStatementQuery {
  const values = { beneficiaire: queryText(query.beneficiaire), du: queryText(query.du), au: queryText(query.au), soin: queryText(query.soin) };
  const errors: FieldErrors = unsafeQueryErrors(query, Object.keys(values));
  const filters: StatementFilters = {};
  const applied: Record<string, string> = {};
  if (values.beneficiaire) {
    const id = /^\d{1,10}$/.test(values.beneficiaire) ? Number(values.beneficiaire) : NaN;
    if (family.some((b) => b.id === id)) {
      filters.beneficiaryId = id;
      applied.beneficiaire = values.beneficiaire;
    } else errors.beneficiaire = STATEMENT_FILTER_MESSAGES.beneficiary;
  }
  for (const [field, key] of [
    ['du', 'from'],
    ['au', 'to'],
  ] as const) {
    if (!values[field]) continue;
    const iso = parseFrenchDate(values[field]);
    if (iso) {
      filters[key] = iso;
      applied[field] = values[field];
    } else errors[field] = STATEMENT_FILTER_MESSAGES.date(field === 'du' ? 'Du' : 'Au');
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    errors.au = STATEMENT_FILTER_MESSAGES.period;
    delete filters.from;
    delete filters.to;
    delete applied.du;
    delete applied.au;
  }
  if (values.soin) {
    if (careTypes.some((c) => c.care_type === values.soin)) {
      filters.careType = values.soin;
      applied.soin = values.soin;
    } else errors.soin = STATEMENT_FILTER_MESSAGES.careType;
  }
  const { page, invalid } = queryPage(query.page);
  return { filters, values, applied, errors, page, pageError: invalid ? STATEMENT_FILTER_MESSAGES.page : undefined };
}

const hrefOf = listHref(['beneficiaire', 'du', 'au', 'soin']);

function statementsHref(applied: Record<string, string>, page: number): string {
  return hrefOf(BASE_URL, applied, undefined, page);
}

function groupLines(statements: StatementRow[], lines: LineRow[], filters: StatementFilters) {
  const byStatement = new Map<number, LineRow[]>();
  for (const line of lines) {
    const list = byStatement.get(line.statement_id);
    if (list) list.push(line);
    else byStatement.set(line.statement_id, [line]);
  }
  return statements.map((statement) => {
    const all = byStatement.get(statement.id) ?? [];
    const shown = all.filter((l) => lineMatches(l, filters));
    return { statement, lines: shown, lineCount: all.length, totals: statementTotals(all) };
  });
}

export function showStatements(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const memberId = memberIdOf(req);
    const [family, careTypes] = await Promise.all([familyOf(ctx.db, memberId), careTypesOf(ctx.db, memberId)]);
    const parsed = parseStatementQuery(req.query, family, careTypes);
    const { filters, applied } = parsed;
    // The page carries its total; past the last page (no row): count, then show the last page.
    const found = await loadPage(
      parsed.page,
      STATEMENTS_PAGE_SIZE,
      async (p) => {
        const { statements: rows, total } = await findStatements(ctx.db, memberId, filters, p, STATEMENTS_PAGE_SIZE);
        return { rows, total };
      },
      () => countStatements(ctx.db, memberId, filters),
    );
    const { rows: statements, total, page, pages } = found;
    const pageError = found.beyond ?? parsed.pageError;
    const lines = await findLines(
      ctx.db,
      memberId,
      statements.map((s) => s.id),
    );
    const filtered = Boolean(filters.beneficiaryId || filters.careType || filters.from || filters.to);
    await res.renderPage({
      page: 'assure/statements',
      fragment: 'assure/statements-list',
      layout: 'assure',
      title: page > 1 ? `Mes remboursements — page ${page}` : 'Mes remboursements',
      locals: {
        family: family.map((b: FamilyMember) => ({ id: b.id, name: `${b.first_name} ${b.last_name}` })),
        careTypes,
        values: parsed.values,
        errors: Object.keys(parsed.errors).length ? parsed.errors : undefined,
        pageError,
        filtered,
        groups: groupLines(statements, lines, filters),
        total,
        page,
        pages,
        ...pageLinks(page, pages, (p) => statementsHref(applied, p)),
      },
    });
  };
}

export function downloadStatementPdf(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const memberId = memberIdOf(req);
    const raw = String(req.params.id);
    const id = positiveId(raw);
    // Another family's décompte is simply not found.
    const statement = id ? await findStatement(ctx.db, memberId, id) : undefined;
    if (!statement) throw new HttpError(404);
    const lines = await findLines(ctx.db, memberId, [statement.id]);
    await sendPdf(res, statementPdf(ctx.config.brand, req.member!, statement, lines, ctx.clock()), `decompte-${statement.number}.pdf`);
  };
}

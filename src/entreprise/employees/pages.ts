// Espace Entreprise — « Mes salariés » (guide « Zoom sur la rubrique Mes salariés »):
// « Salariés affiliés », the affiliations of the establishments the HR user may see, with the
// filters of the guide as a GET form (htmx updates the list in place and keeps the URL in sync),
// sorting by column, pagination, the CSV export of the filtered list, and one page per employee
// with the history of their affiliations. The NIR is masked everywhere; « Afficher » reveals one,
// audited without the number.
import { wantsFragment } from '../../middleware/render.js';
import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { requestOrigin } from '../../auth/session.js';
import { rememberedNir, rememberNir } from '../../nir-searches.js';
import { recordAudit } from '../../stores/audit.js';
import { formatDateFr, isoToday } from '../../domain/dates.js';
import { professionalStatusLabels, type ProfessionalStatus } from '../../domain/affiliation-requests.js';
import { CONTRACT_STATUSES, CONTRACT_STATUS_LABELS, contractOptionLabels, contractStatus, type ContractStatus } from '../../domain/employee-status.js';
import { nameSearchKey } from '../../domain/name-search.js';
import { formatNir, hasNirShape, maskNir, normalizeNir, validateNir } from '../../domain/nir.js';
import { HttpError } from '../../middleware/errors.js';
import { listHref, loadPage, pageInvalidText, pageLinks, sortLink } from '../../paging.js';
import { positiveId, queryPage, queryText, returnAddress, unsafeQueryErrors, type FieldErrors } from '../../validation.js';
import { establishmentOptions, findVisibleEstablishment, type VisibleEstablishment } from '../queries.js';
import { ESTABLISHMENTS_PAST_CAP_HINT, siretFieldInstead } from '../establishment-filter.js';
import {
  EMPLOYEE_SORTS,
  countEmployees,
  employeeVisible,
  findContracts,
  findEmployeeHistory,
  findEmployeeIds,
  findEmployeePage,
  findEmployeesByIds,
  findMemberIdentity,
  type EmployeeFilters,
  type EmployeeRow,
  type EmployeeSort,
  type SortOrder,
} from './queries.js';

declare module 'express-session' {
  interface SessionData {
    /** The employee whose NIR the next GET of a « Mes salariés » page shows in full (JS off), once. */
    revealedEmployeeNir?: number;
  }
}

const EMPLOYEES_PAGE_SIZE = 25;
const BASE = '/entreprise/salaries';
const TITLE = 'Salariés affiliés';
/** The CSV export reads the rows by chunks of this many: memory stays flat whatever the list's size. */
const EXPORT_CHUNK = 500;

export const EMPLOYEE_TEXTS = {
  siren: "Ce SIREN ne fait pas partie des entreprises que vous suivez : ce critère n'est pas appliqué.",
  siret: "Ce SIRET ne fait pas partie des établissements que vous suivez : ce critère n'est pas appliqué.",
  siretOtherCompany: "Ce SIRET n'appartient pas à l'entreprise choisie (SIREN) : ce critère n'est pas appliqué.",
  establishment: "Cet établissement ne fait pas partie de ceux que vous suivez : ce critère n'est pas appliqué.",
  establishmentOtherCompany: "Cet établissement n'appartient pas à l'entreprise choisie (SIREN) : ce critère n'est pas appliqué.",
  establishmentOtherSiret: "Cet établissement ne correspond pas au SIRET choisi : ce critère n'est pas appliqué.",
  status: "Ce statut du contrat n'est pas connu : ce critère n'est pas appliqué.",
  professionalStatus: "Ce statut professionnel n'est pas connu : ce critère n'est pas appliqué.",
  contract: "Ce contrat ne fait pas partie de ceux de vos entreprises : ce critère n'est pas appliqué.",
  insured: 'Saisissez le début du nom (ou du prénom) du salarié, ou son numéro de Sécurité sociale (13 ou 15 chiffres).',
  insuredNir: (message: string) => `${message} Ce critère n'est pas appliqué.`,
  sort: "Ce tri n'est pas connu : la liste est triée par nom.",
  page: pageInvalidText,
} as const;

const SORT_LABELS: Record<EmployeeSort, string> = {
  etablissement: 'Etablissement',
  statut: 'Statut professionnel',
  nom: 'Nom et prénom',
  contrat: 'Contrat',
  effet: "Date d'effet",
  fin: 'Date de fin',
};

const FILTER_KEYS = ['siren', 'siret', 'etablissement', 'statut', 'statut_professionnel', 'contrat', 'assure'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

export interface EmployeeQuery {
  filters: EmployeeFilters;
  /** What the user typed or chose, shown back in the form. */
  values: Record<FilterKey, string>;
  /** The criteria that were applied, for the sorting, pagination and export links. */
  applied: Partial<Record<FilterKey, string>>;
  /** A NIR was typed in « Assuré »: the address must be replaced by one naming its reference. */
  nirTyped: boolean;
  /** The contracts of the « Contrat » list. */
  contracts: Awaited<ReturnType<typeof findContracts>>;
  errors: FieldErrors;
  sort: EmployeeSort;
  order: SortOrder;
  page: number;
  pageError?: string;
  /** The company whose establishments and contracts the selects offer (null: all of them). */
  optionsCompanyId: number | null;
  /** The establishment the filter applies, named by SIRET or id. */
  establishment?: VisibleEstablishment;
  companies: { id: number; name: string; siren: string }[];
}

/**
 * Reads the filters of the query string. Every choice is checked against what the user may see:
 * a wrong value (unknown id, another company's SIRET, garbage) is not applied and gets a French
 * message at its field — another company's establishment reads exactly like an unknown one.
 */
async function parseEmployeeQuery(ctx: AppContext, req: Request): Promise<EmployeeQuery> {
  const accountId = req.account!.id;
  // The search form is POSTed (so a NIR typed never travels in an address); links use GET.
  const query = ((req.method === 'POST' ? req.body : req.query) ?? {}) as Record<string, unknown>;
  const values = Object.fromEntries(FILTER_KEYS.map((k) => [k, queryText(query[k], 100)])) as Record<FilterKey, string>;
  const errors: FieldErrors = unsafeQueryErrors(query, FILTER_KEYS);
  const filters: EmployeeFilters = {};
  const applied: Partial<Record<FilterKey, string>> = {};
  // The companies of the user's active habilitations (loaded with the session).
  const companies = (req.hrCompanies ?? []).map((c) => ({ id: c.id, name: c.name, siren: c.siren }));

  if (values.siren) {
    const company = companies.find((c) => c.siren === values.siren.replace(/\s/g, ''));
    if (company) {
      filters.companyId = company.id;
      applied.siren = company.siren;
    } else errors.siren = EMPLOYEE_TEXTS.siren;
  }
  let chosen: VisibleEstablishment | undefined;
  if (values.siret) {
    const siret = values.siret.replace(/\s/g, '');
    const establishment = /^\d{14}$/.test(siret) ? await findVisibleEstablishment(ctx.db, accountId, { siret }) : undefined;
    if (!establishment) errors.siret = EMPLOYEE_TEXTS.siret;
    else if (filters.companyId && establishment.company_id !== filters.companyId) errors.siret = EMPLOYEE_TEXTS.siretOtherCompany;
    else {
      chosen = establishment;
      applied.siret = establishment.siret;
    }
  }
  if (values.etablissement) {
    const id = positiveId(values.etablissement);
    const establishment = id ? await findVisibleEstablishment(ctx.db, accountId, { id }) : undefined;
    if (!establishment) errors.etablissement = EMPLOYEE_TEXTS.establishment;
    else if (filters.companyId && establishment.company_id !== filters.companyId) errors.etablissement = EMPLOYEE_TEXTS.establishmentOtherCompany;
    else if (chosen && chosen.id !== establishment.id) errors.etablissement = EMPLOYEE_TEXTS.establishmentOtherSiret;
    else {
      chosen = establishment;
      applied.etablissement = String(establishment.id);
    }
  }
  if (chosen) filters.establishmentIds = [chosen.id];
  const optionsCompanyId = filters.companyId ?? chosen?.company_id ?? (companies.length === 1 ? companies[0].id : null);

  if (values.statut) {
    if ((CONTRACT_STATUSES as string[]).includes(values.statut)) {
      filters.status = values.statut as ContractStatus;
      applied.statut = values.statut;
    } else errors.statut = EMPLOYEE_TEXTS.status;
  }
  if (values.statut_professionnel) {
    if (Object.hasOwn(professionalStatusLabels, values.statut_professionnel)) {
      filters.professionalStatus = values.statut_professionnel as ProfessionalStatus;
      applied.statut_professionnel = values.statut_professionnel;
    } else errors.statut_professionnel = EMPLOYEE_TEXTS.professionalStatus;
  }
  // The contracts the « Contrat » list offers: read once, for checking the choice and for the list.
  const contracts = await findContracts(ctx.db, accountId, optionsCompanyId);
  if (values.contrat) {
    const id = positiveId(values.contrat);
    const contract = id ? contracts.find((k) => k.id === id) : undefined;
    if (contract) {
      filters.contractId = contract.id;
      applied.contrat = String(contract.id);
    } else errors.contrat = EMPLOYEE_TEXTS.contract;
  }
  let nirTyped = false;
  if (values.assure) {
    const compact = normalizeNir(values.assure);
    const remembered = rememberedNir(req, values.assure);
    if (remembered) {
      // A NIR searched earlier in this session, named by its reference (never by itself in a URL).
      filters.nir = remembered;
      applied.assure = values.assure;
      values.assure = formatNir(remembered);
    } else if (/\d/.test(compact)) {
      // Digits: a NIR (13 characters, or 15 with the key), spaces allowed; never a name.
      const nir = hasNirShape(compact) ? validateNir(compact) : null;
      if (nir?.ok) {
        filters.nir = nir.full15;
        applied.assure = rememberNir(req, nir.full15);
        nirTyped = true;
      } else errors.assure = nir ? EMPLOYEE_TEXTS.insuredNir(nir.error) : EMPLOYEE_TEXTS.insured;
    } else {
      const key = nameSearchKey(values.assure);
      if (key) {
        filters.nameKey = key;
        applied.assure = values.assure;
      } else errors.assure = EMPLOYEE_TEXTS.insured;
    }
  }

  let sort: EmployeeSort = 'nom';
  let order: SortOrder = 'asc';
  let pageError: string | undefined;
  const rawSort = queryText(query.tri, 20);
  const rawOrder = queryText(query.ordre, 10);
  if (rawSort || rawOrder) {
    if ((EMPLOYEE_SORTS as readonly string[]).includes(rawSort || 'nom') && ['', 'asc', 'desc'].includes(rawOrder)) {
      sort = (rawSort || 'nom') as EmployeeSort;
      order = rawOrder === 'desc' ? 'desc' : 'asc';
    } else pageError = EMPLOYEE_TEXTS.sort;
  }
  const { page, invalid } = queryPage(query.page);
  if (invalid) pageError = pageError ? `${pageError} ${EMPLOYEE_TEXTS.page}` : EMPLOYEE_TEXTS.page;
  return { filters, values, applied, errors, sort, order, page, pageError, optionsCompanyId, companies, contracts, nirTyped, establishment: chosen };
}

const hrefOf = listHref<EmployeeSort>(FILTER_KEYS, { column: 'nom', order: 'asc' });

/** The list's URL with these criteria, sort and page (defaults left out). */
function employeesHref(path: string, applied: EmployeeQuery['applied'], sort: EmployeeSort, order: SortOrder, page = 1): string {
  return hrefOf(path, applied, { column: sort, order }, page);
}

function employeeView(row: EmployeeRow, today: string, revealedMemberId: number | undefined) {
  const status = contractStatus(row.start_date, row.end_date, today);
  const revealed = row.member_id === revealedMemberId;
  return {
    affiliationId: row.affiliation_id,
    memberId: row.member_id,
    name: `${row.last_name.toUpperCase()} ${row.first_name}`,
    establishment: row.establishment_name,
    siret: row.siret,
    professionalStatus: professionalStatusLabels[row.professional_status] ?? row.professional_status,
    contract: row.contract_label,
    startDate: row.start_date,
    endDate: row.end_date,
    status: CONTRACT_STATUS_LABELS[status],
    nir: revealed ? formatNir(row.nir) : maskNir(row.nir),
    revealed,
  };
}

async function filterOptions(ctx: AppContext, accountId: number, parsed: EmployeeQuery) {
  const listed = await establishmentOptions(ctx.db, accountId, parsed.optionsCompanyId);
  const contracts = parsed.contracts;
  const companyName = new Map(parsed.companies.map((c) => [c.id, c.name]));
  const labels = contractOptionLabels(contracts, companyName);
  const byCompany = new Map<number, { company: string; contracts: { id: number; label: string }[] }>();
  for (const k of contracts) {
    const group = byCompany.get(k.company_id) ?? { company: companyName.get(k.company_id) ?? '', contracts: [] };
    group.contracts.push({ id: k.id, label: labels.get(k.id) ?? k.label });
    byCompany.set(k.company_id, group);
  }
  return {
    companies: parsed.companies,
    /** null past ESTABLISHMENT_OPTIONS_MAX: a SIRET field instead of the selects. */
    establishments: listed,
    establishmentsHint: listed ? null : ESTABLISHMENTS_PAST_CAP_HINT,
    contractGroups: [...byCompany.values()].sort((a, b) => a.company.localeCompare(b.company, 'fr')),
    contractStatuses: CONTRACT_STATUSES.map((s) => ({ value: s, label: CONTRACT_STATUS_LABELS[s] })),
    professionalStatuses: Object.entries(professionalStatusLabels).map(([value, label]) => ({ value, label })),
  };
}

function takeRevealed(req: Request): number | undefined {
  const revealed = req.session.revealedEmployeeNir;
  if (revealed !== undefined) delete req.session.revealedEmployeeNir;
  return revealed;
}

export function showEmployees(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const accountId = req.account!.id;
    const today = isoToday(ctx.clock);
    const parsed = await parseEmployeeQuery(ctx, req);
    const { filters, applied, sort, order } = parsed;
    // A search is POSTed, then answered at its GET address (a NIR named by its reference).
    const posted = req.method === 'POST';
    if (parsed.nirTyped || (posted && !Object.keys(parsed.errors).length)) {
      const safe = employeesHref(BASE, applied, sort, order, parsed.page);
      if (!req.isHtmx) {
        res.redirect(303, safe);
        return;
      }
      res.set('HX-Push-Url', safe);
    } else if (posted && req.isHtmx) {
      res.set('HX-Push-Url', 'false');
    }
    const pageOf = (p: number) =>
      findEmployeePage(ctx.db, accountId, filters, today, { sort, order, limit: EMPLOYEES_PAGE_SIZE, offset: (p - 1) * EMPLOYEES_PAGE_SIZE });
    // The page carries its total; past the end (no row) a count, then the last page, said so.
    const [found, options] = await Promise.all([
      loadPage(parsed.page, EMPLOYEES_PAGE_SIZE, pageOf, () => countEmployees(ctx.db, accountId, filters, today)),
      filterOptions(ctx, accountId, parsed),
    ]);
    const { rows, total, page, pages } = found;
    const pageError = found.beyond ?? parsed.pageError;
    const { values, errors } = options.establishments ? parsed : siretFieldInstead(parsed.values, parsed.errors, parsed.establishment);
    const revealed = takeRevealed(req);
    await res.renderPage({
      page: 'entreprise/employees',
      fragment: 'entreprise/employees-list',
      layout: 'entreprise',
      title: page > 1 ? `${TITLE} — page ${page}` : TITLE,
      locals: {
        ...options,
        values,
        errors: Object.keys(errors).length ? errors : undefined,
        pageError,
        filtered: Object.keys(applied).length > 0,
        employees: rows.map((r) => employeeView(r, today, revealed)),
        total,
        page,
        pages,
        ...pageLinks(page, pages, (p) => employeesHref(BASE, applied, sort, order, p)),
        exportHref: employeesHref(`${BASE}/export.csv`, applied, sort, order),
        columns: EMPLOYEE_SORTS.map((key) => {
          const { href, ariaSort } = sortLink(key, { column: sort, order }, (s) => hrefOf(BASE, applied, s));
          return { key, label: SORT_LABELS[key], ariaSort, href };
        }),
      },
    });
  };
}

const CSV_COLUMNS = [
  'Etablissement',
  'SIRET',
  'Statut professionnel',
  'Nom',
  'Prénom',
  'Numéro de Sécurité sociale',
  'Contrat',
  "Date d'effet",
  'Date de fin',
  'Statut du contrat',
];

/**
 * « Exporter (CSV) »: the filtered list, every page, for French Excel (`;`, UTF-8 with BOM, CRLF,
 * dates jj/mm/aaaa). The ids come first in the list's order, then the rows by chunks, so neither
 * 50,000 rows in memory nor the database held for the whole download. The NIR is masked exactly
 * as on screen: a file of every number in clear would defeat the audited, one-at-a-time reveal.
 */
export function exportEmployees(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const accountId = req.account!.id;
    const today = isoToday(ctx.clock);
    const parsed = await parseEmployeeQuery(ctx, req);
    if (parsed.nirTyped) {
      // The export of a NIR search too is reached by its reference only.
      res.redirect(303, employeesHref(`${BASE}/export.csv`, parsed.applied, parsed.sort, parsed.order));
      return;
    }
    const ids = await findEmployeeIds(ctx.db, accountId, parsed.filters, today, parsed.sort, parsed.order);
    async function* records() {
      for (let i = 0; i < ids.length; i += EXPORT_CHUNK) {
        const chunk = ids.slice(i, i + EXPORT_CHUNK);
        const byId = new Map((await findEmployeesByIds(ctx.db, accountId, chunk)).map((r) => [r.affiliation_id, r]));
        for (const id of chunk) {
          const row = byId.get(id);
          if (!row) continue; // Left the perimeter while the file was being written.
          yield [
            row.establishment_name,
            row.siret,
            professionalStatusLabels[row.professional_status] ?? row.professional_status,
            row.last_name,
            row.first_name,
            maskNir(row.nir),
            row.contract_label,
            formatDateFr(row.start_date),
            row.end_date ? formatDateFr(row.end_date) : '',
            CONTRACT_STATUS_LABELS[contractStatus(row.start_date, row.end_date, today)],
          ];
        }
      }
    }
    const stringifier = stringify({ bom: true, delimiter: ';', record_delimiter: 'windows', escape_formulas: true, header: true, columns: CSV_COLUMNS });
    res.set('Content-Type', 'text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="salaries-${today}.csv"`);
    pipeline(Readable.from(records()), stringifier, res, (err) => {
      if (!err) return;
      // The client left mid-download (tab closed, timeout: npm run load saw it under load): the
      // pipeline has already stopped reading; not a failure of the portal.
      if ((err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') {
        req.log?.info('employee export abandoned by the client');
        return;
      }
      // Headers are gone: ending the connection makes the download fail instead of a short file.
      req.log?.error({ err }, 'employee export failed');
      res.destroy(err);
    });
  };
}

function memberIdParam(req: Request): number {
  const id = positiveId(String(req.params.memberId));
  if (!id) throw new HttpError(404);
  return id;
}

/** The employee of the URL with their affiliations in the visible establishments; 404 when there is none. */
/** The identity of an employee the user may see (the NIR reveal needs no history); 404 otherwise. */
async function loadVisibleIdentity(ctx: AppContext, req: Request) {
  const memberId = memberIdParam(req);
  const identity = (await employeeVisible(ctx.db, req.account!.id, memberId)) ? await findMemberIdentity(ctx.db, memberId) : undefined;
  if (!identity) throw new HttpError(404);
  return identity;
}

async function loadEmployee(ctx: AppContext, req: Request) {
  const memberId = memberIdParam(req);
  const history = await findEmployeeHistory(ctx.db, req.account!.id, memberId);
  const identity = history.length ? await findMemberIdentity(ctx.db, memberId) : undefined;
  if (!identity) throw new HttpError(404);
  return { identity, history };
}

function nirCell(identity: { id: number; nir: string; first_name: string; last_name: string }, revealed: boolean, cell: string, back: string) {
  return {
    memberId: identity.id,
    name: `${identity.last_name.toUpperCase()} ${identity.first_name}`,
    nir: revealed ? formatNir(identity.nir) : maskNir(identity.nir),
    revealed,
    cell,
    back,
  };
}

export function showEmployee(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const { identity, history } = await loadEmployee(ctx, req);
    const today = isoToday(ctx.clock);
    const href = `${BASE}/${identity.id}`;
    const latest = history[0];
    await res.renderPage({
      page: 'entreprise/employee',
      layout: 'entreprise',
      title: `${identity.first_name} ${identity.last_name}`,
      locals: {
        employee: {
          name: `${identity.last_name.toUpperCase()} ${identity.first_name}`,
          birthDate: identity.birth_date,
          establishment: latest.establishment_name,
          siret: latest.siret,
          company: latest.company_name,
        },
        nirCell: nirCell(identity, takeRevealed(req) === identity.id, 'nir-salarie', href),
        history: history.map((a) => ({
          establishment: a.establishment_name,
          siret: a.siret,
          professionalStatus: professionalStatusLabels[a.professional_status] ?? a.professional_status,
          contract: a.contract_label,
          reference: a.contract_reference,
          startDate: a.start_date,
          endDate: a.end_date,
          status: CONTRACT_STATUS_LABELS[contractStatus(a.start_date, a.end_date, today)],
        })),
      },
    });
  };
}

/** « Afficher »: audited (who, which employee — never the number), then the number in full. */
export function revealEmployeeNir(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const identity = await loadVisibleIdentity(ctx, req);
    const detail = { memberId: identity.id, space: 'entreprise' };
    await recordAudit(ctx.db, ctx.clock(), { event: 'nir_revealed', accountId: req.account!.id, accountKind: 'hr', ...requestOrigin(req), detail });
    const body = (req.body ?? {}) as Record<string, unknown>;
    const back = returnAddress(body.retour, BASE, `${BASE}/${identity.id}`);
    if (wantsFragment(req)) {
      const cell = typeof body.cellule === 'string' && /^nir-[a-z0-9-]{1,40}$/.test(body.cellule) ? body.cellule : 'nir-salarie';
      await res.renderPage({
        page: 'entreprise/employee',
        fragment: 'entreprise/employee-nir',
        layout: 'entreprise',
        title: TITLE,
        locals: { n: nirCell(identity, true, cell, back) },
      });
      return;
    }
    // Without JS: POST → 303 → GET, the page showing this number once (kept in the session, never in the URL).
    req.session.revealedEmployeeNir = identity.id;
    res.redirect(303, back);
  };
}

// « Entreprises » (Espace Gestion): the insurer's client companies. Staff search them (name with
// accents folded, SIREN, identifiant entreprise), create and edit one — its « Identifiant
// entreprise » generated (src/domain/company-identifiers.ts) — its establishments (SIRET within the
// SIREN, « code identifiant » generated), its contracts and each contract's guarantee table, a new
// version of which takes effect on a date without rewriting the earlier ones
// (db/migrations/20261206100000_guarantee_versions.ts), and print the activation letter (letter.ts).
// Plain forms (POST → 303 → GET); a refused form comes back with its messages and what was typed.
// Every change is written with its audit line in one transaction.
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db.js';
import { isUniqueViolation } from '../../db.js';
import { requestOrigin } from '../../auth/session.js';
import { newIdentifier } from '../../domain/company-identifiers.js';
import { addDays, formatDateFr, isoToday } from '../../domain/dates.js';
import { formatEuros } from '../../domain/money.js';
import { nameSearchKey } from '../../domain/name-search.js';
import { formatSiret } from '../../domain/siret.js';
import type { AuditEvent } from '../../domain/audit.js';
import { HttpError } from '../../middleware/errors.js';
import { sendPdf } from '../../middleware/pdf-download.js';
import { messages } from '../../messages.js';
import { clampPage, pageInvalidText, pageLinks } from '../../paging.js';
import { recordAudit } from '../../stores/audit.js';
import { keptValues, positiveId, queryPage, queryText, unsafeQueryErrors, type FieldErrors } from '../../validation.js';
import {
  COMPANY_TEXTS,
  blankLine,
  checkCompanyForm,
  checkContractForm,
  checkEstablishmentForm,
  checkGuaranteeForm,
  typedLines,
  type LineValues,
} from './forms.js';
import { activationLetterPdf } from './letter.js';
import * as q from './queries.js';

const BASE = '/gestion/entreprises';
const PAGE_SIZE = 25;
/** Blank lines offered after the typed ones, and added by « Ajouter une ligne ». */
const BLANK_LINES = 3;

const COMPANY_FLASH = {
  companyCreated: (name: string, id: string) => `L'entreprise ${name} est créée. Son identifiant entreprise : ${id}.`,
  companyUpdated: "Les informations de l'entreprise sont enregistrées.",
  establishmentCreated: (code: string) => `L'établissement est créé. Son code identifiant : ${code}.`,
  establishmentUpdated: "Les informations de l'établissement sont enregistrées.",
  contractCreated: 'Le contrat est créé. Saisissez maintenant ses garanties.',
  contractUpdated: 'Le contrat est enregistré.',
  guaranteesSaved: (from: string) => `Les garanties sont enregistrées à compter du ${formatDateFr(from)}.`,
} as const;

type Origin = { accountId: number; ip: string; userAgent: string | undefined };
function origin(req: Request): Origin {
  return { accountId: req.account!.id, ...requestOrigin(req) };
}

async function audit(db: Db, now: Date, who: Origin, event: AuditEvent, detail: Record<string, string | number | boolean | null>) {
  await recordAudit(db, now, { event, accountId: who.accountId, accountKind: 'staff', ip: who.ip, userAgent: who.userAgent, detail });
}

function companyHref(id: number) {
  return `${BASE}/${id}`;
}

// ------------------------------------------------------------------ list and search
/** A company matches when the search is in its name (accents and case folded), its SIREN (spaces ignored) or its identifiant. */
function matches(company: q.CompanyListRow, search: string): boolean {
  const folded = nameSearchKey(search);
  const compact = search.replace(/[\s.]/g, '').toUpperCase();
  return (
    nameSearchKey(company.name).includes(folded) ||
    (/^\d+$/.test(compact) && company.siren.includes(compact)) ||
    (compact.length >= 3 && company.insurer_company_number.toUpperCase().includes(compact))
  );
}

function listHref(search: string, page = 1) {
  const params = new URLSearchParams();
  if (search) params.set('recherche', search);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `${BASE}?${query}` : BASE;
}

export function showList(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const errors: FieldErrors = unsafeQueryErrors(req.query, ['recherche']);
    const search = queryText(req.query.recherche, 100);
    const all = await q.allCompanies(ctx.db);
    const found = search ? all.filter((c) => matches(c, search)) : all;
    const asked = queryPage(req.query.page);
    const { page, pages, beyond } = clampPage(asked.page, found.length, PAGE_SIZE);
    await res.renderPage({
      page: 'gestion/companies',
      fragment: 'gestion/companies-list',
      layout: 'gestion',
      title: 'Entreprises clientes',
      status: Object.keys(errors).length ? 422 : 200,
      locals: {
        values: { recherche: search },
        errors: Object.keys(errors).length ? errors : undefined,
        total: found.length,
        page,
        pages,
        pageError: beyond ?? (asked.invalid ? pageInvalidText : null),
        ...pageLinks(page, pages, (p) => listHref(search, p)),
        rows: found.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((c) => ({ ...c, href: companyHref(c.id) })),
      },
    });
  };
}

// ------------------------------------------------------------------ a company
async function loadCompany(ctx: AppContext, req: Request): Promise<q.CompanyRow> {
  const id = positiveId(req.params.id);
  const company = id ? await q.companyById(ctx.db, id) : undefined;
  if (!company) throw new HttpError(404);
  return company;
}

function companyValues(c: q.CompanyRow): Record<string, string> {
  return { nom: c.name, siren: c.siren, adresse: c.address_line, code_postal: c.postal_code, ville: c.city };
}

async function renderCompanyForm(
  res: Response,
  company: q.CompanyRow | null,
  options: { status?: number; errors?: FieldErrors; values?: Record<string, string> } = {},
) {
  await res.renderPage({
    page: 'gestion/company-form',
    layout: 'gestion',
    title: company ? `Modifier l'entreprise ${company.name}` : 'Créer une entreprise cliente',
    status: options.status,
    locals: {
      base: BASE,
      company,
      action: company ? `${companyHref(company.id)}/modifier` : `${BASE}/nouvelle`,
      cancelHref: company ? companyHref(company.id) : BASE,
      errors: options.errors ?? {},
      values: options.values ?? (company ? companyValues(company) : {}),
    },
  });
}

export function showNewCompany() {
  return async (_req: Request, res: Response) => renderCompanyForm(res, null);
}

export function createCompany(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const checked = checkCompanyForm(req.body);
    if (!checked.ok) return renderCompanyForm(res, null, { status: 422, errors: checked.errors, values: keptValues(req.body) });
    const now = ctx.clock();
    const who = origin(req);
    // The identifiant is unique by index: a taken one (or a SIREN entered meanwhile) is retried or said.
    for (let attempt = 0; ; attempt++) {
      const identifier = newIdentifier(randomBytes);
      try {
        const id = await ctx.db.transaction(async (trx) => {
          const id = await q.insertCompany(trx, checked.fields, identifier, now.toISOString());
          await audit(trx, now, who, 'company_created', { company: id });
          return id;
        });
        return res.redirectWithFlash(companyHref(id), COMPANY_FLASH.companyCreated(checked.fields.name, identifier));
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        if (await sirenTaken(ctx.db, checked.fields.siren)) {
          return renderCompanyForm(res, null, { status: 422, errors: { siren: COMPANY_TEXTS.sirenTaken }, values: keptValues(req.body) });
        }
        if (attempt >= 5) throw err;
      }
    }
  };
}

async function sirenTaken(db: Db, siren: string, exceptId?: number): Promise<boolean> {
  const row = await db('companies').where({ siren }).first('id');
  return Boolean(row && row.id !== exceptId);
}

export function showCompany(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const company = await loadCompany(ctx, req);
    const [establishments, contracts] = await Promise.all([q.establishmentsOf(ctx.db, company.id), q.contractsOf(ctx.db, company.id)]);
    await res.renderPage({
      page: 'gestion/company',
      layout: 'gestion',
      title: company.name,
      locals: {
        base: BASE,
        company,
        href: companyHref(company.id),
        establishments: establishments.map((e) => ({
          ...e,
          siretDisplay: formatSiret(e.siret),
          editHref: `${companyHref(company.id)}/etablissements/${e.id}/modifier`,
        })),
        contracts: contracts.map((k) => ({
          ...k,
          href: `${companyHref(company.id)}/contrats/${k.id}`,
          collegeLabel: messages.colleges[k.college as keyof typeof messages.colleges] ?? k.college,
        })),
      },
    });
  };
}

export function showEditCompany(ctx: AppContext) {
  return async (req: Request, res: Response) => renderCompanyForm(res, await loadCompany(ctx, req));
}

export function updateCompany(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const company = await loadCompany(ctx, req);
    const checked = checkCompanyForm(req.body);
    const refuse = (errors: FieldErrors) => renderCompanyForm(res, company, { status: 422, errors, values: keptValues(req.body) });
    if (!checked.ok) return refuse(checked.errors);
    if (checked.fields.siren !== company.siren) {
      if ((await q.establishmentsOf(ctx.db, company.id)).length) return refuse({ siren: COMPANY_TEXTS.sirenHasEstablishments });
      if (await sirenTaken(ctx.db, checked.fields.siren, company.id)) return refuse({ siren: COMPANY_TEXTS.sirenTaken });
    }
    const now = ctx.clock();
    try {
      await ctx.db.transaction(async (trx) => {
        await q.updateCompany(trx, company.id, checked.fields);
        await audit(trx, now, origin(req), 'company_updated', { company: company.id });
      });
    } catch (err) {
      if (isUniqueViolation(err)) return refuse({ siren: COMPANY_TEXTS.sirenTaken });
      throw err;
    }
    res.redirectWithFlash(companyHref(company.id), COMPANY_FLASH.companyUpdated);
  };
}

export function downloadLetter(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const company = await loadCompany(ctx, req);
    const establishments = await q.establishmentsOf(ctx.db, company.id);
    const now = ctx.clock();
    await audit(ctx.db, now, origin(req), 'activation_letter_printed', { company: company.id });
    await sendPdf(
      res,
      activationLetterPdf(ctx.config.brand, ctx.config.publicUrl, company, establishments, now),
      `lettre-activation-${company.insurer_company_number}.pdf`,
    );
  };
}

// ------------------------------------------------------------------ establishments
async function renderEstablishmentForm(
  res: Response,
  company: q.CompanyRow,
  establishment: q.EstablishmentRow | null,
  options: { status?: number; errors?: FieldErrors; values?: Record<string, string> } = {},
) {
  await res.renderPage({
    page: 'gestion/establishment-form',
    layout: 'gestion',
    title: establishment ? `Modifier l'établissement ${establishment.name}` : 'Ajouter un établissement',
    status: options.status,
    locals: {
      base: BASE,
      company,
      companyHref: companyHref(company.id),
      establishment,
      action: establishment ? `${companyHref(company.id)}/etablissements/${establishment.id}/modifier` : `${companyHref(company.id)}/etablissements/nouveau`,
      errors: options.errors ?? {},
      values:
        options.values ??
        (establishment
          ? {
              nom: establishment.name,
              siret: establishment.siret,
              adresse: establishment.address_line,
              code_postal: establishment.postal_code,
              ville: establishment.city,
            }
          : { siret: company.siren, adresse: company.address_line, code_postal: company.postal_code, ville: company.city }),
    },
  });
}

async function loadEstablishment(ctx: AppContext, req: Request, company: q.CompanyRow) {
  const id = positiveId(req.params.establishmentId);
  const establishment = id ? await q.establishmentOf(ctx.db, company.id, id) : undefined;
  if (!establishment) throw new HttpError(404);
  return establishment;
}

export function showNewEstablishment(ctx: AppContext) {
  return async (req: Request, res: Response) => renderEstablishmentForm(res, await loadCompany(ctx, req), null);
}

export function createEstablishment(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const company = await loadCompany(ctx, req);
    const checked = checkEstablishmentForm(req.body, company.siren);
    const refuse = (errors: FieldErrors) => renderEstablishmentForm(res, company, null, { status: 422, errors, values: keptValues(req.body) });
    if (!checked.ok) return refuse(checked.errors);
    if (await q.siretTaken(ctx.db, checked.fields.siret)) return refuse({ siret: COMPANY_TEXTS.siretTaken });
    let code = newIdentifier(randomBytes);
    while (await q.establishmentCodeTaken(ctx.db, code)) code = newIdentifier(randomBytes);
    const now = ctx.clock();
    try {
      await ctx.db.transaction(async (trx) => {
        const id = await q.insertEstablishment(trx, company.id, checked.fields, code, now.toISOString());
        await audit(trx, now, origin(req), 'establishment_created', { company: company.id, establishment: id });
      });
    } catch (err) {
      if (isUniqueViolation(err)) return refuse({ siret: COMPANY_TEXTS.siretTaken });
      throw err;
    }
    res.redirectWithFlash(companyHref(company.id), COMPANY_FLASH.establishmentCreated(code));
  };
}

export function showEditEstablishment(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const company = await loadCompany(ctx, req);
    await renderEstablishmentForm(res, company, await loadEstablishment(ctx, req, company));
  };
}

export function updateEstablishment(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const company = await loadCompany(ctx, req);
    const establishment = await loadEstablishment(ctx, req, company);
    const checked = checkEstablishmentForm(req.body, company.siren);
    const refuse = (errors: FieldErrors) => renderEstablishmentForm(res, company, establishment, { status: 422, errors, values: keptValues(req.body) });
    if (!checked.ok) return refuse(checked.errors);
    if (await q.siretTaken(ctx.db, checked.fields.siret, establishment.id)) return refuse({ siret: COMPANY_TEXTS.siretTaken });
    const now = ctx.clock();
    try {
      await ctx.db.transaction(async (trx) => {
        await q.updateEstablishment(trx, company.id, establishment.id, checked.fields);
        await audit(trx, now, origin(req), 'establishment_updated', { company: company.id, establishment: establishment.id });
      });
    } catch (err) {
      if (isUniqueViolation(err)) return refuse({ siret: COMPANY_TEXTS.siretTaken });
      throw err;
    }
    res.redirectWithFlash(companyHref(company.id), COMPANY_FLASH.establishmentUpdated);
  };
}

// ------------------------------------------------------------------ contracts
const collegeChoices = () => Object.entries(messages.colleges);

async function loadContract(ctx: AppContext, req: Request, company: q.CompanyRow) {
  const id = positiveId(req.params.contractId);
  const contract = id ? await q.contractOf(ctx.db, company.id, id) : undefined;
  if (!contract) throw new HttpError(404);
  return contract;
}

function contractValues(k: q.ContractRow): Record<string, string> {
  return {
    reference: k.reference,
    libelle: k.label,
    college: k.college,
    formule: k.formula,
    options: k.options ?? '',
    date_effet: formatDateFr(k.start_date),
    date_fin: k.end_date ? formatDateFr(k.end_date) : '',
  };
}

async function renderContractForm(
  res: Response,
  company: q.CompanyRow,
  contract: q.ContractRow | null,
  options: { status?: number; errors?: FieldErrors; values?: Record<string, string> } = {},
) {
  await res.renderPage({
    page: 'gestion/contract-form',
    layout: 'gestion',
    title: contract ? `Modifier le contrat ${contract.reference}` : 'Ajouter un contrat',
    status: options.status,
    locals: {
      base: BASE,
      company,
      companyHref: companyHref(company.id),
      contract,
      action: contract ? `${companyHref(company.id)}/contrats/${contract.id}/modifier` : `${companyHref(company.id)}/contrats/nouveau`,
      collegeChoices: collegeChoices(),
      errors: options.errors ?? {},
      values: options.values ?? (contract ? contractValues(contract) : {}),
    },
  });
}

export function showNewContract(ctx: AppContext) {
  return async (req: Request, res: Response) => renderContractForm(res, await loadCompany(ctx, req), null);
}

export function createContract(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const company = await loadCompany(ctx, req);
    const checked = checkContractForm(req.body);
    const refuse = (errors: FieldErrors) => renderContractForm(res, company, null, { status: 422, errors, values: keptValues(req.body) });
    if (!checked.ok) return refuse(checked.errors);
    if (await q.referenceTaken(ctx.db, checked.fields.reference)) return refuse({ reference: COMPANY_TEXTS.referenceTaken });
    const now = ctx.clock();
    let id: number;
    try {
      id = await ctx.db.transaction(async (trx) => {
        const id = await q.insertContract(trx, company.id, checked.fields, now.toISOString());
        await audit(trx, now, origin(req), 'contract_created', { company: company.id, reference: checked.fields.reference });
        return id;
      });
    } catch (err) {
      if (isUniqueViolation(err)) return refuse({ reference: COMPANY_TEXTS.referenceTaken });
      throw err;
    }
    res.redirectWithFlash(`${companyHref(company.id)}/contrats/${id}/garanties`, COMPANY_FLASH.contractCreated);
  };
}

export function showEditContract(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const company = await loadCompany(ctx, req);
    await renderContractForm(res, company, await loadContract(ctx, req, company));
  };
}

export function updateContract(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const company = await loadCompany(ctx, req);
    const contract = await loadContract(ctx, req, company);
    const checked = checkContractForm(req.body);
    const refuse = (errors: FieldErrors) => renderContractForm(res, company, contract, { status: 422, errors, values: keptValues(req.body) });
    if (!checked.ok) return refuse(checked.errors);
    if (await q.referenceTaken(ctx.db, checked.fields.reference, contract.id)) return refuse({ reference: COMPANY_TEXTS.referenceTaken });
    // The versions of the table must stay within the contract's new dates.
    const starts = [...new Set((await q.guaranteeLinesOf(ctx.db, contract.id)).flatMap((l) => (l.effective_from ? [l.effective_from] : [])))].sort();
    const nextVersion = starts.find((day) => day > contract.start_date);
    if (nextVersion && checked.fields.start_date >= nextVersion) return refuse({ date_effet: COMPANY_TEXTS.startAfterVersion(nextVersion) });
    const lastVersion = starts.at(-1);
    if (lastVersion && checked.fields.end_date && checked.fields.end_date < lastVersion) {
      return refuse({ date_fin: COMPANY_TEXTS.endBeforeVersion(lastVersion) });
    }
    const now = ctx.clock();
    try {
      await ctx.db.transaction(async (trx) => {
        await q.updateContract(trx, company.id, contract.id, checked.fields);
        if (checked.fields.start_date !== contract.start_date) {
          await q.moveFirstGuaranteeVersion(trx, contract.id, contract.start_date, checked.fields.start_date);
        }
        await audit(trx, now, origin(req), 'contract_updated', { company: company.id, reference: checked.fields.reference });
      });
    } catch (err) {
      if (isUniqueViolation(err)) return refuse({ reference: COMPANY_TEXTS.referenceTaken });
      throw err;
    }
    res.redirectWithFlash(`${companyHref(company.id)}/contrats/${contract.id}`, COMPANY_FLASH.contractUpdated);
  };
}

/** The versions of a table: lines grouped by their days in force, oldest first. */
function versionsOf(lines: readonly q.GuaranteeLineRow[], contract: q.ContractRow, today: string) {
  const groups = new Map<string, q.GuaranteeLineRow[]>();
  for (const line of lines) {
    const key = `${line.effective_from ?? ''}|${line.effective_to ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), line]);
  }
  const day = today < contract.start_date ? contract.start_date : contract.end_date && today > contract.end_date ? contract.end_date : today;
  return [...groups.values()]
    .map((rows) => {
      const from = rows[0].effective_from ?? contract.start_date;
      const to = rows[0].effective_to ?? contract.end_date;
      return {
        from,
        to,
        period: to ? `Du ${formatDateFr(from)} au ${formatDateFr(to)}` : `À compter du ${formatDateFr(from)}`,
        current: from <= day && (!to || to >= day),
        upcoming: from > day,
        categories: Object.entries(messages.guaranteeCategories)
          .map(([category, title]) => ({
            title,
            rows: rows
              .filter((r) => r.category === category)
              .map((r) => ({
                label: r.label,
                coverage: r.coverage,
                percent: r.br_percent === null ? '' : `${r.br_percent} %`,
                flat: r.flat_amount_cents === null ? '' : formatEuros(r.flat_amount_cents),
                cap: r.yearly_cap_cents === null ? '' : formatEuros(r.yearly_cap_cents),
              })),
          }))
          .filter((c) => c.rows.length),
      };
    })
    .filter((v) => !v.to || v.to >= v.from)
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

export function showContract(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const company = await loadCompany(ctx, req);
    const contract = await loadContract(ctx, req, company);
    const lines = await q.guaranteeLinesOf(ctx.db, contract.id);
    const href = `${companyHref(company.id)}/contrats/${contract.id}`;
    await res.renderPage({
      page: 'gestion/contract',
      layout: 'gestion',
      title: `Contrat ${contract.reference}`,
      locals: {
        base: BASE,
        company,
        companyHref: companyHref(company.id),
        contract,
        href,
        collegeLabel: messages.colleges[contract.college as keyof typeof messages.colleges] ?? contract.college,
        versions: versionsOf(lines, contract, isoToday(ctx.clock)),
      },
    });
  };
}

// ------------------------------------------------------------------ a version of the guarantee table
async function renderGuaranteeForm(
  ctx: AppContext,
  res: Response,
  company: q.CompanyRow,
  contract: q.ContractRow,
  options: { status?: number; errors?: FieldErrors; dateValue?: string; lines?: LineValues[] } = {},
) {
  let lines = options.lines;
  let dateValue = options.dateValue;
  if (!lines) {
    // The form starts from the table in force today (or at the contract's start), to change what differs.
    const all = await q.guaranteeLinesOf(ctx.db, contract.id);
    const today = isoToday(ctx.clock);
    const day = today < contract.start_date ? contract.start_date : today;
    const current = all.filter((l) => (!l.effective_from || l.effective_from <= day) && (!l.effective_to || l.effective_to >= day));
    lines = current.map((l) => ({
      categorie: l.category,
      garantie: l.label,
      remboursement: l.coverage,
      taux: l.br_percent === null ? '' : String(l.br_percent),
      forfait: l.flat_amount_cents === null ? '' : formatEuros(l.flat_amount_cents).replace(/\s*€$/, ''),
      plafond: l.yearly_cap_cents === null ? '' : formatEuros(l.yearly_cap_cents).replace(/\s*€$/, ''),
    }));
    lines.push(...Array.from({ length: BLANK_LINES }, blankLine));
    dateValue = formatDateFr(all.length ? (today < contract.start_date ? contract.start_date : today) : contract.start_date);
  }
  const action = `${companyHref(company.id)}/contrats/${contract.id}/garanties`;
  await res.renderPage({
    page: 'gestion/guarantees-form',
    fragment: 'gestion/guarantee-lines',
    layout: 'gestion',
    title: `Garanties du contrat ${contract.reference}`,
    status: options.status,
    locals: {
      base: BASE,
      company,
      companyHref: companyHref(company.id),
      contract,
      contractHref: `${companyHref(company.id)}/contrats/${contract.id}`,
      action,
      errors: options.errors ?? {},
      dateValue: dateValue ?? '',
      lines,
      categoryChoices: Object.entries(messages.guaranteeCategories),
    },
  });
}

export function showGuaranteeForm(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const company = await loadCompany(ctx, req);
    await renderGuaranteeForm(ctx, res, company, await loadContract(ctx, req, company));
  };
}

export function saveGuarantees(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const company = await loadCompany(ctx, req);
    const contract = await loadContract(ctx, req, company);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const lines = typedLines(body);
    const dateValue = typeof body.date_effet === 'string' ? body.date_effet : '';
    // « Ajouter une ligne »: the same form with one more blank line, nothing saved.
    if (body.ajouter_ligne !== undefined) {
      return renderGuaranteeForm(ctx, res, company, contract, { dateValue, lines: [...lines, blankLine()] });
    }
    const checked = checkGuaranteeForm(body, contract);
    if (!checked.ok) return renderGuaranteeForm(ctx, res, company, contract, { status: 422, errors: checked.errors, dateValue, lines });
    const now = ctx.clock();
    await ctx.db.transaction(async (trx) => {
      await q.replaceGuaranteesFrom(trx, contract.id, checked.from, addDays(checked.from, -1), checked.lines);
      await audit(trx, now, origin(req), 'guarantees_versioned', { company: company.id, reference: contract.reference, from: checked.from });
    });
    res.redirectWithFlash(`${companyHref(company.id)}/contrats/${contract.id}`, COMPANY_FLASH.guaranteesSaved(checked.from));
  };
}

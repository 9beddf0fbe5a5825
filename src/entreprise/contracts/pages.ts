// Espace Entreprise — « Consulter vos contrats couverts » (guide, Espace Entreprise, first page):
// the contracts of each company the HR user works on, with collège, formula and options, date
// d'effet and date de fin, and the guarantee table the member sees on « Mes contrats »
// (src/contracts/); the same table as a PDF. Several companies: one section each, and an
// « Entreprise » filter (a plain GET form, swapped in place by htmx). The scope is the companies
// of the user's active habilitations (req.hrCompanies): another company's contract is a 404.
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { guaranteesByCategory } from '../../contracts/guarantees.js';
import { guaranteesOf } from '../../contracts/queries.js';
import { isoToday } from '../../domain/dates.js';
import { messages } from '../../messages.js';
import { HttpError } from '../../middleware/errors.js';
import { sendPdf } from '../../middleware/pdf-download.js';
import { positiveId, queryText } from '../../validation.js';
import { contractGuaranteesPdf } from './pdf.js';
import { findCompanyContract, findCompanyContracts, type CompanyContractRow } from './queries.js';

const CONTRACT_TEXTS = {
  unknownCompany: 'Cette entreprise ne fait pas partie de celles que vous suivez : toutes vos entreprises sont affichées.',
  status: { upcoming: 'À venir', current: 'En cours', ended: 'Terminé' },
} as const;

/** Where a contract stands today: its date de fin is its last covered day. */
function contractStatus(contract: CompanyContractRow, todayIso: string): keyof typeof CONTRACT_TEXTS.status {
  if (contract.start_date > todayIso) return 'upcoming';
  if (contract.end_date !== null && contract.end_date < todayIso) return 'ended';
  return 'current';
}

const companyIdsOf = (req: Request) => (req.hrCompanies ?? []).map((c) => c.id);

export function showContracts(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const companies = req.hrCompanies ?? [];
    const raw = queryText(req.query.entreprise);
    const chosen = raw ? companies.find((c) => String(c.id) === raw) : undefined;
    const errors: Record<string, string> = raw && !chosen ? { entreprise: CONTRACT_TEXTS.unknownCompany } : {};
    const shown = chosen ? [chosen] : companies;
    const contracts = await findCompanyContracts(
      ctx.db,
      shown.map((c) => c.id),
    );
    const today = isoToday(ctx.clock);
    const guarantees = await guaranteesOf(
      ctx.db,
      contracts.map((k) => k.id),
      today,
    );
    const sections = shown.map((company) => ({
      company,
      contracts: contracts
        .filter((k) => k.company_id === company.id)
        .map((contract) => {
          const status = contractStatus(contract, today);
          return { contract, status, statusLabel: CONTRACT_TEXTS.status[status], categories: guaranteesByCategory(guarantees, contract.id) };
        }),
    }));
    await res.renderPage({
      page: 'entreprise/contracts',
      fragment: 'entreprise/contracts-list',
      layout: 'entreprise',
      title: 'Vos contrats couverts',
      locals: { companies, selectedCompany: chosen?.id ?? null, errors, sections, colleges: messages.colleges },
    });
  };
}

/** The guarantee table of one of the companies' contracts, as a PDF. */
export function downloadGuarantees(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const id = positiveId(req.params.id);
    const contract = id ? await findCompanyContract(ctx.db, companyIdsOf(req), id) : undefined;
    if (!contract) throw new HttpError(404);
    const guarantees = await guaranteesOf(ctx.db, [contract.id], isoToday(ctx.clock));
    await sendPdf(res, contractGuaranteesPdf(ctx.config.brand, contract, guarantees, ctx.clock()), `garanties-${contract.reference}.pdf`);
  };
}

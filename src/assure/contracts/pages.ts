// Espace Assuré — Situation and Mes contrats: company, contract, collège, dates and
// the guarantees by care category, with the guarantees and certificates as PDFs. The `:id` of
// the PDF URLs is the affiliation id, always looked up within the member's own affiliations.
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { isoToday } from '../../domain/dates.js';
import { HttpError } from '../../middleware/errors.js';
import { sendPdf } from '../../middleware/pdf-download.js';
import { messages } from '../../messages.js';
import { memberIdOf } from '../member.js';
import { affiliationCertificatePdf, guaranteesPdf, radiationCertificatePdf } from './pdf.js';
import { coveredBeneficiaries, findAffiliation, findAffiliations, hasEnded } from './queries.js';
import { guaranteesOf } from '../../contracts/queries.js';
import { guaranteesByCategory } from '../../contracts/guarantees.js';
import { positiveId } from '../../validation.js';

/** « Situation »: where the member stands, with the way to each detailed page. */
export function showSituation(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const memberId = memberIdOf(req);
    const today = isoToday(ctx.clock);
    const [affiliations, beneficiaries] = await Promise.all([findAffiliations(ctx.db, memberId, today), coveredBeneficiaries(ctx.db, memberId, today)]);
    const active = beneficiaries.filter((b) => b.teletransmission_status === 'active').length;
    const current = affiliations.find((a) => !hasEnded(a, today)) ?? null;
    await res.renderPage({
      page: 'assure/situation',
      layout: 'assure',
      title: 'Situation',
      locals: { current, started: current ? current.start_date <= today : false, beneficiaries, active },
    });
  };
}

export function showContracts(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const today = isoToday(ctx.clock);
    const affiliations = await findAffiliations(ctx.db, memberIdOf(req), today);
    const guarantees = await guaranteesOf(
      ctx.db,
      affiliations.map((a) => a.contract_id),
      today,
    );
    const contracts = affiliations.map((affiliation) => ({
      affiliation,
      ended: hasEnded(affiliation, today),
      categories: guaranteesByCategory(guarantees, affiliation.contract_id),
    }));
    await res.renderPage({ page: 'assure/contracts', layout: 'assure', title: 'Mes contrats', locals: { contracts, colleges: messages.colleges } });
  };
}

async function affiliationOf(ctx: AppContext, req: Request) {
  const id = positiveId(req.params.id);
  const affiliation = id ? await findAffiliation(ctx.db, memberIdOf(req), id) : undefined;
  if (!affiliation) throw new HttpError(404);
  return affiliation;
}

export function downloadGuarantees(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const affiliation = await affiliationOf(ctx, req);
    const guarantees = await guaranteesOf(ctx.db, [affiliation.contract_id], isoToday(ctx.clock));
    await sendPdf(res, guaranteesPdf(ctx.config.brand, req.member!, affiliation, guarantees, ctx.clock()), `garanties-${affiliation.reference}.pdf`);
  };
}

export function downloadAffiliationCertificate(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const affiliation = await affiliationOf(ctx, req);
    const today = isoToday(ctx.clock);
    // An ended affiliation certifies who was covered on its last day.
    const ended = hasEnded(affiliation, today);
    const beneficiaries = await coveredBeneficiaries(ctx.db, memberIdOf(req), ended ? affiliation.end_date! : today);
    await sendPdf(
      res,
      affiliationCertificatePdf(ctx.config.brand, req.member!, affiliation, beneficiaries, ended, ctx.clock()),
      `certificat-affiliation-${affiliation.reference}.pdf`,
    );
  };
}

export function downloadRadiationCertificate(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const affiliation = await affiliationOf(ctx, req);
    const today = isoToday(ctx.clock);
    // Only once the cover has ended: before that (even with an end date ahead) there is nothing to certify.
    if (!hasEnded(affiliation, today)) throw new HttpError(404);
    await sendPdf(
      res,
      radiationCertificatePdf(ctx.config.brand, req.member!, { ...affiliation, end_date: affiliation.end_date }, ctx.clock()),
      `certificat-radiation-${affiliation.reference}.pdf`,
    );
  };
}

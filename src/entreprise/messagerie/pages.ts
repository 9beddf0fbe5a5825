// Espace Entreprise — « Nous contacter » and the « Messagerie » icon:
// the company's threads with the insurer. A thread belongs to the company: every HR user
// habilitated on it sees it and may answer, each with their own unread marks — except a thread
// about an employee, which only the HR users whose « périmètre suivi » holds the employee see
// (src/correspondence/queries.ts, threadsFor). The pages are the
// shared ones (src/correspondence/messagerie-pages.ts); this space adds the company (when the
// user has several) and, for « Transmettre des documents pour mon salarié », the employee, chosen
// in the user's « périmètre suivi » only. « Mes démarches » lists the latest threads beside the
// latest affiliation requests of the user's visible establishments (the queries and perimeter of
// « Suivi des demandes d'affiliations », src/entreprise/affiliation-tracking/), each with a link to its full list.
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { clientIp } from '../../auth/session.js';
import * as pages from '../../correspondence/messagerie-pages.js';
import { messageUploads, threadListItem } from '../../correspondence/messagerie.js';
import { listOwnerThreads } from '../../correspondence/queries.js';
import { CORRESPONDENCE_MESSAGES } from '../../correspondence/service.js';
import { positiveId, type FieldErrors } from '../../validation.js';
import { latestTrackedRequests } from '../affiliation-tracking/pages.js';
import { employeeName, perimeterEmployeeByNumber, perimeterEmployees } from './queries.js';

const MESSAGERIE_BASE = '/entreprise/messagerie';
/** Past this many employees in the perimeter the form asks for the member number instead of a list. */
const EMPLOYEE_LIST_MAX = 300;
/** « Mes démarches » shows the latest threads and affiliation requests; their own lists have them all. */
const DEMARCHES_THREADS = 10;
const DEMARCHES_REQUESTS = 10;

const companiesOf = (req: Request) => req.hrCompanies ?? [];

const space: pages.MessagerieSpace = {
  owner: 'hr',
  base: MESSAGERIE_BASE,
  layout: 'entreprise',
  listTitle: 'Messagerie',
  actor: (req) => ({ side: 'hr', accountId: req.account!.id, origin: { ip: clientIp(req), userAgent: req.get('user-agent') ?? null } }),
  scope: (req) => ({ side: 'hr', accountId: req.account!.id }),

  async newFormLocals(ctx, req) {
    const companies = companiesOf(req);
    const employees = await perimeterEmployees(ctx.db, req.account!.id, EMPLOYEE_LIST_MAX);
    const employeeGroups = employees
      ? companies
          .map((c) => ({
            label: c.name,
            options: employees.filter((e) => e.company_id === c.id).map((e) => [String(e.member_id), `${e.last_name} ${e.first_name} — n° ${e.member_number}`]),
          }))
          .filter((g) => g.options.length)
      : null;
    return { companies: companies.map((c) => [String(c.id), c.name]), onlyCompany: companies.length === 1 ? companies[0] : null, employeeGroups };
  },

  async newThreadTarget(ctx, req, values) {
    const companies = companiesOf(req);
    const errors: FieldErrors = {};
    const companyId = companies.length === 1 ? companies[0].id : positiveId(values.entreprise);
    if (!companyId || !companies.some((c) => c.id === companyId)) errors.entreprise = CORRESPONDENCE_MESSAGES.company;
    const raw = (values.salarie ?? '').trim();
    let subjectMemberId: number | null = null;
    if (raw && companyId) {
      // The list gives a member id; past EMPLOYEE_LIST_MAX the field is the member number.
      subjectMemberId = values.salarie_numero === '1' ? await perimeterEmployeeByNumber(ctx.db, req.account!.id, companyId, raw) : positiveId(raw);
      if (subjectMemberId === null) errors.salarie = CORRESPONDENCE_MESSAGES.employeeNotInPerimeter;
    }
    return { companyId: companyId ?? undefined, subjectMemberId, errors };
  },

  async threadLocals(ctx, req, thread) {
    const company = companiesOf(req).find((c) => c.id === thread.company_id);
    return {
      companyName: companiesOf(req).length > 1 ? (company?.name ?? null) : null,
      employeeName:
        thread.subject_member_id && thread.company_id ? await employeeName(ctx.db, req.account!.id, thread.company_id, thread.subject_member_id) : null,
    };
  },
};

export const unreadBadge = (ctx: AppContext) => pages.unreadMessagesBadge(ctx, space);
export const showList = (ctx: AppContext) => pages.showList(ctx, space);
export const showNewForm = (ctx: AppContext) => pages.showNewForm(ctx, space);
export const submitNew = (ctx: AppContext) => [...messageUploads(ctx), pages.submitNew(ctx, space)];
export const showThread = (ctx: AppContext) => pages.showThread(ctx, space);
export const submitReply = (ctx: AppContext) => [...messageUploads(ctx), pages.submitReply(ctx, space)];
export const downloadDocument = (ctx: AppContext) => pages.downloadDocument(ctx, space);

/** « Mes démarches »: the company's latest threads and the latest affiliation requests of the user's perimeter. */
export function showDemarches(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const [{ rows, total }, requests] = await Promise.all([
      listOwnerThreads(ctx.db, space.scope(req), 1, DEMARCHES_THREADS),
      latestTrackedRequests(ctx, req.account!.id, DEMARCHES_REQUESTS),
    ]);
    await res.renderPage({
      page: 'entreprise/demarches',
      layout: 'entreprise',
      title: 'Mes démarches',
      locals: {
        base: MESSAGERIE_BASE,
        threads: rows.map((row) => threadListItem(ctx.config.brand.correspondence, MESSAGERIE_BASE, row)),
        total,
        showCompany: companiesOf(req).length > 1,
        requests: requests.rows,
        requestsTotal: requests.total,
      },
    });
  };
}

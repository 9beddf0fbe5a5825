// « Suivi des demandes d'affiliation » (guide « Zoom sur la rubrique Suivi des demandes
// d'affiliation »): the table of the guide with its filters, sorting and pages; per request the
// « … » menu — « Envoi d'un email de relance » (a new 30-day link, at most once a day),
// « Annuler la demande d'affiliation » (after a confirmation page), « Télécharger le formulaire »
// (mode Courrier: the paper BIA pre-filled) — and a detail page with the history. Both HR roles
// use it, on the requests of their visible establishments only; any other id answers 404.
// Every status change goes through `transition` (src/domain/affiliation-requests.ts).
import { de, establishmentLabel, fullName } from '../../domain/text.js';
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db.js';
import { requestOrigin } from '../../auth/session.js';
import {
  AFFILIATION_MESSAGES,
  AFFILIATION_MODES,
  AFFILIATION_STATUSES,
  affiliationModeLabels,
  affiliationStatusLabels,
  companyStatusLabels,
  affiliationEventDetail,
  affiliationEventLabel,
  affiliationLinkEmail,
  employmentContractLabels,
  newAffiliationLink,
  professionalStatusLabels,
  reminderAllowed,
  transition,
  type AffiliationMode,
  type AffiliationStatus,
  type CompanyStatus,
  type EmploymentContractType,
} from '../../domain/affiliation-requests.js';
import { recordAudit } from '../../stores/audit.js';
import { formatDateFr, formatParisDayFr } from '../../domain/dates.js';
import { maskNir } from '../../domain/nir.js';
import { pdfBrand } from '../../pdf/document.js';
import { HttpError } from '../../middleware/errors.js';
import { sendPdf } from '../../middleware/pdf-download.js';
import { listHref, loadPage, pageBeyondText, pageInvalidText, pageLinks, sortLink } from '../../paging.js';
import { positiveId, queryPage, queryText, returnAddress, unsafeQueryErrors, type FieldErrors } from '../../validation.js';
import { ESTABLISHMENTS_PAST_CAP_HINT, siretFieldInstead } from '../establishment-filter.js';
import { establishmentOptions, findVisibleEstablishment, type VisibleEstablishment } from '../queries.js';
import { affiliationFormPdf, affiliationFormFileName } from './pdf.js';
import { applyStatusChange, expireOverdueRequests, findRequestEvents, recordReminder, type RequestEventRow } from '../../affiliation-requests/lifecycle.js';
import {
  SORT_COLUMNS,
  countTrackedRequests,
  findTrackedRequest,
  findTrackedRequests,
  type RequestFilters,
  type SortColumn,
  type SortOrder,
  type TrackedRequestDetail,
  type TrackedRequestRow,
} from './queries.js';

const BASE = '/entreprise/suivi-affiliations';
const TITLE = 'Suivi des affiliations';
const TRACKING_PAGE_SIZE = 20;

export const TRACKING_TEXTS = {
  status: "Ce statut n'est pas connu : toutes les demandes sont affichées.",
  mode: "Ce mode d'affiliation n'est pas connu : tous les modes sont affichés.",
  establishment: 'Cet établissement ne fait pas partie de ceux que vous suivez : tous les établissements sont affichés.',
  siret: 'Ce SIRET ne fait pas partie des établissements que vous suivez : tous les établissements sont affichés.',
  siretOtherEstablishment: "Ce SIRET ne correspond pas à l'établissement choisi : ce critère n'est pas appliqué.",
  name: "La recherche est limitée à 100 caractères : elle n'est pas appliquée.",
  sort: "Ce tri n'est pas disponible : les demandes sont triées par date, de la plus récente à la plus ancienne.",
  page: pageInvalidText,
  pageBeyond: pageBeyondText,
  reminderSent: (email: string) =>
    `Un email de relance a été envoyé à ${email}. Il contient un nouveau lien, valable 30 jours ; le lien précédent ne fonctionne plus.`,
  reminderNoEmail: "Ce salarié n'a pas d'adresse e-mail : téléchargez son formulaire papier pour le lui remettre.",
  cancelled: (name: string) => `La demande d'affiliation ${de(name)} est annulée.`,
  formEmailMode: "Ce salarié complète son affiliation en ligne : il n'y a pas de formulaire papier pour cette demande.",
} as const;

// ------------------------------------------------------------------ helpers

/** The request of the URL among those the user may see; anything else (another company, garbage) is 404. */
async function loadRequest(ctx: AppContext, req: Request): Promise<TrackedRequestDetail> {
  const raw = String(req.params.id);
  const id = positiveId(raw);
  const request = id ? await findTrackedRequest(ctx.db, req.account!.id, id) : undefined;
  if (!request) throw new HttpError(404);
  return request;
}

/** What the « … » menu offers for a request, in one place for the list and the detail page. */
function availableActions(request: { mode: AffiliationMode; status: AffiliationStatus }) {
  const pending = request.status === 'sent' || request.status === 'started';
  return {
    remind: request.mode === 'email' && pending,
    cancel: transition(request.status, 'cancel').ok,
    downloadForm: request.mode === 'courrier' && request.status !== 'cancelled' && request.status !== 'abandoned',
  };
}

function rowView(r: TrackedRequestRow) {
  return {
    id: r.id,
    siren: r.siren,
    siret: r.siret,
    establishment: r.establishment_name,
    name: fullName(r),
    mode: affiliationModeLabels[r.mode] ?? r.mode,
    status: r.status,
    statusLabel: affiliationStatusLabels[r.status] ?? r.status,
    date: formatParisDayFr(r.created_at),
    lastReminder: r.last_reminder_at ? formatParisDayFr(r.last_reminder_at) : null,
    reminderCount: r.reminder_count,
    actions: availableActions(r),
  };
}

// ------------------------------------------------------------------ list
export interface ParsedTrackingQuery {
  filters: RequestFilters;
  values: { statut: string; mode: string; etablissement: string; siret: string; nom: string };
  /** The values applied, kept in the sort and page links. */
  applied: Record<string, string>;
  sort: { column: SortColumn; order: SortOrder };
  errors: FieldErrors;
  page: number;
  pageError?: string;
  /** The establishment the filter applies, however it was named. */
  establishment?: VisibleEstablishment;
}

const DEFAULT_SORT = { column: 'date' as SortColumn, order: 'desc' as SortOrder };

/**
 * Reads the filters of the query string. The establishment is named by its id (the select) or,
 * past ESTABLISHMENT_OPTIONS_MAX establishments, by its SIRET (typed): either is checked against
 * the establishments the user may see.
 */
async function parseTrackingQuery(db: Db, accountId: number, query: Request['query']): Promise<ParsedTrackingQuery> {
  const values = {
    statut: queryText(query.statut),
    mode: queryText(query.mode),
    etablissement: queryText(query.etablissement),
    siret: queryText(query.siret),
    nom: queryText(query.nom, 200),
  };
  const errors: FieldErrors = unsafeQueryErrors(query, Object.keys(values));
  const filters: RequestFilters = {};
  const applied: Record<string, string> = {};
  let chosen: VisibleEstablishment | undefined;
  if (values.statut) {
    if ((AFFILIATION_STATUSES as readonly string[]).includes(values.statut)) filters.status = applied.statut = values.statut as AffiliationStatus;
    else errors.statut = TRACKING_TEXTS.status;
  }
  if (values.mode) {
    if ((AFFILIATION_MODES as readonly string[]).includes(values.mode)) filters.mode = applied.mode = values.mode as AffiliationMode;
    else errors.mode = TRACKING_TEXTS.mode;
  }
  if (values.etablissement) {
    const id = positiveId(values.etablissement);
    const establishment = id ? await findVisibleEstablishment(db, accountId, { id }) : undefined;
    if (establishment) {
      filters.establishmentId = establishment.id;
      applied.etablissement = values.etablissement;
      chosen = establishment;
    } else errors.etablissement = TRACKING_TEXTS.establishment;
  }
  if (values.siret) {
    const siret = values.siret.replace(/\s/g, '');
    const establishment = /^\d{14}$/.test(siret) ? await findVisibleEstablishment(db, accountId, { siret }) : undefined;
    if (!establishment) errors.siret = TRACKING_TEXTS.siret;
    else if (filters.establishmentId && filters.establishmentId !== establishment.id) errors.siret = TRACKING_TEXTS.siretOtherEstablishment;
    else {
      filters.establishmentId = establishment.id;
      applied.siret = establishment.siret;
      chosen = establishment;
    }
  }
  if (values.nom) {
    if (values.nom.length <= 100) filters.name = applied.nom = values.nom;
    else errors.nom = TRACKING_TEXTS.name;
  }
  let sort = DEFAULT_SORT;
  const column = queryText(query.tri);
  const order = queryText(query.ordre);
  if (column || order) {
    if ((SORT_COLUMNS as readonly string[]).includes(column || 'date') && (!order || order === 'asc' || order === 'desc')) {
      sort = { column: (column || 'date') as SortColumn, order: (order || (column === 'date' || !column ? 'desc' : 'asc')) as SortOrder };
    } else errors._form = TRACKING_TEXTS.sort;
  }
  const { page, invalid } = queryPage(query.page);
  return { filters, values, applied, sort, errors, page, pageError: invalid ? TRACKING_TEXTS.page : undefined, establishment: chosen };
}

const hrefOf = listHref<SortColumn>(['statut', 'mode', 'etablissement', 'siret', 'nom'], DEFAULT_SORT);

function trackingHref(applied: Record<string, string>, sort: { column: SortColumn; order: SortOrder }, page = 1): string {
  return hrefOf(BASE, applied, sort, page);
}

const COLUMN_LABELS: [SortColumn | null, string][] = [
  ['siren', 'Siren'],
  ['siret', 'Siret'],
  ['etablissement', 'Etablissement'],
  ['nom', 'Prénom Nom'],
  ['mode', "Mode d'affiliation"],
  ['statut', 'Statut'],
  ['date', 'Date'],
  [null, 'Actions'],
];

function columnHeaders(applied: Record<string, string>, sort: { column: SortColumn; order: SortOrder }) {
  return COLUMN_LABELS.map(([column, label]) => {
    if (!column) return { label, href: null, ariaSort: null, nextOrder: null };
    // First click: dates newest first, text A → Z; a second click reverses.
    return { label, ...sortLink(column, sort, (s) => trackingHref(applied, s), column === 'date' ? 'desc' : 'asc') };
  });
}

/** The « Etablissement » select's options; null past ESTABLISHMENT_OPTIONS_MAX (a SIRET is typed instead). */
function establishmentSelect(establishments: VisibleEstablishment[] | null, companies: Map<number, string>) {
  // Several companies: each name with its company, said once (most names already start with it).
  return (
    establishments?.map((e) => [String(e.id), companies.size > 1 ? establishmentLabel({ companyName: companies.get(e.company_id), name: e.name }) : e.name]) ??
    null
  );
}

export function showList(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const accountId = req.account!.id;
    const [establishments, parsed] = await Promise.all([establishmentOptions(ctx.db, accountId), parseTrackingQuery(ctx.db, accountId, req.query)]);
    const { filters, applied, sort } = parsed;
    const { values, errors } = establishments ? parsed : siretFieldInstead(parsed.values, parsed.errors, parsed.establishment);
    // The page carries its total; past the end (no row) a count, then the last page, said so.
    const { rows, total, page, pages, beyond } = await loadPage(
      parsed.page,
      TRACKING_PAGE_SIZE,
      (p) => findTrackedRequests(ctx.db, accountId, filters, sort, p, TRACKING_PAGE_SIZE),
      () => countTrackedRequests(ctx.db, accountId, filters),
    );
    const pageError = beyond ?? parsed.pageError;
    const companies = new Map((req.hrCompanies ?? []).map((c) => [c.id, c.name]));
    const filtered = Object.keys(applied).length > 0;
    await res.renderPage({
      page: 'entreprise/suivi',
      fragment: 'entreprise/suivi-list',
      layout: 'entreprise',
      title: page > 1 ? `${TITLE} — page ${page}` : TITLE,
      locals: {
        rows: rows.map(rowView),
        statusOptions: AFFILIATION_STATUSES.map((s) => [s, affiliationStatusLabels[s]]),
        modeOptions: AFFILIATION_MODES.map((m) => [m, affiliationModeLabels[m]]),
        establishmentOptions: establishmentSelect(establishments, companies),
        establishmentsHint: establishments ? null : ESTABLISHMENTS_PAST_CAP_HINT,
        values,
        errors: Object.keys(errors).length ? errors : undefined,
        pageError,
        filtered,
        total,
        page,
        pages,
        headers: columnHeaders(applied, sort),
        // The form keeps the sort chosen by a column header.
        sortFields: sort.column !== DEFAULT_SORT.column || sort.order !== DEFAULT_SORT.order ? { tri: sort.column, ordre: sort.order } : null,
        ...pageLinks(page, pages, (p) => trackingHref(applied, sort, p)),
      },
    });
  };
}

/**
 * The latest requests of the user's visible establishments, newest first, as the table shows
 * them, and how many there are in all (« Mes démarches », src/entreprise/messagerie/pages.ts).
 */
export async function latestTrackedRequests(ctx: AppContext, accountId: number, count: number): Promise<{ rows: ReturnType<typeof rowView>[]; total: number }> {
  const { rows, total } = await findTrackedRequests(ctx.db, accountId, {}, DEFAULT_SORT, 1, count);
  return { rows: rows.map(rowView), total: total ?? 0 };
}

// ------------------------------------------------------------------ detail
function eventView(ev: RequestEventRow, request: TrackedRequestDetail, insurer: string) {
  const detail = affiliationEventDetail(ev.detail);
  const by = ev.account_first_name && ev.account_kind === 'hr' ? `${ev.account_first_name} ${ev.account_last_name}` : null;
  let note: string | null = null;
  if (ev.kind === 'abandoned' && detail.reason === 'link_expired')
    note = "Le lien d'affiliation a expiré sans que le salarié ait finalisé son affiliation (30 jours).";
  if (ev.kind === 'refused') {
    const reason = detail.reason ?? request.decision_reason;
    note = reason ? `Motif : ${reason}` : null;
  }
  if (ev.kind === 'link_locked') note = 'Cinq dates de naissance erronées ont été saisies : une relance envoie au salarié un nouveau lien.';
  return { at: ev.at, label: affiliationEventLabel(ev.kind, detail, insurer, request.mode), by, note };
}

export function showDetail(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const request = await loadRequest(ctx, req);
    const events = await findRequestEvents(ctx.db, request.id);
    const name = fullName(request);
    const pending = request.status === 'sent' || request.status === 'started';
    await res.renderPage({
      page: 'entreprise/suivi-detail',
      layout: 'entreprise',
      title: `Demande d'affiliation ${de(name)}`,
      locals: {
        request: {
          ...rowView(request),
          companyName: request.company_name,
          email: request.email,
          nir: maskNir(request.nir),
          birthDate: formatDateFr(request.birth_date),
          entryDate: formatDateFr(request.entry_date),
          affiliationDate: formatDateFr(request.affiliation_date),
          contractType: employmentContractLabels[request.employment_contract_type as EmploymentContractType] ?? request.employment_contract_type,
          contractStart: formatDateFr(request.employment_start_date),
          contractEnd: request.employment_end_date ? formatDateFr(request.employment_end_date) : null,
          college: professionalStatusLabels[request.professional_status] ?? request.professional_status,
          companyStatus: companyStatusLabels[request.company_status as CompanyStatus] ?? request.company_status,
          linkExpires: pending && request.mode === 'email' && request.token_expires_at ? formatParisDayFr(request.token_expires_at) : null,
          decision: request.decision,
          decisionReason: request.decision_reason,
          decidedAt: request.decided_at ? formatParisDayFr(request.decided_at) : null,
        },
        events: events.map((ev) => eventView(ev, request, ctx.config.brand.name)),
        returnHref: `${BASE}/${request.id}`,
      },
    });
  };
}

// ------------------------------------------------------------------ « Envoi d'un email de relance »
export function sendReminder(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const request = await loadRequest(ctx, req);
    const back = returnAddress((req.body as Record<string, unknown> | undefined)?.retour, BASE, BASE);
    const now = ctx.clock();
    // A link past its 30 days is dead even if the job has not run yet: a reminder must not revive it.
    if (await expireOverdueRequests(ctx.db, now, request.id)) {
      res.redirectWithFlash(back, AFFILIATION_MESSAGES.reminderClosed, 'error');
      return;
    }
    const allowed = reminderAllowed(request, now);
    if (!allowed.ok) {
      res.redirectWithFlash(back, allowed.reason, 'error');
      return;
    }
    if (!request.email) {
      res.redirectWithFlash(back, TRACKING_TEXTS.reminderNoEmail, 'error');
      return;
    }
    const link = newAffiliationLink(now);
    const number = await recordReminder(ctx.db, request, link, req.account!.id, now);
    if (number === null) {
      // Another reminder (or a change of status) came first: say why with the fresh state.
      const fresh = await loadRequest(ctx, req);
      const again = reminderAllowed(fresh, now);
      res.redirectWithFlash(back, again.ok ? AFFILIATION_MESSAGES.reminderClosed : again.reason, 'error');
      return;
    }
    await ctx.outbox.sendEmail(
      affiliationLinkEmail(ctx.config.brand, ctx.config.publicUrl, request.email!, {
        firstName: request.first_name,
        companyName: request.company_name,
        token: link.token,
        expiresAt: link.expiresAt,
        reminder: { started: request.status === 'started' },
      }),
    );
    await recordAudit(ctx.db, now, {
      event: 'affiliation_reminder_sent',
      accountId: req.account!.id,
      accountKind: 'hr',
      ...requestOrigin(req),
      detail: { request: request.id, number },
    });
    res.redirectWithFlash(back, TRACKING_TEXTS.reminderSent(request.email));
  };
}

// ------------------------------------------------------------------ « Annuler la demande d'affiliation »
async function renderCancelConfirm(_req: Request, res: Response, request: TrackedRequestDetail, back: string) {
  await res.renderPage({
    page: 'entreprise/suivi-confirm',
    layout: 'entreprise',
    title: "Annuler la demande d'affiliation",
    locals: {
      request: {
        id: request.id,
        name: fullName(request),
        establishment: request.establishment_name,
        mode: request.mode,
        statusLabel: affiliationStatusLabels[request.status],
      },
      action: `${BASE}/${request.id}/annuler`,
      back,
    },
  });
}

export function showCancelConfirm(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const request = await loadRequest(ctx, req);
    const back = returnAddress(req.query.retour, BASE, BASE);
    const change = transition(request.status, 'cancel');
    if (!change.ok) {
      res.redirectWithFlash(back, change.reason, 'error');
      return;
    }
    await renderCancelConfirm(req, res, request, back);
  };
}

export function cancelRequest(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const request = await loadRequest(ctx, req);
    const back = returnAddress((req.body as Record<string, unknown> | undefined)?.retour, BASE, BASE);
    const now = ctx.clock();
    const change = transition(request.status, 'cancel');
    if (!change.ok) {
      res.redirectWithFlash(back, change.reason, 'error');
      return;
    }
    if (!(await applyStatusChange(ctx.db, request.id, change, { kind: 'cancelled', accountId: req.account!.id }, now, { token_hash: null }))) {
      // The employee submitted (or the link expired) in the meantime: the fresh status decides.
      const fresh = await loadRequest(ctx, req);
      const again = transition(fresh.status, 'cancel');
      res.redirectWithFlash(back, again.ok ? AFFILIATION_MESSAGES.alreadyClosed : again.reason, 'error');
      return;
    }
    await recordAudit(ctx.db, now, {
      event: 'affiliation_request_cancelled',
      accountId: req.account!.id,
      accountKind: 'hr',
      ...requestOrigin(req),
      detail: { request: request.id },
    });
    res.redirectWithFlash(back, TRACKING_TEXTS.cancelled(fullName(request)));
  };
}

// ------------------------------------------------------------------ « Télécharger le formulaire » (mode Courrier)
export function downloadForm(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const request = await loadRequest(ctx, req);
    if (request.mode !== 'courrier') {
      res.redirectWithFlash(`${BASE}/${request.id}`, TRACKING_TEXTS.formEmailMode, 'error');
      return;
    }
    if (!availableActions(request).downloadForm) {
      res.redirectWithFlash(`${BASE}/${request.id}`, AFFILIATION_MESSAGES.alreadyClosed, 'error');
      return;
    }
    await sendPdf(res, affiliationFormPdf(request, ctx.config.brand, pdfBrand(ctx.config.brand), ctx.clock()), affiliationFormFileName(request));
  };
}

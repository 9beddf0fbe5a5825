// « Validation des affiliations » (docs/domain.md#affiliation-requests): the finalized requests waiting for the
// insurer, each with everything the employee sent and HR typed, its documents and history, and
// the two decisions. « Valider » makes the employee a member (see decisions.ts) and
// emails them their member number and the way to « Activer mon espace »; « Refuser » needs a
// reason, emailed to the employee. HR gets a notification either way.
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { requestOrigin } from '../../auth/session.js';
import {
  affiliationDecisionLabels,
  affiliationDocumentLabels,
  affiliationEventDetail,
  affiliationEventLabel,
  affiliationModeLabels,
  affiliationStatusLabels,
  checkDecision,
  companyStatusLabels,
  employmentContractLabels,
  type AffiliationDocumentKind,
  type AffiliationMode,
  type AffiliationStatus,
  type CompanyStatus,
  type EmploymentContractType,
} from '../../domain/affiliation-requests.js';
import { recordAudit } from '../../stores/audit.js';
import { brandedEmail } from '../../domain/email-templates.js';
import { isoToday } from '../../domain/dates.js';
import { formatIban } from '../../domain/iban.js';
import { formatNir, normalizeNir } from '../../domain/nir.js';
import { de, formatInteger, fullName } from '../../domain/text.js';
import { HttpError } from '../../middleware/errors.js';
import { safeOriginalName, sendFromStore } from '../../middleware/uploads.js';
import { positiveId, queryPage, queryText, unsafeTextErrors, type FieldErrors } from '../../validation.js';
import { clampPage, pageInvalidText, pageLinks } from '../../paging.js';
import { accountKindLabels } from '../audit.js';
import { documentsOf } from '../../affiliation-requests/queries.js';
import { DOCUMENTS_FOLDER as AFFILIATION_DOCUMENTS_FOLDER } from '../../affiliation-requests/documents.js';
import { findRequestEvents } from '../../affiliation-requests/lifecycle.js';
import { readStoredForm, type EnrolmentForm } from '../../domain/affiliation-form.js';
import { memberEmailOf } from './enrolment.js';
import { checkValidation, refuseRequest, validateRequest } from './decisions.js';
import {
  DECISION_FILTERS,
  PAGE_SIZE,
  countAwaitingPaper,
  countByDecision,
  findAwaitingPaperPage,
  findFinalizedRequest,
  findRequestDocument,
  findRequestsPage,
  type StaffRequest,
} from './queries.js';
import { paperHref } from './paper.js';
import { collegeLabel, refusedEmail, validatedEmail, VALIDATION_TEXTS } from './texts.js';

const BASE = '/gestion/affiliations';

/** The three decision filters, and the Courrier requests whose paper bulletin is still to type. */
const LIST_FILTERS = [...DECISION_FILTERS, 'papier'] as const;
type ListFilter = (typeof LIST_FILTERS)[number];
const FILTER_LABELS: Record<ListFilter, string> = { a_traiter: 'À traiter', validees: 'Validées', refusees: 'Refusées', papier: 'Bulletins papier à saisir' };

/** Files are only ever sent as one of the types uploads accept; anything else as plain bytes. */
const DOWNLOAD_TYPES = new Set(['application/pdf', 'image/jpeg', 'image/png']);
/** Stored names are random and flat: nothing else is ever joined to the upload folder. */
const STORED_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,90}(?:\.[A-Za-z0-9]{1,8})?$/;

// ------------------------------------------------------------------ list
function listHref(filter: ListFilter, page = 1): string {
  const params = new URLSearchParams();
  if (filter !== 'a_traiter') params.set('statut', filter);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `${BASE}?${query}` : BASE;
}

export function showList(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const asked = queryText(req.query.statut);
    const filter: ListFilter = (LIST_FILTERS as readonly string[]).includes(asked) ? (asked as ListFilter) : 'a_traiter';
    const counts: Record<ListFilter, number> = { ...(await countByDecision(ctx.db)), papier: await countAwaitingPaper(ctx.db) };
    const askedPage = queryPage(req.query.page);
    const { page, pages, beyond } = clampPage(askedPage.page, counts[filter], PAGE_SIZE);
    const rows =
      filter === 'papier'
        ? (await findAwaitingPaperPage(ctx.db, page)).map((r) => ({ ...r, submitted_at: null, decided_at: null, href: paperHref(r.id) }))
        : (await findRequestsPage(ctx.db, filter, page)).map((r) => ({ ...r, created_at: null, href: `${BASE}/${r.id}` }));
    await res.renderPage({
      page: 'gestion/affiliations',
      fragment: 'gestion/affiliations-list',
      layout: 'gestion',
      title: `Affiliations — ${FILTER_LABELS[filter]}`,
      locals: {
        filter,
        filters: LIST_FILTERS.map((f) => ({ value: f, label: FILTER_LABELS[f], count: counts[f], href: listHref(f), current: f === filter })),
        total: counts[filter],
        rows: rows.map((r) => ({ ...r, name: fullName(r), college: collegeLabel(r.professional_status) })),
        page,
        pages,
        pageError: beyond ?? (askedPage.invalid ? pageInvalidText : null),
        ...pageLinks(page, pages, (p) => listHref(filter, p)),
      },
    });
  };
}

// ------------------------------------------------------------------ detail
async function loadRequest(ctx: AppContext, req: Request): Promise<StaffRequest> {
  const id = positiveId(req.params.id);
  if (!id) throw new HttpError(404);
  const request = await findFinalizedRequest(ctx.db, id);
  if (!request) throw new HttpError(404);
  return request;
}

function sentForm(form: EnrolmentForm | null) {
  if (!form) return null;
  return {
    identity: {
      civility: form.identity.sex === 'F' ? 'Madame' : form.identity.sex === 'M' ? 'Monsieur' : '',
      lastName: form.identity.lastName,
      birthName: form.identity.birthName,
      firstName: form.identity.firstName,
      birthDate: form.identity.birthDate,
      nir: form.identity.nir ? formatNir(form.identity.nir) : '',
    },
    address: form.address,
    contact: form.contact,
    bank: form.bank ? { iban: formatIban(form.bank.iban), bic: form.bank.bic, holder: form.bank.holder } : null,
    fundCode: form.fundCode,
    teletransmission:
      form.teletransmission === true ? 'Oui : activation demandée pour chaque bénéficiaire' : form.teletransmission === false ? 'Non' : 'Non renseigné',
    beneficiaries: form.beneficiaries.map((b) => ({
      relationship: b.relationship === 'conjoint' ? 'Conjoint' : 'Enfant',
      sex: b.sex === 'F' ? 'Féminin' : b.sex === 'M' ? 'Masculin' : '',
      lastName: b.lastName,
      firstName: b.firstName,
      birthDate: b.birthDate,
      nir: b.nir ? formatNir(b.nir) : null,
    })),
  };
}

function whoDid(event: { kind: string; account_first_name: string | null; account_last_name: string | null; account_kind: string | null }): string {
  if (event.account_first_name && event.account_last_name)
    return `${event.account_first_name} ${event.account_last_name} (${accountKindLabels[event.account_kind ?? ''] ?? ''})`;
  return ['started', 'draft_saved', 'submitted'].includes(event.kind) ? 'Le salarié' : '';
}

interface DetailState {
  errors?: FieldErrors;
  values?: Record<string, string>;
  status?: number;
}

async function renderDetail(ctx: AppContext, res: Response, request: StaffRequest, state: DetailState = {}): Promise<void> {
  const form = readStoredForm(request.form_data);
  const [documents, events] = await Promise.all([documentsOf(ctx.db, request.id), findRequestEvents(ctx.db, request.id)]);
  // Typed from the paper bulletin by the insurer: its history says so (the latest such event).
  const paperEntry = events.findLast((e) => e.kind === 'paper_entered');
  const undecided = request.decision === null;
  // What a validation would meet, said before the button rather than after a click.
  const check = undecided ? await checkValidation(ctx.db, request, form) : null;
  const blocker = check && !check.ok ? check.message : null;
  const known = check?.known;
  const formNir = form?.identity.nir ? normalizeNir(form.identity.nir).slice(0, 13) : null;
  const name = fullName(request);
  await res.renderPage({
    page: 'gestion/affiliation',
    fragment: 'gestion/affiliation-decision',
    layout: 'gestion',
    title: `Demande d'affiliation ${de(name)}`,
    status: state.status,
    locals: {
      name,
      base: BASE,
      request: {
        ...request,
        statusLabel: affiliationStatusLabels[request.status as AffiliationStatus] ?? request.status,
        modeLabel: affiliationModeLabels[request.mode as AffiliationMode] ?? request.mode,
        college: collegeLabel(request.professional_status),
        contractType: employmentContractLabels[request.employment_contract_type as EmploymentContractType] ?? request.employment_contract_type,
        companyStatus: companyStatusLabels[request.company_status as CompanyStatus] ?? request.company_status,
        hrNir: formatNir(request.nir),
        nirDiffers: formNir !== null && formNir !== normalizeNir(request.nir).slice(0, 13),
        creator: request.creator_first_name ? `${request.creator_first_name} ${request.creator_last_name}` : '',
      },
      sent: sentForm(form),
      paperEntry: paperEntry
        ? { at: paperEntry.at, by: paperEntry.account_first_name ? `${paperEntry.account_first_name} ${paperEntry.account_last_name}` : '' }
        : null,
      documents: documents.map((d) => ({
        href: `${BASE}/${request.id}/documents/${d.id}`,
        kind: affiliationDocumentLabels[d.kind as AffiliationDocumentKind] ?? d.kind,
        name: safeOriginalName(d.original_name),
        size: `${formatInteger(Math.max(1, Math.round(d.size_bytes / 1024)))} Ko`,
        type: d.mime === 'application/pdf' ? 'PDF' : d.mime === 'image/jpeg' ? 'JPEG' : d.mime === 'image/png' ? 'PNG' : 'fichier',
      })),
      events: events.map((e) => ({
        at: e.at,
        label: affiliationEventLabel(e.kind, affiliationEventDetail(e.detail), ctx.config.brand.name, request.mode as AffiliationMode),
        who: whoDid(e),
      })),
      decision: {
        undecided,
        label: request.decision ? affiliationDecisionLabels[request.decision] : 'À traiter',
        at: request.decided_at,
        by: request.decider_first_name ? `${request.decider_first_name} ${request.decider_last_name}` : '',
        reason: request.decision_reason,
        memberNumber: request.member_number,
        blocker,
        known: known ? VALIDATION_TEXTS.reused(known.member_number) : null,
        employeeEmail: memberEmailOf(form, request),
      },
      errors: state.errors && Object.keys(state.errors).length ? state.errors : undefined,
      values: state.values ?? {},
    },
  });
}

export function showDetail(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    await renderDetail(ctx, res, await loadRequest(ctx, req));
  };
}

/** A document of the request, from the upload folder (never the web root), as an attachment. */
export function downloadDocument(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const request = await loadRequest(ctx, req);
    const documentId = positiveId(req.params.documentId);
    if (!documentId) throw new HttpError(404);
    const document = await findRequestDocument(ctx.db, request.id, documentId);
    if (!document || !STORED_NAME.test(document.stored_name)) throw new HttpError(404);
    const mime = DOWNLOAD_TYPES.has(document.mime) ? document.mime : 'application/octet-stream';
    if (!(await sendFromStore(res, ctx.files, AFFILIATION_DOCUMENTS_FOLDER, document.stored_name, document.original_name, mime))) throw new HttpError(404);
  };
}

// ------------------------------------------------------------------ decisions
export function validate(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const request = await loadRequest(ctx, req);
    const check = checkDecision(request, 'validated');
    if (!check.ok) {
      await renderDetail(ctx, res, request, { errors: { [check.field]: check.message }, status: 409 });
      return;
    }
    const now = ctx.clock();
    const result = await validateRequest(
      ctx.db,
      request.id,
      { staffId: req.account!.id, teletransmissionServiceDays: ctx.config.brand.correspondence.teletransmission.serviceDays },
      now,
      isoToday(ctx.clock),
    );
    if (!result.ok) {
      await renderDetail(ctx, res, (await findFinalizedRequest(ctx.db, request.id))!, { errors: { [result.field]: result.message }, status: 409 });
      return;
    }
    const form = readStoredForm(request.form_data);
    const to = memberEmailOf(form, request);
    const name = fullName(form?.identity.firstName ? { first_name: form.identity.firstName, last_name: form.identity.lastName } : request);
    if (to) {
      await ctx.outbox.sendEmail(
        validatedEmail(ctx.config.brand, ctx.config.publicUrl, to, {
          name,
          companyName: request.company_name,
          startDate: request.affiliation_date,
          memberNumber: result.memberNumber,
          hasAccount: result.hasAccount,
        }),
      );
    }
    if (result.changed?.iban) {
      // Never the IBAN itself in the audit log: the country is enough to tell changes apart.
      await recordAudit(ctx.db, now, {
        event: 'iban_changed',
        accountId: req.account!.id,
        accountKind: 'staff',
        ...requestOrigin(req),
        detail: { member: result.memberId, source: 'affiliation' },
      });
    }
    if (result.changed && (result.changed.iban || result.changed.email) && result.changed.previousEmail) {
      await ctx.outbox.sendEmail(
        brandedEmail(ctx.config.brand, result.changed.previousEmail, {
          subject: 'Vos coordonnées ont été mises à jour',
          greeting: `Bonjour ${form?.identity.firstName ?? request.first_name},`,
          paragraphs: [
            `Votre nouvelle affiliation au contrat Frais de Santé ${de(request.company_name)} a mis à jour ${result.changed.iban && result.changed.email ? 'vos coordonnées bancaires et votre adresse e-mail' : result.changed.iban ? 'vos coordonnées bancaires' : 'votre adresse e-mail'}, d'après le formulaire d'affiliation que vous avez transmis.`,
            `Si vous n'êtes pas à l'origine de ce formulaire, appelez-nous sans attendre au ${ctx.config.brand.help.phone} (${ctx.config.brand.help.hours}).`,
          ],
        }),
      );
    }
    await recordAudit(ctx.db, now, {
      event: 'affiliation_validated',
      accountId: req.account!.id,
      accountKind: 'staff',
      ...requestOrigin(req),
      detail: { request: request.id, member: result.memberId, reused: result.reused },
    });
    res.redirectWithFlash(BASE, VALIDATION_TEXTS.validated(name, result.memberNumber, Boolean(to)));
  };
}

export function refuse(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const request = await loadRequest(ctx, req);
    const values = { motif: typeof req.body?.motif === 'string' ? req.body.motif.slice(0, 5000) : '' };
    const unsafe = unsafeTextErrors(req.body, ['motif']);
    if (unsafe.motif) {
      await renderDetail(ctx, res, request, { errors: { motif: unsafe.motif }, values, status: 422 });
      return;
    }
    const check = checkDecision(request, 'refused', values.motif);
    if (!check.ok) {
      await renderDetail(ctx, res, request, { errors: { [check.field]: check.message }, values, status: check.field === 'motif' ? 422 : 409 });
      return;
    }
    const now = ctx.clock();
    const result = await refuseRequest(ctx.db, request.id, req.account!.id, values.motif, now);
    if (!result.ok) {
      await renderDetail(ctx, res, (await findFinalizedRequest(ctx.db, request.id))!, { errors: { [result.field]: result.message }, values, status: 409 });
      return;
    }
    const form = readStoredForm(request.form_data);
    const to = memberEmailOf(form, request);
    const name = fullName(request);
    if (to) await ctx.outbox.sendEmail(refusedEmail(ctx.config.brand, to, { name, companyName: request.company_name, reason: result.reason }));
    await recordAudit(ctx.db, now, {
      event: 'affiliation_refused',
      accountId: req.account!.id,
      accountKind: 'staff',
      ...requestOrigin(req),
      detail: { request: request.id },
    });
    res.redirectWithFlash(BASE, VALIDATION_TEXTS.refused(name, Boolean(to)));
  };
}

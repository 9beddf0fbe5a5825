// « Pré-affiliation » (guide « Zoom sur la rubrique Pré-affiliation »): four steps,
// each with « Annuler » / « Valider » — 1 Etablissement, 2 Statut professionnel, 3 « Le salarié
// a-t-il déjà fait l'objet d'une affiliation au sein de votre entreprise ? », 4 the employee —
// then the communication to the employee: the link to the online form by email, or (without an
// email) the paper form to download from the « Suivi des demandes d'affiliation ».
//
// What the steps collect lives in the server-side session, so every step is a plain page that
// works without JavaScript and the browser's back and forward buttons never lose anything.
// With htmx, a valid step answers the next step's fragment and pushes its URL.
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requestOrigin } from '../../auth/session.js';
import {
  COMPANY_STATUSES,
  EMPLOYMENT_CONTRACT_TYPES,
  PROFESSIONAL_STATUSES,
  companyStatusLabels,
  employmentContractLabels,
  affiliationLinkEmail,
  newAffiliationLink,
  professionalStatusLabels,
  type ProfessionalStatus,
} from '../../domain/affiliation-requests.js';
import { recordAudit } from '../../stores/audit.js';
import { formatDateFr, formatParisDayFr, isoToday } from '../../domain/dates.js';
import { HttpError } from '../../middleware/errors.js';
import { checkField, nirField, positiveId, keptValues, siretField, unsafeTextErrors, type FieldErrors } from '../../validation.js';
import { checkEmployee, EMPLOYEE_FIELDS, PRE_AFFILIATION_TEXTS, type EmployeeValues } from './employee.js';
import { createAffiliationRequest, findCoveredEmployee, findFormerEmployee, findOpenRequest } from './queries.js';
import { establishmentOptions, findVisibleEstablishment, type VisibleEstablishment, type VisibleEstablishmentWithCompany } from '../queries.js';
import { ESTABLISHMENTS_PAST_CAP_HINT } from '../establishment-filter.js';
import { employeeVisible } from '../employees/queries.js';
import { findTrackedRequest } from '../affiliation-tracking/queries.js';

const BASE = '/entreprise/pre-affiliation';
const TRACKING = '/entreprise/suivi-affiliations';
/** A wizard left alone this long starts again (its choices may no longer hold). */
const STATE_MAX_MS = 4 * 3600_000;

type Step = 'etablissement' | 'statut' | 'deja-affilie' | 'salarie';
const STEPS: Step[] = ['etablissement', 'statut', 'deja-affilie', 'salarie'];
const STEP_TITLES: Record<Step, string> = {
  etablissement: "Choisissez le nom de l'établissement",
  statut: 'Sélectionnez le statut professionnel du salarié',
  'deja-affilie': "Précisez si le salarié a déjà fait l'objet d'une affiliation au sein de votre entreprise",
  salarie: 'Remplissez toutes les informations du salarié',
};

interface PreAffiliationState {
  startedAt: string;
  establishmentId?: number;
  professionalStatus?: ProfessionalStatus;
  alreadyAffiliated?: 'oui' | 'non';
  /** Typed at step 3 when « Oui ». */
  formerNir?: string;
  formerMemberId?: number | null;
  /** Step 4 as last typed or pre-filled (kept when going back and forth). */
  employee?: EmployeeValues;
}

declare module 'express-session' {
  interface SessionData {
    preAffiliation?: PreAffiliationState;
  }
}

function stateOf(ctx: AppContext, req: Request): PreAffiliationState {
  const now = ctx.clock();
  const state = req.session.preAffiliation;
  if (state && now.getTime() - Date.parse(state.startedAt) < STATE_MAX_MS) return state;
  req.session.preAffiliation = { startedAt: now.toISOString() };
  return req.session.preAffiliation;
}

/** The first step whose answer is missing: a later step cannot be reached before it. */
function firstMissing(state: PreAffiliationState): Step {
  if (!state.establishmentId) return 'etablissement';
  if (!state.professionalStatus) return 'statut';
  if (!state.alreadyAffiliated) return 'deja-affilie';
  return 'salarie';
}

interface StepRender {
  status?: number;
  errors?: FieldErrors;
  values?: Record<string, string>;
  /** Links shown beside a duplicate: the employee's page or the request already open. */
  duplicateLink?: { href: string; label: string } | null;
}

type Establishment = VisibleEstablishmentWithCompany;

/**
 * `establishment` is the one chosen (checked visible), null before step 1 is answered. Step 1
 * offers a select of the visible establishments up to ESTABLISHMENT_OPTIONS_MAX and a SIRET field
 * past that (null); `listed` passes along the options when the caller has read them already.
 */
async function renderStep(
  ctx: AppContext,
  req: Request,
  res: Response,
  step: Step,
  establishment: Establishment | null,
  options: StepRender = {},
  listed?: VisibleEstablishment[] | null,
) {
  const state = stateOf(ctx, req);
  const establishments = step !== 'etablissement' ? null : listed !== undefined ? listed : await establishmentOptions(ctx.db, req.account!.id);
  let values = options.values ?? defaultValues(step, state);
  // Past the cap the chosen establishment shows in the SIRET field, so coming back to step 1 keeps it.
  if (step === 'etablissement' && !establishments && values.siret === undefined) values = { ...values, siret: establishment?.siret ?? '' };
  await res.renderPage({
    page: 'entreprise/pre-affiliation',
    fragment: 'entreprise/pre-affiliation-step',
    layout: 'entreprise',
    title: `Pré-affiliation — ${STEP_TITLES[step]}`,
    status: options.status,
    locals: {
      step,
      stepNumber: STEPS.indexOf(step) + 1,
      stepTitle: STEP_TITLES[step],
      base: BASE,
      previous: STEPS.indexOf(step) > 0 ? `${BASE}/${STEPS[STEPS.indexOf(step) - 1]}` : null,
      establishments,
      establishmentsHint: step === 'etablissement' && !establishments ? ESTABLISHMENTS_PAST_CAP_HINT : null,
      establishment,
      professionalStatus: state.professionalStatus ?? null,
      values,
      errors: options.errors ?? {},
      duplicateLink: options.duplicateLink ?? null,
      labels: { professional: professionalStatusLabels, contract: employmentContractLabels, companyStatus: companyStatusLabels },
      options: { professional: PROFESSIONAL_STATUSES, contract: EMPLOYMENT_CONTRACT_TYPES, companyStatus: COMPANY_STATUSES },
      formerFound: state.alreadyAffiliated === 'oui' && Boolean(state.formerMemberId),
    },
  });
}

function defaultValues(step: Step, state: PreAffiliationState): Record<string, string> {
  switch (step) {
    case 'etablissement':
      return { etablissement: state.establishmentId ? String(state.establishmentId) : '' };
    case 'statut':
      return { statut_professionnel: state.professionalStatus ?? '' };
    case 'deja-affilie':
      return { deja_affilie: state.alreadyAffiliated ?? '', nir_ancien: state.formerNir ?? '' };
    case 'salarie':
      return {
        ...(state.employee ?? {}),
        statut_professionnel: state.employee?.statut_professionnel || state.professionalStatus || '',
        statut_entreprise: state.employee?.statut_entreprise || 'salarie',
      };
  }
}

/** The link to a covered employee's page, if the user may open it (their perimeter may not include them). */
async function employeeLink(ctx: AppContext, req: Request, memberId: number): Promise<StepRender['duplicateLink']> {
  return (await employeeVisible(ctx.db, req.account!.id, memberId))
    ? { href: `/entreprise/salaries/${memberId}`, label: PRE_AFFILIATION_TEXTS.seeEmployee }
    : null;
}

/** After a valid step: the next one, as a page (303) or, with htmx, its fragment at its URL. */
async function goTo(ctx: AppContext, req: Request, res: Response, step: Step, establishment: Establishment) {
  if (req.isHtmx) {
    res.set('HX-Push-Url', `${BASE}/${step}`);
    await renderStep(ctx, req, res, step, establishment);
    return;
  }
  res.redirect(303, `${BASE}/${step}`);
}

// ------------------------------------------------------------------ pages
export function start(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    res.redirect(303, `${BASE}/${firstMissing(stateOf(ctx, req))}`);
  };
}

export function showStep(ctx: AppContext, step: Step) {
  return async (req: Request, res: Response) => {
    const state = stateOf(ctx, req);
    const missing = firstMissing(state);
    if (STEPS.indexOf(step) > STEPS.indexOf(missing)) {
      res.redirect(303, `${BASE}/${missing}`);
      return;
    }
    const establishment = state.establishmentId ? ((await findVisibleEstablishment(ctx.db, req.account!.id, { id: state.establishmentId })) ?? null) : null;
    if (step !== 'etablissement') {
      if (!establishment) return establishmentGone(ctx, req, res);
      await renderStep(ctx, req, res, step, establishment);
      return;
    }
    const listed = await establishmentOptions(ctx.db, req.account!.id);
    if (listed && !listed.length) {
      await res.renderPage({ page: 'entreprise/pre-affiliation-empty', layout: 'entreprise', title: 'Pré-affiliation', locals: {} });
      return;
    }
    await renderStep(ctx, req, res, step, establishment, {}, listed);
  };
}

export function cancel(_ctx: AppContext) {
  return async (req: Request, res: Response) => {
    delete req.session.preAffiliation;
    res.redirectWithFlash('/entreprise/accueil', PRE_AFFILIATION_TEXTS.cancelled, 'info');
  };
}

function field(req: Request, name: string): string {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** The chosen establishment left the user's scope meanwhile (habilitation suspended, perimeter changed). */
function establishmentGone(ctx: AppContext, req: Request, res: Response) {
  req.session.preAffiliation = { startedAt: ctx.clock().toISOString() };
  res.redirectWithFlash(`${BASE}/etablissement`, PRE_AFFILIATION_TEXTS.establishmentGone, 'info');
}

/** Loads what every POST needs; answers itself (redirect) when an earlier step is missing. */
async function loadPost(ctx: AppContext, req: Request, res: Response, step: Step) {
  const state = stateOf(ctx, req);
  const missing = firstMissing(state);
  if (STEPS.indexOf(step) > STEPS.indexOf(missing)) {
    res.redirectWithFlash(`${BASE}/${missing}`, PRE_AFFILIATION_TEXTS.stepMissing, 'info');
    return null;
  }
  if (!state.establishmentId) return { state, establishment: null };
  const establishment = await findVisibleEstablishment(ctx.db, req.account!.id, { id: state.establishmentId });
  if (!establishment) {
    establishmentGone(ctx, req, res);
    return null;
  }
  return { state, establishment };
}

/** Steps 2 to 4: their establishment is chosen (firstMissing) and still visible (loadPost). */
async function loadLaterPost(ctx: AppContext, req: Request, res: Response, step: Exclude<Step, 'etablissement'>) {
  const loaded = await loadPost(ctx, req, res, step);
  return loaded?.establishment ? { state: loaded.state, establishment: loaded.establishment } : null;
}

export function submitEstablishment(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const loaded = await loadPost(ctx, req, res, 'etablissement');
    if (!loaded) return;
    const accountId = req.account!.id;
    // The select sends an id; past the cap the form has a SIRET field instead. Either is looked up
    // among the visible establishments only.
    const rawId = field(req, 'etablissement');
    const rawSiret = field(req, 'siret');
    // A value with an unsafe character is never looked up: its message is the answer.
    const unsafe = unsafeTextErrors(req.body);
    const refused = unsafe.etablissement ?? unsafe.siret;
    let chosen: Establishment | undefined;
    let error: string = refused ?? PRE_AFFILIATION_TEXTS.establishmentUnknown;
    if (rawId && !refused) {
      const id = positiveId(rawId);
      chosen = id ? await findVisibleEstablishment(ctx.db, accountId, { id }) : undefined;
    } else if (rawSiret && !refused) {
      const siret = checkField(siretField(), rawSiret);
      chosen = siret.ok ? await findVisibleEstablishment(ctx.db, accountId, { siret: siret.value }) : undefined;
      error = siret.ok ? PRE_AFFILIATION_TEXTS.siretUnknown : siret.error;
    }
    if (!chosen) {
      const listed = await establishmentOptions(ctx.db, accountId);
      if (!rawId && !rawSiret) error = listed ? PRE_AFFILIATION_TEXTS.establishmentRequired : PRE_AFFILIATION_TEXTS.siretRequired;
      // Said at the field on the page: the select under the cap, the SIRET field past it.
      const errors: FieldErrors = { [listed ? 'etablissement' : 'siret']: error };
      await renderStep(ctx, req, res, 'etablissement', loaded.establishment, { status: 422, errors, values: { etablissement: '', siret: rawSiret } }, listed);
      return;
    }
    if (loaded.state.establishmentId && loaded.state.establishmentId !== chosen.id) {
      // Another company may not know the former employee found for the first one.
      if (loaded.establishment?.company_id !== chosen.company_id) {
        delete loaded.state.alreadyAffiliated;
        delete loaded.state.formerMemberId;
        delete loaded.state.formerNir;
      }
    }
    loaded.state.establishmentId = chosen.id;
    await goTo(ctx, req, res, 'statut', chosen);
  };
}

const professionalSchema = z.enum(PROFESSIONAL_STATUSES);

export function submitProfessionalStatus(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const loaded = await loadLaterPost(ctx, req, res, 'statut');
    if (!loaded) return;
    const parsed = professionalSchema.safeParse(field(req, 'statut_professionnel'));
    if (!parsed.success) {
      await renderStep(ctx, req, res, 'statut', loaded.establishment, {
        status: 422,
        errors: { statut_professionnel: PRE_AFFILIATION_TEXTS.professionalRequired },
        values: { statut_professionnel: '' },
      });
      return;
    }
    loaded.state.professionalStatus = parsed.data;
    if (loaded.state.employee) loaded.state.employee.statut_professionnel = parsed.data;
    await goTo(ctx, req, res, 'deja-affilie', loaded.establishment);
  };
}

const formerNirField = nirField({ allowThirteen: true, allowFifteen: false, required: PRE_AFFILIATION_TEXTS.formerNirRequired });

export function submitAlreadyAffiliated(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const loaded = await loadLaterPost(ctx, req, res, 'deja-affilie');
    if (!loaded) return;
    const { state, establishment } = loaded;
    const answer = field(req, 'deja_affilie');
    const values = { deja_affilie: answer, nir_ancien: field(req, 'nir_ancien') };
    const again = (errors: FieldErrors, duplicateLink: StepRender['duplicateLink'] = null) =>
      renderStep(ctx, req, res, 'deja-affilie', establishment, { status: 422, errors, values, duplicateLink });
    const unsafe = unsafeTextErrors(req.body);
    if (Object.keys(unsafe).length) return again(unsafe);
    if (answer !== 'oui' && answer !== 'non') return again({ deja_affilie: PRE_AFFILIATION_TEXTS.alreadyRequired });
    if (answer === 'non') {
      if (state.alreadyAffiliated === 'oui' && state.formerMemberId) delete state.employee;
      state.alreadyAffiliated = 'non';
      state.formerMemberId = null;
      delete state.formerNir;
      return goTo(ctx, req, res, 'salarie', establishment);
    }
    // « Oui »: find the former employee by the NIR HR knows, to fill the last step in.
    const checked = checkField(formerNirField, values.nir_ancien);
    if (!checked.ok) return again({ nir_ancien: checked.error });
    const nir = checked.value;
    const former = await findFormerEmployee(ctx.db, establishment.company_id, nir.full15);
    if (!former) return again({ nir_ancien: PRE_AFFILIATION_TEXTS.formerNotFound });
    const covered = await findCoveredEmployee(ctx.db, establishment.company_id, nir.full15, isoToday(ctx.clock));
    if (covered) return again({ nir_ancien: PRE_AFFILIATION_TEXTS.stillCovered }, await employeeLink(ctx, req, covered.member_id));
    state.alreadyAffiliated = 'oui';
    state.formerNir = nir.nir13;
    state.formerMemberId = former.member_id;
    state.employee = {
      ...(state.employee ?? {}),
      nir: nir.nir13,
      nom: former.last_name,
      prenom: former.first_name,
      email: former.email ?? '',
      date_naissance: formatDateFr(former.birth_date),
    } as EmployeeValues;
    await goTo(ctx, req, res, 'salarie', establishment);
  };
}

export function submitEmployee(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const loaded = await loadLaterPost(ctx, req, res, 'salarie');
    if (!loaded) return;
    const { state, establishment } = loaded;
    const typed = Object.fromEntries(EMPLOYEE_FIELDS.map((name) => [name, field(req, name)])) as EmployeeValues;
    // Kept even when wrong: going back a step and forth again shows what was typed.
    state.employee = typed;
    const today = isoToday(ctx.clock);
    const checked = checkEmployee(typed, today);
    const values = { ...keptValues(req.body), ...typed };
    if (!checked.ok) {
      await renderStep(ctx, req, res, 'salarie', establishment, { status: 422, errors: checked.errors, values });
      return;
    }
    const employee = checked.employee;
    const covered = await findCoveredEmployee(ctx.db, establishment.company_id, employee.nir15, today);
    if (covered) {
      await renderStep(ctx, req, res, 'salarie', establishment, {
        status: 422,
        errors: { nir: PRE_AFFILIATION_TEXTS.alreadyCovered },
        values,
        duplicateLink: await employeeLink(ctx, req, covered.member_id),
      });
      return;
    }
    const open = await findOpenRequest(ctx.db, establishment.company_id, employee.nir15);
    if (open) {
      await renderStep(ctx, req, res, 'salarie', establishment, {
        status: 422,
        errors: { nir: PRE_AFFILIATION_TEXTS.requestOpen },
        values,
        // Only a link the user can open: the request may sit in an establishment outside their perimeter.
        duplicateLink: (await findTrackedRequest(ctx.db, req.account!.id, open.id))
          ? { href: `${TRACKING}/${open.id}`, label: PRE_AFFILIATION_TEXTS.seeRequest }
          : null,
      });
      return;
    }

    // Closed before writing: a second click of « Valider » finds no wizard rather than a second request.
    delete req.session.preAffiliation;
    await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
    const now = ctx.clock();
    const link = employee.email ? newAffiliationLink(now) : null;
    const created = await createAffiliationRequest(
      ctx.db,
      {
        ...employee,
        companyId: establishment.company_id,
        establishmentId: establishment.id,
        createdBy: req.account!.id,
        mode: link ? 'email' : 'courrier',
        // The former employee found at step 3, only if step 4 still names them (same NIR).
        previousMemberId: state.alreadyAffiliated === 'oui' && state.formerNir === employee.nir13 ? (state.formerMemberId ?? null) : null,
        tokenHash: link?.tokenHash ?? null,
        tokenExpiresAt: link?.expiresAt ?? null,
      },
      employee.nir15,
      now,
    );
    if ('openId' in created) {
      res.redirectWithFlash(`${TRACKING}/${created.openId}`, PRE_AFFILIATION_TEXTS.requestOpen, 'error');
      return;
    }
    const id = created.id;
    if (link && employee.email) {
      await ctx.outbox.sendEmail(
        affiliationLinkEmail(ctx.config.brand, ctx.config.publicUrl, employee.email, {
          firstName: employee.firstName,
          companyName: establishment.company_name,
          token: link.token,
          expiresAt: link.expiresAt,
        }),
      );
    }
    await recordAudit(ctx.db, now, {
      event: 'pre_affiliation_created',
      accountId: req.account!.id,
      accountKind: 'hr',
      ...requestOrigin(req),
      detail: { request: id, mode: link ? 'email' : 'courrier' },
    });
    res.redirectWithFlash(`${BASE}/envoi/${id}`);
  };
}

/** Step « Communication au salarié »: what was sent, or the paper form to hand over. */
export function showSent(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const id = positiveId(req.params.id);
    const request = id ? await findTrackedRequest(ctx.db, req.account!.id, id) : undefined;
    if (!request) throw new HttpError(404);
    await res.renderPage({
      page: 'entreprise/pre-affiliation-sent',
      layout: 'entreprise',
      title: 'Pré-affiliation — Communication au salarié',
      locals: {
        request,
        expires: request.token_expires_at ? formatParisDayFr(request.token_expires_at) : null,
        tracking: `${TRACKING}/${request.id}`,
        base: BASE,
      },
    });
  };
}

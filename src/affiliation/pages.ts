// Affiliation en ligne, the employee's side at /affiliation/<token>: the link from the
// HR pre-affiliation email, an identity check by date of birth (5 tries), then the form in
// sections with its documents. « Enregistrer le brouillon » keeps everything as typed (→ Démarré
// par le salarié); « Transmettre » checks everything (→ Finalisé par le salarié) and tells HR.
// An unknown, expired, cancelled, locked or already transmitted link gets one and the same page:
// nobody learns whether a link existed.
import type { Request, Response } from 'express';
import type { AppContext } from '../context.js';
import { AFFILIATION_MESSAGES, MAX_BIRTH_DATE_ATTEMPTS, draftSavedTransition, linkUsable, transition } from '../domain/affiliation-requests.js';
import { formatParisDayFr, isoToday } from '../domain/dates.js';
import { brandedEmail } from '../domain/email-templates.js';
import { hashToken } from '../domain/secrets.js';
import { de } from '../domain/text.js';
import { checkField, frenchDateField, unsafeTextErrors, type FieldErrors } from '../validation.js';
import { CHILD_ROWS, fieldsToSave, readStoredForm, submittedFormData, typedFields, type FormFields } from '../domain/affiliation-form.js';
import { FORM_TEXTS, checkForm, prefill } from '../affiliation-requests/form-check.js';
import { regenerateSession } from '../auth/session.js';
import { addRequestEvent, applyStatusChange, notifyHrOfFinalizedForm } from '../affiliation-requests/lifecycle.js';
import {
  DOCUMENT_TEXTS,
  discardUploads,
  documentsSection,
  missingDocuments,
  removeFormDocument,
  saveTypedWithUploads,
} from '../affiliation-requests/documents.js';
import { documentsOf, findRequestByTokenHash, refundBirthDateTry, reserveBirthDateTry, type FormRequest } from '../affiliation-requests/queries.js';

export { formUploads } from '../affiliation-requests/documents.js';

const AFFILIATION_TEXTS = {
  birthFormat: 'Saisissez votre date de naissance au format jj/mm/aaaa.',
  birthWrong: (left: number) => `La date de naissance ne correspond pas. Il vous reste ${left} essai${left > 1 ? 's' : ''}.`,
  draftSaved: (until: string) => `Votre brouillon est enregistré. Vous pouvez revenir le compléter avec le lien reçu par email, jusqu'au ${until}.`,
} as const;

declare module 'express-session' {
  interface SessionData {
    /** Requests whose birth date was checked in this session. */
    affiliationAccess?: number[];
    /** Shown once on the confirmation page after « Transmettre ». */
    affiliationSubmitted?: { firstName: string; companyName: string };
  }
}

function tokenOf(req: Request): string {
  const token = req.params.token;
  return typeof token === 'string' ? token : '';
}

/** The request behind the link if it can still be used, else the one « lien invalide » page. */
async function usableRequest(ctx: AppContext, req: Request, res: Response): Promise<FormRequest | null> {
  const token = tokenOf(req);
  const request = token.length >= 20 && token.length <= 100 ? await findRequestByTokenHash(ctx.db, hashToken(token)) : undefined;
  if (request && linkUsable(request, ctx.clock())) return request;
  await renderUnusable(res);
  return null;
}

function renderUnusable(res: Response) {
  return res.renderPage({
    page: 'affiliation/unusable',
    layout: 'affiliation',
    title: 'Lien non valide',
    status: 404,
    locals: { message: AFFILIATION_MESSAGES.linkUnusable },
  });
}

function verified(req: Request, request: FormRequest): boolean {
  return (req.session.affiliationAccess ?? []).includes(request.id);
}

function base(req: Request): string {
  return `/affiliation/${tokenOf(req)}`;
}

// ------------------------------------------------------------------ identity check
async function renderIdentity(req: Request, res: Response, request: FormRequest, options: { errors?: FieldErrors; value?: string; status?: number } = {}) {
  await res.renderPage({
    page: 'affiliation/identity',
    layout: 'affiliation',
    title: 'Vérification de votre identité',
    status: options.status,
    locals: { base: base(req), request, errors: options.errors ?? {}, value: options.value ?? '' },
  });
}

export function showIdentity(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const request = await usableRequest(ctx, req, res);
    if (!request) return;
    if (verified(req, request)) {
      res.redirect(303, `${base(req)}/formulaire`);
      return;
    }
    await renderIdentity(req, res, request);
  };
}

export function checkIdentity(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const request = await usableRequest(ctx, req, res);
    if (!request) return;
    const typed = typeof req.body?.date_naissance === 'string' ? req.body.date_naissance.trim().slice(0, 20) : '';
    const date = checkField(frenchDateField({ required: AFFILIATION_TEXTS.birthFormat, invalid: AFFILIATION_TEXTS.birthFormat }), typed);
    if (!date.ok) {
      await renderIdentity(req, res, request, { status: 422, errors: { date_naissance: date.error }, value: typed });
      return;
    }
    const now = ctx.clock();
    const tokenHash = hashToken(tokenOf(req));
    const attempts = await reserveBirthDateTry(ctx.db, request.id, tokenHash, MAX_BIRTH_DATE_ATTEMPTS, now);
    if (attempts === null) {
      await renderUnusable(res);
      return;
    }
    if (date.value !== request.birth_date) {
      if (attempts >= MAX_BIRTH_DATE_ATTEMPTS) {
        await addRequestEvent(ctx.db, request.id, 'link_locked', now.toISOString(), null, { reason: 'birth_date' });
        await renderUnusable(res);
        return;
      }
      await renderIdentity(req, res, request, {
        status: 422,
        errors: { date_naissance: AFFILIATION_TEXTS.birthWrong(MAX_BIRTH_DATE_ATTEMPTS - attempts) },
        value: typed,
      });
      return;
    }
    await refundBirthDateTry(ctx.db, request.id, tokenHash);
    // A new session id once the person is known to hold both the link and the birth date.
    const access = [...(req.session.affiliationAccess ?? []), request.id];
    await regenerateSession(req);
    req.session.affiliationAccess = access;
    // Opening the form is not starting it: « Démarré par le salarié » waits for a saved draft.
    res.redirect(303, `${base(req)}/formulaire`);
  };
}

// ------------------------------------------------------------------ the form
interface FormRender {
  status?: number;
  errors?: FieldErrors;
  fields?: FormFields;
}

async function renderForm(ctx: AppContext, req: Request, res: Response, request: FormRequest, options: FormRender = {}) {
  const documents = await documentsOf(ctx.db, request.id);
  await res.renderPage({
    page: 'affiliation/form',
    layout: 'affiliation',
    title: "Mon formulaire d'affiliation",
    status: options.status,
    locals: {
      base: base(req),
      request,
      values: options.fields ?? prefill(request, readStoredForm(request.form_data)),
      errors: options.errors ?? {},
      ...documentsSection(documents),
      childRows: CHILD_ROWS,
      expires: request.token_expires_at ? formatParisDayFr(request.token_expires_at) : '',
    },
  });
}

/** The form was stored without being transmitted: a request still « Envoyé » is now « Démarré par le salarié ». */
async function recordDraftStart(ctx: AppContext, request: FormRequest, now: Date): Promise<void> {
  const moved = draftSavedTransition(request.status);
  if (moved?.ok) await applyStatusChange(ctx.db, request.id, moved, { kind: 'started', accountId: null }, now, { started_at: now.toISOString() });
}

export function showForm(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const request = await usableRequest(ctx, req, res);
    if (!request) return;
    if (!verified(req, request)) {
      res.redirect(303, base(req));
      return;
    }
    await renderForm(ctx, req, res, request);
  };
}

/** « Enregistrer le brouillon », « Transmettre », or « Retirer » a document: one POST, multipart. */
export function submitForm(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const files = req.uploads ?? [];
    const request = await usableRequest(ctx, req, res);
    if (!request || !verified(req, request)) {
      await discardUploads(ctx.files, files);
      if (request) res.redirect(303, base(req));
      return;
    }
    const fields = typedFields(req.body);
    const unsafe = unsafeTextErrors(req.body);
    if (req.uploadError) {
      // The body may stop at the refused file: nothing is saved, what arrived is shown again.
      await renderForm(ctx, req, res, request, { status: 422, errors: { documents: req.uploadError.message }, fields });
      return;
    }
    const now = ctx.clock();
    // Whatever the button, what was typed is kept as the draft: nothing typed is ever lost — but
    // a value with an unsafe character, shown back with its message, never reaches the draft.
    const saved = await saveTypedWithUploads(ctx, request, fieldsToSave(fields, request.form_data, Object.keys(unsafe)), files, now);
    if (!saved.ok) {
      await renderForm(ctx, req, res, request, { status: 422, errors: saved.errors, fields });
      return;
    }
    const { docs, existing } = saved;
    if (Object.keys(unsafe).length) {
      await renderForm(ctx, req, res, request, { status: 422, errors: unsafe, fields });
      return;
    }

    if (req.body?.retirer !== undefined) {
      await removeFormDocument(ctx.db, ctx.files, request.id, req.body.retirer);
      await recordDraftStart(ctx, request, now);
      res.redirectWithFlash(`${base(req)}/formulaire`, DOCUMENT_TEXTS.removed, 'info');
      return;
    }
    if (req.body?.action !== 'transmettre') {
      await recordDraftStart(ctx, request, now);
      await addRequestEvent(ctx.db, request.id, 'draft_saved', now.toISOString(), null);
      res.redirectWithFlash(`${base(req)}/formulaire`, AFFILIATION_TEXTS.draftSaved(formatParisDayFr(request.token_expires_at ?? now)));
      return;
    }

    const checked = checkForm(fields, isoToday(ctx.clock), request.birth_date);
    const errors: FieldErrors = { ...(checked.ok ? {} : checked.errors), ...missingDocuments([...existing, ...docs]) };
    if (req.body?.consentement !== 'oui') errors.consentement = FORM_TEXTS.consent;
    if (!checked.ok || Object.keys(errors).length) {
      await recordDraftStart(ctx, request, now);
      await renderForm(ctx, req, res, request, { status: 422, errors, fields });
      return;
    }
    const submitted = transition(request.status, 'submit');
    const moved =
      submitted.ok &&
      (await applyStatusChange(ctx.db, request.id, submitted, { kind: 'submitted', accountId: null }, now, {
        submitted_at: now.toISOString(),
        form_data: submittedFormData(checked.form, fields),
      }));
    if (!moved) {
      // Cancelled or expired between the page and the click: the one « lien inutilisable » page.
      await renderUnusable(res);
      return;
    }
    const name = `${checked.form.identity.firstName} ${checked.form.identity.lastName}`;
    await notifyHrOfFinalizedForm(ctx.db, request, name, 'online', now);
    const to = checked.form.contact.email ?? request.email;
    if (to) {
      await ctx.outbox.sendEmail(
        brandedEmail(ctx.config.brand, to, {
          subject: "Nous avons bien reçu votre formulaire d'affiliation",
          greeting: `Bonjour ${checked.form.identity.firstName},`,
          paragraphs: [
            `Votre formulaire d'affiliation au contrat Frais de Santé ${de(request.company_name)} nous est bien parvenu, avec vos justificatifs.`,
            "Nous l'étudions et vous écrirons dès que votre affiliation sera enregistrée : vous pourrez alors activer votre Espace Assuré.",
          ],
        }),
      );
    }
    req.session.affiliationSubmitted = { firstName: checked.form.identity.firstName, companyName: request.company_name };
    res.redirect(303, '/affiliation/transmis');
  };
}

export function showSubmitted(_ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const done = req.session.affiliationSubmitted;
    if (!done) {
      res.redirect(303, '/');
      return;
    }
    await res.renderPage({ page: 'affiliation/done', layout: 'affiliation', title: "Formulaire d'affiliation transmis", locals: { done } });
  };
}

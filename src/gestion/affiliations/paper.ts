// « Saisir le bulletin papier » (Espace Gestion): a request in mode Courrier has no online form;
// the employee fills the pre-filled paper « Bulletin individuel d'affiliation » HR printed, signs
// it and posts it with the documents. Staff type it here: the same sections, fields, checks and
// documents as the employee's online form (partials/affiliation/form-sections,
// src/affiliation-requests/form-check.ts, src/affiliation-requests/documents.ts), then the same move to « Finalisé par le salarié »
// (paperEntryTransition), the request history, HR's notification and the audit log. The request
// then waits in « Validation des affiliations » like an online one.
//
// Every POST keeps what was typed (as the form's draft) and the files received, so a wrong field
// never costs the documents already scanned; only « Enregistrer le bulletin » with every check
// passed finalizes.
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { requestOrigin } from '../../auth/session.js';
import { paperEntryTransition } from '../../domain/affiliation-requests.js';
import { CHILD_ROWS, fieldsToSave, readStoredForm, submittedFormData, typedFields, type FormFields } from '../../domain/affiliation-form.js';
import { recordAudit } from '../../stores/audit.js';
import { isoToday } from '../../domain/dates.js';
import { formatNir } from '../../domain/nir.js';
import { HttpError } from '../../middleware/errors.js';
import { positiveId, unsafeTextErrors, type FieldErrors } from '../../validation.js';
import { STAFF_FORM_TEXTS, checkForm, prefill } from '../../affiliation-requests/form-check.js';
import {
  DOCUMENT_TEXTS,
  discardUploads,
  documentsSection,
  missingDocuments,
  removeFormDocument,
  saveTypedWithUploads,
} from '../../affiliation-requests/documents.js';
import { documentsOf, findRequestById, type FormRequest } from '../../affiliation-requests/queries.js';
import { applyStatusChange, notifyHrOfFinalizedForm } from '../../affiliation-requests/lifecycle.js';
import { collegeLabel } from './texts.js';
import { de } from '../../domain/text.js';

const BASE = '/gestion/affiliations';

export const PAPER_TEXTS = {
  confirmation: 'Cochez la case pour confirmer que vous avez saisi le bulletin papier signé par le salarié.',
  saved: (name: string) =>
    `Le bulletin papier ${de(name)} est enregistré : la demande est « Finalisé par le salarié » et attend sa validation. L'entreprise en est informée.`,
  draftSaved: 'Votre saisie est enregistrée : vous pourrez la reprendre plus tard depuis la liste « Bulletins papier à saisir ».',
  meanwhile: "Cette demande vient d'être finalisée, annulée ou abandonnée : le bulletin papier ne peut plus être saisi.",
} as const;

export const paperHref = (id: number) => `${BASE}/${id}/bulletin-papier`;

/** The request if its paper bulletin may be typed now; 404 otherwise (mode Email, finalized, closed…). */
async function loadFormRequest(ctx: AppContext, req: Request): Promise<FormRequest> {
  const id = positiveId(req.params.id);
  const request = id ? await findRequestById(ctx.db, id) : undefined;
  if (!request || request.decision !== null || !paperEntryTransition(request).ok) throw new HttpError(404);
  return request;
}

interface PaperRender {
  status?: number;
  errors?: FieldErrors;
  fields?: FormFields;
  confirmed?: boolean;
}

async function renderPaperForm(ctx: AppContext, res: Response, request: FormRequest, options: PaperRender = {}): Promise<void> {
  const documents = await documentsOf(ctx.db, request.id);
  const name = `${request.first_name} ${request.last_name}`;
  await res.renderPage({
    page: 'gestion/affiliation-papier',
    layout: 'gestion',
    title: `Saisir le bulletin papier ${de(name)}`,
    status: options.status,
    locals: {
      name,
      base: BASE,
      action: paperHref(request.id),
      request: { ...request, college: collegeLabel(request.professional_status), hrNir: formatNir(request.nir) },
      values: options.fields ?? prefill(request, readStoredForm(request.form_data)),
      errors: options.errors ?? {},
      confirmed: options.confirmed ?? false,
      ...documentsSection(documents),
      childRows: CHILD_ROWS,
    },
  });
}

export function showPaperForm(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    await renderPaperForm(ctx, res, await loadFormRequest(ctx, req));
  };
}

/** « Enregistrer le bulletin », « Enregistrer ma saisie » or « Retirer » a document: one multipart POST. */
export function savePaperForm(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const files = req.uploads ?? [];
    let request: FormRequest;
    try {
      request = await loadFormRequest(ctx, req);
    } catch (err) {
      await discardUploads(ctx.files, files);
      throw err;
    }
    const fields = typedFields(req.body);
    const unsafe = unsafeTextErrors(req.body);
    const confirmed = req.body?.confirmation_papier === 'oui';
    if (req.uploadError) {
      // The body may stop at the refused file: nothing is saved, what arrived is shown again.
      await discardUploads(ctx.files, files);
      await renderPaperForm(ctx, res, request, { status: 422, errors: { documents: req.uploadError.message }, fields, confirmed });
      return;
    }
    const now = ctx.clock();
    // A value with an unsafe character is shown back with its message, never saved.
    const saved = await saveTypedWithUploads(ctx, request, fieldsToSave(fields, request.form_data, Object.keys(unsafe)), files, now);
    if (!saved.ok) {
      await renderPaperForm(ctx, res, request, { status: 422, errors: saved.errors, fields, confirmed });
      return;
    }
    const { docs, existing } = saved;
    if (Object.keys(unsafe).length) {
      await renderPaperForm(ctx, res, request, { status: 422, errors: unsafe, fields, confirmed });
      return;
    }

    if (req.body?.retirer !== undefined) {
      await removeFormDocument(ctx.db, ctx.files, request.id, req.body.retirer);
      res.redirectWithFlash(paperHref(request.id), DOCUMENT_TEXTS.removed, 'info');
      return;
    }
    if (req.body?.action !== 'enregistrer') {
      res.redirectWithFlash(paperHref(request.id), PAPER_TEXTS.draftSaved, 'info');
      return;
    }

    const checked = checkForm(fields, isoToday(ctx.clock), request.birth_date, STAFF_FORM_TEXTS);
    const errors: FieldErrors = { ...(checked.ok ? {} : checked.errors), ...missingDocuments([...existing, ...docs]) };
    if (!confirmed) errors.confirmation_papier = PAPER_TEXTS.confirmation;
    if (!checked.ok || Object.keys(errors).length) {
      await renderPaperForm(ctx, res, request, { status: 422, errors, fields, confirmed });
      return;
    }
    const staffId = req.account!.id;
    const move = paperEntryTransition(request);
    const moved =
      move.ok &&
      (await applyStatusChange(ctx.db, request.id, move, { kind: 'paper_entered', accountId: staffId }, now, {
        submitted_at: now.toISOString(),
        form_data: submittedFormData(checked.form, fields),
      }));
    if (!moved) {
      // HR cancelled (or another agent typed it) between the page and the click.
      res.redirectWithFlash(BASE, PAPER_TEXTS.meanwhile, 'error');
      return;
    }
    const name = `${checked.form.identity.firstName} ${checked.form.identity.lastName}`;
    await notifyHrOfFinalizedForm(ctx.db, request, name, 'paper', now);
    await recordAudit(ctx.db, now, {
      event: 'affiliation_paper_entered',
      accountId: staffId,
      accountKind: 'staff',
      ...requestOrigin(req),
      detail: { request: request.id, documents: existing.length + docs.length },
    });
    res.redirectWithFlash(`${BASE}/${request.id}`, PAPER_TEXTS.saved(name));
  };
}

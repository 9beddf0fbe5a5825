// « Mon profil » (reached by the silhouette icon): the HR user's own details (names;
// email and mobile confirmed by a code sent to the new one), their « périmètre suivi » and the
// two buttons to extend it.
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { contactChangePages, pendingContactChange } from '../../auth/contact-change.js';
import { updateAccountMobile } from '../../auth/queries.js';
import { requestOrigin } from '../../auth/session.js';
import { recordAudit } from '../../stores/audit.js';
import { formatPhone } from '../../domain/phone.js';
import { ROLE_LABELS } from '../../domain/habilitations.js';
import { loadPage } from '../../paging.js';
import { keptValues, parseForm, queryPage, requiredText, type FieldErrors } from '../../validation.js';
import { dataRightsLocals, dataRightsPages } from '../../personal-data/pages.js';
import { perimeterPage } from '../establishments/queries.js';
import { updateHrEmail, updateHrNames } from './queries.js';

const BASE = '/entreprise/profil';
const PAGE_SIZE = 50;

export function showProfile(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const { rows, total, page, pages } = await loadPage(queryPage(req.query.page).page, PAGE_SIZE, (p) => perimeterPage(ctx.db, req.account!.id, p, PAGE_SIZE));
    const pendingMobile = pendingContactChange(req, 'mobile', ctx.clock())?.value;
    await res.renderPage({
      page: 'entreprise/profile',
      layout: 'entreprise',
      title: 'Mon profil',
      locals: {
        pendingEmail: pendingContactChange(req, 'email', ctx.clock())?.value ?? null,
        pendingMobile: pendingMobile ? formatPhone(pendingMobile) : null,
        companies: req.hrCompanies,
        establishments: rows,
        total,
        roleLabels: ROLE_LABELS,
        page,
        pages,
        ...(await dataRightsLocals(ctx, req.account!.id)),
      },
    });
  };
}

/** « Mes données personnelles » (src/personal-data/pages.ts). */
export const dataRights = dataRightsPages({ base: BASE, layout: 'entreprise', kind: 'hr', baseTitle: 'Mon profil' });

const namesSchema = z.object({
  last_name: requiredText('Saisissez votre nom.', 100),
  first_name: requiredText('Saisissez votre prénom.', 100),
});

async function renderNames(res: Response, values: Record<string, string>, errors: FieldErrors, status?: number) {
  await res.renderPage({ page: 'entreprise/profile-names', layout: 'entreprise', title: 'Modifier mon nom et mon prénom', status, locals: { values, errors } });
}

export function showNamesForm(_ctx: AppContext) {
  return async (req: Request, res: Response) => renderNames(res, { last_name: req.account!.lastName, first_name: req.account!.firstName }, {});
}

export function saveNames(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const parsed = parseForm(namesSchema, req.body);
    if (!parsed.ok) {
      await renderNames(res, keptValues(req.body), parsed.errors, 422);
      return;
    }
    const now = ctx.clock();
    await updateHrNames(ctx.db, req.account!.id, parsed.data.last_name, parsed.data.first_name, now);
    await recordAudit(ctx.db, now, {
      event: 'hr_profile_changed',
      accountId: req.account!.id,
      accountKind: 'hr',
      ...requestOrigin(req),
      detail: { target: req.account!.id },
    });
    res.redirectWithFlash(BASE, 'Vos informations ont été enregistrées.');
  };
}

// ------------------------------------------------------------------ e-mail and mobile (code to the new one)
export const { showEmailForm, showMobileForm, requestEmailChange, requestMobileChange, confirmEmailChange, confirmMobileChange } = contactChangePages({
  base: BASE,
  baseTitle: 'Mon profil',
  layout: 'entreprise',
  spaceName: 'Espace Entreprise',
  current: (req) => ({ email: req.account!.email, mobile: req.account!.mobile ?? null, firstName: req.account!.firstName }),
  saveEmail: (db, req, email, now) => updateHrEmail(db, req.account!.id, email, now),
  saveMobile: (db, req, mobile, now) => updateAccountMobile(db, req.account!.id, mobile, now),
});

// Espace Assuré — Mes informations personnelles (the silhouette icon): identity
// (read-only), address, email, mobile and bank details, each with its « Modifier » form.
// A new email or mobile takes effect only once the code sent to it is typed; changing the
// email, the mobile or the IBAN asks for the current password first, throttled like the login
// (docs/domain.md#re-authentication).
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { contactChangePages, notifyContactChange, passwordInput, reauthenticate } from '../../auth/contact-change.js';
import { requestOrigin } from '../../auth/session.js';
import { recordAudit } from '../../stores/audit.js';
import { maskIban } from '../../domain/iban.js';
import { maskNir } from '../../domain/nir.js';
import { formatPhone } from '../../domain/phone.js';
import {
  ibanField,
  keptValues,
  optionalBicField,
  optionalText,
  orderedErrors,
  parseForm,
  postalCodeField,
  requiredText,
  type FieldErrors,
} from '../../validation.js';
import { dataRightsLocals, dataRightsPages } from '../../personal-data/pages.js';
import { memberIdOf } from '../member.js';
import { changeMemberEmail, changeMemberMobile, updateMemberAddress, updateMemberBankDetails } from './queries.js';

const BASE = '/assure/informations-personnelles';

const PROFILE_TEXTS = {
  addressDone: 'Votre adresse a été modifiée.',
  ibanDone: 'Vos coordonnées bancaires ont été modifiées',
  holderRequired: 'Le nom du titulaire du compte est obligatoire.',
} as const;

// ------------------------------------------------------------------ overview
export function showProfile(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const m = req.member!;
    await res.renderPage({
      page: 'assure/profile',
      layout: 'assure',
      title: 'Mes informations personnelles',
      locals: {
        m,
        maskedNir: maskNir(m.nir),
        maskedIban: m.iban ? maskIban(m.iban) : null,
        pendingEmail: req.session.profileEmailChange?.value ?? null,
        pendingMobile: req.session.profileMobileChange ? formatPhone(req.session.profileMobileChange.value) : null,
        ...(await dataRightsLocals(ctx, req.account!.id)),
      },
    });
  };
}

interface FormRender {
  status?: number;
  errors?: FieldErrors;
  values?: Record<string, string>;
  notice?: string;
}

// ------------------------------------------------------------------ « Mes données personnelles » (src/personal-data/pages.ts)
export const dataRights = dataRightsPages({ base: BASE, layout: 'assure', kind: 'member', baseTitle: 'Mes informations personnelles' });

// ------------------------------------------------------------------ adresse
const addressSchema = z.object({
  address_line1: requiredText("Saisissez l'adresse (numéro et voie).", 200),
  address_line2: optionalText(200),
  postal_code: postalCodeField({ max: 20 }),
  city: requiredText('Saisissez la ville.', 100),
});

function renderAddress(req: Request, res: Response, options: FormRender = {}) {
  const m = req.member!;
  return res.renderPage({
    page: 'assure/profile-address',
    fragment: 'assure/profile-address-form',
    layout: 'assure',
    title: 'Modifier mon adresse',
    status: options.status,
    locals: {
      errors: options.errors,
      values: options.values ?? { address_line1: m.address_line1, address_line2: m.address_line2 ?? '', postal_code: m.postal_code, city: m.city },
    },
  });
}

export function showAddressForm(_ctx: AppContext) {
  return async (req: Request, res: Response) => {
    await renderAddress(req, res);
  };
}

export function saveAddress(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const parsed = parseForm(addressSchema, req.body);
    if (!parsed.ok) {
      const values = keptValues(req.body);
      await renderAddress(req, res, { status: 422, errors: orderedErrors(parsed.errors, ['address_line1', 'address_line2', 'postal_code', 'city']), values });
      return;
    }
    const { address_line1, address_line2, postal_code, city } = parsed.data;
    await updateMemberAddress(ctx.db, memberIdOf(req), { address_line1, address_line2: address_line2 || null, postal_code, city }, ctx.clock());
    res.redirectWithFlash(BASE, PROFILE_TEXTS.addressDone);
  };
}

// ------------------------------------------------------------------ e-mail and mobile (code to the new one)
const contact = contactChangePages({
  base: BASE,
  baseTitle: 'Mes informations personnelles',
  layout: 'assure',
  spaceName: 'Espace Assuré',
  current: (req) => ({ email: req.member!.email ?? null, mobile: req.member!.mobile ?? null, firstName: req.member!.first_name }),
  memberId: memberIdOf,
  saveEmail: (db, req, email, now) => changeMemberEmail(db, memberIdOf(req), req.account!.id, email, now),
  saveMobile: (db, req, mobile, now) => changeMemberMobile(db, memberIdOf(req), req.account!.id, mobile, now),
});

export const { showEmailForm, showMobileForm, requestEmailChange, requestMobileChange, confirmEmailChange, confirmMobileChange } = contact;

// ------------------------------------------------------------------ coordonnées bancaires
const ibanSchema = z.object({
  iban: ibanField({ max: 60 }),
  bic: optionalBicField({ max: 20 }),
  iban_holder: requiredText(PROFILE_TEXTS.holderRequired, 200),
  current_password: passwordInput,
});

function renderIban(req: Request, res: Response, options: FormRender = {}) {
  const m = req.member!;
  return res.renderPage({
    page: 'assure/profile-iban',
    fragment: 'assure/profile-iban-form',
    layout: 'assure',
    title: 'Modifier mes coordonnées bancaires',
    status: options.status,
    locals: {
      errors: options.errors,
      maskedIban: m.iban ? maskIban(m.iban) : null,
      // The current IBAN is never put back in the form: only what the member typed.
      values: options.values ?? { iban: '', bic: '', iban_holder: m.iban_holder ?? `${m.first_name} ${m.last_name}` },
    },
  });
}

export function showIbanForm(_ctx: AppContext) {
  return async (req: Request, res: Response) => {
    await renderIban(req, res);
  };
}

export function saveIban(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const parsed = parseForm(ibanSchema, req.body);
    const errors: FieldErrors = parsed.ok ? {} : parsed.errors;
    // The password is checked even when a field is wrong, so every message shows at once.
    const reauth = await reauthenticate(ctx, req, res, typeof req.body?.current_password === 'string' ? req.body.current_password : '');
    if (reauth) errors.current_password = reauth;
    if (!parsed.ok || reauth) {
      const status = res.get('Retry-After') ? 429 : 422;
      await renderIban(req, res, { status, errors: orderedErrors(errors, ['iban', 'bic', 'iban_holder', 'current_password']), values: keptValues(req.body) });
      return;
    }
    const now = ctx.clock();
    const account = req.account!;
    const { iban, bic, iban_holder } = parsed.data;
    await updateMemberBankDetails(ctx.db, memberIdOf(req), { iban, bic, iban_holder }, now);
    // Never the IBAN itself in the audit log: the country is enough to tell changes apart.
    await recordAudit(ctx.db, now, {
      event: 'iban_changed',
      accountId: account.id,
      accountKind: account.kind,
      ...requestOrigin(req),
      detail: { country: iban.slice(0, 2) },
    });
    await notifyContactChange(
      ctx,
      { spaceName: 'Espace Assuré', layout: 'assure' },
      req.member!.email ?? account.email,
      req.member!.first_name,
      'iban',
      now,
      maskIban(iban),
    );
    // Masked as everywhere else: a flash is shown on a screen others may see.
    res.redirectWithFlash(BASE, `${PROFILE_TEXTS.ibanDone} : ${maskIban(iban)}.`);
  };
}

// « Assurés » (Espace Gestion): find a member by name (accents folded, as « Mes salariés »),
// member number or NIR, and open their file — identity and contact, family and télétransmission,
// affiliations and contracts, requests and threads (links to the staff inbox), latest décomptes,
// and the state of their Espace Assuré account with two staff actions: « Renvoyer l'e-mail
// d'activation » and « Réinitialiser la double authentification » (a reason and the identity
// check required). Every opening of a file and every action is audited.
// The search form is POSTed: a NIR typed never travels in an address (src/nir-searches.ts).
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { requestOrigin } from '../../auth/session.js';
import { professionalStatusLabels, type ProfessionalStatus } from '../../domain/affiliation-requests.js';
import { requestStatusLabels, threadStatusLabel, type RequestStatus, type ThreadStatus } from '../../domain/correspondence.js';
import { isoToday } from '../../domain/dates.js';
import { CONTRACT_STATUS_LABELS, contractStatus } from '../../domain/employee-status.js';
import { nameSearchKey } from '../../domain/name-search.js';
import { formatNir, hasNirShape, maskNir, normalizeNir, validateNir } from '../../domain/nir.js';
import { maskPhone } from '../../domain/phone.js';
import { de } from '../../domain/text.js';
import { teletransmissionShortLabels, type TeletransmissionStatus } from '../../domain/teletransmission.js';
import { throttleRules } from '../../domain/throttle.js';
import { HttpError } from '../../middleware/errors.js';
import { rememberedNir, rememberNir } from '../../nir-searches.js';
import { listHref, loadPage, pageInvalidText, pageLinks } from '../../paging.js';
import { recordAudit } from '../../stores/audit.js';
import { checkThrottles, reserveAttempt } from '../../stores/throttle.js';
import { positiveId, queryPage, queryText, unsafeQueryErrors, unsafeTextErrors, type FieldErrors } from '../../validation.js';
import { requestObjectLabel, threadObjectLabel } from '../inbox/labels.js';
import { ERASURE_STATUS_LABELS } from '../personal-data/pages.js';
import {
  accountOf,
  affiliationsOf,
  beneficiariesOf,
  countMembers,
  erasureRequestsOf,
  findMemberFile,
  findMembersPage,
  latestStatementsOf,
  requestsOf,
  resetTwoFactor,
  threadsOf,
  type MemberFileRow,
  type MemberSearch,
} from './queries.js';
import { activationEmail, MEMBER_TEXTS, twoFactorResetEmail } from './texts.js';

const BASE = '/gestion/assures';
const TITLE = 'Assurés';
export const MEMBERS_PAGE_SIZE = 20;
/** How many requests, threads and décomptes the file shows (the inbox and the member's space hold the rest). */
const FILE_LIST_SIZE = 10;
const STATEMENTS_SHOWN = 5;
const REASON_MAX = 500;
const MEMBER_NUMBER = /^[A-Z0-9-]{4,20}$/;

const RELATIONSHIPS: Readonly<Record<string, string>> = { assure: 'Assuré(e)', conjoint: 'Conjoint(e)', enfant: 'Enfant' };
const ACCOUNT_STATUSES: Readonly<Record<string, string>> = { active: 'Actif', pending: 'En attente', suspended: 'Suspendu', disabled: 'Désactivé' };

interface ParsedSearch {
  /** What the field shows back (a NIR in full, never its reference). */
  value: string;
  search?: MemberSearch;
  /** The criterion of the list's address: the name or number as typed, or a NIR's reference. */
  applied?: string;
  nirTyped: boolean;
  errors: FieldErrors;
  page: number;
  pageError?: string;
}

function parseSearch(req: Request): ParsedSearch {
  const query = ((req.method === 'POST' ? req.body : req.query) ?? {}) as Record<string, unknown>;
  const errors: FieldErrors = unsafeQueryErrors(query, ['recherche']);
  const raw = queryText(query.recherche, 100);
  const { page, invalid } = queryPage(query.page);
  const parsed: ParsedSearch = { value: raw, nirTyped: false, errors, page, pageError: invalid ? pageInvalidText : undefined };
  if (!raw) {
    if (req.method === 'POST' && !errors.recherche) errors.recherche = MEMBER_TEXTS.search;
    return parsed;
  }
  const remembered = rememberedNir(req, raw);
  if (remembered) {
    parsed.search = { nir: remembered };
    parsed.applied = raw;
    parsed.value = formatNir(remembered);
    return parsed;
  }
  const compact = normalizeNir(raw);
  if (/\d/.test(compact)) {
    if (hasNirShape(compact)) {
      const nir = validateNir(compact);
      if (nir.ok) {
        parsed.search = { nir: nir.full15 };
        parsed.applied = rememberNir(req, nir.full15);
        parsed.nirTyped = true;
      } else errors.recherche = MEMBER_TEXTS.searchNir(nir.error);
    } else if (MEMBER_NUMBER.test(compact)) {
      parsed.search = { memberNumber: compact };
      parsed.applied = compact;
    } else errors.recherche = MEMBER_TEXTS.search;
    return parsed;
  }
  const key = nameSearchKey(raw);
  if (key) {
    parsed.search = { nameKey: key };
    parsed.applied = raw;
  } else errors.recherche = MEMBER_TEXTS.search;
  return parsed;
}

const hrefOf = listHref(['recherche']);
const membersHref = (applied: string | undefined, page = 1) => hrefOf(BASE, applied ? { recherche: applied } : {}, undefined, page);

/** The search and its results: GET (a link, a page) or POST (the form, which may carry a NIR). */
export function showMembers(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const parsed = parseSearch(req);
    const posted = req.method === 'POST';
    // A search is POSTed, then answered at its GET address (a NIR named by its reference).
    if (parsed.nirTyped || (posted && !Object.keys(parsed.errors).length)) {
      const safe = membersHref(parsed.applied, parsed.page);
      if (!req.isHtmx) {
        res.redirect(303, safe);
        return;
      }
      res.set('HX-Push-Url', safe);
    } else if (posted && req.isHtmx) {
      res.set('HX-Push-Url', 'false');
    }
    const search = parsed.search;
    const found = search
      ? await loadPage(
          parsed.page,
          MEMBERS_PAGE_SIZE,
          async (p) => ({ rows: await findMembersPage(ctx.db, search, MEMBERS_PAGE_SIZE, (p - 1) * MEMBERS_PAGE_SIZE), total: null }),
          () => countMembers(ctx.db, search),
        )
      : null;
    const hasErrors = Object.keys(parsed.errors).length > 0;
    await res.renderPage({
      page: 'gestion/members',
      fragment: 'gestion/members-list',
      layout: 'gestion',
      title: found && found.page > 1 ? `${TITLE} — page ${found.page}` : TITLE,
      status: posted && hasErrors ? 422 : undefined,
      locals: {
        base: BASE,
        value: parsed.value,
        errors: hasErrors ? parsed.errors : undefined,
        searched: Boolean(found),
        pageError: found?.beyond ?? parsed.pageError,
        members: (found?.rows ?? []).map((m) => ({
          href: `${BASE}/${m.id}`,
          name: `${m.last_name.toUpperCase()} ${m.first_name}`,
          memberNumber: m.member_number,
          birthDate: m.birth_date,
          city: `${m.postal_code} ${m.city}`,
        })),
        total: found?.total ?? 0,
        page: found?.page ?? 1,
        pages: found?.pages ?? 1,
        ...pageLinks(found?.page ?? 1, found?.pages ?? 1, (p) => membersHref(parsed.applied, p)),
      },
    });
  };
}

async function loadMember(ctx: AppContext, req: Request): Promise<MemberFileRow> {
  const id = positiveId(String(req.params.id));
  const member = id ? await findMemberFile(ctx.db, id) : undefined;
  if (!member) throw new HttpError(404);
  return member;
}

const fullNameOf = (m: { first_name: string; last_name: string }) => `${m.first_name} ${m.last_name}`;

/** The account section: its state and the two actions (the fragment an htmx action swaps). */
async function accountView(ctx: AppContext, member: MemberFileRow) {
  const account = await accountOf(ctx.db, member.id);
  if (!account) return { activated: false as const, email: member.email };
  const now = ctx.clock();
  const locked = await checkThrottles(ctx.db, [`login:account:member:${account.email}`], now);
  return {
    activated: true as const,
    email: account.email,
    status: ACCOUNT_STATUSES[account.status] ?? account.status,
    activatedAt: account.activated_at,
    lastLoginAt: account.last_login_at,
    lastVerifiedLoginAt: account.last_verified_login_at,
    twoFactorMobile: account.mobile ? maskPhone(account.mobile) : null,
    trustedDevices: Number(account.trusted_devices),
    lockedMinutes: locked.allowed ? 0 : Math.ceil(locked.retryAfterSeconds / 60),
    blocked: account.status === 'suspended' || account.status === 'disabled',
  };
}

async function renderFile(
  ctx: AppContext,
  res: Response,
  member: MemberFileRow,
  options: { errors?: FieldErrors; values?: Record<string, string>; status?: number } = {},
) {
  const today = isoToday(ctx.clock);
  const lists = ctx.config.brand.correspondence;
  const [beneficiaries, affiliations, requests, threads, statements, account, erasures] = await Promise.all([
    beneficiariesOf(ctx.db, member.id),
    affiliationsOf(ctx.db, member.id),
    requestsOf(ctx.db, member.id, FILE_LIST_SIZE),
    threadsOf(ctx.db, member.id, FILE_LIST_SIZE),
    latestStatementsOf(ctx.db, member.id, STATEMENTS_SHOWN),
    accountView(ctx, member),
    erasureRequestsOf(ctx.db, member.id),
  ]);
  // The requests' own pages are the superviseur's (src/gestion/roles.ts): a gestionnaire sees the status only.
  const superviseur = (res.locals.account as { staffRole?: string } | undefined)?.staffRole === 'superviseur';
  const name = fullNameOf(member);
  await res.renderPage({
    page: 'gestion/member',
    fragment: 'gestion/member-account',
    layout: 'gestion',
    title: `Dossier ${de(name)}`,
    status: options.status,
    locals: {
      base: BASE,
      memberId: member.id,
      name,
      errors: options.errors,
      values: options.values ?? {},
      identity: {
        name: `${member.last_name.toUpperCase()} ${member.first_name}`,
        birthName: member.birth_name,
        birthDate: member.birth_date,
        sex: member.sex === 'F' ? 'Femme' : 'Homme',
        memberNumber: member.member_number,
        nir: maskNir(member.nir),
        email: member.email,
        mobile: member.mobile,
        phone: member.phone,
        address: [member.address_line1, member.address_line2, `${member.postal_code} ${member.city}`].filter(Boolean),
      },
      beneficiaries: beneficiaries.map((b) => ({
        relationship: RELATIONSHIPS[b.relationship] ?? b.relationship,
        name: `${String(b.last_name).toUpperCase()} ${b.first_name}`,
        birthDate: b.birth_date,
        startDate: b.start_date,
        endDate: b.end_date,
        teletransmission: teletransmissionShortLabels[b.teletransmission_status as TeletransmissionStatus] ?? b.teletransmission_status,
        teletransmissionSince: b.teletransmission_since,
      })),
      affiliations: affiliations.map((a) => ({
        company: a.company_name,
        siren: a.siren,
        establishment: a.establishment_name,
        siret: a.siret,
        contract: a.contract_label,
        reference: a.contract_reference,
        formula: a.contract_formula,
        college: professionalStatusLabels[a.professional_status as ProfessionalStatus] ?? a.professional_status,
        startDate: a.start_date,
        endDate: a.end_date,
        status: CONTRACT_STATUS_LABELS[contractStatus(a.start_date, a.end_date, today)],
      })),
      requests: requests.map((r) => ({
        href: `/gestion/demandes/${r.id}`,
        reference: r.reference,
        object: requestObjectLabel(lists, r.kind, r.object),
        status: requestStatusLabels[r.status as RequestStatus] ?? r.status,
        createdAt: r.created_at,
      })),
      threads: threads.map((th) => ({
        href: `/gestion/messages/${th.id}`,
        reference: th.reference,
        object: threadObjectLabel(lists, 'member', th.category, th.object),
        status: threadStatusLabel(th.status as ThreadStatus, 'member'),
        lastMessageAt: th.last_message_at,
      })),
      statements: statements.map((s) => ({
        number: s.number,
        date: s.statement_date,
        paymentDate: s.payment_date,
        lines: Number(s.lines),
        complementaryCents: Number(s.complementary_cents ?? 0),
      })),
      memberAccount: account,
      erasures: erasures.map((e) => ({
        href: superviseur ? `/gestion/donnees-personnelles/${e.id}` : null,
        status: ERASURE_STATUS_LABELS[e.status as keyof typeof ERASURE_STATUS_LABELS] ?? e.status,
        requestedAt: e.requested_at,
        decidedAt: e.decided_at,
      })),
    },
  });
}

/** The file. Each opening is audited (who opened whose file, never what it shows). */
export function showMember(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const member = await loadMember(ctx, req);
    await recordAudit(ctx.db, ctx.clock(), {
      event: 'member_file_opened',
      accountId: req.account!.id,
      accountKind: 'staff',
      ...requestOrigin(req),
      detail: { member: member.id },
    });
    await renderFile(ctx, res, member);
  };
}

/** Re-renders the file with a message at the account section (the fragment for htmx). */
async function refuse(ctx: AppContext, res: Response, member: MemberFileRow, errors: FieldErrors, status: number, values: Record<string, string> = {}) {
  await renderFile(ctx, res, member, { errors, values, status });
}

/** « Renvoyer l'e-mail d'activation »: to a member who has an email and no account yet; 3 an hour per member. */
export function resendActivation(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const member = await loadMember(ctx, req);
    if (await accountOf(ctx.db, member.id)) {
      await refuse(ctx, res, member, { _form: MEMBER_TEXTS.alreadyActive }, 409);
      return;
    }
    if (!member.email) {
      await refuse(ctx, res, member, { _form: MEMBER_TEXTS.noEmail }, 422);
      return;
    }
    const now = ctx.clock();
    // Counted before the email is sent, in one statement (two staff clicking together count twice).
    const reserved = await reserveAttempt(ctx.db, `activation-resend:member:${member.id}`, throttleRules.activationResend, now);
    if (!reserved.allowed) {
      res.set('Retry-After', String(reserved.retryAfterSeconds));
      await refuse(ctx, res, member, { _form: MEMBER_TEXTS.activationWait(Math.ceil(reserved.retryAfterSeconds / 60)) }, 429);
      return;
    }
    await ctx.outbox.sendEmail(activationEmail(ctx.config.brand, ctx.config.publicUrl, member.email, fullNameOf(member)));
    await recordAudit(ctx.db, now, {
      event: 'member_activation_email_sent',
      accountId: req.account!.id,
      accountKind: 'staff',
      ...requestOrigin(req),
      detail: { member: member.id },
    });
    res.redirectWithFlash(`${BASE}/${member.id}`, MEMBER_TEXTS.activationSent(member.email));
  };
}

/** « Réinitialiser la double authentification »: a reason and « Identité vérifiée » required. */
export function resetMemberTwoFactor(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const member = await loadMember(ctx, req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const typed = typeof body.motif === 'string' ? body.motif : '';
    const values = { motif: typed, identite: body.identite === 'oui' ? 'oui' : '' };
    const errors: FieldErrors = unsafeTextErrors({ motif: typed }, ['motif']);
    const reason = typed.trim();
    if (!errors.motif) {
      if (!reason) errors.motif = MEMBER_TEXTS.reasonRequired;
      else if (reason.length > REASON_MAX) errors.motif = MEMBER_TEXTS.reasonTooLong;
    }
    if (values.identite !== 'oui') errors.identite = MEMBER_TEXTS.identityRequired;
    const account = await accountOf(ctx.db, member.id);
    if (!account) {
      await refuse(ctx, res, member, { _form: MEMBER_TEXTS.noAccount }, 409);
      return;
    }
    if (Object.keys(errors).length) {
      await refuse(ctx, res, member, errors, 422, values);
      return;
    }
    const now = ctx.clock();
    if (!(await resetTwoFactor(ctx.db, member.id, account.id, now))) {
      await refuse(ctx, res, member, { _form: MEMBER_TEXTS.noAccount }, 409);
      return;
    }
    await recordAudit(ctx.db, now, {
      event: 'member_two_factor_reset',
      accountId: req.account!.id,
      accountKind: 'staff',
      ...requestOrigin(req),
      detail: { member: member.id, target: account.id, reason },
    });
    await ctx.outbox.sendEmail(twoFactorResetEmail(ctx.config.brand, account.email, fullNameOf(member)));
    res.redirectWithFlash(`${BASE}/${member.id}`, MEMBER_TEXTS.twoFactorReset(fullNameOf(member)));
  };
}

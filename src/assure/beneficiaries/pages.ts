// Espace Assuré — Mes bénéficiaires and Situation NOEMIE. The NIR is masked
// unless the member asks to see it (each reveal is audited, without the number); télétransmission
// changes go through a confirmation step and the one domain rule (domain/teletransmission.ts); each
// request is an item of the staff inbox (src/correspondence/service.ts, requestTeletransmissionChange).
import { wantsFragment } from '../../middleware/render.js';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { clientIp } from '../../auth/session.js';
import { recordAudit } from '../../stores/audit.js';
import { isoToday } from '../../domain/dates.js';
import { formatNir, maskNir } from '../../domain/nir.js';
import { memberActionFor, teletransmissionLabels, teletransmissionShortLabels, type TeletransmissionStatus } from '../../domain/teletransmission.js';
import { requestTeletransmissionChange } from '../../correspondence/service.js';
import { HttpError } from '../../middleware/errors.js';
import { memberIdOf, type MemberRow } from '../member.js';
import { NOEMIE_SILENCE_MONTHS, silentTeletransmissions } from '../../domain/noemie-check.js';
import type { Brand } from '../../brand.js';
import {
  findBeneficiaries,
  findBeneficiary,
  findTeletransmissionEvents,
  lastStatementDates,
  type BeneficiaryRow,
  type TeletransmissionEventRow,
} from './queries.js';
import { positiveId } from '../../validation.js';

declare module 'express-session' {
  interface SessionData {
    /** The beneficiary whose NIR the next GET of the page shows in full (JS off), once. */
    revealedNirId?: number;
  }
}

const relationshipLabels: Readonly<Record<string, string>> = {
  assure: 'Assuré(e) principal(e)',
  conjoint: 'Conjoint',
  enfant: 'Enfant',
};

/** « code organisme »: scheme (2) + fund (3) + centre (4); the scheme names the régime. */
const fundSchemes: Readonly<Record<string, string>> = {
  '01': 'régime général',
  '02': 'régime agricole',
};

function fundSchemeOf(fundCode: string): string {
  return fundSchemes[fundCode.slice(0, 2)] ?? 'autre régime';
}

const ACTION_TEXTS = {
  request_activation: {
    button: 'Activer la télétransmission',
    title: 'Activer la télétransmission',
    explanation:
      "Nous allons demander à la caisse d'assurance maladie de ce bénéficiaire de nous transmettre ses remboursements directement (liaison NOEMIE). Une fois la télétransmission active, vous n'aurez plus à nous envoyer ses décomptes papier. La mise en place prend en général quelques jours.",
    done: "Votre demande d'activation de la télétransmission a été enregistrée",
  },
  request_deactivation: {
    button: 'Désactiver la télétransmission',
    title: 'Désactiver la télétransmission',
    explanation:
      "Nous allons demander à la caisse d'assurance maladie de ce bénéficiaire d'arrêter de nous transmettre ses remboursements. Vous devrez ensuite nous envoyer ses décomptes de la Sécurité sociale pour être remboursé(e) de la part complémentaire.",
    done: 'Votre demande de désactivation de la télétransmission a été enregistrée',
  },
  cancel_request: {
    button: 'Annuler la demande en cours',
    title: 'Annuler la demande de télétransmission en cours',
    explanation: "La demande en cours sera annulée et la télétransmission de ce bénéficiaire restera dans l'état où elle était avant la demande.",
    done: 'Votre demande en cours a été annulée',
  },
} as const;

type MemberAction = keyof typeof ACTION_TEXTS;

function beneficiaryId(req: Request): number {
  const id = positiveId(req.params.id);
  // Anything but an id cannot be the member's beneficiary.
  if (!id) throw new HttpError(404);
  return id;
}

async function beneficiaryOf(ctx: AppContext, req: Request): Promise<BeneficiaryRow> {
  const beneficiary = await findBeneficiary(ctx.db, memberIdOf(req), beneficiaryId(req));
  if (!beneficiary) throw new HttpError(404);
  return beneficiary;
}

function isCovered(b: BeneficiaryRow, today: string): boolean {
  return b.end_date === null || b.end_date >= today;
}

/** Everything a beneficiary card shows, already in French. */
function beneficiaryView(b: BeneficiaryRow, member: MemberRow, today: string, revealedId?: number) {
  const own = b.address_line1 !== null;
  const isMember = b.relationship === 'assure';
  const action = isCovered(b, today) ? memberActionFor(b.teletransmission_status) : null;
  return {
    id: b.id,
    name: `${b.first_name} ${b.last_name}`,
    relationship: relationshipLabels[b.relationship] ?? b.relationship,
    birthDate: b.birth_date,
    hasNir: b.nir !== null,
    nir: b.nir === null ? null : b.id === revealedId ? formatNir(b.nir) : maskNir(b.nir),
    revealed: b.nir !== null && b.id === revealedId,
    // The member's own contact details have one source, the member (« Mes informations
    // personnelles » changes them there): their beneficiary row's copy is never shown.
    email: isMember ? member.email : b.email,
    phone: isMember ? (member.mobile ?? member.phone) : b.mobile,
    address: own
      ? { line1: b.address_line1!, line2: b.address_line2, postalCode: b.postal_code ?? '', city: b.city ?? '' }
      : { line1: member.address_line1, line2: member.address_line2, postalCode: member.postal_code, city: member.city },
    sameAddress: !own && !isMember,
    fundCode: b.fund_code,
    fundScheme: fundSchemeOf(b.fund_code),
    status: b.teletransmission_status,
    statusLabel: teletransmissionLabels[b.teletransmission_status as TeletransmissionStatus] ?? b.teletransmission_status,
    since: b.teletransmission_since,
    ended: !isCovered(b, today) ? b.end_date : null,
    action,
    actionLabel: action ? ACTION_TEXTS[action].button : null,
  };
}

export function showBeneficiaries(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const revealedId = req.session.revealedNirId;
    if (revealedId !== undefined) delete req.session.revealedNirId;
    const today = isoToday(ctx.clock);
    const rows = await findBeneficiaries(ctx.db, memberIdOf(req));
    await res.renderPage({
      page: 'assure/beneficiaries',
      layout: 'assure',
      title: 'Mes bénéficiaires',
      locals: { beneficiaries: rows.map((b) => beneficiaryView(b, req.member!, today, revealedId)) },
    });
  };
}

/** « Afficher le numéro »: audited, then the number in full — the cell alone for htmx. */
export function revealNir(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const beneficiary = await beneficiaryOf(ctx, req);
    if (beneficiary.nir === null) throw new HttpError(404);
    await recordAudit(ctx.db, ctx.clock(), {
      event: 'nir_revealed',
      accountId: req.account!.id,
      accountKind: req.account!.kind,
      ip: clientIp(req),
      userAgent: req.get('user-agent'),
      detail: { beneficiaryId: beneficiary.id },
    });
    if (wantsFragment(req)) {
      const view = beneficiaryView(beneficiary, req.member!, isoToday(ctx.clock), beneficiary.id);
      await res.renderPage({
        page: 'assure/beneficiaries',
        fragment: 'assure/beneficiaries-nir',
        layout: 'assure',
        title: 'Mes bénéficiaires',
        locals: { b: view },
      });
      return;
    }
    // Without JS: POST → 303 → GET, the page showing this number once (kept in the session, never in the URL).
    req.session.revealedNirId = beneficiary.id;
    res.redirect(303, `/assure/beneficiaires#beneficiaire-${beneficiary.id}`);
  };
}

function renderConfirm(ctx: AppContext, req: Request, res: Response, beneficiary: BeneficiaryRow, options: { status?: number; error?: string } = {}) {
  const view = beneficiaryView(beneficiary, req.member!, isoToday(ctx.clock));
  const texts = view.action ? ACTION_TEXTS[view.action] : null;
  return res.renderPage({
    page: 'assure/beneficiaries-teletransmission',
    fragment: 'assure/beneficiaries-teletransmission-confirm',
    layout: 'assure',
    title: texts ? `${texts.title} — ${view.name}` : `Télétransmission — ${view.name}`,
    status: options.status,
    locals: { b: view, texts, error: options.error ?? null, inline: req.isHtmx },
  });
}

/** The confirmation step: what will happen, and « Confirmer ». */
export function confirmTeletransmission(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const beneficiary = await beneficiaryOf(ctx, req);
    await renderConfirm(ctx, req, res, beneficiary);
  };
}

const changeSchema = z.object({ action: z.enum(['request_activation', 'request_deactivation', 'cancel_request']) });

export function changeTeletransmission(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const beneficiary = await beneficiaryOf(ctx, req);
    const parsed = changeSchema.safeParse(req.body ?? {});
    const now = ctx.clock();
    // The form says which change it confirms: a second click after the status moved is refused
    // instead of silently toggling back.
    if (!parsed.success) {
      await renderConfirm(ctx, req, res, beneficiary, { status: 422, error: "Choisissez l'opération à confirmer." });
      return;
    }
    if (
      !isCovered(
        beneficiary,
        isoToday(() => now),
      )
    ) {
      await renderConfirm(ctx, req, res, beneficiary, {
        status: 409,
        error: "Ce bénéficiaire n'est plus couvert : sa télétransmission ne peut plus être modifiée.",
      });
      return;
    }
    const action: MemberAction = parsed.data.action;
    const actor = {
      side: 'member' as const,
      accountId: req.account!.id,
      memberId: memberIdOf(req),
      origin: { ip: clientIp(req), userAgent: req.get('user-agent') ?? null },
    };
    const result = await requestTeletransmissionChange(ctx, actor, beneficiary.id, action);
    if (!result.ok) {
      if (result.code === 'not_found') throw new HttpError(404);
      const fresh = (await findBeneficiary(ctx.db, memberIdOf(req), beneficiary.id)) ?? beneficiary;
      await renderConfirm(ctx, req, res, fresh, { status: 409, error: result.reason });
      return;
    }
    const message = `${ACTION_TEXTS[action].done} pour ${beneficiary.first_name} ${beneficiary.last_name}. Nouveau statut : ${teletransmissionShortLabels[result.to]}.`;
    if (wantsFragment(req)) {
      // In place: the card's télétransmission block with the new status and the confirmation.
      const fresh = (await findBeneficiary(ctx.db, memberIdOf(req), beneficiary.id)) ?? beneficiary;
      const view = beneficiaryView(
        fresh,
        req.member!,
        isoToday(() => now),
      );
      await res.renderPage({
        page: 'assure/beneficiaries',
        fragment: 'assure/beneficiaries-teletransmission',
        layout: 'assure',
        title: 'Mes bénéficiaires',
        locals: { b: view, notice: message },
      });
      return;
    }
    res.redirectWithFlash(`/assure/beneficiaires#beneficiaire-${beneficiary.id}`, message);
  };
}

function pendingRequestAt(b: BeneficiaryRow, events: TeletransmissionEventRow[]): string | null {
  if (b.teletransmission_status !== 'activation_requested' && b.teletransmission_status !== 'deactivation_requested') return null;
  const request = events.find((e) => e.beneficiary_id === b.id && e.to_status === b.teletransmission_status);
  return request ? parisDay(request.at) : b.teletransmission_since;
}

/** The calendar day in France of a stored UTC instant (a request at 23:30 UTC is the next day in Paris). */
function parisDay(instant: string): string {
  return isoToday(() => new Date(instant));
}

/** « Nouveau message » opened on the brand's télétransmission object when it has one. */
function teletransmissionMessageHref(brand: Brand): string {
  const category = brand.correspondence.messagerie.find((c) => c.objects.some((o) => o.code === 'teletransmission'));
  return category ? `/assure/messagerie/nouveau?categorie=${encodeURIComponent(category.code)}&objet=teletransmission` : '/assure/messagerie/nouveau';
}

export function showNoemie(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const memberId = memberIdOf(req);
    const [rows, events, lastStatements] = await Promise.all([
      findBeneficiaries(ctx.db, memberId),
      findTeletransmissionEvents(ctx.db, memberId),
      lastStatementDates(ctx.db, memberId),
    ]);
    const silent = silentTeletransmissions(
      rows.map((b) => ({
        id: b.id,
        teletransmissionStatus: b.teletransmission_status,
        teletransmissionSince: b.teletransmission_since,
        startDate: b.start_date,
        endDate: b.end_date,
        lastStatementDate: lastStatements.get(b.id) ?? null,
      })),
      isoToday(ctx.clock),
    );
    const names = new Map(rows.map((b) => [b.id, `${b.first_name} ${b.last_name}`]));
    const label = (s: string) => teletransmissionShortLabels[s as TeletransmissionStatus] ?? s;
    await res.renderPage({
      page: 'assure/noemie',
      layout: 'assure',
      title: 'Situation NOEMIE',
      locals: {
        statuses: rows.map((b) => ({
          id: b.id,
          name: names.get(b.id)!,
          relationship: relationshipLabels[b.relationship] ?? b.relationship,
          status: b.teletransmission_status,
          statusLabel: teletransmissionLabels[b.teletransmission_status as TeletransmissionStatus] ?? b.teletransmission_status,
          since: b.teletransmission_status === 'inactive' && !b.teletransmission_since ? null : b.teletransmission_since,
          pendingAt: pendingRequestAt(b, events),
          ended: b.end_date,
          silent: silent.has(b.id),
          lastStatementDate: lastStatements.get(b.id) ?? null,
        })),
        silentMonths: NOEMIE_SILENCE_MONTHS,
        messageHref: teletransmissionMessageHref(ctx.config.brand),
        history: events.map((e) => ({
          at: e.at,
          name: names.get(e.beneficiary_id) ?? '',
          from: label(e.from_status),
          to: label(e.to_status),
          origin: e.by_member ? 'Votre demande' : 'Votre organisme complémentaire',
          processedAt: e.processed_at ? parisDay(e.processed_at) : null,
        })),
      },
    });
  };
}

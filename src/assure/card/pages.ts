// Espace Assuré — Ma carte de tiers payant (SPEC §2.2): choose whose card (a GET form, updated in
// place by htmx), see it on screen, print it alone (print.css) or download it as a card-sized PDF.
// A member whose cover has ended has no valid card; another family's beneficiary is not found.
// The numéros de Sécurité sociale are printed in full on the PDF and the printed card (as on the
// card sent by post: a pharmacist needs them); on screen each is masked until « Afficher » (a POST,
// audited as card_nir_revealed, without the number), the same pattern as « Mes bénéficiaires ».
import type { Request, Response } from 'express';
import type { AppContext } from '../../app.js';
import { requestOrigin } from '../../auth/session.js';
import { recordAudit } from '../../domain/audit.js';
import { formatDateFr, isoToday } from '../../domain/dates.js';
import { pdfBrand } from '../../domain/pdf.js';
import { HttpError } from '../../middleware/errors.js';
import { memberIdOf } from '../member.js';
import { tiersPayantCardPdf } from './pdf.js';
import { buildCard, CARD_RELATIONSHIPS, cardPerson, findCardBeneficiaries, findCoveringAffiliation, findLatestAffiliation, type TiersPayantCard } from './queries.js';

const CARD_URL = '/assure/tiers-payant';

declare module 'express-session' {
  interface SessionData {
    /** The beneficiary whose NIR the next GET of the card shows in full (JS off), once. */
    revealedCardNirId?: number;
  }
}

/** The card page of `holder`: the member's own card has no query. */
function cardHref(holder: { id: number; relationship: string } | undefined): string {
  return holder && holder.relationship !== 'assure' ? `${CARD_URL}?beneficiaire=${holder.id}` : CARD_URL;
}

export const CARD_MESSAGES = {
  chooseBeneficiary: 'Choisissez un bénéficiaire dans la liste.',
  unknownBeneficiary:
    "Aucune carte de tiers payant ne correspond à ce bénéficiaire : il ne fait pas partie des personnes couvertes de votre famille. Choisissez un bénéficiaire dans la liste.",
  ended: (endDate: string) =>
    `Vous n'avez pas de carte de tiers payant valide : votre couverture a pris fin le ${formatDateFr(endDate)}. Vos anciens contrats et votre certificat de radiation restent disponibles dans « Mes contrats ».`,
  notStarted: (startDate: string) =>
    `Votre carte de tiers payant sera disponible à partir du ${formatDateFr(startDate)}, date d'effet de votre affiliation.`,
  none: "Vous n'avez pas de carte de tiers payant valide : aucun contrat en cours ne vous couvre aujourd'hui.",
} as const;

interface CardState {
  status: number;
  card: TiersPayantCard | null;
  /** Why there is no card (no cover, or an unknown beneficiary). */
  notice: string | null;
  choices: { id: number; label: string; selected: boolean }[];
  fieldError?: string;
}

/** Reads ?beneficiaire= and builds the card, or explains why there is none (no cover, or 404 for an unknown beneficiary). */
async function cardState(ctx: AppContext, req: Request): Promise<CardState> {
  const memberId = memberIdOf(req);
  const today = isoToday(ctx.clock);
  const raw = typeof req.query.beneficiaire === 'string' ? req.query.beneficiaire.trim() : req.query.beneficiaire === undefined ? '' : '?';
  const [affiliation, family] = await Promise.all([findCoveringAffiliation(ctx.db, memberId, today), findCardBeneficiaries(ctx.db, memberId, today)]);

  if (!affiliation || !family.length) {
    const latest = await findLatestAffiliation(ctx.db, memberId);
    const notice =
      latest?.end_date && latest.end_date < today
        ? CARD_MESSAGES.ended(latest.end_date)
        : latest && latest.start_date > today
          ? CARD_MESSAGES.notStarted(latest.start_date)
          : CARD_MESSAGES.none;
    // The page itself exists and explains; only the PDF answers 404 (see downloadCardPdf).
    return { status: 200, card: null, notice, choices: [] };
  }

  const holder = raw === '' ? (family.find((b) => b.relationship === 'assure') ?? family[0]) : family.find((b) => /^\d{1,10}$/.test(raw) && b.id === Number(raw));
  const choices = family.map((b) => ({
    id: b.id,
    label: b.relationship === 'assure' ? `${b.first_name} ${b.last_name} (vous-même)` : `${b.first_name} ${b.last_name} (${CARD_RELATIONSHIPS[b.relationship]?.toLowerCase() ?? b.relationship})`,
    selected: holder?.id === b.id,
  }));
  if (!holder) return { status: 404, card: null, notice: CARD_MESSAGES.unknownBeneficiary, choices, fieldError: CARD_MESSAGES.chooseBeneficiary };
  const card = buildCard({ holder, family, member: req.member!, affiliation, brand: ctx.config.brand, todayIso: today });
  return { status: 200, card, notice: null, choices };
}

export function showCard(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const revealedNirId = req.session.revealedCardNirId;
    if (revealedNirId !== undefined) delete req.session.revealedCardNirId;
    const state = await cardState(ctx, req);
    const query = state.card && !state.card.isMemberCard ? `?beneficiaire=${state.card.holder.id}` : '';
    await res.renderPage({
      page: 'assure/card',
      fragment: 'assure/card-view',
      layout: 'assure',
      title: state.card && !state.card.isMemberCard ? `Ma carte de tiers payant — ${state.card.title}` : 'Ma carte de tiers payant',
      status: state.status,
      locals: { ...state, pdfHref: `${CARD_URL}/carte.pdf${query}`, cardHref: `${CARD_URL}${query}`, revealedNirId: revealedNirId ?? null },
    });
  };
}

/**
 * « Afficher » a numéro de Sécurité sociale on the card: only a beneficiary printed on one of the
 * member's cards today (else 404), audited (who, which beneficiary — never the number), then the
 * number in full: the cell alone for htmx, else POST → 303 → the card showing it once.
 */
export function revealCardNir(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const memberId = memberIdOf(req);
    const today = isoToday(ctx.clock);
    const [affiliation, family] = await Promise.all([findCoveringAffiliation(ctx.db, memberId, today), findCardBeneficiaries(ctx.db, memberId, today)]);
    const byId = (raw: unknown) => (typeof raw === 'string' && /^\d{1,10}$/.test(raw) ? family.find((b) => b.id === Number(raw)) : undefined);
    const person = byId(req.params.id);
    if (!affiliation || !person || (person.nir ?? person.attached_nir) === null) throw new HttpError(404);
    await recordAudit(ctx.db, ctx.clock(), {
      event: 'card_nir_revealed',
      accountId: req.account!.id,
      accountKind: req.account!.kind,
      ...requestOrigin(req),
      detail: { beneficiaryId: person.id },
    });
    // Back to the card being looked at (the member's, or the beneficiary's given in « carte »).
    const back = cardHref(byId((req.body as Record<string, unknown> | undefined)?.carte) ?? person);
    if (req.isHtmx) {
      const shown = cardPerson(person);
      await res.renderPage({
        page: 'assure/card',
        fragment: 'assure/card-nir',
        layout: 'assure',
        title: 'Ma carte de tiers payant',
        locals: { n: { id: shown.id, name: shown.name, nir: shown.nir, maskedNir: shown.maskedNir, revealed: true, back } },
      });
      return;
    }
    req.session.revealedCardNirId = person.id;
    res.redirect(303, `${back}#tp-nir-${person.id}`);
  };
}

export function downloadCardPdf(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const state = await cardState(ctx, req);
    if (!state.card) {
      // No valid card: a French page saying why, never an empty or stale PDF.
      res.set('Cache-Control', 'no-store');
      await res.renderPage({
        page: 'assure/card',
        fragment: 'assure/card-view',
        layout: 'assure',
        title: 'Carte de tiers payant indisponible',
        status: 404,
        locals: { ...state, pdfHref: '' },
      });
      return;
    }
    const suffix = state.card.isMemberCard ? '' : `-${state.card.holder.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()}`;
    await tiersPayantCardPdf(state.card, pdfBrand(ctx.config.brand), ctx.clock()).send(res, `carte-tiers-payant-${state.card.year}${suffix}.pdf`);
  };
}

// Espace Assuré — Ma carte de tiers payant: choose whose card (a GET form, updated in
// place by htmx), see it on screen, print it (« Imprimer la carte ») or download it as a card-sized PDF.
// A member whose cover has ended has no valid card; another family's beneficiary is not found.
// The numéros de Sécurité sociale are in full on the PDF and on the print view (as on the card sent
// by post: a pharmacist needs them), and each opening of either is audited (card_downloaded,
// card_printed). The screen page never holds a full number in its HTML until « Afficher » (a POST,
// audited as card_nir_revealed, without the number), the same pattern as « Mes bénéficiaires »; so
// printing that page prints a line pointing to the print view, never a masked card (print.css).
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { requestOrigin } from '../../auth/session.js';
import { recordAudit } from '../../stores/audit.js';
import { formatDateFr, isoToday } from '../../domain/dates.js';
import { pdfBrand } from '../../pdf/document.js';
import { HttpError } from '../../middleware/errors.js';
import { sendPdf } from '../../middleware/pdf-download.js';
import { wantsFragment } from '../../middleware/render.js';
import { memberIdOf } from '../member.js';
import { tiersPayantCardPdf } from './pdf.js';
import {
  buildCard,
  CARD_RELATIONSHIPS,
  cardPerson,
  findCardBeneficiaries,
  findCoveringAffiliation,
  findLatestAffiliation,
  type CardAffiliationRow,
  type CardBeneficiaryRow,
  type TiersPayantCard,
} from './queries.js';

const CARD_URL = '/assure/tiers-payant';
const PRINT_URL = `${CARD_URL}/impression`;

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

const CARD_MESSAGES = {
  chooseBeneficiary: 'Choisissez un bénéficiaire dans la liste.',
  unknownBeneficiary:
    'Aucune carte de tiers payant ne correspond à ce bénéficiaire : il ne fait pas partie des personnes couvertes de votre famille. Choisissez un bénéficiaire dans la liste.',
  ended: (endDate: string) =>
    `Vous n'avez pas de carte de tiers payant valide : votre couverture a pris fin le ${formatDateFr(endDate)}. Vos anciens contrats et votre certificat de radiation restent disponibles dans « Mes contrats ».`,
  notStarted: (startDate: string) => `Votre carte de tiers payant sera disponible à partir du ${formatDateFr(startDate)}, date d'effet de votre affiliation.`,
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

/** What the family's cards rest on today: the covering affiliation and the beneficiaries printed on them. */
interface CardFamily {
  today: string;
  affiliation: CardAffiliationRow | undefined;
  family: CardBeneficiaryRow[];
}

async function findCardFamily(ctx: AppContext, req: Request): Promise<CardFamily> {
  const memberId = memberIdOf(req);
  const today = isoToday(ctx.clock);
  const [affiliation, family] = await Promise.all([findCoveringAffiliation(ctx.db, memberId, today), findCardBeneficiaries(ctx.db, memberId, today)]);
  return { today, affiliation, family };
}

/** The beneficiary of the family given by an id as typed in a URL or a form; anything else (another family, text, a list) finds none. */
function familyMember(family: CardBeneficiaryRow[], raw: unknown): CardBeneficiaryRow | undefined {
  const id = typeof raw === 'string' ? raw.trim() : '';
  return /^\d{1,10}$/.test(id) ? family.find((b) => b.id === Number(id)) : undefined;
}

/** Reads ?beneficiaire= and builds the card, or explains why there is none (no cover, or 404 for an unknown beneficiary). */
async function cardState(ctx: AppContext, req: Request): Promise<CardState> {
  const { today, affiliation, family } = await findCardFamily(ctx, req);
  const raw = req.query.beneficiaire;
  const memberCard = raw === undefined || (typeof raw === 'string' && raw.trim() === '');

  if (!affiliation || !family.length) {
    const latest = await findLatestAffiliation(ctx.db, memberIdOf(req));
    const notice =
      latest?.end_date && latest.end_date < today
        ? CARD_MESSAGES.ended(latest.end_date)
        : latest && latest.start_date > today
          ? CARD_MESSAGES.notStarted(latest.start_date)
          : CARD_MESSAGES.none;
    // The page itself exists and explains; the PDF and the print view answer 404 (see renderNoCard).
    return { status: 200, card: null, notice, choices: [] };
  }

  const holder = memberCard ? (family.find((b) => b.relationship === 'assure') ?? family[0]) : familyMember(family, raw);
  const choices = family.map((b) => ({
    id: b.id,
    label:
      b.relationship === 'assure'
        ? `${b.first_name} ${b.last_name} (vous-même)`
        : `${b.first_name} ${b.last_name} (${CARD_RELATIONSHIPS[b.relationship]?.toLowerCase() ?? b.relationship})`,
    selected: holder?.id === b.id,
  }));
  if (!holder) return { status: 404, card: null, notice: CARD_MESSAGES.unknownBeneficiary, choices, fieldError: CARD_MESSAGES.chooseBeneficiary };
  const card = buildCard({ holder, family, member: req.member!, affiliation, brand: ctx.config.brand, todayIso: today });
  return { status: 200, card, notice: null, choices };
}

/** The ?beneficiaire= of a card's URLs (the member's own card has none). */
function cardQuery(card: TiersPayantCard): string {
  return card.isMemberCard ? '' : `?beneficiaire=${card.holder.id}`;
}

/** The PDF or the print view of a card that does not exist: a French page saying why (404), never an empty or stale card. */
function renderNoCard(res: Response, state: CardState): Promise<void> {
  return res.renderPage({
    page: 'assure/card',
    fragment: 'assure/card-view',
    layout: 'assure',
    title: 'Carte de tiers payant indisponible',
    status: 404,
    locals: { ...state, pdfHref: '', printHref: '' },
  });
}

export function showCard(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const revealedNirId = req.session.revealedCardNirId;
    if (revealedNirId !== undefined) delete req.session.revealedCardNirId;
    const state = await cardState(ctx, req);
    const query = state.card ? cardQuery(state.card) : '';
    await res.renderPage({
      page: 'assure/card',
      fragment: 'assure/card-view',
      layout: 'assure',
      title: state.card && !state.card.isMemberCard ? `Ma carte de tiers payant — ${state.card.title}` : 'Ma carte de tiers payant',
      status: state.status,
      locals: {
        ...state,
        pdfHref: `${CARD_URL}/carte.pdf${query}`,
        printHref: `${PRINT_URL}${query}`,
        cardHref: `${CARD_URL}${query}`,
        revealedNirId: revealedNirId ?? null,
      },
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
    const { affiliation, family } = await findCardFamily(ctx, req);
    const person = familyMember(family, req.params.id);
    if (!affiliation || !person || (person.nir ?? person.attached_nir) === null) throw new HttpError(404);
    await recordAudit(ctx.db, ctx.clock(), {
      event: 'card_nir_revealed',
      accountId: req.account!.id,
      accountKind: req.account!.kind,
      ...requestOrigin(req),
      detail: { beneficiaryId: person.id },
    });
    // Back to the card being looked at (the member's, or the beneficiary's given in « carte »).
    const back = cardHref(familyMember(family, (req.body as Record<string, unknown> | undefined)?.carte) ?? person);
    if (wantsFragment(req)) {
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
    // Without JS (or htmx asking for a whole page): the card page, showing this number once.
    req.session.revealedCardNirId = person.id;
    res.redirect(303, `${back}#tp-nir-${person.id}`);
  };
}

/**
 * « Imprimer la carte »: the card alone, numéros de Sécurité sociale in full, laid out for paper
 * (print.css); the member prints it with the browser (a button calls window.print() when JS is on).
 * A GET that shows every full number of the card, so each opening is audited as card_printed.
 */
export function showPrintableCard(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const state = await cardState(ctx, req);
    if (!state.card) return renderNoCard(res, state);
    const card = state.card;
    await auditCardOpened(ctx, req, 'card_printed', card);
    const query = cardQuery(card);
    await res.renderPage({
      page: 'assure/card-print',
      layout: 'assure',
      title: card.isMemberCard ? 'Imprimer ma carte de tiers payant' : `Imprimer la carte de tiers payant — ${card.title}`,
      locals: { card, cardHref: `${CARD_URL}${query}`, pdfHref: `${CARD_URL}/carte.pdf${query}` },
    });
  };
}

/** Who opened which card with its full numbers (never the numbers themselves). */
function auditCardOpened(ctx: AppContext, req: Request, event: 'card_printed' | 'card_downloaded', card: TiersPayantCard): Promise<void> {
  return recordAudit(ctx.db, ctx.clock(), {
    event,
    accountId: req.account!.id,
    accountKind: req.account!.kind,
    ...requestOrigin(req),
    detail: { beneficiaryId: card.holder.id },
  });
}

export function downloadCardPdf(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const state = await cardState(ctx, req);
    if (!state.card) return renderNoCard(res, state);
    await auditCardOpened(ctx, req, 'card_downloaded', state.card);
    const suffix = state.card.isMemberCard
      ? ''
      : `-${state.card.holder.name
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')
          .toLowerCase()}`;
    await sendPdf(res, tiersPayantCardPdf(state.card, pdfBrand(ctx.config.brand), ctx.clock()), `carte-tiers-payant-${state.card.year}${suffix}.pdf`);
  };
}

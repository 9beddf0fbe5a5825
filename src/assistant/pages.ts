// The virtual assistant's page, written once for its three places: the Espace Assuré
// (/assure/assistant), the Espace Entreprise (/entreprise/assistant) and the public pages before
// login (/assistant: activation, passwords). Each offers only the knowledge base's entries whose
// `spaces` name it (./knowledge-base.ts).
//
// Without JavaScript it is a plain GET form (`q`): the page comes back with the best answer and
// two or three other suggestions (links `?q=…&id=…`). With htmx the form asks for the fragment
// assistant/reply: the form itself, emptied (or with its French message), and the question and
// its answer in an <hx-partial> appended to the conversation above it — the conversation lives in
// the page, the server keeps nothing. « Je n'ai pas trouvé ma réponse » opens the space's new
// message pre-filled with the question (`?message=`, src/correspondence/messagerie-pages.ts), or
// before login gives the help line.
import type { Request, Response } from 'express';
import type { AppContext } from '../context.js';
import { hasUnsafeCharacter, UNSAFE_TEXT_MESSAGE } from '../domain/unsafe-text.js';
import type { Layout } from '../middleware/render.js';
import { type AssistantEntry, knowledgeBaseFor } from './knowledge-base.js';
import type { AssistantSpace } from './search.js';

/** The longest question the assistant takes. */
const MAX_QUESTION_LENGTH = 300;

const ASSISTANT_TEXTS = {
  empty: 'Saisissez votre question.',
  tooLong: `Votre question ne doit pas dépasser ${MAX_QUESTION_LENGTH} caractères : raccourcissez-la.`,
  unsafe: UNSAFE_TEXT_MESSAGE,
} as const;

interface Place {
  layout: Layout;
  /** The example under the field: a question of this space. */
  example: string;
  /** The page's address. */
  base: string;
  /** « Nouveau message » of the space's messagerie, for « Je n'ai pas trouvé ma réponse »; none before login. */
  newMessage: string | null;
}

const PLACES: Record<AssistantSpace, Place> = {
  assure: { layout: 'assure', example: 'Comment obtenir ma carte de tiers payant ?', base: '/assure/assistant', newMessage: '/assure/messagerie/nouveau' },
  entreprise: {
    layout: 'entreprise',
    example: 'Comment pré-affilier un nouveau salarié ?',
    base: '/entreprise/assistant',
    newMessage: '/entreprise/messagerie/nouveau',
  },
  public: { layout: 'public', example: "Je n'ai pas reçu mon code d'activation", base: '/assistant', newMessage: null },
};

/** The other spaces' private pages: a link to them from this space's answer leads nowhere. */
const FOREIGN_PREFIX: Record<AssistantSpace, RegExp | null> = {
  assure: /^\/entreprise(?:\/|$)/,
  entreprise: /^\/assure(?:\/|$)/,
  public: null,
};

/** How many entries the page lists: the answer, then other suggestions. */
const SUGGESTIONS = 3;
/** « Questions fréquentes » of the empty page: the entries with the smallest `order`. */
const FREQUENT = 5;

interface Exchange {
  /** What the bubble shows: the question typed, or the title of the suggestion chosen. */
  asked: string;
  answer: (AssistantEntry & { links: readonly { label: string; href: string }[] }) | null;
  suggestions: { title: string; href: string }[];
  /** « Je n'ai pas trouvé ma réponse »: the new message pre-filled with the question. */
  notFoundHref: string | null;
}

function question(value: unknown): string | null {
  if (typeof value !== 'string') return Array.isArray(value) ? '' : null;
  return value.trim();
}

function problemWith(text: string): string | null {
  if (!text) return ASSISTANT_TEXTS.empty;
  if ([...text].length > MAX_QUESTION_LENGTH) return ASSISTANT_TEXTS.tooLong;
  if (hasUnsafeCharacter(text)) return ASSISTANT_TEXTS.unsafe;
  return null;
}

export function showAssistant(ctx: AppContext, space: AssistantSpace) {
  const place = PLACES[space];
  const brand = ctx.config.brand;
  const base = knowledgeBaseFor(brand);
  const foreign = FOREIGN_PREFIX[space];

  const askHref = (q: string, id: string) => `${place.base}?${new URLSearchParams(q ? { q, id } : { id }).toString()}`;
  const withLinks = (entry: AssistantEntry) => ({ ...entry, links: entry.links.filter((link) => !foreign?.test(link.href)) });

  function exchangeFor(q: string, chosenId: string | null): Exchange {
    const hits = q ? base.ask(q, space, SUGGESTIONS + 1) : [];
    const chosen = chosenId ? base.entry(chosenId, space) : undefined;
    const answer = chosen ?? (hits[0] ? base.entry(hits[0].id, space) : undefined);
    const suggestions = hits
      .filter((hit) => hit.id !== answer?.id)
      .slice(0, SUGGESTIONS)
      .flatMap((hit) => {
        const entry = base.entry(hit.id, space);
        return entry ? [{ title: entry.title, href: askHref(q, entry.id) }] : [];
      });
    const notFoundHref = place.newMessage ? (q ? `${place.newMessage}?${new URLSearchParams({ message: q }).toString()}` : place.newMessage) : null;
    return { asked: chosen ? chosen.title : q, answer: answer ? withLinks(answer) : null, suggestions, notFoundHref };
  }

  return async (req: Request, res: Response) => {
    const typed = question(req.query.q);
    const id = typeof req.query.id === 'string' && req.query.id.length <= 80 ? req.query.id : null;
    // A suggestion's link may come without a question (`?id=` alone): only a question sent is checked.
    const error = typed !== null && (typed || !id) ? problemWith(typed) : null;
    let exchange: Exchange | null = null;
    if (!error && (typed || id)) exchange = exchangeFor(typed ?? '', id);
    // An unknown entry asked for alone (an old link): the page as it opens.
    if (exchange && !exchange.answer && !typed) exchange = null;

    const frequent = base
      .entries()
      .filter((entry) => entry.spaces.includes(space) && entry.order !== undefined)
      .slice(0, FREQUENT)
      .map((entry) => ({ title: entry.title, href: askHref('', entry.id) }));

    await res.renderPage({
      page: 'assistant/assistant',
      fragment: 'assistant/reply',
      layout: place.layout,
      title: `${brand.assistantName} - Votre conseillère virtuelle`,
      status: error ? 422 : undefined,
      locals: {
        assistantName: brand.assistantName,
        assistantSpace: space,
        base: place.base,
        // The field keeps what was typed when it is refused; after an answer (htmx) it is emptied.
        value: error ? (typed ?? '') : req.isHtmx ? '' : (typed ?? ''),
        error,
        exchange,
        frequent,
        maxLength: MAX_QUESTION_LENGTH,
        example: place.example,
      },
    });
  };
}

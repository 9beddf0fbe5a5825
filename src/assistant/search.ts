// The assistant's search: the knowledge base's entries in a MiniSearch index (BM25 full-text
// search), read the French way (./french.ts). Pure: the entries come in, ranked ids go out; the
// files and their changes are ./knowledge-base.ts's business.
//
// - Fields and boosts: the entry's title (the question as a member asks it) counts 3, its
//   keywords (the other words people type) 2, the answer's text 1.
// - A question's terms are combined with OR: the entry sharing the most, and the rarest, terms
//   wins (BM25 weighs a term by how few entries hold it, so « carte » alone decides little).
// - Typos: a term of 5 letters or more also matches terms one letter away (two from 10 letters:
//   MiniSearch's `fuzzy` 0.2 of the length), and as the start of a longer term (« teletransmis »),
//   both worth less than an exact match (MiniSearch's default weights).
// - Space: only the entries offered in the asking space (`spaces` of the entry) are ranked.
// - Synonyms (./french.ts) weigh half a typed word, and an entry that matches none of the words
//   typed (only synonyms) is not offered: the assistant says it found nothing instead.
import MiniSearch from 'minisearch';
import { indexTerms, questionTerms } from './french.js';

export const ASSISTANT_SPACES = ['assure', 'entreprise', 'public'] as const;
export type AssistantSpace = (typeof ASSISTANT_SPACES)[number];

/** What the index needs of an entry of the knowledge base. */
export interface SearchableEntry {
  id: string;
  title: string;
  keywords: readonly string[];
  /** The answer as plain text. */
  text: string;
  spaces: readonly AssistantSpace[];
}

export interface SearchHit {
  id: string;
  score: number;
}

interface IndexedEntry {
  id: string;
  title: string;
  keywords: string;
  text: string;
  spaces: readonly AssistantSpace[];
}

export class AssistantIndex {
  private readonly search: MiniSearch<IndexedEntry>;

  constructor(entries: readonly SearchableEntry[]) {
    this.search = new MiniSearch<IndexedEntry>({
      fields: ['title', 'keywords', 'text'],
      storeFields: ['spaces'],
      // Terms come out of the tokenizer already folded, filtered and stemmed (./french.ts).
      tokenize: indexTerms,
      processTerm: (term) => term,
      searchOptions: {
        tokenize: (text) => text.split(' ').filter(Boolean),
        processTerm: (term) => term,
        boost: { title: 3, keywords: 2, text: 1 },
        combineWith: 'OR',
        fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
        prefix: (term) => term.length >= 5,
      },
    });
    this.search.addAll(entries.map((e) => ({ id: e.id, title: e.title, keywords: e.keywords.join(' ; '), text: e.text, spaces: e.spaces })));
  }

  /** The entries of `space` that answer `question`, best first, at most `limit`. */
  ask(question: string, space: AssistantSpace, limit = 4): SearchHit[] {
    const terms = questionTerms(question);
    if (!terms.length) return [];
    const weights = new Map(terms.map((t) => [t.term, t.weight]));
    return (
      this.search
        .search(terms.map((t) => t.term).join(' '), {
          filter: (result) => (result.spaces as readonly AssistantSpace[]).includes(space),
          boostTerm: (term) => weights.get(term) ?? 1,
        })
        // An entry found only through synonyms answers a question the member did not ask.
        .filter((result) => result.queryTerms.some((term) => weights.get(term) === 1))
        .slice(0, limit)
        .map((result) => ({ id: String(result.id), score: result.score }))
    );
  }
}

// Small French formatting helpers that several pages need; keeping them here means a
// name or a count is written the same way in every space of the portal.

export const NBSP = '\u00A0';

/**
 * ICU emits U+202F (narrow no-break space) as the fr-FR group separator and U+00A0 before
 * units; some fonts render U+202F badly and tests comparing strings get brittle, so every
 * formatted number leaving this module uses U+00A0 only.
 */
export function normalizeFrenchSpaces(text: string): string {
  return text.replace(/[\u202F\u2009\u2007]/g, NBSP);
}

/**
 * A French word agreeing with a person's known sex (« né » / « née », « affilié » / « affiliée »);
 * the inclusive « né(e) » only when the sex is not known.
 */
export function agreeWithSex(sex: 'M' | 'F' | null | undefined, masculine: string, feminine: string): string {
  if (sex === 'M') return masculine;
  if (sex === 'F') return feminine;
  return feminine.startsWith(masculine) ? `${masculine}(${feminine.slice(masculine.length)})` : `${masculine} / ${feminine}`;
}

// Particles stay lowercase inside a name (« Jean de La Fontaine ») but not at its start,
// where a surname shown alone reads « De La Fontaine ».
const LOWERCASE_PARTICLES = new Set(['de', 'des', 'du', "d'", 'd’']);

function capitalizeWord(word: string): string {
  const lower = word.toLocaleLowerCase('fr-FR');
  const first = lower.charAt(0).toLocaleUpperCase('fr-FR');
  return first + lower.slice(1);
}

/**
 * Turns « jean-pierre DUPONT » into « Jean-Pierre Dupont » and « charles D'ARTAGNAN » into
 * « Charles d'Artagnan ». Imports and forms give names in any case; letters carrying
 * accents are handled by the fr-FR locale rules.
 */
export function capitalizeName(name: string): string {
  const words = name
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  return words
    .map((word, wordIndex) => {
      const lower = word.toLocaleLowerCase('fr-FR');
      if (wordIndex > 0 && LOWERCASE_PARTICLES.has(lower)) return lower;
      // Split on hyphens and apostrophes but keep them, so each part gets its capital.
      const parts = word.split(/([-'’])/);
      return parts
        .map((part, partIndex) => {
          if (part === '-' || part === "'" || part === '’') return part;
          const partLower = part.toLocaleLowerCase('fr-FR');
          // « Charles d'Artagnan »: an elided « d' » stays lowercase unless it starts the name.
          const isApostropheNext = parts[partIndex + 1] === "'" || parts[partIndex + 1] === '’';
          const startsName = wordIndex === 0 && partIndex === 0;
          if (partLower === 'd' && isApostropheNext && !startsName) return partLower;
          return capitalizeWord(part);
        })
        .join('');
    })
    .join(' ');
}

/**
 * Initials for avatars and compact lists: first letter of the first and last words,
 * e.g. initials('Jean-Pierre', 'Dupont') or initials('Jean-Pierre Dupont') → 'JD'.
 */
export function initials(...names: string[]): string {
  const words = names
    .join(' ')
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  if (words.length === 0) return '';
  const picked = words.length === 1 ? [words[0]] : [words[0], words[words.length - 1]];
  return picked.map((w) => w.charAt(0).toLocaleUpperCase('fr-FR')).join('');
}

/**
 * French agrees in the singular below 2 (« 0 salarié », « 1,5 million »), unlike English.
 * Returns the word only; use formatCount for « 12 salariés ».
 */
export function pluralize(count: number, singular: string, plural: string): string {
  return Math.abs(count) < 2 ? singular : plural;
}

const integerFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });

/** 1234567 → « 1 234 567 » with U+00A0 as thousands separator. */
export function formatInteger(value: number): string {
  return normalizeFrenchSpaces(integerFormat.format(value));
}

/** « 1 234 salariés », with a no-break space so the number never wraps away from its noun. */
export function formatCount(count: number, singular: string, plural: string): string {
  return `${formatInteger(count)}${NBSP}${pluralize(count, singular, plural)}`;
}

/** « Prénom Nom » of a row that has both. */
export function fullName(person: { first_name: string; last_name: string }): string {
  return `${person.first_name} ${person.last_name}`;
}

// ------------------------------------------------------------------ elision
/**
 * Whether French elides a short word (de, que, le…) before `word`: it starts with a vowel
 * (accented or not: « d'Anne », « d'Élodie »), with a « y » sounding as a vowel (« d'Yves »,
 * but « de Yann »), or with an « h » followed by a vowel. Every « h » is taken as mute — the rule
 * for first names (« d'Hélène », « d'Hugo ») — since no list of aspirated ones (« de Hollande »)
 * is worth keeping for the names this portal shows.
 */
function startsWithVowelSound(word: string): boolean {
  const plain = word.trim().normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  if (/^[aeiou]/.test(plain)) return true;
  if (/^y[^aeiouy]/.test(plain)) return true;
  return /^h[aeiouy]/.test(plain);
}

/** The short word as written before `next`: « d' » or « de  », « qu' » or « que  » (for markup between the two). */
export function particle(word: 'de' | 'que', next: string): string {
  return startsWithVowelSound(next) ? `${word.slice(0, -1)}'` : `${word} `;
}

/** « de Marie Lefebvre », « d'Anne Martin », « d'Immobilière du Ponant »: `de` before a name. */
export function de(name: string): string {
  return particle('de', name) + name;
}

/** « que Marie Lefebvre », « qu'Anne Martin »: `que` before a name. */
export function que(name: string): string {
  return particle('que', name) + name;
}

// ------------------------------------------------------------------ labels made of parts
/**
 * Lowercase words without accents or punctuation, for comparing the parts of a label or a word
 * written in a file: « ophtalmologue », « OPHTALMOLOGUE », « Masseur kinésithérapeute ».
 */
export function comparable(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Whether `text` already says `part`: its words, in order, whole (« Lyon » in « Lyon Bellecour », not in « Lyonnaise »). */
export function mentions(text: string, part: string): boolean {
  const needle = comparable(part);
  return needle !== '' && ` ${comparable(text)} `.includes(` ${needle} `);
}

/**
 * The parts of a label, blank ones and repeats left out: a part goes when another part already
 * says it (see `mentions`), so establishment names that carry their company or their city
 * (« Cabinet Verdier Immobilier — Annecy ») are not followed by them again. Order is kept.
 */
export function distinctParts(parts: readonly (string | null | undefined)[]): string[] {
  const present = parts.map((p) => (p ?? '').trim()).filter((p) => p !== '');
  const kept: string[] = [];
  present.forEach((part, i) => {
    const saidElsewhere = present.some((other, j) => j !== i && comparable(other) !== comparable(part) && mentions(other, part));
    const repeated = kept.some((k) => comparable(k) === comparable(part));
    if (!saidElsewhere && !repeated) kept.push(part);
  });
  return kept;
}

/**
 * The one label of an establishment: « Company — Establishment — City », each part only when the
 * others do not already say it: « Cabinet Verdier Immobilier — Lyon Bellecour » for the
 * establishment of that name in Lyon, « Alpha — Siège — Lyon » for one simply called « Siège ».
 */
export function establishmentLabel(establishment: { name: string; companyName?: string | null; city?: string | null }): string {
  return distinctParts([establishment.companyName, establishment.name, establishment.city]).join(' — ');
}

// Looking people up by name the way they are typed: « lefevre », « LEFÈVRE » and « Lefèvre »
// are one search. The key folds case and French (and common foreign) accents; the members table
// holds the same key as generated columns (migration 20261201090000_member_name_search_keys,
// whose letter table must match this one — test/http/entreprise-salaries.test.ts checks it against
// both databases).

const FOLDS: Readonly<Record<string, string>> = Object.fromEntries(
  (
    [
      ['a', 'àáâãäåÀÁÂÃÄÅ'],
      ['c', 'çÇ'],
      ['e', 'èéêëÈÉÊË'],
      ['i', 'ìíîïÌÍÎÏ'],
      ['n', 'ñÑ'],
      ['o', 'òóôõöÒÓÔÕÖ'],
      ['u', 'ùúûüÙÚÛÜ'],
      ['y', 'ýÿÝŸ'],
      ['oe', 'œŒ'],
      ['ae', 'æÆ'],
      [' ', '-'],
      ["'", '’'],
    ] as const
  ).flatMap(([to, letters]) => [...letters].map((letter) => [letter, to])),
);

/** The search key of a name: ASCII lowercase, accents folded, hyphens as spaces, spaces collapsed. */
export function nameSearchKey(text: string): string {
  return [...text]
    .map((c) => FOLDS[c] ?? c)
    .join('')
    .replace(/[A-Z]/g, (c) => c.toLowerCase())
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every letter the key folds, for the test that compares it with the database's folding. */
export const FOLDED_LETTERS: readonly string[] = Object.keys(FOLDS);

/** The key range `[from, to)` of every key that starts with `prefix`. */
export function prefixRange(prefix: string): [string, string] {
  return [prefix, `${prefix}\uffff`];
}

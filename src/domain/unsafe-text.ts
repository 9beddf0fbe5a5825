// The characters no text typed into the portal may hold, in one rule: form fields (through
// src/validation.ts), search and filter values, and the cells of an imported file all use it.
//
// Refused: Unicode control characters (category Cc: C0 with NUL, DEL, C1), format characters
// (category Cf: zero-width spaces and joiners U+200B–U+200F, word joiner U+2060, byte order mark
// U+FEFF, the bidirectional embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069,
// soft hyphen, tag characters…) and the line and paragraph separators U+2028/U+2029. PostgreSQL
// refuses NUL in text (a 500 before this rule); SQLite stores all of them, and a U+202E in a name
// makes it read backwards in the HR and staff lists, a zero-width space makes two names look the
// same. A multi-line field (a textarea) may also hold line breaks and tabs. No-break spaces
// (U+00A0, U+202F), which French typing uses, are ordinary spaces here.

const UNSAFE_CHARACTER = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const UNSAFE_CHARACTER_MULTILINE = /(?![\t\n\r])[\p{Cc}\p{Cf}\u2028\u2029]/u;
const UNSAFE_CHARACTERS = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

export const UNSAFE_TEXT_MESSAGE =
  'Ce champ contient un caractère invisible ou de contrôle (souvent apporté par un copier-coller) : effacez le contenu du champ et saisissez-le à nouveau au clavier.';

/** True when the text holds a character no typed text may hold. */
export function hasUnsafeCharacter(value: string, multiline = false): boolean {
  return (multiline ? UNSAFE_CHARACTER_MULTILINE : UNSAFE_CHARACTER).test(value);
}

/**
 * The text with each unsafe character replaced by « � » (U+FFFD), for showing back a value that
 * was refused — in an error report, say — without storing or sending the character itself.
 */
export function markUnsafeCharacters(value: string): string {
  return value.replace(UNSAFE_CHARACTERS, '\uFFFD');
}

// The insurer's identifiers of a client company, generated when staff create it
// (/gestion/entreprises): the « Identifiant entreprise » (companies.insurer_company_number) an HR
// user types with a SIRET to activate the Espace Entreprise (src/auth/activation-hr.ts), and each
// establishment's « code identifiant » (establishments.insurer_code) typed with its SIRET to add it
// to a périmètre suivi (src/entreprise/establishments/matching.ts).
// Both are read off a printed letter and typed by hand, so they use only characters that cannot be
// mistaken for one another: no 0/O, 1/I/L, nor 5/S, 2/Z, 8/B. 8 of 25 characters: 1.5 × 10^11
// values, guessed only through the throttled activation form. Pure: the caller gives the random
// bytes (node:crypto) and retries on the unique index when a value is taken.

/** The 25 characters an identifier is made of. */
export const IDENTIFIER_ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';
export const IDENTIFIER_LENGTH = 8;

/** An identifier from random bytes (one per character; the top values are dropped so every character is equally likely). */
export function identifierFromBytes(bytes: Uint8Array): string | null {
  const limit = 256 - (256 % IDENTIFIER_ALPHABET.length);
  let out = '';
  for (const byte of bytes) {
    if (byte >= limit) continue;
    out += IDENTIFIER_ALPHABET[byte % IDENTIFIER_ALPHABET.length];
    if (out.length === IDENTIFIER_LENGTH) return out;
  }
  return null;
}

/** A fresh identifier; `random(n)` gives n random bytes. */
export function newIdentifier(random: (n: number) => Uint8Array): string {
  for (;;) {
    const id = identifierFromBytes(random(IDENTIFIER_LENGTH * 2));
    if (id) return id;
  }
}

/** True for an identifier of this shape (tests and checks). */
export function isIdentifier(text: string): boolean {
  return new RegExp(`^[${IDENTIFIER_ALPHABET}]{${IDENTIFIER_LENGTH}}$`).test(text);
}

// « Je ne suis pas un robot » without JavaScript and without a third-party service:
// a short arithmetic question written in words, answered in a text field. It works with a
// screen reader, a keyboard, an old phone and a locked-down work PC, and sends nobody's IP
// address to a captcha vendor.
//
// It only stops scripts that post the form blindly; a determined bot can parse the question.
// That is acceptable here because what it protects (the SIRET + identifier lookup) is also
// throttled per IP and answers one single message for every mismatch.
//
// The expected answer never reaches the browser: the caller keeps the `StoredChallenge` in the
// server-side session. Only an HMAC of the answer is kept (with a random nonce), so a session
// row read from the database does not give the answer away either. A challenge is single use:
// the caller removes it from the session before checking, spends its nonce in the database
// (src/domain/anti-robot-store.ts: requests sharing one session each hold a copy), and asks a
// new question after every failed submit.
import crypto from 'node:crypto';

/** A question stays answerable for this long (a person may fill the rest of the form slowly). */
export const CHALLENGE_TTL_MS = 30 * 60_000;

export interface StoredChallenge {
  nonce: string;
  answerHash: string;
  issuedAt: string;
}

export interface Challenge {
  question: string;
  stored: StoredChallenge;
}

const UNITS = [
  'zéro',
  'un',
  'deux',
  'trois',
  'quatre',
  'cinq',
  'six',
  'sept',
  'huit',
  'neuf',
  'dix',
  'onze',
  'douze',
  'treize',
  'quatorze',
  'quinze',
  'seize',
  'dix-sept',
  'dix-huit',
  'dix-neuf',
  'vingt',
] as const;

/** 0 to 20 in French words (the questions never go higher). */
export function numberInWords(n: number): string {
  const word = UNITS[n];
  if (word === undefined) throw new RangeError(`numberInWords: ${n} is out of 0–20`);
  return word;
}

type Random = (min: number, max: number) => number;

/** Integer in [min, max] (both included). */
const cryptoRandom: Random = (min, max) => crypto.randomInt(min, max + 1);

export interface Question {
  question: string;
  answer: number;
}

const ANSWER_HINT = 'Répondez en chiffres.';

/** The question templates; each picks its numbers so that the answer stays within 0–20. */
export const templates: ReadonlyArray<(random: Random) => Question> = [
  (random) => {
    const a = random(1, 9);
    const b = random(1, 9);
    return { question: `Combien font ${numberInWords(a)} plus ${numberInWords(b)} ? ${ANSWER_HINT}`, answer: a + b };
  },
  (random) => {
    const a = random(5, 15);
    const b = random(1, a - 1);
    return { question: `Combien font ${numberInWords(a)} moins ${numberInWords(b)} ? ${ANSWER_HINT}`, answer: a - b };
  },
  (random) => {
    const a = random(2, 5);
    const b = random(2, 4);
    return { question: `Combien font ${numberInWords(a)} fois ${numberInWords(b)} ? ${ANSWER_HINT}`, answer: a * b };
  },
  (random) => {
    // Three distinct numbers, the largest in a random position (no retry loop: any `random` ends).
    const largest = random(3, 20);
    const x = random(1, largest - 1);
    let y = random(1, largest - 2);
    if (y >= x) y += 1;
    const numbers = [x, y];
    numbers.splice(random(0, 2), 0, largest);
    return {
      question: `Quel est le plus grand de ces trois nombres : ${numbers.map(numberInWords).join(', ')} ? ${ANSWER_HINT}`,
      answer: Math.max(...numbers),
    };
  },
  (random) => {
    const a = random(1, 19);
    return { question: `Quel nombre vient juste après ${numberInWords(a)} ? ${ANSWER_HINT}`, answer: a + 1 };
  },
];

function hashAnswer(secret: string, nonce: string, answer: number): string {
  return crypto.createHmac('sha256', secret).update(`anti-robot:${nonce}:${answer}`).digest('hex');
}

/** A new question and what the session keeps to check the answer. */
export function createChallenge(secret: string, now: Date, random: Random = cryptoRandom): Challenge {
  const template = templates[random(0, templates.length - 1)];
  const { question, answer } = template(random);
  const nonce = crypto.randomBytes(16).toString('hex');
  return { question, stored: { nonce, answerHash: hashAnswer(secret, nonce, answer), issuedAt: now.toISOString() } };
}

function normalizeWord(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/ ?- ?/g, '-')
    .trim();
}

const WORD_VALUES = new Map<string, number>(UNITS.map((word, n) => [normalizeWord(word), n]));
// « dix sept » typed with a space instead of the hyphen.
for (const [word, n] of [...WORD_VALUES]) if (word.includes('-')) WORD_VALUES.set(word.replace('-', ' '), n);

/**
 * The number a person typed: digits (« 9 », « 09 », « 9 » with spaces around) or, to be kind to
 * people who answered in words despite the hint, the French word (« neuf », « Dix-sept »).
 * Anything else (empty, not a string, « 9.5 », « 9a ») is null.
 */
export function parseAnswer(input: unknown): number | null {
  if (typeof input !== 'string') return null;
  const trimmed = input.trim();
  if (/^\d{1,3}$/.test(trimmed)) return Number(trimmed);
  const word = WORD_VALUES.get(normalizeWord(trimmed));
  return word ?? null;
}

export type AnswerCheck = 'ok' | 'missing' | 'wrong' | 'expired';

/**
 * Checks an answer against a stored challenge. The caller must drop the challenge from the
 * session before or after calling (single use) whatever the outcome.
 */
export function checkAnswer(secret: string, stored: StoredChallenge | undefined | null, input: unknown, now: Date): AnswerCheck {
  if (typeof input !== 'string' || input.trim() === '') return 'missing';
  if (!stored || typeof stored.nonce !== 'string' || typeof stored.answerHash !== 'string') return 'expired';
  const issued = Date.parse(stored.issuedAt);
  if (!Number.isFinite(issued) || now.getTime() - issued > CHALLENGE_TTL_MS || now.getTime() < issued) return 'expired';
  const answer = parseAnswer(input);
  if (answer === null) return 'wrong';
  const expected = Buffer.from(stored.answerHash, 'hex');
  const actual = Buffer.from(hashAnswer(secret, stored.nonce, answer), 'hex');
  return expected.length === actual.length && crypto.timingSafeEqual(expected, actual) ? 'ok' : 'wrong';
}

export const ANTI_ROBOT_MESSAGES = {
  missing: "Répondez à la question pour confirmer que vous n'êtes pas un robot.",
  wrong: "La réponse n'est pas correcte. Répondez à la nouvelle question ci-dessous, en chiffres.",
  expired: 'La question a expiré. Répondez à la nouvelle question ci-dessous, en chiffres.',
} as const;

export function antiRobotMessage(result: Exclude<AnswerCheck, 'ok'>): string {
  return ANTI_ROBOT_MESSAGES[result];
}

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ANTI_ROBOT_MESSAGES,
  CHALLENGE_TTL_MS,
  antiRobotMessage,
  checkAnswer,
  createChallenge,
  numberInWords,
  parseAnswer,
  templates,
} from '../../src/domain/anti-robot.js';
import { assertExcludes } from '../helpers/assertions.js';

const SECRET = 'secret-de-test-secret-de-test-32c';
const NOW = new Date('2026-11-22T09:00:00.000Z');

/** A deterministic "random": always the lowest allowed value plus an offset, clamped. */
function fixedRandom(offset: number) {
  return (min: number, max: number) => Math.min(max, min + offset);
}

const WORDS = new Map(Array.from({ length: 21 }, (_, n) => [numberInWords(n), n]));

/** Reads a question the way a person would, to check that the stored answer is the right one. */
function solve(question: string): number {
  const asked = question.includes(':') ? question.slice(question.indexOf(':')) : question;
  const numbers = [
    ...asked.matchAll(
      /(?<=[ ,:])(dix-sept|dix-huit|dix-neuf|zéro|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt)(?=[ ,?])/g,
    ),
  ].map((m) => WORDS.get(m[1])!);
  if (question.includes('plus grand')) return Math.max(...numbers);
  if (question.includes(' plus ')) return numbers[0] + numbers[1];
  if (question.includes(' moins ')) return numbers[0] - numbers[1];
  if (question.includes(' fois ')) return numbers[0] * numbers[1];
  if (question.includes('juste après')) return numbers[0] + 1;
  throw new Error(`unknown question: ${question}`);
}

describe('anti-robot question', () => {
  test('numbers are written in French words', () => {
    assert.equal(numberInWords(0), 'zéro');
    assert.equal(numberInWords(7), 'sept');
    assert.equal(numberInWords(17), 'dix-sept');
    assert.equal(numberInWords(20), 'vingt');
    assert.throws(() => numberInWords(21), RangeError);
  });

  test('every template asks in words, says to answer in digits, and its answer is right', () => {
    assert.ok(templates.length >= 4, 'a few question templates');
    for (const template of templates) {
      for (let offset = 0; offset < 12; offset++) {
        const { question, answer } = template(fixedRandom(offset));
        assert.ok(!/\d/.test(question), `no digits in the question: ${question}`);
        assert.ok(question.endsWith('Répondez en chiffres.'), question);
        assert.ok(answer >= 0 && answer <= 20, `${question} → ${answer}`);
        assert.equal(solve(question), answer, question);
      }
    }
  });

  test('the example of the specification', () => {
    const picks = [7, 2];
    const { question, answer } = templates[0](() => picks.shift()!);
    assert.equal(question, 'Combien font sept plus deux ? Répondez en chiffres.');
    assert.equal(answer, 9);
  });

  test('a created challenge is checked by its answer, in digits or in words', () => {
    for (let i = 0; i < 30; i++) {
      const challenge = createChallenge(SECRET, NOW);
      const answer = solve(challenge.question);
      assert.equal(checkAnswer(SECRET, challenge.stored, String(answer), NOW), 'ok', challenge.question);
      assert.equal(checkAnswer(SECRET, challenge.stored, ` ${answer} `, NOW), 'ok');
      assert.equal(checkAnswer(SECRET, challenge.stored, numberInWords(answer).toUpperCase(), NOW), 'ok');
      assert.equal(checkAnswer(SECRET, challenge.stored, String(answer + 1), NOW), 'wrong');
    }
  });

  test('the session keeps no answer in clear, and a random nonce makes two identical questions differ', () => {
    const random = fixedRandom(3);
    const a = createChallenge(SECRET, NOW, random);
    const b = createChallenge(SECRET, NOW, random);
    assert.equal(a.question, b.question);
    assert.notEqual(a.stored.answerHash, b.stored.answerHash);
    const answer = solve(a.question);
    assertExcludes(JSON.stringify(a.stored), `"${answer}"`);
    assert.equal(checkAnswer('un-autre-secret-un-autre-secret-32', a.stored, String(answer), NOW), 'wrong', 'keyed by the server secret');
    assert.equal(checkAnswer(SECRET, { ...a.stored, nonce: b.stored.nonce }, String(answer), NOW), 'wrong', 'bound to its nonce');
  });

  test('missing, malformed, expired or absent challenges', () => {
    const challenge = createChallenge(SECRET, NOW);
    const answer = solve(challenge.question);
    assert.equal(checkAnswer(SECRET, challenge.stored, '', NOW), 'missing');
    assert.equal(checkAnswer(SECRET, challenge.stored, '   ', NOW), 'missing');
    assert.equal(checkAnswer(SECRET, challenge.stored, ['9'], NOW), 'missing', 'arrays from the body are not answers');
    assert.equal(checkAnswer(SECRET, challenge.stored, undefined, NOW), 'missing');
    assert.equal(checkAnswer(SECRET, challenge.stored, `${answer}.0`, NOW), 'wrong');
    assert.equal(checkAnswer(SECRET, challenge.stored, `${answer}a`, NOW), 'wrong');
    assert.equal(checkAnswer(SECRET, undefined, String(answer), NOW), 'expired', 'no question in the session (already used)');
    const later = new Date(NOW.getTime() + CHALLENGE_TTL_MS + 1000);
    assert.equal(checkAnswer(SECRET, challenge.stored, String(answer), later), 'expired');
    assert.equal(checkAnswer(SECRET, { ...challenge.stored, issuedAt: 'nimporte' }, String(answer), NOW), 'expired');
    assert.equal(checkAnswer(SECRET, { nonce: 1, answerHash: null } as never, String(answer), NOW), 'expired');
  });

  test('answers typed in words are understood', () => {
    assert.equal(parseAnswer('neuf'), 9);
    assert.equal(parseAnswer('Dix-Sept'), 17);
    assert.equal(parseAnswer('dix sept'), 17);
    assert.equal(parseAnswer('zero'), 0);
    assert.equal(parseAnswer('09'), 9);
    assert.equal(parseAnswer('neuf cents'), null);
    assert.equal(parseAnswer(42), null);
  });

  test('French messages for each failure', () => {
    assert.equal(antiRobotMessage('missing'), ANTI_ROBOT_MESSAGES.missing);
    assert.match(antiRobotMessage('wrong'), /nouvelle question/);
    assert.match(antiRobotMessage('expired'), /expiré/);
  });
});

// Answers the « Je ne suis pas un robot » question as a person would (tests only).
import { numberInWords } from '../../src/domain/anti-robot.js';
import { decoded } from './fixtures.js';

const WORDS = new Map(Array.from({ length: 21 }, (_, n) => [numberInWords(n), n]));

export function answerQuestion(question: string): string {
  const asked = question.includes(':') ? question.slice(question.indexOf(':')) : question;
  const numbers = [
    ...asked.matchAll(
      /(?<=[ ,:])(dix-sept|dix-huit|dix-neuf|zéro|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt)(?=[ ,?])/g,
    ),
  ].map((m) => WORDS.get(m[1])!);
  if (question.includes('plus grand')) return String(Math.max(...numbers));
  if (question.includes(' plus ')) return String(numbers[0] + numbers[1]);
  if (question.includes(' moins ')) return String(numbers[0] - numbers[1]);
  if (question.includes(' fois ')) return String(numbers[0] * numbers[1]);
  if (question.includes('juste après')) return String(numbers[0] + 1);
  throw new Error(`unknown question: ${question}`);
}

/** The answer to the question of a page's `robot` field. */
export function robotAnswer(html: string): string {
  const question = decoded(html).match(/<label for="robot">([^<]+?)\s*<span class="required"/)?.[1];
  if (!question) throw new Error('no anti-robot question in page');
  return answerQuestion(question);
}

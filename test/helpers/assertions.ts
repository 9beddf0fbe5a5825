// assertIncludes / assertExcludes: `assert.ok(html.includes(text))` that says what went wrong.
// A bare assert.ok fails with « The expression evaluated to a falsy value »; these name the text
// looked for and show the page around the closest thing found (or around the unwanted text), so
// a failure on a 40 KB page can be read without re-running the test.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';

/** Characters of context shown on each side of an excerpt. */
const CONTEXT = 80;

/** Fails unless `haystack` (a text or a list) includes `needle`; on failure, shows the nearest text found. */
export function assertIncludes(haystack: string, needle: string, message?: string): void;
export function assertIncludes<T>(haystack: readonly T[], needle: T, message?: string): void;
export function assertIncludes(haystack: string | readonly unknown[], needle: unknown, message?: string): void {
  if (typeof haystack === 'string') {
    const text = needle as string;
    if (haystack.includes(text)) return;
    fail(message, `expected the text to include ${quote(text)}\n${nearest(haystack, text)}`, assertIncludes);
  }
  if (haystack.includes(needle)) return;
  fail(message, `expected the list to include ${inspect(needle)}\nlist (${haystack.length}): ${shortInspect(haystack)}`, assertIncludes);
}

/** Fails if `haystack` (a text or a list) includes `needle`; on failure, shows where it was found. */
export function assertExcludes(haystack: string, needle: string, message?: string): void;
export function assertExcludes<T>(haystack: readonly T[], needle: T, message?: string): void;
export function assertExcludes(haystack: string | readonly unknown[], needle: unknown, message?: string): void {
  if (typeof haystack === 'string') {
    const text = needle as string;
    const at = haystack.indexOf(text);
    if (at === -1) return;
    const count = haystack.split(text).length - 1;
    const times = count === 1 ? 'once' : `${count} times`;
    fail(message, `expected the text not to include ${quote(text)}, found ${times}, first here:\n${excerpt(haystack, at, text.length)}`, assertExcludes);
  }
  const index = haystack.indexOf(needle);
  if (index === -1) return;
  fail(
    message,
    `expected the list not to include ${inspect(needle)}, found at index ${index}\nlist (${haystack.length}): ${shortInspect(haystack)}`,
    assertExcludes,
  );
}

function fail(message: string | undefined, detail: string, from: (...args: never[]) => void): never {
  // stackStartFn: the stack trace starts at the test's line, not in this file.
  throw new assert.AssertionError({ message: message ? `${message}\n${detail}` : detail, stackStartFn: from, operator: from.name });
}

/**
 * What the text holds that comes closest to `needle`: the needle with other spacing or case, the
 * needle HTML-escaped, or the longest start or end of the needle found, with the text around it.
 */
export function nearest(haystack: string, needle: string): string {
  if (haystack.length === 0) return 'the text is empty';
  const escaped = escapeHtml(needle);
  if (escaped !== needle && haystack.includes(escaped)) {
    return `found HTML-escaped as ${quote(escaped)} (decode the page first):\n${excerpt(haystack, haystack.indexOf(escaped), escaped.length)}`;
  }
  const loose = looseIndexOf(haystack, needle);
  if (loose) return `found with other spacing or case:\n${excerpt(haystack, loose.start, loose.end - loose.start)}`;

  const prefix = longestFound(needle.length, (n) => haystack.indexOf(needle.slice(0, n)));
  const suffix = longestFound(needle.length, (n) => haystack.indexOf(needle.slice(needle.length - n)));
  const best =
    suffix.length > prefix.length
      ? { ...suffix, part: needle.slice(needle.length - suffix.length), side: 'end' }
      : { ...prefix, part: needle.slice(0, prefix.length), side: 'start' };
  if (best.length === 0) return `no part of it was found; the text (${haystack.length} characters) begins:\n${excerpt(haystack, 0, 0)}`;
  return `closest: its ${best.side} ${quote(best.part)} (${best.length} of ${needle.length} characters), here:\n${excerpt(haystack, best.at, best.length)}`;
}

/**
 * The longest n (up to max) for which indexOf(n) finds something, and where. Binary search: when a
 * start (or end) of the needle is in the text, every shorter one is too.
 */
function longestFound(max: number, indexOf: (n: number) => number): { length: number; at: number } {
  let low = 0;
  let high = max;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (indexOf(mid) !== -1) low = mid;
    else high = mid - 1;
  }
  return { length: low, at: low === 0 ? 0 : indexOf(low) };
}

/** Where `needle` is in `haystack` when runs of spaces count as one space and case is ignored. */
function looseIndexOf(haystack: string, needle: string): { start: number; end: number } | null {
  const words = needle
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (words.length === 0) return null;
  const match = new RegExp(words.join('\\s+'), 'iu').exec(haystack);
  return match ? { start: match.index, end: match.index + match[0].length } : null;
}

/** The text around [at, at + length), the part itself between ⟦ ⟧, on one line. */
export function excerpt(text: string, at: number, length: number): string {
  const start = Math.max(0, at - CONTEXT);
  const end = Math.min(text.length, at + length + CONTEXT);
  const oneLine = (part: string) => part.replace(/\s+/g, ' ');
  const before = `${start > 0 ? '…' : ''}${oneLine(text.slice(start, at))}`;
  const after = `${oneLine(text.slice(at + length, end))}${end < text.length ? '…' : ''}`;
  return length === 0 ? `  ${before}${after}` : `  ${before}⟦${oneLine(text.slice(at, at + length))}⟧${after}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

function quote(text: string): string {
  return JSON.stringify(text);
}

function shortInspect(list: readonly unknown[]): string {
  return inspect(list, { maxArrayLength: 20, breakLength: Number.POSITIVE_INFINITY, maxStringLength: 80 });
}

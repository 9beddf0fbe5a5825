import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const PAGE = `<main><h1>Mes salariés</h1><p class="result-count">32 salariés affiliés — page 1 sur 2</p><p>L'entreprise n'a pas d'habilitation.</p></main>`;

/** The AssertionError thrown by `run`, for its message. */
function failureOf(run: () => void): assert.AssertionError {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof assert.AssertionError, `an AssertionError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a failure');
}

describe('assertIncludes', () => {
  test('passes when the text or the list holds the needle', () => {
    assertIncludes(PAGE, '32 salariés affiliés');
    assertIncludes(['a', 'b'], 'b');
  });

  test('names the missing text and shows the longest start of it found, in its context', () => {
    const err = failureOf(() => assertIncludes(PAGE, '32 salariés affiliés — page 2 sur 2'));
    assert.match(err.message, /^expected the text to include "32 salariés affiliés — page 2 sur 2"\n/);
    assert.match(err.message, /closest: its start "32 salariés affiliés — page " \(28 of 35 characters\), here:/);
    assert.match(err.message, /<p class="result-count">⟦32 salariés affiliés — page ⟧1 sur 2<\/p>/);
  });

  test('shows the longest end found when it is longer than the start', () => {
    const err = failureOf(() => assertIncludes(PAGE, 'Vos salariés</h1>'));
    assert.match(err.message, /closest: its end "s salariés<\/h1>" \(15 of 17 characters\)/);
    assert.match(err.message, /<main><h1>Me⟦s salariés<\/h1>⟧<p/);
  });

  test('says when the text is there HTML-escaped', () => {
    const err = failureOf(() => assertIncludes(PAGE.replace(/'/g, '&#39;'), "L'entreprise n'a pas"));
    assert.match(err.message, /found HTML-escaped as "L&#39;entreprise n&#39;a pas" \(decode the page first\)/);
  });

  test('says when the text is there with other spacing or case', () => {
    const err = failureOf(() => assertIncludes(PAGE, '32  SALARIÉS\naffiliés'));
    assert.match(err.message, /found with other spacing or case:\n.*⟦32 salariés affiliés⟧/);
  });

  test('shows the start of the text when no part of the needle is in it', () => {
    const err = failureOf(() => assertIncludes(PAGE, '§'));
    assert.match(err.message, /no part of it was found; the text \(\d+ characters\) begins:\n {2}<main><h1>Mes salariés/);
  });

  test('puts the caller message first', () => {
    const err = failureOf(() => assertIncludes(PAGE, 'Habilitations', 'the menu shows « Habilitations »'));
    assert.match(err.message, /^the menu shows « Habilitations »\nexpected the text to include "Habilitations"/);
  });

  test('lists the items of a list that lacks the needle', () => {
    const err = failureOf(() => assertIncludes(['rib', 'autre'], 'attestation_droits'));
    assert.equal(err.message, "expected the list to include 'attestation_droits'\nlist (2): [ 'rib', 'autre' ]");
  });

  test('cuts long excerpts with an ellipsis, on one line', () => {
    const long = `${'a'.repeat(200)}\n\nmilieu ${'b'.repeat(200)}`;
    const err = failureOf(() => assertIncludes(long, 'milieu absent'));
    assert.match(err.message, /\n {2}…a+ ⟦milieu ⟧b+…$/);
  });

  test('the stack starts at the caller', () => {
    const err = failureOf(() => assertIncludes(PAGE, 'absent'));
    const firstFrame = err.stack?.split('\n').find((line) => line.trimStart().startsWith('at '));
    assert.ok(firstFrame?.includes('assertions.test.ts'), firstFrame);
  });
});

describe('assertExcludes', () => {
  test('passes when the text or the list lacks the needle', () => {
    assertExcludes(PAGE, 'Habilitations');
    assertExcludes(['a', 'b'], 'c');
  });

  test('shows where the unwanted text is and how often', () => {
    const err = failureOf(() => assertExcludes(PAGE, 'salariés'));
    assert.match(err.message, /^expected the text not to include "salariés", found 2 times, first here:\n {2}<main><h1>Mes ⟦salariés⟧<\/h1>/);
    const once = failureOf(() => assertExcludes(PAGE, 'Mes salariés', 'no heading'));
    assert.match(once.message, /^no heading\nexpected the text not to include "Mes salariés", found once, first here:/);
  });

  test('gives the index of an unwanted list item', () => {
    const err = failureOf(() => assertExcludes(['rib', 'autre'], 'autre'));
    assert.equal(err.message, "expected the list not to include 'autre', found at index 1\nlist (2): [ 'rib', 'autre' ]");
  });
});

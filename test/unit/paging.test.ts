import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clampPage, listHref, loadPage, pageBeyondText, pageLinks, sortLink } from '../../src/paging.js';

/** A list of `total` numbered rows, paged by `size`; records the pages loaded and the counts made. */
function fakeList(total: number, size: number, options: { windowCount: boolean }) {
  const calls: string[] = [];
  const load = async (page: number) => {
    calls.push(`page ${page}`);
    const rows = Array.from({ length: total }, (_, i) => i + 1).slice((page - 1) * size, page * size);
    return { rows, total: options.windowCount && !rows.length ? null : total };
  };
  const count = async () => {
    calls.push('count');
    return total;
  };
  return { calls, load, count };
}

describe('paging — the page asked for, or the last one', () => {
  test('clampPage keeps a page in range and brings one past the end back to the last, with the French message', () => {
    assert.deepEqual(clampPage(2, 45, 20), { page: 2, pages: 3 });
    assert.deepEqual(clampPage(9, 45, 20), { page: 3, pages: 3, beyond: "La page 9 n'existe pas : la dernière page (3) est affichée." });
    assert.deepEqual(clampPage(1, 0, 20), { page: 1, pages: 1 }, 'an empty list has one (empty) page');
    assert.deepEqual(clampPage(4, 0, 20), { page: 1, pages: 1, beyond: pageBeyondText(4, 1) });
    assert.deepEqual(clampPage(3, 40, 20), { page: 2, pages: 2, beyond: pageBeyondText(3, 2) }, 'a full last page');
  });

  test('loadPage: a page in range is one load when it carries its total', async () => {
    const list = fakeList(45, 20, { windowCount: true });
    const paged = await loadPage(2, 20, list.load, list.count);
    assert.deepEqual({ ...paged, rows: paged.rows.length }, { rows: 20, total: 45, page: 2, pages: 3 });
    assert.equal(paged.rows[0], 21);
    assert.deepEqual(list.calls, ['page 2']);
  });

  test('loadPage: past the end (no row, no total) counts, then loads the last page and says so', async () => {
    const list = fakeList(45, 20, { windowCount: true });
    const paged = await loadPage(7, 20, list.load, list.count);
    assert.deepEqual(paged.rows, [41, 42, 43, 44, 45]);
    assert.equal(paged.page, 3);
    assert.equal(paged.pages, 3);
    assert.equal(paged.total, 45);
    assert.equal(paged.beyond, pageBeyondText(7, 3));
    assert.deepEqual(list.calls, ['page 7', 'count', 'page 3']);
  });

  test('loadPage: an empty list needs no count on the first page, and no second load past the end', async () => {
    let list = fakeList(0, 20, { windowCount: true });
    assert.deepEqual(await loadPage(1, 20, list.load, list.count), { rows: [], total: 0, page: 1, pages: 1 });
    assert.deepEqual(list.calls, ['page 1']);
    list = fakeList(0, 20, { windowCount: true });
    assert.deepEqual(await loadPage(5, 20, list.load, list.count), { rows: [], total: 0, page: 1, pages: 1, beyond: pageBeyondText(5, 1) });
    assert.deepEqual(list.calls, ['page 5', 'count']);
  });

  test('loadPage: a loader that always gives its total needs no count (the page past the end is loaded again)', async () => {
    const list = fakeList(45, 20, { windowCount: false });
    const paged = await loadPage(4, 20, list.load);
    assert.deepEqual(paged.rows, [41, 42, 43, 44, 45]);
    assert.equal(paged.beyond, pageBeyondText(4, 3));
    assert.deepEqual(list.calls, ['page 4', 'page 3']);
  });

  test('loadPage: a page without its total and no count to ask is a programming error', async () => {
    const list = fakeList(45, 20, { windowCount: true });
    await assert.rejects(loadPage(9, 20, list.load), /needs a count/);
  });
});

describe('paging — the links of a list', () => {
  const href = listHref<'nom' | 'date'>(['statut', 'etablissement', 'nom'], { column: 'date', order: 'desc' });

  test('listHref: the applied criteria in their order, the sort unless it is the default, the page past the first', () => {
    assert.equal(href('/liste', {}), '/liste');
    assert.equal(href('/liste', {}, { column: 'date', order: 'desc' }, 1), '/liste');
    assert.equal(href('/liste', { nom: 'Zoé Arnaud', statut: 'sent', mode: 'ignored' }), '/liste?statut=sent&nom=Zo%C3%A9+Arnaud');
    assert.equal(href('/liste', { statut: '' }, { column: 'date', order: 'asc' }), '/liste?tri=date&ordre=asc');
    assert.equal(href('/liste', { etablissement: '7' }, { column: 'nom', order: 'desc' }, 3), '/liste?etablissement=7&tri=nom&ordre=desc&page=3');
    assert.equal(href('/liste/export.csv', { statut: 'sent' }, { column: 'date', order: 'desc' }, 2), '/liste/export.csv?statut=sent&page=2');
    // A list without a sort.
    assert.equal(
      listHref(['du', 'au'])('/remboursements', { au: '01/02/2026', du: '01/01/2026' }, undefined, 2),
      '/remboursements?du=01%2F01%2F2026&au=01%2F02%2F2026&page=2',
    );
  });

  test('sortLink: a click on the sorted column reverses it, on another column sorts it in its first order', () => {
    const to = (s: { column: string; order: string }) => `${s.column}:${s.order}`;
    assert.deepEqual(sortLink('nom', { column: 'nom', order: 'asc' }, to), { href: 'nom:desc', ariaSort: 'ascending', nextOrder: 'desc' });
    assert.deepEqual(sortLink('nom', { column: 'nom', order: 'desc' }, to), { href: 'nom:asc', ariaSort: 'descending', nextOrder: 'asc' });
    assert.deepEqual(sortLink('fin', { column: 'nom', order: 'desc' }, to), { href: 'fin:asc', ariaSort: null, nextOrder: 'asc' });
    assert.deepEqual(
      sortLink('date', { column: 'nom', order: 'asc' }, to, 'desc'),
      { href: 'date:desc', ariaSort: null, nextOrder: 'desc' },
      'dates newest first',
    );
    assert.deepEqual(sortLink('date', { column: 'date', order: 'desc' }, to, 'desc'), { href: 'date:asc', ariaSort: 'descending', nextOrder: 'asc' });
  });

  test('pageLinks: previous and next where they exist, first and last when they are not next door', () => {
    const to = (p: number) => `p${p}`;
    assert.deepEqual(pageLinks(1, 1, to), { currentHref: 'p1', previousHref: null, nextHref: null, firstHref: null, lastHref: null });
    assert.deepEqual(pageLinks(1, 2, to), { currentHref: 'p1', previousHref: null, nextHref: 'p2', firstHref: null, lastHref: null });
    assert.deepEqual(pageLinks(3, 5, to), { currentHref: 'p3', previousHref: 'p2', nextHref: 'p4', firstHref: 'p1', lastHref: 'p5' });
    assert.deepEqual(pageLinks(5, 5, to), { currentHref: 'p5', previousHref: 'p4', nextHref: null, firstHref: 'p1', lastHref: null });
    assert.deepEqual(pageLinks(2, 3, to), { currentHref: 'p2', previousHref: 'p1', nextHref: 'p3', firstHref: null, lastHref: null });
  });
});

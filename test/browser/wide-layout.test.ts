// Every list page of every space on the demo data, at the widths of office screens (1280 and
// 1600 px) and of an old phone (360 px): no table, « … » menu (opened) or header row runs out of
// its box, the header icons stay on one line with the navigation, the home tiles of a row are as
// tall as each other, a gauge legend's figure never wraps and a donut's centre text stays clear of
// the ring. Measured in Chromium: scrollWidth against clientWidth, and bounding boxes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserSkipReason, hasNoHorizontalOverflow, logInThroughPages, startDemoBrowserHarness, type BrowserHarness } from './browser.js';
import { DEMO_FACTS } from '../../db/seeds/demo/index.js';

const skip = browserSkipReason();

type Door = 'assure' | 'entreprise' | 'gestion';

/** The list pages of each space; `first:` entries are the first detail link found on that list. */
const PAGES: Record<Door, string[]> = {
  assure: [
    '/assure/accueil',
    '/assure/remboursements',
    '/assure/remboursements?page=2',
    '/assure/situation',
    '/assure/contrats',
    '/assure/beneficiaires',
    '/assure/situation-noemie',
    '/assure/tiers-payant',
    '/assure/informations-personnelles',
  ],
  entreprise: [
    '/entreprise/accueil',
    '/entreprise/salaries',
    'first:/entreprise/salaries/',
    '/entreprise/suivi-affiliations',
    'first:/entreprise/suivi-affiliations/',
    '/entreprise/habilitations',
    '/entreprise/notifications',
    '/entreprise/profil',
  ],
  gestion: [
    '/gestion/accueil',
    '/gestion/affiliations',
    '/gestion/affiliations?statut=papier',
    '/gestion/affiliations?statut=refusees',
    'first:/gestion/affiliations/',
    '/gestion/audit',
    '/gestion/comptes',
    '/gestion/comptes/ajouter',
  ],
};

const ACCOUNTS: Record<Door, string> = {
  assure: DEMO_FACTS.member.email,
  entreprise: DEMO_FACTS.hrAdmin.email,
  // The superviseur: the journal d'audit and « Comptes » are theirs only.
  gestion: DEMO_FACTS.supervisor.email,
};

/**
 * What is wrong with the page's layout at this width, in words (empty when nothing). Runs in the
 * page. Each « … » menu is opened in turn and the page measured with it open.
 */
function layoutProblems(wide: boolean): string[] {
  const problems: string[] = [];
  const name = (el: Element): string => {
    const label = el.getAttribute('aria-label') ?? el.id;
    return `${el.tagName.toLowerCase()}${el.classList.length ? '.' + [...el.classList].join('.') : ''}${label ? ` « ${label} »` : ''}`;
  };
  const shown = (el: Element): boolean => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && !el.closest('.visually-hidden');
  };
  const within = (inner: DOMRect, outer: DOMRect, vertically: boolean): boolean =>
    inner.left >= outer.left - 1 && inner.right <= outer.right + 1 && (!vertically || (inner.top >= outer.top - 1 && inner.bottom <= outer.bottom + 1));
  const formControls = new Set(['INPUT', 'SELECT', 'TEXTAREA', 'OPTION', 'BUTTON']);
  const main = document.querySelector('main')!;

  function measure(when: string): void {
    // A box that scrolls or clips sideways hides part of what it holds.
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      if (formControls.has(el.tagName) || !(el instanceof HTMLElement) || !shown(el)) continue;
      if (getComputedStyle(el).overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`${when}${name(el)} hides ${el.scrollWidth - el.clientWidth} px sideways (${el.scrollWidth} > ${el.clientWidth})`);
      }
    }
    for (const table of main.querySelectorAll('table')) {
      if (!shown(table)) continue;
      const box = table.closest('.table-wrap') ?? table.parentElement!;
      if (
        !within(table.getBoundingClientRect(), box.getBoundingClientRect(), false) ||
        !within(table.getBoundingClientRect(), main.getBoundingClientRect(), false)
      ) {
        problems.push(
          `${when}table ${name(table)} (${Math.round(table.getBoundingClientRect().width)} px) runs out of ${name(box)} (${Math.round(box.getBoundingClientRect().width)} px)`,
        );
      }
    }
  }

  measure('');
  // Each « … » menu, open: inside every box that clips it, and inside the page's main column.
  for (const menu of document.querySelectorAll<HTMLDetailsElement>('details.actions-menu')) {
    menu.open = true;
    const list = menu.querySelector('ul');
    const label = `with the menu ${menu.querySelector('summary')?.textContent?.trim() ?? ''} open: `;
    if (list) {
      const rect = list.getBoundingClientRect();
      for (let box = list.parentElement; box && box !== document.body; box = box.parentElement) {
        const style = getComputedStyle(box);
        if ((style.overflowX !== 'visible' || style.overflowY !== 'visible') && !within(rect, box.getBoundingClientRect(), true)) {
          problems.push(`${label}its list is clipped by ${name(box)}`);
        }
      }
      if (!within(rect, main.getBoundingClientRect(), false)) problems.push(`${label}its list runs out of the main column`);
    }
    measure(label);
    menu.open = false;
  }
  if (!wide) return problems;

  // The header rows: nothing runs out of them, the navigation and the icons on one line.
  for (const bar of document.querySelectorAll<HTMLElement>('.header-bar, .user-bar-inner')) {
    for (const child of bar.children) {
      if (shown(child) && !within(child.getBoundingClientRect(), bar.getBoundingClientRect(), false))
        problems.push(`${name(child)} runs out of the header row ${name(bar)}`);
    }
  }
  const tops = (selector: string) => [...document.querySelectorAll(selector)].map((el) => Math.round(el.getBoundingClientRect().top));
  for (const selector of ['.main-nav li', '.icon-nav li']) {
    const t = tops(selector);
    if (t.length && Math.max(...t) - Math.min(...t) > 2) problems.push(`the header's ${selector} are on more than one line (tops ${t.join(', ')})`);
  }
  const nav = document.querySelector('.main-nav')?.getBoundingClientRect();
  const icons = document.querySelector('.icon-nav')?.getBoundingClientRect();
  if (nav && icons && (icons.top >= nav.bottom || icons.bottom <= nav.top)) problems.push('the header icons are on another line than the navigation');

  // Tiles of a row as tall as each other.
  for (const list of document.querySelectorAll('.tile-list')) {
    const rows = new Map<number, number[]>();
    for (const tile of list.querySelectorAll('.tile')) {
      const r = tile.getBoundingClientRect();
      rows.set(Math.round(r.top), [...(rows.get(Math.round(r.top)) ?? []), Math.round(r.height)]);
    }
    for (const heights of rows.values()) {
      if (Math.max(...heights) - Math.min(...heights) > 1) problems.push(`tiles of one row have different heights (${heights.join(', ')} px)`);
    }
  }
  // A legend's figure and its share on one line: « 45 (27 %) », never « 45 (27 / %) ».
  for (const dd of document.querySelectorAll<HTMLElement>('.donut-legend dd')) {
    const range = document.createRange();
    range.selectNodeContents(dd);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.bottom)));
    if (lines.size > 1) problems.push(`the legend figure « ${dd.textContent?.trim()} » wraps over ${lines.size} lines`);
  }
  // A donut's centre text keeps at least 1 unit (of 42) from the ring's inner edge.
  for (const svg of document.querySelectorAll<SVGSVGElement>('svg.donut')) {
    const ring = svg.querySelector('circle')!;
    const cx = ring.cx.baseVal.value;
    const cy = ring.cy.baseVal.value;
    const inner = ring.r.baseVal.value - Number(ring.getAttribute('stroke-width')) / 2;
    for (const text of svg.querySelectorAll('text')) {
      const box = text.getBBox();
      const far = Math.max(
        ...[
          [box.x, box.y],
          [box.x + box.width, box.y],
          [box.x, box.y + box.height],
          [box.x + box.width, box.y + box.height],
        ].map(([x, y]) => Math.hypot(x - cx, y - cy)),
      );
      if (far > inner - 1) problems.push(`the donut's centre text « ${text.textContent} » reaches ${far.toFixed(1)} of a hole of radius ${inner.toFixed(1)}`);
    }
  }
  return problems;
}

/**
 * Runs `fn(arg)` in the page. tsx compiles named inner functions with esbuild's `__name` helper,
 * which the page does not have: it is given as a no-op.
 */
function inPage<A, R>(page: Page, fn: (arg: A) => R, arg: A): Promise<R> {
  return page.evaluate(`((__name) => (${fn.toString()})(${JSON.stringify(arg)}))((f) => f)`) as Promise<R>;
}

describe('list pages of every space at 1280, 1600 and 360 px (demo data)', { skip, timeout: 600_000 }, () => {
  let b: BrowserHarness;
  const pages = new Map<Door, Page>();
  before(async () => {
    b = await startDemoBrowserHarness();
    for (const door of Object.keys(PAGES) as Door[]) {
      const account = await b.t
        .db('accounts')
        .where({ email: ACCOUNTS[door], kind: { assure: 'member', entreprise: 'hr', gestion: 'staff' }[door] })
        .first();
      // One browser per space: a session is logged in at one door only.
      const context = await b.browser.newContext({ locale: 'fr-FR' });
      context.setDefaultTimeout(10_000);
      pages.set(door, await logInThroughPages(b, context, door, ACCOUNTS[door], account.mobile, DEMO_FACTS.password));
    }
  });
  after(async () => {
    await b?.close();
  });

  /** Visits each list page of the space (and the first detail page of a list), calling `check`. */
  async function walk(door: Door, width: number, check: (page: Page, path: string) => Promise<void>): Promise<void> {
    const page = pages.get(door)!;
    await page.setViewportSize({ width, height: 900 });
    for (const entry of PAGES[door]) {
      let path = entry;
      if (entry.startsWith('first:')) {
        const prefix = entry.slice('first:'.length);
        const list = prefix.replace(/\/$/, '');
        await page.goto(b.baseUrl + list);
        path = (await page.locator(`main a[href^="${prefix}"]:not([download]):not([href$=".csv"])`).first().getAttribute('href')) ?? '';
        assert.match(path, /\/\d+$/, `a detail link on ${list}`);
      }
      const response = await page.goto(b.baseUrl + path);
      assert.equal(response?.status(), 200, path);
      await check(page, path);
    }
  }

  for (const width of [1280, 1600]) {
    for (const door of Object.keys(PAGES) as Door[]) {
      test(`${door} at ${width} px: no table, menu or header row runs out of its box`, async () => {
        const problems: string[] = [];
        await walk(door, width, async (page, path) => {
          for (const problem of await inPage(page, layoutProblems, true)) problems.push(`${path} at ${width} px: ${problem}`);
        });
        assert.deepEqual(problems, []);
      });
    }
  }

  test('every space at 360 px: the page never scrolls sideways, « … » menus open included', async () => {
    const problems: string[] = [];
    for (const door of Object.keys(PAGES) as Door[]) {
      await walk(door, 360, async (page, path) => {
        if (!(await hasNoHorizontalOverflow(page))) problems.push(`${path} scrolls sideways at 360 px`);
        const menus = await page.evaluate(() => {
          const wide: string[] = [];
          for (const menu of document.querySelectorAll<HTMLDetailsElement>('details.actions-menu')) {
            menu.open = true;
            if (document.documentElement.scrollWidth > window.innerWidth) wide.push(menu.querySelector('summary')?.textContent?.trim() ?? '');
            menu.open = false;
          }
          return wide;
        });
        for (const menu of menus) problems.push(`${path} at 360 px: the menu ${menu} widens the page`);
      });
    }
    assert.deepEqual(problems, []);
  });
});

// The virtual assistant in Chromium, on the demo data and the demo brand's knowledge base, with
// JavaScript on (axe: zero violations; each answer appended to the conversation, the field
// emptied, a suggestion opened in place) and off (the plain GET form), at 360 px and 1280 px:
// marie asks « comment obtenir ma carte de tiers payant » from the header's icon and gets the
// answer « Comment obtenir ma carte de tiers payant ? » with its link to « Tiers payant »; « Je
// n'ai pas trouvé ma réponse » opens « Nouveau message » with her question; a visitor asks from
// the door about an activation code; rh.admin asks about a new employee.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { DEMO_FACTS } from '../../db/seeds/demo/index.js';
import { assertIncludes } from '../helpers/assertions.js';
import {
  assertNoViolations,
  assertNoViolationsJsOff,
  browserSkipReason,
  hasNoHorizontalOverflow,
  logInThroughPages,
  startDemoBrowserHarness,
  type BrowserHarness,
} from './browser.js';

const skip = browserSkipReason();
const HR_ADMIN_MOBILE = '+262639980301';
const QUESTION = 'comment obtenir ma carte de tiers payant';
const ANSWER = 'Comment obtenir ma carte de tiers payant ?';

/** Nothing wider than the viewport at 360 px and at 1280 px, and no menu wider than its box. */
async function fits(page: Page): Promise<void> {
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    assert.ok(await hasNoHorizontalOverflow(page), `no overflow at ${width} px: ${page.url()}`);
  }
  const wide = await page.evaluate(
    () =>
      [...document.querySelectorAll('.main-nav, .icon-nav, .assistant-answer')].filter((box) => box.scrollWidth > (box as HTMLElement).clientWidth + 1).length,
  );
  assert.equal(wide, 0, `a menu or an answer is wider than its box at 1280 px: ${page.url()}`);
}

async function askQuestion(page: Page, question: string, on: boolean): Promise<void> {
  await page.getByLabel('Votre question').fill(question);
  const before = await page.locator('.assistant-exchange').count();
  await page.getByRole('button', { name: /^Demander à / }).click();
  if (on) await page.locator('.assistant-exchange').nth(before).waitFor();
  else await page.waitForURL(/\?q=/);
}

describe('The virtual assistant in Chromium', { skip, timeout: 300_000 }, () => {
  let b: BrowserHarness;
  before(async () => {
    b = await startDemoBrowserHarness();
  });
  after(async () => {
    await b?.close();
  });

  for (const on of [true, false]) {
    const mode = on ? 'JS on' : 'JS off';
    const check = async (page: Page) => (on ? assertNoViolations(page, true) : assertNoViolationsJsOff(b, page));

    test(`marie asks how to get her carte de tiers payant (${mode})`, async () => {
      const marie = DEMO_FACTS.member;
      const context = await b.browser.newContext(on ? { bypassCSP: true, locale: 'fr-FR' } : { javaScriptEnabled: false, locale: 'fr-FR' });
      context.setDefaultTimeout(10_000);
      const page = await logInThroughPages(b, context, 'assure', marie.email, marie.mobile, DEMO_FACTS.password);
      const name = b.t.config.brand.assistantName;
      await page.getByRole('link', { name: `${name} - Votre conseillère virtuelle` }).click();
      await page.getByRole('heading', { level: 1, name: `${name} - Votre conseillère virtuelle` }).waitFor();
      await check(page);
      await fits(page);

      await askQuestion(page, QUESTION, on);
      const exchange = page.locator('.assistant-exchange').last();
      assert.equal(await exchange.getByRole('heading', { level: 2 }).innerText(), ANSWER);
      assertIncludes(await exchange.innerText(), 'Télécharger');
      assert.ok(await exchange.getByRole('link', { name: 'Ma carte de tiers payant', exact: true }).isVisible());
      assert.equal(
        await page.getByLabel('Votre question').inputValue(),
        on ? '' : QUESTION,
        on ? 'the field is emptied for the next question' : 'the field keeps the question',
      );
      await check(page);
      await fits(page);

      if (on) {
        // The conversation stays in the page: a second question is appended below the first.
        await askQuestion(page, "j'ai perdu ma carte", true);
        assert.equal(await page.locator('.assistant-exchange').count(), 2);
        assert.equal(await page.locator('.assistant-exchange h2').first().innerText(), ANSWER);
        // A suggestion opens in place too.
        const suggestion = page.locator('.assistant-suggestions a').last();
        const title = await suggestion.innerText();
        await suggestion.click();
        await page.locator('.assistant-exchange').nth(2).waitFor();
        assert.equal(await page.locator('.assistant-exchange h2').nth(2).innerText(), title);
        // An empty question: the French message next to the field, nothing appended.
        await page.getByRole('button', { name: /^Demander à / }).click();
        await page.locator('#q-error').waitFor();
        assertIncludes(await page.locator('#q-error').innerText(), 'Saisissez votre question.');
        assert.equal(await page.locator('.assistant-exchange').count(), 3);
        await check(page);
        await askQuestion(page, QUESTION, true);
      }

      await page.locator('.assistant-exchange').last().getByRole('link', { name: "Je n'ai pas trouvé ma réponse" }).click();
      await page.getByRole('heading', { name: 'Nouveau message' }).waitFor();
      assert.equal(await page.getByLabel('Votre message').inputValue(), QUESTION);
      await context.close();
    });

    test(`a visitor asks from the door about an activation code (${mode})`, async () => {
      const page = await (on ? b.jsOn : b.jsOff).newPage();
      await page.goto(`${b.baseUrl}/assure`);
      await page.getByRole('link', { name: /^Une question \? Demandez à / }).click();
      await page.waitForURL('**/assistant');
      await check(page);
      await askQuestion(page, "je n'ai pas reçu le code d'activation", on);
      assert.equal(await page.locator('.assistant-exchange h2').last().innerText(), "Je n'ai pas reçu mon code d'activation ou de vérification");
      assertIncludes(await page.locator('.assistant-not-found').last().innerText(), b.t.config.brand.help.phone);
      await check(page);
      await fits(page);
      await page.close();
    });

    test(`rh.admin asks how to pre-affiliate a new employee (${mode})`, async () => {
      const context = await b.browser.newContext(on ? { bypassCSP: true, locale: 'fr-FR' } : { javaScriptEnabled: false, locale: 'fr-FR' });
      context.setDefaultTimeout(10_000);
      const page = await logInThroughPages(b, context, 'entreprise', DEMO_FACTS.hrAdmin.email, HR_ADMIN_MOBILE, DEMO_FACTS.password);
      await page.goto(`${b.baseUrl}/entreprise/assistant`);
      await askQuestion(page, 'comment affilier un nouveau salarié', on);
      assert.equal(await page.locator('.assistant-exchange h2').last().innerText(), 'Comment pré-affilier un nouveau salarié ?');
      await check(page);
      await fits(page);
      await context.close();
    });
  }
});

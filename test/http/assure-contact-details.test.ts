// The member's own e-mail and mobile have one source: what « Mes informations personnelles »
// changes is what « Mes bénéficiaires » shows for the member, whatever their beneficiary row holds
// (the demo seed and the validation of an online affiliation copy them there).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily, type Family } from '../helpers/family.js';
import { formatPhone } from '../../src/domain/phone.js';
import { codeIn, decoded, lastMessageTo, loginAs, PASSWORD, textOf, tokenFrom } from '../helpers/fixtures.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const BASE = '/assure/informations-personnelles';
let t: TestContext;
let family: Family;
let agent: Awaited<ReturnType<typeof loginAs>>;
/** The member's mobile as the family was created (the account's 2FA number is another one). */
let oldMobile: string;

async function post(path: string, body: Record<string, string>, status: number) {
  const token = await tokenFrom(agent, BASE);
  const res = await agent
    .post(path)
    .type('form')
    .send({ _csrf: token, ...body });
  assert.equal(res.status, status, `${path}: ${res.status} ${textOf(res.text).slice(-800)}`);
  return res;
}

/** The text of the member's own card on « Mes bénéficiaires ». */
async function memberCard(): Promise<string> {
  const html = decoded((await agent.get('/assure/beneficiaires').expect(200)).text);
  const text = textOf(html);
  const start = text.indexOf('Assuré(e) principal(e)');
  assert.ok(start >= 0, 'the member has a card');
  return text.slice(start, text.indexOf('Télétransmission', start));
}

before(async () => {
  t = await makeTestApp();
  family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault', statements: 0 });
  // As the seed and an online affiliation leave it: the member's contact details copied on their row.
  const member = await t.db('members').where({ id: family.memberId }).first();
  oldMobile = member.mobile;
  await t.db('beneficiaries').where({ id: family.beneficiaries.assure }).update({ email: member.email, mobile: member.mobile });
  agent = await loginAs(t.app, t.db, 'assure', family.email);
});
after(async () => t.close());

describe('Mes bénéficiaires shows the member’s contact details as « Mes informations personnelles » holds them', () => {
  test('before any change: the same e-mail and mobile on both pages', async () => {
    const card = await memberCard();
    assert.ok(card.includes(family.email) && card.includes(formatPhone(oldMobile)), card);
  });

  test('a new mobile, confirmed by SMS, is the one shown for the member', async () => {
    t.clock.advance(61_000);
    await post(`${BASE}/mobile`, { mobile: '07 81 23 45 67', current_password: PASSWORD }, 303);
    const sms = await lastMessageTo(t.db, '+33781234567');
    await post(`${BASE}/mobile/confirmer`, { code: codeIn(sms.body_text) }, 303);
    assert.equal((await t.db('members').where({ id: family.memberId }).first()).mobile, '+33781234567');
    const card = await memberCard();
    assertIncludes(card, '07 81 23 45 67', card);
    assertExcludes(card, formatPhone(oldMobile), `the old number is gone: ${card}`);
  });

  test('a new e-mail, confirmed by code, is the one shown for the member', async () => {
    t.clock.advance(61_000);
    await post(`${BASE}/email`, { email: 'nicolas.nouveau@exemple.fr', current_password: PASSWORD }, 303);
    const mail = await lastMessageTo(t.db, 'nicolas.nouveau@exemple.fr');
    await post(`${BASE}/email/confirmer`, { code: codeIn(mail.body_text) }, 303);
    const card = await memberCard();
    assertIncludes(card, 'nicolas.nouveau@exemple.fr', card);
    assertExcludes(card, family.email, `the old address is gone: ${card}`);
  });
});

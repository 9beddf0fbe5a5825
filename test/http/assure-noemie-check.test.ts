// « Situation NOEMIE »: the warning for a beneficiary whose télétransmission is active but who has
// had no décompte for 4 months while others of the family have (src/domain/noemie-check.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily, type Family } from '../helpers/family.js';
import { decoded, loginAs } from '../helpers/fixtures.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

// The test clock says 22/11/2026: the period runs after 22/07/2026. createFamily's décomptes are
// dated the 15th of October (the member), September (the spouse), August (Léo), July (the member),
// June (the spouse) and May (Léo); Emma has none.
let t: TestContext;
let family: Family;
let other: Family;
const agents = new Map<string, Awaited<ReturnType<typeof loginAs>>>();

before(async () => {
  t = await makeTestApp();
  family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Silence' });
  other = await createFamily(t.db, { firstName: 'Agathe', lastName: 'Voisine' });
  for (const f of [family, other]) agents.set(f.email, await loginAs(t.app, t.db, 'assure', f.email));
});
after(async () => t.close());

async function noemiePage(email: string) {
  return decoded((await agents.get(email)!.get('/assure/situation-noemie').expect(200)).text);
}

/** The table row of one beneficiary (its row header holds the name). */
function rowOf(html: string, name: string): string {
  const row = html.split('<tr>').find((r) => r.includes(`<th scope="row">${name}<br>`));
  assert.ok(row, `a row for ${name}`);
  return row.split('</tr>')[0];
}

const setTeletransmission = (id: number, since: string, status = 'active') =>
  t.db('beneficiaries').where({ id }).update({ teletransmission_status: status, teletransmission_since: since });

describe('Situation NOEMIE — the check of silent télétransmissions', () => {
  test('nobody is flagged while each active beneficiary has recent décomptes', async () => {
    await setTeletransmission(family.beneficiaries.enfant1, '2021-03-01');
    const html = await noemiePage(family.email);
    assertExcludes(html, 'Aucun décompte reçu');
    assertExcludes(html, 'noemie-verifier-');
  });

  test('an active beneficiary with no décompte while the others have some is flagged next to their name, with what to do', async () => {
    await setTeletransmission(family.beneficiaries.enfant2, '2021-03-01');
    const html = await noemiePage(family.email);
    const emma = rowOf(html, 'Emma Silence');
    assertIncludes(emma, 'Aucun décompte reçu depuis au moins 4 mois');
    assertIncludes(emma, `href="#noemie-verifier-${family.beneficiaries.enfant2}"`);
    for (const name of ['Nicolas Silence', 'Julie Silence', 'Léo Silence']) assertExcludes(rowOf(html, name), 'Aucun décompte reçu', name);
    const section = html.split(`id="noemie-verifier-${family.beneficiaries.enfant2}"`)[1]?.split('</section>')[0] ?? '';
    assertIncludes(section, 'Télétransmission de Emma Silence : aucun décompte depuis 4 mois');
    assertIncludes(section, 'attestation de droits');
    assertIncludes(section, 'carte Vitale');
    assertIncludes(section, 'réactiver sa télétransmission');
    assertIncludes(section, 'href="/assure/messagerie/nouveau?categorie=beneficiaires&objet=teletransmission"');
    assertIncludes(section, 'href="/assure/demarches/remboursement"');
  });

  test('the messagerie link opens the new message on the télétransmission object', async () => {
    const html = decoded((await agents.get(family.email)!.get('/assure/messagerie/nouveau?categorie=beneficiaires&objet=teletransmission').expect(200)).text);
    assert.match(html, /<option value="teletransmission"[^>]*selected/);
  });

  test('a last décompte before the period is named with its date', async () => {
    // Léo's décomptes are of August and May: move August's back to 22/07/2026, exactly 4 months ago.
    const august = await t.db('statements').where({ member_id: family.memberId, statement_date: '2026-08-15' }).first();
    await t.db('statements').where({ id: august.id }).update({ statement_date: '2026-07-22' });
    const html = await noemiePage(family.email);
    assertIncludes(rowOf(html, 'Léo Silence'), 'Aucun décompte reçu');
    assertIncludes(html, "nous n'avons reçu aucun décompte depuis le 22/07/2026");
    // One day later, it is inside the period again.
    await t.db('statements').where({ id: august.id }).update({ statement_date: '2026-07-23' });
    assertExcludes(rowOf(await noemiePage(family.email), 'Léo Silence'), 'Aucun décompte reçu');
  });

  test('no warning for a beneficiary affiliated less than 4 months ago, nor for one whose télétransmission is not active', async () => {
    await t.db('beneficiaries').where({ id: family.beneficiaries.enfant2 }).update({ start_date: '2026-08-01' });
    assertExcludes(rowOf(await noemiePage(family.email), 'Emma Silence'), 'Aucun décompte reçu');
    await t
      .db('beneficiaries')
      .where({ id: family.beneficiaries.enfant2 })
      .update({ start_date: '2019-09-01', teletransmission_status: 'activation_requested' });
    assertExcludes(rowOf(await noemiePage(family.email), 'Emma Silence'), 'Aucun décompte reçu');
    await setTeletransmission(family.beneficiaries.enfant2, '2021-03-01');
    assertIncludes(rowOf(await noemiePage(family.email), 'Emma Silence'), 'Aucun décompte reçu');
  });

  test("another family's page says nothing of it; their own Emma has no active télétransmission", async () => {
    const html = await noemiePage(other.email);
    assertExcludes(html, 'Silence');
    assertExcludes(html, 'Aucun décompte reçu');
  });
});

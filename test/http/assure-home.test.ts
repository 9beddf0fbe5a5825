import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily, type Family } from '../helpers/family.js';
import { createAccount, decoded, loginAs, textOf } from '../helpers/fixtures.js';
import { formatEuros } from '../../src/domain/money.js';
import { profileCompletion, teletransmissionDecided } from '../../src/assure/home/profile-completion.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

let t: TestContext;
let family: Family;
let agent: Awaited<ReturnType<typeof loginAs>>;
before(async () => {
  t = await makeTestApp();
  family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault', statements: 14 });
  agent = await loginAs(t.app, t.db, 'assure', family.email);
});
after(async () => t.close());

/** The text of the page without tags, spaces collapsed. */
const euros = (cents: number) => formatEuros(cents).replace(/\u00a0|\u202f/g, ' ');

describe('Espace Assuré — Accueil', () => {
  test('welcome, profile completion from the real data with links to fix what is missing, the six tiles', async () => {
    const html = decoded((await agent.get('/assure/accueil').expect(200)).text);
    assertIncludes(html, '<h1>Bienvenue Nicolas</h1>');
    // Email, mobile, address, IBAN done; télétransmission chosen for Nicolas only of 4 → 5/8.
    assertIncludes(html, '62 % du profil complété', 'percentage from the real data');
    for (const name of ['Julie', 'Léo', 'Emma']) {
      assertIncludes(html, `<a href="/assure/beneficiaires">Choisir la télétransmission NOEMIE pour ${name}</a>`, name);
    }
    assertExcludes(html, 'pour Nicolas');
    const tiles: [string, string][] = [
      ['/assure/tiers-payant', 'Ma carte de tiers payant'],
      ['/assure/beneficiaires', 'Mes bénéficiaires'],
      ['/assure/contrats', 'Mes contrats'],
      ['/assure/demarches/remboursement', 'Demande de remboursements'],
      ['/assure/demarches/devis', 'Transmettre un devis'],
      ['/assure/services', `Mes services ${t.config.brand.networkName}`],
    ];
    for (const [href, label] of tiles) assertIncludes(html, `<a class="tile" href="${href}">${label}</a>`, label);
    assertIncludes(html, '<a class="button" href="/assure/remboursements">Voir mes remboursements</a>');
  });

  test('the percentage follows the data: a missing IBAN and mobile, a télétransmission turned off on purpose', async () => {
    const other = await createFamily(t.db, { firstName: 'Paul', lastName: 'Moreau' });
    await t.db('members').where({ id: other.memberId }).update({ iban: null, mobile: null });
    // Julie's télétransmission was requested then cancelled: a choice, so it counts as done.
    await t
      .db('teletransmission_events')
      .insert({ beneficiary_id: other.beneficiaries.conjoint, from_status: 'inactive', to_status: 'activation_requested', at: '2026-10-01T08:00:00.000Z' });
    await t.db('beneficiaries').where({ id: other.beneficiaries.enfant1 }).update({ teletransmission_status: 'activation_requested' });
    const otherAgent = await loginAs(t.app, t.db, 'assure', other.email);
    const html = decoded((await otherAgent.get('/assure/accueil').expect(200)).text);
    // Done: email, address, Paul, Julie, Léo → 5/8.
    assertIncludes(html, '62 % du profil complété');
    assertIncludes(html, 'href="/assure/informations-personnelles/iban"');
    assertIncludes(html, 'href="/assure/informations-personnelles/mobile"');
    assertExcludes(html, 'href="/assure/informations-personnelles/email"');
    assert.ok(html.includes('pour Emma') && !html.includes('pour Julie') && !html.includes('pour Léo'));
    assertIncludes(html, 'il vous reste 3 éléments à renseigner');
  });

  test('« Vos remboursements »: the latest lines, newest first, as in the database', async () => {
    const html = decoded((await agent.get('/assure/accueil').expect(200)).text);
    const section = textOf(html.slice(html.indexOf('id="remboursements-titre"'), html.indexOf('id="synthese-titre"')));
    assertIncludes(section, `Type Frais réels Rembours. ${t.config.brand.name}`);
    const latest = await t
      .db('statement_lines as l')
      .join('beneficiaries as b', 'b.id', 'l.beneficiary_id')
      .where('l.member_id', family.memberId)
      .orderBy([
        { column: 'l.care_date', order: 'desc' },
        { column: 'l.id', order: 'desc' },
      ])
      .limit(5)
      .select('l.*', 'b.first_name', 'b.last_name');
    let position = 0;
    for (const l of latest) {
      const [y, m, d] = l.care_date.split('-');
      const row = `${l.first_name[0]}. ${l.last_name} ${d}/${m}/${y} ${l.care_label} ${euros(l.frais_reels_cents)} ${euros(l.complementary_amount_cents)}`;
      const at = section.indexOf(row, position);
      assert.ok(at >= 0, `row in order: ${row}`);
      position = at + row.length;
    }
    assertIncludes(section, 'N. Thibault 01/10/2026 Pharmacie 24,50 € 8,57 €', 'the guide’s layout: « J. Thibault 14/06/2024 Consultation… »');
  });

  test('the 12-month synthesis: the donut figures equal the sums in the database, also in text', async () => {
    const html = decoded((await agent.get('/assure/accueil').expect(200)).text);
    const card = html.slice(html.indexOf('id="synthese-titre"'));
    const rows: { paid_to: string; total: number }[] = await t
      .db('statement_lines')
      .where({ member_id: family.memberId })
      .where('payment_date', '>', '2025-11-22')
      .where('payment_date', '<=', '2026-11-22')
      .groupBy('paid_to')
      .select('paid_to', t.db.raw('sum(ss_amount_cents + complementary_amount_cents) as total'));
    const byPayee = Object.fromEntries(rows.map((r) => [r.paid_to, Number(r.total)]));
    assert.equal(byPayee.assure, 10 * (1900 + 900), 'ten décomptes in the last 12 months');
    assert.equal(byPayee.tiers, 10 * (1493 + 857));
    const text = textOf(card);
    assertIncludes(text, `Total ${euros(byPayee.assure + byPayee.tiers)}`, 'total in the legend');
    assertIncludes(text, `Payé à l'assuré ${euros(byPayee.assure)} (54 %)`, "Payé à l'assuré");
    assertIncludes(text, `Payé aux tiers ${euros(byPayee.tiers)} (46 %)`, 'Payé aux tiers');
    assertIncludes(text, 'du 23/11/2025 au 22/11/2026');
    assert.match(card, /<svg class="donut"[^>]*aria-hidden="true"/, 'the chart is drawn on the server, hidden from screen readers');
    assertIncludes(card, `>${formatEuros(byPayee.assure + byPayee.tiers)}</text>`, 'total in the hole');
    // The two segments: their dash lengths are the shares (less the white gap).
    const dashes = [...card.matchAll(/stroke-dasharray="([\d.]+) /g)].map((m) => Number(m[1]));
    assert.equal(dashes.length, 2);
    assert.ok(Math.abs(dashes[0] - ((byPayee.assure / (byPayee.assure + byPayee.tiers)) * 100 - 0.8)) < 0.01);
  });

  test('no payment in the last 12 months: said in words, no empty chart', async () => {
    const old = await createFamily(t.db, { firstName: 'Lucie', lastName: 'Ancien', statements: 2 });
    await t.db('statement_lines').where({ member_id: old.memberId }).update({ payment_date: '2024-03-01' });
    const oldAgent = await loginAs(t.app, t.db, 'assure', old.email);
    const html = decoded((await oldAgent.get('/assure/accueil').expect(200)).text);
    assertIncludes(html, 'Aucun règlement sur les 12 derniers mois.');
    assertExcludes(html, '<svg class="donut"');
  });

  test('another family never appears; HR and staff sessions get 403; anonymous is sent to the login', async () => {
    const other = await createFamily(t.db, { firstName: 'Zoé', lastName: 'Autre', statements: 1 });
    const otherAgent = await loginAs(t.app, t.db, 'assure', other.email);
    const html = decoded((await otherAgent.get('/assure/accueil').expect(200)).text);
    assertIncludes(html, 'Bienvenue Zoé');
    assertExcludes(html, 'Thibault');
    assertIncludes(textOf(html), `Total ${euros(1900 + 900 + 1493 + 857)}`, 'only her own décompte');
    const hr = await loginAs(t.app, t.db, 'entreprise', (await createAccount(t.db, { kind: 'hr', mobile: '+33639980901' })).email);
    await hr.get('/assure/accueil').expect(403);
    const staff = await loginAs(t.app, t.db, 'gestion', (await createAccount(t.db, { kind: 'staff', mobile: '+33639980902' })).email);
    await staff.get('/assure/accueil').expect(403);
    const anonymous = await request(t.app).get('/assure/accueil').expect(303);
    assert.match(anonymous.headers.location, /^\/assure/);
  });
});

describe('profile completion', () => {
  const member = { email: 'a@b.fr', mobile: '+33600000000', address_line1: '1 rue', postal_code: '75001', city: 'Paris', iban: 'FR7630006000011234567890189' };

  test('everything filled in gives 100 %, and the list says what each item is', () => {
    const full = profileCompletion(member, [{ first_name: 'A', teletransmission_status: 'active' }]);
    assert.equal(full.percent, 100);
    assert.deepEqual(full.missing, []);
    assert.deepEqual(
      full.items.map((i) => i.label),
      ['Adresse e-mail', 'Téléphone mobile', 'Adresse postale', 'Coordonnées bancaires (IBAN)', "Télétransmission NOEMIE d'A"],
    );
  });

  test('each missing item links to where it is fixed', () => {
    const partial = profileCompletion({ ...member, iban: null, city: '' }, []);
    assert.equal(partial.percent, 50);
    assert.deepEqual(
      partial.missing.map((i) => i.href),
      ['/assure/informations-personnelles/adresse', '/assure/informations-personnelles/iban'],
    );
    assert.equal(profileCompletion({ email: null, mobile: null, address_line1: '', postal_code: '', city: '', iban: null }, []).percent, 0);
    assert.equal(
      profileCompletion(member, [
        { first_name: 'A', teletransmission_status: 'inactive' },
        { first_name: 'B', teletransmission_status: 'inactive' },
      ]).percent,
      66,
      'rounded down: 100 % only when complete',
    );
  });

  test('télétransmission is decided once the member chose', () => {
    assert.equal(teletransmissionDecided({ first_name: 'A', teletransmission_status: 'active' }), true);
    assert.equal(teletransmissionDecided({ first_name: 'A', teletransmission_status: 'activation_requested' }), true);
    assert.equal(teletransmissionDecided({ first_name: 'A', teletransmission_status: 'deactivation_requested' }), true);
    assert.equal(teletransmissionDecided({ first_name: 'A', teletransmission_status: 'inactive' }), false);
    assert.equal(teletransmissionDecided({ first_name: 'A', teletransmission_status: 'inactive', has_requests: true }), true);
    assert.equal(teletransmissionDecided({ first_name: 'A', teletransmission_status: 'blocked', has_requests: true }), false);
    const blocked = profileCompletion(member, [{ first_name: 'Julie', teletransmission_status: 'blocked' }]);
    assert.equal(blocked.missing[0].action, 'Débloquer la télétransmission NOEMIE de Julie');
  });
});

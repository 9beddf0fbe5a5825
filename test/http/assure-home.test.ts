import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily, type Family } from '../helpers/family.js';
import { createAccount, decoded, loginAs } from '../helpers/fixtures.js';
import { formatEuros } from '../../src/domain/money.js';
import { profileCompletion } from '../../src/assure/home/profile-completion.js';

let t: TestContext;
let family: Family;
let agent: Awaited<ReturnType<typeof loginAs>>;
before(async () => {
  t = await makeTestApp();
  family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault', statements: 14 });
  agent = await loginAs(t.app, t.db, 'assure', family.email);
});
after(async () => t.close());

describe('Espace Assuré — Accueil', () => {
  test('welcome, profile completion with what is missing, the six tiles', async () => {
    const res = await agent.get('/assure/accueil').expect(200);
    const html = decoded(res.text);
    assert.ok(html.includes('Bienvenue Nicolas'));
    // 4 personal items done; télétransmission active for 1 of 4 beneficiaries → 5/8.
    assert.ok(html.includes('63 % du profil complété'), 'percentage from the real data');
    assert.ok(html.includes('Télétransmission NOEMIE active pour Julie'), 'what is missing is said');
    for (const tile of ['Ma carte de tiers payant', 'Mes bénéficiaires', 'Mes contrats', 'Demande de remboursements', 'Transmettre un devis', 'Mes services Ombelle']) {
      assert.ok(html.includes(`>${tile}</a>`), tile);
    }
    assert.ok(html.includes('Voir mes remboursements'));
  });

  test('latest lines and the 12-month synthesis equal the sums in the database', async () => {
    const html = decoded((await agent.get('/assure/accueil').expect(200)).text);
    assert.ok(html.includes('N. Thibault') || html.includes('J. Thibault') || html.includes('L. Thibault'));
    assert.ok(html.includes('Consultation Médecine Générale'));
    const since = '2025-11-22';
    const sums = await t.db('statement_lines').where({ member_id: family.memberId }).where('payment_date', '>=', since).groupBy('paid_to').select('paid_to').sum({ total: 'complementary_amount_cents' });
    const byPayee = Object.fromEntries((sums as { paid_to: string; total: number }[]).map((r) => [r.paid_to, Number(r.total)]));
    assert.ok(byPayee.assure > 0 && byPayee.tiers > 0);
    assert.ok(html.includes(formatEuros(byPayee.assure)), "Payé à l'assuré");
    assert.ok(html.includes(formatEuros(byPayee.tiers)), 'Payé aux tiers');
    assert.ok(html.includes(formatEuros(byPayee.assure + byPayee.tiers)), 'total');
    assert.ok(html.includes('<svg class="donut"'), 'server-drawn donut');
    assert.ok(html.includes('Synthèse de vos règlements sur les 12 derniers mois'));
  });

  test('another family never appears; HR and staff sessions get 403; anonymous is sent to the login', async () => {
    const other = await createFamily(t.db, { firstName: 'Zoé', lastName: 'Autre' });
    const otherAgent = await loginAs(t.app, t.db, 'assure', other.email);
    const html = decoded((await otherAgent.get('/assure/accueil').expect(200)).text);
    assert.ok(html.includes('Bienvenue Zoé'));
    assert.ok(!html.includes('Thibault'));
    const hr = await loginAs(t.app, t.db, 'entreprise', (await createAccount(t.db, { kind: 'hr', mobile: '+33639980901' })).email);
    await hr.get('/assure/accueil').expect(403);
    const staff = await loginAs(t.app, t.db, 'gestion', (await createAccount(t.db, { kind: 'staff', mobile: '+33639980902' })).email);
    await staff.get('/assure/accueil').expect(403);
    await request(t.app).get('/assure/accueil').expect(303);
  });
});

describe('profile completion', () => {
  test('everything filled in gives 100 %', () => {
    const member = { email: 'a@b.fr', mobile: '+33600000000', address_line1: '1 rue', postal_code: '75001', city: 'Paris', iban: 'FR76…' } as never;
    assert.deepEqual(profileCompletion(member, [{ first_name: 'A', teletransmission_status: 'active' }]), { percent: 100, missing: [] });
    const partial = profileCompletion({ ...(member as object), iban: null } as never, []);
    assert.equal(partial.percent, 75);
    assert.equal(partial.missing[0].label, 'Coordonnées bancaires (IBAN) pour vos remboursements');
  });
});

// Issue #11 A1: the administrator of one company must not take over, nor weaken, the account of
// someone who also has access to a company they do not administer. The two attacks of the issue,
// replayed over HTTP (they succeeded before the rule existed), then the rule itself: identity
// (names, email, mobile) only by an administrator of every company the account reaches; adding
// an existing address answers as a new invitation; the owner is told and can refuse.
// Runs on SQLite, and on PostgreSQL with TEST_PG_URL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { decoded, lastMessageTo, linkIn, loginAs, textOf } from '../helpers/fixtures.js';
import { createHrCompany, createHrUser, type TestCompany, postHrForm } from '../helpers/entreprise.js';
import { HABILITATION_MESSAGES, IDENTITY_LOCKED } from '../../src/domain/habilitations.js';
import { HABILITATION_TEXTS } from '../../src/entreprise/habilitations/pages.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

type Agent = Awaited<ReturnType<typeof loginAs>>;
let t: TestContext;
let verdier: TestCompany;
let horizon: TestCompany;
let ponant: TestCompany;
let rhAdmin: { id: number; email: string };
let rhPonant: { id: number; email: string };
let admin: Agent; // rh.admin: administrator of Verdier and Horizon
let ponantAdmin: Agent; // rh.ponant: administrator of Ponant only
const PONANT_MOBILE = '+33612345671';
const ATTACKER_MOBILE = '+33698765432';

const BASE = '/entreprise/habilitations';
const post = postHrForm;
/** The flash messages shown on the next page (what the administrator is told after a POST). */
async function flashAfter(a: Agent, path = BASE): Promise<string[]> {
  const html = decoded((await a.get(path).expect(200)).text);
  return [...html.matchAll(/<div class="alert alert-[a-z]+" role="[a-z]+"><p>([^<]*)<\/p><\/div>/g)].map((m) => m[1]);
}
const accountByEmail = (email: string) => t.db('accounts').where({ kind: 'hr', email }).first();
const habilitationsOf = async (accountId: number) =>
  (await t.db('hr_habilitations').where({ account_id: accountId }).orderBy('company_id')).map((h: { company_id: number; role: string }) => [
    h.company_id,
    h.role,
  ]);
const messagesTo = (recipient: string) => t.db('outbox').where({ recipient }).orderBy('id');
const byCompany = (rows: (string | number)[][]) => rows.sort((a, b) => Number(a[0]) - Number(b[0]));
/**
 * What the administrator sees of the answer to a POST: its status, where it leads, its type and
 * body, then the flash messages of the page it leads to.
 */
async function seenAfter(a: Agent, res: request.Response) {
  return { status: res.status, location: res.headers.location, type: res.headers['content-type'], body: res.text, flash: await flashAfter(a) };
}
/** The « Refuser cet accès » link of the newest notice to this address. */
async function refusalLinkTo(recipient: string): Promise<string> {
  const notice = (await messagesTo(recipient)).pop();
  assert.ok(notice.subject.startsWith('Nouvel accès dans votre Espace Entreprise'), notice.subject);
  return linkIn(notice.body_text.slice(notice.body_text.indexOf('Refuser cet accès')));
}
/** The owner of an address uses its refusal link (GET the confirmation, POST it). */
async function refuse(path: string): Promise<void> {
  const owner = request.agent(t.app);
  const csrf = (await owner.get(path).expect(200)).text.match(/name="_csrf" value="([^"]+)"/)![1];
  await owner.post(path).type('form').send({ _csrf: csrf }).expect(303);
}

before(async () => {
  t = await makeTestApp();
  verdier = await createHrCompany(t.db, 'Cabinet Verdier Immobilier', 1);
  horizon = await createHrCompany(t.db, 'Syndic Horizon Gestion', 1);
  ponant = await createHrCompany(t.db, 'Immobilière du Ponant', 1);
  rhAdmin = await createHrUser(
    t.db,
    [
      { company: verdier, role: 'admin' },
      { company: horizon, role: 'admin' },
    ],
    { email: 'rh.admin@demo.example', firstName: 'Eugénie', mobile: '+33612345670' },
  );
  rhPonant = await createHrUser(t.db, [{ company: ponant, role: 'admin' }], { email: 'rh.ponant@demo.example', firstName: 'Yann', mobile: PONANT_MOBILE });
  admin = await loginAs(t.app, t.db, 'entreprise', rhAdmin.email);
  ponantAdmin = await loginAs(t.app, t.db, 'entreprise', rhPonant.email);
});
after(async () => t.close());

describe('A1 (a): a pending invitation shared with another company', () => {
  test("rh.admin cannot redirect Ponant's invitation to their own address (email read-only, the POST refused)", async () => {
    // rh.ponant invites X as Administrateur of Ponant; rh.admin invites the same address on Verdier.
    await post(
      ponantAdmin,
      `${BASE}/ajouter`,
      { last_name: 'Cible', first_name: 'Xavier', email: 'x.cible@exemple.fr', [`acces_${ponant.companyId}`]: 'admin' },
      303,
    );
    await post(
      admin,
      `${BASE}/ajouter`,
      { last_name: 'Cible', first_name: 'Xavier', email: 'x.cible@exemple.fr', [`acces_${verdier.companyId}`]: 'user' },
      303,
    );
    const x = await accountByEmail('x.cible@exemple.fr');
    assert.equal(x.status, 'pending');

    // The form shows who X is, but offers no field to change it.
    const form = decoded((await admin.get(`${BASE}/${x.id}/modifier`).expect(200)).text);
    for (const field of ['email', 'mobile', 'last_name', 'first_name']) assertExcludes(form, `name="${field}"`, `no ${field} field`);
    assertIncludes(form, 'x.cible@exemple.fr');
    assertIncludes(form, IDENTITY_LOCKED);

    // The attack: post the attacker's address anyway.
    const res = await post(
      admin,
      `${BASE}/${x.id}/modifier`,
      { last_name: 'Cible', first_name: 'Xavier', email: 'attaquant@exemple.fr', mobile: '06 98 76 54 32', [`acces_${verdier.companyId}`]: 'user' },
      422,
    );
    assertIncludes(textOf(res.text), IDENTITY_LOCKED);
    const after = await accountByEmail('x.cible@exemple.fr');
    assert.ok(after, 'the invitation keeps its address');
    assert.equal(after.mobile, null);
    assert.equal((await messagesTo('attaquant@exemple.fr')).length, 0, 'no password link reaches the attacker');
    assert.ok(await t.db('audit_log').where({ event: 'hr_identity_change_refused', account_id: rhAdmin.id }).first());
    // X's own password link still works, and X becomes administrator of Ponant, not the attacker.
    const invitation = (await messagesTo('x.cible@exemple.fr'))
      .filter((m: { subject: string }) => m.subject.startsWith("Votre accès à l'Espace Entreprise"))
      .pop();
    await request(t.app).get(linkIn(invitation.body_text)).expect(200);
  });

  test('rh.admin still changes the role on their own company (and only there)', async () => {
    const x = await accountByEmail('x.cible@exemple.fr');
    await post(admin, `${BASE}/${x.id}/modifier`, { [`acces_${verdier.companyId}`]: 'admin' }, 303);
    assert.deepEqual(
      await habilitationsOf(x.id),
      [
        [verdier.companyId, 'admin'],
        [ponant.companyId, 'admin'],
      ].sort((a, b) => Number(a[0]) - Number(b[0])),
    );
    assert.equal((await accountByEmail('x.cible@exemple.fr')).first_name, 'Xavier');
  });
});

describe('A1 (b): an active account of another company', () => {
  test('adding an existing account answers exactly as a new invitation (status, page, flash)', async () => {
    const typed = { last_name: 'Dupont', first_name: 'Jean' };
    // The answer to the POST, then the flash of the page it leads to: all the administrator is told.
    const fresh = await seenAfter(
      admin,
      await post(admin, `${BASE}/ajouter`, { ...typed, email: 'jean.dupont@exemple.fr', [`acces_${verdier.companyId}`]: 'user' }, 303),
    );
    const existing = await seenAfter(
      admin,
      await post(admin, `${BASE}/ajouter`, { ...typed, email: 'rh.ponant@demo.example', [`acces_${verdier.companyId}`]: 'user' }, 303),
    );
    assert.deepEqual(existing, fresh);
    assert.deepEqual(existing.flash, [HABILITATION_TEXTS.added('Jean Dupont')]);
    // Accepted limit: the list that follows shows each account as it is — the new invitation
    // with the names typed and « Invitation envoyée », the existing account with its own names
    // and status. Showing the typed names instead would be false, and hiding the existing account
    // would hide an access the administrator has just given; the address is the one they typed,
    // and its owner is told and may refuse (below).
    // The typed names and mobile never overwrite the existing account.
    const ponantAccount = await accountByEmail(rhPonant.email);
    assert.equal(ponantAccount.first_name, 'Yann');
    assert.equal(ponantAccount.mobile, PONANT_MOBILE);
    assert.equal(ponantAccount.status, 'active');
  });

  test("rh.admin cannot change rh.ponant's mobile or names: the next 2FA SMS still goes to rh.ponant", async () => {
    const form = decoded((await admin.get(`${BASE}/${rhPonant.id}/modifier`).expect(200)).text);
    assert.ok(!form.includes('name="mobile"') && !form.includes('name="last_name"'));
    // Adding an address does not reveal its mobile either.
    assertExcludes(textOf(form), '06 12 34 56 71');
    assertIncludes(textOf(form), 'Renseigné');
    const attempts: Record<string, string>[] = [
      { last_name: 'Martin', first_name: 'Yann', mobile: '06 98 76 54 32' },
      { mobile: '06 98 76 54 32' },
      { last_name: 'Pirate', first_name: 'Yann' },
    ];
    for (const body of attempts) {
      const res = await post(admin, `${BASE}/${rhPonant.id}/modifier`, { ...body, [`acces_${verdier.companyId}`]: 'user' }, 422);
      assertIncludes(textOf(res.text), IDENTITY_LOCKED);
    }
    const account = await accountByEmail(rhPonant.email);
    assert.equal(account.mobile, PONANT_MOBILE);
    assert.equal(account.last_name, 'Martin');
    // A new browser: rh.ponant's double authentification goes to their own number.
    t.clock.advance(61_000);
    await loginAs(t.app, t.db, 'entreprise', rhPonant.email);
    assert.equal((await messagesTo(ATTACKER_MOBILE)).length, 0);
    assert.ok((await lastMessageTo(t.db, PONANT_MOBILE)).body_text.match(/\d{6}/));
  });

  test('the owner is told by email and refuses the access with the link (GET confirms, POST removes, once)', async () => {
    const notice = (await messagesTo(rhPonant.email)).pop();
    assert.ok(notice.subject.startsWith('Nouvel accès dans votre Espace Entreprise'));
    assertIncludes(notice.body_text, 'Eugénie Martin vous a donné accès à Cabinet Verdier Immobilier (Utilisateur)');
    const path = linkIn(notice.body_text.slice(notice.body_text.indexOf('Refuser cet accès')));
    assert.match(path, /^\/entreprise\/refuser-acces\/[A-Za-z0-9_-]{43}$/);
    // Only the hash is stored.
    const token = path.split('/').pop()!;
    assert.equal(await t.db('link_tokens').where({ token_hash: token }).first(), undefined);

    // Not logged in (an invitee has no password yet): a confirmation page, nothing changed by GET.
    const owner = request.agent(t.app);
    const page = await owner.get(path).expect(200);
    assertIncludes(textOf(page.text), "Refuser l'accès à Cabinet Verdier Immobilier");
    assert.deepEqual(
      await habilitationsOf(rhPonant.id),
      [
        [verdier.companyId, 'user'],
        [ponant.companyId, 'admin'],
      ].sort((a, b) => Number(a[0]) - Number(b[0])),
    );
    // The form needs its CSRF token.
    await owner.post(path).type('form').send({}).expect(403);
    const csrf = page.text.match(/name="_csrf" value="([^"]+)"/)![1];
    const done = await owner.post(path).type('form').send({ _csrf: csrf }).expect(303);
    assert.equal(done.headers.location, '/entreprise');
    assertIncludes((await flashAfter(owner, '/entreprise'))[0], 'Votre accès à Cabinet Verdier Immobilier a été retiré');
    assert.deepEqual(await habilitationsOf(rhPonant.id), [[ponant.companyId, 'admin']]);
    assert.equal((await accountByEmail(rhPonant.email)).status, 'active', 'the other access stays');
    assert.ok(await t.db('audit_log').where({ event: 'habilitation_refused', account_id: rhPonant.id }).first());
    // Single use.
    await owner.get(path).expect(410);
    await owner.post(path).type('form').send({ _csrf: csrf }).expect(410);
    assertExcludes(textOf((await admin.get(BASE).expect(200)).text), rhPonant.email);
  });

  test('refusal links: unknown or expired → 410; a pending account refusing its last access is closed', async () => {
    await request(t.app).get('/entreprise/refuser-acces/abc').expect(410);
    await request(t.app)
      .get(`/entreprise/refuser-acces/${'A'.repeat(43)}`)
      .expect(410);
    // An invitation of Horizon, then added to Verdier too: two accesses, one refusal link (Verdier).
    await post(
      admin,
      `${BASE}/ajouter`,
      { last_name: 'Leroy', first_name: 'Anne', email: 'anne.leroy@exemple.fr', [`acces_${horizon.companyId}`]: 'user' },
      303,
    );
    await post(
      admin,
      `${BASE}/ajouter`,
      { last_name: 'Leroy', first_name: 'Anne', email: 'anne.leroy@exemple.fr', [`acces_${verdier.companyId}`]: 'user' },
      303,
    );
    const anne = await accountByEmail('anne.leroy@exemple.fr');
    const notice = (await messagesTo('anne.leroy@exemple.fr')).pop();
    assertIncludes(notice.body_text, 'Créer mon mot de passe', 'an invitee is told how to activate');
    const path = linkIn(notice.body_text.slice(notice.body_text.indexOf('Refuser cet accès')));
    t.clock.advance(31 * 24 * 3600_000);
    await request(t.app).get(path).expect(410);
    t.clock.advance(-31 * 24 * 3600_000);
    // Horizon removed by the administrator; Anne then refuses Verdier: nothing left, account closed.
    await post(
      admin,
      `${BASE}/${anne.id}/modifier`,
      {
        last_name: 'Leroy',
        first_name: 'Anne',
        email: 'anne.leroy@exemple.fr',
        [`acces_${verdier.companyId}`]: 'user',
        [`acces_${horizon.companyId}`]: 'none',
      },
      303,
    );
    const owner = request.agent(t.app);
    const csrf = (await owner.get(path).expect(200)).text.match(/name="_csrf" value="([^"]+)"/)![1];
    await owner.post(path).type('form').send({ _csrf: csrf }).expect(303);
    assert.equal((await accountByEmail('anne.leroy@exemple.fr')).status, 'disabled');
    assert.deepEqual(await habilitationsOf(anne.id), []);
  });
});

describe('A1: an administrator of every company of the account', () => {
  test("changes a pending invitation's email: every link already sent stops working, a new one goes to the new address", async () => {
    await post(
      admin,
      `${BASE}/ajouter`,
      { last_name: 'Morel', first_name: 'Paul', email: 'paul.morel@exemple.fr', [`acces_${verdier.companyId}`]: 'user' },
      303,
    );
    // Added again on Horizon: a refusal link is sent too.
    await post(
      admin,
      `${BASE}/ajouter`,
      { last_name: 'Morel', first_name: 'Paul', email: 'paul.morel@exemple.fr', [`acces_${horizon.companyId}`]: 'user' },
      303,
    );
    const paul = await accountByEmail('paul.morel@exemple.fr');
    const sent = await messagesTo('paul.morel@exemple.fr');
    const creation = linkIn(sent.find((m: { subject: string }) => m.subject.startsWith("Votre accès à l'Espace Entreprise")).body_text);
    const refusal = linkIn(sent.pop().body_text.split('Refuser cet accès')[1]);
    await request(t.app).get(creation).expect(200);
    await request(t.app).get(refusal).expect(200);

    const form = decoded((await admin.get(`${BASE}/${paul.id}/modifier`).expect(200)).text);
    assert.ok(form.includes('name="email"') && form.includes('name="mobile"'));
    await post(
      admin,
      `${BASE}/${paul.id}/modifier`,
      {
        last_name: 'Morel',
        first_name: 'Paul',
        email: 'paul.morel@nouveau.example',
        [`acces_${verdier.companyId}`]: 'user',
        [`acces_${horizon.companyId}`]: 'user',
      },
      303,
    );
    assert.equal((await t.db('accounts').where({ id: paul.id }).first()).email, 'paul.morel@nouveau.example');
    await request(t.app).get(creation).expect(410);
    await request(t.app).get(refusal).expect(410);
    const fresh = linkIn((await lastMessageTo(t.db, 'paul.morel@nouveau.example')).body_text);
    await request(t.app).get(fresh).expect(200);
    assert.ok(await t.db('audit_log').where({ event: 'hr_invitation_email_changed', account_id: rhAdmin.id }).first());
  });

  test("changes an active user's mobile; the user is told by email", async () => {
    const user = await createHrUser(t.db, [{ company: verdier, role: 'user' }], { email: 'lina.roux@exemple.fr', mobile: '+33612345679' });
    await post(
      admin,
      `${BASE}/${user.id}/modifier`,
      { last_name: 'Martin', first_name: 'Camille', mobile: '06 12 34 56 80', [`acces_${verdier.companyId}`]: 'user' },
      303,
    );
    assert.equal((await accountByEmail('lina.roux@exemple.fr')).mobile, '+33612345680');
    const notice = await lastMessageTo(t.db, 'lina.roux@exemple.fr');
    assert.ok(notice.subject.startsWith('Vos informations ont été modifiées'));
    assertIncludes(notice.body_text, '06 12 34 56 80');
    const audit = await t.db('audit_log').where({ event: 'hr_profile_changed', account_id: rhAdmin.id }).orderBy('id', 'desc').first();
    assert.equal(JSON.parse(audit.detail).fields, 'mobile');
  });

  test('an account closed by « Désactiver définitivement » is added again as a fresh invitation, with the same answer', async () => {
    await post(admin, `${BASE}/ajouter`, { last_name: 'Petit', first_name: 'Zoé', email: 'zoe.petit@exemple.fr', [`acces_${verdier.companyId}`]: 'user' }, 303);
    const zoe = await accountByEmail('zoe.petit@exemple.fr');
    await post(admin, `${BASE}/${zoe.id}/desactiver`, {}, 303);
    assert.equal((await accountByEmail('zoe.petit@exemple.fr')).status, 'disabled');
    await post(
      admin,
      `${BASE}/ajouter`,
      { last_name: 'Petit', first_name: 'Zoé', email: 'zoe.petit@exemple.fr', [`acces_${horizon.companyId}`]: 'admin' },
      303,
    );
    assert.ok((await flashAfter(admin))[0].startsWith('Zoé Petit a été ajouté(e).'));
    const again = await accountByEmail('zoe.petit@exemple.fr');
    assert.equal(again.id, zoe.id);
    assert.equal(again.status, 'pending');
    assert.equal(again.password_hash, null);
    await request(t.app)
      .get(linkIn((await lastMessageTo(t.db, 'zoe.petit@exemple.fr')).body_text))
      .expect(200);
  });
});

describe('A1: the rule inside the UPDATE (an access granted elsewhere between the form and the save wins)', () => {
  test('updateHrIdentity changes nothing when the account reaches a company outside the given ones', async () => {
    const { updateHrIdentity } = await import('../../src/entreprise/habilitations/queries.js');
    const user = await createHrUser(
      t.db,
      [
        { company: verdier, role: 'user' },
        { company: ponant, role: 'user' },
      ],
      { email: 'sam.guard@exemple.fr', mobile: '+33612345681' },
    );
    const fields = { first_name: 'Sam', last_name: 'Pirate', mobile: ATTACKER_MOBILE };
    assert.equal(await updateHrIdentity(t.db, user.id, fields, [verdier.companyId, horizon.companyId], t.clock()), false);
    assert.equal((await accountByEmail('sam.guard@exemple.fr')).mobile, '+33612345681');
    assert.equal(
      await updateHrIdentity(t.db, user.id, { ...fields, email: 'sam.pirate@exemple.fr' }, [verdier.companyId, horizon.companyId], t.clock()),
      false,
    );
    assert.ok(await accountByEmail('sam.guard@exemple.fr'));
    // An administrator of both companies may.
    assert.equal(await updateHrIdentity(t.db, user.id, fields, [verdier.companyId, ponant.companyId], t.clock()), true);
    assert.equal((await accountByEmail('sam.guard@exemple.fr')).last_name, 'Pirate');
  });
});

describe('A1: a pending invitation given the address of an existing account (no way to test an address)', () => {
  test('answers exactly as for a free address; that account gets the access, is told and can refuse; the invitation is withdrawn', async () => {
    const typed = { last_name: 'Sonde', first_name: 'Alice', mobile: '' };
    const onVerdier = { [`acces_${verdier.companyId}`]: 'user' };
    for (const email of ['sonde.1@exemple.fr', 'sonde.2@exemple.fr']) await post(admin, `${BASE}/ajouter`, { ...typed, email, ...onVerdier }, 303);
    const one = await accountByEmail('sonde.1@exemple.fr');
    const two = await accountByEmail('sonde.2@exemple.fr');
    const twoLink = linkIn((await lastMessageTo(t.db, 'sonde.2@exemple.fr')).body_text);
    assert.deepEqual(await habilitationsOf(rhPonant.id), [[ponant.companyId, 'admin']]);

    // The probe: one invitation given a free address, the other rh.ponant's.
    const free = await seenAfter(admin, await post(admin, `${BASE}/${one.id}/modifier`, { ...typed, email: 'libre@exemple.fr', ...onVerdier }, 303));
    const taken = await seenAfter(admin, await post(admin, `${BASE}/${two.id}/modifier`, { ...typed, email: rhPonant.email, ...onVerdier }, 303));
    assert.deepEqual(taken, free);
    assert.deepEqual(free.flash, [HABILITATION_TEXTS.updated('Alice Sonde')]);
    // (The list afterwards shows each account as it is: see « adding an existing account… ».)

    // The free address: the invitation has it, with a new password link.
    assert.equal((await t.db('accounts').where({ id: one.id }).first()).email, 'libre@exemple.fr');
    await request(t.app)
      .get(linkIn((await lastMessageTo(t.db, 'libre@exemple.fr')).body_text))
      .expect(200);
    // rh.ponant's address: the account got the invitation's access, keeps its own names and mobile,
    // and its owner is told, with a link to refuse it.
    assert.deepEqual(
      await habilitationsOf(rhPonant.id),
      byCompany([
        [verdier.companyId, 'user'],
        [ponant.companyId, 'admin'],
      ]),
    );
    const ponantAccount = await accountByEmail(rhPonant.email);
    assert.deepEqual([ponantAccount.first_name, ponantAccount.mobile, ponantAccount.status], ['Yann', PONANT_MOBILE, 'active']);
    const refusal = await refusalLinkTo(rhPonant.email);
    assertIncludes((await messagesTo(rhPonant.email)).pop().body_text, 'vous a donné accès à Cabinet Verdier Immobilier (Utilisateur)');
    // The invitation is withdrawn: no access left, closed, the link sent to its address dead.
    assert.deepEqual(await habilitationsOf(two.id), []);
    assert.equal((await t.db('accounts').where({ id: two.id }).first()).status, 'disabled');
    await request(t.app).get(twoLink).expect(410);
    assert.ok(await t.db('audit_log').where({ event: 'hr_invitation_merged', account_id: rhAdmin.id }).first());

    // What « Ajouter » refuses is refused here too, and only that: the administrator's own address,
    // someone already in their list on the company (rh.ponant, now on Verdier).
    await post(admin, `${BASE}/ajouter`, { ...typed, email: 'sonde.3@exemple.fr', ...onVerdier }, 303);
    const three = await accountByEmail('sonde.3@exemple.fr');
    const self = await post(admin, `${BASE}/${three.id}/modifier`, { ...typed, email: rhAdmin.email, ...onVerdier }, 422);
    assertIncludes(textOf(self.text), HABILITATION_MESSAGES.self);
    const listed = await post(admin, `${BASE}/${three.id}/modifier`, { ...typed, email: rhPonant.email, ...onVerdier }, 422);
    assertIncludes(decoded(listed.text), HABILITATION_TEXTS.alreadyGranted('Cabinet Verdier Immobilier'));
    assert.equal((await t.db('accounts').where({ id: three.id }).first()).status, 'pending');

    // rh.ponant refuses the access: back to Ponant only.
    await refuse(refusal);
    assert.deepEqual(await habilitationsOf(rhPonant.id), [[ponant.companyId, 'admin']]);
  });
});

describe('A1: access to another company given through « Modifier »', () => {
  test('an account that reaches other companies: its owner is told and can refuse; a role change tells nobody', async () => {
    // X (pending; administrator of Ponant and, since (a), of Verdier) is given Horizon by rh.admin.
    const x = await accountByEmail('x.cible@exemple.fr');
    const before = (await messagesTo(x.email)).length;
    await post(admin, `${BASE}/${x.id}/modifier`, { [`acces_${verdier.companyId}`]: 'admin', [`acces_${horizon.companyId}`]: 'user' }, 303);
    const sent = await messagesTo(x.email);
    assert.equal(sent.length, before + 1);
    assertIncludes(sent[before].body_text, 'Eugénie Martin vous a donné accès à Syndic Horizon Gestion (Utilisateur)', sent[before].body_text);
    assertIncludes(sent[before].body_text, 'Créer mon mot de passe', 'an invitee is told how to activate');
    const refusal = await refusalLinkTo(x.email);
    // A role changed where X already had access: nobody is told.
    await post(admin, `${BASE}/${x.id}/modifier`, { [`acces_${verdier.companyId}`]: 'user', [`acces_${horizon.companyId}`]: 'user' }, 303);
    assert.equal((await messagesTo(x.email)).length, before + 1);
    await refuse(refusal);
    assert.deepEqual(
      await habilitationsOf(x.id),
      byCompany([
        [verdier.companyId, 'user'],
        [ponant.companyId, 'admin'],
      ]),
    );
  });

  test("an active account of the administrator's own companies: told too", async () => {
    const lina = await accountByEmail('lina.roux@exemple.fr');
    const before = (await messagesTo(lina.email)).length;
    await post(
      admin,
      `${BASE}/${lina.id}/modifier`,
      {
        last_name: lina.last_name,
        first_name: lina.first_name,
        mobile: '06 12 34 56 80',
        [`acces_${verdier.companyId}`]: 'user',
        [`acces_${horizon.companyId}`]: 'admin',
      },
      303,
    );
    const sent = await messagesTo(lina.email);
    assert.equal(sent.length, before + 1, 'one notice, and no « informations modifiées » (nothing else changed)');
    assertIncludes(sent[before].body_text, 'vous a donné accès à Syndic Horizon Gestion (Administrateur)');
    assertIncludes(sent[before].body_text, 'Connectez-vous à votre Espace Entreprise');
    await refuse(await refusalLinkTo(lina.email));
    assert.deepEqual(await habilitationsOf(lina.id), [[verdier.companyId, 'user']]);
  });
});

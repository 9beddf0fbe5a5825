// « Validation des affiliations » (Espace Gestion): the list and its filter, a request's detail,
// its documents, « Valider » (member, beneficiaries, affiliation exactly as the seed makes them,
// the employee's email, HR's notification, then « Activer mon espace » up to the Espace Assuré),
// « Refuser » (reason required), no second decision, a known NIR reused, and access.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { addEmployee, createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { codeIn, createAccount, decoded, ipBrowser, lastMessageTo, loginAs, tokenFrom, textOf } from '../helpers/fixtures.js';
import { createAffiliationRequest } from '../helpers/affiliation-requests.js';
import { createFinalizedRequest, PDF_BYTES, testNir, type FinalizedRequestOptions } from '../helpers/finalized-requests.js';
import { DECISION_MESSAGES } from '../../src/domain/affiliation-requests.js';
import { pageBeyondText, pageInvalidText } from '../../src/paging.js';
import { nirKey } from '../../src/domain/nir.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const BASE = '/gestion/affiliations';
const NEW_PASSWORD = 'girafe parapluie tonnerre violon';
type Agent = Awaited<ReturnType<typeof loginAs>>;
let t: TestContext;
let company: TestCompany;
let hr: { id: number; email: string };
let staffId: number;
let staff: Agent;

function finalized(options: Partial<FinalizedRequestOptions> = {}) {
  return createFinalizedRequest(t.db, { uploadDir: t.config.uploadDir, company, createdBy: hr.id, ...options });
}

async function post(path: string, body: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const token = await tokenFrom(staff, '/gestion/accueil');
  return staff
    .post(path)
    .set(headers)
    .type('form')
    .send({ _csrf: token, ...body });
}

async function count(table: string, where: Record<string, unknown> = {}): Promise<number> {
  const row = await t.db(table).where(where).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** Rows of the list's table, as « name | company | … » lines. */
function listRows(html: string): string[] {
  const body = html.split('<tbody>')[1]?.split('</tbody>')[0] ?? '';
  return body
    .split('</tr>')
    .filter((r) => r.includes('<td'))
    .map((r) => textOf(r).trim());
}

before(async () => {
  t = await makeTestApp({ TRUST_PROXY: 'true' });
  company = await createHrCompany(t.db, 'Verdier Test Immobilier', 2);
  hr = await createHrUser(t.db, [{ company, role: 'admin' }], { firstName: 'Eugénie' });
  const account = await createAccount(t.db, { kind: 'staff', email: 'agent.affiliations@exemple.fr', mobile: '+33639980901', firstName: 'Claire' });
  staffId = account.id;
  staff = await loginAs(t.app, t.db, 'gestion', account.email);
});
after(async () => t.close());

describe('access', () => {
  test('logged out → the Gestion login; member or HR → 403; unknown or unfinalized request → 404', async () => {
    const req = await finalized();
    for (const path of [BASE, `${BASE}/${req.id}`, `${BASE}/${req.id}/documents/${req.documents[0].id}`]) {
      const res = await request(t.app).get(path).expect(303);
      assert.equal(res.headers.location, '/gestion');
    }
    const member = await createAccount(t.db, { kind: 'member', mobile: '+33639980902' });
    const memberAgent = await loginAs(t.app, t.db, 'assure', member.email);
    const hrAgent = await loginAs(t.app, t.db, 'entreprise', hr.email);
    for (const [agent, home] of [
      [memberAgent, '/assure/accueil'],
      [hrAgent, '/entreprise/accueil'],
    ] as const) {
      await agent.get(BASE).expect(403);
      await agent.get(`${BASE}/${req.id}`).expect(403);
      await agent.get(`${BASE}/${req.id}/documents/${req.documents[0].id}`).expect(403);
      // The decisions too, with a valid token of their own session.
      const token = await tokenFrom(agent, home);
      await agent.post(`${BASE}/${req.id}/valider`).type('form').send({ _csrf: token }).expect(403);
      await agent.post(`${BASE}/${req.id}/refuser`).type('form').send({ _csrf: token, motif: 'Pas à moi de décider' }).expect(403);
    }
    // Logged out, with the login page's token: sent to the Gestion login.
    const anonymous = request.agent(t.app);
    const anonymousToken = await tokenFrom(anonymous, '/gestion');
    for (const action of ['valider', 'refuser']) {
      const res = await anonymous.post(`${BASE}/${req.id}/${action}`).type('form').send({ _csrf: anonymousToken, motif: 'Anonyme' }).expect(303);
      assert.equal(res.headers.location, '/gestion');
    }
    assert.equal((await t.db('affiliation_requests').where({ id: req.id }).first('decision')).decision, null, 'nothing decided');
    await staff.get(`${BASE}/999999`).expect(404);
    await staff.get(`${BASE}/abc`).expect(404);
    await staff.get(`${BASE}/${req.id}/documents/999999`).expect(404);
    await staff.get(`${BASE}/${req.id}/documents/x`).expect(404);
    // A request still with the employee is not the insurer's to see.
    const draft = await finalized();
    await t.db('affiliation_requests').where({ id: draft.id }).update({ status: 'started' });
    await staff.get(`${BASE}/${draft.id}`).expect(404);
    await staff.get(`${BASE}/${draft.id}/documents/${draft.documents[0].id}`).expect(404);
    assert.equal((await post(`${BASE}/${draft.id}/valider`)).status, 404);
    await staff.get(`${BASE}/999999/documents/${req.documents[0].id}`).expect(404);
  });

  test('every POST needs the CSRF token', async () => {
    const req = await finalized();
    await staff.post(`${BASE}/${req.id}/valider`).type('form').send({}).expect(403);
    await staff.post(`${BASE}/${req.id}/refuser`).type('form').send({ motif: 'Sans jeton' }).expect(403);
    const row = await t.db('affiliation_requests').where({ id: req.id }).first();
    assert.equal(row.decision, null);
  });
});

describe('list', () => {
  test('waiting requests oldest first, the filter « À traiter / Validées / Refusées », pagination', async () => {
    // Everything already there is decided, so the list holds only this test's requests.
    await t
      .db('affiliation_requests')
      .whereNull('decision')
      .update({ decision: 'refused', decision_reason: 'Nettoyage', decided_at: '2026-11-01T00:00:00.000Z' });
    const other = await createHrCompany(t.db, 'Horizon Test Gestion', 1);
    const late = await finalized({ lastName: 'Tardif', submittedAt: '2026-11-20T10:00:00.000Z' });
    const early = await finalized({ lastName: 'Premier', submittedAt: '2026-11-05T10:00:00.000Z', professionalStatus: 'cadre' });
    const middle = await finalized({ company: other, lastName: 'Milieu', submittedAt: '2026-11-12T10:00:00.000Z' });
    await finalized({ lastName: 'Valide', decision: { decision: 'validated', at: '2026-11-21T10:00:00.000Z', by: staffId } });
    await finalized({ lastName: 'Refuse', decision: { decision: 'refused', at: '2026-11-21T11:00:00.000Z', by: staffId, reason: 'RIB illisible' } });

    const res = await staff.get(BASE).expect(200);
    const html = decoded(res.text);
    assertIncludes(html, '<h1>Validation des affiliations</h1>');
    assert.match(html, /aria-current="page">À traiter <span class="badge">3<\/span>/);
    for (const header of ['Salarié', 'Entreprise', 'Établissement', 'Collège', 'Transmise le']) assertIncludes(html, `<th scope="col">${header}</th>`, header);
    const rows = listRows(res.text);
    assert.equal(rows.length, 3);
    assert.match(
      rows[0],
      new RegExp(`^Léa ${early.lastName} Verdier Test Immobilier Verdier Test Immobilier — site 1 SIRET ${company.establishments[0].siret} Cadre 05/11/2026$`),
    );
    assert.match(rows[1], new RegExp(`^Léa ${middle.lastName} Horizon Test Gestion .* Non cadre 12/11/2026$`));
    assert.match(rows[2], new RegExp(`^Léa ${late.lastName} `));
    assertIncludes(html, `href="${BASE}/${early.id}"`);

    const validated = decoded((await staff.get(`${BASE}?statut=validees`).expect(200)).text);
    assert.match(validated, /aria-current="page">Validées/);
    assertIncludes(validated, '<th scope="col">Validée le</th>');
    assert.equal(listRows(validated).length, 1);
    assert.ok(listRows(validated)[0].startsWith('Léa Valide'));
    const refused = listRows((await staff.get(`${BASE}?statut=refusees`).expect(200)).text);
    assert.ok(refused[0].startsWith('Léa Refuse'), 'latest decision first');
    // An unknown filter is « À traiter »; htmx gets the list alone.
    assert.equal(listRows((await staff.get(`${BASE}?statut=nimporte`).expect(200)).text).length, 3);
    const fragment = await staff.get(`${BASE}?statut=validees`).set('HX-Request', 'true').expect(200);
    assert.ok(fragment.text.trimStart().startsWith('<div id="affiliations-list" hx-target:inherited="#affiliations-list" hx-swap:inherited="outerHTML">'));
    assertExcludes(fragment.text, '<html');

    // 25 a page.
    for (let i = 0; i < 24; i += 1) await finalized({ lastName: `Lot${String(i).padStart(2, '0')}`, submittedAt: '2026-11-21T08:00:00.000Z' });
    const first = decoded((await staff.get(BASE).expect(200)).text);
    assert.equal(listRows(first).length, 25);
    assertIncludes(first, '27 demandes — page 1 sur 2');
    assertIncludes(first, `href="${BASE}?page=2"`);
    const second = decoded((await staff.get(`${BASE}?page=2`).expect(200)).text);
    assert.equal(listRows(second).length, 2);
    assertIncludes(second, 'Page précédente');
    const beyond = (await staff.get(`${BASE}?page=99`).expect(200)).text;
    assert.equal(listRows(beyond).length, 2, 'a page past the end shows the last one');
    assertIncludes(textOf(beyond), pageBeyondText(99, 2), 'and says so');
    const garbage = (await staff.get(`${BASE}?page=abc`).expect(200)).text;
    assert.ok(textOf(garbage).includes(pageInvalidText) && listRows(garbage).length === 25, 'a page that is not one: the first, said so');
    await t
      .db('affiliation_requests')
      .whereNull('decision')
      .update({ decision: 'refused', decision_reason: 'Nettoyage', decided_at: '2026-11-01T00:00:00.000Z' });
  });
});

describe('detail and documents', () => {
  test('everything the employee sent and HR typed, the documents and the history', async () => {
    const req = await finalized({
      firstName: 'Camille',
      lastName: 'Roux',
      sex: 'F',
      birthDate: '1997-10-02',
      nir: '297103306350942',
      contractType: 'CDD',
      teletransmission: false,
      beneficiaries: [{ relationship: 'enfant', sex: 'M', lastName: 'Roux', firstName: 'Noé', birthDate: '2020-03-04', nir: null }],
    });
    const html = decoded((await staff.get(`${BASE}/${req.id}`).expect(200)).text);
    const text = textOf(html);
    assertIncludes(html, "<h1>Demande d'affiliation de Camille Roux</h1>");
    for (const fragment of [
      "Saisi par l'entreprise",
      `Verdier Test Immobilier (SIREN ${company.siren})`,
      'Statut professionnel Non cadre',
      "Statut au sein de l'entreprise Salarié",
      'Type de contrat de travail Contrat à Durée Déterminée (CDD)',
      "Date d'affiliation au contrat Frais de Santé 01/12/2026",
      'Fin du contrat de travail 31/05/2027',
      'Numéro de Sécurité sociale saisi 2 97 10 33 063 509',
      'Pré-affiliation le 02/11/2026 par Eugénie Martin',
      'Envoyé par le salarié',
      'Civilité Madame',
      'Date de naissance 02/10/1997',
      'Numéro de Sécurité sociale 2 97 10 33 063 509 42',
      'Adresse 12 rue Sainte-Catherine Appartement 4 33000 Bordeaux',
      `E-mail ${req.email}`,
      'IBAN FR76 3000 6000 0112 3456 7890 189',
      'BIC AGRIFRPP',
      'Titulaire du compte Mme Camille ROUX',
      "Code de l'organisme 013331234",
      'Télétransmission Non',
      "Enfant Roux Noé Masculin 04/03/2020 Rattaché à l'assuré",
      "Relevé d'identité bancaire (RIB) — RIB Société Générale.pdf (PDF, 1 Ko)",
      "Attestation de droits à l'assurance maladie — attestation-droits.png (PNG, 1 Ko)",
      'Pré-affiliation du salarié (mode Email) · Eugénie Martin (Entreprise)',
      "Formulaire d'affiliation finalisé par le salarié · Le salarié",
      "Valider l'affiliation",
      'Motif du refus',
    ]) {
      assertIncludes(text, fragment, `missing: ${fragment}`);
    }
    assertIncludes(html, `href="${BASE}/${req.id}/documents/${req.documents[0].id}"`);
    assert.equal((html.match(/name="_csrf"/g) ?? []).length >= 2, true, 'both decision forms carry the CSRF token');
    assertIncludes(html, `action="${BASE}/${req.id}/valider"`);
    assertIncludes(html, `action="${BASE}/${req.id}/refuser"`);
  });

  test("each document downloads with its type and an attachment name; another request's document is 404", async () => {
    const req = await finalized();
    const other = await finalized();
    const pdf = await staff
      .get(`${BASE}/${req.id}/documents/${req.documents[0].id}`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.match(
      pdf.headers['content-disposition'],
      /^attachment; filename="RIB Soci_t_ G_n_rale\.pdf"; filename\*=UTF-8''RIB%20Soci%C3%A9t%C3%A9%20G%C3%A9n%C3%A9rale\.pdf$/,
    );
    assert.equal(pdf.headers['cache-control'], 'no-store');
    assert.equal(pdf.headers['x-content-type-options'], 'nosniff');
    assert.deepEqual(pdf.body, req.documents[0].bytes);
    const png = await staff.get(`${BASE}/${req.id}/documents/${req.documents[1].id}`).expect(200);
    assert.equal(png.headers['content-type'], 'image/png');
    assert.match(png.headers['content-disposition'], /^attachment; filename="attestation-droits\.png"; filename\*=UTF-8''attestation-droits\.png$/);

    await staff.get(`${BASE}/${req.id}/documents/${other.documents[0].id}`).expect(404);
    await staff.get(`${BASE}/${other.id}/documents/${req.documents[0].id}`).expect(404);
    // Never from the web root, never outside the upload folder, never a 500 for a missing file.
    await request(t.app).get(`/affiliations/${req.documents[0].storedName}`).expect(404);
    await t.db('affiliation_request_documents').where({ id: other.documents[1].id }).update({ stored_name: '../../etc/passwd' });
    await staff.get(`${BASE}/${other.id}/documents/${other.documents[1].id}`).expect(404);
    await t.db('affiliation_request_documents').where({ id: other.documents[0].id }).update({ stored_name: 'absent0123456789.pdf' });
    await staff.get(`${BASE}/${other.id}/documents/${other.documents[0].id}`).expect(404);
  });
});

describe('« Valider »', () => {
  test('creates the member, the family, the affiliation, emails the employee, notifies HR; the member then activates their space', async () => {
    const membersBefore = await count('members');
    const req = await finalized({
      firstName: 'Inès',
      lastName: 'Haddad',
      sex: 'F',
      birthDate: '1990-06-15',
      formEmail: 'Ines.Haddad@Exemple.fr',
      mobile: '+33612340777',
      professionalStatus: 'cadre',
      establishment: company.establishments[1],
      teletransmission: true,
      beneficiaries: [
        { relationship: 'conjoint', sex: 'M', lastName: 'Haddad', firstName: 'Karim', birthDate: '1988-01-20', nir: testNir('M', '1988-01-20', 412) },
        { relationship: 'enfant', sex: 'F', lastName: 'Haddad', firstName: 'Lina', birthDate: '2018-09-01', nir: null },
        { relationship: 'enfant', sex: 'M', lastName: 'Haddad', firstName: 'Sami', birthDate: '2009-02-11', nir: testNir('M', '2009-02-11', 77).slice(0, 13) },
      ],
    });
    const res = await post(`${BASE}/${req.id}/valider`);
    assert.equal(res.status, 303, textOf(res.text).slice(0, 500));
    assert.equal(res.headers.location, BASE);
    assert.equal(await count('members'), membersBefore + 1);

    const decided = await t.db('affiliation_requests').where({ id: req.id }).first();
    assert.equal(decided.decision, 'validated');
    assert.equal(decided.decision_reason, null);
    assert.equal(decided.decided_at, t.clock.now.toISOString());
    assert.equal(decided.decided_by_account_id, staffId);
    assert.equal(decided.status, 'finalized');
    const member = await t.db('members').where({ id: decided.member_id }).first();
    const at = t.clock.now.toISOString();
    assert.deepEqual(
      { ...member, id: undefined },
      {
        id: undefined,
        member_number: String(100_000_000 + member.id),
        nir: req.nir,
        sex: 'F',
        last_name: 'Haddad',
        first_name: 'Inès',
        // The name search keys the database keeps (Mes salariés).
        name_key: 'haddad ines',
        first_name_key: 'ines haddad',
        birth_name: null,
        birth_date: '1990-06-15',
        email: 'ines.haddad@exemple.fr',
        mobile: '+33612340777',
        phone: null,
        address_line1: '12 rue Sainte-Catherine',
        address_line2: 'Appartement 4',
        postal_code: '33000',
        city: 'Bordeaux',
        iban: 'FR7630006000011234567890189',
        bic: 'AGRIFRPP',
        iban_holder: 'Mme Inès HADDAD',
        iban_updated_at: at,
        created_at: at,
        updated_at: at,
      },
    );

    const beneficiaries = await t.db('beneficiaries').where({ member_id: member.id }).orderBy('id');
    const common = {
      member_id: member.id,
      address_line1: null,
      address_line2: null,
      postal_code: null,
      city: null,
      fund_code: '013331234',
      teletransmission_status: 'activation_requested',
      teletransmission_since: '2026-11-22',
      end_date: null,
      created_at: at,
      updated_at: at,
    };
    const pick = (b: Record<string, unknown>) => {
      const { id: _id, on_card, ...rest } = b;
      return { ...rest, on_card: Boolean(on_card) };
    };
    assert.deepEqual(beneficiaries.map(pick), [
      {
        ...common,
        relationship: 'assure',
        sex: 'F',
        last_name: 'Haddad',
        first_name: 'Inès',
        birth_date: '1990-06-15',
        nir: req.nir,
        attached_nir: null,
        email: 'ines.haddad@exemple.fr',
        mobile: '+33612340777',
        on_card: true,
        start_date: '2026-12-01',
      },
      {
        ...common,
        relationship: 'conjoint',
        sex: 'M',
        last_name: 'Haddad',
        first_name: 'Karim',
        birth_date: '1988-01-20',
        nir: testNir('M', '1988-01-20', 412),
        attached_nir: null,
        email: null,
        mobile: null,
        on_card: true,
        start_date: '2026-12-01',
      },
      {
        ...common,
        relationship: 'enfant',
        sex: 'F',
        last_name: 'Haddad',
        first_name: 'Lina',
        birth_date: '2018-09-01',
        nir: null,
        attached_nir: req.nir,
        email: null,
        mobile: null,
        on_card: true,
        start_date: '2026-12-01',
      },
      {
        ...common,
        relationship: 'enfant',
        sex: 'M',
        last_name: 'Haddad',
        first_name: 'Sami',
        birth_date: '2009-02-11',
        nir: testNir('M', '2009-02-11', 77),
        attached_nir: null,
        email: null,
        mobile: null,
        on_card: true,
        start_date: '2026-12-01',
      },
    ]);
    const tele = await t.db('teletransmission_events').whereIn(
      'beneficiary_id',
      beneficiaries.map((b) => b.id),
    );
    assert.equal(tele.length, 4);
    for (const event of tele) {
      assert.deepEqual(
        [event.from_status, event.to_status, event.at, event.processed_at, event.account_id],
        ['inactive', 'activation_requested', at, null, null],
      );
    }
    // Each activation is a DT- request of the staff inbox (src/correspondence/service.ts), pointing at its NOEMIE event.
    const dt = await t.db('requests').where({ member_id: member.id, kind: 'teletransmission' }).orderBy('id');
    assert.deepEqual(
      dt.map((r) => [r.beneficiary_id, r.object, r.status, r.teletransmission_event_id, /^DT-2026-\d{6}$/.test(r.reference)]),
      beneficiaries.map((b) => [b.id, 'activation', 'received', tele.find((e) => e.beneficiary_id === b.id)!.id, true]),
    );
    const firstSteps = await t
      .db('request_events')
      .whereIn(
        'request_id',
        dt.map((r) => r.id),
      )
      .select('action', 'status', 'side', 'account_id');
    assert.deepEqual(
      firstSteps,
      dt.map(() => ({ action: 'create', status: 'received', side: 'member', account_id: null })),
    );
    const audited = await t.db('audit_log').where({ event: 'correspondence_request_created', account_id: staffId });
    assert.equal(audited.length, 4);

    const affiliations = await t.db('affiliations').where({ member_id: member.id });
    assert.equal(affiliations.length, 1);
    const { id: _aid, ...affiliation } = affiliations[0];
    assert.deepEqual(affiliation, {
      member_id: member.id,
      establishment_id: company.establishments[1].id,
      contract_id: company.contracts.cadre,
      professional_status: 'cadre',
      company_status: 'salarie',
      employment_contract_type: 'CDI',
      employment_start_date: '2026-12-01',
      employment_end_date: null,
      entry_date: '2026-12-01',
      start_date: '2026-12-01',
      end_date: null,
      end_reason: null,
      portability_end_date: null,
      created_at: at,
    });
    const event = await t.db('affiliation_request_events').where({ request_id: req.id, kind: 'validated' }).first();
    assert.equal(event.account_id, staffId);
    assert.equal(event.at, at);
    assert.ok(await t.db('audit_log').where({ event: 'affiliation_validated', account_id: staffId }).first());

    // The employee's email: member number and the way to « Activer mon espace ».
    const mail = await lastMessageTo(t.db, 'ines.haddad@exemple.fr');
    assert.match(mail.subject, /^Votre affiliation est validée/);
    assertIncludes(mail.body_text, 'Bonjour Inès Haddad,');
    assertIncludes(mail.body_text, 'Votre affiliation au contrat frais de santé de Verdier Test Immobilier est validée, à compter du 01/12/2026.');
    assertIncludes(mail.body_text, `Votre numéro d'adhérent : ${member.member_number}.`);
    assertIncludes(mail.body_text, `Activer mon espace : ${t.config.publicUrl}/assure`);
    // HR is notified.
    const notification = await t.db('notifications').where({ account_id: hr.id, kind: 'affiliation_validated' }).orderBy('id', 'desc').first();
    assert.equal(notification.title, 'Affiliation validée');
    assert.equal(notification.body, `L'affiliation d'Inès Haddad est validée par l'assureur (adhérent n° ${member.member_number}).`);
    assert.equal(notification.link, '/entreprise/suivi-affiliations');
    assert.equal(notification.read_at, null);

    // The list says so; the detail shows the decision instead of the forms.
    const list = textOf((await staff.get(BASE).expect(200)).text);
    assertIncludes(
      list,
      `L'affiliation d'Inès Haddad est validée : adhérent n° ${member.member_number}. Un e-mail lui a été envoyé et l'entreprise en est informée.`,
    );
    const detail = textOf((await staff.get(`${BASE}/${req.id}`).expect(200)).text);
    assertIncludes(detail, `Validée le 22/11/2026 par Claire Martin.`);
    // The télétransmission activations wait in the staff inbox.
    const inbox = decoded((await staff.get('/gestion/teletransmission').expect(200)).text);
    for (const r of dt) assertIncludes(inbox, r.reference, `${r.reference} in the staff inbox`);
    assertIncludes(detail, `Numéro d'adhérent : ${member.member_number}`);
    assertIncludes(detail, `Affiliation validée par ${t.config.brand.name} · Claire Martin (Gestion)`);
    assertExcludes(detail, 'Refuser la demande');

    // « Activer mon espace » with the email on file, up to the Espace Assuré.
    const b = await ipBrowser(t.app, '/assure/activation', '203.0.113.77');
    assert.equal((await b.post('/assure/activation', { email: 'ines.haddad@exemple.fr' })).headers.location, '/assure/activation/code');
    assert.equal((await b.post('/assure/activation/envoyer', { channel: 'email' })).status, 303);
    const code = codeIn((await lastMessageTo(t.db, 'ines.haddad@exemple.fr')).body_text);
    assert.equal((await b.post('/assure/activation/code', { code })).headers.location, '/assure/activation/mot-de-passe');
    assert.equal(
      (await b.post('/assure/activation/mot-de-passe', { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD })).headers.location,
      '/assure',
    );
    const account = await t.db('accounts').where({ kind: 'member', email: 'ines.haddad@exemple.fr' }).first();
    assert.equal(account.member_id, member.id);
    assert.equal(account.mobile, '+33612340777');
    const memberAgent = await loginAs(t.app, t.db, 'assure', 'ines.haddad@exemple.fr', NEW_PASSWORD, { 'X-Forwarded-For': '203.0.113.78' });
    const home = await memberAgent.get('/assure/accueil').expect(200);
    assertIncludes(textOf(home.text), 'Inès');
  });

  test('without télétransmission every beneficiary is « inactive » and no request waits for the back office', async () => {
    const req = await finalized({
      teletransmission: false,
      beneficiaries: [{ relationship: 'enfant', sex: 'M', lastName: 'Petit', firstName: 'Tom', birthDate: '2015-05-05', nir: null }],
    });
    assert.equal((await post(`${BASE}/${req.id}/valider`)).status, 303);
    const { member_id } = await t.db('affiliation_requests').where({ id: req.id }).first();
    const rows = await t.db('beneficiaries').where({ member_id });
    assert.deepEqual(
      rows.map((b) => [b.relationship, b.teletransmission_status, b.teletransmission_since]),
      [
        ['assure', 'inactive', null],
        ['enfant', 'inactive', null],
      ],
    );
    assert.equal(
      await t
        .db('teletransmission_events')
        .whereIn(
          'beneficiary_id',
          rows.map((b) => b.id),
        )
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      0,
    );
  });

  test('a NIR that is already a member: the member is reused and gets the new affiliation', async () => {
    const former = await addEmployee(t.db, company, company.establishments[0], {
      start: '2020-01-01',
      end: '2024-06-30',
      firstName: 'Paul',
      lastName: 'Ancien',
    });
    const formerRow = await t.db('members').where({ id: former.memberId }).first();
    await t.db('beneficiaries').insert({
      member_id: former.memberId,
      relationship: 'assure',
      sex: 'M',
      last_name: 'Ancien',
      first_name: 'Paul',
      birth_date: '1985-05-10',
      nir: formerRow.nir,
      fund_code: '011751234',
      teletransmission_status: 'inactive',
      on_card: false,
      start_date: '2020-01-01',
      end_date: '2024-06-30',
      created_at: '2020-01-01T00:00:00.000Z',
      updated_at: '2020-01-01T00:00:00.000Z',
    });
    await t.db('members').where({ id: former.memberId }).update({ email: 'paul.ancien@exemple.fr', iban: 'FR7630004000310001234567814' });
    const req = await finalized({ sex: 'M', firstName: 'Paul', lastName: 'Ancien', birthDate: '1985-05-10', nir: formerRow.nir, teletransmission: false });
    const detail = textOf((await staff.get(`${BASE}/${req.id}`).expect(200)).text);
    assertIncludes(
      detail,
      `Ce salarié est déjà connu comme adhérent n° ${formerRow.member_number} : la validation ajoute cette affiliation à son dossier au lieu d'en créer un nouveau.`,
    );
    const membersBefore = await count('members');
    assert.equal((await post(`${BASE}/${req.id}/valider`)).status, 303);
    assert.equal(await count('members'), membersBefore, 'no duplicate member');
    const decided = await t.db('affiliation_requests').where({ id: req.id }).first();
    assert.equal(decided.member_id, former.memberId);
    const affiliations = await t.db('affiliations').where({ member_id: former.memberId }).orderBy('id');
    assert.deepEqual(
      affiliations.map((a) => [a.start_date, a.end_date]),
      [
        ['2020-01-01', '2024-06-30'],
        ['2026-12-01', null],
      ],
    );
    const beneficiaries = await t.db('beneficiaries').where({ member_id: former.memberId });
    assert.equal(beneficiaries.length, 1, 'the member is not listed twice on their card');
    assert.deepEqual([beneficiaries[0].end_date, Boolean(beneficiaries[0].on_card), beneficiaries[0].fund_code], [null, true, '013331234']);
    const member = await t.db('members').where({ id: former.memberId }).first();
    assert.equal(member.address_line1, '12 rue Sainte-Catherine', 'the address the employee just gave');
    assert.equal(member.email, req.email);
    const mail = await lastMessageTo(t.db, req.email!);
    assertIncludes(mail.body_text, `Votre numéro d'adhérent : ${formerRow.member_number}.`);
    // The bank details and the email on file were replaced: the old address is told, the change audited.
    const notice = await lastMessageTo(t.db, 'paul.ancien@exemple.fr');
    assertIncludes(notice.subject, 'Vos coordonnées ont été mises à jour');
    assertIncludes(notice.body_text, 'vos coordonnées bancaires et votre adresse e-mail');
    assert.ok(await t.db('audit_log').where({ event: 'iban_changed', account_id: staffId }).first());

    // HR said « déjà affilié » (previous_member_id) but the form is someone else's (another NIR):
    // that member's file is left alone and a new member is made.
    const pointed = await addEmployee(t.db, company, company.establishments[0], { start: '2019-01-01', end: '2023-01-31', lastName: 'Pointé' });
    const pointedBefore = await t.db('members').where({ id: pointed.memberId }).first();
    const second = await finalized({ sex: 'M', firstName: 'Paul', lastName: 'Pointé', previousMemberId: pointed.memberId });
    assert.equal((await post(`${BASE}/${second.id}/valider`)).status, 303);
    assert.notEqual((await t.db('affiliation_requests').where({ id: second.id }).first()).member_id, pointed.memberId);
    assert.deepEqual(await t.db('members').where({ id: pointed.memberId }).first(), pointedBefore, "the pointed member's file is untouched");
    assert.equal(await count('members'), membersBefore + 2, 'the one addEmployee made, and the new member');
  });

  test('a NIR already held by a member with another birth date: validation refused, nothing written', async () => {
    const holder = await addEmployee(t.db, company, company.establishments[0], { start: '2020-01-01', end: '2024-06-30', lastName: 'Titulaire' });
    const holderRow = await t.db('members').where({ id: holder.memberId }).first();
    const req = await finalized({ sex: 'M', firstName: 'Paul', lastName: 'Autre', birthDate: '1985-06-11', nir: holderRow.nir, teletransmission: false });
    const detail = textOf((await staff.get(`${BASE}/${req.id}`).expect(200)).text);
    assertIncludes(detail, `L'adhérent n° ${holderRow.member_number} a déjà ce numéro de Sécurité sociale, avec une autre date de naissance`);
    const membersBefore = await count('members');
    const res = await post(`${BASE}/${req.id}/valider`);
    assert.equal(res.status, 409);
    assert.equal(await count('members'), membersBefore);
    assert.equal((await t.db('affiliation_requests').where({ id: req.id }).first()).decision, null);
    assert.deepEqual(await t.db('members').where({ id: holder.memberId }).first(), holderRow);
  });

  test('a form that cannot make a member, or a collège without contract: a French message, nothing written', async () => {
    const courrier = await finalized({ withoutForm: true });
    const detail = textOf((await staff.get(`${BASE}/${courrier.id}`).expect(200)).text);
    assertIncludes(detail, "Aucun formulaire en ligne n'a été reçu pour cette demande (mode Courrier).");
    assertIncludes(detail, "Le formulaire d'affiliation du salarié n'a pas été reçu en ligne");
    assertExcludes(detail, ">Valider l'affiliation</button>");
    const res = await post(`${BASE}/${courrier.id}/valider`);
    assert.equal(res.status, 409);
    assertIncludes(textOf(res.text), "Le formulaire d'affiliation du salarié n'a pas été reçu en ligne");
    assert.equal((await t.db('affiliation_requests').where({ id: courrier.id }).first()).decision, null);

    const noCadre = await createHrCompany(t.db, 'Sans Cadres', 1);
    await t.db('contracts').where({ id: noCadre.contracts.cadre }).del();
    const membersBefore = await count('members');
    const req = await finalized({ company: noCadre, professionalStatus: 'cadre' });
    const refused = await post(`${BASE}/${req.id}/valider`);
    assert.equal(refused.status, 409);
    assertIncludes(textOf(refused.text), "Aucun contrat de l'entreprise ne couvre le collège « Cadre » au 01/12/2026");
    assert.equal((await t.db('affiliation_requests').where({ id: req.id }).first()).decision, null);
    assert.equal(await count('members'), membersBefore);
  });
});

describe('« Refuser »', () => {
  test('a reason is required (message beside the field, value kept), then the refusal is emailed and HR notified', async () => {
    const req = await finalized({ firstName: 'Hugo', lastName: 'Refusé' });
    const empty = await post(`${BASE}/${req.id}/refuser`, { motif: '   ' });
    assert.equal(empty.status, 422);
    const html = decoded(empty.text);
    assert.match(
      html,
      /<p class="error-message" id="motif-error"><span class="visually-hidden">Erreur : <\/span>Indiquez le motif du refus : il sera envoyé au salarié.<\/p>\s*<textarea id="motif"[^>]*aria-invalid="true"/,
    );
    assertIncludes(html, 'aria-describedby="motif-hint motif-error"');
    assertIncludes(html, '<html', 'without JS the whole page comes back');

    const long = 'Trop long. '.repeat(100);
    const tooLong = await post(`${BASE}/${req.id}/refuser`, { motif: long }, { 'HX-Request': 'true' });
    assert.equal(tooLong.status, 422);
    assert.ok(tooLong.text.trimStart().startsWith('<section id="decision"'), 'htmx gets the decision block alone');
    assertIncludes(decoded(tooLong.text), DECISION_MESSAGES.reasonTooLong);
    assertIncludes(decoded(tooLong.text), `>${long}</textarea>`, 'value kept');
    assert.equal((await t.db('affiliation_requests').where({ id: req.id }).first()).decision, null);

    const reason = "L'attestation de droits est illisible : merci d'en transmettre une lisible à votre service RH.";
    const done = await post(`${BASE}/${req.id}/refuser`, { motif: `  ${reason}  ` }, { 'HX-Request': 'true' });
    assert.equal(done.status, 204);
    assert.equal(done.headers['hx-redirect'], BASE);
    const row = await t.db('affiliation_requests').where({ id: req.id }).first();
    assert.deepEqual(
      [row.decision, row.decision_reason, row.decided_by_account_id, row.decided_at, row.member_id],
      ['refused', reason, staffId, t.clock.now.toISOString(), null],
    );
    assert.ok(await t.db('affiliation_request_events').where({ request_id: req.id, kind: 'refused', account_id: staffId }).first());
    assert.ok(await t.db('audit_log').where({ event: 'affiliation_refused', account_id: staffId }).first());
    const mail = await lastMessageTo(t.db, req.email!);
    assert.match(mail.subject, /^Votre demande d'affiliation n'a pas pu être validée/);
    assertIncludes(mail.body_text, 'Bonjour Hugo Refusé,');
    assertIncludes(mail.body_text, reason);
    const notification = await t.db('notifications').where({ account_id: hr.id, kind: 'affiliation_refused' }).orderBy('id', 'desc').first();
    assert.equal(notification.title, 'Affiliation refusée');
    assert.equal(notification.body, `L'affiliation d'Hugo Refusé a été refusée par l'assureur. Motif : ${reason}`);
    assert.equal(notification.link, '/entreprise/suivi-affiliations');
    const list = textOf((await staff.get(BASE).expect(200)).text);
    assertIncludes(list, "La demande d'Hugo Refusé est refusée. Le motif lui a été envoyé par e-mail et l'entreprise en est informée.");
    const detail = textOf((await staff.get(`${BASE}/${req.id}`).expect(200)).text);
    assertIncludes(detail, `Refusée le 22/11/2026 par Claire Martin. Motif du refus : ${reason}`);
  });
});

describe('one decision only', () => {
  test('a decided request cannot be decided again (French message, nothing changes)', async () => {
    const refusedReq = await finalized();
    assert.equal((await post(`${BASE}/${refusedReq.id}/refuser`, { motif: 'Dossier incomplet.' })).status, 303);
    const membersBefore = await count('members');
    const again = await post(`${BASE}/${refusedReq.id}/valider`);
    assert.equal(again.status, 409);
    assertIncludes(textOf(again.text), DECISION_MESSAGES.alreadyDecided('refused'));
    assert.equal(await count('members'), membersBefore);

    const validatedReq = await finalized();
    assert.equal((await post(`${BASE}/${validatedReq.id}/valider`)).status, 303);
    const refuseAfter = await post(`${BASE}/${validatedReq.id}/refuser`, { motif: 'Trop tard' });
    assert.equal(refuseAfter.status, 409);
    assertIncludes(textOf(refuseAfter.text), DECISION_MESSAGES.alreadyDecided('validated'));
    const row = await t.db('affiliation_requests').where({ id: validatedReq.id }).first();
    assert.deepEqual([row.decision, row.decision_reason], ['validated', null]);
  });

  test('two clicks at once make one member', async () => {
    const req = await finalized();
    const token = await tokenFrom(staff, '/gestion/accueil');
    const membersBefore = await count('members');
    const answers = await Promise.all([1, 2].map(() => staff.post(`${BASE}/${req.id}/valider`).type('form').send({ _csrf: token })));
    assert.deepEqual(answers.map((a) => a.status).sort(), [303, 409]);
    assert.equal(await count('members'), membersBefore + 1);
    assert.equal(await count('affiliation_request_events', { request_id: req.id, kind: 'validated' }), 1);
  });
});

describe('the whole journey', () => {
  test('the employee transmits the online form with documents, the insurer validates', async () => {
    // The pré-affiliation as the wizard leaves it (the wizard has its own tests): its link.
    const { id: requestId, token } = await createAffiliationRequest(t.db, t.clock(), {
      company,
      createdBy: hr.id,
      email: 'lea.parcours@exemple.fr',
      lastName: 'Parcours',
    });
    const sentRow = await t.db('affiliation_requests').where({ id: requestId }).first();
    const nir = sentRow.nir + String(nirKey(sentRow.nir)).padStart(2, '0');
    const link = `/affiliation/${token}`;
    const employee = request.agent(t.app);
    const dobToken = await tokenFrom(employee, link);
    assert.equal((await employee.post(link).type('form').send({ _csrf: dobToken, date_naissance: '17/04/1992' })).status, 303);
    const formToken = await tokenFrom(employee, `${link}/formulaire`);
    const fields: Record<string, string> = {
      civilite: 'F',
      nom: 'Parcours',
      prenom: 'Léa',
      date_naissance: '17/04/1992',
      nir,
      adresse1: '3 cours de l\u2019Intendance',
      code_postal: '33000',
      ville: 'Bordeaux',
      email: 'lea.perso@exemple.fr',
      mobile: '06 12 34 56 79',
      iban: 'FR76 3000 6000 0112 3456 7890 189',
      titulaire: 'Léa Parcours',
      code_organisme: '013310000',
      teletransmission: 'oui',
      consentement: 'oui',
      action: 'transmettre',
      enfant1_nom: 'Parcours',
      enfant1_prenom: 'Jules',
      enfant1_sexe: 'M',
      enfant1_date_naissance: '15/06/2021',
    };
    let form = employee.post(`${link}/formulaire`).field('_csrf', formToken);
    for (const [name, value] of Object.entries(fields)) form = form.field(name, value);
    const sent = await form.attach('document_rib', PDF_BYTES, 'rib.pdf').attach('document_attestation', PDF_BYTES, 'attestation.pdf');
    assert.equal(sent.status, 303, textOf(sent.text).slice(0, 800));
    const row = await t.db('affiliation_requests').where({ id: requestId }).first();
    assert.equal(row.status, 'finalized');

    const detail = decoded((await staff.get(`${BASE}/${row.id}`).expect(200)).text);
    const docs = [...detail.matchAll(/href="(\/gestion\/affiliations\/\d+\/documents\/\d+)"/g)].map((m) => m[1]);
    assert.equal(docs.length, 2);
    for (const href of docs) assert.equal((await staff.get(href).expect(200)).headers['content-type'], 'application/pdf');

    assert.equal((await post(`${BASE}/${row.id}/valider`)).status, 303);
    const decided = await t.db('affiliation_requests').where({ id: row.id }).first();
    const member = await t.db('members').where({ id: decided.member_id }).first();
    assert.deepEqual(
      [member.nir, member.email, member.mobile, member.iban, member.address_line1],
      [nir, 'lea.perso@exemple.fr', '+33612345679', 'FR7630006000011234567890189', '3 cours de l\u2019Intendance'],
    );
    const family = await t.db('beneficiaries').where({ member_id: member.id }).orderBy('id');
    assert.deepEqual(
      family.map((b) => [b.relationship, b.first_name, b.attached_nir, b.fund_code, b.teletransmission_status]),
      [
        ['assure', 'Léa', null, '013310000', 'activation_requested'],
        ['enfant', 'Jules', member.nir, '013310000', 'activation_requested'],
      ],
    );
    assertIncludes((await lastMessageTo(t.db, 'lea.perso@exemple.fr')).body_text, `Votre numéro d'adhérent : ${member.member_number}.`);
  });
});

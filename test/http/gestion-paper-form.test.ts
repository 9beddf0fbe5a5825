// « Saisir le bulletin papier » (Espace Gestion): staff type the paper form of a request in mode
// Courrier — the same fields, checks and documents as the online form — and the request becomes
// « Finalisé par le salarié » with its event, HR's notification and the audit entry; it then
// waits in « Validation des affiliations » and « Valider » makes the member. Errors come back
// beside each field with the values and documents kept; only Courrier requests still with the
// employee may be typed; only staff reach the pages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { createAccount, decoded, loginAs, textOf, tokenFrom } from '../helpers/fixtures.js';
import { createAffiliationRequest } from '../helpers/affiliation-requests.js';
import { PDF_BYTES, PNG_BYTES } from '../helpers/finalized-requests.js';
import { makeFrenchIban } from '../../src/domain/iban.js';
import { nirKey } from '../../src/domain/nir.js';
import { FORM_TEXTS, STAFF_FORM_TEXTS } from '../../src/affiliation-requests/form-check.js';
import { PAPER_TEXTS } from '../../src/gestion/affiliations/paper.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const BASE = '/gestion/affiliations';
type Agent = Awaited<ReturnType<typeof loginAs>>;
let t: TestContext;
let company: TestCompany;
let hr: { id: number; email: string };
let staffId: number;
let staff: Agent;
let hrAgent: Agent;

const paperPath = (id: number) => `${BASE}/${id}/bulletin-papier`;

async function courrier(
  options: { status?: 'sent' | 'started' | 'finalized' | 'cancelled' | 'abandoned'; mode?: 'email' | 'courrier'; lastName?: string } = {},
) {
  const { id } = await createAffiliationRequest(t.db, t.clock(), {
    company,
    mode: options.mode ?? 'courrier',
    status: options.status ?? 'sent',
    createdBy: hr.id,
    lastName: options.lastName,
  });
  const row = await t.db('affiliation_requests').where({ id }).first('nir', 'last_name');
  return { id, nir15: row.nir + String(nirKey(row.nir)).padStart(2, '0'), lastName: row.last_name as string };
}

/** What the employee wrote on the paper form (the request helper's birth date is 17/04/1992). */
function paperFields(nir15: string, lastName: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    civilite: 'F',
    nom: lastName,
    prenom: 'Léa',
    date_naissance: '17/04/1992',
    nir: nir15,
    adresse1: '4 cours de l’Intendance',
    code_postal: '33000',
    ville: 'Bordeaux',
    mobile: '06 12 34 56 78',
    iban: makeFrenchIban('30004', '00031', '00012345678'),
    titulaire: `Léa ${lastName}`,
    code_organisme: '013310000',
    enfant1_nom: lastName,
    enfant1_prenom: 'Hugo',
    enfant1_date_naissance: '03/09/2019',
    enfant1_sexe: 'M',
    teletransmission: 'non',
    confirmation_papier: 'oui',
    action: 'enregistrer',
    ...overrides,
  };
}

async function sendPaper(agent: Agent, id: number, fields: Record<string, string>, files: Record<string, [Buffer, string]> = {}) {
  const token = await tokenFrom(agent, '/gestion/accueil');
  let req = agent.post(paperPath(id)).field('_csrf', token);
  for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
  for (const [name, [content, filename]] of Object.entries(files)) req = req.attach(name, content, filename);
  return req;
}

const BOTH_DOCUMENTS: Record<string, [Buffer, string]> = { document_rib: [PDF_BYTES, 'rib.pdf'], document_attestation: [PNG_BYTES, 'attestation.png'] };

/** The error message printed next to a field (the field partial's `<id>-error`). */
function errorAt(html: string, field: string): string | null {
  const match = decoded(html).match(new RegExp(`id="${field}-error"><span class="visually-hidden">Erreur : </span>([^<]*)<`));
  return match ? match[1] : null;
}

function inputValue(html: string, field: string): string | null {
  const match = decoded(html).match(new RegExp(`<input id="${field}" name="${field}"[^>]*value="([^"]*)"`));
  return match ? match[1] : null;
}

before(async () => {
  t = await makeTestApp({ TRUST_PROXY: 'true' });
  company = await createHrCompany(t.db, 'Papier Test Industrie', 1);
  hr = await createHrUser(t.db, [{ company, role: 'admin' }], { firstName: 'Eugénie' });
  const account = await createAccount(t.db, { kind: 'staff', email: 'agent.papier@exemple.fr', mobile: '+33639980931', firstName: 'Claire' });
  staffId = account.id;
  staff = await loginAs(t.app, t.db, 'gestion', account.email);
  hrAgent = await loginAs(t.app, t.db, 'entreprise', hr.email);
});
after(async () => t.close());

describe('typing a paper bulletin', () => {
  test('the list links to it; saving finalizes the request, stores the documents, tells HR; « Valider » then creates the member', async () => {
    const req = await courrier({ lastName: 'Papillon' });
    const list = decoded((await staff.get(`${BASE}?statut=papier`).expect(200)).text);
    assert.match(list, /aria-current="page">Bulletins papier à saisir <span class="badge">\d+<\/span>/);
    assertIncludes(list, `href="${paperPath(req.id)}">Saisir le bulletin papier`, 'line 100');

    const page = await staff.get(paperPath(req.id)).expect(200);
    const html = decoded(page.text);
    assertIncludes(html, '<h1>Saisir le bulletin papier</h1>', 'line 104');
    // The same sections as the employee's online form, pre-filled from the pré-affiliation.
    for (const legend of [
      'Identité',
      'Adresse',
      'Contact',
      'Coordonnées bancaires pour vos remboursements',
      'Bénéficiaires',
      'Télétransmission',
      'Justificatifs',
    ]) {
      assertIncludes(html, `<legend>${legend}</legend>`, legend);
    }
    assert.equal(inputValue(page.text, 'nom'), 'Papillon');
    assert.equal(inputValue(page.text, 'date_naissance'), '17/04/1992');
    assertIncludes(html, 'name="confirmation_papier"', 'line 111');

    const res = await sendPaper(staff, req.id, paperFields(req.nir15, 'Papillon'), BOTH_DOCUMENTS);
    assert.equal(res.status, 303, textOf(res.text).slice(0, 800));
    assert.equal(res.headers.location, `${BASE}/${req.id}`);

    const row = await t.db('affiliation_requests').where({ id: req.id }).first();
    assert.equal(row.status, 'finalized');
    assert.equal(row.mode, 'courrier');
    assert.ok(row.submitted_at, 'line 120');
    const stored = JSON.parse(row.form_data);
    assert.equal(stored.identity.nir, req.nir15);
    assert.equal(stored.fundCode, '013310000');
    assert.equal(stored.beneficiaries.length, 1);
    assert.equal(stored.fields.code_postal, '33000');

    const documents = await t.db('affiliation_request_documents').where({ request_id: req.id }).orderBy('id');
    assert.deepEqual(
      documents.map((d) => [d.kind, d.original_name, d.mime]),
      [
        ['rib', 'rib.pdf', 'application/pdf'],
        ['attestation_droits', 'attestation.png', 'image/png'],
      ],
    );
    for (const d of documents) assert.ok(fs.existsSync(path.join(t.config.uploadDir, 'affiliations', d.stored_name)), d.stored_name);

    const event = await t.db('affiliation_request_events').where({ request_id: req.id, kind: 'paper_entered' }).first();
    assert.equal(event.account_id, staffId);
    const notification = await t.db('notifications').where({ account_id: hr.id, kind: 'affiliation_finalized' }).orderBy('id', 'desc').first();
    assert.match(notification.body, /Le bulletin d'affiliation papier de Léa Papillon a été reçu et saisi par l'assureur/);
    assert.equal(notification.link, `/entreprise/suivi-affiliations/${req.id}`);
    const audit = await t.db('audit_log').where({ event: 'affiliation_paper_entered', account_id: staffId }).orderBy('id', 'desc').first();
    assert.equal(JSON.parse(audit.detail).request, req.id);

    // In the validation list like an online one, and the detail says where it came from.
    const waiting = decoded((await staff.get(BASE).expect(200)).text);
    assertIncludes(waiting, `href="${BASE}/${req.id}">Léa Papillon</a>`, waiting.split('<tbody>')[1]?.slice(0, 600));
    const detail = decoded((await staff.get(`${BASE}/${req.id}`).expect(200)).text);
    assertIncludes(detail, "Formulaire saisi par l'assureur à partir du bulletin d'affiliation papier signé par le salarié (mode Courrier)", 'line 143');
    const agent = await t.db('accounts').where({ id: staffId }).first('first_name', 'last_name');
    assertIncludes(detail, `par ${agent.first_name} ${agent.last_name}.`, 'who typed it');
    assertIncludes(detail, `Bulletin d'affiliation papier reçu et saisi par ${t.config.brand.name}`, 'line 145');
    // The page is closed once typed.
    await staff.get(paperPath(req.id)).expect(404);
    // HR sees it in the request's history.
    const hrDetail = decoded((await hrAgent.get(`/entreprise/suivi-affiliations/${req.id}`).expect(200)).text);
    assertIncludes(hrDetail, "Bulletin d'affiliation papier reçu et saisi par", 'line 151');

    const token = await tokenFrom(staff, `${BASE}/${req.id}`);
    const validated = await staff.post(`${BASE}/${req.id}/valider`).type('form').send({ _csrf: token });
    assert.equal(validated.status, 303, textOf(validated.text).slice(0, 800));
    const after = await t.db('affiliation_requests').where({ id: req.id }).first();
    assert.equal(after.decision, 'validated');
    const member = await t.db('members').where({ id: after.member_id }).first();
    assert.equal(member.nir, req.nir15);
    assert.equal(member.last_name, 'Papillon');
    const family = await t.db('beneficiaries').where({ member_id: member.id }).orderBy('id');
    assert.deepEqual(
      family.map((b) => [b.relationship, b.first_name]),
      [
        ['assure', 'Léa'],
        ['enfant', 'Hugo'],
      ],
    );
    assert.equal(
      await t
        .db('affiliations')
        .where({ member_id: member.id, contract_id: company.contracts.non_cadre })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      1,
    );
  });

  test('errors beside each field, values and documents kept, nothing finalized; then completed', async () => {
    const req = await courrier({ lastName: 'Erreurs' });
    const res = await sendPaper(
      staff,
      req.id,
      paperFields(req.nir15, 'Erreurs', { code_postal: '3300', iban: 'FR76 1234', ville: '', confirmation_papier: '', adresse2: 'Bâtiment B' }),
      { document_rib: [PDF_BYTES, 'rib-scan.pdf'] },
    );
    assert.equal(res.status, 422);
    assert.ok(errorAt(res.text, 'code_postal'), 'postal code error');
    assert.ok(errorAt(res.text, 'iban'), 'iban error');
    assert.equal(errorAt(res.text, 'ville'), FORM_TEXTS.city);
    assert.equal(errorAt(res.text, 'document_attestation'), FORM_TEXTS.attestation);
    assert.equal(errorAt(res.text, 'confirmation_papier'), PAPER_TEXTS.confirmation);
    assertIncludes(decoded(res.text), 'class="error-summary"', 'line 180');
    assert.equal(inputValue(res.text, 'code_postal'), '3300');
    assert.equal(inputValue(res.text, 'adresse2'), 'Bâtiment B');
    assert.equal(inputValue(res.text, 'nir'), req.nir15);
    // The RIB received is kept and listed; its input is closed.
    assertIncludes(decoded(res.text), 'rib-scan.pdf', 'line 185');
    assertExcludes(res.text, 'name="document_rib"', 'line 186');
    const row = await t.db('affiliation_requests').where({ id: req.id }).first();
    assert.equal(row.status, 'sent');
    assert.equal(
      await t
        .db('affiliation_request_events')
        .where({ request_id: req.id, kind: 'paper_entered' })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      0,
    );
    // Reopened later, the typing is still there.
    const again = await staff.get(paperPath(req.id)).expect(200);
    assert.equal(inputValue(again.text, 'adresse2'), 'Bâtiment B');

    const done = await sendPaper(staff, req.id, paperFields(req.nir15, 'Erreurs'), { document_attestation: [PDF_BYTES, 'attestation.pdf'] });
    assert.equal(done.status, 303, textOf(done.text).slice(0, 800));
    assert.equal((await t.db('affiliation_requests').where({ id: req.id }).first()).status, 'finalized');
    assert.equal(
      await t
        .db('affiliation_request_documents')
        .where({ request_id: req.id })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      2,
    );
  });

  test('the messages are worded for staff: a birth date other than the pre-affiliation’s, a missing name; a too-long name is refused too', async () => {
    const req = await courrier({ lastName: 'Redaction' });
    const res = await sendPaper(
      staff,
      req.id,
      paperFields(req.nir15, 'Redaction', { date_naissance: '18/04/1992', prenom: '', ville: 'V'.repeat(101) }),
      BOTH_DOCUMENTS,
    );
    assert.equal(res.status, 422);
    assert.equal(errorAt(res.text, 'date_naissance'), STAFF_FORM_TEXTS.birthDateChanged);
    assertExcludes(decoded(res.text), FORM_TEXTS.birthDateChanged, 'not the words written for the employee');
    assertExcludes(decoded(res.text), 'votre pré-affiliation', 'no « votre pré-affiliation » addressed to staff');
    assert.equal(errorAt(res.text, 'prenom'), 'Saisissez le prénom du salarié.');
    assert.equal(errorAt(res.text, 'ville'), FORM_TEXTS.tooLong('ville', 100));
    assert.equal(inputValue(res.text, 'ville'), 'V'.repeat(101), 'the value is kept, not cut');
    assert.equal((await t.db('affiliation_requests').where({ id: req.id }).first()).status, 'sent');
  });

  test('a document that is not PDF, JPEG or PNG is refused with the reason, and nothing is stored', async () => {
    const req = await courrier({ lastName: 'Fichier' });
    const res = await sendPaper(staff, req.id, paperFields(req.nir15, 'Fichier'), {
      document_rib: [Buffer.from('MZ\x90\x00 not a document at all', 'latin1'), 'rib.pdf'],
      document_attestation: [PDF_BYTES, 'attestation.pdf'],
    });
    assert.equal(res.status, 422);
    const message = decoded(res.text).match(/id="documents-error"><span class="visually-hidden">Erreur : <\/span>([^<]*)</)?.[1] ?? '';
    assert.match(message, /« rib\.pdf » n'est pas accepté : formats possibles PDF, JPEG, PNG/);
    assert.equal(inputValue(res.text, 'nom'), 'Fichier');
    assert.equal(
      await t
        .db('affiliation_request_documents')
        .where({ request_id: req.id })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      0,
    );
    assert.equal((await t.db('affiliation_requests').where({ id: req.id }).first()).status, 'sent');
  });

  test('« Retirer » removes a document received; « Enregistrer ma saisie » keeps the typing without finalizing', async () => {
    const req = await courrier({ lastName: 'Retrait' });
    const res = await sendPaper(staff, req.id, paperFields(req.nir15, 'Retrait', { action: 'brouillon' }), { document_rib: [PDF_BYTES, 'mauvais-rib.pdf'] });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, paperPath(req.id));
    const doc = await t.db('affiliation_request_documents').where({ request_id: req.id }).first();
    assert.equal(doc.original_name, 'mauvais-rib.pdf');
    assert.equal((await t.db('affiliation_requests').where({ id: req.id }).first()).status, 'sent');
    const removed = await sendPaper(staff, req.id, { ...paperFields(req.nir15, 'Retrait'), retirer: String(doc.id) });
    assert.equal(removed.status, 303);
    assert.equal(
      await t
        .db('affiliation_request_documents')
        .where({ request_id: req.id })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      0,
    );
    assert.ok(!fs.existsSync(path.join(t.config.uploadDir, 'affiliations', doc.stored_name)), 'line 225');
    assert.equal((await t.db('affiliation_requests').where({ id: req.id }).first()).status, 'sent');
  });
});

describe('wording', () => {
  test("« bulletin papier d'Anne Martin »: the name elided after « de », in the list, the title and the message", async () => {
    const { id } = await createAffiliationRequest(t.db, t.clock(), {
      company,
      mode: 'courrier',
      status: 'sent',
      createdBy: hr.id,
      firstName: 'Anne',
      lastName: 'Martin',
    });
    const list = decoded((await staff.get(`${BASE}?statut=papier`).expect(200)).text);
    assertIncludes(list, `href="${paperPath(id)}">Saisir le bulletin papier<span class="visually-hidden"> d'Anne Martin</span>`, 'the list');
    const page = decoded((await staff.get(paperPath(id)).expect(200)).text);
    assertIncludes(page, "<title>Saisir le bulletin papier d'Anne Martin", 'the title');
    assert.ok(!page.includes('de Anne') && !list.includes('de Anne'));
    assert.equal(PAPER_TEXTS.saved('Anne Martin').startsWith("Le bulletin papier d'Anne Martin est enregistré"), true);
  });
});

describe('which requests', () => {
  test('mode Email, or a Courrier request finalized, cancelled or abandoned → 404, on GET and POST', async () => {
    const closed = [
      await courrier({ mode: 'email' }),
      await courrier({ mode: 'email', status: 'started' }),
      await courrier({ status: 'finalized' }),
      await courrier({ status: 'cancelled' }),
      await courrier({ status: 'abandoned' }),
    ];
    for (const req of closed) {
      await staff.get(paperPath(req.id)).expect(404);
      const res = await sendPaper(staff, req.id, paperFields(req.nir15, req.lastName), BOTH_DOCUMENTS);
      assert.equal(res.status, 404);
      assert.equal(
        await t
          .db('affiliation_request_documents')
          .where({ request_id: req.id })
          .count({ n: '*' })
          .first()
          .then((r) => Number(r?.n)),
        0,
      );
    }
    await staff.get(paperPath(999999)).expect(404);
    await staff.get(`${BASE}/abc/bulletin-papier`).expect(404);
    // A Courrier request the HR side left at « Démarré » can still be typed.
    const started = await courrier({ status: 'started' });
    await staff.get(paperPath(started.id)).expect(200);
    // The paper list holds only Courrier requests still with the employee.
    const list = decoded((await staff.get(`${BASE}?statut=papier`).expect(200)).text);
    for (const req of closed) assertExcludes(list, paperPath(req.id), `request ${req.id} listed`);
    assertIncludes(list, paperPath(started.id), 'line 247');
  });
});

describe('access', () => {
  test('anonymous → the Gestion login; HR user and member → 403; no CSRF token → 403', async () => {
    const req = await courrier();
    const anonymous = [
      await request(t.app).get(paperPath(req.id)),
      await request(t.app).post(paperPath(req.id)).field('action', 'enregistrer').attach('document_rib', PDF_BYTES, 'rib.pdf'),
    ];
    for (const res of anonymous) {
      assert.equal(res.status, 303);
      assert.equal(res.headers.location, '/gestion');
    }
    const member = await createAccount(t.db, { kind: 'member', mobile: '+33639980932' });
    const memberAgent = await loginAs(t.app, t.db, 'assure', member.email);
    for (const agent of [memberAgent, hrAgent]) {
      await agent.get(paperPath(req.id)).expect(403);
      await agent.get(`${BASE}?statut=papier`).expect(403);
      const token = await tokenFrom(agent, agent === hrAgent ? '/entreprise/accueil' : '/assure/accueil');
      const res = await agent.post(paperPath(req.id)).field('_csrf', token).field('action', 'enregistrer').attach('document_rib', PDF_BYTES, 'rib.pdf');
      assert.equal(res.status, 403);
    }
    const noToken = await staff.post(paperPath(req.id)).field('action', 'enregistrer').attach('document_rib', PDF_BYTES, 'rib.pdf');
    assert.equal(noToken.status, 403);
    assert.equal(
      await t
        .db('affiliation_request_documents')
        .where({ request_id: req.id })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      0,
    );
    assert.equal((await t.db('affiliation_requests').where({ id: req.id }).first()).status, 'sent');
  });
});

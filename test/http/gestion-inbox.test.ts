// The staff inbox of the Espace Gestion: the Tableau de bord's queues, the
// inbox's filters, order and paging, a request's and a thread's page with every action and its
// refusals (French messages beside the fields, values kept), a stale action (someone else acted
// first → 409 with a message), downloads, access (logged out, member, HR, unknown ids) and CSRF.
// Runs on SQLite, and on PostgreSQL with TEST_PG_URL.
import type { StoredEstimate } from '../../src/domain/stored-estimate.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { AppContext } from '../../src/context.js';
import { threadMessages, type StoredFile } from '../../src/correspondence/queries.js';
import {
  CORRESPONDENCE_MESSAGES,
  createRequest,
  createThread,
  requestTeletransmissionChange,
  staffRequestAction,
  type MemberActor,
} from '../../src/correspondence/service.js';
import { createOutbox } from '../../src/stores/outbox.js';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';
import { createFamily, type Family } from '../helpers/family.js';
import { createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { createAccount, loginAs, textOf, tokenFrom } from '../helpers/fixtures.js';
import { PAGE_SIZE } from '../../src/gestion/inbox/pages.js';
import { INBOX_TEXTS } from '../../src/gestion/inbox/labels.js';
import { paymentDayRange } from '../../src/domain/correspondence.js';
import { addDays, formatDateFr, isoToday } from '../../src/domain/dates.js';
import { fileStoreFor } from '../../src/storage/from-config.js';

type Agent = Awaited<ReturnType<typeof loginAs>>;
let t: TestContext;
let ctx: AppContext;
let marie: Family;
let paul: Family;
let company: TestCompany;
let hr: { id: number; email: string };
let claire: { id: number; email: string };
let hugo: { id: number; email: string };
let staff: Agent;
let colleague: Agent;
/** Marie's and the HR user's sessions, logged in once (the login throttle counts tries). */
let member: Agent;
let hrAgent: Agent;

const PDF = Buffer.from('%PDF-1.4\n%test\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const actorOf = (family: Family): MemberActor => ({ side: 'member', accountId: family.accountId, memberId: family.memberId });

function storedFile(folder: 'requests' | 'messages', name = 'facture.pdf'): StoredFile {
  const dir = path.join(t.config.uploadDir, folder);
  fs.mkdirSync(dir, { recursive: true });
  const storedName = crypto.randomBytes(16).toString('hex');
  const file = path.join(dir, storedName);
  fs.writeFileSync(file, PDF);
  return { originalName: name, storedName, folder, mime: 'application/pdf', size: PDF.length };
}

async function remboursement(family = marie, object = 'optique') {
  const r = await createRequest(ctx, actorOf(family), {
    kind: 'remboursement',
    object,
    beneficiaryId: family.beneficiaries.enfant1,
    message: 'Mes lunettes',
    files: [storedFile('requests')],
  });
  assert.ok(r.ok, JSON.stringify(r));
  return r;
}

async function devis(estimate?: StoredEstimate) {
  const r = await createRequest(ctx, actorOf(marie), {
    kind: 'devis',
    object: 'optique',
    beneficiaryId: marie.beneficiaries.assure,
    message: null,
    files: [storedFile('requests', 'devis.pdf')],
    estimate,
  });
  assert.ok(r.ok, JSON.stringify(r));
  return r;
}

async function memberThread(body = 'Bonjour, où en est mon remboursement ?') {
  const r = await createThread(ctx, actorOf(marie), {
    category: 'remboursements',
    object: 'remboursement_non_recu',
    body,
    files: [storedFile('messages', 'decompte.pdf')],
  });
  assert.ok(r.ok, JSON.stringify(r));
  return r;
}

async function hrThread() {
  const r = await createThread(
    ctx,
    { side: 'hr', accountId: hr.id },
    { category: 'mes_salaries', object: 'radiation_salarie', body: 'Radiation de M. Durand au 31/12.', files: [], companyId: company.companyId },
  );
  assert.ok(r.ok, JSON.stringify(r));
  return r;
}

async function post(agent: Agent, url: string, body: Record<string, string | string[]> = {}, headers: Record<string, string> = {}) {
  const token = await tokenFrom(agent, '/gestion/accueil');
  return agent
    .post(url)
    .set(headers)
    .type('form')
    .send({ _csrf: token, ...body });
}

async function requestRow(id: number) {
  return t.db('requests').where({ id }).first();
}

/** The references listed by an inbox page, in order. */
function references(html: string): string[] {
  return [...html.matchAll(/>((?:DR|DV|DT|MS)-\d{4}-\d{6})</g)].map((m) => m[1]);
}

before(async () => {
  t = await makeTestApp();
  ctx = { config: t.config, db: t.db, clock: t.clock, outbox: createOutbox(t.config, t.db, t.clock), files: fileStoreFor(t.config) };
  marie = await createFamily(t.db, { firstName: 'Marie', lastName: 'Lefebvre' });
  paul = await createFamily(t.db, { firstName: 'Paul', lastName: 'Autre' });
  company = await createHrCompany(t.db, 'Verdier Boîte Test', 1);
  hr = await createHrUser(t.db, [{ company, role: 'admin' }], { firstName: 'Eugénie', mobile: '+33639980301' });
  claire = await createAccount(t.db, { kind: 'staff', email: 'claire.gestion@exemple.fr', firstName: 'Claire', mobile: '+33639980302' });
  hugo = await createAccount(t.db, { kind: 'staff', email: 'hugo.gestion@exemple.fr', firstName: 'Hugo', mobile: '+33639980303' });
  staff = await loginAs(t.app, t.db, 'gestion', claire.email);
  colleague = await loginAs(t.app, t.db, 'gestion', hugo.email);
  member = await loginAs(t.app, t.db, 'assure', marie.email);
  hrAgent = await loginAs(t.app, t.db, 'entreprise', hr.email);
});
after(async () => t.close());

describe('access and CSRF', () => {
  test('logged out → the Gestion door; a member or HR session → 403; an unknown id → 404', async () => {
    const r = await remboursement();
    const th = await memberThread();
    const doc = await t.db('request_attachments').where({ request_id: r.id }).first('id');
    const gets = [
      '/gestion/accueil',
      '/gestion/demandes',
      '/gestion/messages',
      '/gestion/teletransmission',
      `/gestion/demandes/${r.id}`,
      `/gestion/demandes/${r.id}/documents/${doc.id}`,
      `/gestion/messages/${th.id}`,
    ];
    const posts = ['attribuer', 'prendre-en-charge', 'note', 'document-manquant', 'accepter', 'refuser']
      .map((a) => `/gestion/demandes/${r.id}/${a}`)
      .concat(['repondre', 'note', 'attribuer', 'clore', 'rouvrir'].map((a) => `/gestion/messages/${th.id}/${a}`));
    for (const url of gets) {
      const res = await request(t.app).get(url).expect(303);
      assert.equal(res.headers.location, '/gestion', url);
    }
    for (const [agent, home] of [
      [member, '/assure/accueil'],
      [hrAgent, '/entreprise/accueil'],
    ] as const) {
      for (const url of gets) await agent.get(url).expect(403);
      const token = await tokenFrom(agent, home);
      for (const url of posts) await agent.post(url).type('form').send({ _csrf: token, note: 'x', motif: 'x', message: 'x' }).expect(403);
    }
    // Nothing moved.
    assert.equal((await requestRow(r.id)).status, 'received');
    // Unknown or malformed ids, and a document under another request.
    const other = await remboursement(paul);
    for (const url of [
      '/gestion/demandes/999999',
      '/gestion/demandes/abc',
      '/gestion/messages/999999',
      `/gestion/demandes/${other.id}/documents/${doc.id}`,
      `/gestion/demandes/${r.id}/documents/999999`,
      '/gestion/demandes/99999999999',
    ]) {
      await staff.get(url).expect(404);
    }
    assert.equal((await post(staff, '/gestion/demandes/999999/accepter', { montant: '10', date_paiement: '01/12/2026' })).status, 404);
    assert.equal((await post(staff, '/gestion/messages/999999/note', { note: 'x' })).status, 404);
  });

  test('every POST refuses a missing or foreign CSRF token, multipart included', async () => {
    const r = await remboursement();
    const th = await memberThread();
    const memberToken = await tokenFrom(member, '/assure/accueil');
    for (const url of [
      `/gestion/demandes/${r.id}/note`,
      `/gestion/demandes/${r.id}/refuser`,
      `/gestion/messages/${th.id}/note`,
      `/gestion/messages/${th.id}/clore`,
    ]) {
      await staff.post(url).type('form').send({ note: 'x', motif: 'x' }).expect(403);
      await staff.post(url).type('form').send({ _csrf: memberToken, note: 'x', motif: 'x' }).expect(403);
    }
    const before = await t.db('messages').where({ thread_id: th.id }).count({ n: '*' }).first();
    await staff.post(`/gestion/messages/${th.id}/repondre`).field('message', 'Sans jeton').attach('documents', PDF, 'a.pdf').expect(403);
    await staff.post(`/gestion/messages/${th.id}/repondre`).field('_csrf', memberToken).field('message', 'Jeton étranger').expect(403);
    assert.deepEqual(await t.db('messages').where({ thread_id: th.id }).count({ n: '*' }).first(), before);
    assert.equal((await requestRow(r.id)).status, 'received');
  });
});

describe('a demande de remboursement', () => {
  test('ask for a missing document: nothing chosen → the message beside the field; then the member is told which', async () => {
    const r = await remboursement();
    const page = await staff.get(`/gestion/demandes/${r.id}`).expect(200);
    const text = textOf(page.text);
    assertIncludes(text, `Demande de remboursement ${r.reference}`);
    assertIncludes(text, 'Optique achetée hors réseau');
    assertIncludes(text, 'Prescription médicale de moins de 5 ans');
    assertIncludes(text, 'Marie Lefebvre');

    const empty = await post(staff, `/gestion/demandes/${r.id}/document-manquant`, { statut: 'received', precision: '' });
    assert.equal(empty.status, 422);
    assertIncludes(textOf(empty.text), INBOX_TEXTS.documents);

    const done = await post(staff, `/gestion/demandes/${r.id}/document-manquant`, {
      statut: 'received',
      document: 'Prescription médicale de moins de 5 ans',
      precision: 'Avec le cachet du médecin',
    });
    assert.equal(done.status, 303);
    assert.equal(done.headers.location, `/gestion/demandes/${r.id}`);
    const row = await requestRow(r.id);
    assert.equal(row.status, 'missing_document');
    assert.equal(row.missing_documents, 'Prescription médicale de moins de 5 ans ; Avec le cachet du médecin');
    const notice = await t.db('notifications').where({ account_id: marie.accountId }).orderBy('id', 'desc').first();
    assert.equal(notice.title, `Document manquant pour votre demande ${r.reference}`);
    assert.ok(await t.db('audit_log').where({ event: 'correspondence_document_asked', account_id: claire.id }).first());
    const after = textOf((await staff.get(`/gestion/demandes/${r.id}`)).text);
    assertIncludes(after, 'Documents demandés : Prescription médicale de moins de 5 ans ; Avec le cachet du médecin');
    assertIncludes(after, 'Document manquant');
  });

  test('accept: a wrong amount and date get their French messages with the values kept; « 26,50 » and jj/mm/aaaa are accepted', async () => {
    const r = await remboursement();
    const bad = await post(staff, `/gestion/demandes/${r.id}/accepter`, { statut: 'received', montant: '26,5x', date_paiement: '31/02/2026' });
    assert.equal(bad.status, 422);
    const text = textOf(bad.text);
    assertIncludes(text, INBOX_TEXTS.amount);
    assertIncludes(text, INBOX_TEXTS.paymentDay);
    assertIncludes(bad.text, 'value="26,5x"');
    assertIncludes(bad.text, 'value="31/02/2026"');
    assert.equal((await requestRow(r.id)).status, 'received');

    const ok = await post(staff, `/gestion/demandes/${r.id}/accepter`, { statut: 'received', montant: '1 026,50', date_paiement: '25/11/2026' });
    assert.equal(ok.status, 303);
    const row = await requestRow(r.id);
    assert.deepEqual([row.status, row.reimbursed_amount_cents, row.payment_day], ['processed', 102650, '2026-11-25']);
    const page = textOf((await staff.get(`/gestion/demandes/${r.id}`)).text);
    assertIncludes(page, 'Remboursement de 1 026,50 €');
    assertIncludes(page, 'Montant remboursé : 1 026,50 €, payé le 25/11/2026');
    assertIncludes(page, 'Demande traitée');
    // The member is told (bell and email without the amount); the audit names the staff member.
    const notice = await t.db('notifications').where({ account_id: marie.accountId }).orderBy('id', 'desc').first();
    assert.equal(notice.title, `Votre demande ${r.reference} a été traitée`);
    const email = await t.db('outbox').where({ recipient: marie.email }).orderBy('id', 'desc').first();
    assertExcludes(email.body_text, '1 026');
    assert.ok(await t.db('audit_log').where({ event: 'correspondence_request_accepted', account_id: claire.id }).first());
    // A closed request offers no decision any more, and a POST is refused with the rule's message.
    assertExcludes(page, 'Accepter le remboursement');
    const again = await post(staff, `/gestion/demandes/${r.id}/refuser`, { statut: 'processed', motif: 'Trop tard' });
    assert.equal(again.status, 409);
    assertIncludes(textOf(again.text), 'Cette demande est close');
  });

  test('a stale action: someone else asked for a document first → 409, the page as it now stands, nothing changed', async () => {
    const r = await remboursement();
    // Hugo acts while Claire's page still shows « Reçue ».
    assert.equal(
      (
        await post(colleague, `/gestion/demandes/${r.id}/document-manquant`, {
          statut: 'received',
          document: 'Facture acquittée détaillée (monture et verres)',
        })
      ).status,
      303,
    );
    const stale = await post(staff, `/gestion/demandes/${r.id}/refuser`, { statut: 'received', motif: 'Facture illisible' });
    assert.equal(stale.status, 409);
    const text = textOf(stale.text);
    assertIncludes(text, INBOX_TEXTS.stale);
    assertIncludes(text, 'Document manquant');
    assertIncludes(stale.text, 'Facture illisible', 'the reason typed is kept');
    assert.equal((await requestRow(r.id)).status, 'missing_document');
    // With htmx, the item alone comes back (4xx responses swap in htmx 4).
    const hx = await post(
      staff,
      `/gestion/demandes/${r.id}/accepter`,
      { statut: 'received', montant: '10', date_paiement: '01/12/2026' },
      { 'HX-Request': 'true' },
    );
    assert.equal(hx.status, 409);
    assertIncludes(hx.text, 'id="item"');
    assertExcludes(hx.text, '<html');
  });

  test('refuse needs a reason; start, assign to a colleague and to nobody, an internal note', async () => {
    const r = await remboursement();
    const noReason = await post(staff, `/gestion/demandes/${r.id}/refuser`, { statut: 'received', motif: '  ' });
    assert.equal(noReason.status, 422);
    assertIncludes(textOf(noReason.text), 'Indiquez le motif du refus.');

    assert.equal((await post(staff, `/gestion/demandes/${r.id}/prendre-en-charge`, { statut: 'received' })).status, 303);
    let row = await requestRow(r.id);
    assert.deepEqual([row.status, row.assigned_account_id], ['in_progress', claire.id]);

    const badAssignee = await post(staff, `/gestion/demandes/${r.id}/attribuer`, { gestionnaire: String(marie.accountId) });
    assert.equal(badAssignee.status, 422);
    assertIncludes(textOf(badAssignee.text), 'Choisissez un gestionnaire actif.');
    assert.equal((await post(staff, `/gestion/demandes/${r.id}/attribuer`, { gestionnaire: String(hugo.id) })).status, 303);
    assert.equal((await requestRow(r.id)).assigned_account_id, hugo.id);

    const emptyNote = await post(staff, `/gestion/demandes/${r.id}/note`, { note: '' });
    assert.equal(emptyNote.status, 422);
    assertIncludes(textOf(emptyNote.text), 'Écrivez la note.');
    assert.equal((await post(staff, `/gestion/demandes/${r.id}/note`, { note: 'Vérifier la prescription avec le réseau.' })).status, 303);
    const note = await t.db('request_events').where({ request_id: r.id, action: 'note' }).first();
    assert.equal(Boolean(note.visible), false);
    const page = textOf((await staff.get(`/gestion/demandes/${r.id}`)).text);
    assertIncludes(page, 'Interne Note interne');
    assertIncludes(page, 'Vérifier la prescription avec le réseau.');
    assertIncludes(page, 'Interne Attribuée à Hugo Martin');

    assert.equal((await post(staff, `/gestion/demandes/${r.id}/attribuer`, { gestionnaire: 'aucun' })).status, 303);
    assert.equal((await requestRow(r.id)).assigned_account_id, null);

    const refused = await post(staff, `/gestion/demandes/${r.id}/refuser`, { statut: 'in_progress', motif: 'Achat antérieur au contrat.' });
    assert.equal(refused.status, 303);
    row = await requestRow(r.id);
    assert.deepEqual([row.status, row.refusal_reason], ['refused', 'Achat antérieur au contrat.']);
  });

  test('its documents download for staff, as attachments', async () => {
    const r = await remboursement();
    const doc = await t.db('request_attachments').where({ request_id: r.id }).first('id');
    const res = await staff.get(`/gestion/demandes/${r.id}/documents/${doc.id}`).buffer(true).expect(200);
    assert.match(String(res.headers['content-disposition']), /^attachment;/);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.deepEqual(Buffer.from(res.body), PDF);
  });
});

describe('a devis', () => {
  test('the answer form is pre-filled from the member estimate; bad lines keep what was typed; the answer is sent', async () => {
    const r = await devis({
      lines: [
        {
          actCode: 'optique_simples',
          label: 'Lunettes classe B – verres simples et monture',
          amountCents: 35000,
          baseCents: null,
          days: 0,
          securiteSocialeCents: 9,
          complementaryCents: 15000,
          resteAChargeCents: 19991,
          reimbursedCents: 15009,
        },
        {
          actCode: 'lentilles',
          label: 'Lentilles prescrites remboursées (par œil)',
          amountCents: 8000,
          baseCents: null,
          days: 0,
          securiteSocialeCents: 2369,
          complementaryCents: 0,
          resteAChargeCents: 5631,
          reimbursedCents: 2369,
        },
      ],
      total: { amountCents: 43000, securiteSocialeCents: 2378, complementaryCents: 15000, resteAChargeCents: 25622 },
    });
    const page = await staff.get(`/gestion/demandes/${r.id}`).expect(200);
    assertIncludes(page.text, 'name="ligne_libelle_1" type="text" value="Lunettes classe B – verres simples et monture"');
    assertIncludes(page.text, 'name="ligne_montant_1" type="text" value="350,00"');
    assertIncludes(page.text, 'name="ligne_rembourse_1" type="text" value="150,09"');
    assertIncludes(page.text, 'name="ligne_rembourse_2" type="text" value="23,69"');

    const lines = {
      lignes: '4',
      ligne_libelle_1: 'Monture et verres',
      ligne_montant_1: '350,00',
      ligne_rembourse_1: '400,00',
      ligne_libelle_2: '',
      ligne_montant_2: '80',
      ligne_rembourse_2: '23,69',
      ligne_libelle_3: '',
      ligne_montant_3: '',
      ligne_rembourse_3: '',
      ligne_libelle_4: '',
      ligne_montant_4: '',
      ligne_rembourse_4: '',
    };
    const bad = await post(staff, `/gestion/demandes/${r.id}/accepter`, { statut: 'received', ...lines });
    assert.equal(bad.status, 422);
    assertIncludes(textOf(bad.text), INBOX_TEXTS.devisTooMuch(1));
    assertIncludes(textOf(bad.text), INBOX_TEXTS.devisLabel(2));
    assertIncludes(bad.text, 'name="ligne_rembourse_1" type="text" value="400,00"');

    const none = await post(staff, `/gestion/demandes/${r.id}/accepter`, {
      statut: 'received',
      lignes: '1',
      ligne_libelle_1: '',
      ligne_montant_1: '',
      ligne_rembourse_1: '',
    });
    assert.equal(none.status, 422);
    assertIncludes(textOf(none.text), INBOX_TEXTS.devisNone);

    const ok = await post(staff, `/gestion/demandes/${r.id}/accepter`, {
      statut: 'received',
      ...lines,
      ligne_rembourse_1: '150,09',
      ligne_libelle_2: 'Lentilles',
      reponse: 'Estimation sous réserve de la facture.',
    });
    assert.equal(ok.status, 303);
    const row = await requestRow(r.id);
    assert.equal(row.status, 'processed');
    assert.equal(row.estimated_amount_cents, 15009 + 2369);
    assert.deepEqual(JSON.parse(row.answer_lines), [
      { label: 'Monture et verres', amountCents: 35000, reimbursedCents: 15009 },
      { label: 'Lentilles', amountCents: 8000, reimbursedCents: 2369 },
    ]);
    assert.equal(row.answer, 'Estimation sous réserve de la facture.');
    const after = textOf((await staff.get(`/gestion/demandes/${r.id}`)).text);
    assertIncludes(after, 'Réponse au devis envoyée');
    assertIncludes(after, 'Remboursement estimé : 173,78 €');
  });

  test('a devis without an estimate offers blank lines', async () => {
    const r = await devis();
    const page = await staff.get(`/gestion/demandes/${r.id}`).expect(200);
    assertIncludes(page.text, 'name="ligne_libelle_1" type="text" value=""');
    assertIncludes(page.text, 'name="lignes" value="2"');
  });
});

describe('a télétransmission request', () => {
  test('confirm moves the beneficiary to active (the member sees it in Situation NOEMIE); reject needs a reason and puts it back', async () => {
    const asked = await requestTeletransmissionChange(ctx, actorOf(marie), marie.beneficiaries.enfant2, 'request_activation');
    assert.ok(asked.ok && asked.requestId);
    const page = textOf((await staff.get(`/gestion/demandes/${asked.requestId}`)).text);
    assertIncludes(page, 'Demande de télétransmission');
    assertIncludes(page, 'Confirmer la demande');
    assert.equal((await post(staff, `/gestion/demandes/${asked.requestId}/accepter`, { statut: 'received' })).status, 303);
    const beneficiary = await t.db('beneficiaries').where({ id: marie.beneficiaries.enfant2 }).first('teletransmission_status');
    assert.equal(beneficiary.teletransmission_status, 'active');
    assert.equal((await requestRow(asked.requestId)).status, 'processed');
    const child = await t.db('beneficiaries').where({ id: marie.beneficiaries.enfant2 }).first('first_name', 'last_name');
    const noemie = (await member.get('/assure/situation-noemie').expect(200)).text;
    const row = textOf(noemie.split('<tr>').find((r) => r.includes(child.first_name) && r.includes('<td>')) ?? '');
    assertIncludes(row, 'Active');
    assertExcludes(row, 'Activation demandée');

    const other = await requestTeletransmissionChange(ctx, actorOf(paul), paul.beneficiaries.conjoint, 'request_activation');
    assert.ok(other.ok && other.requestId);
    const noReason = await post(staff, `/gestion/demandes/${other.requestId}/refuser`, { statut: 'received' });
    assert.equal(noReason.status, 422);
    assert.equal(
      (await post(staff, `/gestion/demandes/${other.requestId}/refuser`, { statut: 'received', motif: 'La caisse ne reconnaît pas ce numéro.' })).status,
      303,
    );
    assert.equal((await t.db('beneficiaries').where({ id: paul.beneficiaries.conjoint }).first()).teletransmission_status, 'inactive');
  });
});

describe('a thread', () => {
  test('reply with a file (the owner is told, the file downloads), ask, note (internal), close, reopen, and the refusals', async () => {
    const th = await memberThread();
    const page = textOf((await staff.get(`/gestion/messages/${th.id}`)).text);
    assertIncludes(page, "Message d'un assuré");
    assertIncludes(page, 'Mes remboursements — Remboursement non reçu');
    assertIncludes(page, 'Bonjour, où en est mon remboursement ?');
    assertIncludes(page, "L'assuré est prévenu par e-mail, sans le contenu de la réponse.");

    // Empty message and a file that is not a PDF/JPEG/PNG: the messages beside the fields.
    let token = await tokenFrom(staff, `/gestion/messages/${th.id}`);
    const bad = await staff
      .post(`/gestion/messages/${th.id}/repondre`)
      .field('_csrf', token)
      .field('statut', 'new')
      .field('message', '')
      .attach('documents', Buffer.from('MZ not a pdf'), 'virus.exe');
    assert.equal(bad.status, 422);
    assertIncludes(textOf(bad.text), 'Écrivez votre message.');
    assert.match(textOf(bad.text), /PDF, JPEG ou PNG/);
    const tooMany = await staff
      .post(`/gestion/messages/${th.id}/repondre`)
      .field('_csrf', token)
      .field('statut', 'new')
      .field('message', 'Cinq fichiers')
      .attach('documents', PDF, '1.pdf')
      .attach('documents', PDF, '2.pdf')
      .attach('documents', PDF, '3.pdf')
      .attach('documents', PDF, '4.pdf')
      .attach('documents', PDF, '5.pdf');
    assert.equal(tooMany.status, 422);
    assertIncludes(tooMany.text, 'Cinq fichiers', 'the message typed is kept');
    assert.equal(Number((await t.db('messages').where({ thread_id: th.id }).count({ n: '*' }).first())?.n), 1);

    token = await tokenFrom(staff, `/gestion/messages/${th.id}`);
    const ok = await staff
      .post(`/gestion/messages/${th.id}/repondre`)
      .field('_csrf', token)
      .field('statut', 'new')
      .field('message', 'Votre remboursement part demain.')
      .attach('documents', PDF, 'justificatif.pdf');
    assert.equal(ok.status, 303);
    let thread = await t.db('message_threads').where({ id: th.id }).first();
    assert.deepEqual([thread.status, thread.assigned_account_id], ['answered', claire.id]);
    const file = await t
      .db('message_attachments as a')
      .join('messages as m', 'm.id', 'a.message_id')
      .where({ 'm.thread_id': th.id, 'm.author_kind': 'staff' })
      .first('a.id');
    const download = await staff.get(`/gestion/messages/${th.id}/documents/${file.id}`).buffer(true).expect(200);
    assert.deepEqual(Buffer.from(download.body), PDF);
    const notice = await t.db('notifications').where({ account_id: marie.accountId, kind: 'message_reply' }).orderBy('id', 'desc').first();
    assert.ok(notice);
    const email = await t.db('outbox').where({ recipient: marie.email }).orderBy('id', 'desc').first();
    assertExcludes(email.body_text, 'part demain');

    // A stale close: the page still showed « Nouveau ».
    const stale = await post(staff, `/gestion/messages/${th.id}/clore`, { statut: 'new' });
    assert.equal(stale.status, 409);
    assertIncludes(textOf(stale.text), INBOX_TEXTS.stale);

    assert.equal((await post(staff, `/gestion/messages/${th.id}/note`, { note: 'Client déjà relancé au téléphone.' })).status, 303);
    const note = await t.db('messages').where({ thread_id: th.id, internal: true }).first();
    assert.equal(note.body, 'Client déjà relancé au téléphone.');
    assertIncludes(textOf((await staff.get(`/gestion/messages/${th.id}`)).text), 'Note interne (visible des seuls gestionnaires) Claire Martin (gestion)');
    // The member's side of the thread never holds it (src/correspondence/queries.ts threadMessages, as the Espace Assuré reads it).
    const memberSide = await threadMessages(t.db, th.id, 'member');
    assert.deepEqual(
      memberSide.map((m) => m.body),
      ['Bonjour, où en est mon remboursement ?', 'Votre remboursement part demain.'],
    );

    token = await tokenFrom(staff, `/gestion/messages/${th.id}`);
    assert.equal(
      (
        await staff
          .post(`/gestion/messages/${th.id}/repondre`)
          .field('_csrf', token)
          .field('statut', 'answered')
          .field('message', 'Pouvez-vous envoyer votre RIB ?')
          .field('attente', '1')
      ).status,
      303,
    );
    thread = await t.db('message_threads').where({ id: th.id }).first();
    assert.equal(thread.status, 'awaiting');
    assert.equal((await post(staff, `/gestion/messages/${th.id}/clore`, { statut: 'awaiting' })).status, 303);
    const closed = textOf((await staff.get(`/gestion/messages/${th.id}`)).text);
    assertIncludes(closed, 'Rouvrir la conversation');
    assertExcludes(closed, 'Envoyer la réponse');
    assert.equal((await post(staff, `/gestion/messages/${th.id}/rouvrir`, { statut: 'closed' })).status, 303);
    assert.equal((await t.db('message_threads').where({ id: th.id }).first()).status, 'open');
    for (const event of ['correspondence_staff_replied', 'correspondence_thread_noted', 'correspondence_thread_closed', 'correspondence_thread_reopened']) {
      assert.ok(await t.db('audit_log').where({ event, account_id: claire.id }).first(), event);
    }
  });

  test('a reply that comes back keeps its files: listed with « Retirer », sent with the next submission (JS off and htmx); a fresh page drops them', async () => {
    const th = await memberThread('Avez-vous reçu ma facture ?');
    const url = `/gestion/messages/${th.id}/repondre`;
    const messagesDir = path.join(t.config.uploadDir, 'messages');
    const onDisk = () => fs.readdirSync(messagesDir).length;
    const keptKeys = (html: string) => [...html.matchAll(/name="garder" value="([0-9a-f]+)"/g)].map((m) => m[1]);
    const staffMessages = async () => (await threadMessages(t.db, th.id, 'staff')).filter((m) => m.author_kind === 'staff');
    // Each sending from the page that came back (opening the thread afresh would drop the kept files).
    const token = await tokenFrom(staff, `/gestion/messages/${th.id}`);
    const reply = (fields: [string, string][], files: string[] = [], headers: Record<string, string> = {}) => {
      let req = staff.post(url).set(headers).field('_csrf', token);
      for (const [name, value] of fields) req = req.field(name, value);
      for (const name of files) req = req.attach('documents', PDF, name);
      return req;
    };
    const before = onDisk();

    // No message: 422, the file kept and listed, nothing recorded.
    const bad = await reply(
      [
        ['statut', 'new'],
        ['message', ''],
      ],
      ['facture-reçue.pdf'],
    );
    assert.equal(bad.status, 422);
    assertIncludes(textOf(bad.text), 'Écrivez votre message.');
    assertIncludes(textOf(bad.text), 'Documents déjà joints');
    assertIncludes(textOf(bad.text), 'facture-reçue.pdf Retirer');
    assertIncludes(textOf(bad.text), 'Autres documents à joindre (facultatif)');
    const [key] = keptKeys(bad.text);
    assert.ok(key, 'the kept file has its « garder » key');
    assertExcludes(bad.text, (await t.db('pending_uploads').where({ key }).first()).stored_name, 'the stored name never leaves the server');
    assert.equal(onDisk(), before + 1);
    assert.equal((await staffMessages()).length, 0);

    // A colleague's page neither shows nor drops it: the kept files are per account.
    assertExcludes(textOf((await colleague.get(`/gestion/messages/${th.id}`).expect(200)).text), 'facture-reçue.pdf');
    assert.equal(onDisk(), before + 1);

    // The next submission sends it, with a new one.
    const sent = await reply(
      [
        ['statut', 'new'],
        ['message', 'Oui, la voici tamponnée.'],
        ['garder', key],
      ],
      ['tampon.pdf'],
    );
    assert.equal(sent.status, 303, textOf(sent.text ?? ''));
    const [message] = await staffMessages();
    assert.deepEqual(
      message.attachments.map((a) => a.original_name),
      ['facture-reçue.pdf', 'tampon.pdf'],
    );
    assert.equal(await t.db('pending_uploads').where({ key }).first(), undefined);
    assert.equal(onDisk(), before + 2);

    // htmx: the refusal swaps the item in place (422, the fragment alone) with the file kept; « Retirer » drops it; success redirects.
    const hx = { 'HX-Request': 'true' };
    const hxBad = await reply(
      [
        ['statut', 'answered'],
        ['message', ''],
      ],
      ['brouillon.pdf'],
      hx,
    );
    assert.equal(hxBad.status, 422);
    assertIncludes(hxBad.text, '<div id="item" class="inbox-item">');
    assertExcludes(hxBad.text, '<html');
    assertIncludes(textOf(hxBad.text), 'brouillon.pdf Retirer');
    const [draft] = keptKeys(hxBad.text);
    const hxOk = await reply(
      [
        ['statut', 'answered'],
        ['message', 'Finalement sans pièce jointe.'],
        ['garder', draft],
        ['retirer', draft],
      ],
      [],
      hx,
    );
    assert.equal(hxOk.status, 204);
    assert.equal(hxOk.headers['hx-redirect'], `/gestion/messages/${th.id}`);
    const last = (await staffMessages()).at(-1)!;
    assert.deepEqual([last.body, last.attachments.length], ['Finalement sans pièce jointe.', 0]);
    assert.equal(onDisk(), before + 2, 'the removed draft is deleted');

    // Kept, then the page opened afresh: the file goes.
    const again = await reply(
      [
        ['statut', 'answered'],
        ['message', ''],
      ],
      ['oubli.pdf'],
    );
    assert.equal(again.status, 422);
    assert.equal(onDisk(), before + 3);
    await staff.get(`/gestion/messages/${th.id}`).expect(200);
    assert.equal(onDisk(), before + 2);
    assert.equal(Number((await t.db('pending_uploads').where({ account_id: claire.id }).count({ n: '*' }).first())?.n), 0);
  });

  test('a reply without its CSRF token, or with a file, to a thread that is not one: nothing kept, nothing recorded', async () => {
    const th = await memberThread('Jeton ?');
    const messagesDir = path.join(t.config.uploadDir, 'messages');
    const before = fs.readdirSync(messagesDir).length;
    const pending = async () => Number((await t.db('pending_uploads').count({ n: '*' }).first())?.n);
    const pendingBefore = await pending();
    await staff.post(`/gestion/messages/${th.id}/repondre`).field('statut', 'new').field('message', 'Sans jeton').attach('documents', PDF, 'a.pdf').expect(403);
    const token = await tokenFrom(staff, '/gestion/accueil');
    await staff
      .post('/gestion/messages/999999/repondre')
      .field('_csrf', token)
      .field('statut', 'new')
      .field('message', 'Nulle part')
      .attach('documents', PDF, 'b.pdf')
      .expect(404);
    assert.equal(fs.readdirSync(messagesDir).length, before);
    assert.deepEqual(fs.readdirSync(path.join(t.config.uploadDir, 'tmp')), []);
    assert.equal(await pending(), pendingBefore);
    assert.equal((await threadMessages(t.db, th.id, 'staff')).length, 1);
  });

  test("a company's thread names the company and its author; assigning it to a colleague", async () => {
    const th = await hrThread();
    const page = textOf((await staff.get(`/gestion/messages/${th.id}`)).text);
    assertIncludes(page, "Message d'une entreprise");
    assertIncludes(page, 'Verdier Boîte Test');
    assertIncludes(page, "Mes salariés — Radiation d'un salarié");
    assertIncludes(page, "L'entreprise est prévenue par e-mail, sans le contenu de la réponse.");
    assert.equal((await post(staff, `/gestion/messages/${th.id}/attribuer`, { gestionnaire: String(hugo.id) })).status, 303);
    const row = await t.db('message_threads').where({ id: th.id }).first();
    assert.deepEqual([row.assigned_account_id, row.status], [hugo.id, 'open']);
    // A reply without files (a plain form) reaches every HR user of the company, and the page names whom it waits for.
    const colleagueHr = await createHrUser(t.db, [{ company, role: 'user' }], { mobile: '+33639980304' });
    assert.equal(
      (
        await post(staff, `/gestion/messages/${th.id}/repondre`, {
          statut: 'open',
          message: "Pouvez-vous nous envoyer l'attestation de fin de contrat ?",
          attente: '1',
        })
      ).status,
      303,
    );
    for (const account of [hr.id, colleagueHr.id]) {
      assert.ok(await t.db('notifications').where({ account_id: account, kind: 'message_reply' }).first(), `HR account ${account} told`);
    }
    assertIncludes(textOf((await staff.get(`/gestion/messages/${th.id}`)).text), "Statut En attente de l'entreprise");
  });
});

describe('the inbox', () => {
  let fresh: TestContext;
  let freshCtx: AppContext;
  let agent: Agent;
  let items: { reference: string; kind: string }[] = [];
  let staffId: number;
  let colleagueId: number;
  let meEmail = '';

  before(async () => {
    // Its own database, so that counts and order are exactly what this block made.
    fresh = await makeTestApp();
    freshCtx = {
      config: fresh.config,
      db: fresh.db,
      clock: fresh.clock,
      outbox: createOutbox(fresh.config, fresh.db, fresh.clock),
      files: fileStoreFor(fresh.config),
    };
    const family = await createFamily(fresh.db, { firstName: 'Inès', lastName: 'Boîte' });
    const c = await createHrCompany(fresh.db, 'Entreprise Boîte', 1);
    const h = await createHrUser(fresh.db, [{ company: c, role: 'admin' }], { mobile: '+33639980311' });
    const me = await createAccount(fresh.db, { kind: 'staff', email: 'moi.gestion@exemple.fr', firstName: 'Moi', mobile: '+33639980312' });
    const other = await createAccount(fresh.db, { kind: 'staff', email: 'autre.gestion@exemple.fr', firstName: 'Autre', mobile: '+33639980313' });
    staffId = me.id;
    colleagueId = other.id;
    meEmail = me.email;
    const actor: MemberActor = { side: 'member', accountId: family.accountId, memberId: family.memberId };
    const file = () => {
      const dir = path.join(fresh.config.uploadDir, 'requests');
      fs.mkdirSync(dir, { recursive: true });
      const storedName = crypto.randomBytes(16).toString('hex');
      fs.writeFileSync(path.join(dir, storedName), PDF);
      return { originalName: 'f.pdf', storedName, folder: 'requests', mime: 'application/pdf', size: PDF.length };
    };
    // One item per hour, in this order: remboursement (optique), devis, HR thread, member thread, télétransmission, remboursement (dentaire).
    const add = async (kind: string) => {
      fresh.clock.advance(3600_000);
      let reference = '';
      if (kind === 'remboursement' || kind === 'dentaire') {
        const r = await createRequest(freshCtx, actor, {
          kind: 'remboursement',
          object: kind === 'dentaire' ? 'dentaire' : 'optique',
          beneficiaryId: family.beneficiaries.assure,
          message: null,
          files: [file()],
        });
        assert.ok(r.ok);
        reference = r.reference;
      } else if (kind === 'devis') {
        const r = await createRequest(freshCtx, actor, {
          kind: 'devis',
          object: 'audio',
          beneficiaryId: family.beneficiaries.assure,
          message: null,
          files: [file()],
        });
        assert.ok(r.ok);
        reference = r.reference;
      } else if (kind === 'hr') {
        const r = await createThread(
          freshCtx,
          { side: 'hr', accountId: h.id },
          { category: 'gerer_contrat', object: 'cotisations_collectives', body: 'Question', files: [], companyId: c.companyId },
        );
        assert.ok(r.ok);
        reference = r.reference;
      } else if (kind === 'member') {
        const r = await createThread(freshCtx, actor, { category: 'tiers_payant', object: 'carte_refusee', body: 'Carte refusée', files: [] });
        assert.ok(r.ok);
        reference = r.reference;
      } else {
        const r = await requestTeletransmissionChange(freshCtx, actor, family.beneficiaries.conjoint, 'request_activation');
        assert.ok(r.ok && r.reference);
        reference = r.reference;
      }
      items.push({ reference, kind });
    };
    items = [];
    for (const kind of ['remboursement', 'devis', 'hr', 'member', 'teletransmission', 'dentaire']) await add(kind);
    // Logged in after the clock moved (a session expires after 30 idle minutes).
    agent = await loginAs(fresh.app, fresh.db, 'gestion', meEmail);
  });
  after(async () => fresh?.close());

  const refs = (...kinds: string[]) => kinds.map((k) => items.find((i) => i.kind === k)!.reference);

  test('every open item, oldest first, with its service level; newest first on demand; an htmx request gets the list alone', async () => {
    const res = await agent.get('/gestion/demandes').expect(200);
    assert.deepEqual(references(res.text), refs('remboursement', 'devis', 'hr', 'member', 'teletransmission', 'dentaire'));
    const text = textOf(res.text);
    assertIncludes(text, '6 éléments');
    assertIncludes(text, 'Demande de remboursement Optique achetée hors réseau');
    assertIncludes(text, "Message d'une entreprise Gérer mon contrat — Information sur les cotisations collectives");
    // 2026-11-22 (Sunday) + 5 business days → Friday 27/11/2026 for the optique remboursement.
    assertIncludes(text, '27/11/2026');
    assertExcludes(text, 'En retard');
    const recent = await agent.get('/gestion/demandes?tri=recent').expect(200);
    assert.deepEqual(references(recent.text), refs('dentaire', 'teletransmission', 'member', 'hr', 'devis', 'remboursement'));
    // The lead names the default order, and does not contradict the one chosen.
    assertIncludes(textOf(recent.text), 'de la plus ancienne à la plus récente sauf si vous choisissez un autre ordre');
    const hx = await agent.get('/gestion/demandes?espace=entreprise').set('HX-Request', 'true').expect(200);
    assertIncludes(hx.text, 'id="inbox-list"');
    assertExcludes(hx.text, '<html');
    assert.deepEqual(references(hx.text), refs('hr'));
  });

  test('filters: space, category or object, status, assignee, late — and a wrong value said beside its field', async () => {
    const get = async (qs: string) => references((await agent.get(`/gestion/demandes?${qs}`).expect(200)).text);
    assert.deepEqual(await get('espace=assure'), refs('remboursement', 'devis', 'member', 'teletransmission', 'dentaire'));
    assert.deepEqual(await get('objet=remboursement'), refs('remboursement', 'dentaire'));
    assert.deepEqual(await get('objet=remboursement%3Adentaire'), refs('dentaire'));
    assert.deepEqual(await get('objet=demandes'), refs('remboursement', 'devis', 'teletransmission', 'dentaire'));
    assert.deepEqual(await get('objet=messages'), refs('hr', 'member'));
    assert.deepEqual(await get('objet=messages%3Aassure%3Atiers_payant%3Acarte_refusee'), refs('member'));
    assert.deepEqual(await get('objet=messages%3Aentreprise%3Agerer_contrat'), refs('hr'));

    // Statuses: the devis in « Document manquant »? (only remboursements are asked) — ask on the dentaire one, take the HR thread.
    const dentaire = await fresh
      .db('requests')
      .where({ reference: refs('dentaire')[0] })
      .first('id');
    assert.ok((await staffRequestAction(freshCtx, { side: 'staff', accountId: colleagueId }, dentaire.id, { type: 'ask_document', documents: 'Facture' })).ok);
    const hrThreadRow = await fresh
      .db('message_threads')
      .where({ reference: refs('hr')[0] })
      .first('id');
    const tok = await tokenFrom(agent, '/gestion/accueil');
    await agent.post(`/gestion/messages/${hrThreadRow.id}/attribuer`).type('form').send({ _csrf: tok, gestionnaire: 'moi' }).expect(303);
    assert.deepEqual(await get('statut=awaiting'), refs('dentaire'));
    assert.deepEqual(await get('statut=open'), refs('hr'));
    assert.deepEqual(await get('statut=new'), refs('remboursement', 'devis', 'member', 'teletransmission'));
    assert.deepEqual(await get('statut=answered'), []);
    assert.deepEqual(await get('attribue=moi'), refs('hr'));
    assert.deepEqual(await get(`attribue=${colleagueId}`), []);
    assert.deepEqual(await get('attribue=aucun'), refs('remboursement', 'devis', 'member', 'teletransmission', 'dentaire'));

    // Closed items leave « À traiter » but stay under « Tous les statuts » and « Clos ».
    const first = await fresh
      .db('requests')
      .where({ reference: refs('remboursement')[0] })
      .first('id');
    assert.ok((await staffRequestAction(freshCtx, { side: 'staff', accountId: staffId }, first.id, { type: 'refuse', reason: 'Doublon' })).ok);
    assert.deepEqual(await get(''), refs('devis', 'hr', 'member', 'teletransmission', 'dentaire'));
    assert.deepEqual(await get('statut=closed'), refs('remboursement'));
    assert.equal((await get('statut=tous')).length, 6);

    const wrong = await agent.get(`/gestion/demandes?objet=nimporte&statut=x&attribue=999999&espace=lune`).expect(422);
    const text = textOf(wrong.text);
    for (const message of [INBOX_TEXTS.badObject, INBOX_TEXTS.badStatus, INBOX_TEXTS.badAssignee, INBOX_TEXTS.badSpace]) assertIncludes(text, message);
    const clash = await agent.get('/gestion/demandes?espace=entreprise&objet=messages%3Aassure').expect(422);
    assertIncludes(textOf(clash.text), INBOX_TEXTS.objectOtherSpace);
    assertIncludes(clash.text, '<option value="messages:assure" selected>', 'the choice is kept');

    // Late: past the expected day, only what waits for the insurer.
    fresh.clock.advance(20 * 24 * 3600_000);
    agent = await loginAs(fresh.app, fresh.db, 'gestion', meEmail);
    const late = await agent.get('/gestion/demandes?retard=1').expect(200);
    assert.deepEqual(references(late.text), refs('devis', 'hr', 'member', 'teletransmission'));
    assertIncludes(textOf(late.text), 'En retard');
    assertIncludes(late.text, 'class="is-late"');
  });

  test('« Messages » and « Télétransmission » are the inbox with their own object; an empty object shows everything', async () => {
    const messages = (await agent.get('/gestion/messages').expect(200)).text;
    assertIncludes(messages, '<h1>Messages</h1>');
    assert.deepEqual(references(messages), refs('hr', 'member'));
    assert.deepEqual(references((await agent.get('/gestion/teletransmission').expect(200)).text), refs('teletransmission'));
    assert.equal(references((await agent.get('/gestion/messages?objet=').expect(200)).text).length, 5);
    assertExcludes(textOf((await agent.get('/gestion/messages')).text), 'bientôt disponible');
  });

  test('paging: the shared pagination, a page past the end brought back to the last', async () => {
    const family = await createFamily(fresh.db, { firstName: 'Page', lastName: 'Nombreuse' });
    const actor: MemberActor = { side: 'member', accountId: family.accountId, memberId: family.memberId };
    for (let i = 0; i < PAGE_SIZE + 3; i += 1) {
      fresh.clock.advance(60_000);
      assert.ok((await createThread(freshCtx, actor, { category: 'contrat', object: 'garanties', body: `Question ${i}`, files: [] })).ok);
    }
    const all = (await agent.get('/gestion/demandes').expect(200)).text;
    const total = PAGE_SIZE + 3 + 5;
    assertIncludes(textOf(all), `${total} éléments — page 1 sur 2`);
    assert.equal(references(all).length, PAGE_SIZE);
    assertIncludes(all, 'href="/gestion/demandes?page=2"');
    const second = await agent.get('/gestion/demandes?page=2').expect(200);
    assert.equal(references(second.text).length, total - PAGE_SIZE);
    const beyond = await agent.get('/gestion/demandes?page=9').expect(200);
    assertIncludes(textOf(beyond.text), "La page 9 n'existe pas : la dernière page (2) est affichée.");
    // The filters are kept in the pagination links.
    const filtered = await agent.get('/gestion/messages?tri=recent').expect(200);
    assertIncludes(filtered.text, 'href="/gestion/messages?tri=recent&amp;page=2"');
  });

  test('a page far past the end reads no row: the counts come first, no LIMIT of page × size is sent', async () => {
    const limits: number[] = [];
    const listen = (query: { sql: string; bindings?: unknown[] }) => {
      if (/\blimit\b/i.test(query.sql)) for (const b of query.bindings ?? []) if (typeof b === 'number') limits.push(b);
    };
    let beyond = '';
    fresh.db.on('query', listen);
    try {
      beyond = (await agent.get('/gestion/demandes?page=999999').expect(200)).text;
    } finally {
      fresh.db.off('query', listen);
    }
    const last = /La page 999999 n'existe pas : la dernière page \((\d+)\) est affichée\./.exec(textOf(beyond))?.[1];
    assert.ok(last, 'the last page is shown instead');
    assert.deepEqual(references(beyond), references((await agent.get(`/gestion/demandes?page=${last}`).expect(200)).text));
    assert.ok(references(beyond).length > 0);
    assert.ok(limits.length > 0, 'the inbox queries were seen');
    assert.ok(Math.max(...limits) <= 2 * PAGE_SIZE, `largest LIMIT: ${Math.max(...limits)}`);
  });

  test('the Tableau de bord counts each queue and links into the filtered inbox', async () => {
    const res = await agent.get('/gestion/accueil').expect(200);
    const text = textOf(res.text);
    assertIncludes(text, 'Tableau de bord');
    assertExcludes(text, 'bientôt disponible');
    const open = references((await agent.get('/gestion/demandes?statut=tous').expect(200)).text).length;
    assert.ok(open > 0);
    assertIncludes(res.text, 'href="/gestion/demandes?retard=1"');
    assertIncludes(res.text, 'href="/gestion/demandes?statut=awaiting"');
    assertIncludes(res.text, 'href="/gestion/messages?objet=messages%3Aentreprise"');
    assertIncludes(res.text, 'href="/gestion/teletransmission"');
    // Each count is the number of items its link lists.
    for (const [label, href] of [
      ['Nouveaux', '/gestion/demandes?statut=new'],
      ['Non attribués', '/gestion/demandes?attribue=aucun'],
      ['Attribués à moi', '/gestion/demandes?attribue=moi'],
      ['Demandes de remboursement', '/gestion/demandes?objet=remboursement'],
      ['Messages des entreprises', '/gestion/messages?objet=messages%3Aentreprise'],
    ]) {
      const listed = textOf((await agent.get(href).expect(200)).text);
      const count = /(\d+) éléments?|Aucune demande/.exec(listed);
      const n = count?.[1] ? Number(count[1]) : 0;
      assertIncludes(text, `${label} ${n}`);
    }
  });
});

describe('odd input from a staff form', () => {
  test('« Attribuer » with an id past what an integer column holds → 422 with the French message, on a request and a thread', async () => {
    const r = await remboursement();
    const th = await memberThread();
    for (const value of ['9999999999', '2147483648']) {
      for (const url of [`/gestion/demandes/${r.id}/attribuer`, `/gestion/messages/${th.id}/attribuer`]) {
        const res = await post(staff, url, { gestionnaire: value });
        assert.equal(res.status, 422, `${url} ${value}`);
        assertIncludes(textOf(res.text), INBOX_TEXTS.badAssignee);
      }
    }
    assert.equal((await requestRow(r.id)).assigned_account_id, null);
  });
});

describe('amounts past the cap', () => {
  /** The messages as textOf reads them (formatEuros' no-break spaces as plain ones). */
  const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
  test('accept: an amount past 100 000 € → 422 beside « montant », the value kept, nothing written; 100 000 € itself is taken', async () => {
    const r = await remboursement();
    const bad = await post(staff, `/gestion/demandes/${r.id}/accepter`, { statut: 'received', montant: '99999999', date_paiement: '01/12/2026' });
    assert.equal(bad.status, 422);
    assertIncludes(textOf(bad.text), plain(INBOX_TEXTS.amountTooHigh));
    assertIncludes(bad.text, 'value="99999999"');
    assert.equal((await requestRow(r.id)).status, 'received');
    const ok = await post(staff, `/gestion/demandes/${r.id}/accepter`, { statut: 'received', montant: '100 000,00', date_paiement: '01/12/2026' });
    assert.equal(ok.status, 303);
    assert.equal((await requestRow(r.id)).reimbursed_amount_cents, 100_000_00);
  });

  test('accept: a payment date far in the past or the future → 422 beside « Date du paiement », naming the range; its edges are taken', async () => {
    const r = await remboursement();
    const received = (await requestRow(r.id)).created_at.slice(0, 10) as string;
    const { earliest, latest } = paymentDayRange(received, isoToday(t.clock));
    // Past the years a date may have at all, the date itself is refused.
    const absurd = await post(staff, `/gestion/demandes/${r.id}/accepter`, { statut: 'received', montant: '26,50', date_paiement: '31/12/9999' });
    assert.equal(absurd.status, 422);
    assertIncludes(textOf(absurd.text.match(/<p class="error-message" id="date_paiement-error">[\s\S]*?<\/p>/)?.[0] ?? ''), INBOX_TEXTS.paymentDay);
    for (const day of ['31/12/2099', '01/01/1990', formatDateFr(addDays(earliest, -1)), formatDateFr(addDays(latest, 1))]) {
      const bad = await post(staff, `/gestion/demandes/${r.id}/accepter`, { statut: 'received', montant: '26,50', date_paiement: day });
      assert.equal(bad.status, 422, day);
      const message = `La date du paiement doit être comprise entre le ${formatDateFr(earliest)} et le ${formatDateFr(latest)}.`;
      assertIncludes(textOf(bad.text.match(/<p class="error-message" id="date_paiement-error">[\s\S]*?<\/p>/)?.[0] ?? ''), message);
      assertIncludes(bad.text, `value="${day}"`);
      assertIncludes(bad.text, 'value="26,50"');
      assert.equal((await requestRow(r.id)).status, 'received', day);
    }
    const other = await remboursement();
    for (const [request, day] of [
      [r, earliest],
      [other, latest],
    ] as const) {
      const ok = await post(staff, `/gestion/demandes/${request.id}/accepter`, { statut: 'received', montant: '26,50', date_paiement: formatDateFr(day) });
      assert.equal(ok.status, 303);
      assert.equal((await requestRow(request.id)).payment_day, day);
    }
  });

  test('a devis answer: a line past 100 000 €, or lines whose estimated total is, → 422 beside the field, nothing written', async () => {
    const r = await devis();
    const huge = await post(staff, `/gestion/demandes/${r.id}/accepter`, {
      statut: 'received',
      lignes: '2',
      ligne_libelle_1: 'a',
      ligne_montant_1: '20000000',
      ligne_rembourse_1: '20000000',
      ligne_libelle_2: 'b',
      ligne_montant_2: '20000000',
      ligne_rembourse_2: '20000000',
    });
    assert.equal(huge.status, 422);
    assertIncludes(textOf(huge.text), plain(INBOX_TEXTS.devisAmountTooHigh(1)));
    assertIncludes(textOf(huge.text), plain(INBOX_TEXTS.devisAmountTooHigh(2)));
    const total = await post(staff, `/gestion/demandes/${r.id}/accepter`, {
      statut: 'received',
      lignes: '2',
      ligne_libelle_1: 'a',
      ligne_montant_1: '60000',
      ligne_rembourse_1: '60000',
      ligne_libelle_2: 'b',
      ligne_montant_2: '60000',
      ligne_rembourse_2: '60000',
    });
    assert.equal(total.status, 422);
    assertIncludes(textOf(total.text), plain(INBOX_TEXTS.devisTotalTooHigh));
    assertIncludes(total.text, 'value="60000"');
    const row = await requestRow(r.id);
    assert.deepEqual([row.status, row.estimated_amount_cents], ['received', null]);
  });
});

describe('the status the page showed is required', () => {
  test('a status move without « statut », with a list of them or with none of the statuses → 409 with the message, nothing changed', async () => {
    const r = await remboursement();
    const th = await memberThread();
    const forms: [string, Record<string, string | string[]>][] = [
      [`/gestion/demandes/${r.id}/accepter`, { montant: '12,00', date_paiement: '01/12/2026' }],
      [`/gestion/demandes/${r.id}/refuser`, { motif: 'Hors garanties' }],
      [`/gestion/demandes/${r.id}/prendre-en-charge`, {}],
      [`/gestion/messages/${th.id}/clore`, {}],
    ];
    for (const [url, body] of forms) {
      for (const statut of [undefined, ['received', 'new'], 'bogus']) {
        const res = await post(staff, url, statut === undefined ? body : { ...body, statut });
        assert.equal(res.status, 409, `${url} ${JSON.stringify(statut)}`);
        assertIncludes(textOf(res.text), CORRESPONDENCE_MESSAGES.conflict);
      }
    }
    const filesBefore = fs.readdirSync(path.join(t.config.uploadDir, 'messages')).length;
    const reply = await staff
      .post(`/gestion/messages/${th.id}/repondre`)
      .field('_csrf', await tokenFrom(staff, '/gestion/accueil'))
      .field('message', 'Réponse sans statut')
      .attach('documents', PDF, 'reponse.pdf');
    assert.equal(reply.status, 409);
    assert.deepEqual([(await requestRow(r.id)).status, (await t.db('message_threads').where({ id: th.id }).first()).status], ['received', 'new']);
    assert.equal((await threadMessages(t.db, th.id, 'staff')).length, 1);
    // The reply's file is not recorded: it is kept for the form's next sending (listed on the page
    // that came back), and goes from the disk when the page is opened afresh.
    assertIncludes(textOf(reply.text), 'reponse.pdf Retirer');
    assert.equal(fs.readdirSync(path.join(t.config.uploadDir, 'messages')).length, filesBefore + 1);
    await staff.get(`/gestion/messages/${th.id}`).expect(200);
    assert.equal(fs.readdirSync(path.join(t.config.uploadDir, 'messages')).length, filesBefore);
  });
});

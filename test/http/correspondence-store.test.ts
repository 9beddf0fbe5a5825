// The correspondence store and service (src/correspondence/) on the real database —
// SQLite, and PostgreSQL with TEST_PG_URL: references under concurrent creation, files deleted with
// a rolled-back request and orphans swept, scoping by family and company, refused transitions,
// the staff inbox's filters and order, unread counts per HR account, télétransmission requests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../../src/context.js';
import * as q from '../../src/correspondence/queries.js';
import {
  addMissingDocuments,
  CORRESPONDENCE_MESSAGES,
  createRequest,
  createThread,
  replyAsOwner,
  requestTeletransmissionChange,
  staffRequestAction,
  staffThreadAction,
  sweepOrphanFiles,
  type MemberActor,
} from '../../src/correspondence/service.js';
import { keepPending, listPending } from '../../src/correspondence/pending-uploads.js';
import { createOutbox } from '../../src/stores/outbox.js';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createAccount } from '../helpers/fixtures.js';
import { createFamily, type Family } from '../helpers/family.js';
import { addEmployee, createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';
import { fileStoreFor } from '../../src/storage/from-config.js';

let t: TestContext;
let ctx: AppContext;
let marie: Family;
let other: Family;
let staff: { id: number };
let colleague: { id: number };

const actorOf = (family: Family): MemberActor => ({ side: 'member', accountId: family.accountId, memberId: family.memberId });
const memberScope = (family: Family): q.OwnerScope => ({ side: 'member', memberId: family.memberId, accountId: family.accountId });

/** A PDF as the upload middleware leaves it in UPLOAD_DIR/<folder>. */
/** With its path on disk, for the checks. */
function storedFile(folder: 'requests' | 'messages', name = 'facture.pdf'): q.StoredFile & { path: string } {
  const dir = path.join(t.config.uploadDir, folder);
  fs.mkdirSync(dir, { recursive: true });
  const storedName = `${crypto.randomBytes(16).toString('hex')}.pdf`;
  const file = path.join(dir, storedName);
  fs.writeFileSync(file, '%PDF-1.4\n%test\n');
  return { originalName: name, storedName, folder, path: file, mime: 'application/pdf', size: 15 };
}

async function newRequest(family: Family, kind: 'remboursement' | 'devis' = 'remboursement', files = [storedFile('requests')]) {
  const result = await createRequest(ctx, actorOf(family), {
    kind,
    object: kind === 'devis' ? 'optique' : 'optique',
    beneficiaryId: family.beneficiaries.enfant1,
    message: 'Bonjour',
    files,
  });
  assert.ok(result.ok, JSON.stringify(result));
  return result;
}

before(async () => {
  t = await makeTestApp();
  ctx = { config: t.config, db: t.db, clock: t.clock, outbox: createOutbox(t.config, t.db, t.clock), files: fileStoreFor(t.config) };
  marie = await createFamily(t.db, { firstName: 'Marie', lastName: 'Lefebvre' });
  other = await createFamily(t.db, { firstName: 'Paul', lastName: 'Autre' });
  staff = await createAccount(t.db, { kind: 'staff', firstName: 'Claire' });
  colleague = await createAccount(t.db, { kind: 'staff', firstName: 'Hugo' });
});
after(() => t.close());

describe('references', () => {
  test('requests created at the same moment all get a different reference, numbered without gaps', async () => {
    const before = await t.db('reference_sequences').where({ prefix: 'DV', year: 2026 }).first();
    const start = Number(before?.last_value ?? 0);
    const results = await Promise.all(Array.from({ length: 12 }, () => newRequest(marie, 'devis')));
    const references = results.map((r) => r.reference).sort();
    assert.equal(new Set(references).size, 12);
    assert.deepEqual(
      references,
      Array.from({ length: 12 }, (_, i) => `DV-2026-${String(start + i + 1).padStart(6, '0')}`),
    );
  });
});

describe('files', () => {
  test('a refused request leaves no row and deletes its files', async () => {
    const files = [storedFile('requests'), storedFile('requests')];
    const count = await t.db('requests').count({ n: '*' }).first();
    const result = await createRequest(ctx, actorOf(marie), {
      kind: 'remboursement',
      object: 'optique',
      beneficiaryId: other.beneficiaries.conjoint,
      message: null,
      files,
    });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.field, 'beneficiaire');
    for (const f of files) assert.equal(fs.existsSync(f.path), false, 'file deleted');
    assert.deepEqual(await t.db('requests').count({ n: '*' }).first(), count);
  });

  test('a crash in the middle of the transaction rolls the request back and deletes its files', async () => {
    const kept = await newRequest(marie);
    const existing = await t.db('request_attachments').where({ request_id: kept.id }).first('stored_name');
    // The second file's row breaks a NOT NULL column: the insert fails after the request row was
    // written. (A stored name already recorded is not a crash but a 409: the test below.)
    const fresh = storedFile('requests');
    const broken = { ...storedFile('requests'), mime: null as unknown as string };
    const references = await t.db('requests').count({ n: '*' }).first();
    await assert.rejects(
      createRequest(ctx, actorOf(marie), {
        kind: 'remboursement',
        object: 'optique',
        beneficiaryId: marie.beneficiaries.assure,
        message: null,
        files: [fresh, broken],
      }),
    );
    assert.equal(fs.existsSync(fresh.path), false);
    assert.equal(fs.existsSync(broken.path), false);
    assert.deepEqual(await t.db('requests').count({ n: '*' }).first(), references);
    assert.ok(fs.existsSync(path.join(t.config.uploadDir, 'requests', existing.stored_name)), 'the other request keeps its file');
  });

  test('the sweep deletes files no row points to once a day old, and nothing else', async () => {
    const request = await newRequest(marie);
    const recorded = await t.db('request_attachments').where({ request_id: request.id }).first('stored_name');
    const recordedPath = path.join(t.config.uploadDir, 'requests', recorded.stored_name);
    const oldOrphan = storedFile('messages');
    const youngOrphan = storedFile('requests');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    fs.utimesSync(oldOrphan.path, twoDaysAgo, twoDaysAgo);
    fs.utimesSync(recordedPath, twoDaysAgo, twoDaysAgo);
    const removed = await sweepOrphanFiles(t.db, fileStoreFor(t.config), new Date());
    assert.ok(removed >= 1);
    assert.equal(fs.existsSync(oldOrphan.path), false);
    assert.equal(fs.existsSync(youngOrphan.path), true);
    assert.equal(fs.existsSync(recordedPath), true);
  });

  test('a file a committed row points to is never deleted by a failed operation; its unique name refused is a 409, not a 500', async () => {
    const file = storedFile('requests');
    await newRequest(marie, 'remboursement', [file]);
    // The same stored file given to a second operation (two sendings that both held it).
    const again = await createRequest(ctx, actorOf(marie), {
      kind: 'remboursement',
      object: 'optique',
      beneficiaryId: marie.beneficiaries.enfant1,
      message: null,
      files: [file],
    });
    assert.deepEqual(again, { ok: false, code: 'conflict', reason: CORRESPONDENCE_MESSAGES.duplicate });
    assert.equal(fs.existsSync(file.path), true);
    // Refused for another reason, the recorded file stays too; a file the failed operation alone held goes.
    const mine = storedFile('requests');
    const refused = await createRequest(ctx, actorOf(marie), {
      kind: 'remboursement',
      object: 'inconnu',
      beneficiaryId: marie.beneficiaries.enfant1,
      message: null,
      files: [file, mine],
    });
    assert.equal(refused.ok, false);
    assert.equal(fs.existsSync(file.path), true);
    assert.equal(fs.existsSync(mine.path), false);
  });

  test('the sweep leaves the files a form keeps for its next sending, and forgets those kept for more than a day', async () => {
    const kept = storedFile('requests', 'garde.pdf');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    fs.utimesSync(kept.path, twoDaysAgo, twoDaysAgo);
    await keepPending(t.db, marie.accountId, 'remboursement', 'requests', [kept], new Date());
    await sweepOrphanFiles(t.db, fileStoreFor(t.config), new Date());
    assert.equal(fs.existsSync(kept.path), true);
    assert.equal((await listPending(t.db, fileStoreFor(t.config), marie.accountId, 'remboursement')).length, 1);
    await sweepOrphanFiles(t.db, fileStoreFor(t.config), new Date(Date.now() + 2 * 24 * 3600 * 1000));
    assert.equal(fs.existsSync(kept.path), false);
    assert.deepEqual(await listPending(t.db, fileStoreFor(t.config), marie.accountId, 'remboursement'), []);
  });
});

describe('a demande de remboursement through its life', () => {
  test('missing document → completed → accepted: the timeline, the member told, the email without the amount', async () => {
    const request = await newRequest(marie);
    t.clock.advance(3600_000);
    const asked = await staffRequestAction(ctx, { side: 'staff', accountId: staff.id }, request.id, {
      type: 'ask_document',
      documents: 'La prescription médicale',
    });
    assert.deepEqual(asked, { ok: true, status: 'missing_document' });
    // Accepting waits for the member's documents.
    const early = await staffRequestAction(ctx, { side: 'staff', accountId: staff.id }, request.id, {
      type: 'accept',
      amountCents: 12000,
      paymentDay: '2026-11-25',
    });
    assert.equal(early.ok === false && early.code, 'refused');
    t.clock.advance(3600_000);
    const file = storedFile('requests', 'prescription.pdf');
    const added = await addMissingDocuments(ctx, actorOf(marie), request.id, [file]);
    assert.equal(added.ok && added.status, 'completed');
    // Twice is refused, and the file of the refused attempt is gone.
    const again = storedFile('requests');
    assert.equal((await addMissingDocuments(ctx, actorOf(marie), request.id, [again])).ok, false);
    assert.equal(fs.existsSync(again.path), false);
    t.clock.advance(3600_000);
    const accepted = await staffRequestAction(ctx, { side: 'staff', accountId: staff.id }, request.id, {
      type: 'accept',
      amountCents: 12000,
      paymentDay: '2026-11-25',
    });
    assert.deepEqual(accepted, { ok: true, status: 'processed' });

    const seen = await q.findRequest(t.db, memberScope(marie), request.id);
    assert.ok(seen);
    assert.equal(seen.reimbursed_amount_cents, 12000);
    assert.equal(seen.payment_day, '2026-11-25');
    assert.deepEqual(
      seen.events.map((e) => e.status),
      ['received', 'missing_document', 'completed', 'in_progress', 'processed'],
    );
    assert.equal(seen.attachments.filter((a) => a.event_id === seen.events[2].id).length, 1, 'the added document belongs to its step');
    const notices = await t.db('notifications').where({ account_id: marie.accountId }).orderBy('id').select('title', 'link');
    assert.deepEqual(
      notices.map((n) => n.title),
      [`Document manquant pour votre demande ${request.reference}`, `Votre demande ${request.reference} a été traitée`],
    );
    const email = await t.db('outbox').where({ recipient: marie.email }).orderBy('id', 'desc').first();
    assert.match(email.body_text, new RegExp(request.reference));
    assert.doesNotMatch(email.body_text, /120|€/);
    const audit = await t
      .db('audit_log')
      .where('event', 'like', 'correspondence_%')
      .whereRaw('detail like ?', [`%${request.reference}%`])
      .orderBy('id')
      .select('event');
    assert.deepEqual(
      audit.map((a) => a.event),
      ['correspondence_request_created', 'correspondence_document_asked', 'correspondence_documents_added', 'correspondence_request_accepted'],
    );
  });

  test('a decided request takes no more action; actions of the wrong kind or side are refused', async () => {
    const request = await newRequest(marie);
    const refused = await staffRequestAction(ctx, { side: 'staff', accountId: staff.id }, request.id, { type: 'refuse', reason: 'Facture illisible' });
    assert.equal(refused.ok && refused.status, 'refused');
    const after = await staffRequestAction(ctx, { side: 'staff', accountId: staff.id }, request.id, { type: 'start' });
    assert.equal(after.ok === false && after.code, 'refused');
    const devis = await newRequest(marie, 'devis');
    const wrong = await staffRequestAction(ctx, { side: 'staff', accountId: staff.id }, devis.id, { type: 'accept', amountCents: 1, paymentDay: '2026-11-25' });
    assert.equal(wrong.ok === false && wrong.code, 'invalid');
    const answer = await staffRequestAction(ctx, { side: 'staff', accountId: staff.id }, devis.id, {
      type: 'answer_devis',
      lines: [
        { label: 'Monture', amountCents: 15000, reimbursedCents: 10000 },
        { label: 'Verres', amountCents: 30000, reimbursedCents: 20000 },
      ],
    });
    assert.equal(answer.ok && answer.status, 'processed');
    const row = await t.db('requests').where({ id: devis.id }).first('estimated_amount_cents', 'answer_lines');
    assert.equal(row.estimated_amount_cents, 30000);
    assert.equal(JSON.parse(row.answer_lines).length, 2);
  });

  test("internal notes and assignments stay out of the member's timeline", async () => {
    const request = await newRequest(marie);
    await staffRequestAction(ctx, { side: 'staff', accountId: staff.id }, request.id, { type: 'assign', to: colleague.id });
    await staffRequestAction(ctx, { side: 'staff', accountId: staff.id }, request.id, { type: 'note', text: 'Vérifier le tarif' });
    const forMember = await q.findRequest(t.db, memberScope(marie), request.id);
    const forStaff = await q.findRequest(t.db, { side: 'staff', accountId: staff.id }, request.id);
    assert.deepEqual(
      forMember?.events.map((e) => e.action),
      ['create'],
    );
    assert.deepEqual(
      forStaff?.events.map((e) => e.action),
      ['create', 'assign', 'note'],
    );
    assert.equal(forStaff?.assigned_account_id, colleague.id);
    const notStaff = await staffRequestAction(ctx, { side: 'staff', accountId: staff.id }, request.id, { type: 'assign', to: marie.accountId });
    assert.equal(notStaff.ok === false && notStaff.field, 'gestionnaire');
  });
});

describe('scoping', () => {
  test("another family's request, its files and its timeline are not found", async () => {
    const request = await newRequest(marie);
    assert.equal(await q.findRequest(t.db, memberScope(other), request.id), undefined);
    assert.equal(await q.findRequest(t.db, { side: 'hr', accountId: 1 }, request.id), undefined);
    const attachment = await t.db('request_attachments').where({ request_id: request.id }).first('id');
    assert.equal(await q.findRequestAttachment(t.db, memberScope(other), attachment.id), undefined);
    assert.ok(await q.findRequestAttachment(t.db, memberScope(marie), attachment.id));
    const list = await q.listMemberRequests(t.db, other.memberId, 1, 50);
    assert.equal(
      list.rows.some((r) => r.id === request.id),
      false,
    );
    const file = storedFile('requests');
    const result = await addMissingDocuments(ctx, actorOf(other), request.id, [file]);
    assert.equal(result.ok === false && result.code, 'not_found');
    assert.equal(fs.existsSync(file.path), false);
  });

  test("a member's thread is theirs alone; internal notes and their files are never shown outside", async () => {
    const thread = await createThread(ctx, actorOf(marie), { category: 'tiers_payant', object: 'carte_refusee', body: 'Ma carte est refusée.', files: [] });
    assert.ok(thread.ok);
    assert.equal(await q.findThread(t.db, memberScope(other), thread.id), undefined);
    assert.equal((await replyAsOwner(ctx, actorOf(other), thread.id, 'Intrus', [])).ok, false);
    const note = storedFile('messages');
    await staffThreadAction(ctx, { side: 'staff', accountId: staff.id }, thread.id, { type: 'note', body: 'Client connu' });
    const reply = await staffThreadAction(ctx, { side: 'staff', accountId: staff.id }, thread.id, {
      type: 'reply',
      body: 'Voici la marche à suivre.',
      files: [note],
    });
    assert.equal(reply.ok && reply.status, 'answered');
    const shown = await q.threadMessages(t.db, thread.id, 'member');
    assert.deepEqual(
      shown.map((m) => m.body),
      ['Ma carte est refusée.', 'Voici la marche à suivre.'],
    );
    assert.equal((await q.threadMessages(t.db, thread.id, 'staff')).length, 3);
    const attached = await t.db('message_attachments').where({ stored_name: note.storedName }).first('id');
    assert.ok(await q.findMessageAttachment(t.db, memberScope(marie), attached.id));
    assert.equal(await q.findMessageAttachment(t.db, memberScope(other), attached.id), undefined);
    // The staff reply email says nothing of the answer.
    const email = await t.db('outbox').where({ recipient: marie.email }).orderBy('id', 'desc').first();
    assert.doesNotMatch(email.body_text, /marche à suivre/);
  });
});

describe('company threads', () => {
  let verdier: TestCompany;
  let horizon: TestCompany;
  let admin: { id: number };
  let user: { id: number };
  let outsider: { id: number };
  let employee: number;
  let foreignEmployee: number;

  before(async () => {
    verdier = await createHrCompany(t.db, 'Verdier Immobilier');
    horizon = await createHrCompany(t.db, 'Horizon Gestion');
    admin = await createHrUser(t.db, [{ company: verdier, role: 'admin' }]);
    user = await createHrUser(t.db, [{ company: verdier, role: 'user' }]);
    outsider = await createHrUser(t.db, [{ company: horizon, role: 'admin' }]);
    employee = (await addEmployee(t.db, verdier, verdier.establishments[0])).memberId;
    foreignEmployee = (await addEmployee(t.db, horizon, horizon.establishments[0])).memberId;
  });

  test('« Transmettre des documents pour mon salarié » names an employee of their perimeter', async () => {
    const hr = { side: 'hr' as const, accountId: admin.id };
    const base = { category: 'mes_salaries', object: 'documents_salarie', body: 'Justificatif joint.', files: [], companyId: verdier.companyId };
    const missing = await createThread(ctx, hr, base);
    assert.equal(missing.ok === false && missing.field, 'salarie');
    const foreign = await createThread(ctx, hr, { ...base, subjectMemberId: foreignEmployee });
    assert.equal(foreign.ok === false && foreign.field, 'salarie');
    const otherCompany = await createThread(ctx, hr, { ...base, companyId: horizon.companyId, subjectMemberId: employee });
    assert.equal(otherCompany.ok === false && otherCompany.field, 'entreprise');
    const ok = await createThread(ctx, hr, { ...base, subjectMemberId: employee });
    assert.ok(ok.ok);
    assert.equal((await t.db('message_threads').where({ id: ok.id }).first('subject_member_id')).subject_member_id, employee);
  });

  test('every HR user of the company sees its threads; unread counts are per account', async () => {
    const thread = await createThread(
      ctx,
      { side: 'hr', accountId: admin.id },
      { category: 'mes_salaries', object: 'radiation_salarie', body: 'Radiation de M. Girard.', files: [], companyId: verdier.companyId },
    );
    assert.ok(thread.ok);
    const scopeOf = (id: number): q.OwnerScope => ({ side: 'hr', accountId: id });
    assert.ok(await q.findThread(t.db, scopeOf(user.id), thread.id), 'a colleague sees it');
    assert.equal(await q.findThread(t.db, scopeOf(outsider.id), thread.id), undefined);
    const before = { admin: await q.unreadThreadCount(t.db, scopeOf(admin.id)), user: await q.unreadThreadCount(t.db, scopeOf(user.id)) };
    t.clock.advance(60_000);
    await staffThreadAction(ctx, { side: 'staff', accountId: staff.id }, thread.id, { type: 'reply', body: 'C’est noté.', files: [] });
    assert.equal(await q.unreadThreadCount(t.db, scopeOf(admin.id)), before.admin + 1);
    assert.equal(await q.unreadThreadCount(t.db, scopeOf(user.id)), before.user + 1);
    assert.equal(await q.unreadThreadCount(t.db, scopeOf(outsider.id)), 0);
    t.clock.advance(60_000);
    assert.equal(await q.markThreadRead(t.db, scopeOf(user.id), thread.id, t.clock().toISOString()), true);
    assert.equal(await q.unreadThreadCount(t.db, scopeOf(user.id)), before.user);
    assert.equal(await q.unreadThreadCount(t.db, scopeOf(admin.id)), before.admin + 1, "the colleague's reading is not the admin's");
    assert.equal(await q.markThreadRead(t.db, scopeOf(outsider.id), thread.id, t.clock().toISOString()), false);
    // The colleague answers in the company's thread: back to the insurer.
    const reply = await replyAsOwner(ctx, { side: 'hr', accountId: user.id }, thread.id, 'Merci, et pour la portabilité ?', []);
    assert.equal(reply.ok && reply.status, 'open');
    const notified = await t.db('notifications').whereIn('account_id', [admin.id, user.id, outsider.id]).where({ kind: 'message_reply' }).select('account_id');
    assert.deepEqual(notified.map((n) => n.account_id).sort(), [admin.id, user.id].sort());
  });

  test('a closed thread takes no reply from its owner', async () => {
    const thread = await createThread(
      ctx,
      { side: 'hr', accountId: admin.id },
      { category: 'gerer_contrat', object: 'autre_demande', body: 'Attestation ?', files: [], companyId: verdier.companyId },
    );
    assert.ok(thread.ok);
    await staffThreadAction(ctx, { side: 'staff', accountId: staff.id }, thread.id, { type: 'close' });
    const file = storedFile('messages');
    const reply = await replyAsOwner(ctx, { side: 'hr', accountId: admin.id }, thread.id, 'Encore moi', [file]);
    assert.equal(reply.ok === false && reply.code, 'refused');
    assert.equal(fs.existsSync(file.path), false);
  });
});

describe('staff inbox', () => {
  test('oldest first, filtered by space, status, assignee and lateness, paged', async () => {
    // The items created by the tests above share this database: the exact lists below keep only
    // the items made here, all after a clock jump (mine).
    t.clock.set(new Date('2027-03-01T08:00:00.000Z'));
    const first = await newRequest(other);
    t.clock.advance(60_000);
    const thread = await createThread(ctx, actorOf(other), { category: 'contrat', object: 'garanties', body: 'Question', files: [] });
    assert.ok(thread.ok);
    t.clock.advance(60_000);
    const second = await newRequest(other, 'devis');
    await staffRequestAction(ctx, { side: 'staff', accountId: staff.id }, second.id, { type: 'assign', to: colleague.id });

    const mine = (rows: q.InboxItem[]) => rows.filter((r) => r.created_at >= '2027-03-01').map((r) => `${r.item_type}:${r.id}`);
    const all = await q.staffInbox(t.db, { space: 'assure' }, '2027-03-01', 1, 500);
    assert.deepEqual(mine(all.rows), [`request:${first.id}`, `thread:${thread.id}`, `request:${second.id}`]);
    const created = all.rows.map((r) => r.created_at);
    assert.deepEqual(created, [...created].sort(), 'oldest first');
    assert.equal(all.total, all.rows.length);

    const assigned = await q.staffInbox(t.db, { assignedTo: colleague.id }, '2027-03-01', 1, 500);
    assertIncludes(mine(assigned.rows), `request:${second.id}`);
    assertExcludes(mine(assigned.rows), `request:${first.id}`);

    const entreprise = await q.staffInbox(t.db, { space: 'entreprise' }, '2027-03-01', 1, 500);
    assert.ok(entreprise.rows.every((r) => r.item_type === 'thread' && r.owner_kind === 'hr'));

    // Nothing is late on the day; a month later the insurer's items are.
    assert.deepEqual(mine((await q.staffInbox(t.db, { late: true }, '2027-03-01', 1, 500)).rows), []);
    const late = await q.staffInbox(t.db, { late: true, space: 'assure' }, '2027-04-01', 1, 500);
    assert.deepEqual(mine(late.rows), [`request:${first.id}`, `thread:${thread.id}`, `request:${second.id}`]);
    assert.ok(late.rows.every((r) => r.late));

    await staffRequestAction(ctx, { side: 'staff', accountId: staff.id }, first.id, { type: 'ask_document', documents: 'La facture' });
    const awaiting = await q.staffInbox(t.db, { status: 'awaiting' }, '2027-04-01', 1, 500);
    assertIncludes(mine(awaiting.rows), `request:${first.id}`);
    assert.ok(awaiting.rows.every((r) => r.inbox_status === 'awaiting'));
    assertExcludes(mine((await q.staffInbox(t.db, { late: true }, '2027-04-01', 1, 500)).rows), `request:${first.id}`, 'waiting for the member is not late');

    const news = await q.staffInbox(t.db, { status: 'new', space: 'assure' }, '2027-03-01', 1, 500);
    const pages = [
      await q.staffInbox(t.db, { status: 'new', space: 'assure' }, '2027-03-01', 1, 2),
      await q.staffInbox(t.db, { status: 'new', space: 'assure' }, '2027-03-01', 2, 2),
    ];
    assert.deepEqual(
      pages.flatMap((p) => p.rows.map((r) => `${r.item_type}:${r.id}`)),
      news.rows.slice(0, 4).map((r) => `${r.item_type}:${r.id}`),
    );
    assert.equal(pages[0].total, news.total);
  });
});

describe('télétransmission requests', () => {
  test('the member asks, the request reaches the inbox, staff confirms and the NOEMIE status moves', async () => {
    const asked = await requestTeletransmissionChange(ctx, actorOf(marie), marie.beneficiaries.conjoint, 'request_activation');
    assert.ok(asked.ok && asked.requestId);
    assert.match(asked.reference!, /^DT-\d{4}-\d{6}$/);
    const foreign = await requestTeletransmissionChange(ctx, actorOf(other), marie.beneficiaries.enfant2, 'request_activation');
    assert.equal(foreign.ok === false && foreign.code, 'not_found');
    const inbox = await q.staffInbox(t.db, { category: 'teletransmission', status: 'new' }, '2027-03-01', 1, 500);
    assert.ok(inbox.rows.some((r) => r.id === asked.requestId));
    const confirmed = await staffRequestAction(ctx, { side: 'staff', accountId: staff.id }, asked.requestId, { type: 'confirm_teletransmission' });
    assert.equal(confirmed.ok && confirmed.status, 'processed');
    const beneficiary = await t.db('beneficiaries').where({ id: marie.beneficiaries.conjoint }).first('teletransmission_status');
    assert.equal(beneficiary.teletransmission_status, 'active');
    const events = await t.db('teletransmission_events').where({ beneficiary_id: marie.beneficiaries.conjoint }).whereNull('processed_at');
    assert.equal(events.length, 0, 'the fund request is processed');
  });

  test('a cancelled request leaves the inbox', async () => {
    const asked = await requestTeletransmissionChange(ctx, actorOf(marie), marie.beneficiaries.enfant1, 'request_activation');
    assert.ok(asked.ok);
    const cancelled = await requestTeletransmissionChange(ctx, actorOf(marie), marie.beneficiaries.enfant1, 'cancel_request');
    assert.ok(cancelled.ok);
    assert.equal(await t.db('requests').where({ id: asked.requestId! }).first(), undefined);
    assert.equal((await t.db('beneficiaries').where({ id: marie.beneficiaries.enfant1 }).first('teletransmission_status')).teletransmission_status, 'inactive');
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  REQUEST_MESSAGES,
  REQUEST_STATUSES,
  THREAD_MESSAGES,
  THREAD_STATUSES,
  expectedAnswerDate,
  formatReference,
  isRequestLate,
  isThreadLate,
  messageVisibleTo,
  parseReference,
  paymentDayError,
  paymentDayRange,
  requestActionLabel,
  requestStatusLabels,
  requestTransition,
  threadStatusLabel,
  threadTransition,
  unreadByOwner,
  type RequestAction,
  type RequestStatus,
  type ThreadAction,
  type ThreadStatus,
} from '../../src/domain/correspondence.js';

describe('request statuses', () => {
  test('the labels of the timeline', () => {
    assert.deepEqual(
      REQUEST_STATUSES.map((s) => requestStatusLabels[s]),
      ['Reçue', 'En cours', 'Document manquant', 'Complétée', 'Traitée', 'Refusée'],
    );
  });

  test('every allowed transition, with the steps the timeline shows', () => {
    const allowed: [RequestStatus, RequestAction, 'member' | 'staff', RequestStatus, RequestStatus[]][] = [
      ['received', 'start', 'staff', 'in_progress', ['in_progress']],
      ['completed', 'start', 'staff', 'in_progress', ['in_progress']],
      ['received', 'ask_document', 'staff', 'missing_document', ['missing_document']],
      ['in_progress', 'ask_document', 'staff', 'missing_document', ['missing_document']],
      ['completed', 'ask_document', 'staff', 'missing_document', ['missing_document']],
      ['missing_document', 'add_document', 'member', 'completed', ['completed']],
      ['received', 'accept', 'staff', 'processed', ['in_progress', 'processed']],
      ['in_progress', 'accept', 'staff', 'processed', ['processed']],
      ['completed', 'accept', 'staff', 'processed', ['in_progress', 'processed']],
      ['received', 'refuse', 'staff', 'refused', ['in_progress', 'refused']],
      ['in_progress', 'refuse', 'staff', 'refused', ['refused']],
      ['completed', 'refuse', 'staff', 'refused', ['in_progress', 'refused']],
      ['missing_document', 'refuse', 'staff', 'refused', ['refused']],
    ];
    for (const [from, action, side, to, steps] of allowed) {
      assert.deepEqual(requestTransition(from, action, side), { ok: true, from, to, steps }, `${from} --${action}-->`);
    }
    const count = allowed.length;
    // Everything else is refused: 6 statuses × 5 actions, each with its one side.
    let refused = 0;
    const actions: RequestAction[] = ['start', 'ask_document', 'add_document', 'accept', 'refuse'];
    for (const status of REQUEST_STATUSES) {
      for (const action of actions) {
        const side = action === 'add_document' ? 'member' : 'staff';
        if (!requestTransition(status, action, side).ok) refused += 1;
      }
    }
    assert.equal(refused, REQUEST_STATUSES.length * actions.length - count);
  });

  test('refusals say why, in French', () => {
    assert.deepEqual(requestTransition('processed', 'refuse', 'staff'), { ok: false, reason: REQUEST_MESSAGES.closed });
    assert.deepEqual(requestTransition('refused', 'add_document', 'member'), { ok: false, reason: REQUEST_MESSAGES.closed });
    assert.deepEqual(requestTransition('missing_document', 'accept', 'staff'), { ok: false, reason: REQUEST_MESSAGES.waitingForMember });
    assert.deepEqual(requestTransition('in_progress', 'start', 'staff'), { ok: false, reason: REQUEST_MESSAGES.alreadyInProgress });
    assert.deepEqual(requestTransition('in_progress', 'add_document', 'member'), { ok: false, reason: REQUEST_MESSAGES.noDocumentAsked });
    assert.deepEqual(requestTransition('missing_document', 'ask_document', 'staff'), { ok: false, reason: REQUEST_MESSAGES.alreadyWaiting });
  });

  test('each side keeps to its own actions', () => {
    assert.deepEqual(requestTransition('received', 'accept', 'member'), { ok: false, reason: REQUEST_MESSAGES.staffOnly });
    assert.deepEqual(requestTransition('received', 'accept', 'hr'), { ok: false, reason: REQUEST_MESSAGES.staffOnly });
    assert.deepEqual(requestTransition('missing_document', 'add_document', 'staff'), { ok: false, reason: REQUEST_MESSAGES.memberOnly });
  });

  test('the accept button names what accepting means for the kind', () => {
    assert.equal(requestActionLabel('devis', 'accept'), 'Répondre au devis');
    assert.equal(requestActionLabel('teletransmission', 'accept'), 'Confirmer la demande');
    assert.equal(requestActionLabel('remboursement', 'accept'), 'Accepter le remboursement');
  });
});

describe('reference numbers', () => {
  test('prefix, year and a 6-digit sequence', () => {
    assert.equal(formatReference('remboursement', 2026, 123), 'DR-2026-000123');
    assert.equal(formatReference('devis', 2026, 1), 'DV-2026-000001');
    assert.equal(formatReference('teletransmission', 2027, 45), 'DT-2027-000045');
    assert.equal(formatReference('message', 2026, 1_234_567), 'MS-2026-1234567');
    assert.throws(() => formatReference('devis', 2026, 0), RangeError);
    assert.throws(() => formatReference('devis', 26, 1), RangeError);
  });

  test('a typed reference is read back', () => {
    assert.deepEqual(parseReference(' dr-2026-123 '), { kind: 'remboursement', year: 2026, sequence: 123, reference: 'DR-2026-000123' });
    assert.equal(parseReference('XX-2026-000123'), null);
    assert.equal(parseReference('DR-2026-000000'), null);
    assert.equal(parseReference('DR2026000123'), null);
  });
});

describe('service levels', () => {
  test('the expected answer date counts business days, from the completion when documents were missing', () => {
    // Received Friday 10 July 2026, 5 business days: 13, (14 juillet), 15, 16, 17, 20.
    assert.equal(expectedAnswerDate({ receivedDay: '2026-07-10' }, 5), '2026-07-20');
    assert.equal(expectedAnswerDate({ receivedDay: '2026-07-10', completedDay: '2026-07-24' }, 5), '2026-07-31');
  });

  test('late only when it is the insurer’s turn and the expected day is past', () => {
    const expectedDay = '2026-07-20';
    assert.equal(isRequestLate({ status: 'in_progress', expectedDay }, '2026-07-20'), false);
    assert.equal(isRequestLate({ status: 'in_progress', expectedDay }, '2026-07-21'), true);
    assert.equal(isRequestLate({ status: 'received', expectedDay }, '2026-08-01'), true);
    assert.equal(isRequestLate({ status: 'missing_document', expectedDay }, '2026-08-01'), false);
    assert.equal(isRequestLate({ status: 'processed', expectedDay }, '2026-08-01'), false);
    assert.equal(isThreadLate({ status: 'new', expectedDay }, '2026-07-21'), true);
    assert.equal(isThreadLate({ status: 'awaiting', expectedDay }, '2026-07-21'), false);
    assert.equal(isThreadLate({ status: 'answered', expectedDay }, '2026-07-21'), false);
  });
});

describe('the payment day of an accepted remboursement', () => {
  test('from 30 days before the request was received to 12 months after today, both included; the message names the range', () => {
    // Received 15 March 2026 (30 days before: 13 February), accepted 10 April 2026 (a year after: 10 April 2027).
    assert.deepEqual(paymentDayRange('2026-03-15', '2026-04-10'), { earliest: '2026-02-13', latest: '2027-04-10' });
    for (const day of ['2026-02-13', '2026-03-15', '2026-04-10', '2027-04-10']) assert.equal(paymentDayError(day, '2026-03-15', '2026-04-10'), null, day);
    for (const day of ['2026-02-12', '2027-04-11', '1990-01-01', '2099-12-31']) {
      assert.equal(paymentDayError(day, '2026-03-15', '2026-04-10'), 'La date du paiement doit être comprise entre le 13/02/2026 et le 10/04/2027.', day);
    }
    // A 29 February today: a year later is the 28th.
    assert.equal(paymentDayRange('2028-02-01', '2028-02-29').latest, '2029-02-28');
  });
});

describe('threads', () => {
  test('labels, the awaiting one naming the owner', () => {
    assert.deepEqual(
      THREAD_STATUSES.map((s) => threadStatusLabel(s, 'member')),
      ['Nouveau', 'En cours', "En attente de l'assuré", 'Répondu', 'Clos'],
    );
    assert.equal(threadStatusLabel('awaiting', 'hr'), "En attente de l'entreprise");
  });

  test('whose turn after each action', () => {
    const cases: [ThreadStatus, ThreadAction, 'member' | 'hr' | 'staff', ThreadStatus][] = [
      ['new', 'owner_reply', 'member', 'new'],
      ['answered', 'owner_reply', 'hr', 'open'],
      ['awaiting', 'owner_reply', 'member', 'open'],
      ['new', 'assign', 'staff', 'open'],
      ['awaiting', 'assign', 'staff', 'awaiting'],
      ['new', 'staff_reply', 'staff', 'answered'],
      ['open', 'staff_ask', 'staff', 'awaiting'],
      ['answered', 'close', 'staff', 'closed'],
      ['closed', 'reopen', 'staff', 'open'],
      ['closed', 'note', 'staff', 'closed'],
      ['open', 'note', 'staff', 'open'],
    ];
    for (const [from, action, side, to] of cases) {
      assert.deepEqual(threadTransition(from, action, side), { ok: true, from, to }, `${from} --${action}-->`);
    }
  });

  test('refused moves', () => {
    assert.deepEqual(threadTransition('closed', 'owner_reply', 'member'), { ok: false, reason: THREAD_MESSAGES.closed });
    assert.deepEqual(threadTransition('closed', 'staff_reply', 'staff'), { ok: false, reason: THREAD_MESSAGES.closed });
    assert.deepEqual(threadTransition('closed', 'close', 'staff'), { ok: false, reason: THREAD_MESSAGES.closed });
    assert.deepEqual(threadTransition('open', 'reopen', 'staff'), { ok: false, reason: THREAD_MESSAGES.notClosed });
    for (const action of ['assign', 'staff_reply', 'staff_ask', 'note', 'close', 'reopen'] as const) {
      assert.deepEqual(threadTransition('open', action, 'member'), { ok: false, reason: THREAD_MESSAGES.staffOnly }, action);
      assert.deepEqual(threadTransition('open', action, 'hr'), { ok: false, reason: THREAD_MESSAGES.staffOnly }, action);
    }
    assert.deepEqual(threadTransition('open', 'owner_reply', 'staff'), { ok: false, reason: THREAD_MESSAGES.ownerOnly });
  });

  test('internal notes stay with staff', () => {
    assert.equal(messageVisibleTo({ internal: true }, 'staff'), true);
    assert.equal(messageVisibleTo({ internal: true }, 'member'), false);
    assert.equal(messageVisibleTo({ internal: true }, 'hr'), false);
    assert.equal(messageVisibleTo({ internal: false }, 'hr'), true);
  });

  test('unread for the owner when staff wrote after their last visit', () => {
    assert.equal(unreadByOwner({ lastStaffMessageAt: null, ownerReadAt: null }), false);
    assert.equal(unreadByOwner({ lastStaffMessageAt: '2026-07-10T09:00:00.000Z', ownerReadAt: null }), true);
    assert.equal(unreadByOwner({ lastStaffMessageAt: '2026-07-10T09:00:00.000Z', ownerReadAt: '2026-07-10T08:59:59.000Z' }), true);
    assert.equal(unreadByOwner({ lastStaffMessageAt: '2026-07-10T09:00:00.000Z', ownerReadAt: '2026-07-10T09:00:00.000Z' }), false);
  });
});

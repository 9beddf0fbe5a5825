import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AFFILIATION_MESSAGES,
  draftSavedTransition,
  affiliationEventDetail,
  affiliationEventLabel,
  DECISION_MESSAGES,
  DECISION_REASON_MAX,
  checkDecision,
  AFFILIATION_STATUSES,
  affiliationStatusLabels,
  linkUsable,
  newAffiliationLink,
  paperEntryTransition,
  reminderAllowed,
  transition,
  type AffiliationAction,
} from '../../src/domain/affiliation-requests.js';
import { hashToken } from '../../src/domain/secrets.js';

describe('affiliation request statuses', () => {
  test("the guide's labels, word for word", () => {
    assert.deepEqual(
      AFFILIATION_STATUSES.map((s) => affiliationStatusLabels[s]),
      ["Envoyé à l'employé", 'Démarré par le salarié', 'Finalisé par le salarié', 'Abandonné', 'Annulé'],
    );
  });

  test('every allowed transition', () => {
    const allowed: [string, AffiliationAction, string][] = [
      ['sent', 'start', 'started'],
      ['started', 'start', 'started'],
      ['sent', 'submit', 'finalized'],
      ['started', 'submit', 'finalized'],
      ['sent', 'cancel', 'cancelled'],
      ['started', 'cancel', 'cancelled'],
      ['sent', 'expire', 'abandoned'],
      ['started', 'expire', 'abandoned'],
    ];
    for (const [from, action, to] of allowed) {
      assert.deepEqual(transition(from as never, action), { ok: true, from, to }, `${from} --${action}-->`);
    }
  });

  test('every other transition is refused with a French reason', () => {
    const actions: AffiliationAction[] = ['start', 'submit', 'cancel', 'expire'];
    for (const status of ['finalized', 'abandoned', 'cancelled'] as const) {
      for (const action of actions) {
        const result = transition(status, action);
        assert.equal(result.ok, false, `${status} --${action}--> must be refused`);
      }
    }
    assert.deepEqual(transition('finalized', 'cancel'), { ok: false, reason: AFFILIATION_MESSAGES.cancelFinalized });
    assert.deepEqual(transition('finalized', 'submit'), { ok: false, reason: AFFILIATION_MESSAGES.alreadyFinalized });
    assert.deepEqual(transition('abandoned', 'submit'), { ok: false, reason: AFFILIATION_MESSAGES.alreadyClosed });
    assert.deepEqual(transition('cancelled', 'cancel'), { ok: false, reason: AFFILIATION_MESSAGES.alreadyClosed });
  });
});

describe("the employee's first draft", () => {
  test("moves a request « Envoyé à l'employé » to « Démarré par le salarié »; later drafts change nothing", () => {
    assert.deepEqual(draftSavedTransition('sent'), { ok: true, from: 'sent', to: 'started' });
    for (const status of ['started', 'finalized', 'abandoned', 'cancelled'] as const) assert.equal(draftSavedTransition(status), null, status);
  });
});

describe('the paper bulletin typed by the insurer', () => {
  test('a Courrier request still with the employee moves to « Finalisé par le salarié »', () => {
    assert.deepEqual(paperEntryTransition({ mode: 'courrier', status: 'sent' }), { ok: true, from: 'sent', to: 'finalized' });
    assert.deepEqual(paperEntryTransition({ mode: 'courrier', status: 'started' }), { ok: true, from: 'started', to: 'finalized' });
  });
  test('refused in mode Email, and for a request finalized, cancelled or abandoned, with the reason', () => {
    for (const status of ['sent', 'started', 'finalized'] as const) {
      assert.deepEqual(paperEntryTransition({ mode: 'email', status }), { ok: false, reason: AFFILIATION_MESSAGES.paperOnlyCourrier });
    }
    assert.deepEqual(paperEntryTransition({ mode: 'courrier', status: 'finalized' }), { ok: false, reason: AFFILIATION_MESSAGES.alreadyFinalized });
    assert.deepEqual(paperEntryTransition({ mode: 'courrier', status: 'cancelled' }), { ok: false, reason: AFFILIATION_MESSAGES.alreadyClosed });
    assert.deepEqual(paperEntryTransition({ mode: 'courrier', status: 'abandoned' }), { ok: false, reason: AFFILIATION_MESSAGES.alreadyClosed });
  });
});

describe('reminders', () => {
  const now = new Date('2026-11-29T10:00:00Z');
  const base = { mode: 'email' as const, status: 'sent' as const, last_reminder_at: null, created_at: '2026-11-27T09:00:00Z' };
  test('allowed a day after the first email or the last reminder', () => {
    assert.deepEqual(reminderAllowed(base, now), { ok: true });
    assert.deepEqual(reminderAllowed({ ...base, status: 'started', last_reminder_at: '2026-11-28T09:59:59Z' }, now), { ok: true });
  });
  test('refused within 24 hours, with the hours left', () => {
    assert.deepEqual(reminderAllowed({ ...base, last_reminder_at: '2026-11-29T08:30:00Z' }, now), {
      ok: false,
      reason: AFFILIATION_MESSAGES.reminderTooSoon(23),
    });
    assert.deepEqual(reminderAllowed({ ...base, created_at: '2026-11-29T09:00:00Z' }, now), { ok: false, reason: AFFILIATION_MESSAGES.reminderTooSoon(23) });
  });
  test('refused for Courrier and for closed requests', () => {
    assert.deepEqual(reminderAllowed({ ...base, mode: 'courrier' }, now), { ok: false, reason: AFFILIATION_MESSAGES.reminderCourrier });
    for (const status of ['finalized', 'abandoned', 'cancelled'] as const) {
      assert.deepEqual(reminderAllowed({ ...base, status }, now), { ok: false, reason: AFFILIATION_MESSAGES.reminderClosed });
    }
  });
});

describe('links', () => {
  const now = new Date('2026-11-29T10:00:00Z');
  test('256-bit random token, only its hash kept, 30 days', () => {
    const a = newAffiliationLink(now);
    const b = newAffiliationLink(now);
    assert.notEqual(a.token, b.token);
    assert.equal(Buffer.from(a.token, 'base64url').length, 32);
    assert.equal(a.tokenHash, hashToken(a.token));
    assert.equal(a.expiresAt, '2026-12-29T10:00:00.000Z');
  });
  test('usable only while waiting for the employee, before expiry and under 5 wrong birth dates', () => {
    const request = { status: 'sent' as const, token_expires_at: '2026-12-01T00:00:00Z', dob_attempts: 0 };
    assert.equal(linkUsable(request, now), true);
    assert.equal(linkUsable({ ...request, status: 'started' }, now), true);
    assert.equal(linkUsable({ ...request, token_expires_at: '2026-11-29T10:00:00Z' }, now), false);
    assert.equal(linkUsable({ ...request, dob_attempts: 4 }, now), true);
    assert.equal(linkUsable({ ...request, dob_attempts: 5 }, now), false);
    for (const status of ['finalized', 'abandoned', 'cancelled'] as const) assert.equal(linkUsable({ ...request, status }, now), false);
  });
});

describe("the insurer's decision", () => {
  const waiting = { status: 'finalized', decision: null };
  test('a finalized, undecided request can be validated (no reason kept)', () => {
    assert.deepEqual(checkDecision(waiting, 'validated'), { ok: true, decision: 'validated', reason: null });
    assert.deepEqual(checkDecision(waiting, 'validated', 'ignoré'), { ok: true, decision: 'validated', reason: null });
  });
  test('a refusal needs a reason, trimmed, with Windows line ends made plain', () => {
    assert.deepEqual(checkDecision(waiting, 'refused', '  RIB illisible.\r\nMerci de le renvoyer.  '), {
      ok: true,
      decision: 'refused',
      reason: 'RIB illisible.\nMerci de le renvoyer.',
    });
    for (const empty of [undefined, null, '', '   \n ']) {
      assert.deepEqual(checkDecision(waiting, 'refused', empty), { ok: false, field: 'motif', message: DECISION_MESSAGES.reasonRequired });
    }
    assert.equal(checkDecision(waiting, 'refused', 'x'.repeat(DECISION_REASON_MAX)).ok, true);
    assert.deepEqual(checkDecision(waiting, 'refused', 'x'.repeat(DECISION_REASON_MAX + 1)), {
      ok: false,
      field: 'motif',
      message: DECISION_MESSAGES.reasonTooLong,
    });
  });
  test('a decided request is never decided again', () => {
    for (const decision of ['validated', 'refused'] as const) {
      for (const next of ['validated', 'refused'] as const) {
        assert.deepEqual(checkDecision({ status: 'finalized', decision }, next, 'motif'), {
          ok: false,
          field: '_form',
          message: DECISION_MESSAGES.alreadyDecided(decision),
        });
      }
    }
    assert.match(DECISION_MESSAGES.alreadyDecided('validated'), /déjà été validée/);
    assert.match(DECISION_MESSAGES.alreadyDecided('refused'), /déjà été refusée/);
  });
  test('only a finalized request can be decided', () => {
    for (const status of ['sent', 'started', 'abandoned', 'cancelled']) {
      assert.deepEqual(checkDecision({ status, decision: null }, 'validated'), { ok: false, field: '_form', message: DECISION_MESSAGES.notFinalized });
      assert.deepEqual(checkDecision({ status, decision: null }, 'refused', 'motif'), { ok: false, field: '_form', message: DECISION_MESSAGES.notFinalized });
    }
  });
});

describe('history labels', () => {
  test('one wording for HR and staff, with the insurer, the mode and the reminder number; the blocked link has its own', () => {
    assert.equal(affiliationEventLabel('created', {}, 'Tilleul Santé', 'courrier'), 'Pré-affiliation du salarié (mode Courrier)');
    assert.equal(affiliationEventLabel('created', { mode: 'email' }, 'Tilleul Santé', 'courrier'), 'Pré-affiliation du salarié (mode Email)');
    assert.equal(affiliationEventLabel('reminder_sent', affiliationEventDetail('{"number":2}'), 'X', 'email'), 'Email de relance n° 2 envoyé');
    assert.equal(affiliationEventLabel('validated', {}, 'Tilleul Santé', 'email'), 'Affiliation validée par Tilleul Santé');
    assert.equal(affiliationEventLabel('link_locked', {}, 'X', 'email'), "Lien d'affiliation bloqué");
    assert.equal(affiliationEventLabel('something_new', {}, 'X', 'email'), 'Autre événement');
  });

  test('a missing or damaged detail reads as empty', () => {
    assert.deepEqual(affiliationEventDetail(null), {});
    assert.deepEqual(affiliationEventDetail('{oops'), {});
    assert.deepEqual(affiliationEventDetail('42'), {});
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NOTIFICATION_LINK_LABELS, notificationActionLabel } from '../../src/domain/notifications.js';

test("a notification's button says where its link leads, by kind", () => {
  assert.equal(notificationActionLabel('affiliation_finalized', '/entreprise/suivi-affiliations/7'), 'Voir la demande');
  assert.equal(notificationActionLabel('affiliation_refused', '/entreprise/suivi-affiliations/7'), 'Voir la demande');
  assert.equal(notificationActionLabel('habilitation_activated', '/entreprise/habilitations'), 'Voir les habilitations');
  assert.equal(notificationActionLabel('message_reply', '/entreprise/messages'), 'Lire la réponse');
});

test('without a link it only marks the notification read; an unknown kind gets a neutral word', () => {
  assert.equal(notificationActionLabel('habilitation_activated', null), 'Marquer comme lue');
  assert.equal(notificationActionLabel('something_new', '/entreprise/accueil'), 'Ouvrir');
  assert.equal(notificationActionLabel('toString', '/entreprise/accueil'), 'Ouvrir');
});

test('only requests are « Voir la demande »', () => {
  for (const [kind, label] of Object.entries(NOTIFICATION_LINK_LABELS)) {
    assert.equal(label === 'Voir la demande', kind.startsWith('affiliation_') || kind === 'request_answered', kind);
  }
});

// Every audit event says what happened in a French sentence (src/domain/audit-sentences.ts):
// names instead of ids, no raw key, no « null », whatever the detail holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { auditEvents, type AuditEvent } from '../../src/domain/audit.js';
import { AUDIT_SENTENCES, auditReferences, auditSentence, parseAuditDetail, type AuditLine, type AuditNames } from '../../src/domain/audit-sentences.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { assertExcludes } from '../helpers/assertions.js';

const NAMES: AuditNames = {
  accounts: new Map([
    [7, 'Hugo Lambert'],
    [8, 'Eugénie Marchand'],
  ]),
  members: new Map([[301, 'Julien Moreau']]),
  beneficiaries: new Map([[12, 'Anne Lefebvre']]),
  requests: new Map([[41, 'Inès Haddad']]),
  establishments: new Map([[5, 'Cabinet Verdier Immobilier — Annecy']]),
  companies: new Map([
    [1, 'Cabinet Verdier Immobilier'],
    [2, 'Syndic Horizon Gestion'],
  ]),
};

function line(
  event: AuditEvent,
  detail: Record<string, unknown> = {},
  account: string | null = 'Marie Lefebvre',
  accountKind: string | null = 'member',
): AuditLine {
  return { event, account, accountKind, detail, names: NAMES };
}

/** Every audit event type written anywhere in src: the literals given as `event:` (ternaries too). */
function eventsWrittenInSrc(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        const source = fs.readFileSync(full, 'utf8');
        if (!source.includes('recordAudit') && !source.includes('AuditEvent')) continue;
        for (const m of source.matchAll(/\bevent:\s*([^,}\n]+)/g)) for (const literal of m[1].matchAll(/['"]([a-z][a-z0-9_]*)['"]/g)) found.add(literal[1]);
      }
    }
  };
  walk(path.join(PROJECT_ROOT, 'src'));
  return found;
}

/** What must never reach the staff: a key of a detail, a raw value, an English word of the code. */
function assertPlainFrench(sentence: string, context: string) {
  assert.ok(sentence.length > 10, `${context}: ${sentence}`);
  assert.match(sentence, /^[A-ZÀ-Ý]/, `${context} starts with a capital: ${sentence}`);
  assert.match(sentence, /\.$/, `${context} ends with a full stop: ${sentence}`);
  for (const raw of ['null', 'undefined', 'NaN', '[object', 'true', 'false', ' : oui', '_'])
    assertExcludes(sentence, raw, `${context} shows « ${raw} »: ${sentence}`);
  assert.doesNotMatch(sentence, /\b[a-z]+[A-Z][A-Za-z]*\b/, `${context} shows a camelCase key: ${sentence}`);
  assert.doesNotMatch(sentence, /\b(de|que) [AEIOUÉÈÊaeiouéèê]/, `${context} misses an elision: ${sentence}`);
}

test('every audit event type written in src, and every one the log knows, has a sentence', () => {
  const written = eventsWrittenInSrc();
  assert.ok(written.size >= 30, `the scan finds the events (${written.size})`);
  for (const event of written) assert.ok(Object.hasOwn(AUDIT_SENTENCES, event), `no sentence for the audit event « ${event} »`);
  assert.deepEqual(Object.keys(AUDIT_SENTENCES).sort(), Object.keys(auditEvents).sort());
});

test('every sentence is plain French with an empty detail, an unknown account, or damaged values', () => {
  const odd = {
    memberId: null,
    delivered: null,
    reason: null,
    target: 'x',
    companies: 'a:b',
    number: -1,
    documents: 'deux',
    from: null,
    to: 42,
    channel: null,
    role: 'boss',
  };
  for (const event of Object.keys(auditEvents) as AuditEvent[]) {
    for (const kind of ['member', 'hr', 'staff', null]) {
      assertPlainFrench(auditSentence(line(event, {}, 'Marie Lefebvre', kind)), `${event} (${kind}, empty)`);
      assertPlainFrench(auditSentence(line(event, {}, null, kind)), `${event} (${kind}, no account)`);
      assertPlainFrench(auditSentence(line(event, odd, 'Marie Lefebvre', kind)), `${event} (${kind}, odd values)`);
    }
  }
});

test('the lines of the log, with their names', () => {
  // The line the issue quotes: « memberId : 301, delivered : oui, Motif : null ».
  assert.equal(
    auditSentence(line('activation_code_sent', { memberId: 301, channel: 'sms', delivered: true, reason: null }, null)),
    "Code d'activation envoyé par SMS à Julien Moreau.",
  );
  assert.equal(
    auditSentence(line('activation_code_sent', { memberId: null, channel: 'email', delivered: false, reason: 'unknown_email' }, null)),
    "Code d'activation demandé avec des informations qui ne correspondent à aucun assuré : aucun code envoyé.",
  );
  assert.equal(
    auditSentence(line('activation_code_sent', { memberId: 301, channel: 'email', delivered: false, reason: 'already_active' }, 'Julien Moreau')),
    "Code d'activation demandé pour Julien Moreau, dont l'espace est déjà activé : aucun code envoyé, un e-mail l'en a informé.",
  );
  assert.equal(
    auditSentence(line('activation_code_failed', { memberId: 301, reason: 'expired' }, null)),
    "Code d'activation refusé pour Julien Moreau (code expiré).",
  );
  assert.equal(
    auditSentence(line('nir_revealed', { memberId: 301, space: 'entreprise' }, 'Eugénie Marchand', 'hr')),
    'Eugénie Marchand a affiché le numéro de Sécurité sociale de Julien Moreau.',
  );
  assert.equal(auditSentence(line('nir_revealed', { beneficiaryId: 12 })), "Marie Lefebvre a affiché le numéro de Sécurité sociale d'Anne Lefebvre.");
  assert.equal(
    auditSentence(line('card_printed', { beneficiaryId: 12 })),
    "Marie Lefebvre a ouvert pour l'imprimer la carte de tiers payant d'Anne Lefebvre, avec les numéros de Sécurité sociale en entier.",
  );
  assert.equal(
    auditSentence(line('card_downloaded', { beneficiaryId: 999 })),
    "Marie Lefebvre a téléchargé en PDF la carte de tiers payant d'un bénéficiaire, avec les numéros de Sécurité sociale en entier.",
  );
  assert.equal(
    auditSentence(line('login_ok', { twoFactor: true }, 'Eugénie Marchand', 'hr')),
    "Connexion d'Eugénie Marchand à l'Espace Entreprise, après double authentification.",
  );
  assert.equal(auditSentence(line('login_ok', { twoFactor: false })), "Connexion de Marie Lefebvre à l'Espace Assuré, depuis un appareil de confiance.");
  assert.equal(auditSentence(line('login_failed', {}, null, 'staff')), "Connexion à l'Espace Gestion refusée : aucun compte pour l'adresse e-mail saisie.");
  assert.equal(auditSentence(line('account_disabled', { by: 8 }, 'Hugo Lambert', 'hr')), "Compte d'Hugo Lambert désactivé par Eugénie Marchand.");
  assert.equal(auditSentence(line('account_disabled', { by: null }, 'Hugo Lambert', 'hr')), "Compte d'Hugo Lambert désactivé.");
  assert.equal(
    auditSentence(line('role_changed', { target: 7, company: 1, from: 'user', to: 'admin' }, 'Eugénie Marchand', 'hr')),
    "Eugénie Marchand a modifié l'accès d'Hugo Lambert à Cabinet Verdier Immobilier : Utilisateur → Administrateur.",
  );
  assert.equal(
    auditSentence(line('hr_user_invited', { invited: 7, companies: '1:admin,2:user' }, 'Eugénie Marchand', 'hr')),
    "Eugénie Marchand a donné accès à l'Espace Entreprise à Hugo Lambert pour Cabinet Verdier Immobilier (Administrateur) et Syndic Horizon Gestion (Utilisateur).",
  );
  assert.equal(
    auditSentence(line('habilitation_suspended', { target: 7, companies: '1,2' }, 'Eugénie Marchand', 'hr')),
    "Eugénie Marchand a suspendu provisoirement l'accès d'Hugo Lambert à Cabinet Verdier Immobilier et Syndic Horizon Gestion.",
  );
  assert.equal(
    auditSentence(line('hr_invitation_merged', { target: 8, invited: 7, companies: '1:user' }, 'Eugénie Marchand', 'hr')),
    "Eugénie Marchand a donné à l'invitation d'Eugénie Marchand l'adresse e-mail d'un compte existant, celui d'Hugo Lambert : ce compte reçoit ses accès à Cabinet Verdier Immobilier (Utilisateur) et l'invitation est retirée.",
  );
  assert.equal(auditSentence(line('hr_profile_changed', { target: 8 }, 'Eugénie Marchand', 'hr')), 'Eugénie Marchand a modifié son profil.');
  assert.equal(auditSentence(line('hr_profile_changed', { target: 7 }, 'Eugénie Marchand', 'hr')), "Eugénie Marchand a modifié le profil d'Hugo Lambert.");
  assert.equal(
    auditSentence(line('perimeter_added', { establishment: 5 }, 'Hugo Lambert', 'hr')),
    'Hugo Lambert a ajouté Cabinet Verdier Immobilier — Annecy à son périmètre suivi.',
  );
  assert.equal(
    auditSentence(line('perimeter_imported', { job: 3, added: 1 }, 'Hugo Lambert', 'hr')),
    'Hugo Lambert a ajouté 1 établissement à son périmètre suivi par fichier.',
  );
  assert.equal(
    auditSentence(line('pre_affiliation_created', { request: 41, mode: 'email' }, 'Hugo Lambert', 'hr')),
    'Hugo Lambert a pré-affilié Inès Haddad (mode Email).',
  );
  assert.equal(
    auditSentence(line('affiliation_request_cancelled', { request: 41 }, 'Hugo Lambert', 'hr')),
    "Hugo Lambert a annulé la demande d'affiliation d'Inès Haddad.",
  );
  assert.equal(
    auditSentence(line('affiliation_reminder_sent', { request: 41, number: 2 }, 'Hugo Lambert', 'hr')),
    'Hugo Lambert a relancé Inès Haddad par email (relance n° 2).',
  );
  assert.equal(
    auditSentence(line('affiliation_paper_entered', { request: 41, documents: 2 }, 'Paul Agent', 'staff')),
    "Paul Agent a saisi le bulletin d'affiliation papier d'Inès Haddad avec 2 justificatifs.",
  );
  assert.equal(
    auditSentence(line('affiliation_validated', { request: 41, member: 301, reused: false }, 'Paul Agent', 'staff')),
    "Paul Agent a validé l'affiliation d'Inès Haddad (nouvel adhérent).",
  );
  assert.equal(
    auditSentence(line('iban_changed', { member: 301, source: 'affiliation' }, 'Paul Agent', 'staff')),
    'Paul Agent a enregistré les coordonnées bancaires de Julien Moreau en validant son affiliation.',
  );
  assert.equal(auditSentence(line('iban_changed', { country: 'FR' })), 'Marie Lefebvre a modifié ses coordonnées bancaires (IBAN FR).');
  assert.equal(
    auditSentence(line('email_changed', { from: 'exemple.fr', to: 'exemple.com' })),
    'Marie Lefebvre a modifié son adresse e-mail (domaine exemple.fr → exemple.com).',
  );
  assert.equal(
    auditSentence(line('activation', { result: 'created', role: 'admin', companyId: 1, establishmentId: 5 }, 'Hugo Lambert', 'hr')),
    "Hugo Lambert a créé son compte de l'Espace Entreprise pour Cabinet Verdier Immobilier — Annecy, avec le rôle Administrateur.",
  );
  // A name that is gone reads as such, never as its id.
  assert.equal(
    auditSentence(line('nir_revealed', { memberId: 999 }, 'Eugénie Marchand', 'hr')),
    "Eugénie Marchand a affiché le numéro de Sécurité sociale d'un assuré.",
  );
  assert.equal(auditSentence(line('logout', {}, null)), 'Un compte supprimé a fermé sa session.');
  assert.equal(auditSentence(line('session_expired', {}, null)), "Session d'un compte supprimé fermée après une période d'inactivité.");
});

test('the ids a page of details points to, per kind, each once', () => {
  const refs = auditReferences([
    { memberId: 301, space: 'entreprise' },
    { memberId: '301', beneficiaryId: 12 },
    { target: 7, company: 1, from: 'user', to: 'admin' },
    { invited: 8, companies: '1:admin,2:user' },
    { request: 41, member: 302, reused: true },
    { establishmentId: 5, companyId: 3, result: 'created' },
    { by: null, job: 3, added: 2, memberId: 'abc' },
  ]);
  assert.deepEqual(refs, { accounts: [7, 8], members: [301, 302], beneficiaries: [12], requests: [41], establishments: [5], companies: [1, 2, 3] });
});

test('a detail is read as an object, whatever is stored', () => {
  assert.deepEqual(parseAuditDetail('{"memberId":301}'), { memberId: 301 });
  for (const stored of [null, '', '{oops', '42', '[1,2]', 'null']) assert.deepEqual(parseAuditDetail(stored), {}, String(stored));
});

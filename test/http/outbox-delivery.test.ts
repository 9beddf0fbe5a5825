// Outbox delivery (src/stores/outbox.ts, the diagram in src/domain/outbox.ts): with the local SMTP
// server stopped mid-run, no message is lost — each waits, is retried with backoff by the sending
// job, and is delivered exactly once when the server is back; refused OUTBOX_MAX_ATTEMPTS times, it
// is « dead », listed for the superviseur (« Envois en échec », 403 for a gestionnaire) and
// « Renvoyer » (audited) sends it again. SQLite and PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { insertedId } from '../../src/db.js';
import { createAccount, loginAs, textOf, tokenFrom } from '../helpers/fixtures.js';
import { createOutbox, queuedOutboxRow, sendDueMessages } from '../../src/stores/outbox.js';
import { brandedEmail } from '../../src/domain/email-templates.js';
import { assertIncludes } from '../helpers/assertions.js';

let t: TestContext;
let smtp: SMTPServer | null = null;
let port = 0;
const received: { to: string; subject: string }[] = [];

async function startSmtp(): Promise<void> {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // Stopping it must not wait 30 s for an idle client to leave.
    closeTimeout: 100,
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject: /^Subject: (.*)$/m.exec(data)?.[1] ?? '' });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp!.listen(port, '127.0.0.1', resolve));
  port = (smtp.server.address() as AddressInfo).port;
}

async function stopSmtp(): Promise<void> {
  await new Promise<void>((resolve) => smtp!.close(() => resolve()));
  smtp = null;
}

function email(n: number) {
  return brandedEmail(t.config.brand, `destinataire${n}@exemple.fr`, { subject: `Message ${n}`, paragraphs: ['Bonjour.'] });
}

const deliveredTo = (n: number) => received.filter((r) => r.to === `destinataire${n}@exemple.fr`).length;

before(async () => {
  await startSmtp();
  t = await makeTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}`, OUTBOX_MAX_ATTEMPTS: '3' });
});
after(async () => {
  await t.close();
  if (smtp) await stopSmtp();
});

describe('the SMTP server stops mid-run', () => {
  test('every message is kept, retried with backoff, and delivered exactly once when the server is back', async () => {
    const outbox = createOutbox(t.config, t.db, t.clock);
    await outbox.sendEmail(email(1));
    await outbox.sendEmail(email(2));
    assert.deepEqual([deliveredTo(1), deliveredTo(2)], [1, 1], 'sent at once while the server runs');

    await stopSmtp();
    // The callers are not failed: the messages wait, whole, for the next attempt in 30 s.
    for (const n of [3, 4, 5]) await outbox.sendEmail(email(n));
    const waiting = await t.db('outbox').where({ status: 'pending' }).orderBy('id');
    assert.equal(waiting.length, 3);
    for (const row of waiting) {
      assert.equal(row.attempts, 1);
      assert.ok(row.error, 'the refusal is recorded');
      assert.equal(row.next_attempt_at, new Date(t.clock.now.getTime() + 30_000).toISOString());
      assertIncludes(row.body_text, 'Bonjour', 'kept whole until sent');
    }
    assert.equal(await sendDueMessages(t.db, t.config, t.clock), 0, 'not due yet: nothing tried');
    assert.equal((await t.db('outbox').where({ status: 'pending' }).max({ a: 'attempts' }).first())?.a, 1);

    t.clock.advance(31_000);
    assert.equal(await sendDueMessages(t.db, t.config, t.clock), 0, 'the server is still down');
    const second = await t.db('outbox').where({ status: 'pending' }).orderBy('id');
    assert.deepEqual(
      second.map((r) => [r.attempts, r.next_attempt_at]),
      second.map(() => [2, new Date(t.clock.now.getTime() + 60_000).toISOString()]),
      'the second wait is twice as long',
    );

    await startSmtp();
    t.clock.advance(30_000);
    assert.equal(await sendDueMessages(t.db, t.config, t.clock), 0, 'back, but the backoff is not over');
    t.clock.advance(31_000);
    assert.equal(await sendDueMessages(t.db, t.config, t.clock), 3);
    t.clock.advance(3600_000);
    assert.equal(await sendDueMessages(t.db, t.config, t.clock), 0, 'nothing left to send');
    assert.deepEqual([1, 2, 3, 4, 5].map(deliveredTo), [1, 1, 1, 1, 1], 'each message exactly once');
    const rows = await t.db('outbox').orderBy('id');
    assert.deepEqual(
      rows.map((r) => r.status),
      ['sent', 'sent', 'sent', 'sent', 'sent'],
    );
    assert.ok(
      rows.every((r) => !String(r.body_text).includes('Bonjour')),
      'once sent, only a trace is kept',
    );
  });

  test('a message being sent by another instance is not sent again; one left « sending » by a dead process is', async () => {
    const outbox = createOutbox(t.config, t.db, t.clock);
    await stopSmtp();
    await outbox.sendEmail(email(6));
    await startSmtp();
    const row = await t.db('outbox').where({ recipient: 'destinataire6@exemple.fr' }).first();
    // Another instance claimed it (status « sending », held 2 minutes) and died before recording anything.
    t.clock.advance(30_000);
    await t
      .db('outbox')
      .where({ id: row.id })
      .update({ status: 'sending', next_attempt_at: new Date(t.clock.now.getTime() + 120_000).toISOString() });
    assert.equal(await sendDueMessages(t.db, t.config, t.clock), 0, 'held by the other instance');
    assert.equal(deliveredTo(6), 0);
    t.clock.advance(121_000);
    assert.equal(await sendDueMessages(t.db, t.config, t.clock), 1, 'the hold is over: taken again');
    assert.equal(deliveredTo(6), 1);
  });
});

describe('a message queued in a transaction', () => {
  test('leaves only if the transaction commits, sent by the job', async () => {
    const message = (n: number) => ({ channel: 'email' as const, email: email(n) });
    await t.db
      .transaction(async (trx) => {
        await trx('outbox').insert(queuedOutboxRow(t.config, message(8), t.clock()));
        throw new Error('rolled back');
      })
      .catch(() => {});
    const [other] = await t
      .db('outbox')
      .insert(queuedOutboxRow(t.config, message(10), t.clock()))
      .returning('id');
    const ids: unknown[] = [];
    await t.db.transaction(async (trx) => {
      ids.push(
        ...(await trx('outbox')
          .insert(queuedOutboxRow(t.config, message(9), t.clock()))
          .returning('id')),
      );
    });
    // The caller sends its own rows once committed; the job sends the rest.
    assert.equal(await sendDueMessages(t.db, t.config, t.clock, ids.map(insertedId)), 1);
    assert.deepEqual([deliveredTo(8), deliveredTo(9), deliveredTo(10)], [0, 1, 0]);
    assert.equal(await sendDueMessages(t.db, t.config, t.clock), 1);
    assert.equal(deliveredTo(10), 1);
    assert.equal(
      (
        await t
          .db('outbox')
          .where({ id: insertedId(other) })
          .first()
      ).status,
      'sent',
    );
  });
});

describe('« Envois en échec »', () => {
  test('refused OUTBOX_MAX_ATTEMPTS times, a message is dead, listed for the superviseur; « Renvoyer » sends it once, audited; a gestionnaire gets 403', async () => {
    const outbox = createOutbox(t.config, t.db, t.clock);
    await stopSmtp();
    await outbox.sendEmail(email(7));
    for (let i = 0; i < 3; i++) {
      t.clock.advance(3 * 3600_000);
      await sendDueMessages(t.db, t.config, t.clock);
    }
    const dead = await t.db('outbox').where({ recipient: 'destinataire7@exemple.fr' }).first();
    assert.equal(dead.status, 'dead');
    assert.equal(dead.attempts, 3);
    assertIncludes(dead.body_text, 'Bonjour', 'kept whole to be sent again');

    const supervisor = await createAccount(t.db, { kind: 'staff', staffRole: 'superviseur', mobile: '+33639980901', email: 'sophie.envois@assureur.example' });
    const gestionnaire = await createAccount(t.db, { kind: 'staff', mobile: '+33639980902', email: 'claire.envois@assureur.example' });
    const sup = await loginAs(t.app, t.db, 'gestion', supervisor.email);
    const ges = await loginAs(t.app, t.db, 'gestion', gestionnaire.email);

    await ges.get('/gestion/envois').expect(403);
    const gesToken = await tokenFrom(ges, '/gestion/accueil');
    await ges.post(`/gestion/envois/${dead.id}/renvoyer`).type('form').send({ _csrf: gesToken }).expect(403);
    assert.equal((await t.db('outbox').where({ id: dead.id }).first()).status, 'dead', 'the gestionnaire changed nothing');

    const admin = textOf((await sup.get('/gestion/administration').expect(200)).text);
    assertIncludes(admin, 'Envois en échec');
    const page = textOf((await sup.get('/gestion/envois').expect(200)).text);
    assertIncludes(page, 'destinataire7@exemple.fr');
    assertIncludes(page, 'Message 7');
    assertIncludes(page, 'refusés 3 fois');

    const token = await tokenFrom(sup, '/gestion/envois');
    await sup.post(`/gestion/envois/${dead.id}/renvoyer`).type('form').send({}).expect(403); // the CSRF token is checked
    const res = await sup.post(`/gestion/envois/${dead.id}/renvoyer`).type('form').send({ _csrf: token }).expect(303);
    assert.equal(res.headers.location, '/gestion/envois');
    assertIncludes(textOf((await sup.get('/gestion/envois').expect(200)).text), "Le message est remis dans la file d'envoi");
    const again = await sup.post(`/gestion/envois/${dead.id}/renvoyer`).type('form').send({ _csrf: token }).expect(303);
    assert.equal(again.headers.location, '/gestion/envois');
    assertIncludes(textOf((await sup.get('/gestion/envois').expect(200)).text), "n'est plus en échec");
    await sup.post('/gestion/envois/999999/renvoyer').type('form').send({ _csrf: token }).expect(404);

    await startSmtp();
    assert.equal(await sendDueMessages(t.db, t.config, t.clock), 1);
    assert.equal(deliveredTo(7), 1);
    assert.equal((await t.db('outbox').where({ id: dead.id }).first()).status, 'sent');
    const audit = textOf((await sup.get('/gestion/audit').query({ evenement: 'outbox_message_resent' }).expect(200)).text);
    assertIncludes(audit, `Camille Martin a renvoyé un e-mail resté en échec (envoi n° ${dead.id}).`);
  });
});

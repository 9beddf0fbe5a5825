import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { SMTPServer } from 'smtp-server';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createOutbox, createOutboxQueue } from '../../src/stores/outbox.js';
import { brandedEmail } from '../../src/domain/email-templates.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

describe('outbox without SMTP (the demo)', () => {
  let t: TestContext;
  before(async () => {
    t = await makeTestApp();
  });
  after(async () => t.close());

  test('emails and SMS are kept whole in the outbox and listed on /dev/outbox', async () => {
    const outbox = createOutbox(t.config, t.db);
    await outbox.sendEmail(
      brandedEmail(t.config.brand, 'claire@exemple.fr', {
        subject: 'Votre code',
        paragraphs: ['Voici votre lien : http://localhost:3000/assure/x'],
        code: '123456',
      }),
    );
    await outbox.sendSms('+33612345678', 'Tilleul Santé : votre code est 654321.');
    const rows = await t.db('outbox').orderBy('id');
    assert.equal(rows.length, 2);
    assert.equal(rows[0].status, 'stored');
    assertIncludes(rows[0].body_text, '123456');
    assertIncludes(rows[0].body_html, '123456');
    assertIncludes(rows[0].subject, 'Tilleul Santé', 'brand in the subject');
    assert.equal(rows[1].channel, 'sms');

    const list = await request(t.app).get('/dev/outbox').expect(200);
    assertIncludes(list.text, 'claire@exemple.fr');
    assertIncludes(list.text, '+33612345678');
    const one = await request(t.app).get(`/dev/outbox/${rows[0].id}`).expect(200);
    assertIncludes(one.text, '<a href="http://localhost:3000/assure/x">', 'links are clickable');
    await request(t.app).get('/dev/outbox/999999').expect(404);
    await request(t.app).get('/dev/outbox/abc').expect(404);
  });
});

describe('outbox with SMTP', () => {
  let t: TestContext;
  let smtp: SMTPServer;
  const received: { to: string; data: string }[] = [];
  before(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), data });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    t = await makeTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
  });
  after(async () => {
    await t.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  test('an email really goes out through SMTP and the outbox keeps a trace without the content', async () => {
    const outbox = createOutbox(t.config, t.db);
    await outbox.sendEmail(brandedEmail(t.config.brand, 'paul@exemple.fr', { subject: 'Confirmation', paragraphs: ['Votre code secret.'], code: '424242' }));
    assert.equal(received.length, 1);
    assert.equal(received[0].to, 'paul@exemple.fr');
    assertIncludes(received[0].data, '424242');
    const row = await t.db('outbox').first();
    assert.equal(row.status, 'sent');
    assertExcludes(row.body_text, '424242', 'no code kept in the database');
  });

  test('queued emails exist only if their transaction commits, wait whole as « pending », and keep a trace once sent', async () => {
    const queue = createOutboxQueue(t.config, t.db);
    const email = (to: string) => brandedEmail(t.config.brand, to, { subject: 'Un nouveau remboursement est disponible', paragraphs: ['Dans votre espace.'] });
    await assert.rejects(
      t.db.transaction(async (trx) => {
        await queue.queueEmails(trx, [email('annule@exemple.fr')]);
        throw new Error('rolled back');
      }),
    );
    assert.equal(await t.db('outbox').where({ recipient: 'annule@exemple.fr' }).first(), undefined);

    const ids = await t.db.transaction((trx) => queue.queueEmails(trx, [email('lea@exemple.fr'), email('jean@exemple.fr')]));
    const waiting = await t.db('outbox').whereIn('id', ids).orderBy('id');
    assert.deepEqual(
      waiting.map((r) => [r.recipient, r.status]),
      [
        ['lea@exemple.fr', 'pending'],
        ['jean@exemple.fr', 'pending'],
      ],
    );
    assertIncludes(waiting[0].body_text, 'Dans votre espace.', 'the body waits with the row until it is sent');
    const before = received.length;
    await queue.sendQueued(ids);
    assert.deepEqual(
      received.slice(before).map((r) => r.to),
      ['lea@exemple.fr', 'jean@exemple.fr'],
    );
    const sent = await t.db('outbox').whereIn('id', ids);
    assert.deepEqual(
      sent.map((r) => r.status),
      ['sent', 'sent'],
    );
    for (const row of sent) assertExcludes(row.body_text, 'Dans votre espace.');
    await queue.sendQueued(ids);
    assert.equal(received.length, before + 2, 'a row sent is not sent again');
  });
});

describe('SMS through the HTTP provider', () => {
  let t: TestContext;
  let server: http.Server;
  const received: { auth?: string; body: unknown }[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ auth: req.headers.authorization, body: JSON.parse(body) });
        res.writeHead(received.length === 1 ? 202 : 500).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    t = await makeTestApp({ SMS_PROVIDER_URL: `http://127.0.0.1:${port}/sms`, SMS_API_KEY: 'cle-de-test', SMS_SENDER: 'TILLEUL' });
  });
  after(async () => {
    await t.close();
    server.close();
  });

  test('the provider receives the SMS; the outbox keeps a trace without the text; a refusal is recorded and the SMS kept for a retry', async () => {
    const outbox = createOutbox(t.config, t.db);
    await outbox.sendSms('+33612345678', 'Votre code : 123456');
    assert.deepEqual(received[0], { auth: 'Bearer cle-de-test', body: { from: 'TILLEUL', to: '+33612345678', text: 'Votre code : 123456' } });
    const sent = await t.db('outbox').orderBy('id').first();
    assert.equal(sent.status, 'sent');
    assertExcludes(sent.body_text, '123456');
    await outbox.sendSms('+33612345679', 'Votre code : 654321');
    const failed = await t.db('outbox').orderBy('id', 'desc').first();
    assert.equal(failed.status, 'pending', 'retried later by the sending job (test/http/outbox-delivery.test.ts)');
    assert.equal(failed.attempts, 1);
    assert.match(failed.error, /500/);
  });
});

describe('production', () => {
  let t: TestContext;
  before(async () => {
    t = await makeTestApp({ NODE_ENV: 'production', SESSION_SECRET: 'p'.repeat(48), TRUST_PROXY: '1' });
  });
  after(async () => t.close());

  test('/dev/outbox does not exist in production', async () => {
    await request(t.app).get('/dev/outbox').expect(404);
  });

  test('HSTS for one year in production', async () => {
    const res = await request(t.app).get('/').expect(200);
    assert.match(res.headers['strict-transport-security'], /max-age=31536000/);
  });
});

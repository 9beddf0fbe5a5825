import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { SMTPServer } from 'smtp-server';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createOutbox } from '../../src/domain/outbox.js';
import { brandedEmail } from '../../src/domain/email-templates.js';

describe('outbox without SMTP (the demo)', () => {
  let t: TestContext;
  before(async () => {
    t = await makeTestApp();
  });
  after(async () => t.close());

  test('emails and SMS are kept whole in the outbox and listed on /dev/outbox', async () => {
    const outbox = createOutbox(t.config, t.db);
    await outbox.sendEmail(brandedEmail(t.config.brand, 'claire@exemple.fr', { subject: 'Votre code', paragraphs: ['Voici votre lien : http://localhost:3000/assure/x'], code: '123456' }));
    await outbox.sendSms('+33612345678', 'Tilleul Santé : votre code est 654321.');
    const rows = await t.db('outbox').orderBy('id');
    assert.equal(rows.length, 2);
    assert.equal(rows[0].status, 'stored');
    assert.ok(rows[0].body_text.includes('123456'));
    assert.ok(rows[0].body_html.includes('123456'));
    assert.ok(rows[0].subject.includes('Tilleul Santé'), 'brand in the subject');
    assert.equal(rows[1].channel, 'sms');

    const list = await request(t.app).get('/dev/outbox').expect(200);
    assert.ok(list.text.includes('claire@exemple.fr'));
    assert.ok(list.text.includes('+33612345678'));
    const one = await request(t.app).get(`/dev/outbox/${rows[0].id}`).expect(200);
    assert.ok(one.text.includes('<a href="http://localhost:3000/assure/x">'), 'links are clickable');
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
    assert.ok(received[0].data.includes('424242'));
    const row = await t.db('outbox').first();
    assert.equal(row.status, 'sent');
    assert.ok(!row.body_text.includes('424242'), 'no code kept in the database');
  });
});

describe('production', () => {
  let t: TestContext;
  before(async () => {
    t = await makeTestApp({ NODE_ENV: 'production', SESSION_SECRET: 'p'.repeat(48) });
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

// Espace Assuré — Démarches: the menu, the demande de remboursement and the
// devis with their files (kept on error), the reste-à-charge estimate (« Calculer » and the htmx
// fragment), « Mes demandes » and a request's timeline, the missing documents, and who may see
// what (another family's ids → 404, other spaces → 403), CSRF on multipart. SQLite, and
// PostgreSQL with TEST_PG_URL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import type { AppContext } from '../../src/context.js';
import { staffRequestAction } from '../../src/correspondence/service.js';
import { readStoredEstimate } from '../../src/domain/stored-estimate.js';
import { newSendToken, SEND_TEXTS } from '../../src/correspondence/pending-uploads.js';
import { createOutbox } from '../../src/stores/outbox.js';
import { makeTestApp, csrfFrom, type TestContext } from '../helpers/app.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';
import { createFamily, type Family, withDemoGuaranteesAndUsedLensCap } from '../helpers/family.js';
import { createAccount, decoded, insertId, loginAs, textOf, tokenFrom } from '../helpers/fixtures.js';
import { fileStoreFor } from '../../src/storage/from-config.js';

type Agent = ReturnType<typeof request.agent>;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const HTML_AS_PDF = Buffer.from('<html><script>alert(1)</script></html>');

let t: TestContext;
let ctx: AppContext;
let marie: Family;
let paul: Family;
let staff: { id: number; email: string };
let hr: { id: number; email: string };
let agent: Agent;
let other: Agent;

const requestsDir = () => path.join(t.config.uploadDir, 'requests');
const filesOnDisk = () => (fs.existsSync(requestsDir()) ? fs.readdirSync(requestsDir()).length : 0);
const requestCount = async () => Number((await t.db('requests').count({ n: '*' }).first())?.n ?? 0);

/** A multipart POST with the CSRF token first, then the fields in order, then the files. */
function multipart(a: Agent, url: string, token: string | null, fields: [string, string][], files: [Buffer, string][] = []) {
  let req = a.post(url);
  if (token !== null) req = req.field('_csrf', token);
  // Each sending carries its one-time token, as the form's hidden field does.
  if (!fields.some(([name]) => name === 'envoi')) req = req.field('envoi', newSendToken());
  for (const [name, value] of fields) req = req.field(name, value);
  for (const [content, name] of files) req = req.attach('documents', content, name);
  return req;
}

const keptKeys = (html: string) => [...html.matchAll(/name="garder" value="([0-9a-f]+)"/g)].map((m) => m[1]);

before(async () => {
  t = await makeTestApp();
  ctx = { config: t.config, db: t.db, clock: t.clock, outbox: createOutbox(t.config, t.db, t.clock), files: fileStoreFor(t.config) };
  marie = await createFamily(t.db, { firstName: 'Marie', lastName: 'Lefebvre', statements: 0 });
  paul = await createFamily(t.db, { firstName: 'Paul', lastName: 'Autre', statements: 0 });
  staff = await createAccount(t.db, { kind: 'staff', firstName: 'Claire' });
  hr = await createAccount(t.db, { kind: 'hr', firstName: 'Rh' });
  await withDemoGuaranteesAndUsedLensCap(t.db, marie);
  agent = await loginAs(t.app, t.db, 'assure', marie.email);
  other = await loginAs(t.app, t.db, 'assure', paul.email);
});
after(() => t.close());

async function sendRemboursement(a: Agent, family: Family, files: [Buffer, string][] = [[PDF, 'facture.pdf']]) {
  const token = await tokenFrom(a, '/assure/demarches/remboursement');
  const res = await multipart(
    a,
    '/assure/demarches/remboursement',
    token,
    [
      ['objet', 'optique'],
      ['beneficiaire', String(family.beneficiaries.enfant1)],
      ['message', 'Lunettes de Léo'],
    ],
    files,
  ).expect(303);
  const id = Number(/\/assure\/demarches\/demandes\/(\d+)$/.exec(res.headers.location)?.[1]);
  assert.ok(id > 0, res.headers.location);
  return id;
}

describe('the Démarches menu and the home tiles', () => {
  test('the menu offers the four démarches, and the tiles lead to real pages', async () => {
    const text = textOf((await agent.get('/assure/demarches').expect(200)).text);
    for (const label of ['Demande de remboursement', 'Transmettre un devis', 'Mes demandes', 'Messagerie']) assertIncludes(text, label);
    assertExcludes(text, 'bientôt disponible');
    for (const href of ['/assure/demarches/remboursement', '/assure/demarches/devis', '/assure/demarches/demandes']) {
      assertExcludes(textOf((await agent.get(href).expect(200)).text), 'bientôt disponible', href);
    }
    await agent.get('/assure/demandes').expect(301).expect('location', '/assure/demarches/demandes');
  });

  test('who may not see them: anonymous → login, an HR or staff account → 403', async () => {
    await request(t.app).get('/assure/demarches').expect(303).expect('location', '/assure');
    const hrAgent = await loginAs(t.app, t.db, 'entreprise', hr.email);
    const staffAgent = await loginAs(t.app, t.db, 'gestion', staff.email);
    for (const a of [hrAgent, staffAgent]) {
      for (const url of ['/assure/demarches', '/assure/demarches/remboursement', '/assure/demarches/devis', '/assure/demarches/demandes'])
        await a.get(url).expect(403);
    }
  });
});

describe('Demande de remboursement', () => {
  test('the form: the brand objects with their documents, the family only', async () => {
    const html = decoded((await agent.get('/assure/demarches/remboursement').expect(200)).text);
    for (const o of t.config.brand.correspondence.remboursement) {
      assertIncludes(html, o.label);
      assertIncludes(html, `Documents à joindre : ${o.documents.join(' ; ')}.`);
    }
    for (const name of ['Marie Lefebvre', 'Julie Lefebvre', 'Léo Lefebvre', 'Emma Lefebvre']) assertIncludes(html, name);
    assertExcludes(html, 'Paul Autre');
    assertIncludes(html, 'Transmettre ma demande de remboursement');
  });

  test('two files: the reference, the timeline, the email notice, the files downloadable by the family only', async () => {
    const before = await requestCount();
    const id = await sendRemboursement(agent, marie, [
      [PDF, 'facture.pdf'],
      [PNG, 'ordonnance.png'],
    ]);
    assert.equal(await requestCount(), before + 1);
    const row = await t.db('requests').where({ id }).first();
    assert.match(row.reference, /^DR-2026-\d{6}$/);
    assert.equal(row.beneficiary_id, marie.beneficiaries.enfant1);
    assert.equal(row.message, 'Lunettes de Léo');
    const page = await agent.get(`/assure/demarches/demandes/${id}`).expect(200);
    const text = textOf(page.text);
    assertIncludes(text, `est transmise sous la référence ${row.reference}`);
    assertIncludes(text, 'Optique achetée hors réseau');
    assertIncludes(text, 'Léo Lefebvre');
    assertIncludes(text, 'Demande reçue');
    assertIncludes(text, `au plus tard le ${row.expected_day.split('-').reverse().join('/')}`);
    const mail = await t.db('outbox').where({ recipient: marie.email }).orderBy('id', 'desc').first();
    assertIncludes(mail.subject, row.reference);
    const attachments = await t.db('request_attachments').where({ request_id: id }).orderBy('id');
    assert.deepEqual(
      attachments.map((a: { original_name: string }) => a.original_name),
      ['facture.pdf', 'ordonnance.png'],
    );
    const download = await agent
      .get(`/assure/demarches/demandes/${id}/documents/${attachments[1].id}`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    assert.equal(download.headers['content-type'], 'image/png');
    assertIncludes(download.headers['content-disposition'], 'attachment');
    assert.ok((download.body as Buffer).equals(PNG));
    // Another family: the request, its documents, its documents form → 404.
    await other.get(`/assure/demarches/demandes/${id}`).expect(404);
    await other.get(`/assure/demarches/demandes/${id}/documents/${attachments[0].id}`).expect(404);
    // An attachment id under another request id of the same family → 404 too; ids that are not ids → 404.
    const second = await sendRemboursement(agent, marie);
    await agent.get(`/assure/demarches/demandes/${second}/documents/${attachments[0].id}`).expect(404);
    await agent.get('/assure/demarches/demandes/abc').expect(404);
    await agent.get('/assure/demarches/demandes/99999999999').expect(404);
  });

  test('every field wrong: a French message next to each, the values kept, nothing created', async () => {
    const before = await requestCount();
    const token = await tokenFrom(agent, '/assure/demarches/remboursement');
    let res = await multipart(agent, '/assure/demarches/remboursement', token, [['message', 'Bonjour']]).expect(422);
    let html = decoded(res.text);
    assertIncludes(html, "Choisissez l'objet de votre demande.");
    assertIncludes(html, 'Choisissez le bénéficiaire concerné.');
    assertIncludes(html, 'Joignez au moins un document.');
    assertIncludes(html, '>Bonjour</textarea>');
    assertIncludes(html, 'id="objet-error"');
    res = await multipart(
      agent,
      '/assure/demarches/remboursement',
      token,
      [
        ['objet', 'inconnu'],
        ['beneficiaire', String(paul.beneficiaries.assure)],
        ['message', 'x'.repeat(5001)],
      ],
      [[PDF, 'facture.pdf']],
    ).expect(422);
    html = decoded(res.text);
    assertIncludes(html, 'Choisissez un objet dans la liste.');
    assertIncludes(html, 'Choisissez un bénéficiaire parmi les membres de votre famille.');
    assertIncludes(html, 'Votre message ne peut pas dépasser 5 000 caractères.');
    assert.equal(await requestCount(), before);
  });

  test('a file received with a form that comes back is kept: listed, sent with the next submission, or removed when unticked', async () => {
    const token = await tokenFrom(agent, '/assure/demarches/remboursement');
    let res = await multipart(agent, '/assure/demarches/remboursement', token, [['objet', 'dentaire']], [[PDF, 'devis-dentiste.pdf']]).expect(422);
    const onDisk = filesOnDisk();
    const html = decoded(res.text);
    assertIncludes(html, 'devis-dentiste.pdf');
    assertIncludes(html, 'value="dentaire" aria-describedby="objet-2-documents" checked');
    let [key] = keptKeys(html);
    assert.ok(key);
    // Unticked: removed from the disk, and a document is missing again.
    res = await multipart(agent, '/assure/demarches/remboursement', token, [
      ['objet', 'dentaire'],
      ['beneficiaire', String(marie.beneficiaries.conjoint)],
    ]).expect(422);
    assertIncludes(decoded(res.text), 'Joignez au moins un document.');
    assert.equal(filesOnDisk(), onDisk - 1);
    // Kept, then sent with the request without being sent again.
    res = await multipart(
      agent,
      '/assure/demarches/remboursement',
      token,
      [['beneficiaire', String(marie.beneficiaries.conjoint)]],
      [[PDF, 'facture-dentiste.pdf']],
    ).expect(422);
    [key] = keptKeys(decoded(res.text));
    res = await multipart(agent, '/assure/demarches/remboursement', token, [
      ['objet', 'dentaire'],
      ['beneficiaire', String(marie.beneficiaries.conjoint)],
      ['garder', key],
    ]).expect(303);
    const id = Number(res.headers.location.split('/').pop());
    const attachments = await t.db('request_attachments').where({ request_id: id });
    assert.deepEqual(
      attachments.map((a: { original_name: string }) => a.original_name),
      ['facture-dentiste.pdf'],
    );
    // The form starts empty again.
    assert.equal(keptKeys(decoded((await agent.get('/assure/demarches/remboursement').expect(200)).text)).length, 0);
  });

  test('upload errors: too many, too large, not a PDF/JPEG/PNG by content — the message at the documents, values kept, no request, no file', async () => {
    const before = await requestCount();
    const onDisk = filesOnDisk();
    const token = await tokenFrom(agent, '/assure/demarches/remboursement');
    const fields: [string, string][] = [
      ['objet', 'pharmacie'],
      ['beneficiaire', String(marie.beneficiaries.enfant2)],
      ['message', 'Mon message'],
    ];
    const cases: [string, [Buffer, string][]][] = [
      ['Vous pouvez joindre au plus 4 fichiers.', Array.from({ length: 5 }, (_, i): [Buffer, string] => [PDF, `f${i}.pdf`])],
      ['Chaque fichier doit peser au plus 3 Mo.', [[Buffer.concat([PDF, Buffer.alloc(3 * 1024 * 1024)]), 'gros.pdf']]],
      [
        "« page.pdf » n'est pas accepté : formats possibles PDF, JPEG, PNG.",
        [
          [PDF, 'bon.pdf'],
          [HTML_AS_PDF, 'page.pdf'],
        ],
      ],
    ];
    for (const [message, files] of cases) {
      const html = decoded((await multipart(agent, '/assure/demarches/remboursement', token, fields, files).expect(422)).text);
      assertIncludes(html, message);
      assertIncludes(html, 'id="documents-error"');
      assertIncludes(html, '>Mon message</textarea>');
      assertIncludes(html, 'value="pharmacie" aria-describedby="objet-4-documents" checked');
      assertIncludes(html, `<option value="${marie.beneficiaries.enfant2}" selected>`);
    }
    assert.equal(await requestCount(), before);
    assert.equal(filesOnDisk(), onDisk);
  });

  test('CSRF: a multipart or plain POST without its token is refused, nothing kept', async () => {
    const before = await requestCount();
    const onDisk = filesOnDisk();
    await multipart(
      agent,
      '/assure/demarches/remboursement',
      null,
      [
        ['objet', 'optique'],
        ['beneficiaire', String(marie.beneficiaries.assure)],
      ],
      [[PDF, 'facture.pdf']],
    ).expect(403);
    await multipart(
      agent,
      '/assure/demarches/remboursement',
      'faux-jeton',
      [
        ['objet', 'optique'],
        ['beneficiaire', String(marie.beneficiaries.assure)],
      ],
      [[PDF, 'facture.pdf']],
    ).expect(403);
    await agent.post('/assure/demarches/devis').type('form').send({ objet: 'optique' }).expect(403);
    assert.equal(await requestCount(), before);
    assert.equal(filesOnDisk(), onDisk);
  });
});

describe('an upload cut off by the client', () => {
  test('the connection closed in the middle of a file: no temporary file stays, no request, no file kept', async () => {
    const tmpDir = path.join(t.config.uploadDir, 'tmp');
    const before = await requestCount();
    const onDisk = filesOnDisk();
    const pendingCount = async () => Number((await t.db('pending_uploads').count({ n: '*' }).first())?.n ?? 0);
    const pending = await pendingCount();
    let midway: string[] = [];
    const jar = (agent as unknown as { jar: { getCookies(info: unknown): { name: string; value: string }[] } }).jar;
    const cookie = jar
      .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    assert.ok(cookie, 'the member is logged in');
    const token = await tokenFrom(agent, '/assure/demarches/remboursement');
    const server = http.createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const boundary = '----coupe' + Date.now();
      const head = [
        `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`,
        `--${boundary}\r\nContent-Disposition: form-data; name="envoi"\r\n\r\n${newSendToken()}\r\n`,
        `--${boundary}\r\nContent-Disposition: form-data; name="objet"\r\n\r\noptique\r\n`,
        `--${boundary}\r\nContent-Disposition: form-data; name="documents"; filename="facture.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      ].join('');
      const closed = new Promise<void>((resolve) => {
        const req = http.request({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/assure/demarches/remboursement',
          headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + 2 * 1024 * 1024) },
        });
        req.on('error', () => resolve());
        req.on('close', () => resolve());
        req.write(head);
        // Half a megabyte of the file, then the client goes away.
        req.write(Buffer.concat([PDF, Buffer.alloc(512 * 1024, 7)]), () =>
          setTimeout(() => {
            midway = fs.readdirSync(tmpDir);
            req.destroy();
          }, 200),
        );
      });
      await closed;
      assert.equal(midway.length, 1, 'the file was being written to the temporary folder when the client went away');
      // The server notices the closed connection and cleans up: wait for it, a little.
      for (let i = 0; i < 50 && fs.readdirSync(tmpDir).length; i++) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(fs.readdirSync(tmpDir), [], 'no temporary file left');
      assert.equal(await requestCount(), before);
      assert.equal(filesOnDisk(), onDisk);
      assert.equal(await pendingCount(), pending, 'nothing kept for the form');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('Transmettre un devis and the reste-à-charge estimate', () => {
  const lentilles: [string, string][] = [
    ['ligne_1_acte', 'lentilles'],
    ['ligne_1_montant', '180,00'],
    ['ligne_2_acte', 'optique_simples'],
    ['ligne_2_montant', '350'],
  ];

  test('the form: the six objects of the guide, the acts by object', async () => {
    const html = decoded((await agent.get('/assure/demarches/devis').expect(200)).text);
    for (const label of ['Optique', 'Audio', 'Appareillage', 'Hospitalisation', 'Dentaire', 'Maternité']) assertIncludes(html, `>${label}</option>`);
    assertIncludes(html, '<optgroup label="Optique">');
    assertIncludes(html, 'Transmettre ma demande de devis');
    assertIncludes(html, 'hx-get="/assure/demarches/devis/estimation"');
  });

  test('« Calculer » without JavaScript: the estimate per line and in total, each with its sentence; the file kept', async () => {
    const token = await tokenFrom(agent, '/assure/demarches/devis');
    const res = await multipart(
      agent,
      '/assure/demarches/devis',
      token,
      [['objet', 'optique'], ['beneficiaire', String(marie.beneficiaries.enfant1)], ...lentilles, ['action', 'calculer'], ['message', 'Devis de Léo']],
      [[PDF, 'devis-opticien.pdf']],
    ).expect(200);
    const text = textOf(res.text);
    // Lentilles: SS 60 % of 39,48 € = 23,69 €; 150 € a year, 40 € used → 110 €; rest 46,31 €.
    assertIncludes(text, 'La Sécurité sociale rembourse 60 % de la base de remboursement de 39,48 €, soit 23,69 €.');
    assertIncludes(text, 'dont 40,00 € déjà utilisés cette année : il en reste 110,00 €. Votre contrat prend en charge 110,00 €.');
    assertIncludes(text, 'Il vous reste 46,31 € à payer sur 180,00 €.');
    // Glasses: SS 0,09 €, forfait 300 €, rest 49,91 €. Total 530 €: 23,78 / 410 / 96,22.
    assertIncludes(text, 'Il vous reste 49,91 € à payer sur 350,00 €.');
    assertIncludes(text, 'Sur un devis de 530,00 €, la Sécurité sociale rembourserait 23,78 €.');
    assertIncludes(text, 'Votre contrat prendrait en charge 410,00 €.');
    assertIncludes(text, 'Il vous resterait 96,22 € à payer.');
    const html = decoded(res.text);
    assertIncludes(html, 'devis-opticien.pdf');
    assertIncludes(html, '>Devis de Léo</textarea>');
    assertIncludes(html, 'name="ligne_3_acte"');
    assert.equal(keptKeys(html).length, 1);
    // Then « Transmettre »: the kept file and the estimate go with the devis.
    const sent = await multipart(agent, '/assure/demarches/devis', token, [
      ['objet', 'optique'],
      ['beneficiaire', String(marie.beneficiaries.enfant1)],
      ...lentilles,
      ['message', 'Devis de Léo'],
      ['garder', keptKeys(html)[0]],
    ]).expect(303);
    const id = Number(sent.headers.location.split('/').pop());
    const row = await t.db('requests').where({ id }).first();
    assert.match(row.reference, /^DV-2026-\d{6}$/);
    const estimate = readStoredEstimate(row.estimate_lines);
    assert.ok(estimate);
    assert.deepEqual(
      estimate.lines.map((l) => [l.actCode, l.amountCents, l.securiteSocialeCents, l.complementaryCents, l.resteAChargeCents, l.reimbursedCents]),
      [
        ['lentilles', 18000, 2369, 11000, 4631, 13369],
        ['optique_simples', 35000, 9, 30000, 4991, 30009],
      ],
    );
    assert.deepEqual(estimate.total, { amountCents: 53000, securiteSocialeCents: 2378, complementaryCents: 41000, resteAChargeCents: 9622 });
    assert.deepEqual(
      (await t.db('request_attachments').where({ request_id: id })).map((a: { original_name: string }) => a.original_name),
      ['devis-opticien.pdf'],
    );
    const detail = textOf((await agent.get(`/assure/demarches/demandes/${id}`).expect(200)).text);
    assertIncludes(detail, 'Votre estimation transmise avec le devis');
    assertIncludes(detail, '96,22 €');
  });

  test('the estimate as an htmx fragment (as the member types), without a beneficiary, with a line not counted', async () => {
    const query = new URLSearchParams([
      ['objet', 'optique'],
      ['beneficiaire', ''],
      ...lentilles,
      ['ligne_3_acte', 'lentilles'],
      ['ligne_3_montant', 'douze'],
    ]).toString();
    const res = await agent.get(`/assure/demarches/devis/estimation?${query}`).set('HX-Request', 'true').expect(200);
    assertExcludes(res.text, '<html');
    const text = textOf(res.text);
    // Without a beneficiary nothing is known of this year's use: the whole 150 € allowance (180 − 23,69 − 150).
    assertIncludes(text, 'Choisissez le bénéficiaire');
    assertIncludes(text, 'Il vous reste 6,31 € à payer sur 180,00 €.');
    assertIncludes(text, "Le montant de la ligne 3 n'est pas un montant en euros (par exemple 120,50).");
    // Without htmx the same address answers the whole devis page, the message next to the field.
    const page = decoded((await agent.get(`/assure/demarches/devis/estimation?${query}`).expect(200)).text);
    assertIncludes(page, '<h1>Transmettre un devis</h1>');
    assertIncludes(page, 'id="ligne_3_montant-error"');
    // Another family's beneficiary counts as none (their décomptes are not read).
    const foreign = new URLSearchParams([['beneficiaire', String(paul.beneficiaries.enfant1)], ...lentilles]).toString();
    assertIncludes(
      textOf((await agent.get(`/assure/demarches/devis/estimation?${foreign}`).set('HX-Request', 'true').expect(200)).text),
      'Choisissez le bénéficiaire',
    );
  });

  test('devis errors: object, beneficiary, lines, no file — each message next to its field, nothing created', async () => {
    const before = await requestCount();
    const token = await tokenFrom(agent, '/assure/demarches/devis');
    const res = await multipart(agent, '/assure/demarches/devis', token, [
      ['ligne_1_acte', 'dentaire_implant'],
      ['ligne_1_montant', '1200'],
      ['ligne_2_montant', '30'],
      ['ligne_3_acte', 'hospi_chambre_particuliere'],
      ['ligne_3_montant', '90'],
      ['ligne_3_jours', '0'],
      ['objet', 'optique'],
    ]).expect(422);
    const html = decoded(res.text);
    assertIncludes(html, 'Choisissez le bénéficiaire concerné.');
    assertIncludes(html, "L'acte de la ligne 1 ne fait pas partie de l'objet « Optique » : choisissez-le dans cette liste.");
    assertIncludes(html, "Choisissez l'acte de la ligne 2.");
    assertIncludes(html, 'Le nombre de jours de la ligne 3 doit être un nombre entier de 1 à 365.');
    assertIncludes(html, 'Joignez au moins un document.');
    assertIncludes(html, 'id="ligne_2_acte-error"');
    const empty = decoded((await multipart(agent, '/assure/demarches/devis', token, []).expect(422)).text);
    assertIncludes(empty, "Choisissez l'objet de votre demande de devis.");
    assert.equal(await requestCount(), before);
  });
});

describe('Mes demandes', () => {
  test('the list: reference, object, beneficiary, date, status; paged; the family only', async () => {
    const fresh = await createFamily(t.db, { firstName: 'Nina', lastName: 'Liste', statements: 0 });
    const nina = await loginAs(t.app, t.db, 'assure', fresh.email);
    assertIncludes(textOf((await nina.get('/assure/demarches/demandes').expect(200)).text), "Vous n'avez encore transmis aucune demande.");
    for (let i = 0; i < 11; i++) await sendRemboursement(nina, fresh);
    const page1 = textOf((await nina.get('/assure/demarches/demandes').expect(200)).text);
    assertIncludes(page1, '11 demandes');
    assertIncludes(page1, 'Page 1 sur 2');
    assertIncludes(page1, 'Demande de remboursement Optique achetée hors réseau');
    assertIncludes(page1, 'Léo Liste');
    assertIncludes(page1, '22/11/2026');
    assertIncludes(page1, 'Reçue');
    const refs = await t.db('requests').where({ member_id: fresh.memberId }).orderBy('id').pluck('reference');
    assertIncludes(page1, refs[10]);
    assertExcludes(page1, refs[0]);
    const page2 = await nina.get('/assure/demarches/demandes?page=2').set('HX-Request', 'true').expect(200);
    assertExcludes(page2.text, '<html');
    assertIncludes(textOf(page2.text), refs[0]);
    assertIncludes(textOf((await nina.get('/assure/demarches/demandes?page=9').expect(200)).text), "La page 9 n'existe pas");
    // Marie's requests are not Nina's.
    const marieRef = (await t.db('requests').where({ member_id: marie.memberId }).first()).reference;
    assertExcludes(page1, marieRef);
  });

  test('missing document → added to the same request → processed: the timeline dated step by step, the answer', async () => {
    const id = await sendRemboursement(agent, marie);
    const actor = { side: 'staff' as const, accountId: staff.id };
    assert.ok((await staffRequestAction(ctx, actor, id, { type: 'ask_document', documents: 'La prescription médicale' })).ok);
    let html = decoded((await agent.get(`/assure/demarches/demandes/${id}`).expect(200)).text);
    assertIncludes(html, 'Document manquant');
    assertIncludes(html, 'Documents demandés : La prescription médicale');
    assertIncludes(html, 'Ajouter les documents manquants');
    // Another family cannot add to it (404), and the file they sent is not kept.
    const onDisk = filesOnDisk();
    const foreignToken = await tokenFrom(other, '/assure/demarches/remboursement');
    await multipart(other, `/assure/demarches/demandes/${id}/documents`, foreignToken, [], [[PDF, 'intrus.pdf']]).expect(404);
    assert.equal(filesOnDisk(), onDisk);
    // Nothing joined: the message at the field.
    const token = csrfFrom(html);
    assertIncludes(
      decoded((await multipart(agent, `/assure/demarches/demandes/${id}/documents`, token, [['message', 'La voici']]).expect(422)).text),
      'Joignez au moins un document.',
    );
    await multipart(agent, `/assure/demarches/demandes/${id}/documents`, token, [['message', 'La voici']], [[PDF, 'prescription.pdf']]).expect(303);
    assert.equal((await t.db('requests').where({ id }).first()).status, 'completed');
    assert.equal(
      await t
        .db('request_attachments')
        .where({ request_id: id })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      2,
    );
    // Once completed, no more documents this way: 409 with the rule's message.
    html = decoded((await multipart(agent, `/assure/demarches/demandes/${id}/documents`, token, [], [[PDF, 'encore.pdf']]).expect(409)).text);
    assertIncludes(html, "Aucun document n'est demandé pour cette demande.");
    assert.equal(
      await t
        .db('request_attachments')
        .where({ request_id: id })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      2,
    );
    assert.ok((await staffRequestAction(ctx, actor, id, { type: 'accept', amountCents: 4250, paymentDay: '2026-11-27' })).ok);
    const text = textOf((await agent.get(`/assure/demarches/demandes/${id}`).expect(200)).text);
    assertIncludes(text, 'Votre demande est traitée : 42,50 € remboursés, paiement le 27/11/2026.');
    for (const step of ['Demande reçue', 'Document manquant demandé', 'Documents manquants ajoutés', 'Demande prise en charge', 'Demande traitée'])
      assertIncludes(text, step);
    assert.ok(
      text.indexOf('Demande reçue') < text.indexOf('Document manquant demandé') &&
        text.indexOf('Documents manquants ajoutés') < text.indexOf('Demande traitée'),
    );
    assertIncludes(text, '22/11/2026 à 10:00');
    assertExcludes(text, 'réponse prévue');
  });

  test('a request stored without its timeline (seeded rows) still shows the day it was received', async () => {
    const id = await insertId(t.db, 'requests', {
      member_id: marie.memberId,
      beneficiary_id: marie.beneficiaries.assure,
      kind: 'remboursement',
      object: 'medecine_douce',
      reference: 'DR-2026-900001',
      message: null,
      status: 'in_progress',
      expected_day: '2026-11-26',
      created_at: '2026-11-19T08:30:00.000Z',
      updated_at: '2026-11-19T08:30:00.000Z',
    });
    const text = textOf((await agent.get(`/assure/demarches/demandes/${id}`).expect(200)).text);
    assertIncludes(text, 'Suivi de votre demande 19/11/2026 à 09:30 Demande reçue');
    assertIncludes(text, 'réponse prévue au plus tard le 26/11/2026');
  });

  test('a refusal shows its reason; a devis answer its lines', async () => {
    const actor = { side: 'staff' as const, accountId: staff.id };
    const refused = await sendRemboursement(agent, marie);
    assert.ok((await staffRequestAction(ctx, actor, refused, { type: 'refuse', reason: 'Soins non couverts par votre contrat' })).ok);
    assertIncludes(
      textOf((await agent.get(`/assure/demarches/demandes/${refused}`).expect(200)).text),
      'Votre demande est refusée. Motif : Soins non couverts par votre contrat',
    );
    const token = await tokenFrom(agent, '/assure/demarches/devis');
    const res = await multipart(
      agent,
      '/assure/demarches/devis',
      token,
      [
        ['objet', 'audio'],
        ['beneficiaire', String(marie.beneficiaries.assure)],
      ],
      [[PDF, 'devis-audio.pdf']],
    ).expect(303);
    const devis = Number(res.headers.location.split('/').pop());
    assert.equal((await t.db('requests').where({ id: devis }).first()).estimate_lines, null);
    assert.ok(
      (
        await staffRequestAction(ctx, actor, devis, {
          type: 'answer_devis',
          lines: [{ label: 'Aide auditive classe II, oreille droite', amountCents: 150000, reimbursedCents: 95000 }],
          message: 'Sous réserve de la facture.',
        })
      ).ok,
    );
    const text = textOf((await agent.get(`/assure/demarches/demandes/${devis}`).expect(200)).text);
    assertIncludes(text, 'Remboursement estimé pour votre devis : 950,00 €');
    assertIncludes(text, 'Aide auditive classe II, oreille droite 1 500,00 € 950,00 €');
    assertIncludes(text, 'Sous réserve de la facture.');
  });
});

describe('a form sent several times at once', () => {
  /** The attachments of a request, each with whether its file is on disk and downloads for the family. */
  async function filesOf(id: number) {
    const rows = await t.db('request_attachments').where({ request_id: id }).orderBy('id');
    return Promise.all(
      rows.map(async (a: { id: number; original_name: string; stored_name: string }) => ({
        name: a.original_name,
        onDisk: fs.existsSync(path.join(requestsDir(), a.stored_name)),
        download: (await agent.get(`/assure/demarches/demandes/${id}/documents/${a.id}`)).status,
      })),
    );
  }

  test('five sendings at once with the same kept file (five tabs): one request keeps it, the others are told (409), no 500', async () => {
    const url = '/assure/demarches/remboursement';
    const token = await tokenFrom(agent, url);
    const kept = await multipart(agent, url, token, [['objet', 'dentaire']], [[PDF, 'facture-course.pdf']]).expect(422);
    const [key] = keptKeys(decoded(kept.text));
    const before = await requestCount();
    const fields: [string, string][] = [
      ['objet', 'dentaire'],
      ['beneficiaire', String(marie.beneficiaries.conjoint)],
      ['garder', key],
    ];
    const all = await Promise.all([1, 2, 3, 4, 5].map(() => multipart(agent, url, token, fields)));
    assert.deepEqual(all.map((r) => r.status).sort(), [303, 409, 409, 409, 409]);
    for (const r of all.filter((r) => r.status === 409)) assertIncludes(textOf(r.text), SEND_TEXTS.filesTaken);
    assert.equal(await requestCount(), before + 1);
    const id = Number(
      all
        .find((r) => r.status === 303)!
        .headers.location.split('/')
        .pop(),
    );
    assert.deepEqual(await filesOf(id), [{ name: 'facture-course.pdf', onDisk: true, download: 200 }]);
  });

  test('a double click (the same form twice, its one-time token twice): one request; the second goes to it or is told it is on its way', async () => {
    const url = '/assure/demarches/remboursement';
    const token = await tokenFrom(agent, url);
    const before = await requestCount();
    const envoi = newSendToken();
    const fields: [string, string][] = [
      ['envoi', envoi],
      ['objet', 'optique'],
      ['beneficiaire', String(marie.beneficiaries.enfant1)],
    ];
    const [a, b] = await Promise.all([multipart(agent, url, token, fields, [[PDF, 'un.pdf']]), multipart(agent, url, token, fields, [[PDF, 'un.pdf']])]);
    assert.equal(await requestCount(), before + 1);
    const location = `/assure/demarches/demandes/${(await t.db('requests').orderBy('id', 'desc').first('id')).id}`;
    assert.ok(
      [a, b].some((r) => r.status === 303),
      'one sending went through',
    );
    for (const r of [a, b]) {
      if (r.status === 303) assert.equal(r.headers.location, location);
      else {
        assert.equal(r.status, 409);
        assertIncludes(textOf(r.text), SEND_TEXTS.sending);
      }
    }
    // Later, the same form again: straight to what the first sending created.
    const again = await multipart(agent, url, token, fields, [[PDF, 'un.pdf']]).expect(303);
    assert.equal(again.headers.location, location);
    assert.equal(await requestCount(), before + 1);
    const id = Number(location.split('/').pop());
    assert.deepEqual(await filesOf(id), [{ name: 'un.pdf', onDisk: true, download: 200 }]);
    // The second's file did not stay on disk.
    const names = new Set((await t.db('request_attachments').select('stored_name')).map((r: { stored_name: string }) => r.stored_name));
    const kept = new Set((await t.db('pending_uploads').select('stored_name')).map((r: { stored_name: string }) => r.stored_name));
    assert.deepEqual(
      fs.readdirSync(requestsDir()).filter((n) => !names.has(n) && !kept.has(n)),
      [],
    );
  });

  test('a form without its one-time token is refused (409) with the values and kept files', async () => {
    const url = '/assure/demarches/remboursement';
    const token = await tokenFrom(agent, url);
    const before = await requestCount();
    const res = await agent
      .post(url)
      .field('_csrf', token)
      .field('objet', 'optique')
      .field('beneficiaire', String(marie.beneficiaries.enfant1))
      .attach('documents', PDF, 'sans-jeton.pdf');
    assert.equal(res.status, 409);
    assertIncludes(textOf(res.text), SEND_TEXTS.noToken);
    assertIncludes(res.text, 'value="optique"');
    assert.equal(await requestCount(), before);
  });

  test('« Document manquant » sent five times at once with the same kept file: added once, the file stays with it', async () => {
    const id = await sendRemboursement(agent, marie);
    assert.ok((await staffRequestAction(ctx, { side: 'staff', accountId: staff.id }, id, { type: 'ask_document', documents: 'Prescription' })).ok);
    const page = `/assure/demarches/demandes/${id}`;
    const token = csrfFrom((await agent.get(page).expect(200)).text);
    const bad = await multipart(agent, `${page}/documents`, token, [['message', 'x'.repeat(5001)]], [[PDF, 'prescription.pdf']]).expect(422);
    const [key] = keptKeys(decoded(bad.text));
    assert.ok(key);
    const all = await Promise.all([1, 2, 3, 4, 5].map(() => multipart(agent, `${page}/documents`, token, [['garder', key]])));
    assert.deepEqual(all.map((r) => r.status).sort(), [303, 409, 409, 409, 409]);
    assert.equal((await t.db('requests').where({ id }).first()).status, 'completed');
    const files = await filesOf(id);
    assert.deepEqual(
      files.map((f) => f.name),
      ['facture.pdf', 'prescription.pdf'],
    );
    assert.ok(
      files.every((f) => f.onDisk && f.download === 200),
      JSON.stringify(files),
    );
  });
});

// STORAGE=s3 end to end (src/storage/, docs/deploy.md « Stockage des fichiers »): the app runs
// against the fake S3 API of test/helpers/fake-s3.ts. A member's démarche with its attachment
// downloaded by the gestionnaire, a document pratique put online by staff and downloaded by HR, an
// affiliation document typed from the paper form, the orphan sweep listing the bucket, and /readyz
// once the store is gone — with every file in the bucket and none left on the local disk (multer's
// temporary folder emptied). On SQLite, and on PostgreSQL under TEST_PG_URL.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { startFakeS3 } from '../helpers/fake-s3.js';
import { createFamily, type Family } from '../helpers/family.js';
import { createAccount, loginAs, textOf, tokenFrom } from '../helpers/fixtures.js';
import { createHrCompany, createHrUser } from '../helpers/entreprise.js';
import { createAffiliationRequest } from '../helpers/affiliation-requests.js';
import { newSendToken } from '../../src/correspondence/pending-uploads.js';
import { makeFrenchIban } from '../../src/domain/iban.js';
import { nirKey } from '../../src/domain/nir.js';
import { jobsFor } from '../../src/jobs.js';
import { assertIncludes } from '../helpers/assertions.js';

type Agent = Awaited<ReturnType<typeof loginAs>>;
const BUCKET = 'portail-essai';
const PREFIX = 'instance/';
const PDF = Buffer.from(`%PDF-1.4\n% ${crypto.randomBytes(64).toString('hex')}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`);

let fake: Awaited<ReturnType<typeof startFakeS3>>;
let t: TestContext;
let marie: Family;
let member: Agent;
let staff: Agent;

const objects = () => fake.buckets.get(BUCKET) ?? new Map();
const objectOf = (folder: string, storedName: string) => objects().get(`${PREFIX}${folder}/${storedName}`);

/** Every file under UPLOAD_DIR (relative paths): with S3, the work folders only, and empty. */
function localFiles(): string[] {
  const dir = t.config.uploadDir;
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

before(async () => {
  fake = await startFakeS3();
  t = await makeTestApp({
    STORAGE: 's3',
    S3_ENDPOINT: fake.endpoint,
    S3_REGION: 'eu-west-3',
    S3_BUCKET: BUCKET,
    S3_PREFIX: PREFIX,
    S3_ACCESS_KEY_ID: 'cle-essai',
    S3_SECRET_ACCESS_KEY: 'secret-essai',
  });
  marie = await createFamily(t.db, { firstName: 'Marie', lastName: 'Stockage', statements: 0 });
  member = await loginAs(t.app, t.db, 'assure', marie.email);
  const account = await createAccount(t.db, { kind: 'staff', email: 'gestion.stockage@exemple.fr', mobile: '+33639980961', firstName: 'Claire' });
  staff = await loginAs(t.app, t.db, 'gestion', account.email);
});
after(async () => {
  await t.close();
  await fake.close().catch(() => undefined);
});

/** Marie sends a « remboursement » démarche with one PDF; the answer must have `status`. */
async function sendDemarche(message: string, fileName: string, status: number) {
  const token = await tokenFrom(member, '/assure/demarches/remboursement');
  return member
    .post('/assure/demarches/remboursement')
    .field('_csrf', token)
    .field('envoi', newSendToken())
    .field('objet', 'optique')
    .field('beneficiaire', String(marie.beneficiaries.enfant1))
    .field('message', message)
    .attach('documents', PDF, fileName)
    .expect(status);
}

test('a démarche with its attachment: the file goes to the bucket, the gestionnaire downloads the same bytes; another family gets 404', async () => {
  const sent = await sendDemarche('Lunettes', 'facture-optique.pdf', 303);
  const id = Number(/\/assure\/demarches\/demandes\/(\d+)$/.exec(sent.headers.location)?.[1]);
  const attachment = await t.db('request_attachments').where({ request_id: id }).first();
  assert.ok(attachment, 'the attachment row');
  assert.ok(objectOf('requests', attachment.stored_name)?.body.equals(PDF), 'the object holds the bytes sent');

  const res = await staff.get(`/gestion/demandes/${id}/documents/${attachment.id}`).buffer(true).expect(200);
  assert.ok(Buffer.from(res.body).equals(PDF), 'bytes identical');
  assert.equal(res.headers['content-type'], 'application/pdf');
  assert.equal(res.headers['content-length'], String(PDF.length));
  assert.equal(res.headers['content-disposition'], `attachment; filename="facture-optique.pdf"; filename*=UTF-8''facture-optique.pdf`);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  const own = await member.get(`/assure/demarches/demandes/${id}/documents/${attachment.id}`).buffer(true).expect(200);
  assert.ok(Buffer.from(own.body).equals(PDF));

  const paul = await createFamily(t.db, { firstName: 'Paul', lastName: 'Autre', statements: 0 });
  const other = await loginAs(t.app, t.db, 'assure', paul.email);
  await other.get(`/assure/demarches/demandes/${id}/documents/${attachment.id}`).expect(404);
  // A row whose object is gone: 404, not 500.
  objects().delete(`${PREFIX}requests/${attachment.stored_name}`);
  await staff.get(`/gestion/demandes/${id}/documents/${attachment.id}`).expect(404);
  objects().set(`${PREFIX}requests/${attachment.stored_name}`, { body: PDF, modifiedAt: new Date() });
  assert.deepEqual(localFiles(), [], 'nothing on the local disk: multer’s temporary file went to the bucket');
});

test('a document pratique put online by staff is downloaded by HR from the bucket', async () => {
  const company = await createHrCompany(t.db, 'Stockage Objet', 1);
  const hrUser = await createHrUser(t.db, [{ company, role: 'admin' }]);
  const hr = await loginAs(t.app, t.db, 'entreprise', hrUser.email);
  const token = await tokenFrom(staff, '/gestion/documents/ajouter');
  const added = await staff
    .post('/gestion/documents/ajouter')
    .field('_csrf', token)
    .field('titre', 'Notice en stockage objet')
    .field('categorie', 'notices')
    .field('visibilite', 'tous')
    .attach('fichier', PDF, 'notice.pdf');
  assert.equal(added.status, 303, textOf(added.text).slice(0, 400));
  const id = Number(/\/gestion\/documents\/(\d+)$/.exec(added.headers.location)?.[1]);
  const doc = await t.db('practical_documents').where({ id }).first();
  assert.ok(objectOf('documents', doc.stored_name), 'in the bucket');
  const res = await hr.get(`/entreprise/documents/${id}/telecharger`).buffer(true).expect(200);
  assert.ok(Buffer.from(res.body).equals(PDF));
  assert.equal(res.headers['content-length'], String(PDF.length));
  assert.match(res.headers['cache-control'], /no-store/);
  assert.match(res.headers['content-disposition'], /^attachment; filename="notice.pdf"/);
  await member.get(`/gestion/documents/${id}`).expect(403);
  assert.deepEqual(localFiles(), []);
});

test('an affiliation document typed from the paper form: stored in the bucket, downloaded by staff, refused to HR', async () => {
  const company = await createHrCompany(t.db, 'Courrier Objet', 1);
  const hrUser = await createHrUser(t.db, [{ company, role: 'admin' }]);
  const { id } = await createAffiliationRequest(t.db, t.clock(), { company, mode: 'courrier', status: 'sent', createdBy: hrUser.id });
  const row = await t.db('affiliation_requests').where({ id }).first('nir', 'last_name');
  const fields: Record<string, string> = {
    civilite: 'F',
    nom: row.last_name,
    prenom: 'Léa',
    date_naissance: '17/04/1992',
    nir: row.nir + String(nirKey(row.nir)).padStart(2, '0'),
    adresse1: '4 cours de l’Intendance',
    code_postal: '33000',
    ville: 'Bordeaux',
    mobile: '06 12 34 56 78',
    iban: makeFrenchIban('30004', '00031', '00012345678'),
    titulaire: `Léa ${row.last_name}`,
    code_organisme: '013310000',
    teletransmission: 'non',
    confirmation_papier: 'oui',
    action: 'enregistrer',
  };
  let req = staff.post(`/gestion/affiliations/${id}/bulletin-papier`).field('_csrf', await tokenFrom(staff, '/gestion/accueil'));
  for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
  const saved = await req.attach('document_rib', PDF, 'rib.pdf').attach('document_attestation', PDF, 'attestation.pdf');
  assert.equal(saved.status, 303, textOf(saved.text).slice(0, 600));
  const docs = await t.db('affiliation_request_documents').where({ request_id: id }).orderBy('id');
  assert.equal(docs.length, 2);
  for (const d of docs) assert.ok(objectOf('affiliations', d.stored_name), `${d.kind} in the bucket`);
  const res = await staff.get(`/gestion/affiliations/${id}/documents/${docs[0].id}`).buffer(true).expect(200);
  assert.ok(Buffer.from(res.body).equals(PDF));
  assert.equal(res.headers['content-length'], String(PDF.length));
  const hr = await loginAs(t.app, t.db, 'entreprise', hrUser.email);
  await hr.get(`/gestion/affiliations/${id}/documents/${docs[0].id}`).expect(403);
  assert.deepEqual(localFiles(), []);
});

test('the orphan sweep lists the bucket: an old object no row names goes, an old referenced one and a young orphan stay', async () => {
  const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
  const referenced = await t.db('request_attachments').first('stored_name');
  objects().get(`${PREFIX}requests/${referenced.stored_name}`)!.modifiedAt = twoDaysAgo;
  const orphan = `${crypto.randomBytes(16).toString('hex')}.pdf`;
  const young = `${crypto.randomBytes(16).toString('hex')}.pdf`;
  objects().set(`${PREFIX}requests/${orphan}`, { body: PDF, modifiedAt: twoDaysAgo });
  objects().set(`${PREFIX}requests/${young}`, { body: PDF, modifiedAt: new Date() });
  const job = jobsFor(t.config).find((j) => j.name === 'sweep-orphan-files')!;
  await job.run(t.db, new Date());
  assert.equal(objectOf('requests', orphan), undefined, 'the old orphan is deleted');
  assert.ok(objectOf('requests', referenced.stored_name), 'the referenced file stays');
  assert.ok(objectOf('requests', young), 'a young orphan may belong to a transaction still running');
});

test('/readyz: ready with the store, 503 with its reason once the store does not answer', async () => {
  assert.deepEqual((await request(t.app).get('/readyz').expect(200)).body, { status: 'ok' });
  assert.ok(![...objects().keys()].some((key) => key.includes('.readyz-')), 'the probe object is removed');
  await fake.close();
  const res = await request(t.app).get('/readyz').expect(503);
  assert.equal(res.body.check, 'storage');
  assert.match(res.body.reason, /stockage des fichiers \(S3\) injoignable/);

  // Meanwhile a member sends a démarche with a document: a French « indisponible » page, no
  // request saved, nothing left on the local disk; a download answers the same way.
  const before = await t.db('requests').count({ n: '*' }).first();
  const refused = await sendDemarche('Pendant la panne', 'facture-panne.pdf', 503);
  assertIncludes(refused.text, 'Service momentanément indisponible');
  assertIncludes(textOf(refused.text), "rien n'a été enregistré");
  assert.equal(refused.headers['retry-after'], '60');
  assert.deepEqual(await t.db('requests').count({ n: '*' }).first(), before, 'no request saved');
  assert.deepEqual(localFiles(), [], 'the received file is not kept on the local disk');
  const attachment = await t.db('request_attachments').orderBy('id').first();
  const download = await staff.get(`/gestion/demandes/${attachment.request_id}/documents/${attachment.id}`).expect(503);
  assertIncludes(download.text, 'Service momentanément indisponible');
});

// Documents pratiques: staff put PDFs online (/gestion/documents) for every company, one company or
// one contract; HR see in « Mes documents pratiques » (/entreprise/documents) only those of their
// companies, and download them; another company's HR gets 404 on the list and the download.
// Uploads are checked (PDF by content, 10 Mo, title), replacing keeps versions, withdrawing hides.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { createAccount, decoded, loginAs, textOf, tokenFrom } from '../helpers/fixtures.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';
import { DOCUMENT_TEXTS, MAX_DOCUMENT_BYTES } from '../../src/domain/practical-documents.js';
import { sweepOrphanDocumentFiles } from '../../src/practical-documents/service.js';
import { fileStoreFor } from '../../src/storage/from-config.js';

type Agent = Awaited<ReturnType<typeof loginAs>>;
let t: TestContext;
let alpha: TestCompany;
let beta: TestCompany;
let gamma: TestCompany;
let staff: Agent;
let staffId: number;
/** HR of Alpha and Gamma (two companies). */
let hrAlpha: Agent;
/** HR of Beta only. */
let hrBeta: Agent;
let member: Agent;

const pdf = (label: string) => Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`, 'latin1');
const documentsDir = () => path.join(t.config.uploadDir, 'documents');
const filesOnDisk = () => (fs.existsSync(documentsDir()) ? fs.readdirSync(documentsDir()).sort() : []);

/** The key of the PDF a refused « Ajouter un document » keeps (its hidden « garder » field). */
function keptKey(html: string): string {
  const match = /name="garder" value="([a-f0-9]+)"/.exec(html);
  assert.ok(match, 'a kept file is listed');
  return match[1];
}

/** The error message printed next to a field. */
function errorAt(html: string, field: string): string | null {
  const match = decoded(html).match(new RegExp(`id="${field}-error"><span class="visually-hidden">Erreur : </span>([^<]*)<`));
  return match ? match[1] : null;
}

async function upload(
  agent: Agent,
  url: string,
  fields: Record<string, string>,
  file: [Buffer, string] | null = [pdf('document'), 'document.pdf'],
  token?: string | null,
) {
  const csrf = token === undefined ? await tokenFrom(agent, '/gestion/documents/ajouter') : token;
  let req = agent.post(url);
  if (csrf !== null) req = req.field('_csrf', csrf);
  for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
  if (file) req = req.attach('fichier', file[0], file[1]);
  return req;
}

/** Staff put a document online; returns its id. */
async function addDocument(fields: Record<string, string>, content = pdf(fields.titre)): Promise<number> {
  const res = await upload(staff, '/gestion/documents/ajouter', fields, [content, 'fichier.pdf']);
  assert.equal(res.status, 303, textOf(res.text).slice(0, 600));
  const match = /^\/gestion\/documents\/(\d+)$/.exec(res.headers.location);
  assert.ok(match, res.headers.location);
  return Number(match[1]);
}

before(async () => {
  t = await makeTestApp();
  alpha = await createHrCompany(t.db, 'Alpha Documents', 1);
  beta = await createHrCompany(t.db, 'Beta Documents', 1);
  gamma = await createHrCompany(t.db, 'Gamma Documents', 1);
  const a = await createHrUser(t.db, [
    { company: alpha, role: 'admin' },
    { company: gamma, role: 'user' },
  ]);
  const b = await createHrUser(t.db, [{ company: beta, role: 'admin' }]);
  const account = await createAccount(t.db, { kind: 'staff', email: 'agent.documents@exemple.fr', mobile: '+33639980951', firstName: 'Claire' });
  staffId = account.id;
  staff = await loginAs(t.app, t.db, 'gestion', account.email);
  hrAlpha = await loginAs(t.app, t.db, 'entreprise', a.email);
  hrBeta = await loginAs(t.app, t.db, 'entreprise', b.email);
  member = await loginAs(t.app, t.db, 'assure', (await createAccount(t.db, { kind: 'member', mobile: '+33639980952' })).email);
});
after(async () => t.close());

describe('who reaches the pages', () => {
  test('the staff pages: HR and members get 403, nobody logged in goes to the login page; nothing is stored', async () => {
    for (const agent of [hrAlpha, member]) {
      await agent.get('/gestion/documents').expect(403);
      await agent.get('/gestion/documents/ajouter').expect(403);
    }
    assert.equal((await request(t.app).get('/gestion/documents').expect(303)).headers.location, '/gestion');
    const before = filesOnDisk();
    const token = await tokenFrom(hrAlpha, '/entreprise/accueil');
    const res = await hrAlpha
      .post('/gestion/documents/ajouter')
      .field('_csrf', token)
      .field('titre', 'Intrus')
      .field('categorie', 'notices')
      .field('visibilite', 'tous')
      .attach('fichier', pdf('intrus'), 'intrus.pdf');
    assert.equal(res.status, 403);
    assert.deepEqual(filesOnDisk(), before);
    assert.equal(await t.db('practical_documents').where({ title: 'Intrus' }).first(), undefined);
  });

  test('the HR page: staff and members get 403, nobody logged in goes to the login page', async () => {
    await staff.get('/entreprise/documents').expect(403);
    await member.get('/entreprise/documents').expect(403);
    assert.equal((await request(t.app).get('/entreprise/documents').expect(303)).headers.location, '/entreprise');
  });

  test('the entries no longer answer « bientôt disponible »', async () => {
    assertExcludes(textOf((await staff.get('/gestion/documents').expect(200)).text), 'bientôt disponible');
    assertExcludes(textOf((await hrAlpha.get('/entreprise/documents').expect(200)).text), 'bientôt disponible');
  });
});

describe('« Ajouter un document »: what is refused', () => {
  test('a missing title, category and visibility: messages beside the fields, values kept, the chosen PDF kept until « Retirer »', async () => {
    const before = filesOnDisk();
    const res = await upload(staff, '/gestion/documents/ajouter', { titre: '  ', categorie: 'notices', visibilite: '' }, [pdf('gardé'), 'notice-gardee.pdf']);
    assert.equal(res.status, 422);
    assert.equal(errorAt(res.text, 'titre'), DOCUMENT_TEXTS.titleMissing);
    assert.equal(errorAt(res.text, 'visibilite'), DOCUMENT_TEXTS.visibilityMissing);
    assert.match(res.text, /<option value="notices" selected>/);
    assert.equal(errorAt(res.text, 'fichier'), null, 'no message at the file: it is kept');
    assertIncludes(decoded(res.text), 'Fichier déjà choisi : <strong>notice-gardee.pdf</strong>');
    assert.equal(filesOnDisk().length, before.length + 1, 'the chosen file is kept on disk');
    const key = keptKey(res.text);
    // Sent again with « Retirer » ticked (the title still missing): the file goes, and is asked for.
    const token = await tokenFrom(staff, '/gestion/documents');
    const removed = await upload(
      staff,
      '/gestion/documents/ajouter',
      { titre: '', categorie: 'notices', visibilite: 'tous', garder: key, retirer: key },
      null,
      token,
    );
    assert.equal(removed.status, 422);
    assert.equal(errorAt(removed.text, 'fichier'), DOCUMENT_TEXTS.fileMissing);
    assertExcludes(decoded(removed.text), 'notice-gardee.pdf');
    assert.deepEqual(filesOnDisk(), before, 'the removed file is deleted');
    assert.equal(await t.db('pending_uploads').first(), undefined);
  });

  test('a file that is not a PDF (whatever its name says), then one too big: the French message, the title kept', async () => {
    const before = filesOnDisk();
    const fake = await upload(staff, '/gestion/documents/ajouter', { titre: 'Notice piégée', categorie: 'notices', visibilite: 'tous' }, [
      Buffer.from('MZ\x90\x00 not a pdf at all', 'latin1'),
      'notice.pdf',
    ]);
    assert.equal(fake.status, 422);
    assert.equal(errorAt(fake.text, 'fichier'), DOCUMENT_TEXTS.fileNotPdf);
    assert.match(decoded(fake.text), /name="titre"[^>]*value="Notice piégée"/);

    const big = Buffer.concat([pdf('big'), Buffer.alloc(MAX_DOCUMENT_BYTES, 0x20)]);
    const tooBig = await upload(staff, '/gestion/documents/ajouter', { titre: 'Notice trop lourde', categorie: 'notices', visibilite: 'tous' }, [
      big,
      'lourde.pdf',
    ]);
    assert.equal(tooBig.status, 422);
    assert.equal(errorAt(tooBig.text, 'fichier'), DOCUMENT_TEXTS.fileTooLarge);
    assert.match(decoded(tooBig.text), /name="titre"[^>]*value="Notice trop lourde"/);

    const none = await upload(staff, '/gestion/documents/ajouter', { titre: 'Sans fichier', categorie: 'notices', visibilite: 'tous' }, null);
    assert.equal(none.status, 422);
    assert.equal(errorAt(none.text, 'fichier'), DOCUMENT_TEXTS.fileMissing);

    assert.deepEqual(filesOnDisk(), before, 'nothing is left on disk');
    assert.equal(Number((await t.db('practical_documents').count({ n: '*' }).first())?.n), 0);
  });

  test('« Une entreprise » without one, « Un contrat » with one that does not exist: the message at that field', async () => {
    const noCompany = await upload(staff, '/gestion/documents/ajouter', { titre: 'Pour qui ?', categorie: 'guides', visibilite: 'entreprise', entreprise: '' });
    assert.equal(noCompany.status, 422);
    assert.equal(errorAt(noCompany.text, 'entreprise'), DOCUMENT_TEXTS.companyMissing);
    const ghost = await upload(staff, '/gestion/documents/ajouter', { titre: 'Pour qui ?', categorie: 'guides', visibilite: 'contrat', contrat: '999999' });
    assert.equal(ghost.status, 422);
    assertIncludes(errorAt(ghost.text, 'contrat') ?? '', "Ce contrat n'existe plus");
    assert.equal(Number((await t.db('practical_documents').count({ n: '*' }).first())?.n), 0);
  });

  test('without the CSRF token: 403, nothing stored', async () => {
    const before = filesOnDisk();
    const res = await upload(staff, '/gestion/documents/ajouter', { titre: 'Sans jeton', categorie: 'notices', visibilite: 'tous' }, undefined, null);
    assert.equal(res.status, 403);
    assert.deepEqual(filesOnDisk(), before);
  });
});

describe('visibility', () => {
  let forAlpha: number;
  let forAll: number;
  let forBetaContract: number;

  before(async () => {
    forAlpha = await addDocument({ titre: 'Notice Alpha seulement', categorie: 'notices', visibilite: 'entreprise', entreprise: String(alpha.companyId) });
    forAll = await addDocument({ titre: 'Formulaire de portabilité des droits', categorie: 'portabilite', visibilite: 'tous' });
    forBetaContract = await addDocument({
      titre: 'Résumé des garanties Beta cadres',
      categorie: 'resumes_garanties',
      visibilite: 'contrat',
      contrat: String(beta.contracts.cadre),
    });
  });

  test('the rows say who may see them, and each addition is audited', async () => {
    const rows = await t.db('practical_documents').whereIn('id', [forAlpha, forAll, forBetaContract]).orderBy('id');
    assert.deepEqual(
      rows.map((r) => [r.company_id, r.contract_id, r.version, r.audience]),
      [
        [alpha.companyId, null, 1, 'entreprise'],
        [null, null, 1, 'entreprise'],
        [beta.companyId, beta.contracts.cadre, 1, 'entreprise'],
      ],
    );
    const audit = await t.db('audit_log').where({ event: 'practical_document_added', account_id: staffId }).orderBy('id');
    assert.equal(audit.length, 3);
    assert.equal(JSON.parse(audit[0].detail).company, alpha.companyId);
    // The journal is read by a superviseur (src/gestion/roles.ts).
    const { email } = await createAccount(t.db, { kind: 'staff', email: 'superviseur.documents@exemple.fr', mobile: '+33639980953', staffRole: 'superviseur' });
    const supervisor = await loginAs(t.app, t.db, 'gestion', email);
    const log = textOf((await supervisor.get('/gestion/audit').expect(200)).text);
    assertIncludes(log, 'a mis en ligne le document pratique « Notice Alpha seulement » pour Alpha Documents.');
  });

  test("Alpha's HR (two companies): its document and the common one, by category, with size, date and company; never Beta's", async () => {
    const html = (await hrAlpha.get('/entreprise/documents').expect(200)).text;
    const text = textOf(html);
    assertIncludes(html, '<h2 id="categorie-0">Notices d&#39;information</h2>');
    assertIncludes(text, 'Notice Alpha seulement');
    assertIncludes(text, 'Formulaire de portabilité des droits');
    assertExcludes(text, 'Résumé des garanties Beta');
    assert.match(text, /PDF, 1 Ko — mis en ligne le 22\/11\/2026 — pour Alpha Documents/);
    assertIncludes(html, `href="/entreprise/documents/${forAlpha}/telecharger"`);
    // Headings in the fixed order: notices before the portability form.
    assert.ok(text.indexOf("Notices d'information") < text.indexOf('Formulaire de portabilité'), text);
  });

  test("Beta's HR: the common document and its contract's, never Alpha's; a single company is not named", async () => {
    const text = textOf((await hrBeta.get('/entreprise/documents').expect(200)).text);
    assertIncludes(text, 'Résumé des garanties Beta cadres');
    assertIncludes(text, 'Formulaire de portabilité des droits');
    assertIncludes(text, 'contrat BASE CCN C RG Oblig');
    assertExcludes(text, 'Notice Alpha seulement');
    assertExcludes(text, '— pour Beta Documents');
  });

  test("downloads: the PDF as an attachment, never cached; another company's document is 404 (and its id a different 404 than none)", async () => {
    const res = await hrAlpha.get(`/entreprise/documents/${forAlpha}/telecharger`).buffer(true).expect(200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.match(res.headers['content-disposition'], /^attachment; filename="fichier.pdf"/);
    assert.match(res.headers['cache-control'], /no-store/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.ok(Buffer.from(res.body).equals(pdf('Notice Alpha seulement')));

    await hrBeta.get(`/entreprise/documents/${forAlpha}/telecharger`).expect(404);
    await hrAlpha.get(`/entreprise/documents/${forBetaContract}/telecharger`).expect(404);
    await hrBeta.get(`/entreprise/documents/${forBetaContract}/telecharger`).expect(200);
    await hrBeta.get(`/entreprise/documents/${forAll}/telecharger`).expect(200);
    await hrAlpha.get('/entreprise/documents/99999/telecharger').expect(404);
    await hrAlpha.get('/entreprise/documents/abc/telecharger').expect(404);
    // Nobody logged in: the login page; a member: 403; staff reach the files through their own pages only.
    assert.equal((await request(t.app).get(`/entreprise/documents/${forAlpha}/telecharger`).expect(303)).headers.location, '/entreprise');
    await member.get(`/entreprise/documents/${forAlpha}/telecharger`).expect(403);
    await staff.get(`/entreprise/documents/${forAlpha}/telecharger`).expect(403);
  });

  test('a member-only document (audience « assure ») is neither listed nor downloadable by HR, nor managed here', async () => {
    const [row] = await t
      .db('practical_documents')
      .insert({
        category: 'guides',
        title: "Guide de l'Espace Assuré",
        audience: 'assure',
        original_name: 'guide.pdf',
        stored_name: 'aaaabbbbccccdddd.pdf',
        mime: 'application/pdf',
        size_bytes: 10,
        published_at: '2026-11-01T09:00:00.000Z',
      })
      .returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    assertExcludes(textOf((await hrAlpha.get('/entreprise/documents').expect(200)).text), "Guide de l'Espace Assuré");
    await hrAlpha.get(`/entreprise/documents/${id}/telecharger`).expect(404);
    await staff.get(`/gestion/documents/${id}`).expect(404);
  });

  test('staff list: filters by category, company and status', async () => {
    const all = textOf((await staff.get('/gestion/documents').expect(200)).text);
    for (const title of ['Notice Alpha seulement', 'Formulaire de portabilité des droits', 'Résumé des garanties Beta cadres']) assertIncludes(all, title);
    const notices = textOf((await staff.get('/gestion/documents?categorie=notices').expect(200)).text);
    assertIncludes(notices, 'Notice Alpha seulement');
    assertExcludes(notices, 'Formulaire de portabilité des droits');
    const ofBeta = textOf((await staff.get(`/gestion/documents?entreprise=${beta.companyId}`).expect(200)).text);
    assertIncludes(ofBeta, 'Résumé des garanties Beta cadres');
    assertIncludes(ofBeta, `Beta Documents — contrat BASE CCN C RG Oblig (CTH-`);
    assertExcludes(ofBeta, 'Notice Alpha seulement');
    assertIncludes(textOf((await staff.get('/gestion/documents?statut=retire').expect(200)).text), 'Aucun document ne correspond à ces filtres.');
    // htmx gets the list alone.
    const fragment = await staff.get('/gestion/documents?categorie=notices').set('HX-Request', 'true').expect(200);
    assert.ok(fragment.text.trimStart().startsWith('<div id="documents-list"'), fragment.text.slice(0, 200));
  });

  describe('replace and withdraw', () => {
    test('replacing makes version 2 the one HR download; staff see and download both versions; audited', async () => {
      const res = await upload(staff, `/gestion/documents/${forAlpha}/remplacer`, {}, [pdf('Notice Alpha v2'), 'notice-v2.pdf']);
      assert.equal(res.status, 303, textOf(res.text).slice(0, 400));
      const row = await t.db('practical_documents').where({ id: forAlpha }).first();
      assert.equal(Number(row.version), 2);
      assert.equal(row.original_name, 'notice-v2.pdf');
      const download = await hrAlpha.get(`/entreprise/documents/${forAlpha}/telecharger`).buffer(true).expect(200);
      assert.ok(Buffer.from(download.body).equals(pdf('Notice Alpha v2')));
      await hrBeta.get(`/entreprise/documents/${forAlpha}/telecharger`).expect(404);

      const page = textOf((await staff.get(`/gestion/documents/${forAlpha}`).expect(200)).text);
      assertIncludes(page, 'Versions');
      assertIncludes(page, 'notice-v2.pdf');
      assertIncludes(page, 'fichier.pdf');
      const v1 = await staff.get(`/gestion/documents/${forAlpha}/versions/1`).buffer(true).expect(200);
      assert.ok(Buffer.from(v1.body).equals(pdf('Notice Alpha seulement')));
      assert.match(v1.headers['content-disposition'], /^attachment/);
      await staff.get(`/gestion/documents/${forAlpha}/versions/3`).expect(404);
      await hrAlpha.get(`/gestion/documents/${forAlpha}/versions/1`).expect(403);
      const audit = await t.db('audit_log').where({ event: 'practical_document_replaced' }).orderBy('id', 'desc').first();
      assert.equal(JSON.parse(audit.detail).version, 2);
    });

    test('replacing with something that is not a PDF: the message, version unchanged, nothing left on disk', async () => {
      const before = filesOnDisk();
      const res = await upload(staff, `/gestion/documents/${forAlpha}/remplacer`, {}, [Buffer.from('plain text'), 'notice.pdf']);
      assert.equal(res.status, 422);
      assert.equal(errorAt(res.text, 'fichier'), DOCUMENT_TEXTS.fileNotPdf);
      assert.equal(Number((await t.db('practical_documents').where({ id: forAlpha }).first()).version), 2);
      assert.deepEqual(filesOnDisk(), before);
      await upload(staff, '/gestion/documents/99999/remplacer', {}, [pdf('ghost'), 'ghost.pdf']).then((r) => assert.equal(r.status, 404));
      assert.deepEqual(filesOnDisk(), before, 'the file sent to an unknown document is deleted');
    });

    test('two replacements at once get two version numbers', async () => {
      const token = await tokenFrom(staff, `/gestion/documents/${forAll}`);
      const [a, b] = await Promise.all(
        ['A', 'B'].map((label) =>
          staff
            .post(`/gestion/documents/${forAll}/remplacer`)
            .field('_csrf', token)
            .attach('fichier', pdf(`portabilite ${label}`), `portabilite-${label}.pdf`),
        ),
      );
      assert.deepEqual([a.status, b.status], [303, 303]);
      const versions = await t.db('practical_document_versions').where({ document_id: forAll }).orderBy('version').select('version');
      assert.deepEqual(
        versions.map((v) => Number(v.version)),
        [1, 2, 3],
      );
      assert.equal(Number((await t.db('practical_documents').where({ id: forAll }).first()).version), 3);
    });

    test('withdrawing hides it from HR (list and download), restoring brings it back; both audited', async () => {
      const token = await tokenFrom(staff, `/gestion/documents/${forAlpha}`);
      const res = await staff.post(`/gestion/documents/${forAlpha}/retirer`).type('form').send({ _csrf: token }).expect(303);
      assert.equal(res.headers.location, `/gestion/documents/${forAlpha}`);
      assertExcludes(textOf((await hrAlpha.get('/entreprise/documents').expect(200)).text), 'Notice Alpha seulement');
      await hrAlpha.get(`/entreprise/documents/${forAlpha}/telecharger`).expect(404);
      assertIncludes(textOf((await staff.get('/gestion/documents?statut=retire').expect(200)).text), 'Notice Alpha seulement');
      // A second withdrawal changes nothing and says so.
      await staff.post(`/gestion/documents/${forAlpha}/retirer`).type('form').send({ _csrf: token }).expect(303);
      assert.equal(
        await t
          .db('audit_log')
          .where({ event: 'practical_document_withdrawn' })
          .count({ n: '*' })
          .first()
          .then((r) => Number(r?.n)),
        1,
      );
      // Without the token: refused.
      await staff.post(`/gestion/documents/${forAlpha}/remettre-en-ligne`).type('form').send({}).expect(403);

      await staff.post(`/gestion/documents/${forAlpha}/remettre-en-ligne`).type('form').send({ _csrf: token }).expect(303);
      assertIncludes(textOf((await hrAlpha.get('/entreprise/documents').expect(200)).text), 'Notice Alpha seulement');
      await hrAlpha.get(`/entreprise/documents/${forAlpha}/telecharger`).expect(200);
      assert.equal(
        await t
          .db('audit_log')
          .where({ event: 'practical_document_restored' })
          .count({ n: '*' })
          .first()
          .then((r) => Number(r?.n)),
        1,
      );
      // HR cannot withdraw.
      const hrToken = await tokenFrom(hrAlpha, '/entreprise/accueil');
      await hrAlpha.post(`/gestion/documents/${forAlpha}/retirer`).type('form').send({ _csrf: hrToken }).expect(403);
    });
  });
});

test('the orphan sweep deletes day-old files no version points to, and only those', async () => {
  fs.mkdirSync(documentsDir(), { recursive: true });
  const orphan = path.join(documentsDir(), 'deadbeefdeadbeef.pdf');
  const young = path.join(documentsDir(), 'cafebabecafebabe.pdf');
  fs.writeFileSync(orphan, pdf('orphan'));
  fs.writeFileSync(young, pdf('young'));
  const dayAgo = new Date(Date.now() - 25 * 3600 * 1000);
  fs.utimesSync(orphan, dayAgo, dayAgo);
  const referenced = await t.db('practical_document_versions').select('stored_name');
  for (const r of referenced) fs.utimesSync(path.join(documentsDir(), r.stored_name), dayAgo, dayAgo);
  assert.equal(await sweepOrphanDocumentFiles(t.db, fileStoreFor(t.config), new Date()), 1);
  assert.ok(!fs.existsSync(orphan));
  assert.ok(fs.existsSync(young));
  for (const r of referenced) assert.ok(fs.existsSync(path.join(documentsDir(), r.stored_name)), r.stored_name);
});

test('« Ajouter un document » sent again without choosing the file: the kept PDF is put online; the form opened afresh drops a kept file', async () => {
  const token = await tokenFrom(staff, '/gestion/documents');
  const first = await upload(
    staff,
    '/gestion/documents/ajouter',
    { titre: 'Notice gardée', categorie: 'notices', visibilite: '' },
    [pdf('gardé'), 'gardee.pdf'],
    token,
  );
  assert.equal(first.status, 422);
  // Refused a second time (the company missing): kept again, under a new key.
  const second = await upload(
    staff,
    '/gestion/documents/ajouter',
    { titre: 'Notice gardée', categorie: 'notices', visibilite: 'entreprise', garder: keptKey(first.text) },
    null,
    token,
  );
  assert.equal(second.status, 422);
  assert.equal(errorAt(second.text, 'entreprise'), DOCUMENT_TEXTS.companyMissing);
  assert.notEqual(keptKey(second.text), keptKey(first.text));
  const third = await upload(
    staff,
    '/gestion/documents/ajouter',
    { titre: 'Notice gardée', categorie: 'notices', visibilite: 'tous', garder: keptKey(second.text) },
    null,
    token,
  );
  assert.equal(third.status, 303, textOf(third.text).slice(0, 400));
  const id = Number(/\/gestion\/documents\/(\d+)$/.exec(third.headers.location)![1]);
  const version = await t.db('practical_document_versions').where({ document_id: id }).first();
  assert.equal(version.original_name, 'gardee.pdf');
  const download = await staff.get(`/gestion/documents/${id}/versions/1`).buffer(true).expect(200);
  assertIncludes((download.body as Buffer).toString('latin1'), '% gardé');
  assert.equal(await t.db('pending_uploads').first(), undefined);

  // A kept file, then the form opened afresh (GET): the file goes.
  const before = filesOnDisk();
  const refused = await upload(
    staff,
    '/gestion/documents/ajouter',
    { titre: '', categorie: 'notices', visibilite: 'tous' },
    [pdf('abandon'), 'abandon.pdf'],
    token,
  );
  assert.equal(refused.status, 422);
  assert.equal(filesOnDisk().length, before.length + 1);
  // A day old, it is still no orphan for the sweep while the form keeps it.
  const keptName = filesOnDisk().find((name) => !before.includes(name))!;
  const dayAgo = new Date(Date.now() - 25 * 3600 * 1000);
  fs.utimesSync(path.join(documentsDir(), keptName), dayAgo, dayAgo);
  await sweepOrphanDocumentFiles(t.db, fileStoreFor(t.config), new Date());
  assert.ok(fs.existsSync(path.join(documentsDir(), keptName)));
  await staff.get('/gestion/documents/ajouter').expect(200);
  assert.deepEqual(filesOnDisk(), before);
});

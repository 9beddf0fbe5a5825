import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createAccount, loginAs, tokenFrom, textOf } from '../helpers/fixtures.js';
import { createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { MATCH_MESSAGES } from '../../src/entreprise/establishments/matching.js';
import { breakLuhn, establishmentCsvBytes, establishmentLines, temporaryFolder, writeEstablishmentXlsx } from '../helpers/import-files.js';
import { assertIncludes } from '../helpers/assertions.js';

type Agent = Awaited<ReturnType<typeof loginAs>>;
let t: TestContext;
let alpha: TestCompany;
let other: TestCompany;
let hr: { id: number; email: string };
let agent: Agent;
const folder = temporaryFolder('etab-http-');
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/imports');
const FILE = '/entreprise/profil/etablissements/fichier';

const perimeter = async (accountId = hr.id) =>
  (await t.db('hr_perimeter').where({ account_id: accountId }).orderBy('establishment_id')).map((r: { establishment_id: number }) => r.establishment_id);

async function post(a: Agent, url: string, body: Record<string, string>, status: number) {
  const token = await tokenFrom(a, '/entreprise/profil');
  const res = await a
    .post(url)
    .type('form')
    .send({ _csrf: token, ...body });
  assert.equal(res.status, status, `${url}: ${res.status} ${res.status !== status ? textOf(res.text).slice(-1000) : ''}`);
  return res;
}

/** A GET whose body is kept as bytes (templates, reports), expected 200. */
function binary(a: Agent, url: string) {
  return a
    .get(url)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    })
    .expect(200);
}

/** Uploads a file; returns the response (303 to the job page, or 422 with the form). */
async function upload(a: Agent, content: Buffer, name: string) {
  const token = await tokenFrom(a, FILE);
  return a.post(FILE).field('_csrf', token).attach('fichier', content, name);
}

/** The job page once the analysis is over. */
async function jobPage(a: Agent, location: string) {
  for (let i = 0; i < 100; i++) {
    const res = await a.get(location).expect(200);
    if (!res.text.includes('Analyse du fichier en cours')) return res;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('analysis never ended');
}

before(async () => {
  t = await makeTestApp();
  alpha = await createHrCompany(t.db, 'Alpha Immobilier', 10);
  other = await createHrCompany(t.db, 'Gamma Gestion', 1);
  // Follows sites 1 and 2 of Alpha only.
  hr = await createHrUser(t.db, [{ company: alpha, role: 'admin' }], { firstName: 'Eugénie', perimeter: alpha.establishments.slice(0, 2) });
  agent = await loginAs(t.app, t.db, 'entreprise', hr.email);
});
after(async () => {
  folder.remove();
  await t.close();
});

describe('access to Mon profil and the perimeter pages', () => {
  const paths = [
    '/entreprise/profil',
    '/entreprise/profil/modifier',
    '/entreprise/profil/etablissements/ajouter',
    FILE,
    '/entreprise/profil/etablissements/modele.xlsx',
    '/entreprise/profil/etablissements/modele.csv',
    `${FILE}/1`,
    `${FILE}/1/erreurs.csv`,
  ];
  test('logged out: sent to the login page; a member logged in at the Espace Assuré: 403', async () => {
    for (const p of paths) {
      const res = await request(t.app).get(p).expect(303);
      assert.equal(res.headers.location, '/entreprise', p);
    }
    const member = await createAccount(t.db, { kind: 'member', mobile: '+33612349911' });
    const memberAgent = await loginAs(t.app, t.db, 'assure', member.email);
    for (const p of paths) await memberAgent.get(p).expect(403);
  });
});

describe('Mon profil', () => {
  test('details, the perimeter and the two buttons of the guide', async () => {
    const text = textOf((await agent.get('/entreprise/profil').expect(200)).text);
    assertIncludes(text, 'Mon profil');
    assertIncludes(text, hr.email);
    assertIncludes(text, '2 établissements suivis.');
    assertIncludes(
      textOf((await agent.get('/entreprise/profil?page=99').expect(200)).text),
      'Alpha Immobilier — site 1',
      'a page beyond the last: the last page',
    );
    assert.ok(text.includes('Alpha Immobilier — site 1') && !text.includes('Alpha Immobilier — site 3'));
    assertIncludes(text, 'Ajouter un établissement au périmètre suivi');
    assertIncludes(text, 'Ajouter plusieurs établissements (fichier)');
  });

  test('modify nom and prénom: message at the field, value kept; then saved', async () => {
    const bad = await post(agent, '/entreprise/profil/modifier', { last_name: '', first_name: 'Eugénie' }, 422);
    assertIncludes(textOf(bad.text), 'Saisissez votre nom.');
    assertIncludes(bad.text, 'value="Eugénie"');
    await post(agent, '/entreprise/profil/modifier', { last_name: 'Marchand', first_name: 'Eugénie' }, 303);
    assert.equal((await t.db('accounts').where({ id: hr.id }).first()).last_name, 'Marchand');
  });
});

describe('Ajouter un établissement au périmètre suivi', () => {
  const ADD = '/entreprise/profil/etablissements/ajouter';
  test('invalid SIRET, missing code: messages at the fields, values kept', async () => {
    const res = await post(agent, ADD, { siret: '123 456', code: '' }, 422);
    const text = textOf(res.text);
    assertIncludes(text, 'Le numéro de SIRET doit comporter 14 chiffres.');
    assertIncludes(text, 'Saisissez le code identifiant');
    assertIncludes(res.text, 'value="123 456"');
    const luhn = await post(agent, ADD, { siret: breakLuhn(alpha.establishments[2].siret), code: 'X' }, 422);
    assertIncludes(textOf(luhn.text), 'Le numéro de SIRET est invalide.');
  });

  test('unknown pair, another company, already followed: clear messages, nothing written', async () => {
    const before = await perimeter();
    const wrongCode = await post(agent, ADD, { siret: alpha.establishments[2].siret, code: 'FAUX' }, 422);
    const errorOf = (html: string) => textOf(html).match(/Le SIRET et le code identifiant[^.]*\.[^.]*\./)?.[0];
    assert.equal(errorOf(wrongCode.text), MATCH_MESSAGES.unknownPair);
    // Another company's establishment: the same answer with its right code or a wrong one (no oracle for the codes).
    const foreign = await post(agent, ADD, { siret: other.establishments[0].siret, code: other.establishments[0].code }, 422);
    const foreignWrong = await post(agent, ADD, { siret: other.establishments[0].siret, code: 'FAUX' }, 422);
    assert.equal(errorOf(foreign.text), MATCH_MESSAGES.unknownPair);
    assert.equal(errorOf(foreignWrong.text), MATCH_MESSAGES.unknownPair);
    assertIncludes(textOf(foreign.text), "demandez l'accès à un administrateur de celle-ci");
    const already = await post(agent, ADD, { siret: alpha.establishments[0].siret, code: alpha.establishments[0].code }, 422);
    assertIncludes(textOf(already.text), 'fait déjà partie de votre périmètre suivi');
    assert.deepEqual(await perimeter(), before);
  });

  test('the right pair (SIRET typed with spaces, code in lower case) joins the perimeter', async () => {
    const e = alpha.establishments[2];
    const spaced = `${e.siret.slice(0, 3)} ${e.siret.slice(3, 6)} ${e.siret.slice(6, 9)} ${e.siret.slice(9)}`;
    await post(agent, ADD, { siret: spaced, code: e.code.toLowerCase() }, 303);
    assertIncludes(await perimeter(), e.id);
    assertIncludes(
      textOf((await agent.get('/entreprise/profil').expect(200)).text),
      `L'établissement « ${e.name} » fait désormais partie de votre périmètre suivi.`,
    );
    assert.ok(await t.db('audit_log').where({ event: 'perimeter_added', account_id: hr.id }).first());
  });
});

describe('Ajouter plusieurs établissements (fichier)', () => {
  test('the templates: .xlsx with header, example and notes; .csv as French Excel saves it', async () => {
    const xlsx = await binary(agent, '/entreprise/profil/etablissements/modele.xlsx');
    assert.match(xlsx.headers['content-type'], /spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    assert.equal(sheet.getCell('A1').value, 'SIRET');
    assert.equal(sheet.getCell('B1').value, 'Code identifiant');
    assert.ok(sheet.getCell('A2').value, 'an example row');
    assert.ok(sheet.getCell('A1').note, 'a column note');
    const csv = await binary(agent, '/entreprise/profil/etablissements/modele.csv');
    const bytes = csv.body as Buffer;
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.ok(bytes.toString('utf8').startsWith('\ufeffSIRET;Code identifiant\r\n'));
  });

  test('a French-Excel CSV (Windows-1252, « ; ») with errors: preview first, nothing written; errors with line, column and reason; report; confirm adds the valid lines', async () => {
    const [, , , s4, s5, s6] = alpha.establishments;
    const lines = [
      [s4.siret, s4.code], // line 2: to add
      [alpha.establishments[0].siret, alpha.establishments[0].code], // 3: already followed
      [breakLuhn(s5.siret), s5.code], // 4: invalid SIRET
      [alpha.establishments[8].siret, 'MAUVAIS'], // 5: unknown pair
      [s4.siret, s4.code], // 6: duplicate of line 2
      [s6.siret, s6.code, 'colonne en trop'], // 7: 3 columns
      [alpha.establishments[6].siret, ''], // 8: missing code
      [other.establishments[0].siret, other.establishments[0].code], // 9: another company
      [s5.siret, s5.code], // 10: to add
      [alpha.establishments[7].siret, alpha.establishments[7].code], // 11: to add
    ];
    const bytes = establishmentCsvBytes(lines, { encoding: 'windows-1252', separator: ';', header: ['SIRET', 'Code identifiant'] });
    const before = await perimeter();
    const res = await upload(agent, bytes, 'établissements été.csv');
    assert.equal(res.status, 303, textOf(res.text).slice(-500));
    const page = await jobPage(agent, res.headers.location);
    const text = textOf(page.text);
    assertIncludes(text, "Aperçu avant l'import");
    assertIncludes(text, '3 établissements à ajouter', text);
    assertIncludes(text, '1 déjà présent dans votre périmètre');
    assertIncludes(text, '6 lignes en erreur');
    assertIncludes(text, `4 SIRET ${breakLuhn(s5.siret)} ${s5.code} Le numéro de SIRET est invalide.`, 'line, column, value and reason');
    assertIncludes(text, 'Fichier : établissements été.csv', 'the UTF-8 file name');
    for (const reason of [
      'Le numéro de SIRET est invalide.',
      'ne correspondent à aucun établissement des entreprises sur lesquelles vous êtes habilité',
      'SIRET en double dans le fichier (déjà présent ligne 2).',
      'La ligne contient 3 colonnes au lieu de 2.',
      'Le code identifiant est obligatoire.',
    ]) {
      assertIncludes(text, reason, reason);
    }
    assertIncludes(text, `8 Code identifiant ${alpha.establishments[6].siret} Le code identifiant est obligatoire.`);
    assertIncludes(text, `9 — ${other.establishments[0].siret} ${other.establishments[0].code} ${MATCH_MESSAGES.unknownPair}`, text);
    assert.deepEqual(await perimeter(), before, 'nothing written before « Confirmer »');

    const jobId = res.headers.location.split('/').pop();
    const report = await binary(agent, `${FILE}/${jobId}/erreurs.csv`);
    const reportText = (report.body as Buffer).toString('utf8');
    assert.ok(reportText.startsWith('\ufeffLigne;Colonne;SIRET;Code identifiant;Erreur\r\n'));
    assert.equal(reportText.trim().split('\r\n').length, 7);

    await post(agent, `${FILE}/${jobId}/confirmer`, {}, 303);
    const done = textOf((await agent.get(`${FILE}/${jobId}`).expect(200)).text);
    assertIncludes(done, '3 établissements ont été ajoutés à votre périmètre suivi.');
    const after = await perimeter();
    for (const e of [s4, s5, alpha.establishments[7]]) assertIncludes(after, e.id, e.name);
    assert.equal(after.length, before.length + 3);
    // A second click does nothing more.
    await post(agent, `${FILE}/${jobId}/confirmer`, {}, 303);
    assert.equal((await perimeter()).length, after.length);
    assert.ok(await t.db('audit_log').where({ event: 'perimeter_imported', account_id: hr.id }).first());
  });

  test('.xlsx upload with a SIRET typed as a number; « Annuler » writes nothing', async () => {
    const e = alpha.establishments[6];
    const file = await writeEstablishmentXlsx(path.join(folder.dir, 'etab.xlsx'), [[Number(e.siret), e.code]]);
    const before = await perimeter();
    const res = await upload(agent, fs.readFileSync(file), 'etab.xlsx');
    assert.equal(res.status, 303);
    const text = textOf((await jobPage(agent, res.headers.location)).text);
    assertIncludes(text, '1 établissement à ajouter', text);
    const jobId = res.headers.location.split('/').pop();
    await post(agent, `${FILE}/${jobId}/annuler`, {}, 303);
    assert.deepEqual(await perimeter(), before);
    assert.equal((await t.db('import_jobs').where({ id: jobId }).first()).status, 'cancelled');
    assert.equal((await t.db('import_job_lines').where({ job_id: jobId })).length, 0);
    await post(agent, `${FILE}/${jobId}/confirmer`, {}, 303);
    assert.deepEqual(await perimeter(), before, 'a cancelled import cannot be confirmed');
  });

  test('Excel « Texte Unicode » (UTF-16 with BOM, tabs) is accepted at upload and read to the preview', async () => {
    // The file Excel saved: its two lines are unknown to the insurer, shown with their values.
    const excel = await upload(agent, fs.readFileSync(path.join(FIXTURES, 'excel-unicode-text.csv')), 'texte unicode.txt.csv');
    assert.equal(excel.status, 303, textOf(excel.text).slice(-500));
    const excelText = textOf((await jobPage(agent, excel.headers.location)).text);
    assertIncludes(excelText, "Aperçu avant l'import", excelText.slice(0, 600));
    assertIncludes(excelText, '2 lignes en erreur', excelText);
    assertIncludes(excelText, '2 — 20001000700017 A1', excelText);
    assertIncludes(excelText, '3 — 20001001500010 É2', 'the accent read from UTF-16');
    const cancelled = excel.headers.location.split('/').pop();
    await post(agent, `${FILE}/${cancelled}/annuler`, {}, 303);

    // The same layout with establishments of the company, in both byte orders.
    const [s8, s9] = [alpha.establishments[8], alpha.establishments[9]];
    const le = establishmentCsvBytes(
      [
        [s8.siret, s8.code],
        [s9.siret, s9.code],
      ],
      { encoding: 'utf-16le', separator: '\t' },
    );
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le.subarray(2)).swap16()]);
    for (const [bytes, name] of [
      [le, 'le.csv'],
      [be, 'be.csv'],
    ] as const) {
      const res = await upload(agent, bytes, name);
      assert.equal(res.status, 303, `${name}: ${textOf(res.text).slice(-500)}`);
      const text = textOf((await jobPage(agent, res.headers.location)).text);
      assertIncludes(text, '2 établissements à ajouter', `${name}: ${text.slice(0, 600)}`);
      await post(agent, `${FILE}/${res.headers.location.split('/').pop()}/annuler`, {}, 303);
    }
    // A UTF-16 BOM in front of binary data is still refused at upload.
    const garbage = await upload(agent, Buffer.concat([Buffer.from([0xff, 0xfe]), fs.readFileSync(path.join(FIXTURES, 'binary.csv'))]), 'faux.csv');
    assert.equal(garbage.status, 422);
    assertIncludes(textOf(garbage.text), "n'est pas accepté");
  });

  test('every malformed file gets a French message and writes nothing', async () => {
    const before = await perimeter();
    const jobsBefore = (await t.db('import_job_lines')).length;
    const refusedAtUpload: [Buffer, string, string][] = [
      [Buffer.alloc(0), 'vide.csv', 'est vide'],
      [fs.readFileSync(path.join(FIXTURES, 'binary.csv')), 'image.csv', "n'est pas accepté"],
      [Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(100, 0x20)]), 'doc.csv', "n'est pas accepté"],
      [Buffer.alloc(6 * 1024 * 1024, 0x41), 'gros.csv', 'Le fichier dépasse 5 Mo'],
    ];
    for (const [bytes, name, message] of refusedAtUpload) {
      const res = await upload(agent, bytes, name);
      assert.equal(res.status, 422, name);
      assertIncludes(textOf(res.text), message, `${name}: ${textOf(res.text).slice(0, 400)}`);
    }
    const failedAtAnalysis: [Buffer, string, string][] = [
      [fs.readFileSync(path.join(FIXTURES, 'header-renamed.csv')), 'renomme.csv', 'introuvable'],
      [fs.readFileSync(path.join(FIXTURES, 'header-only.csv')), 'entete.csv', 'aucune ligne'],
      [fs.readFileSync(path.join(FIXTURES, 'corrupt.xlsx')), 'casse.xlsx', ''],
      [establishmentCsvBytes(establishmentLines(25_000)), 'enorme.csv', 'plus de 20 000 lignes'],
    ];
    for (const [bytes, name, message] of failedAtAnalysis) {
      const res = await upload(agent, bytes, name);
      assert.equal(res.status, 303, name);
      const text = textOf((await jobPage(agent, res.headers.location)).text);
      assertIncludes(text, "Le fichier n'a pas pu être importé", `${name}: ${text.slice(0, 600)}`);
      assertIncludes(text, message, `${name}: ${text.slice(0, 600)}`);
      assertIncludes(text, "Aucun établissement n'a été ajouté.");
    }
    assert.deepEqual(await perimeter(), before);
    assert.equal((await t.db('import_job_lines')).length, jobsBefore, 'no line kept for refused files');
    const leftovers = fs.readdirSync(path.join(t.config.uploadDir, 'imports'));
    assert.deepEqual(leftovers, [], 'uploaded files are removed after processing');
  });

  test("another account's job → 404 for the page, the report, confirm and cancel", async () => {
    const lines = [[alpha.establishments[5].siret, 'NON']];
    const res = await upload(agent, establishmentCsvBytes(lines), 'a.csv');
    const location = res.headers.location;
    await jobPage(agent, location);
    const intruder = await createHrUser(t.db, [{ company: alpha, role: 'admin' }], { mobile: '+33612349901' });
    const intruderAgent = await loginAs(t.app, t.db, 'entreprise', intruder.email);
    await intruderAgent.get(location).expect(404);
    await intruderAgent.get(`${location}/erreurs.csv`).expect(404);
    await post(intruderAgent, `${location}/confirmer`, {}, 404);
    await post(intruderAgent, `${location}/annuler`, {}, 404);
    await intruderAgent.get(`${FILE}/abc`).expect(404);
    assert.equal(
      (
        await t
          .db('import_jobs')
          .where({ id: location.split('/').pop() })
          .first()
      ).status,
      'preview',
    );
  });

  test('htmx polling: once the analysis is over, the page reloads itself', async () => {
    const res = await upload(agent, establishmentCsvBytes([[alpha.establishments[5].siret, 'NON']]), 'b.csv');
    await jobPage(agent, res.headers.location);
    const poll = await agent.get(res.headers.location).set('HX-Request', 'true').expect(204);
    assert.equal(poll.headers['hx-refresh'], 'true');
  });
});

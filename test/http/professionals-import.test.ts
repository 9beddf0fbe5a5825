// npm run import:professionnels (src/professionals/import.ts): good, bad and duplicate lines, all or
// nothing, idempotent by RPPS / FINESS, files as French Excel saves them, on SQLite and PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { importProfessionals } from '../../src/professionals/import.js';
import { ImportFileError } from '../../src/domain/import/rows.js';

let t: TestContext;
before(async () => {
  t = await makeTestApp();
});
after(async () => t.close());

const HEADER = 'identifiant;nom;specialite;adresse;code_postal;ville;telephone;secteur;tiers_payant;reseau;latitude;longitude';
const GOOD = [
  '10003456789;Dr Hélène Vasseur;Ophtalmologue;12 cours Lafayette;69003;Lyon;04 72 00 00 00;OPTAM;oui;non;;',
  '690012345;Pharmacie des Brotteaux;pharmacie;3 place Jules Ferry;69006;Lyon;0478000000;;oui;oui;;',
  '10009876543;Marc Giraud;Masseur-kinésithérapeute;8 rue de la Paix;10160;Paisy-Cosdon;;;non;non;48,2;3,7',
];
let n = 0;
function file(lines: string[], encoding: 'utf8-bom' | 'win1252' = 'utf8-bom'): string {
  const text = lines.map((l) => `${l}\r\n`).join('');
  const target = path.join(t.dataDir, `pros-${++n}.csv`);
  fs.writeFileSync(target, encoding === 'win1252' ? iconv.encode(text, 'win1252') : Buffer.from(`\uFEFF${text}`, 'utf8'));
  return target;
}
const now = '2026-12-01T10:00:00.000Z';

describe('import:professionnels', () => {
  test('a good file: every line added, coordinates from the postal code and town unless given', async () => {
    const preview = await importProfessionals(t.db, file([HEADER, ...GOOD]), { preview: true, now });
    assert.deepEqual(preview, { lines: 3, errors: [], added: 3, updated: 0, written: false });
    assert.equal(Number((await t.db('health_professionals').count({ n: '*' }).first())?.n), 0, 'the preview writes nothing');
    const report = await importProfessionals(t.db, file([HEADER, ...GOOD]), { now });
    assert.deepEqual(report, { lines: 3, errors: [], added: 3, updated: 0, written: true });
    const helene = await t.db('health_professionals').where({ identifier: '10003456789' }).first();
    assert.equal(helene.specialty, 'ophtalmologue');
    assert.equal(helene.sector, 'optam');
    assert.equal(helene.phone, '+33472000000');
    assert.equal(Boolean(helene.tiers_payant), true);
    assert.ok(Math.abs(helene.latitude - 45.7612) < 0.001 && Math.abs(helene.longitude - 4.8518) < 0.001);
    const marc = await t.db('health_professionals').where({ identifier: '10009876543' }).first();
    assert.deepEqual([marc.latitude, marc.longitude, marc.sector], [48.2, 3.7, null]);
    assert.equal(Boolean((await t.db('health_professionals').where({ identifier: '690012345' }).first()).network_member), true);
  });

  test('the same file again: the same rows updated, none added', async () => {
    const changed = GOOD.map((l) => l.replace('12 cours Lafayette', '14 cours Lafayette'));
    const report = await importProfessionals(t.db, file([HEADER, ...changed]), { now });
    assert.deepEqual(report, { lines: 3, errors: [], added: 0, updated: 3, written: true });
    assert.equal(Number((await t.db('health_professionals').count({ n: '*' }).first())?.n), 3);
    assert.equal((await t.db('health_professionals').where({ identifier: '10003456789' }).first()).address_line, '14 cours Lafayette');
  });

  test('bad and duplicate lines: each error with its line number, and nothing written', async () => {
    const report = await importProfessionals(
      t.db,
      file([
        HEADER,
        '10000000001;Dr Nouveau;Ophtalmologue;1 rue A;69003;Lyon;;1;oui;non;;',
        '12345;Dr Court;Ophtalmologue;1 rue A;69003;Lyon;;;oui;non;;',
        '10000000002;Dr Inconnu;Astrologue;1 rue A;99999;Nulle part;01 00;3;peut-être;non;;',
        '690012346;Pharmacie Secteur;Pharmacie;1 rue B;69006;Lyon;;2;oui;non;;',
        '10000000001;Dr Doublon;Ophtalmologue;1 rue A;69003;Lyon;;;oui;non;;',
        '10000000003;;Ophtalmologue;1 rue A;69003;Lyon;;;oui;non;91;4',
      ]),
      { now },
    );
    assert.equal(report.written, false);
    const byLine = (line: number) => report.errors.filter((e) => e.lineNumber === line).map((e) => e.message);
    assert.deepEqual(byLine(2), []);
    assert.deepEqual(byLine(3), ["L'identifiant doit être un numéro RPPS (11 chiffres) ou FINESS (9 caractères)."]);
    assert.deepEqual(byLine(4), [
      "La spécialité « Astrologue » n'est pas dans la liste (voir docs/domain.md).",
      'Le secteur doit être 1, 2 ou OPTAM.',
      'La colonne « tiers_payant » doit valoir oui ou non.',
      "Le numéro de téléphone n'est pas un numéro français valide.",
      "Ce code postal n'existe pas.",
    ]);
    assert.deepEqual(byLine(5), ['Le secteur ne concerne que les médecins : laissez la colonne vide.']);
    assert.deepEqual(byLine(6), ['Identifiant en double dans le fichier (déjà présent ligne 2).']);
    assert.deepEqual(byLine(7), [
      'La colonne « nom » est obligatoire.',
      'Latitude et longitude vont ensemble, en degrés décimaux (par exemple 45,7612 et 4,8518), en France.',
    ]);
    assert.equal(Number((await t.db('health_professionals').count({ n: '*' }).first())?.n), 3, 'the good line was not written either');
    assert.equal(await t.db('health_professionals').where({ identifier: '10000000001' }).first(), undefined);
  });

  test("a cell with control characters is never shown back; a town is one of its postal code's communes; given coordinates are in France, near the postal code", async () => {
    const report = await importProfessionals(
      t.db,
      file([
        HEADER,
        '10000000021;Dr Échappe;\x1b]0;pwned\x07\x1b[2J;1 rue A;69003;Lyon;;;oui;non;;',
        '10000000022;Dr Ailleurs;Ophtalmologue;1 rue A;69003;Paris;;;oui;non;;',
        '10000000023;Dr Golfe;Ophtalmologue;1 rue A;69003;Lyon;;;oui;non;0;0',
        '10000000024;Dr Réunion;Ophtalmologue;1 rue A;69003;Lyon;;;oui;non;-21;55,5',
        '10000000025;Dr Villeurbanne;Ophtalmologue;1 rue A;69003;Lyon;;;oui;non;45,7719;4,8902',
        '10000000026;Dr Abrégé;Pédiatre;1 rue A;42000;ST ETIENNE;;1;oui;non;;',
        '10000000027;Dr Arrondissement;Pédiatre;1 rue A;69003;Lyon 3;;1;oui;non;;',
        '10000000028;Dr Ville;Pédiatre;1 rue A;69003;Rou\x1bge;;1;oui;non;;',
      ]),
      { now, preview: true },
    );
    const byLine = (line: number) => report.errors.filter((e) => e.lineNumber === line).map((e) => e.message);
    assert.ok(!report.errors.some((e) => /\p{Cc}/u.test(e.message)), JSON.stringify(report.errors));
    // The « ; » of the escape sequences cut the line into more cells: specialty and address hold the rest.
    assert.ok(byLine(2).includes('La colonne « specialite » contient un caractère invisible ou de contrôle.'), byLine(2).join('\n'));
    assert.ok(!byLine(2).some((m) => m.includes('pwned') || m.startsWith('La spécialité')), byLine(2).join('\n'));
    assert.deepEqual(byLine(3), ['La ville « Paris » ne correspond pas au code postal 69003 (commune : Lyon 3e Arrondissement).']);
    assert.deepEqual(byLine(4), ['Latitude et longitude vont ensemble, en degrés décimaux (par exemple 45,7612 et 4,8518), en France.']);
    assert.deepEqual(byLine(5), ['Latitude et longitude placent ce professionnel à plus de 30 km du code postal 69003 : vérifiez-les (ou laissez-les vides).']);
    // Villeurbanne, 3 km from Lyon 3e; « ST ETIENNE » (La Poste's way) and « Lyon 3 » name their commune.
    for (const line of [6, 7, 8]) assert.deepEqual(byLine(line), [], `line ${line}`);
    assert.deepEqual(byLine(9), ['La colonne « ville » contient un caractère invisible ou de contrôle.']);
  });

  test('Windows-1252 (French Excel « CSV (séparateur : point-virgule) »), and files that cannot be used', async () => {
    const report = await importProfessionals(
      t.db,
      file([HEADER, '10000000010;Dr Cécile Dubœuf;Pédiatre;5 rue Émile Zola;42000;Saint-Étienne;;1;oui;non;;'], 'win1252'),
      { now },
    );
    assert.deepEqual(report, { lines: 1, errors: [], added: 1, updated: 0, written: true });
    const row = await t.db('health_professionals').where({ identifier: '10000000010' }).first();
    assert.deepEqual([row.name, row.city, row.specialty_label], ['Dr Cécile Dubœuf', 'Saint-Étienne', 'Pédiatre']);
    await assert.rejects(
      importProfessionals(t.db, file(['nom;ville', 'x;y']), { now }),
      (err) => err instanceof ImportFileError && /identifiant, specialite, adresse, code_postal/.test(err.message),
    );
    await assert.rejects(importProfessionals(t.db, file([HEADER]), { now }), (err) => err instanceof ImportFileError && err.code === 'noLines');
  });
});

// src/geo/communes.ts and its data file: every postal code of codes-postaux resolves to a point
// in France, the file is what scripts/geodata.ts makes from the pinned packages, and what people
// type in « Code postal ou ville » finds the right place.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { buildCommuneTable } from '../../scripts/geodata.js';
import { COMMUNES_FILE, communeIndex, departmentOfInsee, distanceKm, isInFrance, townKey, withDe, type GeoPoint } from '../../src/geo/communes.js';

const require = createRequire(import.meta.url);
const entries = require('codes-postaux/codes-postaux.json') as { codePostal: string; codeCommune: string; nomCommune: string }[];

/** Latitude and longitude boxes: metropolitan France (Corsica included) and each overseas département. */
const BOUNDS: Record<string, [number, number, number, number]> = {
  metropole: [41.3, 51.1, -5.2, 9.6],
  '971': [15.8, 16.55, -61.85, -61.0], // Guadeloupe
  '972': [14.38, 14.9, -61.25, -60.8], // Martinique
  '973': [2.1, 5.8, -54.6, -51.6], // Guyane
  '974': [-21.4, -20.85, 55.2, 55.85], // La Réunion
  '975': [46.74, 47.15, -56.45, -56.1], // Saint-Pierre-et-Miquelon
  '976': [-13.0, -12.6, 44.95, 45.35], // Mayotte
};

function inBounds(p: GeoPoint, department: string): boolean {
  const [latMin, latMax, lonMin, lonMax] = BOUNDS[department.length === 3 ? department : 'metropole'];
  return p.lat >= latMin && p.lat <= latMax && p.lon >= lonMin && p.lon <= lonMax;
}

describe('geodata: every French postal code has a point', () => {
  it('resolves every entry of codes-postaux (postal code + commune) to its commune, inside its territory', () => {
    const index = communeIndex();
    assert.ok(entries.length > 35_000, `codes-postaux holds ${entries.length} entries`);
    const failures: string[] = [];
    for (const e of entries) {
      const found = index.locate(e.codePostal, e.nomCommune);
      if (!found) failures.push(`${e.codePostal} ${e.nomCommune}: not found`);
      // Thièvres (62) and Thièvres (80) share 62760: the same name in one postal code finds the first.
      else if (found.commune?.insee !== e.codeCommune && found.commune?.name !== e.nomCommune)
        failures.push(`${e.codePostal} ${e.nomCommune}: found ${found.commune?.insee ?? 'no commune'}`);
      else if (!inBounds(found, departmentOfInsee(e.codeCommune))) failures.push(`${e.codePostal} ${e.nomCommune}: ${found.lat},${found.lon} outside`);
      // The postal code alone resolves too.
      const alone = index.locate(e.codePostal);
      if (!alone || !inBounds(alone, departmentOfInsee(e.codeCommune))) failures.push(`${e.codePostal} alone: ${alone?.lat},${alone?.lon}`);
    }
    assert.deepEqual(failures.slice(0, 20), []);
  });

  it('is exactly what scripts/geodata.ts builds from the installed packages (npm run geodata after a package update)', async () => {
    const built = await buildCommuneTable();
    assert.equal(built === fs.readFileSync(COMMUNES_FILE, 'utf8'), true, 'src/geo/communes.tsv is out of date: run npm run geodata');
  });

  it('places known towns where they are (own points, arrondissements, borrowed points)', () => {
    const index = communeIndex();
    const partDieu = { lat: 45.7606, lon: 4.8594 };
    assert.ok(distanceKm(index.locate('69003')!, partDieu) < 2);
    assert.ok(distanceKm(index.locate('75007')!, { lat: 48.8566, lon: 2.3126 }) < 2.5, 'Paris 7e');
    assert.ok(distanceKm(index.locate('13001')!, { lat: 43.2985, lon: 5.3806 }) < 2, 'Marseille 1er');
    assert.ok(distanceKm(index.locate('97400')!, { lat: -20.882, lon: 55.45 }) < 5, 'Saint-Denis (La Réunion)');
    // A commune GeoNames lacks borrows a point of its own postal code: never far from it.
    const borrowed = index.communesOf('10160').filter((c) => c.source === 'p');
    assert.ok(borrowed.length > 0);
    for (const c of borrowed) assert.ok(distanceKm(c, index.locate('10160')!) < 30);
  });
});

describe('geodata: what people type', () => {
  const index = communeIndex();
  it('finds a postal code however it is written, with or without the town', () => {
    for (const typed of ['69003', '69 003', ' 69003 ', '69003 Lyon 3e Arrondissement', 'Lyon 3e Arrondissement (69003)']) {
      const found = index.findPlace(typed);
      assert.ok('place' in found, typed);
      assert.equal(found.place.label, 'Lyon 3e Arrondissement (69003)', typed);
    }
  });

  it('finds a town by its name, accents and case folded, and a city by its routing name', () => {
    for (const [typed, label] of [
      ['saint etienne', 'Saint-Étienne'],
      ['SAINT-ÉTIENNE', 'Saint-Étienne'],
      ['lyon', 'Lyon'],
      ['Paris', 'Paris'],
      ['toulouse', 'Toulouse'],
    ]) {
      const found = index.findPlace(typed);
      assert.ok('place' in found, typed);
      assert.equal(found.place.label, label);
    }
    const lyon = index.findPlace('Lyon');
    assert.ok('place' in lyon && distanceKm(lyon.place, { lat: 45.76, lon: 4.84 }) < 3);
  });

  it('says when a name is shared by several places, and offers them', () => {
    const found = index.findPlace('Saint-Denis');
    assert.ok('error' in found && found.error === 'ambiguous');
    const values = found.choices.map((c) => c.value);
    assert.ok(values.includes('93200 Saint-Denis') && values.includes('97400 Saint-Denis'), values.join(', '));
  });

  it('refuses unknown postal codes and towns', () => {
    assert.deepEqual(index.findPlace('99999'), { error: 'unknown-postal-code', choices: [] });
    assert.deepEqual(index.findPlace('00000 Nulle part'), { error: 'unknown-postal-code', choices: [] });
    const town = index.findPlace('Xyzzyville');
    assert.ok('error' in town && town.error === 'unknown-town');
  });

  it('suggests towns by folded prefix and postal codes by their first digits', () => {
    assert.deepEqual(
      index.suggest('saint eti', 3).map((s) => s.value),
      ['42000 Saint-Étienne', '42100 Saint-Étienne', '42230 Saint-Étienne'],
    );
    const codes = index.suggest('6900').map((s) => s.value);
    assert.equal(codes[0], '69001 Lyon 1er Arrondissement');
    assert.ok(codes.every((v) => v.startsWith('6900')));
    assert.deepEqual(index.suggest('é'), []);
    assert.deepEqual(index.suggest('zzzz'), []);
  });
});

describe('geodata: names as French writes and people type them', () => {
  const index = communeIndex();
  const labelOf = (typed: string) => {
    const found = index.findPlace(typed);
    assert.ok('place' in found, `${typed}: ${JSON.stringify(found)}`);
    return found.place.label;
  };

  it('« de » before a place: elided, contracted with Le and Les, kept before La and a consonant', () => {
    for (const [place, phrase] of [
      ['Lyon', 'de Lyon'],
      ['Ajaccio', "d'Ajaccio"],
      ['Évry-Courcouronnes (91000)', "d'Évry-Courcouronnes (91000)"],
      ['Yvetot', "d'Yvetot"],
      ['Le Havre (76600)', 'du Havre (76600)'],
      ["Les Sables-d'Olonne", "des Sables-d'Olonne"],
      ['La Rochelle', 'de La Rochelle'],
      ["L'Île-Saint-Denis", "de L'Île-Saint-Denis"],
      ['Honfleur', 'de Honfleur'],
      ['votre position', 'de votre position'],
      ['Lens', 'de Lens'],
    ]) {
      assert.equal(withDe(place), phrase);
    }
  });

  it('a postal code alone is named by its commune, or its principal one (the first with a point of its own)', () => {
    assert.equal(labelOf('75015'), 'Paris 15e Arrondissement (75015)');
    assert.equal(labelOf('76600'), 'Le Havre (76600)');
    assert.equal(labelOf('01000'), 'Bourg-en-Bresse (01000)');
    // A town typed after the code names its commune; a town not in the code leaves the principal one.
    assert.equal(labelOf('01000 Saint-Denis-lès-Bourg'), 'Saint-Denis-lès-Bourg (01000)');
    assert.equal(labelOf('75015 Marseille'), 'Paris 15e Arrondissement (75015)');
    const havre = index.findPlace('76600');
    assert.ok('place' in havre && distanceKm(havre.place, { lat: 49.4935, lon: 0.1079 }) < 0.1, 'the point is the named commune');
  });

  it('« St » and « Ste » read Saint and Sainte, in a search and in the suggestions (the last word as it is typed aside)', () => {
    assert.equal(townKey('ST ETIENNE'), 'saint etienne');
    assert.equal(townKey('Ste-Foy-lès-Lyon'), 'sainte foy les lyon');
    assert.equal(townKey('Strasbourg'), 'strasbourg');
    assert.equal(townKey('st', { partial: true }), 'st');
    assert.equal(labelOf('St Etienne'), 'Saint-Étienne');
    assert.equal(labelOf('Ste Foy les Lyon'), 'Sainte-Foy-lès-Lyon');
    assert.deepEqual(
      index.suggest('st eti', 3).map((s) => s.value),
      ['42000 Saint-Étienne', '42100 Saint-Étienne', '42230 Saint-Étienne'],
    );
    assert.ok(index.suggest('ste foy les').some((s) => s.value === '69110 Sainte-Foy-lès-Lyon'));
    const typing = index.suggest('st').map((s) => s.value.replace(/^\d+ /, ''));
    assert.ok(typing.length && typing.every((name) => /^St[a-z]/.test(name)), `typing « st » offers Stains, Strasbourg…: ${typing.join(', ')}`);
    // The routing name « ST ETIENNE » and the name « Saint-Étienne » are one key: the import finds the commune.
    assert.equal(index.communeNamed('42000', 'ST ETIENNE')?.name, 'Saint-Étienne');
  });

  it('an arrondissement written short finds it: « Paris 15e », « Lyon 3 », « Marseille 1er », « paris 15ème arr »', () => {
    for (const [typed, label] of [
      ['Paris 15e', 'Paris 15e Arrondissement'],
      ['paris 15ème arr', 'Paris 15e Arrondissement'],
      ['Lyon 3', 'Lyon 3e Arrondissement'],
      ['Marseille 1er', 'Marseille 1er Arrondissement'],
      ['Marseille 1', 'Marseille 1er Arrondissement'],
    ]) {
      assert.equal(labelOf(typed), label, typed);
    }
    assert.equal(index.communeNamed('69003', 'Lyon 3')?.name, 'Lyon 3e Arrondissement');
    assert.equal(index.communeNamed('69003', 'Paris'), null);
    assert.ok('error' in index.findPlace('Lyon 42'));
  });

  it('France, loosely: the metropolitan and overseas boxes, not the Gulf of Guinea', () => {
    assert.equal(isInFrance({ lat: 45.76, lon: 4.85 }), true);
    assert.equal(isInFrance({ lat: -20.88, lon: 55.45 }), true, 'La Réunion');
    assert.equal(isInFrance({ lat: 0, lon: 0 }), false);
    assert.equal(isInFrance({ lat: 40.7, lon: -74 }), false);
  });
});

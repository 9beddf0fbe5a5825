// The correspondence lists of the brand file (src/brand.ts): the demo brand loads, and a
// brand whose « Nous contacter » strays from the guide, or lacks one of the six devis objects, is
// refused naming the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HR_CONTACT_GUIDE, loadBrand } from '../../src/brand.js';
import { findThreadObject, requestServiceDays } from '../../src/domain/correspondence-inbox.js';
import { BRAND_DIR } from '../../src/paths.js';

const demo = () => JSON.parse(fs.readFileSync(path.join(BRAND_DIR, 'demo.json'), 'utf8'));

function loadChanged(change: (brand: ReturnType<typeof demo>) => void) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brand-'));
  try {
    const brand = demo();
    fs.copyFileSync(path.join(BRAND_DIR, brand.logo), path.join(dir, brand.logo));
    change(brand);
    fs.writeFileSync(path.join(dir, 'brand.json'), JSON.stringify(brand));
    return loadBrand(path.join(dir, 'brand.json'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test("the demo brand's « Nous contacter » is the guide's, word for word", () => {
  const { contact } = loadBrand(path.join(BRAND_DIR, 'demo.json')).correspondence;
  assert.deepEqual(
    contact.map((c) => ({ label: c.label, objects: c.objects.map((o) => o.label) })),
    HR_CONTACT_GUIDE.map((c) => ({ label: c.label, objects: [...c.objects] })),
  );
  assert.deepEqual(HR_CONTACT_GUIDE[1].objects, ["Affiliation d'un salarié", "Radiation d'un salarié", 'Transmettre des documents pour mon salarié']);
});

test('service levels and objects are found by their codes', () => {
  const { correspondence } = loadBrand(path.join(BRAND_DIR, 'demo.json'));
  assert.equal(requestServiceDays(correspondence, 'devis', 'optique'), 3);
  assert.equal(requestServiceDays(correspondence, 'remboursement', 'inconnu'), null);
  assert.equal(findThreadObject(correspondence, 'hr', 'mes_salaries', 'documents_salarie')?.asksEmployee, true);
  assert.equal(findThreadObject(correspondence, 'hr', 'mes_salaries', 'radiation_salarie')?.asksEmployee, false);
  assert.equal(findThreadObject(correspondence, 'member', 'mes_salaries', 'radiation_salarie'), null, "the members' list is not HR's");
  for (const object of correspondence.remboursement) assert.ok(object.documents.length > 0, `${object.code} names its documents`);
});

test('a « Nous contacter » that differs from the guide is refused', () => {
  assert.throws(
    () => loadChanged((b) => (b.correspondence.contact[0].objects[0].label = 'Information sur les cotisations')),
    /champ « correspondence\.contact »/,
  );
  assert.throws(() => loadChanged((b) => (b.correspondence.contact[1].objects[2].asksEmployee = false)), /correspondence\.contact/);
  assert.throws(() => loadChanged((b) => b.correspondence.contact.reverse()), /correspondence\.contact/);
});

test('the six devis objects of the guide, each once; codes unique; service levels in business days', () => {
  assert.throws(() => loadChanged((b) => b.correspondence.devis.pop()), /correspondence\.devis/);
  assert.throws(() => loadChanged((b) => (b.correspondence.devis[1].code = 'optique')), /correspondence\.devis/);
  assert.throws(() => loadChanged((b) => (b.correspondence.remboursement[1].code = b.correspondence.remboursement[0].code)), /correspondence\.remboursement/);
  assert.throws(() => loadChanged((b) => (b.correspondence.remboursement[0].documents = [])), /correspondence\.remboursement\.0\.documents/);
  assert.throws(() => loadChanged((b) => (b.correspondence.teletransmission.serviceDays = 0)), /correspondence\.teletransmission\.serviceDays/);
});

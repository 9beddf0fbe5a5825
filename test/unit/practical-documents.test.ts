// The staff form of the documents pratiques (src/domain/practical-documents.ts): what it accepts,
// the French message per field otherwise, and the sizes as HR read them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOCUMENT_TEXTS, categoryLabel, checkDocumentForm, formatFileSize, visibilityOf } from '../../src/domain/practical-documents.js';

test('a complete form: the title tidied, the category, each kind of visibility', () => {
  assert.deepEqual(checkDocumentForm({ titre: '  Notice   2027 ', categorie: 'notices', visibilite: 'tous' }), {
    ok: true,
    form: { title: 'Notice 2027', category: 'notices', visibility: { kind: 'all' } },
  });
  const company = checkDocumentForm({ titre: 'A', categorie: 'guides', visibilite: 'entreprise', entreprise: '12', contrat: '7' });
  assert.deepEqual(company.ok && company.form.visibility, { kind: 'company', companyId: 12 });
  const contract = checkDocumentForm({ titre: 'A', categorie: 'guides', visibilite: 'contrat', entreprise: '', contrat: '7' });
  assert.deepEqual(contract.ok && contract.form.visibility, { kind: 'contract', contractId: 7 });
});

test('what is missing or wrong: one message per field', () => {
  assert.deepEqual(checkDocumentForm({}), {
    ok: false,
    errors: { titre: DOCUMENT_TEXTS.titleMissing, categorie: DOCUMENT_TEXTS.categoryMissing, visibilite: DOCUMENT_TEXTS.visibilityMissing },
  });
  assert.deepEqual(checkDocumentForm({ titre: 'x'.repeat(201), categorie: 'autre', visibilite: 'entreprise', entreprise: 'abc' }), {
    ok: false,
    errors: { titre: DOCUMENT_TEXTS.titleTooLong, categorie: DOCUMENT_TEXTS.categoryMissing, entreprise: DOCUMENT_TEXTS.companyMissing },
  });
  for (const contrat of ['', '0', '-1', '99999999999', ['3']]) {
    const checked = checkDocumentForm({ titre: 'A', categorie: 'notices', visibilite: 'contrat', contrat });
    assert.deepEqual(checked, { ok: false, errors: { contrat: DOCUMENT_TEXTS.contractMissing } }, String(contrat));
  }
  // A category is a code of the fixed list, never an inherited key.
  assert.equal(checkDocumentForm({ titre: 'A', categorie: 'toString', visibilite: 'tous' }).ok, false);
});

test('visibility of a row, category labels and sizes', () => {
  assert.deepEqual(visibilityOf({ company_id: null, contract_id: null }), { kind: 'all' });
  assert.deepEqual(visibilityOf({ company_id: 3, contract_id: null }), { kind: 'company', companyId: 3 });
  assert.deepEqual(visibilityOf({ company_id: 3, contract_id: 9 }), { kind: 'contract', companyId: 3, contractId: 9 });
  assert.equal(categoryLabel('portabilite'), 'Formulaire de portabilité');
  assert.equal(categoryLabel('ancienne'), 'Autres documents');
  assert.equal(formatFileSize(250_880), '245\u00a0Ko');
  assert.equal(formatFileSize(12), '1\u00a0Ko');
  assert.equal(formatFileSize(1_258_291), '1,2\u00a0Mo');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contractOptionLabels } from '../../src/domain/employee-status.js';

const COMPANIES = new Map([
  [1, 'Cabinet Verdier Immobilier'],
  [2, 'Syndic Horizon Gestion'],
]);

test('« Contrat » options: a label used once stays as it is', () => {
  const labels = contractOptionLabels(
    [
      { id: 10, company_id: 1, label: 'BASE CCN C', reference: 'CT1-C' },
      { id: 11, company_id: 1, label: 'BASE CCN NC', reference: 'CT1-NC' },
    ],
    COMPANIES,
  );
  assert.deepEqual(
    [...labels],
    [
      [10, 'BASE CCN C'],
      [11, 'BASE CCN NC'],
    ],
  );
});

test('« Contrat » options: the same label in two companies gets the company, twice in one company the reference', () => {
  const labels = contractOptionLabels(
    [
      { id: 10, company_id: 1, label: 'BASE CCN C', reference: 'CT1-C' },
      { id: 20, company_id: 2, label: 'BASE CCN C', reference: 'CT2-C' },
      { id: 21, company_id: 2, label: 'BASE CCN NC', reference: 'CT2-NC' },
      { id: 22, company_id: 2, label: 'BASE CCN NC', reference: 'CT2-NC-2027' },
      { id: 30, company_id: 1, label: 'Surcomplémentaire', reference: 'CT1-S1' },
      { id: 31, company_id: 1, label: 'Surcomplémentaire', reference: 'CT1-S2' },
      { id: 32, company_id: 2, label: 'Surcomplémentaire', reference: 'CT2-S' },
    ],
    COMPANIES,
  );
  assert.equal(labels.get(10), 'BASE CCN C (Cabinet Verdier Immobilier)');
  assert.equal(labels.get(20), 'BASE CCN C (Syndic Horizon Gestion)');
  assert.equal(labels.get(21), 'BASE CCN NC (réf. CT2-NC)');
  assert.equal(labels.get(22), 'BASE CCN NC (réf. CT2-NC-2027)');
  assert.equal(labels.get(30), 'Surcomplémentaire (Cabinet Verdier Immobilier, réf. CT1-S1)');
  assert.equal(labels.get(32), 'Surcomplémentaire (Syndic Horizon Gestion)');
  assert.equal(new Set(labels.values()).size, labels.size, 'all different');
});

// An HR user's world for Espace Entreprise tests: companies with several establishments, their
// two contracts (cadre, non cadre), covered employees, and HR accounts with habilitations and a
// « périmètre suivi ».
import type { Db } from '../../src/db.js';
import { generateSiren, generateSiret } from '../../src/domain/siret.js';
import { nirKey } from '../../src/domain/nir.js';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { createAccount, insertId, textOf, tokenFrom } from './fixtures.js';

let counter = 0;
const stamp = '2026-11-01T08:00:00.000Z';

export interface TestEstablishment {
  id: number;
  siret: string;
  code: string;
  name: string;
}

export interface TestCompany {
  companyId: number;
  name: string;
  siren: string;
  establishments: TestEstablishment[];
  contracts: { cadre: number; non_cadre: number };
}

/** A company with `establishments` establishments (NIC 00010, 00020…), none in anybody's perimeter. */
export async function createHrCompany(db: Db, name: string, establishments = 2): Promise<TestCompany> {
  counter += 1;
  const siren = generateSiren(String(51000000 + counter * 7919 + (process.pid % 1000)).slice(0, 8));
  const companyId = await insertId(db, 'companies', {
    name,
    siren,
    insurer_company_number: `H${String(200000 + counter)}${process.pid % 100}`,
    address_line: '4 quai des Chartrons',
    postal_code: '33000',
    city: 'Bordeaux',
    created_at: stamp,
  });
  const list: TestEstablishment[] = [];
  for (let i = 1; i <= establishments; i++) {
    const siret = generateSiret(siren, String(i).padStart(4, '0'));
    const code = `E${counter}X${i}`;
    const estName = `${name} — site ${i}`;
    const id = await insertId(db, 'establishments', {
      company_id: companyId,
      siret,
      name: estName,
      insurer_code: code,
      address_line: `${i} rue du Port`,
      postal_code: '33000',
      city: 'Bordeaux',
      created_at: stamp,
    });
    list.push({ id, siret, code, name: estName });
  }
  const contract = (college: 'cadre' | 'non_cadre') =>
    insertId(db, 'contracts', {
      company_id: companyId,
      reference: `CTH-${counter}-${college}`,
      label: college === 'cadre' ? 'BASE CCN C RG Oblig' : 'BASE CCN NC RG Oblig/Options 1 2 3 4 Fac',
      college,
      formula: 'Base conventionnelle',
      options: null,
      start_date: '2020-01-01',
      end_date: null,
      created_at: stamp,
    });
  return { companyId, name, siren, establishments: list, contracts: { cadre: await contract('cadre'), non_cadre: await contract('non_cadre') } };
}

/** A covered employee of an establishment (affiliation from `start`, ended at `end` if given). */
export async function addEmployee(
  db: Db,
  company: TestCompany,
  establishment: TestEstablishment,
  options: { college?: 'cadre' | 'non_cadre'; start?: string; end?: string | null; lastName?: string; firstName?: string } = {},
): Promise<{ memberId: number; affiliationId: number }> {
  counter += 1;
  const nir13 = `1${String(80 + (counter % 20)).padStart(2, '0')}0575${String(100000 + counter).slice(-6)}`.slice(0, 13);
  const memberId = await insertId(db, 'members', {
    member_number: `H${String(counter).padStart(8, '0')}${process.pid % 10}`,
    nir: nir13 + String(nirKey(nir13)).padStart(2, '0'),
    sex: 'M',
    last_name: options.lastName ?? `Salarié${counter}`,
    first_name: options.firstName ?? 'Paul',
    birth_date: '1985-05-10',
    email: null,
    mobile: null,
    address_line1: '2 rue des Lilas',
    postal_code: '33000',
    city: 'Bordeaux',
    created_at: stamp,
    updated_at: stamp,
  });
  const college = options.college ?? 'non_cadre';
  const affiliationId = await insertId(db, 'affiliations', {
    member_id: memberId,
    establishment_id: establishment.id,
    contract_id: company.contracts[college],
    professional_status: college,
    company_status: 'salarie',
    employment_contract_type: 'CDI',
    employment_start_date: options.start ?? '2024-01-01',
    employment_end_date: null,
    entry_date: options.start ?? '2024-01-01',
    start_date: options.start ?? '2024-01-01',
    end_date: options.end ?? null,
    created_at: stamp,
  });
  return { memberId, affiliationId };
}

/**
 * An HR account habilitated on each company with its role, following every establishment of
 * those companies (or only `perimeter` when given).
 */
export async function createHrUser(
  db: Db,
  grants: { company: TestCompany; role: 'admin' | 'user'; status?: 'active' | 'suspended' }[],
  options: { email?: string; firstName?: string; status?: string; password?: string | null; perimeter?: TestEstablishment[]; mobile?: string } = {},
): Promise<{ id: number; email: string }> {
  const account = await createAccount(db, {
    kind: 'hr',
    hrCompany: false,
    email: options.email,
    firstName: options.firstName,
    status: options.status,
    password: options.password,
    mobile: options.mobile,
  });
  for (const grant of grants) {
    await db('hr_habilitations').insert({
      account_id: account.id,
      company_id: grant.company.companyId,
      role: grant.role,
      status: grant.status ?? 'active',
      created_at: stamp,
      updated_at: stamp,
    });
    for (const e of grant.company.establishments) {
      if (options.perimeter && !options.perimeter.includes(e)) continue;
      await db('hr_perimeter').insert({ account_id: account.id, establishment_id: e.id, added_at: stamp });
    }
  }
  return account;
}

/**
 * POSTs a form of the Espace Entreprise as `agent` (the CSRF token read from its home page) and
 * checks the status, showing the end of the page when it differs.
 */
export async function postHrForm(agent: ReturnType<typeof request.agent>, path: string, body: Record<string, string>, status: number) {
  const token = await tokenFrom(agent, '/entreprise/accueil');
  const res = await agent
    .post(path)
    .type('form')
    .send({ _csrf: token, ...body });
  assert.equal(res.status, status, `${path}: ${res.status} ${res.status !== status ? textOf(res.text).slice(-1200) : ''}`);
  return res;
}

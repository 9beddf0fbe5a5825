// Affiliation requests finalized by the employee, for the insurer's validation tests: the HR
// fields of the pré-affiliation, the employee's form_data in the shape the online form saves
// (StructuredForm, src/domain/affiliation-form.ts; see also db/seeds/demo/affiliation-requests.ts
// addAffiliationRequests), its events, and its documents on disk under UPLOAD_DIR/affiliations
// with random stored names.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../src/db.js';
import type { StructuredForm } from '../../src/domain/affiliation-form.js';
import { nirKey } from '../../src/domain/nir.js';
import type { TestCompany, TestEstablishment } from './entreprise.js';
import { insertId } from './fixtures.js';

let counter = 0;

/** A valid NIR (15 characters) for someone of `sex` born in `birthDate`'s month, in Gironde. */
export function testNir(sex: 'M' | 'F', birthDate: string, order: number): string {
  const nir13 = `${sex === 'M' ? 1 : 2}${birthDate.slice(2, 4)}${birthDate.slice(5, 7)}33063${String(order % 1000).padStart(3, '0')}`;
  return nir13 + String(nirKey(nir13)).padStart(2, '0');
}

/** A tiny but real PDF and PNG: what the upload check accepts by their first bytes. */
export const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1');
export const PNG_BYTES = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

export interface FinalizedBeneficiary {
  relationship: 'conjoint' | 'enfant';
  sex: 'M' | 'F';
  lastName: string;
  firstName: string;
  birthDate: string;
  nir: string | null;
}

export interface FinalizedRequestOptions {
  uploadDir: string;
  company: TestCompany;
  establishment?: TestEstablishment;
  createdBy: number | null;
  professionalStatus?: 'cadre' | 'non_cadre';
  sex?: 'M' | 'F';
  firstName?: string;
  lastName?: string;
  birthDate?: string;
  /** 15 characters; a fresh valid one by default. */
  nir?: string;
  /** HR typed the first 13 characters (what the wizard stores). */
  email?: string | null;
  formEmail?: string | null;
  mobile?: string | null;
  affiliationDate?: string;
  contractType?: 'CDI' | 'CDD';
  previousMemberId?: number | null;
  fundCode?: string;
  teletransmission?: boolean;
  beneficiaries?: FinalizedBeneficiary[];
  /** No online form (mode Courrier). */
  withoutForm?: boolean;
  submittedAt?: string;
  decision?: { decision: 'validated' | 'refused'; at: string; by: number; reason?: string; memberId?: number };
}

export interface FinalizedRequest {
  id: number;
  nir: string;
  email: string | null;
  firstName: string;
  lastName: string;
  documents: { id: number; kind: string; originalName: string; storedName: string; mime: string; bytes: Buffer }[];
}

export async function createFinalizedRequest(db: Db, options: FinalizedRequestOptions): Promise<FinalizedRequest> {
  counter += 1;
  const establishment = options.establishment ?? options.company.establishments[0];
  const sex = options.sex ?? 'F';
  const firstName = options.firstName ?? 'Léa';
  const lastName = options.lastName ?? `Fontaine${counter}`;
  const birthDate = options.birthDate ?? '1994-04-12';
  const nir = options.nir ?? testNir(sex, birthDate, 100 + counter + (process.pid % 500));
  const email = options.email === undefined ? `salarie${counter}.${process.pid}@exemple.fr` : options.email;
  const formEmail = options.formEmail === undefined ? email : options.formEmail;
  const affiliationDate = options.affiliationDate ?? '2026-12-01';
  const submittedAt = options.submittedAt ?? `2026-11-${String(10 + (counter % 10)).padStart(2, '0')}T09:00:00.000Z`;
  const contractType = options.contractType ?? 'CDI';
  const formData = options.withoutForm
    ? null
    : ({
        identity: { sex, lastName, firstName, birthName: null, birthDate, nir },
        address: { line1: '12 rue Sainte-Catherine', line2: 'Appartement 4', postalCode: '33000', city: 'Bordeaux' },
        contact: { email: formEmail, mobile: options.mobile === undefined ? `+33639980${String(600 + (counter % 300)).padStart(3, '0')}` : options.mobile },
        bank: { iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP', holder: `Mme ${firstName} ${lastName.toUpperCase()}` },
        fundCode: options.fundCode ?? '013331234',
        teletransmission: options.teletransmission ?? true,
        beneficiaries: options.beneficiaries ?? [],
      } satisfies StructuredForm);
  const createdAt = '2026-11-02T08:00:00.000Z';
  const id = await insertId(db, 'affiliation_requests', {
    company_id: options.company.companyId,
    establishment_id: establishment.id,
    created_by_account_id: options.createdBy,
    mode: options.withoutForm ? 'courrier' : 'email',
    status: 'finalized',
    professional_status: options.professionalStatus ?? 'non_cadre',
    previous_member_id: options.previousMemberId ?? null,
    nir: nir.slice(0, 13),
    last_name: lastName,
    first_name: firstName,
    email,
    birth_date: birthDate,
    entry_date: affiliationDate,
    affiliation_date: affiliationDate,
    employment_contract_type: contractType,
    employment_start_date: affiliationDate,
    employment_end_date: contractType === 'CDD' ? '2027-05-31' : null,
    company_status: 'salarie',
    token_hash: null,
    token_expires_at: null,
    dob_attempts: 0,
    form_data: formData ? JSON.stringify(formData) : null,
    started_at: options.withoutForm ? null : createdAt,
    submitted_at: submittedAt,
    reminder_count: 0,
    decision: options.decision?.decision ?? null,
    decision_reason: options.decision?.reason ?? null,
    decided_at: options.decision?.at ?? null,
    decided_by_account_id: options.decision?.by ?? null,
    member_id: options.decision?.memberId ?? null,
    created_at: createdAt,
    updated_at: submittedAt,
  });
  await db('affiliation_request_events').insert([
    { request_id: id, kind: 'created', at: createdAt, account_id: options.createdBy, detail: JSON.stringify({ mode: 'email' }) },
    { request_id: id, kind: 'email_sent', at: createdAt, account_id: options.createdBy, detail: null },
    { request_id: id, kind: 'started', at: '2026-11-03T18:00:00.000Z', account_id: null, detail: null },
    { request_id: id, kind: 'submitted', at: submittedAt, account_id: null, detail: null },
  ]);
  const documents: FinalizedRequest['documents'] = [];
  if (!options.withoutForm) {
    const dir = path.join(options.uploadDir, 'affiliations');
    fs.mkdirSync(dir, { recursive: true });
    for (const [kind, originalName, mime, bytes] of [
      ['rib', 'RIB Société Générale.pdf', 'application/pdf', PDF_BYTES],
      ['attestation_droits', 'attestation-droits.png', 'image/png', PNG_BYTES],
    ] as const) {
      const storedName = `${crypto.randomBytes(16).toString('hex')}.${mime === 'application/pdf' ? 'pdf' : 'png'}`;
      fs.writeFileSync(path.join(dir, storedName), bytes);
      const docId = await insertId(db, 'affiliation_request_documents', {
        request_id: id,
        kind,
        original_name: originalName,
        stored_name: storedName,
        mime,
        size_bytes: bytes.length,
        created_at: submittedAt,
      });
      documents.push({ id: docId, kind, originalName, storedName, mime, bytes });
    }
  }
  return { id, nir, email, firstName, lastName, documents };
}

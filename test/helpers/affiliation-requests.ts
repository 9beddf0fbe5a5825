// Affiliation requests as the pré-affiliation wizard leaves them (with their first events), in any
// status, for the tests of the pages that follow them. Returns the id and the link's plain token.
import { insertedId, type Db } from '../../src/db.js';
import { newAffiliationLink, type AffiliationMode, type AffiliationStatus } from '../../src/domain/affiliation-requests.js';
import type { TestCompany, TestEstablishment } from './entreprise.js';

let counter = 0;

export interface NewTestRequest {
  company: TestCompany;
  establishment?: TestEstablishment;
  status?: AffiliationStatus;
  mode?: AffiliationMode;
  firstName?: string;
  lastName?: string;
  email?: string | null;
  /** Creation instant; the link expires 30 days later. Default: the clock's now. */
  createdAt?: Date;
  createdBy?: number | null;
  decision?: 'validated' | 'refused' | null;
  decisionReason?: string | null;
  employmentContractType?: string;
  professionalStatus?: 'cadre' | 'non_cadre';
}

export async function createAffiliationRequest(db: Db, now: Date, options: NewTestRequest): Promise<{ id: number; token: string | null }> {
  counter += 1;
  const createdAt = options.createdAt ?? now;
  const iso = createdAt.toISOString();
  const mode = options.mode ?? 'email';
  const status = options.status ?? 'sent';
  const firstName = options.firstName ?? 'Léa';
  const lastName = options.lastName ?? `Salariée${counter}`;
  const live = mode === 'email' && (status === 'sent' || status === 'started');
  const link = live ? newAffiliationLink(createdAt) : null;
  const fixedTerm = (options.employmentContractType ?? 'CDI') !== 'CDI';
  const [row] = await db('affiliation_requests')
    .insert({
      company_id: options.company.companyId,
      establishment_id: (options.establishment ?? options.company.establishments[0]).id,
      created_by_account_id: options.createdBy ?? null,
      mode,
      status,
      professional_status: options.professionalStatus ?? 'non_cadre',
      nir: `2920475${String(100000 + counter).slice(-6)}`,
      last_name: lastName,
      first_name: firstName,
      email: mode === 'email' ? (options.email === undefined ? `salarie${counter}.${process.pid}@exemple.fr` : options.email) : null,
      birth_date: '1992-04-17',
      entry_date: '2026-11-02',
      affiliation_date: '2026-11-02',
      employment_contract_type: options.employmentContractType ?? 'CDI',
      employment_start_date: '2026-11-02',
      employment_end_date: fixedTerm ? '2027-05-01' : null,
      company_status: 'salarie',
      token_hash: link?.tokenHash ?? null,
      token_expires_at: link?.expiresAt ?? null,
      started_at: status === 'sent' || mode === 'courrier' ? null : iso,
      submitted_at: status === 'finalized' ? iso : null,
      decision: options.decision ?? null,
      decision_reason: options.decisionReason ?? null,
      decided_at: options.decision ? iso : null,
      created_at: iso,
      updated_at: iso,
    })
    .returning('id');
  const id = insertedId(row);
  const event = (kind: string, detail: Record<string, unknown> | null = null, accountId: number | null = null) =>
    db('affiliation_request_events').insert({ request_id: id, kind, at: iso, account_id: accountId, detail: detail ? JSON.stringify(detail) : null });
  await event('created', { mode }, options.createdBy ?? null);
  await event(mode === 'email' ? 'email_sent' : 'courrier_ready', null, options.createdBy ?? null);
  if (status === 'started' || status === 'finalized') await event('started');
  if (status === 'finalized') await event('submitted');
  if (options.decision) await event(options.decision, options.decision === 'refused' && options.decisionReason ? { reason: options.decisionReason } : null);
  return { id, token: link?.token ?? null };
}

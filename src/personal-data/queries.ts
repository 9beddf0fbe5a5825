// Knex only: the personal-data rights (docs/domain.md#personal-data-rights) — the « Télécharger
// mes données » requests and their ZIP, the erasure requests, and what an account's export holds.
// Every change of state that two requests or two instances could race for is one UPDATE whose
// WHERE says the state it leaves, so exactly one of them sees its row come back.
import { type Db, isUniqueViolation } from '../db.js';

type DataExportStatus = 'pending' | 'building' | 'ready' | 'downloaded' | 'expired' | 'failed';

export interface DataExportRow {
  id: number;
  account_id: number;
  status: DataExportStatus;
  requested_at: string;
  claimed_at: string | null;
  ready_at: string | null;
  expires_at: string | null;
  downloaded_at: string | null;
  stored_name: string | null;
  size_bytes: number | string | null;
}

/** A building claim older than this was left by a process that stopped: another may take it. */
const EXPORT_LEASE_MS = 15 * 60 * 1000;

/** Records a request; null when one is already in preparation for this account. */
export async function insertDataExport(db: Db, accountId: number, now: Date): Promise<number | null> {
  try {
    const [row] = await db('data_exports')
      .insert({ account_id: accountId, open_key: accountId, status: 'pending', requested_at: now.toISOString() })
      .returning('id');
    return typeof row === 'object' ? (row as { id: number }).id : (row as number);
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw err;
  }
}

/** The account's latest request, if any. */
export async function latestDataExport(db: Db, accountId: number): Promise<DataExportRow | undefined> {
  return db('data_exports').where({ account_id: accountId }).orderBy('id', 'desc').first();
}

/** One of the account's requests (the download checks the owner here: another account's id is not found). */
export async function findDataExport(db: Db, accountId: number, id: number): Promise<DataExportRow | undefined> {
  return db('data_exports').where({ account_id: accountId, id }).first();
}

/**
 * Takes one request to build, in one UPDATE: a pending one, or one whose builder stopped (its claim
 * older than the lease). Two instances running the job at once never take the same row.
 */
export async function claimDataExport(db: Db, now: Date): Promise<DataExportRow | null> {
  const staleBefore = new Date(now.getTime() - EXPORT_LEASE_MS).toISOString();
  const takeable = (q: ReturnType<Db>) => q.where('status', 'pending').orWhere((w) => w.where('status', 'building').andWhere('claimed_at', '<', staleBefore));
  const candidate = await db('data_exports')
    .where((q) => takeable(q as unknown as ReturnType<Db>))
    .orderBy('id')
    .first('id');
  if (!candidate) return null;
  const rows = await db('data_exports')
    .where({ id: candidate.id })
    .andWhere((q) => takeable(q as unknown as ReturnType<Db>))
    .update({ status: 'building', claimed_at: now.toISOString() })
    .returning('*');
  return (rows[0] as DataExportRow | undefined) ?? null;
}

/** The ZIP is written: ready until `expiresAt` — only if this builder's claim still holds. */
export async function markDataExportReady(
  db: Db,
  row: DataExportRow,
  file: { storedName: string; sizeBytes: number },
  now: Date,
  expiresAt: Date,
): Promise<boolean> {
  const changed = await db('data_exports').where({ id: row.id, status: 'building', claimed_at: row.claimed_at }).update({
    status: 'ready',
    open_key: null,
    ready_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
    stored_name: file.storedName,
    size_bytes: file.sizeBytes,
  });
  return changed === 1;
}

export async function markDataExportFailed(db: Db, row: DataExportRow): Promise<void> {
  await db('data_exports').where({ id: row.id, status: 'building', claimed_at: row.claimed_at }).update({ status: 'failed', open_key: null });
}

/**
 * The one download: ready → downloaded in one UPDATE, before any byte is sent. Of two parallel
 * downloads only one gets the row back; the other is told the file is gone.
 */
export async function claimDataExportDownload(db: Db, accountId: number, id: number, now: Date): Promise<DataExportRow | null> {
  const rows = await db('data_exports')
    .where({ id, account_id: accountId, status: 'ready' })
    .andWhere('expires_at', '>', now.toISOString())
    .update({ status: 'downloaded', downloaded_at: now.toISOString() })
    .returning('*');
  return (rows[0] as DataExportRow | undefined) ?? null;
}

/** The file is deleted: forget its name. */
export async function forgetDataExportFile(db: Db, id: number): Promise<void> {
  await db('data_exports').where({ id }).update({ stored_name: null });
}

/** Ready exports past their date: expired (their files are then deleted by the caller). */
export async function expireDataExports(db: Db, now: Date): Promise<DataExportRow[]> {
  return (await db('data_exports')
    .where({ status: 'ready' })
    .andWhere('expires_at', '<=', now.toISOString())
    .update({ status: 'expired' })
    .returning('*')) as DataExportRow[];
}

/**
 * Exports whose file is still named though no longer downloadable (a deletion that did not finish);
 * a download is left an hour to finish sending.
 */
export async function leftoverDataExportFiles(db: Db, downloadedBefore: Date): Promise<DataExportRow[]> {
  return db('data_exports')
    .whereNotNull('stored_name')
    .andWhere((q) =>
      q.whereIn('status', ['expired', 'failed']).orWhere((w) => w.where('status', 'downloaded').andWhere('downloaded_at', '<', downloadedBefore.toISOString())),
    );
}

// ------------------------------------------------------------------ what an export holds

export interface AccountRow {
  id: number;
  kind: 'member' | 'hr' | 'staff';
  email: string;
  first_name: string;
  last_name: string;
  mobile: string | null;
  member_id: number | null;
  status: string;
}

export async function findAccount(db: Db, accountId: number): Promise<AccountRow | undefined> {
  return db('accounts').where({ id: accountId }).first('id', 'kind', 'email', 'first_name', 'last_name', 'mobile', 'member_id', 'status');
}

/** The account itself, without its secrets (password hash, trusted devices, codes). */
async function accountForExport(db: Db, accountId: number) {
  return db('accounts')
    .where({ id: accountId })
    .select(
      'kind',
      'email',
      'first_name',
      'last_name',
      'mobile',
      'status',
      'staff_role',
      'last_login_at',
      'activated_at',
      'cgu_accepted_at',
      'created_at',
      'updated_at',
    );
}

export interface StoredDocument {
  folder: 'requests' | 'messages' | 'affiliations';
  stored_name: string;
  original_name: string;
}

/** The member's tables, one list of rows per table of the ZIP. A fixed number of queries. */
export async function memberExportTables(db: Db, memberId: number, accountId: number) {
  const threads = db('message_threads').where({ member_id: memberId, owner_kind: 'member' }).select('id');
  const requests = db('requests').where({ member_id: memberId }).select('id');
  const affiliationRequests = db('affiliation_requests').where({ member_id: memberId }).select('id');
  return {
    compte: await accountForExport(db, accountId),
    profil: await db('members')
      .where({ id: memberId })
      .select(
        'member_number',
        'nir',
        'sex',
        'last_name',
        'first_name',
        'birth_name',
        'birth_date',
        'email',
        'mobile',
        'phone',
        'address_line1',
        'address_line2',
        'postal_code',
        'city',
        'iban',
        'bic',
        'iban_holder',
        'iban_updated_at',
        'created_at',
        'updated_at',
      ),
    famille: await db('beneficiaries')
      .where({ member_id: memberId })
      .orderBy('id')
      .select(
        'relationship',
        'sex',
        'last_name',
        'first_name',
        'birth_date',
        'nir',
        'email',
        'mobile',
        'address_line1',
        'address_line2',
        'postal_code',
        'city',
        'fund_code',
        'teletransmission_status',
        'teletransmission_since',
        'start_date',
        'end_date',
      ),
    contrats: await db('affiliations as a')
      .join('contracts as c', 'c.id', 'a.contract_id')
      .join('establishments as e', 'e.id', 'a.establishment_id')
      .join('companies as co', 'co.id', 'e.company_id')
      .where('a.member_id', memberId)
      .orderBy('a.start_date')
      .select(
        'co.name as entreprise',
        'c.reference as contrat',
        'c.label as libelle',
        'c.formula as formule',
        'a.professional_status',
        'a.company_status',
        'a.employment_contract_type',
        'a.entry_date',
        'a.start_date',
        'a.end_date',
        'a.end_reason',
        'a.portability_end_date',
      ),
    decomptes: await db('statement_lines as l')
      .join('statements as s', 's.id', 'l.statement_id')
      .join('beneficiaries as b', 'b.id', 'l.beneficiary_id')
      .where('l.member_id', memberId)
      .orderBy([{ column: 'l.care_date' }, { column: 'l.id' }])
      .select(
        's.number as decompte',
        's.statement_date as date_decompte',
        'b.first_name as beneficiaire',
        'l.care_date',
        'l.care_label',
        'l.professional_name',
        'l.quantity',
        'l.frais_reels_cents',
        'l.base_remboursement_cents',
        'l.rate_percent',
        'l.ss_amount_cents',
        'l.complementary_amount_cents',
        'l.deductions_cents',
        'l.reste_a_charge_cents',
        'l.paid_to',
        'l.payment_date',
      ),
    demandes: await db('requests')
      .where({ member_id: memberId })
      .orderBy('id')
      .select('reference', 'kind', 'object', 'message', 'status', 'answer', 'estimated_amount_cents', 'answered_at', 'created_at'),
    conversations: await db('message_threads')
      .where({ member_id: memberId, owner_kind: 'member' })
      .orderBy('id')
      .select('id', 'category', 'object', 'status', 'created_at', 'last_message_at'),
    messages: await db('messages').whereIn('thread_id', threads).orderBy('id').select('thread_id', 'author_kind', 'body', 'created_at'),
    demandes_affiliation: await db('affiliation_requests')
      .where({ member_id: memberId })
      .orderBy('id')
      .select(
        'status',
        'last_name',
        'first_name',
        'email',
        'birth_date',
        'entry_date',
        'affiliation_date',
        'submitted_at',
        'decision',
        'decided_at',
        'created_at',
      ),
    documents: [
      ...(await db('request_attachments').whereIn('request_id', requests).orderBy('id').select('stored_name', 'original_name')).map((d) => ({
        folder: 'requests' as const,
        ...d,
      })),
      ...(
        await db('message_attachments as ma')
          .join('messages as m', 'm.id', 'ma.message_id')
          .whereIn('m.thread_id', threads)
          .orderBy('ma.id')
          .select('ma.stored_name', 'ma.original_name')
      ).map((d) => ({ folder: 'messages' as const, ...d })),
      ...(await db('affiliation_request_documents').whereIn('request_id', affiliationRequests).orderBy('id').select('stored_name', 'original_name')).map(
        (d) => ({
          folder: 'affiliations' as const,
          ...d,
        }),
      ),
    ] as StoredDocument[],
  };
}

/** An HR user's (or staff's) own data: the account, the habilitations, their own messages, the audit lines about them. */
export async function accountExportTables(db: Db, accountId: number) {
  const threads = db('message_threads').where({ account_id: accountId }).select('id');
  return {
    compte: await accountForExport(db, accountId),
    habilitations: await db('hr_habilitations as h')
      .join('companies as c', 'c.id', 'h.company_id')
      .where('h.account_id', accountId)
      .orderBy('h.id')
      .select('c.name as entreprise', 'h.role', 'h.status', 'h.created_at', 'h.updated_at'),
    conversations: await db('message_threads')
      .where({ account_id: accountId })
      .orderBy('id')
      .select('id', 'category', 'object', 'status', 'created_at', 'last_message_at'),
    messages: await db('messages').whereIn('thread_id', threads).orderBy('id').select('thread_id', 'author_kind', 'body', 'created_at'),
    journal: await db('audit_log').where({ account_id: accountId }).orderBy('id').select('at', 'event', 'ip', 'user_agent'),
    documents: (
      await db('message_attachments as ma')
        .join('messages as m', 'm.id', 'ma.message_id')
        .whereIn('m.thread_id', threads)
        .orderBy('ma.id')
        .select('ma.stored_name', 'ma.original_name')
    ).map((d) => ({ folder: 'messages' as const, ...d })) as StoredDocument[],
  };
}

// ------------------------------------------------------------------ erasure requests

type ErasureStatus = 'pending' | 'accepted' | 'refused';

export interface ErasureRow {
  id: number;
  account_id: number | null;
  account_kind: 'member' | 'hr';
  status: ErasureStatus;
  message: string | null;
  requested_at: string;
  decided_at: string | null;
  decided_by_account_id: number | null;
  decision_reason: string | null;
}

/** Records an erasure request; null when one is already waiting for this account. */
export async function insertErasureRequest(db: Db, accountId: number, kind: 'member' | 'hr', message: string | null, now: Date): Promise<number | null> {
  try {
    const [row] = await db('erasure_requests')
      .insert({ account_id: accountId, account_kind: kind, open_key: accountId, status: 'pending', message, requested_at: now.toISOString() })
      .returning('id');
    return typeof row === 'object' ? (row as { id: number }).id : (row as number);
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw err;
  }
}

export async function latestErasureRequest(db: Db, accountId: number): Promise<ErasureRow | undefined> {
  return db('erasure_requests').where({ account_id: accountId }).orderBy('id', 'desc').first();
}

export interface ErasureListRow extends ErasureRow {
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  member_number: string | null;
}

/** The superviseur's list: pending first (oldest first), then the decided ones. A member reads by the member's name (kept after an erasure, with the décomptes). */
export async function erasureRequestsPage(db: Db, limit: number): Promise<ErasureListRow[]> {
  return db('erasure_requests as e')
    .leftJoin('accounts as a', 'a.id', 'e.account_id')
    .leftJoin('members as m', 'm.id', 'a.member_id')
    .orderByRaw("case when e.status = 'pending' then 0 else 1 end")
    .orderBy('e.requested_at', 'asc')
    .limit(limit)
    .select(
      'e.*',
      db.raw('coalesce(m.first_name, a.first_name) as first_name'),
      db.raw('coalesce(m.last_name, a.last_name) as last_name'),
      'a.email',
      'm.member_number',
    );
}

export async function findErasureRequest(db: Db, id: number): Promise<ErasureListRow | undefined> {
  return db('erasure_requests as e')
    .leftJoin('accounts as a', 'a.id', 'e.account_id')
    .leftJoin('members as m', 'm.id', 'a.member_id')
    .where('e.id', id)
    .first(
      'e.*',
      db.raw('coalesce(m.first_name, a.first_name) as first_name'),
      db.raw('coalesce(m.last_name, a.last_name) as last_name'),
      'a.email',
      'm.member_number',
    );
}

/** pending → accepted | refused in one UPDATE inside the caller's transaction: one decision only. */
export async function decideErasureRequest(
  db: Db,
  id: number,
  decision: 'accepted' | 'refused',
  staffId: number,
  reason: string | null,
  now: Date,
): Promise<boolean> {
  const changed = await db('erasure_requests')
    .where({ id, status: 'pending' })
    .update({ status: decision, open_key: null, decided_at: now.toISOString(), decided_by_account_id: staffId, decision_reason: reason });
  return changed === 1;
}

/** The uploaded files an erasure deletes: the account's request, message and affiliation files. */
export async function erasableDocuments(
  db: Db,
  accountId: number,
  memberId: number | null,
): Promise<{ table: string; id: number; folder: StoredDocument['folder']; stored_name: string }[]> {
  const threads = db('message_threads')
    .where({ account_id: accountId })
    .modify((q) => {
      if (memberId) q.orWhere({ member_id: memberId });
    });
  const messageFiles = await db('message_attachments as ma')
    .join('messages as m', 'm.id', 'ma.message_id')
    .whereIn('m.thread_id', threads.clone().select('id'))
    .select('ma.id', 'ma.stored_name');
  const rows: { table: string; id: number; folder: StoredDocument['folder']; stored_name: string }[] = messageFiles.map((f) => ({
    table: 'message_attachments',
    id: f.id as number,
    folder: 'messages',
    stored_name: f.stored_name as string,
  }));
  if (memberId) {
    for (const f of await db('request_attachments')
      .whereIn('request_id', db('requests').where({ member_id: memberId }).select('id'))
      .select('id', 'stored_name')) {
      rows.push({ table: 'request_attachments', id: f.id, folder: 'requests' as const, stored_name: f.stored_name });
    }
    for (const f of await db('affiliation_request_documents')
      .whereIn('request_id', db('affiliation_requests').where({ member_id: memberId }).select('id'))
      .select('id', 'stored_name')) {
      rows.push({ table: 'affiliation_request_documents', id: f.id, folder: 'affiliations' as const, stored_name: f.stored_name });
    }
  }
  return rows;
}

/**
 * Anonymises an account (docs/domain.md#personal-data-rights): no name, no contact, no password,
 * disabled, its sessions revoked; a member's contact and bank details are erased too. The identity
 * the décomptes need (name, NIR, birth date, member number) stays, under the legal retention.
 */
export async function anonymiseAccount(db: Db, accountId: number, memberId: number | null, now: Date): Promise<void> {
  const at = now.toISOString();
  await db('accounts')
    .where({ id: accountId })
    .update({
      email: `efface-${accountId}@anonyme.invalid`,
      first_name: 'Compte',
      last_name: 'effacé',
      mobile: null,
      password_hash: null,
      status: 'disabled',
      disabled_at: at,
      sessions_revoked_at: at,
      last_verified_ip: null,
      updated_at: at,
    });
  await db('trusted_devices').where({ account_id: accountId }).delete();
  await db('hr_perimeter').where({ account_id: accountId }).delete();
  await db('hr_habilitations').where({ account_id: accountId }).delete();
  if (memberId) {
    await db('members')
      .where({ id: memberId })
      .update({ email: null, mobile: null, phone: null, address_line1: '', address_line2: null, iban: null, bic: null, iban_holder: null, updated_at: at });
  }
}

/** Deletes every data export of an account (an erased account's ZIP must not stay); returns the files to delete. */
export async function deleteDataExportsOf(db: Db, accountId: number): Promise<string[]> {
  const rows: { stored_name: string | null }[] = await db('data_exports').where({ account_id: accountId }).select('stored_name');
  await db('data_exports').where({ account_id: accountId }).delete();
  return rows.map((r) => r.stored_name).filter((n): n is string => n !== null);
}

/** Deletes attachment rows by table and id (their files are deleted by the caller after commit). */
export async function deleteFileRows(db: Db, table: string, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500)
    await db(table)
      .whereIn('id', ids.slice(i, i + 500))
      .delete();
}

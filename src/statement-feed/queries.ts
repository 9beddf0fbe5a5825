// Knex only: what the décompte feed checks a batch of lines against (members, their beneficiaries,
// the décomptes already loaded, the décomptes met earlier in the same file), the load itself (one
// transaction), and the feeds' history for the Espace Gestion.
import { isPostgres, type Db } from '../db.js';
import type { ImportJobRow } from '../stores/import-jobs.js';

export async function membersByNumber(db: Db, numbers: string[]): Promise<Map<string, number>> {
  if (!numbers.length) return new Map();
  const rows: { id: number; member_number: string }[] = await db('members').whereIn('member_number', numbers).select('id', 'member_number');
  return new Map(rows.map((r) => [r.member_number, r.id]));
}

export interface BeneficiaryKey {
  id: number;
  member_id: number;
  first_name: string;
  birth_date: string;
}

export async function beneficiariesOf(db: Db, memberIds: number[]): Promise<BeneficiaryKey[]> {
  if (!memberIds.length) return [];
  return db('beneficiaries').whereIn('member_id', memberIds).select('id', 'member_id', 'first_name', 'birth_date');
}

/** Which of these décompte numbers are already loaded (by an earlier feed or the seed). */
export async function loadedStatementNumbers(db: Db, numbers: string[]): Promise<Set<string>> {
  if (!numbers.length) return new Set();
  const rows: { number: string }[] = await db('statements').whereIn('number', numbers).select('number');
  return new Set(rows.map((r) => r.number));
}

/** The first line of each of these décompte numbers already analysed in the job (index job_id, group_key). */
export async function earlierGroupLines(db: Db, jobId: number, numbers: string[]): Promise<Map<string, number>> {
  if (!numbers.length) return new Map();
  const rows: { group_key: string; first: number | string }[] = await db('import_job_lines')
    .where('job_id', jobId)
    .whereIn('group_key', numbers)
    .groupBy('group_key')
    .select('group_key')
    .min({ first: 'line_number' });
  return new Map(rows.map((r) => [r.group_key, Number(r.first)]));
}

/** Turns the valid lines of a décompte met again later in the file into errors; returns how many. */
export async function rejectEarlierGroup(db: Db, jobId: number, number: string, errors: string): Promise<number> {
  return db('import_job_lines').where({ job_id: jobId, group_key: number, status: 'valid' }).update({ status: 'error', errors });
}

export async function findFeedJob(db: Db, jobId: number): Promise<ImportJobRow | undefined> {
  return db('import_jobs').where({ id: jobId, kind: 'statements' }).first();
}

/** What a valid line of the preview keeps for the load (import_job_lines.data). */
export interface FeedLineData {
  number: string;
  memberNumber: string;
  statementDate: string;
  statementPaymentDate: string;
  memberId: number;
  beneficiaryId: number;
  careDate: string;
  careType: string;
  careLabel: string;
  professional: string | null;
  fraisReelsCents: number;
  baseCents: number;
  ssCents: number;
  complementaryCents: number;
  paidTo: 'assure' | 'tiers';
  paymentDate: string;
}

export interface FeedLoadResult {
  statements: number;
  lines: number;
  /** Décomptes of the preview loaded meanwhile by another feed: skipped. */
  skipped: number;
  members: number;
}

const LOAD_BATCH = 1000;

function rateOf(line: FeedLineData): number {
  return line.baseCents > 0 ? Math.round((line.ssCents * 100) / line.baseCents) : 0;
}

/**
 * « Charger »: the valid lines of the preview become décomptes and their lines, all in one
 * transaction (all or nothing), read by pages of the preview so memory stays flat. The job is
 * claimed first (preview → importing, one statement), so a second click loads nothing; a décompte
 * number loaded meanwhile by another feed is skipped whole (the unique index on statements.number
 * decides). Returns null when the job was not in preview.
 */
export async function loadFeed(db: Db, jobId: number, now: Date): Promise<FeedLoadResult | null> {
  const iso = now.toISOString();
  const claimed = await db('import_jobs').where({ id: jobId, kind: 'statements', status: 'preview' }).update({ status: 'importing', updated_at: iso });
  if (!claimed) return null;
  // The transaction writes the job only at its end: on PostgreSQL, where other connections go on
  // meanwhile, the job's updated_at is kept fresh beside it so that the periodic job that fails
  // interrupted imports (src/jobs.ts, silent for 10 minutes) leaves a long load alone. SQLite's
  // only connection is the transaction's until it ends: nothing else runs there meanwhile.
  const heartbeat = isPostgres(db)
    ? setInterval(() => {
        db('import_jobs')
          .where({ id: jobId, status: 'importing' })
          .update({ updated_at: new Date().toISOString() })
          .catch((err) => console.error(`Suivi du chargement du flux ${jobId} en échec :`, (err as Error).name));
      }, 60_000).unref()
    : null;
  try {
    const result = await db.transaction(async (trx) => {
      const counts: FeedLoadResult = { statements: 0, lines: 0, skipped: 0, members: 0 };
      // The décompte the previous page ended in (its lines are consecutive), and whether it was kept.
      let open = { number: '', id: null as number | null };
      let after = 0;
      for (;;) {
        const rows: { line_number: number; data: string }[] = await trx('import_job_lines')
          .where({ job_id: jobId, status: 'valid' })
          .where('line_number', '>', after)
          .orderBy('line_number')
          .limit(LOAD_BATCH)
          .select('line_number', 'data');
        if (!rows.length) break;
        after = rows[rows.length - 1].line_number;
        const lines = rows.map((r) => JSON.parse(r.data) as FeedLineData);
        const firsts = new Map<string, FeedLineData>();
        for (const line of lines) if (line.number !== open.number && !firsts.has(line.number)) firsts.set(line.number, line);
        const ids = new Map<string, number>();
        const fresh = [...firsts.values()];
        for (let i = 0; i < fresh.length; i += 150) {
          const inserted: { id: number; number: string }[] = await trx('statements')
            .insert(
              fresh.slice(i, i + 150).map((l) => ({
                member_id: l.memberId,
                number: l.number,
                statement_date: l.statementDate,
                payment_date: l.statementPaymentDate,
                import_job_id: jobId,
                created_at: iso,
              })),
            )
            .onConflict('number')
            .ignore()
            .returning(['id', 'number']);
          for (const row of inserted) ids.set(row.number, Number(row.id));
        }
        counts.statements += ids.size;
        counts.skipped += firsts.size - ids.size;
        const kept = lines.flatMap((l) => {
          const id = l.number === open.number ? open.id : (ids.get(l.number) ?? null);
          return id === null ? [] : [{ line: l, id }];
        });
        for (let i = 0; i < kept.length; i += 50) {
          await trx('statement_lines').insert(
            kept.slice(i, i + 50).map(({ line: l, id }) => ({
              statement_id: id,
              member_id: l.memberId,
              beneficiary_id: l.beneficiaryId,
              care_date: l.careDate,
              care_type: l.careType,
              care_label: l.careLabel,
              professional_name: l.professional,
              quantity: 1,
              frais_reels_cents: l.fraisReelsCents,
              base_remboursement_cents: l.baseCents,
              rate_percent: rateOf(l),
              ss_amount_cents: l.ssCents,
              complementary_amount_cents: l.complementaryCents,
              deductions_cents: 0,
              reste_a_charge_cents: l.fraisReelsCents - l.ssCents - l.complementaryCents,
              paid_to: l.paidTo,
              payment_date: l.paymentDate,
            })),
          );
        }
        counts.lines += kept.length;
        const last = lines[lines.length - 1];
        open = { number: last.number, id: last.number === open.number ? open.id : (ids.get(last.number) ?? null) };
      }
      const [{ n }] = await trx('statements').where('import_job_id', jobId).countDistinct({ n: 'member_id' });
      counts.members = Number(n);
      await trx('import_jobs')
        .where({ id: jobId })
        .update({ status: 'done', processed_count: counts.lines, result: JSON.stringify(counts), finished_at: iso, updated_at: iso });
      return counts;
    });
    return result;
  } catch (err) {
    // Nothing of the transaction is kept; the job says it failed instead of staying « importing ».
    await db('import_jobs')
      .where({ id: jobId })
      .update({ status: 'failed', result: JSON.stringify({ message: FEED_LOAD_FAILED }), finished_at: iso, updated_at: iso });
    throw err;
  } finally {
    if (heartbeat) clearInterval(heartbeat);
  }
}

/** « Annuler » (or a command line that loads nothing): the preview is dropped. */
export async function cancelFeed(db: Db, jobId: number, now: Date): Promise<boolean> {
  const iso = now.toISOString();
  const updated = await db('import_jobs')
    .where({ id: jobId, kind: 'statements', status: 'preview' })
    .update({ status: 'cancelled', finished_at: iso, updated_at: iso });
  if (updated) await db('import_job_lines').where({ job_id: jobId }).delete();
  return updated > 0;
}

const FEED_LOAD_FAILED = "Le chargement a échoué : aucun décompte n'a été enregistré. Envoyez de nouveau le fichier.";

export interface MemberToNotify {
  member_id: number;
  first_name: string;
  email: string | null;
}

/**
 * The members with a décompte in the feed, by pages (member id after `after`), with the address
 * to write to: their active account's, else the one on their file.
 */
export async function membersOfFeed(db: Db, jobId: number, after: number, limit: number): Promise<MemberToNotify[]> {
  return db('members as m')
    .whereIn('m.id', db('statements').where('import_job_id', jobId).select('member_id'))
    .where('m.id', '>', after)
    .leftJoin('accounts as a', function () {
      this.on('a.member_id', 'm.id')
        .andOn('a.kind', db.raw('?', ['member']))
        .andOn('a.status', db.raw('?', ['active']));
    })
    .orderBy('m.id')
    .limit(limit)
    .select('m.id as member_id', 'm.first_name', db.raw('coalesce(a.email, m.email) as email'));
}

export interface FeedHistoryRow {
  id: number;
  file_name: string;
  status: ImportJobRow['status'];
  total_lines: number;
  valid_count: number;
  existing_count: number;
  error_count: number;
  result: string | null;
  created_at: string;
  finished_at: string | null;
  first_name: string;
  last_name: string;
}

export async function feedHistoryCount(db: Db): Promise<number> {
  const [{ n }] = await db('import_jobs').where('kind', 'statements').count({ n: '*' });
  return Number(n);
}

export async function feedHistoryPage(db: Db, page: number, pageSize: number): Promise<FeedHistoryRow[]> {
  return db('import_jobs as j')
    .join('accounts as a', 'a.id', 'j.account_id')
    .where('j.kind', 'statements')
    .orderBy('j.created_at', 'desc')
    .orderBy('j.id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .select(
      'j.id',
      'j.file_name',
      'j.status',
      'j.total_lines',
      'j.valid_count',
      'j.existing_count',
      'j.error_count',
      'j.result',
      'j.created_at',
      'j.finished_at',
      'a.first_name',
      'a.last_name',
    );
}

/** The feeds sent since `sinceIso` (the Tableau de bord: today's, from midnight in Paris): how many, and how many lines in error. */
export async function feedsSince(db: Db, sinceIso: string): Promise<{ feeds: number; loaded: number; errorLines: number; failed: number }> {
  const rows: { status: string; n: number | string; errors: number | string | null }[] = await db('import_jobs')
    .where('kind', 'statements')
    .where('created_at', '>=', sinceIso)
    .groupBy('status')
    .select('status')
    .count({ n: '*' })
    .sum({ errors: 'error_count' });
  let feeds = 0;
  let loaded = 0;
  let errorLines = 0;
  let failed = 0;
  for (const r of rows) {
    feeds += Number(r.n);
    errorLines += Number(r.errors ?? 0);
    if (r.status === 'done') loaded += Number(r.n);
    if (r.status === 'failed') failed += Number(r.n);
  }
  return { feeds, loaded, errorLines, failed };
}

/** The staff account a command-line load is recorded under: the one named, else the first superviseur, else the first staff account. */
export async function feedAccount(db: Db, email: string | null): Promise<{ id: number; email: string } | undefined> {
  const query = db('accounts').where({ kind: 'staff', status: 'active' });
  if (email) return query.where('email', email.toLowerCase()).first('id', 'email');
  return query.orderByRaw("case when staff_role = 'superviseur' then 0 else 1 end").orderBy('id').first('id', 'email');
}

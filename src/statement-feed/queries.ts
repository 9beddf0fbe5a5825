// Knex only: what the décompte feed checks a batch of lines against (members, their beneficiaries,
// the décomptes already loaded, the décomptes met earlier in the same file), the load itself (staged
// by short transactions, applied by one), and the feeds' history for the Espace Gestion.
import type { Db } from '../db.js';
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

/** Preview lines copied to the staging table per short transaction. */
const STAGE_CHUNK = 1000;

function rateOf(line: FeedLineData): number {
  return line.baseCents > 0 ? Math.round((line.ssCents * 100) / line.baseCents) : 0;
}

/** The job was marked failed while it loaded (src/jobs.ts, fail-interrupted-imports): stop, keep nothing. */
class FeedLoadInterrupted extends Error {
  override name = 'FeedLoadInterrupted';
}

/**
 * « Charger »: the valid lines of the preview become décomptes and their lines, all or nothing,
 * without holding the database for the whole load (on SQLite, its only connection: every page
 * would wait). Three steps:
 * 1. the job is claimed (preview → importing, one statement), so a second click loads nothing;
 * 2. the preview's lines are copied, typed, into statement_feed_staging by short transactions of
 *    STAGE_CHUNK lines, each also renewing the job's updated_at (so the periodic job that fails
 *    silent imports leaves it alone) and stopping if the job was failed meanwhile — between two
 *    of them the event loop turns and other requests run; nobody reads the staging table, so
 *    nothing shows yet;
 * 3. one transaction applies them (applyStagedFeed: INSERT … SELECT), marks the job done and
 *    sets its members' emails due (notify_after, read by notifyFeedMembers in
 *    src/statement-feed/feed.ts) — the only step that makes anything visible.
 * A décompte number loaded meanwhile by another feed is skipped whole (the unique index on
 * statements.number decides). On a failure the job is marked failed; the staging rows are deleted
 * at the end whatever happened, and those of a process that died are deleted by
 * purgeStaleFeedStaging once its job is marked failed. Returns null when the job was not in preview.
 */
export async function loadFeed(db: Db, jobId: number, now: Date, options: { chunkLines?: number } = {}): Promise<FeedLoadResult | null> {
  const iso = now.toISOString();
  const claimed = await db('import_jobs').where({ id: jobId, kind: 'statements', status: 'preview' }).update({ status: 'importing', updated_at: iso });
  if (!claimed) return null;
  try {
    await stageFeed(db, jobId, options.chunkLines ?? STAGE_CHUNK);
    return await applyStagedFeed(db, jobId, now);
  } catch (err) {
    // Nothing of the feed is visible; the job says it failed instead of staying « importing ».
    await db('import_jobs')
      .where({ id: jobId, status: 'importing' })
      .update({ status: 'failed', result: JSON.stringify({ message: FEED_LOAD_FAILED }), finished_at: iso, updated_at: iso });
    throw err;
  } finally {
    await deleteFeedStaging(db, jobId);
  }
}

/** Step 2 of loadFeed: the preview's valid lines into statement_feed_staging, by short transactions. */
export async function stageFeed(db: Db, jobId: number, chunkLines = STAGE_CHUNK): Promise<void> {
  let previous = '';
  let after = 0;
  for (;;) {
    const rows: { line_number: number; data: string }[] = await db('import_job_lines')
      .where({ job_id: jobId, status: 'valid' })
      .where('line_number', '>', after)
      .orderBy('line_number')
      .limit(chunkLines)
      .select('line_number', 'data');
    if (!rows.length) return;
    after = rows[rows.length - 1].line_number;
    const staged = rows.map((r) => {
      const l = JSON.parse(r.data) as FeedLineData;
      const opens = l.number !== previous;
      previous = l.number;
      return {
        job_id: jobId,
        line_number: r.line_number,
        opens_statement: opens ? 1 : 0,
        number: l.number,
        member_id: l.memberId,
        statement_date: l.statementDate,
        statement_payment_date: l.statementPaymentDate,
        beneficiary_id: l.beneficiaryId,
        care_date: l.careDate,
        care_type: l.careType,
        care_label: l.careLabel,
        professional_name: l.professional,
        frais_reels_cents: l.fraisReelsCents,
        base_remboursement_cents: l.baseCents,
        rate_percent: rateOf(l),
        ss_amount_cents: l.ssCents,
        complementary_amount_cents: l.complementaryCents,
        reste_a_charge_cents: l.fraisReelsCents - l.ssCents - l.complementaryCents,
        paid_to: l.paidTo,
        payment_date: l.paymentDate,
      };
    });
    await db.transaction(async (trx) => {
      const alive = await trx('import_jobs').where({ id: jobId, status: 'importing' }).update({ updated_at: new Date().toISOString() });
      if (!alive) throw new FeedLoadInterrupted(`feed ${jobId} is no longer importing`);
      // 21 columns × 45 rows stays under every driver's limit of bound values.
      for (let i = 0; i < staged.length; i += 45) await trx('statement_feed_staging').insert(staged.slice(i, i + 45));
    });
    // better-sqlite3 answers synchronously: without a turn of the event loop here, the chunks
    // would follow each other in microtasks and no request could even be read meanwhile.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Step 3 of loadFeed: the staged lines into statements and statement_lines, in one transaction. */
async function applyStagedFeed(db: Db, jobId: number, now: Date): Promise<FeedLoadResult> {
  const iso = now.toISOString();
  return db.transaction(async (trx) => {
    // The job first: on PostgreSQL its row stays locked until the commit, so a feed failed
    // meanwhile by another instance is never applied, and two appliers cannot both pass.
    const claimed = await trx('import_jobs').where({ id: jobId, status: 'importing' }).update({ updated_at: iso });
    if (!claimed) throw new FeedLoadInterrupted(`feed ${jobId} is no longer importing`);
    // ORDER BY keeps the décomptes' ids in the file's order; the WHERE before ON CONFLICT is
    // what SQLite needs to parse an upsert on a SELECT.
    await trx.raw(
      `insert into statements (member_id, number, statement_date, payment_date, import_job_id, created_at)
       select member_id, number, statement_date, statement_payment_date, ?, ?
       from statement_feed_staging where job_id = ? and opens_statement = 1 order by line_number
       on conflict (number) do nothing`,
      [jobId, iso, jobId],
    );
    // Only the lines of the décomptes this feed inserted: one loaded meanwhile by another feed has
    // another import_job_id and is skipped whole.
    await trx.raw(
      `insert into statement_lines (statement_id, member_id, beneficiary_id, care_date, care_type, care_label, professional_name, quantity,
         frais_reels_cents, base_remboursement_cents, rate_percent, ss_amount_cents, complementary_amount_cents, deductions_cents,
         reste_a_charge_cents, paid_to, payment_date)
       select s.id, st.member_id, st.beneficiary_id, st.care_date, st.care_type, st.care_label, st.professional_name, 1,
         st.frais_reels_cents, st.base_remboursement_cents, st.rate_percent, st.ss_amount_cents, st.complementary_amount_cents, 0,
         st.reste_a_charge_cents, st.paid_to, st.payment_date
       from statement_feed_staging st join statements s on s.number = st.number
       where st.job_id = ? and s.import_job_id = ? order by st.line_number`,
      [jobId, jobId],
    );
    const [[{ statements, members }], [{ lines }], [{ opened }]] = await Promise.all([
      trx('statements').where('import_job_id', jobId).select(trx.raw('count(*) as statements'), trx.raw('count(distinct member_id) as members')),
      trx('statement_lines').whereIn('statement_id', trx('statements').where('import_job_id', jobId).select('id')).count({ lines: '*' }),
      trx('statement_feed_staging').where({ job_id: jobId, opens_statement: 1 }).count({ opened: '*' }),
    ]);
    const counts: FeedLoadResult = {
      statements: Number(statements),
      lines: Number(lines),
      skipped: Number(opened) - Number(statements),
      members: Number(members),
    };
    // notify_after = 0: every member of the feed is still to be told, durably with the lines.
    await trx('import_jobs')
      .where({ id: jobId })
      .update({ status: 'done', processed_count: counts.lines, result: JSON.stringify(counts), finished_at: iso, updated_at: iso, notify_after: 0 });
    return counts;
  });
}

/** The staging rows of a feed, by slices so that no one statement holds the database long. */
async function deleteFeedStaging(db: Db, jobId: number): Promise<void> {
  for (;;) {
    const deleted = await db('statement_feed_staging')
      .where('job_id', jobId)
      .whereIn('line_number', db('statement_feed_staging').where('job_id', jobId).orderBy('line_number').limit(5000).select('line_number'))
      .delete();
    if (!deleted) return;
  }
}

/**
 * Staging rows left by a load whose process died (its job was since marked failed by
 * failInterruptedImports) or that stopped before its clean-up: deleted, for every job no longer
 * « importing ». Run by src/jobs.ts at start-up and then periodically. Returns the jobs cleaned.
 */
export async function purgeStaleFeedStaging(db: Db): Promise<number> {
  // From the jobs (a few hundred rows), each probed by the staging table's key: no scan of a staging
  // table that may hold a running load's 500,000 lines.
  const stale: { id: number }[] = await db('import_jobs as j')
    .where('j.kind', 'statements')
    .whereNot('j.status', 'importing')
    .whereExists(db('statement_feed_staging as s').whereRaw('s.job_id = j.id').select(db.raw('1')))
    .select('j.id');
  for (const { id } of stale) await deleteFeedStaging(db, id);
  return stale.length;
}

/**
 * A load refreshes its job at every staged chunk, and its last transaction holds the job's row (and,
 * on SQLite, the database) until it commits: a feed « importing » but silent this long was left by a
 * process that stopped, so waiting for the 10-minute rule of failInterruptedImports is not needed.
 */
export const FEED_SILENCE_MS = 60_000;

const FEED_LOAD_INTERRUPTED = "Le chargement du flux a été interrompu : aucun décompte n'a été enregistré. Envoyez de nouveau le fichier.";

/** Feeds whose load stopped with its process: marked failed (then purgeStaleFeedStaging deletes their staging rows). */
export async function failSilentFeedLoads(db: Db, now: Date): Promise<number> {
  const iso = now.toISOString();
  return db('import_jobs')
    .where({ kind: 'statements', status: 'importing' })
    .where('updated_at', '<', new Date(now.getTime() - FEED_SILENCE_MS).toISOString())
    .update({ status: 'failed', result: JSON.stringify({ message: FEED_LOAD_INTERRUPTED }), finished_at: iso, updated_at: iso });
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

/** The loaded feeds with members still to be told (import_jobs.notify_after set). */
export async function feedsToNotify(db: Db): Promise<number[]> {
  const rows: { id: number }[] = await db('import_jobs').where({ kind: 'statements', status: 'done' }).whereNotNull('notify_after').orderBy('id').select('id');
  return rows.map((r) => r.id);
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

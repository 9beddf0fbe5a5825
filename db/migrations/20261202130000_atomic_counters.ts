// What lets every limiting counter change in one statement before the work it guards (issue #11,
// A4 and A5):
// - throttle.previous_failure_at: an attempt is counted before the password is checked; one that
//   turns out right gives its count back and, if no attempt came after it, the key gets back its
//   previous last failure (src/domain/throttle.ts, refundAttempt).
// - spent_challenges: an anti-robot question is spent in the database, by the one request that
//   inserts its nonce; requests sharing a session at the same moment all read it in their copy of
//   the session (src/domain/anti-robot-store.ts).
// - one live one-time code per journey and person: two requests at the same moment cannot both
//   issue a code (and send two SMS) past the once-a-minute limit; the second one's insert fails
//   (src/domain/codes.ts, issueCode). Older duplicates (from that race) are first marked consumed,
//   the newest kept.
import type { Knex } from 'knex';

const LIVE_CODE_SUBJECTS = [
  { name: 'one_time_codes_live_account_unique', columns: 'purpose, account_id', where: 'account_id IS NOT NULL' },
  { name: 'one_time_codes_live_member_unique', columns: 'purpose, member_id', where: 'account_id IS NULL AND member_id IS NOT NULL' },
  { name: 'one_time_codes_live_destination_unique', columns: 'purpose, destination', where: 'account_id IS NULL AND member_id IS NULL' },
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('throttle', (t) => {
    t.string('previous_failure_at', 24).nullable();
  });
  await knex.schema.createTable('spent_challenges', (t) => {
    t.string('nonce', 64).primary();
    t.string('spent_at', 24).notNullable().index();
  });
  for (const subject of LIVE_CODE_SUBJECTS) {
    const columns = subject.columns.split(', ');
    await knex('one_time_codes')
      .whereNull('consumed_at')
      .whereRaw(subject.where)
      .whereExists(function newer() {
        this.from('one_time_codes as newer')
          .whereNull('newer.consumed_at')
          .whereRaw('newer.id > one_time_codes.id')
          .whereRaw(subject.where.replace(/\b(account_id|member_id)\b/g, 'newer.$1'))
          .where((q) => {
            for (const column of columns) q.whereRaw(`newer.${column} = one_time_codes.${column}`);
          });
      })
      .update({ consumed_at: knex.ref('created_at') });
    await knex.raw(`CREATE UNIQUE INDEX ${subject.name} ON one_time_codes (${subject.columns}) WHERE consumed_at IS NULL AND ${subject.where}`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const subject of LIVE_CODE_SUBJECTS) await knex.raw(`DROP INDEX ${subject.name}`);
  await knex.schema.dropTable('spent_challenges');
  await knex.schema.alterTable('throttle', (t) => {
    t.dropColumn('previous_failure_at');
  });
}

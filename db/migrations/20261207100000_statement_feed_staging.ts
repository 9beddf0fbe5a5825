// The décompte feed's load without holding the database (docs/domain.md#the-décompte-feed):
// - statement_feed_staging: the valid lines of a feed being loaded, copied from the preview by
//   short transactions (each releasing SQLite's only connection), then applied to statements and
//   statement_lines by one INSERT … SELECT transaction. Nobody reads it but the load; rows of a
//   feed no longer « importing » (done, failed after a crash) are deleted by src/jobs.ts. No
//   foreign key: the checks happen when the rows reach the real tables.
// - import_jobs.notify_after: the durable mark of a loaded feed's emails, set by the load's own
//   transaction — the members with an id above it are still to be told (null: nobody left).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('statement_feed_staging', (t) => {
    t.integer('job_id').notNullable();
    t.integer('line_number').notNullable();
    /** 1 on the first line of its décompte (the lines of one décompte follow each other). */
    t.integer('opens_statement').notNullable();
    t.string('number', 20).notNullable();
    t.integer('member_id').notNullable();
    t.string('statement_date', 10).notNullable();
    t.string('statement_payment_date', 10).notNullable();
    t.integer('beneficiary_id').notNullable();
    t.string('care_date', 10).notNullable();
    t.string('care_type', 40).notNullable();
    t.string('care_label', 120).notNullable();
    t.string('professional_name', 200).nullable();
    t.integer('frais_reels_cents').notNullable();
    t.integer('base_remboursement_cents').notNullable();
    t.integer('rate_percent').notNullable();
    t.integer('ss_amount_cents').notNullable();
    t.integer('complementary_amount_cents').notNullable();
    t.integer('reste_a_charge_cents').notNullable();
    t.string('paid_to', 10).notNullable();
    t.string('payment_date', 10).notNullable();
    t.primary(['job_id', 'line_number']);
  });
  await knex.schema.alterTable('import_jobs', (t) => {
    t.integer('notify_after').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('import_jobs', (t) => {
    t.dropColumn('notify_after');
  });
  await knex.schema.dropTable('statement_feed_staging');
}

// Analyses of uploaded files running at once, across every instance of the portal: one row per
// slot held ('all:1' … 'all:N' for the portal, 'account:<id>' for one HR user), reserved by an
// upsert that only takes a free or expired slot, renewed while the analysis runs and deleted
// when it ends. A process that dies leaves its rows: they expire (expires_at), and the jobs they
// held are then marked failed (src/entreprise/establishments/queries.ts).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('import_analysis_slots', (t) => {
    t.string('slot', 40).primary();
    // The reservation: a random token, so that only its holder renews or releases it.
    t.string('holder', 32).notNullable();
    t.integer('job_id').unsigned().notNullable().references('id').inTable('import_jobs').onDelete('CASCADE');
    t.string('expires_at', 24).notNullable();
    t.index(['job_id']);
    t.index(['holder']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('import_analysis_slots');
}

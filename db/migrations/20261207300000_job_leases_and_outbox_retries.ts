// Several instances on one database (issue #17, parts 8 and 9):
// - job_leases: one row per periodic job (src/jobs.ts). An instance runs a job only after taking
//   its lease in one statement (insert, or take over a lease whose time is over): exactly one
//   instance runs each job per period (src/stores/job-leases.ts).
// - outbox.next_attempt_at: when a message waiting to be sent (status « pending ») is tried next,
//   or until when the instance sending it (status « sending ») holds it; retries back off
//   exponentially and a message refused too many times is « dead » (src/stores/outbox.ts).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('job_leases', (t) => {
    t.string('name', 60).primary();
    t.string('holder', 100).notNullable();
    t.string('expires_at', 24).notNullable();
    t.string('started_at', 24).notNullable();
  });
  await knex.schema.alterTable('outbox', (t) => {
    t.string('next_attempt_at', 24).nullable();
    t.index(['status', 'next_attempt_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.dropIndex(['status', 'next_attempt_at']);
    t.dropColumn('next_attempt_at');
  });
  await knex.schema.dropTable('job_leases');
}

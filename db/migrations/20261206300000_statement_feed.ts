// The décompte feed (docs/domain.md#the-décompte-feed): an analysed line remembers its décompte
// number, so that a number met again further down a 500,000-line file is found by the index
// instead of a set held in memory; the Espace Gestion's history and the Tableau de bord read the
// feeds by kind and date.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('import_job_lines', (t) => {
    t.string('group_key', 40).nullable();
    t.index(['job_id', 'group_key'], 'import_job_lines_job_group_key_index');
  });
  await knex.schema.alterTable('import_jobs', (t) => {
    t.index(['kind', 'created_at'], 'import_jobs_kind_created_at_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('import_jobs', (t) => {
    t.dropIndex([], 'import_jobs_kind_created_at_index');
  });
  await knex.schema.alterTable('import_job_lines', (t) => {
    t.dropIndex([], 'import_job_lines_job_group_key_index');
    t.dropColumn('group_key');
  });
}

// The « Messagerie » icon's badge of the Espace Entreprise is counted on every full page
// (src/correspondence/queries.ts, unreadThreadCount): the HR threads of the account's companies
// with an insurer message. This index holds every column the count reads from message_threads, so
// it walks the index for each company and never reads the threads' rows (half the CPU on the
// bench database for an administrator of 43 companies and ~1,960 threads).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('message_threads', (t) => {
    t.index(['owner_kind', 'company_id', 'last_staff_message_at', 'subject_member_id', 'id'], 'message_threads_hr_unread_badge_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('message_threads', (t) => {
    t.dropIndex([], 'message_threads_hr_unread_badge_index');
  });
}

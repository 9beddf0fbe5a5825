// The staff inbox's queues by nature and by assignee (the Tableau de bord counts each, and its
// late part; the « Télétransmission » page lists one nature): the indexes of
// 20261203100000_correspondence.ts could not serve them at the bench's scale (≈ 200,000 requests and
// threads). (kind, object, status, created_at) needs the object to reach the status, so a count by
// kind read every row of the kind; (assigned_account_id, status, created_at) lacks expected_day, so
// « late » read the rows. Each index below holds every column its count reads (answered from the
// index alone) or its list orders by, once per status (src/correspondence/queries.ts, staffInbox).
// Measured on the scale-334 bench database (SQLite, one page at a time, warm): the Tableau de bord
// 370–470 ms → 47–76 ms; « Demandes de remboursement » in retard 160–220 ms → 12–23 ms.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('requests', (t) => {
    t.index(['kind', 'status', 'created_at'], 'requests_kind_status_created_at_index');
    t.index(['kind', 'status', 'expected_day'], 'requests_kind_status_expected_day_index');
    t.index(['assigned_account_id', 'status', 'expected_day'], 'requests_assigned_status_expected_day_index');
  });
  await knex.schema.alterTable('message_threads', (t) => {
    t.index(['owner_kind', 'status', 'expected_day'], 'message_threads_owner_kind_status_expected_day_index');
    t.index(['assigned_account_id', 'status', 'expected_day'], 'message_threads_assigned_status_expected_day_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('requests', (t) => {
    t.dropIndex([], 'requests_kind_status_created_at_index');
    t.dropIndex([], 'requests_kind_status_expected_day_index');
    t.dropIndex([], 'requests_assigned_status_expected_day_index');
  });
  await knex.schema.alterTable('message_threads', (t) => {
    t.dropIndex([], 'message_threads_owner_kind_status_expected_day_index');
    t.dropIndex([], 'message_threads_assigned_status_expected_day_index');
  });
}

// Personal-data rights (RGPD art. 15, 17, 20 — docs/domain.md#personal-data-rights):
// - data_exports: one « Télécharger mes données » request of an account. A background job claims a
//   pending row (status → building, in one UPDATE), writes the ZIP under UPLOAD_DIR/exports, and
//   marks it ready until `expires_at`. The download is one UPDATE ready → downloaded: only one
//   request can win it, and the file is deleted once sent. `open_key` holds the account id while
//   the request is pending or building (null after): its unique index makes « at most one
//   request in preparation per account » a rule of the database, not of a read-then-insert.
// - erasure_requests: an account's request to be erased, processed by a superviseur
//   (/gestion/donnees-personnelles); `open_key` likewise allows one pending request per account.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('data_exports', (t) => {
    t.increments('id').primary();
    t.integer('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE');
    t.integer('open_key').nullable().unique();
    /** pending | building | ready | downloaded | expired | failed */
    t.string('status', 12).notNullable();
    t.string('requested_at', 24).notNullable();
    t.string('claimed_at', 24).nullable();
    t.string('ready_at', 24).nullable();
    t.string('expires_at', 24).nullable();
    t.string('downloaded_at', 24).nullable();
    /** The ZIP's name in UPLOAD_DIR/exports while it is on disk; null once deleted. */
    t.string('stored_name', 100).nullable().unique();
    t.bigInteger('size_bytes').nullable();
    t.index(['account_id', 'id']);
    t.index(['status', 'expires_at']);
  });
  await knex.schema.createTable('erasure_requests', (t) => {
    t.increments('id').primary();
    t.integer('account_id').nullable().references('id').inTable('accounts').onDelete('SET NULL');
    t.string('account_kind', 10).notNullable();
    t.integer('open_key').nullable().unique();
    /** pending | accepted | refused */
    t.string('status', 10).notNullable();
    t.text('message').nullable();
    t.string('requested_at', 24).notNullable();
    t.string('decided_at', 24).nullable();
    t.integer('decided_by_account_id').nullable().references('id').inTable('accounts').onDelete('SET NULL');
    t.text('decision_reason').nullable();
    t.index(['status', 'requested_at']);
    t.index(['account_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('erasure_requests');
  await knex.schema.dropTable('data_exports');
}

// What makes sending a correspondence form safe when it is sent twice at once (issue #13 review):
// - pending_uploads: the files received with a form that came back with an error, kept for its
//   next sending (they were kept in the session, which express-session saves whole at the end of
//   each request: two submissions both read them, and a stale copy could bring them back). A
//   submission takes them out in one DELETE … RETURNING: only one request ever holds a kept file
//   (src/correspondence/pending-uploads.ts).
// - form_sends: the one-time token of each sending of a form (a hidden field), spent by the one
//   request that inserts it; a double click sends once, and the second request is told where the
//   first one's result is (`location`, once it is written).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('pending_uploads', (t) => {
    t.increments('id').primary();
    t.integer('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE');
    /** Which form: « remboursement », « demande-12 », « /assure/messagerie/nouveau »… */
    t.string('form', 80).notNullable();
    /** What the form's checkbox sends: random, so no stored name leaves the server. */
    t.string('key', 32).notNullable().unique();
    t.string('folder', 20).notNullable();
    t.string('stored_name', 100).notNullable().unique();
    t.string('original_name', 255).notNullable();
    t.string('mime', 100).notNullable();
    t.integer('size_bytes').notNullable();
    t.string('created_at', 24).notNullable().index();
    t.index(['account_id', 'form']);
  });
  await knex.schema.createTable('form_sends', (t) => {
    t.integer('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE');
    t.string('token', 32).notNullable();
    t.string('spent_at', 24).notNullable().index();
    /** The page of what the sending created, once written. */
    t.string('location', 200).nullable();
    t.primary(['account_id', 'token']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('form_sends');
  await knex.schema.dropTable('pending_uploads');
}

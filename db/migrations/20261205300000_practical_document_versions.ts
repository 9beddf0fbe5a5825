// Documents pratiques managed by the insurer's staff (/gestion/documents, docs/domain.md#documents-pratiques):
// - practical_documents.version: the number of the version shown (its file columns are that
//   version's); a replacement moves it by one in the UPDATE that swaps the file, so two
//   replacements at once get two numbers.
// - practical_documents.withdrawn_at / withdrawn_by: a withdrawn document is no longer listed nor
//   downloadable in the Espace Entreprise; staff may restore it.
// - practical_document_versions: every version of a document's file, the current one included
//   (its stored name is the same file as the document's), with who sent it and when. Existing
//   documents get their version 1.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('practical_documents', (t) => {
    t.integer('version').notNullable().defaultTo(1);
    t.string('withdrawn_at', 24).nullable();
    t.index(['category', 'title']);
  });
  // A plain ADD COLUMN: Knex adds a foreign key on SQLite by rebuilding the table (see
  // db/migrations/20261203100000_correspondence.ts, addForeignKey).
  if (!(await knex.schema.hasColumn('practical_documents', 'withdrawn_by'))) {
    await knex.raw('ALTER TABLE practical_documents ADD COLUMN withdrawn_by integer NULL REFERENCES accounts (id) ON DELETE SET NULL');
  }
  await knex.schema.createTable('practical_document_versions', (t) => {
    t.increments('id');
    t.integer('document_id').unsigned().notNullable().references('id').inTable('practical_documents').onDelete('CASCADE');
    t.integer('version').notNullable();
    t.string('original_name', 255).notNullable();
    t.string('stored_name', 100).notNullable().unique();
    t.string('mime', 100).notNullable();
    t.integer('size_bytes').notNullable();
    t.string('uploaded_at', 24).notNullable();
    t.integer('uploaded_by').unsigned().nullable().references('id').inTable('accounts').onDelete('SET NULL');
    t.unique(['document_id', 'version']);
    t.index(['uploaded_by']);
  });
  await knex.raw(
    `INSERT INTO practical_document_versions (document_id, version, original_name, stored_name, mime, size_bytes, uploaded_at, uploaded_by)
     SELECT id, version, original_name, stored_name, mime, size_bytes, published_at, NULL FROM practical_documents`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('practical_document_versions');
  await knex.schema.alterTable('practical_documents', (t) => {
    t.dropIndex(['category', 'title']);
    t.dropColumn('withdrawn_at');
    t.dropColumn('version');
  });
  // withdrawn_by stays on SQLite (dropping a referencing column rebuilds the table); PostgreSQL drops it.
  if (knex.client.config.client === 'pg') await knex.raw('ALTER TABLE practical_documents DROP COLUMN withdrawn_by');
}

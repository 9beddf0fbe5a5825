// The link an HR user receives when an administrator adds their existing account to another
// company: it refuses that one access (src/entreprise/habilitations/refusal.ts). The link is a
// link_tokens row of purpose 'access_refusal' tied to the habilitation it removes; the token
// goes when the habilitation goes.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('link_tokens', (t) => {
    t.integer('habilitation_id').unsigned().nullable().references('id').inTable('hr_habilitations').onDelete('CASCADE');
    t.index(['habilitation_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('link_tokens', (t) => {
    t.dropIndex(['habilitation_id']);
    t.dropForeign(['habilitation_id']);
    t.dropColumn('habilitation_id');
  });
}

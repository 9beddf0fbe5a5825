// « Assurés » of the Espace Gestion finds a member by the NIR of any person of the family, not only
// the member's own (src/gestion/members/queries.ts): the beneficiaries' NIR gets the index the
// members' has, so the search stays two index look-ups instead of a scan of every beneficiary.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('beneficiaries', (t) => {
    t.index(['nir'], 'beneficiaries_nir_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('beneficiaries', (t) => {
    t.dropIndex([], 'beneficiaries_nir_index');
  });
}

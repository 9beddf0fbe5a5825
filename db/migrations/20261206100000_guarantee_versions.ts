// A contract's guarantee table is versioned by date d'effet (docs/domain.md#guarantee-versions):
// each guarantee line holds the days it is in force, effective_from .. effective_to (both
// included, YYYY-MM-DD). A line with no effective_from is in force from the contract's start, one
// with no effective_to until its end: every line written before this migration is so, unchanged.
// A new version from a day D closes the lines in force on D (effective_to = D − 1) and adds its
// own from D, so a change effective next January never rewrites this year's table.
// Every reader asks for the version in force on the day it cares about (src/contracts/queries.ts).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('guarantee_lines', (t) => {
    t.string('effective_from', 10).nullable();
    t.string('effective_to', 10).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('guarantee_lines', (t) => {
    t.dropColumn('effective_from');
    t.dropColumn('effective_to');
  });
}

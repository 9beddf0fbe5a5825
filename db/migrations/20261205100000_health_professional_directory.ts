// The health professionals directory of « Professionnels de santé » (/assure/professionnels),
// loaded by `npm run import:professionnels` (src/professionals/import.ts):
// - `identifier`: the RPPS number (11 digits, a person) or the FINESS number (9 characters, an
//   establishment: pharmacy, laboratory, centre, hospital), unique — an import updates the row of a
//   number it already holds. Nullable only for rows written before this migration (the demo seed of
//   20261122090000, which `npm run seed -- --reset` now writes with numbers).
// - `sector`: the physician's convention sector ('1', '2', or 'optam': sector 2 with the OPTAM
//   option); null for the other professions.
// - `updated_at`: when the last import changed the row.
// The search is a bounding box around a point, then the exact distance (src/professionals/queries.ts):
// (specialty, latitude, longitude) serves a search by specialty — the equality, then the latitude
// range, the longitude checked in the index before any row is read — and replaces the index on
// specialty alone; (latitude, longitude) of 20261122090000 serves a search of every specialty.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('health_professionals', (t) => {
    t.string('identifier', 11).nullable();
    t.string('sector', 5).nullable();
    // ISO text like every timestamp of the schema (20261122090000: `at`).
    t.string('updated_at', 24).nullable();
  });
  await knex.schema.alterTable('health_professionals', (t) => {
    t.unique(['identifier'], { indexName: 'health_professionals_identifier_unique' });
    t.index(['specialty', 'latitude', 'longitude'], 'health_professionals_specialty_latitude_longitude_index');
    t.dropIndex(['specialty']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('health_professionals', (t) => {
    t.index(['specialty']);
    t.dropIndex([], 'health_professionals_specialty_latitude_longitude_index');
    t.dropUnique(['identifier'], 'health_professionals_identifier_unique');
  });
  await knex.schema.alterTable('health_professionals', (t) => {
    t.dropColumn('identifier');
    t.dropColumn('sector');
    t.dropColumn('updated_at');
  });
}

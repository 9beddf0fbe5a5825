// « Mes salariés » looks employees up by name, ignoring case and accents (« lefevre » finds
// Lefèvre), as a prefix of « nom prénom » or of « prénom nom », and sorts by name the same way.
// Two columns hold those keys and are indexed, so the search is an index range; the database
// itself keeps them in step with the names, whatever writes the members table (nothing to
// refresh, nothing that can go stale).
// The folding is spelled out letter by letter (the same folding in JavaScript is
// src/domain/name-search.ts; a test checks that both agree).
// - PostgreSQL: STORED generated columns folded with translate(), of the "C" collation so that
//   `>= prefix AND < prefix || U+FFFF` is a plain byte range the btree index serves.
// - SQLite: no translate(), lower() only knows ASCII, replace() cannot nest past ~25 (parser
//   stack), ALTER TABLE cannot add STORED generated columns, and VIRTUAL ones are recomputed on
//   every read (60 replace() per row: a sort by name over 50,000 rows took 400 ms). So plain
//   columns, filled by triggers on insert and on a change of name, FOLDS_PER_STEP letters per
//   UPDATE statement.
import type { Knex } from 'knex';

const FOLDS: [string, string][] = [
  ['a', 'àáâãäåÀÁÂÃÄÅ'],
  ['c', 'çÇ'],
  ['e', 'èéêëÈÉÊË'],
  ['i', 'ìíîïÌÍÎÏ'],
  ['n', 'ñÑ'],
  ['o', 'òóôõöÒÓÔÕÖ'],
  ['u', 'ùúûüÙÚÛÜ'],
  ['y', 'ýÿÝŸ'],
  ['oe', 'œŒ'],
  ['ae', 'æÆ'],
  [' ', '-'],
  ["'", '’'],
];

const LETTERS: [string, string][] = FOLDS.flatMap(([to, letters]) => [...letters].map((letter): [string, string] => [letter, to]));
const FOLDS_PER_STEP = 20;
const sqlText = (text: string) => `'${text.replace(/'/g, "''")}'`;

const SOURCES = {
  name_key: `last_name || ' ' || first_name`,
  first_name_key: `first_name || ' ' || last_name`,
};

function postgresFold(sql: string): string {
  const single = LETTERS.filter(([, to]) => to.length === 1);
  let expression = `translate(lower(${sql}), ${sqlText(single.map(([l]) => l).join(''))}, ${sqlText(single.map(([, to]) => to).join(''))})`;
  for (const [letter, to] of LETTERS.filter(([, t]) => t.length > 1)) expression = `replace(${expression}, ${sqlText(letter)}, ${sqlText(to)})`;
  return expression;
}

/** SQLite: the UPDATE statements that fill `column` of the rows `where` selects. */
function sqliteFillSteps(column: string, sql: string, where: string): string[] {
  const steps = [];
  let source = `lower(${sql})`;
  for (let i = 0; i < LETTERS.length; i += FOLDS_PER_STEP) {
    let expression = source;
    for (const [letter, to] of LETTERS.slice(i, i + FOLDS_PER_STEP)) expression = `replace(${expression}, ${sqlText(letter)}, ${sqlText(to)})`;
    steps.push(`UPDATE members SET ${column} = ${expression} WHERE ${where}`);
    source = column;
  }
  return steps;
}

export async function up(knex: Knex): Promise<void> {
  const pg = knex.client.config.client === 'pg';
  for (const [column, source] of Object.entries(SOURCES)) {
    if (pg) {
      await knex.raw(`ALTER TABLE members ADD COLUMN ${column} text COLLATE "C" GENERATED ALWAYS AS (${postgresFold(source)}) STORED`);
    } else {
      await knex.raw(`ALTER TABLE members ADD COLUMN ${column} TEXT`);
      for (const statement of sqliteFillSteps(column, source, '1 = 1')) await knex.raw(statement);
      const body = sqliteFillSteps(column, source, 'id = NEW.id').join(';\n  ');
      await knex.raw(`CREATE TRIGGER members_${column}_insert AFTER INSERT ON members BEGIN\n  ${body};\nEND`);
      await knex.raw(`CREATE TRIGGER members_${column}_update AFTER UPDATE OF last_name, first_name ON members BEGIN\n  ${body};\nEND`);
    }
    await knex.raw(`CREATE INDEX members_${column}_index ON members (${column})`);
  }
}

export async function down(knex: Knex): Promise<void> {
  const pg = knex.client.config.client === 'pg';
  for (const column of Object.keys(SOURCES)) {
    await knex.raw(`DROP INDEX members_${column}_index`);
    if (!pg) {
      await knex.raw(`DROP TRIGGER members_${column}_insert`);
      await knex.raw(`DROP TRIGGER members_${column}_update`);
    }
    await knex.raw(`ALTER TABLE members DROP COLUMN ${column}`);
  }
}

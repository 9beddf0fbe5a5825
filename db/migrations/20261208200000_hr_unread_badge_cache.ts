// The « Messagerie » badge of the Espace Entreprise is shown on every full page, and counting it
// walks every HR thread of the account's companies with a perimeter check and a read marker per
// thread (≈ 1,960 threads for an administrator of 43 companies at bench scale 334, 1.5 ms, and
// ten times that when the data grows ten-fold). The count is kept per account instead, with the
// generation it was counted at (src/correspondence/queries.ts, unreadThreadCount): the database
// itself bumps the account's `generation` whenever something the count reads may change — an HR
// thread written (an insurer message moves last_staff_message_at), a read marker, a habilitation,
// a perimeter, an affiliation of an establishment in a perimeter —, whatever writes those tables,
// so a kept count is used only while nothing it depends on has moved, and is counted again after.
// An account gets its row with its first habilitation (nothing else can show it HR threads).
import type { Knex } from 'knex';

interface BumpTrigger {
  name: string;
  table: string;
  event: 'INSERT' | 'UPDATE' | 'DELETE';
  /** UPDATE only: the columns whose change may move a count. */
  columns?: string[];
  when?: string;
  /** SQL selecting the account ids whose count may move (NEW / OLD name the row). */
  accounts: string;
}

const byCompany = (row: 'NEW' | 'OLD') => `SELECT account_id FROM hr_habilitations WHERE company_id = ${row}.company_id`;
const byEstablishment = (row: 'NEW' | 'OLD') => `SELECT account_id FROM hr_perimeter WHERE establishment_id = ${row}.establishment_id`;

const TRIGGERS: BumpTrigger[] = [
  { name: 'hr_badge_thread_insert', table: 'message_threads', event: 'INSERT', when: `NEW.owner_kind = 'hr'`, accounts: byCompany('NEW') },
  {
    name: 'hr_badge_thread_update',
    table: 'message_threads',
    event: 'UPDATE',
    columns: ['owner_kind', 'company_id', 'subject_member_id', 'last_staff_message_at'],
    when: `NEW.owner_kind = 'hr' OR OLD.owner_kind = 'hr'`,
    accounts: `${byCompany('NEW')} UNION ${byCompany('OLD')}`,
  },
  { name: 'hr_badge_thread_delete', table: 'message_threads', event: 'DELETE', when: `OLD.owner_kind = 'hr'`, accounts: byCompany('OLD') },
  { name: 'hr_badge_read_insert', table: 'message_thread_reads', event: 'INSERT', accounts: 'SELECT NEW.account_id' },
  { name: 'hr_badge_read_update', table: 'message_thread_reads', event: 'UPDATE', accounts: 'SELECT NEW.account_id UNION SELECT OLD.account_id' },
  { name: 'hr_badge_read_delete', table: 'message_thread_reads', event: 'DELETE', accounts: 'SELECT OLD.account_id' },
  { name: 'hr_badge_habilitation_update', table: 'hr_habilitations', event: 'UPDATE', accounts: 'SELECT NEW.account_id UNION SELECT OLD.account_id' },
  { name: 'hr_badge_habilitation_delete', table: 'hr_habilitations', event: 'DELETE', accounts: 'SELECT OLD.account_id' },
  { name: 'hr_badge_perimeter_insert', table: 'hr_perimeter', event: 'INSERT', accounts: 'SELECT NEW.account_id' },
  { name: 'hr_badge_perimeter_update', table: 'hr_perimeter', event: 'UPDATE', accounts: 'SELECT NEW.account_id UNION SELECT OLD.account_id' },
  { name: 'hr_badge_perimeter_delete', table: 'hr_perimeter', event: 'DELETE', accounts: 'SELECT OLD.account_id' },
  { name: 'hr_badge_affiliation_insert', table: 'affiliations', event: 'INSERT', accounts: byEstablishment('NEW') },
  {
    name: 'hr_badge_affiliation_update',
    table: 'affiliations',
    event: 'UPDATE',
    columns: ['member_id', 'establishment_id'],
    accounts: `${byEstablishment('NEW')} UNION ${byEstablishment('OLD')}`,
  },
  { name: 'hr_badge_affiliation_delete', table: 'affiliations', event: 'DELETE', accounts: byEstablishment('OLD') },
  {
    name: 'hr_badge_establishment_update',
    table: 'establishments',
    event: 'UPDATE',
    columns: ['company_id'],
    accounts: 'SELECT account_id FROM hr_perimeter WHERE establishment_id = NEW.id',
  },
];

const BUMP_ALL = 'UPDATE hr_unread_badges SET generation = generation + 1';
const BUMP = (accounts: string) => `UPDATE hr_unread_badges SET generation = generation + 1 WHERE account_id IN (${accounts})`;
// The first habilitation creates the account's row; a later one bumps it.
const HABILITATION_INSERT = `INSERT INTO hr_unread_badges (account_id, generation) VALUES (NEW.account_id, 1)
    ON CONFLICT (account_id) DO UPDATE SET generation = hr_unread_badges.generation + 1`;

async function createTrigger(knex: Knex, pg: boolean, name: string, head: string, when: string | undefined, body: string): Promise<void> {
  if (pg) {
    await knex.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n  ${body};\n  RETURN NULL;\nEND $$`);
    await knex.raw(`CREATE TRIGGER ${name} ${head} FOR EACH ROW${when ? ` WHEN (${when})` : ''} EXECUTE FUNCTION ${name}()`);
  } else {
    // A bulk build of the seed sets insert triggers aside and replays them once for all rows
    // (db/seeds/bulk.ts): here, one bump of every account's generation.
    await knex.raw(`CREATE TRIGGER ${name} ${head} FOR EACH ROW${when ? ` WHEN ${when}` : ''} BEGIN\n  -- bulk build: ${BUMP_ALL}\n  ${body};\nEND`);
  }
}

export async function up(knex: Knex): Promise<void> {
  const pg = knex.client.config.client === 'pg';
  await knex.schema.createTable('hr_unread_badges', (t) => {
    t.integer('account_id').unsigned().primary().references('id').inTable('accounts').onDelete('CASCADE');
    t.bigInteger('generation').notNullable().defaultTo(0);
    // The generation `unread` was counted at; null until first counted.
    t.bigInteger('counted_generation').nullable();
    t.integer('unread').notNullable().defaultTo(0);
  });
  await knex.raw('INSERT INTO hr_unread_badges (account_id, generation) SELECT DISTINCT account_id, 1 FROM hr_habilitations');
  for (const trigger of TRIGGERS) {
    const head = `AFTER ${trigger.event}${trigger.columns ? ` OF ${trigger.columns.join(', ')}` : ''} ON ${trigger.table}`;
    await createTrigger(knex, pg, trigger.name, head, trigger.when, BUMP(trigger.accounts));
  }
  await createTrigger(knex, pg, 'hr_badge_habilitation_insert', 'AFTER INSERT ON hr_habilitations', undefined, HABILITATION_INSERT);
}

export async function down(knex: Knex): Promise<void> {
  const pg = knex.client.config.client === 'pg';
  for (const { name, table } of [...TRIGGERS, { name: 'hr_badge_habilitation_insert', table: 'hr_habilitations' }]) {
    await knex.raw(pg ? `DROP TRIGGER ${name} ON ${table}` : `DROP TRIGGER ${name}`);
    if (pg) await knex.raw(`DROP FUNCTION ${name}()`);
  }
  await knex.schema.dropTable('hr_unread_badges');
}

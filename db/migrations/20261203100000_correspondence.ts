// Correspondence with the insurer: requests (remboursement, devis, télétransmission)
// and message threads as the staff inbox processes them, with the statuses of
// src/domain/correspondence.ts.
//
// - reference_sequences: one counter per reference prefix and year (DR, DV, DT, MS), taken by an
//   upsert that returns the new value in the creating transaction, so two requests created at
//   the same moment never get the same number (src/correspondence/queries.ts, nextReference).
// - requests: the service level's expected day, the staff member assigned, the decision (amount
//   reimbursed and payment day, or the refusal reason), the documents asked for, a devis' lines as
//   the member estimated them and as staff answered them (JSON), and for a télétransmission
//   request the teletransmission_events row it stands for. Télétransmission requests are rows of
//   kind 'teletransmission' (not a view over teletransmission_events): the inbox then reads one
//   table for every request, with the same reference, assignment, timeline and indexes.
// - request_events: the timeline, one row per step (the status reached, or null for an
//   assignment or a note), dated, with the side and account that acted; `visible` false for what
//   only staff see. Documents added later point to the event that brought them.
// - message_threads: reference MS-…, assignment, expected day, when staff and the owner last
//   wrote (what unread counts and the inbox's turn read), and the employee a company's message is
//   about (« Transmettre des documents pour mon salarié »). A company's thread is read per HR
//   account (message_thread_reads): every HR user habilitated on the company sees it.
// - messages.internal: staff notes, never shown outside.
//
// Old values are mapped: requests submitted → received, answered and closed → processed; an open
// thread is 'new' while staff never wrote, 'answered' when staff wrote last, 'open' otherwise.
// Existing rows get an expected day a fixed number of calendar days after the owner's last word
// (the brand's service levels are not readable here), a timeline of their known steps, and
// references; each pending télétransmission change becomes a request.
//
// The indexes serve the staff inbox (200,000 items, filtered by status, assignee, object or late,
// oldest first) and the member's « Mes demandes » (member_id, created_at: already there).
import type { Knex } from 'knex';

type Table = Knex.CreateTableBuilder | Knex.AlterTableBuilder;

const at = (t: Table, column: string) => t.string(column, 24);
const day = (t: Table, column: string) => t.string(column, 10);

/** Calendar days granted to rows that existed before service levels (about 10 and 5 business days). */
const BACKFILL_REQUEST_DAYS = 14;
const BACKFILL_THREAD_DAYS = 7;

function plusDays(pg: boolean, column: string, days: number): string {
  return pg ? `to_char(substr(${column}, 1, 10)::date + ${days}, 'YYYY-MM-DD')` : `date(substr(${column}, 1, 10), '+${days} days')`;
}

/**
 * A nullable foreign key column, ON DELETE SET NULL, added by a plain ALTER TABLE ADD COLUMN. Knex
 * adds foreign keys on SQLite by rebuilding the table (create a copy, drop the original): inside
 * the migration's transaction foreign keys cannot be switched off, so dropping `requests` or
 * `message_threads` would delete their attachments and messages by cascade.
 */
async function addForeignKey(knex: Knex, table: string, column: string, target: string): Promise<void> {
  // Left by `down` on SQLite (see there).
  if (await knex.schema.hasColumn(table, column)) return;
  await knex.raw(`ALTER TABLE ${table} ADD COLUMN ${column} integer NULL REFERENCES ${target} (id) ON DELETE SET NULL`);
}

function reference(prefix: string, year: string, sequence: number): string {
  return `${prefix}-${year}-${String(sequence).padStart(6, '0')}`;
}

export async function up(knex: Knex): Promise<void> {
  const pg = knex.client.config.client === 'pg';

  await knex.schema.createTable('reference_sequences', (t) => {
    t.string('prefix', 2).notNullable();
    t.integer('year').notNullable();
    t.integer('last_value').notNullable();
    t.primary(['prefix', 'year']);
  });

  // ---------------------------------------------------------------- requests
  await addForeignKey(knex, 'requests', 'assigned_account_id', 'accounts');
  await addForeignKey(knex, 'requests', 'teletransmission_event_id', 'teletransmission_events');
  await knex.schema.alterTable('requests', (t) => {
    day(t, 'expected_day').nullable();
    t.integer('reimbursed_amount_cents').nullable();
    day(t, 'payment_day').nullable();
    t.text('refusal_reason').nullable();
    t.text('missing_documents').nullable();
    t.text('estimate_lines').nullable(); // JSON: the member's quote lines and estimate
    t.text('answer_lines').nullable(); // JSON: staff's estimated reimbursement per line
    t.index(['assigned_account_id', 'status', 'created_at']);
    t.index(['status', 'expected_day']);
    t.index(['kind', 'object', 'status', 'created_at']);
    t.index(['teletransmission_event_id']);
  });

  await knex.schema.createTable('request_events', (t) => {
    t.increments('id');
    t.integer('request_id').unsigned().notNullable().references('id').inTable('requests').onDelete('CASCADE');
    at(t, 'at').notNullable();
    // create | start | ask_document | add_document | accept | refuse | assign | note
    t.string('action', 20).notNullable();
    t.string('status', 20).nullable(); // the status reached; null when it did not change
    t.string('side', 10).notNullable(); // member | hr | staff
    t.integer('account_id').unsigned().nullable().references('id').inTable('accounts').onDelete('SET NULL');
    t.boolean('visible').notNullable().defaultTo(true);
    t.text('detail').nullable();
    t.index(['request_id', 'at']);
    t.index(['account_id']);
  });

  await addForeignKey(knex, 'request_attachments', 'event_id', 'request_events');
  await knex.schema.alterTable('request_attachments', (t) => {
    t.index(['event_id']);
  });

  // ---------------------------------------------------------------- threads
  await addForeignKey(knex, 'message_threads', 'assigned_account_id', 'accounts');
  await addForeignKey(knex, 'message_threads', 'subject_member_id', 'members');
  await knex.schema.alterTable('message_threads', (t) => {
    t.string('reference', 20).nullable().unique();
    day(t, 'expected_day').nullable();
    at(t, 'last_staff_message_at').nullable();
    at(t, 'last_owner_message_at').nullable();
    t.index(['assigned_account_id', 'status', 'created_at']);
    t.index(['status', 'created_at']);
    t.index(['owner_kind', 'status', 'created_at']);
    t.index(['status', 'expected_day']);
    t.index(['category', 'object', 'status', 'created_at']);
    t.index(['member_id', 'last_message_at']);
    t.index(['company_id', 'last_message_at']);
    t.index(['subject_member_id']);
  });

  await knex.schema.alterTable('messages', (t) => {
    t.boolean('internal').notNullable().defaultTo(false);
  });

  await knex.schema.createTable('message_thread_reads', (t) => {
    t.increments('id');
    t.integer('thread_id').unsigned().notNullable().references('id').inTable('message_threads').onDelete('CASCADE');
    t.integer('account_id').unsigned().notNullable().references('id').inTable('accounts').onDelete('CASCADE');
    at(t, 'read_at').notNullable();
    t.unique(['thread_id', 'account_id']);
    t.index(['account_id']);
  });

  // ---------------------------------------------------------------- existing rows
  await knex('requests').where({ status: 'submitted' }).update({ status: 'received' });
  await knex('requests').whereIn('status', ['answered', 'closed']).update({ status: 'processed' });
  await knex.raw(`UPDATE requests SET expected_day = ${plusDays(pg, 'created_at', BACKFILL_REQUEST_DAYS)} WHERE expected_day IS NULL`);
  await knex.raw(`INSERT INTO request_events (request_id, at, action, status, side, account_id, visible)
    SELECT id, created_at, 'create', 'received', 'member', NULL, TRUE FROM requests`);
  await knex.raw(`INSERT INTO request_events (request_id, at, action, status, side, account_id, visible)
    SELECT id, COALESCE(answered_at, updated_at), 'accept', 'processed', 'staff', handled_by_account_id, TRUE FROM requests WHERE status = 'processed'`);

  await knex.raw(`UPDATE message_threads SET
    last_staff_message_at = (SELECT MAX(m.created_at) FROM messages m WHERE m.thread_id = message_threads.id AND m.author_kind = 'staff'),
    last_owner_message_at = (SELECT MAX(m.created_at) FROM messages m WHERE m.thread_id = message_threads.id AND m.author_kind <> 'staff')`);
  await knex.raw(`UPDATE message_threads SET status = CASE
      WHEN last_staff_message_at IS NULL THEN 'new'
      WHEN last_owner_message_at IS NULL OR last_staff_message_at >= last_owner_message_at THEN 'answered'
      ELSE 'open' END
    WHERE status = 'open'`);
  await knex.raw(`UPDATE message_threads SET expected_day = ${plusDays(pg, 'COALESCE(last_owner_message_at, created_at)', BACKFILL_THREAD_DAYS)}`);

  // References: existing requests keep theirs; threads get one, by order of creation.
  const counters = new Map<string, number>();
  const take = (prefix: string, year: string) => {
    const key = `${prefix}-${year}`;
    const value = (counters.get(key) ?? 0) + 1;
    counters.set(key, value);
    return value;
  };
  for (const row of await knex('requests').select('reference')) {
    const match = /^([A-Z]{2})-([0-9]{4})-([0-9]+)$/.exec(String(row.reference));
    if (!match) continue;
    const key = `${match[1]}-${match[2]}`;
    counters.set(key, Math.max(counters.get(key) ?? 0, Number(match[3])));
  }
  for (const thread of await knex('message_threads').orderBy('id').select('id', 'created_at')) {
    const year = String(thread.created_at).slice(0, 4);
    await knex('message_threads')
      .where({ id: thread.id })
      .update({ reference: reference('MS', year, take('MS', year)) });
  }

  // A pending télétransmission change is a request for the inbox.
  const pending = await knex('teletransmission_events as e')
    .join('beneficiaries as b', 'b.id', 'e.beneficiary_id')
    .whereNull('e.processed_at')
    .whereIn('e.to_status', ['activation_requested', 'deactivation_requested'])
    .orderBy('e.id')
    .select('e.id', 'e.at', 'e.to_status', 'e.account_id', 'b.id as beneficiary_id', 'b.member_id');
  for (const event of pending) {
    const year = String(event.at).slice(0, 4);
    const [inserted] = await knex('requests')
      .insert({
        member_id: event.member_id,
        beneficiary_id: event.beneficiary_id,
        kind: 'teletransmission',
        object: event.to_status === 'activation_requested' ? 'activation' : 'deactivation',
        reference: reference('DT', year, take('DT', year)),
        message: null,
        status: 'received',
        teletransmission_event_id: event.id,
        created_at: event.at,
        updated_at: event.at,
      })
      .returning('id');
    const requestId = Number(typeof inserted === 'object' ? inserted.id : inserted);
    await knex.raw(`UPDATE requests SET expected_day = ${plusDays(pg, 'created_at', BACKFILL_REQUEST_DAYS)} WHERE id = ?`, [requestId]);
    await knex('request_events').insert({
      request_id: requestId,
      at: event.at,
      action: 'create',
      status: 'received',
      side: 'member',
      account_id: event.account_id,
      visible: true,
    });
  }

  for (const [key, value] of counters) {
    const [prefix, year] = key.split('-');
    await knex('reference_sequences').insert({ prefix, year: Number(year), last_value: value });
  }
}

/**
 * Back to the previous schema. The foreign key columns added by plain ALTER TABLE stay on SQLite:
 * dropping them there means rebuilding the table, which would delete the messages and attachments
 * by cascade (see addForeignKey); nothing before this migration reads them.
 */
export async function down(knex: Knex): Promise<void> {
  const pg = knex.client.config.client === 'pg';
  const dropColumns = async (table: string, columns: string[], foreignKeys: string[]) => {
    for (const column of [...columns, ...(pg ? foreignKeys : [])]) await knex.raw(`ALTER TABLE ${table} DROP COLUMN ${column}`);
  };
  await knex('requests').where({ kind: 'teletransmission' }).delete();
  await knex('requests').where({ status: 'received' }).update({ status: 'submitted' });
  await knex('requests').whereIn('status', ['processed', 'refused']).update({ status: 'answered' });
  await knex('requests').whereIn('status', ['missing_document', 'completed']).update({ status: 'in_progress' });
  await knex('message_threads').whereNot({ status: 'closed' }).update({ status: 'open' });
  await knex.schema.dropTable('message_thread_reads');
  await dropColumns('messages', ['internal'], []);
  await knex.schema.alterTable('message_threads', (t) => {
    t.dropIndex(['assigned_account_id', 'status', 'created_at']);
    t.dropIndex(['status', 'created_at']);
    t.dropIndex(['owner_kind', 'status', 'created_at']);
    t.dropIndex(['status', 'expected_day']);
    t.dropIndex(['category', 'object', 'status', 'created_at']);
    t.dropIndex(['member_id', 'last_message_at']);
    t.dropIndex(['company_id', 'last_message_at']);
    t.dropIndex(['subject_member_id']);
    t.dropUnique(['reference']);
  });
  await dropColumns(
    'message_threads',
    ['reference', 'expected_day', 'last_staff_message_at', 'last_owner_message_at'],
    ['assigned_account_id', 'subject_member_id'],
  );
  await knex.schema.alterTable('request_attachments', (t) => {
    t.dropIndex(['event_id']);
  });
  if (pg) await dropColumns('request_attachments', [], ['event_id']);
  else await knex('request_attachments').update({ event_id: null });
  await knex.schema.dropTable('request_events');
  await knex.schema.alterTable('requests', (t) => {
    t.dropIndex(['assigned_account_id', 'status', 'created_at']);
    t.dropIndex(['status', 'expected_day']);
    t.dropIndex(['kind', 'object', 'status', 'created_at']);
    t.dropIndex(['teletransmission_event_id']);
  });
  await dropColumns(
    'requests',
    ['expected_day', 'reimbursed_amount_cents', 'payment_day', 'refusal_reason', 'missing_documents', 'estimate_lines', 'answer_lines'],
    ['assigned_account_id', 'teletransmission_event_id'],
  );
  await knex.schema.dropTable('reference_sequences');
}

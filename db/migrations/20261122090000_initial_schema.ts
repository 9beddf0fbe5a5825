// The whole data model of the portal, identical on SQLite (better-sqlite3) and PostgreSQL 15.
//
// Conventions (kept by every later migration):
// - `increments('id')` primary keys; every foreign key column is indexed (alone or as the leading
//   column of a composite index), with an onDelete that matches ownership: CASCADE for what a row
//   owns, SET NULL for "who did it" references, RESTRICT where deleting would erase history.
// - Date-times are ISO-8601 UTC strings of 24 characters (`2026-11-22T08:55:11.000Z`), calendar
//   dates `YYYY-MM-DD` strings: comparisons and ORDER BY are lexicographic and give the same result
//   on both databases, with no timezone conversion by a driver.
// - Amounts are integer cents; statuses and kinds are short English codes (French labels live in
//   the UI); JSON blobs are `text`.
// - The `sessions` table is the exception: connect-session-knex writes it with its own types.
import type { Knex } from 'knex';

type Table = Knex.CreateTableBuilder;

/** ISO-8601 UTC date-time, e.g. 2026-11-22T08:55:11.000Z. */
function at(t: Table, column: string) {
  return t.string(column, 24);
}

/** Calendar date YYYY-MM-DD. */
function day(t: Table, column: string) {
  return t.string(column, 10);
}

type OnDelete = 'CASCADE' | 'SET NULL' | 'RESTRICT';

/** Integer foreign key to `table.id`, with its own index unless a composite index leads with it. */
function fk(t: Table, column: string, table: string, onDelete: OnDelete, options: { nullable?: boolean; index?: boolean } = {}) {
  const col = t.integer(column).unsigned();
  if (options.nullable || onDelete === 'SET NULL') col.nullable();
  else col.notNullable();
  col.references('id').inTable(table).onDelete(onDelete);
  if (options.index !== false) t.index([column]);
  return col;
}

/** Columns shared by every uploaded or generated file kept under the upload directory. */
function fileColumns(t: Table) {
  t.string('original_name', 255).notNullable();
  t.string('stored_name', 100).notNullable().unique();
  t.string('mime', 100).notNullable();
  t.integer('size_bytes').notNullable();
}

// Creation order = dependency order; `down` drops in the reverse order.
const TABLES = [
  'app_meta',
  'sessions',
  'companies',
  'establishments',
  'contracts',
  'guarantee_lines',
  'members',
  'affiliations',
  'beneficiaries',
  'accounts',
  'teletransmission_events',
  'hr_habilitations',
  'hr_perimeter',
  'trusted_devices',
  'one_time_codes',
  'link_tokens',
  'throttle',
  'import_jobs',
  'import_job_lines',
  'statements',
  'statement_lines',
  'requests',
  'request_attachments',
  'message_threads',
  'messages',
  'message_attachments',
  'practical_documents',
  'health_professionals',
  'affiliation_requests',
  'affiliation_request_events',
  'affiliation_request_documents',
  'notifications',
  'outbox',
  'audit_log',
] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('app_meta', (t) => {
    t.string('key', 100).primary();
    t.text('value').notNullable();
  });

  // Exactly what connect-session-knex v5 creates (json / timestamp types: the library writes them).
  await knex.schema.createTable('sessions', (t) => {
    t.string('sid').primary();
    t.json('sess').notNullable();
    t.timestamp('expired').notNullable().index();
  });

  // ---------------------------------------------------------------- companies and contracts
  await knex.schema.createTable('companies', (t) => {
    t.increments('id');
    t.string('name', 200).notNullable();
    t.string('siren', 9).notNullable().unique();
    // « Identifiant entreprise »: the company number printed on the insurer's letters.
    t.string('insurer_company_number', 20).notNullable().unique();
    t.string('address_line', 200).notNullable();
    t.string('postal_code', 5).notNullable();
    t.string('city', 100).notNullable();
    at(t, 'created_at').notNullable();
  });

  await knex.schema.createTable('establishments', (t) => {
    t.increments('id');
    fk(t, 'company_id', 'companies', 'CASCADE', { index: false });
    t.string('siret', 14).notNullable().unique();
    t.string('name', 200).notNullable();
    // « code identifiant »: checked together with the SIRET to add it to an HR perimeter.
    t.string('insurer_code', 20).notNullable();
    t.string('address_line', 200).notNullable();
    t.string('postal_code', 5).notNullable();
    t.string('city', 100).notNullable();
    at(t, 'created_at').notNullable();
    t.index(['company_id', 'name']);
  });

  await knex.schema.createTable('contracts', (t) => {
    t.increments('id');
    fk(t, 'company_id', 'companies', 'CASCADE');
    t.string('reference', 30).notNullable().unique();
    t.string('label', 200).notNullable();
    t.string('college', 10).notNullable(); // cadre | non_cadre
    t.string('formula', 100).notNullable();
    t.text('options').nullable();
    day(t, 'start_date').notNullable();
    day(t, 'end_date').nullable();
    at(t, 'created_at').notNullable();
  });

  await knex.schema.createTable('guarantee_lines', (t) => {
    t.increments('id');
    fk(t, 'contract_id', 'contracts', 'CASCADE', { index: false });
    // hospitalisation | soins_courants | pharmacie | optique | dentaire | aides_auditives | maternite | prevention | medecines_douces
    t.string('category', 30).notNullable();
    t.string('label', 200).notNullable();
    t.string('coverage', 200).notNullable(); // « 200 % BR – RSS », « Forfait 150 € par an »
    t.integer('br_percent').nullable();
    t.integer('flat_amount_cents').nullable();
    t.integer('yearly_cap_cents').nullable();
    t.integer('position').notNullable().defaultTo(0);
    t.index(['contract_id', 'position']);
  });

  // ---------------------------------------------------------------- members and their cover
  await knex.schema.createTable('members', (t) => {
    t.increments('id');
    t.string('member_number', 20).notNullable().unique();
    t.string('nir', 15).notNullable(); // 15 characters, key included
    t.string('sex', 1).notNullable(); // M | F
    t.string('last_name', 100).notNullable();
    t.string('first_name', 100).notNullable();
    t.string('birth_name', 100).nullable();
    day(t, 'birth_date').notNullable();
    t.string('email', 254).nullable(); // always lowercased
    t.string('mobile', 16).nullable(); // E.164
    t.string('phone', 16).nullable(); // E.164
    t.string('address_line1', 200).notNullable();
    t.string('address_line2', 200).nullable();
    t.string('postal_code', 5).notNullable();
    t.string('city', 100).notNullable();
    t.string('iban', 34).nullable();
    t.string('bic', 11).nullable();
    t.string('iban_holder', 200).nullable();
    at(t, 'iban_updated_at').nullable();
    at(t, 'created_at').notNullable();
    at(t, 'updated_at').notNullable();
    t.index(['nir']);
    t.index(['email']);
    t.index(['last_name', 'first_name']);
  });

  await knex.schema.createTable('affiliations', (t) => {
    t.increments('id');
    fk(t, 'member_id', 'members', 'CASCADE');
    fk(t, 'establishment_id', 'establishments', 'RESTRICT', { index: false });
    fk(t, 'contract_id', 'contracts', 'RESTRICT');
    t.string('professional_status', 10).notNullable(); // cadre | non_cadre
    t.string('company_status', 20).notNullable(); // salarie | apprenti | mandataire | stagiaire | …
    t.string('employment_contract_type', 20).notNullable(); // CDI | CDD | apprentissage | professionnalisation
    day(t, 'employment_start_date').notNullable();
    day(t, 'employment_end_date').nullable();
    day(t, 'entry_date').notNullable(); // date d'entrée dans l'entreprise
    day(t, 'start_date').notNullable(); // date d'effet
    day(t, 'end_date').nullable(); // date de fin / radiation
    t.string('end_reason', 30).nullable();
    day(t, 'portability_end_date').nullable();
    at(t, 'created_at').notNullable();
    t.index(['establishment_id', 'start_date']);
    t.index(['end_date']);
  });

  await knex.schema.createTable('beneficiaries', (t) => {
    t.increments('id');
    fk(t, 'member_id', 'members', 'CASCADE');
    t.string('relationship', 10).notNullable(); // assure | conjoint | enfant
    t.string('sex', 1).notNullable();
    t.string('last_name', 100).notNullable();
    t.string('first_name', 100).notNullable();
    day(t, 'birth_date').notNullable();
    t.string('nir', 15).nullable();
    t.string('attached_nir', 15).nullable(); // the parent's NIR a child is attached to
    t.string('email', 254).nullable();
    t.string('mobile', 16).nullable();
    // Address columns null = same address as the member.
    t.string('address_line1', 200).nullable();
    t.string('address_line2', 200).nullable();
    t.string('postal_code', 5).nullable();
    t.string('city', 100).nullable();
    t.string('fund_code', 9).notNullable(); // « code organisme »: scheme 2 + fund 3 + centre 4
    // inactive | activation_requested | active | deactivation_requested | blocked
    t.string('teletransmission_status', 30).notNullable().defaultTo('inactive');
    day(t, 'teletransmission_since').nullable();
    t.boolean('on_card').notNullable().defaultTo(true);
    day(t, 'start_date').notNullable();
    day(t, 'end_date').nullable();
    at(t, 'created_at').notNullable();
    at(t, 'updated_at').notNullable();
  });

  // ---------------------------------------------------------------- accounts (three doors)
  await knex.schema.createTable('accounts', (t) => {
    t.increments('id');
    t.string('kind', 10).notNullable(); // member | hr | staff
    t.string('email', 254).notNullable(); // always lowercased
    t.string('password_hash', 255).nullable(); // null until activated / created
    t.string('status', 20).notNullable(); // pending | active | suspended | disabled
    t.string('first_name', 100).notNullable();
    t.string('last_name', 100).notNullable();
    t.string('mobile', 16).nullable();
    fk(t, 'member_id', 'members', 'CASCADE', { nullable: true });
    t.string('staff_role', 30).nullable();
    at(t, 'last_login_at').nullable();
    at(t, 'last_verified_login_at').nullable();
    t.string('last_verified_ip', 45).nullable();
    // Sessions authenticated before this instant are dead.
    at(t, 'sessions_revoked_at').nullable();
    at(t, 'activated_at').nullable();
    at(t, 'cgu_accepted_at').nullable();
    at(t, 'created_at').notNullable();
    at(t, 'updated_at').notNullable();
    at(t, 'disabled_at').nullable();
    t.unique(['kind', 'email']);
  });

  await knex.schema.createTable('teletransmission_events', (t) => {
    t.increments('id');
    fk(t, 'beneficiary_id', 'beneficiaries', 'CASCADE');
    t.string('from_status', 30).notNullable();
    t.string('to_status', 30).notNullable();
    at(t, 'at').notNullable();
    fk(t, 'account_id', 'accounts', 'SET NULL');
    at(t, 'processed_at').nullable();
    fk(t, 'processed_by', 'accounts', 'SET NULL');
    // The back-office list: pending requests first, oldest first.
    t.index(['processed_at', 'at']);
  });

  await knex.schema.createTable('hr_habilitations', (t) => {
    t.increments('id');
    fk(t, 'account_id', 'accounts', 'CASCADE', { index: false });
    fk(t, 'company_id', 'companies', 'CASCADE');
    t.string('role', 10).notNullable(); // admin | user
    t.string('status', 20).notNullable(); // active | suspended
    fk(t, 'granted_by_account_id', 'accounts', 'SET NULL');
    at(t, 'created_at').notNullable();
    at(t, 'updated_at').notNullable();
    t.unique(['account_id', 'company_id']);
  });

  await knex.schema.createTable('hr_perimeter', (t) => {
    t.increments('id');
    fk(t, 'account_id', 'accounts', 'CASCADE', { index: false });
    fk(t, 'establishment_id', 'establishments', 'CASCADE');
    at(t, 'added_at').notNullable();
    t.unique(['account_id', 'establishment_id']);
  });

  await knex.schema.createTable('trusted_devices', (t) => {
    t.increments('id');
    fk(t, 'account_id', 'accounts', 'CASCADE');
    t.string('token_hash', 128).notNullable().unique();
    t.text('user_agent').nullable();
    at(t, 'created_at').notNullable();
    at(t, 'last_used_at').nullable();
    at(t, 'revoked_at').nullable();
  });

  await knex.schema.createTable('one_time_codes', (t) => {
    t.increments('id');
    // activation | login_2fa | phone_change | email_change | contact_change
    t.string('purpose', 30).notNullable();
    fk(t, 'account_id', 'accounts', 'CASCADE', { nullable: true, index: false });
    fk(t, 'member_id', 'members', 'CASCADE', { nullable: true });
    t.string('channel', 10).notNullable(); // email | sms
    t.string('destination', 254).notNullable();
    t.string('code_hash', 255).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    at(t, 'expires_at').notNullable();
    at(t, 'consumed_at').nullable();
    at(t, 'created_at').notNullable();
    t.text('context').nullable(); // JSON
    t.index(['purpose', 'account_id']);
    t.index(['account_id']);
    t.index(['expires_at']);
  });

  await knex.schema.createTable('link_tokens', (t) => {
    t.increments('id');
    t.string('purpose', 30).notNullable(); // password_reset | password_creation | email_confirmation
    fk(t, 'account_id', 'accounts', 'CASCADE');
    t.string('token_hash', 128).notNullable().unique();
    at(t, 'expires_at').notNullable();
    at(t, 'used_at').nullable();
    at(t, 'revoked_at').nullable();
    at(t, 'created_at').notNullable();
  });

  await knex.schema.createTable('throttle', (t) => {
    t.string('key', 200).primary(); // e.g. login:ip:1.2.3.4
    t.integer('failures').notNullable().defaultTo(0);
    at(t, 'window_started_at').notNullable();
    at(t, 'last_failure_at').nullable();
    at(t, 'blocked_until').nullable();
    t.index(['last_failure_at']);
  });

  // ---------------------------------------------------------------- imports (preview, then all-or-nothing)
  await knex.schema.createTable('import_jobs', (t) => {
    t.increments('id');
    t.string('kind', 30).notNullable(); // establishments | statements
    fk(t, 'account_id', 'accounts', 'CASCADE');
    fk(t, 'company_id', 'companies', 'CASCADE', { nullable: true });
    t.string('status', 20).notNullable(); // preview | importing | done | cancelled | failed
    t.string('file_name', 255).notNullable();
    t.integer('total_lines').notNullable().defaultTo(0);
    t.integer('valid_count').notNullable().defaultTo(0);
    t.integer('existing_count').notNullable().defaultTo(0);
    t.integer('error_count').notNullable().defaultTo(0);
    t.integer('processed_count').notNullable().defaultTo(0);
    t.text('result').nullable(); // JSON
    at(t, 'created_at').notNullable();
    at(t, 'updated_at').nullable();
    at(t, 'finished_at').nullable();
  });

  await knex.schema.createTable('import_job_lines', (t) => {
    t.increments('id');
    fk(t, 'job_id', 'import_jobs', 'CASCADE', { index: false });
    t.integer('line_number').notNullable();
    t.string('status', 10).notNullable(); // valid | existing | error
    t.text('data').nullable(); // JSON
    t.text('errors').nullable(); // JSON
    t.index(['job_id', 'status', 'line_number']);
  });

  // ---------------------------------------------------------------- décomptes
  await knex.schema.createTable('statements', (t) => {
    t.increments('id');
    fk(t, 'member_id', 'members', 'CASCADE', { index: false });
    t.string('number', 20).notNullable().unique();
    day(t, 'statement_date').notNullable();
    day(t, 'payment_date').notNullable();
    fk(t, 'import_job_id', 'import_jobs', 'SET NULL');
    at(t, 'created_at').notNullable();
    t.index(['member_id', 'statement_date']);
  });

  await knex.schema.createTable('statement_lines', (t) => {
    t.increments('id');
    fk(t, 'statement_id', 'statements', 'CASCADE');
    // Denormalised from the statement so per-member filters need no join.
    fk(t, 'member_id', 'members', 'CASCADE', { index: false });
    fk(t, 'beneficiary_id', 'beneficiaries', 'CASCADE');
    day(t, 'care_date').notNullable();
    t.string('care_type', 40).notNullable(); // consultation_generaliste, pharmacie, optique…
    t.string('care_label', 120).notNullable(); // « Consultation Médecine Générale »
    t.string('professional_name', 200).nullable();
    t.integer('quantity').notNullable().defaultTo(1);
    // Invariant: frais_reels = ss_amount + complementary_amount + reste_a_charge.
    t.integer('frais_reels_cents').notNullable();
    t.integer('base_remboursement_cents').notNullable();
    t.integer('rate_percent').notNullable();
    t.integer('ss_amount_cents').notNullable();
    t.integer('complementary_amount_cents').notNullable();
    // Participation forfaitaire / franchise: already included in the reste à charge.
    t.integer('deductions_cents').notNullable().defaultTo(0);
    t.integer('reste_a_charge_cents').notNullable();
    t.string('paid_to', 10).notNullable(); // assure | tiers
    day(t, 'payment_date').notNullable();
    t.index(['member_id', 'care_date']);
    t.index(['member_id', 'beneficiary_id', 'care_date']);
    t.index(['member_id', 'care_type', 'care_date']);
  });

  // ---------------------------------------------------------------- requests (remboursement / devis)
  await knex.schema.createTable('requests', (t) => {
    t.increments('id');
    fk(t, 'member_id', 'members', 'CASCADE', { index: false });
    fk(t, 'beneficiary_id', 'beneficiaries', 'SET NULL');
    t.string('kind', 20).notNullable(); // remboursement | devis
    t.string('object', 40).notNullable();
    t.string('reference', 20).notNullable().unique();
    t.text('message').nullable();
    t.string('status', 20).notNullable(); // submitted | in_progress | answered | closed
    t.text('answer').nullable();
    t.integer('estimated_amount_cents').nullable();
    fk(t, 'handled_by_account_id', 'accounts', 'SET NULL');
    at(t, 'answered_at').nullable();
    at(t, 'created_at').notNullable();
    at(t, 'updated_at').notNullable();
    t.index(['member_id', 'created_at']);
    t.index(['status', 'created_at']);
  });

  await knex.schema.createTable('request_attachments', (t) => {
    t.increments('id');
    fk(t, 'request_id', 'requests', 'CASCADE');
    fileColumns(t);
    at(t, 'created_at').notNullable();
  });

  // ---------------------------------------------------------------- secure messaging
  await knex.schema.createTable('message_threads', (t) => {
    t.increments('id');
    t.string('owner_kind', 10).notNullable(); // member | hr
    fk(t, 'member_id', 'members', 'CASCADE', { nullable: true });
    fk(t, 'company_id', 'companies', 'CASCADE', { nullable: true });
    fk(t, 'account_id', 'accounts', 'CASCADE', { index: false }); // the author
    t.string('category', 60).notNullable();
    t.string('object', 120).notNullable();
    t.string('status', 10).notNullable(); // open | closed
    at(t, 'created_at').notNullable();
    at(t, 'last_message_at').notNullable();
    at(t, 'owner_read_at').nullable();
    at(t, 'staff_read_at').nullable();
    t.index(['account_id', 'last_message_at']);
    t.index(['status', 'last_message_at']);
  });

  await knex.schema.createTable('messages', (t) => {
    t.increments('id');
    fk(t, 'thread_id', 'message_threads', 'CASCADE', { index: false });
    t.string('author_kind', 10).notNullable(); // member | hr | staff
    fk(t, 'author_account_id', 'accounts', 'SET NULL');
    t.text('body').notNullable();
    at(t, 'created_at').notNullable();
    t.index(['thread_id', 'created_at']);
  });

  await knex.schema.createTable('message_attachments', (t) => {
    t.increments('id');
    fk(t, 'message_id', 'messages', 'CASCADE');
    fileColumns(t);
    at(t, 'created_at').notNullable();
  });

  // ---------------------------------------------------------------- documents pratiques
  await knex.schema.createTable('practical_documents', (t) => {
    t.increments('id');
    t.string('category', 30).notNullable(); // resumes_garanties | formulaires | notices | guides
    t.string('title', 200).notNullable();
    t.text('description').nullable();
    t.string('audience', 20).notNullable(); // entreprise | assure | tous
    fk(t, 'company_id', 'companies', 'CASCADE', { nullable: true }); // null = every company
    fk(t, 'contract_id', 'contracts', 'CASCADE', { nullable: true });
    fileColumns(t);
    at(t, 'published_at').notNullable();
    t.index(['audience', 'category']);
  });

  // ---------------------------------------------------------------- care finder
  await knex.schema.createTable('health_professionals', (t) => {
    t.increments('id');
    t.string('name', 200).notNullable();
    t.string('specialty', 40).notNullable();
    t.string('specialty_label', 100).notNullable();
    t.string('address_line', 200).notNullable();
    t.string('postal_code', 5).notNullable();
    t.string('city', 100).notNullable();
    // double precision on PostgreSQL, REAL on SQLite: the same 8-byte float on both.
    t.double('latitude').notNullable();
    t.double('longitude').notNullable();
    t.string('phone', 16).nullable();
    t.boolean('tiers_payant').notNullable().defaultTo(false);
    t.boolean('network_member').notNullable().defaultTo(false);
    at(t, 'created_at').notNullable();
    t.index(['specialty']);
    t.index(['postal_code']);
    t.index(['city']);
    t.index(['latitude', 'longitude']);
  });

  // ---------------------------------------------------------------- online affiliation
  await knex.schema.createTable('affiliation_requests', (t) => {
    t.increments('id');
    fk(t, 'company_id', 'companies', 'CASCADE', { index: false });
    fk(t, 'establishment_id', 'establishments', 'CASCADE');
    fk(t, 'created_by_account_id', 'accounts', 'SET NULL');
    t.string('mode', 10).notNullable(); // email | courrier
    t.string('status', 20).notNullable(); // sent | started | finalized | abandoned | cancelled
    t.string('professional_status', 10).notNullable();
    fk(t, 'previous_member_id', 'members', 'SET NULL');
    t.string('nir', 15).notNullable(); // 13 characters as typed, or 15 with the key
    t.string('last_name', 100).notNullable();
    t.string('first_name', 100).notNullable();
    t.string('email', 254).nullable();
    day(t, 'birth_date').notNullable();
    day(t, 'entry_date').notNullable();
    day(t, 'affiliation_date').notNullable();
    t.string('employment_contract_type', 20).notNullable();
    day(t, 'employment_start_date').notNullable();
    day(t, 'employment_end_date').nullable();
    t.string('company_status', 20).notNullable();
    t.string('token_hash', 128).nullable().unique(); // sha256 hex of the link token
    at(t, 'token_expires_at').nullable();
    t.integer('dob_attempts').notNullable().defaultTo(0);
    t.text('form_data').nullable(); // JSON: the employee's draft
    at(t, 'started_at').nullable();
    at(t, 'submitted_at').nullable();
    at(t, 'last_reminder_at').nullable();
    t.integer('reminder_count').notNullable().defaultTo(0);
    t.string('decision', 10).nullable(); // validated | refused
    t.text('decision_reason').nullable();
    at(t, 'decided_at').nullable();
    fk(t, 'decided_by_account_id', 'accounts', 'SET NULL');
    fk(t, 'member_id', 'members', 'SET NULL'); // created at validation
    at(t, 'created_at').notNullable();
    at(t, 'updated_at').notNullable();
    t.index(['company_id', 'created_at']);
    t.index(['status', 'token_expires_at']);
  });

  await knex.schema.createTable('affiliation_request_events', (t) => {
    t.increments('id');
    fk(t, 'request_id', 'affiliation_requests', 'CASCADE', { index: false });
    t.string('kind', 30).notNullable();
    at(t, 'at').notNullable();
    fk(t, 'account_id', 'accounts', 'SET NULL');
    t.text('detail').nullable();
    t.index(['request_id', 'at']);
  });

  await knex.schema.createTable('affiliation_request_documents', (t) => {
    t.increments('id');
    fk(t, 'request_id', 'affiliation_requests', 'CASCADE');
    t.string('kind', 30).notNullable(); // rib | attestation_droits | autre
    fileColumns(t);
    at(t, 'created_at').notNullable();
  });

  // ---------------------------------------------------------------- notifications, outbox, audit
  await knex.schema.createTable('notifications', (t) => {
    t.increments('id');
    fk(t, 'account_id', 'accounts', 'CASCADE', { index: false });
    t.string('kind', 40).notNullable();
    t.string('title', 200).notNullable();
    t.text('body').nullable();
    t.string('link', 500).nullable();
    at(t, 'created_at').notNullable();
    at(t, 'read_at').nullable();
    t.index(['account_id', 'read_at']);
    t.index(['account_id', 'created_at']);
  });

  await knex.schema.createTable('outbox', (t) => {
    t.increments('id');
    t.string('channel', 10).notNullable(); // email | sms
    t.string('recipient', 254).notNullable();
    t.string('subject', 300).nullable();
    t.text('body_text').notNullable();
    t.text('body_html').nullable();
    t.string('status', 10).notNullable(); // stored | pending | sent | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('error').nullable();
    at(t, 'created_at').notNullable();
    at(t, 'sent_at').nullable();
    t.index(['created_at']);
    t.index(['status', 'created_at']);
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.increments('id');
    at(t, 'at').notNullable();
    t.string('event', 60).notNullable();
    fk(t, 'account_id', 'accounts', 'SET NULL', { index: false });
    t.string('account_kind', 10).nullable();
    t.string('ip', 45).nullable();
    t.text('user_agent').nullable();
    t.text('detail').nullable(); // JSON — never secrets, codes, passwords, full NIR or IBAN
    t.index(['at']);
    t.index(['account_id', 'at']);
    t.index(['event', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [...TABLES].reverse()) {
    await knex.schema.dropTableIfExists(table);
  }
}

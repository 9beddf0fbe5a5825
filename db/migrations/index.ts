// Every migration, in order. Listed by hand (not read from the folder) so they load the same way
// from the TypeScript sources (tsx) and from the compiled dist/ folder.
// Migrations are never edited once merged: add a new timestamped file and list it here.
import * as m20261122090000 from './20261122090000_initial_schema.js';
import * as m20261129090000 from './20261129090000_statement_line_covering_indexes.js';
import * as m20261201090000 from './20261201090000_member_name_search_keys.js';
import * as m20261202100000 from './20261202100000_access_refusal_links.js';
import * as m20261202120000 from './20261202120000_import_analysis_slots.js';
import * as m20261202130000 from './20261202130000_atomic_counters.js';
import * as m20261203100000 from './20261203100000_correspondence.js';
import * as m20261203500000 from './20261203500000_inbox_queue_indexes.js';
import * as m20261203600000 from './20261203600000_pending_uploads.js';
import * as m20261205100000 from './20261205100000_health_professional_directory.js';
import * as m20261205300000 from './20261205300000_practical_document_versions.js';
import * as m20261206100000 from './20261206100000_guarantee_versions.js';
import * as m20261206300000 from './20261206300000_statement_feed.js';
import * as m20261206600000 from './20261206600000_personal_data_rights.js';
import * as m20261207100000 from './20261207100000_statement_feed_staging.js';
import * as m20261207110000 from './20261207110000_beneficiary_nir_index.js';
import * as m20261207300000 from './20261207300000_job_leases_and_outbox_retries.js';
import * as m20261207400000 from './20261207400000_hr_unread_badge_index.js';
import * as m20261208200000 from './20261208200000_hr_unread_badge_cache.js';

export const migrations = [
  { name: '20261122090000_initial_schema', up: m20261122090000.up, down: m20261122090000.down },
  { name: '20261129090000_statement_line_covering_indexes', up: m20261129090000.up, down: m20261129090000.down },
  { name: '20261201090000_member_name_search_keys', up: m20261201090000.up, down: m20261201090000.down },
  { name: '20261202100000_access_refusal_links', up: m20261202100000.up, down: m20261202100000.down },
  { name: '20261202120000_import_analysis_slots', up: m20261202120000.up, down: m20261202120000.down },
  { name: '20261202130000_atomic_counters', up: m20261202130000.up, down: m20261202130000.down },
  { name: '20261203100000_correspondence', up: m20261203100000.up, down: m20261203100000.down },
  { name: '20261203500000_inbox_queue_indexes', up: m20261203500000.up, down: m20261203500000.down },
  { name: '20261203600000_pending_uploads', up: m20261203600000.up, down: m20261203600000.down },
  { name: '20261205100000_health_professional_directory', up: m20261205100000.up, down: m20261205100000.down },
  { name: '20261205300000_practical_document_versions', up: m20261205300000.up, down: m20261205300000.down },
  { name: '20261206100000_guarantee_versions', up: m20261206100000.up, down: m20261206100000.down },
  { name: '20261206300000_statement_feed', up: m20261206300000.up, down: m20261206300000.down },
  { name: '20261206600000_personal_data_rights', up: m20261206600000.up, down: m20261206600000.down },
  { name: '20261207100000_statement_feed_staging', up: m20261207100000.up, down: m20261207100000.down },
  { name: '20261207110000_beneficiary_nir_index', up: m20261207110000.up, down: m20261207110000.down },
  { name: '20261207300000_job_leases_and_outbox_retries', up: m20261207300000.up, down: m20261207300000.down },
  { name: '20261207400000_hr_unread_badge_index', up: m20261207400000.up, down: m20261207400000.down },
  { name: '20261208200000_hr_unread_badge_cache', up: m20261208200000.up, down: m20261208200000.down },
];

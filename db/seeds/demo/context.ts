// What every step of the demo seed shares: the tables in insert order, the rows waiting to be
// written (Chunk), the generation context (Ctx) and the plan of companies and establishments.
import type { CorrespondenceLists } from '../../../src/brand.js';
import type { Row, TableRows } from '../bulk.js';
import type * as docs from '../documents.js';
import type { Level, Town } from '../french-data.js';
import type { Random } from '../random.js';
import type { FileStore } from '../../../src/storage/file-store.js';

/** Insert order = dependency order of the schema. */
export const SEED_ORDER = [
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
  'statements',
  'statement_lines',
  'requests',
  'request_events',
  'request_attachments',
  'message_threads',
  'messages',
  'message_attachments',
  'message_thread_reads',
  'practical_documents',
  'practical_document_versions',
  'health_professionals',
  'affiliation_requests',
  'affiliation_request_events',
  'affiliation_request_documents',
  'notifications',
] as const;
export type SeedTable = (typeof SEED_ORDER)[number];

export type Sex = 'M' | 'F';
export type College = 'cadre' | 'non_cadre';
export type TeleStatus = 'inactive' | 'activation_requested' | 'active' | 'deactivation_requested' | 'blocked';

// ---------------------------------------------------------------------------- plan types

export interface EstablishmentPlan {
  id: number;
  companyId: number;
  siret: string;
  name: string;
  code: string;
  addressLine: string;
  town: Town;
  quota: number;
}

export interface CompanyPlan {
  id: number;
  key: string;
  name: string;
  siren: string;
  number: string;
  addressLine: string;
  town: Town;
  createdDay: number;
  contractStart: string;
  levels: Record<College, Level>;
  contractIds: Record<College, number>;
  establishments: EstablishmentPlan[];
  /** Who administers it among the demo HR accounts. */
  admin: 'rh.admin' | 'rh.ponant' | null;
}

/** What a family written by families.ts (emitFamily) gives the steps after it. */
export interface FamilyResult {
  memberId: number;
  nir: string;
  accountId: number | null;
  beneficiaryIds: number[];
  beneficiaries: { id: number; firstName: string; relationship: string }[];
  /** The guarantee level of the member's contract (for devis estimates). */
  level: Level;
  /** First and last day of cover (today while covered). */
  coverFrom: number;
  coverTo: number;
  /** The télétransmission changes asked (teletransmission_events), each a request of the inbox. */
  teletransmission: TeletransmissionChange[];
}

/** A télétransmission change asked for a beneficiary: pending, or processed by staff. */
export interface TeletransmissionChange {
  eventId: number;
  beneficiaryId: number;
  toStatus: 'activation_requested' | 'deactivation_requested';
  at: string;
  accountId: number | null;
  processedAt: string | null;
}

export class Chunk {
  private readonly tables = new Map<SeedTable, Row[]>();

  add(table: SeedTable, row: Row) {
    let rows = this.tables.get(table);
    if (!rows) {
      rows = [];
      this.tables.set(table, rows);
    }
    rows.push(row);
  }

  size(table: SeedTable): number {
    return this.tables.get(table)?.length ?? 0;
  }

  rows(table: SeedTable): Row[] | undefined {
    return this.tables.get(table);
  }

  async flush(insert: InsertRows): Promise<void> {
    await insert(SEED_ORDER.filter((t) => this.tables.has(t)).map((t) => [t, this.tables.get(t)!] as const));
    this.tables.clear();
  }
}

/** Writes batches of rows, in order: into the database, or to the thread that does (worker.ts). */
export type InsertRows = (batches: readonly TableRows[]) => Promise<void>;

export interface Ctx {
  insert: InsertRows;
  /** seedDemo's size knob (SeedOptions.scale). */
  scale: number;
  rng: Random;
  today: number;
  nowIso: string;
  /** The seeding moment: no seeded date-time is after it. */
  nowMs: number;
  uploadDir: string | null;
  /** The portal's file store (src/storage/): files are written under uploadDir/tmp, then put there. Null: written in place under uploadDir. */
  files: FileStore | null;
  brand: docs.DocumentBrand;
  demoHash: string;
  ids: Record<SeedTable, number>;
  nirs: Set<string>;
  emails: Set<string>;
  statementSeq: number;
  /** The last number of each reference prefix and year (correspondence.ts, nextReference). */
  references: Map<string, number>;
  /** The brand's correspondence lists: objects, documents, service levels. */
  lists: CorrespondenceLists;
  /**
   * The draws of requests and threads (requests.ts, correspondence.ts): a generator of their own,
   * so that changing what they draw leaves the rest of the data set as it is.
   */
  activity: Random;
  staffAccountId: number;
  /** The second demo staff account (a colleague to assign to). */
  colleagueAccountId: number;
  /** Ended members per company, to prefill « déjà affilié » requests. */
  endedMembers: Map<number, number[]>;
  fileCount: number;
  log: (line: string) => void;
  started: number;
}

export function nextId(ctx: Ctx, table: SeedTable): number {
  ctx.ids[table] += 1;
  return ctx.ids[table];
}

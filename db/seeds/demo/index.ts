// Deterministic demo data for the fictional insurer of brand/demo.json, with a size knob.
//
// scale 1 ≈ 300 members (families, 24 months of décomptes ≈ 6 000 lines), 4 companies with 13
// establishments, 680 health professionals (80 of them around Lyon 3e), documents pratiques as real PDF files, affiliation
// requests in every status, ≈ 600 member requests and message threads (two years of them, in
// every status, requests.ts) and the demo accounts listed in DEMO_FACTS.
// scale 334 ≈ 100 000 members, ≈ 2 000 000 décompte lines, ≈ 200 000 requests and threads and
// ≈ 200 000 health professionals,
// spread over ~85 more companies, with `rh.admin@demo.example` administrator of companies
// totalling more than 50 000 employees and `bench.member@demo.example` holding ~500 lines and
// ~70 requests, for the benchmarks.
//
// Rows are generated in memory by chunks of members and written with multi-row INSERTs, one
// transaction per chunk (see db/seeds/bulk.ts); a bulk build on SQLite generates them in a worker
// thread while the main thread writes them (thread.ts, worker.ts). Ids are assigned here, so children rows can point to their
// parents without reading anything back; PostgreSQL sequences are moved past them at the end.
//
// The files by subject: facts.ts (DEMO_FACTS), context.ts (Chunk, Ctx, tables in insert order),
// helpers.ts, people.ts, care.ts (décompte amounts and lines), families.ts, companies.ts,
// accounts.ts, requests.ts (member requests, messages: what they say), correspondence.ts (how they
// are written: statuses and timelines by the portal's rules), affiliation-requests.ts, professionals.ts,
// files.ts (PDFs, documents pratiques). seedDemo below runs the steps in order.
import crypto from 'node:crypto';
import path from 'node:path';
import { loadBrand, type Brand } from '../../../src/brand.js';
import { isPostgres, readMeta, refreshPlannerStatistics, writeMeta, type Db } from '../../../src/db.js';
import { syncReferenceSequences } from '../../../src/correspondence/queries.js';
import { hashPassword } from '../../../src/domain/passwords.js';
import { BRAND_DIR } from '../../../src/paths.js';
import { beginBulkBuild, bulkInsert, finishBulkBuild, resetSequences } from '../bulk.js';
import { Random } from '../random.js';
import { addStaffAndHrAccounts, type DemoAccounts } from './accounts.js';
import { addAffiliationRequests } from './affiliation-requests.js';
import { addCompanies, planCompanies } from './companies.js';
import { Chunk, nextId, SEED_ORDER, type CompanyPlan, type Ctx, type EstablishmentPlan, type InsertRows, type SeedTable } from './context.js';
import { DEMO_PASSWORD } from './facts.js';
import { emitFamily, randomFamily, specialFamilies } from './families.js';
import { addPracticalDocuments, flushWithFiles } from './files.js';
import { brandFromConfig } from './helpers.js';
import { healthProfessionalRows } from './professionals.js';
import { addHrThreads, marieActivity, randomActivity } from './requests.js';
import { DiskStore, type FileStore } from '../../../src/storage/file-store.js';
import { generateInWorker } from './thread.js';

export { DEMO_FACTS, DEMO_PASSWORD } from './facts.js';
export { priceCare } from './care.js';

// ---------------------------------------------------------------------------- options

export interface SeedOptions {
  /** 1 ≈ 300 members; 334 ≈ 100 000 members and 2 000 000 décompte lines. */
  scale?: number;
  seed?: number;
  now?: Date;
  /** Where files go (documents pratiques, attachments); without it no file nor file row is created. */
  uploadDir?: string;
  /** The file store the files go into (STORAGE, src/storage/); without it they are written in place under uploadDir. */
  files?: FileStore;
  brand?: Brand;
  log?: (line: string) => void;
  /**
   * Loads the rows with the indexes and insert triggers set aside, and on SQLite with the journal in
   * memory, without fsync nor foreign-key checks (db/seeds/bulk.ts, beginBulkBuild): for a database built from
   * scratch by a command (npm run seed, npm run bench), never for the portal's first start.
   */
  bulkBuild?: boolean;
}

export interface SeedSummary {
  counts: Record<string, number>;
  elapsedMs: number;
}

const COUNTED_TABLES: readonly SeedTable[] = [
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
];

/** 3,340 ≈ 1,000,000 members and 20,000,000 décompte lines: the « ten times the bench » database. */
export const MAX_SCALE = 10_000;

// Chunks of members generated then written together (one transaction each).
const MEMBERS_PER_CHUNK = 4000;
/** Marie, Julien, the bench member and Camille (families.ts, specialFamilies): member ids 1 to 4. */
const SPECIAL_FAMILIES = 4;
/** The bench member is a heavy user of the correspondence: ≈ 70 requests and 40 threads (« Mes demandes » bench). */
const BENCH_MEMBER_ACTIVITY = 20;

/**
 * Tables whose indexes stay while a bulk build loads them: its rows come in member order, so every
 * index of the décompte lines (member first, or the statement and beneficiary ids, also increasing)
 * grows at its end, in pages already in the cache. Kept, they are maintained by the writing thread
 * while the generator thread, the slower one, works; set aside, they would be sorted after it.
 */
const INDEXED_WHILE_LOADING: ReadonlySet<SeedTable> = new Set(['statement_lines']);

// ---------------------------------------------------------------------------- entry points

/** Inserts the demo data set into an empty, migrated database. */
export async function seedDemo(db: Db, options: SeedOptions = {}): Promise<SeedSummary> {
  const scale = options.scale ?? 1;
  if (!(scale > 0) || scale > MAX_SCALE) throw new RangeError(`seedDemo: scale must be > 0 and ≤ ${MAX_SCALE}`);
  const started = Date.now();
  const existing = await db('companies').count({ n: '*' }).first();
  if (Number(existing?.n ?? 0) > 0) throw new Error('seedDemo: the database already holds companies; seed an empty database (npm run seed -- --reset).');

  const log = options.log ?? (() => {});
  const build = options.bulkBuild
    ? await beginBulkBuild(
        db,
        SEED_ORDER.filter((table) => !INDEXED_WHILE_LOADING.has(table)),
      )
    : null;
  // The thread writes its files in place under uploadDir: only when they go to the disk store.
  const filesInPlace = !options.files || options.files instanceof DiskStore;
  if (build && !isPostgres(db) && filesInPlace) {
    // SQLite has one writer: the rows are generated in a thread of their own while this one writes them.
    await generateInWorker(db, { scale, seed: options.seed, now: options.now, uploadDir: options.uploadDir, brand: options.brand }, started, log);
  } else {
    await generate(await createContext((batches) => bulkInsert(db, batches), options, started));
  }
  if (build) {
    await finishBulkBuild(db, build, log);
    log(`index et déclencheurs remis — ${since(started)}`);
  }
  await finishDatabase(db, log, started);
  return { counts: await countRows(db), elapsedMs: Date.now() - started };
}

/** Generates every row of the data set, in insert order, and hands them to `ctx.insert`. */
export async function generate(ctx: Ctx): Promise<void> {
  const scale = ctx.scale;
  const memberCount = Math.max(20, Math.round(300 * scale));
  const generatedCount = memberCount - SPECIAL_FAMILIES;
  const { accounts, companies } = await seedCompanies(ctx, generatedCount);
  await seedHealthProfessionals(ctx, scale);
  const { camilleNir } = await seedMembers(ctx, companies, memberCount);
  await seedAffiliationsMessagesAndDocuments(ctx, companies, accounts, camilleNir);
}

export async function createContext(insert: InsertRows, options: SeedOptions, started: number): Promise<Ctx> {
  const now = options.now ?? new Date();
  const brand = options.brand ?? loadBrand(path.join(BRAND_DIR, 'demo.json'));
  return {
    insert,
    scale: options.scale ?? 1,
    rng: new Random(options.seed ?? 20261122),
    today: Math.floor(now.getTime() / 86_400_000),
    nowIso: now.toISOString(),
    nowMs: now.getTime(),
    uploadDir: options.uploadDir ?? null,
    files: options.uploadDir ? (options.files ?? null) : null,
    brand: brandFromConfig(brand),
    demoHash: await hashPassword(DEMO_PASSWORD),
    ids: Object.fromEntries(SEED_ORDER.map((t) => [t, 0])) as Record<SeedTable, number>,
    nirs: new Set(),
    emails: new Set(),
    statementSeq: 0,
    references: new Map(),
    lists: brand.correspondence,
    activity: new Random(((options.seed ?? 20261122) ^ 0x5eed13) >>> 0),
    staffAccountId: 0,
    colleagueAccountId: 0,
    endedMembers: new Map(),
    fileCount: 0,
    log: options.log ?? (() => {}),
    started,
  };
}

function since(started: number): string {
  return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}

function elapsed(ctx: Ctx): string {
  return since(ctx.started);
}

/** 1. Staff and HR accounts, companies, contracts and guarantees, habilitations. */
async function seedCompanies(ctx: Ctx, generatedCount: number): Promise<{ accounts: DemoAccounts; companies: CompanyPlan[] }> {
  const chunk = new Chunk();
  const accounts = addStaffAndHrAccounts(ctx, chunk);
  const companies = planCompanies(ctx, generatedCount);
  addCompanies(ctx, chunk, companies, accounts);
  await chunk.flush(ctx.insert);
  ctx.log(`entreprises : ${companies.length}, établissements : ${ctx.ids.establishments} — ${elapsed(ctx)}`);
  return { accounts, companies };
}

/** 2. Health professionals. */
async function seedHealthProfessionals(ctx: Ctx, scale: number): Promise<void> {
  // The first count is the directory's size before it had identifiers (members drawn after it stay
  // the same); 600 a unit of scale in all: 200,400 at scale 334.
  const base = scale >= 1 ? 600 + Math.round(30 * (scale - 1)) : Math.max(60, Math.round(600 * scale));
  const professionals = healthProfessionalRows(ctx, base, scale >= 1 ? Math.round(600 * scale) : base);
  for (let i = 0; i < professionals.length; i += 5000) await ctx.insert([['health_professionals', professionals.slice(i, i + 5000)]]);
  ctx.log(`professionnels de santé : ${professionals.length} — ${elapsed(ctx)}`);
}

/** 3. Members with their families, by chunks: the special families first, then the generated ones. */
async function seedMembers(ctx: Ctx, companies: CompanyPlan[], memberCount: number): Promise<{ camilleNir: string }> {
  const generatedCount = memberCount - SPECIAL_FAMILIES;
  const { slots, establishments } = establishmentSlots(ctx, companies, generatedCount);
  ctx.ids.members = SPECIAL_FAMILIES;
  const chunk = new Chunk();
  let camilleNir = '';
  for (const family of specialFamilies(ctx, companies)) {
    const result = emitFamily(ctx, chunk, family);
    if (family.id === 1) marieActivity(ctx, chunk, result);
    if (family.id === 3) randomActivity(ctx, chunk, result, BENCH_MEMBER_ACTIVITY);
    if (family.id === 4) camilleNir = result.nir;
  }
  for (let i = 0; i < generatedCount; i++) {
    const { company, establishment } = establishments.get(slots[i])!;
    emitFamily(ctx, chunk, randomFamily(ctx, nextId(ctx, 'members'), company, establishment));
    if ((i + 1) % MEMBERS_PER_CHUNK === 0 || i === generatedCount - 1) {
      const lines = chunk.size('statement_lines');
      await flushWithFiles(ctx, chunk);
      ctx.log(`adhérents : ${ctx.ids.members} / ${memberCount}, lignes de décompte : ${ctx.ids.statement_lines} (+${lines}) — ${elapsed(ctx)}`);
    }
  }
  await flushWithFiles(ctx, chunk);
  return { camilleNir };
}

/** Each generated member gets an establishment slot (as many as its quota), in shuffled order. */
function establishmentSlots(ctx: Ctx, companies: CompanyPlan[], generatedCount: number) {
  const slots = new Int32Array(generatedCount);
  const establishments = new Map<number, { company: CompanyPlan; establishment: EstablishmentPlan }>();
  let k = 0;
  for (const company of companies) {
    for (const e of company.establishments) {
      establishments.set(e.id, { company, establishment: e });
      for (let q = 0; q < e.quota; q++) slots[k++] = e.id;
    }
  }
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(ctx.rng.next() * (i + 1));
    const tmp = slots[i];
    slots[i] = slots[j];
    slots[j] = tmp;
  }
  return { slots, establishments };
}

/** 4. Online affiliations, HR messages, documents pratiques. */
async function seedAffiliationsMessagesAndDocuments(ctx: Ctx, companies: CompanyPlan[], accounts: DemoAccounts, camilleNir: string): Promise<void> {
  const chunk = new Chunk();
  addAffiliationRequests(ctx, chunk, companies, accounts, camilleNir);
  addHrThreads(ctx, chunk, companies, accounts);
  await addPracticalDocuments(ctx, chunk, companies);
  await flushWithFiles(ctx, chunk);
  ctx.log(`demandes d'affiliation, messages RH, documents pratiques — ${elapsed(ctx)}`);
}

/** 5. Sequences after explicit ids, planner statistics. */
async function finishDatabase(db: Db, log: (line: string) => void, started: number): Promise<void> {
  await resetSequences(db, SEED_ORDER);
  await syncReferenceSequences(db);
  await refreshPlannerStatistics(db);
  log(`statistiques de l'optimiseur (ANALYZE) — ${since(started)}`);
}

async function countRows(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    const row = await db(table).count({ n: '*' }).first();
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

/**
 * Seeds the demo data the first time the portal starts (npm start with SEED_DEMO), never again:
 * `demo_seeded_at` in app_meta records it. Several instances starting together on one PostgreSQL
 * database agree through a claim row, so only one of them seeds.
 */
export async function seedDemoIfFirstStart(db: Db, options: SeedOptions = {}): Promise<SeedSummary | null> {
  if ((await readMeta(db, 'demo_seeded_at')) !== null) return null;
  const claim = crypto.randomUUID();
  await db('app_meta').insert({ key: 'demo_seed_claim', value: claim }).onConflict('key').ignore();
  if ((await readMeta(db, 'demo_seed_claim')) !== claim) return null;
  let summary: SeedSummary;
  try {
    summary = await seedDemo(db, options);
  } catch (err) {
    // Chunks already written stay: the claim is kept so no start retries on half a data set.
    throw new Error(`Chargement des données de démonstration interrompu (${(err as Error).message}). Recréez-les avec : npm run seed -- --reset`, {
      cause: err,
    });
  }
  await writeMeta(db, 'demo_seeded_at', new Date().toISOString());
  return summary;
}

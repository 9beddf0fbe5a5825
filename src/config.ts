// Every environment variable the portal reads, validated once at boot.
// Nothing else in the code base touches process.env: tests build a Config from a plain object.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadBrand, type Brand } from './brand.js';
import { PRODUCTION_LOG_N } from './domain/passwords.js';
import { PROJECT_ROOT } from './paths.js';
import type { S3StoreConfig } from './storage/s3-store.js';

type NodeEnv = 'development' | 'production' | 'test';

export type DatabaseConfig = { client: 'sqlite'; filename: string } | { client: 'pg'; url: string };

interface SmsConfig {
  /** HTTP endpoint of the SMS provider; absent → SMS land in the outbox table. */
  url: string | null;
  apiKey: string | null;
  sender: string;
}

export interface Config {
  nodeEnv: NodeEnv;
  isProduction: boolean;
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  database: DatabaseConfig;
  sessionSecret: string;
  /** UPLOAD_DIR: the uploaded files with STORAGE=disk, and multer's temporary folder and the imports' work files always. */
  uploadDir: string;
  /** Where uploaded files are kept (STORAGE): the disk under UPLOAD_DIR, or an S3-compatible store (src/storage/). */
  storage: StorageConfig;
  smtpUrl: string | null;
  mailFrom: string;
  sms: SmsConfig;
  /** Value handed to Express's 'trust proxy' setting. */
  trustProxy: boolean | number | string;
  /** ALLOW_INSECURE_HTTP=true: a production lab served over plain HTTP (said loudly at start-up). */
  allowInsecureHttp: boolean;
  /**
   * The session cookie's Secure flag: always in production; 'auto' (Secure when the request came
   * over HTTPS) in a production lab with ALLOW_INSECURE_HTTP=true, since browsers never send a
   * Secure cookie back over plain HTTP; off outside production (the local demo).
   */
  secureCookie: boolean | 'auto';
  /** Outside production: demo data, /dev/outbox (loopback only) and the « Démonstration » strip. */
  demoMode: boolean;
  seedDemo: boolean;
  logLevel: string;
  /** METRICS_TOKEN: /metrics answers (Prometheus text) to requests bearing it; unset → /metrics is a 404. */
  metricsToken: string | null;
  brandFile: string;
  brand: Brand;
  retention: RetentionConfig;
  /** scrypt work factor (log2 N) of new password hashes: 15, lowered only in the test environment. */
  passwordHashLogN: number;
  outbox: { maxAttempts: number };
  /** Worker processes `npm start` runs (WEB_CONCURRENCY, default one per core; 1 = no cluster). */
  webConcurrency: number;
  /** WORKER_PID_HEADER=true: each response says which process served it (X-Worker-Pid), for the cluster test. */
  workerPidHeader: boolean;
  /** Brotli/gzip of pages, CSS and JS (COMPRESSION, on unless a reverse proxy compresses). */
  compression: boolean;
}

export type StorageConfig = { kind: 'disk' } | ({ kind: 's3' } & S3StoreConfig);

/** How long personal data is kept (docs/domain.md#personal-data-rights), applied by `npm run retention` and a daily job. */
export interface RetentionConfig {
  /** Refused or abandoned affiliation requests and their documents (RETENTION_AFFILIATION_MONTHS, 6). */
  affiliationMonths: number;
  /** Attachments of closed conversations, after their last message (RETENTION_CLOSED_THREAD_ATTACHMENTS_YEARS, 2). */
  closedThreadAttachmentsYears: number;
  /** The security audit log (RETENTION_AUDIT_YEARS, 5). */
  auditYears: number;
  /** A prepared « Télécharger mes données » ZIP (RETENTION_DATA_EXPORT_DAYS, 7). */
  dataExportDays: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable} : ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function readPort(env: Env): number {
  const raw = env.PORT?.trim();
  if (!raw) return 3000;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new ConfigError('PORT', `« ${raw} » n'est pas un port valide (un entier entre 1 et 65535 est attendu).`);
  }
  return port;
}

function readNodeEnv(env: Env): NodeEnv {
  const raw = (env.NODE_ENV ?? 'development').trim();
  if (raw === 'development' || raw === 'production' || raw === 'test') return raw;
  throw new ConfigError('NODE_ENV', `« ${raw} » est inconnu (attendu : development, production ou test).`);
}

function readDatabase(env: Env, dataDir: string): DatabaseConfig {
  const raw = env.DATABASE_URL?.trim();
  if (!raw) return { client: 'sqlite', filename: path.join(dataDir, 'portail.sqlite') };
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      new URL(raw);
    } catch {
      throw new ConfigError('DATABASE_URL', "l'adresse PostgreSQL est mal formée (exemple : postgres://user:mdp@localhost:5432/portail).");
    }
    return { client: 'pg', url: raw };
  }
  const sqlite = raw.match(/^(?:sqlite|file):(.+)$/);
  if (sqlite) {
    const file = sqlite[1].replace(/^\/\/(?=\/)/, '');
    return { client: 'sqlite', filename: file === ':memory:' ? file : path.resolve(PROJECT_ROOT, file) };
  }
  throw new ConfigError('DATABASE_URL', `format non reconnu (attendu : postgres://… ou sqlite:chemin/fichier.sqlite).`);
}

function readSessionSecret(env: Env, nodeEnv: NodeEnv, dataDir: string): string {
  const raw = env.SESSION_SECRET?.trim();
  if (raw) {
    if (raw.length < 32) throw new ConfigError('SESSION_SECRET', 'doit comporter au moins 32 caractères.');
    return raw;
  }
  if (nodeEnv === 'production') {
    throw new ConfigError('SESSION_SECRET', 'obligatoire en production (au moins 32 caractères aléatoires).');
  }
  if (nodeEnv === 'test') return crypto.randomBytes(32).toString('hex');
  // Demo: generate once and keep it so sessions survive restarts.
  const file = path.join(dataDir, 'session-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString('hex');
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function readSmtpUrl(env: Env): string | null {
  const raw = env.SMTP_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('SMTP_URL', 'adresse mal formée (exemple : smtp://user:mdp@smtp.example.fr:587).');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new ConfigError('SMTP_URL', 'le protocole doit être smtp:// ou smtps://.');
  }
  return raw;
}

function readSms(env: Env): SmsConfig {
  const url = env.SMS_PROVIDER_URL?.trim() || null;
  const apiKey = env.SMS_API_KEY?.trim() || null;
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError('SMS_PROVIDER_URL', 'adresse mal formée (https://… attendu).');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new ConfigError('SMS_PROVIDER_URL', 'le protocole doit être https:// (ou http:// en test).');
    }
    if (!apiKey) throw new ConfigError('SMS_API_KEY', 'obligatoire quand SMS_PROVIDER_URL est défini.');
  }
  const sender = env.SMS_SENDER?.trim() || 'MUTUELLE';
  if (!/^[A-Za-z0-9]{3,11}$/.test(sender)) {
    throw new ConfigError('SMS_SENDER', "de 3 à 11 lettres ou chiffres (nom d'expéditeur SMS).");
  }
  return { url, apiKey, sender };
}

function readTrustProxy(env: Env): boolean | number | string {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw || raw === 'false' || raw === '0') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  // Express accepts 'loopback', 'uniquelocal', IPs and CIDRs, comma separated.
  if (/^[0-9a-fA-F.:/, a-z]+$/.test(raw)) return raw;
  throw new ConfigError('TRUST_PROXY', `« ${raw} » n'est pas reconnu (true, false, un nombre de proxys, ou des adresses IP/CIDR).`);
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['1', 'true', 'oui', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'non', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `« ${raw} » n'est pas une valeur booléenne (true ou false).`);
}

function readPositiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 1000) {
    throw new ConfigError(name, `« ${raw} » n'est pas une durée valide (un entier entre 1 et 1000 est attendu).`);
  }
  return value;
}

/** OUTBOX_MAX_ATTEMPTS: how many refusals of the mail or SMS server make a message « dead » (src/domain/outbox.ts). */
function readOutboxMaxAttempts(env: Env): number {
  const raw = env.OUTBOX_MAX_ATTEMPTS?.trim();
  if (!raw) return 10;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 100) {
    throw new ConfigError('OUTBOX_MAX_ATTEMPTS', `« ${raw} » n'est pas un nombre d'essais valide (un entier entre 1 et 100 est attendu).`);
  }
  return Number(raw);
}

function readRetention(env: Env): RetentionConfig {
  return {
    affiliationMonths: readPositiveInt(env, 'RETENTION_AFFILIATION_MONTHS', 6),
    closedThreadAttachmentsYears: readPositiveInt(env, 'RETENTION_CLOSED_THREAD_ATTACHMENTS_YEARS', 2),
    auditYears: readPositiveInt(env, 'RETENTION_AUDIT_YEARS', 5),
    dataExportDays: readPositiveInt(env, 'RETENTION_DATA_EXPORT_DAYS', 7),
  };
}

// Test runs hash thousands of passwords: N = 2^10 there keeps the suite fast, and a value below the
// production work factor is refused anywhere else.
function readPasswordHashLogN(env: Env, nodeEnv: NodeEnv): number {
  const raw = env.PASSWORD_HASH_LOG_N?.trim();
  const minimum = nodeEnv === 'test' ? 10 : PRODUCTION_LOG_N;
  if (!raw) return nodeEnv === 'test' ? 10 : PRODUCTION_LOG_N;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < minimum || value > 20) {
    throw new ConfigError('PASSWORD_HASH_LOG_N', `« ${raw} » est refusé (un entier entre ${minimum} et 20 est attendu).`);
  }
  return value;
}

/** One worker per core by default; an in-memory SQLite database lives in one process only. */
function readWebConcurrency(env: Env, database: DatabaseConfig): number {
  const raw = env.WEB_CONCURRENCY?.trim();
  if (database.client === 'sqlite' && database.filename === ':memory:') {
    if (raw && raw !== '1') throw new ConfigError('WEB_CONCURRENCY', 'une base SQLite en mémoire ne se partage pas entre processus : 1 seulement.');
    return 1;
  }
  if (!raw) return os.availableParallelism();
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 256) {
    throw new ConfigError('WEB_CONCURRENCY', `« ${raw} » n'est pas un nombre de processus valide (un entier entre 1 et 256 est attendu).`);
  }
  return value;
}

function readMetricsToken(env: Env): string | null {
  const raw = env.METRICS_TOKEN?.trim();
  if (!raw) return null;
  if (raw.length < 32) throw new ConfigError('METRICS_TOKEN', 'doit comporter au moins 32 caractères (par exemple : openssl rand -hex 32).');
  return raw;
}

function readPublicUrl(env: Env, port: number): string {
  const raw = env.PUBLIC_URL?.trim();
  if (!raw) return `http://localhost:${port}`;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new ConfigError('PUBLIC_URL', 'adresse publique mal formée (exemple : https://portail.mutuelle.fr).');
  }
  return raw.replace(/\/+$/, '');
}

function requiredForS3(env: Env, name: string, what: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(name, `obligatoire avec STORAGE=s3 (${what}).`);
  return value;
}

/** STORAGE=disk (the default) or s3; with s3, the bucket and its credentials are required. */
function readStorage(env: Env): StorageConfig {
  const kind = env.STORAGE?.trim() || 'disk';
  if (kind === 'disk') return { kind };
  if (kind !== 's3') throw new ConfigError('STORAGE', `« ${kind} » est inconnu (attendu : disk ou s3).`);
  let endpoint: string | null = env.S3_ENDPOINT?.trim() || null;
  if (endpoint) {
    try {
      const url = new URL(endpoint);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    } catch {
      throw new ConfigError('S3_ENDPOINT', 'adresse mal formée (exemple : https://s3.fr-par.scw.cloud ou http://127.0.0.1:9000).');
    }
    endpoint = endpoint.replace(/\/+$/, '');
  }
  const bucket = requiredForS3(env, 'S3_BUCKET', 'le nom du bucket');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new ConfigError('S3_BUCKET', `« ${bucket} » n'est pas un nom de bucket valide (3 à 63 minuscules, chiffres, points ou tirets).`);
  }
  const prefix = env.S3_PREFIX?.trim() ?? '';
  if (prefix && !/^([A-Za-z0-9][A-Za-z0-9._-]*\/)+$/.test(prefix)) {
    throw new ConfigError('S3_PREFIX', `« ${prefix} » est refusé : des dossiers terminés par « / » sont attendus (exemple : portail/).`);
  }
  return {
    kind,
    endpoint,
    region: env.S3_REGION?.trim() || 'us-east-1',
    bucket,
    prefix,
    accessKeyId: requiredForS3(env, 'S3_ACCESS_KEY_ID', "l'identifiant de la clé d'accès"),
    secretAccessKey: requiredForS3(env, 'S3_SECRET_ACCESS_KEY', 'la clé secrète'),
    forcePathStyle: readBoolean(env, 'S3_FORCE_PATH_STYLE', endpoint !== null),
  };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env = {}): Config {
  const nodeEnv = readNodeEnv(env);
  const dataDir = path.resolve(PROJECT_ROOT, env.DATA_DIR?.trim() || 'data');
  const port = readPort(env);
  const brandFile = path.resolve(PROJECT_ROOT, env.BRAND_FILE?.trim() || 'brand/demo.json');
  let brand: Brand;
  try {
    brand = loadBrand(brandFile);
  } catch (err) {
    throw new ConfigError('BRAND_FILE', (err as Error).message);
  }
  const logLevel = env.LOG_LEVEL?.trim() || (nodeEnv === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `« ${logLevel} » est inconnu (${LOG_LEVELS.join(', ')}).`);
  }
  const isProduction = nodeEnv === 'production';
  const database = readDatabase(env, dataDir);
  const sessionSecret = readSessionSecret(env, nodeEnv, dataDir);
  const trustProxy = readTrustProxy(env);
  const allowInsecureHttp = readBoolean(env, 'ALLOW_INSECURE_HTTP', false);
  if (isProduction && trustProxy === false && !allowInsecureHttp) {
    throw new ConfigError(
      'TRUST_PROXY ou ALLOW_INSECURE_HTTP',
      'en production, le portail doit être servi en HTTPS : indiquez dans TRUST_PROXY le proxy qui termine HTTPS devant lui (par exemple TRUST_PROXY=1 ou son adresse), ou, pour un laboratoire seulement, ALLOW_INSECURE_HTTP=true.',
    );
  }
  const seedDemo = readBoolean(env, 'SEED_DEMO', !isProduction);
  if (isProduction && seedDemo) {
    throw new ConfigError(
      'SEED_DEMO',
      'les données de démonstration (comptes au mot de passe connu) ne sont jamais chargées en production : retirez SEED_DEMO ou mettez-le à false.',
    );
  }
  return {
    nodeEnv,
    isProduction,
    port,
    // Local by default: listening on every interface is a choice (HOST=0.0.0.0), never an accident.
    host: env.HOST?.trim() || '127.0.0.1',
    publicUrl: readPublicUrl(env, port),
    dataDir,
    database,
    sessionSecret,
    uploadDir: path.resolve(PROJECT_ROOT, env.UPLOAD_DIR?.trim() || path.join(dataDir, 'uploads')),
    storage: readStorage(env),
    smtpUrl: readSmtpUrl(env),
    mailFrom: env.MAIL_FROM?.trim() || `${brand.name} <${brand.emailFrom}>`,
    sms: readSms(env),
    trustProxy,
    allowInsecureHttp,
    secureCookie: !isProduction ? false : allowInsecureHttp ? 'auto' : true,
    demoMode: !isProduction,
    seedDemo,
    logLevel,
    metricsToken: readMetricsToken(env),
    brandFile,
    brand,
    retention: readRetention(env),
    passwordHashLogN: readPasswordHashLogN(env, nodeEnv),
    outbox: { maxAttempts: readOutboxMaxAttempts(env) },
    webConcurrency: readWebConcurrency(env, database),
    workerPidHeader: readBoolean(env, 'WORKER_PID_HEADER', false),
    compression: readBoolean(env, 'COMPRESSION', true),
  };
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ConfigError, loadConfig } from '../../src/config.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portail-config-'));
const base = { NODE_ENV: 'test', DATA_DIR: dataDir };

function errorFor(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ ...base, ...env });
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err;
  }
  assert.fail(`no error for ${JSON.stringify(env)}`);
}

test('defaults: port 3000, SQLite file in the data folder, outbox transports', () => {
  const config = loadConfig(base);
  assert.equal(config.port, 3000);
  assert.deepEqual(config.database, { client: 'sqlite', filename: path.join(dataDir, 'portail.sqlite') });
  assert.equal(config.smtpUrl, null);
  assert.equal(config.sms.url, null);
  assert.equal(config.trustProxy, false);
  assert.equal(config.brand.name, 'Tilleul Santé');
});

test('a wrong value names its variable', () => {
  assert.equal(errorFor({ PORT: 'abc' }).variable, 'PORT');
  assert.equal(errorFor({ PORT: '70000' }).variable, 'PORT');
  assert.equal(errorFor({ NODE_ENV: 'staging' }).variable, 'NODE_ENV');
  assert.equal(errorFor({ DATABASE_URL: 'mysql://x' }).variable, 'DATABASE_URL');
  assert.equal(errorFor({ SMTP_URL: 'http://mail' }).variable, 'SMTP_URL');
  assert.equal(errorFor({ SMS_PROVIDER_URL: 'https://sms.example' }).variable, 'SMS_API_KEY');
  assert.equal(errorFor({ TRUST_PROXY: 'maybe?' }).variable, 'TRUST_PROXY');
  assert.equal(errorFor({ SESSION_SECRET: 'short' }).variable, 'SESSION_SECRET');
  assert.equal(errorFor({ BRAND_FILE: '/nonexistent/brand.json' }).variable, 'BRAND_FILE');
  assert.equal(errorFor({ SEED_DEMO: 'perhaps' }).variable, 'SEED_DEMO');
});

test('production requires SESSION_SECRET and turns off the demo seed', () => {
  assert.equal(errorFor({ NODE_ENV: 'production' }).variable, 'SESSION_SECRET');
  const config = loadConfig({ ...base, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), TRUST_PROXY: '1' });
  assert.equal(config.isProduction, true);
  assert.equal(config.seedDemo, false);
  assert.equal(config.demoMode, false);
});

const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) };

test('production refuses to start without HTTPS termination (TRUST_PROXY) or an explicit lab (ALLOW_INSECURE_HTTP=true)', () => {
  for (const env of [production, { ...production, TRUST_PROXY: 'false' }, { ...production, ALLOW_INSECURE_HTTP: 'false' }]) {
    const err = errorFor(env);
    assert.match(err.variable, /TRUST_PROXY/);
    assert.match(err.message, /TRUST_PROXY/);
    assert.match(err.message, /ALLOW_INSECURE_HTTP=true/);
    assert.match(err.message, /HTTPS/);
  }
  assert.equal(errorFor({ ...production, ALLOW_INSECURE_HTTP: 'peut-être' }).variable, 'ALLOW_INSECURE_HTTP');
});

test('the session cookie is always Secure in production; a lab has it Secure over HTTPS only; the local demo never', () => {
  assert.equal(loadConfig({ ...base, ...production, TRUST_PROXY: '1' }).secureCookie, true);
  assert.equal(loadConfig({ ...base, ...production, TRUST_PROXY: 'loopback' }).secureCookie, true);
  const lab = loadConfig({ ...base, ...production, ALLOW_INSECURE_HTTP: 'true' });
  assert.equal(lab.allowInsecureHttp, true);
  assert.equal(lab.secureCookie, 'auto');
  assert.equal(loadConfig({ ...base, ...production, TRUST_PROXY: '1', ALLOW_INSECURE_HTTP: 'true' }).secureCookie, 'auto');
  assert.equal(loadConfig({ ...base, NODE_ENV: 'development' }).secureCookie, false);
  assert.equal(loadConfig({ ...base, NODE_ENV: 'development', ALLOW_INSECURE_HTTP: 'true' }).secureCookie, false);
});

test('production never seeds the demo data: SEED_DEMO=true is refused, not ignored', () => {
  const err = errorFor({ ...production, TRUST_PROXY: '1', SEED_DEMO: 'true' });
  assert.equal(err.variable, 'SEED_DEMO');
  assert.match(err.message, /jamais chargées en production/);
  assert.equal(loadConfig({ ...base, ...production, TRUST_PROXY: '1', SEED_DEMO: 'false' }).seedDemo, false);
});

test('demo mode outside production; listens on 127.0.0.1 unless HOST says otherwise', () => {
  const demo = loadConfig({ ...base, NODE_ENV: 'development' });
  assert.equal(demo.demoMode, true);
  assert.equal(demo.seedDemo, true);
  assert.equal(demo.host, '127.0.0.1');
  assert.equal(loadConfig({ ...base, ...production, TRUST_PROXY: '1' }).host, '127.0.0.1');
  assert.equal(loadConfig({ ...base, HOST: '0.0.0.0' }).host, '0.0.0.0');
  assert.equal(loadConfig({ ...base, HOST: '::' }).host, '::');
});

test('development generates a session secret once and keeps it in the data folder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portail-secret-'));
  const first = loadConfig({ NODE_ENV: 'development', DATA_DIR: dir }).sessionSecret;
  const second = loadConfig({ NODE_ENV: 'development', DATA_DIR: dir }).sessionSecret;
  assert.equal(first, second);
  assert.ok(first.length >= 32);
  assert.equal(fs.readFileSync(path.join(dir, 'session-secret'), 'utf8').trim(), first);
});

test('PostgreSQL, trust proxy and SMTP values are accepted', () => {
  const config = loadConfig({
    ...base,
    DATABASE_URL: 'postgres://portail:secret@localhost:5432/portail',
    TRUST_PROXY: '1',
    SMTP_URL: 'smtp://user:pw@localhost:2525',
  });
  assert.equal(config.database.client, 'pg');
  assert.equal(config.trustProxy, 1);
  assert.equal(config.smtpUrl, 'smtp://user:pw@localhost:2525');
});

test('the server exits non-zero with a message naming the variable', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: 'pas-un-port', DATA_DIR: dataDir, NODE_ENV: 'test' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /PORT/);
  assert.match(result.stderr, /Configuration invalide/);
});

test('the server refuses to start in production without HTTPS termination, naming TRUST_PROXY and ALLOW_INSECURE_HTTP', () => {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATA_DIR: dataDir, PORT: '1' };
  delete env.TRUST_PROXY;
  delete env.ALLOW_INSECURE_HTTP;
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, encoding: 'utf8', timeout: 30_000 });
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stderr, /Configuration invalide — TRUST_PROXY ou ALLOW_INSECURE_HTTP/);
  assert.match(result.stderr, /ALLOW_INSECURE_HTTP=true/);
});

test('npm run seed refuses a production configuration', () => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    SESSION_SECRET: 'x'.repeat(40),
    TRUST_PROXY: '1',
    DATA_DIR: dataDir,
    DATABASE_URL: `sqlite:${path.join(dataDir, 'seed-refused.sqlite')}`,
  };
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/seed.ts'], { env, encoding: 'utf8', timeout: 30_000 });
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /jamais chargées en production/);
  assert.equal(fs.existsSync(path.join(dataDir, 'seed-refused.sqlite')), false, 'no database touched');
});

test('secret link tokens never reach the request log', async () => {
  const { redactPath } = await import('../../src/app.js');
  assert.equal(redactPath('/assure/reinitialiser/abcDEF123?x=1'), '/assure/reinitialiser/[jeton]');
  assert.equal(redactPath('/entreprise/creer-mot-de-passe/tok/extra'), '/entreprise/creer-mot-de-passe/[jeton]/extra');
  assert.equal(redactPath('/affiliation/tok'), '/affiliation/[jeton]');
  assert.equal(redactPath('/entreprise/refuser-acces/tok'), '/entreprise/refuser-acces/[jeton]');
  assert.equal(redactPath('/assure/accueil?du=2026-01-01'), '/assure/accueil');
});

test('password hash work factor: 2^15 outside tests, lowered only in the test environment', () => {
  assert.equal(loadConfig(base).passwordHashLogN, 10);
  assert.equal(loadConfig({ ...base, NODE_ENV: 'development' }).passwordHashLogN, 15);
  assert.equal(loadConfig({ ...base, NODE_ENV: 'development', PASSWORD_HASH_LOG_N: '16' }).passwordHashLogN, 16);
  assert.equal(errorFor({ NODE_ENV: 'development', PASSWORD_HASH_LOG_N: '10' }).variable, 'PASSWORD_HASH_LOG_N');
  assert.equal(errorFor({ PASSWORD_HASH_LOG_N: '9' }).variable, 'PASSWORD_HASH_LOG_N');
  assert.equal(errorFor({ PASSWORD_HASH_LOG_N: '21' }).variable, 'PASSWORD_HASH_LOG_N');
});

test('METRICS_TOKEN: unset by default (/metrics off), at least 32 characters when set', () => {
  assert.equal(loadConfig(base).metricsToken, null);
  assert.equal(errorFor({ METRICS_TOKEN: 'trop-court' }).variable, 'METRICS_TOKEN');
  assert.equal(loadConfig({ ...base, METRICS_TOKEN: 'x'.repeat(32) }).metricsToken, 'x'.repeat(32));
});

test('STORAGE: disk by default; s3 needs its bucket and keys, each missing or wrong one named', () => {
  assert.deepEqual(loadConfig(base).storage, { kind: 'disk' });
  assert.equal(errorFor({ STORAGE: 'ftp' }).variable, 'STORAGE');
  const s3 = { STORAGE: 's3', S3_BUCKET: 'portail-fichiers', S3_ACCESS_KEY_ID: 'cle', S3_SECRET_ACCESS_KEY: 'secret' };
  for (const name of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
    const error = errorFor({ ...s3, [name]: '' });
    assert.equal(error.variable, name);
    assert.match(error.message, /obligatoire avec STORAGE=s3/);
  }
  assert.equal(errorFor({ ...s3, S3_BUCKET: 'Pas_Un_Bucket' }).variable, 'S3_BUCKET');
  assert.equal(errorFor({ ...s3, S3_ENDPOINT: 'ftp://s3.exemple.fr' }).variable, 'S3_ENDPOINT');
  assert.equal(errorFor({ ...s3, S3_PREFIX: 'sans-barre' }).variable, 'S3_PREFIX');
  assert.equal(errorFor({ ...s3, S3_FORCE_PATH_STYLE: 'peut-etre' }).variable, 'S3_FORCE_PATH_STYLE');
  // AWS itself: virtual-host addresses; a self-hosted endpoint: path-style unless told otherwise.
  assert.deepEqual(loadConfig({ ...base, ...s3 }).storage, {
    kind: 's3',
    endpoint: null,
    region: 'us-east-1',
    bucket: 'portail-fichiers',
    prefix: '',
    accessKeyId: 'cle',
    secretAccessKey: 'secret',
    forcePathStyle: false,
  });
  const minio = loadConfig({ ...base, ...s3, S3_ENDPOINT: 'http://127.0.0.1:9000/', S3_PREFIX: 'portail/', S3_REGION: 'eu-west-3' }).storage;
  assert.ok(minio.kind === 's3');
  assert.equal(minio.endpoint, 'http://127.0.0.1:9000');
  assert.equal(minio.forcePathStyle, true);
  assert.equal(minio.prefix, 'portail/');
  assert.equal(minio.region, 'eu-west-3');
});

test('WEB_CONCURRENCY: one worker per core by default, a count from 1 to 256, 1 only for an in-memory database; COMPRESSION on by default', () => {
  assert.equal(loadConfig(base).webConcurrency, os.availableParallelism());
  assert.equal(loadConfig({ ...base, WEB_CONCURRENCY: '3' }).webConcurrency, 3);
  for (const value of ['0', 'deux', '1.5', '257']) assert.equal(errorFor({ WEB_CONCURRENCY: value }).variable, 'WEB_CONCURRENCY', value);
  assert.equal(loadConfig({ ...base, DATABASE_URL: 'sqlite::memory:' }).webConcurrency, 1);
  assert.equal(errorFor({ DATABASE_URL: 'sqlite::memory:', WEB_CONCURRENCY: '2' }).variable, 'WEB_CONCURRENCY');
  assert.equal(loadConfig(base).compression, true);
  assert.equal(loadConfig({ ...base, COMPRESSION: 'false' }).compression, false);
  assert.equal(loadConfig(base).workerPidHeader, false);
});

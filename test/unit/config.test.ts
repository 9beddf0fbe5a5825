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
  const config = loadConfig({ ...base, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) });
  assert.equal(config.isProduction, true);
  assert.equal(config.seedDemo, false);
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

test('secret link tokens never reach the request log', async () => {
  const { redactPath } = await import('../../src/app.js');
  assert.equal(redactPath('/assure/reinitialiser/abcDEF123?x=1'), '/assure/reinitialiser/[jeton]');
  assert.equal(redactPath('/entreprise/creer-mot-de-passe/tok/extra'), '/entreprise/creer-mot-de-passe/[jeton]/extra');
  assert.equal(redactPath('/affiliation/tok'), '/affiliation/[jeton]');
  assert.equal(redactPath('/entreprise/refuser-acces/tok'), '/entreprise/refuser-acces/[jeton]');
  assert.equal(redactPath('/assure/accueil?du=2026-01-01'), '/assure/accueil');
});

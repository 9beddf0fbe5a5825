// The real server process: migrations at start, listening, graceful shutdown on SIGTERM — as one
// process (WEB_CONCURRENCY=1); test/http/cluster.test.ts runs it with two workers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import knex from 'knex';
import { assertIncludes } from '../helpers/assertions.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

test('starts, migrates, serves, and exits 0 on SIGTERM after closing the database', { timeout: 60_000 }, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portail-server-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    NODE_ENV: 'development',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
    WEB_CONCURRENCY: '1',
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    for (let i = 0; i < 200 && !output.includes('disponible sur'); i++) await new Promise((r) => setTimeout(r, 100));
    assertIncludes(output, 'disponible sur', output);
    assertIncludes(output, 'Migrations appliquées', 'migrations at first start');
    const res = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(res.status, 200);
    assertIncludes(await res.text(), 'Espace Assuré');
    assert.ok(fs.existsSync(path.join(dataDir, 'portail.sqlite')), 'SQLite file in the data folder');
    child.kill('SIGTERM');
    assert.equal(await exited, 0, output);
    assertIncludes(output, 'SIGTERM reçu');
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

/** Starts src/server.ts with `env` and waits for « disponible sur »; returns the child and its output so far. */
async function startServer(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const state = { output: '' };
  child.stdout.on('data', (c: Buffer) => (state.output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (state.output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 300 && !state.output.includes('disponible sur'); i++) await new Promise((r) => setTimeout(r, 100));
  assertIncludes(state.output, 'disponible sur', state.output);
  return { child, state, exited };
}

function externalAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}

test('without NODE_ENV: says it runs in demonstration mode and listens on 127.0.0.1 only', { timeout: 60_000 }, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portail-server-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'silent', WEB_CONCURRENCY: '1' };
  for (const name of ['DATABASE_URL', 'NODE_ENV', 'HOST', 'TRUST_PROXY', 'ALLOW_INSECURE_HTTP']) delete env[name];
  const { child, state, exited } = await startServer(env);
  try {
    assert.match(state.output, /Mode démonstration \(NODE_ENV=development\) : données fictives/);
    assert.match(state.output, /écoute sur 127\.0\.0\.1:/);
    assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200);
    const external = externalAddress();
    if (external) {
      await assert.rejects(fetch(`http://${external}:${port}/`), 'not reachable from another interface');
    } else {
      console.warn('server.test: no non-loopback IPv4 address here, the other-interface check is not run');
    }
    child.kill('SIGTERM');
    assert.equal(await exited, 0, state.output);
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('production lab (ALLOW_INSECURE_HTTP=true): a loud warning, no demonstration mode, no demo data even on first start', { timeout: 60_000 }, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portail-server-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    SESSION_SECRET: 'x'.repeat(40),
    ALLOW_INSECURE_HTTP: 'true',
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    WEB_CONCURRENCY: '1',
  };
  for (const name of ['DATABASE_URL', 'HOST', 'TRUST_PROXY', 'SEED_DEMO']) delete env[name];
  const { child, state, exited } = await startServer(env);
  try {
    assert.match(state.output, /ATTENTION — ALLOW_INSECURE_HTTP=true : production servie en HTTP sans chiffrement/);
    assert.doesNotMatch(state.output, /Mode démonstration|Données de démonstration chargées/);
    assert.equal((await fetch(`http://127.0.0.1:${port}/dev/outbox`)).status, 404);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, state.output);
    const db = knex({ client: 'better-sqlite3', connection: { filename: path.join(dataDir, 'portail.sqlite') }, useNullAsDefault: true });
    try {
      assert.equal(Number((await db('accounts').count({ n: '*' }).first())?.n), 0, 'no demo account');
    } finally {
      await db.destroy();
    }
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

// The real server process at start-up: a file analysis left « analyse en cours » by a process
// that died (its slots' lease ran out) is marked failed before anyone looks at it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createDb, insertedId, migrateLatest } from '../../src/db.js';
import { ANALYSIS_INTERRUPTED_MESSAGE, ANALYSIS_LEASE_MS, createImportJobWithSlots } from '../../src/stores/import-jobs.js';
import { assertIncludes } from '../helpers/assertions.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

test('at start-up, an analysis left by a dead process is marked failed with its French message', { timeout: 60_000 }, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portail-recovery-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    NODE_ENV: 'development',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
    WEB_CONCURRENCY: '1',
  };
  delete env.DATABASE_URL;
  // The database as the dead process left it: a job analysing, its slots' lease over.
  const db = createDb(loadConfig(env).database);
  await migrateLatest(db);
  const iso = new Date().toISOString();
  const [row] = await db('accounts')
    .insert({ kind: 'hr', email: 'rh.recovery@exemple.fr', status: 'active', first_name: 'Rémi', last_name: 'Reprise', created_at: iso, updated_at: iso })
    .returning('id');
  const died = new Date(Date.now() - ANALYSIS_LEASE_MS - 5_000);
  const reservation = await createImportJobWithSlots(db, insertedId(row), 'etablissements.xlsx', 'dead-process', died);
  assert.ok(reservation.ok);
  const status = async () => (await db('import_jobs').where({ id: reservation.jobId }).first()) as { status: string; result: string | null };
  assert.equal((await status()).status, 'analyzing');

  env.PORT = String(await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  try {
    for (let i = 0; i < 200 && !output.includes('disponible sur'); i++) await new Promise((r) => setTimeout(r, 100));
    assertIncludes(output, 'disponible sur', output);
    let job = await status();
    for (let i = 0; i < 100 && job.status === 'analyzing'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = await status();
    }
    assert.equal(job.status, 'failed', output);
    assert.deepEqual(JSON.parse(job.result!), { message: ANALYSIS_INTERRUPTED_MESSAGE });
    assert.equal((await db('import_analysis_slots')).length, 0, "the dead process's slots are gone");
  } finally {
    child.kill('SIGKILL');
    await db.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

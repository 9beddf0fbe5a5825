// A fresh app on a fresh database for each test file: a temporary SQLite file by default, or a
// new PostgreSQL database when TEST_PG_URL points at a server (npm run test:pg).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import knex from 'knex';
import { loadConfig, type Config } from '../../src/config.js';
import { createDb, migrateLatest, type Db } from '../../src/db.js';
import { createApp } from '../../src/app.js';

export interface TestClock {
  now: Date;
  (): Date;
  advance(ms: number): void;
  set(date: Date): void;
}

export function makeClock(start = new Date('2026-11-22T09:00:00.000Z')): TestClock {
  const clock = (() => clock.now) as TestClock;
  clock.now = start;
  clock.advance = (ms) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  clock.set = (date) => {
    clock.now = date;
  };
  return clock;
}

export interface TestContext {
  app: Express;
  db: Db;
  config: Config;
  clock: TestClock;
  dataDir: string;
  close(): Promise<void>;
}

const pgAdminUrl = process.env.TEST_PG_URL;

async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `portail_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: pgAdminUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  const url = new URL(pgAdminUrl!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

export async function makeTestApp(env: Record<string, string> = {}, options: { clock?: TestClock } = {}): Promise<TestContext> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portail-test-'));
  const pg = pgAdminUrl ? await createPgDatabase() : null;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: pg ? pg.url : `sqlite:${path.join(dataDir, 'test.sqlite')}`,
    ...env,
  });
  const db = createDb(config.database);
  await migrateLatest(db);
  const clock = options.clock ?? makeClock();
  const app = createApp({ config, db, clock });
  return {
    app,
    db,
    config,
    clock,
    dataDir,
    async close() {
      await db.destroy();
      if (pg) await pg.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The hidden `_csrf` value of the first form in an HTML page. */
export function csrfFrom(html: string): string {
  const match = html.match(/name="_csrf" value="([^"]+)"/);
  if (!match) throw new Error('no CSRF token in page');
  return match[1];
}

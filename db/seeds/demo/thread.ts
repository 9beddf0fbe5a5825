// The demo seed's bulk build on SQLite runs on two threads: worker.ts generates the rows and turns
// them into ready INSERTs (db/seeds/bulk.ts, sqliteInserts) while this thread, SQLite's only writer,
// runs them. At most MAX_IN_FLIGHT chunks wait between the two, so memory stays flat at any scale.
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Brand } from '../../../src/brand.js';
import type { Db } from '../../../src/db.js';
import { runSqliteInserts, type SqliteInsert } from '../bulk.js';

/** Chunks generated but not yet written, beyond which the generator waits. */
export const MAX_IN_FLIGHT = 2;

/** seedDemo's options (index.ts, SeedOptions) that a thread can receive: all but `log`. */
export interface ThreadOptions {
  scale: number;
  seed?: number;
  now?: Date;
  uploadDir?: string;
  brand?: Brand;
}

/** What the generator thread receives: seedDemo's options, and when the seed started. */
export interface WorkerInput {
  options: ThreadOptions;
  started: number;
}

export type WorkerMessage = { type: 'rows'; inserts: SqliteInsert[] } | { type: 'log'; line: string } | { type: 'done'; cpuSeconds: number | null };

/** CPU seconds (user + system) of the calling thread, from Linux's /proc; null elsewhere. */
export function threadCpuSeconds(): number | null {
  try {
    const stat = fs.readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of proc(5), in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function startWorker(input: WorkerInput): Worker {
  const url = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
  if (url.pathname.endsWith('.ts')) {
    // Run through tsx (npm run seed, the bench, the tests): the thread registers tsx before loading TypeScript.
    const code = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
    return new Worker(code, { eval: true, workerData: input });
  }
  return new Worker(url, { workerData: input });
}

/** Generates the data set in a worker thread and writes its rows here, each chunk in one transaction. */
export async function generateInWorker(db: Db, options: ThreadOptions, started: number, log: (line: string) => void): Promise<void> {
  const conn: unknown = await db.client.acquireConnection();
  const ownCpu = threadCpuSeconds();
  try {
    await new Promise<void>((resolve, reject) => {
      const worker = startWorker({ options, started });
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        reject(err);
        void worker.terminate();
      };
      worker.on('message', (message: WorkerMessage) => {
        if (settled) return;
        try {
          if (message.type === 'rows') {
            runSqliteInserts(conn, message.inserts);
            worker.postMessage('written');
          } else if (message.type === 'log') {
            log(message.line);
          } else {
            settled = true;
            const written = threadCpuSeconds();
            const cpu = (s: number | null) => (s === null ? '?' : `${s.toFixed(1)} s`);
            log(`CPU : génération (fil de travail) ${cpu(message.cpuSeconds)}, écriture ${cpu(written === null || ownCpu === null ? null : written - ownCpu)}`);
            resolve();
            void worker.terminate();
          }
        } catch (err) {
          fail(err);
        }
      });
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`seedDemo: the generator thread stopped before the end (exit code ${code})`)));
    });
  } finally {
    await db.client.releaseConnection(conn);
  }
}

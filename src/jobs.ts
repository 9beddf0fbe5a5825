// Periodic housekeeping that any instance may run (all state is in the database, and each
// job is idempotent): purge expired sessions, codes and throttling counters.
import type { Config } from './config.js';
import type { Db } from './db.js';

export interface Job {
  name: string;
  everyMs: number;
  run(db: Db, now: Date): Promise<void>;
}

export const jobs: Job[] = [
  {
    name: 'purge-sessions',
    everyMs: 10 * 60 * 1000,
    async run(db, now) {
      await db('sessions').where('expired', '<', now.toISOString()).delete();
    },
  },
  {
    name: 'purge-one-time-codes',
    everyMs: 60 * 60 * 1000,
    async run(db, now) {
      const dayAgo = new Date(now.getTime() - 24 * 3600 * 1000).toISOString();
      await db('one_time_codes').where('expires_at', '<', dayAgo).delete();
    },
  },
  {
    name: 'purge-throttle',
    everyMs: 60 * 60 * 1000,
    async run(db, now) {
      const dayAgo = new Date(now.getTime() - 24 * 3600 * 1000).toISOString();
      await db('throttle').where('last_failure_at', '<', dayAgo).delete();
    },
  },
];

/** Runs every job once now, then on its interval. Returns a stop function. */
export function startJobs({ db }: { db: Db; config: Config }, list: Job[] = jobs): () => void {
  const timers: NodeJS.Timeout[] = [];
  for (const job of list) {
    const tick = () => {
      job.run(db, new Date()).catch((err) => console.error(`Tâche ${job.name} en échec :`, err));
    };
    tick();
    timers.push(setInterval(tick, job.everyMs).unref());
  }
  return () => timers.forEach(clearInterval);
}

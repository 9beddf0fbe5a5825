// The Prometheus text endpoint's numbers (prom-client), on one registry per app so that tests can
// build several apps: requests and their latency by route pattern (never the raw URL), job runs and
// failures (src/jobs.ts), the outbox queue length read from its table when scraped, and the
// process's own metrics (memory, event loop, GC). Off unless METRICS_TOKEN is set (src/config.ts).
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db.js';
import { pendingOutboxCount } from './queries.js';
import { routeOf } from './request-log.js';

export interface Metrics {
  registry: Registry;
  /** Counts a request and its duration once its answer is sent. */
  countRequests: RequestHandler;
  /** Called by startJobs (src/jobs.ts) after each run. */
  jobRan(job: string, ok: boolean): void;
}

export function createMetrics(db: Db): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const jobRuns = new Counter({
    name: 'portail_job_runs_total',
    help: 'Runs of the periodic jobs (src/jobs.ts).',
    labelNames: ['job'] as const,
    registers: [registry],
  });
  const jobFailures = new Counter({
    name: 'portail_job_failures_total',
    help: 'Runs of the periodic jobs that failed.',
    labelNames: ['job'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'portail_outbox_pending',
    help: 'Emails and SMS waiting in the outbox.',
    registers: [registry],
    async collect() {
      this.set(await pendingOutboxCount(db));
    },
  });

  return {
    registry,
    countRequests(req, res, next) {
      const end = latency.startTimer();
      res.on('finish', () => {
        const route = routeOf(req);
        end({ method: req.method, route });
        requests.inc({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    },
    jobRan(job, ok) {
      jobRuns.inc({ job });
      if (!ok) jobFailures.inc({ job });
    },
  };
}

/** SHA-256 of both sides, compared in constant time: neither the token nor its length leaks. */
export function tokenMatches(given: string, expected: string): boolean {
  const digest = (value: string) => crypto.createHash('sha256').update(value).digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}

// The Prometheus text endpoint's numbers (prom-client), on one registry per app so that tests can
// build several apps: requests and their latency by route pattern (never the raw URL), job runs and
// failures (src/jobs.ts), the outbox queue length read from its table when scraped, and the
// process's own metrics (memory, event loop, GC). Off unless METRICS_TOKEN is set (src/config.ts).
// In a cluster one scrape answers for every process (createWorkerMetrics, servePrimaryMetrics).
import cluster, { type Worker } from 'node:cluster';
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db.js';
import { pendingOutboxCount } from './queries.js';
import { routeOf } from './request-log.js';

export interface Metrics {
  /** Counts a request and its duration once its answer is sent. */
  countRequests: RequestHandler;
  /** Called by startJobs (src/jobs.ts) after each run. */
  jobRan(job: string, ok: boolean): void;
  /** The Prometheus text: this process's numbers, or in a cluster worker every process's together. */
  render(): Promise<string>;
  contentType: string;
}

/** Requests and their latency by route pattern (never the raw URL), into `registry`. */
function requestCounters(registry: Registry): RequestHandler {
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
  return (req, res, next) => {
    const end = latency.startTimer();
    res.on('finish', () => {
      const route = routeOf(req);
      end({ method: req.method, route });
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}

/** Job runs and failures, and the outbox queue read from its table when scraped, into `registry`. */
function jobCounters(registry: Registry, db: Db): Metrics['jobRan'] {
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
  return (job, ok) => {
    jobRuns.inc({ job });
    if (!ok) jobFailures.inc({ job });
  };
}

/** One process serving and running the jobs (WEB_CONCURRENCY=1, the tests): everything in one registry. */
export function createMetrics(db: Db): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    countRequests: requestCounters(registry),
    jobRan: jobCounters(registry, db),
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

// In a cluster (src/server.ts) the jobs run in the primary and the requests in the workers, and a
// scrape lands on any one worker. That worker asks the primary, which gathers every worker's
// numbers through prom-client's AggregatorRegistry (counters and histograms summed) and adds its
// own job counters: one scrape shows the whole instance.
const METRICS_REQUEST = 'portail:metrics-request';
const METRICS_ANSWER = 'portail:metrics-answer';
/** A scrape waits this long for the primary (which waits 5 s at most for each worker). */
const CLUSTER_TIMEOUT_MS = 8_000;

interface MetricsMessage {
  type?: string;
  id?: number;
  text?: string;
  error?: string;
}

/** A cluster worker: its requests and process figures; render() asks the primary for the whole. */
export function createWorkerMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Constructing it makes this worker answer the primary's requests for its numbers.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  let nextId = 0;
  return {
    countRequests: requestCounters(registry),
    jobRan: () => {},
    contentType: registry.contentType,
    render() {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const onMessage = (message: MetricsMessage) => {
          if (message?.type !== METRICS_ANSWER || message.id !== id) return;
          finish();
          if (message.text !== undefined) resolve(message.text);
          else reject(new Error(message.error ?? 'no metrics'));
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error('the primary did not answer'));
        }, CLUSTER_TIMEOUT_MS);
        const finish = () => {
          clearTimeout(timer);
          process.off('message', onMessage);
        };
        process.on('message', onMessage);
        process.send!({ type: METRICS_REQUEST, id });
      });
    },
  };
}

/** The cluster's primary: counts the jobs it runs, and answers the workers' scrapes with every process's numbers. */
export function servePrimaryMetrics(db: Db): Pick<Metrics, 'jobRan'> {
  const registry = new Registry();
  const jobRan = jobCounters(registry, db);
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker: Worker, message: MetricsMessage) => {
    if (message?.type !== METRICS_REQUEST) return;
    Promise.all([aggregator.clusterMetrics(), registry.metrics()]).then(
      ([workers, own]) => worker.send({ type: METRICS_ANSWER, id: message.id, text: `${workers.trimEnd()}\n${own}` }),
      (err: Error) => worker.send({ type: METRICS_ANSWER, id: message.id, error: err.message }),
    );
  });
  return { jobRan };
}

/** SHA-256 of both sides, compared in constant time: neither the token nor its length leaks. */
export function tokenMatches(given: string, expected: string): boolean {
  const digest = (value: string) => crypto.createHash('sha256').update(value).digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}

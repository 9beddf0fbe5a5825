// The generator thread of the demo seed's bulk build on SQLite (thread.ts starts it): generates the
// rows (index.ts, generate) and posts them as ready INSERTs, waiting while MAX_IN_FLIGHT chunks are
// not yet written.
import { parentPort, workerData } from 'node:worker_threads';
import { sqliteInserts } from '../bulk.js';
import { createContext, generate } from './index.js';
import { MAX_IN_FLIGHT, threadCpuSeconds, type WorkerInput, type WorkerMessage } from './thread.js';

const port = parentPort!;
const { options, started } = workerData as WorkerInput;
const post = (message: WorkerMessage) => port.postMessage(message);

let inFlight = 0;
let wake: (() => void) | null = null;
port.on('message', () => {
  inFlight--;
  wake?.();
  wake = null;
});

const ctx = await createContext(
  async (batches) => {
    post({ type: 'rows', inserts: sqliteInserts(batches) });
    inFlight++;
    while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
  },
  { ...options, log: (line) => post({ type: 'log', line }) },
  started,
);
await generate(ctx);
// The main thread ends this thread once every row before this message is written.
post({ type: 'done', cpuSeconds: threadCpuSeconds() });

// The processes under load and where they run: the portal and both yardsticks on one core, this
// process (the load generator, autocannon) on another, with `taskset`, so that a p99 measures the
// server and not the two fighting for a core. Without taskset or a second core, everything runs
// unpinned and the bench says so in its output.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

export interface Pinning {
  /** The command prefix that starts a server on its core (empty when not pinned). */
  serverPrefix: string[];
  /** One line for the bench output: how the cores were shared. */
  note: string;
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Pins this process (every thread: `-a`) to the last core it may use and returns the prefix that
 * starts the servers on the first one. With a single core or no taskset, nothing is pinned.
 */
export function pinCores(): Pinning {
  const cores = os.availableParallelism();
  if (cores < 2) return { serverPrefix: [], note: `Cœurs non attribués : un seul cœur disponible (${cores}).` };
  if (process.platform !== 'linux' || !hasTaskset()) {
    return { serverPrefix: [], note: 'Cœurs non attribués : taskset est absent ; serveurs et générateur de charge se partagent les cœurs.' };
  }
  const allowed = readAllowedCores();
  const serverCore = allowed[0];
  const loadCore = allowed[allowed.length - 1];
  execFileSync('taskset', ['-a', '-cp', String(loadCore), String(process.pid)], { stdio: 'ignore' });
  return {
    serverPrefix: ['taskset', '-c', String(serverCore)],
    note: `Cœurs attribués (taskset) : serveurs sur le cœur ${serverCore}, générateur de charge sur le cœur ${loadCore}.`,
  };
}

/** The cores this process may run on (Cpus_allowed_list of /proc/self/status, e.g. `0-1` or `0,2`). */
function readAllowedCores(): number[] {
  const line = fs
    .readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Cpus_allowed_list:'));
  const cores: number[] = [];
  for (const part of (line?.split(':')[1] ?? '0').trim().split(',')) {
    const [from, to = from] = part.split('-').map(Number);
    for (let c = from; c <= to; c++) cores.push(c);
  }
  return cores;
}

/** Starts `cmd args` (behind the pinning prefix) and waits for its output to match `ready`. */
export function startProcess(
  pinning: Pinning,
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const [command, ...rest] = [...pinning.serverPrefix, cmd, ...args];
  return new Promise((resolve, reject) => {
    // taskset execs the command: the child's pid is the server's own (its RSS is read from it).
    const child = spawn(command, rest, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} n'a pas démarré : ${out}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} s'est arrêté (code ${code}) : ${out}`)));
  });
}

/** The resident set size of a process in bytes (Linux), or null where /proc is not available. */
export function processRss(pid: number): number | null {
  try {
    const line = fs
      .readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.replace(/\D+/g, '')) * 1024 : null;
  } catch {
    return null;
  }
}

let ticksPerSecond: number | undefined;

/**
 * The CPU time (user + system, every thread) a process has used so far, in ms (Linux), or null.
 * On a shared machine a server's CPU time per request holds steadier than its wall-clock figures.
 */
export function processCpuMs(pid: number): number | null {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is the first, utime the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return null;
  }
}

/**
 * Waits until a server has no work left: its CPU time still for `quietMs` (at most `maxMs`).
 * A slow page (a PDF) leaves a backlog after a load stops — the closed connections' requests
 * are still computed — which would otherwise delay every response of the next load.
 */
export async function waitForIdle(pid: number, quietMs = 200, maxMs = 60_000): Promise<void> {
  const started = Date.now();
  let last = processCpuMs(pid);
  if (last === null) return;
  while (Date.now() - started < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const now = processCpuMs(pid);
    if (now === null) return;
    // One clock tick (10 ms) of slack: timers and the session store's sweeps.
    if (now - last <= 10) return;
    last = now;
  }
}

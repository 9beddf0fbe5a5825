// What the command-line scripts share: the usage message and exit code 2 for bad arguments or an
// invalid configuration.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type Config, ConfigError, loadConfig } from '../src/config.js';

export type Usage = (message: string) => never;

/** Prints the message and the usage line on stderr, then exits with code 2. */
export function usage(line: string): Usage {
  return (message) => {
    console.error(`${message}\nUsage : ${line}`);
    process.exit(2);
  };
}

/** node:util parseArgs, with an unknown or malformed option reported by `fail`. */
export function parseArgsOrExit<T extends ParseArgsConfig>(options: T, fail: Usage): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(options);
  } catch (err) {
    fail((err as Error).message);
  }
}

/** The configuration of process.env, or the reason it is invalid reported by `fail`. */
export function configOrExit(fail: Usage): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) fail(`Configuration invalide — ${err.message}`);
    throw err;
  }
}

/** `--name N` of the bench-like commands (npm run bench, npm run load), or the fallback. */
export function numberOption(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** `--name TEXT`, or null. */
export function textOption(name: string): string | null {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? null) : null;
}

// Password hashing with scrypt (memory-hard, in Node's standard library).
// Stored format: scrypt$<logN>$<r>$<p>$<salt b64>$<hash b64>, so parameters can grow later.
import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (password: string | Buffer, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;

// N = 2^15, r = 8, p = 3: one of OWASP's equivalent minimum settings for scrypt (32 MiB of memory
// per hash instead of 128 MiB for N = 2^17, p = 1), kept in the stored string so it can grow later.
export const PRODUCTION_LOG_N = 15;
let logN = PRODUCTION_LOG_N;
const R = 8;
const P = 3;
const KEY_LENGTH = 32;

function options(logN: number, r: number, p: number): crypto.ScryptOptions {
  return { N: 2 ** logN, r, p, maxmem: 256 * 1024 * 1024 };
}

/**
 * The work factor of new hashes (config PASSWORD_HASH_LOG_N, set once by createApp). Only the test
 * environment may go below PRODUCTION_LOG_N (src/config.ts refuses it elsewhere); hashes already
 * stored keep verifying whatever it is, since each carries its own parameters.
 */
export function setPasswordHashLogN(value: number): void {
  logN = value;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options(logN, R, P));
  return ['scrypt', logN, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  if (!stored) {
    // Spend the same time as a real check so a missing account is not visible in timing.
    await hashPassword(password);
    return false;
  }
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, logN, r, p, saltB64, hashB64] = parts;
  const expected = Buffer.from(hashB64, 'base64');
  const actual = await scrypt(password.normalize('NFC'), Buffer.from(saltB64, 'base64'), expected.length, options(Number(logN), Number(r), Number(p)));
  return crypto.timingSafeEqual(actual, expected);
}

// Random secrets and how they are kept: links and device tokens are 256-bit random values stored
// as SHA-256 hashes; 6-digit codes are low-entropy, so they are stored as an HMAC keyed by the
// server secret (a stolen table alone does not give them away).
import crypto from 'node:crypto';

export function randomToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function randomCode(): string {
  return crypto.randomInt(0, 1_000_000).toString().padStart(6, '0');
}

export function hashCode(secret: string, code: string): string {
  return crypto.createHmac('sha256', secret).update(`code:${code}`).digest('hex');
}

export function safeEqualHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

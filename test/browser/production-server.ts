// The real server process in production mode (NODE_ENV=production: no demo data, no /dev/outbox)
// on a free port with a temporary DATA_DIR, and what a production instance talks to, captured:
// an SMTP server (every email, its text part decoded) and an SMS gateway (the JSON-over-HTTPS
// interface of src/stores/outbox.ts). The documented commands (npm run staff:create…) run as
// child processes against the same database. Used by the « empty database » journey test.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface CapturedEmail {
  to: string;
  subject: string;
  /** The text/plain part, decoded. */
  text: string;
}

interface CapturedSms {
  to: string;
  text: string;
}

/** Messages arriving one by one, waited for by predicate. */
class Inbox<T extends object> {
  readonly all: T[] = [];
  private waiters: (() => void)[] = [];
  /** Set when nothing more can come (the server process ended): waiting stops with this reason. */
  private closedBecause: string | null = null;

  push(message: T): void {
    this.all.push(message);
    for (const wake of this.waiters.splice(0)) wake();
  }

  close(reason: string): void {
    this.closedBecause = reason;
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** The first message after the `after`-th matching the predicate, waited for up to timeoutMs. */
  async next(matches: (message: T) => boolean, { after = 0, timeoutMs = 15_000 } = {}): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.all.slice(after).find(matches);
      if (found) return found;
      if (this.closedBecause) throw new Error(`no such message: ${this.closedBecause}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no such message within ${timeoutMs} ms; received: ${JSON.stringify(this.all.map(summary), null, 1)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** A message's first words, for a failure's message. */
function summary(message: object): object {
  return Object.fromEntries(Object.entries(message).map(([key, value]) => [key, typeof value === 'string' ? value.slice(0, 100) : value]));
}

export interface ProductionInstance {
  baseUrl: string;
  dataDir: string;
  emails: Inbox<CapturedEmail>;
  sms: Inbox<CapturedSms>;
  /** `npm run SCRIPT -- ARGS` against this instance's database and settings; its output. */
  npmRun(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** What the server printed, for a failure's message. */
  log(): string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Decodes RFC 2047 encoded words (a subject in UTF-8, Q or B). */
function decodeHeader(value: string): string {
  return value.replace(/\s*=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_all, _charset: string, encoding: string, data: string) =>
    encoding.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
  );
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const unfolded = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < unfolded.length; i++) {
    const hex = unfolded[i] === '=' ? unfolded.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(unfolded[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function splitMessage(raw: string): { headers: Map<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** The text/plain part of a MIME message (nodemailer's multipart/alternative), decoded. */
function textPart(raw: string): string | null {
  const { headers, body } = splitMessage(raw);
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    for (const part of body.split(`--${boundary}`).slice(1)) {
      const text = textPart(part.replace(/^\r?\n/, ''));
      if (text !== null) return text;
    }
    return null;
  }
  if (!/^text\/plain/i.test(type)) return null;
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

/**
 * Starts the mail and SMS catchers, then `node --import tsx src/server.ts` in production mode (a
 * lab over plain HTTP: ALLOW_INSECURE_HTTP=true) on an empty SQLite database, and waits for it to listen.
 */
export async function startProductionInstance(): Promise<ProductionInstance> {
  const emails = new Inbox<CapturedEmail>();
  const sms = new Inbox<CapturedSms>();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('latin1');
        emails.push({
          to: session.envelope.rcptTo.map((r) => r.address).join(','),
          subject: decodeHeader(splitMessage(raw).headers.get('subject') ?? ''),
          text: textPart(raw) ?? '',
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const gateway = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const message = JSON.parse(body) as { to: string; text: string };
      sms.push({ to: message.to, text: message.text });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portail-production-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: baseUrl,
    DATA_DIR: dataDir,
    SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
    ALLOW_INSECURE_HTTP: 'true',
    SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    MAIL_FROM: 'Mutuelle <ne-pas-repondre@mutuelle.example>',
    SMS_PROVIDER_URL: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`,
    SMS_API_KEY: 'cle-de-laboratoire',
    LOG_LEVEL: 'warn',
    // One process: the cluster has its own test (test/http/cluster.test.ts), and each worker would
    // compile the TypeScript again before the portal says it is available.
    WEB_CONCURRENCY: '1',
  };
  let output = '';
  const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let closing = false;
  const exited = new Promise<void>((resolve) =>
    server.once('exit', (code, signal) => {
      output += `[the server process ended: code ${code}, signal ${signal}]\n`;
      // Ended by something else than close() (a crash, or a signal from outside): say so at once.
      if (!closing) for (const inbox of [emails, sms]) inbox.close(`the server process ended (code ${code}, signal ${signal}):\n${output}`);
      resolve();
    }),
  );
  server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stopCatchers = async () => {
    await new Promise((resolve) => gateway.close(resolve));
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start within 120 s:\n${output}`)), 120_000);
      const watch = () => {
        if (output.includes(`disponible sur ${baseUrl}`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      server.stdout?.on('data', watch);
      server.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the server stopped (${code}):\n${output}`));
      });
    });
  } catch (err) {
    closing = true;
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
    await exited;
    await stopCatchers();
    throw err;
  }

  return {
    baseUrl,
    dataDir,
    emails,
    sms,
    npmRun(script, args) {
      return new Promise((resolve) => {
        execFile('npm', ['run', '--silent', script, '--', ...args], { cwd: ROOT, env, timeout: 120_000 }, (error, stdout, stderr) => {
          resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
      });
    },
    log: () => output,
    async close() {
      closing = true;
      if (server.exitCode === null && server.signalCode === null) {
        server.kill('SIGTERM');
        await exited;
      }
      await stopCatchers();
    },
  };
}

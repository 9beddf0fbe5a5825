// npm run test:pg — runs a command against PostgreSQL. Uses TEST_PG_URL when set; otherwise
// starts a throwaway PostgreSQL cluster (Debian's binaries) in a temporary folder on a free
// port, runs the command with TEST_PG_URL pointing at it, and removes the cluster afterwards.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const command = process.argv.slice(2);
if (!command.length) {
  console.error('Usage : tsx scripts/with-pg.ts <commande…>');
  process.exit(2);
}

function findPgBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions) {
    const bin = path.join(root, v, 'bin');
    if (fs.existsSync(path.join(bin, 'initdb'))) return bin;
  }
  throw new Error('PostgreSQL introuvable : apt-get install -y postgresql (ou définissez TEST_PG_URL).');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function run(cmd: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), { stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  if (process.env.TEST_PG_URL) return run(command, process.env);

  const bin = findPgBin();
  const isRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portail-pg-'));
  const dataDir = path.join(dir, 'data');
  // PostgreSQL refuses to run as root: run it as the 'postgres' system user then.
  const asUser = (args: string[]) => (isRoot ? ['runuser', '-u', 'postgres', '--', ...args] : args);
  if (isRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const port = await freePort();
  const [initCmd, ...initArgs] = asUser([path.join(bin, 'initdb'), '-D', dataDir, '-U', 'portail', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  execFileSync(initCmd, initArgs, { stdio: 'ignore' });
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const [ctlCmd, ...ctlArgs] = asUser([path.join(bin, 'pg_ctl'), '-D', dataDir, '-o', opts, '-l', path.join(dir, 'server.log'), '-w', 'start']);
  execFileSync(ctlCmd, ctlArgs, { stdio: 'ignore' });
  console.log(`PostgreSQL temporaire démarré sur 127.0.0.1:${port}`);
  try {
    return await run(command, { ...process.env, TEST_PG_URL: `postgres://portail@127.0.0.1:${port}/postgres` });
  } finally {
    const [stopCmd, ...stopArgs] = asUser([path.join(bin, 'pg_ctl'), '-D', dataDir, '-m', 'fast', '-w', 'stop']);
    spawnSync(stopCmd, stopArgs, { stdio: 'ignore' });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);

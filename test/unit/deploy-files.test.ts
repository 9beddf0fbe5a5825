// The files docs/deploy.md shows, checked by the tools that read them when they are installed
// (`systemd-analyze verify` for the units, `nginx -t` for the site), and the environment file
// against src/config.ts: every variable the portal reads is documented, and the file as shipped
// is a configuration the portal accepts. .ci/run installs the tools; locally a test without its
// tool is skipped and says which package brings it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { PROJECT_ROOT } from '../../src/paths.js';

const DEPLOY = path.join(PROJECT_ROOT, 'docs/deploy');
const UNITS = ['portail.service', 'portail-backup.service', 'portail-backup.timer'];

function missing(tool: string, debianPackage: string): string | false {
  const found = spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
  return found ? false : `${tool} absent (apt-get install ${debianPackage}) : vérification sautée`;
}

test('the systemd units pass `systemd-analyze verify` without a warning', { skip: missing('systemd-analyze', 'systemd') }, () => {
  const result = spawnSync('systemd-analyze', ['verify', '--man=no', ...UNITS.map((unit) => path.join(DEPLOY, unit))], { encoding: 'utf8' });
  // The commands run /usr/bin/node (Debian's or NodeSource's); a machine with node elsewhere is not a fault of the files.
  const problems = result.stderr.split('\n').filter((line) => line.trim() && !(fs.existsSync('/usr/bin/node') ? false : /\/usr\/bin\/node/.test(line)));
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(problems, []);
});

test('the nginx site passes `nginx -t` (with a throw-away certificate in place of certbot’s)', {
  skip: missing('nginx', 'nginx-light') || missing('openssl', 'openssl'),
}, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portail-nginx-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=portail.exemple.fr',
        '-keyout',
        path.join(dir, 'privkey.pem'),
        '-out',
        path.join(dir, 'fullchain.pem'),
      ],
      {
        stdio: 'ignore',
      },
    );
    const site = fs.readFileSync(path.join(DEPLOY, 'nginx-portail.conf'), 'utf8');
    assert.ok(site.includes('/etc/letsencrypt/live/portail.exemple.fr/'), 'the site names certbot’s certificate');
    fs.writeFileSync(path.join(dir, 'site.conf'), site.replaceAll('/etc/letsencrypt/live/portail.exemple.fr/', `${dir}/`));
    fs.writeFileSync(path.join(dir, 'nginx.conf'), `pid ${dir}/nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\n  include ${dir}/site.conf;\n}\n`);
    const result = spawnSync('nginx', ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', 'stderr'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /syntax is ok/);
    assert.doesNotMatch(result.stderr, /\[(warn|emerg)\]/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** `NAME=value` lines, and the names of commented-out ones. */
function readEnvFile(file: string): { values: Record<string, string>; documented: Set<string> } {
  const values: Record<string, string> = {};
  const documented = new Set<string>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const match = line.match(/^(#)?([A-Z][A-Z0-9_]*)=(.*)$/);
    if (!match) continue;
    documented.add(match[2]);
    if (!match[1]) values[match[2]] = match[3];
  }
  return { values, documented };
}

test('the environment file documents every variable of src/config.ts and is a configuration the portal accepts', () => {
  const source = fs.readFileSync(path.join(PROJECT_ROOT, 'src/config.ts'), 'utf8');
  const read = new Set([...source.matchAll(/env\.([A-Z][A-Z0-9_]*)|env, '([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1] ?? m[2]));
  assert.ok(read.size >= 20, `variables found in src/config.ts: ${[...read].join(', ')}`);
  const { values, documented } = readEnvFile(path.join(DEPLOY, 'portail.env'));
  assert.deepEqual(
    [...read].filter((name) => !documented.has(name)),
    [],
    'variables read by src/config.ts but not in docs/deploy/portail.env',
  );
  const config = loadConfig(values);
  assert.equal(config.isProduction, true);
  assert.equal(config.database.client, 'pg');
  assert.equal(config.trustProxy, 'loopback');
});

test('the Prometheus scrape job is YAML that sends the token to /metrics', () => {
  const job = parse(fs.readFileSync(path.join(DEPLOY, 'prometheus-portail.yml'), 'utf8'));
  assert.equal(job.scrape_configs[0].metrics_path, '/metrics');
  assert.equal(job.scrape_configs[0].authorization.type, 'Bearer');
});

test('docs/deploy.md shows every file of docs/deploy/ and names no file that is not there', () => {
  const guide = fs.readFileSync(path.join(PROJECT_ROOT, 'docs/deploy.md'), 'utf8');
  const named = new Set([...guide.matchAll(/docs\/deploy\/([\w.-]+)/g)].map((m) => m[1]));
  assert.deepEqual(
    [...named].filter((file) => !fs.existsSync(path.join(DEPLOY, file))),
    [],
  );
  assert.deepEqual(
    fs.readdirSync(DEPLOY).filter((file) => !named.has(file)),
    [],
  );
});

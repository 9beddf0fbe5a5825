// Property-based fuzzing of every POST route (read from the app's routers, like the authorization
// matrix): random and hostile values — empty, very long, control and bidi characters, lone
// surrogates, wrong types, arrays (repeated fields and `a[]=`), duplicated fields, SQL and HTML
// fragments, invalid UTF-8 in urlencoded and multipart bodies, odd file names — sent with the
// role's valid CSRF token as the role who may use the route (test/authorization-matrix.ts). Each
// answer: never a 5xx nor a stack trace; a refused form (4xx) comes back in French, keeps the
// plain values that were typed, and no table gained or lost a row.
//
// The field names are those of the forms the role's pages show for that address (every GET route
// the role may open is read once), plus random ones. `npm test` runs a few cases per route
// (FUZZ_RUNS, 2 by default); `npm run fuzz -- --runs 200 [--seed N]` runs long (scripts/fuzz.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isPostgres } from '../../src/db.js';
import { listRoutes } from '../../src/middleware/route-table.js';
import { DEMO_FACTS } from '../../db/seeds/demo/index.js';
import { classify, MATRIX, ROLES, type Role } from '../authorization-matrix.js';
import { createRoleWorld, type RoleWorld } from '../helpers/route-roles.js';
import { decoded } from '../helpers/fixtures.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
/** Only the POST routes whose path contains this text (npm run fuzz -- --only /gestion/). */
const ONLY = process.env.FUZZ_ONLY ?? '';
/**
 * Tables a refused request may still write: the session, the audit trail, the throttles, and the
 * files a form that comes back keeps for its next sending (pending_uploads, swapped each time the
 * form returns: src/correspondence/pending-uploads.ts).
 */
const WRITABLE_ON_REFUSAL = new Set(['sessions', 'audit_log', 'throttle', 'spent_challenges', 'pending_uploads']);
const PREFERRED: Record<string, Role> = { assure: 'memberA', entreprise: 'hrAdmin', gestion: 'superviseur' };
const STACK_TRACE = /\bat [^\n<]*\(?[^\s()<]+:\d+:\d+\)?|node_modules\/|\.ts:\d+|TypeError|ReferenceError|SQLITE_|violates .* constraint/;
const ENGLISH_MESSAGE = /\b(Invalid|Expected|Required|received|must be|must contain|is not a|Too (big|small))\b/;

let world: RoleWorld;
let tables: string[] = [];
/** Per role, form action → the fields its forms show (name, and whether the value is echoed back). */
const formsOf = new Map<Role, Map<string, Field[]>>();

interface Field {
  name: string;
  kind: 'text' | 'textarea' | 'file' | 'other';
}

function fieldsIn(formHtml: string): Field[] {
  const out: Field[] = [];
  for (const m of formHtml.matchAll(/<(input|textarea|select)\b([^>]*)>/g)) {
    const name = /\bname="([^"]+)"/.exec(m[2])?.[1];
    if (!name || name === '_csrf') continue;
    const type = /\btype="([^"]+)"/.exec(m[2])?.[1] ?? 'text';
    const kind =
      m[1] === 'textarea'
        ? 'textarea'
        : m[1] === 'select'
          ? 'other'
          : type === 'file'
            ? 'file'
            : ['text', 'email', 'tel', 'search'].includes(type)
              ? 'text'
              : 'other';
    if (!out.some((f) => f.name === decoded(name))) out.push({ name: decoded(name), kind });
  }
  return out;
}

async function readForms(role: Role, pages: string[]): Promise<Map<string, Field[]>> {
  const forms = new Map<string, Field[]>();
  for (const url of pages) {
    const res = await world.send(role, 'GET', url);
    if (res.status !== 200 || !String(res.headers['content-type']).startsWith('text/html')) continue;
    for (const m of res.text.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
      const action = decoded(/\baction="([^"]*)"/.exec(m[1])?.[1] ?? url).split('?')[0];
      const known = forms.get(action) ?? [];
      for (const f of fieldsIn(m[2])) if (!known.some((k) => k.name === f.name)) known.push(f);
      forms.set(action, known);
    }
  }
  return forms;
}

async function rowCounts(): Promise<Record<string, number>> {
  const db = world.t.db;
  const sql = `SELECT ${tables.map((name, i) => `(SELECT COUNT(*) FROM ${name}) AS c${i}`).join(', ')}`;
  const result = await db.raw(sql);
  const row = isPostgres(db) ? result.rows[0] : result[0];
  return Object.fromEntries(tables.map((name, i) => [name, Number(row[`c${i}`])]));
}

// ---------------------------------------------------------------------------- hostile values

const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc.constantFrom(' ', '   ', '\t', '\n', '0', '-1', '1e309', 'NaN', 'null', 'undefined', 'true', '[]', '{}', '99999999999999999999', '1.5', '0x10'),
  fc.constantFrom('31/02/2026', '2026-13-45', '00/00/0000', '29/02/2025', '1900-01-01', '01/01/10000'),
  fc.constantFrom("' OR 1=1 --", "'); DROP TABLE members; --", '1; SELECT pg_sleep(1)', '%', '_', '\\', "O'Brien"),
  fc.constantFrom('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '<%= 7*7 %>', '{{7*7}}', '&amp;&lt;', '</textarea><b>x</b>'),
  fc.constantFrom('\u202Egnp.exe', '\u2066abc\u2069', '\u200F\u200E', '\uFEFF', '\u0000', '\uD800', '\uDFFF\uD800', '\uFFFF', 'é\u0301', '👨‍👩‍👧‍👦'),
  fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('a'.repeat(5000), 'é'.repeat(3000), '9'.repeat(1000), `${'A '.repeat(2000)}`),
);

/** A field's value: one string, or several (sent as repeated fields). */
const hostileValue: fc.Arbitrary<string | string[]> = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.array(hostileString, { minLength: 2, maxLength: 3 }) },
);

type Encoding = 'urlencoded' | 'brackets' | 'invalid-utf8' | 'multipart' | 'multipart-invalid-utf8';

interface Case {
  values: [string, string | string[]][];
  extra: [string, string][];
  encoding: Encoding;
  file: { field: string; name: string; bytes: Buffer } | null;
}

function caseFor(fields: Field[]): fc.Arbitrary<Case> {
  const named = fields.filter((f) => f.kind !== 'file');
  const fileField = fields.find((f) => f.kind === 'file')?.name;
  return fc.record({
    values: fc
      .tuple(...named.map((f) => fc.option(hostileValue, { nil: undefined, freq: 5 }).map((v) => [f.name, v] as const)))
      .map((pairs) => pairs.filter((p): p is [string, string | string[]] => p[1] !== undefined).map(([k, v]) => [k, v] as [string, string | string[]])),
    extra: fc.array(fc.tuple(fc.constantFrom('a[]', 'a[b]', '__proto__', 'constructor', 'hasOwnProperty', 'x'.repeat(300), '', 'é'), hostileString), {
      maxLength: 2,
    }),
    // Multipart to a route without a file field is refused whole by the CSRF check (src/middleware/csrf.ts): rarely worth a case.
    encoding: fileField
      ? fc.constantFrom<Encoding>('urlencoded', 'brackets', 'invalid-utf8', 'multipart', 'multipart-invalid-utf8')
      : fc.oneof(
          { weight: 8, arbitrary: fc.constantFrom<Encoding>('urlencoded', 'brackets', 'invalid-utf8') },
          { weight: 1, arbitrary: fc.constantFrom<Encoding>('multipart', 'multipart-invalid-utf8') },
        ),
    file: fileField
      ? fc.option(
          fc.record({
            field: fc.constant(fileField),
            name: fc.constantFrom('../../etc/passwd', 'a.pdf', '', '\u202Efdp.exe', 'x'.repeat(300), 'fichier.pdf\u0000.exe', 'é.jpg'),
            bytes: fc.constantFrom(Buffer.from('%PDF-1.4\n%%EOF\n'), Buffer.from([0xff, 0xd8, 0xff, 0x00]), Buffer.alloc(0), Buffer.from('<html></html>')),
          }),
          { nil: null },
        )
      : fc.constant(null),
  });
}

/** Percent-encodes a string's UTF-8 bytes (a lone surrogate becomes U+FFFD, as a browser sends it). */
const pct = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
const INVALID_UTF8 = Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]);

function pairsOf(c: Case, token: string): [string, string][] {
  const out: [string, string][] = [['_csrf', token]];
  for (const [name, value] of c.values) {
    const key = Array.isArray(value) && c.encoding === 'brackets' ? `${name}[]` : name;
    for (const v of Array.isArray(value) ? value : [value]) out.push([key, v]);
  }
  return [...out, ...c.extra];
}

const BOUNDARY = '----fuzz7MA4YWxkTrZu0gW';

/** The raw body: a string for urlencoded (superagent would serialise a Buffer's bytes as fields), bytes for multipart. */
function build(c: Case, token: string): { type: string; body: Buffer | string } {
  const pairs = pairsOf(c, token);
  if (c.encoding === 'multipart' || c.encoding === 'multipart-invalid-utf8') {
    const parts: Buffer[] = [];
    for (const [name, value] of pairs) {
      parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name.replace(/"/g, '%22')}"\r\n\r\n`));
      parts.push(Buffer.from(value, 'utf8'));
      if (c.encoding === 'multipart-invalid-utf8' && name !== '_csrf') parts.push(INVALID_UTF8);
      parts.push(Buffer.from('\r\n'));
    }
    if (c.file) {
      parts.push(
        Buffer.from(
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${c.file.field}"; filename="${c.file.name.replace(/"/g, '%22')}"\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
      );
      parts.push(c.file.bytes, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
    return { type: `multipart/form-data; boundary=${BOUNDARY}`, body: Buffer.concat(parts) };
  }
  const invalid = c.encoding === 'invalid-utf8' ? '%C3%28%FF%FE%ED%A0%80' : '';
  const text = pairs.map(([k, v]) => `${pct(k)}=${pct(v)}${k === '_csrf' ? '' : invalid}`).join('&');
  return { type: 'application/x-www-form-urlencoded', body: text };
}

const ANSWER_NOT_KEPT = new Set(['robot']);
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

/** The refused form keeps what was typed: each plain value sent once to a text field the answer shows. */
function lostValues(html: string, c: Case, fields: Field[]): { checked: number; lost: string[] } {
  const lost: string[] = [];
  let checked = 0;
  if (c.encoding.includes('invalid')) return { checked, lost };
  for (const [name, value] of c.values) {
    const field = fields.find((f) => f.name === name);
    if (!field || (field.kind !== 'text' && field.kind !== 'textarea') || Array.isArray(value)) continue;
    // The anti-robot answer goes with the question asked, and each page asks a new one.
    if (ANSWER_NOT_KEPT.has(name)) continue;
    // Plain values only: the portal may trim, drop control characters or cap lengths.
    if (!/^[\p{L}\p{N}][\p{L}\p{N} '.,@-]{0,60}$/u.test(value) || value.trim() !== value) continue;
    if (!new RegExp(`name="${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).test(html)) continue;
    checked += 1;
    const shown = [escapeHtml(value), value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')];
    if (!shown.some((s) => html.includes(`value="${s}"`) || html.includes(`>${s}</textarea>`))) lost.push(`${name}=${JSON.stringify(value)}`);
  }
  return { checked, lost };
}

/** The first case of each route: every field typed plainly (a text most forms refuse somewhere), as urlencoded. */
function plainCase(fields: Field[]): Case {
  return { values: fields.filter((f) => f.kind !== 'file').map((f) => [f.name, 'Dupont']), extra: [], encoding: 'urlencoded', file: null };
}

function roleFor(key: string): Role {
  const space = key.split(' ')[1].split('/')[1];
  const preferred = PREFERRED[space];
  const row = MATRIX[key];
  if (!preferred) return 'anonymous';
  const answer = row?.[ROLES.indexOf(preferred)];
  return answer === 'L' || answer === 403 || answer === 404 ? 'anonymous' : preferred;
}

before(async () => {
  world = await createRoleWorld();
  const db = world.t.db;
  const names: { name: string }[] = isPostgres(db)
    ? (await db.raw("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")).rows
    : await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  tables = names
    .map((r) => r.name)
    .filter((n) => !n.startsWith('knex_') && !WRITABLE_ON_REFUSAL.has(n))
    .sort();
  // The anonymous role proves the birth date of the started enrolment: its form is then theirs.
  const started = DEMO_FACTS.affiliationStarted;
  const [y, m, d] = started.birthDate.split('-');
  const proved = await world.send('anonymous', 'POST', `/affiliation/${started.token}`, (r) =>
    r.type('form').send({ _csrf: world.sessions.anonymous.token, date_naissance: `${d}/${m}/${y}` }),
  );
  assert.equal(proved.status, 303, 'the birth date of the started enrolment is accepted');
  await world.adopt('anonymous', proved);
  const gets = listRoutes(world.t.app).filter((r) => r.methods.includes('GET'));
  for (const role of new Set<Role>(['anonymous', ...Object.values(PREFERRED)])) {
    const pages = gets.filter((r) => MATRIX[`GET ${r.path}`]?.[ROLES.indexOf(role)] === 200).map((r) => world.concretePath(r.path));
    formsOf.set(role, await readForms(role, pages));
  }
});
after(async () => world?.close());

describe('form fuzzing', () => {
  test(`every POST route, ${RUNS} hostile bodies each: no 5xx, no stack trace, refused forms in French with the values kept, nothing saved`, {
    timeout: 1_800_000,
  }, async () => {
    // The identity check of the enrolment last: failed attempts lock the link.
    const posts = listRoutes(world.t.app)
      .filter((r) => r.methods.includes('POST') && r.path.includes(ONLY))
      .sort((a, b) => Number(a.path === '/affiliation/:token') - Number(b.path === '/affiliation/:token'));
    const failures: string[] = [];
    let sent = 0;
    let valuesChecked = 0;
    let messagesChecked = 0;
    for (const route of posts) {
      const key = `POST ${route.path}`;
      const role = roleFor(key);
      const url = world.concretePath(route.path);
      const fields = formsOf.get(role)?.get(url) ?? [];
      const result = await fc.check(
        fc.asyncProperty(caseFor(fields), async (c) => {
          const before = await rowCounts();
          const { type, body } = build(c, world.sessions[role].token);
          const res = await world.send(role, 'POST', url, (r) => r.set('Content-Type', type).send(body));
          sent += 1;
          const problems: string[] = [];
          if (res.status >= 500) problems.push(`answered ${res.status}`);
          if (STACK_TRACE.test(res.text ?? '')) problems.push(`shows a stack trace: ${STACK_TRACE.exec(res.text)?.[0]}`);
          if (classify(res.status, res.headers.location) === 'E' || res.status === 403 || res.status === 404) {
            const after = await rowCounts();
            const changed = tables.filter((name) => after[name] !== before[name]).map((name) => `${name} ${before[name]} → ${after[name]}`);
            if (changed.length) problems.push(`refused (${res.status}) but rows changed: ${changed.join(', ')}`);
            const html = res.text ?? '';
            const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
            const messages = [...html.matchAll(/class="error-message"[^>]*>([\s\S]*?)<\/p>/g)].map((mm) => mm[1]).join(' ');
            if (summary || messages) messagesChecked += 1;
            if (ENGLISH_MESSAGE.test(summary + messages)) problems.push(`message not in French: ${ENGLISH_MESSAGE.exec(summary + messages)?.[0]}`);
            if (res.status === 422 || res.status === 400) {
              const { checked, lost } = lostValues(html, c, fields);
              valuesChecked += checked;
              if (lost.length) problems.push(`form lost what was typed: ${lost.join(', ')}`);
            }
          }
          if (problems.length) throw new Error(problems.join('; '));
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: RUNS <= 5, examples: [[plainCase(fields)]] },
      );
      if (result.failed) {
        const example = result.counterexample?.[0] as Case | undefined;
        failures.push(
          `${key} as ${role} (${url}): ${(result.errorInstance as Error | undefined)?.message ?? 'failed'}\n    seed ${result.seed}, path ${result.counterexamplePath}, body ${JSON.stringify(example)?.slice(0, 600)}`,
        );
      }
    }
    assert.ok(sent >= posts.length, `${sent} requests for ${posts.length} routes`);
    // The checks of refused forms did look at forms (the plain first case of each route sees to it).
    if (ONLY) return;
    assert.ok(messagesChecked >= 20, `${messagesChecked} refused forms with their messages checked`);
    assert.ok(valuesChecked >= 20, `${valuesChecked} typed values looked for in refused forms`);
    assert.deepEqual(failures, [], `\n${failures.join('\n')}`);
  });
});

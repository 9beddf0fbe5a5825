// The authorization matrix (test/authorization-matrix.ts) against the routes the app registers:
// every route (method and path, read from the app's own routers by src/middleware/route-table.ts)
// needs an entry, every entry needs a route, and each of the nine roles gets the answer its entry
// says. The path parameters carry ids of tenant A (Marie's family, Cabinet Verdier Immobilier, the
// demo's staff work) taken from the demo seed: member B and the HR administrator of another
// company ask for them too, so a route that leaks shows a 200 where the matrix says 404.
//
// One app and one database for the file; each role logs in once. Each role's session row is saved
// after its login and put back before each of its requests, so a logout, a session ended by a
// guard or a wizard step stored by one request does not change the next answer. GET routes run
// first (the roles in parallel), then POST routes (one role after the other, in a fixed order, with
// the role's valid CSRF token and no other field), so that a POST changing data (an affiliation
// validated, a thread closed) cannot change a GET answer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { listRoutes } from '../../src/middleware/route-table.js';
import { classify, formatRow, MATRIX, MATRIX_FILE, ROLES, type Answer, type Role } from '../authorization-matrix.js';
import { createRoleWorld, type RoleWorld } from '../helpers/route-roles.js';

const CHECKED_METHODS = new Set(['GET', 'POST']);

let world: RoleWorld;
before(async () => {
  world = await createRoleWorld();
});
after(async () => world?.close());

async function ask(role: Role, method: 'GET' | 'POST', url: string): Promise<{ answer: Answer; status: number; location?: string }> {
  const res = await world.send(role, method, url, (req) => (method === 'POST' ? req.type('form').send({ _csrf: world.sessions[role].token }) : req));
  return { answer: classify(res.status, res.headers.location), status: res.status, location: res.headers.location };
}

describe('authorization matrix', () => {
  test('every registered route has an entry, every entry a route, and each role gets the answer of its entry', { timeout: 1_200_000 }, async () => {
    const routes = listRoutes(world.t.app).flatMap((r) =>
      r.methods.filter((m) => CHECKED_METHODS.has(m)).map((method) => ({ method: method as 'GET' | 'POST', path: r.path, key: `${method} ${r.path}` })),
    );
    const unchecked = listRoutes(world.t.app).flatMap((r) => r.methods.filter((m) => !CHECKED_METHODS.has(m)).map((m) => `${m} ${r.path}`));
    assert.deepEqual(unchecked, [], 'routes of a method the matrix does not check yet (add it to CHECKED_METHODS)');
    const registered = new Set(routes.map((r) => r.key));
    const failures: string[] = [];
    const missing: string[] = [];
    for (const key of Object.keys(MATRIX)) {
      if (!registered.has(key)) failures.push(`entry « ${key} » of ${MATRIX_FILE} names no registered route: remove it`);
    }
    const observe = async (route: (typeof routes)[number], role: Role, observed: Record<string, Answer>) => {
      const url = world.concretePath(route.path);
      const got = await ask(role, route.method, url);
      observed[role] = got.answer;
      const expected = MATRIX[route.key]?.[ROLES.indexOf(role)];
      if (got.status >= 500) failures.push(`${route.method} ${url} as ${role}: ${got.status}`);
      else if (expected !== undefined && expected !== got.answer)
        failures.push(
          `${route.key} as ${role}: expected ${expected}, got ${got.answer} (${got.status}${got.location ? ` → ${got.location}` : ''}, ${route.method} ${url})`,
        );
    };
    const ordered = [...routes.filter((r) => r.method === 'GET'), ...routes.filter((r) => r.method !== 'GET')];
    for (const route of ordered) {
      const observed: Record<string, Answer> = {};
      if (route.method === 'GET') await Promise.all(ROLES.map((role) => observe(route, role, observed)));
      else for (const role of ROLES) await observe(route, role, observed);
      if (!MATRIX[route.key]) missing.push(`  '${route.key}': ${formatRow(ROLES.map((role) => observed[role]))},`);
    }
    if (missing.length)
      failures.push(
        `${missing.length} route(s) without an entry in ${MATRIX_FILE}. The answers each role got today are below: check every cell against who may see the route, then add the lines:\n${missing.join('\n')}`,
      );
    assert.deepEqual(failures, [], failures.join('\n'));
  });
});

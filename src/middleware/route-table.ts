// The routes an Express 5 app has registered, read from its router stack (the `router` 2.x package
// behind Express 5: Layer#match, Layer#route, Route#stack). Express has no public API to list or
// match routes (an open feature request upstream), so this module is the one place that reads
// those internals. Two callers: the CSRF middleware (which routes could a request reach?) and the
// CSRF test that walks every registered route (test/http/csrf-routes.test.ts, which fails if this
// walk stops finding the routes).
import type { Application } from 'express';

type Handler = (...args: never[]) => unknown;

interface RouteLayer {
  method?: string;
  handle: Handler;
}

export interface RegisteredRoute {
  path: string;
  methods: Record<string, boolean>;
  stack: RouteLayer[];
  _handlesMethod(method: string): boolean;
}

interface Layer {
  route?: RegisteredRoute;
  handle: Handler & { stack?: Layer[] };
  rawPath?: unknown;
  match(path: string): false | { path: string };
}

function stackOf(app: Application): Layer[] {
  return (app.router as unknown as { stack: Layer[] }).stack;
}

/** A mounted router (app.use(path?, router)), as opposed to a plain middleware function. */
function subStack(layer: Layer): Layer[] | null {
  return !layer.route && Array.isArray(layer.handle.stack) ? layer.handle.stack : null;
}

export interface RouteEntry {
  /** Upper-case methods, e.g. ['POST']. */
  methods: string[];
  /** The full path pattern, mount paths included, e.g. '/dev/outbox/:id'. */
  path: string;
  route: RegisteredRoute;
}

/** Every route of the app, in registration order, with its full path pattern. */
export function listRoutes(app: Application): RouteEntry[] {
  const out: RouteEntry[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const methods = Object.keys(layer.route.methods)
          .filter((m) => m !== '_all')
          .map((m) => m.toUpperCase());
        out.push({ methods: layer.route.methods._all ? ['ALL'] : methods, path: prefix + layer.route.path, route: layer.route });
        continue;
      }
      const sub = subStack(layer);
      if (!sub) continue;
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      walk(sub, prefix + mount);
    }
  };
  walk(stackOf(app), '');
  return out;
}

/**
 * The routes that could answer `method path`, whichever way the middleware before them lets the
 * request through: every route whose pattern matches, in every router whose mount path matches
 * (a router skipped at run time only removes candidates). Null in the list stands for a path
 * Express itself could not match (a malformed escape): the caller treats it as unknown.
 */
export function routesMatching(app: Application, method: string, path: string): (RegisteredRoute | null)[] {
  const out: (RegisteredRoute | null)[] = [];
  const walk = (stack: Layer[], current: string) => {
    for (const layer of stack) {
      let match: false | { path: string };
      try {
        match = layer.match(current);
      } catch {
        out.push(null);
        continue;
      }
      if (!match) continue;
      if (layer.route) {
        if (layer.route._handlesMethod(method)) out.push(layer.route);
        continue;
      }
      const sub = subStack(layer);
      if (!sub) continue;
      // As the router trims a mount path: the rest keeps its leading slash.
      const rest = current.slice(match.path.length);
      walk(sub, rest.startsWith('/') ? rest : `/${rest}`);
    }
  };
  walk(stackOf(app), path);
  return out;
}

/** The first handler a route runs for `method` (a route's `.all()` handlers run for every method). */
export function firstHandler(route: RegisteredRoute, method: string): Handler | undefined {
  const lower = method.toLowerCase();
  return route.stack.find((layer) => !layer.method || layer.method === lower)?.handle;
}

// /dev/outbox: what the portal would have sent by email or SMS. Never mounted in production, and
// answered only to requests that came from this machine and name it in Host (the server may listen
// on every interface when HOST says so, or sit behind a local proxy): anyone else gets the 404 of
// an unknown page.
import net from 'node:net';
import { Router, type Request } from 'express';
import type { AppContext } from '../context.js';

function isLoopback(address: string): boolean {
  let ip = address.trim().replace(/^"|"$/g, '');
  const bracketed = ip.match(/^\[([^\]]+)\](?::\d+)?$/);
  if (bracketed) ip = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(ip)) ip = ip.replace(/:\d+$/, '');
  if (ip.toLowerCase().startsWith('::ffff:')) ip = ip.slice(7);
  if (net.isIPv4(ip)) return ip.startsWith('127.');
  return net.isIPv6(ip) && new net.SocketAddress({ address: ip, family: 'ipv6' }).address === '::1';
}

/**
 * Every address the request passed through: the socket's peer and each hop a proxy recorded
 * (X-Forwarded-For, X-Real-IP, Forwarded). A proxy appends the peer it saw, a client can only add
 * more: whatever TRUST_PROXY says, one address that is not loopback is enough to refuse.
 */
function cameFromLoopbackOnly(req: Request): boolean {
  const hops = [req.socket.remoteAddress ?? ''];
  const forwardedFor = req.get('x-forwarded-for');
  if (forwardedFor !== undefined) hops.push(...forwardedFor.split(','));
  const realIp = req.get('x-real-ip');
  if (realIp !== undefined) hops.push(realIp);
  const forwarded = req.get('forwarded');
  if (forwarded !== undefined) {
    const named = [...forwarded.matchAll(/for=("[^"]*"|[^;,\s]*)/gi)].map((m) => m[1]);
    // A Forwarded header whose hops cannot be read is not trusted either.
    hops.push(...(named.length > 0 ? named : ['unknown']));
  }
  return hops.every(isLoopback) && [req.get('host'), req.get('x-forwarded-host')].every((h) => h === undefined || isLoopbackHost(h));
}

/**
 * A Host naming this machine (localhost, 127.x, [::1], with or without a port). A reverse proxy on
 * the same machine that adds no X-Forwarded-For makes every request come from 127.0.0.1; it still
 * passes the public name in Host, which this refuses.
 */
function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase().replace(/:\d+$/, '');
  return name === 'localhost' || name.endsWith('.localhost') || isLoopback(name);
}

export function devRoutes({ db }: AppContext): Router {
  const router = Router();
  router.use((req, _res, next) => next(cameFromLoopbackOnly(req) ? undefined : 'router'));
  router.get('/outbox', async (_req, res) => {
    const rows = await db('outbox').orderBy('id', 'desc').limit(100);
    res.renderPage({ page: 'dev/outbox', title: "Boîte d'envoi (développement)", locals: { rows } });
  });
  router.get('/outbox/:id', async (req, res, next) => {
    const id = Number(req.params.id);
    const row = Number.isInteger(id) ? await db('outbox').where({ id }).first() : undefined;
    if (!row) return next();
    res.renderPage({ page: 'dev/outbox-message', title: `Message n° ${row.id}`, locals: { row } });
  });
  return router;
}

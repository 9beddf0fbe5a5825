// The second yardstick: the bare page of bare-server.ts behind the least the decided stack asks
// of a private page — the portal's own session layer (express-session, its store in the database
// through Knex, no write per request) and database setup (better-sqlite3, WAL, statements kept),
// and one Knex query for the logged-in account — with nothing else of the portal (no helmet,
// CSRF, layout, 2FA or expiry rules). What a private page of the portal can at best reach.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import ejs from 'ejs';
import { loadConfig } from '../../src/config.js';
import { createDb } from '../../src/db.js';
import { sessionMiddleware } from '../../src/middleware/session.js';

/** This yardstick's own session field (kept out of the portal's SessionData). */
type YardstickSession = { accountId?: number };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-session-'));
// On PostgreSQL (npm run bench -- --database pg) the yardstick uses the bench database itself: its
// accounts and sessions tables (the account of id 1 reads like the one created here).
const pgUrl = process.env.BENCH_DATABASE_URL?.startsWith('postgres') ? process.env.BENCH_DATABASE_URL : null;
const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: pgUrl ?? `sqlite:${path.join(dir, 'db.sqlite')}` });
const db = createDb(config.database);
if (!pgUrl) {
  await db.schema.createTable('accounts', (t) => {
    t.increments('id');
    t.string('email').notNullable();
    t.string('first_name').notNullable();
  });
  await db('accounts').insert({ email: 'temoin@example.fr', first_name: 'Témoin' });
  await db.schema.createTable('sessions', (t) => {
    t.string('sid').primary();
    t.json('sess').notNullable();
    t.timestamp('expired').notNullable().index();
  });
}

const template = ejs.compile(
  `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title><%= title %></title></head>
<body><main><h1><%= title %> <%= name %></h1><ul><% items.forEach(function (i) { %><li><%= i %></li><% }) %></ul></main></body></html>`,
);
const app = express();
app.use(sessionMiddleware(config, db));
app.get('/login', (req, res) => {
  (req.session as YardstickSession).accountId = 1;
  res.send('ok');
});
app.get('/', async (req, res) => {
  const accountId = (req.session as YardstickSession).accountId;
  const account = accountId ? await db('accounts').where({ id: accountId }).first() : undefined;
  if (!account) {
    res.status(403).send('non connecté');
    return;
  }
  res.type('html').send(template({ title: 'Page témoin', name: account.first_name, items: ['Accueil', 'Situation', 'Remboursements', 'Tiers payant'] }));
});
const server = app.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`LISTENING ${address.port}\n`);
});
process.on('SIGTERM', () =>
  server.close(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }),
);
